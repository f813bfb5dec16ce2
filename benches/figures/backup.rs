//! A backup of the 10-year store to a folder (`core::backup::write_backup`:
//! encode everything, seal, temp file, fsync, rename, folder fsync, read
//! back and verify, keep 10) against the store's own durable save of the
//! same data (`Store::update` right after opening, when every record is
//! encoded: temp file, fsync, the store's own backups, rename, folder
//! fsync). Runs are paired (a save, then a backup) so both see the same
//! machine load; the ratio is the median of the per-run ratios.
//!
//! The key is made before timing: Argon2id runs once per session (when
//! the passcode or the backup passphrase is typed), not once per backup.
//!
//! Shared by `benches/all.rs` (one row of the whole run) and
//! `benches/backup.rs` (this figure alone, core only: quick to build).

#[path = "../../tests/weak_kdf/mod.rs"]
mod weak_kdf;
use std::path::Path;
use std::time::{Duration, Instant};
use weak_kdf::WeakForTests;

use common_ground::core::backup::{write_backup, Sealing};
use common_ground::core::model::Data;
use common_ground::core::store::{KdfParams, Passcode, SealKey, Store};

/// One figure: a backup against a save, each a median.
pub struct Figure {
    pub what: &'static str,
    pub backup: Duration,
    pub save: Duration,
    /// The median of the per-run ratios backup / save.
    pub ratio: f64,
}

/// The most a backup may cost, as a multiple of the save.
pub const GOAL: f64 = 1.5;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn median_ratio(a: &[Duration], b: &[Duration]) -> f64 {
    let mut r: Vec<f64> = a
        .iter()
        .zip(b)
        .map(|(a, b)| a.as_secs_f64() / b.as_secs_f64())
        .collect();
    r.sort_by(f64::total_cmp);
    r[r.len() / 2]
}

/// Times `runs` paired saves and backups (after one warm-up pair). `key`:
/// the store is sealed with it (a passcode), and so is the backup; `None`:
/// a plain store and a backup sealed with a backup passphrase's key, as
/// without a passcode.
fn pair(data: &Data, tmp: &Path, name: &str, sealed_store: bool, runs: usize) -> Figure {
    let dir = tmp.join(format!("store-{name}"));
    let folder = tmp.join(format!("backups-{name}"));
    std::fs::create_dir_all(&folder).expect("backup folder");
    let mut store = Store::open(&dir).expect("store");
    let d = data.clone();
    store.update(move |x| *x = d).expect("save");
    let passcode = Passcode::new("bench passphrase");
    let (store_key, sealing) = if sealed_store {
        store
            .turn_on_passcode_with(&passcode, KdfParams::weak_for_tests())
            .expect("passcode");
        let key = store.seal_key().cloned().expect("sealed");
        (Some(key.clone()), Sealing::Passcode(key))
    } else {
        let key = SealKey::create(&passcode, KdfParams::weak_for_tests()).expect("key");
        (None, Sealing::Passphrase(key))
    };
    drop(store);
    let (mut saves, mut backups) = (Vec::new(), Vec::new());
    for i in 0..=runs {
        let mut store = match &store_key {
            Some(k) => Store::open_unlocked(&dir, k.clone()),
            None => Store::open(&dir),
        }
        .expect("open");
        let t = Instant::now();
        store.update(|d| d.next_id += 1).expect("save");
        let save = t.elapsed();
        let t = Instant::now();
        let w = write_backup(
            &common_ground::core::store::RealFs,
            &folder,
            "bench",
            Some(10),
            store.data(),
            &sealing,
            chrono::Utc::now(),
        )
        .expect("backup");
        let backup = t.elapsed();
        std::hint::black_box(w);
        drop(store);
        if i > 0 {
            saves.push(save);
            backups.push(backup);
        }
    }
    Figure {
        what: if sealed_store {
            "backup of the 10-year store (sealed with the passcode's key) vs the store's durable save (sealed)"
        } else {
            "backup of the 10-year store (sealed with the backup passphrase's key) vs the store's durable save (no passcode)"
        },
        ratio: median_ratio(&backups, &saves),
        backup: median(backups),
        save: median(saves),
    }
}

/// Both figures: with a passcode on, and without (backup passphrase).
pub fn measure(data: &Data, tmp: &Path, runs: usize) -> Vec<Figure> {
    vec![
        pair(data, tmp, "passcode", true, runs),
        pair(data, tmp, "passphrase", false, runs),
    ]
}

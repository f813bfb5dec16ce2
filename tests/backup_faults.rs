//! A backup write interrupted at every step, through the in-memory `MemFs`
//! that tracks what is durable: the operation fails, the process is
//! killed, or the power is cut (unsynced data dropped, or torn). The folder
//! must then hold the old set, or the old set plus one complete new
//! backup (with the oldest gone only once the new one is there), and never
//! a partial file under a backup's name. A retry must then work.

#[path = "weak_kdf/mod.rs"]
mod weak_kdf;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use weak_kdf::WeakForTests;

use chrono::{DateTime, TimeZone, Utc};
use common_ground::core::backup::{
    self, list, parse_name, passphrase_key, write_backup, Holds, Sealing,
};
use common_ground::core::model::{CheckIn, Data};
use common_ground::core::store::vfs::{FaultKind, MemFs, Vfs};
use common_ground::core::store::{KdfParams, Passcode};

const KEEP: u32 = 3;

fn folder() -> &'static Path {
    Path::new("/sync/backups")
}

fn at(h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 29, h, 0, 0).unwrap()
}

fn data(n: usize) -> Data {
    let mut d = Data::default();
    for i in 0..n {
        let r = d.new_record(
            CheckIn {
                note: format!("note {i}"),
                ..Default::default()
            },
            at(1),
        );
        d.check_ins.push(r);
    }
    d
}

fn ours(fs: &MemFs) -> BTreeSet<PathBuf> {
    fs.paths()
        .into_iter()
        .filter(|p| {
            p.parent() == Some(folder())
                && parse_name(&p.file_name().unwrap().to_string_lossy()).is_some()
        })
        .collect()
}

/// A folder with a full set of `KEEP` backups, and the key.
fn setup() -> (MemFs, Sealing, BTreeSet<PathBuf>) {
    let fs = MemFs::new();
    fs.create_dir_private(folder()).unwrap();
    let stored =
        backup::new_passphrase(&Passcode::new("correct horse"), KdfParams::weak_for_tests())
            .unwrap();
    let sealing = Sealing::Passphrase(passphrase_key(&stored).unwrap());
    for h in 0..KEEP {
        write_backup(
            &fs,
            folder(),
            "phone",
            Some(KEEP),
            &data(h as usize + 1),
            &sealing,
            at(h + 2),
        )
        .unwrap();
    }
    let old = ours(&fs);
    assert_eq!(old.len(), KEEP as usize);
    (fs, sealing, old)
}

/// Every file under a backup's name is complete and opens; the set is the
/// old one, or the old one plus the new file (the oldest possibly gone,
/// but only next to the new one).
fn assert_old_set_or_one_more(fs: &MemFs, sealing: &Sealing, old: &BTreeSet<PathBuf>, what: &str) {
    let now = ours(fs);
    let key = sealing.key().cloned();
    let listed = list(fs, folder(), &|_| key.clone()).unwrap();
    for l in &listed {
        assert!(
            matches!(l.holds, Holds::Counts { .. }),
            "{what}: {} is not a complete backup: {:?}",
            l.path.display(),
            l.holds
        );
    }
    let new: Vec<_> = now.difference(old).collect();
    let gone: Vec<_> = old.difference(&now).collect();
    assert!(new.len() <= 1, "{what}: more than one new file: {new:?}");
    let oldest = old.iter().next().unwrap();
    assert!(
        gone.is_empty() || (gone == vec![oldest] && new.len() == 1),
        "{what}: lost {gone:?} (new: {new:?})"
    );
}

fn steps_of_one_backup() -> u64 {
    let (fs, sealing, _) = setup();
    fs.reset_steps();
    write_backup(
        &fs,
        folder(),
        "phone",
        Some(KEEP),
        &data(9),
        &sealing,
        at(20),
    )
    .unwrap();
    fs.steps()
}

#[test]
fn a_fault_at_every_step_leaves_the_old_set_or_one_complete_new_file() {
    let steps = steps_of_one_backup();
    // create temp, write, fsync, rename, fsync dir, remove the oldest,
    // fsync dir.
    assert!(steps >= 7, "{steps} steps");
    for step in 0..steps {
        for kind in [FaultKind::Fail, FaultKind::Full, FaultKind::PowerLoss] {
            for how in ["power cut", "torn", "killed"] {
                if kind != FaultKind::PowerLoss && how != "killed" {
                    continue;
                }
                let what = format!("step {step}, {kind:?}, {how}");
                let (fs, sealing, old) = setup();
                fs.inject(step, kind);
                let result = write_backup(
                    &fs,
                    folder(),
                    "phone",
                    Some(KEEP),
                    &data(9),
                    &sealing,
                    at(20),
                );
                assert!(result.is_err(), "{what}: a fault is reported");
                match how {
                    "power cut" => fs.power_cycle(),
                    "torn" => fs.power_cycle_torn(),
                    _ => fs.restart_after_kill(),
                }
                assert_old_set_or_one_more(&fs, &sealing, &old, &what);
                // The next attempt works and leaves exactly KEEP.
                let w = write_backup(
                    &fs,
                    folder(),
                    "phone",
                    Some(KEEP),
                    &data(9),
                    &sealing,
                    at(21),
                )
                .unwrap_or_else(|e| panic!("{what}: retry: {e}"));
                assert_eq!(ours(&fs).len(), KEEP as usize, "{what}: {w:?}");
                assert!(ours(&fs).contains(&w.path));
            }
        }
    }
}

//! Replays the fuzz corpora on stable, making the same checks as the fuzz
//! targets. `fuzz/corpus/load/` (`fuzz/fuzz_targets/load.rs`): a typed
//! result, never a panic; whatever loads round-trips (plain and sealed);
//! the import parser accepts or refuses it cleanly, and a second import
//! adds nothing. `fuzz/corpus/import/` (`fuzz/fuzz_targets/import.rs`):
//! the whole import path, into an empty store and into one whose ids
//! collide, gives unique well-formed ids and an export that imports again.

#[path = "weak_kdf/mod.rs"]
mod weak_kdf;
use std::path::Path;
use weak_kdf::WeakForTests;

use common_ground::core::export::{backup, inspect_backup, plan_import, read_backup};
use common_ground::core::model::{id_number, CheckIn, Concern, Data};
use common_ground::core::size::check_fits;
use common_ground::core::store::format::{decode, decode_with, encode, encrypt};
use common_ground::core::store::{KdfParams, Passcode, SealKey};

fn check(bytes: &[u8], key: &SealKey) -> bool {
    let mut loaded = false;
    for k in [None, Some(key)] {
        if let Ok(decoded) = decode_with(bytes, k) {
            let again = encode(
                &decoded.data,
                decoded.header.generation,
                decoded.header.saved,
                0,
            )
            .expect("encode");
            let again = match k {
                Some(k) => encrypt(again, k).expect("seal"),
                None => again,
            };
            let round = decode_with(&again.to_bytes(), k).expect("re-encoded file loads");
            assert_eq!(round.data, decoded.data);
            loaded = true;
        }
    }
    let _ = inspect_backup(bytes);
    if let Ok(data) = read_backup(bytes, Some(key)) {
        let once = plan_import(&Data::default(), &data).merged;
        let twice = plan_import(&once, &data);
        assert!(twice.summary.is_empty(), "{:?}", twice.summary);
        assert_eq!(twice.merged, once);
    }
    loaded
}

#[test]
fn replay_fuzz_corpus() {
    let key =
        SealKey::create(&Passcode::new("fuzz passcode"), KdfParams::weak_for_tests()).unwrap();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/load");
    let mut count = 0;
    let mut loaded = 0;
    let mut sealed = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.is_file())
        .collect();
    entries.sort();
    for path in entries {
        let bytes = std::fs::read(&path).expect("read corpus file");
        if check(&bytes, &key) {
            loaded += 1;
        }
        if bytes.starts_with(b"{") && bytes.windows(12).any(|w| w == b"\"encryption\"") {
            sealed += 1;
            // Sealed seeds were made with another (random) key.
            assert!(decode(&bytes).is_err());
        }
        count += 1;
    }
    assert!(count >= 5, "the seed corpus is missing ({count} files)");
    assert!(loaded >= 1, "no corpus file loads");
    assert!(sealed >= 2, "the encrypted seeds are missing");
}

/// Writes the encrypted seeds (run once with `--ignored`; kept in git).
#[test]
#[ignore]
fn write_encrypted_seeds() {
    #[path = "store_common/mod.rs"]
    mod common;
    let key =
        SealKey::create(&Passcode::new("seed passcode"), KdfParams::weak_for_tests()).unwrap();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/load");
    let small = encode(&common::golden_v2_data(), 3, common::t(0), 0).unwrap();
    let small = encrypt(small, &key).unwrap().to_bytes();
    std::fs::write(dir.join("seed-encrypted-v2"), &small).unwrap();
    let empty = encrypt(encode(&Data::default(), 1, common::t(0), 0).unwrap(), &key)
        .unwrap()
        .to_bytes();
    std::fs::write(dir.join("seed-encrypted-empty"), &empty).unwrap();
}

// ------------------------------------------------------------- import

/// The store the import target merges into besides an empty one: ids r1,
/// r2, r3, as most backups have.
fn here() -> Data {
    let t = chrono::DateTime::UNIX_EPOCH;
    let mut d = Data::default();
    for n in 0..2 {
        let r = d.new_record(
            CheckIn {
                note: format!("mine {n}"),
                ..Default::default()
            },
            t,
        );
        d.check_ins.push(r);
    }
    let r = d.new_record(Concern::default(), t);
    d.prepare.agenda.push(r.id.clone());
    d.concerns.push(r);
    d
}

fn check_merged(current: &Data, incoming: &Data) {
    let plan = plan_import(current, incoming);
    let merged = &plan.merged;
    let mut ids = std::collections::HashSet::new();
    for id in merged.ids() {
        let n = id_number(id).expect("merged ids are well formed");
        assert!(ids.insert(n), "duplicate id {id}");
        assert!(n <= merged.next_id, "next_id below {id}");
    }
    assert_eq!(
        merged.check_ins.len(),
        current.check_ins.len() + plan.summary.check_ins_added
    );
    assert_eq!(
        merged.concerns.len(),
        current.concerns.len() + plan.summary.concerns_added
    );
    let again = plan_import(merged, incoming);
    assert!(again.summary.is_empty(), "{:?}", again.summary);
    assert_eq!(&again.merged, merged);
    if check_fits(merged).is_ok() {
        let file = backup(merged, None, chrono::DateTime::UNIX_EPOCH).expect("exports");
        let back = read_backup(&file, None).expect("its own export imports");
        assert_eq!(&back, merged);
    }
}

/// The import target's checks on one input (as a file, and as a body
/// behind a valid plain header); whether it was accepted.
fn check_import(bytes: &[u8], key: &SealKey, here: &Data) -> bool {
    let mut accepted = false;
    let header = common_ground::core::store::format::Header {
        format: common_ground::core::store::format::FORMAT_NAME.to_owned(),
        version: common_ground::core::store::format::CURRENT_VERSION,
        generation: 1,
        saved: chrono::DateTime::UNIX_EPOCH,
        length: bytes.len() as u64,
        crc32: crc32fast::hash(bytes),
        encryption: None,
    };
    let mut wrapped = serde_json::to_vec(&header).unwrap();
    wrapped.push(b'\n');
    wrapped.extend_from_slice(bytes);
    wrapped.push(b'\n');
    for input in [bytes, &wrapped[..]] {
        let _ = inspect_backup(input);
        if let Ok(incoming) = read_backup(input, Some(key)) {
            check_merged(&Data::default(), &incoming);
            check_merged(here, &incoming);
            accepted = true;
        }
    }
    accepted
}

#[test]
fn replay_import_fuzz_corpus() {
    let key =
        SealKey::create(&Passcode::new("fuzz passcode"), KdfParams::weak_for_tests()).unwrap();
    let here = here();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/import");
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.is_file())
        .collect();
    entries.sort();
    let (mut count, mut accepted) = (0, 0);
    for path in entries {
        let bytes = std::fs::read(&path).expect("read corpus file");
        if check_import(&bytes, &key, &here) {
            accepted += 1;
        }
        count += 1;
    }
    assert!(count >= 10, "the import corpus is missing ({count} files)");
    assert!(accepted >= 5, "too few corpus files import ({accepted})");
}

/// Writes the import seeds (run once with `--ignored`; kept in git):
/// backups with colliding, huge, duplicate and malformed ids, dangling
/// links and twin records, plain and as bare bodies.
#[test]
#[ignore]
fn write_import_seeds() {
    use common_ground::core::model::{DismissedDip, Item, Record};
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/import");
    std::fs::create_dir_all(&dir).unwrap();
    let t = |secs: i64| chrono::DateTime::from_timestamp(1_700_000_000 + secs, 0).unwrap();
    let write = |name: &str, data: &Data| {
        let file = encode(data, 0, t(0), 0).unwrap().to_bytes();
        std::fs::write(dir.join(format!("seed-{name}")), &file).unwrap();
        let body = serde_json::to_vec(data).unwrap();
        std::fs::write(dir.join(format!("seed-{name}-body")), &body).unwrap();
    };
    write("empty", &Data::default());
    let record = |id: &str, secs: i64, note: &str| Record {
        id: id.into(),
        created: t(secs),
        updated: t(secs),
        body: CheckIn {
            note: note.into(),
            concerns: vec!["r3".into(), "r404".into()],
            ..Default::default()
        },
    };
    let d = Data {
        check_ins: vec![record("r1", 0, "mine 0"), record("r2", 5, "theirs")],
        concerns: vec![Record {
            id: "r3".into(),
            created: t(7),
            updated: t(7),
            body: Concern::default(),
        }],
        prepare: common_ground::core::model::PrepareState {
            agenda: vec!["r3".into(), "r404".into()],
            open: Some("r3".into()),
            ..Default::default()
        },
        insights: common_ground::core::model::InsightsState {
            dismissed: vec![DismissedDip {
                item: Item::Goals,
                start: "r2".into(),
            }],
            ..Default::default()
        },
        ..Default::default()
    };
    write("colliding", &d);
    let twins = Data {
        check_ins: vec![record("r7", 9, "twin"), record("r8", 9, "twin")],
        insights: common_ground::core::model::InsightsState {
            dismissed: vec![DismissedDip {
                item: Item::Heard,
                start: "r8".into(),
            }],
            ..Default::default()
        },
        ..Default::default()
    };
    write("twins", &twins);
    let top = Data {
        check_ins: vec![record("r999999999999999", 1, "last id")],
        next_id: u64::MAX,
        ..Default::default()
    };
    write("top-id", &top);
    let wrap = Data {
        check_ins: vec![record("r18446744073709551615", 1, "wraps")],
        ..Default::default()
    };
    write("wrapping-id", &wrap);
    let dup = Data {
        check_ins: vec![record("r4", 1, "a"), record("r4", 2, "b")],
        ..Default::default()
    };
    write("duplicate-id", &dup);
    let sealed = |name: &str, data: &Data| {
        let key =
            SealKey::create(&Passcode::new("fuzz passcode"), KdfParams::weak_for_tests()).unwrap();
        let file = encrypt(encode(data, 0, t(0), 0).unwrap(), &key)
            .unwrap()
            .to_bytes();
        std::fs::write(dir.join(format!("seed-{name}-sealed-other-key")), &file).unwrap();
    };
    sealed("colliding", &d);
}

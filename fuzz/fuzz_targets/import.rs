//! Fuzzes the whole import path: bytes → validate (`inspect_backup`,
//! `read_backup`, plain or sealed) → plan (`plan_import`) into an empty
//! store and into one whose ids collide, → size check → export again.
//! Any bytes give a typed result, never a panic; whatever is accepted
//! merges into a store with unique, well-formed ids and `next_id` above
//! all of them, imports a second time adding nothing, and its export
//! imports again.
//!
//! Each input is tried as a whole file and as the body behind a valid
//! plain header (right length and checksum), so that the fuzzer reaches
//! the JSON parser and the id checks behind the checksum. The corpus is
//! `fuzz/corpus/import/`; `tests/fuzz_corpus.rs` replays it on stable.
#![no_main]

use std::sync::OnceLock;

use common_ground::core::export::{backup, inspect_backup, plan_import, read_backup};
use common_ground::core::model::{id_number, CheckIn, Concern, Data};
use common_ground::core::size::check_fits;
use common_ground::core::store::format::{Header, CURRENT_VERSION, FORMAT_NAME};
use common_ground::core::store::{KdfParams, Passcode, SealKey};
use libfuzzer_sys::fuzz_target;

fn key() -> &'static SealKey {
    static KEY: OnceLock<SealKey> = OnceLock::new();
    KEY.get_or_init(|| {
        SealKey::create(&Passcode::new("fuzz passcode"), KdfParams { m_kib: 64, t: 1, p: 1 }).expect("key")
    })
}

/// A store whose ids (r1, r2, r3) collide with most backups'.
fn here() -> &'static Data {
    static HERE: OnceLock<Data> = OnceLock::new();
    HERE.get_or_init(|| {
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
    })
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

fn check(bytes: &[u8]) {
    let _ = inspect_backup(bytes);
    if let Ok(incoming) = read_backup(bytes, Some(key())) {
        check_merged(&Data::default(), &incoming);
        check_merged(here(), &incoming);
    }
}

fuzz_target!(|bytes: &[u8]| {
    check(bytes);
    let header = Header {
        format: FORMAT_NAME.to_owned(),
        version: CURRENT_VERSION,
        generation: 1,
        saved: chrono::DateTime::UNIX_EPOCH,
        length: bytes.len() as u64,
        crc32: crc32fast::hash(bytes),
        encryption: None,
    };
    let mut file = serde_json::to_vec(&header).expect("header encodes");
    file.push(b'\n');
    file.extend_from_slice(bytes);
    file.push(b'\n');
    check(&file);
});

//! Replays the fuzz corpus (`fuzz/corpus/load/`) on stable, making the same
//! checks as the fuzz target (`fuzz/fuzz_targets/load.rs`): a typed result,
//! never a panic; whatever loads round-trips (plain and sealed); the import
//! parser accepts or refuses it cleanly, and a second import adds nothing.

use std::path::Path;

use common_ground::core::export::{inspect_backup, plan_import, read_backup};
use common_ground::core::model::Data;
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

//! Replays the fuzz corpus (`fuzz/corpus/load/`) through the loader on
//! stable, the same check the fuzz target makes: a typed result, never a
//! panic, and whatever loads round-trips.

use std::path::Path;

use common_ground::core::store::format::{decode, encode};

#[test]
fn replay_fuzz_corpus() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/load");
    let mut count = 0;
    let mut loaded = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.is_file())
        .collect();
    entries.sort();
    for path in entries {
        let bytes = std::fs::read(&path).expect("read corpus file");
        if let Ok(decoded) = decode(&bytes) {
            let again = encode(
                &decoded.data,
                decoded.header.generation,
                decoded.header.saved,
                0,
            )
            .expect("encode");
            let round = decode(&again.to_bytes())
                .unwrap_or_else(|e| panic!("{}: re-encoded file fails: {e}", path.display()));
            assert_eq!(round.data, decoded.data, "{}", path.display());
            loaded += 1;
        }
        count += 1;
    }
    assert!(count >= 5, "the seed corpus is missing ({count} files)");
    assert!(loaded >= 1, "no corpus file loads");
}

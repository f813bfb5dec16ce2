//! Fuzzes the store loader: any bytes give a typed result, never a panic,
//! and whatever loads re-encodes and loads to the same data.
//!
//! Each input is tried twice: as a whole file, and as a body wrapped in a
//! valid header (right length and checksum), so that the fuzzer also
//! reaches the JSON parser and migrations behind the checksum.
#![no_main]

use common_ground::core::store::format::{decode, encode, Header, CURRENT_VERSION, FORMAT_NAME};
use libfuzzer_sys::fuzz_target;

fn check(bytes: &[u8]) {
    if let Ok(decoded) = decode(bytes) {
        let again = encode(
            &decoded.data,
            decoded.header.generation,
            decoded.header.saved,
            0,
        )
        .expect("loaded data encodes");
        let round = decode(&again.to_bytes()).expect("re-encoded data loads");
        assert_eq!(round.data, decoded.data);
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

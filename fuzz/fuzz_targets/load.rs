//! Fuzzes the store loader and the import parser: any bytes give a typed
//! result, never a panic; whatever loads re-encodes and loads to the same
//! data; importing it twice adds nothing the second time.
//!
//! Each input is tried three ways: as a whole file; as a body wrapped in a
//! valid plain header (right length and checksum), so that the fuzzer
//! reaches the JSON parser and migrations behind the checksum; and as
//! ciphertext behind a valid *encrypted* header (right length and
//! checksum), so that it reaches the authenticity check of a sealed body.
#![no_main]

use std::sync::OnceLock;

use common_ground::core::export::{inspect_backup, plan_import, read_backup};
use common_ground::core::model::Data;
use common_ground::core::store::format::{
    decode_with, encode, encrypt, Header, CURRENT_VERSION, FORMAT_NAME,
};
use common_ground::core::store::{KdfParams, Passcode, SealKey};
use libfuzzer_sys::fuzz_target;

fn key() -> &'static SealKey {
    static KEY: OnceLock<SealKey> = OnceLock::new();
    KEY.get_or_init(|| {
        SealKey::create(&Passcode::new("fuzz passcode"), KdfParams { m_kib: 64, t: 1, p: 1 }).expect("key")
    })
}

fn check(bytes: &[u8]) {
    for k in [None, Some(key())] {
        if let Ok(decoded) = decode_with(bytes, k) {
            let again = encode(
                &decoded.data,
                decoded.header.generation,
                decoded.header.saved,
                0,
            )
            .expect("loaded data encodes");
            let again = match k {
                Some(k) => encrypt(again, k).expect("seals"),
                None => again,
            };
            let round = decode_with(&again.to_bytes(), k).expect("re-encoded data loads");
            assert_eq!(round.data, decoded.data);
        }
    }
    let _ = inspect_backup(bytes);
    if let Ok(data) = read_backup(bytes, Some(key())) {
        let once = plan_import(&Data::default(), &data).merged;
        let twice = plan_import(&once, &data);
        assert!(twice.summary.is_empty());
        assert_eq!(twice.merged, once);
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
    // The same bytes as ciphertext behind a valid encrypted header.
    let sealed = encrypt(
        encode(&Data::default(), 1, header.saved, 0).expect("encodes"),
        key(),
    )
    .expect("seals");
    let mut h = sealed.header.clone();
    h.length = bytes.len() as u64;
    let mut crc = crc32fast::Hasher::new();
    crc.update(&h.canonical());
    crc.update(bytes);
    h.crc32 = crc.finalize();
    let mut file = serde_json::to_vec(&h).expect("header encodes");
    file.push(b'\n');
    file.extend_from_slice(bytes);
    file.push(b'\n');
    check(&file);
});

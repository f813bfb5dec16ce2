//! Encryption at rest: with a passcode on, nothing the user wrote is
//! readable in any file of the data folder (store, backups, temp files),
//! also after a crash mid-save; a wrong passcode changes nothing; a flipped
//! bit anywhere is detected and the store falls back to a good backup;
//! `check` verifies an encrypted store without the passcode.
//!
//! Tests use weak Argon2 parameters (`KdfParams::weak_for_tests`) to stay
//! fast; the format and code paths are the app's.

#[path = "weak_kdf/mod.rs"]
mod weak_kdf;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use weak_kdf::WeakForTests;

use common_ground::core::model::{CheckIn, Concern, Data};
use common_ground::core::store::format::{decode, decode_with, LoadError};
use common_ground::core::store::vfs::{FaultKind, MemFs, Vfs};
use common_ground::core::store::{
    check, check_with, key_wraps, key_wraps_with, CryptoError, FileStatus, KdfParams, Notice,
    Passcode, Restored, SealKey, Store, StoreError, PRIMARY,
};

const SECRETS: [&str; 4] = [
    "my therapist talked over me",
    "tag-avoidance",
    "Ich fühlte mich übergangen 😔",
    "SECRET-CONCERN-TEXT",
];

fn weak() -> KdfParams {
    KdfParams::weak_for_tests()
}

fn pass(s: &str) -> Passcode {
    Passcode::new(s)
}

fn add_secrets(d: &mut Data) {
    let now = chrono::Utc::now();
    let c = d.new_record(
        CheckIn {
            note: SECRETS[0].into(),
            mood: 3,
            tags: vec![SECRETS[1].into()],
            ..Default::default()
        },
        now,
    );
    d.check_ins.push(c);
    let k = d.new_record(
        Concern {
            what_happened: SECRETS[3].into(),
            feelings: vec![SECRETS[1].into()],
            would_like: SECRETS[2].into(),
            ..Default::default()
        },
        now,
    );
    d.concerns.push(k);
}

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// Every file in `dir` and the bytes in it.
fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| {
            let b = std::fs::read(&p).unwrap();
            (p, b)
        })
        .collect();
    out.sort();
    out
}

fn assert_nothing_readable(files: &[(PathBuf, Vec<u8>)]) {
    for (path, bytes) in files {
        for s in SECRETS {
            assert!(
                !contains(bytes, s),
                "{} contains {s:?} in the clear",
                path.display()
            );
        }
        // Not even in a JSON-escaped form.
        assert!(!contains(bytes, "\\u00fc"), "{}", path.display());
    }
}

fn unlock(dir: &Path, p: &str) -> Result<SealKey, CryptoError> {
    SealKey::unlock_any(&pass(p), &key_wraps(dir))
}

/// A store in a temp folder with secrets in it and a passcode on, used for
/// a while (several saves after turning it on).
fn encrypted_store() -> (tempfile::TempDir, Data) {
    let tmp = tempfile::tempdir().unwrap();
    let mut store = Store::open(tmp.path()).unwrap();
    store.update(add_secrets).unwrap();
    store
        .turn_on_passcode_with(&pass("open sesame"), weak())
        .unwrap();
    assert!(store.is_encrypted());
    store.update(add_secrets).unwrap();
    store.update_later(|d| d.check_ins[0].body.note.push_str(" (later)"));
    store.update_soon(add_secrets);
    store.flush().unwrap();
    let data = store.data().clone();
    drop(store);
    (tmp, data)
}

#[test]
fn with_a_passcode_no_text_is_readable_in_any_file() {
    let (tmp, data) = encrypted_store();
    let all = files(tmp.path());
    assert!(all.len() >= 4, "{all:?}"); // store, two backups, lock
    assert_nothing_readable(&all);
    // A plain store does show them (so the search above can fail).
    let plain = tempfile::tempdir().unwrap();
    Store::open(plain.path())
        .unwrap()
        .update(add_secrets)
        .unwrap();
    let bytes = std::fs::read(plain.path().join(PRIMARY)).unwrap();
    assert!(contains(&bytes, SECRETS[0]));
    // And it opens with the passcode, with everything in it.
    let key = unlock(tmp.path(), "open sesame").unwrap();
    let store = Store::open_unlocked(tmp.path(), key).unwrap();
    assert_eq!(store.data(), &data);
    assert!(store.is_encrypted());
}

#[test]
fn an_encrypted_store_without_the_key_is_locked_and_untouched() {
    let (tmp, _) = encrypted_store();
    let before = files(tmp.path());
    let err = Store::open(tmp.path()).unwrap_err();
    assert!(matches!(err, StoreError::Locked { .. }), "{err}");
    assert_eq!(
        unlock(tmp.path(), "open sesamE").unwrap_err(),
        CryptoError::WrongPasscode
    );
    assert_eq!(
        unlock(tmp.path(), "").unwrap_err(),
        CryptoError::WrongPasscode
    );
    assert_eq!(files(tmp.path()), before, "a failed unlock changed files");
}

#[test]
fn check_verifies_an_encrypted_store_without_the_passcode() {
    let (tmp, _) = encrypted_store();
    let report = check(tmp.path());
    assert!(report.is_healthy(), "{report}");
    for f in &report.files {
        assert!(
            matches!(f.status, FileStatus::Encrypted { .. }),
            "{:?}",
            f.status
        );
    }
    let text = report.to_string();
    assert!(text.contains("encrypted"), "{text}");
    assert!(text.contains("not read without the passcode"), "{text}");
    // Damage is still found.
    let path = tmp.path().join(PRIMARY);
    let mut bytes = std::fs::read(&path).unwrap();
    let n = bytes.len();
    bytes[n - 10] ^= 0x01;
    std::fs::write(&path, &bytes).unwrap();
    let report = check(tmp.path());
    assert!(!report.is_healthy());
    assert!(matches!(
        report.files[0].status,
        FileStatus::Bad(LoadError::ChecksumMismatch { .. })
    ));
}

#[test]
fn a_flipped_bit_anywhere_is_detected() {
    let (tmp, data) = encrypted_store();
    let key = unlock(tmp.path(), "open sesame").unwrap();
    let good = std::fs::read(tmp.path().join(PRIMARY)).unwrap();
    assert_eq!(decode_with(&good, Some(&key)).unwrap().data, data);
    assert_eq!(decode(&good).unwrap_err(), LoadError::Locked);
    let header_len = good.iter().position(|&b| b == b'\n').unwrap() + 1;
    // Every bit of the header, and a spread of bits across the ciphertext.
    let mut positions: Vec<usize> = (0..header_len).collect();
    positions.extend((header_len..good.len()).step_by(7));
    positions.push(good.len() - 1);
    for pos in positions {
        for bit in 0..8 {
            let mut bad = good.clone();
            bad[pos] ^= 1 << bit;
            let r = decode_with(&bad, Some(&key));
            assert!(r.is_err(), "flip at byte {pos} bit {bit} went unnoticed");
        }
    }
}

#[test]
fn sealed_body_altered_with_a_fixed_checksum_is_tampering() {
    let (tmp, _) = encrypted_store();
    let key = unlock(tmp.path(), "open sesame").unwrap();
    let good = std::fs::read(tmp.path().join(PRIMARY)).unwrap();
    let nl = good.iter().position(|&b| b == b'\n').unwrap();
    let mut header: common_ground::core::store::format::Header =
        serde_json::from_slice(&good[..nl]).unwrap();
    let mut body = good[nl + 1..good.len() - 1].to_vec();
    body[5] ^= 0x40;
    let mut h = crc32fast::Hasher::new();
    h.update(&header.canonical());
    h.update(&body);
    header.crc32 = h.finalize();
    let mut file = serde_json::to_vec(&header).unwrap();
    file.push(b'\n');
    file.extend_from_slice(&body);
    file.push(b'\n');
    assert_eq!(
        decode_with(&file, Some(&key)).unwrap_err(),
        LoadError::Tampered
    );
}

#[test]
fn a_damaged_encrypted_store_falls_back_to_a_backup() {
    let (tmp, data) = encrypted_store();
    let path = tmp.path().join(PRIMARY);
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[40] ^= 0x04;
    std::fs::write(&path, &bytes).unwrap();
    // Locked first: nothing is moved aside without the key.
    assert!(matches!(
        Store::open(tmp.path()),
        Err(StoreError::Locked { .. })
    ));
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
    let key = unlock(tmp.path(), "open sesame").unwrap();
    let store = Store::open_unlocked(tmp.path(), key).unwrap();
    assert!(store.notices().iter().any(|n| matches!(
        n,
        Notice::Repaired {
            restored: Restored::FromBackup { .. },
            ..
        }
    )));
    // The backup holds the generation before the last save.
    assert_eq!(store.data().concerns.len(), data.concerns.len() - 1);
    assert!(store.is_encrypted());
    drop(store);
    assert_nothing_readable(&files(tmp.path()));
}

#[test]
fn change_passcode_rewraps_every_generation() {
    let (tmp, data) = encrypted_store();
    let key = unlock(tmp.path(), "open sesame").unwrap();
    let mut store = Store::open_unlocked(tmp.path(), key).unwrap();
    let before = files(tmp.path());
    let err = store
        .change_passcode_with(&pass("wrong"), &pass("new one"), weak())
        .unwrap_err();
    assert!(matches!(
        err,
        StoreError::Crypto(CryptoError::WrongPasscode)
    ));
    assert_eq!(files(tmp.path()), before, "a wrong passcode changed files");
    store
        .change_passcode_with(&pass("open sesame"), &pass("new one"), weak())
        .unwrap();
    drop(store);
    assert_eq!(
        key_wraps(tmp.path()).len(),
        1,
        "all three carry the new wrap"
    );
    assert_eq!(
        unlock(tmp.path(), "open sesame").unwrap_err(),
        CryptoError::WrongPasscode
    );
    let store = Store::open_unlocked(tmp.path(), unlock(tmp.path(), "new one").unwrap()).unwrap();
    assert_eq!(store.data(), &data);
    drop(store);
    assert_nothing_readable(&files(tmp.path()));
}

#[test]
fn turn_off_needs_the_passcode_then_decrypts_everything() {
    let (tmp, data) = encrypted_store();
    let key = unlock(tmp.path(), "open sesame").unwrap();
    let mut store = Store::open_unlocked(tmp.path(), key).unwrap();
    let before = files(tmp.path());
    assert!(matches!(
        store.turn_off_passcode(&pass("nope")),
        Err(StoreError::Crypto(CryptoError::WrongPasscode))
    ));
    assert_eq!(files(tmp.path()), before);
    assert!(store.is_encrypted());
    store.turn_off_passcode(&pass("open sesame")).unwrap();
    assert!(!store.is_encrypted());
    drop(store);
    assert!(key_wraps(tmp.path()).is_empty(), "a backup is still sealed");
    let store = Store::open(tmp.path()).unwrap();
    assert_eq!(store.data(), &data);
}

#[test]
fn turning_on_leaves_no_plain_backup() {
    let tmp = tempfile::tempdir().unwrap();
    let mut store = Store::open(tmp.path()).unwrap();
    for _ in 0..3 {
        store.update(add_secrets).unwrap();
    }
    assert!(contains(
        &std::fs::read(tmp.path().join("store.bak2.json")).unwrap(),
        SECRETS[0]
    ));
    store
        .turn_on_passcode_with(&pass("pw-123456"), weak())
        .unwrap();
    drop(store);
    assert_nothing_readable(&files(tmp.path()));
}

// ------------------------------------------------------ crashes (MemFs)

const DIR: &str = "/data/cg";

fn mem_files(fs: &MemFs) -> Vec<(PathBuf, Vec<u8>)> {
    fs.paths()
        .into_iter()
        .filter_map(|p| fs.get(&p).map(|b| (p, b)))
        .collect()
}

fn mem_open(fs: &MemFs, key: Option<SealKey>) -> Result<Store, StoreError> {
    Store::open_with_key(Path::new(DIR), Arc::new(fs.clone()) as Arc<dyn Vfs>, key)
}

fn mem_unlock(fs: &MemFs) -> SealKey {
    SealKey::unlock_any(&pass("pw-123456"), &key_wraps_with(Path::new(DIR), fs)).expect("unlock")
}

/// A crash (power loss, torn writes, or a kill) at every step of a save
/// with a passcode on: the store opens with the passcode, holds the last
/// acknowledged data, and no file in the folder (temp files included)
/// holds readable text.
#[test]
fn a_crash_mid_save_leaves_nothing_readable() {
    let setup = || {
        let fs = MemFs::new();
        let mut store = mem_open(&fs, None).unwrap();
        store
            .turn_on_passcode_with(&pass("pw-123456"), weak())
            .unwrap();
        store.update(add_secrets).unwrap();
        store.update(add_secrets).unwrap();
        let acked = store.data().clone();
        (fs, store, acked)
    };
    let steps = {
        let (fs, mut store, _) = setup();
        fs.reset_steps();
        store.update(add_secrets).unwrap();
        fs.steps()
    };
    assert!(steps >= 5);
    for step in 0..steps {
        for mode in 0..4 {
            let (fs, mut store, acked) = setup();
            fs.reset_steps();
            fs.inject(
                step,
                if mode == 3 {
                    FaultKind::Fail
                } else {
                    FaultKind::PowerLoss
                },
            );
            let _ = store.update(add_secrets);
            // The files as the crash left them, temp files included.
            assert_nothing_readable(&mem_files(&fs));
            // With the device off, dropping writes nothing (as if killed).
            drop(store);
            match mode {
                0 => fs.power_cycle(),
                1 => fs.power_cycle_torn(),
                2 => fs.restart_after_kill(),
                _ => {}
            }
            assert_nothing_readable(&mem_files(&fs));
            assert!(matches!(
                mem_open(&fs, None),
                Err(StoreError::Locked { .. })
            ));
            let store = mem_open(&fs, Some(mem_unlock(&fs))).expect("opens after the crash");
            assert!(
                store.data().concerns.len() >= acked.concerns.len(),
                "step {step} mode {mode}: lost an acknowledged save"
            );
            assert!(store.is_encrypted());
            drop(store);
            assert_nothing_readable(&mem_files(&fs));
            for f in check_with(Path::new(DIR), &fs).files {
                assert!(
                    !matches!(f.status, FileStatus::Good { .. }),
                    "step {step} mode {mode}: {} is plain",
                    f.path.display()
                );
            }
        }
    }
}

/// A crash at every step of turning the passcode on: the store opens (with
/// the passcode once any sealed generation exists, without it before) and
/// holds the data.
#[test]
fn a_crash_while_turning_the_passcode_on_loses_nothing() {
    let setup = || {
        let fs = MemFs::new();
        let mut store = mem_open(&fs, None).unwrap();
        store.update(add_secrets).unwrap();
        let acked = store.data().clone();
        (fs, store, acked)
    };
    let steps = {
        let (fs, mut store, _) = setup();
        fs.reset_steps();
        store
            .turn_on_passcode_with(&pass("pw-123456"), weak())
            .unwrap();
        fs.steps()
    };
    for step in 0..steps {
        let (fs, mut store, acked) = setup();
        fs.reset_steps();
        fs.inject(step, FaultKind::PowerLoss);
        let _ = store.turn_on_passcode_with(&pass("pw-123456"), weak());
        drop(store);
        fs.power_cycle();
        let store = match mem_open(&fs, None) {
            Ok(s) => s,
            Err(StoreError::Locked { .. }) => mem_open(&fs, Some(mem_unlock(&fs))).unwrap(),
            Err(e) => panic!("step {step}: {e}"),
        };
        assert_eq!(store.data(), &acked, "step {step}");
    }
}

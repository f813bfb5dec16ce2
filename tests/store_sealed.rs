//! Encryption cannot be switched off from outside the app: a plain file
//! put into a sealed folder never opens it, a passcode change leaves the
//! old passcode (and an old copy) opening nothing new, turning the passcode
//! on leaves no plaintext behind, guessing is slow and stays slow across
//! restarts, and hostile Argon2 settings cannot slow unlocking.
//!
//! Tests use weak Argon2 parameters (`KdfParams::weak_for_tests`) to stay
//! fast; the format and code paths are the app's.

#[path = "weak_kdf/mod.rs"]
mod weak_kdf;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use weak_kdf::WeakForTests;

use common_ground::core::model::{CheckIn, Data};
use common_ground::core::store::format::{decode_with, Header, LoadError};
use common_ground::core::store::vfs::{FaultKind, MemFs, Vfs};
use common_ground::core::store::{
    check, key_wraps, key_wraps_with, CryptoError, KdfParams, Passcode, SealKey, Store, StoreError,
    BACKUP_1, BACKUP_2, MOVED_ASIDE_MARKER, PRIMARY,
};

const SECRET: &str = "what I could not say in session";
const PLANTED: &str = "planted by someone else";
const PASS: &str = "open sesame";

fn weak() -> KdfParams {
    KdfParams::weak_for_tests()
}

fn pass(s: &str) -> Passcode {
    Passcode::new(s)
}

fn add_note(d: &mut Data, text: &str) {
    let c = d.new_record(
        CheckIn {
            note: text.into(),
            mood: 4,
            ..Default::default()
        },
        chrono::Utc::now(),
    );
    d.check_ins.push(c);
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

/// The files of `dir` that hold `text` in the clear.
fn holding(dir: &Path, text: &str) -> Vec<PathBuf> {
    files(dir)
        .into_iter()
        .filter(|(_, b)| contains(b, text))
        .map(|(p, _)| p)
        .collect()
}

fn header(bytes: &[u8]) -> Header {
    let nl = bytes.iter().position(|&b| b == b'\n').unwrap();
    serde_json::from_slice(&bytes[..nl]).unwrap()
}

fn unlock(dir: &Path, p: &str) -> Result<SealKey, CryptoError> {
    SealKey::unlock_any(&pass(p), &key_wraps(dir))
}

/// A sealed store holding `SECRET`, saved a few times after turning on.
fn sealed_store() -> (tempfile::TempDir, Data) {
    let tmp = tempfile::tempdir().unwrap();
    let mut store = Store::open(tmp.path()).unwrap();
    store.update(|d| add_note(d, SECRET)).unwrap();
    store.turn_on_passcode_with(&pass(PASS), weak()).unwrap();
    store.update(|d| add_note(d, "second")).unwrap();
    store.update(|d| add_note(d, "third")).unwrap();
    let data = store.data().clone();
    drop(store);
    (tmp, data)
}

/// The bytes of a plain store file holding `PLANTED`, written by a plain
/// store elsewhere (what someone with access to the folder could make).
fn plain_store_file() -> Vec<u8> {
    let tmp = tempfile::tempdir().unwrap();
    let mut store = Store::open(tmp.path()).unwrap();
    store.update(|d| add_note(d, PLANTED)).unwrap();
    drop(store);
    std::fs::read(tmp.path().join(PRIMARY)).unwrap()
}

fn moved_aside(dir: &Path) -> Vec<PathBuf> {
    files(dir)
        .into_iter()
        .map(|(p, _)| p)
        .filter(|p| p.to_string_lossy().contains(MOVED_ASIDE_MARKER))
        .collect()
}

#[test]
fn a_plain_store_file_planted_in_a_sealed_folder_never_opens_it() {
    let (tmp, data) = sealed_store();
    let dir = tmp.path();
    let planted = plain_store_file();
    std::fs::write(dir.join(PRIMARY), &planted).unwrap();

    // Without the passcode: locked, nothing touched.
    let before = files(dir);
    let err = Store::open(dir).unwrap_err();
    assert!(matches!(err, StoreError::Locked { .. }), "{err}");
    assert_eq!(files(dir), before, "a locked open changed files");

    // `check` reports the mix and fails.
    let report = check(dir);
    assert!(!report.is_healthy(), "{report}");
    assert!(report.to_string().contains("not encrypted"), "{report}");

    // With the passcode: the plain file is set aside unchanged and never
    // loaded; the data comes from the newest sealed generation.
    let store = Store::open_unlocked(dir, unlock(dir, PASS).unwrap()).unwrap();
    assert!(store.is_encrypted());
    assert!(
        store
            .data()
            .check_ins
            .iter()
            .all(|c| c.body.note != PLANTED),
        "the planted file was loaded"
    );
    assert_eq!(store.data().check_ins.len(), data.check_ins.len() - 1);
    let aside = moved_aside(dir);
    assert_eq!(aside.len(), 1, "{aside:?}");
    assert_eq!(std::fs::read(&aside[0]).unwrap(), planted, "bytes changed");
    drop(store);

    // Saves never rotate a plain file over the sealed history.
    let mut store = Store::open_unlocked(dir, unlock(dir, PASS).unwrap()).unwrap();
    store.update(|d| add_note(d, "after")).unwrap();
    store.update(|d| add_note(d, "after again")).unwrap();
    drop(store);
    for name in [PRIMARY, BACKUP_1, BACKUP_2] {
        let bytes = std::fs::read(dir.join(name)).unwrap();
        assert!(header(&bytes).is_encrypted(), "{name} is plain");
    }
}

#[test]
fn plain_files_in_every_generation_of_a_sealed_folder_do_not_open_it() {
    let (tmp, _) = sealed_store();
    let dir = tmp.path();
    let planted = plain_store_file();
    for name in [PRIMARY, BACKUP_1, BACKUP_2] {
        std::fs::write(dir.join(name), &planted).unwrap();
    }
    let err = Store::open(dir).unwrap_err();
    assert!(matches!(err, StoreError::Locked { .. }), "{err}");
    assert!(!check(dir).is_healthy());
}

#[test]
fn a_plain_header_beside_sealed_backups_is_refused_even_when_damaged_backups() {
    // The sealed backups themselves are damaged: their headers still say
    // the folder is sealed.
    let (tmp, _) = sealed_store();
    let dir = tmp.path();
    for name in [BACKUP_1, BACKUP_2] {
        let path = dir.join(name);
        let mut bytes = std::fs::read(&path).unwrap();
        let n = bytes.len();
        bytes[n - 5] ^= 0x10;
        std::fs::write(&path, bytes).unwrap();
    }
    std::fs::write(dir.join(PRIMARY), plain_store_file()).unwrap();
    let err = Store::open(dir).unwrap_err();
    assert!(matches!(err, StoreError::Locked { .. }), "{err}");
    assert!(!check(dir).is_healthy());
}

#[test]
fn changing_the_passcode_makes_a_new_data_key() {
    let (tmp, _) = sealed_store();
    let dir = tmp.path();
    // An old sealed copy, kept by someone who knows the old passcode.
    let old_copy = std::fs::read(dir.join(PRIMARY)).unwrap();
    let old_key = SealKey::unlock(&pass(PASS), &header(&old_copy).encryption.unwrap().key)
        .expect("the old passcode opens the old copy");

    let mut store = Store::open_unlocked(dir, unlock(dir, PASS).unwrap()).unwrap();
    store
        .change_passcode_with(&pass(PASS), &pass("a new passcode"), weak())
        .unwrap();
    store
        .update(|d| add_note(d, "written after the change"))
        .unwrap();
    drop(store);

    for name in [PRIMARY, BACKUP_1, BACKUP_2] {
        let bytes = std::fs::read(dir.join(name)).unwrap();
        assert!(
            decode_with(&bytes, Some(&old_key)).is_err(),
            "the old data key opens {name} after a change"
        );
        let wrap = header(&bytes).encryption.unwrap().key;
        assert_ne!(wrap.key_id, old_key.wrap().key_id, "{name}");
    }
    assert!(unlock(dir, PASS).is_err());
    let store = Store::open_unlocked(dir, unlock(dir, "a new passcode").unwrap()).unwrap();
    assert!(store
        .data()
        .check_ins
        .iter()
        .any(|c| c.body.note == "written after the change"));
}

#[test]
fn a_one_character_passcode_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let mut store = Store::open(tmp.path()).unwrap();
    assert!(store.turn_on_passcode_with(&pass("a"), weak()).is_err());
    assert!(store.turn_on_passcode_with(&pass("12345"), weak()).is_err());
    assert!(!store.is_encrypted());
    // Six characters (not bytes) are enough; no other rules.
    store
        .turn_on_passcode_with(&pass("ääääää"), weak())
        .unwrap();
    assert!(store.is_encrypted());
}

#[test]
fn a_failed_turn_on_is_finished_by_the_retry_leaving_no_plain_backup() {
    const DIR: &str = "/data/cg";
    let fs = MemFs::new();
    let vfs = || Arc::new(fs.clone()) as Arc<dyn Vfs>;
    let mut store = Store::open_with_key(Path::new(DIR), vfs(), None).unwrap();
    for text in [SECRET, "two", "three"] {
        store.update(|d| add_note(d, text)).unwrap();
    }
    // Count the steps of a turn-on, then fail one in the second save.
    let steps = {
        let probe = MemFs::new();
        let mut s = Store::open_with_key(
            Path::new(DIR),
            Arc::new(probe.clone()) as Arc<dyn Vfs>,
            None,
        )
        .unwrap();
        s.update(|d| add_note(d, SECRET)).unwrap();
        probe.reset_steps();
        s.turn_on_passcode_with(&pass(PASS), weak()).unwrap();
        probe.steps()
    };
    fs.reset_steps();
    fs.inject(steps / 2, FaultKind::Fail);
    assert!(store.turn_on_passcode_with(&pass(PASS), weak()).is_err());
    // The retry (here: the flush on exit) completes the protection.
    store.flush().unwrap();
    drop(store);
    for (path, bytes) in fs
        .paths()
        .into_iter()
        .filter_map(|p| fs.get(&p).map(|b| (p, b)))
    {
        assert!(
            !contains(&bytes, SECRET),
            "{} holds the note in the clear after turning on",
            path.display()
        );
    }
    let key = SealKey::unlock_any(&pass(PASS), &key_wraps_with(Path::new(DIR), &fs)).unwrap();
    let store = Store::open_with_key(Path::new(DIR), vfs(), Some(key)).unwrap();
    assert_eq!(store.data().check_ins.len(), 3);
}

#[test]
fn after_turning_on_check_reports_plaintext_set_aside_earlier() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let mut store = Store::open(dir).unwrap();
    for text in [SECRET, "two", "three"] {
        store.update(|d| add_note(d, text)).unwrap();
    }
    drop(store);
    // Damage the oldest backup: it is set aside (plain) at the next open.
    let path = dir.join(BACKUP_2);
    let mut bytes = std::fs::read(&path).unwrap();
    let n = bytes.len();
    bytes[n - 3] ^= 0x01;
    std::fs::write(&path, bytes).unwrap();
    let mut store = Store::open(dir).unwrap();
    assert_eq!(moved_aside(dir).len(), 1);
    store.turn_on_passcode_with(&pass(PASS), weak()).unwrap();
    drop(store);
    let report = check(dir);
    assert!(!report.is_healthy(), "{report}");
    assert!(report.to_string().contains("not encrypted"), "{report}");
}

#[test]
fn a_planted_backup_with_huge_argon2_settings_is_never_tried_first() {
    let (tmp, _) = sealed_store();
    let dir = tmp.path();
    let current = header(&std::fs::read(dir.join(PRIMARY)).unwrap())
        .encryption
        .unwrap()
        .key;
    // A backup whose wrap claims 1 GiB and 16 passes, with a generation
    // far in the future so that it looks newest.
    let path = dir.join(BACKUP_2);
    let bytes = std::fs::read(&path).unwrap();
    let nl = bytes.iter().position(|&b| b == b'\n').unwrap();
    let mut h = header(&bytes);
    h.generation = 1_000_000;
    let sealing = h.encryption.as_mut().unwrap();
    sealing.key.params = KdfParams {
        m_kib: 1024 * 1024,
        t: 16,
        p: 1,
    };
    let body = &bytes[nl + 1..bytes.len() - 1];
    let mut crc = crc32fast::Hasher::new();
    crc.update(&h.canonical());
    crc.update(body);
    h.crc32 = crc.finalize();
    let mut planted = serde_json::to_vec(&h).unwrap();
    planted.push(b'\n');
    planted.extend_from_slice(body);
    planted.push(b'\n');
    std::fs::write(&path, planted).unwrap();

    let wraps = key_wraps(dir);
    assert_eq!(wraps.first(), Some(&current), "the current wrap goes first");
    assert!(
        wraps
            .iter()
            .all(|w| w.params.m_kib <= 256 * 1024 && w.params.t <= 10),
        "a wrap above the ceiling is offered: {wraps:?}"
    );
    let err = SealKey::unlock(&pass(PASS), &h.encryption.unwrap().key).unwrap_err();
    assert_eq!(err, CryptoError::BadParameters);
    assert!(matches!(
        check(dir).files[2].status,
        common_ground::core::store::FileStatus::Bad(LoadError::BadHeader { .. })
    ));
}

#[test]
fn turning_the_passcode_on_then_off_and_changing_leaves_no_stale_material() {
    let (tmp, _) = sealed_store();
    let dir = tmp.path();
    assert!(holding(dir, SECRET).is_empty());
    let old_wrap = key_wraps(dir)[0].clone();
    let mut store = Store::open_unlocked(dir, unlock(dir, PASS).unwrap()).unwrap();
    store
        .change_passcode_with(&pass(PASS), &pass("second passcode"), weak())
        .unwrap();
    drop(store);
    assert!(holding(dir, SECRET).is_empty());
    let old_salt = serde_json::to_string(&old_wrap.salt).unwrap();
    let old_id = serde_json::to_string(&old_wrap.key_id).unwrap();
    for (path, bytes) in files(dir) {
        assert!(
            !contains(&bytes, old_salt.trim_matches('"'))
                && !contains(&bytes, old_id.trim_matches('"')),
            "{} still holds the old key's wrap",
            path.display()
        );
    }
    let mut store = Store::open_unlocked(dir, unlock(dir, "second passcode").unwrap()).unwrap();
    store.turn_off_passcode(&pass("second passcode")).unwrap();
    drop(store);
    for (path, bytes) in files(dir) {
        assert!(
            !contains(&bytes, "\"encryption\""),
            "{} is still sealed after turning off",
            path.display()
        );
    }
    assert!(check(dir).is_healthy(), "{}", check(dir));
}

// ------------------------------------------------- guessing is slow

#[test]
fn the_wrong_passcode_wait_is_kept_on_disk() {
    use common_ground::core::store::sealed::{self, unlock_with, wait_after, TRIES};
    let (tmp, _) = sealed_store();
    let dir = tmp.path();
    let now = chrono::Utc::now();
    let fs = common_ground::core::store::RealFs;
    for n in 1..=sealed::FREE_TRIES {
        let err = unlock_with(&fs, dir, &pass("not it at all"), weak(), now).unwrap_err();
        assert_eq!(err, CryptoError::WrongPasscode, "try {n}");
    }
    assert!(dir.join(TRIES).exists());
    // A new process (nothing in memory) waits too, even with the right
    // passcode, and runs no Argon2 meanwhile.
    let err = unlock_with(&fs, dir, &pass(PASS), weak(), now).unwrap_err();
    assert_eq!(
        err,
        CryptoError::Wait {
            seconds: wait_after(3)
        }
    );
    assert_eq!(sealed::wait_left(&fs, dir, now), 5);
    assert!(err.to_string().contains("5 seconds"), "{err}");
    // After the wait, the right passcode opens and the count is forgotten.
    let later = now + chrono::Duration::seconds(6);
    unlock_with(&fs, dir, &pass(PASS), weak(), later).unwrap();
    assert!(!dir.join(TRIES).exists());
    // A clock turned back does not lock anyone out for long.
    for _ in 0..4 {
        let _ = unlock_with(&fs, dir, &pass("nope nope"), weak(), later);
    }
    assert!(sealed::wait_left(&fs, dir, later) > 0);
    assert_eq!(
        sealed::wait_left(&fs, dir, later - chrono::Duration::days(1)),
        0
    );
    // A damaged count file still counts (no free reset), never locks out.
    std::fs::write(dir.join(TRIES), b"garbage").unwrap();
    assert_eq!(sealed::wait_left(&fs, dir, later), 0);
    let err = unlock_with(&fs, dir, &pass("still wrong"), weak(), later).unwrap_err();
    assert_eq!(err, CryptoError::WrongPasscode);
    assert_eq!(sealed::wait_left(&fs, dir, later), wait_after(4));
    // The wait file holds no secret and no note.
    assert!(!contains(&std::fs::read(dir.join(TRIES)).unwrap(), SECRET));
}

#[test]
fn weak_parameters_are_upgraded_at_the_next_save_after_unlocking() {
    let weaker = KdfParams {
        m_kib: 32,
        t: 1,
        p: 1,
    };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let mut store = Store::open(dir).unwrap();
    store.update(|d| add_note(d, SECRET)).unwrap();
    store.turn_on_passcode_with(&pass(PASS), weaker).unwrap();
    drop(store);
    let params_of = |name: &str| {
        header(&std::fs::read(dir.join(name)).unwrap())
            .encryption
            .unwrap()
            .key
            .params
    };
    assert_eq!(params_of(PRIMARY), weaker);
    let key = common_ground::core::store::unlock(dir, &pass(PASS), weak()).unwrap();
    assert_eq!(key.wrap().params, weak());
    let mut store = Store::open_unlocked(dir, key).unwrap();
    store.update(|d| add_note(d, "next")).unwrap();
    drop(store);
    assert_eq!(params_of(PRIMARY), weak());
    // Still one data key: the older generations open with it too.
    let key = common_ground::core::store::unlock(dir, &pass(PASS), weak()).unwrap();
    for name in [PRIMARY, BACKUP_1] {
        assert!(decode_with(&std::fs::read(dir.join(name)).unwrap(), Some(&key)).is_ok());
    }
}

// ------------------------------------------------- no plaintext left

/// A plain store whose oldest backup was damaged (so it is set aside,
/// plain, at the next open), then the passcode turned on.
fn sealed_with_plain_leftover() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let mut store = Store::open(dir).unwrap();
    for text in [SECRET, "two", "three"] {
        store.update(|d| add_note(d, text)).unwrap();
    }
    drop(store);
    let path = dir.join(BACKUP_2);
    let mut bytes = std::fs::read(&path).unwrap();
    let n = bytes.len();
    bytes[n - 3] ^= 0x01;
    std::fs::write(&path, bytes).unwrap();
    let mut store = Store::open(dir).unwrap();
    assert!(store.plain_files().is_empty(), "listed without a passcode");
    store.turn_on_passcode_with(&pass(PASS), weak()).unwrap();
    tmp
}

#[test]
fn plain_leftovers_are_listed_and_can_be_deleted() {
    let tmp = sealed_with_plain_leftover();
    let dir = tmp.path();
    // The only file still holding the note is the one set aside.
    let aside = moved_aside(dir);
    assert_eq!(holding(dir, SECRET), aside);
    let mut store = Store::open_unlocked(dir, unlock(dir, PASS).unwrap()).unwrap();
    let listed: Vec<_> = store.plain_files().iter().map(|f| f.path.clone()).collect();
    assert_eq!(listed, aside);
    assert!(!store.plain_files()[0].kept);
    assert_eq!(store.delete_plain_files().unwrap(), 1);
    assert!(store.plain_files().is_empty());
    drop(store);
    assert!(
        holding(dir, SECRET).is_empty(),
        "{:?}",
        holding(dir, SECRET)
    );
    let report = check(dir);
    assert!(report.is_healthy(), "{report}");
}

#[test]
fn plain_leftovers_can_be_kept_knowingly() {
    let tmp = sealed_with_plain_leftover();
    let dir = tmp.path();
    let mut store = Store::open_unlocked(dir, unlock(dir, PASS).unwrap()).unwrap();
    store.keep_plain_files().unwrap();
    assert!(store.plain_files()[0].kept);
    drop(store);
    // Remembered after a restart, and `check` notes it without failing.
    let store = Store::open_unlocked(dir, unlock(dir, PASS).unwrap()).unwrap();
    assert!(store.plain_files()[0].kept);
    drop(store);
    let report = check(dir);
    assert!(report.is_healthy(), "{report}");
    assert!(report.to_string().contains("kept by choice, not encrypted"));
    // A new plain file is not covered by the old choice.
    std::fs::write(dir.join("notes.txt"), SECRET).unwrap();
    assert!(!check(dir).is_healthy());
}

#[test]
fn the_marker_alone_keeps_the_folder_sealed() {
    use common_ground::core::store::sealed::MARKER;
    let (tmp, data) = sealed_store();
    let dir = tmp.path();
    assert!(dir.join(MARKER).exists(), "no marker after turning on");
    assert!(!contains(&std::fs::read(dir.join(MARKER)).unwrap(), SECRET));
    // Every generation removed and one plain file put in: still locked,
    // and the marker's wrap checks the passcode.
    for name in [PRIMARY, BACKUP_1, BACKUP_2] {
        std::fs::remove_file(dir.join(name)).unwrap();
    }
    std::fs::write(dir.join(PRIMARY), plain_store_file()).unwrap();
    assert!(matches!(Store::open(dir), Err(StoreError::Locked { .. })));
    assert!(!check(dir).is_healthy());
    assert_eq!(
        unlock(dir, "wrong passcode").unwrap_err(),
        CryptoError::WrongPasscode
    );
    let store = Store::open_unlocked(dir, unlock(dir, PASS).unwrap()).unwrap();
    assert!(store.is_encrypted());
    assert!(store.data().check_ins.is_empty(), "the planted file loaded");
    assert!(data.check_ins.len() == 3);
    drop(store);
    // A damaged marker still says sealed.
    std::fs::write(dir.join(MARKER), b"{not json").unwrap();
    for name in [PRIMARY, BACKUP_1, BACKUP_2] {
        let _ = std::fs::remove_file(dir.join(name));
    }
    std::fs::write(dir.join(PRIMARY), plain_store_file()).unwrap();
    assert!(matches!(Store::open(dir), Err(StoreError::Locked { .. })));
}

// ------------------------------------------- crashes mid-change or off

const MEM_DIR: &str = "/data/cg";

fn mem_open(fs: &MemFs, key: Option<SealKey>) -> Result<Store, StoreError> {
    Store::open_with_key(
        Path::new(MEM_DIR),
        Arc::new(fs.clone()) as Arc<dyn Vfs>,
        key,
    )
}

fn mem_unlock(fs: &MemFs, p: &str) -> Result<SealKey, CryptoError> {
    SealKey::unlock_any(&pass(p), &key_wraps_with(Path::new(MEM_DIR), fs))
}

fn mem_sealed() -> (MemFs, Store, Data) {
    let fs = MemFs::new();
    let mut store = mem_open(&fs, None).unwrap();
    store.update(|d| add_note(d, SECRET)).unwrap();
    store.turn_on_passcode_with(&pass(PASS), weak()).unwrap();
    store.update(|d| add_note(d, "two")).unwrap();
    let data = store.data().clone();
    (fs, store, data)
}

/// A power cut at every step of a change or of turning the passcode off:
/// the store opens (with the old passcode, the new one, or none when off
/// had finished) and holds the data.
#[test]
fn a_crash_while_changing_or_turning_off_loses_nothing() {
    for off in [false, true] {
        let steps = {
            let (fs, mut store, _) = mem_sealed();
            fs.reset_steps();
            if off {
                store.turn_off_passcode(&pass(PASS)).unwrap();
            } else {
                store
                    .change_passcode_with(&pass(PASS), &pass("new passcode"), weak())
                    .unwrap();
            }
            fs.steps()
        };
        for step in 0..=steps {
            let (fs, mut store, acked) = mem_sealed();
            fs.reset_steps();
            fs.inject(step, FaultKind::PowerLoss);
            let _ = if off {
                store.turn_off_passcode(&pass(PASS))
            } else {
                store.change_passcode_with(&pass(PASS), &pass("new passcode"), weak())
            };
            drop(store);
            fs.power_cycle();
            let opened =
                match mem_open(&fs, None) {
                    Ok(s) => vec![s],
                    Err(StoreError::Locked { .. }) => {
                        // Whichever passcode the user believes is on opens it.
                        let mut v = Vec::new();
                        for p in [PASS, "new passcode"] {
                            if let Ok(k) = mem_unlock(&fs, p) {
                                v.push(mem_open(&fs, Some(k)).unwrap_or_else(|e| {
                                    panic!("off={off} step {step} with {p}: {e}")
                                }));
                                break;
                            }
                        }
                        assert!(!v.is_empty(), "off={off} step {step}: no passcode opens it");
                        v
                    }
                    Err(e) => panic!("off={off} step {step}: {e}"),
                };
            for s in opened {
                assert_eq!(s.data(), &acked, "off={off} step {step}");
            }
        }
    }
}

#[test]
fn the_command_line_waits_too() {
    use common_ground::commands::{open_store, Ask, CommandError};
    let (tmp, _) = sealed_store();
    let dir = tmp.path();
    let mut asked = 0;
    for _ in 0..3 {
        let err = open_store(dir, &mut |_: Ask| {
            asked += 1;
            Ok(pass("a wrong guess"))
        })
        .unwrap_err();
        assert!(
            matches!(err, CommandError::Crypto(CryptoError::WrongPasscode)),
            "{err}"
        );
    }
    assert_eq!(asked, 3);
    // The next run is refused at once, without asking or trying.
    let err = open_store(dir, &mut |_: Ask| -> std::io::Result<Passcode> {
        panic!("asked for a passcode during the wait")
    })
    .unwrap_err();
    assert!(
        matches!(err, CommandError::Crypto(CryptoError::Wait { .. })),
        "{err}"
    );
    assert!(err.to_string().contains("try again in"), "{err}");
}

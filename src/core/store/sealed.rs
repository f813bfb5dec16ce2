//! What keeps a sealed store sealed, outside the sealed files themselves:
//!
//! * the **marker** `sealed.json`: while it exists the folder's store is
//!   sealed, whatever the generation files say. It holds the current key
//!   wrap (nothing secret) and the names of plain files the user chose to
//!   keep. Written after the first save under a new passcode, removed
//!   before the first plain save when the passcode is turned off;
//! * the **wrong-passcode wait** `unlock-tries.json`: the number of wrong
//!   passcodes in a row and the time of the next allowed try, on disk so
//!   that a restart or the command line waits too;
//! * [`unlock`]: the one way the app and the command line turn a passcode
//!   into a data key (wait, current wrap first, weak parameters upgraded);
//! * [`plain_files`]: files in a sealed folder that hold plain text.
//!
//! Both side files are written atomically (temp file, fsync, rename, fsync
//! of the folder). A damaged marker still counts as "sealed".

use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration as ChronoDuration, Utc};
use serde::{Deserialize, Serialize};

use super::crypto::{CryptoError, KdfParams, KeyWrap, Passcode, SealKey};
use super::format::{claims_sealed, MAX_FILE_BYTES};
use super::vfs::{RealFs, Vfs, LOCK_NAME, TEMP_PREFIX};
use super::{key_wraps_with, GENERATION_FILES, MOVED_ASIDE_MARKER, SET_ASIDE_PREFIX};

/// The marker of a sealed folder.
pub const MARKER: &str = "sealed.json";
/// The wrong-passcode count and wait.
pub const TRIES: &str = "unlock-tries.json";
/// The `format` field of the marker.
const MARKER_FORMAT: &str = "common-ground-sealed";

/// Wrong passcodes allowed before unlocking starts to wait.
pub const FREE_TRIES: u32 = 3;
/// The longest wait between tries, in seconds.
pub const MAX_WAIT_SECS: u64 = 300;

/// How long to wait after `failures` wrong passcodes in a row: nothing for
/// the first few, then 5 s doubling up to [`MAX_WAIT_SECS`].
pub fn wait_after(failures: u32) -> u64 {
    if failures < FREE_TRIES {
        0
    } else {
        (5u64 << (failures - FREE_TRIES).min(16)).min(MAX_WAIT_SECS)
    }
}

/// The contents of `sealed.json`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Marker {
    /// Always `common-ground-sealed`.
    pub format: String,
    /// The wrap of the current data key (as in every sealed header).
    pub key: KeyWrap,
    /// Plain files (names in the data folder) the user chose to keep.
    #[serde(default)]
    pub kept_plain: Vec<String>,
}

impl Marker {
    pub fn new(key: KeyWrap, kept_plain: Vec<String>) -> Marker {
        Marker {
            format: MARKER_FORMAT.to_owned(),
            key,
            kept_plain,
        }
    }
}

/// What is found at the marker's place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MarkerState {
    Missing,
    /// Present; `None` when it cannot be read (it still says "sealed").
    Present(Option<Marker>),
}

impl MarkerState {
    pub fn exists(&self) -> bool {
        matches!(self, MarkerState::Present(_))
    }

    pub fn marker(&self) -> Option<&Marker> {
        match self {
            MarkerState::Present(m) => m.as_ref(),
            MarkerState::Missing => None,
        }
    }
}

/// Reads the marker of `dir`. An I/O error other than "not found" counts as
/// present (and unreadable): the safe side.
pub fn read_marker(vfs: &dyn Vfs, dir: &Path) -> MarkerState {
    let path = dir.join(MARKER);
    match vfs.file_len(&path) {
        Ok(None) => return MarkerState::Missing,
        Ok(Some(len)) if len > 64 * 1024 => return MarkerState::Present(None),
        _ => {}
    }
    match vfs.read(&path) {
        Ok(bytes) => MarkerState::Present(
            serde_json::from_slice::<Marker>(&bytes)
                .ok()
                .filter(|m| m.format == MARKER_FORMAT),
        ),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => MarkerState::Missing,
        Err(_) => MarkerState::Present(None),
    }
}

/// Writes `bytes` as `dir/name`, atomically and durably.
pub(crate) fn write_side_file(
    vfs: &dyn Vfs,
    dir: &Path,
    name: &str,
    bytes: &[u8],
) -> std::io::Result<()> {
    let mut temp = vfs.create_temp(dir)?;
    temp.write_all(bytes)?;
    temp.sync()?;
    temp.persist(&dir.join(name))?;
    vfs.sync_dir(dir)
}

/// Writes the marker.
pub(crate) fn write_marker(vfs: &dyn Vfs, dir: &Path, marker: &Marker) -> std::io::Result<()> {
    let mut bytes = serde_json::to_vec(marker).map_err(std::io::Error::other)?;
    bytes.push(b'\n');
    write_side_file(vfs, dir, MARKER, &bytes)
}

/// Removes the marker (durably).
pub(crate) fn remove_marker(vfs: &dyn Vfs, dir: &Path) -> std::io::Result<()> {
    match vfs.remove(&dir.join(MARKER)) {
        Ok(()) => vfs.sync_dir(dir),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

/// Whether the store in `dir` is sealed: the marker exists, or any
/// generation file's header claims an encrypted body (even a damaged one).
pub fn folder_is_sealed(vfs: &dyn Vfs, dir: &Path) -> bool {
    read_marker(vfs, dir).exists()
        || GENERATION_FILES
            .iter()
            .any(|name| file_claims_sealed(vfs, &dir.join(name)))
}

/// Whether the file at `path` starts with a sealed header.
pub(crate) fn file_claims_sealed(vfs: &dyn Vfs, path: &Path) -> bool {
    match vfs.file_len(path) {
        Ok(Some(len)) if len <= MAX_FILE_BYTES => {
            vfs.read(path).is_ok_and(|bytes| claims_sealed(&bytes))
        }
        _ => false,
    }
}

// ------------------------------------------------------------ the wait

/// The contents of `unlock-tries.json`.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
struct Tries {
    /// Wrong passcodes in a row.
    failures: u32,
    /// No try before this time.
    next_try: Option<DateTime<Utc>>,
}

fn read_tries(vfs: &dyn Vfs, dir: &Path) -> Tries {
    let path = dir.join(TRIES);
    match vfs.file_len(&path) {
        Ok(None) => return Tries::default(),
        Ok(Some(len)) if len <= 4096 => {}
        // Present but odd: count as the last free try used, no wait now.
        _ => {
            return Tries {
                failures: FREE_TRIES,
                next_try: None,
            }
        }
    }
    vfs.read(&path)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or(Tries {
            failures: FREE_TRIES,
            next_try: None,
        })
}

/// Seconds left before the next passcode may be tried in `dir` (0: now).
/// A next-try time further away than the longest wait means the clock was
/// turned back; it does not lock anyone out.
pub fn wait_left(vfs: &dyn Vfs, dir: &Path, now: DateTime<Utc>) -> u64 {
    let Some(next) = read_tries(vfs, dir).next_try else {
        return 0;
    };
    let left = (next - now).num_milliseconds();
    if left <= 0 || left as u64 > MAX_WAIT_SECS * 1000 {
        0
    } else {
        (left as u64).div_ceil(1000)
    }
}

/// Counts a wrong passcode; returns the wait now in force, in seconds.
pub fn record_failure(vfs: &dyn Vfs, dir: &Path, now: DateTime<Utc>) -> u64 {
    let mut tries = read_tries(vfs, dir);
    tries.failures = tries.failures.saturating_add(1);
    let wait = wait_after(tries.failures);
    tries.next_try = (wait > 0).then(|| now + ChronoDuration::seconds(wait as i64));
    if let Ok(bytes) = serde_json::to_vec(&tries) {
        // If it cannot be written (a read-only folder) the wait is lost;
        // Argon2id still makes every guess slow.
        let _ = write_side_file(vfs, dir, TRIES, &bytes);
    }
    wait
}

/// Forgets the wrong passcodes (after a right one).
pub fn clear_failures(vfs: &dyn Vfs, dir: &Path) {
    if vfs.file_len(&dir.join(TRIES)).ok().flatten().is_some() {
        let _ = vfs.remove(&dir.join(TRIES));
        let _ = vfs.sync_dir(dir);
    }
}

/// Seconds left before the next passcode may be tried in `dir`.
pub fn unlock_wait(dir: &Path) -> u64 {
    wait_left(&RealFs, dir, Utc::now())
}

/// Turns `passcode` into the data key of the store in `dir`: refuses at
/// once while a wait is in force ([`CryptoError::Wait`], no Argon2 run);
/// tries the wraps in [`super::crypto::unlock_order`]; counts a wrong
/// passcode on disk and forgets the count after a right one. When the key
/// was wrapped with parameters weaker than `target`, it is re-wrapped with
/// `target`, so the next save writes the stronger wrap. Slow (Argon2id):
/// run it off the UI thread.
pub fn unlock(dir: &Path, passcode: &Passcode, target: KdfParams) -> Result<SealKey, CryptoError> {
    unlock_with(&RealFs, dir, passcode, target, Utc::now())
}

/// [`unlock`] on a given file system and clock.
pub fn unlock_with(
    vfs: &dyn Vfs,
    dir: &Path,
    passcode: &Passcode,
    target: KdfParams,
    now: DateTime<Utc>,
) -> Result<SealKey, CryptoError> {
    let wait = wait_left(vfs, dir, now);
    if wait > 0 {
        return Err(CryptoError::Wait { seconds: wait });
    }
    let wraps = key_wraps_with(dir, vfs);
    match SealKey::unlock_any(passcode, &wraps) {
        Ok(key) => {
            clear_failures(vfs, dir);
            if key.wrap().params.is_weaker_than(&target) {
                if let Ok(stronger) = key.rewrap(passcode, target) {
                    return Ok(stronger);
                }
            }
            Ok(key)
        }
        Err(CryptoError::WrongPasscode) => {
            record_failure(vfs, dir, now);
            Err(CryptoError::WrongPasscode)
        }
        Err(e) => Err(e),
    }
}

// ------------------------------------------------------ plain files

/// A file in a sealed folder that is not sealed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlainFile {
    pub path: PathBuf,
    /// The user chose to keep it (listed in the marker).
    pub kept: bool,
}

/// Every file in `dir` that may hold plain text of the user's notes while
/// the store is sealed: anything but the generation files (checked by the
/// store itself), the lock, the two side files and empty files, whose
/// header does not claim an encrypted body. Files set aside as unreadable
/// are the usual ones; a leftover temp file of a plain save is another.
pub fn plain_files(vfs: &dyn Vfs, dir: &Path, marker: &MarkerState) -> Vec<PlainFile> {
    let kept: &[String] = marker.marker().map_or(&[], |m| &m.kept_plain);
    let Ok(names) = vfs.list(dir) else {
        return Vec::new();
    };
    names
        .into_iter()
        .filter(|n| {
            !GENERATION_FILES.contains(&n.as_str())
                && ![LOCK_NAME, MARKER, TRIES].contains(&n.as_str())
                && !n.starts_with(SET_ASIDE_PREFIX)
        })
        .filter(|n| {
            n.contains(MOVED_ASIDE_MARKER) || n.starts_with(TEMP_PREFIX) || !n.starts_with('.')
        })
        .filter_map(|n| {
            let path = dir.join(&n);
            match vfs.file_len(&path) {
                Ok(Some(0)) | Ok(None) | Err(_) => return None,
                Ok(Some(_)) => {}
            }
            if file_claims_sealed(vfs, &path) {
                return None;
            }
            Some(PlainFile {
                kept: kept.contains(&n),
                path,
            })
        })
        .collect()
}

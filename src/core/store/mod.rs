//! The private on-device store: everything the user writes, in one file.
//!
//! * One typed document ([`Data`]) saved as a checksummed, versioned file
//!   (see [`format`] and `docs/store-format.md`).
//! * Every save is atomic and durable: temp file in the same directory,
//!   fsync, rename over `store.json`, fsync of the directory.
//! * The two previous generations are kept as `store.bak1.json` and
//!   `store.bak2.json` (hard links, so keeping them costs no copying).
//! * A file that cannot be read is moved aside with a timestamped name,
//!   never overwritten or deleted, and the user is told once ([`Notice`]).
//! * One writer per data directory (an `fs4` lock); a second instance gets
//!   a read-only view.
//! * Saves run on a background writer thread; [`Store::update`] waits for
//!   the save, [`Store::update_soon`] (a tap) returns at once and the
//!   writer saves it straight away, [`Store::update_later`] (typing) returns
//!   at once and the change is durable within [`DEBOUNCE`] plus the time of
//!   one save. [`Store::set_notifier`] tells the owner when a background
//!   save has finished, so nobody needs to poll on a timer.

pub mod check;
pub mod crypto;
pub mod encoder;
pub mod format;
pub mod replace;
pub mod sealed;
pub mod vfs;
mod writer;

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::core::model::Data;

pub use check::{check, check_with, CheckReport, FileReport, FileStatus};
pub use crypto::{CryptoError, KdfParams, KeyWrap, Passcode, SealKey};
pub use format::{decode, LoadError, CURRENT_VERSION};
pub use replace::{SetAsideStore, SET_ASIDE_PREFIX};
pub use sealed::{unlock, unlock_wait, PlainFile};
pub use vfs::{RealFs, Vfs};

use format::Decoded;
use vfs::{LockGuard, TEMP_PREFIX};
use writer::Writer;

/// The store file.
pub const PRIMARY: &str = "store.json";
/// The previous generation.
pub const BACKUP_1: &str = "store.bak1.json";
/// The generation before that.
pub const BACKUP_2: &str = "store.bak2.json";
/// The generation files, newest first.
pub const GENERATION_FILES: [&str; 3] = [PRIMARY, BACKUP_1, BACKUP_2];
/// Marker in the name of a file that was moved aside.
pub const MOVED_ASIDE_MARKER: &str = ".unreadable-";
/// How long `update_later` waits before saving (measured from the first
/// unsaved change, so continuous typing still saves this often).
pub const DEBOUNCE: Duration = Duration::from_millis(500);
/// How long the writer waits before retrying a failed background save.
pub const RETRY_AFTER: Duration = Duration::from_secs(2);

/// An error of the store. The messages are shown to users.
#[derive(Clone, Debug)]
pub enum StoreError {
    /// A file-system operation failed.
    Io {
        op: &'static str,
        path: PathBuf,
        source: Arc<io::Error>,
    },
    /// The store was written by a newer version of the app; it was left
    /// untouched.
    FutureVersion {
        path: PathBuf,
        found: u64,
        supported: u64,
    },
    /// Another instance is the writer; this one can only read.
    ReadOnly { dir: PathBuf },
    /// The data could not be turned into JSON (should never happen).
    Encode { detail: String },
    /// The background writer stopped unexpectedly.
    WriterStopped,
    /// The store is encrypted: open it with its key
    /// ([`Store::open_with_key`] after [`SealKey::unlock_any`] on
    /// [`key_wraps`]). Nothing was touched.
    Locked { dir: PathBuf },
    /// A passcode operation failed (a wrong passcode changes nothing).
    Crypto(CryptoError),
    /// The save would make a file larger than the store can read; it was
    /// not written (the file on disk is unchanged).
    TooLarge(Box<crate::core::size::TooLarge>),
    /// The data folder holds other files and no store: it is not made into
    /// one (a mistyped path, or the wrong folder).
    NotAStoreFolder { dir: PathBuf },
    /// A read-only open found no store file in the folder.
    NoStore { dir: PathBuf },
    /// A restore that sets aside a store written by a newer version found
    /// none: the store here is this version's (or damaged), so nothing was
    /// set aside or written.
    NotNewer { dir: PathBuf },
}

impl StoreError {
    pub(crate) fn io(op: &'static str, path: &Path) -> impl FnOnce(io::Error) -> StoreError {
        let path = path.to_path_buf();
        move |e| StoreError::Io {
            op,
            path,
            source: Arc::new(e),
        }
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Io { op, path, source } => {
                write!(f, "could not {op} ({}): {source}", path.display())
            }
            StoreError::FutureVersion {
                path,
                found,
                supported,
            } => write!(
                f,
                "{} was written by a newer version of Common Ground (format {found}; this \
                 version understands up to {supported}). It has been left untouched. Please \
                 update Common Ground to open it",
                path.display()
            ),
            StoreError::ReadOnly { dir } => write!(
                f,
                "Common Ground is already open in another window, so this one can only show \
                 your data, not save changes (data folder {})",
                dir.display()
            ),
            StoreError::Encode { detail } => write!(f, "could not encode your data: {detail}"),
            StoreError::Locked { dir } => write!(
                f,
                "the store in {} is protected by a passcode; it needs the passcode to open",
                dir.display()
            ),
            StoreError::Crypto(e) => write!(f, "{e}"),
            StoreError::TooLarge(e) => write!(f, "could not save: {e}"),
            StoreError::NotAStoreFolder { dir } => write!(
                f,
                "{} holds other files and no Common Ground store, so no store was created \
                 there and nothing in it was changed. Please give a new folder, an empty \
                 one, or the folder that holds your store",
                dir.display()
            ),
            StoreError::NoStore { dir } => {
                write!(f, "there is no Common Ground store in {}", dir.display())
            }
            StoreError::NotNewer { dir } => write!(
                f,
                "the store in {} was not written by a newer version, so nothing was set aside \
                 or changed; open it as usual to restore into it",
                dir.display()
            ),
            StoreError::WriterStopped => {
                write!(
                    f,
                    "the background saver stopped unexpectedly; please restart the app"
                )
            }
        }
    }
}

impl std::error::Error for StoreError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StoreError::Io { source, .. } => Some(&**source),
            _ => None,
        }
    }
}

/// Something the user should know about, found when the store was opened
/// (or, for `SaveFailed`, when a save failed). One event is one notice: a
/// damaged store restored from a backup is a single [`Notice::Repaired`]
/// naming every file involved. The UI shows these as banners and owns the
/// words (so they can be translated); this type only carries the facts.
/// [`Notice::is_warning`] tells which need attention.
#[derive(Clone, Debug)]
pub enum Notice {
    /// First launch: a new, empty store was created. Informational.
    Created { path: PathBuf },
    /// Opening found generation files that could not be read (or a missing
    /// `store.json`) and dealt with them: every unreadable file was moved
    /// aside with its bytes unchanged, and the data now comes from
    /// `restored`.
    Repaired {
        /// The unreadable files, in the order store, bak1, bak2.
        set_aside: Vec<SetAside>,
        restored: Restored,
    },
    /// Read-only view only: these files cannot be read. They were left in
    /// place (the writing instance will deal with them).
    Unreadable { files: Vec<(PathBuf, LoadError)> },
    /// Another instance holds the store; this one is a read-only view.
    ReadOnly { dir: PathBuf },
    /// A save failed; the change is kept in memory and retried.
    SaveFailed { error: StoreError },
}

/// A file that could not be read and was renamed to `moved_to`, its bytes
/// unchanged.
#[derive(Clone, Debug)]
pub struct SetAside {
    pub original: PathBuf,
    pub moved_to: PathBuf,
    pub reason: LoadError,
}

/// Where the data comes from after a [`Notice::Repaired`].
#[derive(Clone, Debug)]
pub enum Restored {
    /// `store.json` was good; only backups were damaged.
    Unaffected,
    /// `store.json` was damaged or missing; this backup generation was the
    /// newest good one.
    FromBackup {
        from: PathBuf,
        generation: u64,
        saved: DateTime<Utc>,
    },
    /// Nothing could be read: the app started empty.
    Empty,
}

impl Notice {
    /// Whether this needs the user's attention (everything but `Created`).
    pub fn is_warning(&self) -> bool {
        !matches!(self, Notice::Created { .. })
    }
}

/// The state of one generation file as found on disk.
// Short-lived (a few per open), so the size of `Good` does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub(crate) enum FileState {
    Missing,
    Bad(LoadError),
    /// Verified; `data` is `None` when only the checksum was checked.
    Good(format::Header, Option<Data>),
    /// Encrypted, verified as far as possible without the key (header,
    /// size, checksum).
    Sealed(format::Header),
}

/// Reads and checks one file. `parse` decodes the body too; otherwise only
/// the header, size and checksum are verified.
pub(crate) fn load_file(
    vfs: &dyn Vfs,
    path: &Path,
    parse: bool,
    key: Option<&SealKey>,
) -> FileState {
    let len = match vfs.file_len(path) {
        Ok(None) => return FileState::Missing,
        Ok(Some(len)) => len,
        Err(e) => {
            return FileState::Bad(LoadError::Io {
                detail: e.to_string(),
            })
        }
    };
    if len > format::MAX_FILE_BYTES {
        return FileState::Bad(LoadError::TooLarge {
            len,
            max: format::MAX_FILE_BYTES,
        });
    }
    let bytes = match vfs.read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return FileState::Missing,
        Err(e) => {
            return FileState::Bad(LoadError::Io {
                detail: e.to_string(),
            })
        }
    };
    if parse {
        match format::decode_with(&bytes, key) {
            Ok(Decoded { header, data }) => FileState::Good(header, Some(data)),
            Err(LoadError::Locked) => match format::verify(&bytes) {
                Ok((header, _)) => FileState::Sealed(header),
                Err(e) => FileState::Bad(e),
            },
            Err(e) => FileState::Bad(e),
        }
    } else {
        match format::verify(&bytes) {
            Ok((header, _)) => match &header.encryption {
                Some(s) => match format::check_sealing(s) {
                    Ok(()) => FileState::Good(header, None),
                    Err(e) => FileState::Bad(e),
                },
                None => FileState::Good(header, None),
            },
            Err(e) => FileState::Bad(e),
        }
    }
}

/// The key wraps a passcode is tried against to unlock the store in `dir`,
/// without duplicates, in this order: `store.json`'s (the current file),
/// the marker's ([`sealed::MARKER`]), then the backups' in file order (not
/// by the generation they claim, which a planted file could inflate). Only
/// files that pass their checks count. Empty for a plain store (or none at
/// all). Reads only. [`SealKey::unlock_any`] then skips costly extras.
pub fn key_wraps(dir: &Path) -> Vec<KeyWrap> {
    key_wraps_with(dir, &RealFs)
}

/// [`key_wraps`] on a given file system.
pub fn key_wraps_with(dir: &Path, vfs: &dyn Vfs) -> Vec<KeyWrap> {
    let wrap_of = |name: &str| match load_file(vfs, &dir.join(name), false, None) {
        FileState::Good(header, _) => header.encryption.map(|s| s.key),
        _ => None,
    };
    let marker = sealed::read_marker(vfs, dir)
        .marker()
        .map(|m| m.key.clone())
        .filter(KeyWrap::is_well_formed);
    let found = [
        wrap_of(PRIMARY),
        marker,
        wrap_of(BACKUP_1),
        wrap_of(BACKUP_2),
    ];
    let mut out: Vec<KeyWrap> = Vec::new();
    for w in found.into_iter().flatten() {
        if !out.contains(&w) {
            out.push(w);
        }
    }
    out
}

/// A name for a file moved aside that does not exist yet.
fn moved_aside_name(vfs: &dyn Vfs, original: &Path) -> Result<PathBuf, StoreError> {
    let stamp = Utc::now().format("%Y%m%dT%H%M%SZ");
    let name = original
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let dir = original.parent().unwrap_or_else(|| Path::new("."));
    for n in 0..1000u32 {
        let candidate = if n == 0 {
            dir.join(format!("{name}{MOVED_ASIDE_MARKER}{stamp}"))
        } else {
            dir.join(format!("{name}{MOVED_ASIDE_MARKER}{stamp}-{n}"))
        };
        match vfs.file_len(&candidate) {
            Ok(None) => return Ok(candidate),
            Ok(Some(_)) => continue,
            Err(e) => return Err(StoreError::io("check a file name", &candidate)(e)),
        }
    }
    Err(StoreError::Io {
        op: "find a free name to move a damaged file aside",
        path: original.to_path_buf(),
        source: Arc::new(io::Error::from(io::ErrorKind::AlreadyExists)),
    })
}

/// Whether the store may be created in (or opened from) `dir`: a folder
/// that does not exist yet, an empty one, or one that already holds a
/// Common Ground store. Anything else (a folder of other files, a mistyped
/// path) is refused, and nothing in it is created or changed.
pub fn check_folder(vfs: &dyn Vfs, dir: &Path) -> Result<(), StoreError> {
    let names = match vfs.list(dir) {
        Ok(names) => names,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        // Not a folder (a file), or unreadable: say so plainly.
        Err(e) if e.kind() == io::ErrorKind::NotADirectory => {
            return Err(StoreError::NotAStoreFolder {
                dir: dir.to_path_buf(),
            })
        }
        Err(e) => return Err(StoreError::io("read the data folder", dir)(e)),
    };
    let ours = |n: &String| {
        GENERATION_FILES.contains(&n.as_str())
            || n == vfs::LOCK_NAME
            || n.starts_with(TEMP_PREFIX)
            || n.contains(MOVED_ASIDE_MARKER)
            || n.starts_with(SET_ASIDE_PREFIX)
    };
    if names.is_empty() || names.iter().any(ours) {
        Ok(())
    } else {
        Err(StoreError::NotAStoreFolder {
            dir: dir.to_path_buf(),
        })
    }
}

/// The private store. Lives on the UI thread; saves happen on a background
/// writer thread.
pub struct Store {
    dir: PathBuf,
    data: Arc<Data>,
    notices: Vec<Notice>,
    last_save_error: Option<StoreError>,
    /// Counts in-memory changes.
    seq: u64,
    /// The newest `seq` known to be durable.
    saved_seq: u64,
    /// `None` for a read-only view.
    writer: Option<Writer>,
    /// The data key when the store is encrypted at rest.
    seal: Option<SealKey>,
    /// A stand-in while locked ([`Store::locked_placeholder`]).
    placeholder: bool,
    /// With a passcode on: files in the folder that hold plain text.
    plain: Vec<PlainFile>,
    vfs: Arc<dyn Vfs>,
    /// Which generation file the data was read from (index into
    /// [`GENERATION_FILES`]), and its generation.
    source: Option<(u8, u64)>,
    _lock: Option<LockGuard>,
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store")
            .field("dir", &self.dir)
            .field("read_only", &self.is_read_only())
            .field("dirty", &self.is_dirty())
            .field("notices", &self.notices)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Opens (or, on first launch, creates) the store in `dir`.
    ///
    /// If another instance holds the store, returns a read-only view
    /// ([`Store::is_read_only`]). A store file from a newer version gives
    /// [`StoreError::FutureVersion`] and is left untouched. Damaged files are
    /// moved aside and reported in [`Store::notices`].
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        Store::open_with(dir, Arc::new(RealFs))
    }

    /// [`Store::open`] on a given file system (used by the fault tests).
    pub fn open_with(dir: &Path, vfs: Arc<dyn Vfs>) -> Result<Store, StoreError> {
        Store::open_with_key(dir, vfs, None)
    }

    /// Opens an encrypted (or plain) store with its data key, unlocked with
    /// [`SealKey::unlock_any`] from the wraps [`key_wraps`] lists.
    pub fn open_unlocked(dir: &Path, key: SealKey) -> Result<Store, StoreError> {
        Store::open_with_key(dir, Arc::new(RealFs), Some(key))
    }

    /// [`Store::open`] with an optional data key, on a given file system.
    /// Without a key, an encrypted store gives [`StoreError::Locked`] and
    /// nothing is touched (no file is moved aside, nothing written).
    pub fn open_with_key(
        dir: &Path,
        vfs: Arc<dyn Vfs>,
        key: Option<SealKey>,
    ) -> Result<Store, StoreError> {
        Store::open_inner(dir, vfs, key, false, None)
    }

    /// A read-only view that touches nothing on disk: no folder is created,
    /// no lock taken, no file moved aside or written (for the command
    /// line's `export` and dry runs, and for a folder the user may only
    /// read). Unreadable files are reported in [`Notice::Unreadable`];
    /// [`Store::source`] says which file the data came from. A folder
    /// without any store file gives [`StoreError::NoStore`].
    pub fn open_read_only(dir: &Path, key: Option<SealKey>) -> Result<Store, StoreError> {
        Store::open_read_only_with(dir, Arc::new(RealFs), key)
    }

    /// [`Store::open_read_only`] on a given file system.
    pub fn open_read_only_with(
        dir: &Path,
        vfs: Arc<dyn Vfs>,
        key: Option<SealKey>,
    ) -> Result<Store, StoreError> {
        Store::open_inner(dir, vfs, key, true, None)
    }

    fn open_inner(
        dir: &Path,
        vfs: Arc<dyn Vfs>,
        key: Option<SealKey>,
        view_only: bool,
        held: Option<LockGuard>,
    ) -> Result<Store, StoreError> {
        let lock = if let Some(held) = held {
            Some(held)
        } else if view_only {
            let any = GENERATION_FILES
                .iter()
                .any(|n| !matches!(vfs.file_len(&dir.join(n)), Ok(None)));
            if !any {
                return Err(StoreError::NoStore {
                    dir: dir.to_path_buf(),
                });
            }
            None
        } else {
            check_folder(&*vfs, dir)?;
            vfs.create_dir_private(dir)
                .map_err(StoreError::io("create the data folder", dir))?;
            vfs.try_lock(dir).map_err(StoreError::io(
                "lock the data folder",
                &dir.join(vfs::LOCK_NAME),
            ))?
        };
        let read_only = lock.is_none();
        let mut notices = Vec::new();
        if read_only && !view_only {
            notices.push(Notice::ReadOnly {
                dir: dir.to_path_buf(),
            });
        }

        // Find the newest good generation.
        let paths: Vec<PathBuf> = GENERATION_FILES.iter().map(|n| dir.join(n)).collect();
        let marker = sealed::read_marker(&*vfs, dir);
        let mut states: Vec<(PathBuf, FileState)> = Vec::new();
        let primary = load_file(&*vfs, &paths[0], true, key.as_ref());
        let primary_good = matches!(primary, FileState::Good(..));
        states.push((paths[0].clone(), primary));
        for path in &paths[1..] {
            // With a good primary, backups are only verified (checksum).
            states.push((
                path.clone(),
                load_file(&*vfs, path, !primary_good, key.as_ref()),
            ));
        }
        // Sealed: the marker says so, or any generation's header does (a
        // damaged one's too). Then a plain generation is never loaded,
        // whatever its generation number: it is set aside like any
        // unreadable file, and without the key nothing is touched.
        let sealed = marker.exists()
            || states.iter().any(|(path, state)| match state {
                FileState::Good(header, _) => header.is_encrypted(),
                FileState::Sealed(_) => true,
                FileState::Bad(_) => sealed::file_claims_sealed(&*vfs, path),
                FileState::Missing => false,
            });
        if sealed && key.is_none() {
            return Err(StoreError::Locked {
                dir: dir.to_path_buf(),
            });
        }
        if sealed {
            for (_, state) in states.iter_mut() {
                if matches!(state, FileState::Good(h, _) if !h.is_encrypted()) {
                    *state = FileState::Bad(LoadError::NotSealed);
                }
            }
            if primary_good && !matches!(states[0].1, FileState::Good(..)) {
                // The backups were only verified; now their data is needed.
                for (path, state) in states.iter_mut().skip(1) {
                    if matches!(state, FileState::Good(..)) {
                        *state = load_file(&*vfs, path, true, key.as_ref());
                    }
                }
            }
        }
        let primary_good = matches!(states[0].1, FileState::Good(..));
        if !read_only {
            // Leftovers of saves that never completed (never acknowledged).
            // Only now: a locked open touches nothing.
            if let Ok(names) = vfs.list(dir) {
                for name in names.iter().filter(|n| n.starts_with(TEMP_PREFIX)) {
                    let _ = vfs.remove(&dir.join(name));
                }
            }
        }
        for (path, state) in &states {
            if let FileState::Bad(LoadError::FutureVersion { found, supported }) = state {
                return Err(StoreError::FutureVersion {
                    path: path.clone(),
                    found: *found,
                    supported: *supported,
                });
            }
        }
        let mut chosen: Option<(usize, format::Header, Data)> = None;
        for (i, (_, state)) in states.iter_mut().enumerate() {
            if let FileState::Good(header, data) = state {
                let better = chosen
                    .as_ref()
                    .is_none_or(|(_, h, _)| header.generation > h.generation);
                if let (true, Some(d)) = (better, data.take()) {
                    chosen = Some((i, header.clone(), d));
                }
            }
        }
        let any_file = states.iter().any(|(_, s)| !matches!(s, FileState::Missing));
        // Deal with unreadable files: move aside (writer) or just report.
        let mut set_aside = Vec::new();
        let mut unreadable = Vec::new();
        for (path, state) in &states {
            let FileState::Bad(reason) = state else {
                continue;
            };
            if read_only {
                unreadable.push((path.clone(), reason.clone()));
                continue;
            }
            let moved_to = moved_aside_name(&*vfs, path)?;
            vfs.rename(path, &moved_to)
                .map_err(StoreError::io("move a damaged file aside", path))?;
            set_aside.push(SetAside {
                original: path.clone(),
                moved_to,
                reason: reason.clone(),
            });
        }
        if !set_aside.is_empty() {
            vfs.sync_dir(dir)
                .map_err(StoreError::io("sync the data folder", dir))?;
        }
        if !unreadable.is_empty() {
            notices.push(Notice::Unreadable { files: unreadable });
        }

        let mut encrypted = false;
        let source = chosen
            .as_ref()
            .map(|(i, header, _)| (*i as u8, header.generation));
        let (generation, data) = match chosen {
            Some((i, header, data)) => {
                encrypted = header.is_encrypted();
                // A read-only view moved nothing; `Unreadable` says it all.
                if !read_only && (i > 0 || !set_aside.is_empty()) {
                    let restored = if i == 0 {
                        Restored::Unaffected
                    } else {
                        Restored::FromBackup {
                            from: states[i].0.clone(),
                            generation: header.generation,
                            saved: header.saved,
                        }
                    };
                    notices.push(Notice::Repaired {
                        set_aside,
                        restored,
                    });
                }
                (header.generation, data)
            }
            None => {
                if !set_aside.is_empty() {
                    notices.push(Notice::Repaired {
                        set_aside,
                        restored: Restored::Empty,
                    });
                } else if !any_file && !read_only {
                    notices.push(Notice::Created {
                        path: paths[0].clone(),
                    });
                }
                (0, Data::default())
            }
        };

        let mut store = Store {
            dir: dir.to_path_buf(),
            data: Arc::new(data),
            notices,
            last_save_error: None,
            seq: 0,
            saved_seq: 0,
            writer: None,
            seal: if encrypted || sealed { key } else { None },
            placeholder: false,
            plain: Vec::new(),
            vfs: vfs.clone(),
            source,
            _lock: lock,
        };
        store.refresh_plain_files();
        if !read_only {
            store.writer = Some(Writer::spawn(
                vfs,
                dir.to_path_buf(),
                generation,
                store.seal.clone(),
                marker,
            )?);
            if !primary_good {
                // First launch, or recovery: write a good primary now.
                store.seq = 1;
                if let Err(e) = store.save_now() {
                    store.record_failure(e);
                }
            }
        }
        Ok(store)
    }

    /// A stand-in while the app is locked: empty data, no files touched,
    /// no lock held, nothing saved ([`Store::is_locked_placeholder`]). The
    /// real store (and its key and data) is dropped while locked.
    pub fn locked_placeholder(dir: &Path) -> Store {
        Store {
            dir: dir.to_path_buf(),
            data: Arc::new(Data::default()),
            notices: Vec::new(),
            last_save_error: None,
            seq: 0,
            saved_seq: 0,
            writer: None,
            seal: None,
            placeholder: true,
            plain: Vec::new(),
            vfs: Arc::new(RealFs),
            source: None,
            _lock: None,
        }
    }

    /// The generation file the data was read from at open, and its
    /// generation; `None` when no file could be read (or there was none).
    pub fn source(&self) -> Option<(PathBuf, u64)> {
        self.source
            .map(|(i, g)| (self.dir.join(GENERATION_FILES[usize::from(i)]), g))
    }

    /// Whether this is a [`Store::locked_placeholder`].
    pub fn is_locked_placeholder(&self) -> bool {
        self.placeholder
    }

    /// The data.
    pub fn data(&self) -> &Data {
        &self.data
    }

    /// The data as it is now, shared (no copy): for work on another
    /// thread, such as an export.
    pub fn snapshot(&self) -> Arc<Data> {
        Arc::clone(&self.data)
    }

    /// Whether the store is encrypted at rest.
    pub fn is_encrypted(&self) -> bool {
        self.seal.is_some()
    }

    /// The data key, when encrypted (to seal exports, re-wrap).
    pub fn seal_key(&self) -> Option<&SealKey> {
        self.seal.as_ref()
    }

    /// Turns encryption on (`Some`), changes it (`Some` with a new key) or
    /// off (`None`), and waits until it is durable. The data is saved as
    /// three consecutive generations, so that the store and both backups
    /// all carry the new protection: no plain backup stays behind after
    /// turning it on, and an old passcode opens nothing after a change.
    /// Each of the three is an ordinary atomic save, so a crash in between
    /// leaves a store that opens (with the new passcode or the old one; see
    /// `docs/store-format.md`).
    ///
    /// The slow part (Argon2id) is [`SealKey::create`] / [`SealKey::confirms`],
    /// which the caller runs first, off the UI thread. On failure the new
    /// protection stays in force (it is what the user asked for) and the
    /// retries save all three generations again, never just one; the error
    /// is returned.
    pub fn set_protection(&mut self, seal: Option<SealKey>) -> Result<(), StoreError> {
        self.poll();
        let Some(w) = &self.writer else {
            return Err(StoreError::ReadOnly {
                dir: self.dir.clone(),
            });
        };
        w.take_pending();
        self.seq += 1;
        let seq = self.seq;
        let result = w.protect(seal.clone(), self.data.clone(), seq);
        self.seal = seal;
        self.refresh_plain_files();
        match result {
            Ok(()) => {
                self.saved_seq = self.saved_seq.max(seq);
                self.last_save_error = None;
                Ok(())
            }
            Err(e) => {
                self.record_failure(e.clone());
                Err(e)
            }
        }
    }

    /// Turns the passcode on with the app's Argon2id parameters (slow).
    pub fn turn_on_passcode(&mut self, passcode: &Passcode) -> Result<(), StoreError> {
        self.turn_on_passcode_with(passcode, KdfParams::APP)
    }

    /// [`Store::turn_on_passcode`] with given parameters (tests use weak
    /// ones to stay fast).
    pub fn turn_on_passcode_with(
        &mut self,
        passcode: &Passcode,
        params: KdfParams,
    ) -> Result<(), StoreError> {
        let key = SealKey::create(passcode, params).map_err(StoreError::Crypto)?;
        self.set_protection(Some(key))
    }

    /// Changes the passcode after confirming the current one; a wrong
    /// current passcode changes nothing. The change makes a new data key
    /// and seals every generation with it, so an old copy of a file and the
    /// old passcode open nothing written later.
    pub fn change_passcode_with(
        &mut self,
        current: &Passcode,
        new: &Passcode,
        params: KdfParams,
    ) -> Result<(), StoreError> {
        new.check_new().map_err(StoreError::Crypto)?;
        self.confirmed_key(current)?;
        let new_key = SealKey::create(new, params).map_err(StoreError::Crypto)?;
        self.set_protection(Some(new_key))
    }

    /// With a passcode on: the files in the data folder that hold plain
    /// text (set aside before the passcode was turned on, or planted), for
    /// the user to delete or knowingly keep. Empty without a passcode.
    pub fn plain_files(&self) -> &[PlainFile] {
        &self.plain
    }

    /// Looks for plain files again ([`Store::plain_files`]).
    pub fn refresh_plain_files(&mut self) {
        self.plain = if self.seal.is_some() {
            let marker = sealed::read_marker(&*self.vfs, &self.dir);
            sealed::plain_files(&*self.vfs, &self.dir, &marker)
        } else {
            Vec::new()
        };
    }

    /// Deletes every file [`Store::plain_files`] lists; returns how many.
    /// Stops at the first that cannot be deleted (the list then shows what
    /// is left).
    pub fn delete_plain_files(&mut self) -> Result<usize, StoreError> {
        if self.is_read_only() {
            return Err(StoreError::ReadOnly {
                dir: self.dir.clone(),
            });
        }
        let mut removed = 0;
        let mut result = Ok(());
        for f in &self.plain {
            if let Err(e) = self.vfs.remove(&f.path) {
                if e.kind() != io::ErrorKind::NotFound {
                    result = Err(StoreError::io("delete a file", &f.path)(e));
                    break;
                }
            }
            removed += 1;
        }
        let synced = self
            .vfs
            .sync_dir(&self.dir)
            .map_err(StoreError::io("sync the data folder", &self.dir));
        self.refresh_plain_files();
        result.and(synced).map(|()| removed)
    }

    /// Records that the user keeps the files [`Store::plain_files`] lists,
    /// knowing they are plain (in the marker, so it holds after a restart;
    /// they stay listed, as kept, and `check` notes them).
    pub fn keep_plain_files(&mut self) -> Result<(), StoreError> {
        let Some(w) = &self.writer else {
            return Err(StoreError::ReadOnly {
                dir: self.dir.clone(),
            });
        };
        let names = self
            .plain
            .iter()
            .filter_map(|f| f.path.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .collect();
        let result = w.keep_plain(names);
        self.refresh_plain_files();
        result
    }

    /// Turns encryption off after confirming the passcode; a wrong one
    /// changes nothing.
    pub fn turn_off_passcode(&mut self, current: &Passcode) -> Result<(), StoreError> {
        self.confirmed_key(current)?;
        self.set_protection(None)
    }

    fn confirmed_key(&self, passcode: &Passcode) -> Result<SealKey, StoreError> {
        let key = self
            .seal
            .clone()
            .ok_or(StoreError::Crypto(CryptoError::BadParameters))?;
        if key.confirms(passcode) {
            Ok(key)
        } else {
            Err(StoreError::Crypto(CryptoError::WrongPasscode))
        }
    }

    /// The data folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Whether another instance is the writer (nothing is saved here).
    pub fn is_read_only(&self) -> bool {
        self.writer.is_none()
    }

    /// Counts the changes made to the data since the store was opened
    /// (for "has anything changed since X", such as the last backup).
    pub fn changes(&self) -> u64 {
        self.seq
    }

    /// Whether there are changes not yet known to be saved.
    pub fn is_dirty(&self) -> bool {
        self.saved_seq < self.seq
    }

    /// What happened at open (and save failures since); shown as banners.
    pub fn notices(&self) -> &[Notice] {
        &self.notices
    }

    /// The error of the last save, if it failed and has not succeeded since.
    pub fn last_save_error(&self) -> Option<&StoreError> {
        self.last_save_error.as_ref()
    }

    /// Asks the background writer to call `notify` (on the writer thread)
    /// after every background save attempt, failed or not. The owner then
    /// calls [`Store::poll`] on its own thread, for example through
    /// the UI toolkit's "run on the event loop" call. Replaces any earlier notifier.
    pub fn set_notifier(&mut self, notify: impl Fn() + Send + Sync + 'static) {
        if let Some(w) = &self.writer {
            w.set_notifier(Box::new(notify));
        }
    }

    /// Picks up the results of background saves (updates
    /// [`Store::last_save_error`], [`Store::is_dirty`] and the notices).
    /// Called by every other `&mut` method, and by the owner when the
    /// notifier ([`Store::set_notifier`]) says a save has finished.
    pub fn poll(&mut self) {
        let events = match &self.writer {
            Some(w) => w.drain_events(),
            None => return,
        };
        for (seq, result) in events {
            match result {
                Ok(()) => {
                    self.saved_seq = self.saved_seq.max(seq);
                    if !self.is_dirty() {
                        self.last_save_error = None;
                    }
                }
                Err(e) => self.record_failure(e),
            }
        }
    }

    fn record_failure(&mut self, e: StoreError) {
        if self.last_save_error.is_none() {
            self.notices.push(Notice::SaveFailed { error: e.clone() });
        }
        self.last_save_error = Some(e);
    }

    /// Saves the current data now, waiting for it to be durable.
    fn save_now(&mut self) -> Result<(), StoreError> {
        let Some(w) = &self.writer else {
            return Err(StoreError::ReadOnly {
                dir: self.dir.clone(),
            });
        };
        let seq = self.seq;
        w.save_now(self.data.clone(), seq)?;
        self.saved_seq = self.saved_seq.max(seq);
        self.last_save_error = None;
        Ok(())
    }

    /// Changes the data and saves it durably before returning.
    ///
    /// If the save fails, the change is kept in memory (nothing typed is
    /// lost), the store stays dirty and the writer retries; the error is
    /// returned. A read-only view returns [`StoreError::ReadOnly`] without
    /// calling `f`.
    pub fn update<R>(&mut self, f: impl FnOnce(&mut Data) -> R) -> Result<R, StoreError> {
        self.poll();
        let Some(w) = &self.writer else {
            return Err(StoreError::ReadOnly {
                dir: self.dir.clone(),
            });
        };
        // Drop the writer's pending snapshot (it shares our allocation); the
        // save below includes it.
        w.take_pending();
        let r = f(Arc::make_mut(&mut self.data));
        self.seq += 1;
        match self.save_now() {
            Ok(()) => Ok(r),
            Err(e) => {
                self.record_failure(e.clone());
                Err(e)
            }
        }
    }

    /// Changes the data now and saves it in the background within about
    /// [`DEBOUNCE`]. Never waits for disk I/O. For text being typed.
    ///
    /// In a read-only view the change stays in memory only.
    pub fn update_later(&mut self, f: impl FnOnce(&mut Data)) {
        self.update_in_background(f, false);
    }

    /// Changes the data now and has the background writer save it straight
    /// away, without waiting for more changes. Never waits for disk I/O, so
    /// it suits a deliberate tap (a bookmark, the theme) on the UI thread.
    /// The result arrives like any background save: through the notifier,
    /// then [`Store::poll`]; a failure becomes a [`Notice::SaveFailed`] and
    /// is retried.
    ///
    /// In a read-only view the change stays in memory only.
    pub fn update_soon<R>(&mut self, f: impl FnOnce(&mut Data) -> R) -> R {
        let mut out = None;
        self.update_in_background(|d| out = Some(f(d)), true);
        out.expect("the change ran")
    }

    fn update_in_background(&mut self, f: impl FnOnce(&mut Data), soon: bool) {
        self.poll();
        match &self.writer {
            Some(w) => {
                w.take_pending();
                f(Arc::make_mut(&mut self.data));
                self.seq += 1;
                w.put_pending(self.data.clone(), self.seq, soon);
            }
            None => {
                f(Arc::make_mut(&mut self.data));
                self.seq += 1;
                if self.last_save_error.is_none() {
                    self.last_save_error = Some(StoreError::ReadOnly {
                        dir: self.dir.clone(),
                    });
                }
            }
        }
    }

    /// Saves any pending change now and waits for it (call on exit).
    pub fn flush(&mut self) -> Result<(), StoreError> {
        self.poll();
        let Some(w) = &self.writer else {
            return if self.is_dirty() {
                Err(StoreError::ReadOnly {
                    dir: self.dir.clone(),
                })
            } else {
                Ok(())
            };
        };
        let result = w.flush();
        self.poll();
        match result {
            Err(e) => {
                self.record_failure(e.clone());
                Err(e)
            }
            Ok(()) if self.is_dirty() => Err(self
                .last_save_error
                .clone()
                .unwrap_or(StoreError::WriterStopped)),
            Ok(()) => Ok(()),
        }
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        if self.writer.is_some() {
            let _ = self.flush();
        }
        if let Some(w) = self.writer.take() {
            w.shutdown();
        }
    }
}

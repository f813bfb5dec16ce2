//! Automatic backups to a folder the user owns (a Documents folder, a USB
//! stick, a folder that Syncthing or Nextcloud syncs): no network code; the
//! folder is the interface.
//!
//! * A backup is a complete store file (`docs/store-format.md`), the same
//!   bytes as the JSON backup export ([`export::backup`]), sealed with the
//!   store's key when a passcode is on, else with the backup key (a random
//!   data key wrapped by the user's backup passphrase with Argon2id, kept in
//!   [`BackupSettings::passphrase`]). Unencrypted only when the user chose
//!   it ([`BackupSettings::unencrypted`]).
//! * Named `common-ground-<UTC yyyymmddThhmmssZ>-<device>.cgbackup`
//!   ([`file_name`]): names sort by time, and the device label keeps two
//!   devices syncing one folder from ever writing the same name.
//! * Written like a store save ([`write_backup`]): temp file in the folder,
//!   fsync, rename (`Vfs::persist`, `tempfile`), fsync of the folder, so a
//!   sync tool never sees half a file. Then read back and verified (same
//!   bytes, checksum, decryption), and only then are this device's oldest
//!   backups beyond "keep N" removed: files with our name pattern, our
//!   device label and a store header that verifies, never anything else.
//! * [`is_due`] is the schedule (pure); [`list`] reads a folder (date,
//!   device, counts); [`plan_restore`] merges (the import of
//!   `core::export`) or replaces, keeping this device's backup settings.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, NaiveDateTime, TimeDelta, Utc};

use crate::core::export::{self, plan_import, ImportSummary};
use crate::core::model::{BackupKey, BackupSettings, Data};
use crate::core::store::crypto::B64Bytes;
use crate::core::store::format::{self, LoadError};
use crate::core::store::{CryptoError, KdfParams, KeyWrap, Passcode, SealKey, Vfs};

/// Every backup file name starts with this ...
pub const PREFIX: &str = "common-ground-";
/// ... and ends with this.
pub const EXTENSION: &str = ".cgbackup";
/// The time in a name (UTC), which makes names sort by time.
const STAMP: &str = "%Y%m%dT%H%M%SZ";
/// `STAMP`'s length once formatted.
const STAMP_LEN: usize = 16;
/// The longest device label in a name.
pub const MAX_LABEL_CHARS: usize = 24;
/// The most backups a user can ask to keep.
pub const MAX_KEEP: u32 = 100;
/// After changes, a backup is written at most this often ...
pub const AT_MOST_EVERY: TimeDelta = TimeDelta::hours(1);
/// ... and, while the app is used, at least this often.
pub const AT_LEAST_EVERY: TimeDelta = TimeDelta::days(1);
/// After a failed attempt (folder gone, disk full), the next one waits
/// this long (except on closing).
pub const RETRY_AFTER: TimeDelta = TimeDelta::minutes(10);

/// Why a backup could not be written or read. Nothing in the store is
/// affected by any of these; the messages are shown to users.
#[derive(Clone, Debug)]
pub enum BackupError {
    /// No backup folder is set.
    NoFolder,
    /// The folder is not there (a USB stick unplugged, a network drive
    /// gone) or is not a folder.
    FolderMissing { folder: PathBuf },
    /// The folder is the data folder or inside it, which holds only the
    /// store.
    InDataFolder { folder: PathBuf },
    /// The disk is full.
    DiskFull { folder: PathBuf },
    /// Another file-system operation failed.
    Io {
        op: &'static str,
        path: PathBuf,
        source: Arc<io::Error>,
    },
    /// No passcode is on and no backup passphrase is set (and the user has
    /// not chosen unencrypted backups).
    NeedsPassphrase,
    /// The data could not be encoded (should never happen).
    Encode(String),
    /// The new file did not read back as written; it was removed and no
    /// older backup was touched.
    Verify { path: PathBuf, error: LoadError },
    /// A passphrase or key operation failed.
    Crypto(CryptoError),
}

impl BackupError {
    fn io(op: &'static str, path: &Path) -> impl FnOnce(io::Error) -> BackupError {
        let path = path.to_path_buf();
        move |e| match e.kind() {
            io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded => {
                BackupError::DiskFull { folder: path }
            }
            _ => BackupError::Io {
                op,
                path,
                source: Arc::new(e),
            },
        }
    }

    /// The reason as a typed kind, for the UI's own (translated) words.
    pub fn kind(&self) -> ErrorKind {
        match self {
            BackupError::NoFolder => ErrorKind::NoFolder,
            BackupError::FolderMissing { .. } | BackupError::InDataFolder { .. } => {
                ErrorKind::FolderMissing
            }
            BackupError::DiskFull { .. } => ErrorKind::DiskFull,
            BackupError::NeedsPassphrase => ErrorKind::NeedsPassphrase,
            BackupError::Crypto(CryptoError::WrongPasscode) => ErrorKind::WrongPassphrase,
            _ => ErrorKind::Other,
        }
    }
}

/// The reasons a backup fails, as the Settings notice tells them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    NoFolder,
    FolderMissing,
    DiskFull,
    NeedsPassphrase,
    WrongPassphrase,
    Other,
}

impl fmt::Display for BackupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BackupError::NoFolder => write!(f, "no backup folder is set"),
            BackupError::FolderMissing { folder } => write!(
                f,
                "the backup folder {} is not there (is the drive plugged in?)",
                folder.display()
            ),
            BackupError::InDataFolder { folder } => write!(
                f,
                "{} is inside the data folder; backups need a folder of their own",
                folder.display()
            ),
            BackupError::DiskFull { folder } => {
                write!(f, "the disk holding {} is full", folder.display())
            }
            BackupError::Io { op, path, source } => {
                write!(f, "could not {op} ({}): {source}", path.display())
            }
            BackupError::NeedsPassphrase => write!(
                f,
                "backups are sealed with your passcode or a backup passphrase; \
                 please set a backup passphrase first"
            ),
            BackupError::Encode(e) => write!(f, "could not encode your data: {e}"),
            BackupError::Verify { path, error } => write!(
                f,
                "the new backup {} did not read back as written ({error}); it was removed \
                 and the older backups were kept",
                path.display()
            ),
            BackupError::Crypto(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for BackupError {}

// ------------------------------------------------------------------ names

/// A device label as it goes into file names: lower-case letters, digits
/// and single dashes, at most [`MAX_LABEL_CHARS`]; "device" if nothing is
/// left.
pub fn sanitize_label(label: &str) -> String {
    let mut out = String::new();
    for c in label.trim().chars().flat_map(char::to_lowercase) {
        if out.chars().count() >= MAX_LABEL_CHARS {
            break;
        }
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_owned();
    if out.is_empty() {
        "device".to_owned()
    } else {
        out
    }
}

/// A label for a device that has none yet: the machine's name where the
/// environment gives one, with a few random characters so two devices of
/// the same name still differ.
pub fn new_device_label() -> String {
    let base = std::env::var("HOSTNAME")
        .or_else(|_| std::env::var("COMPUTERNAME"))
        .map(|h| sanitize_label(&h))
        .unwrap_or_else(|_| "device".to_owned());
    let mut random = [0u8; 2];
    let _ = chacha20poly1305::aead::rand_core::RngCore::try_fill_bytes(
        &mut chacha20poly1305::aead::OsRng,
        &mut random,
    );
    let base: String = base.chars().take(MAX_LABEL_CHARS - 5).collect();
    format!("{base}-{:02x}{:02x}", random[0], random[1])
}

/// The file name of a backup written at `at` by the device `label`.
pub fn file_name(label: &str, at: DateTime<Utc>) -> String {
    format!(
        "{PREFIX}{}-{}{EXTENSION}",
        at.format(STAMP),
        sanitize_label(label)
    )
}

/// What a backup file's name says: when, and which device. `None` for any
/// name [`file_name`] does not make.
pub fn parse_name(name: &str) -> Option<(DateTime<Utc>, String)> {
    let rest = name.strip_prefix(PREFIX)?.strip_suffix(EXTENSION)?;
    let stamp = rest.get(..STAMP_LEN)?;
    let label = rest.get(STAMP_LEN..)?.strip_prefix('-')?;
    let at = NaiveDateTime::parse_from_str(stamp, STAMP).ok()?.and_utc();
    (sanitize_label(label) == label).then(|| (at, label.to_owned()))
}

// ------------------------------------------------------------- protection

/// How a backup is sealed.
#[derive(Clone, Debug)]
pub enum Sealing {
    /// With the store's key: opens with the passcode that was on.
    Passcode(SealKey),
    /// With the backup key: opens with the backup passphrase.
    Passphrase(SealKey),
    /// Not sealed: the user chose it.
    Unencrypted,
}

impl Sealing {
    pub fn key(&self) -> Option<&SealKey> {
        match self {
            Sealing::Passcode(k) | Sealing::Passphrase(k) => Some(k),
            Sealing::Unencrypted => None,
        }
    }
}

/// How backups are sealed now: the passcode's key when one is on, else the
/// backup passphrase's, else unencrypted if the user chose that, else
/// [`BackupError::NeedsPassphrase`].
pub fn sealing(
    settings: &BackupSettings,
    store_key: Option<&SealKey>,
) -> Result<Sealing, BackupError> {
    if let Some(k) = store_key {
        return Ok(Sealing::Passcode(k.clone()));
    }
    if let Some(stored) = &settings.passphrase {
        return passphrase_key(stored)
            .map(Sealing::Passphrase)
            .ok_or(BackupError::Crypto(CryptoError::BadParameters));
    }
    if settings.unencrypted {
        return Ok(Sealing::Unencrypted);
    }
    Err(BackupError::NeedsPassphrase)
}

/// How a JSON backup export is sealed: as backups to the folder are (the
/// passcode's key, else the backup passphrase's), and without encryption
/// only when asked for this very export (`unencrypted`). The choice of
/// unencrypted backups for the folder does not carry over to a file the
/// user may send anywhere: without a key, [`BackupError::NeedsPassphrase`].
pub fn export_sealing(
    settings: &BackupSettings,
    store_key: Option<&SealKey>,
    unencrypted: bool,
) -> Result<Sealing, BackupError> {
    if unencrypted {
        return Ok(Sealing::Unencrypted);
    }
    match sealing(settings, store_key) {
        Ok(Sealing::Unencrypted) => Err(BackupError::NeedsPassphrase),
        other => other,
    }
}

/// A new backup key wrapped by `passphrase` (slow: one Argon2id; run it off
/// the UI thread). The passphrase must be at least as long as a passcode.
pub fn new_passphrase(passphrase: &Passcode, params: KdfParams) -> Result<BackupKey, CryptoError> {
    let key = SealKey::create(passphrase, params)?;
    Ok(BackupKey {
        wrap: key.wrap().clone(),
        key: B64Bytes(key.key_bytes().to_vec()),
    })
}

/// The key kept in the settings (cheap: no Argon2id).
pub fn passphrase_key(stored: &BackupKey) -> Option<SealKey> {
    SealKey::from_stored(&stored.key.0, &stored.wrap)
}

/// The key that opens a backup sealed with `wrap` without asking: the
/// store's own key or this device's backup key, when it is the one.
pub fn known_key(
    settings: &BackupSettings,
    store_key: Option<&SealKey>,
    wrap: &KeyWrap,
) -> Option<SealKey> {
    export::own_key(store_key, wrap).or_else(|| {
        settings
            .passphrase
            .as_ref()
            .and_then(passphrase_key)
            .filter(|k| k.is_key(&wrap.key_id.0))
    })
}

// ---------------------------------------------------------------- writing

/// A backup written and verified.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Written {
    pub path: PathBuf,
    pub at: DateTime<Utc>,
    /// This device's older backups removed to keep N.
    pub removed: Vec<PathBuf>,
    /// How many of this device's backups the folder holds now.
    pub kept: usize,
}

/// Checks the folder: it exists, is a folder, and is not the data folder
/// `data_dir` or inside it.
pub fn check_folder(
    vfs: &dyn Vfs,
    folder: &Path,
    data_dir: Option<&Path>,
) -> Result<(), BackupError> {
    if folder.as_os_str().is_empty() {
        return Err(BackupError::NoFolder);
    }
    match vfs.list(folder) {
        Ok(_) => {}
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
            ) =>
        {
            return Err(BackupError::FolderMissing {
                folder: folder.to_path_buf(),
            })
        }
        Err(e) => return Err(BackupError::io("read the backup folder", folder)(e)),
    }
    if let Some(data_dir) = data_dir {
        let inside = match (folder.canonicalize(), data_dir.canonicalize()) {
            (Ok(f), Ok(d)) => f.starts_with(d),
            _ => folder.starts_with(data_dir),
        };
        if inside {
            return Err(BackupError::InDataFolder {
                folder: folder.to_path_buf(),
            });
        }
    }
    Ok(())
}

/// Backs up `current` before a restore replaces it, so the replace can be
/// undone: into the backup folder if it is usable, else into `beside` (the
/// restored file's folder); sealed as backups are, or (with nothing set
/// up) with the restored backup's own key, so the same passphrase opens
/// both. Removes nothing. Returns the file written. The app and the
/// command line both restore through this.
pub fn backup_before_replace(
    vfs: &dyn Vfs,
    dir: &Path,
    beside: &Path,
    current: &Data,
    store_key: Option<SealKey>,
    backup_key: Option<SealKey>,
    now: DateTime<Utc>,
) -> Result<PathBuf, BackupError> {
    let settings = &current.settings.backup;
    let folder = settings
        .folder
        .as_ref()
        .map(PathBuf::from)
        .filter(|f| check_folder(vfs, f, Some(dir)).is_ok())
        .or_else(|| Some(beside.to_path_buf()))
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| PathBuf::from("."));
    let sealing = match sealing(settings, store_key.as_ref()) {
        Ok(s) => s,
        Err(BackupError::NeedsPassphrase) => match backup_key {
            Some(k) => Sealing::Passphrase(k),
            None => Sealing::Unencrypted,
        },
        Err(e) => return Err(e),
    };
    let label = if settings.device.is_empty() {
        "before-restore"
    } else {
        settings.device.as_str()
    };
    write_backup(vfs, &folder, label, None, current, &sealing, now).map(|w| w.path)
}

/// Writes a backup of `data` into `folder` as device `label` at `now`,
/// sealed as `sealing` says, then keeps this device's newest `keep`
/// backups (`None`: removes nothing). See the module doc for the steps. A
/// failure at any step leaves the folder's older backups as they were.
pub fn write_backup(
    vfs: &dyn Vfs,
    folder: &Path,
    label: &str,
    keep: Option<u32>,
    data: &Data,
    sealing: &Sealing,
    now: DateTime<Utc>,
) -> Result<Written, BackupError> {
    let label = sanitize_label(label);
    let bytes =
        export::backup(data, sealing.key(), now).map_err(|e| BackupError::Encode(e.to_string()))?;
    // The name's time is after every backup of this device already there
    // (two backups in one second, or a clock set back), so the new one
    // always sorts newest and rotation never takes it for an old one; and
    // a name that is taken is never reused or overwritten.
    let mut at = now;
    if let Some((newest, _)) = own_backups(vfs, folder, &label)
        .map_err(|e| match e {
            BackupError::Io { source, .. } if source.kind() == io::ErrorKind::NotFound => {
                BackupError::FolderMissing {
                    folder: folder.to_path_buf(),
                }
            }
            e => e,
        })?
        .first()
    {
        if *newest >= at - TimeDelta::seconds(1) {
            at = *newest + TimeDelta::seconds(1);
        }
    }
    let mut path = folder.join(file_name(&label, at));
    for _ in 0..120 {
        match vfs.file_len(&path) {
            Ok(None) => break,
            Ok(Some(_)) => {
                at += TimeDelta::seconds(1);
                path = folder.join(file_name(&label, at));
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => break,
            Err(e) => return Err(BackupError::io("look in the backup folder", folder)(e)),
        }
    }
    let missing = |e: io::Error| {
        if e.kind() == io::ErrorKind::NotFound {
            BackupError::FolderMissing {
                folder: folder.to_path_buf(),
            }
        } else {
            BackupError::io("write the backup", folder)(e)
        }
    };
    let mut temp = vfs.create_temp(folder).map_err(missing)?;
    temp.write_all(&bytes).map_err(missing)?;
    temp.sync().map_err(missing)?;
    temp.persist(&path).map_err(missing)?;
    vfs.sync_dir(folder)
        .map_err(BackupError::io("flush the backup folder to disk", folder))?;

    // Read it back: the same bytes, a good checksum, and (sealed) the body
    // opens with the key. A bad copy is removed; nothing older is touched.
    if let Err(error) = read_back(vfs, &path, &bytes, sealing.key()) {
        let _ = vfs.remove(&path);
        let _ = vfs.sync_dir(folder);
        return Err(BackupError::Verify { path, error });
    }

    let mut removed = Vec::new();
    let mut kept = 0;
    let mine = own_backups(vfs, folder, &label)?;
    for (i, (_, old)) in mine.iter().enumerate() {
        let beyond = keep.is_some_and(|k| i >= k.max(1) as usize);
        if beyond && *old != path && carries_our_header(vfs, old) {
            vfs.remove(old)
                .map_err(BackupError::io("remove an old backup", old))?;
            removed.push(old.clone());
        } else {
            kept += 1;
        }
    }
    if !removed.is_empty() {
        vfs.sync_dir(folder)
            .map_err(BackupError::io("flush the backup folder to disk", folder))?;
    }
    Ok(Written {
        path,
        at,
        removed,
        kept,
    })
}

fn read_back(
    vfs: &dyn Vfs,
    path: &Path,
    written: &[u8],
    key: Option<&SealKey>,
) -> Result<(), LoadError> {
    let bytes = vfs.read(path).map_err(|e| LoadError::Io {
        detail: e.to_string(),
    })?;
    let (header, body) = format::verify(&bytes)?;
    if let (Some(sealing), Some(key)) = (&header.encryption, key) {
        format::check_sealing(sealing)?;
        if !key.is_key(&sealing.key.key_id.0) {
            return Err(LoadError::OtherKey);
        }
        key.open(&sealing.nonce.0, body, &header.canonical())
            .map(zeroize::Zeroizing::new)
            .ok_or(LoadError::Tampered)?;
    }
    if bytes != written {
        return Err(LoadError::BadContent {
            detail: "the bytes read back differ from those written".into(),
        });
    }
    Ok(())
}

/// This device's backups in `folder` (by name), newest first.
fn own_backups(
    vfs: &dyn Vfs,
    folder: &Path,
    label: &str,
) -> Result<Vec<(DateTime<Utc>, PathBuf)>, BackupError> {
    let names = vfs
        .list(folder)
        .map_err(BackupError::io("read the backup folder", folder))?;
    let mut out: Vec<_> = names
        .iter()
        .filter_map(|n| parse_name(n).map(|(at, l)| (at, l, n)))
        .filter(|(_, l, _)| l == label)
        .map(|(at, _, n)| (at, folder.join(n)))
        .collect();
    out.sort_by_key(|b| std::cmp::Reverse(b.0));
    Ok(out)
}

/// Whether the file starts with a store header and passes its checks
/// (size, checksum): only such files are ever removed.
fn carries_our_header(vfs: &dyn Vfs, path: &Path) -> bool {
    vfs.read(path).is_ok_and(|b| format::verify(&b).is_ok())
}

// --------------------------------------------------------------- schedule

/// Whether an automatic backup is due at `now`:
/// * never without a folder (the caller checks) — this rule is only time;
/// * after a failed attempt, not again within [`RETRY_AFTER`], except on
///   closing;
/// * with changes since the last good backup: on closing, or when the last
///   good one is at least [`AT_MOST_EVERY`] old (or there is none);
/// * without changes: when there is none yet, or the last good one is at
///   least [`AT_LEAST_EVERY`] old (at least daily while the app is used).
pub fn is_due(
    now: DateTime<Utc>,
    last_good: Option<DateTime<Utc>>,
    last_failed: Option<DateTime<Utc>>,
    changed: bool,
    closing: bool,
) -> bool {
    let failed_since_good = match (last_failed, last_good) {
        (Some(f), Some(g)) => f > g,
        (Some(_), None) => true,
        _ => false,
    };
    if closing {
        return changed || last_good.is_none();
    }
    if failed_since_good && last_failed.is_some_and(|f| now - f < RETRY_AFTER) {
        return false;
    }
    match last_good {
        None => true,
        Some(g) if changed => now - g >= AT_MOST_EVERY,
        Some(g) => now - g >= AT_LEAST_EVERY,
    }
}

// ---------------------------------------------------------------- listing

/// What a backup file in a folder holds, as far as can be told.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Holds {
    /// Read (plain, or with a key this device has): the counts.
    Counts { check_ins: usize, concerns: usize },
    /// Sealed with a passcode or passphrase this device does not have at
    /// hand; it passed its checks.
    Sealed,
    /// It cannot be read.
    Damaged(LoadError),
}

/// One backup file in a folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listed {
    pub path: PathBuf,
    pub at: DateTime<Utc>,
    pub device: String,
    pub holds: Holds,
}

/// The backups in `folder` (files with our name pattern), newest first,
/// with what each holds; `key_for` gives the key a sealed one opens with
/// when it is at hand ([`known_key`]).
pub fn list(
    vfs: &dyn Vfs,
    folder: &Path,
    key_for: &dyn Fn(&KeyWrap) -> Option<SealKey>,
) -> Result<Vec<Listed>, BackupError> {
    check_folder(vfs, folder, None)?;
    let names = vfs
        .list(folder)
        .map_err(BackupError::io("read the backup folder", folder))?;
    let mut out: Vec<Listed> = names
        .iter()
        .filter_map(|n| {
            let (at, device) = parse_name(n)?;
            let path = folder.join(n);
            let holds = holds(vfs, &path, key_for);
            Some(Listed {
                path,
                at,
                device,
                holds,
            })
        })
        .collect();
    out.sort_by(|a, b| b.at.cmp(&a.at).then_with(|| a.device.cmp(&b.device)));
    Ok(out)
}

fn holds(vfs: &dyn Vfs, path: &Path, key_for: &dyn Fn(&KeyWrap) -> Option<SealKey>) -> Holds {
    let bytes = match vfs.file_len(path) {
        Ok(Some(len)) if len > format::MAX_FILE_BYTES => {
            return Holds::Damaged(LoadError::TooLarge {
                len,
                max: format::MAX_FILE_BYTES,
            })
        }
        _ => match vfs.read(path) {
            Ok(b) => b,
            Err(e) => {
                return Holds::Damaged(LoadError::Io {
                    detail: e.to_string(),
                })
            }
        },
    };
    let key = match export::inspect_backup(&bytes) {
        Err(e) => return Holds::Damaged(e),
        Ok(export::BackupLock::Open) => None,
        Ok(export::BackupLock::Sealed(wrap)) => match key_for(&wrap) {
            Some(k) => Some(k),
            None => return Holds::Sealed,
        },
    };
    match export::read_backup(&bytes, key.as_ref()) {
        Ok(d) => Holds::Counts {
            check_ins: d.check_ins.len(),
            concerns: d.concerns.len(),
        },
        Err(e) => Holds::Damaged(e),
    }
}

// ---------------------------------------------------------------- restore

/// How a restore treats what is here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RestoreMode {
    /// Add what the backup holds that is not here (the import): nothing
    /// here is lost. The way to bring two devices close.
    Merge,
    /// The backup becomes the data (this device's backup settings stay).
    /// The current data is backed up first, so this can be undone.
    Replace,
}

/// What a restore would do, worked out before anything changes.
#[derive(Clone, Debug)]
pub struct RestorePlan {
    pub mode: RestoreMode,
    /// What the backup holds.
    pub check_ins: usize,
    pub concerns: usize,
    /// For a merge: what it adds.
    pub summary: ImportSummary,
    /// The data after the restore, applied in one save.
    pub result: Data,
}

impl RestorePlan {
    /// Whether applying would change nothing.
    pub fn changes_nothing(&self, current: &Data) -> bool {
        self.result == *current
    }
}

/// Plans restoring `incoming` over `current` (pure).
pub fn plan_restore(current: &Data, incoming: &Data, mode: RestoreMode) -> RestorePlan {
    let (mut result, summary) = match mode {
        RestoreMode::Merge => {
            let plan = plan_import(current, incoming);
            (plan.merged, plan.summary)
        }
        RestoreMode::Replace => (incoming.clone(), ImportSummary::default()),
    };
    keep_local_settings(current, incoming, &mut result);
    RestorePlan {
        mode,
        check_ins: incoming.check_ins.len(),
        concerns: incoming.concerns.len(),
        summary,
        result,
    }
}

/// The key `incoming` was opened with when it is the passcode that was on
/// where the backup was made, not the backup passphrase the backup itself
/// carries: a store restored in place of one that cannot be opened is
/// sealed with it again, so the same passcode protects it.
pub fn passcode_key(incoming: &Data, key: Option<SealKey>) -> Option<SealKey> {
    let own_passphrase = incoming
        .settings
        .backup
        .passphrase
        .as_ref()
        .and_then(passphrase_key);
    key.filter(|k| {
        !own_passphrase
            .as_ref()
            .is_some_and(|p| p.is_key(&k.wrap().key_id.0))
    })
}

/// The key a store with no passcode is sealed with after a restore: the
/// passcode that protected the backup where it was made. Data that was
/// behind a passcode there is not left readable on this device; the same
/// passcode opens it here, and Settings can turn it off. A store that has
/// its own passcode keeps it; a backup sealed only with a backup
/// passphrase came from a device that kept its data unencrypted, and
/// stays as this device keeps it, as does one sealed with this device's
/// own backup passphrase (the copy a replace makes first, for one).
pub fn protection_after_restore(
    here: &Data,
    store_key: Option<&SealKey>,
    incoming: &Data,
    opened_with: Option<SealKey>,
) -> Option<SealKey> {
    if store_key.is_some() {
        return None;
    }
    let own_passphrase = here
        .settings
        .backup
        .passphrase
        .as_ref()
        .and_then(passphrase_key);
    passcode_key(incoming, opened_with).filter(|k| {
        !own_passphrase
            .as_ref()
            .is_some_and(|p| p.is_key(&k.wrap().key_id.0))
    })
}

/// Backup settings belong to the device: a restore keeps this device's.
/// Only a device with no backups set up (say, a fresh install restoring
/// its old backup) takes the backup's folder, count and sealing; its
/// device label and last good time stay its own, so two devices never
/// share a label (and never remove each other's backups).
pub fn keep_local_settings(current: &Data, incoming: &Data, result: &mut Data) {
    let here = &current.settings.backup;
    let set_up = here.folder.is_some() || here.passphrase.is_some() || here.unencrypted;
    result.settings.backup = if set_up {
        here.clone()
    } else {
        BackupSettings {
            device: here.device.clone(),
            last_good: here.last_good,
            ..incoming.settings.backup.clone()
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::store::vfs::{FaultKind, MemFs};
    use crate::core::store::RealFs;
    use chrono::TimeZone;

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 29, h, m, 0).unwrap()
    }

    fn data(n: usize) -> Data {
        crate::core::sample::generate(crate::core::sample::Spec {
            per_year: n as u32,
            ..crate::core::sample::Spec::weekly(1, at(0, 0).date_naive())
        })
    }

    fn weak_key() -> SealKey {
        let k =
            new_passphrase(&Passcode::new("correct horse"), KdfParams::weak_for_tests()).unwrap();
        passphrase_key(&k).unwrap()
    }

    #[test]
    fn names_sort_by_time_and_carry_a_clean_label() {
        assert_eq!(sanitize_label("  Sam's Phone ✓ "), "sam-s-phone");
        assert_eq!(sanitize_label("../../etc"), "etc");
        assert_eq!(sanitize_label("✓✓"), "device");
        assert_eq!(sanitize_label(&"x".repeat(99)).len(), MAX_LABEL_CHARS);
        let a = file_name("Phone", at(9, 5));
        let b = file_name("laptop", at(14, 2));
        assert_eq!(a, "common-ground-20261129T090500Z-phone.cgbackup");
        assert!(a < b, "earlier sorts first across devices");
        assert_eq!(parse_name(&b), Some((at(14, 2), "laptop".into())));
        for bad in [
            "common-ground-20261129T090500Z-.cgbackup",
            "common-ground-20261129T090500Z-Phone.cgbackup",
            "common-ground-2026-11-29.json",
            "notes.txt",
            "common-ground-20261129T250500Z-phone.cgbackup",
        ] {
            assert_eq!(parse_name(bad), None, "{bad}");
        }
        let label = new_device_label();
        assert_eq!(sanitize_label(&label), label);
    }

    #[test]
    fn schedule_after_changes_hourly_daily_and_on_closing() {
        let now = at(14, 0);
        // Nothing yet: due.
        assert!(is_due(now, None, None, false, false));
        // Changed, last backup 30 minutes ago: not yet; an hour: due.
        assert!(!is_due(now, Some(at(13, 30)), None, true, false));
        assert!(is_due(now, Some(at(13, 0)), None, true, false));
        // Closing with changes: due at once; without: not.
        assert!(is_due(now, Some(at(13, 59)), None, true, true));
        assert!(!is_due(now, Some(at(13, 59)), None, false, true));
        // No changes: daily while used.
        assert!(!is_due(now, Some(at(1, 0)), None, false, false));
        assert!(is_due(
            now,
            Some(now - TimeDelta::days(1)),
            None,
            false,
            false
        ));
        // A failure waits RETRY_AFTER before the next try, except on closing.
        assert!(!is_due(now, Some(at(9, 0)), Some(at(13, 55)), true, false));
        assert!(is_due(now, Some(at(9, 0)), Some(at(13, 45)), true, false));
        assert!(is_due(now, Some(at(9, 0)), Some(at(13, 55)), true, true));
        // A failure before the last good backup does not hold it back.
        assert!(is_due(now, Some(at(12, 0)), Some(at(11, 0)), true, false));
    }

    #[test]
    fn sealing_needs_a_passcode_a_passphrase_or_an_explicit_choice() {
        let mut s = BackupSettings::default();
        assert!(matches!(
            sealing(&s, None),
            Err(BackupError::NeedsPassphrase)
        ));
        s.unencrypted = true;
        assert!(matches!(sealing(&s, None), Ok(Sealing::Unencrypted)));
        let stored =
            new_passphrase(&Passcode::new("correct horse"), KdfParams::weak_for_tests()).unwrap();
        // The passphrase itself is nowhere in the settings.
        let json = serde_json::to_string(&stored).unwrap();
        assert!(!json.contains("correct horse"));
        s.passphrase = Some(stored.clone());
        assert!(matches!(sealing(&s, None), Ok(Sealing::Passphrase(_))));
        let store_key = weak_key();
        assert!(matches!(
            sealing(&s, Some(&store_key)),
            Ok(Sealing::Passcode(_))
        ));
        // The passphrase opens the wrap; another does not.
        assert!(SealKey::unlock(&Passcode::new("correct horse"), &stored.wrap).is_ok());
        assert_eq!(
            SealKey::unlock(&Passcode::new("wrong horse!"), &stored.wrap).unwrap_err(),
            CryptoError::WrongPasscode
        );
    }

    #[test]
    fn an_export_is_sealed_unless_asked_for_that_export() {
        let mut s = BackupSettings::default();
        // Nothing set up: a passphrase is needed, or an explicit choice.
        assert!(matches!(
            export_sealing(&s, None, false),
            Err(BackupError::NeedsPassphrase)
        ));
        assert!(matches!(
            export_sealing(&s, None, true),
            Ok(Sealing::Unencrypted)
        ));
        // Unencrypted backups to the folder are not unencrypted exports.
        s.unencrypted = true;
        assert!(matches!(
            export_sealing(&s, None, false),
            Err(BackupError::NeedsPassphrase)
        ));
        // The backup passphrase seals it, as it seals backups ...
        let stored =
            new_passphrase(&Passcode::new("correct horse"), KdfParams::weak_for_tests()).unwrap();
        s.passphrase = Some(stored.clone());
        let Ok(Sealing::Passphrase(key)) = export_sealing(&s, None, false) else {
            panic!("sealed with the passphrase")
        };
        let d = data(4);
        let bytes = export::backup(&d, Some(&key), at(9, 0)).unwrap();
        let export::BackupLock::Sealed(wrap) = export::inspect_backup(&bytes).unwrap() else {
            panic!("sealed")
        };
        // ... so this device opens it without asking, another only with it.
        assert!(known_key(&s, None, &wrap).is_some());
        assert!(known_key(&BackupSettings::default(), None, &wrap).is_none());
        let opened = SealKey::unlock(&Passcode::new("correct horse"), &wrap).unwrap();
        assert_eq!(export::read_backup(&bytes, Some(&opened)).unwrap(), d);
        // ... and the passcode's key comes first.
        assert!(matches!(
            export_sealing(&s, Some(&weak_key()), false),
            Ok(Sealing::Passcode(_))
        ));
    }

    #[test]
    fn rotation_keeps_exactly_n_and_never_touches_other_files() {
        let fs = MemFs::new();
        let folder = Path::new("/sync/backups");
        fs.create_dir_private(folder).unwrap();
        // Files that are not ours by name, by device, or by header.
        let foreign = [
            "notes.txt".to_owned(),
            file_name("laptop", at(1, 0)),
            "common-ground-2026-01-01.json".to_owned(),
        ];
        for n in &foreign {
            fs.put(&folder.join(n), b"not ours");
        }
        let planted = file_name("phone", at(0, 30));
        fs.put(&folder.join(&planted), b"our name, not our header");
        let d = data(20);
        let key = Sealing::Passphrase(weak_key());
        let mut written = Vec::new();
        for i in 0..6 {
            let w = write_backup(&fs, folder, "phone", Some(3), &d, &key, at(2 + i, 0)).unwrap();
            written.push(w.path.clone());
            assert!(w.kept <= 4, "{w:?}");
        }
        let mine: Vec<_> = own_backups(&fs, folder, "phone").unwrap();
        // The three newest, plus the planted file (no header: never removed).
        let kept: Vec<_> = mine.iter().map(|(_, p)| p.clone()).collect();
        assert_eq!(
            kept,
            vec![
                written[5].clone(),
                written[4].clone(),
                written[3].clone(),
                folder.join(&planted)
            ]
        );
        for n in &foreign {
            assert_eq!(fs.get(&folder.join(n)).unwrap(), b"not ours");
        }
        // Each kept one passes its checks and holds the data.
        for p in &written[3..] {
            let bytes = fs.get(p).unwrap();
            assert!(format::verify(&bytes).is_ok());
        }
    }

    #[test]
    fn backups_in_quick_succession_keep_newest_last_and_exactly_n() {
        let fs = MemFs::new();
        let folder = Path::new("/b");
        fs.create_dir_private(folder).unwrap();
        let d = data(3);
        let mut last = None;
        // Five backups within one second, then one with the clock set back.
        let times = [0, 0, 0, 0, 0, -3600];
        for secs in times {
            let now = at(14, 0) + TimeDelta::seconds(secs);
            let w = write_backup(
                &fs,
                folder,
                "phone",
                Some(2),
                &d,
                &Sealing::Unencrypted,
                now,
            )
            .unwrap();
            if let Some(prev) = last {
                assert!(w.at > prev, "{:?} after {:?}", w.at, prev);
            }
            last = Some(w.at);
            let mine = own_backups(&fs, folder, "phone").unwrap();
            assert!(mine.len() <= 2);
            assert_eq!(mine[0].1, w.path, "the new one is the newest");
        }
    }

    #[test]
    fn a_backup_opens_only_with_its_passphrase_and_holds_everything() {
        let fs = MemFs::new();
        let folder = Path::new("/b");
        fs.create_dir_private(folder).unwrap();
        let mut d = data(30);
        d.settings.backup.device = "phone".into();
        let stored =
            new_passphrase(&Passcode::new("correct horse"), KdfParams::weak_for_tests()).unwrap();
        let key = passphrase_key(&stored).unwrap();
        let w = write_backup(
            &fs,
            folder,
            "phone",
            Some(10),
            &d,
            &Sealing::Passphrase(key),
            at(14, 2),
        )
        .unwrap();
        let bytes = fs.get(&w.path).unwrap();
        // A stranger reads nothing: no note text in the file.
        let note = d
            .check_ins
            .iter()
            .map(|r| &r.body.note)
            .find(|n| !n.is_empty())
            .expect("a check-in with a note");
        assert!(!String::from_utf8_lossy(&bytes).contains(note.as_str()));
        let export::BackupLock::Sealed(wrap) = export::inspect_backup(&bytes).unwrap() else {
            panic!("sealed")
        };
        assert!(SealKey::unlock(&Passcode::new("wrong horse!"), &wrap).is_err());
        let opened = SealKey::unlock(&Passcode::new("correct horse"), &wrap).unwrap();
        assert_eq!(export::read_backup(&bytes, Some(&opened)).unwrap(), d);
        // Listed with date, device and counts when the key is at hand ...
        let settings = BackupSettings {
            passphrase: Some(stored),
            ..Default::default()
        };
        let listed = list(&fs, folder, &|w| known_key(&settings, None, w)).unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].at, at(14, 2));
        assert_eq!(listed[0].device, "phone");
        assert_eq!(
            listed[0].holds,
            Holds::Counts {
                check_ins: d.check_ins.len(),
                concerns: d.concerns.len()
            }
        );
        // ... and as sealed when it is not.
        let listed = list(&fs, folder, &|_| None).unwrap();
        assert_eq!(listed[0].holds, Holds::Sealed);
    }

    #[test]
    fn the_copy_before_a_replace_goes_beside_the_file_sealed_with_its_key() {
        let fs = MemFs::new();
        for f in ["/data", "/restored"] {
            fs.create_dir_private(Path::new(f)).unwrap();
        }
        // No backup folder and no passcode here: beside the restored file,
        // sealed with the restored backup's own key, labelled for what it is.
        let copy = |d: &Data, key: Option<SealKey>, minute| {
            let (data, beside) = (Path::new("/data"), Path::new("/restored"));
            backup_before_replace(&fs, data, beside, d, None, key, at(9, minute)).unwrap()
        };
        let d = data(5);
        let key = weak_key();
        let path = copy(&d, Some(key.clone()), 0);
        assert_eq!(path.parent(), Some(Path::new("/restored")));
        assert!(
            path.to_string_lossy().contains("before-restore"),
            "{path:?}"
        );
        let bytes = fs.get(&path).unwrap();
        assert!(matches!(
            export::inspect_backup(&bytes).unwrap(),
            export::BackupLock::Sealed(_)
        ));
        assert_eq!(export::read_backup(&bytes, Some(&key)).unwrap(), d);
        // With a usable backup folder it goes there, under this device's label.
        fs.create_dir_private(Path::new("/b")).unwrap();
        let mut d = d;
        d.settings.backup.folder = Some("/b".into());
        d.settings.backup.device = "phone".into();
        d.settings.backup.unencrypted = true;
        let path = copy(&d, None, 1);
        assert_eq!(path.parent(), Some(Path::new("/b")));
        assert!(path.to_string_lossy().contains("phone"), "{path:?}");
    }

    #[test]
    fn a_missing_folder_or_a_full_disk_is_a_typed_error_and_leaves_the_set() {
        let tmp = tempfile::tempdir().unwrap();
        let gone = tmp.path().join("usb-stick");
        let d = data(5);
        let err = write_backup(
            &RealFs,
            &gone,
            "phone",
            Some(10),
            &d,
            &Sealing::Unencrypted,
            at(14, 0),
        )
        .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::FolderMissing, "{err}");
        assert!(
            !gone.exists(),
            "the folder is not created behind the user's back"
        );
        assert_eq!(
            check_folder(&RealFs, &gone, None).unwrap_err().kind(),
            ErrorKind::FolderMissing
        );
        // Inside the data folder: refused.
        let data_dir = tmp.path().join("data");
        std::fs::create_dir_all(data_dir.join("b")).unwrap();
        assert!(matches!(
            check_folder(&RealFs, &data_dir.join("b"), Some(&data_dir)),
            Err(BackupError::InDataFolder { .. })
        ));

        let fs = MemFs::new();
        let folder = Path::new("/b");
        fs.create_dir_private(folder).unwrap();
        let first = write_backup(
            &fs,
            folder,
            "phone",
            Some(1),
            &d,
            &Sealing::Unencrypted,
            at(9, 0),
        )
        .unwrap();
        let before = fs.paths();
        // The write of the new file fails with "no space left".
        fs.inject(1, FaultKind::Full);
        let err = write_backup(
            &fs,
            folder,
            "phone",
            Some(1),
            &d,
            &Sealing::Unencrypted,
            at(10, 0),
        )
        .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::DiskFull, "{err}");
        assert_eq!(fs.paths(), before, "the old set is untouched");
        assert!(fs.get(&first.path).is_some());
    }

    #[test]
    fn only_a_passcode_key_seals_a_store_restored_in_place() {
        let stored =
            new_passphrase(&Passcode::new("correct horse"), KdfParams::weak_for_tests()).unwrap();
        let own = passphrase_key(&stored).unwrap();
        let mut d = data(2);
        d.settings.backup.passphrase = Some(stored);
        // Sealed with the backup passphrase it carries: not a passcode.
        assert!(passcode_key(&d, Some(own)).is_none());
        // Sealed with another key (the passcode that was on): it is.
        let passcode = weak_key();
        assert!(passcode_key(&d, Some(passcode.clone())).is_some());
        assert!(passcode_key(&data(2), Some(passcode)).is_some());
        assert!(passcode_key(&d, None).is_none());
    }

    #[test]
    fn a_restore_keeps_the_backup_s_passcode_only_where_there_is_none() {
        let stored =
            new_passphrase(&Passcode::new("correct horse"), KdfParams::weak_for_tests()).unwrap();
        let own = passphrase_key(&stored).unwrap();
        let mut carries_passphrase = data(2);
        carries_passphrase.settings.backup.passphrase = Some(stored);
        let passcode = weak_key();
        let here = weak_key();
        let fresh = Data::default();
        // No passcode here, a backup sealed with the passcode that was on.
        let kept = protection_after_restore(&fresh, None, &data(2), Some(passcode.clone()));
        assert!(kept.is_some_and(|k| k.is_key(&passcode.wrap().key_id.0)));
        // A passcode here: this store keeps its own.
        assert!(
            protection_after_restore(&fresh, Some(&here), &data(2), Some(passcode.clone()))
                .is_none()
        );
        // Sealed with the backup passphrase it carries: the data was
        // unencrypted there.
        assert!(
            protection_after_restore(&fresh, None, &carries_passphrase, Some(own.clone()))
                .is_none()
        );
        // Sealed with this device's own passphrase (a copy made before a
        // replace holds data that carries none): not a passcode either.
        assert!(protection_after_restore(&carries_passphrase, None, &data(2), Some(own)).is_none());
        // An unencrypted backup brings no key.
        assert!(protection_after_restore(&fresh, None, &data(2), None).is_none());
    }

    #[test]
    fn restore_merges_or_replaces_and_keeps_this_device_s_settings() {
        let mut here = data(10);
        here.settings.backup.folder = Some("/sync".into());
        here.settings.backup.device = "laptop".into();
        let mut there = data(12);
        there.settings.backup.folder = Some("/storage/sync".into());
        there.settings.backup.device = "phone".into();
        there.settings.theme = crate::core::model::ThemeChoice::Dark;
        let replace = plan_restore(&here, &there, RestoreMode::Replace);
        assert_eq!(replace.result.check_ins, there.check_ins);
        assert_eq!(replace.result.settings.theme, there.settings.theme);
        assert_eq!(replace.result.settings.backup, here.settings.backup);
        assert_eq!(replace.check_ins, there.check_ins.len());
        let merge = plan_restore(&here, &there, RestoreMode::Merge);
        assert_eq!(merge.result.settings.backup, here.settings.backup);
        // Merging the same backup twice adds nothing the second time.
        let again = plan_restore(&merge.result, &there, RestoreMode::Merge);
        assert!(again.summary.is_empty());
        assert!(again.changes_nothing(&merge.result));
        // A fresh install takes the folder and sealing, not the label.
        let mut fresh = Data::default();
        fresh.settings.backup.device = "phone-new".into();
        let taken = plan_restore(&fresh, &there, RestoreMode::Merge);
        assert_eq!(
            taken.result.settings.backup.folder,
            there.settings.backup.folder
        );
        assert_eq!(taken.result.settings.backup.device, "phone-new");
    }
}

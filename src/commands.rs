//! The `export` and `import` subcommands, free of Slint so that they are
//! tested with the core. `main.rs` wires them to the terminal; the passcode
//! comes through a callback so tests can supply it.

use std::fmt;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use chrono::Utc;

use crate::core::backup::{self, BackupError, RestoreMode, Sealing};
use crate::core::export::{
    self, inspect_backup, plan_import, read_backup, BackupLock, ExportFormat, ImportSummary,
};
use crate::core::files::{is_inside, read_backup_file, write_file_atomically, FileError};
use crate::core::model::{BackupKey, Data};
use crate::core::size::{check_fits, largest_item, TooLarge};
use crate::core::store::format::{LoadError, MAX_FILE_BYTES};
use crate::core::store::replace::can_set_aside;
use crate::core::store::{
    unlock, unlock_wait, CryptoError, KdfParams, Notice, Passcode, RealFs, Restored, SealKey,
    Store, StoreError, Vfs, PRIMARY,
};

/// Which passcode is being asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ask {
    /// The passcode of the store in the data folder.
    Store,
    /// The passcode or backup passphrase the backup file was sealed with
    /// (it differs from the store's).
    Backup,
    /// A new backup passphrase (no passcode is on, and none is set yet).
    NewPassphrase,
    /// The new backup passphrase again, to be sure it was typed as meant.
    ConfirmPassphrase,
}

impl Ask {
    pub fn prompt(self) -> &'static str {
        match self {
            Ask::Store => "Passcode: ",
            Ask::Backup => "Passcode or backup passphrase of the backup file: ",
            Ask::NewPassphrase => {
                "Backups are sealed with a passphrase. Choose one (6 or more characters; \
                 without it no backup can be read): "
            }
            Ask::ConfirmPassphrase => "The same passphrase again: ",
        }
    }
}

/// Why a command failed. Nothing was changed on disk.
#[derive(Debug)]
pub enum CommandError {
    Store(StoreError),
    Backup {
        path: PathBuf,
        error: LoadError,
    },
    Crypto(CryptoError),
    Io {
        what: String,
        source: io::Error,
    },
    Export(export::ExportError),
    /// `--out` points into the data folder, which holds only the store.
    OutInDataDir(PathBuf),
    /// A sealed backup or a PDF would be written to a terminal.
    BinaryToTerminal,
    /// `sample-data` was pointed at a folder that already holds something.
    NotEmpty(PathBuf),
    /// The file to import is not a regular file (a folder, a pipe, a
    /// device): refused before reading anything.
    NotAFile(PathBuf),
    /// The import would make the store larger than it can be read back.
    TooLarge(TooLarge),
    /// A backup could not be written or read (the store is untouched).
    Backups(BackupError),
    /// The two passphrases typed differ.
    PassphrasesDiffer,
    /// No generation of the store could be read: nothing was exported.
    NothingReadable {
        dir: PathBuf,
        why: Vec<String>,
    },
}

impl fmt::Display for CommandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CommandError::Store(e) => write!(f, "{e}"),
            CommandError::Backup { path, error } => {
                write!(
                    f,
                    "{} cannot be imported: {error}. Nothing was changed",
                    path.display()
                )
            }
            CommandError::Crypto(e) => write!(f, "{e}. Nothing was changed"),
            CommandError::Io { what, source } => write!(f, "could not {what}: {source}"),
            CommandError::Export(e) => write!(f, "{e}"),
            CommandError::OutInDataDir(p) => write!(
                f,
                "{} is inside the data folder; please export somewhere else",
                p.display()
            ),
            CommandError::BinaryToTerminal => write!(
                f,
                "that file is not text (an encrypted backup or a PDF); please give --out FILE"
            ),
            CommandError::NotEmpty(p) => write!(
                f,
                "{} is not empty; sample-data only fills an empty folder, so nothing was written",
                p.display()
            ),
            CommandError::NotAFile(p) => write!(
                f,
                "{} is not a regular file (a folder, pipe or device cannot be a backup); \
                 nothing was read and nothing was changed",
                p.display()
            ),
            CommandError::TooLarge(e) => {
                write!(f, "this import cannot be added: {e}. Nothing was changed")
            }
            CommandError::Backups(e) => write!(f, "{e}. Your data was not changed"),
            CommandError::PassphrasesDiffer => write!(
                f,
                "the two passphrases differ, so none was set and no backup was written"
            ),
            CommandError::NothingReadable { dir, why } => {
                write!(
                    f,
                    "no saved generation of the store in {} can be read, so nothing was exported",
                    dir.display()
                )?;
                for w in why {
                    write!(f, "\n  {w}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for CommandError {}

impl From<FileError> for CommandError {
    fn from(e: FileError) -> Self {
        match e {
            FileError::Io { what, source } => CommandError::Io { what, source },
            FileError::NotAFile(path) => CommandError::NotAFile(path),
            FileError::TooLarge { path, len } => CommandError::Backup {
                path,
                error: LoadError::TooLarge {
                    len,
                    max: MAX_FILE_BYTES,
                },
            },
        }
    }
}

fn io_err(what: impl Into<String>) -> impl FnOnce(io::Error) -> CommandError {
    let what = what.into();
    move |source| CommandError::Io { what, source }
}

/// Opens the store in `dir` to write, asking for the passcode if it is
/// encrypted. Damaged files are set aside as the app would do; the
/// notices ([`notice_lines`]) say so. After several wrong passcodes (in
/// the app or here) the wait kept in the data folder applies: the command
/// says how long and asks nothing.
pub fn open_store(
    dir: &Path,
    ask: &mut dyn FnMut(Ask) -> io::Result<Passcode>,
) -> Result<(Store, Option<Passcode>), CommandError> {
    open_with(dir, ask, false)
}

/// Opens the store in `dir` read-only (nothing on disk is touched, so a
/// read-only folder works too), asking for the passcode if it is
/// encrypted.
pub fn open_store_read_only(
    dir: &Path,
    ask: &mut dyn FnMut(Ask) -> io::Result<Passcode>,
) -> Result<(Store, Option<Passcode>), CommandError> {
    open_with(dir, ask, true)
}

fn open_with(
    dir: &Path,
    ask: &mut dyn FnMut(Ask) -> io::Result<Passcode>,
    read_only: bool,
) -> Result<(Store, Option<Passcode>), CommandError> {
    let open = |key: Option<SealKey>| {
        if read_only {
            Store::open_read_only(dir, key)
        } else {
            match key {
                Some(key) => Store::open_unlocked(dir, key),
                None => Store::open(dir),
            }
        }
    };
    match open(None) {
        Ok(s) => Ok((s, None)),
        Err(StoreError::Locked { .. }) => {
            let wait = unlock_wait(dir);
            if wait > 0 {
                return Err(CommandError::Crypto(CryptoError::Wait { seconds: wait }));
            }
            let passcode = ask(Ask::Store).map_err(io_err("read the passcode"))?;
            // Wrong tries count even when reading only: the wait must hold
            // for every way in.
            let key = unlock(dir, &passcode, KdfParams::APP).map_err(CommandError::Crypto)?;
            let store = open(Some(key)).map_err(CommandError::Store)?;
            Ok((store, Some(passcode)))
        }
        Err(e) => Err(CommandError::Store(e)),
    }
}

/// What the store found when it was opened, in words for standard error:
/// every file set aside or left unreadable, and where the data came from.
pub fn notice_lines(notices: &[Notice]) -> Vec<String> {
    let name = |p: &Path| p.display().to_string();
    let mut out = Vec::new();
    for notice in notices {
        match notice {
            Notice::Created { .. } => {}
            Notice::Repaired {
                set_aside,
                restored,
            } => {
                for s in set_aside {
                    out.push(format!(
                        "{} could not be read ({}); it was moved aside, unchanged, to {}",
                        name(&s.original),
                        s.reason,
                        name(&s.moved_to)
                    ));
                }
                match restored {
                    Restored::Unaffected => {}
                    Restored::FromBackup {
                        from,
                        generation,
                        saved,
                    } => out.push(format!(
                        "your data was restored from {} (generation {generation}, saved {}); \
                         changes made after that are not in it",
                        name(from),
                        saved.format("%Y-%m-%d %H:%M:%S UTC")
                    )),
                    Restored::Empty => out.push(
                        "no saved generation could be read, so the store starts empty".into(),
                    ),
                }
            }
            Notice::Unreadable { files } => {
                for (path, reason) in files {
                    out.push(format!(
                        "{} cannot be read ({reason}); it was left as it is",
                        name(path)
                    ));
                }
            }
            Notice::ReadOnly { dir } => out.push(format!(
                "Common Ground is open elsewhere on {}, so this only reads the store",
                name(dir)
            )),
            Notice::SaveFailed { error } => out.push(format!("a save failed: {error}")),
        }
    }
    out
}

/// What `run_export` has to tell, besides the export itself.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExportReport {
    /// What opening the store found (for standard error).
    pub notices: Vec<String>,
    /// Set when the export holds an older generation than the newest one
    /// saved (the newest cannot be read): the export was written, but the
    /// command fails so that no script takes it for the latest data.
    pub older: Option<String>,
}

/// What standard error says before a plain (unencrypted) export is
/// written to `out`, or to standard output sent to a file or a pipe.
pub fn plain_caution(out: Option<&Path>) -> String {
    match out {
        Some(out) => format!(
            "{} will not be encrypted: anyone who gets the file can read it",
            out.display()
        ),
        None => {
            "this output is not encrypted: anyone who gets the file it goes to can read it".into()
        }
    }
}

/// `common-ground export`: writes to `args.out` (atomically) or to
/// `stdout`. Opens the store read-only: an export changes nothing in the
/// data folder, not even a damaged file (the app sets those aside).
///
/// A json backup is sealed as backups are (`backup::export_sealing`); with
/// neither a passcode nor a backup passphrase, a new passphrase is asked
/// for (twice, as `backup` does), and its key is kept in the settings
/// when the store opened cleanly, so later exports and backups use it.
/// Only `args.unencrypted` writes it plain. Before a plain file is
/// written (CSV, the summary, or an unencrypted backup), `stderr` says that
/// anyone who gets it can read it; not when standard output is the
/// terminal itself (nothing is written then).
pub fn run_export(
    dir: &Path,
    args: &crate::cli::ExportArgs,
    ask: &mut dyn FnMut(Ask) -> io::Result<Passcode>,
    params: KdfParams,
    stdout: &mut dyn Write,
    stdout_is_terminal: bool,
    stderr: &mut dyn Write,
) -> Result<ExportReport, CommandError> {
    let out = args.out.as_deref();
    if let Some(out) = out {
        if is_inside(dir, out) {
            return Err(CommandError::OutInDataDir(out.to_path_buf()));
        }
    }
    let is_backup = args.format == ExportFormat::Backup;
    let plain = !is_backup || args.unencrypted;
    let binary = !plain || args.format == ExportFormat::Pdf;
    if out.is_none() && stdout_is_terminal && binary {
        return Err(CommandError::BinaryToTerminal);
    }
    let (store, _) = open_store_read_only(dir, ask)?;
    let mut notices = notice_lines(store.notices());
    let older = match store.source() {
        None => {
            return Err(CommandError::NothingReadable {
                dir: dir.to_path_buf(),
                why: notices,
            })
        }
        Some((path, _)) if path == dir.join(PRIMARY) => None,
        Some((path, generation)) => Some(format!(
            "the newest save ({}) cannot be read; this export holds generation {generation} \
             from {}, which may lack your latest changes. Opening the app restores it the \
             same way",
            dir.join(PRIMARY).display(),
            path.display()
        )),
    };
    let mut new_passphrase = None;
    let key = if is_backup {
        let settings = &store.data().settings.backup;
        match backup::export_sealing(settings, store.seal_key(), args.unencrypted) {
            Ok(sealing) => sealing.key().cloned(),
            Err(BackupError::NeedsPassphrase) => {
                let stored = ask_new_passphrase(ask, params)?;
                let key = backup::passphrase_key(&stored)
                    .ok_or(CommandError::Crypto(CryptoError::BadParameters))?;
                new_passphrase = Some(stored);
                Some(key)
            }
            Err(e) => return Err(CommandError::Backups(e)),
        }
    } else {
        None
    };
    let bytes = export::export_bytes(
        store.data(),
        key.as_ref(),
        args.format,
        args.period,
        args.with_notes,
        Utc::now(),
    )
    .map_err(CommandError::Export)?;
    // Opened to write only if opening found nothing to set aside.
    let clean = older.is_none() && notices.is_empty();
    drop(store);
    if let Some(stored) = new_passphrase {
        notices.extend(keep_passphrase(dir, stored, clean));
    }
    if plain && (out.is_some() || !stdout_is_terminal) {
        writeln!(stderr, "common-ground: {}", plain_caution(out))
            .and_then(|()| stderr.flush())
            .map_err(io_err("write to standard error"))?;
    }
    match out {
        Some(out) => write_file_atomically(out, &bytes)?,
        None => stdout
            .write_all(&bytes)
            .and_then(|()| stdout.flush())
            .map_err(io_err("write to standard output"))?,
    }
    Ok(ExportReport { notices, older })
}

/// Asks for a new backup passphrase, twice, and makes its key (one
/// Argon2id with `params`).
fn ask_new_passphrase(
    ask: &mut dyn FnMut(Ask) -> io::Result<Passcode>,
    params: KdfParams,
) -> Result<BackupKey, CommandError> {
    let first = ask(Ask::NewPassphrase).map_err(io_err("read the passphrase"))?;
    first.check_new().map_err(CommandError::Crypto)?;
    let again = ask(Ask::ConfirmPassphrase).map_err(io_err("read the passphrase"))?;
    if !first.same_as(&again) {
        return Err(CommandError::PassphrasesDiffer);
    }
    backup::new_passphrase(&first, params).map_err(CommandError::Crypto)
}

/// Keeps a new backup passphrase's key in the store's settings, so later
/// exports and backups use it without asking. The store is opened to
/// write only when it opened `clean` (an export must not set damaged
/// files aside); if it cannot be kept, the line returned says so.
fn keep_passphrase(dir: &Path, stored: BackupKey, clean: bool) -> Option<String> {
    let not_kept = |why: &str| {
        Some(format!(
            "the new backup passphrase was not kept for later backups ({why}); this export \
             opens with it all the same"
        ))
    };
    if !clean {
        return not_kept("the data folder needs the app's attention first");
    }
    let mut store = match Store::open(dir) {
        Ok(store) if !store.is_read_only() => store,
        Ok(_) => return not_kept("Common Ground is open elsewhere"),
        Err(e) => return not_kept(&e.to_string()),
    };
    if store.data().settings.backup.passphrase.is_some() {
        // Set meanwhile, elsewhere: that one stays.
        return not_kept("another was set meanwhile");
    }
    match store
        .update(|d| d.settings.backup.passphrase = Some(stored))
        .and_then(|_| store.flush())
    {
        Ok(_) => None,
        Err(e) => not_kept(&e.to_string()),
    }
}

/// What `run_import` did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportOutcome {
    pub summary: ImportSummary,
    pub applied: bool,
    /// What opening the store found (for standard error).
    pub notices: Vec<String>,
}

/// `common-ground import FILE`: validates the whole file, works out what it
/// adds, and (unless `dry_run`) applies it in one save. Any failure changes
/// nothing.
pub fn run_import(
    dir: &Path,
    file: &Path,
    dry_run: bool,
    ask: &mut dyn FnMut(Ask) -> io::Result<Passcode>,
) -> Result<ImportOutcome, CommandError> {
    let bad = |error: LoadError| CommandError::Backup {
        path: file.to_path_buf(),
        error,
    };
    let bytes = read_backup_file(file)?;
    let lock = inspect_backup(&bytes).map_err(bad)?;
    // A dry run only reads; into a folder with no store yet, it plans
    // against an empty one.
    let opened = if dry_run {
        match open_store_read_only(dir, ask) {
            Err(CommandError::Store(StoreError::NoStore { .. })) => None,
            other => Some(other?),
        }
    } else {
        Some(open_store(dir, ask)?)
    };
    let (mut store, store_pass) = match opened {
        Some((store, pass)) => (Some(store), pass),
        None => (None, None),
    };
    let notices = store
        .as_ref()
        .map(|s| notice_lines(s.notices()))
        .unwrap_or_default();
    if !dry_run && store.as_ref().is_some_and(Store::is_read_only) {
        return Err(CommandError::Store(StoreError::ReadOnly {
            dir: dir.to_path_buf(),
        }));
    }
    let empty = Data::default();
    let current = store.as_ref().map_or(&empty, |s| s.data());
    let store_key = store.as_ref().and_then(|s| s.seal_key());
    let key = match lock {
        BackupLock::Open => None,
        BackupLock::Sealed(wrap) => {
            match backup::known_key(&current.settings.backup, store_key, &wrap) {
                Some(k) => Some(k),
                None => {
                    let tried = store_pass
                        .as_ref()
                        .and_then(|p| SealKey::unlock(p, &wrap).ok());
                    match tried {
                        Some(k) => Some(k),
                        None => {
                            let p = ask(Ask::Backup).map_err(io_err("read the passcode"))?;
                            Some(SealKey::unlock(&p, &wrap).map_err(CommandError::Crypto)?)
                        }
                    }
                }
            }
        }
    };
    let incoming = read_backup(&bytes, key.as_ref()).map_err(bad)?;
    let plan = plan_import(current, &incoming);
    if plan.summary.is_empty() {
        return Ok(ImportOutcome {
            summary: plan.summary,
            applied: false,
            notices,
        });
    }
    // Too big: name the backup's largest item, under its id there.
    check_fits(&plan.merged).map_err(|e| {
        CommandError::TooLarge(TooLarge {
            largest: largest_item(&incoming),
            ..e
        })
    })?;
    let Some(store) = store.as_mut().filter(|_| !dry_run) else {
        return Ok(ImportOutcome {
            summary: plan.summary,
            applied: false,
            notices,
        });
    };
    // Nothing else changes the data in between: the plan is applied as
    // it is, in one save.
    let summary = plan.summary;
    let merged = plan.merged;
    store.update(|d| *d = merged).map_err(CommandError::Store)?;
    store.flush().map_err(CommandError::Store)?;
    Ok(ImportOutcome {
        summary,
        applied: true,
        notices,
    })
}

impl fmt::Display for ImportOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = &self.summary;
        if s.is_empty() {
            return writeln!(
                f,
                "Nothing to add: everything in the backup is already here ({} records).",
                s.already_here
            );
        }
        let verb = if self.applied { "Added" } else { "Would add" };
        writeln!(
            f,
            "{verb} {} check-ins and {} concerns.",
            s.check_ins_added, s.concerns_added
        )?;
        if s.already_here > 0 {
            writeln!(
                f,
                "  {} records were already here and were left as they are.",
                s.already_here
            )?;
        }
        if s.renumbered > 0 {
            writeln!(
                f,
                "  {} records got a new id, as theirs was taken here.",
                s.renumbered
            )?;
        }
        if s.learn_added > 0 {
            writeln!(f, "  {} Learn bookmarks and read cards.", s.learn_added)?;
        }
        if s.took_settings {
            writeln!(
                f,
                "  The store was empty, so the backup's settings were taken too."
            )?;
        }
        if !self.applied {
            writeln!(f, "Nothing was changed (dry run).")?;
        }
        Ok(())
    }
}

/// The backup passphrase of the backups `sample-data --backups` writes:
/// the history is made up, so its passphrase is in the help.
pub const SAMPLE_PASSPHRASE: &str = "made-up data";
/// How many backups `sample-data --backups` writes, a week apart.
pub const SAMPLE_BACKUPS: usize = 4;
/// The other device's label in those backups (a laptop syncing the same
/// folder, as the README describes).
const SAMPLE_OTHER_DEVICE: &str = "laptop";

/// Refuses a folder that holds anything (a missing one is fine).
fn must_be_empty(dir: &Path) -> Result<(), CommandError> {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(CommandError::NotEmpty(dir.to_path_buf()));
            }
            Ok(())
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io_err(format!("read {}", dir.display()))(e)),
    }
}

/// `sample-data`: fills an empty (or missing) folder with a made-up history.
/// Refuses a folder that holds anything, so no one's data is ever
/// overwritten. With `--backups DIR` (empty or missing too, and not in the
/// data folder), also writes [`SAMPLE_BACKUPS`] backups there, a week
/// apart, each holding the history as it stood that day, the one before
/// the newest from another device; they are sealed with
/// [`SAMPLE_PASSPHRASE`] (one Argon2id with `params`), and the folder
/// becomes the backup folder. Returns the lines to print.
pub fn run_sample_data(
    dir: &Path,
    args: &crate::cli::SampleArgs,
    params: KdfParams,
) -> Result<String, CommandError> {
    use crate::core::sample::{as_of, generate, Spec};
    must_be_empty(dir)?;
    let folder = match &args.backups {
        Some(b) => {
            let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
            let folder = absolute(b);
            if folder.starts_with(absolute(dir)) {
                return Err(CommandError::Backups(BackupError::InDataFolder { folder }));
            }
            must_be_empty(&folder)?;
            Some(folder)
        }
        None => None,
    };
    let end = args
        .end
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let defaults = Spec::weekly(args.years, end);
    let spec = Spec {
        per_year: args.per_year.unwrap_or(defaults.per_year),
        concerns_per_year: args.concerns_per_year.unwrap_or(defaults.concerns_per_year),
        seed: args.seed.unwrap_or(defaults.seed),
        scripts: args.scripts,
        ..defaults
    };
    let mut data = generate(spec);
    let (check_ins, concerns) = (data.check_ins.len(), data.concerns.len());
    let mut said = format!(
        "Wrote {check_ins} check-ins and {concerns} concerns over {} years to {}",
        args.years,
        dir.display()
    );
    if let Some(folder) = &folder {
        RealFs
            .create_dir_private(folder)
            .map_err(io_err(format!("make the folder {}", folder.display())))?;
        let stored = backup::new_passphrase(&Passcode::new(SAMPLE_PASSPHRASE), params)
            .map_err(CommandError::Crypto)?;
        let key = backup::passphrase_key(&stored)
            .ok_or(CommandError::Crypto(CryptoError::BadParameters))?;
        let device = backup::new_device_label();
        let settings = &mut data.settings.backup;
        settings.folder = Some(folder.display().to_string());
        settings.device = device.clone();
        settings.passphrase = Some(stored);
        let keep = settings.keep;
        // The newest on the history's last evening, or now if that is
        // still to come; the others a week apart before it.
        let evening = end
            .and_hms_opt(21, 30, 0)
            .map_or_else(Utc::now, |t| t.and_utc());
        let newest = evening.min(Utc::now());
        for k in (0..SAMPLE_BACKUPS).rev() {
            let at = newest - chrono::TimeDelta::weeks(k as i64);
            let label = if k == 1 {
                SAMPLE_OTHER_DEVICE
            } else {
                device.as_str()
            };
            backup::write_backup(
                &RealFs,
                folder,
                label,
                Some(keep),
                &as_of(&data, at),
                &Sealing::Passphrase(key.clone()),
                at,
            )
            .map_err(CommandError::Backups)?;
        }
        data.settings.backup.last_good = Some(newest);
        said.push_str(&format!(
            "\nWrote {SAMPLE_BACKUPS} backups to {} (sealed with the backup passphrase \
             \"{SAMPLE_PASSPHRASE}\"); it is the backup folder now",
            folder.display()
        ));
    }
    let mut store = Store::open(dir).map_err(CommandError::Store)?;
    store.update(|d| *d = data).map_err(CommandError::Store)?;
    store.flush().map_err(CommandError::Store)?;
    Ok(said)
}

/// What `run_backup` did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackupOutcome {
    pub written: backup::Written,
    /// How it is sealed: "passcode", "passphrase" or "unencrypted".
    pub sealed_with: &'static str,
    /// What opening the store found (for standard error).
    pub notices: Vec<String>,
}

impl fmt::Display for BackupOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Backed up to {} (sealed with your {}).",
            self.written.path.display(),
            self.sealed_with
        )?;
        if !self.written.removed.is_empty() {
            writeln!(
                f,
                "  Removed {} older backups of this device; {} kept.",
                self.written.removed.len(),
                self.written.kept
            )?;
        } else {
            writeln!(f, "  {} backups of this device kept.", self.written.kept)?;
        }
        Ok(())
    }
}

/// `common-ground backup [--to DIR] [--keep N]`: one sealed backup into
/// `to` or the configured folder, then this device's newest `keep` are
/// kept (see `core::backup`). Without a passcode and a passphrase, asks for
/// a new passphrase (twice) and keeps only its wrapped key. The store's
/// data is never changed; its backup settings record the device label, the
/// passphrase's key and (for the configured folder) the last good backup.
/// With the app open elsewhere, the backup is still written; the settings
/// are then left as they are.
pub fn run_backup(
    dir: &Path,
    to: Option<&Path>,
    keep: Option<u32>,
    ask: &mut dyn FnMut(Ask) -> io::Result<Passcode>,
    params: KdfParams,
) -> Result<BackupOutcome, CommandError> {
    let (mut store, _) = open_store(dir, ask)?;
    let notices = notice_lines(store.notices());
    let before = store.data().settings.backup.clone();
    let configured = before.folder.as_ref().map(PathBuf::from);
    let folder = to
        .map(Path::to_path_buf)
        .or_else(|| configured.clone())
        .ok_or(CommandError::Backups(BackupError::NoFolder))?;
    backup::check_folder(&RealFs, &folder, Some(dir)).map_err(CommandError::Backups)?;
    let mut settings = before.clone();
    if settings.device.is_empty() {
        settings.device = backup::new_device_label();
    }
    let sealing = match backup::sealing(&settings, store.seal_key()) {
        Err(BackupError::NeedsPassphrase) => {
            settings.passphrase = Some(ask_new_passphrase(ask, params)?);
            backup::sealing(&settings, None).map_err(CommandError::Backups)?
        }
        other => other.map_err(CommandError::Backups)?,
    };
    let save = |store: &mut Store, settings: &crate::core::model::BackupSettings| {
        if store.is_read_only() || store.data().settings.backup == *settings {
            return Ok(());
        }
        let s = settings.clone();
        store
            .update(|d| d.settings.backup = s)
            .map_err(CommandError::Store)
    };
    // The label and a new passphrase's key are kept first, so they hold
    // even if the folder fails.
    save(&mut store, &settings)?;
    let written = backup::write_backup(
        &RealFs,
        &folder,
        &settings.device,
        Some(keep.unwrap_or(settings.keep)),
        store.data(),
        &sealing,
        Utc::now(),
    )
    .map_err(CommandError::Backups)?;
    if configured.as_deref() == Some(folder.as_path()) {
        settings.last_good = Some(written.at);
        save(&mut store, &settings)?;
    }
    if !store.is_read_only() {
        store.flush().map_err(CommandError::Store)?;
    }
    Ok(BackupOutcome {
        written,
        sealed_with: match sealing {
            Sealing::Passcode(_) => "passcode",
            Sealing::Passphrase(_) => "backup passphrase",
            Sealing::Unencrypted => "choice: not encrypted",
        },
        notices,
    })
}

/// What `run_restore` did (or, for a dry run, would do).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RestoreOutcome {
    pub mode: RestoreMode,
    /// When the backup was written (its header).
    pub saved: chrono::DateTime<Utc>,
    /// What the backup holds.
    pub check_ins: usize,
    pub concerns: usize,
    /// What is here now.
    pub check_ins_here: usize,
    pub concerns_here: usize,
    /// For a merge: what it adds.
    pub summary: ImportSummary,
    pub applied: bool,
    /// For a replace: the backup of the data as it was (restore it with
    /// `--replace` to undo).
    pub undo: Option<PathBuf>,
    /// For a replace over a store a newer version wrote: the folder its
    /// files were moved into (a dry run: the data folder they would be
    /// set aside in).
    pub newer_set_aside: Option<PathBuf>,
    /// The data folder had no passcode and the backup was sealed with the
    /// passcode that was on where it was made: the folder is (or would be)
    /// sealed with that passcode, so the restored data is not left
    /// unencrypted here.
    pub keeps_passcode: bool,
    pub notices: Vec<String>,
}

impl fmt::Display for RestoreOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "The backup from {} holds {} check-ins and {} concerns.",
            self.saved.format("%Y-%m-%d %H:%M UTC"),
            self.check_ins,
            self.concerns
        )?;
        match self.mode {
            RestoreMode::Merge => {
                let s = &self.summary;
                if s.is_empty() {
                    writeln!(f, "Nothing to add: everything in it is already here.")?;
                } else {
                    let verb = if self.applied { "Added" } else { "Would add" };
                    writeln!(
                        f,
                        "{verb} {} check-ins and {} concerns; nothing here was removed.",
                        s.check_ins_added, s.concerns_added
                    )?;
                }
            }
            RestoreMode::Replace => {
                let verb = if self.applied {
                    "Replaced"
                } else {
                    "Would replace"
                };
                if self.newer_set_aside.is_some() {
                    writeln!(f, "{verb} the data here with the backup's.")?;
                } else {
                    writeln!(
                        f,
                        "{verb} the {} check-ins and {} concerns here with the backup's.",
                        self.check_ins_here, self.concerns_here
                    )?;
                }
            }
        }
        if let Some(folder) = &self.newer_set_aside {
            if self.applied {
                writeln!(
                    f,
                    "The data a newer version of Common Ground wrote was moved, unchanged, into {}; \
                     a newer Common Ground opens it with --data-dir.",
                    folder.display()
                )?;
            } else {
                writeln!(
                    f,
                    "The data here was written by a newer version of Common Ground; it would be \
                     moved, unchanged, into a folder named {}<time> in {}.",
                    crate::core::store::SET_ASIDE_PREFIX,
                    folder.display()
                )?;
            }
        }
        if self.keeps_passcode {
            let verb = if self.applied { "is" } else { "would be" };
            writeln!(
                f,
                "The backup was protected by a passcode, so the data here {verb} protected by \
                 the same passcode from now on (turn it off in the app's Settings)."
            )?;
        }
        if let Some(undo) = &self.undo {
            writeln!(
                f,
                "Your data as it was is backed up in {}; to undo, restore it with --replace.",
                undo.display()
            )?;
        }
        if !self.applied {
            writeln!(f, "Nothing was changed.")?;
        }
        Ok(())
    }
}

/// `common-ground restore FILE [--replace] [--dry-run]`: reads and checks
/// the whole backup (asking for its passcode or passphrase when this device
/// has no key for it), says what it holds and what restoring would do, and
/// (unless `dry_run`) applies it in one save. A replace first backs up the
/// data as it is (to the backup folder, else beside FILE), sealed as
/// backups are (or, with no sealing set up, with the backup's own key), so
/// it can be undone. Any failure changes nothing.
pub fn run_restore(
    dir: &Path,
    file: &Path,
    mode: RestoreMode,
    dry_run: bool,
    ask: &mut dyn FnMut(Ask) -> io::Result<Passcode>,
) -> Result<RestoreOutcome, CommandError> {
    let bad = |error: LoadError| CommandError::Backup {
        path: file.to_path_buf(),
        error,
    };
    let bytes = read_backup_file(file)?;
    let lock = inspect_backup(&bytes).map_err(bad)?;
    let opened = if dry_run {
        open_store_read_only(dir, ask)
    } else {
        open_store(dir, ask)
    };
    // A store a newer version wrote cannot be merged into; a replace sets
    // it aside whole (`Store::replace_newer`) and never deletes it.
    let mut newer = false;
    let opened = match opened {
        Err(CommandError::Store(StoreError::NoStore { .. })) if dry_run => None,
        Err(CommandError::Store(e)) if mode == RestoreMode::Replace && can_set_aside(&e) => {
            newer = true;
            None
        }
        other => Some(other?),
    };
    let (mut store, store_pass) = match opened {
        Some((store, pass)) => (Some(store), pass),
        None => (None, None),
    };
    let notices = store
        .as_ref()
        .map(|s| notice_lines(s.notices()))
        .unwrap_or_default();
    if !dry_run && store.as_ref().is_some_and(Store::is_read_only) {
        return Err(CommandError::Store(StoreError::ReadOnly {
            dir: dir.to_path_buf(),
        }));
    }
    let empty = Data::default();
    let current = store.as_ref().map_or(&empty, |s| s.data()).clone();
    let store_key = store.as_ref().and_then(|s| s.seal_key()).cloned();
    let key = match lock {
        BackupLock::Open => None,
        BackupLock::Sealed(wrap) => {
            match backup::known_key(&current.settings.backup, store_key.as_ref(), &wrap) {
                Some(k) => Some(k),
                None => match store_pass
                    .as_ref()
                    .and_then(|p| SealKey::unlock(p, &wrap).ok())
                {
                    Some(k) => Some(k),
                    None => {
                        let p = ask(Ask::Backup).map_err(io_err("read the passphrase"))?;
                        Some(SealKey::unlock(&p, &wrap).map_err(CommandError::Crypto)?)
                    }
                },
            }
        }
    };
    let (header, _) = crate::core::store::format::verify(&bytes).map_err(bad)?;
    let incoming = read_backup(&bytes, key.as_ref()).map_err(bad)?;
    let plan = backup::plan_restore(&current, &incoming, mode);
    check_fits(&plan.result).map_err(|e| {
        CommandError::TooLarge(TooLarge {
            largest: largest_item(&incoming),
            ..e
        })
    })?;
    let mut outcome = RestoreOutcome {
        mode,
        saved: header.saved,
        check_ins: plan.check_ins,
        concerns: plan.concerns,
        check_ins_here: current.check_ins.len(),
        concerns_here: current.concerns.len(),
        summary: plan.summary.clone(),
        applied: false,
        undo: None,
        newer_set_aside: newer.then(|| dir.to_path_buf()),
        keeps_passcode: false,
        notices,
    };
    // A store a newer version wrote is replaced whole; its passcode is not
    // known here, so the backup's passcode seals the new store.
    let keep_key = if newer {
        backup::passcode_key(&incoming, key.clone())
    } else {
        backup::protection_after_restore(&current, store_key.as_ref(), &incoming, key.clone())
    };
    outcome.keeps_passcode = keep_key.is_some() && (newer || !plan.changes_nothing(&current));
    if newer && !dry_run {
        let (mut store, aside) =
            Store::replace_newer(dir, std::sync::Arc::new(RealFs), plan.result, keep_key)
                .map_err(CommandError::Store)?;
        store.flush().map_err(CommandError::Store)?;
        outcome.newer_set_aside = Some(aside.folder);
        outcome.applied = true;
        return Ok(outcome);
    }
    let Some(store) = store.as_mut().filter(|_| !dry_run) else {
        return Ok(outcome);
    };
    if plan.changes_nothing(&current) {
        return Ok(outcome);
    }
    if mode == RestoreMode::Replace {
        let beside = file.parent().unwrap_or(Path::new("."));
        outcome.undo = Some(
            backup::backup_before_replace(
                &RealFs,
                dir,
                beside,
                &current,
                store_key,
                key,
                Utc::now(),
            )
            .map_err(CommandError::Backups)?,
        );
    }
    // Sealed first, so the backup's data never reaches this disk unsealed.
    if let Some(k) = keep_key {
        store.set_protection(Some(k)).map_err(CommandError::Store)?;
    }
    let result = plan.result;
    store.update(|d| *d = result).map_err(CommandError::Store)?;
    store.flush().map_err(CommandError::Store)?;
    outcome.applied = true;
    Ok(outcome)
}

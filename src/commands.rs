//! The `export` and `import` subcommands, free of Slint so that they are
//! tested with the core. `main.rs` wires them to the terminal; the passcode
//! comes through a callback so tests can supply it.

use std::fmt;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use chrono::Utc;

use crate::core::export::{
    self, apply_import, inspect_backup, own_key, plan_import, read_backup, therapist_summary,
    BackupLock, ExportFormat, ExportText, ImportSummary, Period, Selection,
};
use crate::core::prepare::PrepareContent;
use crate::core::store::format::{LoadError, MAX_FILE_BYTES};
use crate::core::store::{
    unlock, unlock_wait, CryptoError, KdfParams, Passcode, SealKey, Store, StoreError,
};

/// Which passcode is being asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ask {
    /// The passcode of the store in the data folder.
    Store,
    /// The passcode the backup file was sealed with (it differs from the
    /// store's).
    Backup,
}

impl Ask {
    pub fn prompt(self) -> &'static str {
        match self {
            Ask::Store => "Passcode: ",
            Ask::Backup => "Passcode of the backup file: ",
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
    /// A sealed backup would be written to a terminal.
    BinaryToTerminal,
    /// `sample-data` was pointed at a folder that already holds something.
    NotEmpty(PathBuf),
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
                "the backup is encrypted (not text); please give --out FILE"
            ),
            CommandError::NotEmpty(p) => write!(
                f,
                "{} is not empty; sample-data only fills an empty folder, so nothing was written",
                p.display()
            ),
        }
    }
}

impl std::error::Error for CommandError {}

fn io_err(what: impl Into<String>) -> impl FnOnce(io::Error) -> CommandError {
    let what = what.into();
    move |source| CommandError::Io { what, source }
}

/// Opens the store in `dir`, asking for the passcode if it is encrypted.
/// After several wrong passcodes (in the app or here) the wait kept in the
/// data folder applies: the command says how long and asks nothing.
pub fn open_store(
    dir: &Path,
    ask: &mut dyn FnMut(Ask) -> io::Result<Passcode>,
) -> Result<(Store, Option<Passcode>), CommandError> {
    match Store::open(dir) {
        Ok(s) => Ok((s, None)),
        Err(StoreError::Locked { .. }) => {
            let wait = unlock_wait(dir);
            if wait > 0 {
                return Err(CommandError::Crypto(CryptoError::Wait { seconds: wait }));
            }
            let passcode = ask(Ask::Store).map_err(io_err("read the passcode"))?;
            let key = unlock(dir, &passcode, KdfParams::APP).map_err(CommandError::Crypto)?;
            let store = Store::open_unlocked(dir, key).map_err(CommandError::Store)?;
            Ok((store, Some(passcode)))
        }
        Err(e) => Err(CommandError::Store(e)),
    }
}

/// Writes `bytes` to `out` atomically (temp file beside it, fsync, rename;
/// `tempfile`), private to the user (0600).
pub fn write_file_atomically(out: &Path, bytes: &[u8]) -> Result<(), CommandError> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut temp = tempfile::Builder::new()
        .prefix(".common-ground-export-")
        .tempfile_in(&parent)
        .map_err(io_err(format!("create a file in {}", parent.display())))?;
    temp.write_all(bytes)
        .and_then(|()| temp.as_file().sync_all())
        .map_err(io_err(format!("write {}", out.display())))?;
    temp.persist(out).map_err(|e| CommandError::Io {
        what: format!("write {}", out.display()),
        source: e.error,
    })?;
    Ok(())
}

/// Whether `out` would be written inside the data folder `dir` (which
/// holds only the store, so exports are refused there).
pub fn is_inside(dir: &Path, out: &Path) -> bool {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    match (dir.canonicalize(), parent.canonicalize()) {
        (Ok(d), Ok(p)) => p.starts_with(d),
        _ => false,
    }
}

/// Where an export may go, checked before anything is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    /// A new file.
    New,
    /// A file is already there: replace it only if the user says so.
    Exists,
}

/// Why an export cannot go to a path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TargetProblem {
    /// No path was given.
    Empty,
    /// Inside the data folder.
    InDataDir,
    /// The folder it would go in does not exist.
    NoFolder,
    /// The path names a folder, not a file.
    IsFolder,
}

/// Checks an export path: not empty, not in the data folder `dir`, its
/// folder exists, and whether a file is already there.
pub fn check_target(dir: &Path, out: &Path) -> Result<Target, TargetProblem> {
    if out.as_os_str().is_empty() || out.file_name().is_none() {
        return Err(if out.is_dir() {
            TargetProblem::IsFolder
        } else {
            TargetProblem::Empty
        });
    }
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if !parent.is_dir() {
        return Err(TargetProblem::NoFolder);
    }
    if is_inside(dir, out) {
        return Err(TargetProblem::InDataDir);
    }
    if out.is_dir() {
        return Err(TargetProblem::IsFolder);
    }
    Ok(if out.exists() {
        Target::Exists
    } else {
        Target::New
    })
}

/// Reads a backup file, refusing one larger than any store can be before
/// reading it into memory.
pub fn read_backup_file(file: &Path) -> Result<Vec<u8>, CommandError> {
    let len = std::fs::metadata(file)
        .map_err(io_err(format!("read {}", file.display())))?
        .len();
    if len > MAX_FILE_BYTES {
        return Err(CommandError::Backup {
            path: file.to_path_buf(),
            error: LoadError::TooLarge {
                len,
                max: MAX_FILE_BYTES,
            },
        });
    }
    std::fs::read(file).map_err(io_err(format!("read {}", file.display())))
}

/// The bytes of an export of the store in `dir`.
pub fn export_bytes(
    store: &Store,
    format: ExportFormat,
    period: Period,
) -> Result<Vec<u8>, CommandError> {
    export_data_bytes(store.data(), store.seal_key(), format, period)
}

/// The bytes of an export of `data` (a backup is sealed with `key`); the
/// Markdown summary holds everything in `period`.
pub fn export_data_bytes(
    data: &crate::core::model::Data,
    key: Option<&SealKey>,
    format: ExportFormat,
    period: Period,
) -> Result<Vec<u8>, CommandError> {
    match format {
        ExportFormat::Backup => export::backup(data, key, Utc::now()).map_err(CommandError::Export),
        ExportFormat::CheckInsCsv => {
            export::check_ins_csv(data, period).map_err(CommandError::Export)
        }
        ExportFormat::ConcernsCsv => {
            export::concerns_csv(data, period).map_err(CommandError::Export)
        }
        ExportFormat::Markdown => Ok(therapist_summary(
            data,
            &Selection::all_in(data, period),
            &ExportText::builtin(),
            PrepareContent::shared(),
            Utc::now().date_naive(),
        )
        .into_bytes()),
    }
}

/// `common-ground export`: writes to `out` (atomically) or to `stdout`.
pub fn run_export(
    dir: &Path,
    format: ExportFormat,
    out: Option<&Path>,
    period: Period,
    ask: &mut dyn FnMut(Ask) -> io::Result<Passcode>,
    stdout: &mut dyn Write,
    stdout_is_terminal: bool,
) -> Result<(), CommandError> {
    if let Some(out) = out {
        if is_inside(dir, out) {
            return Err(CommandError::OutInDataDir(out.to_path_buf()));
        }
    }
    let (store, _) = open_store(dir, ask)?;
    if out.is_none() && stdout_is_terminal && format == ExportFormat::Backup && store.is_encrypted()
    {
        return Err(CommandError::BinaryToTerminal);
    }
    let bytes = export_bytes(&store, format, period)?;
    drop(store);
    match out {
        Some(out) => write_file_atomically(out, &bytes),
        None => stdout
            .write_all(&bytes)
            .and_then(|()| stdout.flush())
            .map_err(io_err("write to standard output")),
    }
}

/// What `run_import` did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportOutcome {
    pub summary: ImportSummary,
    pub applied: bool,
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
    let (mut store, store_pass) = open_store(dir, ask)?;
    if store.is_read_only() {
        return Err(CommandError::Store(StoreError::ReadOnly {
            dir: dir.to_path_buf(),
        }));
    }
    let key = match lock {
        BackupLock::Open => None,
        BackupLock::Sealed(wrap) => match own_key(store.seal_key(), &wrap) {
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
        },
    };
    let incoming = read_backup(&bytes, key.as_ref()).map_err(bad)?;
    let plan = plan_import(store.data(), &incoming);
    if dry_run || plan.summary.is_empty() {
        return Ok(ImportOutcome {
            summary: plan.summary,
            applied: false,
        });
    }
    let summary = store
        .update(|d| apply_import(d, &incoming))
        .map_err(CommandError::Store)?;
    store.flush().map_err(CommandError::Store)?;
    Ok(ImportOutcome {
        summary,
        applied: true,
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

/// `sample-data`: fills an empty (or missing) folder with a made-up history.
/// Refuses a folder that holds anything, so no one's data is ever
/// overwritten. Returns the line to print.
pub fn run_sample_data(dir: &Path, args: &crate::cli::SampleArgs) -> Result<String, CommandError> {
    use crate::core::sample::{generate, Spec};
    match std::fs::read_dir(dir) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(CommandError::NotEmpty(dir.to_path_buf()));
            }
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(io_err(format!("read {}", dir.display()))(e)),
    }
    let end = args
        .end
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let defaults = Spec::weekly(args.years, end);
    let spec = Spec {
        per_year: args.per_year.unwrap_or(defaults.per_year),
        concerns_per_year: args.concerns_per_year.unwrap_or(defaults.concerns_per_year),
        seed: args.seed.unwrap_or(defaults.seed),
        ..defaults
    };
    let data = generate(spec);
    let (check_ins, concerns) = (data.check_ins.len(), data.concerns.len());
    let mut store = Store::open(dir).map_err(CommandError::Store)?;
    store.update(|d| *d = data).map_err(CommandError::Store)?;
    store.flush().map_err(CommandError::Store)?;
    Ok(format!(
        "Wrote {check_ins} check-ins and {concerns} concerns over {} years to {}",
        args.years,
        dir.display()
    ))
}

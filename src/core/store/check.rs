//! `common-ground check`: verifies the store and its backups without
//! changing anything.

use std::fmt;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use super::format::LoadError;
use super::sealed::{self, MarkerState};
use super::vfs::{RealFs, Vfs, TEMP_PREFIX};
use super::{load_file, FileState, GENERATION_FILES, MOVED_ASIDE_MARKER, SET_ASIDE_PREFIX};

/// What was found in one generation file.
#[derive(Clone, Debug)]
pub enum FileStatus {
    Missing,
    Good {
        version: u64,
        generation: u64,
        saved: DateTime<Utc>,
        bytes: u64,
        check_ins: usize,
        concerns: usize,
    },
    /// Encrypted: the header, size and checksum (over header and
    /// ciphertext) are good; the contents were not read (no passcode).
    Encrypted {
        version: u64,
        generation: u64,
        saved: DateTime<Utc>,
        bytes: u64,
    },
    Bad(LoadError),
}

#[derive(Clone, Debug)]
pub struct FileReport {
    /// "store", "backup 1" or "backup 2".
    pub role: &'static str,
    pub path: PathBuf,
    pub status: FileStatus,
}

/// The result of [`check`]. `Display` prints it for people.
#[derive(Clone, Debug)]
pub struct CheckReport {
    pub dir: PathBuf,
    pub files: Vec<FileReport>,
    /// Files moved aside earlier because they could not be read.
    pub moved_aside: Vec<PathBuf>,
    /// Temp files left by an interrupted save (removed at next open).
    pub stale_temps: Vec<PathBuf>,
    /// Whether the store is sealed (marker or any sealed header).
    pub sealed: bool,
    /// With the store sealed: files outside the generations that hold
    /// plain text. Kept ones (the user's choice) are noted, not problems.
    pub plain_files: Vec<sealed::PlainFile>,
    /// Everything that makes the store unhealthy.
    pub problems: Vec<String>,
}

impl CheckReport {
    pub fn is_healthy(&self) -> bool {
        self.problems.is_empty()
    }

    /// 0 when healthy, 1 otherwise.
    pub fn exit_code(&self) -> i32 {
        if self.is_healthy() {
            0
        } else {
            1
        }
    }
}

/// Verifies the store in `dir` and each of its backups. Read-only.
pub fn check(dir: &Path) -> CheckReport {
    check_with(dir, &RealFs)
}

/// [`check`] on a given file system.
pub fn check_with(dir: &Path, vfs: &dyn Vfs) -> CheckReport {
    let mut report = CheckReport {
        dir: dir.to_path_buf(),
        files: Vec::new(),
        moved_aside: Vec::new(),
        stale_temps: Vec::new(),
        sealed: false,
        plain_files: Vec::new(),
        problems: Vec::new(),
    };
    let names = match vfs.list(dir) {
        Ok(names) => names,
        Err(e) => {
            report.problems.push(format!(
                "the data folder {} cannot be read: {e}",
                dir.display()
            ));
            return report;
        }
    };
    for name in &names {
        if name.contains(MOVED_ASIDE_MARKER) || name.starts_with(SET_ASIDE_PREFIX) {
            report.moved_aside.push(dir.join(name));
        } else if name.starts_with(TEMP_PREFIX) {
            report.stale_temps.push(dir.join(name));
        }
    }
    for (i, name) in GENERATION_FILES.iter().enumerate() {
        let role = ["store", "backup 1", "backup 2"][i];
        let path = dir.join(name);
        let bytes = vfs.file_len(&path).ok().flatten().unwrap_or(0);
        let status = match load_file(vfs, &path, true, None) {
            FileState::Missing => {
                if i == 0 {
                    report
                        .problems
                        .push(format!("the store file {} is missing", path.display()));
                }
                FileStatus::Missing
            }
            FileState::Bad(e) => {
                report
                    .problems
                    .push(format!("{role} {}: {e}", path.display()));
                FileStatus::Bad(e)
            }
            FileState::Sealed(h) => FileStatus::Encrypted {
                version: h.version,
                generation: h.generation,
                saved: h.saved,
                bytes,
            },
            FileState::Good(h, data) => FileStatus::Good {
                version: h.version,
                generation: h.generation,
                saved: h.saved,
                bytes,
                check_ins: data.as_ref().map_or(0, |d| d.check_ins.len()),
                concerns: data.as_ref().map_or(0, |d| d.concerns.len()),
            },
        };
        report.files.push(FileReport { role, path, status });
    }
    check_sealing(dir, vfs, &mut report);
    check_permissions(dir, &names, &mut report);
    report
}

/// A sealed store must have no plain generation and no plain file beside
/// it (the app refuses the first and lists the second for deletion).
fn check_sealing(dir: &Path, vfs: &dyn Vfs, report: &mut CheckReport) {
    let marker = sealed::read_marker(vfs, dir);
    let sealed_files: Vec<&'static str> = report
        .files
        .iter()
        .filter(|f| {
            matches!(f.status, FileStatus::Encrypted { .. })
                || sealed::file_claims_sealed(vfs, &f.path)
        })
        .map(|f| f.role)
        .collect();
    report.sealed = marker.exists() || !sealed_files.is_empty();
    if !report.sealed {
        return;
    }
    if marker == MarkerState::Present(None) {
        report.problems.push(format!(
            "the passcode marker {} is damaged (the store still counts as sealed)",
            dir.join(sealed::MARKER).display()
        ));
    }
    let why = if sealed_files.is_empty() {
        format!("the passcode marker {} says so", sealed::MARKER)
    } else {
        let verb = if sealed_files.len() == 1 { "is" } else { "are" };
        format!("{} {verb} encrypted", sealed_files.join(" and "))
    };
    for f in report.files.iter_mut() {
        if matches!(f.status, FileStatus::Good { .. }) {
            f.status = FileStatus::Bad(LoadError::NotSealed);
            report.problems.push(format!(
                "{} {} is not encrypted, but this store is sealed ({why}); the app will set \
                 it aside and never open it",
                f.role,
                f.path.display()
            ));
        }
    }
    report.plain_files = sealed::plain_files(vfs, dir, &marker);
    for f in &report.plain_files {
        if !f.kept {
            report.problems.push(format!(
                "{} is not encrypted and may hold your notes in plain text, in a sealed \
                 store's folder (Settings offers to delete it)",
                f.path.display()
            ));
        }
    }
}

#[cfg(unix)]
fn check_permissions(dir: &Path, names: &[String], report: &mut CheckReport) {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path| {
        std::fs::metadata(p)
            .map(|m| m.permissions().mode() & 0o777)
            .ok()
    };
    if let Some(m) = mode(dir) {
        if m != 0o700 {
            report.problems.push(format!(
                "the data folder {} is readable by others (mode {m:o}, expected 700)",
                dir.display()
            ));
        }
    }
    for name in names {
        let path = dir.join(name);
        if let Some(m) = mode(&path) {
            if path.is_file() && m & 0o077 != 0 {
                report.problems.push(format!(
                    "{} is readable by others (mode {m:o}, expected 600)",
                    path.display()
                ));
            }
        }
    }
}

#[cfg(not(unix))]
fn check_permissions(_dir: &Path, _names: &[String], _report: &mut CheckReport) {}

impl fmt::Display for CheckReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Common Ground store in {}", self.dir.display())?;
        for file in &self.files {
            match &file.status {
                FileStatus::Missing => {
                    writeln!(f, "  {:<9} {}: missing", file.role, file.path.display())?
                }
                FileStatus::Good {
                    version,
                    generation,
                    saved,
                    bytes,
                    check_ins,
                    concerns,
                } => writeln!(
                    f,
                    "  {:<9} {}: OK (format {version}, generation {generation}, saved {}, \
                         {bytes} bytes, {check_ins} check-ins, {concerns} concerns)",
                    file.role,
                    file.path.display(),
                    saved.format("%Y-%m-%d %H:%M:%S UTC")
                )?,
                FileStatus::Encrypted {
                    version,
                    generation,
                    saved,
                    bytes,
                } => writeln!(
                    f,
                    "  {:<9} {}: OK, encrypted (format {version}, generation {generation}, \
                         saved {}, {bytes} bytes; header and checksum verified, contents \
                         not read without the passcode)",
                    file.role,
                    file.path.display(),
                    saved.format("%Y-%m-%d %H:%M:%S UTC")
                )?,
                FileStatus::Bad(LoadError::NotSealed) => writeln!(
                    f,
                    "  {:<9} {}: NOT ENCRYPTED: {}",
                    file.role,
                    file.path.display(),
                    LoadError::NotSealed
                )?,
                FileStatus::Bad(e) => writeln!(
                    f,
                    "  {:<9} {}: DAMAGED: {e}",
                    file.role,
                    file.path.display()
                )?,
            }
        }
        for path in &self.moved_aside {
            writeln!(
                f,
                "  note: earlier unreadable file kept at {}",
                path.display()
            )?;
        }
        for path in &self.stale_temps {
            writeln!(
                f,
                "  note: leftover temp file from an interrupted save: {}",
                path.display()
            )?;
        }
        for file in self.plain_files.iter().filter(|p| p.kept) {
            writeln!(
                f,
                "  note: kept by choice, not encrypted: {}",
                file.path.display()
            )?;
        }
        if self.is_healthy() {
            writeln!(f, "Healthy.")
        } else {
            writeln!(f, "Problems:")?;
            for p in &self.problems {
                writeln!(f, "  - {p}")?;
            }
            writeln!(f, "NOT healthy.")
        }
    }
}

//! Files the user names, outside the data folder: where an export may go,
//! writing it atomically, and reading a backup to import without trusting
//! it. The app and the command line share these rules.

use std::fmt;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use crate::core::store::format::MAX_FILE_BYTES;

/// Why a file could not be read or written. Nothing was changed.
#[derive(Debug)]
pub enum FileError {
    /// The system refused; `what` says what was being done.
    Io { what: String, source: io::Error },
    /// Not a regular file (a folder, a pipe, a device): refused before
    /// anything was read.
    NotAFile(PathBuf),
    /// Larger than any store can be, so it cannot be a backup.
    TooLarge { path: PathBuf, len: u64 },
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FileError::Io { what, source } => write!(f, "could not {what}: {source}"),
            FileError::NotAFile(p) => write!(
                f,
                "{} is not a regular file (a folder, pipe or device cannot be a backup); \
                 nothing was read and nothing was changed",
                p.display()
            ),
            FileError::TooLarge { path, len } => write!(
                f,
                "{} is {len} bytes, more than a backup can be ({MAX_FILE_BYTES} bytes)",
                path.display()
            ),
        }
    }
}

impl std::error::Error for FileError {}

fn io_err(what: impl Into<String>) -> impl FnOnce(io::Error) -> FileError {
    let what = what.into();
    move |source| FileError::Io { what, source }
}

/// The folder `path` is in (`.` for a bare file name).
fn parent_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Writes `bytes` to `out` atomically (temp file beside it, fsync, rename;
/// `tempfile`), private to the user (0600).
pub fn write_file_atomically(out: &Path, bytes: &[u8]) -> Result<(), FileError> {
    let parent = parent_of(out);
    let mut temp = tempfile::Builder::new()
        .prefix(".common-ground-export-")
        .tempfile_in(parent)
        .map_err(io_err(format!("create a file in {}", parent.display())))?;
    temp.write_all(bytes)
        .and_then(|()| temp.as_file().sync_all())
        .map_err(io_err(format!("write {}", out.display())))?;
    temp.persist(out).map_err(|e| FileError::Io {
        what: format!("write {}", out.display()),
        source: e.error,
    })?;
    Ok(())
}

/// Whether `out` would be written inside the data folder `dir` (which
/// holds only the store, so exports are refused there).
pub fn is_inside(dir: &Path, out: &Path) -> bool {
    match (dir.canonicalize(), parent_of(out).canonicalize()) {
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
    if !parent_of(out).is_dir() {
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

/// Reads a backup file: a regular file only (a pipe would wait forever,
/// a device never end), refused before it is opened otherwise, and never
/// more than one byte past the largest store, so a file that grows while
/// it is read cannot fill the memory.
pub fn read_backup_file(file: &Path) -> Result<Vec<u8>, FileError> {
    let read_err = || io_err(format!("read {}", file.display()));
    let too_large = |len| FileError::TooLarge {
        path: file.to_path_buf(),
        len,
    };
    let meta = std::fs::metadata(file).map_err(read_err())?;
    if !meta.is_file() {
        return Err(FileError::NotAFile(file.to_path_buf()));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_large(meta.len()));
    }
    let f = std::fs::File::open(file).map_err(read_err())?;
    // The path may have been swapped since it was looked at.
    if !f.metadata().map_err(read_err())?.is_file() {
        return Err(FileError::NotAFile(file.to_path_buf()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    f.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(read_err())?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_export_path_is_checked_before_anything_is_written() {
        let tmp = tempfile::tempdir().unwrap();
        let data = tmp.path().join("data");
        std::fs::create_dir(&data).unwrap();
        let out = tmp.path().join("out.csv");
        assert_eq!(
            check_target(&data, Path::new("")),
            Err(TargetProblem::Empty)
        );
        assert_eq!(
            check_target(&data, tmp.path()),
            Err(TargetProblem::IsFolder)
        );
        assert_eq!(
            check_target(&data, &data.join("x.csv")),
            Err(TargetProblem::InDataDir)
        );
        assert_eq!(
            check_target(&data, &tmp.path().join("missing/x.csv")),
            Err(TargetProblem::NoFolder)
        );
        assert_eq!(check_target(&data, &out), Ok(Target::New));
        write_file_atomically(&out, b"a,b\n").unwrap();
        assert_eq!(check_target(&data, &out), Ok(Target::Exists));
        assert_eq!(std::fs::read(&out).unwrap(), b"a,b\n");
    }

    #[test]
    fn only_a_regular_file_is_read_as_a_backup() {
        let tmp = tempfile::tempdir().unwrap();
        assert!(matches!(
            read_backup_file(tmp.path()),
            Err(FileError::NotAFile(_))
        ));
        let missing = read_backup_file(&tmp.path().join("none.json")).unwrap_err();
        assert!(
            matches!(&missing, FileError::Io { source, .. } if source.kind() == io::ErrorKind::NotFound)
        );
        let file = tmp.path().join("b.json");
        std::fs::write(&file, b"{}").unwrap();
        assert_eq!(read_backup_file(&file).unwrap(), b"{}");
    }
}

//! The storage operations the store needs, behind a trait so that tests can
//! inject faults and simulate power loss at every step.
//!
//! [`RealFs`] is the real thing: `tempfile` for temp files and the atomic
//! rename (`persist`), `File::sync_all` for fsync, an fsync of the directory
//! after renames, and `fs4` for the single-writer lock. [`MemFs`] is an
//! in-memory model that tracks what has been made durable, for the fault
//! tests.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

/// Prefix of the temp files a save writes (so stale ones can be recognised).
pub const TEMP_PREFIX: &str = ".store-tmp-";
/// Name of the lock file inside the data directory.
pub const LOCK_NAME: &str = ".lock";

/// Keeps the single-writer lock for as long as it lives.
pub struct LockGuard(#[allow(dead_code)] Box<dyn Send + Sync>);

impl fmt::Debug for LockGuard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("LockGuard")
    }
}

/// A temp file in the data directory, deleted on drop unless persisted.
pub trait TempFile: Send {
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()>;
    /// fsync. After an error the file must not be persisted.
    fn sync(&mut self) -> io::Result<()>;
    /// Atomically renames the temp file over `target`.
    fn persist(self: Box<Self>, target: &Path) -> io::Result<()>;
}

/// The file-system operations of the store.
pub trait Vfs: Send + Sync + fmt::Debug {
    /// Creates `dir` (and parents) private to the user: 0700 on Unix.
    fn create_dir_private(&self, dir: &Path) -> io::Result<()>;
    /// Tries to take the exclusive writer lock of `dir`.
    /// `Ok(None)` means another instance holds it.
    fn try_lock(&self, dir: &Path) -> io::Result<Option<LockGuard>>;
    /// Size of the file at `path`, or `None` if there is none.
    fn file_len(&self, path: &Path) -> io::Result<Option<u64>>;
    fn read(&self, path: &Path) -> io::Result<Vec<u8>>;
    /// File names (not paths) in `dir`.
    fn list(&self, dir: &Path) -> io::Result<Vec<String>>;
    /// A new, empty temp file in `dir` (0600 on Unix).
    fn create_temp(&self, dir: &Path) -> io::Result<Box<dyn TempFile>>;
    /// Makes `dst` (which must not exist) name the same contents as `src`:
    /// a hard link, or a durable copy where links are not supported.
    fn link_or_copy(&self, src: &Path, dst: &Path) -> io::Result<()>;
    fn rename(&self, src: &Path, dst: &Path) -> io::Result<()>;
    fn remove(&self, path: &Path) -> io::Result<()>;
    /// fsync of the directory, making renames and links in it durable.
    fn sync_dir(&self, dir: &Path) -> io::Result<()>;
}

// ---------------------------------------------------------------- RealFs

/// The real file system.
#[derive(Debug, Default, Clone, Copy)]
pub struct RealFs;

struct RealTemp(tempfile::NamedTempFile);

impl TempFile for RealTemp {
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.0.as_file_mut().write_all(buf)
    }
    fn sync(&mut self) -> io::Result<()> {
        self.0.as_file().sync_all()
    }
    fn persist(self: Box<Self>, target: &Path) -> io::Result<()> {
        self.0.persist(target).map(|_| ()).map_err(|e| e.error)
    }
}

/// Sets Unix permissions (no-op elsewhere).
pub fn set_mode(path: &Path, mode: u32) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let meta = fs::metadata(path)?;
        if meta.permissions().mode() & 0o7777 != mode {
            fs::set_permissions(path, fs::Permissions::from_mode(mode))?;
        }
    }
    #[cfg(not(unix))]
    let _ = (path, mode);
    Ok(())
}

impl Vfs for RealFs {
    fn create_dir_private(&self, dir: &Path) -> io::Result<()> {
        let mut builder = fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            builder.mode(0o700);
        }
        builder.create(dir)?;
        set_mode(dir, 0o700)
    }

    fn try_lock(&self, dir: &Path) -> io::Result<Option<LockGuard>> {
        let mut options = OpenOptions::new();
        options.read(true).write(true).create(true).truncate(false);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let path = dir.join(LOCK_NAME);
        let file = options.open(&path)?;
        set_mode(&path, 0o600)?;
        match fs4::FileExt::try_lock(&file) {
            Ok(()) => Ok(Some(LockGuard(Box::new(file)))),
            Err(fs4::TryLockError::WouldBlock) => Ok(None),
            Err(fs4::TryLockError::Error(e)) => Err(e),
        }
    }

    fn file_len(&self, path: &Path) -> io::Result<Option<u64>> {
        match fs::metadata(path) {
            Ok(m) => Ok(Some(m.len())),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        fs::read(path)
    }

    fn list(&self, dir: &Path) -> io::Result<Vec<String>> {
        let mut names = Vec::new();
        for entry in fs::read_dir(dir)? {
            names.push(entry?.file_name().to_string_lossy().into_owned());
        }
        names.sort();
        Ok(names)
    }

    fn create_temp(&self, dir: &Path) -> io::Result<Box<dyn TempFile>> {
        let mut builder = tempfile::Builder::new();
        builder.prefix(TEMP_PREFIX);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(fs::Permissions::from_mode(0o600));
        }
        Ok(Box::new(RealTemp(builder.tempfile_in(dir)?)))
    }

    fn link_or_copy(&self, src: &Path, dst: &Path) -> io::Result<()> {
        match fs::hard_link(src, dst) {
            Ok(()) => Ok(()),
            Err(e)
                if e.kind() == io::ErrorKind::AlreadyExists
                    || e.kind() == io::ErrorKind::NotFound =>
            {
                Err(e)
            }
            Err(_) => {
                // No hard links here (some Android and FAT file systems):
                // a durable copy through a temp file instead.
                let dir = dst.parent().unwrap_or_else(|| Path::new("."));
                let bytes = fs::read(src)?;
                let mut temp = self.create_temp(dir)?;
                temp.write_all(&bytes)?;
                temp.sync()?;
                temp.persist(dst)
            }
        }
    }

    fn rename(&self, src: &Path, dst: &Path) -> io::Result<()> {
        fs::rename(src, dst)
    }

    fn remove(&self, path: &Path) -> io::Result<()> {
        fs::remove_file(path)
    }

    fn sync_dir(&self, dir: &Path) -> io::Result<()> {
        #[cfg(unix)]
        {
            File::open(dir)?.sync_all()
        }
        #[cfg(not(unix))]
        {
            // Windows cannot open a directory as a file without special
            // flags; NTFS journals the rename itself.
            let _ = dir;
            Ok(())
        }
    }
}

// ----------------------------------------------------------------- MemFs

/// What [`MemFs`] does at the chosen step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FaultKind {
    /// The operation fails with an I/O error and has no effect.
    Fail,
    /// Power is cut just before the operation: it fails, so does every
    /// later one, until [`MemFs::power_cycle`].
    PowerLoss,
    /// The disk is full: the operation fails with
    /// `io::ErrorKind::StorageFull` and has no effect.
    Full,
}

#[derive(Clone, Debug, Default)]
struct Inode {
    data: Vec<u8>,
    synced: Vec<u8>,
}

#[derive(Debug, Default)]
struct MemState {
    inodes: Vec<Inode>,
    /// Current directory entries: path -> inode.
    entries: BTreeMap<PathBuf, usize>,
    /// Entries as of the last directory fsync.
    synced_entries: BTreeMap<PathBuf, usize>,
    dirs: BTreeSet<PathBuf>,
    locked: BTreeSet<PathBuf>,
    steps: u64,
    fault: Option<(u64, FaultKind)>,
    dead: bool,
    next_temp: u64,
    log: Vec<String>,
}

/// An in-memory file system that remembers what is durable: file contents
/// become durable on `sync`, directory entries (creations, renames, links,
/// removals) on `sync_dir`. [`MemFs::power_cycle`] drops everything else,
/// like a power cut does. Faults can be injected at any numbered step.
///
/// Steps are the operations that change or flush state: `create_temp`,
/// `write_all`, `sync`, `persist`, `link_or_copy`, `rename`, `remove` and
/// `sync_dir`.
#[derive(Clone, Debug, Default)]
pub struct MemFs {
    state: Arc<Mutex<MemState>>,
}

fn injected(step: u64, op: &str) -> io::Error {
    io::Error::other(format!("injected fault at step {step} ({op})"))
}

impl MemFs {
    pub fn new() -> MemFs {
        MemFs::default()
    }

    fn lock(&self) -> MutexGuard<'_, MemState> {
        match self.state.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// Arms a fault at step `step` (counting from 0 from now on).
    pub fn inject(&self, step: u64, kind: FaultKind) {
        let mut s = self.lock();
        s.steps = 0;
        s.fault = Some((step, kind));
    }

    /// Disarms any fault and resets the step counter.
    pub fn clear_fault(&self) {
        let mut s = self.lock();
        s.fault = None;
        s.steps = 0;
    }

    /// Steps counted since the last `inject`/`clear_fault`/`reset_steps`.
    pub fn steps(&self) -> u64 {
        self.lock().steps
    }

    pub fn reset_steps(&self) {
        self.lock().steps = 0;
    }

    /// The operations performed, for test diagnostics.
    pub fn take_log(&self) -> Vec<String> {
        std::mem::take(&mut self.lock().log)
    }

    /// Whether a simulated power loss has happened and not been cycled.
    pub fn is_dead(&self) -> bool {
        self.lock().dead
    }

    /// Simulates the writing process being killed at the armed step while
    /// the system stays up: everything done so far stays (durable or not),
    /// temp files are left behind, locks are released.
    pub fn restart_after_kill(&self) {
        let mut s = self.lock();
        s.locked.clear();
        s.dead = false;
        s.fault = None;
        s.steps = 0;
    }

    /// Simulates the machine coming back after a power cut: unsynced file
    /// data and unsynced directory changes are lost. Locks are released.
    pub fn power_cycle(&self) {
        self.power_cycle_inner(false);
    }

    /// Like [`MemFs::power_cycle`], but unsynced writes are torn rather
    /// than dropped: each file keeps its synced bytes plus half of what
    /// was written after (as if some pages reached the disk).
    pub fn power_cycle_torn(&self) {
        self.power_cycle_inner(true);
    }

    fn power_cycle_inner(&self, torn: bool) {
        let mut s = self.lock();
        s.entries = s.synced_entries.clone();
        for inode in &mut s.inodes {
            if torn && inode.data != inode.synced {
                let keep = inode.data.len() / 2;
                let mut d = inode.data[..keep].to_vec();
                if d.len() < inode.synced.len() {
                    d.extend_from_slice(&inode.synced[d.len()..]);
                }
                inode.data = d;
                inode.synced = inode.data.clone();
            } else {
                inode.data = inode.synced.clone();
            }
        }
        s.locked.clear();
        s.dead = false;
        s.fault = None;
        s.steps = 0;
    }

    /// Writes a file directly and durably (test setup).
    pub fn put(&self, path: &Path, bytes: &[u8]) {
        let mut s = self.lock();
        let ino = s.inodes.len();
        s.inodes.push(Inode {
            data: bytes.to_vec(),
            synced: bytes.to_vec(),
        });
        s.entries.insert(path.to_path_buf(), ino);
        s.synced_entries.insert(path.to_path_buf(), ino);
    }

    /// Reads a file directly (test inspection), bypassing faults.
    pub fn get(&self, path: &Path) -> Option<Vec<u8>> {
        let s = self.lock();
        s.entries.get(path).map(|&i| s.inodes[i].data.clone())
    }

    /// All current file paths.
    pub fn paths(&self) -> Vec<PathBuf> {
        self.lock().entries.keys().cloned().collect()
    }

    /// Counts a step; fails it if it is the armed one.
    fn step(&self, s: &mut MemState, op: &str) -> io::Result<()> {
        if s.dead {
            return Err(io::Error::other("simulated power loss: the device is off"));
        }
        let n = s.steps;
        s.steps += 1;
        s.log.push(format!("{n}: {op}"));
        match s.fault {
            Some((at, kind)) if at == n => {
                s.fault = None;
                if kind == FaultKind::PowerLoss {
                    s.dead = true;
                }
                if kind == FaultKind::Full {
                    return Err(io::Error::new(
                        io::ErrorKind::StorageFull,
                        format!("injected: no space left on device at step {n} ({op})"),
                    ));
                }
                Err(injected(n, op))
            }
            _ => Ok(()),
        }
    }
}

struct MemTemp {
    fs: MemFs,
    path: PathBuf,
    ino: usize,
    persisted: bool,
    sync_failed: bool,
}

impl TempFile for MemTemp {
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        let fs = self.fs.clone();
        let mut s = fs.lock();
        fs.step(&mut s, "write")?;
        s.inodes[self.ino].data.extend_from_slice(buf);
        Ok(())
    }

    fn sync(&mut self) -> io::Result<()> {
        let fs = self.fs.clone();
        let mut s = fs.lock();
        if let Err(e) = fs.step(&mut s, "fsync temp") {
            self.sync_failed = true;
            return Err(e);
        }
        let inode = &mut s.inodes[self.ino];
        inode.synced = inode.data.clone();
        Ok(())
    }

    fn persist(mut self: Box<Self>, target: &Path) -> io::Result<()> {
        let fs = self.fs.clone();
        let mut s = fs.lock();
        fs.step(&mut s, "rename temp over store")?;
        if self.sync_failed {
            // A store must never do this; make it visible in tests.
            return Err(io::Error::other(
                "persisting a temp file whose fsync failed",
            ));
        }
        s.entries.remove(&self.path);
        s.entries.insert(target.to_path_buf(), self.ino);
        self.persisted = true;
        Ok(())
    }
}

impl Drop for MemTemp {
    fn drop(&mut self) {
        if !self.persisted {
            let mut s = self.fs.lock();
            if !s.dead && s.entries.get(&self.path) == Some(&self.ino) {
                s.entries.remove(&self.path);
            }
        }
    }
}

struct MemLock {
    fs: MemFs,
    dir: PathBuf,
}

impl Drop for MemLock {
    fn drop(&mut self) {
        self.fs.lock().locked.remove(&self.dir);
    }
}

fn not_found(path: &Path) -> io::Error {
    io::Error::new(
        io::ErrorKind::NotFound,
        format!("{} not found", path.display()),
    )
}

impl Vfs for MemFs {
    fn create_dir_private(&self, dir: &Path) -> io::Result<()> {
        self.lock().dirs.insert(dir.to_path_buf());
        Ok(())
    }

    fn try_lock(&self, dir: &Path) -> io::Result<Option<LockGuard>> {
        let mut s = self.lock();
        if !s.locked.insert(dir.to_path_buf()) {
            return Ok(None);
        }
        Ok(Some(LockGuard(Box::new(Mutex::new(MemLock {
            fs: self.clone(),
            dir: dir.to_path_buf(),
        })))))
    }

    fn file_len(&self, path: &Path) -> io::Result<Option<u64>> {
        let s = self.lock();
        if s.dead {
            return Err(io::Error::other("simulated power loss: the device is off"));
        }
        Ok(s.entries.get(path).map(|&i| s.inodes[i].data.len() as u64))
    }

    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        let s = self.lock();
        if s.dead {
            return Err(io::Error::other("simulated power loss: the device is off"));
        }
        s.entries
            .get(path)
            .map(|&i| s.inodes[i].data.clone())
            .ok_or_else(|| not_found(path))
    }

    fn list(&self, dir: &Path) -> io::Result<Vec<String>> {
        let s = self.lock();
        Ok(s.entries
            .keys()
            .filter(|p| p.parent() == Some(dir))
            .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .collect())
    }

    fn create_temp(&self, dir: &Path) -> io::Result<Box<dyn TempFile>> {
        let mut s = self.lock();
        self.step(&mut s, "create temp")?;
        s.next_temp += 1;
        let path = dir.join(format!("{TEMP_PREFIX}{}", s.next_temp));
        let ino = s.inodes.len();
        s.inodes.push(Inode::default());
        s.entries.insert(path.clone(), ino);
        Ok(Box::new(MemTemp {
            fs: self.clone(),
            path,
            ino,
            persisted: false,
            sync_failed: false,
        }))
    }

    fn link_or_copy(&self, src: &Path, dst: &Path) -> io::Result<()> {
        let mut s = self.lock();
        self.step(&mut s, "link backup")?;
        let ino = *s.entries.get(src).ok_or_else(|| not_found(src))?;
        if s.entries.contains_key(dst) {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                "link target exists",
            ));
        }
        s.entries.insert(dst.to_path_buf(), ino);
        Ok(())
    }

    fn rename(&self, src: &Path, dst: &Path) -> io::Result<()> {
        let mut s = self.lock();
        self.step(&mut s, "rename")?;
        let ino = *s.entries.get(src).ok_or_else(|| not_found(src))?;
        if s.entries.get(dst) == Some(&ino) {
            // POSIX: renaming a link onto another link of the same file
            // does nothing.
            return Ok(());
        }
        s.entries.remove(src);
        s.entries.insert(dst.to_path_buf(), ino);
        Ok(())
    }

    fn remove(&self, path: &Path) -> io::Result<()> {
        let mut s = self.lock();
        self.step(&mut s, "remove")?;
        s.entries
            .remove(path)
            .map(|_| ())
            .ok_or_else(|| not_found(path))
    }

    fn sync_dir(&self, _dir: &Path) -> io::Result<()> {
        let mut s = self.lock();
        self.step(&mut s, "fsync dir")?;
        s.synced_entries = s.entries.clone();
        Ok(())
    }
}

//! Restoring a backup over a store that this version cannot open because
//! a newer version of the app wrote it (the app's "Restore a backup" on the
//! window that says so, and `common-ground restore FILE --replace`).
//!
//! Nothing the newer version wrote is deleted or changed: its files (the
//! three generations, the passcode marker and the unlock tries) are moved,
//! bytes unchanged, into a folder of their own inside the data folder,
//! `newer-version-<UTC time>`, which is itself a complete data folder a
//! newer Common Ground opens (`--data-dir`). Then a new store is created
//! in the emptied folder and the backup's data is written with the store's
//! own atomic, durable save; a backup sealed with a passcode seals the new
//! store with it again.
//!
//! The single-writer lock is held from the first move to the last write,
//! so another window cannot step in. A crash part-way leaves every file
//! either where it was or in the set-aside folder, and the data folder
//! with the newer files, or an empty store, or the restored one: the
//! restore can simply be run again. Only a store written by a newer
//! version is set aside ([`StoreError::NotNewer`] otherwise).

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::Utc;

use super::format::LoadError;
use super::sealed::{MARKER, TRIES};
use super::vfs::Vfs;
use super::{check_folder, load_file, FileState, SealKey, Store, StoreError, GENERATION_FILES};
use crate::core::model::Data;

/// The name of a folder of files set aside from a newer version starts
/// with this (followed by the UTC time).
pub const SET_ASIDE_PREFIX: &str = "newer-version-";

/// Where the newer version's files went.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetAsideStore {
    /// The folder they were moved into (inside the data folder).
    pub folder: PathBuf,
    /// Their new paths, in the order store, backups, marker, tries.
    pub files: Vec<PathBuf>,
}

/// Whether restoring a backup may set aside the store that failed to open
/// with `error`: only one a newer version wrote. A folder that cannot be
/// read or written, another window writing, a passcode-protected store
/// (it asks for its passcode first) or a folder of other files are never
/// touched.
pub fn can_set_aside(error: &StoreError) -> bool {
    matches!(error, StoreError::FutureVersion { .. })
}

/// The files in `dir` that belong to the store written by a newer version,
/// or [`StoreError::NotNewer`] when no generation file is a newer
/// version's.
fn newer_files(vfs: &dyn Vfs, dir: &Path) -> Result<Vec<&'static str>, StoreError> {
    let newer = GENERATION_FILES.iter().any(|name| {
        matches!(
            load_file(vfs, &dir.join(name), false, None),
            FileState::Bad(LoadError::FutureVersion { .. })
        )
    });
    if !newer {
        return Err(StoreError::NotNewer {
            dir: dir.to_path_buf(),
        });
    }
    let mut out = Vec::new();
    for name in GENERATION_FILES.iter().chain(&[MARKER, TRIES]) {
        let path = dir.join(name);
        match vfs.file_len(&path) {
            Ok(None) => {}
            Ok(Some(_)) => out.push(*name),
            Err(e) => return Err(StoreError::io("look at a store file", &path)(e)),
        }
    }
    Ok(out)
}

/// A new, empty folder `newer-version-<time>` in `dir`.
fn new_set_aside_folder(vfs: &dyn Vfs, dir: &Path) -> Result<PathBuf, StoreError> {
    let stamp = Utc::now().format("%Y%m%dT%H%M%SZ");
    let taken = vfs
        .list(dir)
        .map_err(StoreError::io("read the data folder", dir))?;
    let folder = (0..1000u32)
        .map(|n| match n {
            0 => format!("{SET_ASIDE_PREFIX}{stamp}"),
            n => format!("{SET_ASIDE_PREFIX}{stamp}-{n}"),
        })
        .find(|name| !taken.contains(name))
        .map(|name| dir.join(name))
        .ok_or_else(|| StoreError::Io {
            op: "find a free name for the set-aside folder",
            path: dir.to_path_buf(),
            source: Arc::new(io::Error::from(io::ErrorKind::AlreadyExists)),
        })?;
    vfs.create_dir_private(&folder)
        .map_err(StoreError::io("create the set-aside folder", &folder))?;
    Ok(folder)
}

impl Store {
    /// Sets aside the store in `dir` that a newer version wrote and makes
    /// `data` the new store (see the module doc). `key`: the key the
    /// backup was sealed with, when it was the passcode that was on (the
    /// new store is sealed with it); `None` for a plain store. Returns the
    /// open store and where the newer files are.
    pub fn replace_newer(
        dir: &Path,
        vfs: Arc<dyn Vfs>,
        data: Data,
        key: Option<SealKey>,
    ) -> Result<(Store, SetAsideStore), StoreError> {
        check_folder(&*vfs, dir)?;
        let lock = vfs
            .try_lock(dir)
            .map_err(StoreError::io("lock the data folder", dir))?
            .ok_or_else(|| StoreError::ReadOnly {
                dir: dir.to_path_buf(),
            })?;
        let names = newer_files(&*vfs, dir)?;
        let folder = new_set_aside_folder(&*vfs, dir)?;
        let mut moved: Vec<(PathBuf, PathBuf)> = Vec::new();
        for name in names {
            let (from, to) = (dir.join(name), folder.join(name));
            if let Err(e) = vfs.rename(&from, &to) {
                // Put back what was moved: the folder is as it was.
                for (from, to) in moved.iter().rev() {
                    let _ = vfs.rename(to, from);
                }
                let _ = vfs.sync_dir(dir);
                return Err(StoreError::io(
                    "move a file of the newer version aside",
                    &from,
                )(e));
            }
            moved.push((from, to));
        }
        vfs.sync_dir(&folder)
            .map_err(StoreError::io("sync the set-aside folder", &folder))?;
        vfs.sync_dir(dir)
            .map_err(StoreError::io("sync the data folder", dir))?;
        let set_aside = SetAsideStore {
            folder,
            files: moved.into_iter().map(|(_, to)| to).collect(),
        };
        // No store file is left: this creates an empty store (one atomic
        // save) under the lock already held, seals it when the backup was
        // sealed with a passcode (so the data never reaches the disk in
        // plain), then writes the data.
        let mut store = Store::open_inner(dir, vfs, None, false, Some(lock))?;
        if let Some(key) = key {
            store.set_protection(Some(key))?;
        }
        store.update(|d| *d = data)?;
        Ok((store, set_aside))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::store::{KdfParams, Passcode, RealFs, CURRENT_VERSION, PRIMARY};

    fn sample() -> Data {
        let mut d = Data::default();
        d.settings.backup.device = "phone".into();
        d.settings.theme = crate::core::model::ThemeChoice::Dark;
        d
    }

    /// A data folder whose store (and one backup generation) a newer
    /// version wrote; returns the bytes of its files.
    fn newer_store(dir: &Path) -> Vec<(String, Vec<u8>)> {
        {
            let mut s = Store::open(dir).unwrap();
            s.update(|d| d.settings.backup.device = "old".into())
                .unwrap();
            s.update(|d| d.settings.backup.device = "older".into())
                .unwrap();
        }
        let mut out = Vec::new();
        for name in GENERATION_FILES {
            let path = dir.join(name);
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let newer = text.replacen(
                &format!("\"version\":{CURRENT_VERSION}"),
                "\"version\":99",
                1,
            );
            std::fs::write(&path, &newer).unwrap();
            out.push((name.to_owned(), newer.into_bytes()));
        }
        assert!(matches!(
            Store::open(dir),
            Err(StoreError::FutureVersion { .. })
        ));
        out
    }

    #[test]
    fn a_newer_store_is_set_aside_whole_and_the_backup_becomes_the_store() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("data");
        let before = newer_store(&dir);
        let (store, aside) = Store::replace_newer(&dir, Arc::new(RealFs), sample(), None).unwrap();
        assert_eq!(store.data(), &sample());
        assert!(!store.is_encrypted());
        drop(store);
        // Every file of the newer version is in the folder, bytes unchanged.
        assert!(aside
            .folder
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with(SET_ASIDE_PREFIX));
        assert_eq!(aside.files.len(), before.len());
        for (name, bytes) in &before {
            assert_eq!(&std::fs::read(aside.folder.join(name)).unwrap(), bytes);
        }
        // The data folder opens now, with the backup's data and no notice
        // of anything unreadable; the folder still counts as ours.
        let store = Store::open(&dir).unwrap();
        assert_eq!(store.data(), &sample());
        assert!(store.notices().iter().all(|n| !n.is_warning()));
        drop(store);
        // Run again: the store is this version's now, so nothing moves.
        assert!(matches!(
            Store::replace_newer(&dir, Arc::new(RealFs), Data::default(), None),
            Err(StoreError::NotNewer { .. })
        ));
        assert_eq!(Store::open(&dir).unwrap().data(), &sample());
    }

    #[test]
    fn only_a_newer_store_is_set_aside_and_never_under_another_writer() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("data");
        // This version's store: refused, untouched.
        {
            let mut s = Store::open(&dir).unwrap();
            s.update(|d| d.settings.backup.device = "mine".into())
                .unwrap();
        }
        let bytes = std::fs::read(dir.join(PRIMARY)).unwrap();
        assert!(matches!(
            Store::replace_newer(&dir, Arc::new(RealFs), sample(), None),
            Err(StoreError::NotNewer { .. })
        ));
        assert_eq!(std::fs::read(dir.join(PRIMARY)).unwrap(), bytes);
        // A newer store while another window holds the folder: refused.
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("data");
        let before = newer_store(&dir);
        let held = RealFs.try_lock(&dir).unwrap().expect("lock");
        assert!(matches!(
            Store::replace_newer(&dir, Arc::new(RealFs), sample(), None),
            Err(StoreError::ReadOnly { .. })
        ));
        drop(held);
        for (name, bytes) in &before {
            assert_eq!(&std::fs::read(dir.join(name)).unwrap(), bytes);
        }
        assert!(!can_set_aside(&StoreError::ReadOnly { dir: dir.clone() }));
        assert!(can_set_aside(&Store::open(&dir).unwrap_err()));
    }

    #[test]
    fn a_backup_sealed_with_a_passcode_seals_the_new_store_again() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("data");
        newer_store(&dir);
        let key =
            SealKey::create(&Passcode::new("kettle song"), KdfParams::weak_for_tests()).unwrap();
        let (store, _) = Store::replace_newer(&dir, Arc::new(RealFs), sample(), Some(key)).unwrap();
        assert!(store.is_encrypted());
        drop(store);
        assert!(matches!(Store::open(&dir), Err(StoreError::Locked { .. })));
        let key = crate::core::store::unlock(
            &dir,
            &Passcode::new("kettle song"),
            KdfParams::weak_for_tests(),
        )
        .unwrap();
        assert_eq!(Store::open_unlocked(&dir, key).unwrap().data(), &sample());
    }
}

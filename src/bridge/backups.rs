//! Settings > Backups (`BackupsAdapter`): automatic sealed backups to a
//! folder the user picks, and restoring one from that folder or from any
//! backup file by its path. The same restore flow runs on the window that
//! says the data cannot be opened, for a store a newer version wrote
//! ([`BackupsPage::restore_in_place`]): there it only replaces, setting
//! the newer files aside (`core::store::replace`). The rules
//! (names, sealing, rotation, schedule, restore plans) are in
//! `core::backup`; this adapter owns the panel's state and runs every bit
//! of disk work and Argon2id on a worker thread over a shared snapshot
//! (`Store::snapshot`) through the shared [`super::worker`].
//!
//! Automatic backups are checked after every change the pages publish and
//! at start (`core::backup::is_due` decides), and once more when the
//! window closes ([`BackupsPage::on_close`]). A missing folder or
//! a full disk becomes one calm note with the last good time; the next
//! check after `RETRY_AFTER` tries again. Nothing in the store changes
//! except `settings.backup` (the last good time).

use std::cell::{Cell, RefCell};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;

use chrono::{DateTime, Local, Utc};
use slint::{ComponentHandle, SharedString, VecModel};

use super::changes::Slices;
use super::rows::{bound, sync_rows};
use super::shared::{act, act1, act2, with, Page, Shared};
use crate::core::backup::{self, BackupError, ErrorKind, Holds, Listed, RestoreMode, Written};
use crate::core::export::{inspect_backup, plan_import, read_backup, BackupLock};
use crate::core::model::{BackupKey, BackupSettings, Data};
use crate::core::paths;
use crate::core::store::format::LoadError;
use crate::core::store::{CryptoError, KdfParams, KeyWrap, Passcode, RealFs, SealKey, Store};
use crate::ui::{
    AppWindow, BackupNote, BackupRow, BackupSealing, BackupsAdapter, Nav, OpenProblem,
    Page as Destination, RestoreStep,
};

enum Opened {
    /// Read and checked; the key it opened with (to seal the undo copy).
    Ready(Arc<Data>, Option<SealKey>),
    /// Sealed with a key this device does not have at hand.
    NeedsPassphrase(Arc<Vec<u8>>, Box<KeyWrap>),
    WrongPassphrase(Arc<Vec<u8>>, Box<KeyWrap>),
}

/// The restore flow's and the schedule's state.
#[derive(Default)]
struct BackupsState {
    /// The store's change count at the last good backup (or at start).
    backed_seq: u64,
    last_failed: Option<DateTime<Utc>>,
    kept: Option<usize>,
    /// A sealed backup waiting for its passphrase.
    sealed: Option<(Arc<Vec<u8>>, Box<KeyWrap>)>,
    /// A checked backup waiting for "Add what is missing" or "Replace".
    incoming: Option<(Arc<Data>, Option<SealKey>)>,
    /// What "Undo the restore" restores: the copy made before a replace,
    /// and the key of the backup that was restored.
    undo: Option<(PathBuf, Option<SealKey>)>,
    /// The folder of the backup being restored (where the copy made before
    /// a replace goes when no backup folder is set).
    beside: Option<PathBuf>,
    /// Restoring in place of a store a newer version wrote: its folder.
    in_place: Option<PathBuf>,
}

/// Settings > Backups.
pub(crate) struct BackupsPage {
    shared: Rc<Shared>,
    state: RefCell<BackupsState>,
    /// A backup (or a new passphrase) is being made on the worker.
    backing_up: Cell<bool>,
    /// A step of the restore flow runs on the worker (apart, so that an
    /// automatic backup never blocks a restore, or the other way round).
    restoring: Cell<bool>,
    rows: Rc<VecModel<BackupRow>>,
    /// This page, for `Page::refresh` (which gets `&self`) to start work
    /// that calls back into it.
    me: std::rc::Weak<BackupsPage>,
}

/// Reads the backup file at `path` and opens it with a key at hand: the
/// store's, this device's backup passphrase's, or `also`. A backup sealed
/// with none of them waits for its passphrase.
fn read_with_known_key(
    path: &Path,
    settings: &BackupSettings,
    store_key: Option<&SealKey>,
    also: Option<SealKey>,
) -> Result<Opened, String> {
    let bytes = crate::core::files::read_backup_file(path).map_err(|e| e.to_string())?;
    let key = match inspect_backup(&bytes).map_err(|e| e.to_string())? {
        BackupLock::Open => None,
        BackupLock::Sealed(wrap) => match backup::known_key(settings, store_key, &wrap).or(also) {
            Some(k) => Some(k),
            None => return Ok(Opened::NeedsPassphrase(Arc::new(bytes), Box::new(wrap))),
        },
    };
    let data = read_backup(&bytes, key.as_ref()).map_err(|e| e.to_string())?;
    Ok(Opened::Ready(Arc::new(data), key))
}

fn note_of(kind: ErrorKind) -> BackupNote {
    match kind {
        ErrorKind::NoFolder => BackupNote::NoFolder,
        ErrorKind::FolderMissing => BackupNote::FolderMissing,
        ErrorKind::DiskFull => BackupNote::DiskFull,
        ErrorKind::NeedsPassphrase => BackupNote::NeedsPassphrase,
        ErrorKind::WrongPassphrase | ErrorKind::Other => BackupNote::Failed,
    }
}

impl BackupsPage {
    pub fn install(shared: &Rc<Shared>, ui: &AppWindow) -> Rc<BackupsPage> {
        let a = ui.global::<BackupsAdapter>();
        let page = Rc::new_cyclic(|me| BackupsPage {
            shared: shared.clone(),
            state: RefCell::default(),
            backing_up: Cell::new(false),
            restoring: Cell::new(false),
            rows: bound(|m| a.set_backups(m)),
            me: me.clone(),
        });
        page.state.borrow_mut().backed_seq = shared.store.borrow().changes();
        a.on_set_folder(act1(&page, |p, text: SharedString| {
            p.set_folder(text.trim())
        }));
        a.on_set_keep(act1(&page, |p, n: i32| {
            let n = n.clamp(1, backup::MAX_KEEP as i32) as u32;
            p.shared
                .change_soon(Slices::SETTINGS, |d| d.settings.backup.keep = n);
        }));
        a.on_set_device(act1(&page, |p, text: SharedString| {
            let label = backup::sanitize_label(&text);
            p.shared
                .change_soon(Slices::SETTINGS, |d| d.settings.backup.device = label);
        }));
        a.on_set_passphrase(act2(
            &page,
            |p, first: SharedString, again: SharedString| p.set_passphrase(&first, &again),
        ));
        a.on_choose_unencrypted(act(&page, |p| {
            p.shared
                .change_soon(Slices::SETTINGS, |d| d.settings.backup.unencrypted = true);
            p.note(BackupNote::None);
        }));
        a.on_back_up_now(act(&page, |p| p.back_up(true)));
        a.on_open_restore(act(&page, |p| p.open_restore()));
        a.on_pick(act1(&page, |p, id: SharedString| {
            p.pick(PathBuf::from(id.as_str()))
        }));
        a.on_open_file(act1(&page, |p, text: SharedString| p.open_file(&text)));
        a.on_open_app(act(&page, |p| p.open_app()));
        a.on_open_with(act1(&page, |p, text: SharedString| {
            p.open_with(Passcode::new(text.as_str()))
        }));
        a.on_merge(act(&page, |p| p.restore(RestoreMode::Merge)));
        a.on_replace(act(&page, |p| p.restore(RestoreMode::Replace)));
        a.on_undo(act(&page, |p| p.undo()));
        a.on_close_restore(act(&page, |p| {
            let mut s = p.state.borrow_mut();
            s.sealed = None;
            s.incoming = None;
            drop(s);
            p.step(RestoreStep::None);
        }));
        shared.subscribe(
            &page,
            Slices::SETTINGS
                | Slices::LEARN
                | Slices::CONCERNS
                | Slices::DRAFT
                | Slices::CHECK_INS
                | Slices::INSIGHTS
                | Slices::PROTECTION
                | Slices::STORE,
        );
        page
    }

    fn adapter(&self, f: impl FnOnce(&BackupsAdapter)) {
        self.shared
            .in_window(|ui| f(&ui.global::<BackupsAdapter>()));
    }

    fn note(&self, note: BackupNote) {
        self.adapter(|a| a.set_note(note));
    }

    fn step(&self, step: RestoreStep) {
        self.adapter(|a| a.set_restore_step(step));
    }

    /// Counts this device's backups in the folder (off the UI thread), for
    /// "10 kept"; then sees whether a backup is due.
    fn count_at_start(self: &Rc<Self>) {
        let (folder, label) = {
            let store = self.shared.store.borrow();
            if store.is_locked_placeholder() {
                return;
            }
            let s = &store.data().settings.backup;
            (s.folder.clone(), s.device.clone())
        };
        let Some(folder) = folder.filter(|_| !label.is_empty()) else {
            self.maybe(false);
            return;
        };
        let w = Rc::downgrade(self);
        self.backing_up.set(true);
        self.shared.worker.run(
            move || {
                backup::list(&RealFs, Path::new(&folder), &|_| None)
                    .map(|l| l.iter().filter(|b| b.device == label).count())
                    .unwrap_or(0)
            },
            move |n| {
                with(&w, |p| {
                    p.backing_up.set(false);
                    p.state.borrow_mut().kept = n;
                    p.show();
                    p.maybe(false);
                })
            },
        );
    }

    fn set_folder(self: &Rc<Self>, text: &str) {
        let folder = (!text.is_empty()).then(|| text.to_owned());
        self.shared.change_soon(Slices::SETTINGS, |d| {
            let b = &mut d.settings.backup;
            if b.device.is_empty() {
                b.device = backup::new_device_label();
            }
            b.folder = folder;
        });
        self.state.borrow_mut().kept = None;
        if text.is_empty() {
            self.note(BackupNote::None);
        } else {
            // A new folder gets its first backup straight away (or says
            // why not: not there, no passphrase yet).
            self.back_up(true);
        }
    }

    fn set_passphrase(self: &Rc<Self>, first: &str, again: &str) {
        let pass = Passcode::new(first);
        if pass.check_new().is_err() {
            self.note(BackupNote::PassphraseTooShort);
            return;
        }
        if !pass.same_as(&Passcode::new(again)) {
            self.note(BackupNote::PassphraseMismatch);
            return;
        }
        if self.backing_up.get() {
            return;
        }
        self.backing_up.set(true);
        self.note(BackupNote::Working);
        let w = Rc::downgrade(self);
        self.shared.worker.run(
            move || backup::new_passphrase(&pass, KdfParams::APP),
            move |made: Option<Result<BackupKey, CryptoError>>| {
                with(&w, |p| {
                    p.backing_up.set(false);
                    match made {
                        Some(Ok(key)) => {
                            p.shared.change_soon(Slices::SETTINGS, |d| {
                                d.settings.backup.passphrase = Some(key)
                            });
                            p.note(BackupNote::None);
                            p.back_up(false);
                        }
                        other => {
                            let detail = match other {
                                Some(Err(e)) => e.to_string(),
                                _ => String::new(),
                            };
                            p.adapter(|a| a.set_detail(detail.into()));
                            p.note(BackupNote::Failed);
                        }
                    }
                })
            },
        );
    }

    /// Automatic backups: one starts if `core::backup::is_due` says so and
    /// none is running.
    fn maybe(self: &Rc<Self>, closing: bool) {
        if self.backing_up.get() {
            return;
        }
        let due = {
            let store = self.shared.store.borrow();
            if store.is_locked_placeholder() {
                return;
            }
            let s = &store.data().settings.backup;
            let state = self.state.borrow();
            s.folder.is_some()
                && backup::sealing(s, store.seal_key()).is_ok()
                && backup::is_due(
                    Utc::now(),
                    s.last_good,
                    state.last_failed,
                    store.changes() > state.backed_seq,
                    closing,
                )
        };
        if due {
            self.back_up(false);
        }
    }

    /// What a backup needs, taken on the UI thread: the work to run on the
    /// worker and the change count of the snapshot. `asked`: the user
    /// asked, so a missing folder or passphrase is said at once.
    #[allow(clippy::type_complexity)]
    fn backup_job(
        &self,
        asked: bool,
    ) -> Option<(
        Box<dyn FnOnce() -> Result<Written, BackupError> + Send>,
        u64,
    )> {
        let store = self.shared.store.borrow();
        let s = store.data().settings.backup.clone();
        let Some(folder) = s.folder.clone() else {
            if asked {
                self.note(BackupNote::NoFolder);
            }
            return None;
        };
        let sealing = match backup::sealing(&s, store.seal_key()) {
            Ok(sealing) => sealing,
            Err(e) => {
                if asked {
                    self.note(note_of(e.kind()));
                }
                return None;
            }
        };
        let data = store.snapshot();
        let seq = store.changes();
        let data_dir = store.dir().to_path_buf();
        let work = move || {
            let folder = PathBuf::from(folder);
            backup::check_folder(&RealFs, &folder, Some(&data_dir)).and_then(|()| {
                backup::write_backup(
                    &RealFs,
                    &folder,
                    &s.device,
                    Some(s.keep),
                    &data,
                    &sealing,
                    Utc::now(),
                )
            })
        };
        Some((Box::new(work), seq))
    }

    /// Starts a backup on the worker.
    fn back_up(self: &Rc<Self>, asked: bool) {
        if self.backing_up.get() {
            return;
        }
        let Some((work, seq)) = self.backup_job(asked) else {
            return;
        };
        self.backing_up.set(true);
        self.note(BackupNote::Working);
        self.adapter(|a| a.set_detail("".into()));
        let w = Rc::downgrade(self);
        self.shared.worker.run(work, move |result| {
            with(&w, |p| {
                p.backing_up.set(false);
                p.backed_up(result, seq);
            })
        });
    }

    fn backed_up(&self, result: Option<Result<Written, BackupError>>, seq: u64) {
        match result {
            Some(Ok(w)) => {
                let unchanged = self.shared.store.borrow().changes() == seq;
                self.shared.change_soon(Slices::SETTINGS, |d| {
                    d.settings.backup.last_good = Some(w.at)
                });
                let now = self.shared.store.borrow().changes();
                let mut s = self.state.borrow_mut();
                // Recording the time is a change too, but not one to back up.
                s.backed_seq = if unchanged { now } else { seq };
                s.kept = Some(w.kept);
                s.last_failed = None;
                drop(s);
                self.note(BackupNote::Done);
            }
            Some(Err(e)) => {
                self.state.borrow_mut().last_failed = Some(Utc::now());
                self.adapter(|a| a.set_detail(e.to_string().into()));
                self.note(note_of(e.kind()));
            }
            None => {
                self.state.borrow_mut().last_failed = Some(Utc::now());
                self.note(BackupNote::Failed);
            }
        }
        self.show();
    }

    /// When the window closes: a last backup if anything changed since the
    /// last one. The event loop has ended, so waiting here holds up nothing
    /// the user sees; the work itself runs on its own thread.
    pub fn on_close(self: &Rc<Self>) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while self.backing_up.get() && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(10));
            self.shared.worker.poll();
        }
        if self.backing_up.get() {
            return;
        }
        let due = {
            let store = self.shared.store.borrow();
            let s = &store.data().settings.backup;
            let state = self.state.borrow();
            !store.is_locked_placeholder()
                && s.folder.is_some()
                && backup::is_due(
                    Utc::now(),
                    s.last_good,
                    state.last_failed,
                    store.changes() > state.backed_seq,
                    true,
                )
        };
        if !due {
            return;
        }
        if let Some((work, seq)) = self.backup_job(false) {
            let result = std::thread::spawn(work).join().ok();
            self.backed_up(result, seq);
        }
    }

    fn open_restore(self: &Rc<Self>) {
        if self.restoring.get() {
            return;
        }
        let store = self.shared.store.borrow();
        let s = store.data().settings.backup.clone();
        self.adapter(|a| {
            a.set_no_folder(s.folder.is_none());
            a.set_list_detail("".into());
        });
        let Some(folder) = s.folder.clone() else {
            // No list: the block says to open a file by its path.
            self.rows.clear();
            self.step(RestoreStep::Listing);
            return;
        };
        let store_key = store.seal_key().cloned();
        drop(store);
        self.restoring.set(true);
        self.step(RestoreStep::Opening);
        let w = Rc::downgrade(self);
        self.shared.worker.run(
            move || {
                backup::list(&RealFs, Path::new(&folder), &|wrap| {
                    backup::known_key(&s, store_key.as_ref(), wrap)
                })
            },
            move |listed| {
                with(&w, |p| {
                    p.restoring.set(false);
                    match listed {
                        Some(Ok(list)) => sync_rows(&p.rows, list.iter().map(row)),
                        // The folder cannot be listed (a drive unplugged):
                        // a file can still be opened by its path.
                        other => {
                            p.rows.clear();
                            let why = match other {
                                Some(Err(e)) => e.to_string(),
                                _ => "the folder could not be listed".to_owned(),
                            };
                            p.adapter(|a| a.set_list_detail(why.into()));
                        }
                    }
                    p.step(RestoreStep::Listing);
                })
            },
        );
    }

    fn failed(&self, detail: String) {
        self.adapter(|a| a.set_detail(detail.into()));
        self.step(RestoreStep::Failed);
    }

    /// Runs one step of the restore flow on the worker; its result goes to
    /// [`BackupsPage::opened`].
    fn open(
        self: &Rc<Self>,
        work: impl FnOnce() -> Result<Opened, String> + Send + 'static,
        undoing: bool,
    ) {
        self.restoring.set(true);
        self.step(if undoing {
            RestoreStep::Working
        } else {
            RestoreStep::Opening
        });
        let w = Rc::downgrade(self);
        self.shared.worker.run(work, move |result| {
            with(&w, |p| {
                p.restoring.set(false);
                p.opened(result.unwrap_or_else(|| Err(String::new())), undoing);
            })
        });
    }

    /// A backup file by the path the user typed: `~` is the home folder,
    /// and a relative path starts in the backup folder (else Documents).
    fn open_file(self: &Rc<Self>, typed: &str) {
        if typed.trim().is_empty() {
            self.failed("please type the path of a backup file".to_owned());
            return;
        }
        let base = self
            .shared
            .data(|d| d.settings.backup.folder.clone())
            .map(PathBuf::from)
            .or_else(paths::export_folder);
        self.pick(paths::user_path(typed, base.as_deref()));
    }

    fn pick(self: &Rc<Self>, path: PathBuf) {
        if self.restoring.get() {
            return;
        }
        self.state.borrow_mut().beside = path.parent().map(Path::to_path_buf);
        let (settings, store_key) = self.keys_at_hand();
        self.open(
            move || read_with_known_key(&path, &settings, store_key.as_ref(), None),
            false,
        );
    }

    /// What opens a sealed backup without asking: the backup settings (the
    /// passphrase's key) and the store's own key.
    fn keys_at_hand(&self) -> (BackupSettings, Option<SealKey>) {
        let store = self.shared.store.borrow();
        let settings = store.data().settings.backup.clone();
        (settings, store.seal_key().cloned())
    }

    fn open_with(self: &Rc<Self>, pass: Passcode) {
        if self.restoring.get() {
            return;
        }
        let Some((bytes, wrap)) = self.state.borrow_mut().sealed.take() else {
            return;
        };
        self.open(
            move || {
                let key = match SealKey::unlock(&pass, &wrap) {
                    Ok(k) => k,
                    Err(CryptoError::WrongPasscode) => {
                        return Ok(Opened::WrongPassphrase(bytes, wrap))
                    }
                    Err(e) => return Err(e.to_string()),
                };
                read_backup(&bytes, Some(&key))
                    .map(|d| Opened::Ready(Arc::new(d), Some(key)))
                    .map_err(|e| e.to_string())
            },
            false,
        );
    }

    fn restore(self: &Rc<Self>, mode: RestoreMode) {
        if self.restoring.get() {
            return;
        }
        let Some((incoming, key)) = self.state.borrow().incoming.clone() else {
            return;
        };
        match mode {
            RestoreMode::Merge => {
                self.keep_passcode(&incoming, key);
                self.apply(&incoming, RestoreMode::Merge);
                self.state.borrow_mut().incoming = None;
                self.step(RestoreStep::Merged);
            }
            RestoreMode::Replace if self.state.borrow().in_place.is_some() => {
                self.replace_in_place(&incoming, key);
            }
            RestoreMode::Replace => {
                // The data as it is goes into a backup first (off the UI
                // thread), so the replace can be undone.
                let store = self.shared.store.borrow();
                let current = store.snapshot();
                let store_key = store.seal_key().cloned();
                let dir = store.dir().to_path_buf();
                drop(store);
                let beside = self.state.borrow().beside.clone().unwrap_or_default();
                self.restoring.set(true);
                self.step(RestoreStep::Working);
                let w = Rc::downgrade(self);
                self.shared.worker.run(
                    move || {
                        backup::backup_before_replace(
                            &RealFs,
                            &dir,
                            &beside,
                            &current,
                            store_key,
                            key,
                            Utc::now(),
                        )
                        .map_err(|e| e.to_string())
                    },
                    move |saved| {
                        with(&w, |p| {
                            p.restoring.set(false);
                            match saved {
                                Some(Ok(path)) => {
                                    let taken = p.state.borrow_mut().incoming.take();
                                    if let Some((data, key)) = taken {
                                        p.keep_passcode(&data, key.clone());
                                        p.apply(&data, RestoreMode::Replace);
                                        p.state.borrow_mut().undo = Some((path, key));
                                        p.step(RestoreStep::Replaced);
                                    }
                                }
                                Some(Err(detail)) => p.failed(detail),
                                None => p.failed(String::new()),
                            }
                        })
                    },
                );
            }
        }
    }

    /// The window that says the data cannot be opened offers a restore in
    /// place of the store in `dir`, which a newer version wrote.
    pub fn restore_in_place(&self, dir: &Path) {
        self.state.borrow_mut().in_place = Some(dir.to_path_buf());
        self.adapter(|a| {
            a.set_in_place(true);
            a.set_set_aside("".into());
        });
        self.step(RestoreStep::None);
    }

    /// Sets the newer version's files aside and makes the backup the store
    /// (`Store::replace_newer`, on the worker); the app then shows it.
    fn replace_in_place(self: &Rc<Self>, incoming: &Arc<Data>, key: Option<SealKey>) {
        let Some(dir) = self.state.borrow().in_place.clone() else {
            return;
        };
        let data = backup::plan_restore(&Data::default(), incoming, RestoreMode::Replace).result;
        let key = backup::passcode_key(incoming, key);
        self.restoring.set(true);
        self.step(RestoreStep::Working);
        let w = Rc::downgrade(self);
        self.shared.worker.run(
            move || Store::replace_newer(&dir, Arc::new(RealFs), data, key),
            move |replaced| {
                with(&w, |p| {
                    p.restoring.set(false);
                    match replaced {
                        Some(Ok((store, aside))) => {
                            p.state.borrow_mut().incoming = None;
                            super::install_store(&p.shared, store);
                            p.adapter(|a| {
                                a.set_set_aside(aside.folder.display().to_string().into())
                            });
                            p.step(RestoreStep::RestoredInPlace);
                        }
                        Some(Err(e)) => p.failed(e.to_string()),
                        None => p.failed(String::new()),
                    }
                })
            },
        );
    }

    /// After a restore in place: the app itself, on the restored data.
    fn open_app(&self) {
        self.state.borrow_mut().in_place = None;
        self.adapter(|a| a.set_in_place(false));
        self.step(RestoreStep::None);
        self.shared.in_window(|ui| {
            ui.global::<OpenProblem>().set_shown(false);
            ui.global::<Nav>().invoke_go(Destination::Home);
        });
    }

    fn undo(self: &Rc<Self>) {
        if self.restoring.get() {
            return;
        }
        let Some((path, key)) = self.state.borrow_mut().undo.take() else {
            return;
        };
        let (settings, store_key) = self.keys_at_hand();
        self.open(
            move || {
                // The copy made before the replace is sealed with a key at
                // hand; it never asks for a passphrase.
                match read_with_known_key(&path, &settings, store_key.as_ref(), key)? {
                    Opened::NeedsPassphrase(..) => Err(LoadError::Locked.to_string()),
                    opened => Ok(opened),
                }
            },
            true,
        );
    }

    /// Applies a restore in one store update (all or nothing); the pages
    /// that show the data refresh.
    /// A store with no passcode is sealed with the passcode the backup
    /// was behind (`backup::protection_after_restore`), before the
    /// backup's data is written, so that data never lands here unsealed.
    fn keep_passcode(&self, incoming: &Data, key: Option<SealKey>) {
        let mut store = self.shared.store.borrow_mut();
        let here = store.data();
        let Some(k) = backup::protection_after_restore(here, store.seal_key(), incoming, key)
        else {
            return;
        };
        // On failure the seal stays in force and later saves retry with it.
        let _ = store.set_protection(Some(k));
        drop(store);
        self.shared.publish(Slices::PROTECTION | Slices::NOTICES);
    }

    fn apply(&self, incoming: &Data, mode: RestoreMode) {
        let plan = self
            .shared
            .data(|current| backup::plan_restore(current, incoming, mode));
        let result = plan.result;
        self.shared.change_soon(
            Slices::LEARN
                | Slices::CONCERNS
                | Slices::DRAFT
                | Slices::CHECK_INS
                | Slices::INSIGHTS
                | Slices::SETTINGS
                | Slices::UNSAID
                | Slices::SESSIONS,
            |d| *d = result,
        );
    }

    fn opened(&self, result: Result<Opened, String>, undoing: bool) {
        match result {
            Ok(Opened::Ready(data, _)) if undoing => {
                self.apply(&data, RestoreMode::Replace);
                self.step(RestoreStep::Undone);
            }
            Ok(Opened::Ready(data, key)) => {
                let summary = self
                    .shared
                    .data(|current| plan_import(current, &data).summary);
                let keeps_passcode = {
                    let store = self.shared.store.borrow();
                    backup::protection_after_restore(
                        store.data(),
                        store.seal_key(),
                        &data,
                        key.clone(),
                    )
                    .is_some()
                };
                self.adapter(|a| {
                    a.set_keeps_passcode(keeps_passcode);
                    a.set_holds_check_ins(data.check_ins.len().min(i32::MAX as usize) as i32);
                    a.set_holds_concerns(data.concerns.len().min(i32::MAX as usize) as i32);
                    a.set_add_check_ins(summary.check_ins_added.min(i32::MAX as usize) as i32);
                    a.set_add_concerns(summary.concerns_added.min(i32::MAX as usize) as i32);
                });
                self.state.borrow_mut().incoming = Some((data, key));
                self.step(RestoreStep::Ready);
            }
            Ok(Opened::NeedsPassphrase(bytes, wrap)) => {
                self.state.borrow_mut().sealed = Some((bytes, wrap));
                self.step(RestoreStep::AskPassphrase);
            }
            Ok(Opened::WrongPassphrase(bytes, wrap)) => {
                self.state.borrow_mut().sealed = Some((bytes, wrap));
                self.step(RestoreStep::WrongPassphrase);
            }
            Err(detail) => self.failed(detail),
        }
    }

    /// Shows the settings and the last backup.
    fn show(&self) {
        let Some(ui) = self.shared.window.upgrade() else {
            return;
        };
        let store = self.shared.store.borrow();
        let a = ui.global::<BackupsAdapter>();
        let s = &store.data().settings.backup;
        let folder = s.folder.clone().unwrap_or_default();
        if a.get_folder().as_str() != folder {
            a.set_folder(folder.into());
        }
        a.set_keep(s.keep.min(i32::MAX as u32) as i32);
        a.set_device(s.device.as_str().into());
        a.set_sealing(if store.is_encrypted() {
            BackupSealing::Passcode
        } else if s.passphrase.is_some() {
            BackupSealing::Passphrase
        } else if s.unencrypted {
            BackupSealing::Unencrypted
        } else {
            BackupSealing::NotSet
        });
        match s.last_good {
            Some(at) => {
                let local = at.with_timezone(&Local);
                a.set_has_last(true);
                a.set_last_today(local.date_naive() == Local::now().date_naive());
                a.set_last(super::clock::moment(local.naive_local()));
            }
            None => a.set_has_last(false),
        }
        let kept = self.state.borrow().kept;
        a.set_kept(kept.unwrap_or(0).min(i32::MAX as usize) as i32);
    }
}

impl Page for BackupsPage {
    /// Forgets the restore flow (on lock, nothing personal stays).
    fn forget(&self) {
        let mut s = self.state.borrow_mut();
        s.sealed = None;
        s.incoming = None;
        s.undo = None;
        drop(s);
        self.rows.clear();
        self.step(RestoreStep::None);
    }

    fn refresh(&self, _: &AppWindow, changed: Slices) {
        self.show();
        let Some(page) = self.me.upgrade() else {
            return;
        };
        if changed.intersects(Slices::STORE) {
            // A store opened or unlocked: count what is in the folder,
            // then see whether a backup is due.
            self.state.borrow_mut().backed_seq = self.shared.store.borrow().changes();
            if !self.backing_up.get() {
                page.count_at_start();
            }
        } else {
            // A change to the data may make an automatic backup due.
            page.maybe(false);
        }
    }
}

fn row(l: &Listed) -> BackupRow {
    let (sealed, damaged, check_ins, concerns) = match l.holds {
        Holds::Counts {
            check_ins,
            concerns,
        } => (false, false, check_ins, concerns),
        Holds::Sealed => (true, false, 0, 0),
        Holds::Damaged(_) => (false, true, 0, 0),
    };
    BackupRow {
        id: l.path.display().to_string().into(),
        when: super::clock::moment(l.at.with_timezone(&Local).naive_local()),
        device: l.device.as_str().into(),
        sealed,
        damaged,
        check_ins: check_ins.min(i32::MAX as usize) as i32,
        concerns: concerns.min(i32::MAX as usize) as i32,
    }
}

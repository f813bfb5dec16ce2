//! Settings > Backups (`BackupsAdapter`): automatic sealed backups to a
//! folder the user picks, and restoring one from that folder. The rules
//! (names, sealing, rotation, schedule, restore plans) are in
//! `core::backup`; this adapter owns the panel's state and runs every bit
//! of disk work and Argon2id on a worker thread over a shared snapshot
//! (`Store::snapshot`), reported back like the export worker's (channel,
//! then `Status.saves-reported` → [`poll`]; headless tests call
//! `App::saves_reported`).
//!
//! Automatic backups are checked after every background save (the store
//! changed) and at start ([`maybe_back_up`], by `core::backup::is_due`),
//! and once more when the window closes ([`on_close`]). A missing folder or
//! a full disk becomes one calm note with the last good time; the next
//! check after `RETRY_AFTER` tries again. Nothing in the store changes
//! except `settings.backup` (the last good time).

use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::mpsc::{self, Receiver};
use std::sync::Arc;

use chrono::{DateTime, Local, Utc};
use slint::{ComponentHandle, VecModel};

use super::{Ctx, Dirty};
use crate::commands;
use crate::core::backup::{self, BackupError, ErrorKind, Holds, Listed, RestoreMode, Written};
use crate::core::export::{inspect_backup, plan_import, read_backup, BackupLock};
use crate::core::model::{BackupKey, Data};
use crate::core::store::{CryptoError, KdfParams, KeyWrap, Passcode, RealFs, SealKey};
use crate::ui::{
    AppWindow, BackupNote, BackupRow, BackupSealing, BackupsAdapter, RestoreStep, Status,
};

/// What a worker sends back.
enum Job {
    /// A backup (automatic or "Back up now"); `seq` is the store's change
    /// count of the snapshot it wrote.
    BackedUp(Result<Written, BackupError>, u64),
    /// How many of this device's backups the folder holds (at start).
    Counted(usize),
    Listed(Result<Vec<Listed>, BackupError>),
    Passphrase(Result<BackupKey, CryptoError>),
    Opened(Result<Opened, String>),
    /// The backup of the data as it was, written before a replace.
    SavedBefore(Result<PathBuf, String>),
}

enum Opened {
    /// Read and checked; the key it opened with (to seal the undo copy).
    Ready(Arc<Data>, Option<SealKey>),
    /// Sealed with a key this device does not have at hand.
    NeedsPassphrase(Arc<Vec<u8>>, Box<KeyWrap>),
    WrongPassphrase(Arc<Vec<u8>>, Box<KeyWrap>),
}

/// The panel's state, kept by the bridge.
#[derive(Default)]
pub(crate) struct BackupsUi {
    /// A backup (or a new passphrase) in flight.
    job: Option<Receiver<Job>>,
    /// A step of the restore flow in flight (apart, so that an automatic
    /// backup never blocks a restore, or the other way round).
    restore_job: Option<Receiver<Job>>,
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
    /// The job in flight is the undo (so its result replaces, not asks).
    undoing: bool,
}

fn on(weak: &std::rc::Weak<Ctx>, f: impl FnOnce(&Rc<Ctx>, &AppWindow)) {
    if let Some(ctx) = weak.upgrade() {
        if let Some(ui) = ctx.window.upgrade() {
            f(&ctx, &ui);
        }
    }
}

fn spawn(ctx: &Rc<Ctx>, work: impl FnOnce() -> Job + Send + 'static) {
    let (tx, rx) = mpsc::channel();
    ctx.backups_ui.borrow_mut().job = Some(rx);
    run(ctx, tx, work);
}

fn spawn_restore(ctx: &Rc<Ctx>, work: impl FnOnce() -> Job + Send + 'static) {
    let (tx, rx) = mpsc::channel();
    ctx.backups_ui.borrow_mut().restore_job = Some(rx);
    run(ctx, tx, work);
}

fn run(ctx: &Rc<Ctx>, tx: mpsc::Sender<Job>, work: impl FnOnce() -> Job + Send + 'static) {
    let ui = ctx.window.clone();
    std::thread::spawn(move || {
        let _ = tx.send(work());
        // Fails only without an event loop (headless tests poll instead).
        let _ = ui.upgrade_in_event_loop(|ui| ui.global::<Status>().invoke_saves_reported());
    });
}

fn busy(ctx: &Rc<Ctx>) -> bool {
    ctx.backups_ui.borrow().job.is_some()
}

fn restoring(ctx: &Rc<Ctx>) -> bool {
    ctx.backups_ui.borrow().restore_job.is_some()
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

pub(super) fn install(ctx: &Rc<Ctx>, ui: &AppWindow) {
    let a = ui.global::<BackupsAdapter>();
    let weak = Rc::downgrade(ctx);
    ctx.backups_ui.borrow_mut().backed_seq = ctx.store.borrow().changes();

    let w = weak.clone();
    a.on_set_folder(move |text| on(&w, |ctx, ui| set_folder(ctx, ui, text.trim())));
    let w = weak.clone();
    a.on_set_keep(move |n| {
        on(&w, |ctx, _| {
            let n = n.clamp(1, backup::MAX_KEEP as i32) as u32;
            ctx.change_soon(Dirty::SETTINGS, |d| d.settings.backup.keep = n);
        })
    });
    let w = weak.clone();
    a.on_set_device(move |text| {
        on(&w, |ctx, _| {
            let label = backup::sanitize_label(&text);
            ctx.change_soon(Dirty::SETTINGS, |d| d.settings.backup.device = label);
        })
    });
    let w = weak.clone();
    a.on_set_passphrase(move |first, again| {
        on(&w, |ctx, ui| set_passphrase(ctx, ui, &first, &again))
    });
    let w = weak.clone();
    a.on_choose_unencrypted(move || {
        on(&w, |ctx, ui| {
            ctx.change_soon(Dirty::SETTINGS, |d| d.settings.backup.unencrypted = true);
            ui.global::<BackupsAdapter>().set_note(BackupNote::None);
        })
    });
    let w = weak.clone();
    a.on_back_up_now(move || on(&w, |ctx, ui| back_up(ctx, ui, true)));
    let w = weak.clone();
    a.on_open_restore(move || on(&w, open_restore));
    let w = weak.clone();
    a.on_pick(move |id| on(&w, |ctx, ui| pick(ctx, ui, PathBuf::from(id.as_str()))));
    let w = weak.clone();
    a.on_open_with(move |text| {
        on(&w, |ctx, ui| {
            open_with(ctx, ui, Passcode::new(text.as_str()))
        })
    });
    let w = weak.clone();
    a.on_merge(move || on(&w, |ctx, ui| restore(ctx, ui, RestoreMode::Merge)));
    let w = weak.clone();
    a.on_replace(move || on(&w, |ctx, ui| restore(ctx, ui, RestoreMode::Replace)));
    let w = weak.clone();
    a.on_undo(move || on(&w, undo));
    let w = weak.clone();
    a.on_close_restore(move || {
        on(&w, |ctx, ui| {
            let mut s = ctx.backups_ui.borrow_mut();
            s.sealed = None;
            s.incoming = None;
            ui.global::<BackupsAdapter>()
                .set_restore_step(RestoreStep::None);
        })
    });
    count_at_start(ctx);
}

/// Counts this device's backups in the folder (off the UI thread), for
/// "10 kept"; then checks whether a backup is due.
fn count_at_start(ctx: &Rc<Ctx>) {
    let store = ctx.store.borrow();
    if store.is_locked_placeholder() {
        return;
    }
    let s = &store.data().settings.backup;
    let (Some(folder), false) = (s.folder.clone(), s.device.is_empty()) else {
        drop(store);
        maybe(ctx, false);
        return;
    };
    let label = s.device.clone();
    drop(store);
    spawn(ctx, move || {
        let n = backup::list(&RealFs, Path::new(&folder), &|_| None)
            .map(|l| l.iter().filter(|b| b.device == label).count())
            .unwrap_or(0);
        Job::Counted(n)
    });
}

fn set_folder(ctx: &Rc<Ctx>, ui: &AppWindow, text: &str) {
    let folder = (!text.is_empty()).then(|| text.to_owned());
    ctx.change_soon(Dirty::SETTINGS, |d| {
        let b = &mut d.settings.backup;
        if b.device.is_empty() {
            b.device = backup::new_device_label();
        }
        b.folder = folder;
    });
    ctx.backups_ui.borrow_mut().kept = None;
    if text.is_empty() {
        ui.global::<BackupsAdapter>().set_note(BackupNote::None);
    } else {
        // A new folder gets its first backup straight away (or says why
        // not: not there, no passphrase yet).
        back_up(ctx, ui, true);
    }
}

fn set_passphrase(ctx: &Rc<Ctx>, ui: &AppWindow, first: &str, again: &str) {
    let a = ui.global::<BackupsAdapter>();
    let pass = Passcode::new(first);
    if pass.check_new().is_err() {
        a.set_note(BackupNote::PassphraseTooShort);
        return;
    }
    if !pass.same_as(&Passcode::new(again)) {
        a.set_note(BackupNote::PassphraseMismatch);
        return;
    }
    if busy(ctx) {
        return;
    }
    a.set_note(BackupNote::Working);
    spawn(ctx, move || {
        Job::Passphrase(backup::new_passphrase(&pass, KdfParams::APP))
    });
}

/// Automatic backups: one is started if `core::backup::is_due` says so
/// and nothing else is running. Called at start and after every
/// background save.
pub(crate) fn maybe_back_up(ctx: &Rc<Ctx>) {
    maybe(ctx, false);
}

fn maybe(ctx: &Rc<Ctx>, closing: bool) {
    if busy(ctx) {
        return;
    }
    let due = {
        let store = ctx.store.borrow();
        if store.is_locked_placeholder() {
            return;
        }
        let s = &store.data().settings.backup;
        let ui = ctx.backups_ui.borrow();
        s.folder.is_some()
            && backup::sealing(s, store.seal_key()).is_ok()
            && backup::is_due(
                Utc::now(),
                s.last_good,
                ui.last_failed,
                store.changes() > ui.backed_seq,
                closing,
            )
    };
    if due {
        if let Some(ui) = ctx.window.upgrade() {
            back_up(ctx, &ui, false);
        }
    }
}

/// Starts a backup on the worker. `asked`: the user asked (so a missing
/// folder or passphrase is said at once).
fn back_up(ctx: &Rc<Ctx>, ui: &AppWindow, asked: bool) {
    let a = ui.global::<BackupsAdapter>();
    if busy(ctx) {
        return;
    }
    let store = ctx.store.borrow();
    let s = store.data().settings.backup.clone();
    let Some(folder) = s.folder.clone() else {
        if asked {
            a.set_note(BackupNote::NoFolder);
        }
        return;
    };
    let sealing = match backup::sealing(&s, store.seal_key()) {
        Ok(sealing) => sealing,
        Err(e) => {
            if asked {
                a.set_note(note_of(e.kind()));
            }
            return;
        }
    };
    let data = store.snapshot();
    let seq = store.changes();
    let data_dir = store.dir().to_path_buf();
    drop(store);
    a.set_note(BackupNote::Working);
    a.set_detail("".into());
    spawn(ctx, move || {
        let folder = PathBuf::from(folder);
        let result = backup::check_folder(&RealFs, &folder, Some(&data_dir)).and_then(|()| {
            backup::write_backup(
                &RealFs,
                &folder,
                &s.device,
                Some(s.keep),
                &data,
                &sealing,
                Utc::now(),
            )
        });
        Job::BackedUp(result, seq)
    });
}

fn open_restore(ctx: &Rc<Ctx>, ui: &AppWindow) {
    let a = ui.global::<BackupsAdapter>();
    if restoring(ctx) {
        return;
    }
    let store = ctx.store.borrow();
    let s = store.data().settings.backup.clone();
    let Some(folder) = s.folder.clone() else {
        a.set_note(BackupNote::NoFolder);
        return;
    };
    let store_key = store.seal_key().cloned();
    drop(store);
    a.set_restore_step(RestoreStep::Opening);
    spawn_restore(ctx, move || {
        Job::Listed(backup::list(&RealFs, Path::new(&folder), &|w| {
            backup::known_key(&s, store_key.as_ref(), w)
        }))
    });
}

fn pick(ctx: &Rc<Ctx>, ui: &AppWindow, path: PathBuf) {
    if restoring(ctx) {
        return;
    }
    let store = ctx.store.borrow();
    let settings = store.data().settings.backup.clone();
    let store_key = store.seal_key().cloned();
    drop(store);
    ui.global::<BackupsAdapter>()
        .set_restore_step(RestoreStep::Opening);
    spawn_restore(ctx, move || {
        let opened = (|| {
            let bytes = commands::read_backup_file(&path).map_err(|e| e.to_string())?;
            let key = match inspect_backup(&bytes).map_err(|e| e.to_string())? {
                BackupLock::Open => None,
                BackupLock::Sealed(wrap) => {
                    match backup::known_key(&settings, store_key.as_ref(), &wrap) {
                        Some(k) => Some(k),
                        None => {
                            return Ok(Opened::NeedsPassphrase(Arc::new(bytes), Box::new(wrap)))
                        }
                    }
                }
            };
            let data = read_backup(&bytes, key.as_ref()).map_err(|e| e.to_string())?;
            Ok(Opened::Ready(Arc::new(data), key))
        })();
        Job::Opened(opened)
    });
}

fn open_with(ctx: &Rc<Ctx>, ui: &AppWindow, pass: Passcode) {
    if restoring(ctx) {
        return;
    }
    let Some((bytes, wrap)) = ctx.backups_ui.borrow_mut().sealed.take() else {
        return;
    };
    ui.global::<BackupsAdapter>()
        .set_restore_step(RestoreStep::Opening);
    spawn_restore(ctx, move || {
        let key = match SealKey::unlock(&pass, &wrap) {
            Ok(k) => k,
            Err(CryptoError::WrongPasscode) => {
                return Job::Opened(Ok(Opened::WrongPassphrase(bytes, wrap)))
            }
            Err(e) => return Job::Opened(Err(e.to_string())),
        };
        Job::Opened(
            read_backup(&bytes, Some(&key))
                .map(|d| Opened::Ready(Arc::new(d), Some(key)))
                .map_err(|e| e.to_string()),
        )
    });
}

fn restore(ctx: &Rc<Ctx>, ui: &AppWindow, mode: RestoreMode) {
    if restoring(ctx) {
        return;
    }
    let Some((incoming, key)) = ctx.backups_ui.borrow().incoming.clone() else {
        return;
    };
    let a = ui.global::<BackupsAdapter>();
    match mode {
        RestoreMode::Merge => {
            apply(ctx, &incoming, RestoreMode::Merge);
            ctx.backups_ui.borrow_mut().incoming = None;
            a.set_restore_step(RestoreStep::Merged);
        }
        RestoreMode::Replace => {
            // The data as it is goes into a backup first (off the UI
            // thread), so the replace can be undone.
            let store = ctx.store.borrow();
            let current = store.snapshot();
            let store_key = store.seal_key().cloned();
            let dir = store.dir().to_path_buf();
            drop(store);
            a.set_restore_step(RestoreStep::Working);
            spawn_restore(ctx, move || {
                let folder =
                    PathBuf::from(current.settings.backup.folder.clone().unwrap_or_default());
                Job::SavedBefore(
                    commands::backup_before_replace(&dir, &folder, &current, store_key, key)
                        .map_err(|e| e.to_string()),
                )
            });
        }
    }
}

fn undo(ctx: &Rc<Ctx>, ui: &AppWindow) {
    if restoring(ctx) {
        return;
    }
    let Some((path, key)) = ctx.backups_ui.borrow_mut().undo.take() else {
        return;
    };
    let store = ctx.store.borrow();
    let settings = store.data().settings.backup.clone();
    let store_key = store.seal_key().cloned();
    drop(store);
    ctx.backups_ui.borrow_mut().undoing = true;
    ui.global::<BackupsAdapter>()
        .set_restore_step(RestoreStep::Working);
    spawn_restore(ctx, move || {
        let opened = (|| {
            let bytes = commands::read_backup_file(&path).map_err(|e| e.to_string())?;
            let key = match inspect_backup(&bytes).map_err(|e| e.to_string())? {
                BackupLock::Open => None,
                BackupLock::Sealed(wrap) => {
                    backup::known_key(&settings, store_key.as_ref(), &wrap).or(key)
                }
            };
            let data = read_backup(&bytes, key.as_ref()).map_err(|e| e.to_string())?;
            Ok(Opened::Ready(Arc::new(data), key))
        })();
        Job::Opened(opened)
    });
}

/// Applies a restore in one store update (all or nothing) and refreshes
/// every page.
fn apply(ctx: &Rc<Ctx>, incoming: &Data, mode: RestoreMode) {
    let plan = {
        let store = ctx.store.borrow();
        backup::plan_restore(store.data(), incoming, mode)
    };
    let result = plan.result;
    ctx.change_soon(Dirty::ALL, |d| *d = result);
}

/// Picks up a finished worker job.
pub(crate) fn poll(ctx: &Rc<Ctx>) {
    poll_slot(ctx, false);
    poll_slot(ctx, true);
}

fn poll_slot(ctx: &Rc<Ctx>, restore_flow: bool) {
    let job = {
        let s = ctx.backups_ui.borrow();
        let slot = if restore_flow { &s.restore_job } else { &s.job };
        match slot {
            Some(rx) => match rx.try_recv() {
                Ok(job) => Some(job),
                Err(mpsc::TryRecvError::Empty) => return,
                Err(mpsc::TryRecvError::Disconnected) => None,
            },
            None => return,
        }
    };
    {
        let mut s = ctx.backups_ui.borrow_mut();
        if restore_flow {
            s.restore_job = None;
        } else {
            s.job = None;
        }
    }
    let Some(ui) = ctx.window.upgrade() else {
        return;
    };
    let a = ui.global::<BackupsAdapter>();
    match job {
        None if restore_flow => a.set_restore_step(RestoreStep::Failed),
        None => a.set_note(BackupNote::Failed),
        Some(Job::BackedUp(result, seq)) => backed_up(ctx, &a, result, seq),
        Some(Job::Counted(n)) => {
            ctx.backups_ui.borrow_mut().kept = Some(n);
            refresh(ctx, &ui);
            maybe(ctx, false);
        }
        Some(Job::Passphrase(Ok(key))) => {
            ctx.change_soon(Dirty::SETTINGS, |d| {
                d.settings.backup.passphrase = Some(key)
            });
            a.set_note(BackupNote::None);
            back_up(ctx, &ui, false);
        }
        Some(Job::Passphrase(Err(e))) => {
            a.set_detail(e.to_string().into());
            a.set_note(BackupNote::Failed);
        }
        Some(Job::Listed(Ok(list))) => {
            let rows: Vec<BackupRow> = list.iter().map(row).collect();
            a.set_backups(Rc::new(VecModel::from(rows)).into());
            a.set_restore_step(RestoreStep::Listing);
        }
        Some(Job::Listed(Err(e))) => {
            a.set_detail(e.to_string().into());
            a.set_restore_step(RestoreStep::Failed);
        }
        Some(Job::Opened(result)) => opened(ctx, &a, result),
        Some(Job::SavedBefore(Ok(path))) => {
            let incoming = ctx.backups_ui.borrow_mut().incoming.take();
            if let Some((data, key)) = incoming {
                apply(ctx, &data, RestoreMode::Replace);
                ctx.backups_ui.borrow_mut().undo = Some((path, key));
                a.set_restore_step(RestoreStep::Replaced);
            }
        }
        Some(Job::SavedBefore(Err(detail))) => {
            a.set_detail(detail.into());
            a.set_restore_step(RestoreStep::Failed);
        }
    }
}

fn backed_up(ctx: &Rc<Ctx>, a: &BackupsAdapter, result: Result<Written, BackupError>, seq: u64) {
    match result {
        Ok(w) => {
            let unchanged = ctx.store.borrow().changes() == seq;
            ctx.change_soon(Dirty::SETTINGS, |d| {
                d.settings.backup.last_good = Some(w.at)
            });
            let mut s = ctx.backups_ui.borrow_mut();
            // Recording the time is a change too, but not one to back up.
            s.backed_seq = if unchanged {
                ctx.store.borrow().changes()
            } else {
                seq
            };
            s.kept = Some(w.kept);
            s.last_failed = None;
            drop(s);
            a.set_note(BackupNote::Done);
        }
        Err(e) => {
            ctx.backups_ui.borrow_mut().last_failed = Some(Utc::now());
            a.set_detail(e.to_string().into());
            a.set_note(note_of(e.kind()));
        }
    }
    ctx.refresh(Dirty::SETTINGS);
}

fn opened(ctx: &Rc<Ctx>, a: &BackupsAdapter, result: Result<Opened, String>) {
    let undoing = std::mem::take(&mut ctx.backups_ui.borrow_mut().undoing);
    match result {
        Ok(Opened::Ready(data, _)) if undoing => {
            apply(ctx, &data, RestoreMode::Replace);
            a.set_restore_step(RestoreStep::Undone);
        }
        Ok(Opened::Ready(data, key)) => {
            let summary = plan_import(ctx.store.borrow().data(), &data).summary;
            a.set_holds_check_ins(data.check_ins.len() as i32);
            a.set_holds_concerns(data.concerns.len() as i32);
            a.set_add_check_ins(summary.check_ins_added as i32);
            a.set_add_concerns(summary.concerns_added as i32);
            ctx.backups_ui.borrow_mut().incoming = Some((data, key));
            a.set_restore_step(RestoreStep::Ready);
        }
        Ok(Opened::NeedsPassphrase(bytes, wrap)) => {
            ctx.backups_ui.borrow_mut().sealed = Some((bytes, wrap));
            a.set_restore_step(RestoreStep::AskPassphrase);
        }
        Ok(Opened::WrongPassphrase(bytes, wrap)) => {
            ctx.backups_ui.borrow_mut().sealed = Some((bytes, wrap));
            a.set_restore_step(RestoreStep::WrongPassphrase);
        }
        Err(detail) => {
            a.set_detail(detail.into());
            a.set_restore_step(RestoreStep::Failed);
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

/// When the window closes: a last backup if anything changed since the
/// last one. The event loop has ended, so waiting here holds up nothing
/// the user sees; the work itself still runs on the worker.
pub(crate) fn on_close(ctx: &Rc<Ctx>) {
    let wait = |ctx: &Rc<Ctx>| {
        let rx = ctx.backups_ui.borrow_mut().job.take();
        if let Some(rx) = rx {
            if let Ok(job) = rx.recv() {
                // Hand it back for `poll` to pick up.
                let (tx, again) = mpsc::channel();
                let _ = tx.send(job);
                ctx.backups_ui.borrow_mut().job = Some(again);
                poll_slot(ctx, false);
            }
        }
    };
    wait(ctx);
    maybe(ctx, true);
    wait(ctx);
}

pub(super) fn refresh(ctx: &Rc<Ctx>, ui: &AppWindow) {
    let store = ctx.store.borrow();
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
    let kept = ctx.backups_ui.borrow().kept;
    a.set_kept(kept.unwrap_or(0).min(i32::MAX as usize) as i32);
}

/// Forgets the restore flow (when the app locks).
pub(crate) fn reset(ctx: &Rc<Ctx>) {
    let mut s = ctx.backups_ui.borrow_mut();
    s.sealed = None;
    s.incoming = None;
    s.undo = None;
    drop(s);
    if let Some(ui) = ctx.window.upgrade() {
        let a = ui.global::<BackupsAdapter>();
        a.set_restore_step(RestoreStep::None);
        a.set_backups(Rc::new(VecModel::<BackupRow>::default()).into());
    }
}

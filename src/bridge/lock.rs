//! The lock screen and the passcode actions of Settings.
//!
//! Argon2id is slow on purpose, so every key derivation runs on a worker
//! thread. Its result comes back through a channel; the worker nudges the
//! UI thread (`upgrade_in_event_loop` → `Status.saves-reported` →
//! [`poll`]). Headless tests have no event loop and call [`poll`] through
//! `App::saves_reported`, as they do for saves.
//!
//! While locked the real [`Store`] (its key and the user's data) is
//! dropped; the adapters show a [`Store::locked_placeholder`] with empty
//! data, and the lock page covers the window.

use std::rc::Rc;
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

use slint::ComponentHandle;

use super::{Ctx, Dirty};
use crate::core::store::{
    unlock, unlock_wait, CryptoError, KdfParams, Passcode, SealKey, Store, StoreError,
};
use crate::ui::{AppWindow, LockAdapter, LockMessage, PasscodeMessage, SettingsAdapter, Status};

// The wait after wrong passcodes is the core's, kept on disk in the data
// folder, so that a restart (or the command line) waits too.
pub use crate::core::store::sealed::{wait_after, FREE_TRIES, MAX_WAIT_SECS};

/// What a worker sends back.
// Sent once per unlock or passcode change: the size of a `Store` does
// not matter here.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Job {
    Unlocked(Box<Result<Store, StoreError>>),
    /// A new protection to apply (`None` = off), and the message to show.
    Protect(Result<(Option<SealKey>, PasscodeMessage), CryptoError>),
}

/// The lock state kept by the bridge.
#[derive(Default)]
pub(crate) struct LockState {
    job: Option<Receiver<Job>>,
    /// Locks the app when it fires; restarted by every use.
    idle: slint::Timer,
}

/// The app was used: with a passcode on, lock after the chosen idle time
/// from now (one single-shot timer, restarted; nothing runs while idle but
/// it). Without a passcode, or while locked, no timer runs.
pub(crate) fn activity(ctx: &Rc<Ctx>) {
    let Ok(store) = ctx.store.try_borrow() else {
        return;
    };
    let minutes = store
        .is_encrypted()
        .then(|| store.data().settings.lock_after_minutes.max(1));
    drop(store);
    let Ok(state) = ctx.lock.try_borrow() else {
        return;
    };
    match minutes {
        Some(m) => {
            let weak = Rc::downgrade(ctx);
            state.idle.start(
                slint::TimerMode::SingleShot,
                Duration::from_secs(u64::from(m) * 60),
                move || {
                    if let Some(ctx) = weak.upgrade() {
                        lock_now(&ctx);
                    }
                },
            );
        }
        None => state.idle.stop(),
    }
}

fn spawn(ctx: &Rc<Ctx>, work: impl FnOnce() -> Job + Send + 'static) {
    let (tx, rx) = mpsc::channel();
    ctx.lock.borrow_mut().job = Some(rx);
    let ui = ctx.window.clone();
    std::thread::spawn(move || {
        let _ = tx.send(work());
        // Fails only without an event loop (headless tests poll instead).
        let _ = ui.upgrade_in_event_loop(|ui| ui.global::<Status>().invoke_saves_reported());
    });
}

pub(super) fn install(ctx: &Rc<Ctx>, ui: &AppWindow) {
    let lock = ui.global::<LockAdapter>();
    let weak = Rc::downgrade(ctx);
    lock.on_unlock(move |text| {
        let Some(ctx) = weak.upgrade() else { return };
        let Some(ui) = ctx.window.upgrade() else {
            return;
        };
        let adapter = ui.global::<LockAdapter>();
        if adapter.get_busy() || adapter.get_wait_seconds() > 0 || ctx.lock.borrow().job.is_some() {
            return;
        }
        if text.is_empty() {
            adapter.set_message(LockMessage::Empty);
            return;
        }
        let dir = ctx.store.borrow().dir().to_path_buf();
        let wait = unlock_wait(&dir);
        if wait > 0 {
            // Another window, the command line or an earlier run of the
            // app counted wrong passcodes: their wait holds here too.
            adapter.set_message(LockMessage::Wrong);
            start_wait(&ctx, wait);
            return;
        }
        adapter.set_busy(true);
        adapter.set_message(LockMessage::None);
        let passcode = Passcode::new(text.as_str());
        spawn(&ctx, move || {
            let result = unlock(&dir, &passcode, KdfParams::APP)
                .map_err(StoreError::Crypto)
                .and_then(|key| Store::open_unlocked(&dir, key));
            Job::Unlocked(Box::new(result))
        });
    });
    let weak = Rc::downgrade(ctx);
    lock.on_activity(move || {
        if let Some(ctx) = weak.upgrade() {
            activity(&ctx);
        }
    });
    let weak = Rc::downgrade(ctx);
    lock.on_lock_now(move || {
        if let Some(ctx) = weak.upgrade() {
            lock_now(&ctx);
        }
    });

    let settings = ui.global::<SettingsAdapter>();
    let weak = Rc::downgrade(ctx);
    settings.on_turn_on_passcode(move |a, b| {
        let Some(ctx) = weak.upgrade() else { return };
        if let Some(message) = check_new(&a, &b) {
            return say(&ctx, message);
        }
        busy(&ctx);
        let passcode = Passcode::new(a.as_str());
        spawn(&ctx, move || {
            Job::Protect(
                SealKey::create(&passcode, KdfParams::APP)
                    .map(|k| (Some(k), PasscodeMessage::TurnedOn)),
            )
        });
    });
    let weak = Rc::downgrade(ctx);
    settings.on_change_passcode(move |current, a, b| {
        let Some(ctx) = weak.upgrade() else { return };
        if let Some(message) = check_new(&a, &b) {
            return say(&ctx, message);
        }
        let Some(key) = ctx.store.borrow().seal_key().cloned() else {
            return;
        };
        busy(&ctx);
        let (current, new) = (Passcode::new(current.as_str()), Passcode::new(a.as_str()));
        spawn(&ctx, move || {
            // A new data key: an old copy and the old passcode open nothing
            // written from now on.
            Job::Protect(if key.confirms(&current) {
                SealKey::create(&new, KdfParams::APP).map(|k| (Some(k), PasscodeMessage::Changed))
            } else {
                Err(CryptoError::WrongPasscode)
            })
        });
    });
    let weak = Rc::downgrade(ctx);
    settings.on_turn_off_passcode(move |current| {
        let Some(ctx) = weak.upgrade() else { return };
        let Some(key) = ctx.store.borrow().seal_key().cloned() else {
            return;
        };
        busy(&ctx);
        let current = Passcode::new(current.as_str());
        spawn(&ctx, move || {
            Job::Protect(if key.confirms(&current) {
                Ok((None, PasscodeMessage::TurnedOff))
            } else {
                Err(CryptoError::WrongPasscode)
            })
        });
    });
    let weak = Rc::downgrade(ctx);
    settings.on_delete_plain_files(move || {
        let Some(ctx) = weak.upgrade() else { return };
        let result = ctx.store.borrow_mut().delete_plain_files();
        say(
            &ctx,
            match result {
                Ok(_) => PasscodeMessage::PlainDeleted,
                Err(_) => PasscodeMessage::Failed,
            },
        );
        ctx.refresh(Dirty::SETTINGS);
    });
    let weak = Rc::downgrade(ctx);
    settings.on_keep_plain_files(move || {
        let Some(ctx) = weak.upgrade() else { return };
        let result = ctx.store.borrow_mut().keep_plain_files();
        if result.is_err() {
            say(&ctx, PasscodeMessage::Failed);
        }
        ctx.refresh(Dirty::SETTINGS);
    });
}

/// Shows the passcode panel's list of files that hold plain text while the
/// passcode is on (set aside before it was turned on, or put there), with
/// whether the user already chose to keep them.
pub(crate) fn show_plain_files(ui: &AppWindow, store: &Store) {
    use slint::Model;
    let files = store.plain_files();
    let names: Vec<slint::SharedString> = files
        .iter()
        .map(|f| {
            f.path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
                .into()
        })
        .collect();
    let adapter = ui.global::<SettingsAdapter>();
    let current = adapter.get_plain_files();
    if current.row_count() != names.len()
        || names
            .iter()
            .enumerate()
            .any(|(i, n)| current.row_data(i).as_ref() != Some(n))
    {
        adapter.set_plain_files(slint::ModelRc::new(slint::VecModel::from(names)));
    }
    adapter.set_plain_files_kept(!files.is_empty() && files.iter().all(|f| f.kept));
}

fn check_new(a: &str, b: &str) -> Option<PasscodeMessage> {
    if a.is_empty() {
        Some(PasscodeMessage::Empty)
    } else if Passcode::new(a).check_new() == Err(CryptoError::TooShort) {
        Some(PasscodeMessage::TooShort)
    } else if a != b {
        Some(PasscodeMessage::Mismatch)
    } else {
        None
    }
}

fn say(ctx: &Rc<Ctx>, message: PasscodeMessage) {
    if let Some(ui) = ctx.window.upgrade() {
        let s = ui.global::<SettingsAdapter>();
        s.set_passcode_busy(false);
        s.set_passcode_message(message);
    }
}

fn busy(ctx: &Rc<Ctx>) {
    if let Some(ui) = ctx.window.upgrade() {
        let s = ui.global::<SettingsAdapter>();
        s.set_passcode_busy(true);
        s.set_passcode_message(PasscodeMessage::None);
    }
}

/// Locks now (on demand): saves, drops the store and its key, and shows
/// the lock page. Does nothing without a passcode.
pub(crate) fn lock_now(ctx: &Rc<Ctx>) {
    if !ctx.store.borrow().is_encrypted() {
        return;
    }
    let dir = ctx.store.borrow().dir().to_path_buf();
    let old = std::mem::replace(
        &mut *ctx.store.borrow_mut(),
        Store::locked_placeholder(&dir),
    );
    drop(old); // flushes pending saves
    *ctx.prepare_ui.borrow_mut() = Default::default();
    super::data::reset(ctx);
    super::backups::reset(ctx);
    ctx.dismissed.borrow_mut().clear();
    set_locked(ctx, true);
}

/// Shows or hides the lock page and refreshes every page from the data
/// now in the store (empty while locked).
pub(crate) fn set_locked(ctx: &Rc<Ctx>, locked: bool) {
    if let Some(ui) = ctx.window.upgrade() {
        let lock = ui.global::<LockAdapter>();
        lock.set_locked(locked);
        lock.set_busy(false);
        lock.set_message(LockMessage::None);
        ui.global::<SettingsAdapter>()
            .set_passcode_message(PasscodeMessage::None);
    }
    ctx.refresh(Dirty::ALL);
    if locked {
        // A wait started before (by an earlier run of the app, or the
        // command line) still holds.
        let dir = ctx.store.borrow().dir().to_path_buf();
        let wait = unlock_wait(&dir);
        if wait > 0 {
            if let Some(ui) = ctx.window.upgrade() {
                ui.global::<LockAdapter>().set_message(LockMessage::Wrong);
            }
            start_wait(ctx, wait);
        }
    }
}

/// Picks up a finished worker job, if any.
pub(crate) fn poll(ctx: &Rc<Ctx>) {
    let job = {
        let state = ctx.lock.borrow();
        match &state.job {
            Some(rx) => match rx.try_recv() {
                Ok(job) => Some(job),
                Err(mpsc::TryRecvError::Empty) => return,
                Err(mpsc::TryRecvError::Disconnected) => None,
            },
            None => return,
        }
    };
    ctx.lock.borrow_mut().job = None;
    let Some(job) = job else { return };
    let Some(ui) = ctx.window.upgrade() else {
        return;
    };
    match job {
        Job::Unlocked(result) => match *result {
            Ok(store) => {
                *ctx.store.borrow_mut() = store;
                super::install_notifier(ctx);
                set_locked(ctx, false);
            }
            Err(e) => unlock_failed(ctx, &ui, e),
        },
        Job::Protect(Ok((key, message))) => {
            let result = ctx.store.borrow_mut().set_protection(key);
            say(
                ctx,
                if result.is_ok() {
                    message
                } else {
                    PasscodeMessage::Failed
                },
            );
            ctx.refresh(Dirty::SETTINGS | Dirty::SHELL);
        }
        Job::Protect(Err(e)) => say(
            ctx,
            if e == CryptoError::WrongPasscode {
                PasscodeMessage::Wrong
            } else {
                PasscodeMessage::Failed
            },
        ),
    }
}

/// Says why unlocking failed; after a wrong passcode, shows the wait kept
/// on disk.
fn unlock_failed(ctx: &Rc<Ctx>, ui: &AppWindow, e: StoreError) {
    let adapter = ui.global::<LockAdapter>();
    adapter.set_busy(false);
    match e {
        StoreError::Crypto(CryptoError::WrongPasscode) => {
            adapter.set_message(LockMessage::Wrong);
            let dir = ctx.store.borrow().dir().to_path_buf();
            start_wait(ctx, unlock_wait(&dir));
        }
        StoreError::Crypto(CryptoError::Wait { seconds }) => {
            adapter.set_message(LockMessage::Wrong);
            start_wait(ctx, seconds);
        }
        _ => adapter.set_message(LockMessage::Failed),
    }
}

/// Counts `secs` down on the lock page, one second at a time (one
/// single-shot timer per second, none once it reaches 0).
fn start_wait(ctx: &Rc<Ctx>, secs: u64) {
    let Some(ui) = ctx.window.upgrade() else {
        return;
    };
    ui.global::<LockAdapter>()
        .set_wait_seconds(secs.min(i32::MAX as u64) as i32);
    if secs > 0 {
        tick_later(ctx.window.clone());
    }
}

fn tick_later(weak: slint::Weak<AppWindow>) {
    slint::Timer::single_shot(Duration::from_secs(1), move || {
        if let Some(ui) = weak.upgrade() {
            let lock = ui.global::<LockAdapter>();
            let left = (lock.get_wait_seconds() - 1).max(0);
            lock.set_wait_seconds(left);
            if left > 0 {
                tick_later(weak);
            }
        }
    });
}

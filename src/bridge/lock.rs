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
use crate::core::store::{key_wraps, CryptoError, KdfParams, Passcode, SealKey, Store, StoreError};
use crate::ui::{AppWindow, LockAdapter, LockMessage, PasscodeMessage, SettingsAdapter, Status};

/// Wrong passcodes allowed before unlocking starts to wait.
pub const FREE_TRIES: u32 = 3;
/// The longest wait between tries.
pub const MAX_WAIT_SECS: u64 = 300;

/// How long to wait after `failures` wrong passcodes: nothing for the
/// first few, then 5 s doubling up to [`MAX_WAIT_SECS`].
pub fn wait_after(failures: u32) -> u64 {
    if failures < FREE_TRIES {
        0
    } else {
        (5u64 << (failures - FREE_TRIES).min(16)).min(MAX_WAIT_SECS)
    }
}

/// What a worker sends back.
// Sent once per unlock or passcode change: the size of a `Store` does
// not matter here.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Job {
    Unlocked(Result<Store, StoreError>),
    /// A new protection to apply (`None` = off), and the message to show.
    Protect(Result<(Option<SealKey>, PasscodeMessage), CryptoError>),
}

/// The lock state kept by the bridge.
#[derive(Default)]
pub(crate) struct LockState {
    job: Option<Receiver<Job>>,
    failures: u32,
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
        adapter.set_busy(true);
        adapter.set_message(LockMessage::None);
        let passcode = Passcode::new(text.as_str());
        let dir = ctx.store.borrow().dir().to_path_buf();
        spawn(&ctx, move || {
            let result = SealKey::unlock_any(&passcode, &key_wraps(&dir))
                .map_err(StoreError::Crypto)
                .and_then(|key| Store::open_unlocked(&dir, key));
            Job::Unlocked(result)
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
            Job::Protect(if key.confirms(&current) {
                key.rewrap(&new, KdfParams::APP)
                    .map(|k| (Some(k), PasscodeMessage::Changed))
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
}

fn check_new(a: &str, b: &str) -> Option<PasscodeMessage> {
    if a.is_empty() {
        Some(PasscodeMessage::Empty)
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
        Job::Unlocked(Ok(store)) => {
            *ctx.store.borrow_mut() = store;
            super::install_notifier(ctx);
            ctx.lock.borrow_mut().failures = 0;
            set_locked(ctx, false);
        }
        Job::Unlocked(Err(e)) => {
            let adapter = ui.global::<LockAdapter>();
            adapter.set_busy(false);
            if matches!(e, StoreError::Crypto(CryptoError::WrongPasscode)) {
                adapter.set_message(LockMessage::Wrong);
                let failures = {
                    let mut s = ctx.lock.borrow_mut();
                    s.failures += 1;
                    s.failures
                };
                start_wait(ctx, wait_after(failures));
            } else {
                adapter.set_message(LockMessage::Failed);
            }
        }
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

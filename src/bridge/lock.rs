//! The lock screen and the passcode actions of Settings.
//!
//! Argon2id is slow on purpose, so every key derivation runs on the worker
//! (`super::worker`). While locked the real [`Store`] (its key and the
//! user's data) is dropped; the pages show a [`Store::locked_placeholder`]
//! with empty data, and the lock page covers the window.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use slint::{ComponentHandle, SharedString};

use super::changes::Slices;
use super::shared::{act, act1, act2, with, Page, Shared};
use crate::core::store::{
    unlock, unlock_wait, CryptoError, KdfParams, Passcode, SealKey, Store, StoreError,
};
use crate::ui::{AppWindow, LockAdapter, LockMessage, PasscodeMessage, SettingsAdapter};

// The wait after wrong passcodes is the core's, kept on disk in the data
// folder, so that a restart (or the command line) waits too.
pub use crate::core::store::sealed::{wait_after, FREE_TRIES, MAX_WAIT_SECS};

/// A new protection to apply (`None` = off), and what to say then.
type Protect = Result<(Option<SealKey>, PasscodeMessage), CryptoError>;

pub(crate) struct LockPage {
    shared: Rc<Shared>,
    /// Itself, for the idle timer's callback.
    me: std::rc::Weak<LockPage>,
    /// A key derivation is running.
    busy: Cell<bool>,
    /// Locks the app when it fires; restarted by every use.
    idle: slint::Timer,
}

impl LockPage {
    pub fn install(shared: &Rc<Shared>, ui: &AppWindow) -> Rc<LockPage> {
        let page = Rc::new_cyclic(|me| LockPage {
            shared: shared.clone(),
            me: me.clone(),
            busy: Cell::new(false),
            idle: slint::Timer::default(),
        });
        let lock = ui.global::<LockAdapter>();
        lock.on_unlock(act1(&page, |p, text: SharedString| p.unlock(&text)));
        lock.on_activity(act(&page, |p| p.activity()));
        lock.on_lock_now(act(&page, |p| p.lock_now()));

        let settings = ui.global::<SettingsAdapter>();
        settings.on_turn_on_passcode(act2(&page, |p, a: SharedString, b: SharedString| {
            if let Some(message) = check_new(&a, &b) {
                return p.say(message);
            }
            let passcode = Passcode::new(a.as_str());
            p.protect(move || {
                SealKey::create(&passcode, KdfParams::APP)
                    .map(|k| (Some(k), PasscodeMessage::TurnedOn))
            });
        }));
        let w = Rc::downgrade(&page);
        settings.on_change_passcode(move |current, a, b| {
            with(&w, |p| {
                if let Some(message) = check_new(&a, &b) {
                    return p.say(message);
                }
                let Some(key) = p.shared.store.borrow().seal_key().cloned() else {
                    return;
                };
                let (current, new) = (Passcode::new(current.as_str()), Passcode::new(a.as_str()));
                p.protect(move || {
                    // A new data key: an old copy and the old passcode open
                    // nothing written from now on.
                    if key.confirms(&current) {
                        SealKey::create(&new, KdfParams::APP)
                            .map(|k| (Some(k), PasscodeMessage::Changed))
                    } else {
                        Err(CryptoError::WrongPasscode)
                    }
                });
            })
        });
        settings.on_turn_off_passcode(act1(&page, |p, current: SharedString| {
            let Some(key) = p.shared.store.borrow().seal_key().cloned() else {
                return;
            };
            let current = Passcode::new(current.as_str());
            p.protect(move || {
                if key.confirms(&current) {
                    Ok((None, PasscodeMessage::TurnedOff))
                } else {
                    Err(CryptoError::WrongPasscode)
                }
            });
        }));
        shared.subscribe(&page, Slices::USE);
        page
    }

    fn unlock(self: &Rc<Self>, text: &str) {
        let Some(ui) = self.shared.window.upgrade() else {
            return;
        };
        let adapter = ui.global::<LockAdapter>();
        if self.busy.get() || adapter.get_wait_seconds() > 0 {
            return;
        }
        if text.is_empty() {
            adapter.set_message(LockMessage::Empty);
            return;
        }
        let dir = self.shared.store.borrow().dir().to_path_buf();
        let wait = unlock_wait(&dir);
        if wait > 0 {
            // Another window, the command line or an earlier run of the
            // app counted wrong passcodes: their wait holds here too.
            adapter.set_message(LockMessage::Wrong);
            self.start_wait(wait);
            return;
        }
        self.busy.set(true);
        adapter.set_busy(true);
        adapter.set_message(LockMessage::None);
        let passcode = Passcode::new(text);
        let w = Rc::downgrade(self);
        self.shared.worker.run(
            move || {
                unlock(&dir, &passcode, KdfParams::APP)
                    .map_err(StoreError::Crypto)
                    .and_then(|key| Store::open_unlocked(&dir, key))
            },
            move |result| with(&w, |p| p.unlocked(result)),
        );
    }

    fn unlocked(&self, result: Option<Result<Store, StoreError>>) {
        self.busy.set(false);
        let Some(ui) = self.shared.window.upgrade() else {
            return;
        };
        let adapter = ui.global::<LockAdapter>();
        match result {
            Some(Ok(store)) => {
                *self.shared.store.borrow_mut() = store;
                self.shared.watch_saves();
                self.set_locked(false);
            }
            // The count of wrong passcodes, and the wait, are on disk.
            Some(Err(StoreError::Crypto(CryptoError::WrongPasscode))) => {
                adapter.set_busy(false);
                adapter.set_message(LockMessage::Wrong);
                let dir = self.shared.store.borrow().dir().to_path_buf();
                self.start_wait(unlock_wait(&dir));
            }
            Some(Err(StoreError::Crypto(CryptoError::Wait { seconds }))) => {
                adapter.set_busy(false);
                adapter.set_message(LockMessage::Wrong);
                self.start_wait(seconds);
            }
            // The passcode was right, but a newer version wrote the data:
            // the window says so (and offers a restore in its place).
            Some(Err(e)) if crate::core::store::replace::can_set_aside(&e) => {
                adapter.set_busy(false);
                self.set_locked(false);
                self.shared.cannot_open(&e);
            }
            _ => {
                adapter.set_busy(false);
                adapter.set_message(LockMessage::Failed);
            }
        }
    }

    /// Runs a key derivation for Settings' passcode panel on the worker.
    fn protect(self: &Rc<Self>, work: impl FnOnce() -> Protect + Send + 'static) {
        if self.busy.get() {
            return;
        }
        self.busy.set(true);
        self.shared.in_window(|ui| {
            let s = ui.global::<SettingsAdapter>();
            s.set_passcode_busy(true);
            s.set_passcode_message(PasscodeMessage::None);
        });
        let w = Rc::downgrade(self);
        self.shared
            .worker
            .run(work, move |result| with(&w, |p| p.protected(result)));
    }

    fn protected(&self, result: Option<Protect>) {
        self.busy.set(false);
        match result {
            Some(Ok((key, message))) => {
                let applied = self.shared.store.borrow_mut().set_protection(key);
                self.say(if applied.is_ok() {
                    message
                } else {
                    PasscodeMessage::Failed
                });
                self.shared.publish(Slices::PROTECTION | Slices::NOTICES);
            }
            Some(Err(CryptoError::WrongPasscode)) => self.say(PasscodeMessage::Wrong),
            _ => self.say(PasscodeMessage::Failed),
        }
    }

    fn say(&self, message: PasscodeMessage) {
        self.shared.in_window(|ui| {
            let s = ui.global::<SettingsAdapter>();
            s.set_passcode_busy(false);
            s.set_passcode_message(message);
        });
    }

    /// The app was used: with a passcode on, lock after the chosen idle
    /// time from now (one single-shot timer, restarted; nothing runs while
    /// idle but it). Without a passcode, or while locked, no timer runs.
    fn activity(&self) {
        let Ok(store) = self.shared.store.try_borrow() else {
            return;
        };
        let minutes = store
            .is_encrypted()
            .then(|| store.data().settings.lock_after_minutes.max(1));
        drop(store);
        match minutes {
            Some(m) => {
                let w = self.me.clone();
                self.idle.start(
                    slint::TimerMode::SingleShot,
                    Duration::from_secs(u64::from(m) * 60),
                    move || with(&w, |p| p.lock_now()),
                );
            }
            None => self.idle.stop(),
        }
    }

    /// Locks now (on demand): saves, drops the store and its key, and shows
    /// the lock page. Does nothing without a passcode.
    pub fn lock_now(&self) {
        if !self.shared.store.borrow().is_encrypted() {
            return;
        }
        let dir = self.shared.store.borrow().dir().to_path_buf();
        let old = std::mem::replace(
            &mut *self.shared.store.borrow_mut(),
            Store::locked_placeholder(&dir),
        );
        drop(old); // flushes pending saves
        self.set_locked(true);
    }

    /// Shows or hides the lock page and has every page show the data now
    /// in the store (empty while locked).
    pub fn set_locked(&self, locked: bool) {
        self.shared.in_window(|ui| {
            let lock = ui.global::<LockAdapter>();
            lock.set_locked(locked);
            lock.set_busy(false);
            lock.set_message(LockMessage::None);
            ui.global::<SettingsAdapter>()
                .set_passcode_message(PasscodeMessage::None);
        });
        self.shared.publish(Slices::ALL);
        if locked {
            // A wait started before (by an earlier run of the app, or the
            // command line) still holds.
            let dir = self.shared.store.borrow().dir().to_path_buf();
            let wait = unlock_wait(&dir);
            if wait > 0 {
                self.shared
                    .in_window(|ui| ui.global::<LockAdapter>().set_message(LockMessage::Wrong));
                self.start_wait(wait);
            }
        }
    }

    /// Counts `secs` down on the lock page, one second at a time (one
    /// single-shot timer per second, none once it reaches 0).
    fn start_wait(&self, secs: u64) {
        let Some(ui) = self.shared.window.upgrade() else {
            return;
        };
        ui.global::<LockAdapter>()
            .set_wait_seconds(secs.min(i32::MAX as u64) as i32);
        if secs > 0 {
            tick_later(self.shared.window.clone());
        }
    }
}

impl Page for LockPage {
    /// Every change and every action that reaches the bridge is use.
    fn refresh(&self, _: &AppWindow, _: Slices) {
        self.activity();
    }
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

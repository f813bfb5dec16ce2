//! Off-thread work (key derivation, export, import, opening the store):
//! one helper runs a job on a worker thread and hands its result back to
//! the UI thread, where the page's continuation runs.
//!
//! The worker wakes the UI thread with `upgrade_in_event_loop`, which
//! invokes `Status.work-done`; the app then runs [`Worker::poll`]. Headless
//! tests have no event loop and call `App::pick_up_finished_work`, which polls too.

use std::cell::RefCell;
use std::sync::mpsc::{self, TryRecvError};

use slint::ComponentHandle;

use crate::ui::{AppWindow, Status};

/// A job waiting for its result: `true` once it has run its continuation.
type Pending = Box<dyn FnMut() -> bool>;

pub(crate) struct Worker {
    window: slint::Weak<AppWindow>,
    pending: RefCell<Vec<Pending>>,
}

impl Worker {
    pub fn new(window: slint::Weak<AppWindow>) -> Worker {
        Worker {
            window,
            pending: RefCell::default(),
        }
    }

    /// Runs `work` on a new thread; `done` then gets its result on the UI
    /// thread (`None` if the work panicked, so a page never stays busy).
    pub fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
        done: impl FnOnce(Option<T>) + 'static,
    ) {
        let (tx, rx) = mpsc::channel();
        let mut done = Some(done);
        self.pending.borrow_mut().push(Box::new(move || {
            let result = match rx.try_recv() {
                Ok(result) => Some(result),
                Err(TryRecvError::Empty) => return false,
                Err(TryRecvError::Disconnected) => None,
            };
            if let Some(done) = done.take() {
                done(result);
            }
            true
        }));
        let window = self.window.clone();
        std::thread::spawn(move || {
            let _ = tx.send(work());
            // Fails only without an event loop (headless tests poll).
            let _ = window.upgrade_in_event_loop(|ui| ui.global::<Status>().invoke_work_done());
        });
    }

    /// Runs the continuations of finished jobs (each once).
    pub fn poll(&self) {
        let mut jobs = std::mem::take(&mut *self.pending.borrow_mut());
        // A continuation may start another job: it lands in `pending`.
        jobs.retain_mut(|job| !job());
        self.pending.borrow_mut().extend(jobs);
    }

    /// Whether any job is still running.
    #[cfg(test)]
    pub fn is_busy(&self) -> bool {
        !self.pending.borrow().is_empty()
    }
}

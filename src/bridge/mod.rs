//! The layer between the pure core and the Slint UI: one adapter per page
//! (`home`, `learn`, `prepare`, `checkin`, `insights`, `settings`, `lock`,
//! `data`, `backups`, `rhythm` for session times, and the `shell` around
//! them), plus `reminders`, which shows no page but the system's
//! notifications. Each owns its state and its long-lived models, maps core
//! state to its Slint global and callbacks to core calls. No business
//! rules live here.
//!
//! A change reaches the pages through [`shared::Shared::change`]: it names
//! the parts of the data it wrote ([`changes::Slices`]), and each page that
//! shows one of them refreshes. Adapters never import one another; a page
//! that starts something on another page invokes that page's callback.
//! Off-thread work goes through [`worker`].

mod backups;
mod changes;
mod checkin;
mod clock;
mod convert;
mod data;
mod home;
mod insights;
mod learn;
pub mod lock;
mod prepare;
mod reminders;
mod rhythm;
mod rows;
mod settings;
mod shared;
mod shell;
mod undo;
mod worker;

#[cfg(test)]
mod tests;

use std::path::Path;
use std::rc::Rc;

use slint::ComponentHandle;

use crate::core::locale;
use crate::core::model::Data;
use crate::core::store::{Store, StoreError};
use crate::ui::{AppWindow, CannotOpenWindow, Limits, OpenProblem, ProblemKind, Status};

use changes::Slices;
use shared::{act, Page, Shared};

/// Why the app could not start.
#[derive(Debug)]
pub enum StartError {
    Store(StoreError),
    Ui(slint::PlatformError),
}

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StartError::Store(e) => write!(f, "{e}"),
            StartError::Ui(e) => write!(f, "could not open a window: {e}"),
        }
    }
}

impl std::error::Error for StartError {}

/// What to say about a store that could not be opened: the kind of
/// problem, the file or folder, and the technical cause (none for a newer
/// version, which needs no more words than the message has).
fn problem(error: &StoreError) -> (ProblemKind, std::path::PathBuf, Option<String>) {
    let (kind, path) = match error {
        StoreError::FutureVersion { path, .. } => (ProblemKind::NewerVersion, path.clone()),
        StoreError::Io { path, .. } => (ProblemKind::CannotRead, path.clone()),
        StoreError::ReadOnly { dir }
        | StoreError::Locked { dir }
        | StoreError::NotAStoreFolder { dir }
        | StoreError::NoStore { dir }
        | StoreError::NotNewer { dir } => (ProblemKind::CannotRead, dir.clone()),
        StoreError::Encode { .. }
        | StoreError::WriterStopped
        | StoreError::Crypto(_)
        | StoreError::TooLarge(_) => (ProblemKind::CannotRead, Default::default()),
    };
    let detail = (!matches!(error, StoreError::FutureVersion { .. })).then(|| error.to_string());
    (kind, path, detail)
}

/// A window that explains why the data could not be opened, for a user who
/// started the app from a launcher and will never see a terminal. Nothing
/// on disk has been touched when this is shown.
pub fn cannot_open_window(error: &StoreError) -> Result<CannotOpenWindow, slint::PlatformError> {
    let window = CannotOpenWindow::new()?;
    let (kind, path, detail) = problem(error);
    window.set_kind(kind);
    window.set_path(path.display().to_string().into());
    window.set_detail(detail.unwrap_or_default().into());
    let weak = window.as_weak();
    window.on_quit(move || {
        if let Some(w) = weak.upgrade() {
            let _ = w.hide();
        }
    });
    Ok(window)
}

/// Says inside the running window why the data could not be opened; for a
/// store a newer version wrote, offers to restore a backup in its place
/// (`backups.rs`, `core::store::replace`).
fn show_problem(ui: &AppWindow, error: &StoreError) {
    let (kind, path, detail) = problem(error);
    let g = ui.global::<OpenProblem>();
    g.set_kind(kind);
    g.set_path(path.display().to_string().into());
    g.set_detail(detail.unwrap_or_default().into());
    g.set_restorable(crate::core::store::replace::can_set_aside(error));
    g.set_shown(true);
}

/// The data folder of a store that a newer version wrote.
fn problem_dir(error: &StoreError) -> Option<std::path::PathBuf> {
    match error {
        StoreError::FutureVersion { path, .. } => path.parent().map(Path::to_path_buf),
        _ => None,
    }
}

/// Makes `store`, opened on a worker, the app's store: the pages show its
/// data.
fn install_store(shared: &Shared, store: Store) {
    *shared.store.borrow_mut() = store;
    keep_suggested_region(shared);
    shared.watch_saves();
    shared.publish(Slices::ALL);
}

/// On the first start the help region follows the system locale and is
/// kept, so that a later change of locale (or a trip) does not silently
/// change whom the user is told to call.
fn keep_suggested_region(shared: &Shared) {
    let unset = shared.data(|d| d.settings.region.is_none());
    if unset && !shared.store.borrow().is_read_only() {
        let region = shared.suggested_region;
        shared
            .store
            .borrow_mut()
            .update_soon(|d| d.settings.region = Some(region));
    }
}

/// A running Common Ground window bound to a store.
pub struct App {
    pub window: AppWindow,
    shared: Rc<Shared>,
    lock: Rc<lock::LockPage>,
    backups: Rc<backups::BackupsPage>,
    data: Rc<data::DataPage>,
    /// The page adapters, kept alive as long as the window (the window's
    /// callbacks hold them weakly).
    _pages: Vec<Rc<dyn Page>>,
    #[cfg(test)]
    checkin: Rc<checkin::CheckInPage>,
    #[cfg(test)]
    reminders: Rc<reminders::RemindersPage>,
}

impl App {
    /// Builds the UI at once, in the system's locale, and opens (or
    /// creates) the store in `data_dir` on a worker thread: the first frame
    /// shows the pages empty (the placeholder the lock screen uses), and
    /// the data appears when it is read. A store protected by a passcode
    /// shows the lock page; one that cannot be opened says why inside the
    /// window.
    pub fn start(data_dir: &Path) -> Result<App, StartError> {
        Self::start_in_background(data_dir, &locale::system_locales())
    }

    /// As [`App::start`], in the given locales.
    pub fn start_in_background<S: AsRef<str>>(
        data_dir: &Path,
        locales: &[S],
    ) -> Result<App, StartError> {
        let app = Self::with_store_in_locale(Store::locked_placeholder(data_dir), locales)?;
        let dir = data_dir.to_path_buf();
        let shared = Rc::downgrade(&app.shared);
        let lock = Rc::downgrade(&app.lock);
        app.shared.worker.run(
            move || Store::open(&dir),
            move |opened| {
                let (Some(shared), Some(lock)) = (shared.upgrade(), lock.upgrade()) else {
                    return;
                };
                match opened {
                    Some(Ok(store)) => install_store(&shared, store),
                    Some(Err(StoreError::Locked { .. })) => lock.set_locked(true),
                    Some(Err(e)) => shared.cannot_open(&e),
                    None => {
                        if let Some(ui) = shared.window.upgrade() {
                            let dir = shared.store.borrow().dir().to_path_buf();
                            show_problem(&ui, &StoreError::ReadOnly { dir });
                        }
                    }
                }
            },
        );
        Ok(app)
    }

    /// Opens (or creates) the store in `data_dir` before building the UI
    /// on it (what tests and tools that need the data at once use), in the
    /// given locales (BCP 47 or POSIX tags, most preferred first), as if
    /// the system said so.
    pub fn start_in_locale<S: AsRef<str>>(
        data_dir: &Path,
        locales: &[S],
    ) -> Result<App, StartError> {
        // A store protected by a passcode starts locked: the app shows the
        // lock page over empty pages until it is unlocked.
        match Store::open(data_dir) {
            Ok(store) => Self::with_store_in_locale(store, locales),
            Err(StoreError::Locked { .. }) => {
                let app = Self::with_store_in_locale(Store::locked_placeholder(data_dir), locales)?;
                app.lock.set_locked(true);
                Ok(app)
            }
            Err(e) => Err(StartError::Store(e)),
        }
    }

    pub fn with_store(store: Store) -> Result<App, StartError> {
        Self::with_store_in_locale(store, &locale::system_locales())
    }

    pub fn with_store_in_locale<S: AsRef<str>>(
        store: Store,
        locales: &[S],
    ) -> Result<App, StartError> {
        Self::with_store_at(store, locales, None)
    }

    /// As [`App::with_store_in_locale`], seeing `now` as the current time
    /// from the first frame on (see [`App::set_now`]); `None`: the clock.
    pub fn with_store_at<S: AsRef<str>>(
        store: Store,
        locales: &[S],
        now: Option<chrono::DateTime<chrono::Utc>>,
    ) -> Result<App, StartError> {
        let window = AppWindow::new().map_err(StartError::Ui)?;
        let country = locale::first_country(locales);
        let help = crate::core::help::HelpContent::builtin();
        let suggested_region = help.region_for_country(country.as_deref());
        let shared = Rc::new(Shared::new(store, window.as_weak(), help, suggested_region));
        shared.fixed_now.set(now);
        keep_suggested_region(&shared);
        let limits = window.global::<Limits>();
        limits.set_max_chars(crate::core::prepare::MAX_TEXT_CHARS as i32);
        limits.set_counter_from(crate::core::prepare::COUNTER_FROM as i32);
        let lock = lock::LockPage::install(&shared, &window);
        let checkin = checkin::CheckInPage::install(&shared, &window);
        let backups = backups::BackupsPage::install(&shared, &window);
        let data = data::DataPage::install(&shared, &window);
        let reminders = reminders::RemindersPage::install(&shared);
        let pages: Vec<Rc<dyn Page>> = vec![
            shell::Shell::install(&shared, &window),
            settings::SettingsPage::install(&shared, &window),
            home::HomePage::install(&shared, &window, locale::date_order(country.as_deref())),
            learn::LearnPage::install(&shared, &window),
            prepare::PreparePage::install(&shared, &window),
            rhythm::RhythmPage::install(&shared, &window),
            checkin.clone(),
            insights::InsightsPage::install(&shared, &window),
            data.clone(),
            backups.clone(),
            lock.clone(),
            reminders.clone(),
            clock::Clock::install(&shared),
        ];
        shared.publish(Slices::ALL);
        window
            .global::<Status>()
            .on_work_done(act(&shared, |shared| shared.work_done()));
        let ui = window.as_weak();
        let restore = Rc::downgrade(&backups);
        *shared.cannot_open.borrow_mut() = Some(Box::new(move |error| {
            let Some(ui) = ui.upgrade() else {
                return;
            };
            show_problem(&ui, error);
            if crate::core::store::replace::can_set_aside(error) {
                if let (Some(backups), Some(dir)) = (restore.upgrade(), problem_dir(error)) {
                    backups.restore_in_place(&dir);
                }
            }
        }));
        let weak = window.as_weak();
        window.global::<OpenProblem>().on_quit(move || {
            if let Some(w) = weak.upgrade() {
                let _ = w.hide();
            }
        });
        shared.watch_saves();
        Ok(App {
            window,
            shared,
            lock,
            backups,
            data,
            _pages: pages,
            #[cfg(test)]
            checkin,
            #[cfg(test)]
            reminders,
        })
    }

    /// Lets Export offer the platform's save dialog where there is one
    /// (the app on desktops); without this (headless tests) the typed path
    /// is the way.
    pub fn enable_file_dialog(&self) {
        self.data.enable_file_dialog();
    }

    /// Whether the lock page is showing.
    pub fn is_locked(&self) -> bool {
        self.shared.store.borrow().is_locked_placeholder()
    }

    /// Locks now, as "Lock now" in Settings does.
    pub fn lock_now(&self) {
        self.lock.lock_now();
    }

    /// Shows the window and runs until it is closed, then saves.
    pub fn run(&self) -> Result<(), slint::PlatformError> {
        let result = self.window.run();
        self.closing();
        self.flush();
        result
    }

    /// The window is closing: a last backup if anything changed since the
    /// last one (`bridge/backups.rs`). `run` calls it; so do tests.
    pub fn closing(&self) {
        self.backups.on_close();
    }

    /// Waits for pending background saves.
    pub fn flush(&self) {
        if let Err(e) = self.shared.store.borrow_mut().flush() {
            eprintln!("common-ground: {e}");
        }
    }

    /// Whether every change so far is durable (takes in the background
    /// writer's reports first). Never waits.
    pub fn is_saved(&self) -> bool {
        let mut store = self.shared.store.borrow_mut();
        store.poll();
        !store.is_dirty()
    }

    /// Runs the continuations of finished off-thread jobs (passcode,
    /// export, import, opening the store) and takes in the background
    /// writer's reports, showing a failed save. The event loop does this
    /// when the worker or the writer wakes it; headless tests, which have
    /// no event loop, call it themselves.
    pub fn pick_up_finished_work(&self) {
        self.shared.work_done();
    }

    /// Makes the app see `now` as the current time (`None`: the clock
    /// again), for everything that follows the session rhythm (Home's
    /// card, Session times, a check-in's time), and refreshes what shows
    /// it. For tests and screenshots.
    pub fn set_now(&self, now: Option<chrono::DateTime<chrono::Utc>>) {
        self.shared.fixed_now.set(now);
        self.shared.publish(Slices::SESSIONS);
    }

    /// Read access to the data, for tests and the command line.
    pub fn with_data<R>(&self, f: impl FnOnce(&Data) -> R) -> R {
        self.shared.data(f)
    }
}

impl Drop for App {
    fn drop(&mut self) {
        self.flush();
    }
}

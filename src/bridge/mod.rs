//! The thin layer between the pure core and the Slint UI: one adapter per
//! page, each mapping core state to a Slint global and callbacks back to
//! core calls. No business rules live here.

mod backups;
mod checkin;
mod clock;
mod data;
mod home;
mod insights;
mod learn;
pub mod lock;
mod prepare;
mod settings;
mod shell;

use std::cell::RefCell;
use std::path::Path;
use std::rc::Rc;

use slint::ComponentHandle;

use crate::core::cards::Library;
use crate::core::help::{HelpContent, Region};
use crate::core::locale;
use crate::core::model::Data;
use crate::core::prepare::PrepareContent;
use crate::core::store::{Store, StoreError};
use crate::ui::{AppWindow, CannotOpenWindow, ProblemKind, Status};

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

/// A window that explains why the data could not be opened, for a user who
/// started the app from a launcher and will never see a terminal. Nothing
/// on disk has been touched when this is shown.
pub fn cannot_open_window(error: &StoreError) -> Result<CannotOpenWindow, slint::PlatformError> {
    let window = CannotOpenWindow::new()?;
    let (kind, path) = match error {
        StoreError::FutureVersion { path, .. } => (ProblemKind::NewerVersion, path.clone()),
        StoreError::Io { path, .. } => (ProblemKind::CannotRead, path.clone()),
        StoreError::ReadOnly { dir }
        | StoreError::Locked { dir }
        | StoreError::NotAStoreFolder { dir }
        | StoreError::NoStore { dir } => (ProblemKind::CannotRead, dir.clone()),
        StoreError::Encode { .. }
        | StoreError::WriterStopped
        | StoreError::Crypto(_)
        | StoreError::TooLarge(_) => (ProblemKind::CannotRead, Default::default()),
    };
    window.set_kind(kind);
    window.set_path(path.display().to_string().into());
    // The technical cause helps with a folder problem; a newer version
    // needs no more words than the message already has.
    if !matches!(error, StoreError::FutureVersion { .. }) {
        window.set_detail(error.to_string().into());
    }
    let weak = window.as_weak();
    window.on_quit(move || {
        if let Some(w) = weak.upgrade() {
            let _ = w.hide();
        }
    });
    Ok(window)
}

/// Which adapters a change touches, so that only those are refreshed
/// (at 10-year scale rebuilding every model on each keystroke is too slow).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Dirty(u8);

impl Dirty {
    pub const NONE: Dirty = Dirty(0);
    pub const SHELL: Dirty = Dirty(1);
    pub const SETTINGS: Dirty = Dirty(2);
    pub const HOME: Dirty = Dirty(4);
    pub const LEARN: Dirty = Dirty(8);
    /// Prepare's builder: the open draft's step and small models.
    pub const BUILDER: Dirty = Dirty(16);
    /// Prepare's lists and the concern on screen (includes the builder).
    pub const PREPARE: Dirty = Dirty(32 | 16);
    /// Check in: the history, its tag filter, the entry on screen and the
    /// concerns the form can link to.
    pub const CHECKIN: Dirty = Dirty(64);
    /// Insights (and the nudge on Home).
    pub const INSIGHTS: Dirty = Dirty(128);
    pub const ALL: Dirty = Dirty(u8::MAX);

    pub fn has(self, other: Dirty) -> bool {
        self.0 & other.0 == other.0 && other.0 != 0
    }
}

impl std::ops::BitOr for Dirty {
    type Output = Dirty;
    fn bitor(self, rhs: Dirty) -> Dirty {
        Dirty(self.0 | rhs.0)
    }
}

/// State shared by the adapters.
pub(crate) struct Ctx {
    pub store: RefCell<Store>,
    pub library: Library,
    pub prepare: PrepareContent,
    pub help: HelpContent,
    /// The help region the system locale suggests; used until the user's
    /// own choice is stored (a read-only window cannot store it).
    pub suggested_region: Region,
    pub prepare_ui: RefCell<prepare::PrepareUi>,
    pub checkin_ui: RefCell<checkin::CheckInUi>,
    /// Insights' plot width over height (the charts are drawn to fit it).
    pub plot_aspect: std::cell::Cell<f32>,
    pub window: slint::Weak<AppWindow>,
    /// Notices the user dismissed, by position in the store's list.
    pub dismissed: RefCell<Vec<usize>>,
    /// The lock screen's and passcode actions' state.
    pub lock: RefCell<lock::LockState>,
    /// Export and import (Settings > Back up and export).
    pub data_ui: RefCell<data::DataUi>,
    /// Automatic backups and restore (Settings > Backups).
    pub backups_ui: RefCell<backups::BackupsUi>,
}

impl Ctx {
    /// The region whose help services are shown.
    pub fn region(&self) -> Region {
        self.store
            .borrow()
            .data()
            .settings
            .region
            .unwrap_or(self.suggested_region)
    }

    /// Applies a change to the user's data and saves it in the background
    /// (debounced), then refreshes the pages it touches.
    pub fn change(self: &Rc<Self>, touches: Dirty, f: impl FnOnce(&mut Data)) {
        self.store.borrow_mut().update_later(f);
        self.refresh(touches);
    }

    /// Applies a deliberate change (a tap) and has it saved straight away
    /// in the background, so the UI thread never waits for the disk. A
    /// failure reaches the user through [`Ctx::saves_reported`].
    pub fn change_soon(self: &Rc<Self>, touches: Dirty, f: impl FnOnce(&mut Data)) {
        self.store.borrow_mut().update_soon(f);
        self.refresh(touches);
    }

    /// The background writer finished a save: pick up its result and, if
    /// saving started or stopped failing, show it.
    pub fn saves_reported(self: &Rc<Self>) {
        lock::poll(self);
        data::poll(self);
        backups::poll(self);
        let before = self.store.borrow().last_save_error().is_some();
        self.store.borrow_mut().poll();
        if self.store.borrow().last_save_error().is_some() != before {
            self.refresh(Dirty::SHELL);
        }
        // The data changed (and was saved): a backup may be due.
        backups::maybe_back_up(self);
    }

    /// Pushes the current state into the adapters that `what` names.
    pub fn refresh(self: &Rc<Self>, what: Dirty) {
        // Every change and every action that reaches the bridge counts as
        // use: the idle lock starts counting again.
        lock::activity(self);
        let Some(ui) = self.window.upgrade() else {
            return;
        };
        if what.has(Dirty::SHELL) {
            shell::refresh(self, &ui);
        }
        if what.has(Dirty::SETTINGS) {
            settings::refresh(self, &ui);
            backups::refresh(self, &ui);
        }
        if what.has(Dirty::HOME) {
            home::refresh(self, &ui);
        }
        if what.has(Dirty::LEARN) {
            learn::refresh(self, &ui);
        }
        if what.has(Dirty::PREPARE) {
            prepare::refresh(self, &ui);
        } else if what.has(Dirty::BUILDER) {
            prepare::refresh_builder(self, &ui);
        }
        if what.has(Dirty::CHECKIN) {
            checkin::refresh(self, &ui);
        }
        if what.has(Dirty(32)) && !what.has(Dirty::CHECKIN) {
            checkin::refresh_links(self);
        }
        // Raising a concern changes "did raising it help?" too.
        if what.has(Dirty::INSIGHTS) || what.has(Dirty(32)) {
            insights::refresh(self, &ui);
        }
    }
}

/// Has the store's background writer tell the UI thread when a save has
/// finished (on its own thread); the UI thread then picks up the result, so
/// a failed save becomes a banner without a polling timer.
pub(crate) fn install_notifier(ctx: &Rc<Ctx>) {
    let ui = ctx.window.clone();
    ctx.store.borrow_mut().set_notifier(move || {
        // Fails only when there is no event loop (headless tests); the
        // next change picks the result up then.
        let _ = ui.upgrade_in_event_loop(|ui| ui.global::<Status>().invoke_saves_reported());
    });
}

/// A running Common Ground window bound to a store.
pub struct App {
    pub window: AppWindow,
    ctx: Rc<Ctx>,
}

impl App {
    /// Opens (or creates) the store in `data_dir` and builds the UI on it,
    /// in the system's locale.
    pub fn start(data_dir: &Path) -> Result<App, StartError> {
        Self::start_in_locale(data_dir, &locale::system_locales())
    }

    /// As [`App::start`], in the given locales (BCP 47 or POSIX tags, most
    /// preferred first), as if the system said so.
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
                lock::set_locked(&app.ctx, true);
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
        let window = AppWindow::new().map_err(StartError::Ui)?;
        let help = HelpContent::builtin();
        let country = locale::first_country(locales);
        let suggested_region = help.region_for_country(country.as_deref());
        let ctx = Rc::new(Ctx {
            store: RefCell::new(store),
            library: Library::builtin(),
            prepare: PrepareContent::builtin(),
            help,
            suggested_region,
            prepare_ui: RefCell::default(),
            checkin_ui: RefCell::default(),
            plot_aspect: std::cell::Cell::new(2.25),
            window: window.as_weak(),
            dismissed: RefCell::default(),
            lock: RefCell::default(),
            data_ui: RefCell::default(),
            backups_ui: RefCell::default(),
        });
        // On the first start the help region follows the system locale and
        // is kept, so that a later change of locale (or a trip) does not
        // silently change whom the user is told to call.
        let unset = ctx.store.borrow().data().settings.region.is_none();
        if unset && !ctx.store.borrow().is_read_only() {
            ctx.store
                .borrow_mut()
                .update_soon(|d| d.settings.region = Some(suggested_region));
        }
        shell::install(&ctx, &window);
        settings::install(&ctx, &window);
        home::install(&ctx, &window, locale::date_order(country.as_deref()));
        learn::install(&ctx, &window);
        prepare::install(&ctx, &window);
        checkin::install(&ctx, &window);
        insights::install(&ctx, &window);
        lock::install(&ctx, &window);
        data::install(&ctx, &window);
        ctx.refresh(Dirty::ALL);
        backups::install(&ctx, &window);
        // The writer says when a background save has finished (on its own
        // thread); the UI thread then picks up the result, so a failed save
        // becomes a banner without user action and without a polling timer.
        let weak = Rc::downgrade(&ctx);
        window.global::<Status>().on_saves_reported(move || {
            if let Some(ctx) = weak.upgrade() {
                ctx.saves_reported();
            }
        });
        install_notifier(&ctx);
        Ok(App { window, ctx })
    }

    /// Whether the lock page is showing.
    pub fn is_locked(&self) -> bool {
        self.ctx.store.borrow().is_locked_placeholder()
    }

    /// Locks now, as "Lock now" in Settings does.
    pub fn lock_now(&self) {
        lock::lock_now(&self.ctx);
    }

    /// Shows the window and runs until it is closed, then saves.
    pub fn run(&self) -> Result<(), slint::PlatformError> {
        let result = self.window.run();
        self.closing();
        self.flush();
        result
    }

    /// The window is closing: a last backup if anything changed since the
    /// last one (see `bridge/backups.rs`). `run` calls it; so can tests.
    pub fn closing(&self) {
        backups::on_close(&self.ctx);
    }

    /// Waits for pending background saves.
    pub fn flush(&self) {
        if let Err(e) = self.ctx.store.borrow_mut().flush() {
            eprintln!("common-ground: {e}");
        }
    }

    /// Whether every change so far is durable (takes in the background
    /// writer's reports first). Never waits.
    pub fn is_saved(&self) -> bool {
        let mut store = self.ctx.store.borrow_mut();
        store.poll();
        !store.is_dirty()
    }

    /// Picks up the results of finished background saves and shows a
    /// failure. The writer's notifier triggers this through the event loop;
    /// headless tests, which have no event loop, call it themselves.
    pub fn saves_reported(&self) {
        self.ctx.saves_reported();
    }

    /// Read access to the data, for tests and the command line.
    pub fn with_data<R>(&self, f: impl FnOnce(&Data) -> R) -> R {
        f(self.ctx.store.borrow().data())
    }
}

impl Drop for App {
    fn drop(&mut self) {
        self.flush();
    }
}

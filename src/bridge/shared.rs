//! What every page adapter shares: the store, the bundled content, the
//! window, the worker, and the one way a change reaches the pages that
//! show it. Pages never call one another; they change the data here, and
//! the pages that show that part of it refresh.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use crate::core::cards::Library;
use crate::core::help::{HelpContent, Region};
use crate::core::model::Data;
use crate::core::prepare::PrepareContent;
use crate::core::store::{Store, StoreError};
use slint::{ComponentHandle, ModelRc};

use crate::ui::{AppWindow, Status};

use super::changes::Slices;
use super::rows::LazyRows;
use super::worker::Worker;

/// A page adapter, as the change mechanism sees it (what parts of the data
/// it shows, it says when it subscribes: [`Shared::subscribe`]).
pub(crate) trait Page {
    /// Brings the page up to date after a change to `changed` (which
    /// includes at least one part it shows).
    fn refresh(&self, ui: &AppWindow, changed: Slices);
    /// The whole store was swapped (locked or unlocked): drops what the
    /// page held of the old one (what it showed, what Undo would bring
    /// back). Runs before `refresh`.
    fn forget(&self) {}
}

pub(crate) struct Shared {
    pub store: RefCell<Store>,
    pub library: Library,
    pub prepare: PrepareContent,
    pub help: HelpContent,
    /// The help region the system locale suggests; used until the user's
    /// own choice is stored (a read-only window cannot store it).
    pub suggested_region: Region,
    pub window: slint::Weak<AppWindow>,
    pub worker: Worker,
    /// The pages, each with the parts of the data it shows.
    pages: RefCell<Vec<(Slices, Weak<dyn Page>)>>,
    /// Says why the store could not be opened, and offers what can be done
    /// about it (set by `App`; see `bridge::show_problem`).
    pub cannot_open: RefCell<Option<SayProblem>>,
    /// A fixed "now" for tests and screenshots (`App::set_now`); `None`:
    /// the system clock.
    pub fixed_now: Cell<Option<chrono::DateTime<chrono::Utc>>>,
}

/// What the window does when the store cannot be opened.
pub(crate) type SayProblem = Box<dyn Fn(&StoreError)>;

impl Shared {
    pub fn new(
        store: Store,
        window: slint::Weak<AppWindow>,
        help: HelpContent,
        suggested_region: Region,
    ) -> Shared {
        Shared {
            store: RefCell::new(store),
            library: Library::builtin(),
            prepare: PrepareContent::builtin(),
            help,
            suggested_region,
            worker: Worker::new(window.clone()),
            window,
            pages: RefCell::default(),
            cannot_open: RefCell::default(),
            fixed_now: Cell::new(None),
        }
    }

    /// Runs `f` with the window, while it is open.
    pub fn in_window(&self, f: impl FnOnce(&AppWindow)) {
        if let Some(ui) = self.window.upgrade() {
            f(&ui);
        }
    }

    /// Now, for everything that follows the session rhythm.
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.fixed_now.get().unwrap_or_else(chrono::Utc::now)
    }

    /// Now on this device's wall clock.
    pub fn local_now(&self) -> chrono::NaiveDateTime {
        crate::core::sessions::local_time(&chrono::Local, self.now())
    }

    /// The store could not be opened with `error`: the window says so.
    pub fn cannot_open(&self, error: &StoreError) {
        eprintln!("common-ground: {error}");
        if let Some(say) = &*self.cannot_open.borrow() {
            say(error);
        }
    }

    /// Has the store's background writer tell the UI thread when a save
    /// has finished (on its own thread); the UI thread then picks up the
    /// result, so a failed save becomes a banner without a polling timer.
    pub fn watch_saves(&self) {
        let ui = self.window.clone();
        self.store.borrow_mut().set_notifier(move || {
            // Fails only when there is no event loop (headless tests); the
            // next change picks the result up then.
            let _ = ui.upgrade_in_event_loop(|ui| ui.global::<Status>().invoke_work_done());
        });
    }

    /// Picks up what finished in the background (saves, worker jobs) and
    /// shows a change in whether saving fails.
    pub fn work_done(&self) {
        self.worker.poll();
        let before = self.store.borrow().last_save_error().is_some();
        self.store.borrow_mut().poll();
        if self.store.borrow().last_save_error().is_some() != before {
            self.publish(Slices::NOTICES);
        }
    }

    /// Has `page` refreshed whenever one of the parts of the data it
    /// `shows` changes (and told to forget when the store is swapped).
    pub fn subscribe<P: Page + 'static>(&self, page: &Rc<P>, shows: Slices) {
        let page: Rc<dyn Page> = page.clone();
        self.pages.borrow_mut().push((shows, Rc::downgrade(&page)));
    }

    /// Reads the data.
    pub fn data<R>(&self, f: impl FnOnce(&Data) -> R) -> R {
        f(self.store.borrow().data())
    }

    /// A long list whose rows `build` makes from the shared state when the
    /// view asks for them (see [`LazyRows`]; it holds the state weakly),
    /// set once on its Slint property, as [`super::rows::bound`] does.
    pub fn lazy_rows<K: PartialEq + 'static, T: Clone + Default + 'static>(
        self: &Rc<Self>,
        set: impl FnOnce(ModelRc<T>),
        build: impl Fn(&Shared, &K) -> Option<T> + 'static,
    ) -> Rc<LazyRows<K, T>> {
        let weak = Rc::downgrade(self);
        let rows = Rc::new(LazyRows::new(move |k| build(&*weak.upgrade()?, k)));
        set(ModelRc::from(rows.clone()));
        rows
    }

    /// The region whose help services are shown.
    pub fn region(&self) -> Region {
        self.data(|d| d.settings.region)
            .unwrap_or(self.suggested_region)
    }

    /// Applies a change to the user's data and saves it in the background
    /// (debounced: typing), then refreshes the pages that show `touches`.
    pub fn change<R>(&self, touches: Slices, f: impl FnOnce(&mut Data) -> R) -> R {
        let mut result = None;
        self.store
            .borrow_mut()
            .update_later(|d| result = Some(f(d)));
        self.publish(touches);
        result.expect("the store runs the change")
    }

    /// Applies a deliberate change (a tap) and has it saved straight away
    /// in the background, so the UI thread never waits for the disk.
    pub fn change_soon<R>(&self, touches: Slices, f: impl FnOnce(&mut Data) -> R) -> R {
        let result = self.store.borrow_mut().update_soon(f);
        self.publish(touches);
        result
    }

    /// Tells the idle lock that the app is in use, after an action that
    /// changes no data (a filter, another list); no page refreshes.
    pub fn note_use(&self) {
        self.publish(Slices::NONE);
    }

    /// Tells the pages that show `what` (and the idle lock: every change
    /// and every action is use) to refresh.
    pub fn publish(&self, what: Slices) {
        self.refresh_pages(what | Slices::USE);
    }

    /// The clock moved past a moment that changes what is shown: the pages
    /// that word things from now refresh. The idle lock keeps counting.
    pub fn time_passed(&self) {
        self.refresh_pages(Slices::TIME);
    }

    fn refresh_pages(&self, what: Slices) {
        let Some(ui) = self.window.upgrade() else {
            return;
        };
        let pages: Vec<(Slices, Rc<dyn Page>)> = self
            .pages
            .borrow()
            .iter()
            .filter_map(|(shows, page)| Some((*shows, page.upgrade()?)))
            .collect();
        for (shows, page) in pages {
            if what.intersects(Slices::STORE) {
                page.forget();
            }
            if shows.intersects(what) {
                page.refresh(&ui, what);
            }
        }
    }
}

/// Runs `f` on a page adapter if it still exists (callbacks hold a weak
/// reference, so that the window does not keep its adapters alive).
pub(crate) fn with<T: ?Sized>(weak: &Weak<T>, f: impl FnOnce(&Rc<T>)) {
    if let Some(page) = weak.upgrade() {
        f(&page);
    }
}

/// A UI callback that runs `f` on `page` while the page exists: it holds
/// the page weakly, so that the window does not keep its adapters alive.
/// For example `a.on_save(act(&page, |p| p.save()))`.
pub(crate) fn act<P: 'static>(
    page: &Rc<P>,
    f: impl Fn(&Rc<P>) + 'static,
) -> impl FnMut() + 'static {
    let weak = Rc::downgrade(page);
    move || with(&weak, |p| f(p))
}

/// [`act`] for a callback with one argument.
pub(crate) fn act1<P: 'static, A>(
    page: &Rc<P>,
    f: impl Fn(&Rc<P>, A) + 'static,
) -> impl FnMut(A) + 'static {
    let weak = Rc::downgrade(page);
    move |a| with(&weak, |p| f(p, a))
}

/// [`act`] for a callback with two arguments.
pub(crate) fn act2<P: 'static, A, B>(
    page: &Rc<P>,
    f: impl Fn(&Rc<P>, A, B) + 'static,
) -> impl FnMut(A, B) + 'static {
    let weak = Rc::downgrade(page);
    move |a, b| with(&weak, |p| f(p, a, b))
}

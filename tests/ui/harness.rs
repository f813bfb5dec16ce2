//! The UI test harness: the real app, headless, on a temporary data folder.
//! A flow test reads like a user: find by accessible label, click, look.

#![allow(dead_code)]

use std::cell::Cell;
use std::path::{Path, PathBuf};

use common_ground::bridge::App;
use i_slint_backend_testing::{
    AccessibleRole, ElementHandle, ElementRoot, TestingBackend, TestingBackendOptions,
};
use slint::platform::PointerEventButton;
use slint::ComponentHandle;

pub const PHONE: (f32, f32) = (390.0, 844.0);
pub const DESKTOP: (f32, f32) = (1280.0, 800.0);
/// The smallest phone the layout supports (iPhone SE, first generation).
pub const SMALL: (f32, f32) = (320.0, 568.0);
/// The system locale the tests pretend to have unless they say otherwise.
pub const TEST_LOCALE: &str = "en-GB";

thread_local! {
    static BACKEND: Cell<bool> = const { Cell::new(false) };
}

/// Installs the headless backend (with the software renderer, so text is
/// measured with real fonts and screenshots work) once per test thread.
pub fn init_backend() {
    BACKEND.with(|done| {
        if !done.get() {
            slint::platform::set_platform(Box::new(TestingBackend::new(TestingBackendOptions {
                mock_time: true,
                // Slint allows one event loop proxy per process, and tests
                // run on many threads: `pump` stands in for it.
                threading: false,
                renderer_name: Some("software".into()),
            })))
            .expect("the testing backend is installed once per thread");
            done.set(true);
        }
    });
}

pub struct Harness {
    pub app: App,
    pub dir: PathBuf,
    _tmp: Option<tempfile::TempDir>,
}

impl Harness {
    /// A fresh app on a fresh data folder, at phone size.
    pub fn new() -> Harness {
        let tmp = tempfile::tempdir().expect("temp dir");
        let dir = tmp.path().join("data");
        let mut h = Harness::open(&dir);
        h._tmp = Some(tmp);
        h
    }

    /// A fresh app on a fresh data folder, at phone size, on a system set
    /// to these locales (`["en-AU"]`).
    pub fn new_in_locale(locales: &[&str]) -> Harness {
        let tmp = tempfile::tempdir().expect("temp dir");
        let dir = tmp.path().join("data");
        let mut h = Harness::open_in_locale(&dir, locales);
        h._tmp = Some(tmp);
        h
    }

    /// The app on an existing data folder (for restart tests), on a system
    /// set to British English: tests do not depend on the machine's locale.
    pub fn open(dir: &Path) -> Harness {
        Harness::open_in_locale(dir, &[TEST_LOCALE])
    }

    pub fn open_in_locale(dir: &Path, locales: &[&str]) -> Harness {
        init_backend();
        Harness::shown(App::start_in_locale(dir, locales).expect("app starts"), dir)
    }

    /// The app as it really starts: the window at once, the data opened on
    /// a worker (a store that cannot be opened is explained in the window).
    /// Wait for it with [`Harness::wait_for`].
    pub fn start_in_background(dir: &Path) -> Harness {
        init_backend();
        Harness::shown(
            App::start_in_background(dir, &[TEST_LOCALE]).expect("app starts"),
            dir,
        )
    }

    /// `app` on the data folder `dir`, its window shown at phone size.
    fn shown(app: App, dir: &Path) -> Harness {
        let h = Harness {
            app,
            dir: dir.to_path_buf(),
            _tmp: None,
        };
        h.resize(PHONE);
        h.app.window.show().expect("window shows");
        h
    }

    /// A fresh app on a data folder that already holds `data` (saved as
    /// the app would save it).
    pub fn with_data(data: common_ground::core::model::Data) -> Harness {
        let tmp = tempfile::tempdir().expect("temp dir");
        let dir = tmp.path().join("data");
        {
            let mut store = common_ground::core::store::Store::open(&dir).expect("store");
            store.update(|d| *d = data).expect("saved");
        }
        let mut h = Harness::open(&dir);
        h._tmp = Some(tmp);
        h
    }

    /// As [`Harness::with_data`], with the app's clock fixed at `now` from
    /// its first frame (`App::set_now` moves it on).
    pub fn with_data_at(
        data: common_ground::core::model::Data,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Harness {
        let tmp = tempfile::tempdir().expect("temp dir");
        let dir = tmp.path().join("data");
        {
            let mut store = common_ground::core::store::Store::open(&dir).expect("store");
            store.update(|d| *d = data).expect("saved");
        }
        let mut h = Harness::open_at(&dir, now);
        h._tmp = Some(tmp);
        h
    }

    /// The app on an existing data folder with its clock fixed at `now`
    /// from its first frame.
    fn open_at(dir: &Path, now: chrono::DateTime<chrono::Utc>) -> Harness {
        init_backend();
        let store = common_ground::core::store::Store::open(dir).expect("store");
        let app = App::with_store_at(store, &[TEST_LOCALE], Some(now)).expect("app starts");
        Harness::shown(app, dir)
    }

    /// As [`Harness::restart`], with the new app's clock fixed at `now`.
    pub fn restart_at(self, now: chrono::DateTime<chrono::Utc>) -> Harness {
        let Harness { app, dir, _tmp } = self;
        app.window.hide().ok();
        drop(app);
        let mut h = Harness::open_at(&dir, now);
        h._tmp = _tmp;
        h
    }

    /// The app on a store opened by the test (for example on a `MemFs`
    /// with injected faults).
    pub fn with_store(store: common_ground::core::store::Store) -> Harness {
        init_backend();
        let dir = store.dir().to_path_buf();
        let app = App::with_store_in_locale(store, &[TEST_LOCALE]).expect("app starts");
        Harness::shown(app, &dir)
    }

    /// Does what the background saver's notifier has the event loop do in
    /// the real app: picks up finished saves on the UI thread.
    pub fn pump(&self) {
        self.app.pick_up_finished_work();
        self.settle();
    }

    /// Pumps the event loop until `done` holds, for at most five seconds.
    pub fn wait_for(&self, what: &str, done: impl Fn(&Harness) -> bool) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        while !done(self) {
            assert!(
                std::time::Instant::now() < deadline,
                "timed out waiting for {what}; texts: {:?}",
                self.texts()
            );
            std::thread::sleep(std::time::Duration::from_millis(10));
            self.pump();
        }
    }

    /// Closes this app (saving everything) and opens a new one on the same
    /// folder, as a user restarting the app would.
    pub fn restart(self) -> Harness {
        self.restart_in_locale(&[TEST_LOCALE])
    }

    /// As [`Harness::restart`], on a system now set to `locales`.
    pub fn restart_in_locale(self, locales: &[&str]) -> Harness {
        let Harness { app, dir, _tmp } = self;
        app.window.hide().ok();
        drop(app);
        let mut h = Harness::open_in_locale(&dir, locales);
        h._tmp = _tmp;
        h
    }

    /// Closes the app (saving everything) and keeps the data folder alive
    /// for as long as the returned guard lives.
    pub fn close(self) -> (PathBuf, Option<tempfile::TempDir>) {
        let Harness { app, dir, _tmp } = self;
        app.window.hide().ok();
        drop(app);
        (dir, _tmp)
    }

    pub fn resize(&self, (w, h): (f32, f32)) {
        self.app
            .window
            .window()
            .set_size(slint::LogicalSize::new(w, h));
    }

    /// All elements with this accessible label.
    pub fn all(&self, label: &str) -> Vec<ElementHandle> {
        ElementHandle::find_by_accessible_label(&self.app.window, label)
            .filter(|e| e.is_valid())
            .collect()
    }

    /// The control (button, tab, checkbox, ...) with this label, scrolling
    /// the page like a user would if it is out of view.
    pub fn try_find(&self, label: &str) -> Option<ElementHandle> {
        self.scroll_until(|h| h.control_in_view(label))
    }

    /// Scrolls the page (down through it, then back up) until some shown
    /// text contains `part`; whether it was found.
    pub fn reveal_text(&self, part: &str) -> bool {
        self.scroll_until(|h| h.shows_containing(part).then_some(()))
            .is_some()
    }

    /// Scrolls the page like a user would, down to its end and then back
    /// up to its top, until `found` gives something.
    pub fn scroll_until<T>(&self, found: impl Fn(&Harness) -> Option<T>) -> Option<T> {
        if let Some(t) = found(self) {
            return Some(t);
        }
        for dy in [-240.0, 240.0] {
            // Until nothing moves (a long page at 200% text is many screens).
            for _ in 0..100 {
                let Some(main) = self.main_region() else {
                    break;
                };
                let before = self.layout_snapshot();
                main.scroll(0.0, dy);
                self.settle();
                if let Some(t) = found(self) {
                    return Some(t);
                }
                // Nothing moved: this end of the page is reached. (Labels
                // alone are not enough: with large text one paragraph can
                // fill the screen for more than one scroll.)
                if self.layout_snapshot() == before {
                    break;
                }
            }
        }
        None
    }

    /// Whether `main` is scrolled to its very end: one more scroll down
    /// moves nothing.
    pub fn at_page_end(&self) -> bool {
        let Some(main) = self.main_region() else {
            return true;
        };
        let before = self.layout_snapshot();
        main.scroll(0.0, -240.0);
        self.settle();
        self.layout_snapshot() == before
    }

    /// The control with this label, if it is wholly in view now.
    pub fn control_in_view(&self, label: &str) -> Option<ElementHandle> {
        let main = self.main_region();
        self.all(label).into_iter().find(|e| {
            // It must be wholly inside the scrolling region (when it is in
            // one): a click on a part the region clips lands nowhere.
            let p = e.absolute_position();
            let (top, bottom) = (p.y, p.y + e.size().height);
            let in_region = main.as_ref().is_none_or(|m| {
                let mp = m.absolute_position();
                let (m_top, m_bottom) = (mp.y, mp.y + m.size().height);
                let overlaps = top < m_bottom
                    && bottom > m_top
                    && p.x < mp.x + m.size().width
                    && p.x + e.size().width > mp.x;
                // Bars outside the region do not overlap it and are fine.
                !overlaps || (top >= m_top && bottom <= m_bottom)
            });
            in_region
                && matches!(
                    e.accessible_role(),
                    Some(
                        AccessibleRole::Button
                            | AccessibleRole::Tab
                            | AccessibleRole::Checkbox
                            | AccessibleRole::RadioButton
                            | AccessibleRole::Switch
                            | AccessibleRole::ListItem
                            | AccessibleRole::TextInput
                            | AccessibleRole::Slider
                            | AccessibleRole::Spinbox
                            | AccessibleRole::Combobox
                    )
                )
        })
    }

    /// The scrolling main region of the page on screen (the innermost).
    fn main_region(&self) -> Option<ElementHandle> {
        self.app
            .window
            .root_element()
            .query_descendants()
            .match_accessible_role(AccessibleRole::Main)
            .find_all()
            .into_iter()
            .rfind(|e| e.is_valid() && e.size().height > 0.0)
    }

    pub fn find(&self, label: &str) -> ElementHandle {
        self.try_find(label).unwrap_or_else(|| {
            panic!(
                "no control labelled {label:?}; labels on screen: {:?}",
                self.labels()
            )
        })
    }

    /// Clicks the element with a pointer, at its centre, as a finger would.
    pub fn click(&self, label: &str) {
        self.find(label).mock_single_click(PointerEventButton::Left);
        self.settle();
    }

    /// Triggers the element the way a screen reader would.
    pub fn activate(&self, label: &str) {
        self.find(label).invoke_accessible_default_action();
        self.settle();
    }

    /// Presses and releases a key, as on a keyboard.
    pub fn press(&self, key: slint::platform::Key) {
        let window = self.app.window.window();
        window.dispatch_event(slint::platform::WindowEvent::KeyPressed { text: key.into() });
        window.dispatch_event(slint::platform::WindowEvent::KeyReleased { text: key.into() });
        self.settle();
    }

    /// Presses and releases a key that types this text (" " for Space).
    pub fn press_text(&self, text: &str) {
        let window = self.app.window.window();
        window.dispatch_event(slint::platform::WindowEvent::KeyPressed { text: text.into() });
        window.dispatch_event(slint::platform::WindowEvent::KeyReleased { text: text.into() });
        self.settle();
    }

    /// Holds a key down: one press, `repeats` auto-repeats (as a keyboard
    /// sends them, quickly), then the release.
    pub fn hold(&self, key: slint::platform::Key, repeats: usize) {
        use slint::platform::WindowEvent;
        let window = self.app.window.window();
        window.dispatch_event(WindowEvent::KeyPressed { text: key.into() });
        for _ in 0..repeats {
            i_slint_backend_testing::mock_elapsed_time(std::time::Duration::from_millis(30));
            window.dispatch_event(WindowEvent::KeyPressRepeated { text: key.into() });
        }
        window.dispatch_event(WindowEvent::KeyReleased { text: key.into() });
        self.settle();
    }

    /// Lets animations and deferred work finish.
    pub fn settle(&self) {
        // In two steps: what reacts to a change (a message taking focus a
        // moment later) starts its timers in the first.
        i_slint_backend_testing::mock_elapsed_time(std::time::Duration::from_millis(200));
        i_slint_backend_testing::mock_elapsed_time(std::time::Duration::from_millis(200));
    }

    /// Sets the text size as Settings does, and lets the window lay out.
    pub fn set_text_scale(&self, percent: i32) {
        self.app
            .window
            .global::<common_ground::ui::SettingsAdapter>()
            .invoke_set_text_scale(percent);
        self.settle();
    }

    /// Every text shown while the list labelled `label` scrolls from its
    /// top to its end (a virtualised list builds only the rows in view),
    /// then back to its top.
    pub fn texts_through_list(&self, label: &str) -> Vec<String> {
        let mut seen = self.texts();
        let list = self
            .all(label)
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("no list labelled {label:?}"));
        for _ in 0..200 {
            let before = self.texts();
            list.scroll(0.0, -120.0);
            self.settle();
            let now = self.texts();
            if now == before {
                break;
            }
            seen.extend(now);
        }
        for _ in 0..200 {
            let before = self.texts();
            list.scroll(0.0, 120.0);
            self.settle();
            if self.texts() == before {
                break;
            }
        }
        seen.dedup();
        seen
    }

    /// Whether some visible text reads exactly `text`.
    pub fn shows(&self, text: &str) -> bool {
        self.all(text)
            .iter()
            .any(|e| e.size().width > 0.0 && e.computed_opacity() > 0.0)
    }

    /// Whether some visible text contains `part`.
    pub fn shows_containing(&self, part: &str) -> bool {
        self.texts().iter().any(|t| t.contains(part))
    }

    pub fn texts(&self) -> Vec<String> {
        self.app
            .window
            .root_element()
            .query_descendants()
            .match_accessible_role(AccessibleRole::Text)
            .find_all()
            .into_iter()
            .filter_map(|e| e.accessible_label().map(|s| s.to_string()))
            .collect()
    }

    /// Every labelled element with where it is, to tell whether a scroll
    /// moved anything.
    fn layout_snapshot(&self) -> Vec<(String, i64)> {
        self.app
            .window
            .root_element()
            .query_descendants()
            .match_predicate(|e| e.accessible_label().is_some_and(|l| !l.is_empty()))
            .find_all()
            .into_iter()
            .map(|e| {
                let label = e.accessible_label().unwrap_or_default().to_string();
                (label, e.absolute_position().y.round() as i64)
            })
            .collect()
    }

    pub fn labels(&self) -> Vec<String> {
        self.app
            .window
            .root_element()
            .query_descendants()
            .match_predicate(|e| e.accessible_label().is_some_and(|l| !l.is_empty()))
            .find_all()
            .into_iter()
            .filter_map(|e| e.accessible_label().map(|s| s.to_string()))
            .collect()
    }

    /// Whether the tab with this label is the selected one.
    pub fn is_selected(&self, label: &str) -> bool {
        self.find(label).accessible_item_selected().unwrap_or(false)
    }

    /// Whether the checkbox or radio option with this label is checked.
    pub fn is_checked(&self, label: &str) -> bool {
        self.find(label).accessible_checked().unwrap_or(false)
    }

    /// Puts text into the text field with this label, as a screen reader's
    /// "set value" does (the field then reports an edit, like typing).
    pub fn type_into(&self, label: &str, text: &str) {
        self.find(label).set_accessible_value(text);
        self.settle();
    }

    /// The value a text field, slider or progress bar reports.
    pub fn value_of(&self, label: &str) -> String {
        self.find(label)
            .accessible_value()
            .map(|s| s.to_string())
            .unwrap_or_default()
    }

    /// The control (or heading) that has keyboard focus, as a screen reader
    /// announces it: its accessible name and role. `None` when nothing has
    /// focus (a screen reader then says only the window's name).
    /// What a screen reader gets with the role "unknown": the elements
    /// that are in the accessibility tree (walked as Slint's AccessKit
    /// adapter walks it, shown ones only) but have no role. Their labels.
    pub fn unknown_roles(&self) -> Vec<String> {
        use i_slint_core::accessibility::{accessible_descendents, AccessibleStringProperty};
        use i_slint_core::item_tree::ItemRc;
        let inner = i_slint_core::window::WindowInner::from_pub(self.app.window.window());
        let mut found = Vec::new();
        let mut todo = vec![ItemRc::new_root(inner.component())];
        while let Some(item) = todo.pop() {
            for child in accessible_descendents(&item) {
                if !child.is_visible() {
                    continue;
                }
                if child.accessible_role() == AccessibleRole::None {
                    found.push(
                        child
                            .accessible_string_property(AccessibleStringProperty::Label)
                            .unwrap_or_default()
                            .to_string(),
                    );
                }
                todo.push(child);
            }
        }
        found
    }

    /// Which element has focus, as its place in its component: tells two
    /// elements with the same name apart (focus moved from one to another).
    pub fn focused_place(&self) -> Option<u32> {
        let inner = i_slint_core::window::WindowInner::from_pub(self.app.window.window());
        let item = inner.focus_item.borrow().upgrade()?;
        Some(i_slint_core::accessibility::nearest_accessible_item(item).index())
    }

    pub fn focused(&self) -> Option<(String, AccessibleRole)> {
        use i_slint_core::accessibility::{nearest_accessible_item, AccessibleStringProperty};
        let inner = i_slint_core::window::WindowInner::from_pub(self.app.window.window());
        let item = inner.focus_item.borrow().upgrade()?;
        let item = nearest_accessible_item(item);
        let role = item.accessible_role();
        if role == AccessibleRole::None {
            return None;
        }
        let label = item
            .accessible_string_property(AccessibleStringProperty::Label)
            .unwrap_or_default()
            .to_string();
        Some((label, role))
    }

    /// Presses Tab until the control labelled `label` has focus (at most
    /// 60 times); whether it got there.
    pub fn tab_to(&self, label: &str) -> bool {
        for _ in 0..60 {
            if self.focused().is_some_and(|(l, _)| l == label) {
                return true;
            }
            self.press(slint::platform::Key::Tab);
        }
        false
    }

    /// Renders the window to a PNG file.
    /// Puts concerns on the agenda with taps: what happened typed, every
    /// other step left as it is.
    pub fn save_concerns(&self, texts: &[&str]) {
        for text in texts {
            self.click("Prepare");
            self.click("Start a new concern");
            self.click("Next");
            self.type_into("What happened?", text);
            self.click("Next");
            for _ in 3..7 {
                self.click("Next");
            }
            self.click("Save to my next session");
        }
    }

    pub fn screenshot(&self, path: &Path) {
        let buffer = self.app.window.window().take_snapshot().expect("snapshot");
        write_png(path, buffer.width(), buffer.height(), buffer.as_bytes());
    }
}

pub fn write_png(path: &Path, width: u32, height: u32, rgba: &[u8]) {
    let file = std::fs::File::create(path).expect("create png");
    let mut encoder = png::Encoder::new(std::io::BufWriter::new(file), width, height);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().expect("png header");
    writer.write_image_data(rgba).expect("png data");
}

//! Session reminders while the app runs: one `slint::Timer`, armed for the
//! next moment a chosen reminder is due (`core::sessions::plan_reminders`,
//! in the local time zone) and re-armed when it fires or when the
//! schedule, the reminders, the check-ins or the whole store change. No
//! polling: between two reminders nothing wakes up.
//!
//! When it fires, the reminder (if still wanted) is shown as a system
//! notification with the core's neutral words (`notice_text`: never a
//! note or a concern), on a worker thread (`super::worker`) since the
//! notification service is a blocking D-Bus call away. A click comes back
//! to the UI thread and opens the matching screen: the agenda before a
//! session, a check-in for that session after it.
//!
//! Where there is no notification service (no session bus, the embedded
//! build without the `notifications` feature), nothing breaks: the one
//! failure is reported once for that reminder and nothing is retried. A
//! store swap (lock, unlock) drops the timer and any click still pending;
//! a locked app has no schedule to remind of.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};
use std::sync::Arc;

use chrono::{DateTime, Local, Utc};
use slint::ComponentHandle;

use super::changes::Slices;
use super::shared::{with, Page, Shared};
use crate::core::sessions::{self, Due, NoticeText, ReminderKind};
use crate::ui::{AppWindow, CheckInAdapter, CheckInView, Nav, PrepareAdapter, PrepareView};

/// Shows a notification and waits until it is clicked (`Ok(true)`) or
/// closed (`Ok(false)`); runs on a worker thread.
pub(crate) type ShowFn = Arc<dyn Fn(&NoticeText) -> Result<bool, String> + Send + Sync>;

/// Where the timer stands.
#[derive(Default)]
struct Armed {
    /// Reminders due up to this moment have been dealt with; `None` until
    /// the first look at a store (nothing due before that is shown).
    since: Option<DateTime<Utc>>,
    /// The reminder the timer waits for.
    next: Option<Due>,
}

pub(crate) struct RemindersPage {
    shared: Rc<Shared>,
    me: Weak<RemindersPage>,
    timer: slint::Timer,
    armed: RefCell<Armed>,
    /// Counts store swaps: a click on a notification shown for an earlier
    /// store opens nothing.
    store_generation: Cell<u64>,
    /// How reminders are shown; `None` where the build has no
    /// notifications (then the timer is never armed).
    show: RefCell<Option<ShowFn>>,
}

/// The system's notifications, where the build has them.
fn system_notifications() -> Option<ShowFn> {
    #[cfg(all(
        feature = "notifications",
        not(any(target_os = "android", target_os = "ios"))
    ))]
    {
        Some(Arc::new(|text: &NoticeText| {
            crate::notify::show_and_wait(text)
                .map(|outcome| outcome == crate::notify::Outcome::Opened)
                .map_err(|e| e.to_string())
        }))
    }
    #[cfg(not(all(
        feature = "notifications",
        not(any(target_os = "android", target_os = "ios"))
    )))]
    {
        None
    }
}

impl RemindersPage {
    pub fn install(shared: &Rc<Shared>) -> Rc<RemindersPage> {
        let page = Rc::new_cyclic(|me| RemindersPage {
            shared: shared.clone(),
            me: me.clone(),
            timer: slint::Timer::default(),
            armed: RefCell::default(),
            store_generation: Cell::new(0),
            show: RefCell::new(system_notifications()),
        });
        shared.subscribe(&page, Slices::SESSIONS | Slices::CHECK_INS | Slices::STORE);
        page
    }

    /// Shows reminders through `show` instead of the system's
    /// notifications (tests).
    #[cfg(test)]
    pub fn use_for_tests(&self, show: Option<ShowFn>) {
        *self.show.borrow_mut() = show;
        self.look();
    }

    /// The reminder the timer is armed for (tests).
    #[cfg(test)]
    pub fn armed_for(&self) -> Option<Due> {
        self.timer
            .running()
            .then(|| self.armed.borrow().next)
            .flatten()
    }

    /// The one decision, at start, when the timer fires and after every
    /// change it follows: shows what came due (only when the timer was
    /// due: a change itself never shows a reminder for a moment already
    /// past), and arms the timer for the next reminder.
    fn look(&self) {
        if self.show.borrow().is_none() {
            self.timer.stop();
            return;
        }
        let now = self.shared.now();
        let since = {
            let armed = self.armed.borrow();
            let timer_due = armed.next.is_some_and(|d| d.at <= now);
            match armed.since {
                Some(since) if timer_due => since,
                _ => now,
            }
        };
        let plan = self
            .shared
            .data(|d| sessions::plan_reminders(&d.sessions, &d.check_ins, since, now, &Local));
        *self.armed.borrow_mut() = Armed {
            since: Some(since.max(now)),
            next: plan.next,
        };
        if let Some(due) = plan.show {
            self.notify(due);
        }
        match plan.next {
            Some(next) => {
                let wait = (next.at - now).to_std().unwrap_or_default();
                let me = self.me.clone();
                self.timer
                    .start(slint::TimerMode::SingleShot, wait, move || {
                        with(&me, |p| p.look())
                    });
            }
            None => self.timer.stop(),
        }
    }

    /// Shows `due` off the UI thread; a click opens the matching screen.
    fn notify(&self, due: Due) {
        let Some(show) = self.show.borrow().clone() else {
            return;
        };
        let text = self
            .shared
            .data(|d| sessions::notice_text(due.kind, d.sessions.title(), &due.session));
        let generation = self.store_generation.get();
        let me = self.me.clone();
        self.shared.worker.run(
            move || show(&text),
            move |outcome| match outcome {
                Some(Ok(true)) => with(&me, |p| {
                    if p.store_generation.get() == generation {
                        p.open(&due);
                    }
                }),
                Some(Ok(false)) => {}
                Some(Err(e)) => eprintln!("common-ground: {e}"),
                None => eprintln!("common-ground: the reminder notification failed"),
            },
        );
    }

    /// A reminder was clicked: the agenda before a session, a check-in for
    /// the session after it. What the user is in the middle of (a concern
    /// being built, a check-in being typed or edited) is left as it is;
    /// only the page comes to the front.
    fn open(&self, due: &Due) {
        let Some(ui) = self.shared.window.upgrade() else {
            return;
        };
        ui.window().set_minimized(false);
        match due.kind {
            ReminderKind::Before => {
                let prepare = ui.global::<PrepareAdapter>();
                if matches!(
                    prepare.get_view(),
                    PrepareView::History | PrepareView::Detail
                ) {
                    prepare.invoke_show_overview();
                }
                ui.global::<Nav>().invoke_go(crate::ui::Page::Prepare);
            }
            ReminderKind::After | ReminderKind::DayLater => {
                // The same check-in Home's "Check in about it" starts: the
                // session's date and time, its raised concerns linked.
                let a = ui.global::<CheckInAdapter>();
                let busy = a.get_view() == CheckInView::Form
                    && (a.get_editing() || a.get_has_mood() || !a.get_note().is_empty());
                if busy {
                    ui.global::<Nav>().invoke_go(crate::ui::Page::CheckIn);
                } else {
                    a.invoke_start_after_session();
                }
            }
        }
    }
}

impl Page for RemindersPage {
    fn refresh(&self, _: &AppWindow, _: Slices) {
        self.look();
    }

    fn forget(&self) {
        self.timer.stop();
        *self.armed.borrow_mut() = Armed::default();
        self.store_generation
            .set(self.store_generation.get().wrapping_add(1));
    }
}

#[cfg(test)]
mod tests {
    use std::sync::mpsc;
    use std::time::Duration;

    use chrono::NaiveDateTime;

    use super::*;
    use crate::bridge::App;
    use crate::core::model::{CheckIn, Data, Record};
    use crate::core::sessions::{instant, Schedule, SessionsState};
    use crate::core::store::Store;
    use crate::ui::Page as Destination;

    /// Moves the app's clock (`Shared::now`) to `t` without telling the
    /// pages: what follows comes from the timer alone.
    fn set_now(app: &App, t: DateTime<Utc>) {
        app.shared.fixed_now.set(Some(t));
    }

    /// Tuesday 31 March 2026 at 17:00 on the machine's clock, 50 minutes.
    fn start() -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 3, 31)
            .unwrap()
            .and_hms_opt(17, 0, 0)
            .unwrap()
    }
    /// `minutes` from the start of the session `weeks` after that one.
    fn at_session(weeks: i64, minutes: i64) -> DateTime<Utc> {
        instant(&Local, start() + chrono::Duration::weeks(weeks))
            + chrono::Duration::minutes(minutes)
    }
    fn at_start(minutes: i64) -> DateTime<Utc> {
        at_session(0, minutes)
    }

    /// A weekly session with "before" (60 minutes) and "after" (15) on,
    /// and private words elsewhere in the data.
    fn data() -> Data {
        let mut data = Data::default();
        let mut sessions = SessionsState {
            schedule: Some(Schedule::repeating(
                crate::core::sessions::Repeat::Weekly,
                start(),
                50,
                "u".into(),
            )),
            ..Default::default()
        };
        sessions.reminders.before.on = true;
        sessions.reminders.after.on = true;
        data.sessions = sessions;
        data.check_ins.push(Record {
            id: "c1".into(),
            created: Utc::now(),
            updated: Utc::now(),
            body: CheckIn {
                when: start() - chrono::Duration::days(7),
                mood: 4,
                note: "my therapist kept checking the clock".into(),
                ..CheckIn::default()
            },
        });
        data
    }

    /// The app on `data` at `now`, showing reminders into a channel; each
    /// counts as clicked.
    fn app_at(
        data: Data,
        now: DateTime<Utc>,
    ) -> (tempfile::TempDir, App, mpsc::Receiver<NoticeText>) {
        i_slint_backend_testing::init_no_event_loop();
        let tmp = tempfile::tempdir().unwrap();
        let mut store = Store::open(&tmp.path().join("data")).unwrap();
        store.update(|d| *d = data).unwrap();
        let app = App::with_store_in_locale(store, &["en-GB"]).unwrap();
        let (tx, rx) = mpsc::channel();
        let tx = std::sync::Mutex::new(tx);
        set_now(&app, now);
        app.reminders
            .use_for_tests(Some(Arc::new(move |text: &NoticeText| {
                tx.lock().unwrap().send(text.clone()).unwrap();
                Ok(true)
            })));
        (tmp, app, rx)
    }

    /// Lets the clock and Slint's timers run on to `t`.
    fn run_until(app: &App, t: DateTime<Utc>) {
        let before = app.shared.now();
        set_now(app, t);
        let ms = (t - before).num_milliseconds().max(0) as u64;
        i_slint_backend_testing::mock_elapsed_time(Duration::from_millis(ms));
    }

    /// Picks up the worker's result (a click) until `done` holds.
    fn wait_for(app: &App, done: impl Fn() -> bool) {
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        while !done() {
            assert!(std::time::Instant::now() < deadline, "no click came back");
            std::thread::sleep(Duration::from_millis(5));
            app.pick_up_finished_work();
        }
    }

    fn armed(app: &App) -> Option<(DateTime<Utc>, ReminderKind)> {
        app.reminders.armed_for().map(|d| (d.at, d.kind))
    }

    #[test]
    fn the_timer_fires_at_each_chosen_moment_with_neutral_words_and_a_click_opens_the_screen() {
        let (_tmp, app, shown) = app_at(data(), at_start(-180));
        let nav = app.window.global::<Nav>();
        assert_eq!(armed(&app), Some((at_start(-60), ReminderKind::Before)));
        // A second before: nothing yet.
        run_until(&app, at_start(-60) - chrono::Duration::seconds(1));
        assert!(shown.try_recv().is_err());
        run_until(&app, at_start(-60) + chrono::Duration::seconds(1));
        let before = shown
            .recv_timeout(Duration::from_secs(20))
            .expect("shown at its moment");
        assert_eq!(
            before,
            NoticeText {
                summary: "Appointment".into(),
                body: "At 17:00".into()
            }
        );
        // The click opens the agenda.
        wait_for(&app, || nav.get_current() == Destination::Prepare);
        assert_eq!(
            app.window.global::<PrepareAdapter>().get_view(),
            PrepareView::Overview
        );
        // Then the timer waits for "after": 15 minutes after the end.
        assert_eq!(armed(&app), Some((at_start(65), ReminderKind::After)));
        run_until(&app, at_start(65));
        let after = shown.recv_timeout(Duration::from_secs(20)).unwrap();
        assert_eq!(after.summary, "Time for your check-in?");
        assert_eq!(after.body, "");
        // Its click opens a check-in for that session.
        wait_for(&app, || nav.get_current() == Destination::CheckIn);
        let a = app.window.global::<CheckInAdapter>();
        assert_eq!(a.get_view(), CheckInView::Form);
        assert_eq!(a.get_date_text(), "2026-03-31");
        assert_eq!(a.get_time_text(), "17:00");
        // Nothing else was shown, and no private word ever is.
        assert!(shown.try_recv().is_err());
        for t in [&before, &after] {
            let words = format!("{} {}", t.summary, t.body).to_lowercase();
            for private in ["therapist", "clock", "session", "therapy"] {
                assert!(!words.contains(private), "{t:?}");
            }
        }
        // Next week's "before".
        assert_eq!(
            armed(&app),
            Some((at_session(1, -60), ReminderKind::Before))
        );
    }

    #[test]
    fn nothing_is_armed_while_every_reminder_is_off_and_turning_one_on_arms_it() {
        let mut off = data();
        off.sessions.reminders = Default::default();
        let (_tmp, app, shown) = app_at(off, at_start(-180));
        assert_eq!(armed(&app), None);
        assert!(!app.reminders.timer.running());
        // Turned on after its moment has passed: the timer waits for the
        // next one instead of showing a late reminder.
        set_now(&app, at_start(70));
        app.shared.change(Slices::SESSIONS, |d| {
            d.sessions.reminders.after.on = true;
        });
        assert!(shown.try_recv().is_err());
        assert_eq!(armed(&app), Some((at_session(1, 65), ReminderKind::After)));
        // Off again: the timer stops.
        app.shared.change(Slices::SESSIONS, |d| {
            d.sessions.reminders.after.on = false;
        });
        assert_eq!(armed(&app), None);
    }

    #[test]
    fn a_store_swap_drops_the_timer_and_a_click_still_pending() {
        let (_tmp, app, shown) = app_at(data(), at_start(-180));
        // Clicks are held back until released.
        let (release, held) = mpsc::channel::<()>();
        let held = std::sync::Mutex::new(held);
        let (tx, seen) = mpsc::channel();
        let tx = std::sync::Mutex::new(tx);
        *app.reminders.show.borrow_mut() = Some(Arc::new(move |text: &NoticeText| {
            tx.lock().unwrap().send(text.clone()).unwrap();
            held.lock().unwrap().recv().unwrap();
            Ok(true)
        }));
        run_until(&app, at_start(-59));
        seen.recv_timeout(Duration::from_secs(20)).unwrap();
        // The store is swapped (as locking does) while the notification is
        // on screen; then it is clicked.
        app.shared.publish(Slices::STORE);
        release.send(()).unwrap();
        for _ in 0..50 {
            std::thread::sleep(Duration::from_millis(5));
            app.pick_up_finished_work();
        }
        assert_eq!(app.window.global::<Nav>().get_current(), Destination::Home);
        assert!(shown.try_recv().is_err());
        // A locked store has no schedule: nothing armed.
        let dir = app.shared.store.borrow().dir().to_path_buf();
        *app.shared.store.borrow_mut() = Store::locked_placeholder(&dir);
        app.shared.publish(Slices::STORE);
        assert_eq!(armed(&app), None);
    }

    #[test]
    fn without_a_notification_service_nothing_is_armed_or_retried() {
        let (_tmp, app, _shown) = app_at(data(), at_start(-180));
        // A service that fails: the reminder is reported once, and the
        // timer goes on to the next moment, not back to this one.
        let tries = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counted = tries.clone();
        *app.reminders.show.borrow_mut() = Some(Arc::new(move |_: &NoticeText| {
            counted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            Err("no session bus".into())
        }));
        run_until(&app, at_start(-59));
        wait_for(&app, || !app.shared.worker.is_busy());
        assert_eq!(tries.load(std::sync::atomic::Ordering::SeqCst), 1);
        assert_eq!(armed(&app), Some((at_start(65), ReminderKind::After)));
        run_until(&app, at_start(60));
        app.pick_up_finished_work();
        assert_eq!(tries.load(std::sync::atomic::Ordering::SeqCst), 1);
        // A build without notifications never arms the timer.
        app.reminders.use_for_tests(None);
        assert_eq!(armed(&app), None);
    }
}

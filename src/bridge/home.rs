//! Home: today's date, the session rhythm on the Next session card, and
//! "continue learning". The card's agenda is Prepare's own list
//! (`PrepareAdapter.agenda`, `.drafts`), and the nudge Insights' own flag:
//! nothing of theirs is copied here.
//!
//! The card follows `core::sessions::rhythm`: before a session, on its
//! day, during it, after it ("How did it go?", which opens Check in's own
//! form for that session), and a day later with no check-in one quiet
//! line, shown once: it stays while the app runs and is stored as shown,
//! so it never comes back. The clock (`super::clock::Clock`) wakes Home
//! at the next moment the card or the date can change.

use std::cell::Cell;
use std::rc::Rc;

use chrono::{Local, NaiveDateTime};
use slint::ComponentHandle;

use super::changes::Slices;
use super::clock::{calendar_day, moment};
use super::shared::{act, Page, Shared};
use crate::core::learn;
use crate::core::locale::DateOrder;
use crate::core::sessions::{self, Rhythm};
use crate::ui::{AppWindow, Dates, HomeAdapter, LearnAdapter, Nav, RhythmState};

pub(crate) struct HomePage {
    shared: Rc<Shared>,
    /// The session whose day-later line this run has shown: it stays for
    /// the rest of the run (the store already says it was shown).
    quiet_shown: Cell<Option<NaiveDateTime>>,
}

impl HomePage {
    pub fn install(shared: &Rc<Shared>, ui: &AppWindow, order: DateOrder) -> Rc<HomePage> {
        let page = Rc::new(HomePage {
            shared: shared.clone(),
            quiet_shown: Cell::new(None),
        });
        // Every date the UI shows is written in this order.
        ui.global::<Dates>().set_order(match order {
            DateOrder::DayMonth => crate::ui::DateOrder::DayMonth,
            DateOrder::MonthDay => crate::ui::DateOrder::MonthDay,
        });
        ui.global::<HomeAdapter>()
            .on_continue_learning(act(&page, |p| p.continue_learning()));
        shared.subscribe(
            &page,
            Slices::LEARN | Slices::STORE | Slices::SESSIONS | Slices::CHECK_INS | Slices::TIME,
        );
        page
    }

    /// Opens the card to continue with (the first one for a newcomer) in
    /// Learn, through Learn's own callback.
    fn continue_learning(&self) {
        let card = self.shared.data(|d| {
            learn::continue_point(&self.shared.library, &d.learn).map(|at| at.card().id.clone())
        });
        let Some(ui) = self.shared.window.upgrade() else {
            return;
        };
        if let Some(card) = card {
            ui.global::<LearnAdapter>().invoke_open_card(card.into());
        }
        ui.global::<Nav>().invoke_go(crate::ui::Page::Learn);
    }

    /// The Next session card's state at the rhythm's "now".
    fn show_rhythm(&self, home: &HomeAdapter) {
        let now = self.shared.now();
        let tz = Local;
        let today = sessions::local_time(&tz, now).date();
        let shown_now = self.quiet_shown.get();
        let (state, read_only) = {
            let store = self.shared.store.borrow();
            let data = store.data();
            let st = &data.sessions;
            // The line shown in this run counts as not yet shown, so that
            // it stays until the app closes.
            let seen = st.quiet_line_shown.filter(|&s| Some(s) != shown_now);
            (
                sessions::rhythm(st.schedule.as_ref(), &data.check_ins, seen, now, &tz),
                store.is_read_only(),
            )
        };
        let days = |from: chrono::NaiveDate, to: chrono::NaiveDate| {
            (to - from).num_days().clamp(0, 10_000) as i32
        };
        let next = match &state {
            Rhythm::Before { next } | Rhythm::OnTheDay { next, .. } => Some(*next),
            Rhythm::After { next, .. } => *next,
            Rhythm::NoSchedule | Rhythm::NothingAhead { .. } => None,
        };
        home.set_has_next(next.is_some());
        if let Some(n) = next {
            home.set_next_session(moment(n.start));
            home.set_next_in_days(days(today, n.start.date()));
        }
        let mut quiet = None;
        home.set_rhythm(match &state {
            Rhythm::NoSchedule => RhythmState::None,
            Rhythm::NothingAhead { paused: true } => RhythmState::Paused,
            Rhythm::NothingAhead { paused: false } => RhythmState::NothingAhead,
            Rhythm::Before { .. } => RhythmState::Before,
            Rhythm::OnTheDay {
                in_progress: true, ..
            } => RhythmState::InSession,
            Rhythm::OnTheDay { .. } => RhythmState::OnTheDay,
            Rhythm::After {
                last, day_later, ..
            } => {
                home.set_last_session(moment(last.start));
                home.set_last_days_ago(days(last.start.date(), today));
                if *day_later {
                    quiet = Some(last.start);
                }
                RhythmState::After
            }
        });
        home.set_quiet_line(quiet.is_some());
        // Remembered as shown, once (a read-only window cannot store it;
        // it then shows the line for as long as it runs).
        if let Some(start) = quiet {
            if shown_now != Some(start) {
                self.quiet_shown.set(Some(start));
                if !read_only {
                    self.shared
                        .store
                        .borrow_mut()
                        .update_soon(move |d| d.sessions.quiet_line_shown = Some(start));
                }
            }
        }
    }
}

impl Page for HomePage {
    fn forget(&self) {
        self.quiet_shown.set(None);
    }

    fn refresh(&self, ui: &AppWindow, changed: Slices) {
        let home = ui.global::<HomeAdapter>();
        home.set_today(calendar_day(self.shared.local_now().date()));
        if changed.intersects(Slices::SESSIONS | Slices::CHECK_INS | Slices::STORE | Slices::TIME) {
            self.show_rhythm(&home);
        }
        if !changed.intersects(Slices::LEARN | Slices::STORE) {
            return;
        }
        let store = self.shared.store.borrow();
        let progress = &store.data().learn;
        let started = !progress.seen.is_empty();
        match learn::continue_point(&self.shared.library, progress) {
            Some(at) if started => {
                home.set_has_learning(true);
                home.set_continue_deck(at.deck.title.as_str().into());
                home.set_continue_card(at.card().title.as_str().into());
                home.set_continue_number(at.index as i32 + 1);
                home.set_continue_count(at.deck.cards.len() as i32);
            }
            _ => home.set_has_learning(false),
        }
    }
}

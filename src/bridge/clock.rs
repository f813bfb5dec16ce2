//! The clock: one timer that wakes the pages which word things from the
//! current time (Home's date and card, Session times) when what they show
//! can change, and the dates and times as the UI takes them.

use std::rc::Rc;
use std::time::Duration;

use chrono::{DateTime, Datelike, Days, Local, NaiveDate, TimeZone};

use super::changes::Slices;
use super::shared::{with, Page, Shared};
use crate::core::sessions;
use crate::ui::{AppWindow, CalendarDay};

/// Wakes the pages at the next moment what they show can change: the
/// next local midnight (today's date, "in 3 days", the last day of a
/// break), or a session starting or ending and the days after it
/// (`sessions::next_change`). A single-shot timer, armed again after each
/// wake and each change to the sessions: the app never polls. It follows
/// the app's clock (`Shared::now`), so tests move time with Slint's mock
/// time.
pub(crate) struct Clock {
    shared: Rc<Shared>,
    timer: slint::Timer,
}

impl Clock {
    pub fn install(shared: &Rc<Shared>) -> Rc<Clock> {
        let clock = Rc::new(Clock {
            shared: shared.clone(),
            timer: slint::Timer::default(),
        });
        shared.subscribe(&clock, Slices::SESSIONS | Slices::STORE | Slices::TIME);
        clock
    }

    /// How long until the next moment worth waking for.
    fn wait(&self) -> Duration {
        let now = self.shared.now();
        let midnight = until_next_midnight(&now.with_timezone(&Local));
        let change = self
            .shared
            .data(|d| sessions::next_change(d.sessions.schedule.as_ref(), now, &Local));
        change
            .and_then(|at| (at - now).to_std().ok())
            // A second after, so that the moment has surely passed.
            .map_or(midnight, |d| midnight.min(d + Duration::from_secs(1)))
    }
}

impl Page for Clock {
    fn refresh(&self, _: &AppWindow, _: Slices) {
        let shared = Rc::downgrade(&self.shared);
        self.timer
            .start(slint::TimerMode::SingleShot, self.wait(), move || {
                with(&shared, |s| s.time_passed())
            });
    }
}

/// A date as the UI's `Dates.long` takes it (the words are Slint's, so
/// that they can be translated).
pub(crate) fn calendar_day(date: NaiveDate) -> CalendarDay {
    CalendarDay {
        weekday: date.weekday().num_days_from_monday() as i32,
        day: date.day() as i32,
        month: date.month() as i32,
    }
}

/// A day chosen on a day chooser, with its words' inputs from `today`
/// and why the last tap kept it (`refused`).
pub(crate) fn chosen_day(
    day: NaiveDate,
    today: NaiveDate,
    refused: Option<crate::core::days::Refusal>,
) -> crate::ui::ChosenDay {
    let words = crate::core::days::words(day, today);
    crate::ui::ChosenDay {
        day: calendar_day(day),
        year: day.year(),
        in_days: words.in_days.clamp(-100_000, 100_000) as i32,
        other_year: words.other_year,
        refused: super::convert::ui_refusal(refused),
    }
}

/// A local date and time as the UI's `Dates` functions take it.
pub(crate) fn moment(at: chrono::NaiveDateTime) -> crate::ui::Moment {
    use chrono::Timelike;
    crate::ui::Moment {
        day: calendar_day(at.date()),
        year: at.year(),
        hour: at.hour() as i32,
        minute: at.minute() as i32,
    }
}

/// How long from `now` until just after the next midnight in its time
/// zone (a second after, so the date has surely changed when it fires).
pub(crate) fn until_next_midnight<Tz: TimeZone>(now: &DateTime<Tz>) -> Duration {
    let tz = now.timezone();
    let tomorrow = now.date_naive() + Days::new(1);
    let next = tomorrow
        .and_hms_opt(0, 0, 0)
        .and_then(|t| tz.from_local_datetime(&t).earliest())
        // Where a daylight-saving change skips midnight, the day starts
        // at one o'clock.
        .or_else(|| {
            tomorrow
                .and_hms_opt(1, 0, 0)
                .and_then(|t| tz.from_local_datetime(&t).earliest())
        });
    let fallback = Duration::from_secs(60 * 60);
    match next {
        Some(next) => (next - now.clone())
            .to_std()
            .map_or(fallback, |d| d + Duration::from_secs(1)),
        None => fallback,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::FixedOffset;

    #[test]
    fn the_timer_fires_just_after_the_next_midnight() {
        let tz = FixedOffset::east_opt(2 * 3600).unwrap();
        let at = |h, m, s| tz.with_ymd_and_hms(2025, 3, 30, h, m, s).unwrap();
        assert_eq!(
            until_next_midnight(&at(23, 59, 30)),
            Duration::from_secs(31)
        );
        assert_eq!(
            until_next_midnight(&at(0, 0, 0)),
            Duration::from_secs(24 * 3600 + 1)
        );
        assert_eq!(
            until_next_midnight(&at(12, 0, 0)),
            Duration::from_secs(12 * 3600 + 1)
        );
    }
}

//! "Add to my calendar": the session schedule as an iCalendar file (RFC
//! 5545), written with the `icalendar` crate, so that any calendar app can
//! import it and remind with its own notifications while Common Ground is
//! closed.
//!
//! * A repeating schedule is one `VEVENT` with an `RRULE` (weekly, or
//!   weekly with `INTERVAL=2`; `UNTIL` when it was ended or paused with no
//!   end). Skipped sessions and sessions inside a break are `EXDATE`s; a
//!   moved session is an `EXDATE` plus an event of its own.
//! * Each one-off (or moved) session is one `VEVENT`.
//! * Each chosen reminder is one `VALARM` in every event.
//! * Times are floating local times ("17:00 wherever the calendar is"),
//!   exactly as the app keeps them; no `VTIMEZONE` is needed, and the
//!   calendar keeps 17:00 across daylight-saving changes.
//!
//! Privacy: the title is neutral by default ("Appointment", the user can
//! change it), the event is `CLASS:PRIVATE`, and nothing else the user
//! wrote (no notes, no concerns, no agenda) is ever written. Each `UID`
//! comes from the schedule, so importing a newer file updates the entries.

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Utc};
use icalendar::{Alarm, Calendar, CalendarDateTime, Class, Component, Event, EventLike, Trigger};

use crate::core::sessions::{
    ReminderKind, Repeat, Schedule, SessionsState, DEFAULT_MINUTES, MAX_MINUTES,
};

pub use crate::core::sessions::CHECK_IN_PROMPT;

/// Why there is no calendar file to write.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CalendarError {
    /// No schedule has been set.
    NoSchedule,
    /// The schedule holds no session at all (every date removed).
    NoSessions,
}

impl std::fmt::Display for CalendarError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CalendarError::NoSchedule => write!(
                f,
                "no sessions are set yet; set them on Home (Next session) or in Settings"
            ),
            CalendarError::NoSessions => write!(f, "the schedule holds no sessions to export"),
        }
    }
}

impl std::error::Error for CalendarError {}

/// The default file name of the calendar file (neutral, like its title).
pub fn file_name(today: NaiveDate) -> String {
    format!("appointments-{today}.ics")
}

/// The alarm text for `kind`.
pub fn alarm_text(kind: ReminderKind, title: &str) -> String {
    match kind {
        ReminderKind::Before => title.to_string(),
        ReminderKind::After | ReminderKind::DayLater => CHECK_IN_PROMPT.to_string(),
    }
}

fn trigger(kind: ReminderKind, minutes: u32) -> Trigger {
    let d = Duration::minutes(minutes.into());
    match kind {
        ReminderKind::Before => Trigger::before_start(d),
        ReminderKind::After | ReminderKind::DayLater => Trigger::after_end(d),
    }
}

fn floating(t: NaiveDateTime) -> CalendarDateTime {
    CalendarDateTime::Floating(t)
}

/// How far ahead the file lists exceptions: a break ending later than this
/// (only a damaged file has one) ends the series instead.
const REACH_DAYS: i64 = 20 * 366;

/// The last day the series can hold a session in the calendar: the end of
/// the schedule, or the day before a break with no end.
fn series_last_day(s: &Schedule, horizon: NaiveDate) -> Option<NaiveDate> {
    let open_pause = s
        .pauses
        .iter()
        .filter(|p| p.until.is_none_or(|u| u > horizon))
        .map(|p| p.from.pred_opt().unwrap_or(p.from))
        .min();
    match (s.until, open_pause) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// The days of the series that are not held: skipped, moved, or inside a
/// break with an end (a break without one ends the series instead).
fn series_exceptions(
    s: &Schedule,
    last: Option<NaiveDate>,
    horizon: NaiveDate,
) -> BTreeSet<NaiveDate> {
    let mut out: BTreeSet<NaiveDate> = s
        .skipped
        .iter()
        .copied()
        .filter(|&d| s.series_day(d) && d <= horizon)
        .collect();
    let Some(step) = s.repeat.step_days() else {
        return out;
    };
    for p in &s.pauses {
        let Some(until) = p.until.filter(|&u| u <= horizon) else {
            continue;
        };
        // Bounded below too, so a damaged file cannot make this loop long.
        let floor = horizon
            .checked_sub_signed(Duration::days(2 * REACH_DAYS))
            .unwrap_or(horizon);
        let from = p.from.max(s.first.date()).max(floor);
        // Onto the series: the first series day on or after `from`.
        let rem = (from - s.first.date()).num_days().rem_euclid(step);
        let mut day = from.checked_add_signed(Duration::days((step - rem) % step));
        while let Some(d) = day.filter(|&d| d <= until && last.is_none_or(|l| d <= l)) {
            out.insert(d);
            day = d.checked_add_signed(Duration::days(step));
        }
    }
    out
}

fn with_alarms(event: &mut Event, state: &SessionsState) {
    for (kind, minutes) in state.reminders.chosen() {
        event.alarm(Alarm::display(
            &alarm_text(kind, state.title()),
            trigger(kind, minutes),
        ));
    }
}

fn event(state: &SessionsState, uid: &str, start: NaiveDateTime, now: DateTime<Utc>) -> Event {
    let minutes = state
        .schedule
        .as_ref()
        .map_or(DEFAULT_MINUTES, |s| s.minutes.clamp(1, MAX_MINUTES));
    let end = start
        .checked_add_signed(Duration::minutes(minutes.into()))
        .unwrap_or(start);
    let mut e = Event::new();
    e.uid(uid)
        .timestamp(now)
        .summary(state.title())
        .class(Class::Private)
        .starts(floating(start))
        .ends(floating(end));
    with_alarms(&mut e, state);
    e
}

/// The calendar for `state`'s schedule and chosen reminders. `now` is the
/// file's time stamp (`DTSTAMP`).
pub fn calendar(state: &SessionsState, now: DateTime<Utc>) -> Result<Calendar, CalendarError> {
    let schedule = state.schedule.as_ref().ok_or(CalendarError::NoSchedule)?;
    let mut cal = Calendar::new();
    let mut any = false;
    if schedule.repeat != Repeat::OneOff {
        let today = now.date_naive();
        let horizon = today
            .checked_add_signed(Duration::days(REACH_DAYS))
            .unwrap_or(today);
        let last = series_last_day(schedule, horizon);
        if last.is_none_or(|l| l >= schedule.first.date()) {
            let mut e = event(state, &schedule.uid, schedule.first, now);
            let mut rule = String::from("FREQ=WEEKLY");
            if schedule.repeat == Repeat::Fortnightly {
                rule.push_str(";INTERVAL=2");
            }
            if let Some(l) = last {
                // Same value type as the floating DTSTART: a local time.
                rule.push_str(&format!(";UNTIL={}T235959", l.format("%Y%m%d")));
            }
            e.add_property("RRULE", rule);
            for day in series_exceptions(schedule, last, horizon) {
                e.exdate(floating(day.and_time(schedule.first.time())));
            }
            cal.push(e.done());
            any = true;
        }
    }
    for &start in &schedule.extra {
        if schedule.is_paused(start.date()) {
            continue;
        }
        let uid = format!("{}-{}", start.format("%Y%m%dT%H%M"), schedule.uid);
        cal.push(event(state, &uid, start, now).done());
        any = true;
    }
    if !any {
        return Err(CalendarError::NoSessions);
    }
    Ok(cal.done())
}

/// The calendar file's text.
pub fn ics(state: &SessionsState, now: DateTime<Utc>) -> Result<String, CalendarError> {
    Ok(calendar(state, now)?.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::sessions::{Pause, Reminders};
    use chrono::TimeZone;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, min, 0)
            .unwrap()
    }
    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }
    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap()
    }
    fn state(schedule: Schedule) -> SessionsState {
        SessionsState {
            schedule: Some(schedule),
            ..Default::default()
        }
    }
    fn tuesdays() -> Schedule {
        Schedule::repeating(Repeat::Weekly, at(2026, 3, 3, 17, 0), 50, "uid-1".into())
    }
    /// Unfolded content lines.
    fn lines(text: &str) -> Vec<String> {
        text.replace("\r\n ", "")
            .split("\r\n")
            .map(str::to_string)
            .collect()
    }
    fn count(text: &str, line: &str) -> usize {
        lines(text).iter().filter(|l| *l == line).count()
    }
    fn has_prefix(text: &str, prefix: &str) -> Vec<String> {
        lines(text)
            .into_iter()
            .filter(|l| l.starts_with(prefix))
            .collect()
    }

    #[test]
    fn a_weekly_schedule_is_one_event_with_a_rule_and_no_alarm_by_default() {
        let text = ics(&state(tuesdays()), now()).unwrap();
        assert_eq!(count(&text, "BEGIN:VEVENT"), 1);
        assert_eq!(has_prefix(&text, "RRULE"), vec!["RRULE:FREQ=WEEKLY"]);
        assert_eq!(
            has_prefix(&text, "DTSTART"),
            vec!["DTSTART:20260303T170000"]
        );
        assert_eq!(has_prefix(&text, "DTEND"), vec!["DTEND:20260303T175000"]);
        assert_eq!(has_prefix(&text, "SUMMARY"), vec!["SUMMARY:Appointment"]);
        assert_eq!(count(&text, "CLASS:PRIVATE"), 1);
        assert_eq!(count(&text, "UID:uid-1"), 1);
        assert_eq!(count(&text, "DTSTAMP:20260301T090000Z"), 1);
        assert_eq!(count(&text, "BEGIN:VALARM"), 0);
        assert!(has_prefix(&text, "DESCRIPTION").is_empty());
        assert!(has_prefix(&text, "LOCATION").is_empty());
    }

    #[test]
    fn one_alarm_per_chosen_reminder_with_its_offset() {
        let mut st = state(tuesdays());
        st.reminders = Reminders::default();
        st.reminders.before.on = true;
        st.reminders.day_later.on = true;
        st.reminders.day_later.minutes = 1500;
        let text = ics(&st, now()).unwrap();
        assert_eq!(count(&text, "BEGIN:VALARM"), 2);
        assert_eq!(
            has_prefix(&text, "TRIGGER"),
            vec![
                "TRIGGER;RELATED=START:-PT3600S",
                "TRIGGER;RELATED=END:PT90000S"
            ]
        );
        assert_eq!(
            has_prefix(&text, "DESCRIPTION"),
            vec![
                "DESCRIPTION:Appointment",
                "DESCRIPTION:Time for your check-in?"
            ]
        );
        assert_eq!(count(&text, "ACTION:DISPLAY"), 2);
    }

    #[test]
    fn skipped_moved_and_paused_sessions_are_exceptions() {
        let mut s = Schedule::repeating(Repeat::Fortnightly, at(2026, 3, 3, 17, 0), 50, "u".into());
        // Series: 3, 17, 31 March, 14, 28 April, 12 May ...
        let skipped = s
            .next(Utc.with_ymd_and_hms(2026, 3, 10, 0, 0, 0).unwrap(), &Utc)
            .unwrap();
        s.skip(&skipped); // 17 March
        let moved = s
            .next(Utc.with_ymd_and_hms(2026, 3, 20, 0, 0, 0).unwrap(), &Utc)
            .unwrap();
        s.move_session(&moved, at(2026, 4, 1, 10, 0)); // 31 March → 1 April
        s.pause(day(2026, 4, 10), Some(day(2026, 4, 30))); // 14 and 28 April
        s.pause(day(2026, 6, 1), None); // ends the series on 31 May
        let text = ics(&state(s), now()).unwrap();
        assert_eq!(count(&text, "BEGIN:VEVENT"), 2);
        assert_eq!(
            has_prefix(&text, "RRULE"),
            vec!["RRULE:FREQ=WEEKLY;INTERVAL=2;UNTIL=20260531T235959"]
        );
        assert_eq!(
            has_prefix(&text, "EXDATE"),
            vec![
                "EXDATE:20260317T170000",
                "EXDATE:20260331T170000",
                "EXDATE:20260414T170000",
                "EXDATE:20260428T170000"
            ]
        );
        assert_eq!(
            has_prefix(&text, "DTSTART"),
            vec!["DTSTART:20260303T170000", "DTSTART:20260401T100000"]
        );
        assert_eq!(count(&text, "UID:20260401T1000-u"), 1);
    }

    #[test]
    fn one_off_dates_are_one_event_each_and_the_title_is_the_users() {
        let mut st = state(Schedule::one_off(
            vec![at(2026, 5, 5, 10, 0), at(2026, 4, 28, 15, 30)],
            60,
            "u".into(),
        ));
        st.set_title("Catch-up, with A; B");
        let text = ics(&st, now()).unwrap();
        assert_eq!(count(&text, "BEGIN:VEVENT"), 2);
        assert!(has_prefix(&text, "RRULE").is_empty());
        assert_eq!(
            has_prefix(&text, "DTSTART"),
            vec!["DTSTART:20260428T153000", "DTSTART:20260505T100000"]
        );
        assert_eq!(
            has_prefix(&text, "SUMMARY"),
            vec![
                "SUMMARY:Catch-up\\, with A\\; B",
                "SUMMARY:Catch-up\\, with A\\; B"
            ]
        );
    }

    #[test]
    fn an_ended_schedule_has_an_until_and_nothing_is_an_error() {
        let mut s = tuesdays();
        s.until = Some(day(2026, 3, 24));
        let text = ics(&state(s.clone()), now()).unwrap();
        assert_eq!(
            has_prefix(&text, "RRULE"),
            vec!["RRULE:FREQ=WEEKLY;UNTIL=20260324T235959"]
        );
        assert_eq!(
            ics(&SessionsState::default(), now()),
            Err(CalendarError::NoSchedule)
        );
        s.until = Some(day(2026, 3, 1));
        assert_eq!(ics(&state(s), now()), Err(CalendarError::NoSessions));
        let mut paused = tuesdays();
        paused.pauses.push(Pause {
            from: day(2026, 1, 1),
            until: None,
        });
        assert_eq!(ics(&state(paused), now()), Err(CalendarError::NoSessions));
    }

    #[test]
    fn a_damaged_schedule_never_panics() {
        let max = NaiveDate::MAX.and_hms_opt(23, 0, 0).unwrap();
        let min = NaiveDate::MIN.and_hms_opt(0, 0, 0).unwrap();
        for first in [max, min] {
            let mut s = Schedule::repeating(Repeat::Weekly, first, 50, "u".into());
            s.minutes = u32::MAX;
            s.extra = vec![max, min];
            s.skipped = vec![NaiveDate::MAX, NaiveDate::MIN];
            s.pauses = vec![
                Pause {
                    from: NaiveDate::MIN,
                    until: Some(NaiveDate::MAX),
                },
                Pause {
                    from: NaiveDate::MAX,
                    until: None,
                },
                Pause {
                    from: NaiveDate::MIN,
                    until: Some(day(2026, 1, 1)),
                },
            ];
            let mut st = state(s.clone());
            st.reminders.before.on = true;
            st.reminders.before.minutes = u32::MAX;
            st.reminders.day_later.on = true;
            let _ = ics(&st, now());
            let _ = s.next(now(), &Utc);
            let _ = s.previous(now(), &Utc);
            let _ = crate::core::sessions::next_due(&s, &st.reminders, now(), &Utc);
            let _ = crate::core::sessions::rhythm(Some(&s), &[], None, now(), &Utc);
            s.pauses.clear();
            let _ = ics(&state(s.clone()), now());
        }
    }

    #[test]
    fn the_file_parses_back_with_the_crate() {
        let mut st = state(tuesdays());
        st.reminders.after.on = true;
        let text = ics(&st, now()).unwrap();
        let parsed: Calendar = text.parse().unwrap();
        let events: Vec<_> = parsed.events().collect();
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].get_summary(), Some("Appointment"));
        assert_eq!(events[0].property_value("RRULE"), Some("FREQ=WEEKLY"));
        let alarms = events[0]
            .components()
            .iter()
            .filter(|c| c.component_kind() == "VALARM")
            .count();
        assert_eq!(alarms, 1);
    }
}

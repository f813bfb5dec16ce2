//! Expectations are worked out by hand from the calendar: in 2026 the UK
//! moves its clocks forward on Sunday 29 March (01:00 GMT → 02:00 BST) and
//! back on Sunday 25 October; New York on Sunday 8 March (02:00 EST →
//! 03:00 EDT) and Sunday 1 November. 1 January 2026 is a Thursday, so 3,
//! 24 and 31 March, 27 October and 3 November 2026 are Tuesdays.

use chrono::{NaiveDate, NaiveDateTime, TimeZone, Utc, Weekday};
use chrono_tz::America::New_York;
use chrono_tz::Europe::London;

use super::*;
use crate::core::model::{CheckIn, Concern, Outcome, Record};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}
fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
    day(y, m, d).and_hms_opt(h, min, 0).unwrap()
}
fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.from_utc_datetime(&at(y, m, d, h, min))
}
/// Every Tuesday at 17:00 for 50 minutes from 3 March 2026.
fn tuesdays() -> Schedule {
    Schedule::repeating(Repeat::Weekly, at(2026, 3, 3, 17, 0), 50, "u".into())
}
fn check_in(when: NaiveDateTime) -> Record<CheckIn> {
    Record {
        id: "r1".into(),
        created: utc(2026, 1, 1, 0, 0),
        updated: utc(2026, 1, 1, 0, 0),
        body: CheckIn {
            when,
            mood: 5,
            ..Default::default()
        },
    }
}

#[test]
fn weekly_next_crosses_a_month_end_and_the_uk_clock_change() {
    let s = tuesdays();
    // Wednesday 25 March, noon: the next Tuesday is 31 March, after the
    // clocks went forward, so 17:00 BST is 16:00 UTC.
    let now = utc(2026, 3, 25, 12, 0);
    let next = s.next(now, &London).unwrap();
    assert_eq!(next.start, at(2026, 3, 31, 17, 0));
    assert_eq!(next.start_at(&London), utc(2026, 3, 31, 16, 0));
    assert_eq!(next.end_at(&London), utc(2026, 3, 31, 16, 50));
    // The previous one, 24 March, was still GMT: 17:00 UTC.
    let prev = s.previous(now, &London).unwrap();
    assert_eq!(prev.start, at(2026, 3, 24, 17, 0));
    assert_eq!(prev.start_at(&London), utc(2026, 3, 24, 17, 0));
}

#[test]
fn weekly_next_across_the_new_york_clock_change() {
    let s = Schedule::repeating(Repeat::Weekly, at(2026, 10, 27, 17, 0), 50, "u".into());
    // 27 October is EDT (UTC-4), 3 November is EST (UTC-5).
    assert_eq!(
        s.next(utc(2026, 10, 27, 12, 0), &New_York)
            .unwrap()
            .start_at(&New_York),
        utc(2026, 10, 27, 21, 0)
    );
    let next = s.next(utc(2026, 10, 28, 12, 0), &New_York).unwrap();
    assert_eq!(next.start, at(2026, 11, 3, 17, 0));
    assert_eq!(next.start_at(&New_York), utc(2026, 11, 3, 22, 0));
    // In March New York changes two weeks before London: a London-time
    // Tuesday 10 March is still GMT.
    let s = Schedule::repeating(Repeat::Weekly, at(2026, 3, 3, 17, 0), 50, "u".into());
    let n = s.next(utc(2026, 3, 9, 0, 0), &New_York).unwrap();
    assert_eq!(n.start_at(&New_York), utc(2026, 3, 10, 21, 0));
    assert_eq!(
        s.next(utc(2026, 3, 9, 0, 0), &London)
            .unwrap()
            .start_at(&London),
        utc(2026, 3, 10, 17, 0)
    );
}

#[test]
fn a_time_the_clocks_skip_or_repeat() {
    // 01:30 on 29 March does not exist in London: it is 02:30 BST, 01:30 UTC.
    assert_eq!(
        instant(&London, at(2026, 3, 29, 1, 30)),
        utc(2026, 3, 29, 1, 30)
    );
    // 01:30 on 25 October happens twice in London: the first (BST) counts.
    assert_eq!(
        instant(&London, at(2026, 10, 25, 1, 30)),
        utc(2026, 10, 25, 0, 30)
    );
    // 02:30 on 8 March does not exist in New York: 03:30 EDT, 07:30 UTC.
    assert_eq!(
        instant(&New_York, at(2026, 3, 8, 2, 30)),
        utc(2026, 3, 8, 7, 30)
    );
    // 01:30 on 1 November happens twice in New York: the EDT one, 05:30 UTC.
    assert_eq!(
        instant(&New_York, at(2026, 11, 1, 1, 30)),
        utc(2026, 11, 1, 5, 30)
    );
    // A weekly session at 01:30 on Sundays keeps its wall-clock time.
    let s = Schedule::repeating(Repeat::Weekly, at(2026, 3, 22, 1, 30), 50, "u".into());
    let n = s.next(utc(2026, 3, 23, 0, 0), &London).unwrap();
    assert_eq!(n.start, at(2026, 3, 29, 1, 30));
    let after = s.next(utc(2026, 3, 29, 2, 30), &London).unwrap();
    assert_eq!(after.start, at(2026, 4, 5, 1, 30));
    assert_eq!(after.start_at(&London), utc(2026, 4, 5, 0, 30));
}

#[test]
fn fortnightly_next_across_february() {
    // 27 January, then 10 and 24 February, then 10 March.
    let s = Schedule::repeating(Repeat::Fortnightly, at(2026, 1, 27, 9, 30), 50, "u".into());
    let next = s.next(utc(2026, 2, 25, 8, 0), &London).unwrap();
    assert_eq!(next.start, at(2026, 3, 10, 9, 30));
    let next = s.next(utc(2026, 2, 3, 8, 0), &London).unwrap();
    assert_eq!(next.start, at(2026, 2, 10, 9, 30));
    // Nothing before the first session.
    assert_eq!(s.previous(utc(2026, 1, 27, 9, 0), &London), None);
    assert_eq!(
        s.next(utc(2025, 12, 1, 0, 0), &London).unwrap().start,
        at(2026, 1, 27, 9, 30)
    );
    assert!(!s.series_day(day(2026, 2, 3)));
    assert!(s.series_day(day(2026, 2, 24)));
}

#[test]
fn a_friday_series_over_a_month_and_year_end() {
    let s = Schedule::repeating(Repeat::Weekly, at(2026, 12, 25, 8, 0), 60, "u".into());
    // 25 December 2026 is a Friday: then 1 January 2027.
    let next = s.next(utc(2026, 12, 25, 9, 0), &London).unwrap();
    assert_eq!(next.start, at(2027, 1, 1, 8, 0));
}

#[test]
fn the_session_in_progress_is_next_and_next_start_is_the_one_after() {
    let s = tuesdays();
    let now = utc(2026, 3, 24, 17, 20); // during the 17:00 GMT session
    assert_eq!(s.next(now, &London).unwrap().start, at(2026, 3, 24, 17, 0));
    assert_eq!(
        s.next_start(now, &London).unwrap().start,
        at(2026, 3, 31, 17, 0)
    );
    assert_eq!(
        s.previous(now, &London).unwrap().start,
        at(2026, 3, 17, 17, 0)
    );
}

#[test]
fn one_off_dates_in_order() {
    let s = Schedule::one_off(
        vec![
            at(2026, 5, 5, 10, 0),
            at(2026, 4, 28, 15, 0),
            at(2026, 5, 5, 10, 0),
        ],
        50,
        "u".into(),
    );
    assert_eq!(s.extra, vec![at(2026, 4, 28, 15, 0), at(2026, 5, 5, 10, 0)]);
    let now = utc(2026, 4, 20, 0, 0);
    assert_eq!(s.next(now, &London).unwrap().start, at(2026, 4, 28, 15, 0));
    let now = utc(2026, 4, 29, 0, 0);
    assert_eq!(s.next(now, &London).unwrap().start, at(2026, 5, 5, 10, 0));
    assert_eq!(
        s.previous(now, &London).unwrap().start,
        at(2026, 4, 28, 15, 0)
    );
    assert_eq!(s.next(utc(2026, 5, 6, 0, 0), &London), None);
}

#[test]
fn a_skipped_session_is_not_next() {
    let mut s = tuesdays();
    let now = utc(2026, 3, 25, 12, 0);
    let next = s.next(now, &London).unwrap();
    s.skip(&next);
    assert_eq!(s.skipped, vec![day(2026, 3, 31)]);
    let n = s.next(now, &London).unwrap();
    assert_eq!(n.start, at(2026, 4, 7, 17, 0));
    assert_eq!(n.start_at(&London), utc(2026, 4, 7, 16, 0));
    // Skipping twice keeps one entry.
    s.skip(&next);
    assert_eq!(s.skipped.len(), 1);
}

#[test]
fn a_moved_session_is_held_at_its_new_time_once() {
    let mut s = tuesdays();
    let now = utc(2026, 3, 25, 12, 0);
    let next = s.next(now, &London).unwrap();
    s.move_session(&next, at(2026, 4, 1, 10, 0));
    let n = s.next(now, &London).unwrap();
    assert_eq!(n.start, at(2026, 4, 1, 10, 0));
    assert!(!n.in_series);
    assert_eq!(n.start_at(&London), utc(2026, 4, 1, 9, 0));
    // After it, the series goes on: 7 April.
    assert_eq!(
        s.next(utc(2026, 4, 1, 10, 0), &London).unwrap().start,
        at(2026, 4, 7, 17, 0)
    );
    // Moving the moved one again leaves one session, at the latest time.
    s.move_session(&n, at(2026, 4, 2, 11, 0));
    assert_eq!(s.extra, vec![at(2026, 4, 2, 11, 0)]);
}

#[test]
fn a_paused_schedule_resumes_after_the_break() {
    let mut s = tuesdays();
    // A holiday from 1 to 20 April: no sessions on 7 and 14 April.
    s.pause(day(2026, 4, 1), Some(day(2026, 4, 20)));
    let after_31 = utc(2026, 3, 31, 18, 0);
    assert_eq!(
        s.next(after_31, &London).unwrap().start,
        at(2026, 4, 21, 17, 0)
    );
    assert!(s.is_paused(day(2026, 4, 7)));
    // A one-off session inside the break is not held either.
    s.add_one_off(at(2026, 4, 9, 12, 0));
    assert_eq!(
        s.next(after_31, &London).unwrap().start,
        at(2026, 4, 21, 17, 0)
    );
}

#[test]
fn a_break_until_a_date_ends_by_itself_the_day_after() {
    let mut s = tuesdays();
    // From Monday 30 March until Tuesday 14 April, that day included.
    s.pause(day(2026, 3, 30), Some(day(2026, 4, 14)));
    let brk = Some(Pause {
        from: day(2026, 3, 30),
        until: Some(day(2026, 4, 14)),
    });
    assert_eq!(s.break_on(day(2026, 3, 30)), brk);
    assert_eq!(s.break_on(day(2026, 4, 14)), brk);
    assert_eq!(s.break_on(day(2026, 3, 29)), None);
    assert_eq!(s.break_on(day(2026, 4, 15)), None);
    // While it lasts, the next session is the first after it, and Home
    // counts down to that one: nothing needs resuming.
    let during = utc(2026, 4, 1, 9, 0);
    assert_eq!(
        s.next_start(during, &London).unwrap().start,
        at(2026, 4, 21, 17, 0)
    );
    assert!(matches!(
        rhythm(Some(&s), &[check_in(at(2026, 3, 24, 17, 0))], None, during, &London),
        Rhythm::Before { next } if next.start == at(2026, 4, 21, 17, 0)
    ));
    // The day after its last day it is over.
    assert!(s.is_paused(day(2026, 4, 14)));
    assert!(!s.is_paused(day(2026, 4, 15)));
    assert_eq!(
        s.next(utc(2026, 4, 15, 9, 0), &London).unwrap().start,
        at(2026, 4, 21, 17, 0)
    );
    // Nothing was lost: the sessions before the break are as they were.
    assert_eq!(
        s.previous(during, &London).unwrap().start,
        at(2026, 3, 24, 17, 0)
    );
}

#[test]
fn breaks_that_meet_or_overlap_are_said_as_one() {
    let mut s = tuesdays();
    s.pause(day(2026, 4, 1), Some(day(2026, 4, 10)));
    // The next begins the day after the first ends.
    s.pause(day(2026, 4, 11), Some(day(2026, 4, 20)));
    let joined = Pause {
        from: day(2026, 4, 1),
        until: Some(day(2026, 4, 20)),
    };
    assert_eq!(s.break_on(day(2026, 4, 5)), Some(joined.clone()));
    assert_eq!(s.break_on(day(2026, 4, 15)).unwrap().until, joined.until);
    // One that starts later, with a day between, is another break.
    s.pause(day(2026, 4, 22), Some(day(2026, 4, 30)));
    assert_eq!(s.break_on(day(2026, 4, 5)), Some(joined));
    // An open-ended break overlapping a dated one holds until resumed.
    s.pause(day(2026, 4, 18), None);
    assert_eq!(s.break_on(day(2026, 4, 5)).unwrap().until, None);
}

#[test]
fn a_pause_without_an_end_holds_everything_until_resumed() {
    let mut s = tuesdays();
    s.pause(day(2026, 4, 1), None);
    assert_eq!(s.next(utc(2026, 3, 31, 18, 0), &London), None);
    assert!(!s.has_future(utc(2026, 3, 31, 18, 0), &London));
    // Sessions before the pause are unchanged.
    assert_eq!(
        s.next(utc(2026, 3, 25, 0, 0), &London).unwrap().start,
        at(2026, 3, 31, 17, 0)
    );
    // Resumed on Friday 1 May: the next Tuesday is 5 May.
    s.resume(day(2026, 5, 1));
    assert_eq!(s.pauses[0].until, Some(day(2026, 4, 30)));
    assert_eq!(
        s.next(utc(2026, 5, 1, 9, 0), &London).unwrap().start,
        at(2026, 5, 5, 17, 0)
    );
    // A pause that had not started yet is dropped by resuming.
    s.pause(day(2026, 6, 1), Some(day(2026, 6, 30)));
    s.resume(day(2026, 5, 20));
    assert_eq!(s.pauses.len(), 1);
}

#[test]
fn an_ended_schedule_has_nothing_ahead_but_keeps_the_past() {
    let mut s = tuesdays();
    s.add_one_off(at(2026, 4, 2, 9, 0));
    // Ended on Tuesday 31 March at 18:00 BST, after that day's session.
    let now = utc(2026, 3, 31, 17, 0);
    s.end(now, &London);
    assert_eq!(s.until, Some(day(2026, 3, 31)));
    assert_eq!(s.next(now, &London), None);
    assert!(s.extra.is_empty());
    assert_eq!(
        s.previous(now, &London).unwrap().start,
        at(2026, 3, 31, 17, 0)
    );
    // Ended in the morning: that day's session is gone too.
    let mut s = tuesdays();
    s.end(utc(2026, 3, 31, 8, 0), &London);
    assert_eq!(s.until, Some(day(2026, 3, 30)));
    assert_eq!(
        s.previous(utc(2026, 4, 1, 8, 0), &London).unwrap().start,
        at(2026, 3, 24, 17, 0)
    );
}

#[test]
fn first_on_picks_the_next_such_weekday() {
    let now = at(2026, 3, 25, 12, 0); // a Wednesday
    let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
    assert_eq!(
        first_on(Weekday::Tue, t(17, 0), now),
        at(2026, 3, 31, 17, 0)
    );
    assert_eq!(
        first_on(Weekday::Wed, t(13, 0), now),
        at(2026, 3, 25, 13, 0)
    );
    assert_eq!(first_on(Weekday::Wed, t(11, 0), now), at(2026, 4, 1, 11, 0));
    assert_eq!(first_on(Weekday::Mon, t(9, 0), now), at(2026, 3, 30, 9, 0));
}

#[test]
fn home_follows_the_rhythm() {
    let s = tuesdays();
    let r = |now, check_ins: &[Record<CheckIn>], shown| {
        rhythm(Some(&s), check_ins, shown, now, &London)
    };
    assert_eq!(
        rhythm(None, &[], None, utc(2026, 3, 25, 12, 0), &London),
        Rhythm::NoSchedule
    );
    // Monday 30 March: before.
    let before = r(utc(2026, 3, 30, 12, 0), &[], None);
    let next = s.next(utc(2026, 3, 30, 12, 0), &London).unwrap();
    // The previous session (24 March) is over a day old and had no
    // check-in: Home asks about it, with the quiet line.
    assert_eq!(
        before,
        Rhythm::After {
            last: s.previous(utc(2026, 3, 30, 12, 0), &London).unwrap(),
            next: Some(next),
            day_later: true
        }
    );
    // With a check-in for 24 March it is simply "before".
    let checked = [check_in(at(2026, 3, 24, 17, 0))];
    assert_eq!(
        r(utc(2026, 3, 30, 12, 0), &checked, None),
        Rhythm::Before { next }
    );
    // Tuesday morning: on the day.
    assert_eq!(
        r(utc(2026, 3, 31, 7, 0), &checked, None),
        Rhythm::OnTheDay {
            next,
            in_progress: false
        }
    );
    // On the day wins even over an unanswered previous session.
    assert!(matches!(
        r(utc(2026, 3, 31, 7, 0), &[], None),
        Rhythm::OnTheDay { .. }
    ));
    // During it (17:10 BST = 16:10 UTC).
    assert_eq!(
        r(utc(2026, 3, 31, 16, 10), &checked, None),
        Rhythm::OnTheDay {
            next,
            in_progress: true
        }
    );
    // It ends at 16:50 UTC: after.
    let after = r(utc(2026, 3, 31, 16, 50), &checked, None);
    assert_eq!(
        after,
        Rhythm::After {
            last: next,
            next: s.next(utc(2026, 4, 1, 0, 0), &London),
            day_later: false
        }
    );
    // 23 h 59 min later: still no quiet line; at 24 h it appears.
    assert!(matches!(
        r(utc(2026, 4, 1, 16, 49), &checked, None),
        Rhythm::After {
            day_later: false,
            ..
        }
    ));
    assert!(matches!(
        r(utc(2026, 4, 1, 16, 50), &checked, None),
        Rhythm::After {
            day_later: true,
            ..
        }
    ));
    // Once shown, never again for that session.
    assert!(matches!(
        r(
            utc(2026, 4, 2, 9, 0),
            &checked,
            Some(at(2026, 3, 31, 17, 0))
        ),
        Rhythm::After {
            day_later: false,
            ..
        }
    ));
    // A check-in for it (filled in with its time) ends "How did it go?".
    let both = [
        check_in(at(2026, 3, 24, 17, 0)),
        check_in(at(2026, 3, 31, 17, 0)),
    ];
    assert!(matches!(
        r(utc(2026, 4, 1, 9, 0), &both, None),
        Rhythm::Before { .. }
    ));
    // An older check-in does not count for it.
    assert!(matches!(
        r(
            utc(2026, 4, 1, 9, 0),
            &[check_in(at(2026, 3, 31, 15, 59))],
            None
        ),
        Rhythm::After { .. }
    ));
}

#[test]
fn after_a_last_session_home_asks_for_two_weeks_then_says_nothing_is_ahead() {
    let mut s = tuesdays();
    s.end(utc(2026, 3, 31, 18, 0), &London);
    let r = |now| rhythm(Some(&s), &[], None, now, &London);
    assert!(matches!(
        r(utc(2026, 4, 13, 0, 0)),
        Rhythm::After { next: None, .. }
    ));
    assert_eq!(
        r(utc(2026, 4, 15, 0, 0)),
        Rhythm::NothingAhead { paused: false }
    );
    let mut p = tuesdays();
    p.pause(day(2026, 3, 1), None);
    assert_eq!(
        rhythm(Some(&p), &[], None, utc(2026, 3, 25, 0, 0), &London),
        Rhythm::NothingAhead { paused: true }
    );
}

#[test]
fn reminders_are_off_until_chosen_and_due_at_their_offsets() {
    let s = tuesdays();
    let now = utc(2026, 3, 25, 12, 0);
    let mut r = Reminders::default();
    assert_eq!(next_due(&s, &r, now, &London), None);
    r.before.on = true; // 60 minutes before: 16:00 BST = 15:00 UTC on 31 March
    let d = next_due(&s, &r, now, &London).unwrap();
    assert_eq!(
        (d.at, d.kind),
        (utc(2026, 3, 31, 15, 0), ReminderKind::Before)
    );
    r.after.on = true; // 15 min after the 16:50 UTC end
    let d = next_due(&s, &r, d.at, &London).unwrap();
    assert_eq!(
        (d.at, d.kind),
        (utc(2026, 3, 31, 17, 5), ReminderKind::After)
    );
    r.day_later.on = true; // a day after the end
    let d = next_due(&s, &r, d.at, &London).unwrap();
    assert_eq!(
        (d.at, d.kind),
        (utc(2026, 4, 1, 16, 50), ReminderKind::DayLater)
    );
    assert_eq!(d.session.start, at(2026, 3, 31, 17, 0));
    // Then the next week's "before".
    let d = next_due(&s, &r, d.at, &London).unwrap();
    assert_eq!(
        (d.at, d.kind),
        (utc(2026, 4, 7, 15, 0), ReminderKind::Before)
    );
    // A reminder still ahead for a session already started is found.
    r.before.on = false;
    r.after.minutes = 120;
    let d = next_due(&s, &r, utc(2026, 3, 31, 16, 55), &London).unwrap();
    assert_eq!(
        (d.at, d.kind),
        (utc(2026, 3, 31, 18, 50), ReminderKind::After)
    );
    // An ended schedule has none.
    let mut ended = tuesdays();
    ended.end(utc(2026, 3, 1, 0, 0), &London);
    assert_eq!(next_due(&ended, &r, now, &London), None);
}

#[test]
fn concerns_raised_in_a_session_are_found() {
    let s = tuesdays();
    let session = s.next(utc(2026, 3, 25, 0, 0), &London).unwrap(); // 31 March, 16:00-16:50 UTC
    let concern = |id: &str, raised: Option<DateTime<Utc>>| Record {
        id: id.into(),
        created: utc(2026, 3, 1, 0, 0),
        updated: utc(2026, 3, 1, 0, 0),
        body: Concern {
            outcome: Outcome {
                raised_at: raised,
                ..Default::default()
            },
            ..Default::default()
        },
    };
    let concerns = [
        concern("a", Some(utc(2026, 3, 31, 16, 40))),
        concern("b", Some(utc(2026, 3, 31, 14, 59))), // too early
        concern("c", Some(utc(2026, 3, 31, 16, 10))),
        concern("d", None),
        concern("e", Some(utc(2026, 4, 1, 16, 49))), // on the way home, next day
        concern("f", Some(utc(2026, 4, 1, 16, 50))), // a day after the end: too late
    ];
    assert_eq!(raised_in(&session, &concerns, &London), vec!["c", "a", "e"]);
}

#[test]
fn the_title_is_neutral_unless_the_user_changes_it() {
    let mut st = SessionsState::default();
    assert_eq!(st.title(), "Appointment");
    st.set_title("  Dentist\nreally ");
    assert_eq!(st.title(), "Dentist really");
    st.set_title("   ");
    assert_eq!(st.title(), "Appointment");
    st.set_title(&"x".repeat(200));
    assert_eq!(st.title.chars().count(), MAX_TITLE_CHARS);
}

#[test]
fn notices_are_neutral_and_the_day_later_one_waits_for_no_check_in() {
    let s = tuesdays();
    let session = s.next(utc(2026, 3, 25, 0, 0), &London).unwrap();
    assert_eq!(
        notice_text(ReminderKind::Before, "Appointment", &session),
        NoticeText {
            summary: "Appointment".into(),
            body: "At 17:00".into()
        }
    );
    for kind in [ReminderKind::After, ReminderKind::DayLater] {
        let n = notice_text(kind, "Appointment", &session);
        assert_eq!(n.summary, "Time for your check-in?");
        assert_eq!(n.body, "");
    }
    assert!(still_wanted(ReminderKind::DayLater, &session, &[]));
    let done = [check_in(at(2026, 3, 31, 17, 0))];
    assert!(!still_wanted(ReminderKind::DayLater, &session, &done));
    assert!(still_wanted(ReminderKind::After, &session, &done));
}

#[test]
fn home_changes_next_at_a_start_an_end_a_day_later_or_midnight() {
    let s = tuesdays();
    // Tuesday 31 March 2026 in London (summer time: UTC+1).
    let now = |h, m| {
        London
            .from_local_datetime(&at(2026, 3, 31, h, m))
            .unwrap()
            .with_timezone(&Utc)
    };
    // The morning of the session: it starts at 17:00.
    assert_eq!(next_change(Some(&s), now(9, 0), &London), Some(now(17, 0)));
    // During it: it ends at 17:50.
    assert_eq!(
        next_change(Some(&s), now(17, 10), &London),
        Some(now(17, 50))
    );
    // After it: midnight comes before a day has passed.
    assert_eq!(
        next_change(Some(&s), now(18, 0), &London),
        Some(utc(2026, 3, 31, 23, 0))
    );
    // The next morning: a day after its end.
    assert_eq!(
        next_change(Some(&s), utc(2026, 4, 1, 8, 0), &London),
        Some(utc(2026, 4, 1, 16, 50))
    );
    assert_eq!(next_change(None, now(9, 0), &London), None);
}

/// Every Tuesday at 17:00 (London) with the given reminders on: before 60
/// minutes, after 15, a day later (24 h after the end).
fn rhythm_with(before: bool, after: bool, day_later: bool) -> SessionsState {
    let mut reminders = Reminders::default();
    reminders.before.on = before;
    reminders.after.on = after;
    reminders.day_later.on = day_later;
    SessionsState {
        schedule: Some(tuesdays()),
        reminders,
        ..Default::default()
    }
}

/// A due reminder, as the tests write it: when, and which.
type DueAt = Option<(DateTime<Utc>, ReminderKind)>;

fn plan(
    st: &SessionsState,
    check_ins: &[Record<CheckIn>],
    since: DateTime<Utc>,
    now: DateTime<Utc>,
) -> (DueAt, DueAt) {
    let p = plan_reminders(st, check_ins, since, now, &London);
    (
        p.show.map(|d| (d.at, d.kind)),
        p.next.map(|d| (d.at, d.kind)),
    )
}

// 31 March 2026 is BST: the session runs 16:00-16:50 UTC; "before" is
// due at 15:00, "after" at 17:05, "a day later" on 1 April at 16:50 UTC.
// 7 April: "before" at 15:00 UTC.

/// When the reminder `kind` of the 31 March session is due at the default
/// offsets (above), and which.
fn due_31_march(kind: ReminderKind) -> (DateTime<Utc>, ReminderKind) {
    let at = match kind {
        ReminderKind::Before => utc(2026, 3, 31, 15, 0),
        ReminderKind::After => utc(2026, 3, 31, 17, 5),
        ReminderKind::DayLater => utc(2026, 4, 1, 16, 50),
    };
    (at, kind)
}

#[test]
fn the_timer_waits_for_nothing_while_every_reminder_is_off_or_no_schedule_is_set() {
    let long_ago = utc(2026, 1, 1, 0, 0);
    let now = utc(2026, 3, 31, 17, 30);
    assert_eq!(
        plan(&rhythm_with(false, false, false), &[], long_ago, now),
        (None, None)
    );
    let mut none = rhythm_with(true, true, true);
    none.schedule = None;
    assert_eq!(plan(&none, &[], long_ago, now), (None, None));
}

#[test]
fn the_timer_waits_for_the_next_chosen_moment_and_shows_it_when_it_comes() {
    let st = rhythm_with(true, true, true);
    // Thursday 26 March (the day-later reminder of 24 March is past).
    let now = utc(2026, 3, 26, 12, 0);
    // On start (nothing dealt with before now): nothing to show, wait for
    // the "before" of 31 March.
    let before = due_31_march(ReminderKind::Before);
    let after = due_31_march(ReminderKind::After);
    let day_later = due_31_march(ReminderKind::DayLater);
    assert_eq!(plan(&st, &[], now, now), (None, Some(before)));
    // The timer fires a few seconds late: that one is shown, the next is
    // "after".
    let fired = utc(2026, 3, 31, 15, 0) + Duration::seconds(3);
    assert_eq!(plan(&st, &[], now, fired), (Some(before), Some(after)));
    assert_eq!(
        plan(&st, &[], fired, utc(2026, 3, 31, 17, 5)),
        (Some(after), Some(day_later))
    );
    // Only the reminders chosen: with just "a day later", the first wait
    // is a day after the session.
    let only_later = rhythm_with(false, false, true);
    assert_eq!(plan(&only_later, &[], now, now), (None, Some(day_later)));
}

#[test]
fn a_late_timer_shows_only_the_latest_reminder_that_still_makes_sense() {
    let st = rhythm_with(true, true, true);
    let since = utc(2026, 3, 31, 14, 0);
    // Asleep from before "before" until after the session started: the
    // agenda reminder is pointless now, nothing is shown.
    assert_eq!(
        plan(&st, &[], since, utc(2026, 3, 31, 16, 10)),
        (None, Some(due_31_march(ReminderKind::After)))
    );
    // Asleep through "before" and "after": one notification, the check-in
    // one, not two.
    assert_eq!(
        plan(&st, &[], since, utc(2026, 3, 31, 17, 30)),
        (
            Some(due_31_march(ReminderKind::After)),
            Some(due_31_march(ReminderKind::DayLater))
        )
    );
    // A check-in reminder more than two weeks late is not shown.
    let once = SessionsState {
        schedule: Some(Schedule::one_off(
            vec![at(2026, 3, 31, 17, 0)],
            50,
            "u".into(),
        )),
        ..rhythm_with(false, true, false)
    };
    assert_eq!(
        plan(&once, &[], since, utc(2026, 4, 14, 16, 50)),
        (None, None)
    );
    assert_eq!(
        plan(&once, &[], since, utc(2026, 4, 14, 16, 49)),
        (Some(due_31_march(ReminderKind::After)), None)
    );
}

#[test]
fn a_check_in_for_the_session_drops_its_day_later_reminder() {
    let st = rhythm_with(true, false, true);
    let checked = [check_in(at(2026, 3, 31, 18, 0))];
    let now = utc(2026, 3, 31, 17, 10);
    // Not armed for it at all: the next wait is the following week's.
    assert_eq!(
        plan(&st, &checked, now, now),
        (None, Some((utc(2026, 4, 7, 15, 0), ReminderKind::Before)))
    );
    // And not shown if the check-in came while the timer was waiting.
    assert_eq!(plan(&st, &checked, now, utc(2026, 4, 1, 16, 51)).0, None);
    // Without the check-in it is.
    assert_eq!(
        plan(&st, &[], now, utc(2026, 4, 1, 16, 51)).0,
        Some(due_31_march(ReminderKind::DayLater))
    );
}

#[test]
fn a_clock_set_back_shows_nothing_twice() {
    let st = rhythm_with(true, true, false);
    // "Before" was shown at 15:00; the clock then goes back to 14:30.
    let since = utc(2026, 3, 31, 15, 0);
    assert_eq!(
        plan(&st, &[], since, utc(2026, 3, 31, 14, 30)),
        (None, Some(due_31_march(ReminderKind::After)))
    );
}

#[test]
fn nothing_is_due_for_a_paused_week_or_after_the_schedule_ends() {
    // A break over 31 March: the first wait is for 7 April.
    let mut paused = rhythm_with(true, true, true);
    paused
        .schedule
        .as_mut()
        .unwrap()
        .pause(day(2026, 3, 30), Some(day(2026, 4, 5)));
    let now = utc(2026, 3, 26, 12, 0);
    assert_eq!(
        plan(&paused, &[], now, now).1,
        Some((utc(2026, 4, 7, 15, 0), ReminderKind::Before))
    );
    // Ended after the 31 March session: its check-in reminders still
    // come (it was held), then nothing, and no "before" for 7 April.
    let mut ended = rhythm_with(true, true, true);
    let end = utc(2026, 3, 31, 16, 55);
    ended.schedule.as_mut().unwrap().end(end, &London);
    assert_eq!(
        plan(&ended, &[], end, end).1,
        Some(due_31_march(ReminderKind::After))
    );
    let after_last = utc(2026, 4, 1, 16, 50);
    assert_eq!(plan(&ended, &[], after_last, after_last), (None, None));
    // Ended between sessions: no "before" ever again.
    let mut early = rhythm_with(true, false, false);
    early.schedule.as_mut().unwrap().end(now, &London);
    assert_eq!(plan(&early, &[], now, now), (None, None));
}

//! The session rhythm, driven by accessible label with a fixed clock
//! (`App::set_now`): session times set from Home in a few taps; Home's
//! Next session card before, on the day of, during and after a session;
//! "How did it go?" opens a check-in for that session with the concern
//! raised in it linked; the day-later line appears once; skip, move,
//! pause, resume and end; reminders one by one; "Add to my calendar"
//! writes a file that an independent parser reads.

use chrono::{DateTime, Local, NaiveDate, NaiveDateTime, TimeZone, Utc};
use common_ground::core::model::{CheckIn, Concern, ConcernState, Data, Outcome, Record};
use common_ground::core::sessions::{Repeat, Schedule};
use common_ground::ui::{CheckInAdapter, CheckInView, Nav, Page};
use slint::ComponentHandle;

use crate::harness::Harness;

fn at(m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, m, d)
        .unwrap()
        .and_hms_opt(h, min, 0)
        .unwrap()
}

/// The instant of a local wall-clock time on this machine.
fn local(m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Local
        .from_local_datetime(&at(m, d, h, min))
        .earliest()
        .unwrap()
        .with_timezone(&Utc)
}

fn record<T>(id: &str, body: T) -> Record<T> {
    Record {
        id: id.into(),
        created: local(3, 1, 9, 0),
        updated: local(3, 1, 9, 0),
        body,
    }
}

const QUIET: &str =
    "Some reactions only surface a day or so later. The check-in is here if you want it.";

/// Every Tuesday at 17:00 from 3 March 2026 (31 March is a Tuesday), a
/// check-in for 24 March, one concern on the agenda and one raised during
/// the 31 March session.
fn tuesdays() -> Data {
    let mut d = Data::default();
    d.sessions.schedule = Some(Schedule::repeating(
        Repeat::Weekly,
        at(3, 3, 17, 0),
        50,
        "ui".into(),
    ));
    d.check_ins.push(record(
        "r1",
        CheckIn {
            when: at(3, 24, 17, 0),
            mood: 6,
            ..Default::default()
        },
    ));
    d.concerns.push(record(
        "r2",
        Concern {
            what_happened: "The homework felt like a test".into(),
            state: ConcernState::Ready,
            step: 7,
            ..Default::default()
        },
    ));
    d.prepare.agenda = vec!["r2".into()];
    d.concerns.push(record(
        "r3",
        Concern {
            what_happened: "We rushed past the hard part".into(),
            state: ConcernState::Raised,
            step: 7,
            outcome: Outcome {
                raised_at: Some(local(3, 31, 17, 30)),
                ..Default::default()
            },
            ..Default::default()
        },
    ));
    d.next_id = 3;
    d
}

/// The app on [`tuesdays`], at `now`.
fn tuesdays_at(now: DateTime<Utc>) -> Harness {
    let h = Harness::with_data(tuesdays());
    at_time(&h, now);
    h
}

/// The app on [`tuesdays`] at noon the day before the 31 March session,
/// on Session times (opened from Settings).
fn session_times_the_day_before() -> Harness {
    let h = tuesdays_at(local(3, 30, 12, 0));
    go(&h, Page::Settings);
    h.click("Session times and reminders");
    h
}

fn at_time(h: &Harness, now: DateTime<Utc>) {
    h.app.set_now(Some(now));
    h.settle();
}

fn current(h: &Harness) -> Page {
    h.app.window.global::<Nav>().get_current()
}

fn go(h: &Harness, page: Page) {
    h.app.window.global::<Nav>().invoke_go(page);
    h.settle();
}

/// Where the text `text` is on screen, from the top.
fn top_of(h: &Harness, text: &str) -> f32 {
    h.all(text)
        .first()
        .unwrap_or_else(|| panic!("{text:?} is shown; texts: {:?}", h.texts()))
        .absolute_position()
        .y
}

#[test]
fn a_weekly_schedule_is_set_from_home_in_a_few_taps() {
    let h = Harness::new();
    at_time(&h, local(3, 25, 12, 0)); // a Wednesday
    assert!(h.shows("Nothing on your agenda yet"), "{:?}", h.texts());
    h.click("Set session times");
    assert_eq!(current(&h), Page::Settings);
    assert!(h.shows("When are your sessions?"), "{:?}", h.texts());
    h.click("Tue");
    assert!(h.is_checked("Tue"));
    assert!(!h.is_checked("Wed"));
    h.type_into("Time (like 17:00)", "17:00");
    assert!(h.is_checked("Every week"));
    h.click("Save session times");
    assert!(h.shows_containing("Saved. Home now follows these times."));
    let s = h
        .app
        .with_data(|d| d.sessions.schedule.clone())
        .expect("a schedule");
    assert_eq!(s.repeat, Repeat::Weekly);
    assert_eq!(s.first, at(3, 31, 17, 0));
    assert!(h.shows("Every Tuesday at 17:00"), "{:?}", h.texts());
    // Back on Home, which now knows when the next session is.
    h.click("Back to Home");
    assert_eq!(current(&h), Page::Home);
    assert!(h.shows("Tuesday at 17:00"), "{:?}", h.texts());
    // Reminders stay off until chosen.
    h.app.with_data(|d| {
        assert!(!d.sessions.reminders.before.on);
        assert!(!d.sessions.reminders.after.on);
        assert!(!d.sessions.reminders.day_later.on);
    });
    // It is kept.
    let h = h.restart();
    at_time(&h, local(3, 25, 12, 0));
    assert!(h.shows("Tuesday at 17:00"), "{:?}", h.texts());
}

#[test]
fn every_two_weeks_and_a_one_off_date() {
    let h = Harness::new();
    at_time(&h, local(3, 25, 12, 0));
    go(&h, Page::Settings);
    h.click("Session times and reminders");
    h.click("Thu");
    h.type_into("Time (like 17:00)", "9:30");
    h.click("Every two weeks");
    h.click("Save session times");
    let s = h.app.with_data(|d| d.sessions.schedule.clone()).unwrap();
    assert_eq!(s.repeat, Repeat::Fortnightly);
    assert_eq!(s.first, at(3, 26, 9, 30));
    assert!(h.shows("Every other Thursday at 09:30"), "{:?}", h.texts());
    // Dates one by one instead, each chosen by tapping: a week from
    // today to start from, said in full.
    h.click("On a date");
    assert!(h.shows("Wednesday 1 April"), "{:?}", h.texts());
    h.click("Next day");
    assert!(h.shows("Thursday 2 April"), "{:?}", h.texts());
    h.type_into("Time (like 17:00)", "18:15");
    h.click("Save session times");
    let s = h.app.with_data(|d| d.sessions.schedule.clone()).unwrap();
    assert_eq!(s.repeat, Repeat::OneOff);
    assert_eq!(s.extra, vec![at(4, 2, 18, 15)]);
    // The next date to add starts a week on.
    assert!(h.shows("Thursday 9 April"), "{:?}", h.texts());
    h.click("Add this date");
    assert!(h.shows_containing("Added."));
    let s = h.app.with_data(|d| d.sessions.schedule.clone()).unwrap();
    assert_eq!(s.extra, vec![at(4, 2, 18, 15), at(4, 9, 18, 15)]);
}

#[test]
fn a_one_off_date_is_chosen_by_tapping_and_days_gone_by_are_refused() {
    let h = Harness::new();
    at_time(&h, local(3, 25, 12, 0)); // a Wednesday
    h.click("Set session times");
    h.click("On a date");
    // No date to type: the field is gone, the day is said in full.
    assert!(h.all("Date (year-month-day, like 2026-04-07)").is_empty());
    assert!(h.shows("Wednesday 1 April"), "{:?}", h.texts());
    assert!(h.shows("In 7 days"));
    // Quick choices count from today; steps from the day shown.
    h.click("Tomorrow");
    assert!(h.shows("Thursday 26 March"), "{:?}", h.texts());
    h.click("A month later");
    assert!(h.shows("Sunday 26 April"), "{:?}", h.texts());
    h.click("A week earlier");
    h.click("Previous day");
    assert!(h.shows("Saturday 18 April"), "{:?}", h.texts());
    assert!(h.shows("In 24 days"));
    // Through the accessibility API alone, and the new day is said on the
    // button pressed (its description), so a screen reader hears it.
    h.activate("Next day");
    assert_eq!(
        h.find("Next day")
            .accessible_description()
            .unwrap_or_default(),
        "Sunday 19 April. In 25 days"
    );
    // Before today is refused, calmly, and the day stays.
    h.click("In a week");
    h.click("A week earlier");
    assert!(h.shows("Today"), "{:?}", h.texts());
    h.click("Previous day");
    assert!(
        h.shows_containing("That would be before today, so the day stays as it is."),
        "{:?}",
        h.texts()
    );
    assert!(h.shows("Wednesday 25 March"));
    // Today is fine, as long as the time is still ahead.
    h.type_into("Time (like 17:00)", "9:00");
    h.click("Save session times");
    assert!(h.shows_containing("That time has already passed."));
    assert!(h.app.with_data(|d| d.sessions.schedule.is_none()));
    h.type_into("Time (like 17:00)", "18:00");
    h.click("Save session times");
    assert!(h.shows_containing("Saved."), "{:?}", h.texts());
    let s = h.app.with_data(|d| d.sessions.schedule.clone()).unwrap();
    assert_eq!(s.extra, vec![at(3, 25, 18, 0)]);
    // The refusal went with the next good tap.
    assert!(!h.shows_containing("That would be before today"));
    // Next year's days say their year.
    for _ in 0..12 {
        h.click("A month later");
    }
    assert!(h.shows("Thursday 1 April 2027"), "{:?}", h.texts());
}

#[test]
fn a_time_that_is_not_a_time_is_explained_and_nothing_is_saved() {
    let h = Harness::new();
    at_time(&h, local(3, 25, 12, 0));
    h.click("Set session times");
    h.type_into("Time (like 17:00)", "teatime");
    h.click("Save session times");
    assert!(h.shows_containing("Please give a time like 17:00."));
    assert!(h.app.with_data(|d| d.sessions.schedule.is_none()));
    h.click("Back to Home");
    assert_eq!(current(&h), Page::Home);
}

#[test]
fn home_follows_the_rhythm_before_on_and_after_a_session() {
    // Sunday: before, with the agenda and the in-session view a tap away.
    let h = tuesdays_at(local(3, 29, 12, 0));
    assert!(
        h.shows("Tuesday at 17:00: 1 thing to raise"),
        "{:?}",
        h.texts()
    );
    assert!(h.try_find("In-session view").is_some());
    assert!(h.try_find("Check in about it").is_none());
    // Monday: tomorrow.
    at_time(&h, local(3, 30, 12, 0));
    assert!(h.shows("Tomorrow at 17:00: 1 thing to raise"));
    // Tuesday morning: on the day the agenda comes first, above the
    // question about the concern raised before.
    at_time(&h, local(3, 31, 9, 0));
    assert!(h.shows("Today at 17:00: 1 thing to raise"));
    assert!(
        top_of(&h, "Today at 17:00: 1 thing to raise") < top_of(&h, "Say how it went"),
        "the agenda first"
    );
    h.click("In-session view");
    assert_eq!(current(&h), Page::Prepare);
    go(&h, Page::Home);
    // During the session.
    at_time(&h, local(3, 31, 17, 20));
    assert!(h.shows("Now: 1 thing to raise"), "{:?}", h.texts());
    // After it: "How did it go?" first, about that session.
    at_time(&h, local(3, 31, 18, 0));
    assert!(
        h.shows_containing("Your session today at 17:00."),
        "{:?}",
        h.texts()
    );
    assert!(h.try_find("Check in about it").is_some());
    assert!(top_of(&h, "How did it go?") < top_of(&h, "NEXT SESSION"));
    // The next one is still shown, with its date as it is a week away.
    assert!(
        h.shows("Tuesday 7 April at 17:00: 1 thing to raise"),
        "{:?}",
        h.texts()
    );
}

#[test]
fn how_did_it_go_opens_a_check_in_for_that_session_with_its_concern_linked() {
    let h = tuesdays_at(local(3, 31, 18, 30));
    h.click("Check in about it");
    assert_eq!(current(&h), Page::CheckIn);
    let a = h.app.window.global::<CheckInAdapter>();
    assert_eq!(a.get_view(), CheckInView::Form);
    assert_eq!(a.get_date_text(), "2026-03-31");
    assert_eq!(a.get_time_text(), "17:00");
    assert!(
        h.is_checked("We rushed past the hard part"),
        "{:?}",
        h.labels()
    );
    h.find("My mood now").set_accessible_value("7");
    h.settle();
    h.click("Save check-in");
    let saved = h
        .app
        .with_data(|d| d.check_ins.last().unwrap().body.clone());
    assert_eq!(saved.when, at(3, 31, 17, 0));
    assert_eq!(saved.concerns, vec!["r3".to_string()]);
    // Home no longer asks about that session.
    go(&h, Page::Home);
    assert!(h.try_find("Check in about it").is_none());
    assert!(h.try_find("Quick check-in").is_some());
    assert!(h.shows("Tuesday 7 April at 17:00: 1 thing to raise"));
}

#[test]
fn a_day_later_the_quiet_line_appears_once() {
    // Before a day has passed: no line.
    let h = Harness::with_data_at(tuesdays(), local(4, 1, 9, 0));
    assert!(h.try_find("Check in about it").is_some());
    assert!(!h.shows(QUIET));
    // A day after the end: the line, and it is remembered as shown.
    at_time(&h, local(4, 1, 18, 0));
    assert!(h.shows(QUIET), "{:?}", h.texts());
    h.wait_for("the line is stored as shown", |h| {
        h.app
            .with_data(|d| d.sessions.quiet_line_shown == Some(at(3, 31, 17, 0)))
    });
    // It stays while the app is open ...
    at_time(&h, local(4, 1, 19, 0));
    assert!(h.shows(QUIET));
    // ... and never comes back; "How did it go?" stays, with no count.
    let h = h.restart_at(local(4, 2, 9, 0));
    assert!(h.try_find("Check in about it").is_some());
    assert!(!h.shows(QUIET));
    assert!(!h.shows_containing("missed"));
}

#[test]
fn skip_move_pause_resume_and_end() {
    let h = tuesdays_at(local(3, 30, 12, 0));
    go(&h, Page::Settings);
    assert!(h.shows("Every Tuesday at 17:00"), "{:?}", h.texts());
    h.click("Session times and reminders");
    assert!(h.shows("Next: Tomorrow at 17:00"), "{:?}", h.texts());
    h.click("Skip it");
    assert!(h.reveal_text("Skipped."), "{:?}", h.texts());
    let skipped = h
        .app
        .with_data(|d| d.sessions.schedule.clone().unwrap().skipped);
    assert_eq!(skipped, vec![at(3, 31, 0, 0).date()]);
    assert!(
        h.reveal_text("Next: Tuesday 7 April at 17:00"),
        "{:?}",
        h.texts()
    );
    // Move that one to the Wednesday: from its own day and time, a tap
    // for the day and the hour typed.
    h.click("Move it");
    assert!(h.shows("Tuesday 7 April"), "{:?}", h.texts());
    assert_eq!(h.value_of("New time (like 17:00)"), "17:00");
    h.click("Next day");
    assert!(h.shows("Wednesday 8 April"), "{:?}", h.texts());
    h.type_into("New time (like 17:00)", "10:00");
    h.click("Move the session");
    assert!(h.reveal_text("Moved."), "{:?}", h.texts());
    let s = h.app.with_data(|d| d.sessions.schedule.clone().unwrap());
    assert!(s.skipped.contains(&at(4, 7, 0, 0).date()));
    assert_eq!(s.extra, vec![at(4, 8, 10, 0)]);
    // A break until resumed: Home says so, and resumes from there.
    h.click("Pause for a break");
    assert!(h.is_checked("Until I resume"));
    h.click("Start the break");
    assert!(h.reveal_text("Paused."), "{:?}", h.texts());
    h.click("Back to Settings");
    go(&h, Page::Home);
    assert!(h.shows("Sessions are paused"), "{:?}", h.texts());
    h.click("Resume sessions");
    assert!(
        h.shows("Wednesday 8 April at 10:00: 1 thing to raise"),
        "{:?}",
        h.texts()
    );
    // Ended: nothing ahead, and times can be set again.
    go(&h, Page::Settings);
    h.click("Session times and reminders");
    // Ending asks first; "Keep them" changes nothing.
    h.click("End these sessions");
    assert!(h.try_find("End them").is_some(), "{:?}", h.labels());
    assert!(h.is_checked("End these sessions"), "it shows what it asks");
    h.click("Keep them");
    h.app
        .with_data(|d| assert_eq!(d.sessions.schedule.as_ref().unwrap().until, None));
    assert!(h.try_find("End them").is_none(), "{:?}", h.labels());
    // From the keyboard, "Keep them" gives focus back to where it started.
    assert!(h.tab_to("End these sessions"));
    h.press_text(" ");
    assert!(h.tab_to("Keep them"));
    h.press(slint::platform::Key::Return);
    h.settle();
    // Asked before anything is looked up: a lookup may scroll, and a
    // scroll, like a tap, takes the keyboard focus away.
    assert_eq!(
        h.focused().map(|(l, _)| l).as_deref(),
        Some("End these sessions")
    );
    assert!(h.try_find("End them").is_none(), "{:?}", h.labels());
    h.click("End these sessions");
    h.click("End them");
    assert!(h.reveal_text("Ended."), "{:?}", h.texts());
    go(&h, Page::Home);
    h.app.with_data(|d| assert!(d.sessions.schedule.is_some()));
    assert!(
        h.try_find("Set session times").is_some(),
        "{:?}",
        h.labels()
    );
}

#[test]
fn a_break_until_a_chosen_day_ends_by_itself() {
    // Monday 30 March; the sessions are on Tuesdays.
    let h = session_times_the_day_before();
    h.click("Pause for a break");
    h.click("Until a day I choose");
    // Two weeks to start from: Monday 13 April. The break takes in the
    // Tuesday after it.
    assert!(h.shows("Monday 13 April"), "{:?}", h.texts());
    h.click("Next day");
    assert!(h.shows("Tuesday 14 April"), "{:?}", h.texts());
    // Before today is refused here too.
    h.click("A month earlier");
    assert!(h.shows_containing("That would be before today"));
    assert!(h.shows("Tuesday 14 April"));
    h.click("Start the break");
    assert!(
        h.reveal_text("Paused. Sessions come back by themselves after Tuesday 14 April."),
        "{:?}",
        h.texts()
    );
    let s = h.app.with_data(|d| d.sessions.schedule.clone().unwrap());
    assert_eq!(s.pauses.len(), 1);
    assert_eq!(s.pauses[0].from, at(3, 30, 0, 0).date());
    assert_eq!(s.pauses[0].until, Some(at(4, 14, 0, 0).date()));
    // Shown with its end, and the first session after it is next.
    assert!(
        h.reveal_text("Paused until Tuesday 14 April"),
        "{:?}",
        h.texts()
    );
    assert!(
        h.reveal_text("Next: Tuesday 21 April at 17:00"),
        "{:?}",
        h.texts()
    );
    assert!(h.try_find("Resume sessions").is_some());
    h.click("Back to Settings");
    assert!(h.shows("Paused until Tuesday 14 April"), "{:?}", h.texts());
    // Home counts down to that session, with nothing to resume.
    go(&h, Page::Home);
    assert!(
        h.shows_containing("Tuesday 21 April at 17:00"),
        "{:?}",
        h.texts()
    );
    assert!(!h.shows("Sessions are paused"));
    // ... and says until when sessions are paused.
    assert!(h.shows("Paused until Tuesday 14 April"), "{:?}", h.texts());
    // On its last day it is still on; the day after, it is over by itself.
    at_time(&h, local(4, 14, 18, 0));
    go(&h, Page::Settings);
    assert!(h.shows("Paused until Tuesday 14 April"), "{:?}", h.texts());
    at_time(&h, local(4, 15, 9, 0));
    go(&h, Page::Home);
    assert!(!h.shows("Paused until Tuesday 14 April"), "{:?}", h.texts());
    go(&h, Page::Settings);
    assert!(h.shows("Every Tuesday at 17:00"), "{:?}", h.texts());
    h.click("Session times and reminders");
    assert!(h.try_find("Resume sessions").is_none());
    assert!(h.try_find("Pause for a break").is_some());
    assert!(h.reveal_text("Next: Tuesday at 17:00"), "{:?}", h.texts());
    // It is kept as it was: nothing had to be resumed.
    let s = h.app.with_data(|d| d.sessions.schedule.clone().unwrap());
    assert_eq!(s.pauses[0].until, Some(at(4, 14, 0, 0).date()));
}

#[test]
fn reminders_are_off_until_chosen_one_by_one() {
    let h = session_times_the_day_before();
    for r in ["Before a session", "After a session", "A day later"] {
        assert!(!h.is_checked(r), "{r} is off to start with");
    }
    h.click("Before a session");
    assert!(h.is_checked("Before a session"));
    assert!(!h.is_checked("After a session"));
    h.app.with_data(|d| {
        assert!(d.sessions.reminders.before.on);
        assert_eq!(d.sessions.reminders.before.minutes, 60);
        assert!(!d.sessions.reminders.after.on);
    });
    assert!(h.is_checked("1 hour"));
    h.click("1 day");
    assert_eq!(
        h.app.with_data(|d| d.sessions.reminders.before.minutes),
        1440
    );
    h.click("A day later");
    h.click("2 days");
    h.app.with_data(|d| {
        assert!(d.sessions.reminders.day_later.on);
        assert_eq!(d.sessions.reminders.day_later.minutes, 2880);
        assert_eq!(d.sessions.reminders.before.minutes, 1440);
    });
    h.click("Before a session");
    assert!(!h.app.with_data(|d| d.sessions.reminders.before.on));
}

#[test]
fn add_to_my_calendar_writes_a_file_that_parses() {
    let h = session_times_the_day_before();
    h.click("Before a session");
    assert_eq!(h.value_of("Title in your calendar"), "");
    let out = h.dir.parent().unwrap().join("sessions.ics");
    h.type_into("Save to", &out.display().to_string());
    h.click("Add to my calendar");
    h.wait_for("the calendar file", |h| h.shows_containing("Saved to"));
    let text = std::fs::read_to_string(&out).expect("written");
    assert!(text.contains("RRULE:FREQ=WEEKLY"), "{text}");
    assert!(text.contains("SUMMARY:Appointment"), "{text}");
    assert_eq!(text.matches("BEGIN:VALARM").count(), 1, "{text}");
    // Nothing the user wrote goes in.
    assert!(!text.contains("homework") && !text.contains("rushed"));

    // An independent parser reads it too.
    let Some(v) = crate::calendar_common::python_reads(&out) else {
        return;
    };
    let events = v["events"].as_array().unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["summary"], "Appointment");
    assert_eq!(events[0]["alarms"].as_array().unwrap().len(), 1);
}

#[test]
fn session_times_work_on_a_small_phone_at_200_percent_and_every_control_is_named() {
    let h = Harness::with_data(tuesdays());
    h.resize(crate::harness::SMALL);
    h.app.with_data(|d| assert_eq!(d.settings.text_scale, 100));
    go(&h, Page::Settings);
    h.click("200%");
    at_time(&h, local(3, 30, 12, 0));
    h.click("Session times and reminders");
    // The weekdays two to a row, each a touch target that is not cut.
    for day in ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] {
        let chip = h.find(day);
        assert!(chip.size().height >= 48.0, "{day} is a touch target");
        assert!(chip.size().width <= 320.0, "{day} fits");
    }
    h.click("Fri");
    h.type_into("Time (like 17:00)", "8am");
    h.click("Save session times");
    assert_eq!(
        h.app
            .with_data(|d| d.sessions.schedule.clone().unwrap().first),
        at(4, 3, 8, 0)
    );
    // Each day chooser's buttons too, never cut.
    h.click("Move it");
    for control in [
        "Previous day",
        "Next day",
        "A week earlier",
        "A week later",
        "A month earlier",
        "A month later",
        "Tomorrow",
        "In a week",
    ] {
        let e = h.find(control);
        assert!(e.size().height >= 48.0, "{control} is a touch target");
        assert!(
            e.absolute_position().x >= 0.0 && e.absolute_position().x + e.size().width <= 320.0,
            "{control} fits"
        );
    }
    h.click("Pause for a break");
    h.click("Until a day I choose");
    for control in ["In two weeks", "In a month", "Start the break"] {
        let e = h.find(control);
        assert!(e.size().height >= 48.0, "{control} is a touch target");
    }
    for control in [
        "Skip it",
        "Move it",
        "Pause for a break",
        "End these sessions",
        "Before a session",
        "After a session",
        "A day later",
        "Title in your calendar",
        "Save to",
        "Add to my calendar",
        "Back to Settings",
    ] {
        let e = h.find(control);
        assert!(e.size().height >= 48.0, "{control} is a touch target");
    }
    assert!(h.unknown_roles().is_empty(), "{:?}", h.unknown_roles());
}

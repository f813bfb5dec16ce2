//! Session times (`RhythmAdapter`), a page shown in Settings' place and
//! opened from Settings or from Home's Next session card: when sessions
//! are (a weekday and a time every week or two, or dates one by one),
//! skip, move, pause (until resumed or to a day chosen), resume and end,
//! with days chosen by tapping (`core::days`), never typed; the reminders,
//! each off until chosen, with its own offset; the calendar entries'
//! title; and "Add to my calendar", which is the Export flow's own file
//! field and Save for the calendar file (`DataAdapter.prepare-save`, written on the worker by
//! `core::calendar` through `core::export`). The rules are in
//! `core::sessions`; times are this device's wall clock, and "now" is
//! [`Shared::now`] (fixed in tests and screenshots).

use std::cell::Cell;
use std::rc::Rc;

use chrono::{Datelike, Duration, Local, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use slint::{ComponentHandle, SharedString};

use super::changes::Slices;
use super::clock::{chosen_day, moment};
use super::shared::{act, act1, act2, Page, Shared};
use crate::core::days::{self, Refusal};
use crate::core::sessions::{
    self, first_on, instant, ReminderKind, Repeat, Schedule, SessionsState, DEFAULT_MINUTES,
    MAX_OFFSET_MINUTES,
};
use crate::ui::{
    AppWindow, BreakEnd, DataAdapter, ExportKind, Nav, Page as Destination, ReminderChoice,
    ReminderSetting, RhythmAdapter, SessionRepeat, SessionsDay, SessionsNote,
};

/// The day on one of the page's day choosers, and why the last tap on it
/// kept it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Chosen {
    day: NaiveDate,
    refused: Option<Refusal>,
}

impl Chosen {
    fn new(day: NaiveDate) -> Self {
        Chosen { day, refused: None }
    }
}

/// The page's three day choosers: a one-off session's date, the day the
/// next session moves to, a break's last day.
#[derive(Clone, Copy, Debug)]
struct Chosens {
    one_off: Chosen,
    moved_to: Chosen,
    break_end: Chosen,
}

impl Chosens {
    /// A week ahead for a session, two weeks for a break.
    fn starting(today: NaiveDate) -> Self {
        Chosens {
            one_off: Chosen::new(today + Duration::days(7)),
            moved_to: Chosen::new(today + Duration::days(7)),
            break_end: Chosen::new(today + Duration::days(14)),
        }
    }
    fn get_mut(&mut self, which: SessionsDay) -> &mut Chosen {
        match which {
            SessionsDay::OneOff => &mut self.one_off,
            SessionsDay::MovedTo => &mut self.moved_to,
            SessionsDay::BreakEnd => &mut self.break_end,
        }
    }
}

pub(crate) struct RhythmPage {
    shared: Rc<Shared>,
    chosen: Cell<Chosens>,
}

fn kind_of(c: ReminderChoice) -> ReminderKind {
    match c {
        ReminderChoice::Before => ReminderKind::Before,
        ReminderChoice::After => ReminderKind::After,
        ReminderChoice::DayLater => ReminderKind::DayLater,
    }
}

fn repeat_of(r: SessionRepeat) -> Repeat {
    match r {
        SessionRepeat::Weekly => Repeat::Weekly,
        SessionRepeat::Fortnightly => Repeat::Fortnightly,
        SessionRepeat::OneOff => Repeat::OneOff,
    }
}

fn ui_repeat(r: Repeat) -> SessionRepeat {
    match r {
        Repeat::Weekly => SessionRepeat::Weekly,
        Repeat::Fortnightly => SessionRepeat::Fortnightly,
        Repeat::OneOff => SessionRepeat::OneOff,
    }
}

/// Reads a time the ways people type one: "17:00", "17.00", "1700",
/// "9:30", "5pm", "5:30 pm".
fn parse_time(text: &str) -> Option<NaiveTime> {
    let lower = text.trim().to_lowercase().replace('.', ":");
    let (t, pm) = if let Some(t) = lower.strip_suffix("pm") {
        (t.trim(), Some(true))
    } else if let Some(t) = lower.strip_suffix("am") {
        (t.trim(), Some(false))
    } else {
        (lower.as_str(), None)
    };
    let time = NaiveTime::parse_from_str(t, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(t, "%H%M"))
        .ok()
        .or_else(|| {
            let hour: u32 = t.parse().ok()?;
            NaiveTime::from_hms_opt(hour, 0, 0)
        })?;
    match pm {
        None => Some(time),
        Some(_) if time.hour() == 0 || time.hour() > 12 => None,
        Some(pm) => {
            let hour = time.hour() % 12 + if pm { 12 } else { 0 };
            time.with_hour(hour)
        }
    }
}

impl RhythmPage {
    pub fn install(shared: &Rc<Shared>, ui: &AppWindow) -> Rc<RhythmPage> {
        let today = shared.local_now().date();
        let page = Rc::new(RhythmPage {
            shared: shared.clone(),
            chosen: Cell::new(Chosens::starting(today)),
        });
        let a = ui.global::<RhythmAdapter>();
        a.on_open_page(act1(&page, |p, from_home| p.open(from_home)));
        a.on_close(act(&page, |p| p.close()));
        a.on_save_schedule(act(&page, |p| p.save_schedule()));
        a.on_move_next(act(&page, |p| p.move_next()));
        a.on_skip_next(act(&page, |p| {
            let now = p.shared.now();
            p.change_schedule(SessionsNote::Skipped, |s| {
                if let Some(next) = s.next_start(now, &Local) {
                    s.skip(&next);
                }
            })
        }));
        a.on_step_day(act2(&page, |p, which, step| p.step_day(which, step)));
        a.on_toggle_move(act(&page, |p| p.toggle_move()));
        a.on_toggle_pause(act(&page, |p| p.toggle_pause()));
        a.on_pause(act(&page, |p| p.start_break()));
        a.on_resume(act(&page, |p| {
            let today = p.shared.local_now().date();
            p.change_schedule(SessionsNote::Resumed, |s| s.resume(today))
        }));
        a.on_end_schedule(act(&page, |p| {
            let now = p.shared.now();
            p.change_schedule(SessionsNote::Ended, |s| s.end(now, &Local))
        }));
        a.on_set_reminder(act2(&page, |p, choice, on| {
            p.shared.change_soon(Slices::SESSIONS, |d| {
                d.sessions.reminders.get_mut(kind_of(choice)).on = on;
            });
        }));
        a.on_set_offset(act2(&page, |p, choice, minutes: i32| {
            let minutes = minutes.clamp(0, MAX_OFFSET_MINUTES as i32) as u32;
            p.shared.change_soon(Slices::SESSIONS, |d| {
                d.sessions.reminders.get_mut(kind_of(choice)).minutes = minutes;
            });
        }));
        a.on_title_edited(act1(&page, |p, text: SharedString| {
            // Typing: saved after a pause, and nothing else to show.
            p.shared
                .change(Slices::NONE, |d| d.sessions.set_title(&text));
        }));
        shared.subscribe(&page, Slices::SESSIONS | Slices::STORE | Slices::TIME);
        page
    }

    /// Opens the page with the times as they are (or, with none set yet,
    /// today's weekday, every week, to start from) and goes to it.
    fn open(&self, from_home: bool) {
        let Some(ui) = self.shared.window.upgrade() else {
            return;
        };
        let a = ui.global::<RhythmAdapter>();
        let today = self.shared.local_now().date();
        let schedule = self.shared.data(|d| d.sessions.schedule.clone());
        let (weekday, time, repeat) = match &schedule {
            Some(s) if s.repeat != Repeat::OneOff => {
                (s.first.weekday(), Some(s.first.time()), s.repeat)
            }
            Some(s) => (today.weekday(), Some(s.first.time()), Repeat::OneOff),
            None => (today.weekday(), None, Repeat::Weekly),
        };
        a.set_edit_weekday(weekday.num_days_from_monday() as i32);
        a.set_edit_time(
            time.map(|t| t.format("%H:%M").to_string())
                .unwrap_or_default()
                .into(),
        );
        a.set_edit_repeat(ui_repeat(repeat));
        self.chosen.set(Chosens::starting(today));
        a.set_moving(false);
        a.set_pausing(false);
        a.set_break_end(BreakEnd::WhenResumed);
        a.set_move_time(SharedString::default());
        self.show_days(&a, today);
        a.set_note(SessionsNote::None);
        a.set_from_home(from_home);
        a.set_open(true);
        // "Add to my calendar" is the Export flow's Save, for this file.
        ui.global::<DataAdapter>()
            .invoke_prepare_save(ExportKind::Calendar);
        ui.global::<Nav>().invoke_go(Destination::Settings);
    }

    fn close(&self) {
        let Some(ui) = self.shared.window.upgrade() else {
            return;
        };
        let a = ui.global::<RhythmAdapter>();
        a.set_open(false);
        a.set_note(SessionsNote::None);
        if a.get_from_home() {
            ui.global::<Nav>().invoke_go(Destination::Home);
        }
    }

    /// Changes the sessions, then says `note`.
    fn change(&self, note: SessionsNote, f: impl FnOnce(&mut SessionsState)) {
        self.shared
            .change_soon(Slices::SESSIONS, |d| f(&mut d.sessions));
        self.say(note);
    }

    /// Changes the schedule (when there is one), then says `note`.
    fn change_schedule(&self, note: SessionsNote, f: impl FnOnce(&mut Schedule)) {
        self.change(note, |st| {
            if let Some(s) = st.schedule.as_mut() {
                f(s);
            }
        });
    }

    fn say(&self, note: SessionsNote) {
        self.shared
            .in_window(|ui| ui.global::<RhythmAdapter>().set_note(note));
    }

    /// Saves the times chosen: a series from the next such weekday, or a
    /// date added to the dates one by one. The calendar id stays, so that
    /// a calendar file made again updates the entries made before.
    fn save_schedule(&self) {
        let Some(ui) = self.shared.window.upgrade() else {
            return;
        };
        let a = ui.global::<RhythmAdapter>();
        let Some(time) = parse_time(&a.get_edit_time()) else {
            return self.say(SessionsNote::NoTime);
        };
        let now = self.shared.now();
        let repeat = repeat_of(a.get_edit_repeat());
        if repeat == Repeat::OneOff {
            let day = self.chosen.get().one_off.day;
            let at = match ahead(day, &a.get_edit_time(), now) {
                Ok(at) => at,
                Err(note) => return self.say(note),
            };
            let mut added = false;
            self.shared.change_soon(Slices::SESSIONS, |d| {
                let schedule = &mut d.sessions.schedule;
                match schedule {
                    Some(s) if s.repeat == Repeat::OneOff => {
                        s.add_one_off(at);
                        added = true;
                    }
                    _ => {
                        let (uid, minutes) = keep(schedule.as_ref(), now);
                        *schedule = Some(Schedule::one_off(vec![at], minutes, uid));
                    }
                }
            });
            // Ready for the next date: a week on, as sessions often are.
            let today = self.shared.local_now().date();
            let next = days::step(at.date(), days::DayStep::NextWeek, today).unwrap_or(at.date());
            self.put_day(&a, SessionsDay::OneOff, next, today);
            return self.say(if added {
                SessionsNote::Added
            } else {
                SessionsNote::Saved
            });
        }
        let weekday = chrono::Weekday::try_from(a.get_edit_weekday().clamp(0, 6) as u8)
            .unwrap_or(chrono::Weekday::Mon);
        let first = first_on(weekday, time, self.shared.local_now());
        self.shared.change_soon(Slices::SESSIONS, |d| {
            let (uid, minutes) = keep(d.sessions.schedule.as_ref(), now);
            d.sessions.schedule = Some(Schedule::repeating(repeat, first, minutes, uid));
        });
        self.say(SessionsNote::Saved);
    }

    /// Moves the next session to the day chosen and the time typed.
    fn move_next(&self) {
        self.with_adapter(|a| {
            let now = self.shared.now();
            let day = self.chosen.get().moved_to.day;
            let to = match ahead(day, &a.get_move_time(), now) {
                Ok(to) => to,
                Err(note) => return self.say(note),
            };
            a.set_moving(false);
            self.change_schedule(SessionsNote::Moved, |s| {
                if let Some(next) = s.next_start(now, &Local) {
                    s.move_session(&next, to);
                }
            });
        });
    }

    /// A tap on one of the day choosers: the day it leads to, or the day
    /// kept and why (`core::days`).
    fn step_day(&self, which: SessionsDay, step: crate::ui::DayStep) {
        self.with_adapter(|a| {
            let today = self.shared.local_now().date();
            let mut chosen = self.chosen.get();
            let c = chosen.get_mut(which);
            *c = match days::step(c.day, step.into(), today) {
                Ok(day) => Chosen::new(day),
                Err(why) => Chosen {
                    day: c.day,
                    refused: Some(why),
                },
            };
            self.chosen.set(chosen);
            self.show_days(a, today);
        });
    }

    /// "Move it": opens the move from the next session's own day and time
    /// (so that moving it a day, or to another hour, is a tap or two), or
    /// closes it.
    fn toggle_move(&self) {
        self.with_adapter(|a| {
            a.set_pausing(false);
            if a.get_moving() {
                return a.set_moving(false);
            }
            let now = self.shared.now();
            let today = sessions::local_time(&Local, now).date();
            let next = self.shared.data(|d| {
                d.sessions
                    .schedule
                    .as_ref()
                    .and_then(|s| s.next_start(now, &Local))
            });
            let from = next.map_or(today + Duration::days(7), |n| n.start.date());
            a.set_move_time(
                next.map(|n| n.start.format("%H:%M").to_string())
                    .unwrap_or_default()
                    .into(),
            );
            self.put_day(a, SessionsDay::MovedTo, from, today);
            a.set_moving(true);
        });
    }

    /// "Pause for a break": opens its choices (until resumed, or to a day
    /// two weeks ahead to start from), or closes them.
    fn toggle_pause(&self) {
        self.with_adapter(|a| {
            a.set_moving(false);
            if a.get_pausing() {
                return a.set_pausing(false);
            }
            let today = self.shared.local_now().date();
            a.set_break_end(BreakEnd::WhenResumed);
            self.put_day(a, SessionsDay::BreakEnd, today + Duration::days(14), today);
            a.set_pausing(true);
        });
    }

    /// Starts a break from today: until resumed, or to its last day, after
    /// which sessions come back by themselves.
    fn start_break(&self) {
        self.with_adapter(|a| {
            let today = self.shared.local_now().date();
            let until = match a.get_break_end() {
                BreakEnd::WhenResumed => None,
                BreakEnd::OnADay => {
                    let mut chosen = self.chosen.get();
                    match days::allowed(chosen.break_end.day, today) {
                        Ok(day) => Some(day),
                        // The day went by while the page was open.
                        Err(why) => {
                            chosen.break_end.refused = Some(why);
                            self.chosen.set(chosen);
                            return self.show_days(a, today);
                        }
                    }
                }
            };
            a.set_pausing(false);
            let note = if until.is_some() {
                SessionsNote::PausedUntil
            } else {
                SessionsNote::Paused
            };
            self.change_schedule(note, |s| s.pause(today, until));
        });
    }

    /// Runs `f` with the page's adapter, while the window is open.
    fn with_adapter(&self, f: impl FnOnce(&RhythmAdapter)) {
        self.shared.in_window(|ui| f(&ui.global::<RhythmAdapter>()));
    }

    /// Puts `day` on the chooser `which` (no refusal) and shows the days.
    fn put_day(&self, a: &RhythmAdapter, which: SessionsDay, day: NaiveDate, today: NaiveDate) {
        let mut chosen = self.chosen.get();
        *chosen.get_mut(which) = Chosen::new(day);
        self.chosen.set(chosen);
        self.show_days(a, today);
    }

    /// The three choosers' days, in words counted from `today`.
    fn show_days(&self, a: &RhythmAdapter, today: NaiveDate) {
        let c = self.chosen.get();
        a.set_edit_day(chosen_day(c.one_off.day, today, c.one_off.refused));
        a.set_move_day(chosen_day(c.moved_to.day, today, c.moved_to.refused));
        a.set_break_day(chosen_day(c.break_end.day, today, c.break_end.refused));
    }
}

/// The moment of `date` at the `time` typed, if that reads and it is
/// still ahead of `now`; otherwise what to tell the user.
fn ahead(
    date: NaiveDate,
    time: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<NaiveDateTime, SessionsNote> {
    let time = parse_time(time).ok_or(SessionsNote::NoTime)?;
    let at = date.and_time(time);
    if instant(&Local, at) <= now {
        return Err(SessionsNote::Passed);
    }
    Ok(at)
}

/// The calendar id and session length of the schedule being replaced, or
/// new ones.
fn keep(schedule: Option<&Schedule>, now: chrono::DateTime<chrono::Utc>) -> (String, u32) {
    schedule.map_or_else(
        || (sessions::new_uid(now), DEFAULT_MINUTES),
        |s| (s.uid.clone(), s.minutes),
    )
}

fn setting(r: sessions::Reminder) -> ReminderSetting {
    ReminderSetting {
        on: r.on,
        minutes: r.minutes.min(MAX_OFFSET_MINUTES) as i32,
    }
}

impl Page for RhythmPage {
    /// A new store: the page closes, with nothing typed kept.
    fn forget(&self) {
        self.shared.in_window(|ui| {
            let a = ui.global::<RhythmAdapter>();
            a.set_open(false);
            a.set_note(SessionsNote::None);
            a.set_moving(false);
            a.set_pausing(false);
            a.set_break_end(BreakEnd::WhenResumed);
            a.set_edit_time(SharedString::default());
            a.set_move_time(SharedString::default());
        });
    }

    fn refresh(&self, ui: &AppWindow, _: Slices) {
        let a = ui.global::<RhythmAdapter>();
        let now = self.shared.now();
        let today = sessions::local_time(&Local, now).date();
        let store = self.shared.store.borrow();
        let st = &store.data().sessions;
        let schedule = st.schedule.as_ref();
        let paused = schedule.is_some_and(|s| s.is_paused(today));
        a.set_paused(paused);
        let until = schedule
            .and_then(|s| s.break_on(today))
            .and_then(|b| b.until);
        a.set_paused_has_end(until.is_some());
        if let Some(u) = until {
            a.set_paused_until(chosen_day(u, today, None));
        }
        a.set_has_schedule(schedule.is_some_and(|s| paused || s.has_future(now, &Local)));
        if let Some(s) = schedule {
            a.set_repeat(ui_repeat(s.repeat));
            a.set_series(moment(s.first));
        }
        let next = schedule.and_then(|s| s.next_start(now, &Local));
        a.set_has_next(next.is_some());
        if let Some(n) = next {
            a.set_next(moment(n.start));
            a.set_next_in_days((n.start.date() - today).num_days().clamp(0, 10_000) as i32);
        }
        a.set_before(setting(st.reminders.before));
        a.set_after(setting(st.reminders.after));
        a.set_day_later(setting(st.reminders.day_later));
        // The choosers' words count from today, which may have moved on.
        self.show_days(&a, today);
        // Only when it differs, so that typing in the field is left alone.
        if a.get_title() != st.title.as_str() {
            a.set_title(st.title.as_str().into());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_read_the_ways_people_type_them() {
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0);
        assert_eq!(parse_time("17:00"), t(17, 0));
        assert_eq!(parse_time(" 9:30 "), t(9, 30));
        assert_eq!(parse_time("17.15"), t(17, 15));
        assert_eq!(parse_time("1700"), t(17, 0));
        assert_eq!(parse_time("17"), t(17, 0));
        assert_eq!(parse_time("5pm"), t(17, 0));
        assert_eq!(parse_time("5:30 PM"), t(17, 30));
        assert_eq!(parse_time("12 am"), t(0, 0));
        assert_eq!(parse_time("12pm"), t(12, 0));
        assert_eq!(parse_time("13pm"), None);
        assert_eq!(parse_time("25:00"), None);
        assert_eq!(parse_time("teatime"), None);
        assert_eq!(parse_time(""), None);
    }

    #[test]
    fn a_chosen_moment_must_read_and_lie_ahead() {
        let now = instant(
            &Local,
            NaiveDate::from_ymd_opt(2026, 4, 7)
                .unwrap()
                .and_hms_opt(12, 0, 0)
                .unwrap(),
        );
        let day = |d| NaiveDate::from_ymd_opt(2026, 4, d).unwrap();
        assert_eq!(ahead(day(8), "teatime", now), Err(SessionsNote::NoTime));
        assert_eq!(ahead(day(8), "", now), Err(SessionsNote::NoTime));
        assert_eq!(ahead(day(7), "11:00", now), Err(SessionsNote::Passed));
        assert_eq!(ahead(day(7), "12:00", now), Err(SessionsNote::Passed));
        assert_eq!(ahead(day(6), "18:00", now), Err(SessionsNote::Passed));
        assert_eq!(
            ahead(day(8), "9:30", now),
            Ok(NaiveDate::from_ymd_opt(2026, 4, 8)
                .unwrap()
                .and_hms_opt(9, 30, 0)
                .unwrap())
        );
    }
}

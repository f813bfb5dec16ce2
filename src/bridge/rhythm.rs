//! Session times (`RhythmAdapter`), a page shown in Settings' place and
//! opened from Settings or from Home's Next session card: when sessions
//! are (a weekday and a time every week or two, or dates one by one),
//! skip, move, pause, resume and end; the reminders, each off until
//! chosen, with its own offset; the calendar entries' title; and "Add to
//! my calendar", which is the Export flow's own file field and Save for
//! the calendar file (`DataAdapter.prepare-save`, written on the worker by
//! `core::calendar` through `core::export`). The rules are in
//! `core::sessions`; times are this device's wall clock, and "now" is
//! [`Shared::now`] (fixed in tests and screenshots).

use std::rc::Rc;

use chrono::{Datelike, Local, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use slint::{ComponentHandle, SharedString};

use super::changes::Slices;
use super::clock::moment;
use super::shared::{act, act1, act2, Page, Shared};
use crate::core::sessions::{
    self, first_on, instant, ReminderKind, Repeat, Schedule, SessionsState, DEFAULT_MINUTES,
    MAX_OFFSET_MINUTES,
};
use crate::ui::{
    AppWindow, DataAdapter, ExportKind, Nav, Page as Destination, ReminderChoice, ReminderSetting,
    RhythmAdapter, SessionRepeat, SessionsNote,
};

pub(crate) struct RhythmPage {
    shared: Rc<Shared>,
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

/// Reads a date as 2026-04-07.
fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
}

impl RhythmPage {
    pub fn install(shared: &Rc<Shared>, ui: &AppWindow) -> Rc<RhythmPage> {
        let page = Rc::new(RhythmPage {
            shared: shared.clone(),
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
        a.on_pause(act(&page, |p| {
            let today = p.shared.local_now().date();
            p.change_schedule(SessionsNote::Paused, |s| s.pause(today, None))
        }));
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
        shared.subscribe(&page, Slices::SESSIONS | Slices::STORE);
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
        a.set_edit_date(SharedString::default());
        a.set_moving(false);
        a.set_move_date(SharedString::default());
        a.set_move_time(SharedString::default());
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
            let at = match ahead(&a.get_edit_date(), &a.get_edit_time(), now) {
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
            a.set_edit_date(SharedString::default());
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

    /// Moves the next session to the date and time typed.
    fn move_next(&self) {
        let Some(ui) = self.shared.window.upgrade() else {
            return;
        };
        let a = ui.global::<RhythmAdapter>();
        let now = self.shared.now();
        let to = match ahead(&a.get_move_date(), &a.get_move_time(), now) {
            Ok(to) => to,
            Err(note) => return self.say(note),
        };
        a.set_moving(false);
        self.change_schedule(SessionsNote::Moved, |s| {
            if let Some(next) = s.next_start(now, &Local) {
                s.move_session(&next, to);
            }
        });
    }
}

/// The moment typed as `date` and `time`, if both read and it is still
/// ahead of `now`; otherwise what to tell the user (a missing date first).
fn ahead(
    date: &str,
    time: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<NaiveDateTime, SessionsNote> {
    let date = parse_date(date).ok_or(SessionsNote::NoDate)?;
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
            a.set_edit_time(SharedString::default());
            a.set_edit_date(SharedString::default());
            a.set_move_date(SharedString::default());
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
    fn dates_are_read_as_year_month_day() {
        assert_eq!(
            parse_date(" 2026-04-07 "),
            NaiveDate::from_ymd_opt(2026, 4, 7)
        );
        assert_eq!(parse_date("7/4/2026"), None);
    }

    #[test]
    fn a_typed_moment_must_read_and_lie_ahead() {
        let now = instant(
            &Local,
            NaiveDate::from_ymd_opt(2026, 4, 7)
                .unwrap()
                .and_hms_opt(12, 0, 0)
                .unwrap(),
        );
        // A missing date is said before a missing time.
        assert_eq!(ahead("", "", now), Err(SessionsNote::NoDate));
        assert_eq!(
            ahead("2026-04-08", "teatime", now),
            Err(SessionsNote::NoTime)
        );
        assert_eq!(ahead("2026-04-07", "11:00", now), Err(SessionsNote::Passed));
        assert_eq!(ahead("2026-04-07", "12:00", now), Err(SessionsNote::Passed));
        assert_eq!(
            ahead("2026-04-08", "9:30", now),
            Ok(NaiveDate::from_ymd_opt(2026, 4, 8)
                .unwrap()
                .and_hms_opt(9, 30, 0)
                .unwrap())
        );
    }
}

//! The session rhythm: when therapy happens, and what that means for Home
//! and for reminders.
//!
//! A [`Schedule`] is kept in local wall-clock time ("Tuesday at 17:00"), as
//! the user and their therapist think of it. Turning a wall-clock time into
//! an instant needs a time zone: every function that compares with "now"
//! takes one (`chrono::Local` in the app, a fixed `chrono_tz` zone in tests),
//! so a session stays at 17:00 across daylight-saving changes.
//!
//! Home's state ([`rhythm`]) follows the sessions: before one, on its day
//! (the agenda first), after it ("How did it go?" until a check-in, the next
//! session's day or two weeks, whichever comes first), and a day after it
//! with no check-in yet one quiet line, shown once.

use chrono::{
    DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc,
    Weekday,
};
use serde::{Deserialize, Serialize};

use crate::core::model::{CheckIn, Concern, Record, RecordId};

/// How a schedule repeats.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum Repeat {
    /// Every week on the first session's weekday and time.
    #[default]
    Weekly,
    /// Every two weeks.
    Fortnightly,
    /// No series: only the one-off dates in `Schedule::extra`.
    OneOff,
}

impl Repeat {
    /// Days between two sessions of the series; `None` for one-off dates.
    pub fn step_days(self) -> Option<i64> {
        match self {
            Repeat::Weekly => Some(7),
            Repeat::Fortnightly => Some(14),
            Repeat::OneOff => None,
        }
    }
}

/// A break: no sessions from `from` to `until` (both included). Without
/// `until` the schedule is paused until the user resumes it.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Hash)]
pub struct Pause {
    pub from: NaiveDate,
    pub until: Option<NaiveDate>,
}

impl Pause {
    pub fn covers(&self, day: NaiveDate) -> bool {
        day >= self.from && self.until.is_none_or(|u| day <= u)
    }
}

/// The usual length of a session, in minutes.
pub const DEFAULT_MINUTES: u32 = 50;
/// The longest session the app accepts, in minutes.
pub const MAX_MINUTES: u32 = 8 * 60;

/// When sessions happen, in local wall-clock time.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(default)]
pub struct Schedule {
    pub repeat: Repeat,
    /// The first session of the series: its weekday and time repeat.
    /// Unused for [`Repeat::OneOff`].
    pub first: NaiveDateTime,
    /// How long a session lasts, in minutes.
    pub minutes: u32,
    /// One-off sessions (and sessions moved to another time), in time
    /// order. A schedule of [`Repeat::OneOff`] has only these.
    pub extra: Vec<NaiveDateTime>,
    /// Days of the series on which the session is not held (skipped or
    /// moved), in order.
    pub skipped: Vec<NaiveDate>,
    /// Breaks: no session at all (series or one-off) on those days.
    pub pauses: Vec<Pause>,
    /// The last day that can hold a session of the series (the schedule
    /// was ended); one-off dates are kept as they are.
    pub until: Option<NaiveDate>,
    /// A stable id for calendar entries, so that importing the calendar
    /// file again updates the entries instead of doubling them.
    pub uid: String,
}

impl Default for Schedule {
    fn default() -> Self {
        Schedule {
            repeat: Repeat::Weekly,
            first: NaiveDateTime::default(),
            minutes: DEFAULT_MINUTES,
            extra: Vec::new(),
            skipped: Vec::new(),
            pauses: Vec::new(),
            until: None,
            uid: String::new(),
        }
    }
}

/// One session, as held.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Session {
    /// Local wall-clock start.
    pub start: NaiveDateTime,
    pub minutes: u32,
    /// Part of the repeating series (else a one-off or moved session).
    pub in_series: bool,
}

impl Session {
    /// Local wall-clock end.
    pub fn end(&self) -> NaiveDateTime {
        self.start
            .checked_add_signed(Duration::minutes(self.minutes.into()))
            .unwrap_or(self.start)
    }
    pub fn start_at<Z: TimeZone>(&self, tz: &Z) -> DateTime<Utc> {
        instant(tz, self.start)
    }
    pub fn end_at<Z: TimeZone>(&self, tz: &Z) -> DateTime<Utc> {
        let start = self.start_at(tz);
        start
            .checked_add_signed(Duration::minutes(self.minutes.into()))
            .unwrap_or(start)
    }
}

/// The instant a local wall-clock time stands for in `tz`. A time that
/// happens twice (clocks going back) is the first of the two; a time that
/// does not exist (clocks going forward) is moved on by the length of the
/// gap, as a wall clock would show it.
pub fn instant<Z: TimeZone>(tz: &Z, local: NaiveDateTime) -> DateTime<Utc> {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(a, b) => a.with_timezone(&Utc).min(b.with_timezone(&Utc)),
        LocalResult::None => {
            // In a gap: the offset before the gap applies, which puts the
            // instant just after the change (01:30 in a 01:00→02:00 gap is
            // 02:30 on the new clock).
            let before = local
                .checked_sub_signed(Duration::hours(24))
                .unwrap_or(local);
            let offset = match tz.from_local_datetime(&before) {
                LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => {
                    t.naive_utc() - t.naive_local()
                }
                LocalResult::None => Duration::zero(),
            };
            Utc.from_utc_datetime(&local.checked_add_signed(offset).unwrap_or(local))
        }
    }
}

/// The local wall-clock time of `t` in `tz`.
pub fn local_time<Z: TimeZone>(tz: &Z, t: DateTime<Utc>) -> NaiveDateTime {
    t.with_timezone(tz).naive_local()
}

/// How far ahead and back session lists look: beyond this a schedule is
/// treated as having nothing more to offer.
const HORIZON_DAYS: i64 = 3 * 366;

impl Schedule {
    /// A schedule repeating every week (or two) from `first`.
    pub fn repeating(repeat: Repeat, first: NaiveDateTime, minutes: u32, uid: String) -> Self {
        Schedule {
            repeat,
            first,
            minutes: minutes.clamp(1, MAX_MINUTES),
            uid,
            ..Default::default()
        }
    }

    /// One-off sessions only.
    pub fn one_off(mut dates: Vec<NaiveDateTime>, minutes: u32, uid: String) -> Self {
        dates.sort();
        dates.dedup();
        Schedule {
            repeat: Repeat::OneOff,
            first: dates.first().copied().unwrap_or_default(),
            minutes: minutes.clamp(1, MAX_MINUTES),
            extra: dates,
            uid,
            ..Default::default()
        }
    }

    fn paused(&self, day: NaiveDate) -> bool {
        self.pauses.iter().any(|p| p.covers(day))
    }

    /// Whether the series has a session on `day` (before skips and pauses
    /// are taken into account, but within its start and end).
    pub fn series_day(&self, day: NaiveDate) -> bool {
        let Some(step) = self.repeat.step_days() else {
            return false;
        };
        let since = (day - self.first.date()).num_days();
        since >= 0 && since % step == 0 && self.until.is_none_or(|u| day <= u)
    }

    /// Every session held with a date from `from` to `to` (both included),
    /// in time order.
    pub fn sessions_between(&self, from: NaiveDate, to: NaiveDate) -> Vec<Session> {
        let mut out = Vec::new();
        // Kept within range whatever a damaged file says.
        let minutes = self.minutes.clamp(1, MAX_MINUTES);
        if let Some(step) = self.repeat.step_days() {
            let first = self.first.date();
            let start = if from <= first {
                first
            } else {
                let since = (from - first).num_days();
                first + Duration::days(since.div_euclid(step) * step)
            };
            let mut day = Some(start);
            while let Some(d) = day.filter(|&d| d <= to && self.until.is_none_or(|u| d <= u)) {
                if d >= from && !self.skipped.contains(&d) && !self.paused(d) {
                    out.push(Session {
                        start: d.and_time(self.first.time()),
                        minutes,
                        in_series: true,
                    });
                }
                // A pause without an end holds back everything after it.
                if self.pauses.iter().any(|p| p.until.is_none() && p.from <= d) {
                    break;
                }
                // `None` at the end of the calendar (a damaged file).
                day = d.checked_add_signed(Duration::days(step));
            }
        }
        for &start in &self.extra {
            let day = start.date();
            if day >= from && day <= to && !self.paused(day) {
                out.push(Session {
                    start,
                    minutes,
                    in_series: false,
                });
            }
        }
        out.sort_by_key(|s| s.start);
        out
    }

    /// The session in progress at `now`, or else the next one to start.
    pub fn next<Z: TimeZone>(&self, now: DateTime<Utc>, tz: &Z) -> Option<Session> {
        let today = local_time(tz, now).date();
        self.sessions_between(
            today - Duration::days(1),
            today + Duration::days(HORIZON_DAYS),
        )
        .into_iter()
        .find(|s| s.end_at(tz) > now)
    }

    /// The next session to start after `now` (not the one in progress).
    pub fn next_start<Z: TimeZone>(&self, now: DateTime<Utc>, tz: &Z) -> Option<Session> {
        let today = local_time(tz, now).date();
        self.sessions_between(today, today + Duration::days(HORIZON_DAYS))
            .into_iter()
            .find(|s| s.start_at(tz) > now)
    }

    /// The last session that has ended by `now`.
    pub fn previous<Z: TimeZone>(&self, now: DateTime<Utc>, tz: &Z) -> Option<Session> {
        let today = local_time(tz, now).date();
        self.sessions_between(today - Duration::days(HORIZON_DAYS), today)
            .into_iter()
            .rev()
            .find(|s| s.end_at(tz) <= now)
    }

    /// Skips `session`: a session of the series is not held that day; a
    /// one-off date is removed.
    pub fn skip(&mut self, session: &Session) {
        if session.in_series {
            if let Err(i) = self.skipped.binary_search(&session.start.date()) {
                self.skipped.insert(i, session.start.date());
            }
        } else {
            self.extra.retain(|&t| t != session.start);
        }
    }

    /// Moves `session` to `to` (a one-off session at the new time).
    pub fn move_session(&mut self, session: &Session, to: NaiveDateTime) {
        self.skip(session);
        self.add_one_off(to);
    }

    /// Adds a one-off session.
    pub fn add_one_off(&mut self, at: NaiveDateTime) {
        if let Err(i) = self.extra.binary_search(&at) {
            self.extra.insert(i, at);
        }
    }

    /// Pauses from `from` (included) until `until` (included), or until
    /// [`Schedule::resume`] when `until` is `None`.
    pub fn pause(&mut self, from: NaiveDate, until: Option<NaiveDate>) {
        let until = until.map(|u| u.max(from));
        self.pauses.push(Pause { from, until });
        self.pauses.sort_by_key(|p| p.from);
    }

    /// Whether the schedule is paused on `day`.
    pub fn is_paused(&self, day: NaiveDate) -> bool {
        self.paused(day)
    }

    /// The break that holds `day`, if any, as one pause: where breaks
    /// overlap or follow one another without a day between, their end is
    /// the last of them (`until: None` while one of them lasts until the
    /// user resumes). Sessions come back by themselves the day after.
    pub fn break_on(&self, day: NaiveDate) -> Option<Pause> {
        let from = self
            .pauses
            .iter()
            .filter(|p| p.covers(day))
            .map(|p| p.from)
            .min()?;
        let mut until = day;
        loop {
            // Every pause that holds `until` or the day after it.
            let next = until.checked_add_signed(Duration::days(1));
            let mut longest = Some(until);
            for p in &self.pauses {
                if p.covers(until) || next.is_some_and(|n| p.covers(n)) {
                    longest = match (longest, p.until) {
                        (Some(l), Some(u)) => Some(l.max(u)),
                        _ => None,
                    };
                }
            }
            match longest {
                None => return Some(Pause { from, until: None }),
                Some(l) if l == until => {
                    return Some(Pause {
                        from,
                        until: Some(until),
                    })
                }
                Some(l) => until = l,
            }
        }
    }

    /// Ends any pause that covers `today` or starts later: sessions from
    /// `today` on are held again.
    pub fn resume(&mut self, today: NaiveDate) {
        self.pauses.retain(|p| p.from < today);
        for p in &mut self.pauses {
            if p.until.is_none_or(|u| u >= today) {
                p.until = Some(today - Duration::days(1));
            }
        }
    }

    /// Ends the schedule at `now`: a session already started is kept, no
    /// later one is held (one-off dates after `now` go too).
    pub fn end<Z: TimeZone>(&mut self, now: DateTime<Utc>, tz: &Z) {
        let local = local_time(tz, now);
        let today = local.date();
        let started_today = self.series_day(today) && self.first.time() <= local.time();
        let last = if started_today {
            today
        } else {
            today - Duration::days(1)
        };
        self.until = Some(self.until.map_or(last, |u| u.min(last)));
        self.extra.retain(|&t| instant(tz, t) <= now);
    }

    /// Whether any session can still come after `now`.
    pub fn has_future<Z: TimeZone>(&self, now: DateTime<Utc>, tz: &Z) -> bool {
        self.next(now, tz).is_some()
    }
}

/// The first `weekday` at `time` that is still ahead of `now` (today if
/// the time has not come yet).
pub fn first_on(weekday: Weekday, time: NaiveTime, now: NaiveDateTime) -> NaiveDateTime {
    let today = now.date();
    let ahead = (weekday.num_days_from_monday() + 7 - today.weekday().num_days_from_monday()) % 7;
    let day = today + Duration::days(ahead.into());
    let at = day.and_time(time);
    if at <= now {
        at + Duration::days(7)
    } else {
        at
    }
}

// ------------------------------------------------------------ reminders

/// One reminder: on or off, and its offset in minutes (before the start
/// for [`ReminderKind::Before`], after the end for the other two).
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reminder {
    pub on: bool,
    pub minutes: u32,
}

/// The longest reminder offset, in minutes (a week).
pub const MAX_OFFSET_MINUTES: u32 = 7 * 24 * 60;

/// The three reminders. Each is off until the user turns it on.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(default)]
pub struct Reminders {
    /// Before a session (to bring the agenda).
    pub before: Reminder,
    /// After it (for the check-in).
    pub after: Reminder,
    /// A day later, when delayed reactions surface (only if there was no
    /// check-in yet).
    pub day_later: Reminder,
}

impl Default for Reminders {
    fn default() -> Self {
        Reminders {
            before: Reminder {
                on: false,
                minutes: 60,
            },
            after: Reminder {
                on: false,
                minutes: 15,
            },
            day_later: Reminder {
                on: false,
                minutes: 24 * 60,
            },
        }
    }
}

/// Which reminder.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReminderKind {
    Before,
    After,
    DayLater,
}

impl ReminderKind {
    pub const ALL: [ReminderKind; 3] = [
        ReminderKind::Before,
        ReminderKind::After,
        ReminderKind::DayLater,
    ];
}

impl Reminders {
    pub fn get(&self, kind: ReminderKind) -> Reminder {
        match kind {
            ReminderKind::Before => self.before,
            ReminderKind::After => self.after,
            ReminderKind::DayLater => self.day_later,
        }
    }
    pub fn get_mut(&mut self, kind: ReminderKind) -> &mut Reminder {
        match kind {
            ReminderKind::Before => &mut self.before,
            ReminderKind::After => &mut self.after,
            ReminderKind::DayLater => &mut self.day_later,
        }
    }
    /// The reminders turned on, in order.
    pub fn chosen(&self) -> impl Iterator<Item = (ReminderKind, u32)> + '_ {
        ReminderKind::ALL.into_iter().filter_map(|k| {
            let r = self.get(k);
            r.on.then_some((k, r.minutes.min(MAX_OFFSET_MINUTES)))
        })
    }
}

/// A reminder due at `at`, for `session`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Due {
    pub at: DateTime<Utc>,
    pub kind: ReminderKind,
    pub session: Session,
}

/// The moment `kind` (offset `minutes`) is due for `session`.
pub fn due_at<Z: TimeZone>(
    kind: ReminderKind,
    minutes: u32,
    session: &Session,
    tz: &Z,
) -> DateTime<Utc> {
    let offset = Duration::minutes(minutes.min(MAX_OFFSET_MINUTES).into());
    let (start, end) = (session.start_at(tz), session.end_at(tz));
    match kind {
        ReminderKind::Before => start.checked_sub_signed(offset).unwrap_or(start),
        ReminderKind::After | ReminderKind::DayLater => {
            end.checked_add_signed(offset).unwrap_or(end)
        }
    }
}

/// The first reminder due strictly after `after`, if any reminder is on.
/// The app sets one timer for it; nothing wakes up in between.
pub fn next_due<Z: TimeZone>(
    schedule: &Schedule,
    reminders: &Reminders,
    after: DateTime<Utc>,
    tz: &Z,
) -> Option<Due> {
    dues_after(schedule, reminders, after, tz)
        .into_iter()
        .next()
}

/// Every reminder due strictly after `after` (within the horizon), in
/// time order; two due at the same moment in the order of
/// [`ReminderKind::ALL`].
fn dues_after<Z: TimeZone>(
    schedule: &Schedule,
    reminders: &Reminders,
    after: DateTime<Utc>,
    tz: &Z,
) -> Vec<Due> {
    let chosen: Vec<_> = reminders.chosen().collect();
    if chosen.is_empty() {
        return Vec::new();
    }
    let today = local_time(tz, after).date();
    // A reminder can be up to a week (plus a session) from its session.
    let reach = i64::from(MAX_OFFSET_MINUTES / (24 * 60)) + 2;
    let mut dues: Vec<Due> = schedule
        .sessions_between(
            today - Duration::days(reach),
            today + Duration::days(HORIZON_DAYS),
        )
        .iter()
        .flat_map(|s| {
            chosen.iter().map(move |&(kind, minutes)| Due {
                at: due_at(kind, minutes, s, tz),
                kind,
                session: *s,
            })
        })
        .filter(|d| d.at > after)
        .collect();
    // Stable: sessions come in time order, kinds in `ALL` order.
    dues.sort_by_key(|d| d.at);
    dues
}

/// What the reminder timer does at `now`: the reminder to show (if one
/// came due since the last look) and the moment to wait for next.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReminderPlan {
    pub show: Option<Due>,
    pub next: Option<Due>,
}

/// Whether a reminder still makes sense at `now`, however late it comes
/// (a computer that slept through its moment): the one before a session
/// only until the session starts, the check-in ones only while Home still
/// asks "How did it go?".
fn timely<Z: TimeZone>(due: &Due, now: DateTime<Utc>, tz: &Z) -> bool {
    match due.kind {
        ReminderKind::Before => now < due.session.start_at(tz),
        ReminderKind::After | ReminderKind::DayLater => {
            now - due.session.end_at(tz) < Duration::days(FOLLOW_UP_DAYS)
        }
    }
}

/// The reminder timer's one decision. Reminders due up to `since` have
/// been dealt with (shown, or passed before the app looked: they are never
/// shown late on start or after a change). Of those due after `since` up
/// to `now`, only the latest still wanted and timely is shown (one
/// notification, not a burst after a long sleep). The next one to wait for
/// is the first after both that is still wanted: nothing when every
/// reminder is off, when the schedule has no session left, or for a
/// day-later reminder whose session already has its check-in.
pub fn plan_reminders<Z: TimeZone>(
    state: &SessionsState,
    check_ins: &[Record<CheckIn>],
    since: DateTime<Utc>,
    now: DateTime<Utc>,
    tz: &Z,
) -> ReminderPlan {
    let Some(schedule) = &state.schedule else {
        return ReminderPlan::default();
    };
    let wanted = |d: &&Due| still_wanted(d.kind, &d.session, check_ins);
    let dues = dues_after(schedule, &state.reminders, since, tz);
    ReminderPlan {
        show: dues
            .iter()
            .take_while(|d| d.at <= now)
            .filter(wanted)
            .filter(|d| timely(d, now, tz))
            .last()
            .copied(),
        next: dues.iter().filter(|d| d.at > now).find(wanted).copied(),
    }
}

/// What a desktop notification says. Neutral by default: the title the
/// user chose for calendars ("Appointment" unless changed) and a time, or
/// an open question; never a note, a concern or the word therapy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoticeText {
    pub summary: String,
    pub body: String,
}

/// The prompt after a session and a day later.
pub const CHECK_IN_PROMPT: &str = "Time for your check-in?";

/// The words of the `kind` reminder for `session`.
pub fn notice_text(kind: ReminderKind, title: &str, session: &Session) -> NoticeText {
    match kind {
        ReminderKind::Before => NoticeText {
            summary: title.to_string(),
            body: format!("At {}", session.start.format("%H:%M")),
        },
        ReminderKind::After | ReminderKind::DayLater => NoticeText {
            summary: CHECK_IN_PROMPT.to_string(),
            body: String::new(),
        },
    }
}

/// Whether the `kind` reminder for `session` should still be shown: the
/// day-later one only while there is no check-in for the session.
pub fn still_wanted(kind: ReminderKind, session: &Session, check_ins: &[Record<CheckIn>]) -> bool {
    kind != ReminderKind::DayLater || !checked_in_for(session, check_ins)
}

// ---------------------------------------------------------- Home's state

/// How long after a session Home keeps asking "How did it go?".
pub const FOLLOW_UP_DAYS: i64 = 14;
/// A check-in this long before a session's start still counts for it.
const CHECK_IN_SLACK_MINUTES: i64 = 60;

/// Where the user is in the rhythm, for Home.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rhythm {
    /// No schedule set.
    NoSchedule,
    /// A schedule with nothing ahead (ended, or paused with no end).
    NothingAhead { paused: bool },
    /// The next session is on a later day.
    Before { next: Session },
    /// The next session is today (or in progress): the agenda first.
    OnTheDay { next: Session, in_progress: bool },
    /// A session has ended and has no check-in yet: "How did it go?".
    /// `day_later`: a day has passed since it ended, and the quiet line
    /// has not been shown before.
    After {
        last: Session,
        next: Option<Session>,
        day_later: bool,
    },
}

/// Whether a check-in counts for `session` (its time is the session's, or
/// later).
pub fn checked_in_for(session: &Session, check_ins: &[Record<CheckIn>]) -> bool {
    let from = session
        .start
        .checked_sub_signed(Duration::minutes(CHECK_IN_SLACK_MINUTES))
        .unwrap_or(session.start);
    check_ins.iter().any(|c| c.body.when >= from)
}

/// Home's state at `now`. `quiet_line_shown` is the start of the session
/// whose day-later line was already shown (it is shown once).
pub fn rhythm<Z: TimeZone>(
    schedule: Option<&Schedule>,
    check_ins: &[Record<CheckIn>],
    quiet_line_shown: Option<NaiveDateTime>,
    now: DateTime<Utc>,
    tz: &Z,
) -> Rhythm {
    let Some(schedule) = schedule else {
        return Rhythm::NoSchedule;
    };
    let today = local_time(tz, now).date();
    let next = schedule.next(now, tz);
    if let Some(n) = next {
        if n.start.date() == today || n.start_at(tz) <= now {
            return Rhythm::OnTheDay {
                next: n,
                in_progress: n.start_at(tz) <= now,
            };
        }
    }
    if let Some(last) = schedule.previous(now, tz) {
        let ended = last.end_at(tz);
        if now - ended < Duration::days(FOLLOW_UP_DAYS) && !checked_in_for(&last, check_ins) {
            return Rhythm::After {
                last,
                next,
                day_later: now - ended >= Duration::days(1) && quiet_line_shown != Some(last.start),
            };
        }
    }
    match next {
        Some(next) => Rhythm::Before { next },
        None => Rhythm::NothingAhead {
            paused: schedule.is_paused(today),
        },
    }
}

/// The next moment after `now` at which Home's state ([`rhythm`]) can
/// change without anything being done: a session starts or ends, a day
/// has passed since the last one ended, its follow-up ends, or the local
/// date changes (a later day becomes "today"). Home sets one timer for it.
pub fn next_change<Z: TimeZone>(
    schedule: Option<&Schedule>,
    now: DateTime<Utc>,
    tz: &Z,
) -> Option<DateTime<Utc>> {
    let schedule = schedule?;
    let tomorrow = local_time(tz, now).date() + Duration::days(1);
    let midnight = instant(tz, tomorrow.and_time(NaiveTime::MIN));
    let mut moments = vec![midnight];
    if let Some(next) = schedule.next(now, tz) {
        moments.extend([next.start_at(tz), next.end_at(tz)]);
    }
    if let Some(last) = schedule.previous(now, tz) {
        let ended = last.end_at(tz);
        moments.extend(
            [Duration::days(1), Duration::days(FOLLOW_UP_DAYS)]
                .into_iter()
                .filter_map(|d| ended.checked_add_signed(d)),
        );
    }
    moments.into_iter().filter(|&t| t > now).min()
}

/// The concerns marked raised in `session`: raised from an hour before it
/// started until a day after it ended (people often mark them on the way
/// home), in the order they were raised.
pub fn raised_in<Z: TimeZone>(
    session: &Session,
    concerns: &[Record<Concern>],
    tz: &Z,
) -> Vec<RecordId> {
    let start = session.start_at(tz);
    let from = start
        .checked_sub_signed(Duration::hours(1))
        .unwrap_or(start);
    let end = session.end_at(tz);
    let to = end.checked_add_signed(Duration::days(1)).unwrap_or(end);
    let mut raised: Vec<_> = concerns
        .iter()
        .filter_map(|c| {
            let at = c.body.outcome.raised_at?;
            (at >= from && at < to).then_some((at, c.id.clone()))
        })
        .collect();
    raised.sort();
    raised.into_iter().map(|(_, id)| id).collect()
}

// ------------------------------------------------------------- the store

/// The default calendar entry title: neutral, because calendars are often
/// shared or shown on lock screens.
pub const DEFAULT_TITLE: &str = "Appointment";
/// The longest calendar title kept.
pub const MAX_TITLE_CHARS: usize = 80;

/// The session rhythm as stored in `Data::sessions`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default)]
#[serde(default)]
pub struct SessionsState {
    pub schedule: Option<Schedule>,
    pub reminders: Reminders,
    /// The calendar entry's title; empty means [`DEFAULT_TITLE`].
    pub title: String,
    /// The start of the session whose day-later line Home has shown (once).
    pub quiet_line_shown: Option<NaiveDateTime>,
}

impl SessionsState {
    /// The calendar and notification title: the user's, or the default.
    pub fn title(&self) -> &str {
        let t = self.title.trim();
        if t.is_empty() {
            DEFAULT_TITLE
        } else {
            t
        }
    }

    /// Sets the title (trimmed, at most [`MAX_TITLE_CHARS`], one line).
    pub fn set_title(&mut self, title: &str) {
        let one_line: String = title
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .take(MAX_TITLE_CHARS)
            .collect();
        self.title = one_line.trim().to_string();
    }
}

/// A fresh calendar id for a new schedule, from the moment it is made.
pub fn new_uid(now: DateTime<Utc>) -> String {
    format!(
        "{}-{:09}@common-ground.local",
        now.format("%Y%m%dT%H%M%S"),
        now.timestamp_subsec_nanos()
    )
}

#[cfg(test)]
mod tests;

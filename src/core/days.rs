//! Choosing a day by tapping instead of typing a date: a step from the day
//! shown (a day, a week or a month either way) or a quick choice counted
//! from today. Only today and later can be chosen, up to [`LATEST_DAYS`]
//! ahead; a step past either end is refused and the day stays as it was.
//! The words for a day ("Tuesday 7 April", "In 8 days") are the UI's, so
//! that they can be translated; what they depend on is worked out here.

use chrono::{Datelike, Duration, Months, NaiveDate};

/// How far ahead a day can be chosen: two years, within the furthest the
/// session lists look (`sessions::HORIZON_DAYS`).
pub const LATEST_DAYS: i64 = 2 * 365;

/// One tap on a day chooser.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DayStep {
    PreviousDay,
    NextDay,
    PreviousWeek,
    NextWeek,
    PreviousMonth,
    NextMonth,
    /// Quick choices, counted from today.
    Tomorrow,
    InAWeek,
    InTwoWeeks,
    InAMonth,
}

/// Why a step was refused (the day stays as it was).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Refusal {
    /// It would be before today.
    BeforeToday,
    /// It would be more than [`LATEST_DAYS`] ahead.
    TooFar,
}

/// The day `step` leads to from `from`, if it can be chosen on `today`.
/// A month on from 31 January is the last day of February.
pub fn step(from: NaiveDate, step: DayStep, today: NaiveDate) -> Result<NaiveDate, Refusal> {
    let days = |base: NaiveDate, n: i64| base.checked_add_signed(Duration::days(n));
    let to = match step {
        DayStep::PreviousDay => days(from, -1),
        DayStep::NextDay => days(from, 1),
        DayStep::PreviousWeek => days(from, -7),
        DayStep::NextWeek => days(from, 7),
        DayStep::PreviousMonth => from.checked_sub_months(Months::new(1)),
        DayStep::NextMonth => from.checked_add_months(Months::new(1)),
        DayStep::Tomorrow => days(today, 1),
        DayStep::InAWeek => days(today, 7),
        DayStep::InTwoWeeks => days(today, 14),
        DayStep::InAMonth => today.checked_add_months(Months::new(1)),
    };
    // `None` only at the ends of the calendar.
    let backwards = matches!(
        step,
        DayStep::PreviousDay | DayStep::PreviousWeek | DayStep::PreviousMonth
    );
    let to = to.ok_or(if backwards {
        Refusal::BeforeToday
    } else {
        Refusal::TooFar
    })?;
    allowed(to, today)
}

/// `day`, if it can be chosen on `today`.
pub fn allowed(day: NaiveDate, today: NaiveDate) -> Result<NaiveDate, Refusal> {
    let ahead = (day - today).num_days();
    if ahead < 0 {
        Err(Refusal::BeforeToday)
    } else if ahead > LATEST_DAYS {
        Err(Refusal::TooFar)
    } else {
        Ok(day)
    }
}

/// What the words for a day depend on, seen from `today`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DayWords {
    /// Days from today to it (0: today, negative: gone by).
    pub in_days: i64,
    /// In another year than today's: the year is said too.
    pub other_year: bool,
}

pub fn words(day: NaiveDate, today: NaiveDate) -> DayWords {
    DayWords {
        in_days: (day - today).num_days(),
        other_year: day.year() != today.year(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn steps_go_a_day_a_week_or_a_month_either_way() {
        let today = day(2026, 3, 25);
        let from = day(2026, 4, 7);
        assert_eq!(step(from, DayStep::NextDay, today), Ok(day(2026, 4, 8)));
        assert_eq!(step(from, DayStep::PreviousDay, today), Ok(day(2026, 4, 6)));
        assert_eq!(step(from, DayStep::NextWeek, today), Ok(day(2026, 4, 14)));
        assert_eq!(
            step(from, DayStep::PreviousWeek, today),
            Ok(day(2026, 3, 31))
        );
        assert_eq!(step(from, DayStep::NextMonth, today), Ok(day(2026, 5, 7)));
        // Across a year's end.
        assert_eq!(
            step(day(2026, 12, 28), DayStep::NextWeek, today),
            Ok(day(2027, 1, 4))
        );
        // A month on from the 31st is the month's last day.
        assert_eq!(
            step(day(2027, 1, 31), DayStep::NextMonth, today),
            Ok(day(2027, 2, 28))
        );
        assert_eq!(
            step(day(2026, 5, 31), DayStep::PreviousMonth, today),
            Ok(day(2026, 4, 30))
        );
    }

    #[test]
    fn quick_choices_count_from_today_not_from_the_day_shown() {
        let today = day(2026, 3, 25);
        let from = day(2026, 6, 1);
        assert_eq!(step(from, DayStep::Tomorrow, today), Ok(day(2026, 3, 26)));
        assert_eq!(step(from, DayStep::InAWeek, today), Ok(day(2026, 4, 1)));
        assert_eq!(step(from, DayStep::InTwoWeeks, today), Ok(day(2026, 4, 8)));
        assert_eq!(step(from, DayStep::InAMonth, today), Ok(day(2026, 4, 25)));
    }

    #[test]
    fn days_before_today_are_refused_and_today_is_not() {
        let today = day(2026, 3, 25);
        assert_eq!(
            step(day(2026, 3, 26), DayStep::PreviousDay, today),
            Ok(today)
        );
        assert_eq!(
            step(today, DayStep::PreviousDay, today),
            Err(Refusal::BeforeToday)
        );
        assert_eq!(
            step(day(2026, 3, 30), DayStep::PreviousWeek, today),
            Err(Refusal::BeforeToday)
        );
        assert_eq!(
            step(day(2026, 4, 20), DayStep::PreviousMonth, today),
            Err(Refusal::BeforeToday)
        );
        assert_eq!(allowed(day(2026, 3, 24), today), Err(Refusal::BeforeToday));
        // The ends of the calendar (a damaged file) are refused, not a panic.
        assert_eq!(
            step(NaiveDate::MIN, DayStep::PreviousDay, today),
            Err(Refusal::BeforeToday)
        );
        assert_eq!(
            step(NaiveDate::MAX, DayStep::NextMonth, today),
            Err(Refusal::TooFar)
        );
    }

    #[test]
    fn at_most_two_years_ahead() {
        let today = day(2026, 3, 25);
        let last = today + Duration::days(LATEST_DAYS);
        assert_eq!(allowed(last, today), Ok(last));
        assert_eq!(step(last, DayStep::NextDay, today), Err(Refusal::TooFar));
        assert_eq!(
            step(last - Duration::days(3), DayStep::NextWeek, today),
            Err(Refusal::TooFar)
        );
    }

    #[test]
    fn words_say_how_far_and_whether_the_year_is_needed() {
        let today = day(2026, 12, 30);
        assert_eq!(
            words(today, today),
            DayWords {
                in_days: 0,
                other_year: false
            }
        );
        assert_eq!(
            words(day(2027, 1, 6), today),
            DayWords {
                in_days: 7,
                other_year: true
            }
        );
        assert_eq!(words(day(2026, 12, 29), today).in_days, -1);
    }
}

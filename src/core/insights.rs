//! Insights: the series behind the charts, the figures, "did raising it
//! help?" and the gentle nudge. Pure functions over `Data`.
//!
//! Every average is kept in tenths as an integer (`avg10 = 45` is 4.5),
//! rounded half up, so that results are exact and testable; the UI writes
//! the words around the numbers.
//!
//! ## The nudge rule
//!
//! For each agreement item, over the check-ins that answered it, in time
//! order: a **dip begins** at an answer at least 2 points below the mean of
//! the four answers before it (so at least five answers are needed: no
//! nudge on too little history). Its **baseline** is that mean. The dip
//! **lasts** while later answers stay more than 1 point below the baseline,
//! and ends at the first answer within 1 point of it (or above), so a
//! nudge neither flickers on small moves nor fades just because the low
//! answers become the "recent level". A nudge is offered while the latest
//! answer is in a dip, for the item with the largest drop (latest below
//! baseline; ties go to the item listed first: heard, goals, approach,
//! overall). A dip is known by its item and the id of the check-in where
//! it began; once dismissed it stays away until a new dip begins. The rule
//! is relative to the user's own level, never a fixed clinical threshold.
//!
//! ## Everything is a 10
//!
//! A **top run** is a stretch of consecutive check-ins (in time order) in
//! which all four agreement items are given and at the top (10). A
//! check-in with any item lower, or with any item not given, ends a run;
//! mood plays no part. When the run that reaches the latest check-in is at
//! least [`ALL_TOP_RUN`] long, Insights offers one soft line (good news if
//! it is true; the Unsaid list is private). A run is known by the id of its
//! first check-in: dismissing the line hides it for that run, and a later
//! run shows it again; "don't show this" hides it for good. This describes
//! the answers; it never judges them.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDateTime, Utc};

use crate::core::checkin;
use crate::core::model::{
    CheckIn, ConcernState, Data, DismissedDip, Item, Record, RecordId, Topic,
};

/// What a chart or figure is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Metric {
    Mood,
    Item(Item),
}

impl Metric {
    pub const ALL: [Metric; 5] = [
        Metric::Mood,
        Metric::Item(Item::Heard),
        Metric::Item(Item::Goals),
        Metric::Item(Item::Approach),
        Metric::Item(Item::Overall),
    ];

    pub fn of(self, c: &CheckIn) -> Option<u8> {
        match self {
            Metric::Mood => Some(c.mood),
            Metric::Item(i) => i.of(c),
        }
    }
}

/// How far back a chart looks, in check-ins.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Range {
    #[default]
    Last10,
    Last30,
    All,
}

impl Range {
    fn limit(self) -> usize {
        match self {
            Range::Last10 => 10,
            Range::Last30 => 30,
            Range::All => usize::MAX,
        }
    }
}

/// The mean of `values` in tenths, rounded half up; `None` if empty.
pub fn avg10(values: &[u8]) -> Option<u32> {
    if values.is_empty() {
        return None;
    }
    let n = values.len() as u64;
    let sum: u64 = values.iter().map(|&v| v as u64).sum();
    Some(((sum * 20 + n) / (2 * n)) as u32)
}

/// One point of a chart: `x` is the position among the values shown
/// (0-based; for a reduced series the middle of its bucket, in tenths),
/// `value10` the score (or the bucket's mean) in tenths.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Point {
    pub x10: u32,
    pub value10: u32,
    /// The answers it stands for: `n` of them from index `first` of the
    /// range's answers (more than one when averaged).
    pub first: usize,
    pub n: usize,
}

/// A chart's data: the points to draw and the summary a screen reader
/// reads with it.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Series {
    pub points: Vec<Point>,
    /// How many answers the range holds (before any reduction).
    pub count: usize,
    pub first10: Option<u32>,
    pub last10: Option<u32>,
    pub min: Option<u8>,
    pub max: Option<u8>,
    pub mean10: Option<u32>,
}

/// The answers to `metric` in time order (skipping check-ins that left it
/// out), the last `range` of them.
pub fn values(ordered: &[&Record<CheckIn>], metric: Metric, range: Range) -> Vec<u8> {
    let all: Vec<u8> = ordered.iter().filter_map(|r| metric.of(&r.body)).collect();
    let skip = all.len().saturating_sub(range.limit());
    all[skip..].to_vec()
}

/// The series for a chart, reduced to at most `max_points` points (equal
/// runs of answers averaged) so that thousands of check-ins draw fast.
pub fn series(
    ordered: &[&Record<CheckIn>],
    metric: Metric,
    range: Range,
    max_points: usize,
) -> Series {
    let vals = values(ordered, metric, range);
    let n = vals.len();
    let max_points = max_points.max(1);
    let points = if n <= max_points {
        vals.iter()
            .enumerate()
            .map(|(i, &v)| Point {
                x10: i as u32 * 10,
                value10: v as u32 * 10,
                first: i,
                n: 1,
            })
            .collect()
    } else {
        (0..max_points)
            .map(|b| {
                let start = b * n / max_points;
                let end = (b + 1) * n / max_points;
                let bucket = &vals[start..end];
                Point {
                    // The middle of the bucket: (start + end - 1) / 2.
                    x10: ((start + end - 1) * 10 / 2) as u32,
                    value10: avg10(bucket).unwrap_or(0),
                    first: start,
                    n: end - start,
                }
            })
            .collect()
    };
    Series {
        points,
        count: n,
        first10: vals.first().map(|&v| v as u32 * 10),
        last10: vals.last().map(|&v| v as u32 * 10),
        min: vals.iter().copied().min(),
        max: vals.iter().copied().max(),
        mean10: avg10(&vals),
    }
}

/// The figures for one metric.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Figures {
    /// The latest answer.
    pub latest: Option<u8>,
    /// Latest minus the answer before it.
    pub change: Option<i32>,
    /// Mean of the last four answers (or fewer, if there are fewer).
    pub last4_avg10: Option<u32>,
    /// Mean of the (up to) four answers before those; `None` with four
    /// answers or fewer.
    pub before4_avg10: Option<u32>,
}

pub fn figures(ordered: &[&Record<CheckIn>], metric: Metric) -> Figures {
    let vals = values(ordered, metric, Range::All);
    let n = vals.len();
    let last4 = &vals[n.saturating_sub(4)..];
    let before = &vals[n.saturating_sub(8)..n.saturating_sub(4)];
    Figures {
        latest: vals.last().copied(),
        change: (n >= 2).then(|| vals[n - 1] as i32 - vals[n - 2] as i32),
        last4_avg10: avg10(last4),
        before4_avg10: avg10(before),
    }
}

/// The most used tags with their counts, most first (ties A-Z, ignoring
/// case), spelt as last used.
pub fn top_tags(data: &Data, limit: usize) -> Vec<(String, usize)> {
    let mut counts: HashMap<String, (usize, String)> = HashMap::new();
    for r in &data.check_ins {
        for t in &r.body.tags {
            let e = counts.entry(t.to_lowercase()).or_insert((0, t.clone()));
            e.0 += 1;
            e.1.clone_from(t);
        }
    }
    let mut list: Vec<(String, (usize, String))> = counts.into_iter().collect();
    list.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(&b.0)));
    list.into_iter()
        .take(limit)
        .map(|(_, (n, t))| (t, n))
        .collect()
}

/// The agreement item a concern's topics speak to: not being heard ->
/// heard; goals -> goals; the approach, homework or pace -> approach;
/// anything else -> overall. The first topic that maps to a specific item
/// wins.
pub fn item_for_topics(topics: &[Topic]) -> Item {
    topics
        .iter()
        .find_map(|t| match t {
            Topic::NotHeard => Some(Item::Heard),
            Topic::Goals => Some(Item::Goals),
            Topic::Approach | Topic::Homework | Topic::Pace => Some(Item::Approach),
            _ => None,
        })
        .unwrap_or(Item::Overall)
}

/// The Prepare topic that puts an item's dip into words (`None` for
/// overall: the user chooses).
pub fn topic_for_item(item: Item) -> Option<Topic> {
    match item {
        Item::Heard => Some(Topic::NotHeard),
        Item::Goals => Some(Topic::Goals),
        Item::Approach => Some(Topic::Approach),
        Item::Overall => None,
    }
}

/// How many check-ins on each side of a raised concern are compared.
pub const AROUND: usize = 4;

/// "Did raising it help?" for one raised concern: the item its topic maps
/// to, averaged over up to [`AROUND`] check-ins before it was raised and
/// up to [`AROUND`] from then on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Effect {
    pub concern: RecordId,
    pub topic: Option<Topic>,
    pub item: Item,
    pub raised: NaiveDateTime,
    pub before_avg10: u32,
    pub before_n: usize,
    pub after_avg10: u32,
    pub after_n: usize,
}

/// One [`Effect`] per raised (or settled) concern that has answers on both
/// sides, most recently raised first. The moment it was raised is the
/// earliest check-in linked to it, else `outcome.raised_at` in local time
/// (`to_local`).
pub fn effects(data: &Data, to_local: &dyn Fn(DateTime<Utc>) -> NaiveDateTime) -> Vec<Effect> {
    let ordered = checkin::ordered(data);
    let mut linked: HashMap<&str, NaiveDateTime> = HashMap::new();
    for r in &ordered {
        for id in &r.body.concerns {
            linked.entry(id.as_str()).or_insert(r.body.when);
        }
    }
    let mut out = Vec::new();
    for c in &data.concerns {
        if !matches!(c.body.state, ConcernState::Raised | ConcernState::Settled) {
            continue;
        }
        let Some(raised) = linked
            .get(c.id.as_str())
            .copied()
            .or_else(|| c.body.outcome.raised_at.map(to_local))
        else {
            continue;
        };
        let item = item_for_topics(&c.body.topics);
        let split = ordered.partition_point(|r| r.body.when < raised);
        let before: Vec<u8> = ordered[..split]
            .iter()
            .rev()
            .filter_map(|r| item.of(&r.body))
            .take(AROUND)
            .collect();
        let after: Vec<u8> = ordered[split..]
            .iter()
            .filter_map(|r| item.of(&r.body))
            .take(AROUND)
            .collect();
        let (Some(b), Some(a)) = (avg10(&before), avg10(&after)) else {
            continue;
        };
        out.push(Effect {
            concern: c.id.clone(),
            topic: c.body.topics.first().copied(),
            item,
            raised,
            before_avg10: b,
            before_n: before.len(),
            after_avg10: a,
            after_n: after.len(),
        });
    }
    out.sort_by(|a, b| b.raised.cmp(&a.raised).then(b.concern.cmp(&a.concern)));
    out
}

/// A dip the nudge offers to put into words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Nudge {
    pub item: Item,
    /// The check-in where the dip began.
    pub start: RecordId,
    /// The mean of the four answers before the dip, in tenths.
    pub baseline10: u32,
    /// The latest answer.
    pub latest: u8,
}

/// The dip `item` is in at its latest answer, if any (see the module
/// documentation for the rule), dismissed or not.
pub fn dip(ordered: &[&Record<CheckIn>], item: Item) -> Option<Nudge> {
    let answers: Vec<(&RecordId, u8)> = ordered
        .iter()
        .filter_map(|r| item.of(&r.body).map(|v| (&r.id, v)))
        .collect();
    // (start index, sum of the four before it)
    let mut current: Option<(usize, u32)> = None;
    for i in 0..answers.len() {
        let v = answers[i].1 as u32;
        match current {
            // Within 1 point of the baseline: 4v >= sum - 4.
            Some((_, sum)) if 4 * v + 4 >= sum => current = None,
            Some(_) => continue,
            None => {}
        }
        if current.is_none() && i >= 4 {
            let sum: u32 = answers[i - 4..i].iter().map(|a| a.1 as u32).sum();
            // At least 2 points below the mean: 4v <= sum - 8.
            if 4 * v + 8 <= sum {
                current = Some((i, sum));
            }
        }
    }
    let (start, sum) = current?;
    Some(Nudge {
        item,
        start: answers[start].0.clone(),
        baseline10: (sum * 10 + 2) / 4,
        latest: answers.last()?.1,
    })
}

/// The nudge to show now, if any: the undismissed dip with the largest
/// drop.
pub fn nudge(data: &Data) -> Option<Nudge> {
    let ordered = checkin::ordered(data);
    let mut best: Option<Nudge> = None;
    for item in Item::ALL {
        let Some(d) = dip(&ordered, item) else {
            continue;
        };
        if is_dismissed(data, &d) {
            continue;
        }
        let drop = |n: &Nudge| n.baseline10 as i64 - n.latest as i64 * 10;
        if best.as_ref().is_none_or(|b| drop(&d) > drop(b)) {
            best = Some(d);
        }
    }
    best
}

fn is_dismissed(data: &Data, n: &Nudge) -> bool {
    data.insights
        .dismissed
        .iter()
        .any(|d| d.item == n.item && d.start == n.start)
}

/// Remembers that the user dismissed this dip's nudge.
pub fn dismiss(data: &mut Data, n: &Nudge) {
    if !is_dismissed(data, n) {
        data.insights.dismissed.push(DismissedDip {
            item: n.item,
            start: n.start.clone(),
        });
    }
}

/// How many check-ins in a row with every item at the top bring the
/// "everything is a 10" line.
pub const ALL_TOP_RUN: usize = 6;

/// Whether every agreement item of `c` is given and at the top.
fn all_at_top(c: &CheckIn) -> bool {
    Item::ALL
        .iter()
        .all(|i| i.of(c) == Some(checkin::MAX_SCORE))
}

/// The top run that reaches the latest check-in (`ordered` is in time
/// order): the id of its first check-in and its length; `None` when the
/// latest is not all at the top.
pub fn top_run<'a>(ordered: &[&'a Record<CheckIn>]) -> Option<(&'a RecordId, usize)> {
    let len = ordered
        .iter()
        .rev()
        .take_while(|r| all_at_top(&r.body))
        .count();
    (len > 0).then(|| (&ordered[ordered.len() - len].id, len))
}

/// The run whose "everything is a 10" line to show now, by the id of its
/// first check-in, if any (see the module documentation).
pub fn all_top_line(data: &Data) -> Option<RecordId> {
    if data.insights.all_top_never {
        return None;
    }
    let ordered = checkin::ordered(data);
    let (start, len) = top_run(&ordered)?;
    (len >= ALL_TOP_RUN && data.insights.all_top_dismissed.as_ref() != Some(start))
        .then(|| start.clone())
}

/// The user dismissed the line for the run starting at `start`.
pub fn dismiss_all_top(data: &mut Data, start: &str) {
    data.insights.all_top_dismissed = Some(start.to_owned());
}

/// "Don't show this": the line never comes back.
pub fn never_all_top(data: &mut Data) {
    data.insights.all_top_never = true;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::{Concern, Outcome};
    use chrono::{Duration, NaiveDate};

    fn day(n: i64) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 1, 1)
            .unwrap()
            .and_hms_opt(18, 0, 0)
            .unwrap()
            + Duration::days(n)
    }

    /// One check-in per day with these heard scores (None = skipped) and
    /// mood 5.
    fn data_with(heard: &[Option<u8>]) -> Data {
        let mut d = Data::default();
        let now: DateTime<Utc> = "2027-01-01T00:00:00Z".parse().unwrap();
        for (i, h) in heard.iter().enumerate() {
            let c = CheckIn {
                when: day(i as i64),
                mood: 5,
                heard: *h,
                ..CheckIn::default()
            };
            checkin::add(&mut d, c, day(10_000), now).unwrap();
        }
        d
    }

    #[test]
    fn averages_round_half_up_in_tenths() {
        assert_eq!(avg10(&[]), None);
        assert_eq!(avg10(&[7]), Some(70));
        assert_eq!(avg10(&[4, 5]), Some(45));
        // 10/3 = 3.333 -> 3.3; 11/3 = 3.667 -> 3.7; 0.25 -> 0.3 (half up).
        assert_eq!(avg10(&[3, 3, 4]), Some(33));
        assert_eq!(avg10(&[3, 4, 4]), Some(37));
        assert_eq!(avg10(&[0, 0, 0, 1]), Some(3));
    }

    #[test]
    fn series_ranges_skip_gaps_and_reduce() {
        let d = data_with(&[Some(1), None, Some(3), Some(5), None, Some(7)]);
        let o = checkin::ordered(&d);
        let s = series(&o, Metric::Item(Item::Heard), Range::All, 100);
        assert_eq!(s.count, 4);
        assert_eq!(
            s.points
                .iter()
                .map(|p| (p.x10, p.value10))
                .collect::<Vec<_>>(),
            [(0, 10), (10, 30), (20, 50), (30, 70)]
        );
        assert_eq!(
            (s.first10, s.last10, s.min, s.max, s.mean10),
            (Some(10), Some(70), Some(1), Some(7), Some(40))
        );
        // Reduced to 2 points: means of [1,3] and [5,7] at x 0.5 and 2.5.
        let s = series(&o, Metric::Item(Item::Heard), Range::All, 2);
        assert_eq!(
            s.points
                .iter()
                .map(|p| (p.x10, p.value10))
                .collect::<Vec<_>>(),
            [(5, 20), (25, 60)]
        );
        // Mood counts every check-in.
        assert_eq!(series(&o, Metric::Mood, Range::All, 100).count, 6);
        // Last 10 of 3,000: only the last ten, and a reduced "all" stays small.
        let many = data_with(&vec![Some(5); 3000]);
        let o = checkin::ordered(&many);
        assert_eq!(series(&o, Metric::Mood, Range::Last10, 100).count, 10);
        assert_eq!(
            series(&o, Metric::Mood, Range::Last30, 100).points.len(),
            30
        );
        let all = series(&o, Metric::Mood, Range::All, 120);
        assert_eq!((all.count, all.points.len()), (3000, 120));
        assert!(all.points.iter().all(|p| p.value10 == 50));
        // Nothing at all.
        let empty = series(&[], Metric::Mood, Range::All, 10);
        assert_eq!(empty, Series::default());
    }

    #[test]
    fn figures_compare_the_last_four_with_the_four_before() {
        let d = data_with(&[
            Some(2),
            Some(9),
            Some(4),
            Some(4),
            Some(6),
            Some(6),
            Some(7),
            Some(8),
            Some(5),
        ]);
        let o = checkin::ordered(&d);
        let f = figures(&o, Metric::Item(Item::Heard));
        // Last four 6,7,8,5 = 6.5; the four before 9,4,4,6 = 5.75 -> 5.8.
        assert_eq!(f.last4_avg10, Some(65));
        assert_eq!(f.before4_avg10, Some(58));
        assert_eq!(f.change, Some(-3));
        assert_eq!(f.latest, Some(5));
        // A single entry: no change, nothing before.
        let one = data_with(&[Some(4)]);
        let f = figures(&checkin::ordered(&one), Metric::Item(Item::Heard));
        assert_eq!(
            f,
            Figures {
                latest: Some(4),
                change: None,
                last4_avg10: Some(40),
                before4_avg10: None
            }
        );
        // Six entries: the two before the last four.
        let six = data_with(&[Some(1), Some(2), Some(5), Some(5), Some(5), Some(5)]);
        let f = figures(&checkin::ordered(&six), Metric::Item(Item::Heard));
        assert_eq!(
            (f.last4_avg10, f.before4_avg10, f.change),
            (Some(50), Some(15), Some(0))
        );
    }

    #[test]
    fn top_tags_count_ignoring_case_ties_alphabetical() {
        let mut d = data_with(&[None, None, None]);
        d.check_ins[0].body.tags = vec!["work".into(), "sleep".into()];
        d.check_ins[1].body.tags = vec!["Work".into(), "anxiety".into()];
        d.check_ins[2].body.tags = vec!["Sleep".into()];
        assert_eq!(
            top_tags(&d, 10),
            [
                ("Sleep".to_string(), 2),
                ("Work".to_string(), 2),
                ("anxiety".to_string(), 1)
            ]
        );
        assert_eq!(top_tags(&d, 1).len(), 1);
    }

    #[test]
    fn topics_map_to_items() {
        assert_eq!(item_for_topics(&[Topic::NotHeard]), Item::Heard);
        assert_eq!(item_for_topics(&[Topic::Goals]), Item::Goals);
        assert_eq!(item_for_topics(&[Topic::Pace]), Item::Approach);
        assert_eq!(item_for_topics(&[Topic::Homework]), Item::Approach);
        assert_eq!(item_for_topics(&[Topic::Practical]), Item::Overall);
        assert_eq!(item_for_topics(&[]), Item::Overall);
        assert_eq!(item_for_topics(&[Topic::Other, Topic::Goals]), Item::Goals);
        assert_eq!(topic_for_item(Item::Heard), Some(Topic::NotHeard));
        assert_eq!(topic_for_item(Item::Overall), None);
    }

    fn raised(d: &mut Data, topics: Vec<Topic>, at: NaiveDateTime) -> RecordId {
        let now = at.and_utc();
        let c = Concern {
            topics,
            state: ConcernState::Raised,
            outcome: Outcome {
                raised_at: Some(now),
                ..Outcome::default()
            },
            ..Concern::default()
        };
        let r = d.new_record(c, now);
        let id = r.id.clone();
        d.concerns.push(r);
        id
    }

    #[test]
    fn raising_compares_up_to_four_each_side() {
        // heard: 9 2 4 _ 5 | 6 8 _ 7 9 3
        let mut d = data_with(&[
            Some(9),
            Some(2),
            Some(4),
            None,
            Some(5),
            Some(6),
            Some(8),
            None,
            Some(7),
            Some(9),
            Some(3),
        ]);
        // Raised at noon on day 5 (before that day's 18:00 check-in).
        let id = raised(&mut d, vec![Topic::NotHeard], day(5) - Duration::hours(6));
        let e = effects(&d, &|t| t.naive_utc());
        assert_eq!(e.len(), 1);
        // Before: 5,4,2,9 = 5.0; after: 6,8,7,9 = 7.5.
        assert_eq!(
            (
                e[0].before_avg10,
                e[0].before_n,
                e[0].after_avg10,
                e[0].after_n
            ),
            (50, 4, 75, 4)
        );
        assert_eq!(e[0].item, Item::Heard);
        assert_eq!(e[0].concern, id);
        // A linked check-in sets the moment instead: day 2 (value 4) on.
        let at2 = d.check_ins[2].id.clone();
        d.check_ins
            .iter_mut()
            .find(|r| r.id == at2)
            .unwrap()
            .body
            .concerns = vec![id.clone()];
        let e = effects(&d, &|t| t.naive_utc());
        // Before: 2,9 = 5.5; after: 4,5,6,8 = 5.75 -> 5.8.
        assert_eq!(
            (
                e[0].before_avg10,
                e[0].before_n,
                e[0].after_avg10,
                e[0].after_n
            ),
            (55, 2, 58, 4)
        );
    }

    #[test]
    fn raising_needs_answers_on_both_sides_and_a_raised_state() {
        let mut d = data_with(&[Some(5), Some(6)]);
        raised(&mut d, vec![Topic::Goals], day(-1)); // nothing before
        let id = raised(&mut d, vec![Topic::NotHeard], day(1) - Duration::hours(1));
        // Goals were never answered: no line for the first. Heard: 5 | 6.
        let e = effects(&d, &|t| t.naive_utc());
        assert_eq!(e.len(), 1);
        assert_eq!((e[0].before_avg10, e[0].after_avg10), (50, 60));
        d.concerns
            .iter_mut()
            .find(|c| c.id == id)
            .unwrap()
            .body
            .state = ConcernState::Ready;
        assert!(effects(&d, &|t| t.naive_utc()).is_empty());
    }

    #[test]
    fn a_dip_needs_four_answers_before_and_two_points() {
        // Mean of 6,6,6,6 = 6: 4 is a dip, 5 is not.
        let d = data_with(&[Some(6), Some(6), Some(6), Some(6), Some(4)]);
        let n = nudge(&d).unwrap();
        assert_eq!((n.item, n.baseline10, n.latest), (Item::Heard, 60, 4));
        assert_eq!(n.start, d.check_ins[4].id);
        assert!(nudge(&data_with(&[Some(6), Some(6), Some(6), Some(6), Some(5)])).is_none());
        // Only three before: no nudge on so little history.
        assert!(nudge(&data_with(&[Some(6), Some(6), Some(6), Some(1)])).is_none());
        // A single entry.
        assert!(nudge(&data_with(&[Some(0)])).is_none());
        // A fractional mean: 7,7,6,6 = 6.5, so the edge is 4.5 and 4 dips.
        assert!(nudge(&data_with(&[Some(7), Some(7), Some(6), Some(6), Some(4)])).is_some());
        // Gaps (skipped items) are not counted as answers.
        assert!(nudge(&data_with(&[
            Some(6),
            None,
            Some(6),
            Some(6),
            None,
            Some(4)
        ]))
        .is_none());
        assert!(nudge(&data_with(&[
            Some(6),
            None,
            Some(6),
            Some(6),
            Some(6),
            None,
            Some(4)
        ]))
        .is_some());
    }

    #[test]
    fn a_dip_lasts_until_back_within_a_point_and_dismissal_sticks() {
        // Baseline 8: 5 starts a dip, 6 keeps it (more than 1 below), 7 ends it.
        let mut d = data_with(&[Some(8), Some(8), Some(8), Some(8), Some(5), Some(6)]);
        let n = nudge(&d).unwrap();
        assert_eq!(n.start, d.check_ins[4].id);
        assert_eq!((n.baseline10, n.latest), (80, 6));
        dismiss(&mut d, &n);
        dismiss(&mut d, &n);
        assert_eq!(d.insights.dismissed.len(), 1);
        assert!(nudge(&d).is_none());
        // Still the same dip after another low answer: stays away.
        let now: DateTime<Utc> = "2027-01-01T00:00:00Z".parse().unwrap();
        let low = CheckIn {
            when: day(6),
            mood: 5,
            heard: Some(5),
            ..CheckIn::default()
        };
        checkin::add(&mut d, low, day(10_000), now).unwrap();
        assert!(nudge(&d).is_none());
        // Recovery (7 is within 1 of 8) ends it ...
        let ok = CheckIn {
            when: day(7),
            mood: 5,
            heard: Some(7),
            ..CheckIn::default()
        };
        checkin::add(&mut d, ok, day(10_000), now).unwrap();
        assert!(dip(&checkin::ordered(&d), Item::Heard).is_none());
        // ... and a later drop below 7,8,8,8 is a new dip.
        for (i, v) in [8u8, 8, 8, 4].iter().enumerate() {
            let c = CheckIn {
                when: day(8 + i as i64),
                mood: 5,
                heard: Some(*v),
                ..CheckIn::default()
            };
            checkin::add(&mut d, c, day(10_000), now).unwrap();
        }
        let n2 = nudge(&d).unwrap();
        assert_ne!(n2.start, n.start);
        assert_eq!((n2.baseline10, n2.latest), (78, 4)); // 7,8,8,8 = 7.75 -> 7.8
    }

    #[test]
    fn the_largest_drop_wins_and_ties_go_to_the_first_item() {
        let mut d = data_with(&[Some(8), Some(8), Some(8), Some(8), Some(5)]);
        for (i, r) in d.check_ins.iter_mut().enumerate() {
            r.body.goals = Some(if i == 4 { 4 } else { 8 });
            r.body.approach = Some(if i == 4 { 5 } else { 8 });
        }
        assert_eq!(nudge(&d).unwrap().item, Item::Goals);
        let n = nudge(&d).unwrap();
        dismiss(&mut d, &n);
        // Heard and approach both dropped 3: heard comes first.
        assert_eq!(nudge(&d).unwrap().item, Item::Heard);
    }

    /// One check-in a day; `true` = all four items at 10, `false` = heard
    /// at 9 and the rest at 10.
    fn tops(pattern: &[bool]) -> Data {
        let mut d = Data::default();
        let now: DateTime<Utc> = "2027-01-01T00:00:00Z".parse().unwrap();
        for (i, top) in pattern.iter().enumerate() {
            let c = CheckIn {
                when: day(i as i64),
                mood: 6,
                heard: Some(if *top { 10 } else { 9 }),
                goals: Some(10),
                approach: Some(10),
                overall: Some(10),
                ..CheckIn::default()
            };
            checkin::add(&mut d, c, day(10_000), now).unwrap();
        }
        d
    }

    #[test]
    fn a_run_of_five_tops_shows_nothing() {
        let d = tops(&[false, true, true, true, true, true]);
        let o = checkin::ordered(&d);
        assert_eq!(top_run(&o).map(|(_, n)| n), Some(5));
        assert_eq!(all_top_line(&d), None);
        assert_eq!(all_top_line(&tops(&[true; 5])), None);
        assert_eq!(all_top_line(&Data::default()), None);
    }

    #[test]
    fn a_run_of_six_shows_the_line_from_its_first_check_in() {
        let d = tops(&[false, true, true, true, true, true, true]);
        // The run is check-ins 2..=7 (ids r2..r7); it starts at r2.
        assert_eq!(all_top_line(&d).as_deref(), Some("r2"));
        assert_eq!(all_top_line(&tops(&[true; 6])).as_deref(), Some("r1"));
    }

    #[test]
    fn a_run_of_seven_is_the_same_run_so_a_dismissal_holds() {
        let mut d = tops(&[true; 6]);
        let start = all_top_line(&d).unwrap();
        dismiss_all_top(&mut d, &start);
        assert_eq!(all_top_line(&d), None);
        // A seventh top check-in: still the run from r1, still dismissed.
        let now: DateTime<Utc> = "2027-01-01T00:00:00Z".parse().unwrap();
        let mut c = d.check_ins[0].body.clone();
        c.when = day(6);
        checkin::add(&mut d, c, day(10_000), now).unwrap();
        let o = checkin::ordered(&d);
        assert_eq!(top_run(&o).map(|(s, n)| (s.as_str(), n)), Some(("r1", 7)));
        assert_eq!(all_top_line(&d), None);
        // Without the dismissal a run of seven shows it.
        assert_eq!(all_top_line(&tops(&[true; 7])).as_deref(), Some("r1"));
    }

    #[test]
    fn a_gap_starts_a_new_run_that_shows_again() {
        // Six tops (r1..r6), one gap (r7), then five tops: no line.
        let mut pattern = vec![true; 6];
        pattern.push(false);
        pattern.extend([true; 5]);
        let mut d = tops(&pattern);
        assert_eq!(all_top_line(&d), None);
        // The earlier run was dismissed; a sixth top after the gap is a
        // new run (from r8) and shows the line again.
        dismiss_all_top(&mut d, "r1");
        let now: DateTime<Utc> = "2027-01-01T00:00:00Z".parse().unwrap();
        let mut c = d.check_ins[0].body.clone();
        c.when = day(12);
        checkin::add(&mut d, c, day(10_000), now).unwrap();
        assert_eq!(all_top_line(&d).as_deref(), Some("r8"));
        // "Don't show this" is for good, this run and every later one.
        never_all_top(&mut d);
        assert_eq!(all_top_line(&d), None);
    }

    #[test]
    fn a_single_missing_item_breaks_the_run() {
        let mut d = tops(&[true; 6]);
        d.check_ins[2].body.approach = None;
        // The run is now r4..r6: three long.
        let o = checkin::ordered(&d);
        assert_eq!(top_run(&o).map(|(s, n)| (s.as_str(), n)), Some(("r4", 3)));
        assert_eq!(all_top_line(&d), None);
        // Mood plays no part: a low mood in a top run keeps it whole.
        let mut d = tops(&[true; 6]);
        d.check_ins[3].body.mood = 1;
        assert!(all_top_line(&d).is_some());
    }
}

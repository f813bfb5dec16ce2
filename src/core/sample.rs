//! Sample data: a realistic, varied history for trying the app, the
//! screenshots and the benchmarks (`common-ground sample-data`).
//!
//! Sessions come about weekly with breaks (holidays, illness), and mood and
//! agreement drift around a level that rises slowly over the years, with
//! ruptures: a few sessions where one agreement item drops, a concern
//! written about it, raised, and a recovery after. Notes are of real length
//! and in several scripts. Concerns are in every state; raised ones are
//! linked to the check-in of the session they were raised in. The same
//! seed and end date give the same data.
//!
//! The random numbers are a small SplitMix64 generator: this is test data,
//! not security.

use std::collections::HashSet;

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc};

use crate::core::model::{
    CheckIn, Concern, ConcernState, Data, Item, Outcome, RaiseWay, Record, RecordId, Response,
    Topic,
};

/// What to generate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Spec {
    pub years: u32,
    /// Check-ins per year (about 46 is weekly with breaks; 365 is the
    /// heavy 10-year benchmark store).
    pub per_year: u32,
    /// Concerns per year.
    pub concerns_per_year: u32,
    pub seed: u64,
    /// The last day of the history.
    pub end: NaiveDate,
}

impl Spec {
    /// About weekly sessions with breaks and about one concern a month.
    pub fn weekly(years: u32, end: NaiveDate) -> Spec {
        Spec {
            years,
            per_year: 46,
            concerns_per_year: 12,
            seed: 8,
            end,
        }
    }

    /// A check-in every day and about two concerns a week: far more than
    /// anyone will write (the benchmarks' store).
    pub fn heavy(years: u32, end: NaiveDate) -> Spec {
        Spec {
            per_year: 365,
            concerns_per_year: 100,
            ..Spec::weekly(years, end)
        }
    }
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// 0..n
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    /// true with probability `percent` / 100.
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    fn pick<'a, T>(&mut self, list: &'a [T]) -> &'a T {
        &list[self.below(list.len() as u64) as usize]
    }
    /// -spread..=spread
    fn jitter(&mut self, spread: i32) -> i32 {
        self.below(spread as u64 * 2 + 1) as i32 - spread
    }
}

const NOTES: &[&str] = &[
    "Talked mostly about work. I kept circling the same worry about the deadline and we did not get to the thing I had planned to bring up.",
    "Good session. I said out loud that I was tired of explaining myself to my family, and it felt lighter afterwards.",
    "We tried the breathing exercise again. I am not sure it helps me, but I liked that we looked at why it might not.",
    "Short one today because of the traffic. Still useful.",
    "She asked about my sleep and I realised it has been bad for weeks without me noticing.",
    "I felt rushed near the end, as if the important part only came up when there were five minutes left.",
    "Hablamos de mi madre. Me costó empezar, pero al final pude decir lo que llevaba meses guardando.",
    "Nous avons parlé du travail et de la fatigue. J'ai eu l'impression d'être vraiment écouté aujourd'hui.",
    "Heute ging es um meine Schwester. Ich war wütend und durfte es auch sein.",
    "Говорили о тревоге перед поездкой. Стало немного спокойнее, когда мы разобрали план по шагам.",
    "تحدثنا عن ضغط العمل. شعرت أنني مسموع، وهذا ساعدني كثيرا.",
    "היה מפגש קשה. לא הרגשתי שמבינים אותי, אבל אמרתי את זה בסוף.",
    "今日は仕事の話をした。最後に少し泣いたけれど、話せてよかった。",
    "今天谈到了我和父亲的关系。比上次轻松一些。",
    "오늘은 잠에 대해 이야기했다. 작은 목표를 하나 정했다.",
    "आज हमने काम के तनाव के बारे में बात की। मुझे लगा कि मेरी बात सुनी गई।",
    "The homework sheet again. I did it, but I did not see the point, and I said so this time. 🌱",
    "Mostly quiet. I did not have much to say and that was allowed.",
    "We looked back at the last few months. More has changed than I thought.",
    "I brought up the pace. We agreed to slow down and spend longer on one thing at a time. That felt like a real change, and I noticed I could breathe more easily for the rest of the session. I want to remember that asking worked.",
];

const TAGS: &[&str] = &[
    "work",
    "family",
    "sleep",
    "anxiety",
    "homework",
    "breakthrough",
    "tired",
    "online",
    "relationships",
    "grief",
    "Arbeit",
    "famille",
    "睡眠",
    "онлайн",
];

const WHAT_HAPPENED: &[(Topic, &str)] = &[
    (Topic::NotHeard, "I tried to explain why the weekend was hard and was cut off with a suggestion before I had finished."),
    (Topic::Pace, "We moved on to a new exercise before I felt done with the last one."),
    (Topic::Homework, "The worksheets keep coming back and I do not see how they connect to what I came for."),
    (Topic::Goals, "We keep talking about work, but what I came for was my relationship with my brother."),
    (Topic::Approach, "The exercises feel mechanical. I would rather talk things through."),
    (Topic::SomethingSaid, "A remark about my weight stayed with me all week."),
    (Topic::Practical, "The session started late twice and ended on time, so it was short."),
];

const WOULD_LIKE: &[&str] = &[
    "To be able to finish my thought before we move on.",
    "To agree together on what we work on next.",
    "Less homework, or homework that fits my week.",
    "To check in at the start about what matters most that day.",
];

const FEELINGS: &[&str] = &[
    "unheard",
    "frustrated",
    "confused",
    "let-down",
    "anxious",
    "unsure",
];

/// The earliest last day a sample history may have (50 years before it is
/// still an ordinary date).
pub const FIRST_END: NaiveDate = match NaiveDate::from_ymd_opt(1970, 1, 1) {
    Some(d) => d,
    None => NaiveDate::MIN,
};
/// The latest last day a sample history may have (every time in it stays
/// a four-digit year, which every reader of the store understands).
pub const LAST_END: NaiveDate = match NaiveDate::from_ymd_opt(9000, 12, 31) {
    Some(d) => d,
    None => NaiveDate::MAX,
};

/// Fills an empty document with a sample history. An `end` outside
/// [`FIRST_END`]..=[`LAST_END`] is taken as the nearer of the two (the
/// command line refuses such dates before this).
pub fn generate(mut spec: Spec) -> Data {
    spec.end = spec.end.clamp(FIRST_END, LAST_END);
    spec.years = spec.years.min(1000);
    spec.per_year = spec.per_year.min(100_000);
    spec.concerns_per_year = spec.concerns_per_year.min(100_000);
    let mut rng = Rng(spec.seed ^ 0x5EED_0008);
    let mut data = Data::default();
    let total = (spec.years * spec.per_year) as i64;
    let concerns_total = (spec.years * spec.concerns_per_year) as usize;
    let days = (spec.years as i64 * 365).max(1);
    let start = spec.end - Duration::days(days - 1);
    let step_minutes = days * 24 * 60 / total.max(1);

    // Check-in times first, spread evenly with jitter, with breaks.
    let mut times: Vec<NaiveDateTime> = Vec::with_capacity(total as usize);
    let mut t = start.and_time(NaiveTime::from_hms_opt(17, 0, 0).unwrap_or_default());
    let end = spec.end.and_hms_opt(21, 0, 0).unwrap_or_default();
    for _ in 0..total {
        let jitter = rng.jitter((step_minutes / 6) as i32) as i64;
        let when = t + Duration::minutes(jitter);
        times.push(when);
        t += Duration::minutes(step_minutes);
        // A break now and then: holidays, illness, a therapist away.
        if rng.chance(3) {
            t += Duration::minutes(step_minutes * (1 + rng.below(3) as i64));
        }
    }
    // Squeeze the breaks back into the range: scale to end at `end`.
    times.sort();
    if let (Some(&first), Some(&last)) = (times.first(), times.last()) {
        let span = (last - first).num_minutes().max(1);
        let want = (end - first).num_minutes().max(1);
        for x in times.iter_mut() {
            *x = first + Duration::minutes((*x - first).num_minutes() * want / span);
        }
    }
    times.sort();

    // Levels in tenths, drifting upward over the years.
    let mut level = [55i32, 60, 55, 55, 58]; // mood, heard, goals, approach, overall
                                             // A rupture: which item, how many check-ins left, and the concern it
                                             // led to.
    let mut rupture: Option<(Item, u32)> = None;
    let mut since_rupture = 0u32;
    let mut concerns_made = 0usize;
    let every = (total as usize / concerns_total.max(1)).max(1);
    let mut to_raise: Option<(usize, usize)> = None; // (concern index, raise at check-in)

    for (i, &when) in times.iter().enumerate() {
        let progress = i as i32 * 20 / total.max(1) as i32; // 0..20: + up to 2 points
        for l in level.iter_mut() {
            *l = (*l + rng.jitter(4)).clamp(30, 85);
        }
        since_rupture += 1;
        if rupture.is_none() && since_rupture > 8 && rng.chance(7) {
            let item = *rng.pick(&[Item::Heard, Item::Approach, Item::Goals, Item::Overall]);
            rupture = Some((item, 2 + rng.below(4) as u32));
            since_rupture = 0;
        }
        let score = |base: i32, rng: &mut Rng, dip: bool| -> u8 {
            let v = base + progress + rng.jitter(10) - if dip { 35 } else { 0 };
            ((v + 5) / 10).clamp(0, 10) as u8
        };
        let dipping = |item: Item| matches!(rupture, Some((d, _)) if d == item);
        let any_dip = rupture.is_some();
        let mood = score(level[0], &mut rng, false).saturating_sub(u8::from(any_dip));
        let answered = rng.chance(85);
        let c = CheckIn {
            when,
            mood,
            mood_before: rng
                .chance(40)
                .then(|| mood.saturating_sub(rng.below(3) as u8)),
            heard: answered.then(|| score(level[1], &mut rng, dipping(Item::Heard))),
            goals: (answered && rng.chance(90))
                .then(|| score(level[2], &mut rng, dipping(Item::Goals))),
            approach: (answered && rng.chance(90))
                .then(|| score(level[3], &mut rng, dipping(Item::Approach))),
            overall: answered.then(|| score(level[4], &mut rng, dipping(Item::Overall))),
            note: if rng.chance(60) {
                let mut n = (*rng.pick(NOTES)).to_owned();
                if rng.chance(20) {
                    let more: &str = rng.pick::<&str>(NOTES);
                    n.push_str("\n\n");
                    n.push_str(more);
                }
                n
            } else {
                String::new()
            },
            tags: {
                let mut tags: Vec<String> = Vec::new();
                for _ in 0..rng.below(4) {
                    let t = (*rng.pick(TAGS)).to_owned();
                    if !tags.contains(&t) {
                        tags.push(t);
                    }
                }
                tags
            },
            concerns: Vec::new(),
        };
        let created = (when + Duration::minutes(5)).and_utc();
        let record = data.new_record(c, created);
        data.check_ins.push(record);

        // A concern now and then, more often during a rupture.
        let due = concerns_made < concerns_total
            && (i % every == every / 2 || (any_dip && to_raise.is_none() && rng.chance(50)));
        if due && concerns_made < concerns_total {
            let (topic, text) = match rupture {
                Some((Item::Heard, _)) => WHAT_HAPPENED[0],
                Some((Item::Approach, _)) => WHAT_HAPPENED[1 + rng.below(2) as usize],
                Some((Item::Goals, _)) => WHAT_HAPPENED[3],
                _ => *rng.pick(WHAT_HAPPENED),
            };
            let state = if i + 1 == times.len() {
                ConcernState::Draft
            } else {
                *rng.pick(&[
                    ConcernState::Raised,
                    ConcernState::Raised,
                    ConcernState::Settled,
                    ConcernState::Settled,
                    ConcernState::SetAside,
                    ConcernState::Draft,
                ])
            };
            let body = Concern {
                topics: vec![topic],
                what_happened: text.to_owned(),
                feelings: vec![(*rng.pick(FEELINGS)).to_owned()],
                intensity: 1 + rng.below(5) as u8,
                what_matters: "Feeling that we are working on this together.".to_owned(),
                would_like: (*rng.pick(WOULD_LIKE)).to_owned(),
                raise_way: Some(*rng.pick(&[
                    RaiseWay::SayHowIFeel,
                    RaiseWay::AskToExplain,
                    RaiseWay::WorkOutChange,
                ])),
                step: if state == ConcernState::Draft { 3 } else { 7 },
                state,
                ..Concern::default()
            };
            let record = data.new_record(body, created + Duration::hours(1));
            let index = data.concerns.len();
            data.concerns.push(record);
            concerns_made += 1;
            if matches!(state, ConcernState::Raised | ConcernState::Settled) {
                to_raise = Some((index, i + 1 + rng.below(2) as usize));
            }
        }
        // Raise the pending concern at this check-in: link it, and the
        // rupture ends.
        if let Some((ci, at)) = to_raise {
            if at <= i {
                let id = data.concerns[ci].id.clone();
                let raised_at = created - Duration::minutes(2);
                let c = &mut data.concerns[ci];
                c.body.outcome = Outcome {
                    raised_at: Some(raised_at),
                    response: Some(*rng.pick(&[
                        Response::Listened,
                        Response::Explained,
                        Response::ChangedPlan,
                        Response::Disagreed,
                    ])),
                    note: if rng.chance(50) {
                        "It was easier than I expected. We agreed to try it differently for a few weeks.".to_owned()
                    } else {
                        String::new()
                    },
                    feel_now: rng.chance(70).then(|| 5 + rng.below(6) as u8),
                };
                c.updated = raised_at;
                if let Some(last) = data.check_ins.last_mut() {
                    last.body.concerns.push(id);
                }
                to_raise = None;
                rupture = None;
            }
        }
        if let Some((item, left)) = rupture {
            // Left alone, a rupture fades too.
            rupture = (left > 1).then_some((item, left - 1));
        }
    }
    // A concern still waiting to be raised, with one on the agenda.
    if let Some((ci, _)) = to_raise {
        data.concerns[ci].body.state = ConcernState::Ready;
        data.concerns[ci].body.outcome = Outcome::default();
    }
    data.prepare.agenda = data
        .concerns
        .iter()
        .filter(|c| c.body.state == ConcernState::Ready)
        .map(|c| c.id.clone())
        .collect();
    // Every state at least once: the oldest concerns are turned into the
    // missing ones.
    for (n, state) in [
        ConcernState::Ready,
        ConcernState::Draft,
        ConcernState::SetAside,
    ]
    .into_iter()
    .enumerate()
    {
        if !data.concerns.iter().any(|c| c.body.state == state) {
            if let Some(c) = data.concerns.get_mut(n) {
                if c.body.state == ConcernState::Raised || c.body.state == ConcernState::Settled {
                    let id = c.id.clone();
                    for r in data.check_ins.iter_mut() {
                        r.body.concerns.retain(|x| *x != id);
                    }
                }
                c.body.state = state;
                c.body.outcome = Outcome::default();
                if state == ConcernState::Ready {
                    data.prepare.agenda.push(c.id.clone());
                }
            }
        }
    }
    data
}

/// `data` as it stood at `at`: only the check-ins and concerns written by
/// then, and no link to a record written later. For the few backups that
/// `sample-data --backups` writes, each holding the history of its day.
pub fn as_of(data: &Data, at: DateTime<Utc>) -> Data {
    let mut d = data.clone();
    d.check_ins.retain(|r| r.created <= at);
    d.concerns.retain(|r| r.created <= at);
    let concerns: HashSet<RecordId> = d.concerns.iter().map(|r| r.id.clone()).collect();
    for r in &mut d.check_ins {
        r.body.concerns.retain(|id| concerns.contains(id));
    }
    d.prepare.agenda.retain(|id| concerns.contains(id));
    d.prepare.open = d.prepare.open.filter(|id| concerns.contains(id));
    d
}

/// The check-ins of `data` in time order (a convenience for callers that
/// want to check the shape).
pub fn ordered(data: &Data) -> Vec<&Record<CheckIn>> {
    crate::core::checkin::ordered(data)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn end() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()
    }

    #[test]
    fn extreme_end_dates_do_not_panic() {
        for end in [NaiveDate::MIN, NaiveDate::MAX, FIRST_END, LAST_END] {
            let data = generate(Spec {
                per_year: 5,
                concerns_per_year: 2,
                ..Spec::weekly(50, end)
            });
            assert!(!data.check_ins.is_empty());
        }
    }

    #[test]
    fn same_seed_same_data_and_a_varied_history() {
        let a = generate(Spec::weekly(2, end()));
        assert_eq!(a, generate(Spec::weekly(2, end())));
        let other = generate(Spec {
            seed: 9,
            ..Spec::weekly(2, end())
        });
        assert_ne!(a, other);
        assert_eq!(a.check_ins.len(), 92);
        assert_eq!(a.concerns.len(), 24);
        // In time order, nothing in the future, all scores on the scale.
        let o = ordered(&a);
        assert!(o.windows(2).all(|w| w[0].body.when <= w[1].body.when));
        assert!(a.check_ins.iter().all(|r| r.body.when.date() <= end()));
        assert!(a.check_ins.iter().all(
            |r| r.body.mood <= 10 && Item::ALL.iter().all(|i| i.of(&r.body).unwrap_or(0) <= 10)
        ));
        // Every concern state, and raised ones linked to a check-in.
        for s in [
            ConcernState::Draft,
            ConcernState::Ready,
            ConcernState::Raised,
            ConcernState::Settled,
            ConcernState::SetAside,
        ] {
            assert!(a.concerns.iter().any(|c| c.body.state == s), "{s:?}");
        }
        let linked = a
            .check_ins
            .iter()
            .filter(|r| !r.body.concerns.is_empty())
            .count();
        assert!(linked > 3, "{linked}");
        // Notes in several scripts, some tags, some skipped items.
        assert!(a.check_ins.iter().any(|r| r.body.note.contains('ת')));
        assert!(a.check_ins.iter().any(|r| !r.body.tags.is_empty()));
        assert!(a.check_ins.iter().any(|r| r.body.heard.is_none()));
        // Scores move: a spread of values.
        let heard: Vec<u8> = a.check_ins.iter().filter_map(|r| r.body.heard).collect();
        assert!(heard.iter().max().unwrap() - heard.iter().min().unwrap() >= 4);
    }

    #[test]
    fn the_history_as_of_a_day_holds_what_was_written_by_then_and_no_dangling_link() {
        let all = generate(Spec::weekly(2, end()));
        let mut times: Vec<_> = all.concerns.iter().map(|r| r.created).collect();
        times.sort();
        let at = times[times.len() / 2];
        let then = as_of(&all, at);
        assert!(then.check_ins.len() < all.check_ins.len());
        assert!(then.concerns.len() < all.concerns.len());
        assert!(!then.check_ins.is_empty() && !then.concerns.is_empty());
        assert!(then.check_ins.iter().all(|r| r.created <= at));
        let ids: HashSet<&str> = then.concerns.iter().map(|r| r.id.as_str()).collect();
        for r in &then.check_ins {
            assert!(r.body.concerns.iter().all(|id| ids.contains(id.as_str())));
        }
        assert!(then
            .prepare
            .agenda
            .iter()
            .all(|id| ids.contains(id.as_str())));
        assert!(then.prepare.open.iter().all(|id| ids.contains(id.as_str())));
        // Nothing is lost by the end.
        assert_eq!(as_of(&all, DateTime::<Utc>::MAX_UTC), all);
    }

    #[test]
    fn the_heavy_store_has_the_benchmark_size() {
        let d = generate(Spec {
            seed: 1,
            ..Spec::heavy(10, end())
        });
        assert_eq!(d.check_ins.len(), 3650);
        assert_eq!(d.concerns.len(), 1000);
    }
}

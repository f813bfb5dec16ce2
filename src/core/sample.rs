//! Sample data: a realistic, varied history for trying the app, the
//! screenshots and the benchmarks (`common-ground sample-data`).
//!
//! Sessions come about weekly with breaks (holidays, illness), at the times
//! of day sessions happen, and mood and agreement drift around a level that
//! rises slowly over the years, with ruptures: a few sessions where one
//! agreement item drops, a concern written about it, raised, and a recovery
//! after. Concerns are spread over the whole period, each in its own words;
//! the older ones raised, settled or set aside, the recent ones on the
//! agenda ("For my next session") or still drafts. The history ends the
//! day before `end` (nothing in the future, so a check-in made today is the
//! latest) with a dip in "heard" over the last two sessions, so the
//! Insights nudge shows. Notes are in English, of real length; `scripts`
//! mixes in notes and tags in other scripts (for the tests that check
//! text in every script survives). The same spec gives the same data.
//!
//! The random numbers are a small SplitMix64 generator: this is test data,
//! not security.

use std::collections::HashSet;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc};

use crate::core::sessions::{Repeat, Schedule, DEFAULT_MINUTES};

use crate::core::model::{
    CheckIn, Concern, ConcernState, Data, HeldBack, Item, Outcome, RaiseWay, Reaction, Record,
    RecordId, Response, Topic, UnsaidMark, UnsaidState,
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
    /// The day after the history: the last session is the day before.
    pub end: NaiveDate,
    /// Mix notes and tags in other scripts into the history.
    pub scripts: bool,
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
            scripts: false,
        }
    }

    /// A check-in every day and about two concerns a week: far more than
    /// anyone will write (the benchmarks' store), with notes in several
    /// scripts as the benchmark figures have always been taken.
    pub fn heavy(years: u32, end: NaiveDate) -> Spec {
        Spec {
            per_year: 365,
            concerns_per_year: 100,
            scripts: true,
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

/// Words for "Anything you held back?".
const HELD_BACK: &[&str] = &[
    "I didn't say that the breathing exercise makes me more tense, not less.",
    "I wanted to ask why we keep going back to my childhood.",
    "When she checked the time I felt like a burden, and I smiled instead.",
    "That I've been thinking about taking a break from therapy.",
    "I agreed to the homework but I know I won't do it.",
    "The joke about my job stung a bit.",
];

const NOTES: &[&str] = &[
    "Talked mostly about work. I kept circling the same worry about the deadline and we did not get to the thing I had planned to bring up.",
    "Good session. I said out loud that I was tired of explaining myself to my family, and it felt lighter afterwards.",
    "We tried the breathing exercise again. I am not sure it helps me, but I liked that we looked at why it might not.",
    "Short one today because of the traffic. Still useful.",
    "She asked about my sleep and I realised it has been bad for weeks without me noticing.",
    "I felt rushed near the end, as if the important part only came up when there were five minutes left.",
    "The homework sheet again. I did it, but I did not see the point, and I said so this time. 🌱",
    "Mostly quiet. I did not have much to say and that was allowed.",
    "We looked back at the last few months. More has changed than I thought.",
    "I brought up the pace. We agreed to slow down and spend longer on one thing at a time. That felt like a real change, and I noticed I could breathe more easily for the rest of the session. I want to remember that asking worked.",
    "Talked about my mother's birthday and why I dread it every year.",
    "An online session from the hotel. The sound kept dropping, so we kept it light.",
    "I cried for the first time in there. Nobody rushed me.",
    "We made a plan for the conversation with my manager. I feel ready-ish.",
    "Hard to start today. Once I did, it went somewhere useful.",
    "I noticed I was saying what I thought she wanted to hear. Next time I will try not to.",
    "We talked about grief and the anniversary coming up. I was glad of the time.",
    "Felt a bit flat. Not a bad session, just a tired one.",
    "She remembered something I said weeks ago, which meant a lot.",
    "We disagreed about whether I should call my brother. I said so, and we left it open.",
];

/// Notes in other scripts, mixed in only with `Spec::scripts`.
const SCRIPT_NOTES: &[&str] = &[
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
];

/// Tags in other scripts, mixed in only with `Spec::scripts`.
const SCRIPT_TAGS: &[&str] = &["Arbeit", "famille", "睡眠", "онлайн"];

/// What happened, by topic: many different moments, so the list of
/// concerns reads like a life and not the same few sentences.
const WHAT_HAPPENED: &[(Topic, &str)] = &[
    (Topic::NotHeard, "I tried to explain why the weekend was hard and was cut off with a suggestion before I had finished."),
    (Topic::NotHeard, "When I said the new job was not the problem, we went on talking about the new job."),
    (Topic::NotHeard, "I mentioned my dad twice and it was not picked up either time."),
    (Topic::NotHeard, "She finished my sentence for me, and it was not what I was going to say."),
    (Topic::Pace, "We moved on to a new exercise before I felt done with the last one."),
    (Topic::Pace, "The last ten minutes felt like a rush to wrap up just as I got to the point."),
    (Topic::Pace, "We have spent four sessions on my childhood and I am not sure why now."),
    (Topic::Homework, "The worksheets keep coming back and I do not see how they connect to what I came for."),
    (Topic::Homework, "I was asked to keep a mood diary every evening, and that is not realistic with night shifts."),
    (Topic::Homework, "I did not do the reading and felt told off for it."),
    (Topic::Goals, "We keep talking about work, but what I came for was my relationship with my brother."),
    (Topic::Goals, "I am not sure what we are working towards any more."),
    (Topic::Goals, "I want to focus on sleep for a while, and we have not agreed on that."),
    (Topic::Approach, "The exercises feel mechanical. I would rather talk things through."),
    (Topic::Approach, "Being asked how that makes me feel after everything I say wears me out."),
    (Topic::Approach, "The role play with the empty chair made me feel silly rather than helped."),
    (Topic::SomethingSaid, "A remark about my weight stayed with me all week."),
    (Topic::SomethingSaid, "She called my worry about money catastrophising, and it felt dismissive."),
    (Topic::SomethingSaid, "A joke about my accent landed badly."),
    (Topic::Practical, "The session started late twice and ended on time, so it was short."),
    (Topic::Practical, "The fee went up with a week's notice."),
    (Topic::Practical, "Moving to online sessions was decided without asking me."),
    (Topic::Practical, "I got a text about a cancelled session an hour before it."),
];

const WHAT_MATTERS: &[&str] = &[
    "Feeling that we are working on this together.",
    "Being able to say the hard things without rushing.",
    "Using our time on what I came for.",
    "Trusting that what I say is taken seriously.",
    "Knowing where we are going.",
];

const WOULD_LIKE: &[&str] = &[
    "To be able to finish my thought before we move on.",
    "To agree together on what we work on next.",
    "Less homework, or homework that fits my week.",
    "To check in at the start about what matters most that day.",
    "To hear why we are doing an exercise before we start it.",
    "A few minutes at the end to say how the session felt.",
];

const FEELINGS: &[&str] = &[
    "unheard",
    "frustrated",
    "confused",
    "let-down",
    "anxious",
    "unsure",
    "hurt",
    "disappointed",
];

/// When sessions happen (local time).
const SESSION_TIMES: &[(u32, u32)] = &[
    (8, 30),
    (10, 0),
    (12, 30),
    (16, 0),
    (17, 30),
    (18, 0),
    (19, 0),
];

/// The concern behind the dip at the end: written after the last session,
/// on the agenda for the next one.
const LAST_CONCERN: &str =
    "Twice now I started to talk about my sister and we moved on before I could say what happened.";

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
    let total = (spec.years * spec.per_year) as usize;
    let concerns_total = (spec.years * spec.concerns_per_year) as usize;
    let days = (spec.years as i64 * 365).max(1);
    // Nothing on `end` itself or later: a check-in made that day is the
    // latest.
    let last_day = spec.end - Duration::days(1);
    let start = last_day - Duration::days(days - 1);

    // Session days first, spread evenly with jitter and breaks (holidays,
    // illness, a therapist away), then squeezed back into the range; each
    // at a time of day sessions happen.
    let step = days as f64 / total.max(1) as f64;
    let mut offsets: Vec<f64> = Vec::with_capacity(total);
    let mut t = 0.0f64;
    for _ in 0..total {
        offsets.push(t + rng.jitter(2) as f64 * step / 8.0);
        t += step;
        if rng.chance(3) {
            t += step * (1 + rng.below(3)) as f64;
        }
    }
    let (lo, hi) = offsets
        .iter()
        .fold((f64::MAX, f64::MIN), |(l, h), &x| (l.min(x), h.max(x)));
    let span = (hi - lo).max(1.0);
    let mut times: Vec<NaiveDateTime> = offsets
        .iter()
        .map(|x| {
            let day = ((x - lo) * (days - 1) as f64 / span).round() as i64;
            let (h, m) = *rng.pick(SESSION_TIMES);
            (start + Duration::days(day.clamp(0, days - 1)))
                .and_time(NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default())
        })
        .collect();
    times.sort();

    // Which check-in each concern follows: evenly over the whole period.
    let concern_at = |k: usize| (2 * k + 1) * total / (2 * concerns_total.max(1));
    let mut next_concern = 0usize;
    // A different moment each time: walk the list in a seeded order.
    let offset = rng.below(WHAT_HAPPENED.len() as u64) as usize;

    // Levels in tenths, drifting upward over the years.
    let mut level = [55i32, 60, 55, 55, 58]; // mood, heard, goals, approach, overall
                                             // A rupture: which item, and how many check-ins it has left.
    let mut rupture: Option<(Item, u32)> = None;
    let mut since_rupture = 0u32;
    // Concerns waiting to be raised: (concern index, at check-in).
    let mut to_raise: Vec<(usize, usize)> = Vec::new();

    for (i, &when) in times.iter().enumerate() {
        let progress = (i * 20 / total.max(1)) as i32; // 0..20: + up to 2 points
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
        let note = |rng: &mut Rng| -> String {
            if spec.scripts && rng.chance(35) {
                (*rng.pick(SCRIPT_NOTES)).to_owned()
            } else {
                (*rng.pick(NOTES)).to_owned()
            }
        };
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
                let mut n = note(&mut rng);
                if rng.chance(20) {
                    n.push_str("\n\n");
                    n.push_str(&note(&mut rng));
                }
                n
            } else {
                String::new()
            },
            tags: {
                let mut tags: Vec<String> = Vec::new();
                for _ in 0..rng.below(4) {
                    let t = if spec.scripts && rng.chance(30) {
                        (*rng.pick(SCRIPT_TAGS)).to_owned()
                    } else {
                        (*rng.pick(TAGS)).to_owned()
                    };
                    if !tags.contains(&t) {
                        tags.push(t);
                    }
                }
                tags
            },
            concerns: Vec::new(),
            ..CheckIn::default()
        };
        let created = (when + Duration::minutes(50)).and_utc();
        let record = data.new_record(c, created);
        data.check_ins.push(record);

        // Raise what is due at this session: link it, and a rupture ends.
        let (due, later): (Vec<_>, Vec<_>) = to_raise.into_iter().partition(|&(_, at)| at <= i);
        to_raise = later;
        for (ci, _) in due {
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
                    (*rng.pick(&[
                        "It was easier than I expected. We agreed to try it differently for a few weeks.",
                        "She listened and said she had not noticed. We will check in about it next month.",
                        "Awkward at first, but I am glad I said it.",
                    ]))
                    .to_owned()
                } else {
                    String::new()
                },
                feel_now: rng.chance(70).then(|| 5 + rng.below(6) as u8),
            };
            c.updated = raised_at;
            if let Some(last) = data.check_ins.last_mut() {
                last.body.concerns.push(id);
            }
            rupture = None;
        }

        // The concerns written after this session.
        while next_concern < concerns_total && concern_at(next_concern) == i {
            let k = next_concern;
            next_concern += 1;
            let pick = |wanted: &[Topic]| -> (Topic, &'static str) {
                let fitting: Vec<&(Topic, &str)> = WHAT_HAPPENED
                    .iter()
                    .filter(|(t, _)| wanted.contains(t))
                    .collect();
                let (t, w) = fitting[k % fitting.len()];
                (*t, *w)
            };
            let (topic, text) = match rupture {
                Some((Item::Heard, _)) => pick(&[Topic::NotHeard, Topic::SomethingSaid]),
                Some((Item::Approach, _)) => pick(&[Topic::Approach, Topic::Pace, Topic::Homework]),
                Some((Item::Goals, _)) => pick(&[Topic::Goals]),
                _ => WHAT_HAPPENED[(k * 7 + offset) % WHAT_HAPPENED.len()],
            };
            // The newest are still ahead: on the agenda, or a draft.
            let from_end = concerns_total - 1 - k;
            let state = match from_end {
                0..=2 => ConcernState::Ready,
                3 => ConcernState::Draft,
                _ => *rng.pick(&[
                    ConcernState::Raised,
                    ConcernState::Raised,
                    ConcernState::Settled,
                    ConcernState::Settled,
                    ConcernState::Settled,
                    ConcernState::SetAside,
                    ConcernState::SetAside,
                    ConcernState::Draft,
                ]),
            };
            let mut feelings = vec![(*rng.pick(FEELINGS)).to_owned()];
            if rng.chance(40) {
                let f = (*rng.pick(FEELINGS)).to_owned();
                if !feelings.contains(&f) {
                    feelings.push(f);
                }
            }
            let body = Concern {
                topics: vec![topic],
                what_happened: text.to_owned(),
                feelings,
                intensity: 1 + rng.below(5) as u8,
                what_matters: (*rng.pick(WHAT_MATTERS)).to_owned(),
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
            if matches!(state, ConcernState::Raised | ConcernState::Settled) {
                to_raise.push((index, i + 1 + rng.below(2) as usize));
            }
        }
        if let Some((item, left)) = rupture {
            // Left alone, a rupture fades too.
            rupture = (left > 1).then_some((item, left - 1));
        }
    }
    // Raised too late to have been: still waiting, on the agenda.
    for (ci, _) in to_raise {
        data.concerns[ci].body.state = ConcernState::Ready;
        data.concerns[ci].body.outcome = Outcome::default();
    }

    // The end: "heard" dips over the last two sessions (at least 2 points
    // under the four answers before, so the nudge shows), and the newest
    // concern is about that, written after the last one.
    let n = data.check_ins.len();
    if n >= 6 {
        let before: Vec<u8> = data.check_ins[..n - 2]
            .iter()
            .rev()
            .filter_map(|r| r.body.heard)
            .take(4)
            .collect();
        if before.len() == 4 {
            let mean = before.iter().map(|&v| u32::from(v)).sum::<u32>() / 4;
            let low = mean.saturating_sub(3) as u8;
            for r in &mut data.check_ins[n - 2..] {
                r.body.heard = Some(low);
                r.body.mood = r.body.mood.saturating_sub(1);
            }
        }
    }
    if let (Some(last), Some(newest)) = (data.check_ins.last(), data.concerns.len().checked_sub(1))
    {
        let created = last.created + Duration::hours(2);
        let c = &mut data.concerns[newest];
        c.created = created;
        c.updated = created;
        c.body.topics = vec![Topic::NotHeard];
        c.body.what_happened = LAST_CONCERN.to_owned();
        c.body.state = ConcernState::Ready;
        c.body.step = 7;
        c.body.outcome = Outcome::default();
    }

    // Every state at least once: recent concerns become the missing
    // agenda item or draft, old ones the missing set-aside.
    for state in [
        ConcernState::Ready,
        ConcernState::Draft,
        ConcernState::SetAside,
    ] {
        if data.concerns.iter().any(|c| c.body.state == state) {
            continue;
        }
        let len = data.concerns.len();
        let at = match state {
            ConcernState::SetAside => 0,
            _ => len.saturating_sub(2),
        };
        if let Some(c) = data.concerns.get_mut(at) {
            let id = c.id.clone();
            c.body.state = state;
            c.body.outcome = Outcome::default();
            for r in data.check_ins.iter_mut() {
                r.body.concerns.retain(|x| *x != id);
            }
        }
    }
    add_held_back(&mut data, spec.seed);
    // The agenda: newest first.
    data.prepare.agenda = data
        .concerns
        .iter()
        .rev()
        .filter(|c| c.body.state == ConcernState::Ready)
        .map(|c| c.id.clone())
        .collect();
    // Sessions every Tuesday at 17:00 since the history began, so Home,
    // the screenshots and the calendar export have a rhythm to show.
    let to_tuesday = (7 + 1 - i64::from(start.weekday().num_days_from_monday())) % 7;
    let first = (start + Duration::days(to_tuesday))
        .and_time(NaiveTime::from_hms_opt(17, 0, 0).unwrap_or_default());
    data.sessions.schedule = Some(Schedule::repeating(
        Repeat::Weekly,
        first,
        DEFAULT_MINUTES,
        format!("sample-{}@common-ground.local", spec.seed),
    ));
    data
}

/// "Anything you held back?" arrived late in this history: the latest 24
/// check-ins answer it (mostly "no"), with words for "a little" and "yes";
/// the latest session held something back. The oldest item is let go and
/// the next one kept, and the user goes quiet when something feels off. A
/// pass of its own with its own generator, so the rest of the history is
/// unchanged.
fn add_held_back(data: &mut Data, seed: u64) {
    let mut rng = Rng(seed ^ 0x0005_A1D0);
    let n = data.check_ins.len();
    let from = n.saturating_sub(24);
    let mut items: Vec<RecordId> = Vec::new();
    for (i, r) in data.check_ins.iter_mut().enumerate().skip(from) {
        let roll = rng.below(100);
        let h = if i + 1 == n || roll < 12 {
            HeldBack::Yes
        } else if roll < 30 {
            HeldBack::ALittle
        } else if roll < 90 {
            HeldBack::No
        } else {
            continue; // left unanswered
        };
        r.body.held_back = Some(h);
        if h.something() {
            r.body.held_back_words = (*rng.pick(HELD_BACK)).to_owned();
            items.push(r.id.clone());
        }
    }
    for (k, state) in [(0, UnsaidState::LetGo), (1, UnsaidState::Kept)] {
        if items.len() > 2 + k {
            data.prepare.unsaid.push(UnsaidMark {
                check_in: items[k].clone(),
                state,
                concern: None,
            });
        }
    }
    if n > 0 {
        data.prepare.reaction = Some(Reaction::GoQuiet);
    }
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
    let check_ins: HashSet<RecordId> = d.check_ins.iter().map(|r| r.id.clone()).collect();
    d.prepare.unsaid.retain(|m| check_ins.contains(&m.check_in));
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
    fn the_sample_has_a_weekly_tuesday_schedule_since_the_history_began() {
        let a = generate(Spec::weekly(1, end()));
        let s = a.sessions.schedule.expect("a schedule");
        assert_eq!(s.repeat, Repeat::Weekly);
        // 20 November 2026 minus 365 days is Thursday 20 November 2025;
        // the first Tuesday from then on is 25 November.
        assert_eq!(
            s.first,
            NaiveDate::from_ymd_opt(2025, 11, 25)
                .unwrap()
                .and_hms_opt(17, 0, 0)
                .unwrap()
        );
        assert_eq!(s.first.weekday(), chrono::Weekday::Tue);
        assert!(s.first.date() <= a.check_ins[0].body.when.date() + Duration::days(6));
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
        // In time order, nothing on the end day or later, all scores on
        // the scale, at times of day sessions happen.
        let o = ordered(&a);
        assert!(o.windows(2).all(|w| w[0].body.when <= w[1].body.when));
        assert!(a.check_ins.iter().all(|r| r.body.when.date() < end()));
        assert!(a.concerns.iter().all(|r| r.created.date_naive() < end()));
        use chrono::Timelike;
        assert!(a
            .check_ins
            .iter()
            .all(|r| (8..=19).contains(&r.body.when.hour())));
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
        // Notes in English only, unless asked for other scripts.
        assert!(a.check_ins.iter().all(|r| r.body.note.is_ascii()
            || r.body
                .note
                .chars()
                .all(|c| c.is_ascii() || "🌱’'".contains(c))));
        let scripts = generate(Spec {
            scripts: true,
            ..Spec::weekly(2, end())
        });
        let other_scripts = scripts
            .check_ins
            .iter()
            .flat_map(|r| r.body.note.chars())
            .filter(|c| ('\u{0400}'..'\u{FFFF}').contains(c) && !"…’".contains(*c))
            .count();
        assert!(other_scripts > 20, "{other_scripts}");
        // Some tags, some skipped items.
        assert!(a.check_ins.iter().any(|r| !r.body.tags.is_empty()));
        assert!(a.check_ins.iter().any(|r| r.body.heard.is_none()));
        // Held-back answers late in the history, with an Unsaid list and a
        // way of reacting.
        let o = ordered(&a);
        let last = &o.last().unwrap().body;
        assert_eq!(last.held_back, Some(HeldBack::Yes));
        assert!(!last.held_back_words.is_empty());
        assert!(o[..o.len() - 24].iter().all(|r| r.body.held_back.is_none()));
        let items = crate::core::unsaid::list(&a);
        assert!(items.len() >= 3, "{}", items.len());
        assert!(items.iter().any(|i| i.kept));
        assert!(a
            .prepare
            .unsaid
            .iter()
            .any(|m| m.state == UnsaidState::LetGo));
        assert_eq!(a.prepare.reaction, Some(Reaction::GoQuiet));
        let count = crate::core::unsaid::held_back_count(&a);
        assert!(count.held() >= 1 && count.answered >= 8, "{count:?}");
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
    fn the_default_history_reads_like_a_life_and_ends_in_a_dip() {
        let d = generate(Spec::weekly(10, end()));
        let year = |y: i32| {
            d.concerns
                .iter()
                .filter(|c| chrono::Datelike::year(&c.created.date_naive()) == y)
                .count()
        };
        // Concerns in every year up to the last, not only early ones.
        for y in 2017..=2026 {
            assert!(year(y) >= 8, "{y}: {}", year(y));
        }
        // The agenda is recent, newest first, about the dip.
        let first = &d.prepare.agenda[0];
        let first = d.concerns.iter().find(|c| &c.id == first).unwrap();
        assert_eq!(first.body.what_happened, LAST_CONCERN);
        let last = d.check_ins.last().unwrap();
        assert!(first.created > last.created);
        for id in &d.prepare.agenda {
            let c = d.concerns.iter().find(|c| &c.id == id).unwrap();
            assert!(
                c.created.date_naive() > end() - Duration::days(120),
                "{:?}",
                c.created
            );
        }
        // Varied: most concerns in their own words over any run of 20.
        let titles: std::collections::HashSet<&str> = d.concerns[40..60]
            .iter()
            .map(|c| c.body.what_happened.as_str())
            .collect();
        assert!(titles.len() >= 15, "{}", titles.len());
        // The nudge shows on the default history.
        let nudge = crate::core::insights::nudge(&d).expect("a dip at the end");
        assert_eq!(nudge.item, Item::Heard);
        // Raised concerns have an outcome; none is left half raised.
        for c in &d.concerns {
            let raised = matches!(c.body.state, ConcernState::Raised | ConcernState::Settled);
            assert_eq!(
                raised,
                c.body.outcome.raised_at.is_some(),
                "{:?}",
                c.body.state
            );
        }
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

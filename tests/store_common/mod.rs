//! Shared helpers for the store tests.
#![allow(dead_code)]

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use common_ground::core::model::{
    CheckIn, Concern, ConcernState, Data, LearnProgress, Outcome, PrepareState, RaiseWay, Record,
    Region, Response, Settings, ThemeChoice, Topic,
};

pub fn t(secs: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(1_767_225_600 + secs, 0)
        .single()
        .expect("valid timestamp")
}

/// The document stored in `tests/fixtures/store-v1.json`, as it loads
/// today (migrated to the current version: the v1 concern's title, feeling,
/// wish and opening line all kept).
pub fn golden_v1_data() -> Data {
    let mut learn = LearnProgress {
        last_deck: Some("rupture-and-repair".into()),
        ..Default::default()
    };
    learn
        .position
        .insert("rupture-and-repair".into(), "rr-03".into());
    learn.position.insert("basics".into(), "b-01".into());
    learn.seen.insert("b-01".into());
    learn.seen.insert("rr-01".into());
    learn.seen.insert("rr-02".into());
    learn.bookmarks = vec!["rr-02".into(), "b-01".into()];
    Data {
        settings: Settings {
            theme: ThemeChoice::Dark,
            region: None,
            lock_after_minutes: common_ground::core::model::DEFAULT_LOCK_AFTER_MINUTES,
            text_scale: 100,
        },
        learn,
        check_ins: vec![
            Record {
                id: "r1".into(),
                created: t(0),
                updated: t(60),
                body: CheckIn {
                    session_date: NaiveDate::from_ymd_opt(2026, 1, 1),
                    mood: 3,
                    goals: 4,
                    approach: 2,
                    heard: 5,
                    note: "Felt rushed at the end.\nTwo lines, \"quotes\", ünïcödé and 🌱.".into(),
                },
            },
            Record {
                id: "r3".into(),
                created: t(86_400),
                updated: t(86_400),
                body: CheckIn {
                    session_date: None,
                    mood: 1,
                    goals: 1,
                    approach: 1,
                    heard: 1,
                    note: String::new(),
                },
            },
        ],
        concerns: vec![Record {
            id: "r2".into(),
            created: t(30),
            updated: t(90_000),
            body: Concern {
                what_happened: "Homework feels like a test\nWe set worksheets again.".into(),
                what_matters: "How it felt:\nLike being graded.".into(),
                would_like: "Talk instead of worksheets.".into(),
                own_opener: "Can we look at how the homework is going?".into(),
                chosen_opener: 0,
                step: 7,
                state: ConcernState::Ready,
                ..Default::default()
            },
        }],
        prepare: PrepareState {
            agenda: vec!["r2".into()],
            open: None,
        },
        next_id: 3,
    }
}

/// The document stored in `tests/fixtures/store-v2.json`: every Prepare
/// field and state in use.
pub fn golden_v2_data() -> Data {
    let mut data = golden_v1_data();
    data.concerns.push(Record {
        id: "r4".into(),
        created: t(100_000),
        updated: t(100_500),
        body: Concern {
            topics: vec![Topic::SomethingSaid, Topic::Other],
            other_topic: "Ce qu'il a dit 🙂".into(),
            what_happened: "They said \"just try harder\".\nقالوا شيئا".into(),
            feelings: vec!["hurt".into(), "let-down".into()],
            intensity: 4,
            what_matters: "Being taken seriously. שלום".into(),
            would_like: "Ask before giving advice.".into(),
            raise_way: Some(RaiseWay::AskToExplain),
            openers: vec![
                "My own edit of the first one.".into(),
                "Second, as suggested.".into(),
            ],
            suggested: vec![String::new(), "Second, as suggested.".into()],
            own_opener: "Can I ask about last week?".into(),
            chosen_opener: 1,
            step: 7,
            ethics_seen: false,
            state: ConcernState::Settled,
            outcome: Outcome {
                raised_at: Some(t(200_000)),
                response: Some(Response::Explained),
                note: "They explained. I felt better.\n🙂".into(),
                feel_now: Some(8),
            },
        },
    });
    data.concerns.push(Record {
        id: "r5".into(),
        created: t(300_000),
        updated: t(300_100),
        body: Concern {
            topics: vec![Topic::Ethics],
            what_happened: "A draft, left at step 3.".into(),
            feelings: vec!["uneasy".into()],
            step: 3,
            ethics_seen: true,
            state: ConcernState::Draft,
            ..Default::default()
        },
    });
    data.concerns.push(Record {
        id: "r6".into(),
        created: t(400_000),
        updated: t(400_000),
        body: Concern {
            topics: vec![Topic::Pace],
            what_happened: "Too fast.".into(),
            raise_way: Some(RaiseWay::WorkOutChange),
            state: ConcernState::SetAside,
            step: 7,
            ..Default::default()
        },
    });
    data.concerns.push(Record {
        id: "r7".into(),
        created: t(500_000),
        updated: t(500_000),
        body: Concern {
            topics: vec![Topic::Homework],
            what_happened: "Worksheets again.".into(),
            raise_way: Some(RaiseWay::SayHowIFeel),
            state: ConcernState::Ready,
            step: 7,
            ..Default::default()
        },
    });
    data.concerns.push(Record {
        id: "r8".into(),
        created: t(600_000),
        updated: t(600_000),
        body: Concern {
            what_happened: "Raised, waiting to see.".into(),
            state: ConcernState::Raised,
            outcome: Outcome {
                raised_at: Some(t(650_000)),
                ..Default::default()
            },
            step: 7,
            ..Default::default()
        },
    });
    data.prepare = PrepareState {
        agenda: vec!["r7".into(), "r2".into()],
        open: Some("r5".into()),
    };
    data.next_id = 8;
    // Issue 10: the help region, chosen in Settings.
    data.settings.region = Some(Region::Au);
    // Issue 10: a larger text size, chosen in Settings.
    data.settings.text_scale = 160;
    data
}

/// A store of `check_ins` check-ins and `concerns` concerns with roughly
/// `note_bytes` of note text in total.
pub fn heavy_data(check_ins: usize, concerns: usize, note_bytes: usize) -> Data {
    let mut data = Data::default();
    let per = note_bytes / (check_ins + concerns * 4).max(1);
    let text = |i: usize| -> String {
        let base = format!("Entry {i}: I noticed I was holding back again, and that's okay. ");
        base.repeat(per / base.len() + 1)[..per].to_string()
    };
    for i in 0..check_ins {
        let body = CheckIn {
            session_date: NaiveDate::from_ymd_opt(2016, 1, 1)
                .and_then(|d| d.checked_add_days(chrono::Days::new(i as u64))),
            mood: (i % 5 + 1) as u8,
            goals: ((i / 3) % 5 + 1) as u8,
            approach: ((i / 7) % 5 + 1) as u8,
            heard: ((i / 11) % 5 + 1) as u8,
            note: text(i),
        };
        let r = data.new_record(body, t(i as i64 * 86_400));
        data.check_ins.push(r);
    }
    for i in 0..concerns {
        let body = Concern {
            topics: vec![Topic::Pace],
            what_happened: text(i),
            what_matters: text(i + 1),
            would_like: text(i + 2),
            own_opener: text(i + 3),
            step: 7,
            state: ConcernState::Raised,
            outcome: Outcome {
                note: "It went better than I feared.".into(),
                ..Default::default()
            },
            ..Default::default()
        };
        let r = data.new_record(body, t(i as i64 * 3_600));
        data.concerns.push(r);
    }
    data
}

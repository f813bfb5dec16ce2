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
            ..Default::default()
        },
        learn,
        check_ins: vec![
            Record {
                id: "r1".into(),
                created: t(0),
                updated: t(60),
                // 1-5 scores 3, 4, 2, 5 on the 0-10 scale; noon on the date.
                body: CheckIn {
                    when: day(2026, 1, 1).and_hms_opt(12, 0, 0).unwrap(),
                    mood: 5,
                    goals: Some(8),
                    approach: Some(3),
                    heard: Some(10),
                    note: "Felt rushed at the end.\nTwo lines, \"quotes\", ünïcödé and 🌱.".into(),
                    ..Default::default()
                },
            },
            Record {
                id: "r3".into(),
                created: t(86_400),
                updated: t(86_400),
                // No date: the time it was created (UTC); all 1s are 0s.
                body: CheckIn {
                    when: day(2026, 1, 2).and_hms_opt(0, 0, 0).unwrap(),
                    mood: 0,
                    goals: Some(0),
                    approach: Some(0),
                    heard: Some(0),
                    ..Default::default()
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
            ..Default::default()
        },
        insights: Default::default(),
        sessions: Default::default(),
        next_id: 3,
    }
}

pub fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
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
        ..Default::default()
    };
    // Check-ins of the v2 shape: every field, a link to the raised concern,
    // right-to-left and emoji tags; kept in time order.
    data.check_ins.push(Record {
        id: "r9".into(),
        created: t(700_000),
        updated: t(700_100),
        body: CheckIn {
            when: day(2026, 1, 9).and_hms_opt(17, 45, 0).unwrap(),
            mood: 7,
            mood_before: Some(4),
            heard: Some(9),
            goals: Some(6),
            approach: None,
            overall: Some(7),
            note: "Raised the advice thing. שלום 🙂".into(),
            tags: vec!["work".into(), "نوم".into(), "🌱 growth".into()],
            concerns: vec!["r8".into()],
            ..Default::default()
        },
    });
    data.check_ins.push(Record {
        id: "r10".into(),
        created: t(700_500),
        updated: t(700_500),
        body: CheckIn {
            when: day(2026, 1, 9).and_hms_opt(20, 0, 0).unwrap(),
            mood: 10,
            ..Default::default()
        },
    });
    data.insights
        .dismissed
        .push(common_ground::core::model::DismissedDip {
            item: common_ground::core::model::Item::Heard,
            start: "r9".into(),
        });
    data.next_id = 10;
    // Issue 10: the help region, chosen in Settings.
    data.settings.region = Some(Region::Au);
    // Issue 10: a larger text size, chosen in Settings.
    data.settings.text_scale = 160;
    data
}

/// The document in `tests/fixtures/store-v3.json`: the version 2 golden
/// document with automatic backups set up (a folder, a device label, a
/// kept count, the last good backup, and a passphrase-wrapped backup key;
/// the key bytes are made up: a golden file needs no real secret).
pub fn golden_v3_data() -> Data {
    use common_ground::core::model::{BackupKey, BackupSettings};
    use common_ground::core::store::crypto::B64Bytes;
    use common_ground::core::store::{KdfParams, KeyWrap};
    let mut data = golden_v2_data();
    data.settings.backup = BackupSettings {
        folder: Some("/home/sam/Sync/Common Ground ✓".into()),
        keep: 7,
        device: "sams-phone".into(),
        last_good: Some(t(200_000)),
        passphrase: Some(BackupKey {
            wrap: KeyWrap {
                kdf: "argon2id".into(),
                params: KdfParams {
                    m_kib: 65536,
                    t: 3,
                    p: 1,
                },
                salt: B64Bytes(vec![1; 16]),
                key_id: B64Bytes(vec![2; 16]),
                wrap_nonce: B64Bytes(vec![3; 24]),
                wrapped_key: B64Bytes(vec![4; 48]),
            },
            key: B64Bytes(vec![5; 32]),
        }),
        unencrypted: false,
    };
    data
}

/// The document stored in `tests/fixtures/store-v4.json`: the version 3
/// document plus what goes unsaid: held-back answers of every kind (with
/// words in several scripts), an Unsaid list with an item kept, one let go
/// and one drafted into a concern on the new topic, a way of reacting, and
/// the "everything is a 10" line dismissed for a run.
pub fn golden_v4_data() -> Data {
    use common_ground::core::model::{HeldBack, Reaction, UnsaidMark, UnsaidState};
    let mut data = golden_v3_data();
    data.check_ins[0].body.held_back = Some(HeldBack::No);
    data.check_ins[1].body.held_back = Some(HeldBack::ALittle);
    data.check_ins[1].body.held_back_words = "The joke about my job stung. 🙂".into();
    for (i, (h, words)) in [
        (Some(HeldBack::Yes), "لم أقل إنني متعب"),
        (None, ""),
        (Some(HeldBack::Yes), "I wonder if I should stop\ncoming."),
        (
            Some(HeldBack::ALittle),
            "Ich habe genickt, obwohl ich nicht einverstanden war.",
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let n = 11 + i;
        data.check_ins.push(Record {
            id: format!("r{n}"),
            created: t(800_000 + i as i64 * 1000),
            updated: t(800_000 + i as i64 * 1000),
            body: CheckIn {
                when: (day(2026, 1, 16) + chrono::Duration::days(7 * i as i64))
                    .and_hms_opt(18, 0, 0)
                    .unwrap(),
                mood: 6,
                heard: Some(10),
                goals: Some(10),
                approach: Some(10),
                overall: Some(10),
                held_back: h,
                held_back_words: words.into(),
                ..Default::default()
            },
        });
    }
    data.concerns.push(Record {
        id: "r15".into(),
        created: t(900_000),
        updated: t(900_000),
        body: Concern {
            topics: vec![Topic::StoppingOrChanging],
            what_happened: "I wonder if I should stop\ncoming.".into(),
            step: 1,
            ..Default::default()
        },
    });
    data.prepare.reaction = Some(Reaction::GoQuiet);
    data.prepare.unsaid = vec![
        UnsaidMark {
            check_in: "r3".into(),
            state: UnsaidState::Kept,
            concern: None,
        },
        UnsaidMark {
            check_in: "r11".into(),
            state: UnsaidState::LetGo,
            concern: None,
        },
        UnsaidMark {
            check_in: "r13".into(),
            state: UnsaidState::Drafted,
            concern: Some("r15".into()),
        },
    ];
    data.insights.all_top_dismissed = Some("r11".into());
    data.next_id = 16;
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
            when: day(2016, 1, 1).and_hms_opt(18, 0, 0).unwrap() + chrono::Duration::days(i as i64),
            mood: (i % 11) as u8,
            goals: Some(((i / 3) % 11) as u8),
            approach: Some(((i / 7) % 11) as u8),
            heard: Some(((i / 11) % 11) as u8),
            overall: (i % 3 != 0).then_some(((i / 5) % 11) as u8),
            note: text(i),
            tags: vec![["work", "sleep", "family"][i % 3].into()],
            ..Default::default()
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

/// The document stored in `tests/fixtures/store-v5.json`: the version 4
/// document plus a session rhythm with every part used (a fortnightly
/// series with a skipped and a moved session, a finished and an open break,
/// an end date, two reminders on with their own offsets, the user's own
/// calendar title in two scripts with an emoji, a day-later line shown).
pub fn golden_v5_data() -> Data {
    use common_ground::core::sessions::{
        Pause, Reminder, Reminders, Repeat, Schedule, SessionsState,
    };
    let at = |y, m, d, h, min| day(y, m, d).and_hms_opt(h, min, 0).unwrap();
    let mut data = golden_v4_data();
    data.sessions = SessionsState {
        schedule: Some(Schedule {
            repeat: Repeat::Fortnightly,
            first: at(2026, 1, 6, 17, 0),
            minutes: 55,
            extra: vec![at(2026, 2, 4, 9, 30), at(2026, 6, 1, 12, 0)],
            skipped: vec![day(2026, 2, 3), day(2026, 3, 3)],
            pauses: vec![
                Pause {
                    from: day(2026, 4, 1),
                    until: Some(day(2026, 4, 20)),
                },
                Pause {
                    from: day(2026, 8, 1),
                    until: None,
                },
            ],
            until: Some(day(2026, 12, 31)),
            uid: "20260101T000000-000000000@common-ground.local".into(),
        }),
        reminders: Reminders {
            before: Reminder {
                on: true,
                minutes: 90,
            },
            after: Reminder {
                on: false,
                minutes: 15,
            },
            day_later: Reminder {
                on: true,
                minutes: 1_800,
            },
        },
        title: "Termin שלום 🌱".into(),
        quiet_line_shown: Some(at(2026, 1, 6, 17, 0)),
    };
    data
}

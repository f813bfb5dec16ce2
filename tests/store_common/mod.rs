//! Shared helpers for the store tests.
#![allow(dead_code)]

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use common_ground::core::model::{
    CheckIn, Concern, ConcernStatus, Data, LearnProgress, Record, Settings, ThemeChoice,
};

pub fn t(secs: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(1_767_225_600 + secs, 0)
        .single()
        .expect("valid timestamp")
}

/// The document stored in `tests/fixtures/store-v1.json`.
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
                title: "Homework feels like a test".into(),
                what_happened: "We set worksheets again.".into(),
                how_it_felt: "Like being graded.".into(),
                what_i_want: "Talk instead of worksheets.".into(),
                opening_line: "Can we look at how the homework is going?".into(),
                status: ConcernStatus::Ready,
                outcome: String::new(),
            },
        }],
        next_id: 3,
    }
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
            title: format!("Concern {i}"),
            what_happened: text(i),
            how_it_felt: text(i + 1),
            what_i_want: text(i + 2),
            opening_line: text(i + 3),
            status: ConcernStatus::Raised,
            outcome: "It went better than I feared.".into(),
        };
        let r = data.new_record(body, t(i as i64 * 3_600));
        data.concerns.push(r);
    }
    data
}

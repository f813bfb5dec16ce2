//! Export and import: a backup round-trips into an empty store; a second
//! import adds nothing; bad files fail cleanly and change nothing; CSV
//! survives commas, quotes, newlines and emoji through a real CSV reader;
//! the therapist summary holds exactly what was chosen.

#[path = "store_common/mod.rs"]
mod common;

use chrono::NaiveDate;
use common_ground::core::export::{
    backup, check_ins_csv, concerns_csv, inspect_backup, plan_import, read_backup,
    therapist_summary, BackupLock, ExportText, Period, Selection,
};
use common_ground::core::model::{CheckIn, Concern, ConcernState, Data, Topic};
use common_ground::core::prepare::PrepareContent;
use common_ground::core::store::format::LoadError;
use common_ground::core::store::{KdfParams, Passcode, SealKey, Store};

const TRICKY: &str =
    "She said \"let's pause\", then, well…\nline two, with a comma\r\nand 😔🌱 emoji; ünïcödé";

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn sample() -> Data {
    let mut d = common::golden_v2_data();
    let r = d.new_record(
        CheckIn {
            when: day("2026-03-02").and_hms_opt(18, 30, 0).unwrap(),
            mood: 4,
            mood_before: None,
            heard: Some(9),
            goals: Some(6),
            approach: None,
            overall: Some(7),
            note: TRICKY.into(),
            tags: vec!["work; stress".into(), "🌱".into()],
            concerns: vec![],
        },
        common::t(1_000_000),
    );
    d.check_ins.push(r);
    let r = d.new_record(
        Concern {
            topics: vec![Topic::Pace, Topic::Other],
            other_topic: "money, \"mostly\"".into(),
            what_happened: TRICKY.into(),
            would_like: "# slower\n1. please".into(),
            state: ConcernState::Ready,
            ..Default::default()
        },
        common::t(2_000_000),
    );
    d.prepare.agenda.push(r.id.clone());
    d.concerns.push(r);
    d
}

fn now() -> chrono::DateTime<chrono::Utc> {
    common::t(5_000_000)
}

#[test]
fn export_then_import_into_an_empty_store_gives_equal_data() {
    let data = sample();
    let file = backup(&data, None, now()).unwrap();
    assert_eq!(inspect_backup(&file).unwrap(), BackupLock::Open);
    let incoming = read_backup(&file, None).unwrap();
    let plan = plan_import(&Data::default(), &incoming);
    assert_eq!(plan.merged, data);
    assert_eq!(plan.summary.check_ins_added, data.check_ins.len());
    assert_eq!(plan.summary.concerns_added, data.concerns.len());
    assert_eq!(plan.summary.renumbered, 0);
    // Through a real store.
    let tmp = tempfile::tempdir().unwrap();
    let mut store = Store::open(tmp.path()).unwrap();
    store
        .update(|d| *d = plan_import(d, &incoming).merged)
        .unwrap();
    drop(store);
    assert_eq!(Store::open(tmp.path()).unwrap().data(), &data);
    // A second import adds nothing.
    let again = plan_import(&data, &incoming);
    assert!(again.summary.is_empty(), "{:?}", again.summary);
    assert_eq!(again.merged, data);
}

#[test]
fn import_into_another_store_renumbers_colliding_ids_and_is_idempotent() {
    let mut here = Data::default();
    for n in 0..3 {
        let r = here.new_record(
            CheckIn {
                note: format!("mine {n}"),
                ..Default::default()
            },
            common::t(7_777_000 + n),
        );
        here.check_ins.push(r);
    }
    let incoming = sample();
    let plan = plan_import(&here, &incoming);
    let s = &plan.summary;
    assert_eq!(s.check_ins_added, incoming.check_ins.len());
    assert_eq!(s.concerns_added, incoming.concerns.len());
    assert!(s.renumbered >= 3, "{s:?}");
    let merged = plan.merged;
    // Ids are unique and next_id is above all of them.
    let mut ids: Vec<&String> = merged
        .check_ins
        .iter()
        .map(|r| &r.id)
        .chain(merged.concerns.iter().map(|r| &r.id))
        .collect();
    let n = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), n, "duplicate ids");
    for id in ids {
        let num: u64 = id[1..].parse().unwrap();
        assert!(num <= merged.next_id);
    }
    // The agenda follows its concern to its new id.
    for id in &merged.prepare.agenda {
        assert!(merged.concerns.iter().any(|c| &c.id == id), "{id}");
    }
    assert_eq!(
        merged.prepare.agenda.len(),
        incoming.prepare.agenda.len(),
        "agenda entries lost"
    );
    // My own data is untouched.
    assert_eq!(merged.check_ins[..3], here.check_ins[..]);
    assert_eq!(merged.settings, here.settings);
    // A check-in's links follow their concerns to their new ids, and a
    // dismissed nudge follows the check-in its dip started at.
    let linked = incoming
        .check_ins
        .iter()
        .find(|r| !r.body.concerns.is_empty())
        .expect("the sample links a concern");
    let old_concern = incoming
        .concerns
        .iter()
        .find(|c| c.id == linked.body.concerns[0])
        .unwrap();
    let new_linked = merged
        .check_ins
        .iter()
        .find(|r| r.created == linked.created && r.body.note == linked.body.note)
        .unwrap();
    let new_concern = merged
        .concerns
        .iter()
        .find(|c| c.id == new_linked.body.concerns[0])
        .expect("the link points at a concern here");
    assert_eq!(new_concern.body, old_concern.body);
    assert_eq!(
        merged.insights.dismissed.len(),
        incoming.insights.dismissed.len()
    );
    for d in &merged.insights.dismissed {
        assert!(merged.check_ins.iter().any(|r| r.id == d.start), "{d:?}");
    }
    // Still in time order.
    assert!(merged
        .check_ins
        .windows(2)
        .all(|w| w[0].body.when <= w[1].body.when));
    // Importing the same file again adds nothing.
    let again = plan_import(&merged, &incoming);
    assert_eq!(again.summary.check_ins_added, 0);
    assert_eq!(again.summary.concerns_added, 0);
    assert_eq!(again.merged, merged);
}

#[test]
fn bad_files_fail_cleanly() {
    let good = backup(&sample(), None, now()).unwrap();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty", Vec::new()),
        ("garbage", b"this is not a backup at all\n\x00\xff".to_vec()),
        ("json but not ours", b"{\"hello\":1}\n{}\n".to_vec()),
        ("truncated", good[..good.len() / 2].to_vec()),
        ("one byte short", good[..good.len() - 2].to_vec()),
        (
            "newer version",
            String::from_utf8(good.clone())
                .unwrap()
                .replacen("\"version\":2", "\"version\":99", 1)
                .into_bytes(),
        ),
        ("flipped bit", {
            let mut b = good.clone();
            let n = b.len();
            b[n - 20] ^= 0x02;
            b
        }),
    ];
    for (name, bytes) in cases {
        let r = read_backup(&bytes, None);
        assert!(r.is_err(), "{name} was accepted");
        // The message is for people.
        let msg = r.unwrap_err().to_string();
        assert!(
            !msg.is_empty() && !msg.contains("panicked"),
            "{name}: {msg}"
        );
    }
    assert!(matches!(
        read_backup(
            String::from_utf8(good)
                .unwrap()
                .replacen("\"version\":2", "\"version\":99", 1)
                .as_bytes(),
            None
        ),
        Err(LoadError::FutureVersion { .. })
    ));
}

#[test]
fn a_sealed_backup_needs_its_passcode() {
    let key = SealKey::create(&Passcode::new("pw-123456"), KdfParams::weak_for_tests()).unwrap();
    let data = sample();
    let file = backup(&data, Some(&key), now()).unwrap();
    for s in [TRICKY, "money", "slower"] {
        assert!(
            !file.windows(s.len()).any(|w| w == s.as_bytes()),
            "{s} readable"
        );
    }
    let BackupLock::Sealed(wrap) = inspect_backup(&file).unwrap() else {
        panic!("not sealed");
    };
    assert_eq!(read_backup(&file, None).unwrap_err(), LoadError::Locked);
    assert!(SealKey::unlock(&Passcode::new("nope"), &wrap).is_err());
    let k = SealKey::unlock(&Passcode::new("pw-123456"), &wrap).unwrap();
    assert_eq!(read_backup(&file, Some(&k)).unwrap(), data);
}

#[test]
fn csv_round_trips_through_a_real_reader() {
    let data = sample();
    let bytes = check_ins_csv(&data, Period::default()).unwrap();
    let mut r = csv::Reader::from_reader(&bytes[..]);
    let headers = r.headers().unwrap().clone();
    assert_eq!(
        headers.iter().collect::<Vec<_>>(),
        [
            "id",
            "when",
            "created",
            "updated",
            "mood",
            "mood_before",
            "heard",
            "goals",
            "approach",
            "overall",
            "tags",
            "concerns",
            "note"
        ]
    );
    let rows: Vec<csv::StringRecord> = r.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), data.check_ins.len());
    let tricky = rows.iter().find(|r| &r[12] == TRICKY).expect("note intact");
    assert_eq!(&tricky[1], "2026-03-02T18:30:00");
    assert_eq!(&tricky[4], "4");
    assert_eq!(&tricky[5], "", "mood before not given");
    assert_eq!(&tricky[6], "9");
    assert_eq!(&tricky[8], "", "approach not given");
    assert_eq!(&tricky[9], "7");
    assert_eq!(&tricky[10], "work; stress;🌱");
    assert!(chrono::DateTime::parse_from_rfc3339(&tricky[2]).is_ok());
    for row in &rows {
        assert_eq!(row.len(), 13);
    }

    let bytes = concerns_csv(&data, Period::default()).unwrap();
    let mut r = csv::Reader::from_reader(&bytes[..]);
    let headers = r.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), data.concerns.len());
    let tricky = rows
        .iter()
        .find(|r| &r[col("what_happened")] == TRICKY)
        .expect("concern text intact");
    assert_eq!(&tricky[col("topics")], "pace;other");
    assert_eq!(&tricky[col("other_topic")], "money, \"mostly\"");
    assert_eq!(&tricky[col("state")], "ready");
}

#[test]
fn csv_period_filters_by_day() {
    let data = sample();
    let p = Period {
        from: Some(day("2026-03-01")),
        to: Some(day("2026-03-31")),
    };
    let bytes = check_ins_csv(&data, p).unwrap();
    let rows: Vec<_> = csv::Reader::from_reader(&bytes[..])
        .records()
        .map(|r| r.unwrap())
        .collect();
    assert!(!rows.is_empty());
    for row in rows {
        let d = day(&row[1][..10]);
        assert!(p.contains(d), "{d}");
    }
}

#[test]
fn therapist_summary_has_exactly_what_was_chosen() {
    let data = sample();
    let text = ExportText::builtin();
    let content = PrepareContent::builtin();
    let chosen_c = data.concerns.last().unwrap();
    let chosen_k = data.check_ins.last().unwrap();
    let sel = Selection {
        period: Period::default(),
        concerns: vec![chosen_c.id.clone()],
        check_ins: vec![chosen_k.id.clone()],
    };
    let md = therapist_summary(&data, &sel, &text, &content, day("2026-04-01"));
    assert!(md.starts_with(&format!("# {}", text.title)), "{md}");
    assert!(md.contains("money, \"mostly\""), "{md}");
    assert!(md.contains("\\# slower"), "user text cannot make a heading");
    assert!(
        md.contains("| 2026-03-02 18:30 | 4/10 | 9/10 | 6/10 | – | 7/10 |"),
        "{md}"
    );
    assert!(md.contains("work; stress, 🌱"), "{md}");
    assert!(md.contains("😔🌱"), "{md}");
    // Nothing else leaves: no other concern or check-in text.
    for r in data.concerns.iter().filter(|r| r.id != chosen_c.id) {
        let first = r.body.what_happened.lines().next().unwrap_or_default();
        if !first.trim().is_empty() {
            assert!(!md.contains(first.trim()), "{first} leaked");
        }
    }
    for r in data.check_ins.iter().filter(|r| r.id != chosen_k.id) {
        if r.body.note.trim().len() > 3 {
            assert!(!md.contains(r.body.note.trim()), "{} leaked", r.body.note);
        }
    }
    // Out of the period: left out even if ticked.
    let sel = Selection {
        period: Period {
            from: Some(day("2030-01-01")),
            to: None,
        },
        ..sel
    };
    let md = therapist_summary(&data, &sel, &text, &content, day("2030-02-01"));
    assert!(md.contains(&text.none_chosen), "{md}");
    assert!(!md.contains("money"));
}

// ------------------------------------------- the commands (CLI behaviour)

mod commands {
    use super::*;
    use common_ground::commands::{run_export, run_import, Ask, CommandError};
    use common_ground::core::export::ExportFormat;
    use std::path::{Path, PathBuf};

    fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
        let mut v: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file())
            .map(|p| {
                let b = std::fs::read(&p).unwrap();
                (p, b)
            })
            .collect();
        v.sort();
        v
    }

    /// A store with the sample data and, if `pass` is given, a passcode.
    fn store_with(pass: Option<&str>) -> tempfile::TempDir {
        let tmp = tempfile::tempdir().unwrap();
        let mut store = Store::open(tmp.path()).unwrap();
        store.update(|d| *d = sample()).unwrap();
        if let Some(p) = pass {
            store
                .turn_on_passcode_with(&Passcode::new(p), KdfParams::weak_for_tests())
                .unwrap();
        }
        tmp
    }

    fn answers(list: &[&str]) -> impl FnMut(Ask) -> std::io::Result<Passcode> {
        let mut list: Vec<String> = list.iter().rev().map(|s| s.to_string()).collect();
        move |_| {
            list.pop()
                .map(Passcode::new)
                .ok_or_else(|| std::io::Error::other("no more passcodes"))
        }
    }

    #[test]
    fn encrypted_export_imports_into_an_empty_store_and_only_once() {
        let src = store_with(Some("pw one"));
        let out_dir = tempfile::tempdir().unwrap();
        let file = out_dir.path().join("backup.json");
        let mut sink = Vec::new();
        run_export(
            src.path(),
            ExportFormat::Backup,
            Some(&file),
            Period::default(),
            &mut answers(&["pw one"]),
            &mut sink,
            false,
        )
        .unwrap();
        let bytes = std::fs::read(&file).unwrap();
        assert!(!bytes.windows(10).any(|w| w == &TRICKY.as_bytes()[..10]));

        // Into an empty, plain store: asks for the backup's passcode.
        let dst = tempfile::tempdir().unwrap();
        drop(Store::open(dst.path()).unwrap());
        let before = snapshot(dst.path());
        let err = run_import(dst.path(), &file, false, &mut answers(&["wrong"])).unwrap_err();
        assert!(matches!(err, CommandError::Crypto(_)), "{err}");
        assert_eq!(
            snapshot(dst.path()),
            before,
            "a wrong passcode changed files"
        );
        let dry = run_import(dst.path(), &file, true, &mut answers(&["pw one"])).unwrap();
        assert!(!dry.applied && dry.summary.concerns_added > 0);
        assert_eq!(snapshot(dst.path()), before, "a dry run changed files");
        let done = run_import(dst.path(), &file, false, &mut answers(&["pw one"])).unwrap();
        assert!(done.applied);
        assert_eq!(Store::open(dst.path()).unwrap().data(), &sample());
        let again = run_import(dst.path(), &file, false, &mut answers(&["pw one"])).unwrap();
        assert!(again.summary.is_empty() && !again.applied, "{again}");
        assert_eq!(Store::open(dst.path()).unwrap().data(), &sample());
    }

    #[test]
    fn bad_imports_change_nothing() {
        let dst = store_with(None);
        let before = snapshot(dst.path());
        let files = tempfile::tempdir().unwrap();
        let good = backup(&sample(), None, now()).unwrap();
        let cases: Vec<(&str, Vec<u8>)> = vec![
            ("garbage", b"\x00\x01garbage".to_vec()),
            ("truncated", good[..good.len() - 30].to_vec()),
            (
                "wrong version",
                String::from_utf8(good.clone())
                    .unwrap()
                    .replacen("\"version\":2", "\"version\":7", 1)
                    .into_bytes(),
            ),
        ];
        for (name, bytes) in cases {
            let f = files.path().join(name);
            std::fs::write(&f, &bytes).unwrap();
            let err = run_import(dst.path(), &f, false, &mut answers(&[])).unwrap_err();
            assert!(
                err.to_string().contains("Nothing was changed"),
                "{name}: {err}"
            );
            assert_eq!(snapshot(dst.path()), before, "{name} changed files");
        }
        let missing = run_import(
            dst.path(),
            &files.path().join("nope"),
            false,
            &mut answers(&[]),
        );
        assert!(missing.is_err());
        assert_eq!(snapshot(dst.path()), before);
    }

    #[test]
    fn exports_are_refused_inside_the_data_folder() {
        let src = store_with(None);
        let err = run_export(
            src.path(),
            ExportFormat::CheckInsCsv,
            Some(&src.path().join("notes.csv")),
            Period::default(),
            &mut answers(&[]),
            &mut Vec::new(),
            false,
        )
        .unwrap_err();
        assert!(matches!(err, CommandError::OutInDataDir(_)), "{err}");
        assert!(!src.path().join("notes.csv").exists());
    }

    #[test]
    fn csv_and_markdown_go_to_standard_output() {
        let src = store_with(Some("pw-123456"));
        for format in [
            ExportFormat::CheckInsCsv,
            ExportFormat::ConcernsCsv,
            ExportFormat::Markdown,
        ] {
            let mut sink = Vec::new();
            run_export(
                src.path(),
                format,
                None,
                Period::default(),
                &mut answers(&["pw-123456"]),
                &mut sink,
                true,
            )
            .unwrap();
            let text = String::from_utf8(sink).unwrap();
            assert!(text.contains("😔🌱"), "{format:?}: {text}");
        }
        // A sealed backup is not sent to a terminal.
        let err = run_export(
            src.path(),
            ExportFormat::Backup,
            None,
            Period::default(),
            &mut answers(&["pw-123456"]),
            &mut Vec::new(),
            true,
        )
        .unwrap_err();
        assert!(matches!(err, CommandError::BinaryToTerminal));
    }
}

/// Figures for the Settings export (`cargo test --test export -- --ignored
/// --nocapture ten_year`): how long encoding a 10-year store takes, to
/// decide what may run on the UI thread. Prints; asserts nothing.
#[test]
#[ignore]
fn ten_year_export_timings() {
    use common_ground::core::sample::{generate, Spec};
    use std::time::Instant;
    let end = day("2026-11-20");
    let data = generate(Spec {
        per_year: 365,
        concerns_per_year: 100,
        ..Spec::weekly(10, end)
    });
    let key = SealKey::create(
        &Passcode::new("bench passcode"),
        KdfParams::weak_for_tests(),
    )
    .unwrap();
    let time = |what: &str, f: &dyn Fn() -> usize| {
        let start = Instant::now();
        let n = f();
        println!("{what}: {n} bytes in {:?}", start.elapsed());
    };
    time("plain backup", &|| {
        backup(&data, None, now()).unwrap().len()
    });
    time("sealed backup", &|| {
        backup(&data, Some(&key), now()).unwrap().len()
    });
    time("check-ins csv", &|| {
        check_ins_csv(&data, Period::default()).unwrap().len()
    });
    time("summary, everything", &|| {
        therapist_summary(
            &data,
            &Selection::all_in(&data, Period::default()),
            &ExportText::builtin(),
            PrepareContent::shared(),
            end,
        )
        .len()
    });
    let bytes = backup(&data, Some(&key), now()).unwrap();
    time("read + plan sealed backup", &|| {
        let incoming = read_backup(&bytes, Some(&key)).unwrap();
        plan_import(&data, &incoming).merged.check_ins.len()
    });
}

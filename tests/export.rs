//! Export and import: a backup round-trips into an empty store; a second
//! import adds nothing; bad files fail cleanly and change nothing; CSV
//! survives commas, quotes, newlines and emoji through a real CSV reader;
//! the therapist summary holds exactly what was chosen.

#[path = "weak_kdf/mod.rs"]
mod weak_kdf;
use weak_kdf::WeakForTests;
#[path = "store_common/mod.rs"]
mod common;

use chrono::NaiveDate;
use common_ground::core::export::{
    backup, check_ins_csv, concerns_csv, inspect_backup, plan_import, read_backup,
    therapist_summary, BackupLock, ExportText, Period, Private, PrivatePart, Selection,
};
use common_ground::core::model::{CheckIn, Concern, ConcernState, Data, HeldBack, Topic};
use common_ground::core::prepare::PrepareContent;
use common_ground::core::store::format::LoadError;
use common_ground::core::store::{KdfParams, Passcode, SealKey, Store};

const TRICKY: &str =
    "She said \"let's pause\", then, well…\nline two, with a comma\r\nand 😔🌱 emoji; ünïcödé";

/// Held-back words: private, in no CSV, and in a summary only ticked.
const HELD: &str = "I never said the 'homework' jokes sting";

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
            held_back: Some(HeldBack::ALittle),
            held_back_words: HELD.into(),
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
                .replacen(
                    &format!(
                        "\"version\":{}",
                        common_ground::core::store::CURRENT_VERSION
                    ),
                    "\"version\":99",
                    1,
                )
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
                .replacen(
                    &format!(
                        "\"version\":{}",
                        common_ground::core::store::CURRENT_VERSION
                    ),
                    "\"version\":99",
                    1
                )
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
            "note",
            "held_back"
        ]
    );
    // The answer is there, the private words are not.
    assert!(!String::from_utf8_lossy(&bytes).contains("homework' jokes"));
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
    assert_eq!(&tricky[13], "a-little");
    assert!(chrono::DateTime::parse_from_rfc3339(&tricky[2]).is_ok());
    for row in &rows {
        assert_eq!(row.len(), 14);
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
        private: vec![],
    };
    let md = therapist_summary(&data, &sel, &text, &content, day("2026-04-01"));
    // Held-back words stay out unless ticked one by one...
    assert!(!md.contains("homework' jokes"), "{md}");
    assert!(!md.contains(&text.held_back), "{md}");
    // ... also with every note ticked (the command line's --with-notes)...
    let notes = sel.clone().with_every(&data, Private::Note);
    let md_notes = therapist_summary(&data, &notes, &text, &content, day("2026-04-01"));
    assert!(!md_notes.contains("homework' jokes"), "{md_notes}");
    // ... and ticked, they go in under their own label.
    let ticked = Selection {
        private: vec![PrivatePart {
            id: chosen_k.id.clone(),
            part: Private::HeldBack,
        }],
        ..sel.clone()
    };
    let with = therapist_summary(&data, &ticked, &text, &content, day("2026-04-01"));
    assert!(
        with.contains(&format!("**{} (2026-03-02 18:30)**", text.held_back)),
        "{with}"
    );
    assert!(with.contains("homework' jokes sting"), "{with}");
    // Ticked words of a check-in that is not chosen stay out too.
    let alone = Selection {
        check_ins: vec![],
        ..ticked
    };
    let md_alone = therapist_summary(&data, &alone, &text, &content, day("2026-04-01"));
    assert!(!md_alone.contains("homework' jokes"), "{md_alone}");
    assert_eq!(
        common_ground::core::export::private_parts(&data, &chosen_k.id),
        [Private::Note, Private::HeldBack]
    );
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

#[test]
fn notes_are_left_out_of_the_summary_until_ticked_one_by_one() {
    let mut data = sample();
    let note = |data: &mut Data, day_: &str, note: &str| {
        let r = data.new_record(
            CheckIn {
                when: day(day_).and_hms_opt(18, 0, 0).unwrap(),
                mood: 5,
                note: note.into(),
                tags: vec!["family".into()],
                ..Default::default()
            },
            common::t(3_000_000),
        );
        let id = r.id.clone();
        data.check_ins.push(r);
        id
    };
    let quit = note(&mut data, "2026-03-09", "I almost quit therapy this week");
    let walk = note(&mut data, "2026-03-16", "A long walk helped");
    let text = ExportText::builtin();
    let content = PrepareContent::builtin();
    let period = Period::default();
    let ticked = Selection {
        period,
        concerns: vec![],
        check_ins: vec![quit.clone(), walk.clone()],
        private: vec![],
    };
    let md = therapist_summary(&data, &ticked, &text, &content, day("2026-04-01"));
    assert!(
        !md.contains("almost quit") && !md.contains("long walk"),
        "{md}"
    );
    // The scores and the tags still go in.
    assert!(md.contains("| 2026-03-09 18:00 | 5/10 |"), "{md}");
    assert!(md.contains("family"), "{md}");
    // One note ticked: that one only.
    let one = Selection {
        private: vec![PrivatePart {
            id: walk.clone(),
            part: Private::Note,
        }],
        ..ticked.clone()
    };
    let md = therapist_summary(&data, &one, &text, &content, day("2026-04-01"));
    assert!(
        md.contains("A long walk helped") && !md.contains("almost quit"),
        "{md}"
    );
    // A ticked note without its check-in stays out.
    let orphan = Selection {
        check_ins: vec![quit.clone()],
        ..one
    };
    let md = therapist_summary(&data, &orphan, &text, &content, day("2026-04-01"));
    assert!(!md.contains("long walk"), "{md}");
    // The default choice ticks no note, and `with_every` ticks each one.
    let default = common_ground::core::export::default_selection(&data, period);
    assert!(default.private.is_empty());
    let all = Selection::all_in(&data, period).with_every(&data, Private::Note);
    assert!(all.includes(&quit, Private::Note) && all.includes(&walk, Private::Note));
    let md = therapist_summary(&data, &all, &text, &content, day("2026-04-01"));
    assert!(
        md.contains("almost quit") && md.contains("long walk"),
        "{md}"
    );
    // A ticked note is written as the words typed: nothing in it formats.
    let marked = note(
        &mut data,
        "2026-03-23",
        "**Really** | hurt <b>\n# not a heading",
    );
    let md_marked = |data: &Data, private: Vec<PrivatePart>| {
        let sel = Selection {
            period,
            concerns: vec![],
            check_ins: vec![marked.clone()],
            private,
        };
        therapist_summary(data, &sel, &text, &content, day("2026-04-01"))
    };
    let md = md_marked(&data, vec![]);
    assert!(!md.contains("Really") && !md.contains("hurt"), "{md}");
    let md = md_marked(
        &data,
        vec![PrivatePart {
            id: marked.clone(),
            part: Private::Note,
        }],
    );
    assert!(
        md.contains("\\*\\*Really\\*\\* \\| hurt \\<b\\>  \n\\# not a heading"),
        "{md}"
    );
}

// ------------------------------------------- the commands (CLI behaviour)

mod commands {
    use super::*;
    use common_ground::cli::ExportArgs;
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

    /// `export --unencrypted --out FILE` of a full backup of `dir`, asking
    /// nothing; what it says on standard error goes to `stderr`.
    fn export_plain(
        dir: &Path,
        file: &Path,
        stderr: &mut Vec<u8>,
    ) -> Result<common_ground::commands::ExportReport, CommandError> {
        run_export(
            dir,
            &ExportArgs {
                out: Some(file.to_path_buf()),
                unencrypted: true,
                ..ExportArgs::new(ExportFormat::Backup)
            },
            &mut answers(&[]),
            KdfParams::weak_for_tests(),
            &mut Vec::new(),
            false,
            stderr,
        )
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
            &ExportArgs {
                out: Some(file.clone()),
                ..ExportArgs::new(ExportFormat::Backup)
            },
            &mut answers(&["pw one"]),
            KdfParams::weak_for_tests(),
            &mut sink,
            false,
            &mut Vec::new(),
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

    /// The wrap a sealed backup names, or `None` for a plain one.
    fn sealed_with(bytes: &[u8]) -> Option<common_ground::core::store::KeyWrap> {
        match inspect_backup(bytes).unwrap() {
            BackupLock::Sealed(wrap) => Some(wrap),
            BackupLock::Open => None,
        }
    }

    #[test]
    fn a_json_export_without_a_passcode_is_sealed_with_a_backup_passphrase() {
        let src = store_with(None);
        let out_dir = tempfile::tempdir().unwrap();
        let file = out_dir.path().join("backup.json");
        let args = ExportArgs {
            out: Some(file.clone()),
            ..ExportArgs::new(ExportFormat::Backup)
        };
        let export = |list: &[&str]| {
            let mut stderr = Vec::new();
            let r = run_export(
                src.path(),
                &args,
                &mut answers(list),
                KdfParams::weak_for_tests(),
                &mut Vec::new(),
                false,
                &mut stderr,
            );
            (r, String::from_utf8(stderr).unwrap())
        };
        // No passcode and no passphrase: a new passphrase is asked for,
        // twice; too short or typed differently, nothing is written.
        let before = snapshot(src.path());
        let (r, _) = export(&["short"]);
        assert!(matches!(r, Err(CommandError::Crypto(_))), "{r:?}");
        let (r, _) = export(&["river stones", "river stone"]);
        assert!(matches!(r, Err(CommandError::PassphrasesDiffer)), "{r:?}");
        assert!(!file.exists());
        assert_eq!(snapshot(src.path()), before);
        let (r, said) = export(&["river stones", "river stones"]);
        let report = r.unwrap();
        assert!(report.notices.is_empty(), "{:?}", report.notices);
        assert!(said.is_empty(), "a sealed file needs no caution: {said}");
        let bytes = std::fs::read(&file).unwrap();
        let wrap = sealed_with(&bytes).expect("sealed by default");
        assert!(!bytes.windows(10).any(|w| w == &TRICKY.as_bytes()[..10]));
        // Its key is kept (never the passphrase), so the next export asks
        // nothing and is sealed the same way.
        let kept = Store::open(src.path())
            .unwrap()
            .data()
            .settings
            .backup
            .clone();
        assert!(kept.passphrase.is_some());
        let store_file = std::fs::read(src.path().join("store.json")).unwrap();
        assert!(!store_file.windows(12).any(|w| w == b"river stones"));
        let (r, _) = export(&[]);
        r.unwrap();
        let again = sealed_with(&std::fs::read(&file).unwrap()).unwrap();
        assert_eq!(again.key_id, wrap.key_id);
        // This store imports it without asking.
        let same = run_import(src.path(), &file, true, &mut answers(&[])).unwrap();
        assert!(same.summary.is_empty(), "{same}");

        // Another store asks for the passphrase: wrong, then right.
        let dst = tempfile::tempdir().unwrap();
        drop(Store::open(dst.path()).unwrap());
        let empty = snapshot(dst.path());
        let err = run_import(dst.path(), &file, false, &mut answers(&["river rocks"])).unwrap_err();
        assert!(
            matches!(err, CommandError::Crypto(_))
                && err.to_string().contains("Nothing was changed"),
            "{err}"
        );
        assert_eq!(snapshot(dst.path()), empty);
        let done = run_import(dst.path(), &file, false, &mut answers(&["river stones"])).unwrap();
        assert!(done.applied);
        let got = Store::open(dst.path()).unwrap().data().clone();
        assert_eq!(got.check_ins, sample().check_ins);
        assert_eq!(got.concerns, sample().concerns);
    }

    #[test]
    fn an_unencrypted_json_export_is_an_explicit_choice_and_says_so() {
        let src = store_with(None);
        let out_dir = tempfile::tempdir().unwrap();
        let file = out_dir.path().join("plain.json");
        let before = snapshot(src.path());
        let mut stderr = Vec::new();
        export_plain(src.path(), &file, &mut stderr).unwrap();
        let bytes = std::fs::read(&file).unwrap();
        assert_eq!(read_backup(&bytes, None).unwrap(), sample());
        let said = String::from_utf8(stderr).unwrap();
        assert!(
            said.contains("not be encrypted") && said.contains("anyone who gets the file"),
            "{said}"
        );
        // Nothing was asked, and nothing in the data folder changed.
        assert_eq!(snapshot(src.path()), before);
    }

    /// Standard output and standard error of one run, in the order they
    /// were written.
    #[derive(Default)]
    struct Streams(std::cell::RefCell<Vec<(&'static str, Vec<u8>)>>);

    struct Stream<'a>(&'a Streams, &'static str);

    impl std::io::Write for Stream<'_> {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0 .0.borrow_mut().push((self.1, b.to_vec()));
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl Streams {
        fn export(&self, dir: &Path, args: &ExportArgs, is_tty: bool) -> Result<(), CommandError> {
            run_export(
                dir,
                args,
                &mut answers(&[]),
                KdfParams::weak_for_tests(),
                &mut Stream(self, "out"),
                is_tty,
                &mut Stream(self, "err"),
            )
            .map(|_| ())
        }
        fn order(&self) -> Vec<&'static str> {
            let mut o: Vec<&'static str> = self.0.borrow().iter().map(|(w, _)| *w).collect();
            o.dedup();
            o
        }
        fn err(&self) -> String {
            let all = self.0.borrow();
            let bytes: Vec<u8> = all
                .iter()
                .filter(|(w, _)| *w == "err")
                .flat_map(|(_, b)| b.clone())
                .collect();
            String::from_utf8(bytes).unwrap()
        }
    }

    #[test]
    fn plain_exports_say_before_writing_that_anyone_can_read_them() {
        let src = store_with(None);
        let out_dir = tempfile::tempdir().unwrap();
        for format in [
            ExportFormat::CheckInsCsv,
            ExportFormat::ConcernsCsv,
            ExportFormat::Markdown,
        ] {
            // Into a file: the caution names it, and comes before writing
            // (here the write then fails: the folder is not there).
            let streams = Streams::default();
            let missing = out_dir.path().join("missing").join("x.csv");
            let args = ExportArgs {
                out: Some(missing.clone()),
                ..ExportArgs::new(format)
            };
            assert!(streams.export(src.path(), &args, false).is_err());
            let said = streams.err();
            assert!(
                said.contains(&missing.display().to_string())
                    && said.contains("anyone who gets the file can read it"),
                "{format:?}: {said}"
            );
            // Standard output sent to a file or a pipe: said first, on
            // standard error.
            let streams = Streams::default();
            streams
                .export(src.path(), &ExportArgs::new(format), false)
                .unwrap();
            assert_eq!(streams.order(), ["err", "out"], "{format:?}");
            assert!(streams.err().contains("not encrypted"), "{format:?}");
            // On the terminal itself nothing is written to a file: no
            // caution.
            let streams = Streams::default();
            streams
                .export(src.path(), &ExportArgs::new(format), true)
                .unwrap();
            assert_eq!(streams.order(), ["out"], "{format:?}");
        }
        // A sealed backup needs none.
        let sealed = store_with(Some("pw-123456"));
        let streams = Streams::default();
        let file = out_dir.path().join("sealed.json");
        run_export(
            sealed.path(),
            &ExportArgs {
                out: Some(file.clone()),
                ..ExportArgs::new(ExportFormat::Backup)
            },
            &mut answers(&["pw-123456"]),
            KdfParams::weak_for_tests(),
            &mut Stream(&streams, "out"),
            false,
            &mut Stream(&streams, "err"),
        )
        .unwrap();
        assert!(streams.order().is_empty(), "{:?}", streams.err());
        assert!(sealed_with(&std::fs::read(&file).unwrap()).is_some());
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
                    .replacen(
                        &format!(
                            "\"version\":{}",
                            common_ground::core::store::CURRENT_VERSION
                        ),
                        "\"version\":7",
                        1,
                    )
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

    /// A plain store with three generations: sample data, then one and
    /// two check-ins more.
    fn three_generations() -> tempfile::TempDir {
        let tmp = tempfile::tempdir().unwrap();
        let mut store = Store::open(tmp.path()).unwrap();
        store.update(|d| *d = sample()).unwrap();
        for n in 0..2 {
            store
                .update(|d| {
                    let r = d.new_record(CheckIn::default(), common::t(9_000_000 + n));
                    d.check_ins.push(r);
                })
                .unwrap();
        }
        tmp
    }

    fn damage(path: &Path) {
        let mut b = std::fs::read(path).unwrap();
        let n = b.len();
        b[n - 5] ^= 0x20;
        std::fs::write(path, b).unwrap();
    }

    #[test]
    fn export_reads_only_and_says_when_it_holds_an_older_generation() {
        let src = three_generations();
        damage(&src.path().join("store.json"));
        damage(&src.path().join("store.bak1.json"));
        let before = snapshot(src.path());
        let out = tempfile::tempdir().unwrap();
        let file = out.path().join("b.json");
        let report = export_plain(src.path(), &file, &mut Vec::new()).unwrap();
        // The oldest generation: the sample as first saved.
        let exported = read_backup(&std::fs::read(&file).unwrap(), None).unwrap();
        assert_eq!(exported, sample());
        let older = report.older.expect("the export must say it is older");
        assert!(older.contains("store.bak2.json"), "{older}");
        assert_eq!(report.notices.len(), 2, "{:?}", report.notices);
        assert!(
            report.notices[0].contains("store.json"),
            "{:?}",
            report.notices
        );
        // Nothing in the data folder was touched (no lock file, nothing
        // moved aside).
        assert_eq!(snapshot(src.path()), before);

        // With no readable generation at all: an error, nothing written.
        damage(&src.path().join("store.bak2.json"));
        let file2 = out.path().join("c.json");
        let err = export_plain(src.path(), &file2, &mut Vec::new()).unwrap_err();
        assert!(matches!(err, CommandError::NothingReadable { .. }), "{err}");
        assert!(err.to_string().contains("store.bak2.json"), "{err}");
        assert!(!file2.exists());
    }

    #[test]
    fn a_dry_run_reads_only_and_a_real_import_reports_what_it_repaired() {
        let dst = three_generations();
        damage(&dst.path().join("store.json"));
        let before = snapshot(dst.path());
        let files = tempfile::tempdir().unwrap();
        let mut other = Data::default();
        other
            .check_ins
            .push(one_check_in("r1", "from elsewhere", 77));
        let f = files.path().join("other.json");
        std::fs::write(&f, backup(&other, None, now()).unwrap()).unwrap();
        let dry = run_import(dst.path(), &f, true, &mut answers(&[])).unwrap();
        assert_eq!(dry.summary.check_ins_added, 1);
        assert!(
            !dry.notices.is_empty(),
            "the damaged store.json is not mentioned"
        );
        assert_eq!(snapshot(dst.path()), before, "a dry run changed files");
        let done = run_import(dst.path(), &f, false, &mut answers(&[])).unwrap();
        assert!(done.applied);
        assert!(
            done.notices.iter().any(|n| n.contains("moved aside")),
            "{:?}",
            done.notices
        );
    }

    #[test]
    fn import_refuses_anything_but_a_regular_file_at_once() {
        let dst = store_with(None);
        let before = snapshot(dst.path());
        let files = tempfile::tempdir().unwrap();
        let fifo = files.path().join("pipe");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        let mut cases = vec![PathBuf::from("/dev/zero"), files.path().to_path_buf()];
        if made.is_ok_and(|s| s.success()) {
            cases.push(fifo);
        }
        for path in cases {
            let dir = dst.path().to_path_buf();
            let (tx, rx) = std::sync::mpsc::channel();
            let p = path.clone();
            std::thread::spawn(move || {
                let r = run_import(&dir, &p, true, &mut answers(&[])).map(|_| ());
                let _ = tx.send(r.map_err(|e| e.to_string()));
            });
            let r = rx
                .recv_timeout(std::time::Duration::from_secs(10))
                .unwrap_or_else(|_| panic!("{} was read for ever", path.display()));
            let err = r.unwrap_err();
            assert!(
                err.contains("not a regular file"),
                "{}: {err}",
                path.display()
            );
        }
        assert_eq!(snapshot(dst.path()), before);
    }

    #[test]
    fn a_folder_of_other_files_is_not_made_into_a_store() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("Documents");
        std::fs::create_dir(&dir).unwrap();
        std::fs::write(dir.join("taxes.pdf"), b"%PDF").unwrap();
        #[cfg(unix)]
        use std::os::unix::fs::PermissionsExt;
        #[cfg(unix)]
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        let before = snapshot(&dir);
        let err = Store::open(&dir).unwrap_err().to_string();
        assert!(err.contains("other files"), "{err}");
        assert_eq!(snapshot(&dir), before);
        #[cfg(unix)]
        assert_eq!(
            std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777,
            0o755
        );
        // A new folder, an empty one, and a store's own folder all open.
        drop(Store::open(&tmp.path().join("new")).unwrap());
        let empty = tmp.path().join("empty");
        std::fs::create_dir(&empty).unwrap();
        drop(Store::open(&empty).unwrap());
        drop(Store::open(&empty).unwrap());
    }

    #[test]
    fn the_markdown_summary_holds_notes_only_with_notes() {
        let src = store_with(None);
        let mut store = Store::open(src.path()).unwrap();
        store
            .update(|d| {
                let r = d.new_record(
                    CheckIn {
                        when: day("2026-03-20").and_hms_opt(18, 0, 0).unwrap(),
                        mood: 3,
                        note: "I almost quit therapy this week".into(),
                        ..Default::default()
                    },
                    common::t(4_000_000),
                );
                d.check_ins.push(r);
            })
            .unwrap();
        drop(store);
        let run = |with_notes: bool| {
            let mut sink = Vec::new();
            run_export(
                src.path(),
                &ExportArgs {
                    with_notes,
                    ..ExportArgs::new(ExportFormat::Markdown)
                },
                &mut answers(&[]),
                KdfParams::weak_for_tests(),
                &mut sink,
                false,
                &mut Vec::new(),
            )
            .unwrap();
            String::from_utf8(sink).unwrap()
        };
        let without = run(false);
        assert!(without.contains("| 2026-03-20 18:00 | 3/10 |"), "{without}");
        assert!(!without.contains("almost quit"), "{without}");
        assert!(run(true).contains("I almost quit therapy this week"));
    }

    #[test]
    fn exports_are_refused_inside_the_data_folder() {
        let src = store_with(None);
        let err = run_export(
            src.path(),
            &ExportArgs {
                out: Some(src.path().join("notes.csv")),
                ..ExportArgs::new(ExportFormat::CheckInsCsv)
            },
            &mut answers(&[]),
            KdfParams::weak_for_tests(),
            &mut Vec::new(),
            false,
            &mut Vec::new(),
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
                &ExportArgs::new(format),
                &mut answers(&["pw-123456"]),
                KdfParams::weak_for_tests(),
                &mut sink,
                true,
                &mut Vec::new(),
            )
            .unwrap();
            let text = String::from_utf8(sink).unwrap();
            assert!(text.contains("😔🌱"), "{format:?}: {text}");
        }
        // A sealed backup is not sent to a terminal.
        let err = run_export(
            src.path(),
            &ExportArgs::new(ExportFormat::Backup),
            &mut answers(&["pw-123456"]),
            KdfParams::weak_for_tests(),
            &mut Vec::new(),
            true,
            &mut Vec::new(),
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
    let data = generate(Spec::heavy(10, end));
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

// ------------------------------------------------ hostile and huge input

/// A store file holding `data` exactly as given (no id checks on the way).
fn store_file(data: &Data) -> Vec<u8> {
    common_ground::core::store::format::encode(data, 1, now(), 0)
        .unwrap()
        .to_bytes()
}

fn one_check_in(id: &str, note: &str, secs: i64) -> common_ground::core::model::Record<CheckIn> {
    common_ground::core::model::Record {
        id: id.into(),
        created: common::t(secs),
        updated: common::t(secs),
        body: CheckIn {
            when: day("2026-03-02").and_hms_opt(18, 0, 0).unwrap(),
            note: note.into(),
            ..Default::default()
        },
    }
}

#[test]
fn ids_that_would_wrap_around_or_repeat_are_refused() {
    // An id past what a counter can hold.
    let mut wrap = Data::default();
    wrap.check_ins
        .push(one_check_in("r18446744073709551615", "a", 1));
    assert!(read_backup(&store_file(&wrap), None).is_err());
    // Not of the form r + digits, or 16 digits.
    for id in ["", "x1", "r", "r01", "r-1", "r1234567890123456", "r1 "] {
        let mut d = Data::default();
        d.check_ins.push(one_check_in(id, "a", 1));
        assert!(read_backup(&store_file(&d), None).is_err(), "{id:?}");
    }
    // The same id twice, across kinds too.
    let mut dup = Data::default();
    dup.check_ins.push(one_check_in("r7", "a", 1));
    dup.concerns.push(common_ground::core::model::Record {
        id: "r7".into(),
        created: common::t(2),
        updated: common::t(2),
        body: Concern::default(),
    });
    let bytes = store_file(&dup);
    assert!(read_backup(&bytes, None).is_err());
    // A store holding them is not healthy and does not load.
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("store.json"), &bytes).unwrap();
    let report = common_ground::core::store::check(tmp.path());
    assert!(!report.is_healthy(), "{report}");
    assert!(report.to_string().contains("same id"), "{report}");
    let store = Store::open(tmp.path()).unwrap();
    assert!(store.data().check_ins.is_empty() && store.data().concerns.is_empty());
}

#[test]
fn a_counter_at_its_end_still_gives_unique_ids_that_re_import() {
    // A backup whose next_id is the largest number there is.
    let mut incoming = Data::default();
    incoming.check_ins.push(one_check_in("r5", "theirs", 10));
    incoming.next_id = u64::MAX;
    let file = store_file(&incoming);
    let incoming = read_backup(&file, None).unwrap();
    let mut here = Data::default();
    here.check_ins.push(one_check_in("r5", "mine", 20));
    here.next_id = 5;
    let mut merged = plan_import(&here, &incoming).merged;
    // New records after it get ids no one has.
    let r = merged.new_record(CheckIn::default(), common::t(30));
    merged.check_ins.push(r);
    let r = merged.new_record(CheckIn::default(), common::t(31));
    merged.check_ins.push(r);
    let mut ids: Vec<&str> = merged.check_ins.iter().map(|r| r.id.as_str()).collect();
    ids.sort();
    let n = ids.len();
    ids.dedup();
    assert_eq!(ids.len(), n, "duplicate ids: {ids:?}");
    // Its own export imports again, adding nothing.
    let again = read_backup(&backup(&merged, None, now()).unwrap(), None).unwrap();
    assert!(plan_import(&merged, &again).summary.is_empty());
}

#[test]
fn csv_cells_that_a_spreadsheet_would_run_start_with_a_quote() {
    let mut data = Data::default();
    let evil = [
        "=HYPERLINK(\"http://x\",\"y\")",
        "+1+1",
        "-2+3",
        "@SUM(A1)",
        "\tTAB",
        "\rCR",
    ];
    for (i, note) in evil.iter().enumerate() {
        let r = data.new_record(
            CheckIn {
                when: day("2026-03-02").and_hms_opt(18, 0, i as u32).unwrap(),
                note: (*note).into(),
                tags: vec![(*note).into()],
                ..Default::default()
            },
            common::t(i as i64),
        );
        data.check_ins.push(r);
        let r = data.new_record(
            Concern {
                what_happened: (*note).into(),
                other_topic: (*note).into(),
                ..Default::default()
            },
            common::t(i as i64),
        );
        data.concerns.push(r);
    }
    let cells = |bytes: Vec<u8>, col: &str| -> Vec<String> {
        let mut r = csv::Reader::from_reader(&bytes[..]);
        let at = r.headers().unwrap().iter().position(|h| h == col).unwrap();
        r.records().map(|row| row.unwrap()[at].to_owned()).collect()
    };
    let ck = check_ins_csv(&data, Period::default()).unwrap();
    let co = concerns_csv(&data, Period::default()).unwrap();
    for (got, want) in [
        (cells(ck.clone(), "note"), &evil),
        (cells(ck, "tags"), &evil),
        (cells(co.clone(), "what_happened"), &evil),
        (cells(co, "other_topic"), &evil),
    ] {
        let want: Vec<String> = want.iter().map(|s| format!("'{s}")).collect();
        assert_eq!(got, want);
    }
    // Harmless text is left alone, and the backup keeps the exact text.
    let plain = cells(check_ins_csv(&sample(), Period::default()).unwrap(), "note");
    assert!(plain.iter().any(|n| n == TRICKY));
    let back = read_backup(&backup(&data, None, now()).unwrap(), None).unwrap();
    assert_eq!(back.check_ins[0].body.note, evil[0]);
}

/// The summary rendered by a real Markdown reader: each block's kind and
/// its text (breaks as `\n`).
fn render(md: &str) -> Vec<(String, String)> {
    use pulldown_cmark::{Event, Options, Parser, Tag};
    let options = Options::all() - Options::ENABLE_SMART_PUNCTUATION;
    let mut blocks: Vec<(String, String)> = Vec::new();
    let mut depth = 0;
    for event in Parser::new_ext(md, options) {
        match event {
            Event::Start(tag) => {
                if depth == 0 || matches!(tag, Tag::Heading { .. } | Tag::CodeBlock(_)) {
                    let kind = format!("{tag:?}");
                    let kind = kind.split(['(', ' ', '{']).next().unwrap().to_owned();
                    blocks.push((kind, String::new()));
                } else if !matches!(
                    tag,
                    Tag::Strong | Tag::TableRow | Tag::TableCell | Tag::TableHead
                ) {
                    blocks.push((format!("inline {tag:?}"), String::new()));
                }
                depth += 1;
            }
            Event::End(_) => depth -= 1,
            Event::Text(t) | Event::Code(t) => blocks.last_mut().unwrap().1.push_str(&t),
            Event::SoftBreak | Event::HardBreak => blocks.last_mut().unwrap().1.push('\n'),
            other => blocks.push((format!("{other:?}"), String::new())),
        }
    }
    blocks
}

#[test]
fn the_summary_shows_exactly_the_words_typed() {
    let nasty = [
        "---",
        "===",
        "  ---",
        "first line\n===",
        "first line\n  ---",
        "para\n\n    indented like code",
        "\ttabbed",
        "*stars* and _under_ and **bold**",
        "# hash",
        "| a | b |\n|---|---|\n| c | d |",
        "> quoted",
        "1. one",
        "- dash",
        "<b>html</b> &amp; entity",
        "[link](http://x) ![img](y)",
        "`code` and ~~strike~~",
        "a\rb",
        "```\nfenced\n```",
        "line ending with backslash\\\nnext",
    ];
    // In concerns (whose words are not private: they go in when ticked).
    let mut data = Data::default();
    for (i, text) in nasty.iter().enumerate() {
        let r = data.new_record(
            Concern {
                what_happened: format!("Concern {i}\n{text}"),
                would_like: (*text).into(),
                state: ConcernState::Ready,
                ..Default::default()
            },
            day("2026-03-02")
                .and_hms_opt(18, i as u32, 0)
                .unwrap()
                .and_utc(),
        );
        data.concerns.push(r);
    }
    let md = therapist_summary(
        &data,
        &Selection::all_in(&data, Period::default()),
        &ExportText::builtin(),
        PrepareContent::shared(),
        day("2026-03-20"),
    );
    let blocks = render(&md);
    // Only the summary's own headings: the title, "Concerns" and one per
    // concern.
    let headings = blocks.iter().filter(|(k, _)| k == "Heading").count();
    assert_eq!(headings, 2 + nasty.len(), "{blocks:#?}\n{md}");
    for (kind, _) in &blocks {
        assert!(
            matches!(kind.as_str(), "Heading" | "Paragraph" | "Table"),
            "{kind}: {blocks:#?}\n{md}"
        );
    }
    // Each note's words, line by line.
    let text: String = blocks.iter().map(|(_, t)| format!("{t}\n")).collect();
    for note in nasty {
        for line in note
            .split(['\n', '\r'])
            .map(str::trim)
            .filter(|l| !l.is_empty())
        {
            assert!(text.contains(line), "{line:?} lost:\n{text}\n{md}");
        }
    }
}

#[test]
fn error_messages_quote_at_most_80_characters_of_the_file() {
    let secret = "S".repeat(1_000_000);
    // A long string where a number belongs, in a plain and a sealed file.
    let body = format!(
        "{{\"check_ins\":[{{\"id\":\"r1\",\"created\":\"2026-01-01T00:00:00Z\",\
         \"updated\":\"2026-01-01T00:00:00Z\",\"body\":{{\"mood\":\"{secret}\"}}}}]}}"
    );
    let plain = common_ground::core::store::format::seal(body.into_bytes(), 1, now()).unwrap();
    let key = SealKey::create(&Passcode::new("passcode"), KdfParams::weak_for_tests()).unwrap();
    let sealed = common_ground::core::store::format::encrypt(plain.clone(), &key).unwrap();
    for (name, bytes, k) in [
        ("plain", plain.to_bytes(), None),
        ("sealed", sealed.to_bytes(), Some(&key)),
    ] {
        let msg = read_backup(&bytes, k).unwrap_err().to_string();
        assert!(msg.len() < 400, "{name}: {} bytes", msg.len());
        assert!(!msg.contains(&"S".repeat(81)), "{name}: {msg}");
    }
    // A long id and a long format name.
    let mut d = Data::default();
    d.check_ins.push(one_check_in(&"r".repeat(100_000), "a", 1));
    let msg = read_backup(&store_file(&d), None).unwrap_err().to_string();
    assert!(msg.len() < 400, "{} bytes", msg.len());
    let header = format!(
        "{{\"format\":\"{}\",\"version\":2}}\n{{}}\n",
        "F".repeat(100_000)
    );
    let msg = read_backup(header.as_bytes(), None)
        .unwrap_err()
        .to_string();
    assert!(msg.len() < 400, "{} bytes", msg.len());
}

#[test]
fn a_save_or_import_that_would_pass_the_size_limit_is_refused_and_names_the_item() {
    let big = "x".repeat(40 * 1024 * 1024);
    let tmp = tempfile::tempdir().unwrap();
    let mut store = Store::open(tmp.path()).unwrap();
    store
        .update(|d| {
            let r = d.new_record(
                CheckIn {
                    note: big.clone(),
                    ..Default::default()
                },
                common::t(1),
            );
            d.check_ins.push(r);
        })
        .unwrap();
    let before = std::fs::read(tmp.path().join("store.json")).unwrap();
    // A backup of another 40 MB note: together too big for one store.
    let mut other = Data::default();
    other.check_ins.push(one_check_in("r1", &big, 99));
    let file = tmp.path().with_extension("backup.json");
    std::fs::write(&file, backup(&other, None, now()).unwrap()).unwrap();
    drop(store);
    let err = common_ground::commands::run_import(tmp.path(), &file, false, &mut |_| {
        unreachable!("no passcode")
    })
    .unwrap_err()
    .to_string();
    assert!(err.contains("largest item") && err.contains("r1"), "{err}");
    assert_eq!(
        std::fs::read(tmp.path().join("store.json")).unwrap(),
        before
    );
    // A save that would pass it is refused too; the file stays readable.
    let mut store = Store::open(tmp.path()).unwrap();
    let err = store
        .update(|d| d.check_ins[0].body.note.push_str(&big))
        .unwrap_err()
        .to_string();
    assert!(err.contains("largest item"), "{err}");
    drop(store);
    assert_eq!(
        std::fs::read(tmp.path().join("store.json")).unwrap(),
        before
    );
    let _ = std::fs::remove_file(&file);
}

#[test]
fn a_large_import_merges_in_about_linear_time() {
    let here = common::heavy_data(20_000, 0, 200_000);
    // Another store's history: same ids, other records.
    let mut theirs = common::heavy_data(20_000, 0, 200_000);
    for r in &mut theirs.check_ins {
        r.created += chrono::Duration::seconds(1);
    }
    let start = std::time::Instant::now();
    let plan = plan_import(&here, &theirs);
    let took = start.elapsed();
    assert_eq!(plan.summary.check_ins_added, 20_000);
    assert_eq!(plan.summary.renumbered, 20_000);
    // Quadratic matching took tens of seconds here (debug build).
    assert!(took < std::time::Duration::from_secs(4), "{took:?}");
}

/// The paragraphs a text should render as: line breaks kept, blank lines
/// between paragraphs, surrounding spaces dropped.
fn expected_paragraphs(s: &str) -> Vec<String> {
    let s = s.replace("\r\n", "\n").replace('\r', "\n");
    let mut out: Vec<String> = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for line in s.split('\n').map(str::trim) {
        if line.is_empty() {
            if !current.is_empty() {
                out.push(current.join("\n"));
                current.clear();
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        out.push(current.join("\n"));
    }
    out
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
    #[test]
    fn any_text_renders_as_exactly_its_words(
        s in "[-=*_#>|`~&<>\\[\\]!+.:;0-9ax ()^$\\\\\"'{}\t\r\n]{0,40}"
    ) {
        let md = common_ground::core::export::md_text(&s);
        let blocks = render(&md);
        for (kind, _) in &blocks {
            proptest::prop_assert_eq!(kind.as_str(), "Paragraph", "{:?} -> {:?}: {:?}", s, md, blocks);
        }
        let got: Vec<String> = blocks.into_iter().map(|(_, t)| t).collect();
        proptest::prop_assert_eq!(got, expected_paragraphs(&s), "{:?} -> {:?}", s, md);
    }
}

/// What the user did with Unsaid items follows the check-ins through an
/// import, also when their ids are renumbered; the way of reacting and the
/// "everything is a 10" dismissal come along when this store has none.
#[test]
fn unsaid_marks_follow_their_check_ins_through_an_import() {
    use common_ground::core::model::{Reaction, Record, UnsaidState};
    let incoming = common::golden_v4_data();
    let mut current = Data::default();
    // Takes the id r11 here, so the backup's r11 gets a new one.
    let r = current.new_record(
        CheckIn {
            when: day("2025-05-05").and_hms_opt(9, 0, 0).unwrap(),
            mood: 3,
            ..Default::default()
        },
        common::t(5),
    );
    current.next_id = 11;
    current.check_ins.push(Record {
        id: "r11".into(),
        ..r
    });
    let plan = plan_import(&current, &incoming);
    let m = &plan.merged;
    let new_r11 = m
        .check_ins
        .iter()
        .find(|r| r.body.held_back_words == "لم أقل إنني متعب")
        .unwrap()
        .id
        .clone();
    assert_ne!(new_r11, "r11");
    let mark = |id: &str| m.prepare.unsaid.iter().find(|x| x.check_in == id).cloned();
    assert_eq!(mark(&new_r11).unwrap().state, UnsaidState::LetGo);
    assert!(
        mark("r11").is_none(),
        "the mark did not land on this store's r11"
    );
    let drafted = mark("r13").unwrap();
    assert_eq!(drafted.state, UnsaidState::Drafted);
    assert!(m
        .concerns
        .iter()
        .any(|c| Some(&c.id) == drafted.concern.as_ref()));
    assert_eq!(m.prepare.reaction, Some(Reaction::GoQuiet));
    assert_eq!(
        m.insights.all_top_dismissed.as_deref(),
        Some(new_r11.as_str())
    );
    // A second import adds nothing, marks included.
    let again = plan_import(m, &incoming);
    assert_eq!(again.merged.prepare.unsaid, m.prepare.unsaid);
}

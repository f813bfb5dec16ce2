//! The therapist summary as a PDF: one page on A4 and on Letter, real text
//! (read back with poppler's `pdftotext`, which `.ci/run` installs), the
//! chart's legend and the table's numbers, only what was chosen (no
//! unticked note, no unfinished draft), a long period that still fits on
//! one page, and `export --format pdf` on the command line.
//!
//! `SUMMARY_PNG=/tmp/summary cargo test --test pdf` also draws each page
//! as a PNG (`pdftoppm`), to look at.

#[path = "weak_kdf/mod.rs"]
mod weak_kdf;
use std::path::Path;
use std::process::Command;
use weak_kdf::WeakForTests;

use chrono::NaiveDate;
use common_ground::core::export::{summary_blocks, ExportText, Period, Private, Selection};
use common_ground::core::model::{CheckIn, Concern, ConcernState, Data};
use common_ground::core::pdf::{summary_pdf, Paper};
use common_ground::core::prepare::PrepareContent;
use common_ground::core::sample::{generate, Spec};
use common_ground::core::store::{KdfParams, Passcode, Store};

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn data() -> Data {
    let mut d = Data::default();
    for (i, (date, heard, note)) in [
        ("2026-03-02", 4, "I almost quit therapy this week"),
        ("2026-03-09", 6, ""),
        ("2026-03-16", 8, "A long walk helped"),
    ]
    .into_iter()
    .enumerate()
    {
        let r = d.new_record(
            CheckIn {
                when: day(date).and_hms_opt(18, 30, 0).unwrap(),
                mood: 5 + i as u8,
                heard: Some(heard),
                goals: Some(7),
                approach: None,
                overall: Some(6),
                note: note.into(),
                ..Default::default()
            },
            day(date).and_hms_opt(19, 0, 0).unwrap().and_utc(),
        );
        d.check_ins.push(r);
    }
    let r = d.new_record(
        Concern {
            what_happened: "We ran out of time before I could say what mattered".into(),
            would_like: "Ten minutes at the start for what I bring".into(),
            state: ConcernState::Ready,
            step: 7,
            ..Default::default()
        },
        day("2026-03-10").and_hms_opt(9, 0, 0).unwrap().and_utc(),
    );
    d.prepare.agenda.push(r.id.clone());
    d.concerns.push(r);
    // An unfinished draft: never offered, never written.
    let r = d.new_record(
        Concern {
            what_happened: "Half a thought I have not finished".into(),
            state: ConcernState::Draft,
            ..Default::default()
        },
        day("2026-03-11").and_hms_opt(9, 0, 0).unwrap().and_utc(),
    );
    d.concerns.push(r);
    d
}

/// `pdftotext` of the file, on one line.
fn flat(words: &str) -> String {
    words.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `pdftotext -layout` of the file, and its page count from `pdfinfo`.
fn read_back(pdf: &[u8], dir: &Path, name: &str) -> (String, usize, (f32, f32)) {
    let file = dir.join("summary.pdf");
    std::fs::write(&file, pdf).unwrap();
    let text = Command::new("pdftotext")
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext is missing: install poppler-utils (.ci/run does)");
    assert!(text.status.success(), "pdftotext failed: {text:?}");
    let info = Command::new("pdfinfo").arg(&file).output().unwrap();
    let info = String::from_utf8(info.stdout).unwrap();
    let pages = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .map(|n| n.trim().parse().unwrap())
        .unwrap();
    let size = info
        .lines()
        .find_map(|l| l.strip_prefix("Page size:"))
        .map(|s| {
            let n: Vec<f32> = s
                .split_whitespace()
                .filter_map(|w| w.parse().ok())
                .collect();
            (n[0], n[1])
        })
        .unwrap();
    // The picture, for a person to look at (`pdftoppm` → PNG).
    if let Ok(out) = std::env::var("SUMMARY_PNG") {
        Command::new("pdftoppm")
            .args(["-png", "-r", "80", "-singlefile"])
            .arg(&file)
            .arg(format!("{out}-{name}"))
            .status()
            .unwrap();
    }
    (String::from_utf8(text.stdout).unwrap(), pages, size)
}

#[test]
fn the_pdf_is_one_page_of_real_text_with_only_what_was_chosen() {
    let d = data();
    let text = ExportText::builtin();
    let content = PrepareContent::builtin();
    // Every concern and check-in ticked (the draft too, by id).
    let sel = Selection {
        concerns: d.concerns.iter().map(|r| r.id.clone()).collect(),
        ..Selection::all_in(&d, Period::default())
    };
    // One note ticked: the walk, not the other.
    let walk = d.check_ins[2].id.clone();
    let sel = Selection {
        private: vec![common_ground::core::export::PrivatePart {
            id: walk,
            part: Private::Note,
        }],
        ..sel
    };
    let blocks = summary_blocks(&d, &sel, &text, &content, day("2026-03-20"));
    let tmp = tempfile::tempdir().unwrap();
    for (paper, size) in [(Paper::A4, (595.0, 842.0)), (Paper::Letter, (612.0, 792.0))] {
        let pdf = summary_pdf(&blocks, &text, paper).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        let (words, pages, got) = read_back(&pdf, tmp.path(), &format!("{paper:?}"));
        assert_eq!(pages, 1, "{paper:?}");
        assert!(
            (got.0 - size.0).abs() < 1.0 && (got.1 - size.1).abs() < 1.0,
            "{got:?}"
        );
        let flat = flat(&words);
        for expected in [
            text.title.as_str(),
            "We ran out of time before I could say what mattered",
            "Ten minutes at the start",
            "A long walk helped",
            "2026-03-16 18:30",
            "8/10",
            // The chart's title and legend.
            text.chart_title.as_str(),
            "I felt heard and respected",
        ] {
            assert!(
                flat.contains(expected),
                "{expected:?} missing in {paper:?}: {flat}"
            );
        }
        assert!(
            !flat.contains("almost quit"),
            "an unticked note leaked: {flat}"
        );
        assert!(
            !flat.contains("Half a thought"),
            "a draft was written: {flat}"
        );
    }
}

#[test]
fn ten_years_still_fit_on_one_page() {
    let d = generate(Spec::weekly(10, day("2026-11-20")));
    let text = ExportText::builtin();
    let sel = Selection::all_in(&d, Period::default()).with_every(&d, Private::Note);
    let blocks = summary_blocks(&d, &sel, &text, PrepareContent::shared(), day("2026-11-20"));
    let pdf = summary_pdf(&blocks, &text, Paper::A4).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let (words, pages, _) = read_back(&pdf, tmp.path(), "ten-years");
    assert_eq!(pages, 1);
    let flat = flat(&words);
    // Says that the rest is in the Markdown file, and how the table is cut.
    assert!(flat.contains("did not fit on this page"), "{flat}");
    assert!(flat.contains("The last 12 of"), "{flat}");
}

#[test]
fn paper_follows_the_country() {
    assert_eq!(Paper::for_country(Some("US")), Paper::Letter);
    assert_eq!(Paper::for_country(Some("CA")), Paper::Letter);
    assert_eq!(Paper::for_country(Some("DE")), Paper::A4);
    assert_eq!(Paper::for_country(None), Paper::A4);
}

/// `common-ground export --format pdf`: to a file only (not text, so
/// never to a terminal), notes only with `--with-notes`, no draft.
#[test]
fn the_command_line_writes_the_pdf_with_notes_only_when_asked() {
    use common_ground::cli::ExportArgs;
    use common_ground::commands::{run_export, CommandError};
    use common_ground::core::export::ExportFormat;

    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(dir.path()).unwrap();
    store.update(|d| *d = data()).unwrap();
    drop(store);
    let out = tempfile::tempdir().unwrap();
    let run = |args: &ExportArgs, terminal: bool| {
        let mut stderr = Vec::new();
        let result = run_export(
            dir.path(),
            args,
            &mut |_| Ok(Passcode::new("unused")),
            KdfParams::weak_for_tests(),
            &mut Vec::new(),
            terminal,
            &mut stderr,
        );
        (result, String::from_utf8(stderr).unwrap())
    };
    let (result, _) = run(&ExportArgs::new(ExportFormat::Pdf), true);
    assert!(matches!(result, Err(CommandError::BinaryToTerminal)));

    for with_notes in [false, true] {
        let file = out.path().join(format!("summary-{with_notes}.pdf"));
        let args = ExportArgs {
            out: Some(file.clone()),
            with_notes,
            ..ExportArgs::new(ExportFormat::Pdf)
        };
        let (result, stderr) = run(&args, true);
        result.unwrap();
        assert!(stderr.contains("will not be encrypted"), "{stderr}");
        let pdf = std::fs::read(&file).unwrap();
        let (words, pages, _) = read_back(&pdf, out.path(), &format!("cli-{with_notes}"));
        assert_eq!(pages, 1);
        let flat = flat(&words);
        assert!(flat.contains("We ran out of time"), "{flat}");
        assert!(!flat.contains("Half a thought"), "{flat}");
        assert_eq!(
            flat.contains("I almost quit therapy this week"),
            with_notes,
            "{flat}"
        );
    }
}

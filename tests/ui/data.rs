//! Settings > Back up and export, as a user goes through it: export a
//! backup to a file and import it into another app; choose exactly what
//! goes into the summary for the therapist (never an unfinished draft),
//! read it formatted as the therapist will, and save it as a one-page PDF
//! or as Markdown (through the typed path, the fallback where there is no
//! platform save dialog); be asked before a file is replaced; get a clear
//! message for a file that is not a backup, and for a sealed backup's
//! wrong passcode.

use crate::weak_kdf::WeakForTests;
use std::path::Path;

use chrono::{Duration, Local, Utc};
use common_ground::core::model::{CheckIn, Concern, ConcernState, Data};
use common_ground::core::prepare::{title, PrepareContent};
use common_ground::core::sample::{generate, Spec};
use common_ground::core::store::{KdfParams, Passcode, Store};

use slint::ComponentHandle;

use crate::harness::Harness;

fn open_export(h: &Harness) {
    h.click("Settings");
    h.click("Export");
}

fn open_import(h: &Harness) {
    h.click("Settings");
    h.click("Import a backup");
}

fn check_file(h: &Harness, path: &Path) {
    h.type_into("Backup file", &path.display().to_string());
    h.click("Check this file");
    h.wait_for("the file to be checked", |h| {
        !h.shows_containing("Checking the whole file")
    });
}

fn save_to(h: &Harness, path: &Path) {
    h.type_into("Save to", &path.display().to_string());
    h.click("Save");
}

fn wait_saved(h: &Harness) {
    h.wait_for("the export to be saved", |h| h.shows_containing("Saved to"));
}

/// The text of a PDF, read back with poppler's `pdftotext` (`.ci/run`
/// installs poppler-utils), on one line.
fn pdf_text(file: &Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .arg(file)
        .arg("-")
        .output()
        .expect("pdftotext is missing: install poppler-utils (.ci/run does)");
    assert!(out.status.success(), "{out:?}");
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn is_sealed(file: &Path) -> bool {
    use common_ground::core::export::{inspect_backup, BackupLock};
    matches!(
        inspect_backup(&std::fs::read(file).unwrap()),
        Ok(BackupLock::Sealed(_))
    )
}

#[test]
fn a_backup_exported_from_settings_is_sealed_and_imports_into_another_app_once() {
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("my-backup.json");
    let h = Harness::with_data(generate(Spec::weekly(1, Local::now().date_naive())));
    open_export(&h);
    assert!(h.is_checked("A full backup"), "a backup is the default");
    // No passcode and no backup passphrase yet: set one here (or export
    // without encryption, behind its own button); no plain Save.
    assert!(
        h.reveal_text("Seal it with a backup passphrase"),
        "{:?}",
        h.texts()
    );
    assert!(h.try_find("Save").is_none());
    h.type_into("Backup passphrase", "river stones");
    h.type_into("Type the backup passphrase again", "river stonse");
    h.click("Set backup passphrase");
    assert!(h.reveal_text("are not the same"), "{:?}", h.texts());
    h.type_into("Backup passphrase", "river stones");
    h.type_into("Type the backup passphrase again", "river stones");
    h.click("Set backup passphrase");
    h.wait_for("the passphrase to be set", |h| h.try_find("Save").is_some());
    // What a screen reader says with the option: how it is sealed now.
    let detail = h
        .find("A full backup")
        .accessible_description()
        .unwrap_or_default();
    assert!(
        detail.contains("Sealed: it opens only with your backup passphrase"),
        "{detail}"
    );
    save_to(&h, &file);
    wait_saved(&h);
    assert!(h.shows_containing(&file.display().to_string()));
    assert!(is_sealed(&file), "sealed by default");
    let original = h.app.with_data(Data::clone);
    let note = &original.check_ins[0].body.note;
    let bytes = std::fs::read(&file).unwrap();
    assert!(!String::from_utf8_lossy(&bytes).contains(note.as_str()));
    assert!(h.app.with_data(|d| d.settings.backup.passphrase.is_some()));
    // This app imports its own backup without asking.
    h.click("Back to Settings");
    h.click("Import a backup");
    check_file(&h, &file);
    assert!(h.shows_containing("already here"), "{:?}", h.texts());

    // Another app asks for the passphrase: a wrong one, then the right.
    let other = Harness::new();
    open_import(&other);
    check_file(&other, &file);
    assert!(other.shows_containing("This backup is sealed"));
    other.type_into("Passphrase or passcode of this backup", "river rocks");
    other.click("Open the backup");
    other.wait_for("the passphrase to be tried", |h| {
        !h.shows_containing("Checking the whole file")
    });
    assert!(other.shows_containing("does not open this backup"));
    assert!(other.app.with_data(|d| d.check_ins.is_empty()));
    other.type_into("Passphrase or passcode of this backup", "river stones");
    other.click("Open the backup");
    other.wait_for("the backup to open", |h| h.shows_containing("to add"));
    let expected = format!(
        "{} check-ins and {} concerns to add; 0 already here",
        original.check_ins.len(),
        original.concerns.len()
    );
    assert!(other.shows(&expected), "{:?}", other.texts());
    assert!(
        other.app.with_data(|d| d.check_ins.is_empty()),
        "checking changes nothing"
    );
    // The merge runs on the worker; the app says so meanwhile.
    other.click("Import");
    assert!(
        other.shows_containing("Adding") || other.shows_containing("Added"),
        "{:?}",
        other.texts()
    );
    other.wait_for("the import", |h| h.shows_containing("Added"));
    other.app.with_data(|d| assert_eq!(d, &original));

    // A second import adds nothing (the passphrase came with the data).
    check_file(&other, &file);
    assert!(
        other.shows_containing("already here") && other.shows_containing("nothing to add"),
        "{:?}",
        other.texts()
    );
    assert!(other.try_find("Import").is_none());
    other.app.with_data(|d| assert_eq!(d, &original));
    // And the new data is on screen elsewhere: Check in lists it.
    other.click("Back to Settings");
    other.click("Check in");
    assert!(!other.shows_containing("No check-ins yet"));
}

fn note_check_in(data: &mut Data, days_ago: i64, mood: u8, note: &str) {
    let when = (Local::now() - Duration::days(days_ago)).naive_local();
    let r = data.new_record(
        CheckIn {
            when,
            mood,
            note: note.into(),
            ..Default::default()
        },
        Utc::now() - Duration::days(days_ago),
    );
    data.check_ins.push(r);
}

fn concern(data: &mut Data, days_ago: i64, what: &str, state: ConcernState) -> String {
    let r = data.new_record(
        Concern {
            what_happened: what.into(),
            state,
            step: 7,
            ..Default::default()
        },
        Utc::now() - Duration::days(days_ago),
    );
    let id = r.id.clone();
    data.concerns.push(r);
    id
}

fn label_starting(h: &Harness, start: &str) -> String {
    h.labels()
        .into_iter()
        .find(|l| l.starts_with(start))
        .unwrap_or_else(|| panic!("no label starting {start:?}: {:?}", h.labels()))
}

/// The label of the check-in row of `mood`, scrolling the list (each note
/// adds a row under its check-in, so it may be out of view).
fn mood_label(h: &Harness, mood: u8) -> Option<String> {
    let end = format!("mood {mood} of 10");
    h.scroll_until(|h| {
        h.labels()
            .into_iter()
            .find(|l| l.starts_with("Check-in: ") && l.ends_with(&end))
    })
}

#[test]
fn the_therapist_summary_holds_only_what_was_chosen() {
    let mut data = Data::default();
    let agenda = concern(
        &mut data,
        2,
        "We ran out of time again",
        ConcernState::Ready,
    );
    data.prepare.agenda.push(agenda);
    concern(
        &mut data,
        5,
        "She called me by the wrong name",
        ConcernState::Raised,
    );
    // Words still being found: not offered at all.
    concern(
        &mut data,
        4,
        "Half a thought I keep circling",
        ConcernState::Draft,
    );
    note_check_in(&mut data, 3, 3, "Felt rushed at the end");
    note_check_in(&mut data, 10, 8, "A good session about work");
    let wrong_name = title(PrepareContent::shared(), &data.concerns[1].body, 60);
    let h = Harness::with_data(data);
    open_export(&h);
    h.click("For my therapist");
    h.click("Choose what goes in");
    assert!(h.is_checked("Last 4 weeks"));
    // By default: the agenda and every check-in in the period; the draft
    // is not in the list.
    let on_agenda = label_starting(&h, "Concern: We ran out of time");
    let raised = label_starting(&h, &format!("Concern: {wrong_name}"));
    let rushed = label_starting(&h, "Check-in: ");
    assert!(h.is_checked(&on_agenda) && !h.is_checked(&raised));
    assert!(h.shows("1 of 2 concerns and 2 of 2 check-ins chosen"));
    assert!(
        !h.labels().iter().any(|l| l.contains("Half a thought")),
        "a draft is offered: {:?}",
        h.labels()
    );
    h.click("Select all");
    assert!(h.shows("2 of 2 concerns and 2 of 2 check-ins chosen"));

    h.click("Select none");
    assert!(!h.is_checked(&on_agenda));
    h.click(&raised);
    let mood_3 = mood_label(&h, 3).unwrap_or_else(|| panic!("{rushed}"));
    h.activate(&mood_3);
    assert!(h.is_checked(&raised) && h.is_checked(&mood_3));
    h.click("Preview");
    // Formatted, as the therapist will see it: headings and labelled
    // words, no Markdown marks.
    let shown = h.texts_through_list("Preview of the summary");
    let has = |part: &str| shown.iter().any(|t| t.contains(part));
    assert!(has("She called me by the wrong name"), "{shown:?}");
    assert!(
        shown.iter().any(|t| t == "Notes for my therapist"),
        "{shown:?}"
    );
    assert!(shown.iter().any(|t| t == "What happened"), "{shown:?}");
    assert!(has("My mood (0 to 10): 3/10"), "{shown:?}");
    assert!(
        !shown
            .iter()
            .any(|t| t.contains("**") || t.contains("|---") || t.starts_with('#')),
        "{shown:?}"
    );
    // The check-in's scores go in; its note is private and was not ticked.
    assert!(!has("Felt rushed at the end"), "{shown:?}");
    assert!(!has("ran out of time"), "{shown:?}");
    assert!(!has("good session"), "{shown:?}");
    assert!(!has("Half a thought"), "{shown:?}");

    // A one-page PDF by default, saved through the typed path (the
    // fallback where there is no platform dialog, as in these tests).
    assert!(
        h.is_checked("PDF, one page"),
        "a PDF is what people hand over"
    );
    assert!(h.try_find("Choose where to save…").is_none());
    assert!(h.value_of("Save to").ends_with("-for-my-therapist.pdf"));
    // The default name follows the file type.
    h.click("Markdown text");
    assert!(h.is_checked("Markdown text") && !h.is_checked("PDF, one page"));
    assert!(h.value_of("Save to").ends_with("-for-my-therapist.md"));
    h.click("PDF, one page");
    assert!(h.value_of("Save to").ends_with("-for-my-therapist.pdf"));
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("for-my-therapist.pdf");
    save_to(&h, &file);
    wait_saved(&h);
    let pdf = std::fs::read(&file).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let words = pdf_text(&file);
    assert!(words.contains("She called me by the wrong name"), "{words}");
    assert!(words.contains("3/10"), "{words}");
    for left_out in [
        "Felt rushed",
        "ran out of time",
        "good session",
        "Half a thought",
    ] {
        assert!(!words.contains(left_out), "{left_out}: {words}");
    }

    // Or as Markdown: the same words.
    h.click("Markdown text");
    let file = out.path().join("for-my-therapist.md");
    save_to(&h, &file);
    wait_saved(&h);
    let md = std::fs::read_to_string(&file).unwrap();
    assert!(md.contains("She called me by the wrong name"), "{md}");
    assert!(md.contains("| 3/10 |"), "{md}");
    for left_out in [
        "Felt rushed",
        "ran out of time",
        "good session",
        "Half a thought",
    ] {
        assert!(!md.contains(left_out), "{left_out}: {md}");
    }
}

#[test]
fn notes_go_into_the_summary_only_when_ticked_one_by_one() {
    let mut data = Data::default();
    note_check_in(&mut data, 3, 3, "I almost quit therapy this week");
    note_check_in(&mut data, 10, 8, "A long walk *before* helped");
    let h = Harness::with_data(data);
    open_export(&h);
    h.click("For my therapist");
    h.click("Choose what goes in");
    // Both check-ins are ticked, neither note.
    let quit = "Add its note: “I almost quit therapy this week”";
    let walk = "Add its note: “A long walk *before* helped”";
    assert!(h.shows_containing("2 of 2 check-ins chosen"));
    assert!(!h.is_checked(quit) && !h.is_checked(walk));
    assert!(h.shows("Notes stay out unless you tick them one by one."));
    h.click("Preview");
    let preview = h.texts_through_list("Preview of the summary").join("\n");
    assert!(
        preview.contains("My mood (0 to 10): 3/10") && preview.contains("My mood (0 to 10): 8/10"),
        "{preview}"
    );
    assert!(
        !preview.contains("almost quit") && !preview.contains("long walk"),
        "{preview}"
    );
    assert!(h.shows("No notes are in it: you ticked none."));
    assert!(
        !preview.contains("Added because you ticked it"),
        "{preview}"
    );

    // One note ticked: that one goes in (as the words typed), the other
    // stays out, and the preview says so.
    h.click("Back to choosing");
    h.click(walk);
    assert!(h.is_checked(walk) && !h.is_checked(quit));
    assert!(h.shows("1 note ticked to go in."));
    h.click("Preview");
    // As typed (no Markdown escapes on screen), and marked as added.
    let preview = h.texts_through_list("Preview of the summary").join("\n");
    assert!(preview.contains("A long walk *before* helped"), "{preview}");
    assert!(preview.contains("Added because you ticked it"), "{preview}");
    assert!(!preview.contains("almost quit"), "{preview}");
    assert!(h.shows("The note you ticked is in it, under “Note”."));

    // Leaving a check-in out takes its note with it; ticking a note ticks
    // its check-in.
    h.click("Back to choosing");
    h.click("Select none");
    assert!(!h.is_checked(walk));
    // (As a screen reader would: the row may be under the list's edge.)
    h.activate(quit);
    let quit_check_in = mood_label(&h, 3).expect("the check-in of mood 3");
    assert!(h.is_checked(quit), "{:?}", h.labels());
    assert!(
        h.is_checked(&quit_check_in),
        "{quit_check_in}: {:?}",
        h.labels()
    );

    // Saved (as Markdown and as the PDF) with only the ticked note.
    h.click("Preview");
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("summary.pdf");
    save_to(&h, &file);
    wait_saved(&h);
    let words = pdf_text(&file);
    assert!(words.contains("I almost quit therapy this week"), "{words}");
    assert!(!words.contains("long walk"), "{words}");
    h.click("Markdown text");
    let file = out.path().join("summary.md");
    save_to(&h, &file);
    wait_saved(&h);
    let md = std::fs::read_to_string(&file).unwrap();
    assert!(md.contains("I almost quit therapy this week"), "{md}");
    assert!(!md.contains("long walk"), "{md}");
}

#[test]
fn an_existing_file_is_replaced_only_when_the_user_says_so() {
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("check-ins.csv");
    std::fs::write(&file, "keep me").unwrap();
    let mut data = Data::default();
    note_check_in(&mut data, 1, 6, "fine");
    let h = Harness::with_data(data);
    open_export(&h);
    h.click("Check-ins as a spreadsheet (CSV)");
    assert!(
        h.value_of("Save to").ends_with(".csv"),
        "the name follows the kind"
    );

    save_to(&h, &file);
    assert!(h.shows_containing("Replace it?"), "{:?}", h.texts());
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep me");
    h.click("Keep it");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep me");
    h.click("Save");
    h.click("Replace it");
    wait_saved(&h);
    assert!(std::fs::read_to_string(&file)
        .unwrap()
        .starts_with("id,when,"));

    // Not into the data folder, and not into a folder that is not there.
    save_to(&h, &h.dir.join("export.csv"));
    assert!(h.shows_containing("inside the folder where Common Ground keeps"));
    save_to(&h, &out.path().join("missing").join("x.csv"));
    assert!(h.shows_containing("There is no folder"), "{:?}", h.texts());
}

#[test]
fn a_file_that_is_not_a_backup_changes_nothing() {
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("notes.json");
    std::fs::write(&file, b"{\"this\": \"is not a backup\"}\n").unwrap();
    let mut data = Data::default();
    note_check_in(&mut data, 1, 6, "fine");
    let h = Harness::with_data(data);
    let before = h.app.with_data(Data::clone);
    open_import(&h);
    check_file(&h, &file);
    assert!(
        h.shows_containing("not a Common Ground backup"),
        "{:?}",
        h.texts()
    );
    assert!(h.try_find("Import").is_none());
    check_file(&h, &out.path().join("nowhere.json"));
    assert!(h.shows_containing("There is no file at"), "{:?}", h.texts());
    h.app.with_data(|d| assert_eq!(d, &before));
}

#[test]
fn a_sealed_backup_asks_for_its_own_passcode() {
    // A store with a passcode exports a sealed backup...
    let tmp = tempfile::tempdir().unwrap();
    let mut store = Store::open(&tmp.path().join("data")).unwrap();
    store
        .update(|d| note_check_in(d, 2, 4, "sealed note"))
        .unwrap();
    store
        .turn_on_passcode_with(&Passcode::new("green door"), KdfParams::weak_for_tests())
        .unwrap();
    let h = Harness::with_store(store);
    let file = tmp.path().join("sealed.json");
    open_export(&h);
    save_to(&h, &file);
    wait_saved(&h);
    let bytes = std::fs::read(&file).unwrap();
    assert!(!bytes.windows(11).any(|w| w == b"sealed note"), "sealed");

    // ...which another app opens only with that passcode.
    let other = Harness::new();
    open_import(&other);
    check_file(&other, &file);
    assert!(other.shows_containing("This backup is sealed"));
    other.type_into("Passphrase or passcode of this backup", "red door");
    other.click("Open the backup");
    other.wait_for("the passcode to be tried", |h| {
        !h.shows_containing("Checking the whole file")
    });
    assert!(other.shows_containing("does not open this backup"));
    assert!(other.app.with_data(|d| d.check_ins.is_empty()));
    other.type_into("Passphrase or passcode of this backup", "green door");
    other.click("Open the backup");
    other.wait_for("the backup to open", |h| {
        h.shows("1 check-ins and 0 concerns to add; 0 already here")
    });
    other.click("Import");
    other.wait_for("the import", |h| h.shows_containing("Added"));
    assert!(other
        .app
        .with_data(|d| d.check_ins[0].body.note == "sealed note"));
}

const PLAIN_CSV: &str = "This file is not encrypted: anyone who gets it can read it.";

#[test]
fn plain_files_say_before_saving_that_anyone_can_read_them() {
    let out = tempfile::tempdir().unwrap();
    let mut data = Data::default();
    note_check_in(&mut data, 1, 6, "a private line");
    let h = Harness::with_data(data);
    open_export(&h);
    // A full backup with no passphrase: plain only behind its own button,
    // which says so first.
    assert!(h.reveal_text("Without encryption, anyone who gets the file can read"));
    // Asked to save sealed with no key (Enter in the field), it says why
    // and writes nothing.
    let file = out.path().join("plain.json");
    h.type_into("Save to", &file.display().to_string());
    h.app
        .window
        .global::<common_ground::ui::DataAdapter>()
        .invoke_save();
    h.settle();
    assert!(h.reveal_text("Please set one above"), "{:?}", h.texts());
    assert!(!file.exists());
    h.click("Export without encryption");
    wait_saved(&h);
    assert!(!is_sealed(&file), "the user chose a plain file");
    assert!(std::fs::read_to_string(&file)
        .unwrap()
        .contains("a private line"));

    // Spreadsheets say it next to Save, in calm words.
    for kind in [
        "Check-ins as a spreadsheet (CSV)",
        "Concerns as a spreadsheet (CSV)",
    ] {
        h.click(kind);
        assert!(h.reveal_text(PLAIN_CSV), "{kind}: {:?}", h.texts());
        assert!(h.try_find("Save").is_some());
    }
    // The summary says it where it is saved, under the preview.
    h.click("For my therapist");
    h.click("Choose what goes in");
    h.click("Preview");
    assert!(
        h.reveal_text("This summary is not encrypted: anyone who gets the file can read it."),
        "{:?}",
        h.texts()
    );
    // With 200% text, the caution does not push Save out of reach.
    h.set_text_scale(200);
    // (Scrolled where a finger would: on the words under the preview, not
    // on the preview's list, which scrolls its own lines.)
    for _ in 0..10 {
        if h.control_in_view("Save").is_some() {
            break;
        }
        let words = h.all("File type");
        assert!(!words.is_empty(), "{:?}", h.labels());
        words[0].scroll(0.0, -120.0);
        h.settle();
    }
    assert!(h.control_in_view("Save").is_some(), "{:?}", h.labels());

    // A sealed backup needs no such words.
    let tmp = tempfile::tempdir().unwrap();
    let mut store = Store::open(&tmp.path().join("data")).unwrap();
    store
        .turn_on_passcode_with(&Passcode::new("green door"), KdfParams::weak_for_tests())
        .unwrap();
    let sealed = Harness::with_store(store);
    open_export(&sealed);
    assert!(sealed.try_find("Save").is_some());
    assert!(
        !sealed.reveal_text("anyone who gets"),
        "{:?}",
        sealed.texts()
    );
    assert!(sealed.try_find("Export without encryption").is_none());
}

//! What a screen reader user gets beyond names: an unanswered scale says
//! so and the words at its ends, its first step lands on a value that is
//! announced; tabs and single choices say where they stand ("2 of 6"),
//! which Orca does not say by default; focus after a page change, a save
//! and the help sheet opening; Tab reaching every text field on its first
//! pass and staying inside the help sheet; linked concerns named in full;
//! cards named after their headings and buttons that say their card.

use crate::harness::Harness;
use common_ground::ui::CheckInAdapter;
use slint::ComponentHandle;

#[test]
fn an_unanswered_scale_says_not_given_and_its_ends() {
    let h = Harness::new();
    h.click("Check in");
    h.click("Add more");
    let heard = h.find("I felt heard and respected");
    // A number is still offered (assistive technology can then set it).
    assert_eq!(heard.accessible_value().as_deref(), Some("0"));
    assert_eq!(
        heard.accessible_description().as_deref(),
        Some("not given, from 0 not at all to 10 completely")
    );
    // Mood has its own words at the ends; it is never pre-set.
    assert_eq!(
        h.find("My mood now").accessible_description().as_deref(),
        Some("not given, from 0 very low to 10 very good")
    );
    h.click("7, Good");
    assert_eq!(
        h.find("My mood now").accessible_description().as_deref(),
        Some("from 0 very low to 10 very good")
    );
    assert_eq!(h.value_of("My mood now"), "7");
}

#[test]
fn the_first_step_on_an_unanswered_scale_lands_on_a_value_that_is_announced() {
    let h = Harness::new();
    h.click("Check in");
    h.click("Add more");
    let heard = h.find("I felt heard and respected");
    let before = heard.accessible_value();
    // A screen reader's "increment" (or an arrow key): the reported value
    // must change, or nothing is spoken.
    heard.invoke_accessible_increment_action();
    h.settle();
    let after = heard.accessible_value();
    assert_ne!(before, after, "the value a screen reader reads changed");
    assert_eq!(after.as_deref(), Some("5"), "the middle of the scale");
    let adapter = h.app.window.global::<CheckInAdapter>();
    assert_eq!(adapter.get_heard(), 5.0);
    assert!(adapter.get_has_heard(), "and it is given now");
    // Orca 43 leaves a value unsaid when it equals the last value it said
    // for any slider: the description, which it says whenever it changes,
    // says the first answer once.
    assert_eq!(
        heard.accessible_description().as_deref(),
        Some("5, from 0 not at all to 10 completely"),
        "no longer 'not given', and the first answer said"
    );
    heard.invoke_accessible_increment_action();
    h.settle();
    assert_eq!(heard.accessible_value().as_deref(), Some("6"));
    assert_eq!(
        heard.accessible_description().as_deref(),
        Some("from 0 not at all to 10 completely"),
        "said once: the next move is said as the value"
    );
    // Decrement from unanswered lands in the middle too.
    let goals = h.find("We worked on what matters to me");
    goals.invoke_accessible_decrement_action();
    h.settle();
    assert_eq!(goals.accessible_value().as_deref(), Some("5"));
    // Cleared again, it is unanswered again.
    h.app.window.global::<CheckInAdapter>().set_has_heard(false);
    h.settle();
    assert!(h
        .find("I felt heard and respected")
        .accessible_description()
        .is_some_and(|d| d.starts_with("not given")));
}

#[test]
fn tabs_say_which_is_current_and_where_they_stand() {
    let h = Harness::new();
    let home = h.find("Home");
    assert_eq!(
        home.accessible_description().as_deref(),
        Some("current page, 1 of 6")
    );
    assert_eq!(home.accessible_item_index(), Some(0));
    assert_eq!(home.accessible_item_count(), Some(6));
    assert_eq!(
        h.find("Insights").accessible_description().as_deref(),
        Some("5 of 6")
    );
    h.click("Insights");
    assert_eq!(
        h.find("Insights").accessible_description().as_deref(),
        Some("current page, 5 of 6")
    );
    assert_eq!(
        h.find("Home").accessible_description().as_deref(),
        Some("1 of 6")
    );
}

#[test]
fn single_choices_say_where_they_stand() {
    let h = Harness::new();
    h.click("Settings");
    assert_eq!(
        h.find("Light").accessible_description().as_deref(),
        Some("2 of 3")
    );
    assert_eq!(
        h.find("200%").accessible_description().as_deref(),
        Some("4 of 4")
    );
    // With large text (where they may be shown one under another) too.
    h.click("200%");
    assert_eq!(
        h.find("Dark").accessible_description().as_deref(),
        Some("3 of 3")
    );
}

/// A choice made with the keyboard keeps focus where it was, so Tab goes
/// on from there: the options are not built anew when one is chosen.
#[test]
fn a_single_choice_made_with_the_keyboard_keeps_its_focus() {
    let h = Harness::new();
    h.click("Settings");
    assert!(h.tab_to("Dark"));
    h.press_text(" ");
    assert!(h.is_checked("Dark"));
    assert_eq!(h.focused().map(|(l, _)| l).as_deref(), Some("Dark"));
    // "200%" turns the text size pill into rows on a phone: focus goes to
    // the same option in its new shape.
    assert!(h.tab_to("200%"));
    h.press_text(" ");
    assert!(h.is_checked("200%"));
    assert_eq!(h.focused().map(|(l, _)| l).as_deref(), Some("200%"));
    // The held-back answer, where a words field comes with "Yes".
    h.click("Check in");
    h.click("Add more");
    assert!(h.tab_to("Yes"));
    h.press(slint::platform::Key::Return);
    assert!(h.is_checked("Yes"));
    assert!(h.try_find("A few words about it (private)").is_some());
    assert_eq!(h.focused().map(|(l, _)| l).as_deref(), Some("Yes"));
    h.press(slint::platform::Key::Tab);
    assert_eq!(
        h.focused().map(|(l, _)| l).as_deref(),
        Some("A few words about it (private)")
    );
}

#[test]
fn a_page_change_moves_focus_to_the_new_pages_heading() {
    use i_slint_backend_testing::AccessibleRole;
    let h = Harness::new();
    assert_eq!(h.focused(), None, "the app opens with nothing focused");
    // With the keyboard: Tab to the Settings tab and press Space.
    assert!(h.tab_to("Settings"));
    h.press_text(" ");
    assert_eq!(
        h.focused(),
        Some(("Settings".to_string(), AccessibleRole::Text)),
        "focus is on the new page's heading"
    );
    // The next Tab goes to the page's first control, not back to the top.
    h.press(slint::platform::Key::Tab);
    assert_eq!(h.focused().map(|f| f.0).as_deref(), Some("System"));
    // A screen reader activating a tab moves focus the same way.
    h.activate("Check in");
    assert_eq!(
        h.focused(),
        Some(("Check in".to_string(), AccessibleRole::Text))
    );
}

#[test]
fn saving_a_check_in_says_so_and_tab_goes_on_to_save() {
    use i_slint_backend_testing::{AccessibleLiveness, AccessibleRole};
    let saved = "Saved. You can see it in your history, or add another.";
    let h = Harness::new();
    h.click("Check in");
    assert!(h.tab_to("5, Okay"));
    h.press(slint::platform::Key::Return);
    assert!(h.tab_to("Save check-in"));
    h.press(slint::platform::Key::Return);
    assert_eq!(h.app.with_data(|d| d.check_ins.len()), 1);
    // The message appears above the button and pushes it down; focus is
    // on the message (not lost with a button pushed out of view), so a
    // screen reader says it.
    assert_eq!(
        h.focused(),
        Some((saved.to_string(), AccessibleRole::Text)),
        "focus is on the message"
    );
    let message = h.all(saved);
    assert!(message
        .iter()
        .any(|m| m.accessible_live_region() == Some(AccessibleLiveness::Polite)));
    // The next Tab goes on from where the user was.
    h.press(slint::platform::Key::Tab);
    assert_eq!(
        h.focused(),
        Some(("Save check-in".to_string(), AccessibleRole::Button))
    );
}

#[test]
fn a_tap_moves_no_focus() {
    let h = Harness::new();
    h.click("Check in");
    assert_eq!(h.focused(), None, "a tapped page change leaves focus alone");
    h.click("5, Okay");
    h.click("Save check-in");
    assert_eq!(h.app.with_data(|d| d.check_ins.len()), 1);
    assert_eq!(h.focused(), None, "and so does a tapped save");
}

#[test]
fn opening_the_help_sheet_says_so() {
    use i_slint_backend_testing::AccessibleRole;
    let h = Harness::new();
    h.press(slint::platform::Key::Tab);
    h.press(slint::platform::Key::Return);
    let title = common_ground::core::help::HelpContent::builtin().title;
    assert_eq!(h.focused(), Some((title, AccessibleRole::Text)));
}

/// Presses Tab up to `max` times from where focus is now and lists the
/// label of what each press focused, stopping once `last` has focus.
fn tab_through(h: &Harness, last: &str, max: usize) -> Vec<String> {
    let mut seen = Vec::new();
    for _ in 0..max {
        h.press(slint::platform::Key::Tab);
        let label = h.focused().map(|f| f.0).unwrap_or_default();
        let done = label == last;
        seen.push(label);
        if done {
            break;
        }
    }
    seen
}

/// Where `label` comes in `seen`; panics with the whole list if it is not
/// there.
fn place(seen: &[String], label: &str) -> usize {
    seen.iter()
        .position(|s| s == label)
        .unwrap_or_else(|| panic!("{label:?} was not reached; Tab went through {seen:?}"))
}

#[test]
fn the_first_tab_pass_through_a_check_in_reaches_the_new_tag_field() {
    let h = Harness::new();
    h.click("Check in");
    h.click("Add more");
    let seen = tab_through(&h, "Note (optional)", 40);
    // In the order on screen: the last scale, the tag field, the note.
    let last_scale = place(&seen, "Overall, I agree with where this is going");
    let new_tag = place(&seen, "New tag");
    let note = place(&seen, "Note (optional)");
    assert!(last_scale < new_tag && new_tag < note, "{seen:?}");
}

#[test]
fn tab_reaches_the_passcode_fields_and_shift_tab_goes_back_past_them() {
    let h = Harness::new();
    h.click("Settings");
    let seen = tab_through(&h, "Turn on passcode", 80);
    let first = place(&seen, "New passcode");
    let again = place(&seen, "Type the new passcode again");
    assert!(first < again, "{seen:?}");
    // Back again, one field at a time, and on past them (not caught).
    let back = |h: &Harness| {
        h.press(slint::platform::Key::Backtab);
        h.focused().map(|f| f.0).unwrap_or_default()
    };
    // Each field is followed by its own "Show passcode" button.
    assert_eq!(back(&h), "Show passcode");
    assert_eq!(back(&h), "Type the new passcode again");
    assert_eq!(back(&h), "Show passcode");
    assert_eq!(back(&h), "New passcode");
    let before = back(&h);
    assert!(
        !before.is_empty() && before != "New passcode",
        "Shift+Tab leaves the fields: {before:?}"
    );
}

#[test]
fn tab_reaches_the_backup_passphrase_fields() {
    let sync = tempfile::tempdir().unwrap();
    let h = Harness::new();
    h.click("Settings");
    h.type_into("Backup folder", &sync.path().display().to_string());
    h.click("Use this folder");
    assert!(h.tab_to("Restore a backup"));
    let seen = tab_through(&h, "Set backup passphrase", 20);
    let first = place(&seen, "Backup passphrase");
    let again = place(&seen, "Type the backup passphrase again");
    assert!(first < again, "{seen:?}");
}

#[test]
fn tab_and_shift_tab_stay_inside_the_help_sheet() {
    let h = Harness::new();
    h.press(slint::platform::Key::Tab);
    h.press(slint::platform::Key::Return);
    let title = common_ground::core::help::HelpContent::builtin().title;
    let inside = |label: &str| {
        label == title || ["Close help", "Change country", "Back to Common Ground"].contains(&label)
    };
    let mut reached = Vec::new();
    for key in [slint::platform::Key::Tab, slint::platform::Key::Backtab] {
        for _ in 0..10 {
            h.press(key);
            let label = h.focused().map(|f| f.0).unwrap_or_default();
            assert!(
                inside(&label),
                "{key:?} reached {label:?}, behind the sheet"
            );
            reached.push(label);
        }
    }
    for label in ["Close help", "Change country", "Back to Common Ground"] {
        assert!(reached.iter().any(|r| r == label), "{label} reached");
    }
    // Escape still closes it and gives focus back.
    h.press(slint::platform::Key::Escape);
    assert_eq!(h.focused().map(|f| f.0).as_deref(), Some("Need help now?"));
}

#[test]
fn concerns_to_link_are_named_in_full() {
    use chrono::{Duration, Utc};
    use common_ground::core::model::{Concern, ConcernState, Data, Topic};
    use common_ground::core::prepare;
    let start = "We moved on to a new exercise before I felt done with the one";
    let (a, b) = (
        format!("{start} about my father"),
        format!("{start} about my sister"),
    );
    let mut d = Data::default();
    for (i, text) in [&a, &b].into_iter().enumerate() {
        let now = Utc::now() - Duration::hours(3 - i as i64);
        prepare::new_draft(&mut d, Some(Topic::Pace), now);
        let c: &mut Concern = &mut d.concerns[i].body;
        c.what_happened = text.clone();
        c.state = ConcernState::Ready;
        d.prepare.open = None;
    }
    let h = Harness::with_data(d);
    h.click("Check in");
    h.click("Add more");
    for text in [&a, &b] {
        assert_eq!(
            h.find(text).accessible_role(),
            Some(i_slint_backend_testing::AccessibleRole::Checkbox),
            "a check box named {text:?}"
        );
    }
    // Both are longer than a title on screen, where they look alike.
    assert!(start.chars().count() > prepare::SHORT_TITLE_CHARS);
    assert!(group(&h, "RAISED IN THIS SESSION (OPTIONAL)"));
}

/// Whether there is a group with this name (a card named after its
/// heading), scrolling the page to find it.
fn group(h: &Harness, name: &str) -> bool {
    h.scroll_until(|h| {
        h.all(name)
            .iter()
            .any(|e| e.accessible_role() == Some(i_slint_backend_testing::AccessibleRole::Groupbox))
            .then_some(())
    })
    .is_some()
}

#[test]
fn home_cards_are_named_groups_and_their_buttons_say_the_card() {
    let h = Harness::new();
    for name in ["NEXT SESSION", "AFTER A SESSION", "CONTINUE LEARNING"] {
        assert!(group(&h, name), "a group named {name:?}");
    }
    assert_eq!(
        h.find("Quick check-in").accessible_description().as_deref(),
        Some("How did it go? A private check-in takes about a minute. Over time it shows how the work with your therapist is going.")
    );
    assert_eq!(
        h.find("Prepare a concern").accessible_description().as_deref(),
        Some("Nothing on your agenda yet. If something in a session did not sit right, you can shape it into a few words to bring next time.")
    );
    assert_eq!(
        h.find("Start learning").accessible_description().as_deref(),
        Some("Is it OK to disagree? Short cards, a few minutes each. Start wherever you like.")
    );
}

#[test]
fn check_in_cards_are_named_groups_and_the_time_is_said_with_its_button() {
    let h = Harness::new();
    h.click("Check in");
    h.click("Add more");
    for name in ["HOW MUCH DO YOU AGREE? (OPTIONAL)", "TAGS (OPTIONAL)"] {
        assert!(group(&h, name), "a group named {name:?}");
    }
    let when = h
        .find("Change date or time")
        .accessible_description()
        .unwrap_or_default();
    assert!(when.starts_with("When: "), "{when:?}");
    assert!(h.shows(when.trim_start_matches("When: ")), "the date shown");
}

/// The message that has focus, as a screen reader says it (its name), if
/// focus is on a message (a text).
fn focused_text(h: &Harness) -> Option<String> {
    h.focused()
        .filter(|(_, role)| *role == i_slint_backend_testing::AccessibleRole::Text)
        .map(|(label, _)| label)
}

/// Puts two concerns on the agenda, typed and saved with taps.
fn two_on_the_agenda(h: &Harness) {
    h.save_concerns(&["First worry", "Second worry"]);
}

#[test]
fn prepare_says_what_was_done_on_the_view_it_leads_to() {
    let h = Harness::new();
    h.click("Prepare");
    h.click("Start a new concern");
    h.click("Next");
    h.type_into("What happened?", "First worry");
    h.click("Next");
    for _ in 3..7 {
        h.click("Next");
    }
    // Saved with the keyboard or a screen reader: said on the agenda.
    h.activate("Save to my next session");
    let saved = "Saved. It is on your agenda for your next session.";
    assert_eq!(focused_text(&h).as_deref(), Some(saved));
    assert!(h
        .all(saved)
        .iter()
        .any(|m| m.accessible_live_region()
            == Some(i_slint_backend_testing::AccessibleLiveness::Polite)));
    // Not this time: kept, and said so.
    h.click("First worry");
    h.activate("Not this time");
    assert_eq!(
        focused_text(&h).as_deref(),
        Some("Kept on your agenda for next time.")
    );
    // Raised, then how it went saved: said on the concern.
    h.click("First worry");
    h.click("I raised it");
    h.activate("Save how it went");
    assert_eq!(focused_text(&h).as_deref(), Some("Saved how it went."));
    // Going elsewhere forgets it.
    h.click("Back to all concerns");
    assert!(!h.shows("Saved how it went."));
}

#[test]
fn prepare_says_set_aside_back_on_the_agenda_deleted_and_removed() {
    let h = Harness::new();
    two_on_the_agenda(&h);
    // Taken off the agenda from the keyboard: the undo bar says it.
    h.activate("Remove");
    assert_eq!(focused_text(&h).as_deref(), Some("Concern set aside."));
    h.click("Undo");
    h.click("History");
    h.click("Second worry");
    h.activate("Set aside");
    assert_eq!(
        focused_text(&h).as_deref(),
        Some("Set aside. It stays in your history, and you can put it back on your agenda.")
    );
    h.activate("Put back on my agenda");
    assert_eq!(
        focused_text(&h).as_deref(),
        Some("Back on your agenda for your next session.")
    );
    h.activate("Delete");
    assert_eq!(focused_text(&h).as_deref(), Some("Concern deleted."));
    // The next Tab goes on to Undo.
    h.press(slint::platform::Key::Tab);
    assert_eq!(h.focused().map(|f| f.0).as_deref(), Some("Undo"));
}

#[test]
fn a_tapped_prepare_action_moves_no_focus() {
    let h = Harness::new();
    two_on_the_agenda(&h);
    assert_eq!(h.focused(), None);
    assert!(h.shows("Saved. It is on your agenda for your next session."));
    h.click("Remove");
    assert_eq!(h.focused(), None);
}

#[test]
fn settings_say_how_the_passcode_went() {
    let h = Harness::new();
    h.click("Settings");
    h.type_into("New passcode", "blue");
    h.type_into("Type the new passcode again", "blue");
    h.activate("Turn on passcode");
    let short = focused_text(&h).unwrap_or_default();
    assert!(
        short.starts_with("A passcode needs at least 6 characters"),
        "{short:?}"
    );
    // The same refusal again is said again.
    h.press(slint::platform::Key::Tab);
    assert_ne!(focused_text(&h).as_deref(), Some(short.as_str()));
    h.type_into("New passcode", "blue");
    h.type_into("Type the new passcode again", "blue");
    h.activate("Turn on passcode");
    assert_eq!(focused_text(&h).as_deref(), Some(short.as_str()));
    h.type_into("New passcode", "blue kettle 42");
    h.type_into("Type the new passcode again", "blue kettle 42");
    h.activate("Turn on passcode");
    h.wait_for("the passcode to be on", |h| {
        h.shows_containing("Your notes are now encrypted")
    });
    assert_eq!(
        focused_text(&h).as_deref(),
        Some("Passcode is on. Your notes are now encrypted on this device.")
    );
    // Turning it off opens its own field under its button.
    h.activate("Turn off passcode");
    h.type_into("Current passcode", "blue kettle 24");
    h.activate("Turn it off");
    h.wait_for("the refusal", |h| h.shows_containing("is not right"));
    assert_eq!(
        focused_text(&h).as_deref(),
        Some("The current passcode is not right. Nothing was changed.")
    );
    h.type_into("Current passcode", "blue kettle 42");
    h.activate("Turn it off");
    h.wait_for("the passcode to be off", |h| {
        h.shows_containing("Passcode is off.")
    });
    assert_eq!(
        focused_text(&h).as_deref(),
        Some("Passcode is off. Your notes are no longer encrypted.")
    );
}

#[test]
fn settings_say_how_a_backup_went_and_a_restore_step() {
    let sync = tempfile::tempdir().unwrap();
    let h = Harness::new();
    h.click("Settings");
    // No folder yet.
    h.activate("Back up now");
    assert_eq!(
        focused_text(&h).as_deref(),
        Some("Please type the folder your backups go to, then choose Use this folder.")
    );
    h.type_into("Backup folder", &sync.path().display().to_string());
    h.click("Use this folder");
    h.type_into("Backup passphrase", "river stones");
    h.type_into("Type the backup passphrase again", "river stone");
    h.activate("Set backup passphrase");
    assert_eq!(
        focused_text(&h).as_deref(),
        Some("The two passphrases are not the same. Please type them again.")
    );
    h.type_into("Backup passphrase", "river stones");
    h.type_into("Type the backup passphrase again", "river stones");
    h.activate("Set backup passphrase");
    h.wait_for("the backup", |h| h.shows_containing("Backed up."));
    assert_eq!(
        focused_text(&h).as_deref(),
        Some("Sealed with your backup passphrase.")
    );
    h.activate("Back up now");
    h.wait_for("the backup", |h| {
        focused_text(h).as_deref() == Some("Backed up. The backup was read back and checked.")
    });
    // Restoring: each step says itself.
    h.activate("Restore a backup");
    h.wait_for("the list", |h| {
        focused_text(h).is_some_and(|t| t.starts_with("Choose a backup from the folder"))
    });
    h.type_into(
        "Backup file",
        &sync.path().join("nowhere.cgbackup").display().to_string(),
    );
    h.activate("Open this file");
    h.wait_for("the answer", |h| {
        focused_text(h).is_some_and(|t| t.starts_with("That backup could not be restored"))
    });
}

#[test]
fn the_export_and_import_pages_say_what_happened() {
    use common_ground::core::model::{CheckIn, Data};
    let out = tempfile::tempdir().unwrap();
    let mut data = Data::default();
    let r = data.new_record(
        CheckIn {
            when: chrono::Local::now().naive_local() - chrono::Duration::days(1),
            mood: 6,
            ..CheckIn::default()
        },
        chrono::Utc::now(),
    );
    data.check_ins.push(r);
    let h = Harness::with_data(data);
    h.click("Settings");
    h.click("Export");
    h.click("Check-ins as a spreadsheet (CSV)");
    let file = out.path().join("check-ins.csv");
    h.type_into("Save to", &file.display().to_string());
    h.activate("Save");
    h.wait_for("the export", |h| {
        focused_text(h).is_some_and(|t| t.starts_with("Saved to"))
    });
    // A file in the way: the question is said, then the result.
    h.activate("Save");
    let question = focused_text(&h).unwrap_or_default();
    assert!(question.ends_with("Replace it?"), "{question:?}");
    h.activate("Replace it");
    h.wait_for("the export", |h| {
        focused_text(h).is_some_and(|t| t.starts_with("Saved to"))
    });
    h.click("Back to Settings");
    h.click("Import a backup");
    h.type_into(
        "Backup file",
        &out.path().join("nowhere.json").display().to_string(),
    );
    h.activate("Check this file");
    h.wait_for("the refusal", |h| {
        focused_text(h).is_some_and(|t| t.starts_with("There is no file at"))
    });
    h.type_into("Backup file", &file.display().to_string());
    h.activate("Check this file");
    h.wait_for("the refusal", |h| {
        focused_text(h).is_some_and(|t| t.starts_with("This is not a Common Ground backup"))
    });
}

#[test]
fn prepare_gives_its_context_to_a_screen_reader() {
    use i_slint_backend_testing::AccessibleRole;
    let h = Harness::new();
    h.click("Prepare");
    assert!(group(&h, "FOR MY NEXT SESSION"));
    assert_eq!(
        h.find("Start a new concern").accessible_description().as_deref(),
        Some("FOR MY NEXT SESSION. Nothing here yet. A concern you finish in the builder waits here until you have raised it.")
    );
    two_on_the_agenda(&h);
    assert_eq!(
        h.find("Start a new concern")
            .accessible_description()
            .as_deref(),
        Some("FOR MY NEXT SESSION. 2 concerns, first: First worry")
    );
    // The in-session view: each part is a text a screen reader reaches
    // with Tab, and the buttons say what is to be said.
    h.click("First worry");
    let say = h
        .find("I raised it")
        .accessible_description()
        .unwrap_or_default()
        .to_string();
    assert!(
        say.starts_with("I WANT TO SAY. ") && say.contains("First worry"),
        "{say:?}"
    );
    assert!(h
        .all("WHAT HAPPENED. First worry")
        .iter()
        .any(|e| e.accessible_role() == Some(AccessibleRole::Text)));
    let seen = tab_through(&h, "I raised it", 10);
    place(&seen, &say);
    place(&seen, "WHAT HAPPENED. First worry");
    // A concern in full: its parts are reached with Tab, and its buttons
    // say which concern and where it stands.
    h.click("Back to Prepare");
    h.click("History");
    h.click("Second worry");
    assert_eq!(
        h.find("Delete").accessible_description().as_deref(),
        Some("Second worry. For next session")
    );
    assert!(h
        .all("WHAT HAPPENED. Second worry")
        .iter()
        .any(|e| e.accessible_role() == Some(AccessibleRole::Text)));
}

#[test]
fn learn_decks_and_cards_say_what_they_hold() {
    let h = Harness::new();
    h.click("Learn");
    let decks = common_ground::core::cards::Library::builtin();
    let first = &decks.decks[0];
    let description = h
        .find(&first.title)
        .accessible_description()
        .unwrap_or_default()
        .to_string();
    assert!(!description.contains(".."), "{description:?}");
    assert!(
        description.starts_with(first.summary.trim_end_matches('.')),
        "{description:?}"
    );
    assert!(description.ends_with("cards read"), "{description:?}");
    // A card: its words are one text reached with Tab.
    h.click(&first.title);
    let card = &first.cards[0];
    let words = format!(
        "{}{} {}",
        card.title,
        if card.title.ends_with(['?', '.', '!']) {
            ""
        } else {
            "."
        },
        card.body
    );
    let seen = tab_through(&h, &words, 10);
    place(&seen, &words);
    let next = h.find("Next").accessible_description().unwrap_or_default();
    assert!(next.ends_with(&card.title), "{next:?}");
}

#[test]
fn insights_figures_and_chart_summaries_are_reached_with_tab() {
    use chrono::{Duration, Local, Utc};
    use common_ground::core::model::{CheckIn, Data};
    let mut d = Data::default();
    for (i, s) in [4u8, 6, 8].into_iter().enumerate() {
        let c = CheckIn {
            when: Local::now().naive_local() - Duration::days(7 * (3 - i as i64)),
            mood: s,
            heard: Some(s),
            ..CheckIn::default()
        };
        let r = d.new_record(c, Utc::now());
        d.check_ins.push(r);
    }
    let h = Harness::with_data(d);
    h.click("Insights");
    assert!(group(&h, "FIGURES"));
    assert!(group(&h, "DID RAISING IT HELP?"));
    let mut seen = Vec::new();
    for _ in 0..40 {
        h.press(slint::platform::Key::Tab);
        if let Some(t) = focused_text(&h) {
            seen.push(t);
        }
    }
    assert!(
        seen.iter()
            .any(|t| t.starts_with("Mood over 3 check-ins: from 4 to 8")),
        "{seen:?}"
    );
    assert!(
        seen.iter()
            .any(|t| t.starts_with("Mood. ") && t.contains("on average")),
        "{seen:?}"
    );
}

#[test]
fn passcode_fields_have_a_named_show_button_and_no_unnamed_image() {
    use i_slint_backend_testing::{AccessibleRole, ElementRoot};
    let h = Harness::new();
    h.click("Settings");
    // Nothing on the page is an image without a name (Slint's own
    // show-password icon was one).
    h.resize((390.0, 6000.0));
    h.settle();
    let unnamed: Vec<_> = h
        .app
        .window
        .root_element()
        .query_descendants()
        .match_accessible_role(AccessibleRole::Image)
        .find_all()
        .into_iter()
        .filter(|e| e.accessible_label().is_none_or(|l| l.is_empty()))
        .map(|e| format!("{:?} at {:?}", e.accessible_label(), e.absolute_position()))
        .collect();
    assert!(unnamed.is_empty(), "{unnamed:?}");
    h.resize((390.0, 844.0));
    h.settle();
    // Tab goes from the field to its button, a touch target.
    let seen = tab_through(&h, "Type the new passcode again", 80);
    let field = place(&seen, "New passcode");
    assert_eq!(seen[field + 1], "Show passcode", "{seen:?}");
    let show = h.find("Show passcode");
    assert_eq!(show.accessible_role(), Some(AccessibleRole::Button));
    assert_eq!(
        show.accessible_description().as_deref(),
        Some("New passcode")
    );
    assert!(show.size().width >= 48.0 && show.size().height >= 48.0);
    // A toggle button: pressed, it shows what was typed; its name stays.
    assert_eq!(show.accessible_checkable(), Some(true));
    assert_eq!(show.accessible_checked(), Some(false));
    h.type_into("New passcode", "blue kettle 42");
    h.activate("Show passcode");
    assert_eq!(h.find("Show passcode").accessible_checked(), Some(true));
    assert_eq!(h.value_of("New passcode"), "blue kettle 42");
    h.activate("Show passcode");
    assert_eq!(h.find("Show passcode").accessible_checked(), Some(false));
    // Every passcode and passphrase field has one.
    let sync = tempfile::tempdir().unwrap();
    h.type_into("Backup folder", &sync.path().display().to_string());
    h.click("Use this folder");
    assert_eq!(
        h.find("Show passphrase")
            .accessible_description()
            .as_deref(),
        Some("Backup passphrase")
    );
}

/// Where focus is (see `Harness::focused_place`).
fn place_of_focus(h: &Harness) -> u32 {
    h.focused_place().expect("something has focus")
}

#[test]
fn a_message_whose_words_change_while_it_has_focus_is_said_again() {
    // Orca 43 does not say the focused text again when its words change:
    // focus moves on to a twin that holds the new words.
    let h = Harness::new();
    h.click("Settings");
    h.activate("Turn on passcode");
    assert_eq!(focused_text(&h).as_deref(), Some("Please type a passcode."));
    let first = place_of_focus(&h);
    // Another refusal while the first still has focus.
    h.type_into("New passcode", "blue");
    h.type_into("Type the new passcode again", "blue");
    h.activate("Turn on passcode");
    // The move to the twin waits a moment (see `Voice`).
    h.settle();
    let short = focused_text(&h).unwrap_or_default();
    assert!(
        short.starts_with("A passcode needs at least 6 characters"),
        "{short:?}"
    );
    let second = place_of_focus(&h);
    assert_ne!(first, second, "focus moved, so the new words are said");
    // The same refusal again, still focused: said again too.
    h.type_into("New passcode", "blue");
    h.type_into("Type the new passcode again", "blue");
    h.activate("Turn on passcode");
    h.settle();
    assert_eq!(focused_text(&h).as_deref(), Some(short.as_str()));
    assert_ne!(place_of_focus(&h), second);
    // Only the focused twin holds the words.
    assert_eq!(h.all(&short).len(), 1);
}

#[test]
fn the_next_card_is_said_as_the_arrow_keys_move_on() {
    let h = Harness::new();
    h.click("Learn");
    let decks = common_ground::core::cards::Library::builtin();
    let first = &decks.decks[0];
    h.activate(&first.title);
    let card = focused_text(&h).unwrap_or_default();
    assert!(card.starts_with(&first.cards[0].title), "{card:?}");
    let before = place_of_focus(&h);
    h.press(slint::platform::Key::RightArrow);
    h.settle();
    let next = focused_text(&h).unwrap_or_default();
    assert!(next.starts_with(&first.cards[1].title), "{next:?}");
    assert_ne!(place_of_focus(&h), before, "focus moved to the new words");
    // Tab still goes on to the controls after the card, and back.
    h.press(slint::platform::Key::Tab);
    assert!(focused_text(&h).is_none_or(|t| t != next));
    h.press(slint::platform::Key::Backtab);
    assert_eq!(focused_text(&h).as_deref(), Some(next.as_str()));
}

#[test]
fn saving_again_with_the_same_problem_says_it_again() {
    let h = Harness::new();
    h.click("Check in");
    let problem = "Choose how your mood is first: one tap on a choice above.";
    assert!(h.tab_to("Save check-in"));
    h.press(slint::platform::Key::Return);
    assert_eq!(focused_text(&h).as_deref(), Some(problem));
    let first = place_of_focus(&h);
    h.activate("Save check-in");
    h.settle();
    assert_eq!(focused_text(&h).as_deref(), Some(problem));
    assert_ne!(place_of_focus(&h), first, "said again");
}

fn one_raised_concern() -> Harness {
    use common_ground::core::model::{ConcernState, Topic};
    use common_ground::core::prepare;
    let mut d = common_ground::core::model::Data::default();
    let now = chrono::Utc::now() - chrono::Duration::hours(2);
    let id = prepare::new_draft(&mut d, Some(Topic::Pace), now);
    d.concerns[0].body.what_happened = "We rushed past the hard part".into();
    d.concerns[0].body.state = ConcernState::Ready;
    d.prepare.open = None;
    prepare::mark_raised(&mut d, &id, now);
    Harness::with_data(d)
}

#[test]
fn closing_a_raised_concern_says_so_on_home_and_prepare() {
    let closed =
        "Closed: “We rushed past the hard part”. It is marked settled and stays in your history.";
    let h = one_raised_concern();
    let close = h.find("Close it");
    assert!(close
        .accessible_description()
        .is_some_and(|d| d.contains("How did it go when you raised")));
    h.activate("Close it");
    assert_eq!(focused_text(&h).as_deref(), Some(closed));
    let h = one_raised_concern();
    h.click("Prepare");
    h.activate("Close it");
    assert_eq!(focused_text(&h).as_deref(), Some(closed));
    // A tap says it on the page, and moves no focus.
    let h = one_raised_concern();
    h.click("Close it");
    assert!(h.shows(closed));
    assert_eq!(h.focused(), None);
}

#[test]
fn a_text_field_has_a_named_clear_button_and_no_unnamed_image() {
    use i_slint_backend_testing::{AccessibleRole, ElementRoot};
    let h = Harness::new();
    h.click("Check in");
    h.click("Add more");
    h.type_into("New tag", "family");
    h.resize((390.0, 6000.0));
    h.settle();
    let unnamed: Vec<_> = h
        .app
        .window
        .root_element()
        .query_descendants()
        .match_accessible_role(AccessibleRole::Image)
        .find_all()
        .into_iter()
        .filter(|e| e.accessible_label().is_none_or(|l| l.is_empty()))
        .map(|e| format!("{:?}", e.absolute_position()))
        .collect();
    assert!(unnamed.is_empty(), "{unnamed:?}");
    let clear = h.find("Clear text");
    assert_eq!(clear.accessible_role(), Some(AccessibleRole::Button));
    assert_eq!(clear.accessible_description().as_deref(), Some("New tag"));
    assert!(clear.size().width >= 48.0 && clear.size().height >= 48.0);
    h.activate("Clear text");
    assert_eq!(h.value_of("New tag"), "");
    assert!(h.try_find("Clear text").is_none(), "shown only with text");
}

#[test]
fn the_check_in_history_and_its_list_are_named() {
    use i_slint_backend_testing::{AccessibleRole, ElementRoot};
    let h = Harness::new();
    h.click("Check in");
    h.click("History");
    let named = |role: AccessibleRole| -> Vec<String> {
        h.app
            .window
            .root_element()
            .query_descendants()
            .match_accessible_role(role)
            .find_all()
            .into_iter()
            .filter(|e| e.is_valid() && e.size().height > 0.0)
            .map(|e| e.accessible_label().unwrap_or_default().to_string())
            .collect()
    };
    assert!(named(AccessibleRole::Main).contains(&"History".to_string()));
    assert!(named(AccessibleRole::List).contains(&"Check-ins, newest first".to_string()));
}

#[test]
fn the_feeling_strength_says_its_word_as_the_value() {
    let h = Harness::new();
    h.click("Prepare");
    h.click("Start a new concern");
    h.click("Next");
    h.type_into("What happened?", "A worry");
    h.click("Next");
    let strength = h.find("How strong is the feeling?");
    strength.set_accessible_value("4");
    h.settle();
    assert_eq!(
        h.find("How strong is the feeling?")
            .accessible_value()
            .as_deref(),
        Some("Strongly")
    );
}

#[test]
fn opening_the_passcode_change_fields_leaves_focus_on_the_button() {
    use i_slint_backend_testing::AccessibleRole;
    let h = Harness::new();
    h.click("Settings");
    h.type_into("New passcode", "blue kettle 42");
    h.type_into("Type the new passcode again", "blue kettle 42");
    h.activate("Turn on passcode");
    h.wait_for("the passcode to be on", |h| {
        h.shows_containing("Your notes are now encrypted")
    });
    // Opened from the keyboard: focus stays on the button (a toggle, now
    // pressed), not on the message from turning it on.
    assert!(h.tab_to("Change passcode"));
    h.press(slint::platform::Key::Return);
    assert_eq!(
        h.focused(),
        Some(("Change passcode".to_string(), AccessibleRole::Button))
    );
    assert_eq!(h.find("Change passcode").accessible_checked(), Some(true));
    assert!(!h.shows_containing("Your notes are now encrypted"));
    // A change from the keyboard: the fields close and the result is said
    // where they were.
    h.type_into("Current passcode", "blue kettle 42");
    h.type_into("New passcode", "green kettle 42");
    h.type_into("Type the new passcode again", "green kettle 42");
    h.activate("Save new passcode");
    h.wait_for("the change", |h| h.shows_containing("Passcode changed."));
    assert_eq!(
        focused_text(&h).as_deref(),
        Some("Passcode changed. The old one no longer opens anything.")
    );
    assert!(
        h.try_find("Current passcode").is_none(),
        "the fields closed"
    );
}

#[test]
fn a_chart_point_is_said_in_the_charts_description_too() {
    // AccessKit gives AT-SPI only numbers as a value: the point's date and
    // value are the description too, which Orca says when it changes.
    let chart = "Feeling heard over 3 check-ins: from 4 to 8, lowest 4, highest 8, average 6.";
    let h = Harness::with_data(crate::insights::with_heard(&[4, 6, 8]));
    h.click("Insights");
    h.resize((390.0, 3000.0));
    h.settle();
    h.find(chart).invoke_accessible_increment_action();
    h.settle();
    let point = h.find(chart);
    let value = point.accessible_value().unwrap_or_default();
    assert!(value.ends_with(": 8 of 10"), "{value}");
    assert_eq!(point.accessible_description(), Some(value));
}

#[test]
fn nothing_on_the_main_screens_has_the_role_unknown() {
    // Texts drawn for the eye only (a page's heading that a focusable
    // heading says, a deck tile's words and progress bar, a chart's title
    // and dates) are not in the tree at all, instead of "unknown".
    let h = Harness::with_data(crate::insights::with_heard(&[4, 6, 8]));
    for tab in [
        "Home", "Learn", "Prepare", "Check in", "Insights", "Settings",
    ] {
        h.click(tab);
        let unknown = h.unknown_roles();
        assert!(unknown.is_empty(), "{tab}: {unknown:?}");
    }
    h.click("Check in");
    h.click("Add more");
    assert!(h.unknown_roles().is_empty(), "{:?}", h.unknown_roles());
}

#[test]
fn a_choice_made_from_the_keyboard_says_selected_once() {
    // Orca 43 does not say a radio button's new state unless it saw the
    // Space key itself, which it does not in this window: the description
    // says it once.
    let h = Harness::new();
    h.click("Check in");
    assert!(h.tab_to("5, Okay"));
    assert_eq!(
        h.find("5, Okay").accessible_description().as_deref(),
        Some("3 of 5")
    );
    h.press_text(" ");
    assert!(h.app.window.global::<CheckInAdapter>().get_has_mood());
    assert_eq!(
        h.find("5, Okay").accessible_description().as_deref(),
        Some("selected, 3 of 5")
    );
    h.press(slint::platform::Key::Tab);
    h.press(slint::platform::Key::Backtab);
    assert_eq!(h.focused().map(|f| f.0).as_deref(), Some("5, Okay"));
    assert_eq!(
        h.find("5, Okay").accessible_description().as_deref(),
        Some("3 of 5"),
        "once: the state itself is said on arrival"
    );
    // A tap says nothing more than the state.
    h.click("7, Good");
    assert_eq!(
        h.find("7, Good").accessible_description().as_deref(),
        Some("4 of 5")
    );
}

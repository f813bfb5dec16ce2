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
    assert_eq!(
        heard.accessible_description().as_deref(),
        Some("from 0 not at all to 10 completely"),
        "no longer 'not given'"
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
    assert_eq!(back(&h), "Type the new passcode again");
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

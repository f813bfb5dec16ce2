//! What a screen reader says for the shared controls, beyond their names:
//! an unanswered scale says so and the words at its ends, its first step
//! lands on a value that is announced, and tabs and single choices say
//! where they stand ("2 of 6"), which Orca does not say by default.

use crate::harness::Harness;
use common_ground::ui::CheckInAdapter;
use slint::ComponentHandle;

#[test]
fn an_unanswered_scale_says_not_given_and_its_ends() {
    let h = Harness::new();
    h.click("Check in");
    let heard = h.find("I felt heard and respected");
    // A number is still offered (assistive technology can then set it).
    assert_eq!(heard.accessible_value().as_deref(), Some("0"));
    assert_eq!(
        heard.accessible_description().as_deref(),
        Some("not given, from 0 not at all to 10 completely")
    );
    // Mood has its own words at the ends, and is answered from the start.
    assert_eq!(
        h.find("My mood now").accessible_description().as_deref(),
        Some("from 0 very low to 10 very good")
    );
}

#[test]
fn the_first_step_on_an_unanswered_scale_lands_on_a_value_that_is_announced() {
    let h = Harness::new();
    h.click("Check in");
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
fn saving_a_check_in_keeps_focus_and_announces_it() {
    use i_slint_backend_testing::{AccessibleLiveness, AccessibleRole};
    let saved = "Saved. You can see it in your history, or add another.";
    let h = Harness::new();
    h.click("Check in");
    assert!(h.tab_to("Save check-in"));
    h.press(slint::platform::Key::Return);
    assert_eq!(h.app.with_data(|d| d.check_ins.len()), 1);
    assert_eq!(
        h.focused(),
        Some(("Save check-in".to_string(), AccessibleRole::Button)),
        "focus stays where the user was"
    );
    // Said where the user is: the focused button's new description.
    assert_eq!(
        h.find("Save check-in").accessible_description().as_deref(),
        Some(saved)
    );
    // The message itself is a polite live region.
    let message = h.all(saved);
    assert!(message
        .iter()
        .any(|m| m.accessible_live_region() == Some(AccessibleLiveness::Polite)));
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


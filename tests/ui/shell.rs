//! The shell: navigation, theme and the urgent-help entry.

use crate::harness::{Harness, DESKTOP, PHONE};
use common_ground::core::model::ThemeChoice;
use common_ground::ui::{Nav, Page, Theme};
use slint::ComponentHandle;

/// Tab label and the heading its page shows.
const DESTINATIONS: [(&str, Page, &str); 6] = [
    ("Home", Page::Home, "Today"),
    ("Learn", Page::Learn, "Learn"),
    ("Prepare", Page::Prepare, "Prepare"),
    ("Check in", Page::CheckIn, "Check in"),
    ("Insights", Page::Insights, "Insights"),
    ("Settings", Page::Settings, "Settings"),
];

fn visit_every_destination(h: &Harness) {
    // Visit in an order that never starts on the page already shown.
    for (tab, page, heading) in DESTINATIONS.iter().rev().chain(DESTINATIONS.iter()) {
        h.click(tab);
        assert_eq!(
            h.app.window.global::<Nav>().get_current(),
            *page,
            "after clicking {tab}"
        );
        assert!(h.is_selected(tab), "{tab} tab should be marked selected");
        // One state, as a tab list has: selected, never also checked.
        assert_ne!(
            h.find(tab).accessible_checkable(),
            Some(true),
            "{tab} is a tab, not a checkbox"
        );
        for (other, _, _) in DESTINATIONS.iter().filter(|(t, _, _)| t != tab) {
            assert!(
                !h.is_selected(other),
                "{other} should not be selected on {tab}"
            );
        }
        assert!(
            h.shows(heading),
            "{tab} page shows its heading {heading:?}; texts: {:?}",
            h.texts()
        );
    }
}

#[test]
fn every_destination_is_reachable_on_a_phone() {
    let h = Harness::new();
    h.resize(PHONE);
    assert!(h.shows("Today"), "the app opens on Home");
    visit_every_destination(&h);
}

#[test]
fn every_destination_is_reachable_from_the_desktop_rail() {
    let h = Harness::new();
    h.resize(DESKTOP);
    h.settle();
    visit_every_destination(&h);
}

#[test]
fn navigation_works_for_assistive_technology() {
    let h = Harness::new();
    for (tab, page, _) in DESTINATIONS {
        h.activate(tab);
        assert_eq!(h.app.window.global::<Nav>().get_current(), page);
    }
}

#[test]
fn the_phone_uses_a_bottom_bar_and_the_desktop_a_side_rail() {
    let h = Harness::new();
    let tab = || h.find("Learn");
    h.resize(PHONE);
    h.settle();
    let p = tab().absolute_position();
    assert!(
        p.y > 700.0,
        "bottom bar at the bottom on a phone, got {p:?}"
    );
    assert!(
        tab().size().height >= 48.0 && tab().size().width >= 48.0,
        "touch target >= 48px"
    );
    h.resize(DESKTOP);
    h.settle();
    let p = tab().absolute_position();
    assert!(
        p.x < 120.0 && p.y < 400.0,
        "side rail on the left on a desktop, got {p:?}"
    );
}

#[test]
fn theme_can_be_switched_and_is_remembered() {
    let h = Harness::new();
    assert!(
        !h.app.window.global::<Theme>().get_dark(),
        "the test system is light"
    );
    h.click("Settings");
    assert!(h.is_checked("System"));

    h.click("Dark");
    assert!(h.is_checked("Dark") && !h.is_checked("System"));
    assert!(
        h.app.window.global::<Theme>().get_dark(),
        "dark tokens in use"
    );
    assert_eq!(h.app.with_data(|d| d.settings.theme), ThemeChoice::Dark);

    let h = h.restart();
    assert!(
        h.app.window.global::<Theme>().get_dark(),
        "dark survives a restart"
    );
    h.click("Settings");
    assert!(h.is_checked("Dark"));

    h.click("Light");
    assert!(!h.app.window.global::<Theme>().get_dark());
    h.click("System");
    assert_eq!(h.app.with_data(|d| d.settings.theme), ThemeChoice::System);
    assert!(
        !h.app.window.global::<Theme>().get_dark(),
        "system is light here"
    );
}

#[test]
fn settings_shows_where_the_data_lives() {
    let h = Harness::new();
    h.click("Settings");
    let shown = format!("Data folder: {}", h.dir.display());
    assert!(
        h.shows(&shown),
        "data folder {shown} on screen; texts: {:?}",
        h.texts()
    );
}

fn assert_help_sheet(h: &Harness) {
    assert!(h.shows("Need help now?"));
    assert!(
        h.shows_containing("not a crisis service"),
        "says plainly it is not a crisis service"
    );
    // The tests' system is in the UK (`TEST_LOCALE`).
    assert!(h.shows_containing("call 999"));
    assert!(h.shows_containing("Where you live: United Kingdom"));
    // Each helpline is read as one line: name, number, when.
    assert!(h.shows_containing("Samaritans, 116 123."));
    assert!(h.shows_containing("24 hours a day"));
}

#[test]
fn urgent_help_is_one_tap_from_every_destination() {
    for size in [PHONE, DESKTOP] {
        let h = Harness::new();
        h.resize(size);
        h.settle();
        for (tab, page, _) in DESTINATIONS {
            h.click(tab);
            assert!(
                !h.shows_containing("116 123"),
                "help closed before the tap on {tab}"
            );
            h.click("Need help now?");
            assert_help_sheet(&h);
            h.click("Close help");
            assert!(!h.shows_containing("116 123"), "help closes on {tab}");
            assert_eq!(
                h.app.window.global::<Nav>().get_current(),
                page,
                "user is back where they were"
            );
        }
    }
}

#[test]
fn urgent_help_also_opens_from_settings_and_from_a_card() {
    let h = Harness::new();
    h.click("Settings");
    h.click("Show urgent help");
    assert_help_sheet(&h);
    h.click("Back to Common Ground");
    assert!(!h.shows_containing("116 123"));
}

#[test]
fn escape_closes_urgent_help() {
    let h = Harness::new();
    h.click("Need help now?");
    assert!(h.shows_containing("116 123"));
    h.press(slint::platform::Key::Escape);
    assert!(!h.shows_containing("116 123"));
}

#[test]
fn the_keyboard_reaches_urgent_help_first() {
    let h = Harness::new();
    // The first stop on the focus chain is "Need help now?".
    h.press(slint::platform::Key::Tab);
    h.press(slint::platform::Key::Return);
    assert!(
        h.shows_containing("116 123"),
        "Tab then Enter opens urgent help"
    );
    h.press(slint::platform::Key::Escape);
    assert!(!h.shows_containing("116 123"));
    // Focus went back to the button that opened it: Enter opens it again.
    h.press(slint::platform::Key::Return);
    assert!(
        h.shows_containing("116 123"),
        "focus returns to 'Need help now?' after closing"
    );
}

#[test]
fn every_destination_is_reachable_with_the_keyboard_alone() {
    // From a fresh start, press Tab j times and then Space: collect where
    // that lands. Every destination must be reachable this way.
    let mut reached = std::collections::BTreeSet::new();
    for j in 1..=24 {
        let h = Harness::new();
        for _ in 0..j {
            h.press(slint::platform::Key::Tab);
        }
        h.press(slint::platform::Key::Space);
        reached.insert(format!("{:?}", h.app.window.global::<Nav>().get_current()));
        if reached.len() == DESTINATIONS.len() {
            return;
        }
    }
    panic!("only {reached:?} could be reached by keyboard");
}

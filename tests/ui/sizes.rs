//! The smallest phone (320x568) and large text (200%): every tab opens,
//! each page scrolls to its end, the controls met on the way are wholly in
//! view and large enough to tap, and nothing runs off the side. The text
//! size is a setting that is kept.

use common_ground::ui::Theme;
use slint::ComponentHandle;

use crate::harness::{Harness, PHONE, SMALL};

const TABS: [&str; 6] = [
    "Home", "Learn", "Prepare", "Check in", "Insights", "Settings",
];

/// Asserts that the control is in view now, at least 48 px tall and wide,
/// and inside the window's width.
fn assert_usable(h: &Harness, label: &str) {
    let e = h
        .control_in_view(label)
        .unwrap_or_else(|| panic!("{label:?} is not wholly in view; labels: {:?}", h.labels()));
    let (p, size) = (e.absolute_position(), e.size());
    assert!(
        size.height >= 48.0 && size.width >= 48.0,
        "{label:?} is {}x{}, smaller than a fingertip",
        size.width,
        size.height
    );
    assert!(
        p.x >= 0.0 && p.x + size.width <= SMALL.0 + 0.5,
        "{label:?} runs off the side: x {} width {}",
        p.x,
        size.width
    );
}

/// Opens every tab from the bottom bar and checks each page can be
/// scrolled to its end, where the last control is usable.
fn walk_the_tabs(h: &Harness) {
    for tab in TABS {
        assert_usable(h, tab);
        h.click(tab);
        assert!(h.is_selected(tab), "{tab} is selected after a tap");
    }
    // Home: its main action is reachable.
    h.click("Home");
    h.find("Prepare a concern");
    assert_usable(h, "Prepare a concern");
    // Settings, to its very end: the last choice, then the last words.
    h.click("Settings");
    h.find("Another country");
    assert_usable(h, "Another country");
    h.click("Another country");
    assert!(h.is_checked("Another country"));
    while !h.at_page_end() {}
    assert!(
        h.shows_containing("SIL Open Font License"),
        "the end of Settings is reached; texts: {:?}",
        h.texts()
    );
    // A Prepare step: its choices and "Next" fit the screen.
    h.click("Prepare");
    h.click("Start a new concern");
    h.find("The pace");
    assert_usable(h, "The pace");
    h.click("The pace");
    h.find("Next");
    assert_usable(h, "Next");
    h.click("Next");
    assert!(h.shows_containing("Step 2 of 7"), "texts: {:?}", h.texts());
}

#[test]
fn on_the_smallest_phone_every_tab_and_the_end_of_each_page_is_in_reach() {
    let h = Harness::new();
    h.resize(SMALL);
    h.settle();
    walk_the_tabs(&h);
}

#[test]
fn at_200_percent_text_home_and_settings_still_work_and_the_size_is_kept() {
    let h = Harness::new();
    h.resize(SMALL);
    h.click("Settings");
    assert!(h.is_checked("100%"), "text starts at its normal size");
    h.click("200%");
    assert!(h.is_checked("200%") && !h.is_checked("100%"));
    assert_eq!(h.app.window.global::<Theme>().get_text_scale(), 2.0);
    h.wait_for("the text size is saved", |h| {
        h.app.with_data(|d| d.settings.text_scale) == 200 && h.app.is_saved()
    });

    // Kept after a restart.
    let h = h.restart();
    h.resize(SMALL);
    h.settle();
    assert_eq!(h.app.window.global::<Theme>().get_text_scale(), 2.0);
    // The tabs keep their names (icons alone are shown) and work.
    walk_the_tabs(&h);
    h.click("Settings");
    assert!(h.is_checked("200%"));

    // And back to normal.
    h.click("100%");
    assert_eq!(h.app.window.global::<Theme>().get_text_scale(), 1.0);
}

/// How tall a one-line button or choice is at most at 200% (two lines of
/// 32 px text would be over 100 px).
const ONE_LINE_AT_200: f32 = 90.0;

#[test]
fn at_200_percent_choices_have_room_and_the_passcode_panel_shows_its_state() {
    use chrono::{Duration, Local, Utc};
    use common_ground::core::model::{CheckIn, Data};
    let mut d = Data::default();
    for i in 0..3 {
        let body = CheckIn {
            when: (Local::now() - Duration::days(7 * (3 - i))).naive_local(),
            mood: 5,
            ..CheckIn::default()
        };
        let r = d.new_record(body, Utc::now());
        d.check_ins.push(r);
    }
    let h = Harness::with_data(d);
    h.resize(PHONE);
    h.set_text_scale(200);
    let one_line = |label: &str| {
        let e = h.find(label);
        assert!(
            e.size().height < ONE_LINE_AT_200,
            "{label:?} wraps inside: {:?}",
            e.size()
        );
        e
    };
    // Insights' range: no "Last / 10" broken inside its chip.
    h.click("Insights");
    for label in ["Last 10", "Last 30", "All"] {
        one_line(label);
    }
    h.click("All");
    assert!(h.is_checked("All"));
    // Theme: not squeezed edge to edge; one row each when they do not fit
    // with room around them.
    h.click("Settings");
    let system = one_line("System");
    assert!(system.size().width > 250.0, "{:?}", system.size());
    // Turning the passcode on shows that it is on and what can be done,
    // not three empty fields.
    h.type_into("New passcode", "blue kettle 42");
    h.type_into("Type the new passcode again", "blue kettle 42");
    h.click("Turn on passcode");
    h.wait_for("the passcode to be on", |h| {
        h.shows_containing("Your notes are now encrypted")
    });
    assert!(h.reveal_text("Passcode is on"), "{:?}", h.texts());
    assert!(
        h.try_find("Current passcode").is_none() && h.try_find("New passcode").is_none(),
        "no fields asked for: {:?}",
        h.labels()
    );
    // One action per row, each label on one line (they wrapped into
    // two-line pills).
    for label in ["Lock now", "Change passcode", "Turn off passcode"] {
        one_line(label);
    }
    let rows: Vec<f32> = ["Lock now", "Change passcode", "Turn off passcode"]
        .iter()
        .map(|l| h.find(l).absolute_position().y)
        .collect();
    assert!(
        rows[0] != rows[1] && rows[1] != rows[2] && rows[0] != rows[2],
        "each action on its own row: {rows:?}"
    );
    // Each action opens its own fields.
    h.click("Change passcode");
    assert!(h.try_find("Current passcode").is_some());
    one_line("Save new passcode");
    // What turning it on said is not left standing by the new fields.
    assert!(
        !h.shows_containing("Your notes are now encrypted"),
        "{:?}",
        h.texts()
    );
}

#[test]
fn at_200_percent_the_feelings_fit_a_phone() {
    let h = Harness::new();
    h.resize(PHONE);
    h.set_text_scale(200);
    h.click("Prepare");
    h.click("Start a new concern");
    h.click("Next");
    h.type_into("What happened?", "They moved on quickly.");
    h.click("Next");
    // Two columns of chips ran off the right edge.
    for label in [
        "Confused",
        "Frustrated",
        "Disappointed",
        "Uneasy",
        "How strong is the feeling?",
    ] {
        let e = h.find(label);
        let right = e.absolute_position().x + e.size().width;
        assert!(right <= 390.0, "{label:?} ends at {right}");
    }
}

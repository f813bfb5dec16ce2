//! The smallest phone (320x568) and large text (200%): every tab opens,
//! each page scrolls to its end, the controls met on the way are wholly in
//! view and large enough to tap, and nothing runs off the side. The text
//! size is a setting that is kept.

use common_ground::ui::Theme;
use slint::ComponentHandle;

use crate::harness::{Harness, SMALL};

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

//! Help for where the user lives: the region follows the system locale on
//! first start, is kept, and can be changed in Settings; Home's date
//! follows the locale's order.

use chrono::Datelike;
use common_ground::core::help::Region;

use crate::harness::Harness;

#[test]
fn a_user_in_australia_sees_australian_services() {
    let h = Harness::new_in_locale(&["en_AU.UTF-8"]);
    h.click("Need help now?");
    assert!(h.shows_containing("Where you live: Australia"));
    assert!(h.shows_containing("call 000"), "texts: {:?}", h.texts());
    assert!(h.shows_containing("Lifeline, 13 11 14."));
    assert!(h.shows_containing("Beyond Blue, 1300 22 4636."));
    assert!(!h.shows_containing("116 123"), "no UK numbers");
    h.wait_for("the region is stored", |h| {
        h.app.with_data(|d| d.settings.region) == Some(Region::Au) && h.app.is_saved()
    });
}

#[test]
fn without_a_country_the_sheet_points_to_a_directory_of_helplines() {
    let h = Harness::new_in_locale(&["C"]);
    h.click("Need help now?");
    assert!(h.shows_containing("call your local emergency number"));
    assert!(h.shows_containing("findahelpline.com"));
}

#[test]
fn the_region_can_be_changed_in_settings_and_is_kept() {
    let h = Harness::new_in_locale(&["en-IE"]);
    h.click("Settings");
    assert!(h.is_checked("Ireland"));
    assert!(!h.is_checked("New Zealand"));
    h.click("New Zealand");
    assert!(h.is_checked("New Zealand") && !h.is_checked("Ireland"));
    assert_eq!(h.app.with_data(|d| d.settings.region), Some(Region::Nz));
    h.click("Need help now?");
    assert!(h.shows_containing("Need to talk? 1737, Call or text 1737."));
    assert!(h.shows_containing("call 111"));

    // The choice is the user's: a restart on a system in another country
    // keeps it.
    let h = h.restart_in_locale(&["en-US"]);
    h.click("Need help now?");
    assert!(h.shows_containing("Where you live: New Zealand"));
    assert!(!h.shows_containing("988"));

    // "Change country" on the sheet leads to the choice.
    h.click("Change country");
    assert!(h.is_checked("New Zealand"));
    h.click("United States");
    h.click("Need help now?");
    assert!(h.shows_containing("988 Suicide & Crisis Lifeline, Call or text 988."));
}

#[test]
fn home_writes_the_date_in_the_order_of_the_locale() {
    let months = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let days = [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ];
    let today = chrono::Local::now().date_naive();
    let weekday = days[today.weekday().num_days_from_monday() as usize];
    let month = months[today.month0() as usize];
    let day = today.day();

    let us = Harness::new_in_locale(&["en-US"]);
    let american = format!("{weekday}, {month} {day}");
    assert!(us.shows(&american), "{american}; texts: {:?}", us.texts());

    let gb = Harness::new_in_locale(&["en-GB"]);
    let british = format!("{weekday} {day} {month}");
    assert!(gb.shows(&british), "{british}; texts: {:?}", gb.texts());
}

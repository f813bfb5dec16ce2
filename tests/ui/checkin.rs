//! Check in flows, driven by accessible label: a check-in with the
//! defaults, a full one with tags and a linked concern (offered from
//! Prepare), edit, delete and undo, and a future date refused.

use crate::harness::Harness;
use chrono::{Duration, Local, Utc};
use common_ground::core::model::{CheckIn, Concern, ConcernState, Data, Topic};
use common_ground::core::prepare;
use common_ground::ui::{CheckInAdapter, CheckInView, Nav, Page, PrepareAdapter};
use slint::ComponentHandle;

fn view(h: &Harness) -> CheckInView {
    h.app.window.global::<CheckInAdapter>().get_view()
}

fn check_ins(h: &Harness) -> Vec<CheckIn> {
    h.app
        .with_data(|d| d.check_ins.iter().map(|r| r.body.clone()).collect())
}

/// A store with one concern raised in the last session.
fn with_raised_concern() -> (Data, String) {
    let mut d = Data::default();
    let now = Utc::now() - Duration::hours(2);
    let id = prepare::new_draft(&mut d, Some(Topic::Pace), now);
    {
        let c: &mut Concern = &mut d.concerns[0].body;
        c.what_happened = "We rushed past the hard part".into();
        c.state = ConcernState::Ready;
    }
    d.prepare.open = None;
    prepare::mark_raised(&mut d, &id, now);
    (d, id)
}

#[test]
fn a_quick_check_in_is_two_taps_and_records_only_what_was_chosen() {
    let h = Harness::new();
    h.resize((390.0, 844.0));
    // From Home: "Quick check-in" opens the quick form.
    h.click("Quick check-in");
    assert_eq!(view(&h), CheckInView::Form);
    // Five mood choices, each read as a number and a word, none chosen;
    // Save is on screen without scrolling; the rest is behind "Add more".
    for choice in [
        "1, Very low",
        "3, Low",
        "5, Okay",
        "7, Good",
        "9, Very good",
    ] {
        assert!(!h.is_checked(choice), "{choice} is not pre-set");
        let size = h.find(choice).size();
        assert!(
            size.width >= 48.0 && size.height >= 48.0,
            "{choice}: {size:?}"
        );
    }
    assert!(h.control_in_view("Save check-in").is_some(), "Save in view");
    assert!(h.control_in_view("Add more").is_some());
    assert!(h.try_find("I felt heard and respected").is_none());
    assert!(h.try_find("Note (optional)").is_none());
    // Save with no mood chosen records nothing and says why.
    h.click("Save check-in");
    assert!(check_ins(&h).is_empty(), "no mood the user never chose");
    assert!(h.shows_containing("Choose how your mood is first"));
    // Tap one, Save: that is the whole check-in.
    h.click("7, Good");
    assert!(h.is_checked("7, Good"));
    assert!(!h.shows_containing("Choose how your mood is first"));
    h.click("Save check-in");
    let saved = check_ins(&h);
    assert_eq!(saved.len(), 1);
    assert_eq!(saved[0].mood, 7);
    assert_eq!(
        (
            saved[0].mood_before,
            saved[0].heard,
            saved[0].goals,
            saved[0].approach,
            saved[0].overall
        ),
        (None, None, None, None, None)
    );
    assert!(saved[0].tags.is_empty() && saved[0].note.is_empty());
    let now = Local::now().naive_local();
    assert!((now - saved[0].when).num_minutes().abs() <= 1);
    assert!(h.shows("Saved. You can see it in your history, or add another."));
    // The form is fresh: no mood carried over to the next one.
    assert!(!h.is_checked("7, Good"));
    // "Add more" shows the rest, with every item left out.
    h.click("Add more");
    let heard = h.find("I felt heard and respected");
    assert_eq!(heard.accessible_value().as_deref(), Some("0"));
    assert_eq!(
        heard.accessible_description().as_deref(),
        Some("not given, from 0 not at all to 10 completely")
    );
    assert!(h.try_find("Note (optional)").is_some());
    // It is in the history, read as one sentence.
    h.click("History");
    assert_eq!(view(&h), CheckInView::History);
    let sentence = h
        .labels()
        .into_iter()
        .find(|l| l.ends_with(": mood 7 of 10."))
        .expect("the history row reads as one sentence");
    assert!(
        sentence.contains(&now.format("%Y").to_string()),
        "{sentence}"
    );
}

#[test]
fn the_quick_mood_choices_fit_a_small_phone_and_large_text() {
    for (size, scale) in [((320.0, 568.0), 100), ((390.0, 844.0), 200)] {
        let h = Harness::new();
        h.resize(size);
        h.app
            .window
            .global::<common_ground::ui::SettingsAdapter>()
            .invoke_set_text_scale(scale);
        h.click("Check in");
        for choice in ["1, Very low", "9, Very good"] {
            let e = h.find(choice);
            assert!(e.size().height >= 48.0, "{size:?} {scale}: {:?}", e.size());
            assert!(
                e.absolute_position().x + e.size().width <= size.0,
                "{choice} fits across at {size:?} {scale}%"
            );
        }
        h.click("9, Very good");
        assert!(h.is_checked("9, Very good"));
    }
}

#[test]
fn a_full_check_in_with_tags_and_a_concern_raised_from_prepare() {
    let (data, id) = with_raised_concern();
    // An earlier check-in with a tag, to be suggested.
    let mut data = data;
    let earlier = CheckIn {
        when: Local::now().naive_local() - Duration::days(7),
        mood: 4,
        tags: vec!["sleep".into()],
        ..CheckIn::default()
    };
    let r = data.new_record(earlier, Utc::now());
    data.check_ins.push(r);
    let h = Harness::with_data(data);

    // Prepare offers a check-in for the session it was raised in.
    h.click("Prepare");
    h.app
        .window
        .global::<PrepareAdapter>()
        .invoke_open_concern(id.as_str().into());
    h.settle();
    h.click("Check in about that session");
    assert_eq!(h.app.window.global::<Nav>().get_current(), Page::CheckIn);
    assert_eq!(view(&h), CheckInView::Form);
    assert!(h.is_checked("We rushed past the hard part"));

    h.find("My mood now").set_accessible_value("7");
    h.find("My mood before the session (optional)")
        .set_accessible_value("4");
    h.find("I felt heard and respected")
        .set_accessible_value("9");
    h.find("We worked on what matters to me")
        .set_accessible_value("6");
    h.find("The way we worked suits me")
        .set_accessible_value("3");
    h.find("Overall, I agree with where this is going")
        .set_accessible_value("7");
    h.settle();
    assert_eq!(h.value_of("I felt heard and respected"), "9");
    // An item moved by mistake can be left out again: its Clear button
    // (named "Clear", described by the item) empties it.
    let clear = h
        .all("Clear")
        .into_iter()
        .find(|e| e.accessible_description().as_deref() == Some("The way we worked suits me"))
        .expect("a Clear button for the approach item");
    clear.invoke_accessible_default_action();
    h.settle();
    assert!(
        !h.app.window.global::<CheckInAdapter>().get_has_approach(),
        "cleared"
    );
    // An earlier tag is suggested; a new one is added.
    assert!(!h.is_checked("sleep"));
    h.click("sleep");
    assert!(h.is_checked("sleep"));
    h.type_into("New tag", "  pace  ");
    h.click("Add tag");
    assert!(h.is_checked("pace"));
    h.type_into("Note (optional)", "Said it. שלום 🙂");
    h.click("Save check-in");

    let all = check_ins(&h);
    assert_eq!(all.len(), 2);
    let c = &all[1];
    assert_eq!((c.mood, c.mood_before), (7, Some(4)));
    assert_eq!(
        (c.heard, c.goals, c.approach, c.overall),
        (Some(9), Some(6), None, Some(7))
    );
    assert_eq!(c.tags, ["sleep", "pace"]);
    assert_eq!(c.concerns, [id]);
    assert_eq!(c.note, "Said it. שלום 🙂");
    // Saved to disk as well.
    let h = h.restart();
    assert_eq!(check_ins(&h)[1].tags, ["sleep", "pace"]);
}

#[test]
fn edit_then_delete_and_undo() {
    let h = Harness::new();
    h.click("Check in");
    h.click("5, Okay");
    h.click("Save check-in");
    h.click("History");
    let row = h
        .labels()
        .into_iter()
        .find(|l| l.ends_with(": mood 5 of 10."))
        .expect("row");
    h.click(&row);
    assert_eq!(view(&h), CheckInView::Entry);
    h.click("Edit");
    assert_eq!(view(&h), CheckInView::Form);
    h.find("My mood now").set_accessible_value("8");
    h.find("Overall, I agree with where this is going")
        .set_accessible_value("6");
    h.settle();
    h.click("Save changes");
    assert_eq!(view(&h), CheckInView::Entry);
    let all = check_ins(&h);
    assert_eq!(all.len(), 1, "an edit does not add a check-in");
    assert_eq!((all[0].mood, all[0].overall), (8, Some(6)));

    h.click("Delete");
    assert_eq!(view(&h), CheckInView::History);
    assert!(check_ins(&h).is_empty());
    assert!(h.shows("Check-in deleted."));
    h.click("Undo");
    let back = check_ins(&h);
    assert_eq!(back.len(), 1);
    assert_eq!((back[0].mood, back[0].overall), (8, Some(6)));
    assert!(h
        .labels()
        .iter()
        .any(|l| l.ends_with("mood 8 of 10, overall agreement 6 of 10.")));
}

#[test]
fn a_future_date_is_refused_and_nothing_is_lost() {
    let h = Harness::new();
    h.click("Check in");
    h.click("Add more");
    h.find("My mood now").set_accessible_value("3");
    h.type_into("Note (optional)", "Keep me");
    h.click("Change date or time");
    let tomorrow = (Local::now() + Duration::days(1))
        .format("%Y-%m-%d")
        .to_string();
    h.type_into("Date (year-month-day)", &tomorrow);
    h.click("Save check-in");
    assert!(check_ins(&h).is_empty());
    assert!(h.shows_containing("still to come"));
    // What the user entered is still there.
    assert_eq!(h.value_of("My mood now"), "3");
    assert_eq!(h.value_of("Note (optional)"), "Keep me");
    // A date that is not a date says how to write one.
    h.type_into("Date (year-month-day)", "2026-13-40");
    h.click("Save check-in");
    assert!(h.shows_containing("needs to look like"));
    // An earlier day is fine.
    let last_week = (Local::now() - Duration::days(7))
        .format("%Y-%m-%d")
        .to_string();
    h.type_into("Date (year-month-day)", &last_week);
    h.click("Save check-in");
    let all = check_ins(&h);
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].when.format("%Y-%m-%d").to_string(), last_week);
    assert_eq!(all[0].note, "Keep me");
}

#[test]
fn a_typed_tag_is_added_by_enter_and_kept_by_save() {
    let h = Harness::new();
    h.click("Check in");
    h.click("5, Okay");
    h.click("Add more");
    h.click("New tag");
    h.type_into("New tag", "family");
    h.press(slint::platform::Key::Return);
    assert!(
        h.is_checked("family"),
        "Enter adds the tag: {:?}",
        h.labels()
    );
    assert_eq!(h.value_of("New tag"), "");
    // Typed, not added, then saved: it goes in all the same.
    h.type_into("New tag", "work");
    h.click("Save check-in");
    let saved = check_ins(&h);
    assert_eq!(saved.len(), 1);
    assert_eq!(
        saved[0].tags,
        vec!["family".to_string(), "work".to_string()]
    );
}

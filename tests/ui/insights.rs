//! Insights flows: charts with a summary a screen reader reads, and the
//! nudge: a made-up dip shows it on Home and Insights, it opens Prepare
//! with the matching topic, and a dismissed nudge stays away.

use crate::harness::Harness;
use chrono::{Duration, Local, Utc};
use common_ground::core::model::{CheckIn, Concern, ConcernState, Data, Outcome, Topic};
use common_ground::ui::{InsightsAdapter, Nav, Page, PrepareAdapter, PrepareView};
use slint::ComponentHandle;

const NUDGE: &str = "Feeling heard has dipped lately. Want to put it into words?";

/// Weekly check-ins with these "heard" scores (mood 6, overall 7).
pub(crate) fn with_heard(scores: &[u8]) -> Data {
    let mut d = Data::default();
    let start = Local::now().naive_local() - Duration::days(7 * scores.len() as i64);
    for (i, &s) in scores.iter().enumerate() {
        let c = CheckIn {
            when: start + Duration::days(7 * i as i64),
            mood: 6,
            heard: Some(s),
            overall: Some(7),
            ..CheckIn::default()
        };
        let r = d.new_record(c, Utc::now());
        d.check_ins.push(r);
    }
    d
}

#[test]
fn charts_have_summaries_and_ranges() {
    let h = Harness::with_data(with_heard(&[4, 6, 8]));
    h.click("Insights");
    // Tall enough for every chart to be on screen.
    h.resize((390.0, 3000.0));
    h.settle();
    let labels = h.labels();
    assert!(
        labels
            .iter()
            .any(|l| l
                == "Feeling heard over 3 check-ins: from 4 to 8, lowest 4, highest 8, average 6."),
        "{labels:?}"
    );
    assert!(
        labels
            .iter()
            .any(|l| l == "Working on what matters: no answers in this range yet."),
        "{:?}",
        labels
            .iter()
            .filter(|l| l.contains("answer") || l.contains(" over "))
            .collect::<Vec<_>>()
    );
    assert!(h.is_checked("Last 10"));
    h.click("All");
    assert!(h.is_checked("All") && !h.is_checked("Last 10"));
    // No dip here: no nudge.
    assert!(!h.shows(NUDGE));
}

#[test]
fn a_dip_nudges_and_the_nudge_opens_prepare_with_the_topic() {
    let h = Harness::with_data(with_heard(&[8, 8, 7, 9, 4]));
    h.click("Home");
    assert!(h.shows(NUDGE));
    h.click("Insights");
    assert!(h.shows(NUDGE));
    h.click("Put it into words");
    let ui = &h.app.window;
    assert_eq!(ui.global::<Nav>().get_current(), Page::Prepare);
    assert_eq!(
        ui.global::<PrepareAdapter>().get_view(),
        PrepareView::Builder
    );
    let topics = h.app.with_data(|d| {
        let open = d.prepare.open.clone().expect("a draft is open");
        d.concerns
            .iter()
            .find(|c| c.id == open)
            .map(|c| c.body.topics.clone())
    });
    assert_eq!(topics, Some(vec![Topic::NotHeard]));
    assert!(h.is_checked("Not feeling heard"));
    // Having acted on it, it does not come back for this dip.
    assert!(!ui.global::<InsightsAdapter>().get_has_nudge());
}

#[test]
fn a_dismissed_nudge_stays_away_until_a_new_dip() {
    let h = Harness::with_data(with_heard(&[8, 8, 7, 9, 4]));
    h.click("Home");
    assert!(h.shows(NUDGE));
    h.click("Not now");
    assert!(!h.shows(NUDGE));
    h.click("Insights");
    assert!(!h.shows(NUDGE));
    // Another low answer is the same dip: still away, also after a restart.
    h.click("Check in");
    h.click("5, Okay");
    h.click("Add more");
    h.find("I felt heard and respected")
        .set_accessible_value("4");
    h.settle();
    h.click("Save check-in");
    let h = h.restart();
    h.click("Home");
    assert!(!h.shows(NUDGE));
    assert_eq!(h.app.with_data(|d| d.insights.dismissed.len()), 1);
}

const HEARD_3: &str =
    "Feeling heard over 3 check-ins: from 4 to 8, lowest 4, highest 8, average 6.";

#[test]
fn a_chart_point_tells_its_date_and_value_by_tap_keys_and_screen_reader() {
    let h = Harness::with_data(with_heard(&[4, 6, 8]));
    h.click("Insights");
    h.resize((390.0, 3000.0));
    h.settle();
    // A screen reader moves along the points like a slider's steps.
    let chart = h.find(HEARD_3);
    chart.invoke_accessible_increment_action();
    h.settle();
    assert!(
        h.value_of(HEARD_3).ends_with(": 8 of 10"),
        "{}",
        h.value_of(HEARD_3)
    );
    h.find(HEARD_3).invoke_accessible_decrement_action();
    h.settle();
    let v = h.value_of(HEARD_3);
    assert!(v.ends_with(": 6 of 10"), "{v}");
    // Said as the description too (AT-SPI takes only numbers as a
    // value); the same words are shown under the chart.
    assert_eq!(
        h.find(HEARD_3).accessible_description().as_deref(),
        Some(v.as_str())
    );
    // A tap picks the nearest point; the arrow keys move from there.
    h.click(HEARD_3);
    let tapped = h.value_of(HEARD_3);
    assert!(tapped.ends_with(" of 10"), "{tapped}");
    h.press(slint::platform::Key::Home);
    assert!(h.value_of(HEARD_3).ends_with(": 4 of 10"));
    h.press(slint::platform::Key::RightArrow);
    assert!(h.value_of(HEARD_3).ends_with(": 6 of 10"));
}

#[test]
fn the_all_chart_says_its_line_is_averaged() {
    let scores: Vec<u8> = (0..70).map(|i| 3 + (i % 5) as u8).collect();
    let h = Harness::with_data(with_heard(&scores));
    h.click("Insights");
    h.resize((390.0, 3000.0));
    h.settle();
    h.click("All");
    let labels = h.labels();
    assert!(
        labels.iter().any(|l| l.starts_with("Feeling heard over 70 check-ins. The line shows averages of about 2 check-ins each, from ")
            && l.contains("single answers ranged from 3 to 7")),
        "{:?}",
        labels.iter().filter(|l| l.contains(" over ")).collect::<Vec<_>>()
    );
}

#[test]
fn did_raising_it_help_says_it_in_one_sentence_with_the_measure_named() {
    let mut d = with_heard(&[4, 4, 4, 4, 7, 7, 7, 7]);
    let title = "Twice now I started to talk about my sister and we moved on before I could say what happened, which hurt";
    let raised = d.check_ins[4].body.when;
    let c = Concern {
        topics: vec![Topic::NotHeard],
        what_happened: title.into(),
        state: ConcernState::Raised,
        step: 7,
        outcome: Outcome {
            raised_at: Some(raised.and_utc()),
            ..Outcome::default()
        },
        ..Concern::default()
    };
    let r = d.new_record(c, Utc::now());
    let id = r.id.clone();
    d.concerns.push(r);
    d.check_ins[4].body.concerns.push(id);
    let h = Harness::with_data(d);
    h.click("Insights");
    assert!(
        h.reveal_text("How heard you felt went up after you raised it, from 4 to 7 out of 10."),
        "{:?}",
        h.texts()
    );
    // The full title, not cut at 60 characters.
    assert!(
        h.shows_containing("before I could say what happened"),
        "{:?}",
        h.texts()
    );
    assert!(!h.shows_containing("on average (4 check-ins)"));
}

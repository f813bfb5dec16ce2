//! What goes unsaid and the other path, driven by accessible label: a
//! check-in with "a little" and words becomes an Unsaid item, a draft
//! concern with those words, and a concern on the agenda; an item kept, let
//! go and brought back; the way of reacting, the openers it brings and the
//! note in session; the held-back count and the "everything is a 10" line
//! with its dismissal; the new Learn deck and Prepare topic; the
//! complaints of the region chosen in Settings.

use crate::harness::Harness;
use chrono::{Duration, Local, Utc};
use common_ground::core::model::{
    CheckIn, Concern, ConcernState, Data, HeldBack, Reaction, Region, Topic, UnsaidState,
};
use common_ground::core::prepare;
use common_ground::ui::{LearnAdapter, LearnView, Nav, Page, PrepareAdapter, PrepareView};
use slint::{ComponentHandle, Model};

const WORDS: &str = "When she checked the clock I felt like a burden, and I smiled instead 🙂";

fn view(h: &Harness) -> PrepareView {
    h.app.window.global::<PrepareAdapter>().get_view()
}

fn unsaid_rows(h: &Harness) -> usize {
    h.app
        .window
        .global::<PrepareAdapter>()
        .get_unsaid()
        .row_count()
}

/// Weekly check-ins, the latest last: `tops[i]` rates every item 10 (else
/// heard is 8); `held[i]` is the held-back answer, with words for "a
/// little" and "yes".
fn history(tops: &[bool], held: &[Option<HeldBack>]) -> Data {
    let mut d = Data::default();
    let n = tops.len().max(held.len());
    let start = Local::now().naive_local() - Duration::days(7 * n as i64);
    for i in 0..n {
        let top = tops.get(i).copied().unwrap_or(false);
        let h = held.get(i).copied().flatten();
        let c = CheckIn {
            when: start + Duration::days(7 * i as i64),
            mood: 6,
            heard: Some(if top { 10 } else { 8 }),
            goals: Some(10),
            approach: Some(10),
            overall: Some(10),
            held_back: h,
            held_back_words: if h.is_some_and(|h| h.something()) {
                format!("Unsaid number {i}")
            } else {
                String::new()
            },
            ..CheckIn::default()
        };
        let r = d.new_record(c, Utc::now());
        d.check_ins.push(r);
    }
    d
}

#[test]
fn a_held_back_check_in_becomes_words_on_the_agenda() {
    let h = Harness::new();
    h.click("Check in");
    h.click("5, Okay");
    // The item is under "Add more", nothing chosen, and the words field
    // comes only with "a little" or "yes".
    h.click("Add more");
    assert!(h.try_find("A little").is_some(), "{:?}", h.labels());
    for answer in ["No", "A little", "Yes"] {
        assert!(!h.is_checked(answer), "{answer} is not pre-set");
    }
    assert!(h.try_find("A few words about it (private)").is_none());
    h.click("No");
    assert!(h.try_find("A few words about it (private)").is_none());
    h.click("A little");
    assert!(h.is_checked("A little"));
    h.type_into("A few words about it (private)", WORDS);
    h.click("Save check-in");
    let saved = h.app.with_data(|d| d.check_ins[0].body.clone());
    assert_eq!(saved.held_back, Some(HeldBack::ALittle));
    assert_eq!(saved.held_back_words, WORDS);
    // The next form starts unanswered.
    h.click("Add more");
    assert!(!h.is_checked("A little"));
    assert!(h.try_find("A few words about it (private)").is_none());

    // The private Unsaid list on Prepare's overview, with its date.
    h.click("Prepare");
    assert!(h.reveal_text(WORDS), "{:?}", h.texts());
    assert_eq!(unsaid_rows(&h), 1);
    // One tap: a draft with the words, open in the builder.
    h.click("Make it a concern");
    assert_eq!(view(&h), PrepareView::Builder);
    assert_eq!(
        h.app.window.global::<PrepareAdapter>().get_what_happened(),
        WORDS
    );
    // Through the steps and onto the agenda.
    h.click("The pace");
    h.click("Next");
    h.click("Next");
    for _ in 0..4 {
        h.click("Skip");
    }
    h.click("Save to my next session");
    assert_eq!(view(&h), PrepareView::Overview);
    let (state, agenda, text) = h.app.with_data(|d| {
        let c = &d.concerns[0];
        (
            c.body.state,
            d.prepare.agenda.clone(),
            c.body.what_happened.clone(),
        )
    });
    assert_eq!(state, ConcernState::Ready);
    assert_eq!(agenda.len(), 1);
    assert_eq!(text, WORDS);
    // The item left the list; its mark says where it went.
    assert_eq!(unsaid_rows(&h), 0);
    let mark = h.app.with_data(|d| d.prepare.unsaid[0].state);
    assert_eq!(mark, UnsaidState::Drafted);
}

/// Words kept from a check-in, on the agenda with no opening line: in
/// session they lead in full, once (the agenda's title is only their first
/// words, cut).
#[test]
fn in_session_words_without_an_opening_line_lead_in_full() {
    let mut data = Data::default();
    let r = data.new_record(
        Concern {
            what_happened: WORDS.into(),
            state: ConcernState::Ready,
            step: 7,
            ..Default::default()
        },
        Utc::now(),
    );
    data.prepare.agenda = vec![r.id.clone()];
    data.concerns.push(r);
    let h = Harness::with_data(data);
    h.click("Prepare");
    let title = prepare::title(
        &prepare::PrepareContent::builtin(),
        &h.app.with_data(|d| d.concerns[0].body.clone()),
        prepare::TITLE_CHARS,
    );
    assert!(title.ends_with('…'), "{title}");
    h.click(&title);
    assert_eq!(view(&h), PrepareView::Session);
    if h.app.window.global::<PrepareAdapter>().get_note_open() {
        h.click("Show the full view");
    }
    assert!(
        h.labels().contains(&format!("I WANT TO SAY. {WORDS}")),
        "{:?}",
        h.labels()
    );
    let texts = h.texts();
    assert!(!texts.iter().any(|t| t.contains('…')), "{texts:?}");
    assert_eq!(texts.iter().filter(|t| *t == WORDS).count(), 1, "{texts:?}");
    // The note view leads with the same words.
    h.click("Show as a note");
    assert!(h.shows_containing(WORDS), "{:?}", h.texts());
}

#[test]
fn an_item_can_be_kept_let_go_and_brought_back() {
    let h = Harness::with_data(history(&[], &[Some(HeldBack::Yes), Some(HeldBack::No)]));
    h.click("Prepare");
    assert!(h.reveal_text("Unsaid number 0"));
    assert_eq!(unsaid_rows(&h), 1, "a 'no' is no item");
    h.click("Keep");
    assert!(h.reveal_text("held back, kept"), "{:?}", h.texts());
    assert!(
        h.try_find("Keep").is_none(),
        "a kept item is not offered Keep"
    );
    h.click("Let it go");
    assert_eq!(unsaid_rows(&h), 0);
    // The words stay on the check-in; only the list changed.
    let words = h
        .app
        .with_data(|d| d.check_ins[0].body.held_back_words.clone());
    assert_eq!(words, "Unsaid number 0");
    h.click("Undo");
    assert!(h.reveal_text("Unsaid number 0"));
    let state = h.app.with_data(|d| d.prepare.unsaid[0].state);
    assert_eq!(state, UnsaidState::Kept);
    // Let go again, it stays gone after a restart.
    h.click("Let it go");
    let h = h.restart();
    h.click("Prepare");
    assert!(!h.reveal_text("Unsaid number 0"));
}

#[test]
fn show_all_is_named_by_the_words_it_shows() {
    let h = Harness::with_data(history(&[], &[Some(HeldBack::Yes); 7]));
    h.click("Prepare");
    assert_eq!(unsaid_rows(&h), 5, "the overview shows five");
    // A screen reader (and voice control) gets the words on the button.
    assert!(
        h.try_find("Show all (2 more)").is_some(),
        "labels: {:?}",
        h.labels()
    );
    h.click("Show all (2 more)");
    assert_eq!(unsaid_rows(&h), 7);
}

#[test]
fn the_way_of_reacting_shapes_openers_and_the_note_in_session() {
    let h = Harness::new();
    h.click("Prepare");
    assert!(!h.is_checked("Go quiet"), "not pre-set");
    h.click("Go quiet");
    assert_eq!(
        h.app.with_data(|d| d.prepare.reaction),
        Some(Reaction::GoQuiet)
    );
    assert!(h.reveal_text("When something feels off, you usually go quiet."));
    // A concern built now leads with an opener that names it.
    h.click("Start a new concern");
    h.click("The pace");
    h.click("Next");
    h.type_into("What happened?", "We moved on before I was ready.");
    h.click("Next");
    h.click("Skip");
    h.click("Skip");
    h.click("Skip");
    let first = h
        .app
        .window
        .global::<PrepareAdapter>()
        .get_openers()
        .row_data(0)
        .unwrap();
    assert_eq!(
        first,
        "I often keep quiet when the pace feels wrong for me, so this time I wrote it down."
    );
    h.click("Next");
    h.click("Save to my next session");
    // In session the note comes first and shows the words plainly.
    let title = prepare::title(
        &prepare::PrepareContent::builtin(),
        &h.app.with_data(|d| d.concerns[0].body.clone()),
        prepare::TITLE_CHARS,
    );
    h.click(&title);
    assert_eq!(view(&h), PrepareView::Session);
    assert!(h.app.window.global::<PrepareAdapter>().get_note_open());
    assert!(h.shows("We moved on before I was ready."));
    h.click("Show the full view");
    assert!(h.try_find("Show as a note").is_some());
    // Changing the answer is one tap away.
    h.click("Back to Prepare");
    h.click("Change");
    h.click("Say so");
    assert_eq!(
        h.app.with_data(|d| d.prepare.reaction),
        Some(Reaction::SaySo)
    );
    assert!(h.reveal_text("When something feels off, you usually say so."));
}

#[test]
fn insights_counts_what_went_unsaid_in_plain_words() {
    use HeldBack::{ALittle, No, Yes};
    // Twelve check-ins; the first two fall outside the last ten, which
    // hold: No, -, ALittle, No, Yes, -, No, ALittle, No, No -> 8 answered,
    // 3 held back.
    let held = [
        Some(Yes),
        Some(Yes),
        Some(No),
        None,
        Some(ALittle),
        Some(No),
        Some(Yes),
        None,
        Some(No),
        Some(ALittle),
        Some(No),
        Some(No),
    ];
    let h = Harness::with_data(history(&[], &held));
    h.click("Insights");
    assert!(
        h.reveal_text("In your last 10 check-ins, you held something back 3 times."),
        "{:?}",
        h.texts()
    );
    assert!(h.reveal_text("You answered the question in 8 of them."));
    assert!(!h.shows_containing("%"), "no rate, no score");
}

#[test]
fn the_all_tens_line_shows_once_per_run_and_can_be_turned_off() {
    const LINE: &str =
        "Your last six check-ins rate everything at 10. That is good news if it is how things are.";
    // Five at the top: nothing.
    let h = Harness::with_data(history(&[false, true, true, true, true, true], &[]));
    h.click("Insights");
    assert!(!h.reveal_text(LINE));
    drop(h);
    // Six: the line, and OK hides it for this run, also after a restart.
    let h = Harness::with_data(history(&[true; 6], &[]));
    h.click("Insights");
    assert!(h.reveal_text(LINE));
    h.click("OK");
    assert!(!h.shows(LINE));
    let h = h.restart();
    h.click("Insights");
    assert!(!h.reveal_text(LINE), "a dismissed run stays quiet");
    drop(h);
    // "Don't show this": never again.
    let h = Harness::with_data(history(&[true; 7], &[]));
    h.click("Insights");
    assert!(h.reveal_text(LINE));
    h.click("Don't show this");
    assert!(!h.shows(LINE));
    assert!(h.app.with_data(|d| d.insights.all_top_never));
}

#[test]
fn learn_has_the_other_path_and_prepare_the_new_topic() {
    let h = Harness::new();
    h.click("Learn");
    // Two taps from Learn: the deck, then a card about ending well.
    h.click("Stopping, changing or moving on");
    assert!(h.shows("Looking at how it is going"));
    h.click("Next");
    h.click("Next");
    assert!(h.shows("Ending well"));
    h.click("Plan an ending");
    assert_eq!(h.app.window.global::<Nav>().get_current(), Page::Prepare);
    assert_eq!(view(&h), PrepareView::Builder);
    assert!(h.is_checked("I am thinking about stopping or changing"));
    let c = h.app.with_data(|d| d.concerns[0].body.clone());
    assert_eq!(c.topics, [Topic::StoppingOrChanging]);
    // Its openers name the ways on.
    h.click("Next");
    h.type_into("What happened?", "I keep wondering whether to stop.");
    h.click("Next");
    h.click("Skip");
    h.click("Skip");
    h.click("Skip");
    assert_eq!(h.app.window.global::<PrepareAdapter>().get_step(), 6);
    let openers: Vec<String> = h
        .app
        .window
        .global::<PrepareAdapter>()
        .get_openers()
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert!(
        openers
            .iter()
            .any(|o| o.starts_with("I'd like to review how this is going")
                || o.starts_with("I'd like to plan an ending")),
        "{openers:?}"
    );
}

#[test]
fn complaints_follow_the_region_in_settings() {
    let mut d = Data::default();
    d.settings.region = Some(Region::Uk);
    let h = Harness::with_data(d);
    h.click("Learn");
    let learn = h.app.window.global::<LearnAdapter>();
    learn.invoke_open_card("path-6".into());
    h.settle();
    h.click("Who handles complaints");
    assert_eq!(learn.get_view(), LearnView::Complaints);
    for body in ["BACP", "UKCP", "HCPC"] {
        assert!(h.reveal_text(body), "{body}: {:?}", h.texts());
    }
    h.click("Back");
    assert_eq!(learn.get_view(), LearnView::Card);
    // Another region in Settings: its own bodies.
    h.click("Settings");
    h.click("New Zealand");
    h.click("Learn");
    h.click("Who handles complaints");
    assert!(h.reveal_text("Health and Disability Commissioner"));
    assert!(!h.shows_containing("BACP"));
}

/// What was held back is as private as a note: offered under its check-in
/// in "For my therapist", never ticked to start with, and in the summary
/// only once ticked by itself.
#[test]
fn held_back_words_go_into_the_summary_only_when_ticked() {
    let h = Harness::with_data(history(&[], &[Some(HeldBack::Yes)]));
    h.click("Settings");
    h.click("Export");
    h.click("For my therapist");
    h.click("Choose what goes in");
    let row = "Add what you held back: “Unsaid number 0”";
    assert!(h.try_find(row).is_some(), "{:?}", h.labels());
    assert!(!h.is_checked(row), "never ticked to start with");
    h.click("Preview");
    let preview = h.texts_through_list("Preview of the summary").join("\n");
    assert!(preview.contains("Session"), "{preview}");
    assert!(!preview.contains("Unsaid number 0"), "{preview}");
    assert!(!preview.contains("Something I held back"), "{preview}");
    h.click("Back to choosing");
    h.click(row);
    assert!(h.is_checked(row));
    assert!(h.reveal_text("What you held back is ticked to go in for 1 check-in."));
    h.click("Preview");
    let preview = h.texts_through_list("Preview of the summary").join("\n");
    assert!(preview.contains("Unsaid number 0"), "{preview}");
    assert!(preview.contains("Something I held back ("), "{preview}");
}

//! Learn: walking a deck, bookmarks that survive a restart, card actions.

use crate::harness::Harness;
use common_ground::core::cards::{Action, Library, LinkTarget};
use common_ground::ui::{LearnAdapter, LearnView, Nav, Page};
use slint::ComponentHandle;

fn card_label(i: usize, n: usize) -> String {
    format!("Card {i} of {n}")
}

fn open_deck(h: &Harness, title: &str) {
    h.click("Learn");
    if h.try_find(title).is_none() {
        h.click("All decks");
    }
    h.click(title);
}

#[test]
fn walk_the_whole_first_deck_with_next_and_back() {
    let lib = Library::builtin();
    let deck = lib.deck("ok-to-disagree").unwrap();
    let n = deck.cards.len();
    let h = Harness::new();
    open_deck(&h, &deck.title);

    for (i, card) in deck.cards.iter().enumerate() {
        assert!(
            h.shows(&card.title),
            "card {} shows its title; texts: {:?}",
            i + 1,
            h.texts()
        );
        assert!(h.shows(&card.body), "card {} shows its body", i + 1);
        assert!(
            h.shows(&card_label(i + 1, n)),
            "progress reads {}",
            card_label(i + 1, n)
        );
        if i + 1 < n {
            h.click("Next");
        }
    }
    // Back all the way to the first card.
    for i in (0..n - 1).rev() {
        h.click("Back");
        assert!(h.shows(&deck.cards[i].title));
        assert!(h.shows(&card_label(i + 1, n)));
    }
    assert_eq!(
        h.find("Back").accessible_enabled(),
        Some(false),
        "no going back from card 1"
    );

    // Forward to the end and finish: the deck list shows it as done.
    for _ in 1..n {
        h.click("Next");
    }
    h.click("Finish deck");
    let done = h
        .find(&deck.title)
        .accessible_description()
        .unwrap()
        .to_string();
    assert!(
        done.ends_with(&format!("{n} of {n} cards read")),
        "a finished deck says so: {done:?}"
    );
}

#[test]
fn arrow_keys_move_between_cards() {
    let lib = Library::builtin();
    let deck = lib.deck("alliance").unwrap();
    let h = Harness::new();
    open_deck(&h, &deck.title);
    h.press(slint::platform::Key::RightArrow);
    assert!(h.shows(&deck.cards[1].title));
    h.press(slint::platform::Key::RightArrow);
    assert!(h.shows(&deck.cards[2].title));
    h.press(slint::platform::Key::LeftArrow);
    assert!(h.shows(&deck.cards[1].title));
}

#[test]
fn a_bookmark_and_the_position_survive_a_restart() {
    let lib = Library::builtin();
    let deck = lib.deck("alliance").unwrap();
    let second = &deck.cards[1];
    let n = deck.cards.len();

    let h = Harness::new();
    open_deck(&h, &deck.title);
    h.click("Next");
    assert!(h.shows(&second.title));
    assert!(!h.is_checked("Bookmark"));
    h.click("Bookmark");
    assert!(h.is_checked("Bookmark"), "the bookmark shows as set");

    let h = h.restart();
    // Home offers to continue exactly there.
    assert!(
        h.shows(&second.title),
        "home shows the card to continue; texts: {:?}",
        h.texts()
    );
    // The saved list has the card.
    h.click("Learn");
    // Named by its words, with how many are saved.
    h.click("Saved cards (1)");
    assert!(
        h.try_find(&second.title).is_some(),
        "saved card listed; labels: {:?}",
        h.labels()
    );
    // And the deck opens where the user left it.
    h.click("All decks");
    h.click(&deck.title);
    assert!(h.shows(&second.title));
    assert!(h.shows(&card_label(2, n)));
    assert!(h.is_checked("Bookmark"));

    // Unsaving removes it from the list.
    h.click("Bookmark");
    h.click("All decks");
    h.click("Saved cards");
    assert!(h.try_find(&second.title).is_none());
    assert!(h.shows("Nothing saved yet"));
}

#[test]
fn continue_learning_on_home_opens_the_right_card() {
    let lib = Library::builtin();
    let deck = lib.deck("rights").unwrap();
    let h = Harness::new();
    open_deck(&h, &deck.title);
    h.click("Next");
    h.click("Next");
    h.click("Home");
    assert!(h.shows(&deck.cards[2].title));
    h.click("Continue");
    assert_eq!(h.app.window.global::<Nav>().get_current(), Page::Learn);
    assert!(h.shows(&deck.cards[2].title) && h.shows(&card_label(3, deck.cards.len())));
}

#[test]
fn the_start_concern_action_on_a_how_to_raise_card_opens_prepare() {
    let lib = Library::builtin();
    let deck = lib.deck("how-to-raise").unwrap();
    let (index, card) = deck
        .cards
        .iter()
        .enumerate()
        .find(|(_, c)| {
            c.links
                .iter()
                .any(|l| matches!(l.target, LinkTarget::Action(Action::StartConcern)))
        })
        .expect("a how-to-raise card offers to start a concern");
    let link = card
        .links
        .iter()
        .find(|l| matches!(l.target, LinkTarget::Action(Action::StartConcern)))
        .unwrap();

    let h = Harness::new();
    open_deck(&h, &deck.title);
    for _ in 0..index {
        h.click("Next");
    }
    assert!(h.shows(&card.title), "texts: {:?}", h.texts());
    h.click(&link.label);
    assert_eq!(h.app.window.global::<Nav>().get_current(), Page::Prepare);
    assert!(h.is_selected("Prepare"));
    assert!(h.shows("Prepare"));
}

#[test]
fn every_card_link_works() {
    let lib = Library::builtin();
    let h = Harness::new();
    h.click("Learn");
    for deck in &lib.decks {
        for card in &deck.cards {
            for link in &card.links {
                h.app.window.global::<Nav>().invoke_go(Page::Learn);
                h.app
                    .window
                    .global::<LearnAdapter>()
                    .invoke_open_card(card.id.as_str().into());
                h.settle();
                h.click(&link.label);
                let nav = h.app.window.global::<Nav>();
                match &link.target {
                    LinkTarget::Card(id) => {
                        let target = lib.find_card(id).map(|(d, i)| &d.cards[i]).unwrap();
                        assert!(h.shows(&target.title), "{} -> {}", card.id, id);
                    }
                    LinkTarget::Action(Action::OpenDeck(d)) => {
                        assert!(
                            h.shows(&lib.deck(d).unwrap().title),
                            "{} -> deck {d}",
                            card.id
                        );
                    }
                    LinkTarget::Action(Action::StartConcern) => {
                        assert_eq!(nav.get_current(), Page::Prepare)
                    }
                    LinkTarget::Action(Action::CheckIn) => {
                        assert_eq!(nav.get_current(), Page::CheckIn)
                    }
                    LinkTarget::Action(Action::UrgentHelp) => {
                        assert!(nav.get_help_open());
                        nav.set_help_open(false);
                    }
                    LinkTarget::Action(Action::Complaints) => {
                        let learn = h.app.window.global::<LearnAdapter>();
                        assert_eq!(learn.get_view(), LearnView::Complaints, "{}", card.id);
                        assert!(h.shows_containing("Where you live"), "{}", card.id);
                    }
                }
            }
        }
    }
}

#[test]
fn swiping_moves_between_cards() {
    let lib = Library::builtin();
    let deck = lib.deck("benefits").unwrap();
    let h = Harness::new();
    open_deck(&h, &deck.title);
    let body = || {
        h.all(&h.app.window.global::<LearnAdapter>().get_card().body)
            .into_iter()
            .next()
            .expect("card body on screen")
    };
    let swipe = |dx: f32| {
        let b = body();
        let p = b.absolute_position();
        let (w, ht) = (b.size().width, b.size().height);
        // A drag from the centre of the card's text, `dx` sideways.
        let target = slint::LogicalPosition::new(p.x + w / 2.0 + dx, p.y + ht / 2.0);
        b.mock_drag(target, slint::platform::PointerEventButton::Left);
        h.settle();
    };
    swipe(-200.0);
    assert!(
        h.shows(&deck.cards[1].title),
        "a left swipe shows the next card"
    );
    swipe(200.0);
    assert!(h.shows(&deck.cards[0].title), "a right swipe goes back");
}

#[test]
fn holding_enter_on_the_bookmark_toggles_it_once() {
    use slint::platform::Key;
    let lib = Library::builtin();
    let deck = lib.deck("alliance").unwrap();
    let h = Harness::new();
    open_deck(&h, &deck.title);
    // From the card reader, Tab reaches "All decks", then the bookmark.
    h.press(Key::Tab);
    h.press(Key::Tab);
    h.press(Key::Space);
    assert!(h.is_checked("Bookmark"), "Tab Tab Space sets the bookmark");
    // Held: one press and a run of auto-repeats, as a keyboard sends them.
    // (Press plus five repeats: acting on each would leave it set.)
    h.hold(Key::Return, 5);
    assert!(!h.is_checked("Bookmark"), "a held key toggles once");
    assert!(h.app.with_data(|d| d.learn.bookmarks.is_empty()));
}

#[test]
fn a_held_arrow_key_steps_through_cards_at_a_readable_pace() {
    use slint::platform::{Key, WindowEvent};
    let lib = Library::builtin();
    let deck = lib.deck("alliance").unwrap();
    let n = deck.cards.len();
    let h = Harness::new();
    open_deck(&h, &deck.title);
    let window = h.app.window.window();
    // A burst of repeats within a moment moves one card, not the whole deck.
    window.dispatch_event(WindowEvent::KeyPressed {
        text: Key::RightArrow.into(),
    });
    for _ in 0..20 {
        window.dispatch_event(WindowEvent::KeyPressRepeated {
            text: Key::RightArrow.into(),
        });
    }
    h.settle();
    assert!(
        h.shows(&card_label(2, n)),
        "one step; labels {:?}",
        h.labels()
    );
    // Repeats spaced out in time keep going, but stop at the last card
    // instead of finishing the deck.
    for _ in 0..3 * n {
        window.dispatch_event(WindowEvent::KeyPressRepeated {
            text: Key::RightArrow.into(),
        });
        h.settle();
    }
    window.dispatch_event(WindowEvent::KeyReleased {
        text: Key::RightArrow.into(),
    });
    h.settle();
    assert!(h.shows(&card_label(n, n)), "held to the last card");
    assert!(h.shows(&deck.cards[n - 1].title));
}

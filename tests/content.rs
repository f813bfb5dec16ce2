//! Checks the shipped Learn content in `assets/cards.json`.

mod readability;

use common_ground::core::cards::{self, Action, Library, REQUIRED_DECKS};
use readability::{card_ease, deck_ease, library_ease};

/// About two minutes at 230 words a minute.
const FIRST_DECK_MAX_WORDS: usize = 450;
const MIN_READING_EASE: f64 = 60.0;

fn library() -> Library {
    Library::parse(cards::BUILTIN_CARDS).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn builtin_content_parses() {
    let lib = Library::builtin();
    assert_eq!(lib, library());
}

#[test]
fn builtin_content_has_no_problems() {
    let problems = library().validate();
    let listed: Vec<String> = problems.iter().map(|p| format!("  - {p}")).collect();
    assert!(
        problems.is_empty(),
        "assets/cards.json has {} problem(s):\n{}",
        problems.len(),
        listed.join("\n")
    );
}

#[test]
fn required_decks_come_in_order() {
    let lib = library();
    let ids: Vec<&str> = lib.decks.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, REQUIRED_DECKS);
}

#[test]
fn decks_have_four_to_eight_cards() {
    for deck in &library().decks {
        assert!(
            (4..=8).contains(&deck.cards.len()),
            "deck '{}' has {} cards",
            deck.id,
            deck.cards.len()
        );
    }
}

#[test]
fn how_to_raise_offers_start_concern_at_least_twice() {
    let lib = library();
    let deck = lib.deck("how-to-raise").expect("how-to-raise deck");
    let with_action = deck
        .cards
        .iter()
        .filter(|c| c.actions().any(|a| *a == Action::StartConcern))
        .count();
    assert!(
        with_action >= 2,
        "only {with_action} card(s) start a concern"
    );
}

#[test]
fn more_than_disagreement_links_to_urgent_help() {
    let lib = library();
    let deck = lib.deck("more-than-disagreement").expect("deck");
    assert!(deck
        .cards
        .iter()
        .any(|c| c.actions().any(|a| *a == Action::UrgentHelp)));
}

#[test]
fn first_deck_reads_in_under_two_minutes() {
    let lib = library();
    let words = lib.deck("ok-to-disagree").expect("deck").reading_words();
    assert!(
        words <= FIRST_DECK_MAX_WORDS,
        "ok-to-disagree has {words} words; keep it to {FIRST_DECK_MAX_WORDS}"
    );
}

#[test]
fn content_is_easy_to_read() {
    let lib = library();
    for deck in &lib.decks {
        println!(
            "{:<24} {} cards, {:>4} words, reading ease {:.1}",
            deck.id,
            deck.cards.len(),
            deck.reading_words(),
            deck_ease(deck)
        );
        for card in &deck.cards {
            println!("    {:<14} {:.1}", card.id, card_ease(card));
        }
    }
    let overall = library_ease(&lib);
    println!("average reading ease {overall:.1}");
    assert!(
        overall >= MIN_READING_EASE,
        "average reading ease {overall:.1} is below {MIN_READING_EASE}"
    );
}

#[test]
fn text_uses_plain_characters_and_tone() {
    // A basic font has these; curly quotes and dashes are easy to paste in.
    let odd: Vec<char> = cards::BUILTIN_CARDS
        .chars()
        .filter(|c| !c.is_ascii())
        .collect();
    assert!(odd.is_empty(), "non-ASCII characters: {odd:?}");
    for card in library().cards() {
        let text = format!(
            "{} {} {}",
            card.title,
            card.body,
            card.try_this.as_deref().unwrap_or("")
        );
        assert!(!text.contains('!'), "card '{}' uses '!'", card.id);
        for american in ["organization", "judgment", "judgmental", "behavior"] {
            assert!(
                !text.to_lowercase().contains(american),
                "card '{}' uses US spelling '{american}'",
                card.id
            );
        }
    }
}

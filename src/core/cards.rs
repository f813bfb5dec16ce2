//! The Learn decks: short cards about disagreeing with a therapist.
//!
//! The content lives in `assets/cards.json` and is compiled into the binary
//! (see [`BUILTIN_CARDS`]). This module parses it into typed decks, checks it
//! for mistakes an editor could make ([`Library::validate`]), including
//! the word counts of card bodies. (How easy the English is to read is a
//! content test: `tests/readability/`.)
//!
//! Ids are stable: progress in the store is keyed by deck and card id, so
//! an id must not change once shipped, even if its text does.

use std::collections::HashSet;
use std::fmt;

use serde::Deserialize;

/// The built-in Learn content, as shipped.
pub const BUILTIN_CARDS: &str = include_str!("../../assets/cards.json");

/// The content format version this code understands.
pub const FORMAT_VERSION: u32 = 1;

/// The decks the app relies on, in the order they are shown.
pub const REQUIRED_DECKS: [&str; 8] = [
    "ok-to-disagree",
    "alliance",
    "open-dialogue",
    "benefits",
    "rights",
    "how-to-raise",
    "other-path",
    "more-than-disagreement",
];

/// Fewest words a card body may have.
pub const MIN_BODY_WORDS: usize = 40;
/// Most words a card body may have.
pub const MAX_BODY_WORDS: usize = 90;

/// All decks, in display order.
#[derive(Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Library {
    pub version: u32,
    pub decks: Vec<Deck>,
}

/// One deck: a short run of cards on a single theme.
#[derive(Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Deck {
    pub id: String,
    pub title: String,
    /// One line for the deck list.
    pub summary: String,
    pub cards: Vec<Card>,
}

/// One card of a deck.
#[derive(Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Card {
    pub id: String,
    pub title: String,
    pub body: String,
    /// A small, private thing the reader could do.
    #[serde(default)]
    pub try_this: Option<String>,
    #[serde(default)]
    pub links: Vec<Link>,
}

/// A button on a card: a label and where it leads.
#[derive(Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(try_from = "RawLink")]
pub struct Link {
    pub label: String,
    pub target: LinkTarget,
}

/// Where a [`Link`] leads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkTarget {
    /// Another card, by id, in any deck.
    Card(String),
    /// Something outside the deck viewer.
    Action(Action),
}

/// What a link can do besides opening a card.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// `start-concern`: open Prepare with a new concern.
    StartConcern,
    /// `check-in`: open the post-session check-in.
    CheckIn,
    /// `urgent-help`: open the "Need help now?" sheet.
    UrgentHelp,
    /// `complaints`: how to raise a complaint, with the professional
    /// bodies of the user's region.
    Complaints,
    /// `open-deck:<deck-id>`: open that deck at its first card.
    OpenDeck(String),
}

const OPEN_DECK_PREFIX: &str = "open-deck:";

impl Action {
    /// Parses the action string used in `cards.json`.
    pub fn parse(s: &str) -> Result<Action, String> {
        match s {
            "start-concern" => Ok(Action::StartConcern),
            "check-in" => Ok(Action::CheckIn),
            "urgent-help" => Ok(Action::UrgentHelp),
            "complaints" => Ok(Action::Complaints),
            _ => match s.strip_prefix(OPEN_DECK_PREFIX) {
                Some(deck) if !deck.trim().is_empty() => Ok(Action::OpenDeck(deck.to_string())),
                Some(_) => Err(format!("action '{s}' names no deck")),
                None => Err(format!(
                    "unknown action '{s}' (expected start-concern, check-in, urgent-help, complaints or open-deck:<deck-id>)"
                )),
            },
        }
    }
}

/// Writes the action back in its `cards.json` form.
impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Action::StartConcern => f.write_str("start-concern"),
            Action::CheckIn => f.write_str("check-in"),
            Action::UrgentHelp => f.write_str("urgent-help"),
            Action::Complaints => f.write_str("complaints"),
            Action::OpenDeck(deck) => write!(f, "{OPEN_DECK_PREFIX}{deck}"),
        }
    }
}

/// The JSON shape of a link, before it is checked.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLink {
    label: String,
    #[serde(default)]
    card: Option<String>,
    #[serde(default)]
    action: Option<String>,
}

impl TryFrom<RawLink> for Link {
    type Error = String;
    fn try_from(raw: RawLink) -> Result<Self, Self::Error> {
        let target = match (raw.card, raw.action) {
            (Some(card), None) => LinkTarget::Card(card),
            (None, Some(action)) => LinkTarget::Action(Action::parse(&action)?),
            (Some(_), Some(_)) => {
                return Err(format!(
                    "link '{}' has both 'card' and 'action'; give exactly one",
                    raw.label
                ))
            }
            (None, None) => {
                return Err(format!(
                    "link '{}' has neither 'card' nor 'action'; give exactly one",
                    raw.label
                ))
            }
        };
        Ok(Link {
            label: raw.label,
            target,
        })
    }
}

/// The content could not be read at all.
#[derive(Debug)]
pub struct ContentError(serde_json::Error);

impl fmt::Display for ContentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "The Learn cards could not be read: {}", self.0)
    }
}

impl std::error::Error for ContentError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0)
    }
}

/// A mistake in content that parsed but is not fit to ship.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ContentProblem {
    UnsupportedVersion(u32),
    MissingDeck(String),
    EmptyDeck(String),
    DuplicateDeckId(String),
    DuplicateCardId(String),
    EmptyDeckTitle(String),
    EmptyCardTitle(String),
    EmptyLinkLabel { card: String },
    BodyLength { card: String, words: usize },
    DanglingCardLink { card: String, target: String },
    DanglingDeckLink { card: String, deck: String },
}

impl fmt::Display for ContentProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ContentProblem::*;
        match self {
            UnsupportedVersion(v) => write!(
                f,
                "The content is version {v}, but this app reads version {FORMAT_VERSION}."
            ),
            MissingDeck(id) => write!(f, "The required deck '{id}' is missing."),
            EmptyDeck(id) => write!(f, "Deck '{id}' has no cards."),
            DuplicateDeckId(id) => write!(f, "More than one deck has the id '{id}'."),
            DuplicateCardId(id) => write!(f, "More than one card has the id '{id}'."),
            EmptyDeckTitle(id) => write!(f, "Deck '{id}' has an empty title."),
            EmptyCardTitle(id) => write!(f, "Card '{id}' has an empty title."),
            EmptyLinkLabel { card } => write!(f, "Card '{card}' has a link with an empty label."),
            BodyLength { card, words } => write!(
                f,
                "Card '{card}' has {words} words in its body; it should have {MIN_BODY_WORDS} to {MAX_BODY_WORDS}."
            ),
            DanglingCardLink { card, target } => write!(
                f,
                "Card '{card}' links to card '{target}', which does not exist."
            ),
            DanglingDeckLink { card, deck } => write!(
                f,
                "Card '{card}' opens deck '{deck}', which does not exist."
            ),
        }
    }
}

impl Library {
    /// The built-in content, as shipped; `tests/content.rs` proves it
    /// parses and is valid.
    pub fn builtin() -> Library {
        Library::parse(BUILTIN_CARDS).expect("assets/cards.json is invalid; run the content test")
    }

    /// Parses `cards.json` text. Unknown fields, unknown actions and links
    /// without exactly one target are errors.
    pub fn parse(json: &str) -> Result<Library, ContentError> {
        serde_json::from_str(json).map_err(ContentError)
    }

    /// Lists every problem found, in a stable order; empty means fit to ship.
    pub fn validate(&self) -> Vec<ContentProblem> {
        let mut problems = Vec::new();
        if self.version != FORMAT_VERSION {
            problems.push(ContentProblem::UnsupportedVersion(self.version));
        }
        for required in REQUIRED_DECKS {
            if self.deck(required).is_none() {
                problems.push(ContentProblem::MissingDeck(required.to_string()));
            }
        }

        let mut deck_ids = HashSet::new();
        let mut card_ids = HashSet::new();
        for deck in &self.decks {
            if !deck_ids.insert(deck.id.as_str()) {
                problems.push(ContentProblem::DuplicateDeckId(deck.id.clone()));
            }
            if deck.title.trim().is_empty() {
                problems.push(ContentProblem::EmptyDeckTitle(deck.id.clone()));
            }
            if deck.cards.is_empty() {
                problems.push(ContentProblem::EmptyDeck(deck.id.clone()));
            }
            for card in &deck.cards {
                if !card_ids.insert(card.id.as_str()) {
                    problems.push(ContentProblem::DuplicateCardId(card.id.clone()));
                }
                if card.title.trim().is_empty() {
                    problems.push(ContentProblem::EmptyCardTitle(card.id.clone()));
                }
                let words = word_count(&card.body);
                if !(MIN_BODY_WORDS..=MAX_BODY_WORDS).contains(&words) {
                    problems.push(ContentProblem::BodyLength {
                        card: card.id.clone(),
                        words,
                    });
                }
            }
        }

        // Links are checked once every id is known, so forward links work.
        for deck in &self.decks {
            for card in &deck.cards {
                for link in &card.links {
                    if link.label.trim().is_empty() {
                        problems.push(ContentProblem::EmptyLinkLabel {
                            card: card.id.clone(),
                        });
                    }
                    match &link.target {
                        LinkTarget::Card(target) if !card_ids.contains(target.as_str()) => problems
                            .push(ContentProblem::DanglingCardLink {
                                card: card.id.clone(),
                                target: target.clone(),
                            }),
                        LinkTarget::Action(Action::OpenDeck(target))
                            if !deck_ids.contains(target.as_str()) =>
                        {
                            problems.push(ContentProblem::DanglingDeckLink {
                                card: card.id.clone(),
                                deck: target.clone(),
                            })
                        }
                        _ => {}
                    }
                }
            }
        }
        problems
    }

    /// The deck with this id.
    pub fn deck(&self, id: &str) -> Option<&Deck> {
        self.decks.iter().find(|d| d.id == id)
    }

    /// The deck holding the card with this id, and the card's index in it.
    pub fn find_card(&self, card_id: &str) -> Option<(&Deck, usize)> {
        self.decks.iter().find_map(|deck| {
            deck.cards
                .iter()
                .position(|c| c.id == card_id)
                .map(|i| (deck, i))
        })
    }

    /// Every card, in display order.
    pub fn cards(&self) -> impl Iterator<Item = &Card> {
        self.decks.iter().flat_map(|d| d.cards.iter())
    }
}

impl Deck {
    /// The card with this id in this deck.
    pub fn card(&self, id: &str) -> Option<&Card> {
        self.cards.iter().find(|c| c.id == id)
    }

    /// Words a reader sees in the whole deck (see [`Card::reading_words`]).
    pub fn reading_words(&self) -> usize {
        self.cards.iter().map(Card::reading_words).sum()
    }
}

impl Card {
    /// Words a reader sees on this card: title, body and prompt.
    pub fn reading_words(&self) -> usize {
        word_count(&self.title)
            + word_count(&self.body)
            + self.try_this.as_deref().map_or(0, word_count)
    }

    /// The action links on this card, in order.
    pub fn actions(&self) -> impl Iterator<Item = &Action> {
        self.links.iter().filter_map(|l| match &l.target {
            LinkTarget::Action(a) => Some(a),
            LinkTarget::Card(_) => None,
        })
    }
}

/// Number of whitespace-separated words.
pub fn word_count(s: &str) -> usize {
    s.split_whitespace().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(words: usize) -> String {
        vec!["word"; words].join(" ")
    }

    /// A small library that passes `validate`, built in code so each test can
    /// break exactly one thing.
    fn good() -> Library {
        let decks = REQUIRED_DECKS
            .iter()
            .map(|id| Deck {
                id: id.to_string(),
                title: format!("Deck {id}"),
                summary: "A summary.".into(),
                cards: vec![Card {
                    id: format!("{id}-1"),
                    title: "A card".into(),
                    body: body(50),
                    try_this: None,
                    links: vec![],
                }],
            })
            .collect();
        Library {
            version: FORMAT_VERSION,
            decks,
        }
    }

    fn link(target: LinkTarget) -> Link {
        Link {
            label: "Go".into(),
            target,
        }
    }

    #[test]
    fn good_library_has_no_problems() {
        assert_eq!(good().validate(), vec![]);
    }

    #[test]
    fn duplicate_card_id_is_reported() {
        let mut lib = good();
        lib.decks[1].cards[0].id = "ok-to-disagree-1".into();
        assert_eq!(
            lib.validate(),
            vec![ContentProblem::DuplicateCardId("ok-to-disagree-1".into())]
        );
    }

    #[test]
    fn duplicate_deck_id_is_reported() {
        let mut lib = good();
        let mut copy = lib.decks[0].clone();
        copy.cards[0].id = "other".into();
        lib.decks.push(copy);
        assert_eq!(
            lib.validate(),
            vec![ContentProblem::DuplicateDeckId("ok-to-disagree".into())]
        );
    }

    #[test]
    fn dangling_links_are_reported() {
        let mut lib = good();
        lib.decks[0].cards[0].links = vec![
            link(LinkTarget::Card("nowhere".into())),
            link(LinkTarget::Card("alliance-1".into())),
            link(LinkTarget::Action(Action::OpenDeck("no-deck".into()))),
            link(LinkTarget::Action(Action::OpenDeck("rights".into()))),
        ];
        assert_eq!(
            lib.validate(),
            vec![
                ContentProblem::DanglingCardLink {
                    card: "ok-to-disagree-1".into(),
                    target: "nowhere".into()
                },
                ContentProblem::DanglingDeckLink {
                    card: "ok-to-disagree-1".into(),
                    deck: "no-deck".into()
                },
            ]
        );
    }

    #[test]
    fn body_length_is_checked_at_both_ends() {
        let mut lib = good();
        lib.decks[0].cards[0].body = body(39);
        lib.decks[1].cards[0].body = body(91);
        lib.decks[2].cards[0].body = body(40);
        lib.decks[3].cards[0].body = body(90);
        assert_eq!(
            lib.validate(),
            vec![
                ContentProblem::BodyLength {
                    card: "ok-to-disagree-1".into(),
                    words: 39
                },
                ContentProblem::BodyLength {
                    card: "alliance-1".into(),
                    words: 91
                },
            ]
        );
    }

    #[test]
    fn missing_and_empty_decks_and_titles_are_reported() {
        let mut lib = good();
        lib.decks.retain(|d| d.id != "benefits");
        lib.decks[0].cards.clear();
        lib.decks[1].title = " ".into();
        lib.decks[2].cards[0].title = String::new();
        lib.decks[3].cards[0].links = vec![Link {
            label: "".into(),
            target: LinkTarget::Action(Action::CheckIn),
        }];
        assert_eq!(
            lib.validate(),
            vec![
                ContentProblem::MissingDeck("benefits".into()),
                ContentProblem::EmptyDeck("ok-to-disagree".into()),
                ContentProblem::EmptyDeckTitle("alliance".into()),
                ContentProblem::EmptyCardTitle("open-dialogue-1".into()),
                ContentProblem::EmptyLinkLabel {
                    card: "rights-1".into()
                },
            ]
        );
    }

    #[test]
    fn wrong_version_is_reported() {
        let mut lib = good();
        lib.version = 2;
        assert_eq!(lib.validate(), vec![ContentProblem::UnsupportedVersion(2)]);
    }

    fn one_card_json(links: &str) -> String {
        format!(
            r#"{{"version": 1, "decks": [{{"id": "d", "title": "D", "summary": "S",
                "cards": [{{"id": "c", "title": "C", "body": "b", "links": {links}}}]}}]}}"#
        )
    }

    #[test]
    fn parses_every_link_shape() {
        let lib = Library::parse(&one_card_json(
            r#"[{"label": "a", "card": "c"},
                {"label": "b", "action": "start-concern"},
                {"label": "c", "action": "check-in"},
                {"label": "d", "action": "urgent-help"},
                {"label": "e", "action": "open-deck:d"}]"#,
        ))
        .unwrap();
        let targets: Vec<_> = lib.decks[0].cards[0]
            .links
            .iter()
            .map(|l| l.target.clone())
            .collect();
        assert_eq!(
            targets,
            vec![
                LinkTarget::Card("c".into()),
                LinkTarget::Action(Action::StartConcern),
                LinkTarget::Action(Action::CheckIn),
                LinkTarget::Action(Action::UrgentHelp),
                LinkTarget::Action(Action::OpenDeck("d".into())),
            ]
        );
        assert_eq!(lib.decks[0].cards[0].try_this, None);
    }

    #[test]
    fn links_and_try_this_are_optional() {
        let json = r#"{"version": 1, "decks": [{"id": "d", "title": "D", "summary": "S",
            "cards": [{"id": "c", "title": "C", "body": "b"}]}]}"#;
        let lib = Library::parse(json).unwrap();
        assert!(lib.decks[0].cards[0].links.is_empty());
    }

    #[test]
    fn unknown_action_fails_to_parse_and_names_it() {
        let err = Library::parse(&one_card_json(
            r#"[{"label": "x", "action": "open-sesame"}]"#,
        ))
        .unwrap_err()
        .to_string();
        assert!(err.contains("unknown action 'open-sesame'"), "{err}");
    }

    #[test]
    fn bad_link_shapes_fail_to_parse() {
        for links in [
            r#"[{"label": "x", "action": "open-deck:"}]"#,
            r#"[{"label": "x"}]"#,
            r#"[{"label": "x", "card": "c", "action": "check-in"}]"#,
            r#"[{"label": "x", "cards": "c"}]"#,
        ] {
            assert!(Library::parse(&one_card_json(links)).is_err(), "{links}");
        }
    }

    #[test]
    fn unknown_fields_fail_to_parse() {
        let json = r#"{"version": 1, "decks": [{"id": "d", "title": "D", "summary": "S",
            "cards": [{"id": "c", "title": "C", "body": "b", "try-this": "typo"}]}]}"#;
        assert!(Library::parse(json).is_err());
    }

    #[test]
    fn actions_round_trip_through_their_strings() {
        for s in [
            "start-concern",
            "check-in",
            "urgent-help",
            "complaints",
            "open-deck:rights",
        ] {
            assert_eq!(Action::parse(s).unwrap().to_string(), s);
        }
    }

    #[test]
    fn problems_name_the_id() {
        let p = ContentProblem::DanglingCardLink {
            card: "ok-1".into(),
            target: "gone".into(),
        };
        assert_eq!(
            p.to_string(),
            "Card 'ok-1' links to card 'gone', which does not exist."
        );
    }

    #[test]
    fn lookups_find_decks_and_cards() {
        let mut lib = good();
        let second = Card {
            id: "second".into(),
            ..lib.decks[2].cards[0].clone()
        };
        lib.decks[2].cards.push(second);
        let (deck, index) = lib.find_card("second").unwrap();
        assert_eq!((deck.id.as_str(), index), ("open-dialogue", 1));
        assert!(lib.find_card("missing").is_none());
        assert_eq!(lib.deck("rights").unwrap().id, "rights");
        assert!(lib.deck("missing").is_none());
        assert_eq!(deck.card("second").unwrap().id, "second");
    }

    #[test]
    fn word_count_splits_on_any_whitespace() {
        assert_eq!(word_count("  one two\nthree\tfour "), 4);
        assert_eq!(word_count(""), 0);
    }
}

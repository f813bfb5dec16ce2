//! Moving through the Learn decks: which card the user is on, what they have
//! read and what they saved. Pure functions over [`LearnProgress`] and the
//! card [`Library`]; the bridge persists the progress and shows the result.

use crate::core::cards::{Action, Card, Deck, Library, LinkTarget};
use crate::core::model::LearnProgress;

/// Where the reader is: a deck and a card index within it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place<'a> {
    pub deck: &'a Deck,
    pub index: usize,
}

impl<'a> Place<'a> {
    pub fn card(&self) -> &'a Card {
        &self.deck.cards[self.index]
    }
    pub fn is_first(&self) -> bool {
        self.index == 0
    }
    pub fn is_last(&self) -> bool {
        self.index + 1 >= self.deck.cards.len()
    }
}

/// What following a card's link asks of the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Followed {
    /// The reader moved to another card (already recorded in the progress).
    Card,
    /// The app should perform this action.
    Action(Action),
    /// The link index did not exist; nothing changed.
    Nothing,
}

/// What `next` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Advance {
    Moved,
    /// The reader was on the last card: the deck is finished.
    Finished,
}

/// The card the user is on in `deck_id`, if that deck exists. A stored
/// position whose card no longer exists falls back to the first card.
pub fn place<'a>(lib: &'a Library, progress: &LearnProgress, deck_id: &str) -> Option<Place<'a>> {
    let deck = lib.deck(deck_id)?;
    if deck.cards.is_empty() {
        return None;
    }
    let index = progress
        .position
        .get(deck_id)
        .and_then(|card_id| deck.cards.iter().position(|c| &c.id == card_id))
        .unwrap_or(0);
    Some(Place { deck, index })
}

/// The deck the reader is in now, if any.
pub fn current<'a>(lib: &'a Library, progress: &LearnProgress) -> Option<Place<'a>> {
    place(lib, progress, progress.last_deck.as_deref()?)
}

fn set_place(progress: &mut LearnProgress, deck: &Deck, index: usize) {
    let card = &deck.cards[index];
    progress.last_deck = Some(deck.id.clone());
    progress.position.insert(deck.id.clone(), card.id.clone());
    progress.seen.insert(card.id.clone());
}

/// How many cards of `deck` the user has seen.
pub fn seen_in(deck: &Deck, progress: &LearnProgress) -> usize {
    deck.cards
        .iter()
        .filter(|c| progress.seen.contains(&c.id))
        .count()
}

pub fn is_finished(deck: &Deck, progress: &LearnProgress) -> bool {
    seen_in(deck, progress) == deck.cards.len()
}

/// Opens a deck where the user left it. A deck read to the end opens at
/// its first card again, so that it can be re-read.
pub fn open_deck(lib: &Library, progress: &mut LearnProgress, deck_id: &str) -> bool {
    let Some(at) = place(lib, progress, deck_id) else {
        return false;
    };
    let index = if at.is_last() && is_finished(at.deck, progress) {
        0
    } else {
        at.index
    };
    set_place(progress, at.deck, index);
    true
}

/// Opens a card wherever it is, for saved cards and card links.
pub fn open_card(lib: &Library, progress: &mut LearnProgress, card_id: &str) -> bool {
    match lib.find_card(card_id) {
        Some((deck, index)) => {
            set_place(progress, deck, index);
            true
        }
        None => false,
    }
}

/// Moves to the next card of the current deck.
pub fn next(lib: &Library, progress: &mut LearnProgress) -> Option<Advance> {
    let at = current(lib, progress)?;
    if at.is_last() {
        progress.seen.insert(at.card().id.clone());
        return Some(Advance::Finished);
    }
    set_place(progress, at.deck, at.index + 1);
    Some(Advance::Moved)
}

/// Moves to the previous card; stays on the first.
pub fn back(lib: &Library, progress: &mut LearnProgress) -> bool {
    match current(lib, progress) {
        Some(at) if !at.is_first() => {
            set_place(progress, at.deck, at.index - 1);
            true
        }
        _ => false,
    }
}

/// Saves or unsaves a card; returns whether it is now saved.
pub fn toggle_bookmark(progress: &mut LearnProgress, card_id: &str) -> bool {
    if let Some(pos) = progress.bookmarks.iter().position(|id| id == card_id) {
        progress.bookmarks.remove(pos);
        false
    } else {
        progress.bookmarks.push(card_id.to_string());
        true
    }
}

pub fn is_bookmarked(progress: &LearnProgress, card_id: &str) -> bool {
    progress.bookmarks.iter().any(|id| id == card_id)
}

/// Follows link `index` of the current card.
pub fn follow_link(lib: &Library, progress: &mut LearnProgress, index: usize) -> Followed {
    let Some(at) = current(lib, progress) else {
        return Followed::Nothing;
    };
    match at.card().links.get(index).map(|l| &l.target) {
        Some(LinkTarget::Card(id)) => {
            let id = id.clone();
            if open_card(lib, progress, &id) {
                Followed::Card
            } else {
                Followed::Nothing
            }
        }
        Some(LinkTarget::Action(Action::OpenDeck(deck))) => {
            let deck = deck.clone();
            if open_deck(lib, progress, &deck) {
                Followed::Card
            } else {
                Followed::Nothing
            }
        }
        Some(LinkTarget::Action(action)) => Followed::Action(action.clone()),
        None => Followed::Nothing,
    }
}

/// Where "continue learning" should take the user: the deck they were in
/// unless they finished it, else the first deck with unread cards.
pub fn continue_point<'a>(lib: &'a Library, progress: &LearnProgress) -> Option<Place<'a>> {
    if let Some(at) = current(lib, progress) {
        if !is_finished(at.deck, progress) {
            return Some(at);
        }
    }
    lib.decks
        .iter()
        .filter(|d| !d.cards.is_empty() && !is_finished(d, progress))
        .find_map(|d| {
            let stored = place(lib, progress, &d.id)?;
            let index = if progress.position.contains_key(&d.id) {
                stored.index
            } else {
                d.cards
                    .iter()
                    .position(|c| !progress.seen.contains(&c.id))
                    .unwrap_or(0)
            };
            Some(Place { deck: d, index })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lib() -> Library {
        Library::builtin()
    }

    #[test]
    fn opening_a_deck_starts_at_the_first_card_and_records_it() {
        let lib = lib();
        let mut p = LearnProgress::default();
        assert!(open_deck(&lib, &mut p, "ok-to-disagree"));
        let at = current(&lib, &p).unwrap();
        assert_eq!(at.index, 0);
        assert!(p.seen.contains(&at.card().id));
        assert!(!open_deck(&lib, &mut p, "no-such-deck"));
    }

    #[test]
    fn next_and_back_walk_the_deck_and_finish_at_the_end() {
        let lib = lib();
        let mut p = LearnProgress::default();
        open_deck(&lib, &mut p, "ok-to-disagree");
        let n = lib.deck("ok-to-disagree").unwrap().cards.len();
        for i in 1..n {
            assert_eq!(next(&lib, &mut p), Some(Advance::Moved));
            assert_eq!(current(&lib, &p).unwrap().index, i);
        }
        assert_eq!(next(&lib, &mut p), Some(Advance::Finished));
        assert!(is_finished(lib.deck("ok-to-disagree").unwrap(), &p));
        // A deck finished on its last card opens at the start again.
        open_deck(&lib, &mut p, "ok-to-disagree");
        assert_eq!(current(&lib, &p).unwrap().index, 0);
        assert!(!back(&lib, &mut p), "no card before the first");
        // Anywhere else, it opens where the reader left it.
        while next(&lib, &mut p) == Some(Advance::Moved) {}
        assert!(back(&lib, &mut p));
        assert_eq!(current(&lib, &p).unwrap().index, n - 2);
        open_deck(&lib, &mut p, "ok-to-disagree");
        assert_eq!(current(&lib, &p).unwrap().index, n - 2);
    }

    #[test]
    fn position_survives_a_round_trip_through_json() {
        let lib = lib();
        let mut p = LearnProgress::default();
        open_deck(&lib, &mut p, "alliance");
        next(&lib, &mut p);
        toggle_bookmark(&mut p, "x");
        let json = serde_json::to_string(&p).unwrap();
        let back_again: LearnProgress = serde_json::from_str(&json).unwrap();
        assert_eq!(current(&lib, &back_again).unwrap().index, 1);
        assert!(is_bookmarked(&back_again, "x"));
    }

    #[test]
    fn a_vanished_card_falls_back_to_the_first() {
        let lib = lib();
        let mut p = LearnProgress {
            last_deck: Some("alliance".into()),
            ..LearnProgress::default()
        };
        p.position.insert("alliance".into(), "removed-card".into());
        assert_eq!(current(&lib, &p).unwrap().index, 0);
    }

    #[test]
    fn bookmarks_toggle() {
        let mut p = LearnProgress::default();
        assert!(toggle_bookmark(&mut p, "a"));
        assert!(toggle_bookmark(&mut p, "b"));
        assert!(!toggle_bookmark(&mut p, "a"));
        assert_eq!(p.bookmarks, vec!["b".to_string()]);
    }

    #[test]
    fn links_open_cards_or_return_actions() {
        let lib = lib();
        let mut p = LearnProgress::default();
        // Find a card with a start-concern action and one with a card link.
        for deck in &lib.decks {
            for card in &deck.cards {
                for (i, link) in card.links.iter().enumerate() {
                    open_card(&lib, &mut p, &card.id);
                    let followed = follow_link(&lib, &mut p, i);
                    match &link.target {
                        LinkTarget::Card(id) => {
                            assert_eq!(followed, Followed::Card);
                            assert_eq!(&current(&lib, &p).unwrap().card().id, id);
                        }
                        LinkTarget::Action(Action::OpenDeck(d)) => {
                            assert_eq!(followed, Followed::Card);
                            assert_eq!(&current(&lib, &p).unwrap().deck.id, d);
                        }
                        LinkTarget::Action(a) => assert_eq!(followed, Followed::Action(a.clone())),
                    }
                }
            }
        }
        open_card(&lib, &mut p, &lib.decks[0].cards[0].id);
        assert_eq!(follow_link(&lib, &mut p, 99), Followed::Nothing);
    }

    #[test]
    fn continue_point_prefers_the_current_unfinished_deck() {
        let lib = lib();
        let mut p = LearnProgress::default();
        let first = continue_point(&lib, &p).unwrap();
        assert_eq!(first.deck.id, lib.decks[0].id);
        assert_eq!(first.index, 0);
        open_deck(&lib, &mut p, "rights");
        next(&lib, &mut p);
        let at = continue_point(&lib, &p).unwrap();
        assert_eq!((at.deck.id.as_str(), at.index), ("rights", 1));
        // Finish "rights": continue moves to the first unfinished deck.
        while next(&lib, &mut p) == Some(Advance::Moved) {}
        let at = continue_point(&lib, &p).unwrap();
        assert_eq!(at.deck.id, lib.decks[0].id);
    }
}

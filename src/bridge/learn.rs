//! Learn: the deck list, the card reader, saved cards, and how to raise a
//! complaint (the professional bodies of the user's region).

use std::cell::Cell;
use std::rc::Rc;

use slint::{ComponentHandle, SharedString, VecModel};

use super::changes::Slices;
use super::convert::ui_topic;
use super::rows::{bound, list, shown, sync_rows};
use super::shared::{act, act1, Page, Shared};
use crate::core::cards::{Action, Library, LinkTarget};
use crate::core::complaints::ComplaintsContent;
use crate::core::help::Region;
use crate::core::learn::{self, Advance, Followed};
use crate::core::model::LearnProgress;
use crate::ui::{
    AppWindow, CardLink, CardView, ComplaintBody, Complaints, DeckSummary, LearnAdapter, LearnView,
    Nav, PrepareAdapter, SavedCard,
};

pub(crate) struct LearnPage {
    shared: Rc<Shared>,
    decks: Rc<VecModel<DeckSummary>>,
    saved: Rc<VecModel<SavedCard>>,
    links: Rc<VecModel<CardLink>>,
    /// How to raise a complaint, per region (`assets/complaints.json`).
    complaints: ComplaintsContent,
    bodies: Rc<VecModel<ComplaintBody>>,
    /// The region whose bodies `bodies` holds.
    region: Cell<Option<Region>>,
    /// Where "Back" from the complaints goes.
    before_complaints: Cell<LearnView>,
}

type Open = fn(&Library, &mut LearnProgress, &str) -> bool;

impl LearnPage {
    pub fn install(shared: &Rc<Shared>, ui: &AppWindow) -> Rc<LearnPage> {
        let a = ui.global::<LearnAdapter>();
        let page = Rc::new(LearnPage {
            shared: shared.clone(),
            decks: bound(|m| a.set_decks(m)),
            saved: bound(|m| a.set_saved(m)),
            links: list(),
            complaints: ComplaintsContent::builtin(),
            bodies: list(),
            region: Cell::new(None),
            before_complaints: Cell::new(LearnView::Decks),
        });

        a.on_open_deck(act1(&page, |p, id| p.open(learn::open_deck, &id)));
        a.on_open_card(act1(&page, |p, id| p.open(learn::open_card, &id)));
        a.on_next(act(&page, |p| p.next()));
        a.on_back(act(&page, |p| {
            let lib = &p.shared.library;
            p.shared
                .change(Slices::LEARN, |d| learn::back(lib, &mut d.learn));
        }));
        a.on_toggle_bookmark(act(&page, |p| p.toggle_bookmark()));
        a.on_follow_link(act1(&page, |p, index| p.follow_link(index)));
        a.on_show_decks(act(&page, |p| p.show(LearnView::Decks)));
        a.on_show_saved(act(&page, |p| p.show(LearnView::Saved)));
        a.on_show_complaints(act(&page, |p| p.show_complaints()));
        a.on_leave_complaints(act(&page, |p| p.show(p.before_complaints.get())));
        shared.subscribe(&page, Slices::LEARN | Slices::SETTINGS | Slices::STORE);
        page
    }

    /// How to raise a complaint, from a card or Prepare's ethics guidance;
    /// "Back" returns to where it was opened.
    fn show_complaints(&self) {
        let Some(ui) = self.shared.window.upgrade() else {
            return;
        };
        let a = ui.global::<LearnAdapter>();
        if a.get_view() != LearnView::Complaints {
            self.before_complaints.set(a.get_view());
        }
        self.show_region(&a);
        a.set_view(LearnView::Complaints);
        ui.global::<Nav>().invoke_go(crate::ui::Page::Learn);
    }

    /// The complaints of the region chosen in Settings (when it changed).
    fn show_region(&self, a: &LearnAdapter) {
        let id = self.shared.region();
        if self.region.get() == Some(id) {
            return;
        }
        self.region.set(Some(id));
        let c = &self.complaints;
        let bodies = c.region(id);
        sync_rows(
            &self.bodies,
            bodies.bodies.iter().map(|b| ComplaintBody {
                name: b.name.as_str().into(),
                does: b.does.as_str().into(),
            }),
        );
        a.set_complaints(Complaints {
            title: c.title.as_str().into(),
            intro: c.intro.as_str().into(),
            bodies_intro: c.bodies_intro.as_str().into(),
            region: self.shared.help.region(id).name.as_str().into(),
            bodies: shown(&self.bodies),
            no_bodies: bodies.none.as_str().into(),
            closing: c.closing.as_str().into(),
        });
    }

    fn show(&self, view: LearnView) {
        self.shared
            .in_window(|ui| ui.global::<LearnAdapter>().set_view(view));
    }

    /// Opens a deck or card by id and shows the reader.
    fn open(&self, open: Open, id: &SharedString) {
        let lib = &self.shared.library;
        let opened = self
            .shared
            .change(Slices::LEARN, |d| open(lib, &mut d.learn, id));
        if opened {
            self.show(LearnView::Card);
        }
    }

    fn next(&self) {
        let lib = &self.shared.library;
        let result = self
            .shared
            .change(Slices::LEARN, |d| learn::next(lib, &mut d.learn));
        if result == Some(Advance::Finished) {
            self.show(LearnView::Decks);
        }
    }

    fn toggle_bookmark(&self) {
        let lib = &self.shared.library;
        let card = self
            .shared
            .data(|d| learn::current(lib, &d.learn).map(|at| at.card().id.clone()));
        if let Some(card) = card {
            // A deliberate act: saved straight away, off the UI thread.
            self.shared.change_soon(Slices::LEARN, |d| {
                learn::toggle_bookmark(&mut d.learn, &card);
            });
        }
    }

    fn follow_link(&self, index: i32) {
        let lib = &self.shared.library;
        // The card the link is on picks the topic of a new concern.
        let topic = self.shared.data(|d| {
            learn::current(lib, &d.learn)
                .and_then(|at| self.shared.prepare.card_topics.get(&at.card().id).copied())
        });
        let followed = self.shared.change(Slices::LEARN, |d| {
            learn::follow_link(lib, &mut d.learn, index.max(0) as usize)
        });
        let Some(ui) = self.shared.window.upgrade() else {
            return;
        };
        let nav = ui.global::<Nav>();
        match followed {
            Followed::Card => self.show(LearnView::Card),
            Followed::Action(Action::StartConcern) => {
                let prepare = ui.global::<PrepareAdapter>();
                match topic {
                    Some(t) => prepare.invoke_start_with(ui_topic(t)),
                    None => prepare.invoke_start(),
                }
            }
            Followed::Action(Action::CheckIn) => nav.invoke_go(crate::ui::Page::CheckIn),
            Followed::Action(Action::UrgentHelp) => nav.set_help_open(true),
            Followed::Action(Action::Complaints) => self.show_complaints(),
            // Resolved to a card by `follow_link`; listed for completeness.
            Followed::Action(Action::OpenDeck(_)) => self.show(LearnView::Card),
            Followed::Nothing => {}
        }
    }
}

impl Page for LearnPage {
    fn refresh(&self, ui: &AppWindow, _: Slices) {
        let store = self.shared.store.borrow();
        let progress = &store.data().learn;
        let lib = &self.shared.library;
        let a = ui.global::<LearnAdapter>();
        self.show_region(&a);

        sync_rows(
            &self.decks,
            lib.decks.iter().map(|deck| DeckSummary {
                id: deck.id.as_str().into(),
                title: deck.title.as_str().into(),
                summary: deck.summary.as_str().into(),
                seen: learn::seen_in(deck, progress) as i32,
                total: deck.cards.len() as i32,
            }),
        );
        sync_rows(
            &self.saved,
            progress
                .bookmarks
                .iter()
                .filter_map(|id| lib.find_card(id))
                .map(|(deck, index)| SavedCard {
                    id: deck.cards[index].id.as_str().into(),
                    title: deck.cards[index].title.as_str().into(),
                    deck_title: deck.title.as_str().into(),
                }),
        );

        let Some(at) = learn::current(lib, progress) else {
            if a.get_view() == LearnView::Card {
                a.set_view(LearnView::Decks);
            }
            return;
        };
        let card = at.card();
        sync_rows(
            &self.links,
            card.links.iter().enumerate().map(|(i, link)| CardLink {
                label: link.label.as_str().into(),
                index: i as i32,
                is_action: matches!(&link.target,
                    LinkTarget::Action(a) if !matches!(a, Action::OpenDeck(_))),
            }),
        );
        a.set_card(CardView {
            id: card.id.as_str().into(),
            deck_id: at.deck.id.as_str().into(),
            deck_title: at.deck.title.as_str().into(),
            title: card.title.as_str().into(),
            body: card.body.as_str().into(),
            try_this: card.try_this.as_deref().unwrap_or_default().into(),
            number: at.index as i32 + 1,
            count: at.deck.cards.len() as i32,
            bookmarked: learn::is_bookmarked(progress, &card.id),
            links: shown(&self.links),
        });
    }
}

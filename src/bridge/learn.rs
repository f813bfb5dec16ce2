//! Learn page adapter: the deck list, the card reader and saved cards.

use std::rc::Rc;

use slint::{ComponentHandle, ModelRc, VecModel};

use super::{Ctx, Dirty};
use crate::core::cards::{Action, Library, LinkTarget};
use crate::core::learn::{self, Advance, Followed};
use crate::core::model::LearnProgress;
use crate::ui::{
    AppWindow, CardLink, CardView, DeckSummary, LearnAdapter, LearnView, Nav, Page, SavedCard,
};

fn with_ctx(weak: &std::rc::Weak<Ctx>, f: impl FnOnce(&Rc<Ctx>)) {
    if let Some(ctx) = weak.upgrade() {
        f(&ctx);
    }
}

fn show(ctx: &Rc<Ctx>, view: LearnView) {
    if let Some(ui) = ctx.window.upgrade() {
        ui.global::<LearnAdapter>().set_view(view);
    }
}

/// A callback that opens a deck or card by id and shows the reader.
fn opener(
    ctx: &Rc<Ctx>,
    open: fn(&Library, &mut LearnProgress, &str) -> bool,
) -> impl Fn(slint::SharedString) + 'static {
    let weak = Rc::downgrade(ctx);
    move |id| {
        with_ctx(&weak, |ctx| {
            let mut opened = false;
            ctx.change(Dirty::LEARN | Dirty::HOME, |d| {
                opened = open(&ctx.library, &mut d.learn, &id)
            });
            if opened {
                show(ctx, LearnView::Card);
            }
        })
    }
}

pub(super) fn install(ctx: &Rc<Ctx>, ui: &AppWindow) {
    let adapter = ui.global::<LearnAdapter>();

    adapter.on_open_deck(opener(ctx, learn::open_deck));
    adapter.on_open_card(opener(ctx, learn::open_card));

    let weak = Rc::downgrade(ctx);
    adapter.on_next(move || {
        with_ctx(&weak, |ctx| {
            let mut result = None;
            ctx.change(Dirty::LEARN | Dirty::HOME, |d| {
                result = learn::next(&ctx.library, &mut d.learn)
            });
            if result == Some(Advance::Finished) {
                show(ctx, LearnView::Decks);
            }
        })
    });

    let weak = Rc::downgrade(ctx);
    adapter.on_back(move || {
        with_ctx(&weak, |ctx| {
            ctx.change(Dirty::LEARN | Dirty::HOME, |d| {
                learn::back(&ctx.library, &mut d.learn);
            })
        })
    });

    let weak = Rc::downgrade(ctx);
    adapter.on_toggle_bookmark(move || {
        with_ctx(&weak, |ctx| {
            let card_id = {
                let store = ctx.store.borrow();
                learn::current(&ctx.library, &store.data().learn).map(|at| at.card().id.clone())
            };
            if let Some(card_id) = card_id {
                // A deliberate act: saved straight away, off the UI thread.
                ctx.change_soon(Dirty::LEARN, |d| {
                    learn::toggle_bookmark(&mut d.learn, &card_id);
                });
            }
        })
    });

    let weak = Rc::downgrade(ctx);
    adapter.on_follow_link(move |index| {
        with_ctx(&weak, |ctx| {
            // The card the link is on picks the topic of a new concern.
            let topic = {
                let store = ctx.store.borrow();
                learn::current(&ctx.library, &store.data().learn)
                    .and_then(|at| ctx.prepare.card_topics.get(&at.card().id).copied())
            };
            let mut followed = Followed::Nothing;
            ctx.change(Dirty::LEARN | Dirty::HOME, |d| {
                followed = learn::follow_link(&ctx.library, &mut d.learn, index.max(0) as usize)
            });
            let Some(ui) = ctx.window.upgrade() else {
                return;
            };
            let nav = ui.global::<Nav>();
            match followed {
                Followed::Card => show(ctx, LearnView::Card),
                Followed::Action(Action::StartConcern) => super::prepare::start_concern(ctx, topic),
                Followed::Action(Action::CheckIn) => nav.invoke_go(Page::CheckIn),
                Followed::Action(Action::UrgentHelp) => nav.set_help_open(true),
                // Resolved to a card by `follow_link`; listed for completeness.
                Followed::Action(Action::OpenDeck(_)) => show(ctx, LearnView::Card),
                Followed::Nothing => {}
            }
        })
    });

    let weak = Rc::downgrade(ctx);
    adapter.on_show_decks(move || with_ctx(&weak, |ctx| show(ctx, LearnView::Decks)));
    let weak = Rc::downgrade(ctx);
    adapter.on_show_saved(move || with_ctx(&weak, |ctx| show(ctx, LearnView::Saved)));
}

pub(super) fn refresh(ctx: &Rc<Ctx>, ui: &AppWindow) {
    let store = ctx.store.borrow();
    let progress = &store.data().learn;
    let lib = &ctx.library;
    let adapter = ui.global::<LearnAdapter>();

    let decks: Vec<DeckSummary> = lib
        .decks
        .iter()
        .map(|deck| DeckSummary {
            id: deck.id.as_str().into(),
            title: deck.title.as_str().into(),
            summary: deck.summary.as_str().into(),
            seen: learn::seen_in(deck, progress) as i32,
            total: deck.cards.len() as i32,
        })
        .collect();
    adapter.set_decks(ModelRc::new(VecModel::from(decks)));

    let saved: Vec<SavedCard> = progress
        .bookmarks
        .iter()
        .filter_map(|id| lib.find_card(id))
        .map(|(deck, index)| SavedCard {
            id: deck.cards[index].id.as_str().into(),
            title: deck.cards[index].title.as_str().into(),
            deck_title: deck.title.as_str().into(),
        })
        .collect();
    adapter.set_saved(ModelRc::new(VecModel::from(saved)));

    if let Some(at) = learn::current(lib, progress) {
        let card = at.card();
        let links: Vec<CardLink> = card
            .links
            .iter()
            .enumerate()
            .map(|(i, link)| CardLink {
                label: link.label.as_str().into(),
                index: i as i32,
                is_action: matches!(&link.target, LinkTarget::Action(a) if !matches!(a, Action::OpenDeck(_))),
            })
            .collect();
        adapter.set_card(CardView {
            id: card.id.as_str().into(),
            deck_id: at.deck.id.as_str().into(),
            deck_title: at.deck.title.as_str().into(),
            title: card.title.as_str().into(),
            body: card.body.as_str().into(),
            try_this: card.try_this.as_deref().unwrap_or_default().into(),
            number: at.index as i32 + 1,
            count: at.deck.cards.len() as i32,
            bookmarked: learn::is_bookmarked(progress, &card.id),
            links: ModelRc::new(VecModel::from(links)),
        });
    } else if adapter.get_view() == LearnView::Card {
        adapter.set_view(LearnView::Decks);
    }
}

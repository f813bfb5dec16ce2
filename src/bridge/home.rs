//! Home page adapter: the agenda, the check-in prompt and "continue learning".

use std::rc::Rc;

use slint::{ComponentHandle, SharedString};

use super::{Ctx, Dirty};
use crate::core::learn;
use crate::core::locale::DateOrder;
use crate::core::prepare;
use crate::ui::{AppWindow, Dates, HomeAdapter, LearnAdapter, LearnView, Nav, Page};

pub(super) fn install(ctx: &Rc<Ctx>, ui: &AppWindow, order: DateOrder) {
    // Every date the UI shows (Home's, the restore notice's) is written
    // in this order.
    ui.global::<Dates>().set_order(match order {
        DateOrder::DayMonth => crate::ui::DateOrder::DayMonth,
        DateOrder::MonthDay => crate::ui::DateOrder::MonthDay,
    });
    super::clock::show_today(ui.as_weak());
    let weak = Rc::downgrade(ctx);
    ui.global::<HomeAdapter>().on_continue_learning(move || {
        let Some(ctx) = weak.upgrade() else { return };
        let target = {
            let store = ctx.store.borrow();
            learn::continue_point(&ctx.library, &store.data().learn)
                .map(|at| (at.deck.id.clone(), at.card().id.clone()))
        };
        if let Some((_, card_id)) = target {
            ctx.change(Dirty::LEARN | Dirty::HOME, |d| {
                learn::open_card(&ctx.library, &mut d.learn, &card_id);
            });
        }
        if let Some(ui) = ctx.window.upgrade() {
            ui.global::<LearnAdapter>().set_view(LearnView::Card);
            ui.global::<Nav>().invoke_go(Page::Learn);
        }
    });
}

pub(super) fn refresh(ctx: &Rc<Ctx>, ui: &AppWindow) {
    let store = ctx.store.borrow();
    let data = store.data();
    let home = ui.global::<HomeAdapter>();

    // The "Next session" card: how many are waiting and the top one.
    let agenda = prepare::agenda(data);
    home.set_agenda_count(agenda.len() as i32);
    match agenda.first() {
        Some(top) => {
            home.set_agenda_top(prepare::title(&ctx.prepare, &top.body, 70).into());
            home.set_agenda_top_line(prepare::lead_line(&top.body).into());
            home.set_agenda_top_id(top.id.as_str().into());
        }
        None => {
            home.set_agenda_top(SharedString::default());
            home.set_agenda_top_line(SharedString::default());
            home.set_agenda_top_id(SharedString::default());
        }
    }
    home.set_drafts_count(prepare::drafts(data).len() as i32);

    let started = !data.learn.seen.is_empty();
    match learn::continue_point(&ctx.library, &data.learn) {
        Some(at) if started => {
            home.set_has_learning(true);
            home.set_continue_deck(at.deck.title.as_str().into());
            home.set_continue_card(at.card().title.as_str().into());
            home.set_continue_number(at.index as i32 + 1);
            home.set_continue_count(at.deck.cards.len() as i32);
        }
        _ => home.set_has_learning(false),
    }
}

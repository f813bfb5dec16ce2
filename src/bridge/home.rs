//! Home: today's date and "continue learning". The "next session" card
//! reads Prepare's own lists (`PrepareAdapter.agenda`, `.drafts`), and the
//! nudge Insights' own flag: nothing of theirs is copied here.

use std::rc::Rc;

use slint::ComponentHandle;

use super::changes::Slices;
use super::shared::{with, Page, Shared};
use crate::core::learn;
use crate::core::locale::DateOrder;
use crate::ui::{AppWindow, Dates, HomeAdapter, LearnAdapter, Nav};

pub(crate) struct HomePage {
    shared: Rc<Shared>,
}

impl HomePage {
    pub fn install(shared: &Rc<Shared>, ui: &AppWindow, order: DateOrder) -> Rc<HomePage> {
        let page = Rc::new(HomePage {
            shared: shared.clone(),
        });
        // Every date the UI shows is written in this order.
        ui.global::<Dates>().set_order(match order {
            DateOrder::DayMonth => crate::ui::DateOrder::DayMonth,
            DateOrder::MonthDay => crate::ui::DateOrder::MonthDay,
        });
        super::clock::show_today(ui.as_weak());
        let w = Rc::downgrade(&page);
        ui.global::<HomeAdapter>()
            .on_continue_learning(move || with(&w, |p| p.continue_learning()));
        shared.subscribe(&page, Slices::LEARN | Slices::STORE);
        page
    }

    /// Opens the card to continue with (the first one for a newcomer) in
    /// Learn, through Learn's own callback.
    fn continue_learning(&self) {
        let card = self.shared.data(|d| {
            learn::continue_point(&self.shared.library, &d.learn).map(|at| at.card().id.clone())
        });
        let Some(ui) = self.shared.window.upgrade() else {
            return;
        };
        if let Some(card) = card {
            ui.global::<LearnAdapter>().invoke_open_card(card.into());
        }
        ui.global::<Nav>().invoke_go(crate::ui::Page::Learn);
    }
}

impl Page for HomePage {
    fn refresh(&self, ui: &AppWindow, _: Slices) {
        let home = ui.global::<HomeAdapter>();
        let store = self.shared.store.borrow();
        let progress = &store.data().learn;
        let started = !progress.seen.is_empty();
        match learn::continue_point(&self.shared.library, progress) {
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
}

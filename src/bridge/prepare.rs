//! Prepare: the concern builder, the agenda, the in-session view,
//! outcomes and history.
//!
//! Typing never rebuilds a model: the text fields are two-way bound to
//! `PrepareAdapter`'s properties, and a keystroke only reaches the core
//! (`prepare::set_text`, debounced autosave). The builder's small models
//! change by row when its step or choices change; the lists when a concern
//! changes state. History is a lazy model: a row is built when the
//! virtualised list shows it.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use chrono::{DateTime, Utc};
use slint::{ComponentHandle, SharedString, VecModel};

use super::changes::Slices;
use super::clock::moment;
use super::convert::{
    core_field, core_reaction, core_response, core_topic, core_way, ui_field, ui_reaction,
    ui_response, ui_state, ui_topic, ui_way,
};
use super::rows::{bound, id_key, list, shown, sync_rows, LazyRows};
use super::shared::{act, act1, act2, Page, Shared};
use super::undo::UndoSlot;
use crate::core::model::{
    Concern, ConcernState, Data, HeldBack, Reaction, Record, Response, Topic, UnsaidMark,
};
use crate::core::prepare::{self, Actions, Field, PrepareContent, StepError, TITLE_CHARS};
use crate::core::unsaid;
use crate::ui::{
    AppWindow, Choice, ConcernDetail, ConcernRow, DetailKind, DetailPart, GuideCard, LearnAdapter,
    LearnView, Nav, PrepareAdapter, PrepareView, ResponseChoice, StepProblem, TopicChoice,
    UnsaidRow, WayChoice,
};

/// How many Unsaid items the overview shows before "Show all".
const UNSAID_SHOWN: usize = 5;

/// Next or Skip in the core: moves the draft on, or says why not.
type StepMove = fn(&PrepareContent, &mut Data, &str, DateTime<Utc>) -> Result<u8, StepError>;

/// What Undo puts back.
enum Undo {
    Deleted(Box<prepare::Deleted>),
    /// Set aside from the agenda, at this position.
    Removed {
        id: String,
        agenda_index: usize,
    },
}

/// The outcome form's choices until they are saved.
#[derive(Default, Clone)]
struct OutcomeDraft {
    response: Option<Response>,
    settled: bool,
}

/// One row of history: which concern, and what its row shows. Rows are
/// equal when they show the same thing, wherever the record sits.
#[derive(Clone, Copy)]
struct HistoryKey {
    at: usize,
    id: u64,
    updated: DateTime<Utc>,
    first_in_group: bool,
}

impl PartialEq for HistoryKey {
    fn eq(&self, other: &Self) -> bool {
        (self.id, self.updated, self.first_in_group)
            == (other.id, other.updated, other.first_in_group)
    }
}

pub(crate) struct PreparePage {
    shared: Rc<Shared>,
    /// The concern shown in the in-session, outcome or detail view.
    current: RefCell<Option<String>>,
    outcome: RefCell<OutcomeDraft>,
    undo: UndoSlot<Undo>,
    topics: Rc<VecModel<TopicChoice>>,
    feelings: Rc<VecModel<Choice>>,
    ways: Rc<VecModel<WayChoice>>,
    openers: Rc<VecModel<SharedString>>,
    drafts: Rc<VecModel<ConcernRow>>,
    agenda: Rc<VecModel<ConcernRow>>,
    /// Raised concerns waiting for how it went (shown on the overview and
    /// Home until said or closed).
    awaiting: Rc<VecModel<ConcernRow>>,
    history: Rc<LazyRows<HistoryKey, ConcernRow>>,
    responses: Rc<VecModel<ResponseChoice>>,
    parts: Rc<VecModel<DetailPart>>,
    /// The private Unsaid list (newest first, the first few unless all
    /// were asked for).
    unsaid: Rc<VecModel<UnsaidRow>>,
    unsaid_all: Cell<bool>,
    /// The item last let go, and the mark it had, for Undo.
    let_go: UndoSlot<(String, Option<UnsaidMark>)>,
}

fn row(content: &PrepareContent, r: &Record<Concern>) -> ConcernRow {
    ConcernRow {
        id: r.id.as_str().into(),
        title: prepare::title(content, &r.body, TITLE_CHARS).into(),
        state: ui_state(r.body.state),
        detail: prepare::lead_line(&r.body).into(),
        step: r.body.step.clamp(1, prepare::STEPS) as i32,
        first_in_group: false,
    }
}

fn topics_summary(content: &PrepareContent, c: &Concern) -> String {
    let mut parts: Vec<String> = c
        .topics
        .iter()
        .filter(|t| **t != Topic::Other)
        .map(|t| content.topic(*t).label.clone())
        .collect();
    if c.topics.contains(&Topic::Other) {
        if c.other_topic.trim().is_empty() {
            parts.push(content.topic(Topic::Other).label.clone());
        } else {
            parts.push(c.other_topic.clone());
        }
    }
    parts.join(", ")
}

fn feelings_summary(content: &PrepareContent, c: &Concern) -> String {
    let labels: Vec<&str> = c
        .feelings
        .iter()
        .filter_map(|id| content.emotions.iter().find(|e| &e.id == id))
        .map(|e| e.label.as_str())
        .collect();
    labels.join(", ")
}

impl PreparePage {
    pub fn install(shared: &Rc<Shared>, ui: &AppWindow) -> Rc<PreparePage> {
        let a = ui.global::<PrepareAdapter>();
        let history = shared.lazy_rows(
            |m| a.set_history(m),
            |shared, k: &HistoryKey| {
                let mut row = shared.data(|d| Some(row(&shared.prepare, d.concerns.get(k.at)?)))?;
                row.first_in_group = k.first_in_group;
                Some(row)
            },
        );
        let page = Rc::new(PreparePage {
            shared: shared.clone(),
            current: RefCell::default(),
            outcome: RefCell::default(),
            undo: UndoSlot::default(),
            topics: bound(|m| a.set_topics(m)),
            feelings: bound(|m| a.set_feelings(m)),
            ways: bound(|m| a.set_ways(m)),
            openers: bound(|m| a.set_openers(m)),
            drafts: bound(|m| a.set_drafts(m)),
            agenda: bound(|m| a.set_agenda(m)),
            awaiting: bound(|m| a.set_awaiting(m)),
            history,
            responses: bound(|m| a.set_responses(m)),
            parts: list(),
            unsaid: bound(|m| a.set_unsaid(m)),
            unsaid_all: Cell::new(false),
            let_go: UndoSlot::default(),
        });
        a.set_steps(prepare::STEPS as i32);

        page.install_builder(&a);
        page.install_concern(&a);
        page.install_unsaid(&a);
        page.show_ethics_deck(&a);
        shared.subscribe(
            &page,
            Slices::CONCERNS | Slices::DRAFT | Slices::CHECK_INS | Slices::UNSAID | Slices::STORE,
        );
        page
    }

    /// The Unsaid list and the way of reacting (the overview).
    fn install_unsaid(self: &Rc<Self>, a: &PrepareAdapter) {
        a.on_show_all_unsaid(act(self, |p| {
            p.unsaid_all.set(true);
            p.shared.publish(Slices::UNSAID);
        }));
        a.on_unsaid_to_concern(act1(self, |p, id: SharedString| {
            let made = p
                .shared
                .change_soon(Slices::CONCERNS | Slices::DRAFT | Slices::UNSAID, |d| {
                    unsaid::to_concern(d, &id, Utc::now())
                });
            if made.is_some() {
                p.let_go.forget();
                p.load_texts();
                p.set_problem(None);
                p.show(PrepareView::Builder);
            }
        }));
        a.on_keep_unsaid(act1(self, |p, id: SharedString| {
            p.shared.change_soon(Slices::UNSAID, |d| {
                unsaid::keep(d, &id);
            });
        }));
        a.on_let_go_unsaid(act1(self, |p, id: SharedString| {
            let id = id.to_string();
            p.let_go.delete(&p.shared, Slices::UNSAID, |d| {
                unsaid::let_go(d, &id).map(|before| (id.clone(), before))
            });
        }));
        a.on_undo_let_go(act(self, |p| {
            p.let_go.undo(&p.shared, Slices::UNSAID, |d, (id, before)| {
                unsaid::restore(d, &id, before)
            })
        }));
        a.on_set_reaction(act1(self, |p, r| {
            let r = core_reaction(r);
            p.shared
                .change_soon(Slices::UNSAID, |d| prepare::set_reaction(d, r));
            p.shared
                .in_window(|ui| ui.global::<PrepareAdapter>().set_changing_reaction(false));
        }));
    }

    fn install_builder(self: &Rc<Self>, a: &PrepareAdapter) {
        a.on_start(act(self, |p| p.start(None)));
        a.on_start_with(act1(self, |p, t| p.start(Some(core_topic(t)))));
        a.on_continue_draft(act1(self, |p, id: SharedString| p.edit(&id)));
        a.on_leave(act(self, |p| {
            p.shared.change(Slices::CONCERNS, prepare::close);
            p.set_problem(None);
            p.show(PrepareView::Overview);
        }));
        a.on_next(act(self, |p| p.step(prepare::next)));
        a.on_skip(act(self, |p| p.step(prepare::skip)));
        a.on_back(act(self, |p| {
            p.on_draft(Slices::DRAFT, |d, id| {
                prepare::back(d, id);
            });
            p.set_problem(None);
        }));
        a.on_go_to(act1(self, |p, step: i32| {
            let step = step.clamp(1, prepare::STEPS as i32) as u8;
            p.on_draft(Slices::DRAFT, |d, id| prepare::go_to(d, id, step));
            p.set_problem(None);
        }));
        a.on_save(act(self, |p| p.save()));
        a.on_toggle_topic(act1(self, |p, topic| {
            let topic = core_topic(topic);
            p.on_draft(Slices::DRAFT, |d, cid| {
                prepare::toggle_topic(d, cid, topic, Utc::now())
            });
        }));
        a.on_toggle_feeling(act1(self, |p, id: SharedString| {
            p.on_draft(Slices::DRAFT, |d, cid| {
                prepare::toggle_feeling(d, cid, &id, Utc::now())
            })
        }));
        a.on_set_intensity(act1(self, |p, v: f32| {
            let v = v.round().clamp(0.0, 5.0) as u8;
            p.on_draft(Slices::NONE, |d, cid| {
                prepare::set_intensity(d, cid, v, Utc::now())
            });
        }));
        a.on_set_way(act1(self, |p, way| {
            let way = Some(core_way(way));
            p.on_draft(Slices::DRAFT, |d, cid| {
                prepare::set_way(d, cid, way, Utc::now())
            });
        }));
        a.on_set_text(act2(self, |p, field, text: SharedString| {
            let field = core_field(field);
            if field == Field::OutcomeNote {
                // Kept in the form until "Save how it went".
                return;
            }
            p.on_draft(Slices::NONE, |d, cid| {
                prepare::set_text(d, cid, field, &text, Utc::now())
            });
            p.set_problem(None);
        }));
        a.on_set_opener(act2(self, |p, index: i32, text: SharedString| {
            let field = Field::Opener(index.max(0) as usize);
            p.on_draft(Slices::NONE, |d, cid| {
                prepare::set_text(d, cid, field, &text, Utc::now())
            });
            p.set_problem(None);
        }));
        a.on_choose_opener(act1(self, |p, index: i32| {
            p.on_draft(Slices::DRAFT, |d, cid| {
                prepare::choose_opener(d, cid, index.max(0) as usize, Utc::now())
            })
        }));
        a.on_read_way_card(act1(self, |p, way| {
            let card = p.shared.prepare.way(core_way(way)).card.clone();
            p.open_learn(|learn| learn.invoke_open_card(card.into()));
        }));
        a.on_ethics_continue(act(self, |p| {
            p.on_draft(Slices::DRAFT, prepare::mark_ethics_seen);
            p.show(PrepareView::Builder);
        }));
        a.on_ethics_read(act(self, |p| {
            p.on_draft(Slices::NONE, prepare::mark_ethics_seen);
            p.show(PrepareView::Builder);
            let deck = p.shared.prepare.ethics_deck.clone();
            p.open_learn(|learn| learn.invoke_open_deck(deck.into()));
        }));
    }

    fn install_concern(self: &Rc<Self>, a: &PrepareAdapter) {
        a.on_open_session(act1(self, |p, id: SharedString| {
            p.open_current(&id, PrepareView::Session)
        }));
        a.on_open_concern(act1(self, |p, id: SharedString| {
            p.open_current(&id, PrepareView::Detail)
        }));
        a.on_raised(act(self, |p| {
            let Some(id) = p.current_id() else { return };
            p.shared.change(Slices::CONCERNS, |d| {
                prepare::mark_raised(d, &id, Utc::now())
            });
            p.open_current(&id, PrepareView::Outcome);
        }));
        a.on_not_this_time(act(self, |p| {
            p.on_current(|d, id| prepare::not_this_time(d, id, Utc::now()));
            p.show(PrepareView::Overview);
        }));
        a.on_record_outcome(act(self, |p| {
            if let Some(id) = p.current_id() {
                p.open_current(&id, PrepareView::Outcome);
            }
        }));
        a.on_say_how_it_went(act1(self, |p, id: SharedString| {
            p.open_current(&id, PrepareView::Outcome)
        }));
        a.on_close_raised(act1(self, |p, id: SharedString| {
            p.shared.change(Slices::CONCERNS, |d| {
                prepare::close_raised(d, &id, Utc::now())
            });
        }));
        a.on_set_response(act1(self, |p, response| {
            p.outcome.borrow_mut().response = Some(core_response(response));
            p.shared.in_window(|ui| p.refresh_current(ui));
        }));
        a.on_set_settled(act1(self, |p, settled| {
            p.outcome.borrow_mut().settled = settled;
            p.shared
                .in_window(|ui| ui.global::<PrepareAdapter>().set_settled_choice(settled));
        }));
        a.on_save_outcome(act(self, |p| p.save_outcome()));
        a.on_edit(act(self, |p| {
            if let Some(id) = p.current_id() {
                p.edit(&id);
            }
        }));
        a.on_move(act2(self, |p, id: SharedString, delta| {
            p.shared
                .change(Slices::CONCERNS, |d| prepare::move_in_agenda(d, &id, delta));
        }));
        a.on_remove(act1(self, |p, id: SharedString| p.remove(&id)));
        a.on_delete(act(self, |p| {
            let Some(id) = p.current.borrow_mut().take() else {
                return;
            };
            p.show(PrepareView::History);
            p.undo.delete(&p.shared, Slices::CONCERNS, |d| {
                prepare::delete(d, &id).map(|d| Undo::Deleted(Box::new(d)))
            });
        }));
        a.on_set_aside(act(self, |p| {
            p.on_current(|d, id| prepare::set_state(d, id, ConcernState::SetAside, Utc::now()))
        }));
        a.on_bring_back(act(self, |p| {
            p.on_current(|d, id| prepare::set_state(d, id, ConcernState::Ready, Utc::now()))
        }));
        a.on_undo(act(self, |p| {
            p.undo
                .undo(&p.shared, Slices::CONCERNS, |d, undo| match undo {
                    Undo::Deleted(deleted) => prepare::undo_delete(d, *deleted),
                    Undo::Removed { id, agenda_index } => {
                        prepare::restore_to_agenda(d, &id, agenda_index, Utc::now())
                    }
                })
        }));
        a.on_show_overview(act(self, |p| p.show_list(PrepareView::Overview)));
        a.on_show_history(act(self, |p| p.show_list(PrepareView::History)));
    }

    /// A draft left open (the app was closed or killed mid-flow) comes back
    /// at the same step with the same text, once the data is read.
    fn resume_draft(&self, a: &PrepareAdapter) {
        let open = self
            .open_draft(|r| r.body.state == ConcernState::Draft)
            .unwrap_or(false);
        if open {
            self.load_texts();
            a.set_view(PrepareView::Builder);
        }
    }

    /// The ethics path's guidance: the Learn deck, shown inline.
    fn show_ethics_deck(&self, a: &PrepareAdapter) {
        if let Some(deck) = self.shared.library.deck(&self.shared.prepare.ethics_deck) {
            a.set_ethics_title(deck.title.as_str().into());
            let cards: Vec<GuideCard> = deck
                .cards
                .iter()
                .map(|c| GuideCard {
                    title: c.title.as_str().into(),
                    body: c.body.as_str().into(),
                })
                .collect();
            a.set_ethics_cards(slint::ModelRc::new(VecModel::from(cards)));
        }
    }

    /// Shows the overview or history, up to date.
    fn show_list(&self, view: PrepareView) {
        self.shared.in_window(|ui| {
            let a = ui.global::<PrepareAdapter>();
            a.set_view(view);
            self.shared.note_use();
            self.refresh_lists(&a);
        });
    }

    fn show(&self, view: PrepareView) {
        self.shared
            .in_window(|ui| ui.global::<PrepareAdapter>().set_view(view));
    }

    /// The id of the draft open in the builder.
    fn open_id(&self) -> Option<String> {
        self.shared.data(|d| d.prepare.open.clone())
    }

    /// Reads the concern open in the builder.
    fn open_draft<R>(&self, f: impl FnOnce(&Record<Concern>) -> R) -> Option<R> {
        let store = self.shared.store.borrow();
        let data = store.data();
        data.prepare
            .open
            .as_deref()
            .and_then(|id| prepare::find(data, id))
            .map(f)
    }

    /// The concern on screen in the in-session, outcome or detail view.
    fn current_id(&self) -> Option<String> {
        self.current.borrow().clone()
    }

    /// Runs a core change on the open draft, saved in the background.
    fn on_draft(&self, touches: Slices, f: impl FnOnce(&mut Data, &str)) {
        let Some(id) = self.open_id() else { return };
        self.shared.change(touches, |d| f(d, &id));
    }

    /// Runs a core change on the concern on screen, saved in the background.
    fn on_current(&self, f: impl FnOnce(&mut Data, &str)) {
        let Some(id) = self.current_id() else { return };
        self.shared.change(Slices::CONCERNS, |d| f(d, &id));
    }

    /// Opens the builder on a new draft (optionally with a topic chosen),
    /// from anywhere in the app.
    fn start(&self, topic: Option<Topic>) {
        self.shared.change(Slices::CONCERNS | Slices::DRAFT, |d| {
            prepare::new_draft(d, topic, Utc::now());
        });
        self.load_texts();
        self.set_problem(None);
        self.show(PrepareView::Builder);
        self.shared
            .in_window(|ui| ui.global::<Nav>().invoke_go(crate::ui::Page::Prepare));
    }

    /// Opens a concern in the builder (a draft at its step, any other at
    /// the review step).
    fn edit(&self, id: &str) {
        let opened = self
            .shared
            .change(Slices::CONCERNS | Slices::DRAFT, |d| prepare::open(d, id));
        if opened {
            self.load_texts();
            self.set_problem(None);
            self.show(PrepareView::Builder);
        }
    }

    /// Next or Skip: the ethics guidance, the new step, or why not.
    fn step(&self, go: StepMove) {
        let Some(id) = self.open_id() else { return };
        let content = &self.shared.prepare;
        let result = self
            .shared
            .change(Slices::DRAFT, |d| go(content, d, &id, Utc::now()));
        match result {
            Ok(_) => {
                self.set_problem(None);
                if self
                    .open_draft(|r| prepare::needs_ethics_guidance(&r.body))
                    .unwrap_or(false)
                {
                    self.show(PrepareView::Ethics);
                }
            }
            Err(e) => self.set_problem(Some(&e)),
        }
    }

    fn save(&self) {
        let Some(id) = self.open_id() else { return };
        let result = self.shared.change(Slices::CONCERNS | Slices::DRAFT, |d| {
            prepare::save(d, &id, Utc::now())
        });
        match result {
            Ok(()) => {
                self.set_problem(None);
                self.show(PrepareView::Overview);
            }
            Err((step, e)) => {
                self.shared
                    .change(Slices::DRAFT, |d| prepare::go_to(d, &id, step));
                self.set_problem(Some(&e));
            }
        }
    }

    /// Takes a concern off the agenda, keeping its place for Undo.
    fn remove(&self, id: &str) {
        let agenda_index = self
            .shared
            .data(|d| d.prepare.agenda.iter().position(|a| *a == id));
        let Some(agenda_index) = agenda_index else {
            return;
        };
        self.undo.keep(Undo::Removed {
            id: id.to_owned(),
            agenda_index,
        });
        self.shared.change(Slices::CONCERNS, |d| {
            prepare::remove_from_agenda(d, id, Utc::now())
        });
    }

    fn save_outcome(&self) {
        let Some(ui) = self.shared.window.upgrade() else {
            return;
        };
        let a = ui.global::<PrepareAdapter>();
        let Some(id) = self.current_id() else { return };
        let note = a.get_outcome_note().to_string();
        if let Err(e) = prepare::check_len(Field::OutcomeNote, &note) {
            self.set_problem(Some(&e));
            return;
        }
        let feel_now = a
            .get_has_feel_now()
            .then(|| a.get_feel_now().round().clamp(0.0, 10.0) as u8);
        let OutcomeDraft { response, settled } = self.outcome.borrow().clone();
        self.shared.change(Slices::CONCERNS, |d| {
            let now = Utc::now();
            prepare::set_text(d, &id, Field::OutcomeNote, &note, now);
            prepare::record_outcome(d, &id, response, feel_now, settled, now);
        });
        self.set_problem(None);
        self.open_current(&id, PrepareView::Detail);
    }

    /// Opens a Learn card or deck through Learn's own callback (keeping the
    /// draft open here), then goes there.
    fn open_learn(&self, open: impl FnOnce(&LearnAdapter)) {
        let Some(ui) = self.shared.window.upgrade() else {
            return;
        };
        let learn = ui.global::<LearnAdapter>();
        open(&learn);
        if learn.get_view() == LearnView::Card {
            ui.global::<Nav>().invoke_go(crate::ui::Page::Learn);
        }
    }

    fn set_problem(&self, problem: Option<&StepError>) {
        let Some(ui) = self.shared.window.upgrade() else {
            return;
        };
        let a = ui.global::<PrepareAdapter>();
        match problem {
            None => {
                if a.get_problem() != StepProblem::None {
                    a.set_problem(StepProblem::None);
                }
            }
            Some(StepError::Required(f)) => {
                a.set_problem_field(ui_field(*f));
                a.set_problem(StepProblem::Required);
            }
            Some(StepError::TooLong { field, over }) => {
                a.set_problem_field(ui_field(*field));
                a.set_problem_over(*over as i32);
                a.set_problem(StepProblem::TooLong);
            }
        }
    }

    /// Loads the open draft's texts into the two-way bound fields. Only
    /// when a draft is opened: never while the user types.
    fn load_texts(&self) {
        let Some(ui) = self.shared.window.upgrade() else {
            return;
        };
        let a = ui.global::<PrepareAdapter>();
        self.open_draft(|r| {
            let c = &r.body;
            a.set_other_topic(c.other_topic.as_str().into());
            a.set_what_happened(c.what_happened.as_str().into());
            a.set_what_matters(c.what_matters.as_str().into());
            a.set_would_like(c.would_like.as_str().into());
            a.set_own_opener(c.own_opener.as_str().into());
            a.set_intensity(c.intensity as f32);
        });
    }

    fn open_current(&self, id: &str, view: PrepareView) {
        *self.current.borrow_mut() = Some(id.to_owned());
        if view == PrepareView::Session {
            // Someone who goes quiet sees the concern as a note first.
            let quiet = self.shared.data(|d| d.prepare.reaction) == Some(Reaction::GoQuiet);
            self.shared
                .in_window(|ui| ui.global::<PrepareAdapter>().set_note_open(quiet));
        }
        let found = self
            .shared
            .data(|d| prepare::find(d, id).map(|r| (r.body.outcome.clone(), r.body.state)));
        *self.outcome.borrow_mut() = OutcomeDraft {
            response: found.as_ref().and_then(|(o, _)| o.response),
            settled: found.as_ref().map(|(_, s)| *s) == Some(ConcernState::Settled),
        };
        self.shared.in_window(|ui| {
            if let Some((o, _)) = &found {
                let a = ui.global::<PrepareAdapter>();
                a.set_feel_now(o.feel_now.map_or(0.0, f32::from));
                a.set_has_feel_now(o.feel_now.is_some());
                a.set_outcome_note(o.note.as_str().into());
            }
            self.refresh_current(ui);
        });
        self.set_problem(None);
        self.show(view);
    }

    /// The builder's step and its small models (a few dozen rows at most,
    /// whatever the size of the store).
    fn refresh_builder(&self, a: &PrepareAdapter) {
        let content = &self.shared.prepare;
        self.open_draft(|rec| {
            let c = &rec.body;
            a.set_step(c.step.clamp(1, prepare::STEPS) as i32);
            sync_rows(
                &self.topics,
                content.topics.iter().map(|t| TopicChoice {
                    topic: ui_topic(t.id),
                    label: t.label.as_str().into(),
                    selected: c.topics.contains(&t.id),
                }),
            );
            a.set_other_chosen(c.topics.contains(&Topic::Other));
            sync_rows(
                &self.feelings,
                content.emotions.iter().map(|e| Choice {
                    id: e.id.as_str().into(),
                    label: e.label.as_str().into(),
                    detail: SharedString::default(),
                    selected: c.feelings.contains(&e.id),
                }),
            );
            sync_rows(
                &self.ways,
                content.ways.iter().map(|w| WayChoice {
                    way: ui_way(w.id),
                    label: w.label.as_str().into(),
                    detail: w.explain.as_str().into(),
                    selected: c.raise_way == Some(w.id),
                }),
            );
            // The openers' fields are bound one way to this model: only a
            // row whose text differs is set, so a field being edited keeps
            // its caret.
            sync_rows(
                &self.openers,
                c.openers.iter().map(|s| SharedString::from(s.as_str())),
            );
            a.set_chosen_opener(c.chosen_opener as i32);
            a.set_topics_summary(topics_summary(content, c).into());
            a.set_feelings_summary(feelings_summary(content, c).into());
            a.set_way_summary(
                c.raise_way
                    .map(|w| content.way(w).label.clone())
                    .unwrap_or_default()
                    .into(),
            );
            a.set_lead_line(prepare::lead_line(c).into());
        });
    }

    /// Drafts and the agenda (short lists), and history when it is shown.
    fn refresh_lists(&self, a: &PrepareAdapter) {
        let store = self.shared.store.borrow();
        let data = store.data();
        let content = &self.shared.prepare;
        sync_rows(
            &self.drafts,
            prepare::drafts(data).into_iter().map(|r| row(content, r)),
        );
        sync_rows(
            &self.agenda,
            prepare::agenda(data).into_iter().map(|r| row(content, r)),
        );
        sync_rows(
            &self.awaiting,
            prepare::awaiting_outcome(data)
                .into_iter()
                .map(|r| row(content, r)),
        );
        a.set_can_undo(self.undo.can_undo());
        a.set_undo_was_delete(self.undo.peek(|u| matches!(u, Some(Undo::Deleted(_)))));
        if a.get_view() == PrepareView::History {
            self.history.set_keys(history_keys(data));
        }
    }

    /// The concern shown in the in-session, outcome and detail views.
    fn refresh_current(&self, ui: &AppWindow) {
        let a = ui.global::<PrepareAdapter>();
        let id = self.current_id();
        let store = self.shared.store.borrow();
        let Some(r) = id.as_deref().and_then(|id| prepare::find(store.data(), id)) else {
            return;
        };
        let content = &self.shared.prepare;
        let c = &r.body;
        let way = c
            .raise_way
            .map(|w| content.way(w).label.clone())
            .unwrap_or_default();
        let response = c
            .outcome
            .response
            .and_then(|r| content.responses.iter().find(|i| i.id == r))
            .map(|i| i.label.clone())
            .unwrap_or_default();
        let part = |kind, text: &str| DetailPart {
            kind,
            text: text.into(),
            number: 0,
        };
        let mut parts: Vec<DetailPart> = [
            (DetailKind::Opening, prepare::lead_line(c).to_owned()),
            (DetailKind::Topics, topics_summary(content, c)),
            (DetailKind::Happened, c.what_happened.clone()),
            (DetailKind::Feelings, feelings_summary(content, c)),
            (DetailKind::Matters, c.what_matters.clone()),
            (DetailKind::WouldLike, c.would_like.clone()),
            (DetailKind::Way, way.clone()),
            (DetailKind::Response, response.clone()),
        ]
        .iter()
        .filter(|(_, t)| !t.trim().is_empty())
        .map(|(k, t)| part(*k, t))
        .collect();
        if let Some(n) = c.outcome.feel_now {
            parts.push(DetailPart {
                kind: DetailKind::FeelNow,
                text: SharedString::default(),
                number: n.into(),
            });
        }
        if !c.outcome.note.trim().is_empty() {
            parts.push(part(DetailKind::Note, &c.outcome.note));
        }
        sync_rows(&self.parts, parts);
        let can = Actions::for_state(c.state);
        a.set_current(ConcernDetail {
            id: r.id.as_str().into(),
            title: prepare::title(content, c, TITLE_CHARS).into(),
            state: ui_state(c.state),
            topics: topics_summary(content, c).into(),
            lead: prepare::lead_line(c).into(),
            what_happened: c.what_happened.as_str().into(),
            feelings: feelings_summary(content, c).into(),
            what_matters: c.what_matters.as_str().into(),
            would_like: c.would_like.as_str().into(),
            way: way.into(),
            response: response.into(),
            parts: shown(&self.parts),
            feel_now: c.outcome.feel_now.map_or(0, i32::from),
            has_feel_now: c.outcome.feel_now.is_some(),
            outcome_note: c.outcome.note.as_str().into(),
            raised: c.outcome.raised_at.is_some(),
            can_raise: can.can_raise,
            can_record_outcome: can.can_record_outcome,
            can_set_aside: can.can_set_aside,
            can_bring_back: can.can_bring_back,
        });
        let draft = self.outcome.borrow().clone();
        sync_rows(
            &self.responses,
            content.responses.iter().map(|i| ResponseChoice {
                response: ui_response(i.id),
                label: i.label.as_str().into(),
                selected: draft.response == Some(i.id),
            }),
        );
        a.set_settled_choice(draft.settled);
    }
}

impl PreparePage {
    /// The Unsaid list (newest first; the first few unless all were asked
    /// for) and the way of reacting.
    fn refresh_unsaid(&self, a: &PrepareAdapter) {
        let store = self.shared.store.borrow();
        let data = store.data();
        let items = unsaid::list(data);
        let shown = if self.unsaid_all.get() {
            items.len()
        } else {
            items.len().min(UNSAID_SHOWN)
        };
        sync_rows(
            &self.unsaid,
            items[..shown].iter().map(|i| UnsaidRow {
                id: i.id().into(),
                when: moment(i.when()),
                words: i.words().trim().into(),
                yes: i.level == HeldBack::Yes,
                kept: i.kept,
            }),
        );
        a.set_unsaid_more((items.len() - shown) as i32);
        a.set_reaction(ui_reaction(data.prepare.reaction));
        a.set_can_undo_let_go(self.let_go.can_undo());
    }
}

/// History's rows as keys: grouped and ordered by the core.
fn history_keys(data: &Data) -> Vec<HistoryKey> {
    let mut last = None;
    prepare::history_grouped(data)
        .into_iter()
        .map(|at| {
            let r = &data.concerns[at];
            let first_in_group = last != Some(r.body.state);
            last = Some(r.body.state);
            HistoryKey {
                at,
                id: id_key(&r.id),
                updated: r.updated,
                first_in_group,
            }
        })
        .collect()
}

impl Page for PreparePage {
    fn forget(&self) {
        *self.current.borrow_mut() = None;
        *self.outcome.borrow_mut() = OutcomeDraft::default();
        self.undo.forget();
        self.let_go.forget();
        self.unsaid_all.set(false);
    }

    fn refresh(&self, ui: &AppWindow, changed: Slices) {
        let a = ui.global::<PrepareAdapter>();
        if changed.intersects(Slices::STORE) {
            self.resume_draft(&a);
        }
        self.refresh_builder(&a);
        if changed.intersects(Slices::CONCERNS | Slices::STORE) {
            self.refresh_lists(&a);
            self.refresh_current(ui);
        }
        // An item comes with a check-in, leaves with its mark, and comes
        // back when the draft made from it is deleted.
        if changed.intersects(Slices::CHECK_INS | Slices::CONCERNS | Slices::UNSAID | Slices::STORE)
        {
            self.refresh_unsaid(&a);
        }
    }
}

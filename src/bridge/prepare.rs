//! Prepare page adapter: the concern builder, the agenda, the in-session
//! view, outcomes and history.
//!
//! Typing never rebuilds a model: the text fields are two-way bound to
//! `PrepareAdapter`'s properties, and a keystroke only reaches the core
//! (`prepare::set_text`, debounced autosave). The builder's small models
//! are rebuilt when its step or choices change; the lists when a concern
//! changes state; history only while it is on screen.

use std::rc::{Rc, Weak};

use chrono::Utc;
use slint::{ComponentHandle, Model, ModelRc, SharedString, VecModel};

use super::{Ctx, Dirty};
use crate::core::model::{Concern, ConcernState, Data, RaiseWay, Record, Response, Topic};
use crate::core::prepare::{self, Field, PrepareContent, StepError};
use crate::ui::{
    AppWindow, Choice, ConcernDetail, ConcernField, ConcernRow, DetailKind, DetailPart, GuideCard,
    LearnAdapter, LearnView, Nav, Page, PrepareAdapter, PrepareView, StepProblem,
};

/// How long a list title may be before it is shortened (display only).
const TITLE_CHARS: usize = 70;

/// What the adapter remembers between callbacks.
#[derive(Default)]
pub(crate) struct PrepareUi {
    /// The concern shown in the in-session, outcome or detail view.
    current: Option<String>,
    /// What Undo puts back.
    undo: Option<Undo>,
    /// The outcome form's choices until they are saved.
    outcome: OutcomeDraft,
}

#[derive(Default, Clone)]
struct OutcomeDraft {
    response: Option<Response>,
    settled: bool,
}

enum Undo {
    Deleted(Box<prepare::Deleted>),
    /// Set aside from the agenda, at this position.
    Removed {
        id: String,
        agenda_index: usize,
    },
}

fn kebab<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn parse<T: serde::de::DeserializeOwned>(id: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(id.to_owned())).ok()
}

fn ui_state(s: ConcernState) -> crate::ui::ConcernState {
    match s {
        ConcernState::Draft => crate::ui::ConcernState::Draft,
        ConcernState::Ready => crate::ui::ConcernState::Ready,
        ConcernState::Raised => crate::ui::ConcernState::Raised,
        ConcernState::Settled => crate::ui::ConcernState::Settled,
        ConcernState::SetAside => crate::ui::ConcernState::SetAside,
    }
}

fn field_from_ui(f: ConcernField) -> Field {
    match f {
        ConcernField::OtherTopic => Field::OtherTopic,
        ConcernField::WhatHappened => Field::WhatHappened,
        ConcernField::WhatMatters => Field::WhatMatters,
        ConcernField::WouldLike => Field::WouldLike,
        ConcernField::Opener => Field::Opener(0),
        ConcernField::OwnOpener => Field::OwnOpener,
        ConcernField::OutcomeNote => Field::OutcomeNote,
    }
}

fn field_to_ui(f: Field) -> ConcernField {
    match f {
        Field::OtherTopic => ConcernField::OtherTopic,
        Field::WhatHappened => ConcernField::WhatHappened,
        Field::WhatMatters => ConcernField::WhatMatters,
        Field::WouldLike => ConcernField::WouldLike,
        Field::Opener(_) => ConcernField::Opener,
        Field::OwnOpener => ConcernField::OwnOpener,
        Field::OutcomeNote => ConcernField::OutcomeNote,
    }
}

pub(super) fn model<T: Clone + 'static>(v: Vec<T>) -> ModelRc<T> {
    ModelRc::new(VecModel::from(v))
}

/// Brings a shown model up to date in place: rows that changed are
/// replaced one by one, so the repeated elements (and the keyboard focus
/// on one of them) survive. Only a change in length replaces the model.
pub(super) fn sync<T: Clone + PartialEq + 'static>(
    get: impl FnOnce() -> ModelRc<T>,
    set: impl FnOnce(ModelRc<T>),
    rows: Vec<T>,
) {
    let shown = get();
    if shown.row_count() != rows.len() {
        set(model(rows));
        return;
    }
    for (i, row) in rows.into_iter().enumerate() {
        if shown.row_data(i).as_ref() != Some(&row) {
            shown.set_row_data(i, row);
        }
    }
}

fn adapter(ctx: &Ctx) -> Option<(AppWindow, ())> {
    ctx.window.upgrade().map(|w| (w, ()))
}

/// The id of the draft open in the builder.
fn open_id(ctx: &Ctx) -> Option<String> {
    ctx.store.borrow().data().prepare.open.clone()
}

fn show(ctx: &Ctx, view: PrepareView) {
    if let Some((ui, _)) = adapter(ctx) {
        ui.global::<PrepareAdapter>().set_view(view);
    }
}

fn set_problem(ctx: &Ctx, problem: Option<&StepError>) {
    let Some((ui, _)) = adapter(ctx) else { return };
    let a = ui.global::<PrepareAdapter>();
    match problem {
        None => {
            if a.get_problem() != StepProblem::None {
                a.set_problem(StepProblem::None);
            }
        }
        Some(StepError::Required(f)) => {
            a.set_problem_field(field_to_ui(*f));
            a.set_problem(StepProblem::Required);
        }
        Some(StepError::TooLong { field, over }) => {
            a.set_problem_field(field_to_ui(*field));
            a.set_problem_over(*over as i32);
            a.set_problem(StepProblem::TooLong);
        }
    }
}

/// Loads the open draft's texts into the two-way bound fields. Only when a
/// draft is opened: never while the user types.
fn load_texts(ctx: &Ctx) {
    let Some((ui, _)) = adapter(ctx) else { return };
    let a = ui.global::<PrepareAdapter>();
    let store = ctx.store.borrow();
    let Some(c) = open_id(ctx)
        .as_deref()
        .and_then(|id| prepare::find(store.data(), id))
    else {
        return;
    };
    let c = &c.body;
    a.set_other_topic(c.other_topic.as_str().into());
    a.set_what_happened(c.what_happened.as_str().into());
    a.set_what_matters(c.what_matters.as_str().into());
    a.set_would_like(c.would_like.as_str().into());
    a.set_own_opener(c.own_opener.as_str().into());
    a.set_intensity(c.intensity as f32);
}

/// The builder's step and its small models (a few dozen rows at most,
/// whatever the size of the store).
pub(super) fn refresh_builder(ctx: &Ctx, ui: &AppWindow) {
    let a = ui.global::<PrepareAdapter>();
    let store = ctx.store.borrow();
    let data = store.data();
    let Some(rec) = data
        .prepare
        .open
        .as_deref()
        .and_then(|id| prepare::find(data, id))
    else {
        return;
    };
    let c = &rec.body;
    let content = &ctx.prepare;
    a.set_step(c.step.clamp(1, prepare::STEPS) as i32);
    a.set_steps(prepare::STEPS as i32);
    sync(
        || a.get_topics(),
        |m| a.set_topics(m),
        content
            .topics
            .iter()
            .map(|t| Choice {
                id: kebab(&t.id).into(),
                label: t.label.as_str().into(),
                detail: SharedString::default(),
                selected: c.topics.contains(&t.id),
            })
            .collect(),
    );
    a.set_other_chosen(c.topics.contains(&Topic::Other));
    sync(
        || a.get_feelings(),
        |m| a.set_feelings(m),
        content
            .emotions
            .iter()
            .map(|e| Choice {
                id: e.id.as_str().into(),
                label: e.label.as_str().into(),
                detail: SharedString::default(),
                selected: c.feelings.contains(&e.id),
            })
            .collect(),
    );
    sync(
        || a.get_ways(),
        |m| a.set_ways(m),
        content
            .ways
            .iter()
            .map(|w| Choice {
                id: kebab(&w.id).into(),
                label: w.label.as_str().into(),
                detail: w.explain.as_str().into(),
                selected: c.raise_way == Some(w.id),
            })
            .collect(),
    );
    // The openers' text fields are bound one way to this model: replace it
    // only when its texts differ, so a field being edited keeps its caret.
    let openers = a.get_openers();
    let same = openers.row_count() == c.openers.len()
        && openers.iter().zip(&c.openers).all(|(a, b)| a.as_str() == b);
    if !same {
        a.set_openers(model(
            c.openers
                .iter()
                .map(|s| SharedString::from(s.as_str()))
                .collect(),
        ));
    }
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
    a.set_max_chars(prepare::MAX_TEXT_CHARS as i32);
    a.set_counter_from(prepare::COUNTER_FROM as i32);
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

/// Drafts and the agenda: short lists, rebuilt when a concern changes state.
pub(super) fn refresh_lists(ctx: &Ctx, ui: &AppWindow) {
    let a = ui.global::<PrepareAdapter>();
    let store = ctx.store.borrow();
    let data = store.data();
    let content = &ctx.prepare;
    sync(
        || a.get_drafts(),
        |m| a.set_drafts(m),
        prepare::drafts(data)
            .into_iter()
            .map(|r| row(content, r))
            .collect(),
    );
    sync(
        || a.get_agenda(),
        |m| a.set_agenda(m),
        prepare::agenda(data)
            .into_iter()
            .map(|r| row(content, r))
            .collect(),
    );
    let ui_state = ctx.prepare_ui.borrow();
    a.set_can_undo(ui_state.undo.is_some());
    a.set_undo_was_delete(matches!(ui_state.undo, Some(Undo::Deleted(_))));
    drop(ui_state);
    if a.get_view() == PrepareView::History {
        refresh_history(ctx, &a, data);
    }
    drop(store);
    refresh_current(ctx, ui);
}

/// History: every saved concern, grouped by state, newest first. Built only
/// while history is on screen.
fn refresh_history(ctx: &Ctx, a: &PrepareAdapter, data: &Data) {
    let content = &ctx.prepare;
    let mut list = prepare::history(data);
    let rank = |s: ConcernState| match s {
        ConcernState::Ready => 0,
        ConcernState::Raised => 1,
        ConcernState::Settled => 2,
        ConcernState::SetAside => 3,
        ConcernState::Draft => 4,
    };
    // Stable: keeps newest first within each group.
    list.sort_by_key(|r| rank(r.body.state));
    let mut last = None;
    let rows: Vec<ConcernRow> = list
        .into_iter()
        .map(|r| {
            let mut row = row(content, r);
            row.first_in_group = last != Some(r.body.state);
            last = Some(r.body.state);
            row
        })
        .collect();
    sync(|| a.get_history(), |m| a.set_history(m), rows);
}

/// The concern shown in the in-session, outcome and detail views.
fn refresh_current(ctx: &Ctx, ui: &AppWindow) {
    let a = ui.global::<PrepareAdapter>();
    let id = current_id(ctx);
    let store = ctx.store.borrow();
    let Some(r) = id.as_deref().and_then(|id| prepare::find(store.data(), id)) else {
        return;
    };
    let content = &ctx.prepare;
    let c = &r.body;
    let state = c.state;
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
    a.set_current(ConcernDetail {
        id: r.id.as_str().into(),
        title: prepare::title(content, c, TITLE_CHARS).into(),
        state: ui_state(state),
        topics: topics_summary(content, c).into(),
        lead: prepare::lead_line(c).into(),
        what_happened: c.what_happened.as_str().into(),
        feelings: feelings_summary(content, c).into(),
        what_matters: c.what_matters.as_str().into(),
        would_like: c.would_like.as_str().into(),
        way: way.into(),
        response: response.into(),
        parts: model(parts),
        feel_now: c.outcome.feel_now.map_or(-1, i32::from),
        outcome_note: c.outcome.note.as_str().into(),
        raised: c.outcome.raised_at.is_some(),
        can_raise: state == ConcernState::Ready,
        can_record_outcome: matches!(state, ConcernState::Raised | ConcernState::Settled),
        can_set_aside: matches!(
            state,
            ConcernState::Ready | ConcernState::Raised | ConcernState::Draft
        ),
        can_bring_back: matches!(state, ConcernState::SetAside | ConcernState::Settled),
    });
    let draft = ctx.prepare_ui.borrow().outcome.clone();
    sync(
        || a.get_responses(),
        |m| a.set_responses(m),
        content
            .responses
            .iter()
            .map(|i| Choice {
                id: kebab(&i.id).into(),
                label: i.label.as_str().into(),
                detail: SharedString::default(),
                selected: draft.response == Some(i.id),
            })
            .collect(),
    );
    a.set_settled_choice(draft.settled);
}

pub(super) fn refresh(ctx: &Rc<Ctx>, ui: &AppWindow) {
    refresh_builder(ctx, ui);
    refresh_lists(ctx, ui);
}

type W = Weak<Ctx>;

fn on(weak: &W, f: impl FnOnce(&Rc<Ctx>)) {
    if let Some(ctx) = weak.upgrade() {
        f(&ctx);
    }
}

/// Runs a core change on the open draft, saved in the background.
fn on_draft(ctx: &Rc<Ctx>, dirty: Dirty, f: impl FnOnce(&mut Data, &str)) {
    let Some(id) = open_id(ctx) else { return };
    ctx.change(dirty, |d| f(d, &id));
}

/// The concern on screen in the in-session, outcome or detail view.
fn current_id(ctx: &Ctx) -> Option<String> {
    ctx.prepare_ui.borrow().current.clone()
}

/// Runs a core change on the concern on screen, saved in the background.
fn on_current(ctx: &Rc<Ctx>, dirty: Dirty, f: impl FnOnce(&mut Data, &str)) {
    let Some(id) = current_id(ctx) else { return };
    ctx.change(dirty, |d| f(d, &id));
}

/// Opens the builder on a new draft (optionally with a topic chosen), from
/// anywhere in the app.
pub(crate) fn start_concern(ctx: &Rc<Ctx>, topic: Option<Topic>) {
    ctx.change(Dirty::PREPARE | Dirty::HOME, |d| {
        prepare::new_draft(d, topic, Utc::now());
    });
    load_texts(ctx);
    set_problem(ctx, None);
    show(ctx, PrepareView::Builder);
    if let Some(ui) = ctx.window.upgrade() {
        ui.global::<Nav>().invoke_go(Page::Prepare);
    }
}

/// After `next`/`skip`: the ethics guidance, or the new step.
fn moved(ctx: &Rc<Ctx>, result: Result<u8, StepError>) {
    match result {
        Ok(_) => {
            set_problem(ctx, None);
            let guidance = {
                let store = ctx.store.borrow();
                open_id(ctx)
                    .as_deref()
                    .and_then(|id| prepare::find(store.data(), id))
                    .is_some_and(|r| prepare::needs_ethics_guidance(&r.body))
            };
            if guidance {
                show(ctx, PrepareView::Ethics);
            }
        }
        Err(e) => set_problem(ctx, Some(&e)),
    }
}

fn open_current(ctx: &Rc<Ctx>, id: &str, view: PrepareView) {
    {
        let mut ui = ctx.prepare_ui.borrow_mut();
        ui.current = Some(id.to_owned());
        let store = ctx.store.borrow();
        let outcome = prepare::find(store.data(), id).map(|r| r.body.outcome.clone());
        let state = prepare::find(store.data(), id).map(|r| r.body.state);
        ui.outcome = OutcomeDraft {
            response: outcome.as_ref().and_then(|o| o.response),
            settled: state == Some(ConcernState::Settled),
        };
        if let (Some(o), Some(w)) = (outcome, ctx.window.upgrade()) {
            let a = w.global::<PrepareAdapter>();
            a.set_feel_now(o.feel_now.map_or(-1.0, f32::from));
            a.set_outcome_note(o.note.as_str().into());
        }
    }
    if let Some(ui) = ctx.window.upgrade() {
        refresh_current(ctx, &ui);
    }
    set_problem(ctx, None);
    show(ctx, view);
}

pub(super) fn install(ctx: &Rc<Ctx>, ui: &AppWindow) {
    let a = ui.global::<PrepareAdapter>();

    // A draft left open (the app was closed or killed mid-flow) comes back
    // at the same step with the same text.
    if open_id(ctx).is_some_and(|id| {
        prepare::find(ctx.store.borrow().data(), &id)
            .is_some_and(|r| r.body.state == ConcernState::Draft)
    }) {
        load_texts(ctx);
        a.set_view(PrepareView::Builder);
    }

    let weak = Rc::downgrade(ctx);
    a.on_start(move || on(&weak, |ctx| start_concern(ctx, None)));

    let weak = Rc::downgrade(ctx);
    a.on_continue_draft(move |id| {
        on(&weak, |ctx| {
            let mut ok = false;
            ctx.change(Dirty::PREPARE, |d| ok = prepare::open(d, &id));
            if ok {
                load_texts(ctx);
                set_problem(ctx, None);
                show(ctx, PrepareView::Builder);
            }
        })
    });

    let weak = Rc::downgrade(ctx);
    a.on_leave(move || {
        on(&weak, |ctx| {
            ctx.change(Dirty::PREPARE | Dirty::HOME, prepare::close);
            set_problem(ctx, None);
            show(ctx, PrepareView::Overview);
        })
    });

    let weak = Rc::downgrade(ctx);
    a.on_next(move || {
        on(&weak, |ctx| {
            let mut result = Ok(0);
            on_draft(ctx, Dirty::BUILDER, |d, id| {
                result = prepare::next(&ctx.prepare, d, id, Utc::now())
            });
            moved(ctx, result);
        })
    });

    let weak = Rc::downgrade(ctx);
    a.on_skip(move || {
        on(&weak, |ctx| {
            let mut result = Ok(0);
            on_draft(ctx, Dirty::BUILDER, |d, id| {
                result = prepare::skip(&ctx.prepare, d, id, Utc::now())
            });
            moved(ctx, result);
        })
    });

    let weak = Rc::downgrade(ctx);
    a.on_back(move || {
        on(&weak, |ctx| {
            on_draft(ctx, Dirty::BUILDER, |d, id| {
                prepare::back(d, id);
            });
            set_problem(ctx, None);
        })
    });

    let weak = Rc::downgrade(ctx);
    a.on_go_to(move |step| {
        on(&weak, |ctx| {
            on_draft(ctx, Dirty::BUILDER, |d, id| {
                prepare::go_to(d, id, step.clamp(1, prepare::STEPS as i32) as u8)
            });
            set_problem(ctx, None);
        })
    });

    let weak = Rc::downgrade(ctx);
    a.on_save(move || {
        on(&weak, |ctx| {
            let mut result = Ok(());
            on_draft(ctx, Dirty::PREPARE | Dirty::HOME, |d, id| {
                result = prepare::save(d, id, Utc::now())
            });
            match result {
                Ok(()) => {
                    set_problem(ctx, None);
                    show(ctx, PrepareView::Overview);
                }
                Err((step, e)) => {
                    on_draft(ctx, Dirty::BUILDER, |d, id| prepare::go_to(d, id, step));
                    set_problem(ctx, Some(&e));
                }
            }
        })
    });

    let weak = Rc::downgrade(ctx);
    a.on_toggle_topic(move |id| {
        on(&weak, |ctx| {
            if let Some(topic) = parse::<Topic>(&id) {
                on_draft(ctx, Dirty::BUILDER, |d, cid| {
                    prepare::toggle_topic(d, cid, topic, Utc::now())
                });
            }
        })
    });

    let weak = Rc::downgrade(ctx);
    a.on_toggle_feeling(move |id| {
        on(&weak, |ctx| {
            on_draft(ctx, Dirty::BUILDER, |d, cid| {
                prepare::toggle_feeling(d, cid, &id, Utc::now())
            });
        })
    });

    let weak = Rc::downgrade(ctx);
    a.on_set_intensity(move |v| {
        on(&weak, |ctx| {
            let v = v.round().clamp(0.0, 5.0) as u8;
            on_draft(ctx, Dirty::NONE, |d, cid| {
                prepare::set_intensity(d, cid, v, Utc::now())
            });
        })
    });

    let weak = Rc::downgrade(ctx);
    a.on_set_way(move |id| {
        on(&weak, |ctx| {
            let way = parse::<RaiseWay>(&id);
            on_draft(ctx, Dirty::BUILDER, |d, cid| {
                prepare::set_way(d, cid, way, Utc::now())
            });
        })
    });

    let weak = Rc::downgrade(ctx);
    a.on_set_text(move |field, text| {
        on(&weak, |ctx| {
            let field = field_from_ui(field);
            if field == Field::OutcomeNote {
                // Kept in the form until "Save how it went".
                return;
            }
            on_draft(ctx, Dirty::NONE, |d, cid| {
                prepare::set_text(d, cid, field, &text, Utc::now())
            });
            set_problem(ctx, None);
        })
    });

    let weak = Rc::downgrade(ctx);
    a.on_set_opener(move |index, text| {
        on(&weak, |ctx| {
            let field = Field::Opener(index.max(0) as usize);
            on_draft(ctx, Dirty::NONE, |d, cid| {
                prepare::set_text(d, cid, field, &text, Utc::now())
            });
            set_problem(ctx, None);
        })
    });

    let weak = Rc::downgrade(ctx);
    a.on_choose_opener(move |index| {
        on(&weak, |ctx| {
            on_draft(ctx, Dirty::BUILDER, |d, cid| {
                prepare::choose_opener(d, cid, index.max(0) as usize, Utc::now())
            });
        })
    });

    let weak = Rc::downgrade(ctx);
    a.on_read_way_card(move |id| {
        on(&weak, |ctx| {
            let Some(way) = parse::<RaiseWay>(&id) else {
                return;
            };
            let card = ctx.prepare.way(way).card.clone();
            open_learn(ctx, |lib, d| {
                crate::core::learn::open_card(lib, &mut d.learn, &card)
            });
        })
    });

    let weak = Rc::downgrade(ctx);
    a.on_ethics_continue(move || {
        on(&weak, |ctx| {
            on_draft(ctx, Dirty::BUILDER, prepare::mark_ethics_seen);
            show(ctx, PrepareView::Builder);
        })
    });

    let weak = Rc::downgrade(ctx);
    a.on_ethics_read(move || {
        on(&weak, |ctx| {
            on_draft(ctx, Dirty::NONE, prepare::mark_ethics_seen);
            show(ctx, PrepareView::Builder);
            let deck = ctx.prepare.ethics_deck.clone();
            open_learn(ctx, |lib, d| {
                crate::core::learn::open_deck(lib, &mut d.learn, &deck)
            });
        })
    });

    let weak = Rc::downgrade(ctx);
    a.on_open_session(move |id| on(&weak, |ctx| open_current(ctx, &id, PrepareView::Session)));

    let weak = Rc::downgrade(ctx);
    a.on_open_concern(move |id| on(&weak, |ctx| open_current(ctx, &id, PrepareView::Detail)));

    let weak = Rc::downgrade(ctx);
    a.on_raised(move || {
        on(&weak, |ctx| {
            let Some(id) = current_id(ctx) else {
                return;
            };
            ctx.change(Dirty::PREPARE | Dirty::HOME, |d| {
                prepare::mark_raised(d, &id, Utc::now())
            });
            open_current(ctx, &id, PrepareView::Outcome);
        })
    });

    let weak = Rc::downgrade(ctx);
    a.on_not_this_time(move || {
        on(&weak, |ctx| {
            on_current(ctx, Dirty::PREPARE | Dirty::HOME, |d, id| {
                prepare::not_this_time(d, id, Utc::now())
            });
            show(ctx, PrepareView::Overview);
        })
    });

    let weak = Rc::downgrade(ctx);
    a.on_record_outcome(move || {
        on(&weak, |ctx| {
            let current = current_id(ctx);
            if let Some(id) = current {
                open_current(ctx, &id, PrepareView::Outcome);
            }
        })
    });

    let weak = Rc::downgrade(ctx);
    a.on_set_response(move |id| {
        on(&weak, |ctx| {
            ctx.prepare_ui.borrow_mut().outcome.response = parse::<Response>(&id);
            if let Some(ui) = ctx.window.upgrade() {
                refresh_current(ctx, &ui);
            }
        })
    });

    let weak = Rc::downgrade(ctx);
    a.on_set_settled(move |settled| {
        on(&weak, |ctx| {
            ctx.prepare_ui.borrow_mut().outcome.settled = settled;
            if let Some(ui) = ctx.window.upgrade() {
                ui.global::<PrepareAdapter>().set_settled_choice(settled);
            }
        })
    });

    let weak = Rc::downgrade(ctx);
    a.on_save_outcome(move || {
        on(&weak, |ctx| {
            let Some(ui) = ctx.window.upgrade() else {
                return;
            };
            let a = ui.global::<PrepareAdapter>();
            let Some(id) = current_id(ctx) else {
                return;
            };
            let note = a.get_outcome_note().to_string();
            if note.chars().count() > prepare::MAX_TEXT_CHARS {
                set_problem(
                    ctx,
                    Some(&StepError::TooLong {
                        field: Field::OutcomeNote,
                        over: note.chars().count() - prepare::MAX_TEXT_CHARS,
                    }),
                );
                return;
            }
            let feel = a.get_feel_now();
            let feel_now = (feel >= 0.0).then(|| feel.round().clamp(0.0, 10.0) as u8);
            let OutcomeDraft { response, settled } = ctx.prepare_ui.borrow().outcome.clone();
            ctx.change(Dirty::PREPARE | Dirty::HOME, |d| {
                let now = Utc::now();
                prepare::set_text(d, &id, Field::OutcomeNote, &note, now);
                prepare::record_outcome(d, &id, response, feel_now, settled, now);
            });
            set_problem(ctx, None);
            open_current(ctx, &id, PrepareView::Detail);
        })
    });

    let weak = Rc::downgrade(ctx);
    a.on_edit(move || {
        on(&weak, |ctx| {
            let Some(id) = current_id(ctx) else {
                return;
            };
            let mut ok = false;
            ctx.change(Dirty::PREPARE, |d| ok = prepare::open(d, &id));
            if ok {
                load_texts(ctx);
                set_problem(ctx, None);
                show(ctx, PrepareView::Builder);
            }
        })
    });

    let weak = Rc::downgrade(ctx);
    a.on_move(move |id, delta| {
        on(&weak, |ctx| {
            ctx.change(Dirty::PREPARE | Dirty::HOME, |d| {
                prepare::move_in_agenda(d, &id, delta)
            });
        })
    });

    let weak = Rc::downgrade(ctx);
    a.on_remove(move |id| {
        on(&weak, |ctx| {
            let agenda_index = ctx
                .store
                .borrow()
                .data()
                .prepare
                .agenda
                .iter()
                .position(|a| *a == id.as_str());
            let Some(agenda_index) = agenda_index else {
                return;
            };
            ctx.prepare_ui.borrow_mut().undo = Some(Undo::Removed {
                id: id.to_string(),
                agenda_index,
            });
            ctx.change(Dirty::PREPARE | Dirty::HOME, |d| {
                prepare::remove_from_agenda(d, &id, Utc::now())
            });
        })
    });

    let weak = Rc::downgrade(ctx);
    a.on_delete(move || {
        on(&weak, |ctx| {
            let Some(id) = ctx.prepare_ui.borrow_mut().current.take() else {
                return;
            };
            let mut deleted = None;
            ctx.change(Dirty::NONE, |d| deleted = prepare::delete(d, &id));
            ctx.prepare_ui.borrow_mut().undo = deleted.map(|d| Undo::Deleted(Box::new(d)));
            show(ctx, PrepareView::History);
            ctx.refresh(Dirty::PREPARE | Dirty::HOME);
        })
    });

    let weak = Rc::downgrade(ctx);
    a.on_set_aside(move || {
        on(&weak, |ctx| {
            on_current(ctx, Dirty::PREPARE | Dirty::HOME, |d, id| {
                prepare::set_state(d, id, ConcernState::SetAside, Utc::now())
            })
        })
    });

    let weak = Rc::downgrade(ctx);
    a.on_bring_back(move || {
        on(&weak, |ctx| {
            on_current(ctx, Dirty::PREPARE | Dirty::HOME, |d, id| {
                prepare::set_state(d, id, ConcernState::Ready, Utc::now())
            })
        })
    });

    let weak = Rc::downgrade(ctx);
    a.on_undo(move || {
        on(&weak, |ctx| {
            let Some(undo) = ctx.prepare_ui.borrow_mut().undo.take() else {
                return;
            };
            ctx.change(Dirty::PREPARE | Dirty::HOME, |d| match undo {
                Undo::Deleted(deleted) => prepare::undo_delete(d, *deleted),
                Undo::Removed { id, agenda_index } => {
                    let now = Utc::now();
                    prepare::set_state(d, &id, ConcernState::Ready, now);
                    let from = d.prepare.agenda.iter().position(|a| *a == id);
                    if let Some(from) = from {
                        prepare::move_in_agenda(d, &id, agenda_index as i32 - from as i32);
                    }
                }
            });
        })
    });

    let weak = Rc::downgrade(ctx);
    a.on_show_overview(move || {
        on(&weak, |ctx| {
            show(ctx, PrepareView::Overview);
            ctx.refresh(Dirty::PREPARE);
        })
    });

    let weak = Rc::downgrade(ctx);
    a.on_show_history(move || {
        on(&weak, |ctx| {
            show(ctx, PrepareView::History);
            ctx.refresh(Dirty::PREPARE);
        })
    });

    // The ethics path's guidance: the Learn deck, shown inline.
    if let Some(deck) = ctx.library.deck(&ctx.prepare.ethics_deck) {
        a.set_ethics_title(deck.title.as_str().into());
        a.set_ethics_cards(model(
            deck.cards
                .iter()
                .map(|c| GuideCard {
                    title: c.title.as_str().into(),
                    body: c.body.as_str().into(),
                })
                .collect(),
        ));
    }
}

/// Opens a Learn card or deck (keeping the draft open in Prepare).
fn open_learn(ctx: &Rc<Ctx>, open: impl FnOnce(&crate::core::cards::Library, &mut Data) -> bool) {
    let mut ok = false;
    ctx.change(Dirty::LEARN | Dirty::HOME, |d| ok = open(&ctx.library, d));
    if let (true, Some(ui)) = (ok, ctx.window.upgrade()) {
        ui.global::<LearnAdapter>().set_view(LearnView::Card);
        ui.global::<Nav>().invoke_go(Page::Learn);
    }
}

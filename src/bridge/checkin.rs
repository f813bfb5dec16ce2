//! Check in page adapter: the quick form, the history by month (a
//! virtualised list in Slint), one entry, edit, delete and undo. The rules
//! are in `core::checkin`.

use std::rc::{Rc, Weak};

use super::clock::moment;
use chrono::{Local, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use slint::{ComponentHandle, ModelRc, SharedString, VecModel};

use super::prepare::{model, sync};
use super::{Ctx, Dirty};
use crate::core::checkin::{self, CheckInError, HistoryRow};
use crate::core::model::{CheckIn, Data};
use crate::core::prepare;
use crate::ui::{
    AppWindow, CheckInAdapter, CheckInEntry, CheckInLink, CheckInProblem, CheckInRow, CheckInTag,
    CheckInView, Nav, Page,
};

/// How many earlier tags the form suggests.
const SUGGESTED_TAGS: usize = 8;
/// How many concerns the form offers to link.
const LINKABLE: usize = 6;
/// How many tags the history offers as filters.
const FILTER_TAGS: usize = 8;

/// The Check in page's own state (not stored).
#[derive(Default)]
pub(crate) struct CheckInUi {
    /// The check-in being edited (`None`: a new one).
    editing: Option<String>,
    tags: Vec<String>,
    links: Vec<String>,
    filter: Option<String>,
    /// The entry open in full.
    current: Option<String>,
    undo: Option<checkin::Deleted>,
}

type W = Weak<Ctx>;

fn on(weak: &W, f: impl FnOnce(&Rc<Ctx>)) {
    if let Some(ctx) = weak.upgrade() {
        f(&ctx);
    }
}

fn score(v: f32) -> Option<u8> {
    (v >= 0.0).then(|| v.round().clamp(0.0, 10.0) as u8)
}

fn shown(v: Option<u8>) -> f32 {
    v.map_or(-1.0, f32::from)
}

fn int(v: Option<u8>) -> i32 {
    v.map_or(-1, i32::from)
}

pub(super) fn install(ctx: &Rc<Ctx>, ui: &AppWindow) {
    let a = ui.global::<CheckInAdapter>();
    let weak = Rc::downgrade(ctx);

    let w = weak.clone();
    a.on_new_check_in(move || on(&w, |ctx| new_form(ctx, None)));
    let w = weak.clone();
    a.on_start_about(move |id| {
        on(&w, |ctx| {
            new_form(ctx, Some(id.to_string()));
            if let Some(ui) = ctx.window.upgrade() {
                ui.global::<Nav>().invoke_go(Page::CheckIn);
            }
        })
    });
    let w = weak.clone();
    a.on_when_edited(move || on(&w, update_when_label));
    let w = weak.clone();
    a.on_toggle_tag(move |tag| {
        on(&w, |ctx| {
            {
                let mut st = ctx.checkin_ui.borrow_mut();
                let tag = tag.to_string();
                match st.tags.iter().position(|t| *t == tag) {
                    Some(i) => {
                        st.tags.remove(i);
                    }
                    None => st.tags.push(tag),
                }
            }
            refresh_form_models(ctx);
        })
    });
    let w = weak.clone();
    a.on_add_tag(move || {
        on(&w, |ctx| {
            let Some(ui) = ctx.window.upgrade() else {
                return;
            };
            let a = ui.global::<CheckInAdapter>();
            if let Some(tag) = checkin::clean_tag(&a.get_new_tag()) {
                let mut st = ctx.checkin_ui.borrow_mut();
                if !st
                    .tags
                    .iter()
                    .any(|t| t.to_lowercase() == tag.to_lowercase())
                {
                    st.tags.push(tag);
                }
            }
            a.set_new_tag(SharedString::default());
            refresh_form_models(ctx);
        })
    });
    let w = weak.clone();
    a.on_toggle_link(move |id| {
        on(&w, |ctx| {
            {
                let mut st = ctx.checkin_ui.borrow_mut();
                let id = id.to_string();
                match st.links.iter().position(|t| *t == id) {
                    Some(i) => {
                        st.links.remove(i);
                    }
                    None => st.links.push(id),
                }
            }
            refresh_form_models(ctx);
        })
    });
    let w = weak.clone();
    a.on_save(move || on(&w, save));
    let w = weak.clone();
    a.on_cancel_edit(move || {
        on(&w, |ctx| {
            new_form(ctx, None);
            show(ctx, CheckInView::History);
        })
    });
    let w = weak.clone();
    a.on_show_history(move || {
        on(&w, |ctx| {
            ctx.checkin_ui.borrow_mut().undo = None;
            refresh_undo(ctx);
            show(ctx, CheckInView::History);
        })
    });
    let w = weak.clone();
    a.on_set_filter(move |tag| {
        on(&w, |ctx| {
            ctx.checkin_ui.borrow_mut().filter = (!tag.is_empty()).then(|| tag.to_string());
            ctx.refresh(Dirty::CHECKIN);
        })
    });
    let w = weak.clone();
    a.on_open(move |id| {
        on(&w, |ctx| {
            ctx.checkin_ui.borrow_mut().current = Some(id.to_string());
            refresh_current(ctx);
            show(ctx, CheckInView::Entry);
        })
    });
    let w = weak.clone();
    a.on_edit(move || {
        on(&w, |ctx| {
            let Some(id) = ctx.checkin_ui.borrow().current.clone() else {
                return;
            };
            let body = {
                let store = ctx.store.borrow();
                checkin::find(store.data(), &id).map(|r| r.body.clone())
            };
            if let Some(body) = body {
                load_form(ctx, Some(id), &body);
                show(ctx, CheckInView::Form);
            }
        })
    });
    let w = weak.clone();
    a.on_delete(move || {
        on(&w, |ctx| {
            let Some(id) = ctx.checkin_ui.borrow_mut().current.take() else {
                return;
            };
            let mut deleted = None;
            ctx.change_soon(Dirty::NONE, |d| deleted = checkin::delete(d, &id));
            ctx.checkin_ui.borrow_mut().undo = deleted;
            ctx.refresh(Dirty::CHECKIN | Dirty::INSIGHTS);
            show(ctx, CheckInView::History);
        })
    });
    let w = weak;
    a.on_undo(move || {
        on(&w, |ctx| {
            let Some(deleted) = ctx.checkin_ui.borrow_mut().undo.take() else {
                return;
            };
            ctx.change_soon(Dirty::CHECKIN | Dirty::INSIGHTS, |d| {
                checkin::undo_delete(d, deleted)
            });
        })
    });
    new_form(ctx, None);
}

fn show(ctx: &Ctx, view: CheckInView) {
    if let Some(ui) = ctx.window.upgrade() {
        ui.global::<CheckInAdapter>().set_view(view);
    }
}

/// A fresh form for now, optionally with one concern linked.
fn new_form(ctx: &Rc<Ctx>, link: Option<String>) {
    let now = Local::now().naive_local();
    let body = CheckIn {
        when: now,
        mood: 5,
        concerns: link.into_iter().collect(),
        ..CheckIn::default()
    };
    load_form(ctx, None, &body);
    show(ctx, CheckInView::Form);
}

fn load_form(ctx: &Rc<Ctx>, editing: Option<String>, c: &CheckIn) {
    let Some(ui) = ctx.window.upgrade() else {
        return;
    };
    {
        let mut st = ctx.checkin_ui.borrow_mut();
        st.editing = editing.clone();
        st.tags = c.tags.clone();
        st.links = c.concerns.clone();
    }
    let a = ui.global::<CheckInAdapter>();
    a.set_editing(editing.is_some());
    a.set_change_when(false);
    a.set_date_text(c.when.format("%Y-%m-%d").to_string().into());
    a.set_time_text(c.when.format("%H:%M").to_string().into());
    a.set_when(moment(c.when));
    a.set_mood(f32::from(c.mood));
    a.set_mood_before(shown(c.mood_before));
    a.set_heard(shown(c.heard));
    a.set_goals(shown(c.goals));
    a.set_approach(shown(c.approach));
    a.set_overall(shown(c.overall));
    a.set_note(c.note.as_str().into());
    a.set_new_tag(SharedString::default());
    a.set_problem(CheckInProblem::None);
    a.set_saved(false);
    refresh_form_models(ctx);
}

fn parse_when(date: &str, time: &str) -> Result<NaiveDateTime, CheckInProblem> {
    let date =
        NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d").map_err(|_| CheckInProblem::BadDate)?;
    let time =
        NaiveTime::parse_from_str(time.trim(), "%H:%M").map_err(|_| CheckInProblem::BadTime)?;
    Ok(date.and_time(time))
}

fn update_when_label(ctx: &Rc<Ctx>) {
    let Some(ui) = ctx.window.upgrade() else {
        return;
    };
    let a = ui.global::<CheckInAdapter>();
    if let Ok(when) = parse_when(&a.get_date_text(), &a.get_time_text()) {
        a.set_when(moment(when));
    }
}

fn save(ctx: &Rc<Ctx>) {
    let Some(ui) = ctx.window.upgrade() else {
        return;
    };
    let a = ui.global::<CheckInAdapter>();
    let when = match parse_when(&a.get_date_text(), &a.get_time_text()) {
        Ok(w) => w,
        Err(p) => {
            a.set_problem(p);
            a.set_change_when(true);
            return;
        }
    };
    let (editing, tags, links) = {
        let st = ctx.checkin_ui.borrow();
        (st.editing.clone(), st.tags.clone(), st.links.clone())
    };
    let body = CheckIn {
        when,
        mood: score(a.get_mood()).unwrap_or(5),
        mood_before: score(a.get_mood_before()),
        heard: score(a.get_heard()),
        goals: score(a.get_goals()),
        approach: score(a.get_approach()),
        overall: score(a.get_overall()),
        note: a.get_note().to_string(),
        tags,
        concerns: links,
    };
    let now_local = Local::now().naive_local();
    // Checked first so that a refused check-in touches nothing.
    if let Err(e) = checkin::normalize(body.clone(), now_local) {
        a.set_problem(problem(e));
        a.set_change_when(true);
        return;
    }
    let mut result = Ok(());
    ctx.change_soon(Dirty::CHECKIN | Dirty::INSIGHTS, |d: &mut Data| {
        result = match &editing {
            Some(id) => checkin::edit(d, id, body, now_local, Utc::now()),
            None => checkin::add(d, body, now_local, Utc::now()).map(|_| ()),
        };
    });
    match result {
        Ok(()) => {
            new_form(ctx, None);
            if let Some(id) = editing {
                ctx.checkin_ui.borrow_mut().current = Some(id);
                refresh_current(ctx);
                show(ctx, CheckInView::Entry);
            } else {
                a.set_saved(true);
            }
        }
        Err(e) => a.set_problem(problem(e)),
    }
}

fn problem(e: CheckInError) -> CheckInProblem {
    match e {
        CheckInError::InFuture => CheckInProblem::InFuture,
        // The form's sliders cannot go past 10; this is a stale entry.
        CheckInError::ScoreOutOfRange | CheckInError::NotFound => CheckInProblem::NotFound,
    }
}

/// The form's chips: chosen and suggested tags, and the linkable concerns.
fn refresh_form_models(ctx: &Rc<Ctx>) {
    let Some(ui) = ctx.window.upgrade() else {
        return;
    };
    let a = ui.global::<CheckInAdapter>();
    let store = ctx.store.borrow();
    let data = store.data();
    let st = ctx.checkin_ui.borrow();
    let mut tags: Vec<CheckInTag> = st
        .tags
        .iter()
        .map(|t| CheckInTag {
            text: t.as_str().into(),
            chosen: true,
        })
        .collect();
    tags.extend(
        checkin::tag_suggestions(data, "", &st.tags, SUGGESTED_TAGS)
            .into_iter()
            .map(|t| CheckInTag {
                text: t.into(),
                chosen: false,
            }),
    );
    sync(|| a.get_tags(), |m| a.set_tags(m), tags);
    let mut offered: Vec<&crate::core::model::Record<crate::core::model::Concern>> =
        checkin::linkable_concerns(data, LINKABLE);
    for id in &st.links {
        if !offered.iter().any(|c| c.id == *id) {
            if let Some(c) = prepare::find(data, id) {
                offered.insert(0, c);
            }
        }
    }
    let links: Vec<CheckInLink> = offered
        .iter()
        .map(|c| CheckInLink {
            id: c.id.as_str().into(),
            title: prepare::title(&ctx.prepare, &c.body, 60).into(),
            chosen: st.links.contains(&c.id),
        })
        .collect();
    sync(|| a.get_links(), |m| a.set_links(m), links);
}

fn refresh_undo(ctx: &Ctx) {
    if let Some(ui) = ctx.window.upgrade() {
        ui.global::<CheckInAdapter>()
            .set_can_undo(ctx.checkin_ui.borrow().undo.is_some());
    }
}

fn refresh_current(ctx: &Rc<Ctx>) {
    let Some(ui) = ctx.window.upgrade() else {
        return;
    };
    let a = ui.global::<CheckInAdapter>();
    let store = ctx.store.borrow();
    let data = store.data();
    let id = ctx.checkin_ui.borrow().current.clone();
    let Some(r) = id.as_deref().and_then(|id| checkin::find(data, id)) else {
        if a.get_view() == CheckInView::Entry {
            a.set_view(CheckInView::History);
        }
        return;
    };
    let c = &r.body;
    let concerns: Vec<SharedString> = c
        .concerns
        .iter()
        .filter_map(|id| prepare::find(data, id))
        .map(|x| prepare::title(&ctx.prepare, &x.body, 70).into())
        .collect();
    a.set_current(CheckInEntry {
        id: r.id.as_str().into(),
        when: moment(c.when),
        mood: i32::from(c.mood),
        mood_before: int(c.mood_before),
        heard: int(c.heard),
        goals: int(c.goals),
        approach: int(c.approach),
        overall: int(c.overall),
        note: c.note.as_str().into(),
        tags: c.tags.join(", ").into(),
        concerns: model(concerns),
    });
}

/// The history rows (built for every entry, drawn only on screen).
pub(super) fn history_rows(data: &Data, filter: Option<&str>) -> Vec<CheckInRow> {
    checkin::history(data, filter)
        .into_iter()
        .map(|row| match row {
            HistoryRow::Month { year, month, count } => CheckInRow {
                is_month: true,
                month: month as i32,
                year,
                count: count as i32,
                ..CheckInRow::default()
            },
            HistoryRow::Entry(r) => CheckInRow {
                is_month: false,
                id: r.id.as_str().into(),
                when: moment(r.body.when),
                mood: i32::from(r.body.mood),
                overall: int(r.body.overall),
                tags: r.body.tags.join(", ").into(),
                note: prepare::shorten(r.body.note.lines().next().unwrap_or(""), 80).into(),
                ..CheckInRow::default()
            },
        })
        .collect()
}

pub(super) fn refresh(ctx: &Rc<Ctx>, ui: &AppWindow) {
    let a = ui.global::<CheckInAdapter>();
    {
        let store = ctx.store.borrow();
        let data = store.data();
        let mut st = ctx.checkin_ui.borrow_mut();
        let filter_tags: Vec<String> = crate::core::insights::top_tags(data, FILTER_TAGS)
            .into_iter()
            .map(|(t, _)| t)
            .collect();
        if let Some(f) = &st.filter {
            if !filter_tags
                .iter()
                .any(|t| t.to_lowercase() == f.to_lowercase())
            {
                st.filter = None;
            }
        }
        a.set_filter(st.filter.clone().unwrap_or_default().into());
        let tags: Vec<SharedString> = filter_tags.iter().map(|t| t.as_str().into()).collect();
        sync(|| a.get_filter_tags(), |m| a.set_filter_tags(m), tags);
        a.set_total(data.check_ins.len() as i32);
        let rows = history_rows(data, st.filter.as_deref());
        a.set_history(ModelRc::new(VecModel::from(rows)));
    }
    refresh_undo(ctx);
    refresh_current(ctx);
    refresh_form_models(ctx);
}

/// Keeps the form's linkable concerns current after a Prepare change.
pub(super) fn refresh_links(ctx: &Rc<Ctx>) {
    refresh_form_models(ctx);
}

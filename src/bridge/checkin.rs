//! Check in: the quick form, the history by month (a lazy model behind a
//! virtualised list), one entry, edit, delete and undo. The rules are in
//! `core::checkin`.

use std::cell::RefCell;
use std::rc::Rc;

use chrono::{DateTime, Local, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use slint::{ComponentHandle, SharedString, VecModel};

use super::changes::Slices;
use super::clock::moment;
use super::convert::{core_held_back, ui_held_back};
use super::rows::{bound, id_key, list, shown, sync_rows, LazyRows};
use super::shared::{act, act1, Page, Shared};
use super::undo::UndoSlot;
use crate::core::checkin::{self, CheckInError, HistoryRow};
use crate::core::model::{CheckIn, Concern, Data, Record};
use crate::core::prepare::{self, SHORT_TITLE_CHARS, TITLE_CHARS};
use crate::core::sessions;
use crate::ui::{
    AppWindow, CheckInAdapter, CheckInEntry, CheckInLink, CheckInProblem, CheckInRow, CheckInTag,
    CheckInView, Nav, Score,
};

/// How many earlier tags the form suggests.
const SUGGESTED_TAGS: usize = 8;
/// How many concerns the form offers to link.
const LINKABLE: usize = 6;
/// How many tags the history offers as filters.
const FILTER_TAGS: usize = 8;

/// The form's state that has no property of its own.
#[derive(Default)]
struct Form {
    /// The check-in being edited (`None`: a new one).
    editing: Option<String>,
    tags: Vec<String>,
    links: Vec<String>,
}

/// One history row as a key: a month heading, or which check-in (equal
/// when it shows the same thing, wherever the record sits).
#[derive(Clone, Copy, Debug)]
pub(super) enum RowKey {
    Month {
        year: i32,
        month: u32,
        count: usize,
    },
    Entry {
        at: usize,
        id: u64,
        updated: DateTime<Utc>,
    },
}

impl PartialEq for RowKey {
    fn eq(&self, other: &Self) -> bool {
        match (*self, *other) {
            (
                RowKey::Month { year, month, count },
                RowKey::Month {
                    year: y,
                    month: m,
                    count: c,
                },
            ) => (year, month, count) == (y, m, c),
            (
                RowKey::Entry { id, updated, .. },
                RowKey::Entry {
                    id: i, updated: u, ..
                },
            ) => (id, updated) == (i, u),
            _ => false,
        }
    }
}

/// A score as stored: `None` unless the slider was moved (`given`).
fn score(given: bool, v: f32) -> Option<u8> {
    given.then(|| v.round().clamp(0.0, 10.0) as u8)
}

/// Where a slider rests: its value, or the minimum while not given.
fn shown_score(v: Option<u8>) -> f32 {
    v.map_or(0.0, f32::from)
}

fn given(v: Option<u8>) -> Score {
    Score {
        given: v.is_some(),
        value: v.map_or(0, i32::from),
    }
}

fn entry_row(r: &Record<CheckIn>) -> CheckInRow {
    CheckInRow {
        is_month: false,
        id: r.id.as_str().into(),
        when: moment(r.body.when),
        mood: i32::from(r.body.mood),
        overall: given(r.body.overall),
        tags: r.body.tags.join(", ").into(),
        note: checkin::note_line(&r.body).into(),
        ..CheckInRow::default()
    }
}

fn parse_when(date: &str, time: &str) -> Result<NaiveDateTime, CheckInProblem> {
    let date =
        NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d").map_err(|_| CheckInProblem::BadDate)?;
    let time =
        NaiveTime::parse_from_str(time.trim(), "%H:%M").map_err(|_| CheckInProblem::BadTime)?;
    Ok(date.and_time(time))
}

fn problem(e: CheckInError) -> CheckInProblem {
    match e {
        CheckInError::InFuture => CheckInProblem::InFuture,
        // The form's sliders cannot go past 10; this is a stale entry.
        CheckInError::ScoreOutOfRange | CheckInError::NotFound => CheckInProblem::NotFound,
    }
}

pub(crate) struct CheckInPage {
    shared: Rc<Shared>,
    form: RefCell<Form>,
    filter: RefCell<Option<String>>,
    /// The entry open in full.
    current: RefCell<Option<String>>,
    undo: UndoSlot<checkin::Deleted>,
    tags: Rc<VecModel<CheckInTag>>,
    links: Rc<VecModel<CheckInLink>>,
    filter_tags: Rc<VecModel<SharedString>>,
    pub(super) history: Rc<LazyRows<RowKey, CheckInRow>>,
    concerns: Rc<VecModel<SharedString>>,
}

impl CheckInPage {
    pub fn install(shared: &Rc<Shared>, ui: &AppWindow) -> Rc<CheckInPage> {
        let a = ui.global::<CheckInAdapter>();
        let history = shared.lazy_rows(
            |m| a.set_history(m),
            |shared, k: &RowKey| match *k {
                RowKey::Month { year, month, count } => Some(CheckInRow {
                    is_month: true,
                    month: month as i32,
                    year,
                    count: count as i32,
                    ..CheckInRow::default()
                }),
                RowKey::Entry { at, .. } => shared.data(|d| d.check_ins.get(at).map(entry_row)),
            },
        );
        let page = Rc::new(CheckInPage {
            shared: shared.clone(),
            form: RefCell::default(),
            filter: RefCell::default(),
            current: RefCell::default(),
            undo: UndoSlot::default(),
            tags: bound(|m| a.set_tags(m)),
            links: bound(|m| a.set_links(m)),
            filter_tags: bound(|m| a.set_filter_tags(m)),
            history,
            concerns: list(),
        });
        page.install_callbacks(&a);
        page.new_form(None);
        shared.subscribe(&page, Slices::CHECK_INS | Slices::CONCERNS | Slices::STORE);
        page
    }

    fn install_callbacks(self: &Rc<Self>, a: &CheckInAdapter) {
        a.on_new_check_in(act(self, |p| p.new_form(None)));
        a.on_start_about(act1(self, |p, id: SharedString| {
            p.new_form(Some(id.to_string()));
            p.go_here();
        }));
        a.on_start_after_session(act(self, |p| {
            p.after_session();
            p.go_here();
        }));
        a.on_when_edited(act(self, |p| p.update_when_label()));
        a.on_toggle_tag(act1(self, |p, tag: SharedString| {
            p.toggle(|f| &mut f.tags, &tag)
        }));
        a.on_add_tag(act(self, |p| p.add_tag()));
        a.on_toggle_link(act1(self, |p, id: SharedString| {
            p.toggle(|f| &mut f.links, &id)
        }));
        a.on_save(act(self, |p| p.save()));
        a.on_cancel_edit(act(self, |p| {
            p.new_form(None);
            p.show(CheckInView::History);
        }));
        a.on_show_history(act(self, |p| {
            p.undo.forget();
            p.shared.note_use();
            p.refresh_undo();
            p.show(CheckInView::History);
        }));
        a.on_set_filter(act1(self, |p, tag: SharedString| {
            p.filter_by(Some(tag.to_string()))
        }));
        a.on_clear_filter(act(self, |p| p.filter_by(None)));
        a.on_open(act1(self, |p, id: SharedString| {
            *p.current.borrow_mut() = Some(id.to_string());
            p.refresh_current();
            p.show(CheckInView::Entry);
        }));
        a.on_edit(act(self, |p| p.edit()));
        a.on_delete(act(self, |p| {
            let Some(id) = p.current.borrow_mut().take() else {
                return;
            };
            p.undo
                .delete(&p.shared, Slices::CHECK_INS, |d| checkin::delete(d, &id));
            p.show(CheckInView::History);
        }));
        a.on_undo(act(self, |p| {
            p.undo
                .undo(&p.shared, Slices::CHECK_INS, checkin::undo_delete)
        }));
    }

    /// Shows the Check in page.
    fn go_here(&self) {
        self.shared
            .in_window(|ui| ui.global::<Nav>().invoke_go(crate::ui::Page::CheckIn));
    }

    /// Takes a chip's item out of the form's list, or puts it in.
    fn toggle(&self, list: fn(&mut Form) -> &mut Vec<String>, item: &str) {
        crate::core::model::toggle(list(&mut self.form.borrow_mut()), item.to_owned());
        self.refresh_form_models();
    }

    /// Lists only the check-ins with `tag`, or all.
    fn filter_by(&self, tag: Option<String>) {
        *self.filter.borrow_mut() = tag;
        self.shared.note_use();
        self.shared
            .in_window(|ui| self.refresh_history(&ui.global::<CheckInAdapter>()));
    }

    fn show(&self, view: CheckInView) {
        self.shared
            .in_window(|ui| ui.global::<CheckInAdapter>().set_view(view));
    }

    /// A fresh form for now, with no mood chosen, optionally with one
    /// concern linked (then the whole form shows, with the link in view).
    fn new_form(&self, link: Option<String>) {
        let more = link.is_some();
        let body = CheckIn {
            when: self.shared.local_now(),
            concerns: link.into_iter().collect(),
            ..CheckIn::default()
        };
        self.fresh_form(&body, more);
    }

    /// A fresh form for the last session ("How did it go?"): its start
    /// filled in and the concerns raised in it linked (then the whole form
    /// shows, with the links in view). With no session behind, as now.
    fn after_session(&self) {
        let now = self.shared.now();
        let body = self.shared.data(|d| {
            let last = d.sessions.schedule.as_ref()?.previous(now, &Local)?;
            Some(CheckIn {
                when: last.start,
                concerns: sessions::raised_in(&last, &d.concerns, &Local),
                ..CheckIn::default()
            })
        });
        match body {
            Some(body) => {
                let more = !body.concerns.is_empty();
                self.fresh_form(&body, more);
            }
            None => self.new_form(None),
        }
    }

    /// Shows `body` in a new form with no mood chosen.
    fn fresh_form(&self, body: &CheckIn, more: bool) {
        self.load_form(None, body, None);
        self.shared
            .in_window(|ui| ui.global::<CheckInAdapter>().set_more(more));
        self.refresh_form_models();
        self.show(CheckInView::Form);
    }

    /// Puts `c` into the form's fields (not its chip models); `mood` is
    /// the mood chosen (`None` on a new form: nothing is pre-set).
    fn load_form(&self, editing: Option<String>, c: &CheckIn, mood: Option<u8>) {
        let Some(ui) = self.shared.window.upgrade() else {
            return;
        };
        *self.form.borrow_mut() = Form {
            editing: editing.clone(),
            tags: c.tags.clone(),
            links: c.concerns.clone(),
        };
        let a = ui.global::<CheckInAdapter>();
        a.set_editing(editing.is_some());
        a.set_more(editing.is_some());
        a.set_change_when(false);
        a.set_date_text(c.when.format("%Y-%m-%d").to_string().into());
        a.set_time_text(c.when.format("%H:%M").to_string().into());
        a.set_when(moment(c.when));
        a.set_mood(shown_score(mood));
        a.set_has_mood(mood.is_some());
        a.set_mood_before(shown_score(c.mood_before));
        a.set_has_mood_before(c.mood_before.is_some());
        a.set_heard(shown_score(c.heard));
        a.set_has_heard(c.heard.is_some());
        a.set_goals(shown_score(c.goals));
        a.set_has_goals(c.goals.is_some());
        a.set_approach(shown_score(c.approach));
        a.set_has_approach(c.approach.is_some());
        a.set_overall(shown_score(c.overall));
        a.set_has_overall(c.overall.is_some());
        a.set_note(c.note.as_str().into());
        a.set_held_back(ui_held_back(c.held_back));
        a.set_held_back_words(c.held_back_words.as_str().into());
        a.set_new_tag(SharedString::default());
        a.set_problem(CheckInProblem::None);
        a.set_saved(false);
    }

    fn update_when_label(&self) {
        let Some(ui) = self.shared.window.upgrade() else {
            return;
        };
        let a = ui.global::<CheckInAdapter>();
        if let Ok(when) = parse_when(&a.get_date_text(), &a.get_time_text()) {
            a.set_when(moment(when));
        }
    }

    fn add_tag(&self) {
        let Some(ui) = self.shared.window.upgrade() else {
            return;
        };
        let a = ui.global::<CheckInAdapter>();
        if let Some(tag) = checkin::clean_tag(&a.get_new_tag()) {
            let mut form = self.form.borrow_mut();
            let lower = tag.to_lowercase();
            if !form.tags.iter().any(|t| t.to_lowercase() == lower) {
                form.tags.push(tag);
            }
        }
        a.set_new_tag(SharedString::default());
        self.refresh_form_models();
    }

    fn edit(&self) {
        let Some(id) = self.current.borrow().clone() else {
            return;
        };
        let body = self
            .shared
            .data(|d| checkin::find(d, &id).map(|r| r.body.clone()));
        if let Some(body) = body {
            let mood = Some(body.mood);
            self.load_form(Some(id), &body, mood);
            self.refresh_form_models();
            self.show(CheckInView::Form);
        }
    }

    fn save(&self) {
        let Some(ui) = self.shared.window.upgrade() else {
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
        // A tag still in its field when saving is meant: it goes in.
        if !a.get_new_tag().trim().is_empty() {
            self.add_tag();
        }
        let (editing, tags, links) = {
            let f = self.form.borrow();
            (f.editing.clone(), f.tags.clone(), f.links.clone())
        };
        // Nothing is recorded that the user did not choose: no mood, no
        // save.
        let Some(mood) = score(a.get_has_mood(), a.get_mood()) else {
            a.set_problem(CheckInProblem::NoMood);
            return;
        };
        let body = CheckIn {
            when,
            mood,
            mood_before: score(a.get_has_mood_before(), a.get_mood_before()),
            heard: score(a.get_has_heard(), a.get_heard()),
            goals: score(a.get_has_goals(), a.get_goals()),
            approach: score(a.get_has_approach(), a.get_approach()),
            overall: score(a.get_has_overall(), a.get_overall()),
            note: a.get_note().to_string(),
            tags,
            concerns: links,
            held_back: core_held_back(a.get_held_back()),
            held_back_words: a.get_held_back_words().to_string(),
        };
        let now_local = self.shared.local_now();
        // Checked first, so that a refused check-in touches nothing.
        let body = match checkin::normalize(body, now_local) {
            Ok(body) => body,
            Err(e) => {
                a.set_problem(problem(e));
                a.set_change_when(true);
                return;
            }
        };
        let result = self
            .shared
            .change_soon(Slices::NONE, |d: &mut Data| match &editing {
                Some(id) => checkin::edit(d, id, body.clone(), now_local, Utc::now()),
                None => checkin::add(d, body.clone(), now_local, Utc::now()).map(|_| ()),
            });
        if let Err(e) = result {
            a.set_problem(problem(e));
            return;
        }
        // The form is fresh before the pages refresh, so that its models
        // are built once.
        self.load_form(
            None,
            &CheckIn {
                when: now_local,
                ..CheckIn::default()
            },
            None,
        );
        if let Some(id) = &editing {
            *self.current.borrow_mut() = Some(id.clone());
        }
        self.shared.publish(Slices::CHECK_INS);
        if editing.is_some() {
            self.show(CheckInView::Entry);
        } else {
            self.show(CheckInView::Form);
            a.set_saved(true);
        }
    }

    /// The form's chips: chosen and suggested tags, and the linkable
    /// concerns.
    fn refresh_form_models(&self) {
        let store = self.shared.store.borrow();
        let data = store.data();
        let form = self.form.borrow();
        let chosen = form.tags.iter().map(|t| CheckInTag {
            text: t.as_str().into(),
            chosen: true,
        });
        let suggested = checkin::tag_suggestions(data, "", &form.tags, SUGGESTED_TAGS)
            .into_iter()
            .map(|t| CheckInTag {
                text: t.into(),
                chosen: false,
            });
        sync_rows(&self.tags, chosen.chain(suggested));
        let mut offered: Vec<&Record<Concern>> = checkin::linkable_concerns(data, LINKABLE);
        for id in &form.links {
            if !offered.iter().any(|c| c.id == *id) {
                if let Some(c) = prepare::find(data, id) {
                    offered.insert(0, c);
                }
            }
        }
        sync_rows(
            &self.links,
            offered.iter().map(|c| CheckInLink {
                id: c.id.as_str().into(),
                title: prepare::title(&self.shared.prepare, &c.body, SHORT_TITLE_CHARS).into(),
                full_title: prepare::title(&self.shared.prepare, &c.body, usize::MAX).into(),
                chosen: form.links.contains(&c.id),
            }),
        );
    }

    fn refresh_undo(&self) {
        self.shared.in_window(|ui| {
            ui.global::<CheckInAdapter>()
                .set_can_undo(self.undo.can_undo());
        });
    }

    fn refresh_current(&self) {
        let Some(ui) = self.shared.window.upgrade() else {
            return;
        };
        let a = ui.global::<CheckInAdapter>();
        let store = self.shared.store.borrow();
        let data = store.data();
        let id = self.current.borrow().clone();
        let Some(r) = id.as_deref().and_then(|id| checkin::find(data, id)) else {
            if a.get_view() == CheckInView::Entry {
                a.set_view(CheckInView::History);
            }
            return;
        };
        let c = &r.body;
        sync_rows(
            &self.concerns,
            c.concerns
                .iter()
                .filter_map(|id| prepare::find(data, id))
                .map(|x| prepare::title(&self.shared.prepare, &x.body, TITLE_CHARS).into()),
        );
        a.set_current(CheckInEntry {
            id: r.id.as_str().into(),
            when: moment(c.when),
            mood: i32::from(c.mood),
            mood_before: given(c.mood_before),
            heard: given(c.heard),
            goals: given(c.goals),
            approach: given(c.approach),
            overall: given(c.overall),
            note: c.note.as_str().into(),
            tags: c.tags.join(", ").into(),
            concerns: shown(&self.concerns),
            held_back: ui_held_back(c.held_back),
            held_back_words: c.held_back_words.trim().into(),
        });
    }

    /// The filter chips and the history's keys (its rows are built when
    /// shown).
    fn refresh_history(&self, a: &CheckInAdapter) {
        let store = self.shared.store.borrow();
        let data = store.data();
        let filter_tags: Vec<String> = crate::core::insights::top_tags(data, FILTER_TAGS)
            .into_iter()
            .map(|(t, _)| t)
            .collect();
        let mut filter = self.filter.borrow_mut();
        if let Some(f) = filter.as_deref() {
            let f = f.to_lowercase();
            if !filter_tags.iter().any(|t| t.to_lowercase() == f) {
                *filter = None;
            }
        }
        a.set_filtered(filter.is_some());
        a.set_filter(filter.clone().unwrap_or_default().into());
        sync_rows(
            &self.filter_tags,
            filter_tags.iter().map(|t| SharedString::from(t.as_str())),
        );
        a.set_total(data.check_ins.len() as i32);
        let keys = checkin::history(data, filter.as_deref())
            .into_iter()
            .map(|row| match row {
                HistoryRow::Month { year, month, count } => RowKey::Month { year, month, count },
                HistoryRow::Entry(at) => {
                    let r = &data.check_ins[at];
                    RowKey::Entry {
                        at,
                        id: id_key(&r.id),
                        updated: r.updated,
                    }
                }
            })
            .collect();
        self.history.set_keys(keys);
    }
}

impl Page for CheckInPage {
    fn forget(&self) {
        *self.current.borrow_mut() = None;
        self.undo.forget();
    }

    fn refresh(&self, ui: &AppWindow, changed: Slices) {
        let a = ui.global::<CheckInAdapter>();
        if changed.intersects(Slices::CHECK_INS | Slices::STORE) {
            self.refresh_history(&a);
            self.refresh_undo();
        }
        self.refresh_current();
        self.refresh_form_models();
    }
}

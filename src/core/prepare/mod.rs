//! Prepare: the concern builder, the agenda "For my next session", the
//! in-session view's data, outcomes and history. Pure functions over
//! [`Data`]; content (topics, emotions, ways to raise it, opener templates)
//! comes from `assets/prepare.json` as [`PrepareContent`].
//!
//! Nothing here ever shortens what the user typed: text over
//! [`MAX_TEXT_CHARS`] is kept and reported by [`check_step`].
//!
//! By concern: [`content`] (the content file), [`steps`] (the builder's
//! step machine), [`templates`] (openers and titles made from the user's
//! words) and [`agenda`] (the agenda, outcomes, undo and history).

mod agenda;
mod content;
mod steps;
mod templates;

pub use agenda::*;
pub use content::*;
pub use steps::*;
pub use templates::*;

use chrono::{DateTime, Utc};

use crate::core::model::{Concern, Data, Record};

pub(crate) fn find_mut<'a>(data: &'a mut Data, id: &str) -> Option<&'a mut Record<Concern>> {
    data.concerns.iter_mut().find(|r| r.id == id)
}

/// Runs `f` on the concern and bumps `updated`; nothing if it is gone.
pub(crate) fn edit(data: &mut Data, id: &str, now: DateTime<Utc>, f: impl FnOnce(&mut Concern)) {
    if let Some(r) = find_mut(data, id) {
        f(&mut r.body);
        r.updated = now;
    }
}

pub(crate) fn remove_from_agenda_list(data: &mut Data, id: &str) {
    data.prepare.agenda.retain(|a| a != id);
}

pub(crate) fn push_to_agenda(data: &mut Data, id: &str) {
    if !data.prepare.agenda.iter().any(|a| a == id) {
        data.prepare.agenda.push(id.to_owned());
    }
}

pub fn find<'a>(data: &'a Data, id: &str) -> Option<&'a Record<Concern>> {
    data.concerns.iter().find(|r| r.id == id)
}

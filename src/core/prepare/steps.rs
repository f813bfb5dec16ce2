//! The concern builder's step machine: drafts, their fields, the checks
//! that keep Next and Save honest, and moving between steps.

use chrono::{DateTime, Utc};

use super::content::PrepareContent;
use super::templates::fill_openers;
use super::{edit, find, find_mut, push_to_agenda};
use crate::core::model::{toggle, Concern, ConcernState, Data, RaiseWay, RecordId, Topic};

/// The builder's steps, 1-based: what, happened, felt, matters, way,
/// openers, review.
pub const STEPS: u8 = 7;
pub const STEP_TOPIC: u8 = 1;
pub const STEP_HAPPENED: u8 = 2;
pub const STEP_FEELING: u8 = 3;
pub const STEP_MATTERS: u8 = 4;
pub const STEP_WAY: u8 = 5;
pub const STEP_OPENERS: u8 = 6;
pub const STEP_REVIEW: u8 = 7;

/// The most characters one free-text field takes before Next and Save
/// refuse (the text is kept, never cut).
pub const MAX_TEXT_CHARS: usize = 10_000;
/// From this many characters on, the UI shows a counter.
pub const COUNTER_FROM: usize = 9_000;

/// The free-text fields of a concern.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    OtherTopic,
    WhatHappened,
    WhatMatters,
    WouldLike,
    /// The suggested opener at this index.
    Opener(usize),
    OwnOpener,
    OutcomeNote,
}

/// Why a step cannot be left with Next (or the concern saved).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StepError {
    /// A required field is empty (or only white space).
    Required(Field),
    /// A field is longer than [`MAX_TEXT_CHARS`] by `over` characters.
    TooLong { field: Field, over: usize },
}

/// Starts a new draft (optionally with a topic chosen), opens it in the
/// builder at step 1, and returns its id.
pub fn new_draft(data: &mut Data, topic: Option<Topic>, now: DateTime<Utc>) -> RecordId {
    let body = Concern {
        topics: topic.into_iter().collect(),
        step: STEP_TOPIC,
        state: ConcernState::Draft,
        ..Concern::default()
    };
    let record = data.new_record(body, now);
    let id = record.id.clone();
    data.concerns.push(record);
    data.prepare.open = Some(id.clone());
    id
}

/// Opens an existing concern in the builder (a draft at its step; any other
/// concern at the review step), sets `data.prepare.open`.
pub fn open(data: &mut Data, id: &str) -> bool {
    let Some(r) = find_mut(data, id) else {
        return false;
    };
    let c = &mut r.body;
    if c.state == ConcernState::Draft {
        c.step = c.step.clamp(STEP_TOPIC, STEPS);
    } else {
        c.step = STEP_REVIEW;
    }
    data.prepare.open = Some(id.to_owned());
    true
}

/// Leaves the builder, keeping the draft.
pub fn close(data: &mut Data) {
    data.prepare.open = None;
}

/// Replaces the text of one field, exactly as given; bumps `updated`.
/// `Field::Opener(i)` past the end of the openers does nothing.
pub fn set_text(data: &mut Data, id: &str, field: Field, text: &str, now: DateTime<Utc>) {
    if let Field::Opener(i) = field {
        if find(data, id).is_none_or(|r| i >= r.body.openers.len()) {
            return;
        }
    }
    edit(data, id, now, |c| {
        let slot = match field {
            Field::OtherTopic => &mut c.other_topic,
            Field::WhatHappened => &mut c.what_happened,
            Field::WhatMatters => &mut c.what_matters,
            Field::WouldLike => &mut c.would_like,
            Field::Opener(i) => &mut c.openers[i],
            Field::OwnOpener => &mut c.own_opener,
            Field::OutcomeNote => &mut c.outcome.note,
        };
        text.clone_into(slot);
    });
}

/// The text of one field (empty for an opener index past the end).
pub fn text(concern: &Concern, field: Field) -> &str {
    match field {
        Field::OtherTopic => &concern.other_topic,
        Field::WhatHappened => &concern.what_happened,
        Field::WhatMatters => &concern.what_matters,
        Field::WouldLike => &concern.would_like,
        Field::Opener(i) => concern.openers.get(i).map_or("", String::as_str),
        Field::OwnOpener => &concern.own_opener,
        Field::OutcomeNote => &concern.outcome.note,
    }
}

pub fn toggle_topic(data: &mut Data, id: &str, topic: Topic, now: DateTime<Utc>) {
    edit(data, id, now, |c| toggle(&mut c.topics, topic));
}
pub fn toggle_feeling(data: &mut Data, id: &str, emotion: &str, now: DateTime<Utc>) {
    edit(data, id, now, |c| {
        toggle(&mut c.feelings, emotion.to_owned())
    });
}
/// Sets how strong the feeling is, 0 (not said) to 5; higher values are
/// taken as 5.
pub fn set_intensity(data: &mut Data, id: &str, intensity: u8, now: DateTime<Utc>) {
    edit(data, id, now, |c| c.intensity = intensity.min(5));
}
pub fn set_way(data: &mut Data, id: &str, way: Option<RaiseWay>, now: DateTime<Utc>) {
    edit(data, id, now, |c| c.raise_way = way);
}
/// Chooses the opener to lead with: an index into `openers`, or
/// `openers.len()` for the user's own line (larger values are taken as
/// that).
pub fn choose_opener(data: &mut Data, id: &str, index: usize, now: DateTime<Utc>) {
    edit(data, id, now, |c| {
        c.chosen_opener = index.min(c.openers.len())
    });
}

/// Whether the ethics guidance should be shown before going on from
/// step 1 (Ethics chosen and not yet seen).
pub fn needs_ethics_guidance(concern: &Concern) -> bool {
    concern.topics.contains(&Topic::Ethics) && !concern.ethics_seen
}
pub fn mark_ethics_seen(data: &mut Data, id: &str) {
    if let Some(r) = find_mut(data, id) {
        r.body.ethics_seen = true;
    }
}

/// Checks one text against [`MAX_TEXT_CHARS`] (counted in characters).
pub fn check_len(field: Field, text: &str) -> Result<(), StepError> {
    let n = text.chars().count();
    if n > MAX_TEXT_CHARS {
        Err(StepError::TooLong {
            field,
            over: n - MAX_TEXT_CHARS,
        })
    } else {
        Ok(())
    }
}

/// Checks what leaving `step` needs: step 2 requires `what_happened`;
/// every field must be within [`MAX_TEXT_CHARS`]. The review step checks
/// every builder field.
pub fn check_step(concern: &Concern, step: u8) -> Result<(), StepError> {
    match step {
        STEP_TOPIC => check_len(Field::OtherTopic, &concern.other_topic),
        STEP_HAPPENED => {
            if concern.what_happened.trim().is_empty() {
                return Err(StepError::Required(Field::WhatHappened));
            }
            check_len(Field::WhatHappened, &concern.what_happened)
        }
        STEP_MATTERS => {
            check_len(Field::WhatMatters, &concern.what_matters)?;
            check_len(Field::WouldLike, &concern.would_like)
        }
        STEP_OPENERS => {
            for (i, o) in concern.openers.iter().enumerate() {
                check_len(Field::Opener(i), o)?;
            }
            check_len(Field::OwnOpener, &concern.own_opener)
        }
        STEP_REVIEW => (STEP_TOPIC..STEP_REVIEW).try_for_each(|s| check_step(concern, s)),
        _ => Ok(()),
    }
}

/// Moves the concern to `step`; entering the openers step refreshes the
/// suggestions.
fn enter(content: &PrepareContent, data: &mut Data, id: &str, step: u8, now: DateTime<Utc>) {
    let style = data.prepare.reaction;
    let Some(r) = find_mut(data, id) else { return };
    let changed = r.body.step != step;
    r.body.step = step;
    if step == STEP_OPENERS && changed {
        let before = (r.body.openers.clone(), r.body.suggested.clone());
        fill_openers(content, &mut r.body, style);
        if (&r.body.openers, &r.body.suggested) != (&before.0, &before.1) {
            r.updated = now;
        }
    }
}

/// Next: checks the step, then moves on (entering step 6 fills the
/// suggested openers, keeping any the user has edited). Returns the new
/// step, or the reason it stayed. Next does not stop for the ethics
/// guidance: the UI asks [`needs_ethics_guidance`] first. On the review
/// step it stays there (use [`save`]).
pub fn next(
    content: &PrepareContent,
    data: &mut Data,
    id: &str,
    now: DateTime<Utc>,
) -> Result<u8, StepError> {
    let Some(r) = find(data, id) else {
        return Ok(STEP_TOPIC);
    };
    let step = r.body.step.clamp(STEP_TOPIC, STEPS);
    check_step(&r.body, step)?;
    let to = (step + 1).min(STEPS);
    enter(content, data, id, to, now);
    Ok(to)
}
/// Skip: like Next without checks, but refuses a required step (step 2
/// behaves exactly as Next: it moves on only with something written).
pub fn skip(
    content: &PrepareContent,
    data: &mut Data,
    id: &str,
    now: DateTime<Utc>,
) -> Result<u8, StepError> {
    let Some(r) = find(data, id) else {
        return Ok(STEP_TOPIC);
    };
    let step = r.body.step.clamp(STEP_TOPIC, STEPS);
    if step == STEP_HAPPENED {
        return next(content, data, id, now);
    }
    let to = (step + 1).min(STEPS);
    enter(content, data, id, to, now);
    Ok(to)
}
/// Back one step (never below 1).
pub fn back(data: &mut Data, id: &str) -> u8 {
    let Some(r) = find_mut(data, id) else {
        return STEP_TOPIC;
    };
    r.body.step = r.body.step.saturating_sub(1).clamp(STEP_TOPIC, STEPS);
    r.body.step
}
/// Jumps to a step (from the review screen's Edit links). Does not refresh
/// the openers: call [`refresh_openers`] when jumping to step 6.
pub fn go_to(data: &mut Data, id: &str, step: u8) {
    if let Some(r) = find_mut(data, id) {
        r.body.step = step.clamp(STEP_TOPIC, STEPS);
    }
}

/// Save on the review step: checks every step; the concern becomes Ready,
/// joins the end of the agenda and the builder closes. On error returns
/// the first step that needs attention and why.
///
/// Saving a concern that is already past Draft (edited from the agenda or
/// history) keeps its state and its place.
pub fn save(data: &mut Data, id: &str, now: DateTime<Utc>) -> Result<(), (u8, StepError)> {
    let Some(r) = find(data, id) else {
        return Ok(());
    };
    for step in STEP_TOPIC..STEP_REVIEW {
        check_step(&r.body, step).map_err(|e| (step, e))?;
    }
    let state = r.body.state;
    edit(data, id, now, |c| {
        c.step = STEP_REVIEW;
        if c.state == ConcernState::Draft {
            c.state = ConcernState::Ready;
        }
    });
    if matches!(state, ConcernState::Draft | ConcernState::Ready) {
        push_to_agenda(data, id);
    }
    if data.prepare.open.as_deref() == Some(id) {
        data.prepare.open = None;
    }
    Ok(())
}

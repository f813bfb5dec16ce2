//! Prepare: the concern builder, the agenda "For my next session", the
//! in-session view's data, outcomes and history. Pure functions over
//! [`Data`]; content (topics, emotions, ways to raise it, opener templates)
//! comes from `assets/prepare.json` as [`PrepareContent`].
//!
//! Nothing here ever shortens what the user typed: text over
//! [`MAX_TEXT_CHARS`] is kept and reported by [`check_step`].

use chrono::{DateTime, Utc};
use serde::Deserialize;

use crate::core::model::{
    Concern, ConcernState, Data, Outcome, RaiseWay, Record, RecordId, Response, Topic,
};

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

/// One topic as content: id, label for the chip, and an optional hint.
#[derive(Clone, Debug, Deserialize)]
pub struct TopicInfo {
    pub id: Topic,
    pub label: String,
    /// Short phrase used inside openers ("the pace of our sessions").
    pub phrase: String,
}

#[derive(Clone, Debug, Deserialize)]
pub struct EmotionInfo {
    pub id: String,
    pub label: String,
}

#[derive(Clone, Debug, Deserialize)]
pub struct WayInfo {
    pub id: RaiseWay,
    pub label: String,
    /// One plain line that explains it.
    pub explain: String,
    /// The Learn card that explains this way of raising it.
    pub card: String,
}

#[derive(Clone, Debug, Deserialize)]
pub struct ResponseInfo {
    pub id: Response,
    pub label: String,
}

/// One opener template. `text` may hold the placeholders `{topic}`,
/// `{happened}`, `{feeling}`, `{matters}` and `{would_like}`; a template
/// is used only when every placeholder it holds can be filled.
#[derive(Clone, Debug, Deserialize)]
pub struct OpenerTemplate {
    /// The topics it fits; empty = any topic.
    #[serde(default)]
    pub topics: Vec<Topic>,
    pub way: RaiseWay,
    pub text: String,
}

/// Everything Prepare shows that is content, from `assets/prepare.json`.
#[derive(Clone, Debug, Deserialize)]
pub struct PrepareContent {
    pub topics: Vec<TopicInfo>,
    pub emotions: Vec<EmotionInfo>,
    pub ways: Vec<WayInfo>,
    pub responses: Vec<ResponseInfo>,
    pub openers: Vec<OpenerTemplate>,
    /// Learn card id -> the topic a "Start a concern" link from it picks.
    #[serde(default)]
    pub card_topics: std::collections::BTreeMap<String, Topic>,
    /// The Learn deck shown first on the ethics path.
    pub ethics_deck: String,
}

impl PrepareContent {
    /// The content shipped with the app (panics only if the bundled file is
    /// broken, which `tests/content.rs` rules out).
    pub fn builtin() -> PrepareContent {
        todo!()
    }
    pub fn parse(json: &str) -> Result<PrepareContent, String> {
        todo!()
    }
    /// Problems with the content: missing topics/ways/responses, unknown
    /// placeholders, a topic x way pair with fewer than two openers when
    /// nothing but the required field is filled, unknown card ids (checked
    /// against `known_cards`).
    pub fn validate(&self, known_cards: &dyn Fn(&str) -> bool) -> Vec<String> {
        todo!()
    }
    pub fn topic(&self, t: Topic) -> &TopicInfo {
        todo!()
    }
    pub fn way(&self, w: RaiseWay) -> &WayInfo {
        todo!()
    }
}

/// Starts a new draft (optionally with a topic chosen), opens it in the
/// builder at step 1, and returns its id.
pub fn new_draft(data: &mut Data, topic: Option<Topic>, now: DateTime<Utc>) -> RecordId {
    todo!()
}

pub fn find<'a>(data: &'a Data, id: &str) -> Option<&'a Record<Concern>> {
    todo!()
}

/// Opens an existing concern in the builder (a draft at its step; any other
/// concern at the review step), sets `data.prepare.open`.
pub fn open(data: &mut Data, id: &str) -> bool {
    todo!()
}

/// Leaves the builder, keeping the draft.
pub fn close(data: &mut Data) {
    todo!()
}

/// Replaces the text of one field, exactly as given; bumps `updated`.
pub fn set_text(data: &mut Data, id: &str, field: Field, text: &str, now: DateTime<Utc>) {
    todo!()
}

pub fn toggle_topic(data: &mut Data, id: &str, topic: Topic, now: DateTime<Utc>) {
    todo!()
}
pub fn toggle_feeling(data: &mut Data, id: &str, emotion: &str, now: DateTime<Utc>) {
    todo!()
}
pub fn set_intensity(data: &mut Data, id: &str, intensity: u8, now: DateTime<Utc>) {
    todo!()
}
pub fn set_way(data: &mut Data, id: &str, way: Option<RaiseWay>, now: DateTime<Utc>) {
    todo!()
}
pub fn choose_opener(data: &mut Data, id: &str, index: usize, now: DateTime<Utc>) {
    todo!()
}

/// Whether the ethics guidance should be shown before going on from
/// step 1 (Ethics chosen and not yet seen).
pub fn needs_ethics_guidance(concern: &Concern) -> bool {
    todo!()
}
pub fn mark_ethics_seen(data: &mut Data, id: &str) {
    todo!()
}

/// Checks what leaving `step` needs: step 2 requires `what_happened`;
/// every field must be within [`MAX_TEXT_CHARS`].
pub fn check_step(concern: &Concern, step: u8) -> Result<(), StepError> {
    todo!()
}

/// Next: checks the step, then moves on (entering step 6 fills the
/// suggested openers, keeping any the user has edited). Returns the new
/// step, or the reason it stayed.
pub fn next(content: &PrepareContent, data: &mut Data, id: &str, now: DateTime<Utc>) -> Result<u8, StepError> {
    todo!()
}
/// Skip: like Next without checks, but refuses a required step.
pub fn skip(content: &PrepareContent, data: &mut Data, id: &str, now: DateTime<Utc>) -> Result<u8, StepError> {
    todo!()
}
/// Back one step (never below 1).
pub fn back(data: &mut Data, id: &str) -> u8 {
    todo!()
}
/// Jumps to a step (from the review screen's Edit links).
pub fn go_to(data: &mut Data, id: &str, step: u8) {
    todo!()
}

/// Two or three openers for this concern from the templates, best fit
/// first (topic and way both match, then way only), with the user's words
/// inserted exactly as written. Never returns a text with a placeholder.
pub fn suggest_openers(content: &PrepareContent, concern: &Concern) -> Vec<String> {
    todo!()
}

/// Save on the review step: checks every step; the concern becomes Ready,
/// joins the end of the agenda and the builder closes. On error returns
/// the first step that needs attention and why.
pub fn save(data: &mut Data, id: &str, now: DateTime<Utc>) -> Result<(), (u8, StepError)> {
    todo!()
}

/// The line the user will lead with (chosen opener, else own, else first).
pub fn lead_line(concern: &Concern) -> &str {
    todo!()
}

/// A short title for lists: the first line of what happened, cut at a word
/// boundary near `max_chars` with an ellipsis (display only; the stored
/// text is untouched), or the first topic's label if that is empty.
pub fn title(content: &PrepareContent, concern: &Concern, max_chars: usize) -> String {
    todo!()
}

/// Drafts, newest first.
pub fn drafts(data: &Data) -> Vec<&Record<Concern>> {
    todo!()
}
/// The agenda in the user's order (only `Ready` concerns).
pub fn agenda(data: &Data) -> Vec<&Record<Concern>> {
    todo!()
}
/// Moves a concern up (`-1`) or down (`+1`) in the agenda.
pub fn move_in_agenda(data: &mut Data, id: &str, delta: i32) {
    todo!()
}
/// Takes a concern off the agenda: it is set aside (still in history).
pub fn remove_from_agenda(data: &mut Data, id: &str, now: DateTime<Utc>) {
    todo!()
}
/// "I raised it": state Raised, `outcome.raised_at = now`, off the agenda.
pub fn mark_raised(data: &mut Data, id: &str, now: DateTime<Utc>) {
    todo!()
}
/// "Not this time": stays Ready, moves to the end of the agenda.
pub fn not_this_time(data: &mut Data, id: &str, now: DateTime<Utc>) {
    todo!()
}
/// Records how raising it went; `settled` moves it to Settled, else it
/// stays Raised.
pub fn record_outcome(
    data: &mut Data,
    id: &str,
    response: Option<Response>,
    feel_now: Option<u8>,
    settled: bool,
    now: DateTime<Utc>,
) {
    todo!()
}
/// Sets aside (any state) or brings back to Ready (joins the agenda end).
pub fn set_state(data: &mut Data, id: &str, state: ConcernState, now: DateTime<Utc>) {
    todo!()
}

/// A deleted concern, kept so that Undo can put it back where it was.
#[derive(Clone, Debug)]
pub struct Deleted {
    pub index: usize,
    pub agenda_index: Option<usize>,
    pub record: Record<Concern>,
}
pub fn delete(data: &mut Data, id: &str) -> Option<Deleted> {
    todo!()
}
pub fn undo_delete(data: &mut Data, deleted: Deleted) {
    todo!()
}

/// Every concern except drafts, newest `updated` first, for history.
pub fn history(data: &Data) -> Vec<&Record<Concern>> {
    todo!()
}

#[allow(dead_code)]
fn _uses(_: Outcome) {}

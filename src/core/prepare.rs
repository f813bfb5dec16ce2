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
    Concern, ConcernState, Data, RaiseWay, Record, RecordId, Response, Topic,
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
    /// The chip's label ("Let down").
    pub label: String,
    /// The word(s) used inside openers ("let down"); the label if empty.
    #[serde(default)]
    pub phrase: String,
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
    /// The word that joins the last two feelings in `{feeling}`
    /// ("confused and hurt").
    #[serde(default = "default_and")]
    pub list_and: String,
}

fn default_and() -> String {
    "and".to_owned()
}

/// The bundled `assets/prepare.json`.
pub const BUILTIN_PREPARE: &str = include_str!("../../assets/prepare.json");

/// Every topic, in the order the builder shows them.
pub const ALL_TOPICS: [Topic; 9] = [
    Topic::Approach,
    Topic::Homework,
    Topic::SomethingSaid,
    Topic::Goals,
    Topic::Pace,
    Topic::Practical,
    Topic::NotHeard,
    Topic::Ethics,
    Topic::Other,
];
/// Every way to raise a concern.
pub const ALL_WAYS: [RaiseWay; 4] = [
    RaiseWay::SayHowIFeel,
    RaiseWay::AskToExplain,
    RaiseWay::WorkOutChange,
    RaiseWay::SecondOpinion,
];
/// Every kind of response.
pub const ALL_RESPONSES: [Response; 5] = [
    Response::Listened,
    Response::Explained,
    Response::ChangedPlan,
    Response::Disagreed,
    Response::SomethingElse,
];

/// The placeholders an opener template may hold.
pub const PLACEHOLDERS: [&str; 5] = ["topic", "happened", "feeling", "matters", "would_like"];

/// The user's words are put into an opener only when they fit on one line
/// and within this many characters; a longer or multi-line answer is left
/// to the user to say in their own way (templates that need it are not
/// offered). The words are never shortened or changed.
pub const INLINE_MAX_CHARS: usize = 160;
/// At most this many feelings are named in one opener.
pub const MAX_FEELINGS_IN_OPENER: usize = 3;

impl PrepareContent {
    /// The content shipped with the app (panics only if the bundled file is
    /// broken, which `tests/content.rs` rules out).
    pub fn builtin() -> PrepareContent {
        PrepareContent::parse(BUILTIN_PREPARE)
            .unwrap_or_else(|e| panic!("assets/prepare.json is invalid: {e}"))
    }
    /// The built-in content, parsed once and shared.
    pub fn shared() -> &'static PrepareContent {
        static CONTENT: std::sync::OnceLock<PrepareContent> = std::sync::OnceLock::new();
        CONTENT.get_or_init(PrepareContent::builtin)
    }
    pub fn parse(json: &str) -> Result<PrepareContent, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }
    /// Problems with the content: missing topics/ways/responses, unknown
    /// placeholders, a topic x way pair with fewer than two openers when
    /// nothing but the required field is filled, unknown card ids (checked
    /// against `known_cards`).
    pub fn validate(&self, known_cards: &dyn Fn(&str) -> bool) -> Vec<String> {
        let mut problems = Vec::new();
        for t in ALL_TOPICS {
            match self.topics.iter().filter(|i| i.id == t).count() {
                0 => problems.push(format!("topic {t:?} is missing")),
                1 => {}
                n => problems.push(format!("topic {t:?} is listed {n} times")),
            }
        }
        for w in ALL_WAYS {
            match self.ways.iter().filter(|i| i.id == w).count() {
                0 => problems.push(format!("way {w:?} is missing")),
                1 => {}
                n => problems.push(format!("way {w:?} is listed {n} times")),
            }
        }
        for r in ALL_RESPONSES {
            match self.responses.iter().filter(|i| i.id == r).count() {
                0 => problems.push(format!("response {r:?} is missing")),
                1 => {}
                n => problems.push(format!("response {r:?} is listed {n} times")),
            }
        }
        for t in &self.topics {
            if t.label.trim().is_empty() || t.phrase.trim().is_empty() {
                problems.push(format!("topic {:?} has an empty label or phrase", t.id));
            }
        }
        for w in &self.ways {
            if w.label.trim().is_empty() || w.explain.trim().is_empty() {
                problems.push(format!("way {:?} has an empty label or explanation", w.id));
            }
            if !known_cards(&w.card) {
                problems.push(format!("way {:?} links to unknown card '{}'", w.id, w.card));
            }
        }
        for r in &self.responses {
            if r.label.trim().is_empty() {
                problems.push(format!("response {:?} has an empty label", r.id));
            }
        }
        if self.emotions.is_empty() {
            problems.push("there are no emotions".to_owned());
        }
        let mut seen = std::collections::BTreeSet::new();
        for e in &self.emotions {
            if e.id.trim().is_empty() || e.label.trim().is_empty() {
                problems.push(format!("emotion '{}' has an empty id or label", e.id));
            }
            if !seen.insert(e.id.as_str()) {
                problems.push(format!("emotion '{}' is listed twice", e.id));
            }
        }
        for card in self.card_topics.keys() {
            if !known_cards(card) {
                problems.push(format!("card_topics names unknown card '{card}'"));
            }
        }
        if self.ethics_deck.trim().is_empty() {
            problems.push("ethics_deck is empty".to_owned());
        }
        for (i, o) in self.openers.iter().enumerate() {
            match placeholders(&o.text) {
                Ok(names) => {
                    if let Some(bad) = names.iter().find(|n| !PLACEHOLDERS.contains(n)) {
                        problems.push(format!("opener {i} has unknown placeholder {{{bad}}}"));
                    }
                }
                Err(e) => problems.push(format!("opener {i}: {e}")),
            }
            if o.text.trim().is_empty() {
                problems.push(format!("opener {i} is empty"));
            }
        }
        // With nothing but the required field filled (and even when that
        // is too long to quote), every pair must offer two openers.
        let minimal = |topics: Vec<Topic>, way: RaiseWay| Concern {
            topics,
            what_happened: "x\n".repeat(INLINE_MAX_CHARS),
            raise_way: Some(way),
            ..Concern::default()
        };
        for w in ALL_WAYS {
            let n = suggest_openers(self, &minimal(Vec::new(), w)).len();
            if n < 2 {
                problems.push(format!("way {w:?} without a topic has {n} opener(s)"));
            }
            for t in ALL_TOPICS {
                let n = suggest_openers(self, &minimal(vec![t], w)).len();
                if n < 2 {
                    problems.push(format!("topic {t:?} x way {w:?} has {n} opener(s)"));
                }
            }
        }
        problems
    }
    pub fn topic(&self, t: Topic) -> &TopicInfo {
        self.topics
            .iter()
            .find(|i| i.id == t)
            .unwrap_or_else(|| panic!("prepare content has no topic {t:?}"))
    }
    pub fn way(&self, w: RaiseWay) -> &WayInfo {
        self.ways
            .iter()
            .find(|i| i.id == w)
            .unwrap_or_else(|| panic!("prepare content has no way {w:?}"))
    }
    /// The label of an emotion id, if the content knows it.
    pub fn emotion(&self, id: &str) -> Option<&EmotionInfo> {
        self.emotions.iter().find(|e| e.id == id)
    }
}

/// The placeholder names in a template, in order; an error for an
/// unclosed or empty brace.
fn placeholders(text: &str) -> Result<Vec<&str>, String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let close = after
            .find('}')
            .ok_or_else(|| format!("unclosed '{{' in {text:?}"))?;
        let name = &after[..close];
        if name.is_empty() || name.contains('{') {
            return Err(format!("bad placeholder in {text:?}"));
        }
        out.push(name);
        rest = &after[close + 1..];
    }
    if rest.contains('}') {
        return Err(format!("stray '}}' in {text:?}"));
    }
    Ok(out)
}

fn find_mut<'a>(data: &'a mut Data, id: &str) -> Option<&'a mut Record<Concern>> {
    data.concerns.iter_mut().find(|r| r.id == id)
}

/// Runs `f` on the concern and bumps `updated`; nothing if it is gone.
fn edit(data: &mut Data, id: &str, now: DateTime<Utc>, f: impl FnOnce(&mut Concern)) {
    if let Some(r) = find_mut(data, id) {
        f(&mut r.body);
        r.updated = now;
    }
}

fn remove_from_agenda_list(data: &mut Data, id: &str) {
    data.prepare.agenda.retain(|a| a != id);
}

fn push_to_agenda(data: &mut Data, id: &str) {
    if !data.prepare.agenda.iter().any(|a| a == id) {
        data.prepare.agenda.push(id.to_owned());
    }
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

pub fn find<'a>(data: &'a Data, id: &str) -> Option<&'a Record<Concern>> {
    data.concerns.iter().find(|r| r.id == id)
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
    edit(data, id, now, |c| {
        if let Some(i) = c.topics.iter().position(|t| *t == topic) {
            c.topics.remove(i);
        } else {
            c.topics.push(topic);
        }
    });
}
pub fn toggle_feeling(data: &mut Data, id: &str, emotion: &str, now: DateTime<Utc>) {
    edit(data, id, now, |c| {
        if let Some(i) = c.feelings.iter().position(|f| f == emotion) {
            c.feelings.remove(i);
        } else {
            c.feelings.push(emotion.to_owned());
        }
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
    let Some(r) = find_mut(data, id) else { return };
    let changed = r.body.step != step;
    r.body.step = step;
    if step == STEP_OPENERS && changed {
        let before = (r.body.openers.clone(), r.body.suggested.clone());
        fill_openers(content, &mut r.body);
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

/// Refreshes the suggested openers from the current answers, keeping
/// every opener the user edited (what entering step 6 with Next does).
pub fn refresh_openers(content: &PrepareContent, data: &mut Data, id: &str, now: DateTime<Utc>) {
    edit(data, id, now, |c| fill_openers(content, c));
}

/// Whether opener `i` differs from what was suggested (the user edited
/// it).
pub fn opener_edited(concern: &Concern, i: usize) -> bool {
    concern.openers.get(i) != concern.suggested.get(i)
}

fn fill_openers(content: &PrepareContent, c: &mut Concern) {
    let fresh = suggest_openers(content, c);
    let chosen = c.chosen_opener;
    // With no openers yet (the first visit to step 6) nothing was chosen:
    // lead with the first suggestion.
    let chosen_own = !c.openers.is_empty() && chosen >= c.openers.len();
    let chosen_text = c.openers.get(chosen).cloned();
    let mut openers = Vec::new();
    let mut suggested = Vec::new();
    for i in 0..c.openers.len() {
        if opener_edited(c, i) && !c.openers[i].trim().is_empty() {
            openers.push(c.openers[i].clone());
            // Never equal to a non-empty opener: it stays "edited".
            suggested.push(String::new());
        }
    }
    for s in fresh {
        if !openers.contains(&s) {
            openers.push(s.clone());
            suggested.push(s);
        }
    }
    c.chosen_opener = if chosen_own {
        openers.len()
    } else {
        chosen_text
            .and_then(|t| openers.iter().position(|o| *o == t))
            .unwrap_or(0)
    };
    c.openers = openers;
    c.suggested = suggested;
}

/// The user's words for a placeholder, trimmed, if they can stand inside
/// an opener (see [`INLINE_MAX_CHARS`]).
fn inline(text: &str) -> Option<&str> {
    let t = text.trim();
    (!t.is_empty() && !t.contains(['\n', '\r']) && t.chars().count() <= INLINE_MAX_CHARS)
        .then_some(t)
}

/// The `{feeling}` value: the chosen feelings' phrases joined
/// ("confused, hurt and anxious").
fn feeling_phrase(content: &PrepareContent, concern: &Concern) -> Option<String> {
    let words: Vec<&str> = concern
        .feelings
        .iter()
        .filter_map(|id| content.emotion(id))
        .map(|e| {
            if e.phrase.trim().is_empty() {
                e.label.trim()
            } else {
                e.phrase.trim()
            }
        })
        .take(MAX_FEELINGS_IN_OPENER)
        .collect();
    match words.as_slice() {
        [] => None,
        [one] => Some((*one).to_owned()),
        [init @ .., last] => Some(format!("{} {} {last}", init.join(", "), content.list_and)),
    }
}

/// The `{topic}` value for a template: the first of the concern's topics
/// that the template fits (the user's own words for "Something else" when
/// they wrote some that fit on a line).
fn topic_phrase(
    content: &PrepareContent,
    concern: &Concern,
    template: &OpenerTemplate,
) -> Option<String> {
    let t = concern
        .topics
        .iter()
        .find(|t| template.topics.is_empty() || template.topics.contains(t))?;
    if *t == Topic::Other {
        if let Some(own) = inline(&concern.other_topic) {
            return Some(own.to_owned());
        }
    }
    content
        .topics
        .iter()
        .find(|i| i.id == *t)
        .map(|i| i.phrase.trim().to_owned())
}

/// Fills `template`, or `None` if a placeholder has no value. The user's
/// words go in exactly as written (trimmed); a template's full stop right
/// after them is dropped when they already end a sentence.
fn fill(content: &PrepareContent, concern: &Concern, template: &OpenerTemplate) -> Option<String> {
    let text = template.text.as_str();
    let mut out = String::with_capacity(text.len() + 64);
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close = after.find('}')?;
        let name = &after[..close];
        let value: String = match name {
            "topic" => topic_phrase(content, concern, template)?,
            "feeling" => feeling_phrase(content, concern)?,
            "happened" => inline(&concern.what_happened)?.to_owned(),
            "matters" => inline(&concern.what_matters)?.to_owned(),
            "would_like" => inline(&concern.would_like)?.to_owned(),
            _ => return None,
        };
        out.push_str(&value);
        rest = &after[close + 1..];
        let user_words = name != "topic" && name != "feeling";
        if user_words && rest.starts_with('.') && ends_sentence(&value) {
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
    Some(out)
}

fn ends_sentence(s: &str) -> bool {
    let t = s.trim_end_matches(['"', '\'', '\u{201d}', '\u{2019}', ')']);
    t.ends_with(['.', '!', '?', '\u{2026}', '\u{3002}', '\u{061f}'])
}

/// Two or three openers for this concern from the templates, best fit
/// first (topic and way both match, then way only), with the user's words
/// inserted exactly as written. Never returns a text with a placeholder.
///
/// Within one level of fit, templates that use more of the user's answers
/// come first (then those naming the topic), then content order. With no way chosen yet, "Say how I
/// feel" is used. The user's words are used only when they fit on one line
/// (see [`INLINE_MAX_CHARS`]).
pub fn suggest_openers(content: &PrepareContent, concern: &Concern) -> Vec<String> {
    let way = concern.raise_way.unwrap_or(RaiseWay::SayHowIFeel);
    let mut ranked: Vec<(u8, usize, usize, String)> = Vec::new();
    for (i, t) in content.openers.iter().enumerate() {
        if t.way != way {
            continue;
        }
        let topic_fit = if t.topics.is_empty() {
            1
        } else if concern.topics.iter().any(|c| t.topics.contains(c)) {
            0
        } else {
            continue;
        };
        let Some(text) = fill(content, concern, t) else {
            continue;
        };
        // The user's answers weigh most; naming the topic beats nothing.
        let richness = placeholders(&t.text).map_or(0, |p| {
            p.iter().map(|n| if *n == "topic" { 1 } else { 2 }).sum()
        });
        ranked.push((topic_fit, usize::MAX - richness, i, text));
    }
    ranked.sort();
    // Variety first: skip a template that starts like one already taken
    // (the same words up to its first placeholder), then fill up with the
    // best of the rest.
    let start = |i: usize| {
        let t = &content.openers[i].text;
        t[..t.find('{').unwrap_or(t.len())].to_owned()
    };
    let mut out: Vec<String> = Vec::new();
    let mut starts: Vec<String> = Vec::new();
    for distinct in [true, false] {
        for (_, _, i, text) in &ranked {
            if out.len() == 3 {
                return out;
            }
            if out.contains(text) || (distinct && starts.contains(&start(*i))) {
                continue;
            }
            out.push(text.clone());
            starts.push(start(*i));
        }
    }
    out
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

/// The line the user will lead with (chosen opener, else own, else first).
pub fn lead_line(concern: &Concern) -> &str {
    let chosen = concern
        .openers
        .get(concern.chosen_opener)
        .map(String::as_str)
        .filter(|s| !s.trim().is_empty());
    let own = Some(concern.own_opener.as_str()).filter(|s| !s.trim().is_empty());
    let first = concern
        .openers
        .iter()
        .map(String::as_str)
        .find(|s| !s.trim().is_empty());
    chosen.or(own).or(first).unwrap_or("")
}

/// A short title for lists: the first line of what happened, cut at a word
/// boundary near `max_chars` with an ellipsis (display only; the stored
/// text is untouched), or the first topic's label if that is empty (the
/// user's own words for "Something else"; "Something else"'s label with
/// no topic at all).
pub fn title(content: &PrepareContent, concern: &Concern, max_chars: usize) -> String {
    let first_line = |s: &str| -> Option<String> {
        s.lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .map(str::to_owned)
    };
    let line = first_line(&concern.what_happened)
        .or_else(|| match concern.topics.first() {
            Some(Topic::Other) => first_line(&concern.other_topic),
            _ => None,
        })
        .or_else(|| {
            let t = concern.topics.first().copied().unwrap_or(Topic::Other);
            content
                .topics
                .iter()
                .find(|i| i.id == t)
                .map(|i| i.label.clone())
        })
        .unwrap_or_default();
    shorten(&line, max_chars)
}

/// `s` if it has at most `max_chars` characters, else cut at the last
/// space within the limit (or mid-word when there is none in its second
/// half) with "…", at most `max_chars` characters in all.
pub fn shorten(s: &str, max_chars: usize) -> String {
    if s.chars().count() <= max_chars {
        return s.to_owned();
    }
    let keep = max_chars.saturating_sub(1);
    let cut: String = s.chars().take(keep).collect();
    // The char right after the cut: a space there means the cut is already
    // at a word boundary.
    let next_is_space = s.chars().nth(keep).is_some_and(char::is_whitespace);
    let kept = if next_is_space {
        cut.as_str()
    } else {
        match cut.rfind(char::is_whitespace) {
            Some(at) if cut[..at].chars().count() >= keep / 2 => &cut[..at],
            _ => cut.as_str(),
        }
    };
    format!("{}\u{2026}", kept.trim_end())
}

fn newest_first(mut v: Vec<&Record<Concern>>) -> Vec<&Record<Concern>> {
    v.sort_by_key(|r| std::cmp::Reverse(r.updated));
    v
}

/// Drafts, newest first.
pub fn drafts(data: &Data) -> Vec<&Record<Concern>> {
    newest_first(
        data.concerns
            .iter()
            .filter(|r| r.body.state == ConcernState::Draft)
            .collect(),
    )
}
/// The agenda in the user's order (only `Ready` concerns).
pub fn agenda(data: &Data) -> Vec<&Record<Concern>> {
    data.prepare
        .agenda
        .iter()
        .filter_map(|id| find(data, id))
        .filter(|r| r.body.state == ConcernState::Ready)
        .collect()
}
/// Moves a concern up (`-1`) or down (`+1`) in the agenda (stops at the
/// ends).
pub fn move_in_agenda(data: &mut Data, id: &str, delta: i32) {
    let list = &mut data.prepare.agenda;
    let Some(from) = list.iter().position(|a| a == id) else {
        return;
    };
    let to = (from as i64 + i64::from(delta)).clamp(0, list.len() as i64 - 1) as usize;
    let item = list.remove(from);
    list.insert(to, item);
}
/// Takes a concern off the agenda: it is set aside (still in history).
pub fn remove_from_agenda(data: &mut Data, id: &str, now: DateTime<Utc>) {
    set_state(data, id, ConcernState::SetAside, now);
}
/// "I raised it": state Raised, `outcome.raised_at = now`, off the agenda.
pub fn mark_raised(data: &mut Data, id: &str, now: DateTime<Utc>) {
    if find(data, id).is_none() {
        return;
    }
    edit(data, id, now, |c| {
        c.state = ConcernState::Raised;
        c.outcome.raised_at = Some(now);
    });
    remove_from_agenda_list(data, id);
}
/// "Not this time": stays Ready, moves to the end of the agenda.
pub fn not_this_time(data: &mut Data, id: &str, now: DateTime<Utc>) {
    if find(data, id).is_none() {
        return;
    }
    edit(data, id, now, |c| c.state = ConcernState::Ready);
    remove_from_agenda_list(data, id);
    push_to_agenda(data, id);
}
/// Records how raising it went; `settled` moves it to Settled, else it
/// stays Raised. `feel_now` above 10 is taken as 10. Marks it raised now
/// if it was not yet.
pub fn record_outcome(
    data: &mut Data,
    id: &str,
    response: Option<Response>,
    feel_now: Option<u8>,
    settled: bool,
    now: DateTime<Utc>,
) {
    if find(data, id).is_none() {
        return;
    }
    edit(data, id, now, |c| {
        c.outcome.response = response;
        c.outcome.feel_now = feel_now.map(|f| f.min(10));
        if c.outcome.raised_at.is_none() {
            c.outcome.raised_at = Some(now);
        }
        c.state = if settled {
            ConcernState::Settled
        } else {
            ConcernState::Raised
        };
    });
    remove_from_agenda_list(data, id);
}
/// Sets aside (any state) or brings back to Ready (joins the agenda end).
/// Any other state is set as given; only Ready concerns are on the agenda.
pub fn set_state(data: &mut Data, id: &str, state: ConcernState, now: DateTime<Utc>) {
    if find(data, id).is_none() {
        return;
    }
    edit(data, id, now, |c| c.state = state);
    if state == ConcernState::Ready {
        push_to_agenda(data, id);
    } else {
        remove_from_agenda_list(data, id);
    }
}

/// A deleted concern, kept so that Undo can put it back where it was.
#[derive(Clone, Debug)]
pub struct Deleted {
    pub index: usize,
    pub agenda_index: Option<usize>,
    pub record: Record<Concern>,
    /// Whether it was open in the builder.
    pub was_open: bool,
}
pub fn delete(data: &mut Data, id: &str) -> Option<Deleted> {
    let index = data.concerns.iter().position(|r| r.id == id)?;
    let record = data.concerns.remove(index);
    let agenda_index = data.prepare.agenda.iter().position(|a| a == id);
    if let Some(i) = agenda_index {
        data.prepare.agenda.remove(i);
    }
    let was_open = data.prepare.open.as_deref() == Some(id);
    if was_open {
        data.prepare.open = None;
    }
    Some(Deleted {
        index,
        agenda_index,
        record,
        was_open,
    })
}
/// Puts a deleted concern back exactly where it was (in the concerns and
/// in the agenda). Does nothing if a concern with its id exists.
pub fn undo_delete(data: &mut Data, deleted: Deleted) {
    let id = deleted.record.id.clone();
    if find(data, &id).is_some() {
        return;
    }
    let at = deleted.index.min(data.concerns.len());
    data.concerns.insert(at, deleted.record);
    if let Some(i) = deleted.agenda_index {
        if !data.prepare.agenda.contains(&id) {
            let i = i.min(data.prepare.agenda.len());
            data.prepare.agenda.insert(i, id.clone());
        }
    }
    if deleted.was_open && data.prepare.open.is_none() {
        data.prepare.open = Some(id);
    }
}

/// Every concern except drafts, newest `updated` first, for history.
pub fn history(data: &Data) -> Vec<&Record<Concern>> {
    newest_first(
        data.concerns
            .iter()
            .filter(|r| r.body.state != ConcernState::Draft)
            .collect(),
    )
}

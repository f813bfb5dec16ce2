//! Prepare's content from `assets/prepare.json`: topics, emotions, ways to
//! raise a concern, responses and opener templates, parsed and validated.

use serde::Deserialize;

use super::templates::{
    placeholders, style_opener, suggest_openers, INLINE_MAX_CHARS, PLACEHOLDERS,
};
use crate::core::model::{Concern, RaiseWay, Reaction, Response, Topic};

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

/// An opener offered first to someone with this way of reacting when
/// something feels off (asked once in Prepare): for going quiet, one that
/// names it ("this is hard for me to say, so I wrote it down"); for saying
/// so, one that starts from curiosity rather than a verdict. Same
/// placeholders as [`OpenerTemplate`]; fits any way of raising it.
#[derive(Clone, Debug, Deserialize)]
pub struct StyleOpener {
    pub style: Reaction,
    /// The topics it fits; empty = any topic.
    #[serde(default)]
    pub topics: Vec<Topic>,
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
    /// Openers for a way of reacting (see [`StyleOpener`]).
    #[serde(default)]
    pub style_openers: Vec<StyleOpener>,
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
pub const BUILTIN_PREPARE: &str = include_str!("../../../assets/prepare.json");

/// Every topic, in the order the builder shows them.
pub const ALL_TOPICS: [Topic; 10] = [
    Topic::Approach,
    Topic::Homework,
    Topic::SomethingSaid,
    Topic::Goals,
    Topic::Pace,
    Topic::Practical,
    Topic::NotHeard,
    Topic::StoppingOrChanging,
    Topic::Ethics,
    Topic::Other,
];
/// The ways of reacting that bring their own openers ("it depends" keeps
/// the usual ones).
pub const STYLED: [Reaction; 2] = [Reaction::GoQuiet, Reaction::SaySo];
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
        for (i, o) in self.style_openers.iter().enumerate() {
            match placeholders(&o.text) {
                Ok(names) => {
                    if let Some(bad) = names.iter().find(|n| !PLACEHOLDERS.contains(n)) {
                        problems.push(format!(
                            "style opener {i} has unknown placeholder {{{bad}}}"
                        ));
                    }
                }
                Err(e) => problems.push(format!("style opener {i}: {e}")),
            }
            if o.text.trim().is_empty() {
                problems.push(format!("style opener {i} is empty"));
            }
            if !STYLED.contains(&o.style) {
                problems.push(format!(
                    "style opener {i} is for {:?}, which has no openers of its own",
                    o.style
                ));
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
        // Every topic has its own opener for each way of reacting (one
        // that needs nothing but the topic), and there is a general one
        // for a concern with no topic.
        for style in STYLED {
            if style_opener(self, &minimal(Vec::new(), RaiseWay::SayHowIFeel), style).is_none() {
                problems.push(format!("style {style:?} has no general opener"));
            }
            for t in ALL_TOPICS {
                let fits_topic = self.style_openers.iter().any(|o| {
                    o.style == style
                        && o.topics.contains(&t)
                        && placeholders(&o.text).is_ok_and(|p| p.iter().all(|n| *n == "topic"))
                });
                if !fits_topic {
                    problems.push(format!("topic {t:?} has no {style:?} opener of its own"));
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

//! The words the app makes from the user's own: suggested openers filled
//! from templates, the lead line, and short titles for lists.

use chrono::{DateTime, Utc};

use super::content::{OpenerTemplate, PrepareContent, STYLED};
use super::edit;
use crate::core::model::{Concern, Data, RaiseWay, Reaction, Topic};

pub const PLACEHOLDERS: [&str; 5] = ["topic", "happened", "feeling", "matters", "would_like"];

/// The user's words are put into an opener only when they fit on one line
/// and within this many characters; a longer or multi-line answer is left
/// to the user to say in their own way (templates that need it are not
/// offered). The words are never shortened or changed.
pub const INLINE_MAX_CHARS: usize = 160;
/// At most this many feelings are named in one opener.
pub const MAX_FEELINGS_IN_OPENER: usize = 3;

/// Refreshes the suggested openers from the current answers, keeping
/// every opener the user edited (what entering step 6 with Next does),
/// led by the opener for how the user tends to react.
pub fn refresh_openers(content: &PrepareContent, data: &mut Data, id: &str, now: DateTime<Utc>) {
    let style = data.prepare.reaction;
    edit(data, id, now, |c| fill_openers(content, c, style));
}

/// Answers "When something in a session feels off, I usually..." (or
/// clears it). Openers suggested from now on follow it; openers already
/// suggested change when the builder's openers step is entered again.
pub fn set_reaction(data: &mut Data, reaction: Option<Reaction>) {
    data.prepare.reaction = reaction;
}

/// Whether opener `i` differs from what was suggested (the user edited
/// it).
pub fn opener_edited(concern: &Concern, i: usize) -> bool {
    concern.openers.get(i) != concern.suggested.get(i)
}

pub(crate) fn fill_openers(content: &PrepareContent, c: &mut Concern, style: Option<Reaction>) {
    let fresh = suggest_openers_for(content, c, style);
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

/// Words that start a sentence with a capital only because they start it:
/// inside an opener (after "this: ") they are written small. Any other
/// first word (a name, "I", an abbreviation) is kept as typed.
const SMALL_INSIDE: &[&str] = &[
    "a",
    "about",
    "after",
    "again",
    "all",
    "also",
    "always",
    "an",
    "and",
    "another",
    "any",
    "as",
    "ask",
    "asking",
    "at",
    "be",
    "because",
    "before",
    "being",
    "both",
    "but",
    "by",
    "are",
    "can",
    "could",
    "did",
    "do",
    "does",
    "doing",
    "is",
    "might",
    "should",
    "will",
    "each",
    "even",
    "every",
    "everything",
    "feel",
    "feeling",
    "for",
    "from",
    "get",
    "getting",
    "give",
    "go",
    "going",
    "had",
    "has",
    "have",
    "having",
    "he",
    "her",
    "here",
    "his",
    "how",
    "if",
    "in",
    "it",
    "it's",
    "its",
    "just",
    "keep",
    "know",
    "last",
    "less",
    "let",
    "like",
    "make",
    "maybe",
    "me",
    "more",
    "most",
    "my",
    "never",
    "next",
    "no",
    "not",
    "nothing",
    "now",
    "of",
    "often",
    "on",
    "once",
    "one",
    "only",
    "or",
    "our",
    "please",
    "same",
    "say",
    "she",
    "she's",
    "so",
    "some",
    "someone",
    "something",
    "sometimes",
    "start",
    "still",
    "stop",
    "talk",
    "talking",
    "tell",
    "than",
    "that",
    "that's",
    "the",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "they're",
    "this",
    "those",
    "time",
    "to",
    "today",
    "too",
    "try",
    "trying",
    "twice",
    "two",
    "until",
    "us",
    "use",
    "using",
    "very",
    "was",
    "we",
    "we're",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "why",
    "with",
    "without",
    "would",
    "yesterday",
    "you",
    "you're",
    "your",
];

/// `value` as it reads after `before` in a sentence: a first letter made
/// small inside a sentence (only for a word in [`SMALL_INSIDE`]) or
/// capital at its start.
fn fit_case(before: &str, value: &str) -> String {
    let starts_sentence = {
        let b = before.trim_end();
        b.is_empty() || ends_sentence(b)
    };
    let mut chars = value.chars();
    let Some(first) = chars.next() else {
        return String::new();
    };
    if starts_sentence {
        return first.to_uppercase().chain(chars).collect();
    }
    let word: String = value
        .chars()
        .take_while(|c| c.is_alphabetic() || *c == '\'' || *c == '\u{2019}')
        .collect::<String>()
        .replace('\u{2019}', "'");
    let capitalised = first.is_uppercase() && word.chars().skip(1).all(|c| !c.is_uppercase());
    if capitalised && SMALL_INSIDE.contains(&word.to_lowercase().as_str()) {
        first.to_lowercase().chain(chars).collect()
    } else {
        value.to_owned()
    }
}

/// Fills `template`, or `None` if a placeholder has no value. The user's
/// words go in as written (trimmed), made to read as part of the sentence:
/// a first letter small inside it or capital at its start
/// ([`fit_case`]), and no doubled stop: the template's full stop right
/// after them is dropped when they already end a sentence, and their own
/// stop or comma gives way to the template's comma, colon or stop.
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
        rest = &after[close + 1..];
        let user_words = name != "topic" && name != "feeling";
        if !user_words {
            out.push_str(&value);
            continue;
        }
        let mut value = fit_case(&out, &value);
        let next = rest.chars().next();
        if matches!(next, Some('.' | ',' | ';' | ':')) {
            // A comma, semicolon or colon the user ended with gives way.
            while value.ends_with([',', ';', ':']) {
                value.pop();
                value.truncate(value.trim_end().len());
            }
            if next == Some('.') && ends_sentence(&value) {
                rest = &rest[1..];
            } else if next != Some('.') && value.ends_with('.') && !value.ends_with("...") {
                value.pop();
            }
        }
        out.push_str(&value);
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
/// When what happened fits on a line, one suggestion uses it.
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
    let uses_happened = |i: usize| content.openers[i].text.contains("{happened}");
    let mut out: Vec<(usize, String)> = Vec::new();
    let mut starts: Vec<String> = Vec::new();
    'fill: for distinct in [true, false] {
        for (_, _, i, text) in &ranked {
            if out.len() == 3 {
                break 'fill;
            }
            if out.iter().any(|(_, t)| t == text) || (distinct && starts.contains(&start(*i))) {
                continue;
            }
            out.push((*i, text.clone()));
            starts.push(start(*i));
        }
    }
    // One of them names the moment in the user's own words, when it can
    // stand in a sentence: the last one gives way to it.
    if !out.iter().any(|(i, _)| uses_happened(*i)) {
        if let Some((_, _, i, text)) = ranked.iter().find(|r| uses_happened(r.2)) {
            if out.len() == 3 {
                out.pop();
            }
            out.push((*i, text.clone()));
        }
    }
    out.into_iter().map(|(_, t)| t).collect()
}

/// The opener for a way of reacting that fits this concern best: one made
/// for one of its topics, else a general one; among equals, content order.
/// `None` for "it depends" (and when nothing can be filled).
pub fn style_opener(
    content: &PrepareContent,
    concern: &Concern,
    style: Reaction,
) -> Option<String> {
    let mut best: Option<(u8, String)> = None;
    for o in content.style_openers.iter().filter(|o| o.style == style) {
        let fit = if o.topics.is_empty() {
            1
        } else if concern.topics.iter().any(|t| o.topics.contains(t)) {
            0
        } else {
            continue;
        };
        if best.as_ref().is_some_and(|(b, _)| *b <= fit) {
            continue;
        }
        let template = OpenerTemplate {
            topics: o.topics.clone(),
            way: RaiseWay::SayHowIFeel,
            text: o.text.clone(),
        };
        if let Some(text) = fill(content, concern, &template) {
            best = Some((fit, text));
        }
    }
    best.map(|(_, text)| text)
}

/// [`suggest_openers`] tailored to how the user tends to react: for "go
/// quiet" and "say so" the best opener of that style leads and the two
/// best usual ones follow; for "it depends" or no answer, the usual
/// openers unchanged. At most three, never the same text twice.
pub fn suggest_openers_for(
    content: &PrepareContent,
    concern: &Concern,
    style: Option<Reaction>,
) -> Vec<String> {
    let usual = suggest_openers(content, concern);
    let Some(lead) = style
        .filter(|s| STYLED.contains(s))
        .and_then(|s| style_opener(content, concern, s))
    else {
        return usual;
    };
    let mut out = vec![lead];
    for o in usual {
        if out.len() == 3 {
            break;
        }
        if !out.contains(&o) {
            out.push(o);
        }
    }
    out
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

/// The most characters of a concern's title in a list, on Home and in a
/// concern shown in full (display only).
pub const TITLE_CHARS: usize = 70;
/// The most characters of a concern's title where it is mentioned in
/// passing: a check-in's links, the therapist choice.
pub const SHORT_TITLE_CHARS: usize = 60;

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

/// The placeholder names in a template, in order; an error for an
/// unclosed or empty brace.
pub(crate) fn placeholders(text: &str) -> Result<Vec<&str>, String> {
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

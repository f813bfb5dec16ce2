//! Check in: add, edit and delete check-ins (with undo), tag suggestions,
//! and the history grouped by month. Pure functions over `Data`.
//!
//! Times: `CheckIn::when` is the user's local date and time; callers pass
//! the local "now" (to refuse the future) and the UTC "now" (for the
//! record's timestamps).

use std::collections::HashMap;

use chrono::{DateTime, Datelike, NaiveDateTime, Utc};

use crate::core::model::{CheckIn, Concern, ConcernState, Data, HeldBack, Record, RecordId};

/// The highest score on every scale.
pub const MAX_SCORE: u8 = 10;
/// The most tags one check-in keeps.
pub const MAX_TAGS: usize = 12;
/// The longest tag, in characters.
pub const MAX_TAG_CHARS: usize = 40;
/// The most characters of a note's first line in the history.
pub const NOTE_LINE_CHARS: usize = 80;

/// Why a check-in was not saved. The words are the UI's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CheckInError {
    /// `when` is later than now.
    InFuture,
    /// A score above [`MAX_SCORE`].
    ScoreOutOfRange,
    /// No check-in with that id (deleted meanwhile).
    NotFound,
}

impl std::fmt::Display for CheckInError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            CheckInError::InFuture => "the date and time are in the future",
            CheckInError::ScoreOutOfRange => "a score is above 10",
            CheckInError::NotFound => "that check-in no longer exists",
        })
    }
}

impl std::error::Error for CheckInError {}

/// Trims a tag and folds inner runs of white space to one space; `None`
/// if nothing is left. Case is kept as typed.
pub fn clean_tag(tag: &str) -> Option<String> {
    let words: Vec<&str> = tag.split_whitespace().collect();
    if words.is_empty() {
        return None;
    }
    Some(words.join(" ").chars().take(MAX_TAG_CHARS).collect())
}

/// Cleans the tags of `c` (trimmed, no empties, no duplicates ignoring
/// case, at most [`MAX_TAGS`]), drops held-back words unless the answer is
/// "a little" or "yes", and checks it.
pub fn normalize(mut c: CheckIn, now_local: NaiveDateTime) -> Result<CheckIn, CheckInError> {
    if c.when > now_local {
        return Err(CheckInError::InFuture);
    }
    let scores = [c.mood_before, c.heard, c.goals, c.approach, c.overall];
    if c.mood > MAX_SCORE || scores.iter().flatten().any(|&s| s > MAX_SCORE) {
        return Err(CheckInError::ScoreOutOfRange);
    }
    let mut tags: Vec<String> = Vec::new();
    for t in c.tags.iter().filter_map(|t| clean_tag(t)) {
        if tags.len() < MAX_TAGS && !tags.iter().any(|k| k.to_lowercase() == t.to_lowercase()) {
            tags.push(t);
        }
    }
    c.tags = tags;
    let mut concerns: Vec<RecordId> = Vec::new();
    for id in c.concerns.drain(..) {
        if !concerns.contains(&id) {
            concerns.push(id);
        }
    }
    c.concerns = concerns;
    // Words belong only to "a little" or "yes": after switching to "no"
    // (or clearing the answer), words typed earlier in the form go.
    if !c.held_back.is_some_and(HeldBack::something) {
        c.held_back_words.clear();
    }
    Ok(c)
}

/// Where a check-in at `when` belongs so that `check_ins` stays in time
/// order (after any others at the same time).
fn position_for(data: &Data, when: NaiveDateTime) -> usize {
    data.check_ins.partition_point(|r| r.body.when <= when)
}

/// Adds a check-in; refuses a future time. Returns its id.
pub fn add(
    data: &mut Data,
    c: CheckIn,
    now_local: NaiveDateTime,
    now: DateTime<Utc>,
) -> Result<RecordId, CheckInError> {
    let c = normalize(c, now_local)?;
    sort(data);
    let at = position_for(data, c.when);
    let record = data.new_record(c, now);
    let id = record.id.clone();
    data.check_ins.insert(at, record);
    Ok(id)
}

/// Replaces the body of check-in `id`; refuses a future time.
pub fn edit(
    data: &mut Data,
    id: &str,
    c: CheckIn,
    now_local: NaiveDateTime,
    now: DateTime<Utc>,
) -> Result<(), CheckInError> {
    let c = normalize(c, now_local)?;
    let index = data
        .check_ins
        .iter()
        .position(|r| r.id == id)
        .ok_or(CheckInError::NotFound)?;
    if data.check_ins[index].body == c {
        return Ok(());
    }
    let mut record = data.check_ins.remove(index);
    record.body = c;
    record.updated = now;
    sort(data);
    let at = position_for(data, record.body.when);
    data.check_ins.insert(at, record);
    Ok(())
}

/// Puts `check_ins` in time order if it is not (a file edited by hand, or
/// written by an older build); stable, so equal times keep their order.
pub fn sort(data: &mut Data) {
    if !data
        .check_ins
        .is_sorted_by(|a, b| a.body.when <= b.body.when)
    {
        data.check_ins.sort_by_key(|r| r.body.when);
    }
}

/// The check-ins in time order, oldest first.
pub fn ordered(data: &Data) -> Vec<&Record<CheckIn>> {
    let mut list: Vec<&Record<CheckIn>> = data.check_ins.iter().collect();
    if !list.is_sorted_by(|a, b| a.body.when <= b.body.when) {
        list.sort_by_key(|r| r.body.when);
    }
    list
}

pub fn find<'a>(data: &'a Data, id: &str) -> Option<&'a Record<CheckIn>> {
    data.check_ins.iter().find(|r| r.id == id)
}

/// A deleted check-in, kept in memory so that it can be put back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Deleted {
    index: usize,
    pub record: Record<CheckIn>,
}

pub fn delete(data: &mut Data, id: &str) -> Option<Deleted> {
    let index = data.check_ins.iter().position(|r| r.id == id)?;
    let record = data.check_ins.remove(index);
    Some(Deleted { index, record })
}

/// Puts a deleted check-in back where it was. Does nothing if one with its
/// id exists.
pub fn undo_delete(data: &mut Data, deleted: Deleted) {
    if find(data, &deleted.record.id).is_some() {
        return;
    }
    let at = deleted.index.min(data.check_ins.len());
    data.check_ins.insert(at, deleted.record);
    sort(data);
}

/// Tags used before, most used first (then most recent, then A-Z),
/// starting with `prefix` (ignoring case), leaving out `chosen`.
pub fn tag_suggestions(data: &Data, prefix: &str, chosen: &[String], limit: usize) -> Vec<String> {
    // tag (lower case) -> (count, latest position, spelling last used)
    let mut seen: HashMap<String, (usize, usize, &str)> = HashMap::new();
    for (i, r) in data.check_ins.iter().enumerate() {
        for t in &r.body.tags {
            let e = seen.entry(t.to_lowercase()).or_insert((0, i, t.as_str()));
            e.0 += 1;
            if i >= e.1 {
                e.1 = i;
                e.2 = t.as_str();
            }
        }
    }
    let prefix = prefix.trim().to_lowercase();
    let mut list: Vec<(String, (usize, usize, &str))> = seen
        .into_iter()
        .filter(|(k, _)| k.starts_with(&prefix))
        .filter(|(k, _)| !chosen.iter().any(|c| c.to_lowercase() == *k))
        .collect();
    list.sort_by(|a, b| {
        b.1 .0
            .cmp(&a.1 .0)
            .then(b.1 .1.cmp(&a.1 .1))
            .then(a.0.cmp(&b.0))
    });
    list.into_iter()
        .take(limit)
        .map(|(_, (_, _, t))| t.to_owned())
        .collect()
}

/// One row of the history: a month heading or a check-in (its position in
/// `data.check_ins`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HistoryRow {
    Month { year: i32, month: u32, count: usize },
    Entry(usize),
}

/// The history, newest first, grouped by month (a heading before each
/// month's entries), only entries with `tag` (ignoring case) if given.
pub fn history(data: &Data, tag: Option<&str>) -> Vec<HistoryRow> {
    let tag = tag.map(str::to_lowercase);
    let all = &data.check_ins;
    let mut entries: Vec<usize> = (0..all.len())
        .filter(|&i| match &tag {
            Some(t) => all[i].body.tags.iter().any(|k| k.to_lowercase() == *t),
            None => true,
        })
        .collect();
    if !entries.is_sorted_by(|&a, &b| all[a].body.when <= all[b].body.when) {
        entries.sort_by_key(|&i| all[i].body.when);
    }
    entries.reverse();
    let month = |i: usize| (all[i].body.when.year(), all[i].body.when.month());
    let mut rows = Vec::with_capacity(entries.len() + entries.len() / 4 + 1);
    let mut i = 0;
    while i < entries.len() {
        let (y, m) = month(entries[i]);
        let end = entries[i..]
            .iter()
            .position(|&e| month(e) != (y, m))
            .map_or(entries.len(), |n| i + n);
        rows.push(HistoryRow::Month {
            year: y,
            month: m,
            count: end - i,
        });
        rows.extend(entries[i..end].iter().map(|&e| HistoryRow::Entry(e)));
        i = end;
    }
    rows
}

/// The first line of a check-in's note, as its history row shows it.
pub fn note_line(c: &CheckIn) -> String {
    crate::core::prepare::shorten(c.note.lines().next().unwrap_or(""), NOTE_LINE_CHARS)
}

/// Concerns a check-in can link to ("raised in this session"): those on
/// the agenda and those raised or settled, most recently changed first.
pub fn linkable_concerns(data: &Data, limit: usize) -> Vec<&Record<Concern>> {
    let mut list: Vec<&Record<Concern>> = data
        .concerns
        .iter()
        .filter(|r| {
            matches!(
                r.body.state,
                ConcernState::Ready | ConcernState::Raised | ConcernState::Settled
            )
        })
        .collect();
    list.sort_by(|a, b| b.updated.cmp(&a.updated).then(b.id.cmp(&a.id)));
    list.truncate(limit);
    list
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(d: u32, h: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 3, d)
            .unwrap()
            .and_hms_opt(h, 0, 0)
            .unwrap()
    }
    fn now() -> DateTime<Utc> {
        "2026-03-20T10:00:00Z".parse().unwrap()
    }
    fn mood(when: NaiveDateTime, mood: u8) -> CheckIn {
        CheckIn {
            when,
            mood,
            ..CheckIn::default()
        }
    }

    #[test]
    fn add_keeps_time_order_and_refuses_the_future() {
        let mut d = Data::default();
        let b = add(&mut d, mood(at(10, 9), 5), at(20, 10), now()).unwrap();
        let a = add(&mut d, mood(at(3, 9), 4), at(20, 10), now()).unwrap();
        let c = add(&mut d, mood(at(10, 9), 6), at(20, 10), now()).unwrap();
        let ids: Vec<&str> = d.check_ins.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, [a.as_str(), b.as_str(), c.as_str()]);
        assert_eq!(
            add(&mut d, mood(at(20, 11), 5), at(20, 10), now()),
            Err(CheckInError::InFuture)
        );
        // Exactly now is fine.
        assert!(add(&mut d, mood(at(20, 10), 5), at(20, 10), now()).is_ok());
        assert_eq!(
            add(&mut d, mood(at(1, 1), 11), at(20, 10), now()),
            Err(CheckInError::ScoreOutOfRange)
        );
        let mut c = mood(at(1, 1), 3);
        c.goals = Some(12);
        assert_eq!(
            add(&mut d, c, at(20, 10), now()),
            Err(CheckInError::ScoreOutOfRange)
        );
        assert_eq!(d.check_ins.len(), 4);
    }

    #[test]
    fn held_back_words_are_kept_only_with_a_little_or_yes() {
        let with = |h: Option<HeldBack>| {
            let mut c = mood(at(1, 9), 5);
            c.held_back = h;
            c.held_back_words = " They moved on too fast 🙂 ".into();
            normalize(c, at(20, 10)).unwrap().held_back_words
        };
        // Kept exactly as typed (the list shows them trimmed).
        assert_eq!(with(Some(HeldBack::ALittle)), " They moved on too fast 🙂 ");
        assert_eq!(with(Some(HeldBack::Yes)), " They moved on too fast 🙂 ");
        assert_eq!(with(Some(HeldBack::No)), "");
        assert_eq!(with(None), "");
    }

    #[test]
    fn tags_are_cleaned_and_deduplicated() {
        let mut d = Data::default();
        let mut c = mood(at(1, 9), 5);
        c.tags = vec![
            "  work ".into(),
            "Work".into(),
            "".into(),
            "long   day".into(),
            "   ".into(),
        ];
        c.concerns = vec!["r9".into(), "r9".into()];
        let id = add(&mut d, c, at(20, 10), now()).unwrap();
        let r = find(&d, &id).unwrap();
        assert_eq!(r.body.tags, ["work", "long day"]);
        assert_eq!(r.body.concerns, ["r9"]);
    }

    #[test]
    fn edit_moves_in_time_and_keeps_created() {
        let mut d = Data::default();
        let a = add(&mut d, mood(at(1, 9), 5), at(20, 10), now()).unwrap();
        let b = add(&mut d, mood(at(5, 9), 5), at(20, 10), now()).unwrap();
        let later: DateTime<Utc> = "2026-03-21T10:00:00Z".parse().unwrap();
        edit(&mut d, &a, mood(at(8, 9), 7), at(20, 10), later).unwrap();
        assert_eq!(d.check_ins[1].id, a);
        assert_eq!(d.check_ins[0].id, b);
        assert_eq!(d.check_ins[1].body.mood, 7);
        assert_eq!(d.check_ins[1].updated, later);
        assert_eq!(d.check_ins[1].created, now());
        assert_eq!(
            edit(&mut d, &a, mood(at(25, 9), 7), at(20, 10), later),
            Err(CheckInError::InFuture)
        );
        assert_eq!(d.check_ins[1].body.mood, 7);
        assert_eq!(
            edit(&mut d, "r99", mood(at(2, 9), 7), at(20, 10), later),
            Err(CheckInError::NotFound)
        );
    }

    #[test]
    fn delete_and_undo_restore_exactly() {
        let mut d = Data::default();
        for day in 1..=3 {
            add(&mut d, mood(at(day, 9), day as u8), at(20, 10), now()).unwrap();
        }
        let before = d.clone();
        let id = d.check_ins[1].id.clone();
        let gone = delete(&mut d, &id).unwrap();
        assert_eq!(d.check_ins.len(), 2);
        assert!(delete(&mut d, &id).is_none());
        undo_delete(&mut d, gone.clone());
        assert_eq!(d, before);
        // A second undo does not duplicate it.
        undo_delete(&mut d, gone);
        assert_eq!(d, before);
    }

    #[test]
    fn suggestions_rank_by_use_then_recency() {
        let mut d = Data::default();
        let tags: [&[&str]; 4] = [&["work", "sleep"], &["Sleep"], &["family"], &["work"]];
        for (i, t) in tags.iter().enumerate() {
            let mut c = mood(at(i as u32 + 1, 9), 5);
            c.tags = t.iter().map(|s| s.to_string()).collect();
            add(&mut d, c, at(20, 10), now()).unwrap();
        }
        // work 2 (latest at 3), sleep 2 (latest at 1, spelt "Sleep"), family 1.
        assert_eq!(
            tag_suggestions(&d, "", &[], 10),
            ["work", "Sleep", "family"]
        );
        assert_eq!(tag_suggestions(&d, "S", &[], 10), ["Sleep"]);
        assert_eq!(
            tag_suggestions(&d, "", &["WORK".into()], 10),
            ["Sleep", "family"]
        );
        assert_eq!(tag_suggestions(&d, "", &[], 1), ["work"]);
        assert!(tag_suggestions(&Data::default(), "", &[], 5).is_empty());
    }

    #[test]
    fn history_groups_by_month_newest_first_and_filters() {
        let mut d = Data::default();
        let feb = NaiveDate::from_ymd_opt(2026, 2, 27)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap();
        let mut c = mood(feb, 4);
        c.tags = vec!["work".into()];
        add(&mut d, c, at(20, 10), now()).unwrap();
        add(&mut d, mood(at(2, 9), 5), at(20, 10), now()).unwrap();
        let mut c = mood(at(9, 9), 6);
        c.tags = vec!["Work".into()];
        add(&mut d, c, at(20, 10), now()).unwrap();
        let rows = history(&d, None);
        let shape: Vec<String> = rows
            .iter()
            .map(|r| match r {
                HistoryRow::Month { month, count, .. } => format!("m{month}x{count}"),
                HistoryRow::Entry(e) => format!("{}", d.check_ins[*e].body.mood),
            })
            .collect();
        assert_eq!(shape, ["m3x2", "6", "5", "m2x1", "4"]);
        let rows = history(&d, Some("work"));
        assert_eq!(rows.len(), 4);
        assert!(matches!(rows[0], HistoryRow::Month { count: 1, .. }));
        assert!(history(&d, Some("nothing")).is_empty());
        assert!(history(&Data::default(), None).is_empty());
    }
}

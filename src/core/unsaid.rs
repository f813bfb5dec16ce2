//! What goes unsaid: the held-back answer of a check-in ("Anything you
//! held back?" no / a little / yes, and a few words), the private Unsaid
//! list on Prepare's overview that those answers feed, and the plain count
//! Insights shows. Pure functions over [`Data`].
//!
//! An Unsaid item is a check-in whose answer is "a little" or "yes"; the
//! words stay on the check-in (so they are sealed and exported exactly like
//! its note). What the user did with an item is kept in
//! `data.prepare.unsaid` by check-in id: kept, let go, or turned into a
//! draft concern. An item with no mark is new. An item turned into a draft
//! comes back to the list if that concern is deleted, so no words are lost.
//!
//! Nothing here scores or judges: the count is "how many times", never a
//! rate of honesty.

use chrono::{DateTime, NaiveDateTime, Utc};

use crate::core::checkin;
use crate::core::model::{CheckIn, Data, HeldBack, Record, RecordId, UnsaidMark, UnsaidState};
use crate::core::prepare::{self, STEP_TOPIC};

/// How many of the latest check-ins the Insights count looks at.
pub const COUNT_WINDOW: usize = 10;

/// How often something was held back over the latest check-ins (at most
/// [`COUNT_WINDOW`]). The UI says it in words, for example "Something went
/// unsaid in 3 of your last 10 check-ins".
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HeldBackCount {
    /// Check-ins looked at: the latest [`COUNT_WINDOW`], or all if fewer.
    pub window: usize,
    /// Of those, how many answered the question at all.
    pub answered: usize,
    /// Answered "a little".
    pub a_little: usize,
    /// Answered "yes".
    pub yes: usize,
}

impl HeldBackCount {
    /// Check-ins where something was held back ("a little" or "yes").
    pub fn held(&self) -> usize {
        self.a_little + self.yes
    }
}

/// The count over the latest [`COUNT_WINDOW`] check-ins, in time order.
pub fn held_back_count(data: &Data) -> HeldBackCount {
    let ordered = checkin::ordered(data);
    let latest = &ordered[ordered.len().saturating_sub(COUNT_WINDOW)..];
    let mut out = HeldBackCount {
        window: latest.len(),
        ..HeldBackCount::default()
    };
    for r in latest {
        match r.body.held_back {
            None => {}
            Some(HeldBack::No) => out.answered += 1,
            Some(HeldBack::ALittle) => {
                out.answered += 1;
                out.a_little += 1;
            }
            Some(HeldBack::Yes) => {
                out.answered += 1;
                out.yes += 1;
            }
        }
    }
    out
}

/// One item of the Unsaid list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnsaidItem<'a> {
    pub check_in: &'a Record<CheckIn>,
    /// "A little" or "yes".
    pub level: HeldBack,
    /// The user chose to keep it (else it is new).
    pub kept: bool,
}

impl<'a> UnsaidItem<'a> {
    /// The check-in's id, which is also the item's.
    pub fn id(&self) -> &'a str {
        &self.check_in.id
    }
    /// When the session was (the check-in's local date and time).
    pub fn when(&self) -> NaiveDateTime {
        self.check_in.body.when
    }
    /// The user's words, exactly as typed (may be empty).
    pub fn words(&self) -> &'a str {
        &self.check_in.body.held_back_words
    }
}

/// The mark for check-in `id`, if the user did something with its item.
pub fn mark<'a>(data: &'a Data, id: &str) -> Option<&'a UnsaidMark> {
    data.prepare.unsaid.iter().find(|m| m.check_in == id)
}

/// Whether a mark still takes its item off the list: let go, or drafted
/// into a concern that still exists.
fn hides(data: &Data, m: &UnsaidMark) -> bool {
    match m.state {
        UnsaidState::Kept => false,
        UnsaidState::LetGo => true,
        UnsaidState::Drafted => m
            .concern
            .as_deref()
            .is_some_and(|c| prepare::find(data, c).is_some()),
    }
}

/// The Unsaid list, newest session first: every check-in that held
/// something back and is not let go or drafted.
pub fn list(data: &Data) -> Vec<UnsaidItem<'_>> {
    checkin::ordered(data)
        .into_iter()
        .rev()
        .filter_map(|r| {
            let level = r.body.held_back.filter(|h| h.something())?;
            let m = mark(data, &r.id);
            if m.is_some_and(|m| hides(data, m)) {
                return None;
            }
            Some(UnsaidItem {
                check_in: r,
                level,
                kept: m.is_some_and(|m| m.state == UnsaidState::Kept),
            })
        })
        .collect()
}

/// How many items on the list are new (the user has not kept them yet).
pub fn new_count(data: &Data) -> usize {
    list(data).iter().filter(|i| !i.kept).count()
}

/// Sets the mark of check-in `id`; returns the mark it had, for undo.
fn set_mark(data: &mut Data, mark: UnsaidMark) -> Option<UnsaidMark> {
    let list = &mut data.prepare.unsaid;
    match list.iter().position(|m| m.check_in == mark.check_in) {
        Some(i) => Some(std::mem::replace(&mut list[i], mark)),
        None => {
            list.push(mark);
            None
        }
    }
}

/// Whether check-in `id` exists and held something back.
fn is_item(data: &Data, id: &str) -> bool {
    checkin::find(data, id).is_some_and(|r| r.body.held_back.is_some_and(HeldBack::something))
}

/// "Keep": the item stays on the list, no longer new. Returns the previous
/// mark (for undo), or `None` if `id` is not an item.
pub fn keep(data: &mut Data, id: &str) -> Option<Option<UnsaidMark>> {
    is_item(data, id).then(|| {
        set_mark(
            data,
            UnsaidMark {
                check_in: id.to_owned(),
                state: UnsaidState::Kept,
                concern: None,
            },
        )
    })
}

/// "Let it go" (not important any more): off the list. The check-in and
/// its words are untouched. Returns the previous mark (for undo), or
/// `None` if `id` is not an item.
pub fn let_go(data: &mut Data, id: &str) -> Option<Option<UnsaidMark>> {
    is_item(data, id).then(|| {
        set_mark(
            data,
            UnsaidMark {
                check_in: id.to_owned(),
                state: UnsaidState::LetGo,
                concern: None,
            },
        )
    })
}

/// Undo of [`keep`] or [`let_go`]: puts back the mark the item had.
pub fn restore(data: &mut Data, id: &str, previous: Option<UnsaidMark>) {
    data.prepare.unsaid.retain(|m| m.check_in != id);
    if let Some(m) = previous {
        data.prepare.unsaid.push(m);
    }
}

/// One tap: turns item `id` into a draft concern whose "what happened" is
/// the held-back words exactly as typed, opens it in the builder at the
/// first step (the words are already in step 2), and takes the item off
/// the list. If the item was already drafted and that draft still exists,
/// it is opened again instead of making a second one. Returns the
/// concern's id, or `None` if `id` is not an item.
pub fn to_concern(data: &mut Data, id: &str, now: DateTime<Utc>) -> Option<RecordId> {
    if !is_item(data, id) {
        return None;
    }
    if let Some(existing) = mark(data, id)
        .filter(|m| m.state == UnsaidState::Drafted)
        .and_then(|m| m.concern.clone())
        .filter(|c| prepare::find(data, c).is_some())
    {
        prepare::open(data, &existing);
        return Some(existing);
    }
    let words = checkin::find(data, id)
        .map(|r| r.body.held_back_words.trim().to_owned())
        .unwrap_or_default();
    let concern = prepare::new_draft(data, None, now);
    prepare::set_text(data, &concern, prepare::Field::WhatHappened, &words, now);
    prepare::go_to(data, &concern, STEP_TOPIC);
    set_mark(
        data,
        UnsaidMark {
            check_in: id.to_owned(),
            state: UnsaidState::Drafted,
            concern: Some(concern.clone()),
        },
    );
    Some(concern)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::ConcernState;
    use chrono::{Duration, NaiveDate};

    fn day(n: i64) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 3, 1)
            .unwrap()
            .and_hms_opt(17, 0, 0)
            .unwrap()
            + Duration::days(n)
    }

    fn now() -> DateTime<Utc> {
        "2027-01-01T00:00:00Z".parse().unwrap()
    }

    /// One check-in a day with these held-back answers (words "wN" for
    /// "a little" and "yes").
    fn data_with(answers: &[Option<HeldBack>]) -> Data {
        let mut d = Data::default();
        for (i, h) in answers.iter().enumerate() {
            let c = CheckIn {
                when: day(i as i64),
                mood: 5,
                held_back: *h,
                held_back_words: format!("w{i}"),
                ..CheckIn::default()
            };
            checkin::add(&mut d, c, day(10_000), now()).unwrap();
        }
        d
    }

    use HeldBack::{ALittle, No, Yes};

    #[test]
    fn the_count_looks_at_the_last_ten_check_ins_only() {
        // 12 check-ins; the first two (both "yes") fall outside the window.
        let answers = [
            Some(Yes),
            Some(Yes),
            Some(No),
            None,
            Some(ALittle),
            Some(No),
            Some(Yes),
            None,
            Some(No),
            Some(ALittle),
            Some(No),
            Some(ALittle),
        ];
        let c = held_back_count(&data_with(&answers));
        // Window: answers[2..12] = No, -, ALittle, No, Yes, -, No, ALittle,
        // No, ALittle -> 8 answered, 3 "a little", 1 "yes".
        assert_eq!(
            c,
            HeldBackCount {
                window: 10,
                answered: 8,
                a_little: 3,
                yes: 1
            }
        );
        assert_eq!(c.held(), 4);
    }

    #[test]
    fn the_count_with_few_or_no_check_ins() {
        assert_eq!(held_back_count(&Data::default()), HeldBackCount::default());
        let c = held_back_count(&data_with(&[Some(No), None, Some(Yes)]));
        assert_eq!((c.window, c.answered, c.held()), (3, 2, 1));
        let c = held_back_count(&data_with(&[None, None]));
        assert_eq!((c.window, c.answered, c.held()), (2, 0, 0));
    }

    #[test]
    fn the_count_follows_session_time_not_entry_order() {
        // Entered out of order: the oldest session (a "yes") is added last
        // and is the 11th by time, so it falls out.
        let mut d = data_with(&[Some(No); 10]);
        let c = CheckIn {
            when: day(-1),
            held_back: Some(Yes),
            ..CheckIn::default()
        };
        checkin::add(&mut d, c, day(10_000), now()).unwrap();
        assert_eq!(held_back_count(&d).held(), 0);
    }

    #[test]
    fn the_list_holds_a_little_and_yes_newest_first() {
        let d = data_with(&[Some(ALittle), Some(No), None, Some(Yes)]);
        let items = list(&d);
        let words: Vec<&str> = items.iter().map(|i| i.words()).collect();
        assert_eq!(words, ["w3", "w0"]);
        assert_eq!(items[0].level, Yes);
        assert_eq!(items[0].when(), day(3));
        assert!(!items[0].kept);
        assert_eq!(new_count(&d), 2);
    }

    #[test]
    fn keep_let_go_and_undo() {
        let mut d = data_with(&[Some(ALittle), Some(Yes)]);
        let (a, b) = (d.check_ins[0].id.clone(), d.check_ins[1].id.clone());
        assert_eq!(keep(&mut d, &a), Some(None));
        assert!(list(&d).iter().find(|i| i.id() == a).unwrap().kept);
        assert_eq!(new_count(&d), 1);
        let before = let_go(&mut d, &a).expect("an item");
        assert_eq!(before.as_ref().map(|m| m.state), Some(UnsaidState::Kept));
        let ids: Vec<&str> = list(&d).iter().map(|i| i.id()).collect();
        assert_eq!(ids, [b.as_str()]);
        // The words are still on the check-in.
        assert_eq!(d.check_ins[0].body.held_back_words, "w0");
        restore(&mut d, &a, before);
        assert_eq!(list(&d).len(), 2);
        assert!(list(&d).iter().find(|i| i.id() == a).unwrap().kept);
        // A check-in that held nothing back is no item.
        let mut d = data_with(&[Some(No)]);
        let id = d.check_ins[0].id.clone();
        assert_eq!(let_go(&mut d, &id), None);
        assert_eq!(keep(&mut d, "r999"), None);
        assert!(d.prepare.unsaid.is_empty());
    }

    #[test]
    fn an_item_becomes_a_draft_with_its_words() {
        let mut d = data_with(&[Some(Yes)]);
        d.check_ins[0].body.held_back_words =
            "  When they said I was 'resisting' 🙂\nI froze.  ".into();
        let id = d.check_ins[0].id.clone();
        let c = to_concern(&mut d, &id, now()).expect("a concern");
        let concern = &prepare::find(&d, &c).unwrap().body;
        assert_eq!(
            concern.what_happened,
            "When they said I was 'resisting' 🙂\nI froze."
        );
        assert_eq!(concern.state, ConcernState::Draft);
        assert_eq!(concern.step, STEP_TOPIC);
        assert_eq!(d.prepare.open.as_deref(), Some(c.as_str()));
        assert!(list(&d).is_empty());
        // A second tap opens the same draft.
        prepare::close(&mut d);
        assert_eq!(to_concern(&mut d, &id, now()), Some(c.clone()));
        assert_eq!(d.concerns.len(), 1);
        // Deleting the draft brings the item back, words and all.
        prepare::delete(&mut d, &c);
        assert_eq!(list(&d).len(), 1);
        let again = to_concern(&mut d, &id, now()).unwrap();
        assert_ne!(again, c);
        assert_eq!(d.concerns.len(), 1);
    }
}

//! The agenda "For my next session", drafts, outcomes, set-aside and
//! delete with undo, and history.

use chrono::{DateTime, Utc};

use super::{edit, find, push_to_agenda, remove_from_agenda_list};
use crate::core::model::{Concern, ConcernState, Data, Record, Response};

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
/// Whether a concern was raised and nothing is said yet of how it went
/// (no response, no "how I feel now", no note): the app keeps asking
/// until the user says, or closes it.
pub fn awaits_outcome(c: &Concern) -> bool {
    c.state == ConcernState::Raised
        && c.outcome.response.is_none()
        && c.outcome.feel_now.is_none()
        && c.outcome.note.trim().is_empty()
}
/// The raised concerns still waiting for how it went ([`awaits_outcome`]),
/// the most recently raised first.
pub fn awaiting_outcome(data: &Data) -> Vec<&Record<Concern>> {
    let mut v: Vec<&Record<Concern>> = data
        .concerns
        .iter()
        .filter(|r| awaits_outcome(&r.body))
        .collect();
    v.sort_by_key(|r| std::cmp::Reverse((r.body.outcome.raised_at, r.updated)));
    v
}
/// "Close it" on a raised concern that waits for its outcome: it is
/// settled without anything said about how it went (the user chose not to
/// say); it stays in history and in "Did raising it help?".
pub fn close_raised(data: &mut Data, id: &str, now: DateTime<Utc>) {
    if find(data, id).is_some_and(|r| r.body.state == ConcernState::Raised) {
        edit(data, id, now, |c| c.state = ConcernState::Settled);
    }
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

/// Where a state's group stands in history: what is still to be raised
/// first, drafts last.
pub fn history_rank(state: ConcernState) -> u8 {
    match state {
        ConcernState::Ready => 0,
        ConcernState::Raised => 1,
        ConcernState::Settled => 2,
        ConcernState::SetAside => 3,
        ConcernState::Draft => 4,
    }
}

/// History as shown, as positions in `data.concerns`: grouped by state in
/// [`history_rank`] order, newest first within each group.
pub fn history_grouped(data: &Data) -> Vec<usize> {
    let mut list: Vec<usize> = (0..data.concerns.len())
        .filter(|&i| data.concerns[i].body.state != ConcernState::Draft)
        .collect();
    let c = &data.concerns;
    list.sort_by_key(|&i| {
        (
            history_rank(c[i].body.state),
            std::cmp::Reverse(c[i].updated),
        )
    });
    list
}

/// What the user can do with a concern in its state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Actions {
    pub can_raise: bool,
    pub can_record_outcome: bool,
    pub can_set_aside: bool,
    pub can_bring_back: bool,
}

impl Actions {
    pub fn for_state(state: ConcernState) -> Actions {
        use ConcernState::*;
        Actions {
            can_raise: state == Ready,
            can_record_outcome: matches!(state, Raised | Settled),
            can_set_aside: matches!(state, Ready | Raised | Draft),
            can_bring_back: matches!(state, SetAside | Settled),
        }
    }
}

/// Undoes [`remove_from_agenda`]: the concern is Ready again, at
/// `agenda_index` in the agenda (or its end, if the agenda is shorter).
pub fn restore_to_agenda(data: &mut Data, id: &str, agenda_index: usize, now: DateTime<Utc>) {
    set_state(data, id, ConcernState::Ready, now);
    let from = data.prepare.agenda.iter().position(|a| a == id);
    if let Some(from) = from {
        move_in_agenda(data, id, agenda_index as i32 - from as i32);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::prepare::{new_draft, save, set_text, Field};

    fn ready(data: &mut Data, text: &str) -> String {
        let now = Utc::now();
        let id = new_draft(data, Some(crate::core::model::Topic::Pace), now);
        set_text(data, &id, Field::WhatHappened, text, now);
        set_text(data, &id, Field::WhatMatters, text, now);
        data.concerns.last_mut().unwrap().body.raise_way =
            Some(crate::core::model::RaiseWay::SayHowIFeel);
        data.concerns.last_mut().unwrap().body.own_opener = text.into();
        save(data, &id, now).expect("saves");
        id
    }

    #[test]
    fn a_raised_concern_waits_for_its_outcome_until_said_or_closed() {
        let mut data = Data::default();
        let t = |h: u32| chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 3, 1, h, 0, 0).unwrap();
        let a = ready(&mut data, "a");
        let b = ready(&mut data, "b");
        let c = ready(&mut data, "c");
        assert!(awaiting_outcome(&data).is_empty(), "nothing raised yet");
        mark_raised(&mut data, &a, t(9));
        mark_raised(&mut data, &b, t(10));
        mark_raised(&mut data, &c, t(11));
        // Off the agenda, but still asked about, newest raised first.
        assert!(data.prepare.agenda.is_empty());
        let ids = |d: &Data| -> Vec<String> {
            awaiting_outcome(d).iter().map(|r| r.id.clone()).collect()
        };
        assert_eq!(ids(&data), [c.clone(), b.clone(), a.clone()]);
        // "Not yet" with nothing said: still asked.
        record_outcome(&mut data, &a, None, None, false, t(12));
        assert_eq!(ids(&data), [c.clone(), b.clone(), a.clone()]);
        // A response is how it went: no longer asked.
        record_outcome(&mut data, &a, Some(Response::Listened), None, false, t(12));
        assert_eq!(ids(&data), [c.clone(), b.clone()]);
        // Closed without saying: settled, nothing recorded.
        close_raised(&mut data, &b, t(13));
        assert_eq!(ids(&data), std::slice::from_ref(&c));
        let closed = &find(&data, &b).unwrap().body;
        assert_eq!(closed.state, ConcernState::Settled);
        assert_eq!(closed.outcome.response, None);
        assert_eq!(closed.outcome.raised_at, Some(t(10)));
        // Closing only closes a raised concern.
        let d = ready(&mut data, "d");
        close_raised(&mut data, &d, t(14));
        assert_eq!(find(&data, &d).unwrap().body.state, ConcernState::Ready);
    }

    #[test]
    fn undoing_a_removal_puts_the_concern_back_where_it_was() {
        let mut data = Data::default();
        let ids: Vec<String> = ["a", "b", "c"]
            .iter()
            .map(|t| ready(&mut data, t))
            .collect();
        remove_from_agenda(&mut data, &ids[1], Utc::now());
        assert_eq!(data.prepare.agenda, [ids[0].clone(), ids[2].clone()]);
        restore_to_agenda(&mut data, &ids[1], 1, Utc::now());
        assert_eq!(data.prepare.agenda, ids);
        assert_eq!(
            find(&data, &ids[1]).unwrap().body.state,
            ConcernState::Ready
        );
    }

    #[test]
    fn history_puts_what_is_still_to_raise_first() {
        let mut data = Data::default();
        let a = ready(&mut data, "a");
        let b = ready(&mut data, "b");
        set_state(&mut data, &a, ConcernState::SetAside, Utc::now());
        let order: Vec<&str> = history_grouped(&data)
            .iter()
            .map(|&i| data.concerns[i].id.as_str())
            .collect();
        assert_eq!(order, [b.as_str(), a.as_str()]);
    }

    #[test]
    fn only_a_ready_concern_can_be_raised() {
        assert!(Actions::for_state(ConcernState::Ready).can_raise);
        assert!(!Actions::for_state(ConcernState::Raised).can_raise);
        assert!(Actions::for_state(ConcernState::Settled).can_bring_back);
        assert!(!Actions::for_state(ConcernState::SetAside).can_set_aside);
    }
}

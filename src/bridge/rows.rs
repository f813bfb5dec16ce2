//! Models that live as long as their page and change by row: short lists
//! are brought up to date in place ([`sync_rows`]); long lists build a row
//! only when the view asks for it ([`LazyRows`]).

use std::cell::RefCell;

use slint::{Model, ModelNotify, ModelRc, ModelTracker, VecModel};

/// Brings `model` up to `rows` in place: a row that differs is set, rows
/// past the end are added or removed. The rows that stay the same (and
/// the keyboard focus on one of them) are untouched.
pub(crate) fn sync_rows<T: Clone + PartialEq + 'static>(
    model: &VecModel<T>,
    rows: impl IntoIterator<Item = T>,
) {
    let mut n = 0;
    for (i, row) in rows.into_iter().enumerate() {
        if i < model.row_count() {
            if model.row_data(i).as_ref() != Some(&row) {
                model.set_row_data(i, row);
            }
        } else {
            model.push(row);
        }
        n = i + 1;
    }
    while model.row_count() > n {
        model.remove(model.row_count() - 1);
    }
}

/// A long-lived list model for a page, set once on its Slint property.
pub(crate) fn bound<T: Clone + 'static>(set: impl FnOnce(ModelRc<T>)) -> std::rc::Rc<VecModel<T>> {
    let model = std::rc::Rc::new(VecModel::default());
    set(ModelRc::from(model.clone()));
    model
}

/// A long-lived list model for a field of a struct the page sets.
pub(crate) fn list<T: Clone + 'static>() -> std::rc::Rc<VecModel<T>> {
    std::rc::Rc::new(VecModel::default())
}

/// A handle for a Slint property.
pub(crate) fn shown<T: Clone + 'static>(model: &std::rc::Rc<VecModel<T>>) -> ModelRc<T> {
    ModelRc::from(model.clone())
}

/// A record's id as a small key for [`LazyRows`].
pub(crate) fn id_key(id: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    id.hash(&mut h);
    h.finish()
}

/// Builds the row for a key (`None` if its record is gone).
type BuildRow<K, T> = Box<dyn Fn(&K) -> Option<T>>;

/// A long list that keeps one small key per row and builds the row from it
/// when the view asks (a virtualised `ListView` asks only for the rows on
/// screen). New keys are compared with the old ones, so the view hears of
/// exactly the rows that changed, came or went: a new check-in is one
/// inserted row (and its month's changed heading), not a rebuilt list.
pub(crate) struct LazyRows<K, T> {
    keys: RefCell<Vec<K>>,
    build: BuildRow<K, T>,
    notify: ModelNotify,
    /// How many rows were built (tests check that a change builds few).
    #[cfg(test)]
    pub built: std::cell::Cell<usize>,
}

impl<K: PartialEq, T: Default> LazyRows<K, T> {
    pub fn new(build: impl Fn(&K) -> Option<T> + 'static) -> LazyRows<K, T> {
        LazyRows {
            keys: RefCell::default(),
            build: Box::new(build),
            notify: ModelNotify::default(),
            #[cfg(test)]
            built: Default::default(),
        }
    }

    /// Replaces the keys and tells the view what changed.
    pub fn set_keys(&self, new: Vec<K>) {
        let change = {
            let old = self.keys.borrow();
            diff(&old, &new)
        };
        *self.keys.borrow_mut() = new;
        let Some(Diff {
            at,
            changed,
            removed,
            added,
        }) = change
        else {
            return;
        };
        if changed > 0 {
            for row in at..at + changed {
                self.notify.row_changed(row);
            }
        }
        if removed > 0 {
            self.notify.row_removed(at + changed, removed);
        }
        if added > 0 {
            self.notify.row_added(at + changed, added);
        }
    }
}

/// Where two key lists differ: from `at`, `changed` rows differ in place,
/// then `removed` old rows went and `added` new rows came.
#[derive(Debug, PartialEq, Eq)]
struct Diff {
    at: usize,
    changed: usize,
    removed: usize,
    added: usize,
}

fn diff<K: PartialEq>(old: &[K], new: &[K]) -> Option<Diff> {
    let prefix = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    if prefix == old.len() && prefix == new.len() {
        return None;
    }
    let max_suffix = old.len().min(new.len()) - prefix;
    let suffix = old
        .iter()
        .rev()
        .zip(new.iter().rev())
        .take(max_suffix)
        .take_while(|(a, b)| a == b)
        .count();
    let old_mid = old.len() - prefix - suffix;
    let new_mid = new.len() - prefix - suffix;
    let changed = old_mid.min(new_mid);
    Some(Diff {
        at: prefix,
        changed,
        removed: old_mid - changed,
        added: new_mid - changed,
    })
}

impl<K: 'static, T: Clone + Default + 'static> Model for LazyRows<K, T> {
    type Data = T;

    fn row_count(&self) -> usize {
        self.keys.borrow().len()
    }

    fn row_data(&self, row: usize) -> Option<T> {
        let keys = self.keys.borrow();
        let key = keys.get(row)?;
        #[cfg(test)]
        self.built.set(self.built.get() + 1);
        // A row whose record has just gone reads as empty until the view
        // hears of it.
        Some((self.build)(key).unwrap_or_default())
    }

    fn model_tracker(&self) -> &dyn ModelTracker {
        &self.notify
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_new_row_is_one_insertion() {
        let d = diff(&[1, 2, 3], &[1, 9, 2, 3]).unwrap();
        assert_eq!(
            d,
            Diff {
                at: 1,
                changed: 0,
                removed: 0,
                added: 1
            }
        );
    }

    #[test]
    fn a_changed_heading_and_a_new_row() {
        // Month heading (count 2 -> 3) then a new entry at the top.
        let d = diff(&[(0, 2), (1, 0), (2, 0)], &[(0, 3), (9, 0), (1, 0), (2, 0)]).unwrap();
        assert_eq!(
            d,
            Diff {
                at: 0,
                changed: 1,
                removed: 0,
                added: 1
            }
        );
    }

    #[test]
    fn equal_lists_need_no_news_and_removal_is_reported() {
        assert_eq!(diff(&[1, 2], &[1, 2]), None);
        let d = diff(&[1, 2, 3], &[1, 3]).unwrap();
        assert_eq!((d.at, d.changed, d.removed, d.added), (1, 0, 1, 0));
        let d = diff(&[1, 1], &[1]).unwrap();
        assert_eq!((d.at, d.changed, d.removed, d.added), (1, 0, 1, 0));
    }

    #[test]
    fn sync_rows_updates_in_place() {
        let m = VecModel::from(vec![1, 2, 3]);
        sync_rows(&m, [1, 5]);
        assert_eq!(m.iter().collect::<Vec<_>>(), [1, 5]);
        sync_rows(&m, [1, 5, 7, 8]);
        assert_eq!(m.iter().collect::<Vec<_>>(), [1, 5, 7, 8]);
    }
}

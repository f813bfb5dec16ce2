//! Delete with undo, as every page that deletes does it: the core removes
//! the record and returns what Undo needs; the page keeps that (one step)
//! until Undo, or until it shows something else.

use std::cell::RefCell;

use super::changes::Slices;
use super::shared::Shared;
use crate::core::model::Data;

pub(crate) struct UndoSlot<T>(RefCell<Option<T>>);

impl<T> Default for UndoSlot<T> {
    fn default() -> Self {
        UndoSlot(RefCell::new(None))
    }
}

impl<T> UndoSlot<T> {
    /// Runs `delete` as a deliberate change and keeps what it returns for
    /// Undo (replacing any earlier step).
    pub fn delete(
        &self,
        shared: &Shared,
        touches: Slices,
        delete: impl FnOnce(&mut Data) -> Option<T>,
    ) {
        let kept = shared.change_soon(Slices::NONE, delete);
        *self.0.borrow_mut() = kept;
        shared.publish(touches);
    }

    /// Keeps `step` for Undo without changing anything yet.
    pub fn keep(&self, step: T) {
        *self.0.borrow_mut() = Some(step);
    }

    /// Puts back what the last step took away, if anything.
    pub fn undo(&self, shared: &Shared, touches: Slices, restore: impl FnOnce(&mut Data, T)) {
        let Some(step) = self.0.borrow_mut().take() else {
            return;
        };
        shared.change_soon(touches, |d| restore(d, step));
    }

    pub fn forget(&self) {
        *self.0.borrow_mut() = None;
    }

    pub fn can_undo(&self) -> bool {
        self.0.borrow().is_some()
    }

    pub fn peek<R>(&self, f: impl FnOnce(Option<&T>) -> R) -> R {
        f(self.0.borrow().as_ref())
    }
}

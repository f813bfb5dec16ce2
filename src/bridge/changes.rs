//! What a change touched, named by the part of the user's data it wrote.
//! Every page says which parts it shows when it subscribes
//! ([`super::shared::Shared::subscribe`]);
//! after a change only those pages refresh, so one page never has to know
//! which other pages show what it changed.

use std::ops::BitOr;

/// A set of parts of the data (and of the app's state around it).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Slices(u16);

impl Slices {
    pub const NONE: Slices = Slices(0);
    /// Theme, text size, help region, lock delay.
    pub const SETTINGS: Slices = Slices(1);
    /// Where the user is in Learn, and the saved cards.
    pub const LEARN: Slices = Slices(1 << 1);
    /// The concerns and their states: drafts, agenda, history.
    pub const CONCERNS: Slices = Slices(1 << 2);
    /// The draft open in the builder: its step and choices (typing alone
    /// touches nothing shown elsewhere).
    pub const DRAFT: Slices = Slices(1 << 3);
    pub const CHECK_INS: Slices = Slices(1 << 4);
    /// Insights' own answers (a nudge acted on or dismissed).
    pub const INSIGHTS: Slices = Slices(1 << 5);
    /// The store's notices and whether saving fails.
    pub const NOTICES: Slices = Slices(1 << 6);
    /// Whether a passcode protects the data.
    pub const PROTECTION: Slices = Slices(1 << 7);
    /// The whole store was swapped (locked or unlocked): pages drop what
    /// they held of the old one.
    pub const STORE: Slices = Slices(1 << 8);
    /// The user did something: the idle lock starts counting again.
    pub const USE: Slices = Slices(1 << 9);
    /// Prepare's own answers about what goes unsaid: what was done with
    /// each Unsaid item, and how the user tends to react.
    pub const UNSAID: Slices = Slices(1 << 10);
    /// When sessions happen (the schedule, skips, pauses) and the reminders
    /// chosen around them.
    pub const SESSIONS: Slices = Slices(1 << 11);
    /// The clock moved past a moment that changes what is shown: a new
    /// local day, a session starting or ending (`super::clock::Clock`).
    /// Nothing was written, and it is not use.
    pub const TIME: Slices = Slices(1 << 12);
    pub const ALL: Slices = Slices((1 << 13) - 1);

    pub fn intersects(self, other: Slices) -> bool {
        self.0 & other.0 != 0
    }

    #[cfg(test)]
    pub fn contains(self, other: Slices) -> bool {
        self.0 & other.0 == other.0
    }
}

impl BitOr for Slices {
    type Output = Slices;
    fn bitor(self, rhs: Slices) -> Slices {
        Slices(self.0 | rhs.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_sees_only_the_parts_it_shows() {
        let home = Slices::LEARN | Slices::STORE;
        assert!(home.intersects(Slices::LEARN | Slices::USE));
        assert!(!home.intersects(Slices::DRAFT | Slices::CHECK_INS));
        assert!(Slices::ALL.contains(home));
        assert!(!Slices::NONE.intersects(Slices::ALL));
    }
}

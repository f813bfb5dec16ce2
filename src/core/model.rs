//! The data the store keeps: one typed document with settings, Learn progress
//! and the record kinds of each feature. Feature issues add fields here with
//! `#[serde(default)]` so that older files still load without a migration.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// A stable record id, unique within one store (`"r1"`, `"r2"`, ...).
pub type RecordId = String;

/// One stored record: a stable id, timestamps and the feature's own body.
///
/// Record bodies must be `Eq` (no floats): the save encoder reuses the JSON
/// of a record that is `==` to the one it last wrote
/// (`core::store::encoder`).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Record<T> {
    pub id: RecordId,
    pub created: DateTime<Utc>,
    pub updated: DateTime<Utc>,
    pub body: T,
}

/// Which colour scheme the user wants.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "kebab-case")]
pub enum ThemeChoice {
    #[default]
    System,
    Light,
    Dark,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(default)]
pub struct Settings {
    pub theme: ThemeChoice,
}

/// Where the user is in the Learn decks. Keyed by the stable ids in
/// `assets/cards.json`, never by position, so that content edits do not
/// scramble anyone's progress.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(default)]
pub struct LearnProgress {
    /// The deck the user last opened.
    pub last_deck: Option<String>,
    /// Deck id -> id of the card the user is on in that deck.
    pub position: BTreeMap<String, String>,
    /// Every card id the user has seen.
    pub seen: BTreeSet<String>,
    /// Bookmarked card ids, in the order they were saved.
    pub bookmarks: Vec<String>,
}

/// A post-session check-in. Scores run 1 (not at all) to 5 (completely).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default)]
#[serde(default)]
pub struct CheckIn {
    pub session_date: Option<NaiveDate>,
    pub mood: u8,
    pub goals: u8,
    pub approach: u8,
    pub heard: u8,
    pub note: String,
}

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "kebab-case")]
pub enum ConcernStatus {
    #[default]
    Draft,
    Ready,
    Raised,
    Dropped,
}

/// A concern the user is preparing to raise in a session.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default)]
#[serde(default)]
pub struct Concern {
    pub title: String,
    pub what_happened: String,
    pub how_it_felt: String,
    pub what_i_want: String,
    pub opening_line: String,
    pub status: ConcernStatus,
    /// How raising it went, written after the session.
    pub outcome: String,
}

/// Everything the user keeps in Common Ground.
///
/// Saves are serialized field by field by `core::store::encoder::Encoder`
/// (to reuse the bytes of unchanged records): a field added here must be
/// added to `Encoder::write_body` too. The compiler and the test
/// `incremental_encoder_matches_serde_json` (`tests/store_format.rs`) both
/// insist on it.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(default)]
pub struct Data {
    pub settings: Settings,
    pub learn: LearnProgress,
    pub check_ins: Vec<Record<CheckIn>>,
    pub concerns: Vec<Record<Concern>>,
    /// The next number handed out by [`Data::new_id`].
    pub next_id: u64,
}

impl Data {
    /// A fresh record id; never reused within this store.
    pub fn new_id(&mut self) -> RecordId {
        self.next_id += 1;
        format!("r{}", self.next_id)
    }

    /// Wraps `body` in a new record with fresh id and timestamps.
    pub fn new_record<T>(&mut self, body: T, now: DateTime<Utc>) -> Record<T> {
        Record {
            id: self.new_id(),
            created: now,
            updated: now,
            body,
        }
    }
}

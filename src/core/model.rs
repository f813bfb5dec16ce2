//! The data the store keeps: one typed document with settings, Learn progress
//! and the record kinds of each feature. Feature issues add fields here with
//! `#[serde(default)]` so that older files still load without a migration.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};

/// A stable record id, unique within one store (`"r1"`, `"r2"`, ...).
pub type RecordId = String;

/// One stored record: a stable id, timestamps and the feature's own body.
///
/// Record bodies must be `Eq` and `Hash` (no floats): the save encoder
/// reuses the JSON of a record whose hash fingerprint matches the one it
/// last wrote (`core::store::encoder`).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Hash)]
pub struct Record<T> {
    pub id: RecordId,
    pub created: DateTime<Utc>,
    pub updated: DateTime<Utc>,
    pub body: T,
}

/// Adds `item` to `list`, or takes it out if it is there (a chip tapped).
pub fn toggle<T: PartialEq>(list: &mut Vec<T>, item: T) {
    match list.iter().position(|x| *x == item) {
        Some(i) => {
            list.remove(i);
        }
        None => list.push(item),
    }
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

/// Where the user lives, for the urgent-help services shown
/// (`assets/help.json` has one entry per region).
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum Region {
    Uk,
    Ie,
    Us,
    Ca,
    Au,
    Nz,
    /// Anywhere else: the emergency advice and a directory of helplines.
    International,
}

impl Region {
    pub const ALL: [Region; 7] = [
        Region::Uk,
        Region::Ie,
        Region::Us,
        Region::Ca,
        Region::Au,
        Region::Nz,
        Region::International,
    ];

    /// The stored name (`"au"`), also the region's id in `assets/help.json`.
    pub fn code(self) -> &'static str {
        match self {
            Region::Uk => "uk",
            Region::Ie => "ie",
            Region::Us => "us",
            Region::Ca => "ca",
            Region::Au => "au",
            Region::Nz => "nz",
            Region::International => "international",
        }
    }
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct Settings {
    pub theme: ThemeChoice,
    /// The region whose help services the app shows. `None` until the app
    /// first starts, when it is taken from the system locale
    /// (`core::locale`); the user can change it in Settings.
    pub region: Option<Region>,
    /// With a passcode on, the app locks after this many minutes without
    /// use (absent in older files: the default).
    pub lock_after_minutes: u32,
    /// The text size, in percent of the normal size (absent in
    /// older files: 100). Settings offers [`TEXT_SCALES`].
    pub text_scale: u32,
    /// Automatic backups to a folder the user picks (format 3; absent in
    /// older files: not set up).
    pub backup: BackupSettings,
}

/// How many backups are kept unless the user picks another number.
pub const DEFAULT_BACKUP_KEEP: u32 = 10;

/// Automatic backups (`core::backup`): where, how many, and how they are
/// sealed. This device's own settings: a restore never takes another
/// device's (`core::backup::keep_local_settings`).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(default)]
pub struct BackupSettings {
    /// The folder backups go to, as the user typed it; `None` until set.
    pub folder: Option<String>,
    /// How many of this device's backups to keep (at least 1).
    pub keep: u32,
    /// This device's name in backup file names (sanitised); empty until
    /// backups are first set up.
    pub device: String,
    /// When the last backup was written and verified.
    pub last_good: Option<DateTime<Utc>>,
    /// The backup key when no passcode is on: a random data key and its
    /// wrap under the user's backup passphrase (Argon2id). Only the wrap
    /// goes into backup files; the passphrase itself is never stored.
    pub passphrase: Option<BackupKey>,
    /// The user chose, explicitly, to write backups without encryption
    /// (used only when there is neither a passcode nor a passphrase).
    pub unencrypted: bool,
}

impl Default for BackupSettings {
    fn default() -> Self {
        BackupSettings {
            folder: None,
            keep: DEFAULT_BACKUP_KEEP,
            device: String::new(),
            last_good: None,
            passphrase: None,
            unencrypted: false,
        }
    }
}

/// A backup data key with its passphrase wrap. The key lives in the store
/// document, so that automatic backups need no passphrase each time; it is
/// as private as the store itself (sealed too when a passcode is on). The
/// backup files carry only the wrap, which opens with the passphrase.
#[derive(Serialize, Deserialize, Clone, PartialEq, Eq)]
pub struct BackupKey {
    pub wrap: crate::core::store::KeyWrap,
    pub key: crate::core::store::crypto::B64Bytes,
}

impl std::fmt::Debug for BackupKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BackupKey")
            .field("wrap", &self.wrap)
            .finish_non_exhaustive()
    }
}

/// The text sizes Settings offers, in percent.
pub const TEXT_SCALES: [u32; 4] = [100, 130, 160, 200];

impl Settings {
    /// The text size as a factor, kept within what the layout is made for
    /// (a hand-edited or damaged value never makes the app unusable).
    pub fn text_factor(&self) -> f32 {
        self.text_scale.clamp(TEXT_SCALES[0], TEXT_SCALES[3]) as f32 / 100.0
    }
}

/// The idle time before the app locks, unless the user picks another.
pub const DEFAULT_LOCK_AFTER_MINUTES: u32 = 5;

impl Default for Settings {
    fn default() -> Self {
        Settings {
            theme: ThemeChoice::default(),
            region: None,
            lock_after_minutes: DEFAULT_LOCK_AFTER_MINUTES,
            text_scale: 100,
            backup: BackupSettings::default(),
        }
    }
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

/// A post-session check-in: how the user feels and how much they agree with
/// where the work with their therapist is going. Every score runs 0 to 10.
///
/// The four agreement items follow Bordin's working alliance (bond, goals,
/// tasks) plus an overall item; the words the user reads are our own
/// (`ui/pages/checkin.slint`). Only `mood` is required.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default, Hash)]
#[serde(default)]
pub struct CheckIn {
    /// When the session (or the check-in) was, in the user's local time.
    pub when: NaiveDateTime,
    /// Mood now, 0 (very low) to 10 (very good).
    pub mood: u8,
    /// Mood before the session, if the user gave it.
    pub mood_before: Option<u8>,
    /// "I felt heard and respected" (the bond).
    pub heard: Option<u8>,
    /// "We worked on what matters to me" (goals).
    pub goals: Option<u8>,
    /// "The way we worked suits me" (approach, Bordin's tasks).
    pub approach: Option<u8>,
    /// "Overall, I agree with where this is going."
    pub overall: Option<u8>,
    pub note: String,
    /// The user's own tags, in the order given.
    pub tags: Vec<String>,
    /// Ids of the concerns raised in this session.
    pub concerns: Vec<RecordId>,
    /// "Anything you held back?": `None` when the user left it unanswered.
    pub held_back: Option<HeldBack>,
    /// The user's few words about what went unsaid (kept only with
    /// [`HeldBack::ALittle`] or [`HeldBack::Yes`]). As private as `note`:
    /// sealed with the passcode, never in a notification, in no CSV, and in
    /// a therapist summary only when ticked one by one.
    pub held_back_words: String,
}

/// The answer to "Anything you held back?" at the end of a check-in.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum HeldBack {
    No,
    ALittle,
    Yes,
}

impl HeldBack {
    /// Whether something went unsaid ("a little" or "yes").
    pub fn something(self) -> bool {
        matches!(self, HeldBack::ALittle | HeldBack::Yes)
    }
}

/// One of the four agreement items of a check-in.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum Item {
    Heard,
    Goals,
    Approach,
    Overall,
}

impl Item {
    pub const ALL: [Item; 4] = [Item::Heard, Item::Goals, Item::Approach, Item::Overall];

    /// This item's score in `c`, if given.
    pub fn of(self, c: &CheckIn) -> Option<u8> {
        match self {
            Item::Heard => c.heard,
            Item::Goals => c.goals,
            Item::Approach => c.approach,
            Item::Overall => c.overall,
        }
    }
}

/// A nudge the user dismissed: the item and the id of the check-in where
/// that dip began (so the same dip is not shown again, a later one is).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Hash)]
pub struct DismissedDip {
    pub item: Item,
    pub start: RecordId,
}

/// Insights' own stored state.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default)]
#[serde(default)]
pub struct InsightsState {
    /// Nudges dismissed, oldest first.
    pub dismissed: Vec<DismissedDip>,
    /// The "everything is a 10" line: the id of the first check-in of the
    /// run whose line the user dismissed (a later run shows it again).
    pub all_top_dismissed: Option<RecordId>,
    /// "Don't show this": the line never shows again.
    pub all_top_never: bool,
}

/// Where a concern is in its life: being written, waiting for the next
/// session, raised (and how it went), settled, or set aside.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum ConcernState {
    #[default]
    Draft,
    Ready,
    Raised,
    Settled,
    SetAside,
}

/// What a concern is about (step 1). Several may apply.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum Topic {
    Approach,
    Homework,
    SomethingSaid,
    Goals,
    Pace,
    Practical,
    NotHeard,
    /// "I am thinking about stopping or changing".
    StoppingOrChanging,
    Ethics,
    Other,
}

/// How the user wants to raise it (step 5).
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum RaiseWay {
    SayHowIFeel,
    AskToExplain,
    WorkOutChange,
    SecondOpinion,
}

/// How the therapist responded when the concern was raised.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum Response {
    Listened,
    Explained,
    ChangedPlan,
    Disagreed,
    SomethingElse,
}

/// What happened when the concern was raised, written after the session.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default, Hash)]
#[serde(default)]
pub struct Outcome {
    /// When the user marked it raised.
    pub raised_at: Option<DateTime<Utc>>,
    pub response: Option<Response>,
    /// The user's own words about how it went.
    pub note: String,
    /// How the user feels about it now, 0 (much worse) to 10 (much better);
    /// `None` until they say.
    pub feel_now: Option<u8>,
}

/// A concern the user is preparing to raise in a session, and what came of
/// it. Free text is kept exactly as typed (any script, emoji).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default, Hash)]
#[serde(default)]
pub struct Concern {
    /// Step 1: what it is about.
    pub topics: Vec<Topic>,
    /// Step 1: the user's own words when `Topic::Other` is chosen.
    pub other_topic: String,
    /// Step 2 (required): what happened.
    pub what_happened: String,
    /// Step 3: emotion ids from `assets/prepare.json`.
    pub feelings: Vec<String>,
    /// Step 3: how strong, 1 (a little) to 5 (very); 0 = not said.
    pub intensity: u8,
    /// Step 4: what matters to the user here.
    pub what_matters: String,
    /// Step 4: what they would like instead.
    pub would_like: String,
    /// Step 5.
    pub raise_way: Option<RaiseWay>,
    /// Step 6: the suggested openers as the user left them (editable).
    pub openers: Vec<String>,
    /// Step 6: the text each opener had when it was last suggested
    /// (parallel to `openers`); an opener that differs from its entry here
    /// was edited by the user and is kept when suggestions are refreshed.
    pub suggested: Vec<String>,
    /// Step 6: the user's own opening line.
    pub own_opener: String,
    /// Step 6: which opener the user will lead with: index into `openers`,
    /// or `openers.len()` for `own_opener`.
    pub chosen_opener: usize,
    /// The builder step the draft was left at (1-based).
    pub step: u8,
    /// Whether the user has seen the ethics guidance for this concern.
    pub ethics_seen: bool,
    pub state: ConcernState,
    pub outcome: Outcome,
}

/// Prepare's own state beyond the concerns themselves.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default)]
#[serde(default)]
pub struct PrepareState {
    /// "For my next session": ids of `Ready` concerns, in the user's order.
    pub agenda: Vec<RecordId>,
    /// The draft open in the builder, so that a restart (or a crash) comes
    /// back to it at the same step.
    pub open: Option<RecordId>,
    /// "When something in a session feels off, I usually...": asked once,
    /// changeable; `None` until the user answers.
    pub reaction: Option<Reaction>,
    /// What the user did with items of the Unsaid list (check-ins whose
    /// held-back answer was "a little" or "yes"), by check-in id. An item
    /// with no mark is new.
    pub unsaid: Vec<UnsaidMark>,
}

/// How the user tends to react when something in a session feels off.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum Reaction {
    GoQuiet,
    SaySo,
    Depends,
}

/// What became of one item of the Unsaid list.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum UnsaidState {
    /// Kept on the list on purpose.
    Kept,
    /// "Not important any more": off the list.
    LetGo,
    /// Turned into a draft concern (`UnsaidMark::concern`).
    Drafted,
}

/// The user's choice for one Unsaid item (the check-in it came from).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct UnsaidMark {
    pub check_in: RecordId,
    pub state: UnsaidState,
    /// The draft concern made from it, for [`UnsaidState::Drafted`].
    #[serde(default)]
    pub concern: Option<RecordId>,
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
    /// Prepare's agenda and open draft.
    pub prepare: PrepareState,
    /// Insights' dismissed nudges.
    pub insights: InsightsState,
    /// The session rhythm: schedule, reminders, calendar title.
    pub sessions: crate::core::sessions::SessionsState,
    /// The next number handed out by [`Data::new_id`].
    pub next_id: u64,
}

/// The largest record number: ids are `r` and 1 to 15 digits, so every
/// number stays exact in any JSON reader (below 2^53) and `next_id` never
/// wraps around.
pub const MAX_ID_NUMBER: u64 = 999_999_999_999_999;

/// The number of a well-formed record id: `r`, then 1 to 15 digits without
/// a leading zero (`r1` … `r999999999999999`). Anything else is `None`.
pub fn id_number(id: &str) -> Option<u64> {
    let digits = id.strip_prefix('r')?;
    if digits.is_empty()
        || digits.len() > 15
        || digits.starts_with('0')
        || !digits.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    digits.parse().ok()
}

/// Why the record ids of a document are not acceptable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IdError {
    /// Not of the form `r` + 1 to 15 digits (the id, shortened for
    /// display).
    Malformed(String),
    /// Two records share this id.
    Duplicate(String),
}

impl std::fmt::Display for IdError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IdError::Malformed(id) => write!(
                f,
                "the record id {id:?} is not valid (ids are \"r\" and 1 to 15 digits)"
            ),
            IdError::Duplicate(id) => write!(f, "two records have the same id {id:?}"),
        }
    }
}

impl std::error::Error for IdError {}

/// At most `max` characters of `s`, with "…" when cut: file content quoted
/// in a message stays short.
pub fn clip(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        None => s.to_owned(),
        Some((at, _)) => format!("{}…", &s[..at]),
    }
}

impl Data {
    /// Every record id (check-ins, then concerns).
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.check_ins
            .iter()
            .map(|r| r.id.as_str())
            .chain(self.concerns.iter().map(|r| r.id.as_str()))
    }

    /// Checks that every record id is well formed ([`id_number`]) and
    /// unique, and raises `next_id` to at least the largest number in use
    /// (so that [`Data::new_id`] never hands out a taken id). Run on every
    /// document loaded or imported.
    pub fn check_ids(&mut self) -> Result<(), IdError> {
        let mut seen =
            std::collections::HashSet::with_capacity(self.check_ins.len() + self.concerns.len());
        let mut max = 0;
        for id in self.ids() {
            let n = id_number(id).ok_or_else(|| IdError::Malformed(clip(id, 20)))?;
            if !seen.insert(n) {
                return Err(IdError::Duplicate(id.to_owned()));
            }
            max = max.max(n);
        }
        self.next_id = self.next_id.max(max);
        Ok(())
    }

    /// A fresh record id, never in use in this store: the number after
    /// `next_id`, or, once that has reached [`MAX_ID_NUMBER`], the lowest
    /// free number.
    pub fn new_id(&mut self) -> RecordId {
        match self.next_id.checked_add(1).filter(|&n| n <= MAX_ID_NUMBER) {
            Some(n) => {
                self.next_id = n;
                format!("r{n}")
            }
            None => {
                let used: std::collections::HashSet<u64> =
                    self.ids().filter_map(id_number).collect();
                let n = (1..=MAX_ID_NUMBER)
                    .find(|n| !used.contains(n))
                    .unwrap_or(MAX_ID_NUMBER);
                format!("r{n}")
            }
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_without_a_text_size_load_at_the_normal_size() {
        let s: Settings = serde_json::from_str(r#"{"theme":"dark"}"#).unwrap();
        assert_eq!(s.text_scale, 100);
        assert_eq!(s.text_factor(), 1.0);
    }

    #[test]
    fn a_text_size_out_of_range_is_kept_within_the_layout_s_range() {
        let at = |text_scale| Settings {
            text_scale,
            ..Default::default()
        };
        assert_eq!(at(0).text_factor(), 1.0);
        assert_eq!(at(160).text_factor(), 1.6);
        assert_eq!(at(900).text_factor(), 2.0);
    }
}

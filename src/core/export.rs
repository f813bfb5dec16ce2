//! Export and import: the user's data in files they own.
//!
//! * **Backup** ([`backup`]): everything, as a store file (the format of
//!   `docs/store-format.md`: a JSON header line, then the JSON document),
//!   sealed as backups to the folder are (`core::backup::export_sealing`):
//!   with the store's key when a passcode is on, else with the backup
//!   passphrase's; unencrypted only when the user asks for it for that
//!   export. Being a store file, it is checked exactly as the store is
//!   (size, checksum, version, migrations, authenticity) and can even be
//!   copied in as `store.json`.
//! * **CSV** ([`check_ins_csv`], [`concerns_csv`]) with the `csv` crate: a
//!   header row, then one row per record; ISO 8601 dates, plain numbers.
//!   Plain text, like the summary: the app and the command line say so
//!   before writing one.
//! * **For my therapist** ([`therapist_summary`]): Markdown with exactly the
//!   chosen concerns and check-ins; the wording is content
//!   (`assets/export.json`).
//! * **Import** ([`read_backup`], [`plan_import`]): the whole file is decoded
//!   and validated first; the plan says what it would add; applying it is
//!   one store update (all or nothing).
//!
//! ## How records from another store are matched
//!
//! Record ids (`r1`, `r2`, …) are unique only within one store, so a record
//! is the *same* record when both its id and its `created` time match (a
//! backup of this very store), or when its `created` time and its content
//! match a record here (a copy brought in by an earlier import under a new
//! id). Same records are not added again (the version here is kept). Any
//! other record is added; if its id is taken here it gets a fresh id from
//! [`Data::new_id`], and the agenda and open draft follow it. `next_id`
//! ends above every id in use, so no later id can collide.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;

use crate::core::model::{
    id_number, CheckIn, Concern, ConcernState, Data, Item, Record, RecordId, MAX_ID_NUMBER,
};
use crate::core::prepare::{self, PrepareContent};
use crate::core::store::format::{self, LoadError};
use crate::core::store::{KeyWrap, SealKey};

/// What `--format` names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    /// Everything, as a (possibly sealed) store file.
    Backup,
    /// Check-ins as CSV.
    CheckInsCsv,
    /// Concerns as CSV.
    ConcernsCsv,
    /// The "for my therapist" Markdown summary.
    Markdown,
    /// The "for my therapist" summary as a one-page PDF.
    Pdf,
    /// The session schedule as an iCalendar file (`core::calendar`): a
    /// neutral title and the times, nothing the user wrote.
    Calendar,
}

impl ExportFormat {
    /// Parses a `--format` value.
    pub fn parse(s: &str) -> Option<ExportFormat> {
        match s {
            "json" | "backup" => Some(ExportFormat::Backup),
            "csv" => Some(ExportFormat::CheckInsCsv),
            "concerns-csv" => Some(ExportFormat::ConcernsCsv),
            "markdown" | "md" => Some(ExportFormat::Markdown),
            "pdf" => Some(ExportFormat::Pdf),
            "ics" | "ical" | "icalendar" => Some(ExportFormat::Calendar),
            _ => None,
        }
    }
}

impl ExportFormat {
    /// The file name an export made on `today` gets by default:
    /// `common-ground-2026-11-26.json`, `common-ground-check-ins-….csv`,
    /// `common-ground-concerns-….csv`, `common-ground-…-for-my-therapist.md`.
    pub fn file_name(self, today: NaiveDate) -> String {
        match self {
            ExportFormat::Backup => format!("common-ground-{today}.json"),
            ExportFormat::CheckInsCsv => format!("common-ground-check-ins-{today}.csv"),
            ExportFormat::ConcernsCsv => format!("common-ground-concerns-{today}.csv"),
            ExportFormat::Markdown => format!("common-ground-{today}-for-my-therapist.md"),
            ExportFormat::Pdf => format!("common-ground-{today}-for-my-therapist.pdf"),
            ExportFormat::Calendar => crate::core::calendar::file_name(today),
        }
    }

    /// What a save dialog's filter calls this kind of file, and its
    /// extension.
    pub fn kind_and_extension(self) -> (&'static str, &'static str) {
        match self {
            ExportFormat::Backup => ("Common Ground backup", "json"),
            ExportFormat::CheckInsCsv | ExportFormat::ConcernsCsv => ("CSV", "csv"),
            ExportFormat::Markdown => ("Markdown", "md"),
            ExportFormat::Pdf => ("PDF", "pdf"),
            ExportFormat::Calendar => ("Calendar", "ics"),
        }
    }

    /// Whether this is the therapist summary (which holds notes only when
    /// asked to).
    pub fn is_summary(self) -> bool {
        matches!(self, ExportFormat::Markdown | ExportFormat::Pdf)
    }
}

/// The periods the therapist summary offers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PeriodPreset {
    /// The 28 days up to and including today.
    #[default]
    LastFourWeeks,
    /// Three calendar months back from today.
    LastThreeMonths,
    /// One year back from today.
    LastYear,
    Everything,
}

impl PeriodPreset {
    /// The days this preset covers, ending today (inclusive).
    pub fn period(self, today: NaiveDate) -> Period {
        let from = match self {
            PeriodPreset::LastFourWeeks => today.checked_sub_days(chrono::Days::new(27)),
            PeriodPreset::LastThreeMonths => today
                .checked_sub_months(chrono::Months::new(3))
                .and_then(|d| d.succ_opt()),
            PeriodPreset::LastYear => today
                .checked_sub_months(chrono::Months::new(12))
                .and_then(|d| d.succ_opt()),
            PeriodPreset::Everything => return Period::default(),
        };
        Period {
            from,
            to: Some(today),
        }
    }
}

/// An inclusive range of days; either end may be open.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Period {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl Period {
    pub fn contains(&self, day: NaiveDate) -> bool {
        self.from.is_none_or(|f| day >= f) && self.to.is_none_or(|t| day <= t)
    }
}

/// The day a check-in is about: the (local) day of its session.
pub fn check_in_day(r: &Record<CheckIn>) -> NaiveDate {
    r.body.when.date()
}

/// The day a concern belongs to: the day it was written.
pub fn concern_day(r: &Record<Concern>) -> NaiveDate {
    r.created.date_naive()
}

/// Why an export failed.
#[derive(Debug)]
pub enum ExportError {
    Csv(csv::Error),
    Encode(String),
    /// No session schedule to put in a calendar file.
    Calendar(crate::core::calendar::CalendarError),
}

impl std::fmt::Display for ExportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ExportError::Csv(e) => write!(f, "could not write the CSV: {e}"),
            ExportError::Encode(e) => write!(f, "could not encode the data: {e}"),
            ExportError::Calendar(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for ExportError {}

impl From<csv::Error> for ExportError {
    fn from(e: csv::Error) -> Self {
        ExportError::Csv(e)
    }
}

/// Everything, as a store file (generation 0), sealed with `key` if given.
pub fn backup(
    data: &Data,
    key: Option<&SealKey>,
    now: DateTime<Utc>,
) -> Result<Vec<u8>, ExportError> {
    let plain = format::encode(data, 0, now, 0).map_err(|e| ExportError::Encode(e.to_string()))?;
    let encoded = match key {
        Some(k) => format::encrypt(plain, k).map_err(|e| ExportError::Encode(e.to_string()))?,
        None => plain,
    };
    Ok(encoded.to_bytes())
}

/// The bytes of an export of `data` in `format` (a backup is sealed with
/// `key`); the summary (Markdown, or a one-page PDF on the system locale's
/// paper) holds every concern ([`offered`]) and check-in in `period`, and
/// their notes only `with_notes` (notes are private: out
/// unless asked for). What the app's export and `common-ground export`
/// write.
pub fn export_bytes(
    data: &Data,
    key: Option<&SealKey>,
    format: ExportFormat,
    period: Period,
    with_notes: bool,
    now: DateTime<Utc>,
) -> Result<Vec<u8>, ExportError> {
    match format {
        ExportFormat::Backup => backup(data, key, now),
        ExportFormat::CheckInsCsv => check_ins_csv(data, period),
        ExportFormat::ConcernsCsv => concerns_csv(data, period),
        ExportFormat::Calendar => crate::core::calendar::ics(&data.sessions, now)
            .map(String::into_bytes)
            .map_err(ExportError::Calendar),
        ExportFormat::Markdown | ExportFormat::Pdf => {
            let selection = if with_notes {
                Selection::all_in(data, period).with_every(data, Private::Note)
            } else {
                Selection::all_in(data, period)
            };
            let text = ExportText::builtin();
            let blocks = summary_blocks(
                data,
                &selection,
                &text,
                PrepareContent::shared(),
                now.date_naive(),
            );
            if format == ExportFormat::Pdf {
                crate::core::pdf::summary_pdf(
                    &blocks,
                    &text,
                    crate::core::pdf::Paper::from_system(),
                )
            } else {
                Ok(summary_markdown(&blocks, &text).into_bytes())
            }
        }
    }
}

/// A CSV cell a spreadsheet will show as text: one that starts with `=`,
/// `+`, `-`, `@`, a tab or a carriage return would be run as a formula, so
/// it gets a leading `'` (as OWASP recommends against CSV injection). The
/// JSON backup keeps the exact text.
pub fn csv_cell(text: String) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text
    }
}

/// Writes one row, every cell made safe by [`csv_cell`].
fn write_row<const N: usize>(
    w: &mut csv::Writer<Vec<u8>>,
    cells: [String; N],
) -> Result<(), csv::Error> {
    w.write_record(cells.map(csv_cell))
}

fn iso(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn opt_num(n: Option<u8>) -> String {
    n.map(|n| n.to_string()).unwrap_or_default()
}

/// The check-ins in `period`, oldest first, as CSV: `id, when` (local
/// date and time, ISO 8601), `created, updated` (UTC), `mood,
/// mood_before, heard, goals, approach, overall` (0-10, empty when not
/// given), `tags` and `concerns` (joined with `;`), `note`, and
/// `held_back` (`no`, `a-little`, `yes`, or empty when not answered). The
/// held-back words are private and never go into this file (the backup
/// keeps them).
pub fn check_ins_csv(data: &Data, period: Period) -> Result<Vec<u8>, ExportError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "id",
        "when",
        "created",
        "updated",
        "mood",
        "mood_before",
        "heard",
        "goals",
        "approach",
        "overall",
        "tags",
        "concerns",
        "note",
        "held_back",
    ])?;
    let mut rows: Vec<&Record<CheckIn>> = data
        .check_ins
        .iter()
        .filter(|r| period.contains(check_in_day(r)))
        .collect();
    rows.sort_by_key(|r| (r.body.when, r.created));
    for r in rows {
        let b = &r.body;
        write_row(
            &mut w,
            [
                r.id.clone(),
                b.when.format("%Y-%m-%dT%H:%M:%S").to_string(),
                iso(r.created),
                iso(r.updated),
                b.mood.to_string(),
                opt_num(b.mood_before),
                opt_num(b.heard),
                opt_num(b.goals),
                opt_num(b.approach),
                opt_num(b.overall),
                b.tags.join(";"),
                b.concerns.join(";"),
                b.note.clone(),
                b.held_back.map(|h| kebab(&h)).unwrap_or_default(),
            ],
        )?;
    }
    w.into_inner()
        .map_err(|e| ExportError::Encode(e.to_string()))
}

fn kebab<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// The concerns written in `period`, oldest first, as CSV: ids and dates,
/// `state`, `topics` and `feelings` (ids joined with `;`), every text
/// field, `intensity`, `raise_way`, the lead `opener`, and the outcome.
pub fn concerns_csv(data: &Data, period: Period) -> Result<Vec<u8>, ExportError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "id",
        "created",
        "updated",
        "state",
        "topics",
        "other_topic",
        "what_happened",
        "feelings",
        "intensity",
        "what_matters",
        "would_like",
        "raise_way",
        "opener",
        "raised_at",
        "response",
        "outcome_note",
        "feel_now",
    ])?;
    let mut rows: Vec<&Record<Concern>> = data
        .concerns
        .iter()
        .filter(|r| period.contains(concern_day(r)))
        .collect();
    rows.sort_by_key(|r| r.created);
    for r in rows {
        let c = &r.body;
        write_row(
            &mut w,
            [
                r.id.clone(),
                iso(r.created),
                iso(r.updated),
                kebab(&c.state),
                c.topics.iter().map(kebab).collect::<Vec<_>>().join(";"),
                c.other_topic.clone(),
                c.what_happened.clone(),
                c.feelings.join(";"),
                c.intensity.to_string(),
                c.what_matters.clone(),
                c.would_like.clone(),
                c.raise_way.as_ref().map(kebab).unwrap_or_default(),
                prepare::lead_line(c).to_owned(),
                c.outcome.raised_at.map(iso).unwrap_or_default(),
                c.outcome.response.as_ref().map(kebab).unwrap_or_default(),
                c.outcome.note.clone(),
                opt_num(c.outcome.feel_now),
            ],
        )?;
    }
    w.into_inner()
        .map_err(|e| ExportError::Encode(e.to_string()))
}

/// The wording of the therapist summary (`assets/export.json`).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportText {
    pub title: String,
    pub intro: String,
    pub period: String,
    pub period_start: String,
    pub period_today: String,
    pub concerns: String,
    pub check_ins: String,
    pub about: String,
    pub what_happened: String,
    pub feelings: String,
    pub intensity: String,
    pub what_matters: String,
    pub would_like: String,
    pub opener: String,
    pub response: String,
    pub outcome_note: String,
    pub raised: String,
    pub session: String,
    pub mood: String,
    pub goals: String,
    pub approach: String,
    pub heard: String,
    pub overall: String,
    pub scale_max: String,
    pub note: String,
    pub tags: String,
    /// The label before held-back words the user ticked.
    pub held_back: String,
    pub none_chosen: String,
    /// Above the PDF's chart.
    pub chart_title: String,
    /// Above the PDF's table when it shows only the last rows: `{0}` of
    /// `{1}`.
    pub pdf_last_rows: String,
    /// The PDF's last line when not everything fit: `{}` parts left off.
    pub pdf_more: String,
    /// The PDF's heading over the sessions' notes and tags when they come
    /// after the concerns.
    pub pdf_session_details: String,
}

/// The bundled `assets/export.json`.
pub const BUILTIN_EXPORT_TEXT: &str = include_str!("../../assets/export.json");

impl ExportText {
    pub fn parse(json: &str) -> Result<ExportText, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    /// The bundled wording (validated by a test).
    pub fn builtin() -> ExportText {
        ExportText::parse(BUILTIN_EXPORT_TEXT).expect("assets/export.json is valid")
    }
}

/// A private part of a record: it goes into the therapist summary only when
/// it is ticked by itself, even when its record is ticked.
///
/// Why: a check-in's note is written for oneself ("I almost quit therapy
/// this week"); choosing to share a session's scores is not choosing to
/// share it. Words held back in a check-in ("Anything you held back?") are
/// more private still: they never go in with `--with-notes` either, only
/// ticked one by one in the app.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Private {
    /// A check-in's note, or a raised concern's note on how it went.
    Note,
    /// A check-in's held-back words.
    HeldBack,
}

impl Private {
    /// Every private part, in the order the pick list shows them.
    pub const ALL: [Private; 2] = [Private::Note, Private::HeldBack];
}

/// One private part of one record, ticked to go in.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PrivatePart {
    pub id: RecordId,
    pub part: Private,
}

/// What goes into a therapist summary: the period, exactly which concerns
/// and check-ins (by id) the user ticked, and which of their private parts
/// ([`Private`]) were ticked one by one. Records outside the period are
/// left out even if ticked; a private part goes in only with its record.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    pub period: Period,
    pub concerns: Vec<RecordId>,
    pub check_ins: Vec<RecordId>,
    pub private: Vec<PrivatePart>,
}

impl Selection {
    /// Every concern and check-in in `period`, with no private part (what
    /// the command line exports without `--with-notes`).
    pub fn all_in(data: &Data, period: Period) -> Selection {
        Selection {
            period,
            concerns: data
                .concerns
                .iter()
                .filter(|r| offered(&r.body) && period.contains(concern_day(r)))
                .map(|r| r.id.clone())
                .collect(),
            check_ins: data
                .check_ins
                .iter()
                .filter(|r| period.contains(check_in_day(r)))
                .map(|r| r.id.clone())
                .collect(),
            private: Vec::new(),
        }
    }

    /// Also ticks `part` of every chosen record that has one
    /// (`--with-notes`).
    pub fn with_every(mut self, data: &Data, part: Private) -> Selection {
        for id in self.concerns.iter().chain(&self.check_ins) {
            if private_parts(data, id).contains(&part) {
                self.private.push(PrivatePart {
                    id: id.clone(),
                    part,
                });
            }
        }
        self
    }

    /// Whether `part` of record `id` was ticked.
    pub fn includes(&self, id: &str, part: Private) -> bool {
        self.private.iter().any(|p| p.id == id && p.part == part)
    }
}

/// Whether a concern can go into a therapist summary: any but an
/// unfinished draft. A draft is words still being found, for the user
/// alone; it is offered once it is ready (or raised, settled, set aside).
pub fn offered(c: &Concern) -> bool {
    c.state != ConcernState::Draft
}

/// A check-in's note, when it has words in it (private: see [`Private`]).
pub fn check_in_note(c: &CheckIn) -> Option<&str> {
    Some(c.note.trim()).filter(|n| !n.is_empty())
}

/// A check-in's held-back words, when something was held back and words
/// were written (private: see [`Private`]).
pub fn held_back_words(c: &CheckIn) -> Option<&str> {
    Some(c.held_back_words.trim())
        .filter(|w| c.held_back.is_some_and(|h| h.something()) && !w.is_empty())
}

/// A concern's note on how raising it went, when the summary would show it
/// (the concern was raised and the note has words in it).
pub fn outcome_note(c: &Concern) -> Option<&str> {
    Some(c.outcome.note.trim()).filter(|n| shows_outcome(c) && !n.is_empty())
}

/// The private parts record `id` has that would show in a summary (a note
/// with words in it), in [`Private::ALL`] order.
pub fn private_parts(data: &Data, id: &str) -> Vec<Private> {
    let (note, held) = if let Some(r) = data.check_ins.iter().find(|r| r.id == id) {
        (
            check_in_note(&r.body).is_some(),
            held_back_words(&r.body).is_some(),
        )
    } else if let Some(r) = data.concerns.iter().find(|r| r.id == id) {
        (outcome_note(&r.body).is_some(), false)
    } else {
        (false, false)
    };
    Private::ALL
        .into_iter()
        .filter(|p| match p {
            Private::Note => note,
            Private::HeldBack => held,
        })
        .collect()
}

/// Whether a concern's outcome belongs in the summary (it was raised).
fn shows_outcome(c: &Concern) -> bool {
    c.state == ConcernState::Raised || c.state == ConcernState::Settled
}

/// What the therapist summary starts with ticked, in `period`: the
/// concerns on the agenda ("For my next session") and every check-in,
/// and no private part.
///
/// Why: the agenda is, by the user's own earlier choice, what they mean to
/// bring to their therapist, and the check-ins' scores are the picture of
/// how sessions have been going that a summary is for. Settled and older
/// concerns stay out unless ticked, and so do notes ([`Private`]): each is
/// ticked one by one. Unfinished drafts are not offered at all
/// ([`offered`]).
/// Starting with nothing ticked would make every user tick dozens of rows
/// for the common case; and nothing is written before the preview has
/// shown every word.
pub fn default_selection(data: &Data, period: Period) -> Selection {
    let all = Selection::all_in(data, period);
    Selection {
        concerns: all
            .concerns
            .into_iter()
            .filter(|id| data.prepare.agenda.contains(id))
            .collect(),
        ..all
    }
}

/// Text as Markdown that renders as exactly the words typed: every ASCII
/// character that could format (emphasis, links, HTML, tables, entities,
/// strikethrough, maths) is backslash-escaped wherever it is; a line
/// cannot start a heading, list, quote, rule or setext underline (`---`,
/// `===`); indentation is dropped so no line becomes code; and each line
/// break is kept (a hard break; an empty line stays a paragraph break).
/// A lone carriage return counts as a line break, as Markdown readers
/// take it.
pub fn md_text(s: &str) -> String {
    let s = s.replace("\r\n", "\n").replace('\r', "\n");
    let mut lines: Vec<String> = Vec::new();
    for l in s.trim().split('\n') {
        let l = l.trim();
        let mut out = String::with_capacity(l.len() + 8);
        for c in l.chars() {
            if matches!(
                c,
                '\\' | '`' | '*' | '_' | '<' | '>' | '[' | ']' | '|' | '~' | '&' | '$' | '#' | '^'
            ) {
                out.push('\\');
            }
            out.push(c);
        }
        if out.starts_with(['-', '+', '=', ':']) {
            out.insert(0, '\\');
        }
        // "1. " or "1) " would start a numbered list.
        let digits = out.chars().take_while(char::is_ascii_digit).count();
        if digits > 0 && out[digits..].starts_with(['.', ')']) {
            out.insert(digits, '\\');
        }
        lines.push(out);
    }
    // A hard break ("  ") after every line that another follows in the
    // same paragraph.
    let n = lines.len();
    let mut out = String::new();
    for i in 0..n {
        out.push_str(&lines[i]);
        if i + 1 < n {
            if !lines[i].is_empty() && !lines[i + 1].is_empty() {
                out.push_str("  ");
            }
            out.push('\n');
        }
    }
    out
}

/// One check-in's numbers in the summary's table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScoreRow {
    /// When the session was (local time).
    pub when: chrono::NaiveDateTime,
    pub mood: u8,
    /// The agreement items in [`Item::ALL`] order (heard, goals, approach,
    /// overall); `None` when not given.
    pub items: [Option<u8>; 4],
}

/// One block of the therapist summary. The Markdown file, the PDF and the
/// formatted preview are all drawn from the same blocks, so they hold the
/// same words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    /// The title (a level-1 heading).
    Title(String),
    Paragraph(String),
    /// "Period: from – to".
    Meta {
        label: String,
        value: String,
    },
    /// A section heading (level 2).
    Section(String),
    /// One concern's heading (level 3): its title and day.
    Heading(String),
    /// A labelled piece of the user's words. `added` names the private part
    /// whose tick brought it in (the preview marks it).
    Field {
        label: String,
        value: String,
        added: Option<Private>,
    },
    /// The chosen check-ins' numbers, by session time (a table).
    Scores(Vec<ScoreRow>),
}

/// The "for my therapist" summary as blocks: a title and the period, then
/// the chosen concerns (oldest first) and the chosen check-ins (by session
/// date). Nothing that was not chosen appears; a private part appears only
/// when ticked ([`Selection::private`]).
pub fn summary_blocks(
    data: &Data,
    selection: &Selection,
    text: &ExportText,
    content: &PrepareContent,
    today: NaiveDate,
) -> Vec<Block> {
    let wanted_c: HashSet<&str> = selection.concerns.iter().map(String::as_str).collect();
    let wanted_k: HashSet<&str> = selection.check_ins.iter().map(String::as_str).collect();
    let mut concerns: Vec<&Record<Concern>> = data
        .concerns
        .iter()
        .filter(|r| {
            wanted_c.contains(r.id.as_str())
                && offered(&r.body)
                && selection.period.contains(concern_day(r))
        })
        .collect();
    concerns.sort_by_key(|r| r.created);
    let mut check_ins: Vec<&Record<CheckIn>> = data
        .check_ins
        .iter()
        .filter(|r| wanted_k.contains(r.id.as_str()) && selection.period.contains(check_in_day(r)))
        .collect();
    check_ins.sort_by_key(|r| (r.body.when, r.created));

    let mut out = Vec::new();
    let from = selection
        .period
        .from
        .map_or(text.period_start.clone(), |d| d.to_string());
    let to = selection.period.to.map_or_else(
        || format!("{} ({today})", text.period_today),
        |d| d.to_string(),
    );
    out.push(Block::Title(text.title.clone()));
    out.push(Block::Paragraph(text.intro.clone()));
    out.push(Block::Meta {
        label: text.period.clone(),
        value: format!("{from} – {to}"),
    });
    if concerns.is_empty() && check_ins.is_empty() {
        out.push(Block::Paragraph(text.none_chosen.clone()));
        return out;
    }
    let field = |out: &mut Vec<Block>, label: &str, value: &str, added: Option<Private>| {
        if !value.trim().is_empty() {
            out.push(Block::Field {
                label: label.to_owned(),
                value: value.trim().to_owned(),
                added,
            });
        }
    };
    if !concerns.is_empty() {
        out.push(Block::Section(text.concerns.clone()));
        for r in &concerns {
            let c = &r.body;
            out.push(Block::Heading(format!(
                "{} ({})",
                prepare::title(content, c, 80),
                concern_day(r)
            )));
            let mut topics: Vec<String> = c
                .topics
                .iter()
                .map(|t| content.topic(*t).label.clone())
                .collect();
            if !c.other_topic.trim().is_empty() {
                topics.push(c.other_topic.trim().to_owned());
            }
            field(&mut out, &text.about, &topics.join(", "), None);
            field(&mut out, &text.what_happened, &c.what_happened, None);
            let feelings: Vec<String> = c
                .feelings
                .iter()
                .map(|f| content.emotion(f).map_or(f.clone(), |e| e.label.clone()))
                .collect();
            field(&mut out, &text.feelings, &feelings.join(", "), None);
            if (1..=5).contains(&c.intensity) {
                field(&mut out, &text.intensity, &c.intensity.to_string(), None);
            }
            field(&mut out, &text.what_matters, &c.what_matters, None);
            field(&mut out, &text.would_like, &c.would_like, None);
            field(&mut out, &text.opener, prepare::lead_line(c), None);
            if shows_outcome(c) {
                if let Some(at) = c.outcome.raised_at {
                    field(&mut out, &text.raised, &at.date_naive().to_string(), None);
                }
                if let Some(resp) = c.outcome.response {
                    let label = content
                        .responses
                        .iter()
                        .find(|i| i.id == resp)
                        .map(|i| i.label.clone())
                        .unwrap_or_default();
                    field(&mut out, &text.response, &label, None);
                }
                if selection.includes(&r.id, Private::Note) {
                    field(
                        &mut out,
                        &text.outcome_note,
                        &c.outcome.note,
                        Some(Private::Note),
                    );
                }
            }
        }
    }
    if !check_ins.is_empty() {
        out.push(Block::Section(text.check_ins.clone()));
        out.push(Block::Scores(
            check_ins
                .iter()
                .map(|r| ScoreRow {
                    when: r.body.when,
                    mood: r.body.mood,
                    items: Item::ALL.map(|i| i.of(&r.body)),
                })
                .collect(),
        ));
        for r in &check_ins {
            let b = &r.body;
            let day = r.body.when.format("%Y-%m-%d %H:%M");
            if selection.includes(&r.id, Private::Note) {
                field(
                    &mut out,
                    &format!("{} ({day})", text.note),
                    &b.note,
                    Some(Private::Note),
                );
            }
            if selection.includes(&r.id, Private::HeldBack) {
                if let Some(words) = held_back_words(b) {
                    field(
                        &mut out,
                        &format!("{} ({day})", text.held_back),
                        words,
                        Some(Private::HeldBack),
                    );
                }
            }
            field(
                &mut out,
                &format!("{} ({day})", text.tags),
                &b.tags.join(", "),
                None,
            );
        }
    }
    out
}

/// A 0-10 score as the summary writes it ("7/10"), or "–" when not given.
pub fn score_text(n: Option<u8>, text: &ExportText) -> String {
    match n {
        Some(n) if n <= 10 => format!("{n}/{}", text.scale_max),
        _ => "–".to_owned(),
    }
}

/// The blocks as Markdown.
pub fn summary_markdown(blocks: &[Block], text: &ExportText) -> String {
    let mut out = String::new();
    // Before the period line a paragraph ends with a blank line; after it
    // (and after any later block) one starts with one.
    let mut after_meta = false;
    for b in blocks {
        match b {
            Block::Title(t) => out.push_str(&format!("# {t}\n\n")),
            Block::Paragraph(p) if after_meta => out.push_str(&format!("\n{}\n", md_text(p))),
            Block::Paragraph(p) => out.push_str(&format!("{}\n\n", md_text(p))),
            Block::Meta { label, value } => {
                after_meta = true;
                out.push_str(&format!("**{label}:** {value}\n"))
            }
            Block::Section(s) => out.push_str(&format!("\n## {s}\n")),
            Block::Heading(h) => out.push_str(&format!("\n### {}\n", md_text(h))),
            Block::Field { label, value, .. } => {
                out.push_str(&format!("\n**{label}**  \n{}\n", md_text(value)))
            }
            Block::Scores(rows) => {
                out.push_str(&format!(
                    "\n| {} | {} | {} | {} | {} | {} |\n|---|---|---|---|---|---|\n",
                    text.session, text.mood, text.heard, text.goals, text.approach, text.overall
                ));
                for r in rows {
                    out.push_str(&format!(
                        "| {} | {} | {} | {} | {} | {} |\n",
                        r.when.format("%Y-%m-%d %H:%M"),
                        score_text(Some(r.mood), text),
                        score_text(r.items[0], text),
                        score_text(r.items[1], text),
                        score_text(r.items[2], text),
                        score_text(r.items[3], text),
                    ));
                }
            }
        }
    }
    out
}

/// The "for my therapist" summary in Markdown ([`summary_blocks`] written
/// out): exactly what was chosen, and no private part unless ticked.
pub fn therapist_summary(
    data: &Data,
    selection: &Selection,
    text: &ExportText,
    content: &PrepareContent,
    today: NaiveDate,
) -> String {
    summary_markdown(&summary_blocks(data, selection, text, content, today), text)
}

// ---------------------------------------------------------------- import

/// What a backup file needs before it can be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BackupLock {
    /// A plain backup.
    Open,
    /// Sealed: needs the passcode that was on when it was made.
    Sealed(KeyWrap),
}

/// Checks the file's header, size and checksum (no passcode needed) and
/// says whether it needs a passcode.
pub fn inspect_backup(bytes: &[u8]) -> Result<BackupLock, LoadError> {
    let (header, _) = format::verify(bytes)?;
    match header.encryption {
        Some(s) => {
            format::check_sealing(&s)?;
            Ok(BackupLock::Sealed(s.key))
        }
        None => Ok(BackupLock::Open),
    }
}

/// Decodes and validates the whole backup: checksum, authenticity (with
/// `key` for a sealed one), version, migrations, and the records' ids.
/// (The decoder refuses malformed and duplicate ids, exactly as it does
/// for the store itself.)
pub fn read_backup(bytes: &[u8], key: Option<&SealKey>) -> Result<Data, LoadError> {
    Ok(format::decode_with(bytes, key)?.data)
}

/// The key that opens a sealed backup without asking: a backup of this
/// very store (same data key) opens with the store's key.
pub fn own_key(store_key: Option<&SealKey>, wrap: &KeyWrap) -> Option<SealKey> {
    store_key.filter(|k| k.is_key(&wrap.key_id.0)).cloned()
}

/// What an import would do.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub check_ins_added: usize,
    pub concerns_added: usize,
    /// Records already here (not added again).
    pub already_here: usize,
    /// Added records whose id was taken here and that got a new one.
    pub renumbered: usize,
    /// Learn bookmarks and seen cards added.
    pub learn_added: usize,
    /// The store was empty, so the backup's settings and Learn progress
    /// were taken as they are.
    pub took_settings: bool,
}

impl ImportSummary {
    /// Whether applying would change anything.
    pub fn is_empty(&self) -> bool {
        self.check_ins_added == 0
            && self.concerns_added == 0
            && self.learn_added == 0
            && !self.took_settings
    }
}

/// The result of merging a backup into the current data.
#[derive(Clone, Debug)]
pub struct ImportPlan {
    pub merged: Data,
    pub summary: ImportSummary,
}

/// Hands out ids for added records whose own id is taken here: above
/// every id in either store (so never one an incoming record keeps), or,
/// once the numbers run out, the lowest free one.
struct FreshIds {
    next: u64,
    taken: HashSet<u64>,
}

impl FreshIds {
    fn take(&mut self) -> String {
        let n = match self.next.checked_add(1).filter(|&n| n <= MAX_ID_NUMBER) {
            Some(n) if !self.taken.contains(&n) => {
                self.next = n;
                n
            }
            _ => (1..=MAX_ID_NUMBER)
                .find(|n| !self.taken.contains(n))
                .unwrap_or(MAX_ID_NUMBER),
        };
        self.taken.insert(n);
        format!("r{n}")
    }
}

/// Merges `incoming` into `current` (see the module doc for how records are
/// matched). Pure: the caller applies `merged` in one store update.
///
/// Linear in the number of records (hash lookups; the check-ins are sorted
/// once), so a backup of tens of thousands of records merges in well under
/// a second.
pub fn plan_import(current: &Data, incoming: &Data) -> ImportPlan {
    let pristine = current.check_ins.is_empty()
        && current.concerns.is_empty()
        && current.learn == Default::default()
        && current.prepare == Default::default()
        && current.insights == Default::default()
        && current.sessions == Default::default();
    let mut merged = current.clone();
    let mut summary = ImportSummary::default();
    let mut used: HashSet<String> = current.ids().map(str::to_owned).collect();
    let taken: HashSet<u64> = current
        .ids()
        .chain(incoming.ids())
        .filter_map(id_number)
        .collect();
    let next = taken
        .iter()
        .copied()
        .chain([current.next_id, incoming.next_id])
        .max()
        .unwrap_or(0);
    merged.next_id = next;
    let mut fresh = FreshIds { next, taken };
    let mut map: HashMap<String, String> = HashMap::new();

    #[allow(clippy::too_many_arguments)]
    fn merge_kind<T: Clone + PartialEq>(
        existing: &[Record<T>],
        incoming: &[Record<T>],
        merged: &mut Data,
        pick: fn(&mut Data) -> &mut Vec<Record<T>>,
        same_body: fn(&T, &T) -> bool,
        used: &mut HashSet<String>,
        fresh: &mut FreshIds,
        map: &mut HashMap<String, String>,
        summary: &mut ImportSummary,
    ) -> usize {
        // The same record: same id and created time, else same created
        // time and content (the first such record here, in order).
        let by_id: HashMap<(&str, DateTime<Utc>), usize> = existing
            .iter()
            .enumerate()
            .map(|(i, e)| ((e.id.as_str(), e.created), i))
            .rev()
            .collect();
        let mut by_created: HashMap<DateTime<Utc>, Vec<usize>> = HashMap::new();
        for (i, e) in existing.iter().enumerate() {
            by_created.entry(e.created).or_default().push(i);
        }
        // Records here already matched by this import: a copy matches one
        // of them only when no other same record is left, so that two
        // identical records come back as the same two.
        let mut claimed: HashSet<usize> = HashSet::new();
        let mut added = 0;
        for r in incoming {
            let same = by_id.get(&(r.id.as_str(), r.created)).copied().or_else(|| {
                let list = by_created.get(&r.created)?;
                let mut same = list
                    .iter()
                    .copied()
                    .filter(|&i| same_body(&existing[i].body, &r.body));
                let first = same.next()?;
                if !claimed.contains(&first) {
                    return Some(first);
                }
                Some(same.find(|i| !claimed.contains(i)).unwrap_or(first))
            });
            if let Some(i) = same {
                claimed.insert(i);
                map.insert(r.id.clone(), existing[i].id.clone());
                summary.already_here += 1;
                continue;
            }
            let mut r = r.clone();
            if used.contains(&r.id) || id_number(&r.id).is_none() {
                let new = fresh.take();
                map.insert(r.id.clone(), new.clone());
                r.id = new;
                summary.renumbered += 1;
            } else {
                map.insert(r.id.clone(), r.id.clone());
            }
            used.insert(r.id.clone());
            pick(merged).push(r);
            added += 1;
        }
        merged.next_id = merged.next_id.max(fresh.next);
        added
    }

    summary.check_ins_added = merge_kind(
        &current.check_ins,
        &incoming.check_ins,
        &mut merged,
        |d| &mut d.check_ins,
        // Links may have been renumbered (or dropped, when their concern
        // was in neither store) by an earlier import: they do not count.
        |a, b| {
            a == b
                || CheckIn {
                    concerns: vec![],
                    ..a.clone()
                } == CheckIn {
                    concerns: vec![],
                    ..b.clone()
                }
        },
        &mut used,
        &mut fresh,
        &mut map,
        &mut summary,
    );
    summary.concerns_added = merge_kind(
        &current.concerns,
        &incoming.concerns,
        &mut merged,
        |d| &mut d.concerns,
        |a, b| a == b,
        &mut used,
        &mut fresh,
        &mut map,
        &mut summary,
    );

    // A new check-in's links follow their concerns (which may have been
    // renumbered); a link to a concern that is in neither store is dropped.
    // Check-ins stay in time order.
    let concern_ids: HashSet<String> = merged.concerns.iter().map(|r| r.id.clone()).collect();
    let first_new = merged.check_ins.len() - summary.check_ins_added;
    for r in &mut merged.check_ins[first_new..] {
        r.body.concerns = r
            .body
            .concerns
            .iter()
            .filter_map(|id| map.get(id))
            .filter(|id| concern_ids.contains(*id))
            .cloned()
            .collect();
    }
    crate::core::checkin::sort(&mut merged);
    // Dismissed nudges follow the check-in where their dip started.
    let mut dismissed: HashSet<_> = merged.insights.dismissed.iter().cloned().collect();
    for d in &incoming.insights.dismissed {
        if let Some(start) = map.get(&d.start) {
            let d = crate::core::model::DismissedDip {
                item: d.item,
                start: start.clone(),
            };
            if dismissed.insert(d.clone()) {
                merged.insights.dismissed.push(d);
            }
        }
    }

    if pristine {
        // (The agenda and open draft are not taken as they are: they
        // follow their concerns below, as in any import.)
        summary.took_settings = merged.settings != incoming.settings
            || merged.learn != incoming.learn
            || merged.sessions != incoming.sessions;
        merged.settings = incoming.settings.clone();
        merged.learn = incoming.learn.clone();
        merged.sessions = incoming.sessions.clone();
        summary.learn_added = incoming.learn.seen.len() + incoming.learn.bookmarks.len();
    } else {
        // A session rhythm comes in when none is set here; one set here is
        // kept, like the settings.
        if merged.sessions.schedule.is_none() && incoming.sessions.schedule.is_some() {
            merged.sessions = incoming.sessions.clone();
        }
        let learn = &mut merged.learn;
        for card in &incoming.learn.seen {
            if learn.seen.insert(card.clone()) {
                summary.learn_added += 1;
            }
        }
        let mut marked: HashSet<String> = learn.bookmarks.iter().cloned().collect();
        for card in &incoming.learn.bookmarks {
            if marked.insert(card.clone()) {
                learn.bookmarks.push(card.clone());
                summary.learn_added += 1;
            }
        }
        for (deck, card) in &incoming.learn.position {
            learn
                .position
                .entry(deck.clone())
                .or_insert_with(|| card.clone());
        }
        if learn.last_deck.is_none() {
            learn.last_deck.clone_from(&incoming.learn.last_deck);
        }
    }
    // What was done with Unsaid items follows their check-ins (and a
    // drafted item its concern); a mark here wins over the backup's.
    let mut marked: HashSet<String> = merged
        .prepare
        .unsaid
        .iter()
        .map(|m| m.check_in.clone())
        .collect();
    for m in &incoming.prepare.unsaid {
        let Some(check_in) = map.get(&m.check_in) else {
            continue;
        };
        if !marked.insert(check_in.clone()) {
            continue;
        }
        merged.prepare.unsaid.push(crate::core::model::UnsaidMark {
            check_in: check_in.clone(),
            state: m.state,
            concern: m
                .concern
                .as_ref()
                .and_then(|c| map.get(c))
                .filter(|c| concern_ids.contains(*c))
                .cloned(),
        });
    }
    if merged.prepare.reaction.is_none() {
        merged.prepare.reaction = incoming.prepare.reaction;
    }
    merged.insights.all_top_never |= incoming.insights.all_top_never;
    if merged.insights.all_top_dismissed.is_none() {
        merged.insights.all_top_dismissed = incoming
            .insights
            .all_top_dismissed
            .as_ref()
            .and_then(|id| map.get(id))
            .cloned();
    }
    // The agenda and the open draft follow their concerns.
    let mut on_agenda: HashSet<String> = merged.prepare.agenda.iter().cloned().collect();
    for id in &incoming.prepare.agenda {
        if let Some(new) = map.get(id) {
            if concern_ids.contains(new) && on_agenda.insert(new.clone()) {
                merged.prepare.agenda.push(new.clone());
            }
        }
    }
    if merged.prepare.open.is_none() {
        merged.prepare.open = incoming
            .prepare
            .open
            .as_ref()
            .and_then(|id| map.get(id))
            .filter(|id| concern_ids.contains(*id))
            .cloned();
    }
    ImportPlan { merged, summary }
}

/// Merges `incoming` into `data` in place (the plan of [`plan_import`],
/// applied): for use inside one store update, so it is all or nothing.
pub fn apply_import(data: &mut Data, incoming: &Data) -> ImportSummary {
    let plan = plan_import(data, incoming);
    *data = plan.merged;
    plan.summary
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_import_brings_the_session_rhythm_unless_one_is_set_here() {
        use crate::core::sessions::{Repeat, Schedule};
        let first = NaiveDate::from_ymd_opt(2026, 3, 3)
            .unwrap()
            .and_hms_opt(17, 0, 0)
            .unwrap();
        let mut incoming = Data::default();
        incoming.sessions.schedule =
            Some(Schedule::repeating(Repeat::Weekly, first, 50, "a".into()));
        incoming.sessions.reminders.after.on = true;
        // Into an empty store: taken as it is.
        let plan = plan_import(&Data::default(), &incoming);
        assert_eq!(plan.merged.sessions, incoming.sessions);
        // Into a store with check-ins but no schedule: taken too.
        let mut here = Data::default();
        let r = here.new_record(crate::core::model::CheckIn::default(), Utc::now());
        here.check_ins.push(r);
        assert_eq!(
            plan_import(&here, &incoming).merged.sessions,
            incoming.sessions
        );
        // A schedule set here is kept.
        here.sessions.schedule = Some(Schedule::repeating(
            Repeat::Fortnightly,
            first,
            50,
            "b".into(),
        ));
        let kept = here.sessions.clone();
        assert_eq!(plan_import(&here, &incoming).merged.sessions, kept);
    }

    #[test]
    fn the_calendar_export_holds_the_schedule_and_no_private_words() {
        use crate::core::sessions::{Repeat, Schedule};
        let calendar = |data: &Data| {
            export_bytes(
                data,
                None,
                ExportFormat::Calendar,
                Period::default(),
                true,
                Utc::now(),
            )
        };
        let mut data = Data::default();
        assert!(matches!(calendar(&data), Err(ExportError::Calendar(_))));
        let first = NaiveDate::from_ymd_opt(2026, 3, 3)
            .unwrap()
            .and_hms_opt(17, 0, 0)
            .unwrap();
        data.sessions.schedule = Some(Schedule::repeating(Repeat::Weekly, first, 50, "u".into()));
        let r = data.new_record(
            crate::core::model::CheckIn {
                when: first,
                note: "PRIVATE-NOTE".into(),
                ..Default::default()
            },
            Utc::now(),
        );
        data.check_ins.push(r);
        let text = String::from_utf8(calendar(&data).unwrap()).unwrap();
        assert!(text.contains("RRULE:FREQ=WEEKLY"), "{text}");
        assert!(text.contains("SUMMARY:Appointment"), "{text}");
        assert!(!text.contains("PRIVATE-NOTE"), "{text}");
        assert_eq!(ExportFormat::parse("ics"), Some(ExportFormat::Calendar));
        assert_eq!(
            ExportFormat::Calendar.file_name(NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()),
            "appointments-2026-03-01.ics"
        );
    }

    #[test]
    fn builtin_export_text_is_complete() {
        let t = ExportText::builtin();
        let v: serde_json::Value = serde_json::from_str(BUILTIN_EXPORT_TEXT).unwrap();
        for (k, s) in v.as_object().unwrap() {
            assert!(
                !s.as_str().unwrap_or_default().trim().is_empty(),
                "{k} is empty"
            );
        }
        assert!(!t.title.is_empty());
    }

    #[test]
    fn formats_parse() {
        assert_eq!(ExportFormat::parse("json"), Some(ExportFormat::Backup));
        assert_eq!(ExportFormat::parse("csv"), Some(ExportFormat::CheckInsCsv));
        assert_eq!(
            ExportFormat::parse("concerns-csv"),
            Some(ExportFormat::ConcernsCsv)
        );
        assert_eq!(
            ExportFormat::parse("markdown"),
            Some(ExportFormat::Markdown)
        );
        assert_eq!(ExportFormat::parse("pdf"), Some(ExportFormat::Pdf));
        assert_eq!(ExportFormat::parse("docx"), None);
    }

    #[test]
    fn markdown_text_cannot_start_a_heading() {
        assert_eq!(md_text("# not a title\nok"), "\\# not a title  \nok");
        assert_eq!(md_text("1. item"), "1\\. item");
        assert_eq!(md_text("a *b* <i>"), "a \\*b\\* \\<i\\>");
    }

    #[test]
    fn period_is_inclusive() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let p = Period {
            from: Some(d("2026-01-01")),
            to: Some(d("2026-01-31")),
        };
        assert!(p.contains(d("2026-01-01")) && p.contains(d("2026-01-31")));
        assert!(!p.contains(d("2025-12-31")) && !p.contains(d("2026-02-01")));
        assert!(Period::default().contains(d("1999-01-01")));
    }

    #[test]
    fn default_file_names_carry_the_date_and_kind() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        assert_eq!(
            ExportFormat::Backup.file_name(d),
            "common-ground-2026-11-26.json"
        );
        assert_eq!(
            ExportFormat::CheckInsCsv.file_name(d),
            "common-ground-check-ins-2026-11-26.csv"
        );
        assert_eq!(
            ExportFormat::ConcernsCsv.file_name(d),
            "common-ground-concerns-2026-11-26.csv"
        );
        assert_eq!(
            ExportFormat::Markdown.file_name(d),
            "common-ground-2026-11-26-for-my-therapist.md"
        );
    }

    #[test]
    fn presets_end_today_and_reach_back() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let today = d("2026-03-31");
        let p = PeriodPreset::LastFourWeeks.period(today);
        assert_eq!((p.from, p.to), (Some(d("2026-03-04")), Some(today)));
        let p = PeriodPreset::LastThreeMonths.period(today);
        assert_eq!(p.from, Some(d("2026-01-01")));
        let p = PeriodPreset::LastYear.period(today);
        assert_eq!(p.from, Some(d("2025-04-01")));
        assert_eq!(PeriodPreset::Everything.period(today), Period::default());
    }

    #[test]
    fn by_default_the_agenda_and_every_check_in_in_the_period_are_ticked() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let at = |s: &str| d(s).and_hms_opt(12, 0, 0).unwrap().and_utc();
        let mut data = Data::default();
        let concern = |data: &mut Data, day: &str, state: ConcernState| {
            let body = Concern {
                state,
                ..Default::default()
            };
            let r = data.new_record(body, at(day));
            let id = r.id.clone();
            data.concerns.push(r);
            id
        };
        let on_agenda = concern(&mut data, "2026-03-10", ConcernState::Ready);
        let ready = concern(&mut data, "2026-03-11", ConcernState::Ready);
        let old_on_agenda = concern(&mut data, "2025-01-01", ConcernState::Ready);
        data.prepare.agenda = vec![on_agenda.clone(), old_on_agenda];
        let check_in = |data: &mut Data, day: &str| {
            let body = CheckIn {
                when: d(day).and_hms_opt(18, 0, 0).unwrap(),
                ..Default::default()
            };
            let r = data.new_record(body, at(day));
            let id = r.id.clone();
            data.check_ins.push(r);
            id
        };
        let recent = check_in(&mut data, "2026-03-12");
        let _old = check_in(&mut data, "2025-01-02");
        let s = default_selection(&data, PeriodPreset::LastFourWeeks.period(d("2026-03-20")));
        assert_eq!(s.concerns, vec![on_agenda]);
        assert_eq!(s.check_ins, vec![recent]);
        assert!(!s.concerns.contains(&ready));
    }

    #[test]
    fn unfinished_drafts_are_never_offered_nor_written() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let mut data = Data::default();
        for (state, what) in [
            (ConcernState::Draft, "half a thought"),
            (ConcernState::Ready, "ready to say"),
            (ConcernState::Raised, "said it"),
            (ConcernState::SetAside, "let it go"),
        ] {
            let body = Concern {
                state,
                what_happened: what.into(),
                ..Default::default()
            };
            let r = data.new_record(
                body,
                d("2026-03-10").and_hms_opt(9, 0, 0).unwrap().and_utc(),
            );
            data.prepare.agenda.push(r.id.clone());
            data.concerns.push(r);
        }
        let draft = data.concerns[0].id.clone();
        let all = Selection::all_in(&data, Period::default());
        assert_eq!(all.concerns.len(), 3);
        assert!(!all.concerns.contains(&draft));
        assert!(!default_selection(&data, Period::default())
            .concerns
            .contains(&draft));
        // Even ticked by id (a stale choice), a draft is not written.
        let ticked = Selection {
            concerns: data.concerns.iter().map(|r| r.id.clone()).collect(),
            ..Selection::default()
        };
        let text = ExportText::builtin();
        let md = therapist_summary(
            &data,
            &ticked,
            &text,
            PrepareContent::shared(),
            d("2026-03-20"),
        );
        assert!(!md.contains("half a thought"), "{md}");
        assert!(
            md.contains("ready to say") && md.contains("let it go"),
            "{md}"
        );
    }
}

//! Settings > Back up and export (`DataAdapter`): export to a file the
//! user names, the therapist summary's choice and preview, and importing a
//! backup.
//!
//! The file is an editable path, prefilled with the Documents folder (else
//! home) and a dated name. On desktops the app also offers the platform's
//! save dialog (`rfd`: the XDG desktop portal on Linux, so no GTK); where
//! there is none (embedded, phones, a desktop without a portal, headless
//! tests) the typed path is the way. A path in the data folder is
//! refused, a missing folder is named, and an existing file is replaced
//! only after "Replace it?" (the platform dialog asks that itself).
//!
//! "For my therapist" shows the summary formatted, line by line, as the
//! therapist will see it ([`preview_lines`]), drawn from the same blocks
//! the file is written from: a one-page PDF (`core::pdf`, the default) or
//! Markdown. Unfinished drafts are not offered (`core::export::offered`).
//!
//! A full backup is sealed as backups are (`core::backup::export_sealing`):
//! with the passcode, else with the backup passphrase. Without either, the
//! page offers to set the passphrase (through Settings > Backups' own
//! callback, so one passphrase seals both) or, behind its own button,
//! "Export without encryption". CSV and the summary say next to their Save
//! button that anyone who gets the file can read it. Importing opens a
//! sealed backup with the store's key or this device's backup passphrase
//! without asking; any other asks for its passphrase or passcode.
//!
//! Writing (with its fsync) and reading, decrypting and planning an import
//! run on the worker (`super::worker`), on a shared snapshot of the data
//! (`Store::snapshot`, no copy): the UI thread never waits for the disk or
//! for Argon2id. Merging an import runs on the worker too (with
//! "Adding…" shown meanwhile); the UI thread then swaps the merged data in
//! with one store update, so it is all or nothing, and every page that
//! shows what it brought refreshes. If the data changed while the worker
//! merged, the merge is done again on the data as it is now.

use std::cell::{Cell, RefCell};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;

use chrono::Datelike;
use slint::{ComponentHandle, SharedString, VecModel};

use super::changes::Slices;
use super::rows::{bound, sync_rows};
use super::shared::{act, act1, act2, with, Page, Shared};
use crate::core::backup::{self, BackupError, Sealing};
use crate::core::export::{
    check_in_day, check_in_note, concern_day, default_selection, export_bytes, held_back_words,
    inspect_backup, offered, outcome_note, plan_import, read_backup, score_text, summary_blocks,
    summary_markdown, BackupLock, Block, ExportFormat, ExportText, ImportSummary, Period,
    PeriodPreset, Private, PrivatePart, Selection,
};
use crate::core::files::{
    check_target, read_backup_file, write_file_atomically, FileError, Target, TargetProblem,
};
use crate::core::model::{Data, Record, RecordId};
use crate::core::paths;
use crate::core::pdf::{summary_pdf, Paper};
use crate::core::size::check_fits;
use crate::core::store::format::{LoadError, MAX_FILE_BYTES};
use crate::core::store::{CryptoError, KeyWrap, Passcode, SealKey};
use crate::ui::{
    AppWindow, DataAdapter, DataView, ExportKind, ExportSealing, ImportMessage, PeriodChoice,
    PickPart, PickRow, SaveMessage, SummaryFormat, SummaryKind, SummaryLine,
};

/// An import merged on the worker, ready to swap in.
struct Merged {
    /// The data it was merged into: swapped in only if that is still the
    /// store's data.
    base: Arc<Data>,
    merged: Box<Data>,
    summary: ImportSummary,
}

enum Checked {
    /// The whole backup was read and validated; what importing it would do.
    Ready(Arc<Data>, ImportSummary),
    /// Sealed with a key this store does not have: ask for its passcode.
    NeedsPasscode(Arc<Vec<u8>>, Box<KeyWrap>),
}

enum Problem {
    NotFound,
    /// Made by a newer version of the app.
    Newer,
    Bad(String),
    WrongPasscode,
    Failed(String),
}

/// The export and import flow's state.
#[derive(Default)]
struct DataState {
    preset: PeriodPreset,
    /// Whether the therapist choice has been set up (with its defaults).
    picking: bool,
    concerns: HashSet<RecordId>,
    check_ins: HashSet<RecordId>,
    /// The records whose note was ticked by itself (private: a note goes
    /// in only when ticked, and only with its record).
    notes: HashSet<RecordId>,
    /// The check-ins whose held-back words were ticked by themselves (as
    /// private as notes, and never ticked by default).
    held: HashSet<RecordId>,
    /// The summary as previewed: exactly these blocks are written.
    preview: Vec<Block>,
    /// The file the user said to replace.
    confirmed: Option<PathBuf>,
    /// The user chose "Export without encryption" for this full backup.
    plain: bool,
    /// A checked backup waiting for "Import".
    incoming: Option<Arc<Data>>,
    /// A sealed backup waiting for its passcode.
    sealed: Option<(Arc<Vec<u8>>, Box<KeyWrap>)>,
}

fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

/// The file an export of `kind` writes (the summary as `summary`).
fn format_of(kind: ExportKind, summary: SummaryFormat) -> ExportFormat {
    match (kind, summary) {
        (ExportKind::Backup, _) => ExportFormat::Backup,
        (ExportKind::CheckIns, _) => ExportFormat::CheckInsCsv,
        (ExportKind::Concerns, _) => ExportFormat::ConcernsCsv,
        (ExportKind::Therapist, SummaryFormat::Pdf) => ExportFormat::Pdf,
        (ExportKind::Therapist, SummaryFormat::Markdown) => ExportFormat::Markdown,
        (ExportKind::Calendar, _) => ExportFormat::Calendar,
    }
}

fn current_format(a: &DataAdapter) -> ExportFormat {
    format_of(a.get_kind(), a.get_summary_format())
}

fn preset_of(p: PeriodChoice) -> PeriodPreset {
    match p {
        PeriodChoice::FourWeeks => PeriodPreset::LastFourWeeks,
        PeriodChoice::ThreeMonths => PeriodPreset::LastThreeMonths,
        PeriodChoice::Year => PeriodPreset::LastYear,
        PeriodChoice::Everything => PeriodPreset::Everything,
    }
}

fn choice_of(p: PeriodPreset) -> PeriodChoice {
    match p {
        PeriodPreset::LastFourWeeks => PeriodChoice::FourWeeks,
        PeriodPreset::LastThreeMonths => PeriodChoice::ThreeMonths,
        PeriodPreset::LastYear => PeriodChoice::Year,
        PeriodPreset::Everything => PeriodChoice::Everything,
    }
}

/// Where files go unless the user types another folder.
fn folder() -> Option<PathBuf> {
    paths::export_folder()
}

/// A UI callback that runs `f` with the page and its window, while both
/// exist (see [`act`]).
fn on(
    page: &Rc<DataPage>,
    f: impl Fn(&Rc<DataPage>, &AppWindow) + 'static,
) -> impl FnMut() + 'static {
    act(page, move |p| p.shared.in_window(|ui| f(p, ui)))
}

/// [`on`] for a callback with one argument.
fn on1<A>(
    page: &Rc<DataPage>,
    f: impl Fn(&Rc<DataPage>, &AppWindow, A) + 'static,
) -> impl FnMut(A) + 'static {
    act1(page, move |p, x| p.shared.in_window(|ui| f(p, ui, x)))
}

/// [`on`] for a callback with two arguments.
fn on2<A, B>(
    page: &Rc<DataPage>,
    f: impl Fn(&Rc<DataPage>, &AppWindow, A, B) + 'static,
) -> impl FnMut(A, B) + 'static {
    act2(page, move |p, x, y| p.shared.in_window(|ui| f(p, ui, x, y)))
}

pub(crate) struct DataPage {
    shared: Rc<Shared>,
    state: RefCell<DataState>,
    /// A worker job is running.
    busy: Cell<bool>,
    rows: Rc<VecModel<PickRow>>,
    /// The formatted preview, line by line.
    preview: Rc<VecModel<SummaryLine>>,
    /// The platform's save dialog may be offered (the app turns it on;
    /// headless tests use the typed path).
    dialogs: Cell<bool>,
    /// The platform's save dialog is open.
    browsing: Cell<bool>,
}

impl Page for DataPage {
    /// Forgets everything the flow holds (a checked backup, the preview,
    /// the choice): on lock, nothing personal stays.
    fn forget(&self) {
        *self.state.borrow_mut() = DataState::default();
        self.rows.clear();
        self.preview.clear();
    }

    /// On a new store, goes back to Settings with nothing of the flow
    /// shown; after any change, says how a backup would be sealed now.
    fn refresh(&self, ui: &AppWindow, changed: Slices) {
        let a = ui.global::<DataAdapter>();
        show_sealing(&self.shared, &a);
        if !changed.intersects(Slices::STORE) {
            return;
        }
        a.set_view(DataView::None);
        self.preview.clear();
        a.set_busy(self.busy.get());
        a.set_save_message(SaveMessage::None);
        a.set_import_message(ImportMessage::None);
    }
}

impl DataPage {
    pub fn install(shared: &Rc<Shared>, ui: &AppWindow) -> Rc<DataPage> {
        let page = Rc::new(DataPage {
            shared: shared.clone(),
            state: RefCell::default(),
            busy: Cell::new(false),
            rows: bound(|m| ui.global::<DataAdapter>().set_rows(m)),
            preview: bound(|m| ui.global::<DataAdapter>().set_preview(m)),
            dialogs: Cell::new(false),
            browsing: Cell::new(false),
        });
        install(&page, ui);
        // The store (a new one closes the flow), and the settings and the
        // passcode, which say how a full backup is sealed.
        shared.subscribe(&page, Slices::STORE | Slices::SETTINGS | Slices::PROTECTION);
        page
    }

    /// Offers the platform's save dialog where there is one (the app on
    /// desktops; tests keep to the typed path).
    pub fn enable_file_dialog(&self) {
        self.dialogs.set(true);
        self.shared.in_window(|ui| {
            ui.global::<DataAdapter>()
                .set_can_browse(file_dialog::available());
        });
    }
}

fn install(page: &Rc<DataPage>, ui: &AppWindow) {
    let a = ui.global::<DataAdapter>();
    a.on_open_export(on(page, |p, ui| {
        let a = ui.global::<DataAdapter>();
        show_sealing(&p.shared, &a);
        if a.get_path().is_empty() {
            set_default_path(&a, current_format(&a));
        }
        a.set_can_browse(p.dialogs.get() && file_dialog::available());
        a.set_save_message(SaveMessage::None);
        a.set_view(DataView::Export);
    }));
    a.on_prepare_save(on1(page, |p, ui, kind| {
        let a = ui.global::<DataAdapter>();
        change_format(p, &a, |a| a.set_kind(kind));
        a.set_can_browse(p.dialogs.get() && file_dialog::available());
        a.set_save_message(SaveMessage::None);
    }));
    a.on_set_kind(on1(page, |p, ui, kind| {
        change_format(p, &ui.global::<DataAdapter>(), |a| a.set_kind(kind));
    }));
    a.on_set_summary_format(on1(page, |p, ui, format| {
        change_format(p, &ui.global::<DataAdapter>(), |a| {
            a.set_summary_format(format)
        });
    }));
    a.on_browse(on(page, browse));
    a.on_path_edited(on(page, |p, ui| {
        path_edited(p, &ui.global::<DataAdapter>())
    }));
    a.on_save(on(page, |p, ui| {
        p.state.borrow_mut().plain = false;
        save(p, ui);
    }));
    a.on_save_unencrypted(on(page, |p, ui| {
        p.state.borrow_mut().plain = true;
        save(p, ui);
    }));
    a.on_replace(on(page, |p, ui| {
        let path = typed_path(&ui.global::<DataAdapter>().get_path());
        p.state.borrow_mut().confirmed = Some(path);
        save(p, ui);
    }));

    a.on_choose_what_goes_in(on(page, |p, ui| {
        let start = !p.state.borrow().picking;
        if start {
            let preset = p.state.borrow().preset;
            choose_defaults(p, preset);
        }
        refresh_rows(p, ui);
        ui.global::<DataAdapter>().set_view(DataView::Therapist);
    }));
    a.on_set_period(on1(page, |p, ui, period| {
        choose_defaults(p, preset_of(period));
        refresh_rows(p, ui);
    }));
    a.on_toggle(on1(page, |p, ui, id: SharedString| {
        {
            let mut guard = p.state.borrow_mut();
            let s = &mut *guard;
            let id = id.to_string();
            let set = if is_concern(p, &id) {
                &mut s.concerns
            } else {
                &mut s.check_ins
            };
            if set.remove(&id) {
                // Leaving a record out takes its private parts with it.
                s.notes.remove(&id);
                s.held.remove(&id);
            } else {
                set.insert(id);
            }
        }
        refresh_rows(p, ui);
    }));
    a.on_toggle_part(on2(page, |p, ui, id: SharedString, part| {
        match part {
            PickPart::Note => toggle_note(p, id.as_str()),
            PickPart::HeldBack => toggle_held(p, id.as_str()),
            PickPart::None => {}
        }
        refresh_rows(p, ui);
    }));
    a.on_select_all(on(page, |p, ui| {
        let preset = p.state.borrow().preset;
        let all = Selection::all_in(p.shared.store.borrow().data(), preset.period(today()));
        {
            let mut s = p.state.borrow_mut();
            s.concerns = all.concerns.into_iter().collect();
            s.check_ins = all.check_ins.into_iter().collect();
        }
        refresh_rows(p, ui);
    }));
    a.on_select_none(on(page, |p, ui| {
        {
            let mut s = p.state.borrow_mut();
            s.concerns.clear();
            s.check_ins.clear();
            s.notes.clear();
            s.held.clear();
        }
        refresh_rows(p, ui);
    }));
    a.on_show_preview(on(page, show_preview));

    a.on_open_import(on(page, |_, ui| {
        let a = ui.global::<DataAdapter>();
        if a.get_import_path().is_empty() {
            a.set_import_path(newest_backup().into());
        }
        a.set_view(DataView::Import);
    }));
    a.on_import_path_edited(on(page, |p, ui| {
        let mut s = p.state.borrow_mut();
        s.incoming = None;
        s.sealed = None;
        ui.global::<DataAdapter>()
            .set_import_message(ImportMessage::None);
    }));
    a.on_check_file(on(page, check_file));
    a.on_open_with_passcode(on1(page, |p, ui, text: SharedString| {
        open_sealed(p, ui, &text)
    }));
    a.on_import(on(page, import));
    a.on_close(on(page, |_, ui| {
        ui.global::<DataAdapter>().set_view(DataView::None);
    }));
}

/// How a full backup export would be sealed now (`None`: neither a
/// passcode nor a backup passphrase, so one is set first or the user
/// chooses a plain file).
fn show_sealing(shared: &Shared, a: &DataAdapter) {
    let store = shared.store.borrow();
    let sealing = backup::export_sealing(&store.data().settings.backup, store.seal_key(), false);
    a.set_sealing(match sealing {
        Ok(Sealing::Passcode(_)) => ExportSealing::Passcode,
        Ok(Sealing::Passphrase(_)) => ExportSealing::Passphrase,
        Ok(Sealing::Unencrypted) | Err(_) => ExportSealing::None,
    });
}

/// The default file for `format`, in the export folder.
fn set_default_path(a: &DataAdapter, format: ExportFormat) {
    let name = format.file_name(today());
    let path = folder().map_or_else(|| PathBuf::from(&name), |f| f.join(&name));
    a.set_path(path.display().to_string().into());
}

/// Changes what is saved (`set` picks the kind, or a summary's format): a
/// default file name follows the new format, and a path that was
/// confirmed for replacing is no longer.
fn change_format(p: &DataPage, a: &DataAdapter, set: impl FnOnce(&DataAdapter)) {
    let before = current_format(a);
    set(a);
    follow_kind(a, before, current_format(a));
    path_edited(p, a);
}

/// After a change of kind, a default file name follows it (the folder the
/// user chose is kept; an empty path gets the default file); a name the
/// user typed is left alone.
fn follow_kind(a: &DataAdapter, before: ExportFormat, after: ExportFormat) {
    let typed = typed_path(&a.get_path());
    let default_name = before.file_name(today());
    let is_default = typed.as_os_str().is_empty()
        || typed.file_name().and_then(|n| n.to_str()) == Some(default_name.as_str());
    if is_default {
        let name = after.file_name(today());
        let path = match typed.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.join(name),
            _ => folder().map_or_else(|| PathBuf::from(&name), |f| f.join(&name)),
        };
        a.set_path(path.display().to_string().into());
    }
}

fn typed_path(text: &str) -> PathBuf {
    paths::user_path(text, folder().as_deref())
}

fn path_edited(p: &DataPage, a: &DataAdapter) {
    p.state.borrow_mut().confirmed = None;
    if a.get_save_message() != SaveMessage::Saving {
        a.set_save_message(SaveMessage::None);
    }
}

/// Runs `work` on the worker; its result comes back to [`finished`].
fn spawn(p: &Rc<DataPage>, work: impl FnOnce() -> Job + Send + 'static) {
    p.busy.set(true);
    p.shared
        .in_window(|ui| ui.global::<DataAdapter>().set_busy(true));
    let w = Rc::downgrade(p);
    p.shared
        .worker
        .run(work, move |job| with(&w, |p| finished(p, job)));
}

/// What a worker job sends back.
enum Job {
    /// Where the export went, or why it could not be written.
    Saved(Result<PathBuf, String>),
    Checked(Result<Checked, Problem>),
    Merged(Result<Merged, Problem>),
}

fn busy(p: &Rc<DataPage>) -> bool {
    p.busy.get()
}

fn save(p: &Rc<DataPage>, ui: &AppWindow) {
    let a = ui.global::<DataAdapter>();
    if busy(p) {
        return;
    }
    let path = typed_path(&a.get_path());
    let dir = p.shared.store.borrow().dir().to_path_buf();
    a.set_detail(Default::default());
    let kind = a.get_kind();
    let format = current_format(&a);
    // A full backup is sealed as backups are; plain only when chosen.
    let key = if format == ExportFormat::Backup {
        let store = p.shared.store.borrow();
        let plain = p.state.borrow().plain;
        match backup::export_sealing(&store.data().settings.backup, store.seal_key(), plain) {
            Ok(sealing) => sealing.key().cloned(),
            Err(BackupError::NeedsPassphrase) => {
                a.set_save_message(SaveMessage::NeedsPassphrase);
                return;
            }
            Err(e) => {
                a.set_detail(e.to_string().into());
                a.set_save_message(SaveMessage::Failed);
                return;
            }
        }
    } else {
        None
    };
    match check_target(&dir, &path) {
        Err(problem) => {
            let (message, shown) = match problem {
                TargetProblem::Empty => (SaveMessage::EmptyPath, path.clone()),
                TargetProblem::InDataDir => (SaveMessage::InDataFolder, path.clone()),
                TargetProblem::IsFolder => (SaveMessage::IsFolder, path.clone()),
                TargetProblem::NoFolder => (
                    SaveMessage::NoFolder,
                    path.parent().map(Path::to_path_buf).unwrap_or_default(),
                ),
            };
            a.set_saved_path(shown.display().to_string().into());
            a.set_save_message(message);
            return;
        }
        Ok(Target::Exists) if p.state.borrow().confirmed.as_ref() != Some(&path) => {
            a.set_saved_path(path.display().to_string().into());
            a.set_save_message(SaveMessage::Exists);
            return;
        }
        Ok(_) => {}
    }
    p.state.borrow_mut().confirmed = None;
    a.set_save_message(SaveMessage::Saving);
    if kind == ExportKind::Therapist {
        // Exactly what the preview showed, as the chosen file (the PDF is
        // laid out on the worker too).
        let blocks = p.state.borrow().preview.clone();
        spawn(p, move || {
            let text = ExportText::builtin();
            let bytes = if format == ExportFormat::Pdf {
                summary_pdf(&blocks, &text, Paper::from_system()).map_err(|e| e.to_string())
            } else {
                Ok(summary_markdown(&blocks, &text).into_bytes())
            };
            let result = bytes
                .and_then(|bytes| write_file_atomically(&path, &bytes).map_err(|e| e.to_string()))
                .map(|()| path);
            Job::Saved(result)
        });
    } else {
        let data = p.shared.store.borrow().snapshot();
        spawn(p, move || {
            let now = chrono::Utc::now();
            let result = export_bytes(&data, key.as_ref(), format, Period::default(), false, now)
                .map_err(|e| e.to_string())
                .and_then(|bytes| write_file_atomically(&path, &bytes).map_err(|e| e.to_string()))
                .map(|()| path);
            Job::Saved(result)
        });
    }
}

/// Ticks what the summary starts with for `preset` (see
/// [`default_selection`] for why those).
fn choose_defaults(p: &Rc<DataPage>, preset: PeriodPreset) {
    let chosen = default_selection(p.shared.store.borrow().data(), preset.period(today()));
    let mut s = p.state.borrow_mut();
    s.preset = preset;
    s.picking = true;
    s.concerns = chosen.concerns.into_iter().collect();
    s.check_ins = chosen.check_ins.into_iter().collect();
    s.notes = chosen
        .private
        .iter()
        .filter(|p| p.part == Private::Note)
        .map(|p| p.id.clone())
        .collect();
    s.held = chosen
        .private
        .into_iter()
        .filter(|p| p.part == Private::HeldBack)
        .map(|p| p.id)
        .collect();
}

/// Whether `id` is a concern's (else it is a check-in's).
fn is_concern(p: &DataPage, id: &str) -> bool {
    p.shared.data(|d| d.concerns.iter().any(|r| r.id == id))
}

/// Ticks or unticks the note of record `id`; ticking it ticks the record
/// too (a note goes in only with its record).
fn toggle_note(p: &Rc<DataPage>, id: &str) {
    let concern = is_concern(p, id);
    let mut guard = p.state.borrow_mut();
    let s = &mut *guard;
    if !s.notes.remove(id) {
        s.notes.insert(id.to_owned());
        if concern {
            s.concerns.insert(id.to_owned());
        } else {
            s.check_ins.insert(id.to_owned());
        }
    }
}

/// Ticks or unticks the held-back words of check-in `id`; ticking them
/// ticks the check-in too.
fn toggle_held(p: &Rc<DataPage>, id: &str) {
    let mut guard = p.state.borrow_mut();
    let s = &mut *guard;
    if !s.held.remove(id) {
        s.held.insert(id.to_owned());
        s.check_ins.insert(id.to_owned());
    }
}

/// The row under a check-in that ticks its held-back words.
fn held_row(record: &PickRow, words: &str, ticked: bool) -> PickRow {
    PickRow {
        part: PickPart::HeldBack,
        ..note_row(record, words, ticked)
    }
}

/// The row under a record that ticks its note (`note`'s first words, on
/// one line).
fn note_row(record: &PickRow, note: &str, ticked: bool) -> PickRow {
    let one_line = note.split_whitespace().collect::<Vec<_>>().join(" ");
    PickRow {
        part: PickPart::Note,
        excerpt: crate::core::prepare::shorten(&one_line, crate::core::prepare::SHORT_TITLE_CHARS)
            .into(),
        selected: ticked,
        ..record.clone()
    }
}

/// Pushes a record's row and, when it has a note, the row under it that
/// ticks the note (ticked when the record is and `notes` holds it; counted
/// in `ticked_notes`).
fn push_record(
    rows: &mut Vec<PickRow>,
    row: PickRow,
    note: Option<&str>,
    notes: &HashSet<RecordId>,
    ticked_notes: &mut usize,
) {
    let ticked = row.selected && notes.contains(row.id.as_str());
    let under = note.map(|note| note_row(&row, note, ticked));
    rows.push(row);
    if let Some(under) = under {
        *ticked_notes += usize::from(ticked);
        rows.push(under);
    }
}

/// The records of `period`, newest first.
fn newest_in<T>(
    records: &[Record<T>],
    period: Period,
    day: fn(&Record<T>) -> chrono::NaiveDate,
) -> Vec<&Record<T>> {
    records
        .iter()
        .rev()
        .filter(|r| period.contains(day(r)))
        .collect()
}

/// A row of the therapist choice for the record `id` of `day`.
fn pick_row(id: &RecordId, day: chrono::NaiveDate, selected: bool) -> PickRow {
    PickRow {
        id: id.as_str().into(),
        day: day.day() as i32,
        month: day.month() as i32,
        year: day.year(),
        selected,
        ..Default::default()
    }
}

/// The rows of the period (newest first under each heading), their ticks
/// and the counts; changed rows are updated in place.
fn refresh_rows(p: &Rc<DataPage>, ui: &AppWindow) {
    let a = ui.global::<DataAdapter>();
    let store = p.shared.store.borrow();
    let data = store.data();
    let s = p.state.borrow();
    let period = s.preset.period(today());
    let mut rows = Vec::new();
    let heading = |is_concern| PickRow {
        is_heading: true,
        is_concern,
        ..Default::default()
    };
    // An unfinished draft is not offered: it is not ready to hand over.
    let concerns: Vec<_> = newest_in(&data.concerns, period, concern_day)
        .into_iter()
        .filter(|r| offered(&r.body))
        .collect();
    let check_ins = newest_in(&data.check_ins, period, check_in_day);
    let (mut chosen_c, mut chosen_k, mut chosen_notes, mut chosen_held) = (0, 0, 0, 0);
    if !concerns.is_empty() {
        rows.push(heading(true));
    }
    let mut concerns = concerns;
    concerns.sort_by_key(|r| std::cmp::Reverse(r.created));
    for r in &concerns {
        let selected = s.concerns.contains(&r.id);
        chosen_c += usize::from(selected);
        let title = crate::core::prepare::title(
            &p.shared.prepare,
            &r.body,
            crate::core::prepare::SHORT_TITLE_CHARS,
        );
        let row = PickRow {
            is_concern: true,
            title: title.into(),
            ..pick_row(&r.id, concern_day(r), selected)
        };
        push_record(
            &mut rows,
            row,
            outcome_note(&r.body),
            &s.notes,
            &mut chosen_notes,
        );
    }
    if !check_ins.is_empty() {
        rows.push(heading(false));
    }
    for r in &check_ins {
        let selected = s.check_ins.contains(&r.id);
        chosen_k += usize::from(selected);
        let row = PickRow {
            mood: i32::from(r.body.mood),
            ..pick_row(&r.id, check_in_day(r), selected)
        };
        let held = held_back_words(&r.body).map(|words| {
            let ticked = selected && s.held.contains(&r.id);
            chosen_held += usize::from(ticked);
            held_row(&row, words, ticked)
        });
        push_record(
            &mut rows,
            row,
            check_in_note(&r.body),
            &s.notes,
            &mut chosen_notes,
        );
        rows.extend(held);
    }
    let count = |n: usize| n.min(i32::MAX as usize) as i32;
    a.set_period(choice_of(s.preset));
    a.set_concerns_in_period(count(concerns.len()));
    a.set_check_ins_in_period(count(check_ins.len()));
    a.set_chosen_concerns(count(chosen_c));
    a.set_chosen_check_ins(count(chosen_k));
    a.set_chosen_private(count(chosen_notes));
    a.set_chosen_held_back(count(chosen_held));
    drop(s);
    sync_rows(&p.rows, rows);
}

/// The summary's blocks as the preview's lines: the same words, formatted
/// as the therapist will see them, with what a ticked note added marked.
fn preview_lines(blocks: &[Block], text: &ExportText) -> Vec<SummaryLine> {
    let line = |kind, label: &str, words: &str, added: bool| SummaryLine {
        kind,
        label: label.into(),
        text: words.into(),
        added,
    };
    let mut lines = Vec::new();
    for b in blocks {
        match b {
            Block::Title(t) => lines.push(line(SummaryKind::Title, "", t, false)),
            Block::Paragraph(p) => lines.push(line(SummaryKind::Paragraph, "", p, false)),
            Block::Meta { label, value } => {
                lines.push(line(SummaryKind::Meta, label, value, false))
            }
            Block::Section(t) => lines.push(line(SummaryKind::Section, "", t, false)),
            Block::Heading(t) => lines.push(line(SummaryKind::Heading, "", t, false)),
            Block::Field {
                label,
                value,
                added,
            } => lines.push(line(SummaryKind::Field, label, value, added.is_some())),
            Block::Scores(rows) => {
                for r in rows {
                    let scores = [
                        (&text.mood, Some(r.mood)),
                        (&text.heard, r.items[0]),
                        (&text.goals, r.items[1]),
                        (&text.approach, r.items[2]),
                        (&text.overall, r.items[3]),
                    ]
                    .iter()
                    .map(|(label, n)| format!("{label}: {}", score_text(*n, text)))
                    .collect::<Vec<_>>()
                    .join("\n");
                    let when = format!("{} {}", text.session, r.when.format("%Y-%m-%d %H:%M"));
                    lines.push(line(SummaryKind::Scores, &when, &scores, false));
                }
            }
        }
    }
    lines
}

/// The summary that "Save" will write, from what is ticked in the period
/// (nothing else), shown formatted.
fn show_preview(p: &Rc<DataPage>, ui: &AppWindow) {
    let a = ui.global::<DataAdapter>();
    let text = ExportText::builtin();
    let blocks = {
        let s = p.state.borrow();
        let period = s.preset.period(today());
        let selection = Selection {
            period,
            concerns: s.concerns.iter().cloned().collect(),
            check_ins: s.check_ins.iter().cloned().collect(),
            // Only what was ticked one by one (the core also leaves out a
            // note whose record is not ticked).
            private: s
                .notes
                .iter()
                .map(|id| PrivatePart {
                    id: id.clone(),
                    part: Private::Note,
                })
                .chain(s.held.iter().map(|id| PrivatePart {
                    id: id.clone(),
                    part: Private::HeldBack,
                }))
                .collect(),
        };
        summary_blocks(
            p.shared.store.borrow().data(),
            &selection,
            &text,
            &p.shared.prepare,
            today(),
        )
    };
    sync_rows(&p.preview, preview_lines(&blocks, &text));
    p.state.borrow_mut().preview = blocks;
    // The file name follows the summary's format.
    if a.get_path().is_empty() {
        set_default_path(&a, current_format(&a));
    }
    a.set_save_message(SaveMessage::None);
    p.state.borrow_mut().confirmed = None;
    a.set_view(DataView::Preview);
}

/// "Choose where to save…": the platform's save dialog, starting in the
/// folder and with the name of the typed path. The file it gives is saved
/// at once (the dialog has already asked about replacing a file); a
/// cancelled dialog leaves the typed path as it was.
fn browse(p: &Rc<DataPage>, ui: &AppWindow) {
    if busy(p) || p.browsing.get() || !p.dialogs.get() {
        return;
    }
    let a = ui.global::<DataAdapter>();
    let typed = typed_path(&a.get_path());
    let format = current_format(&a);
    p.browsing.set(true);
    let shown = file_dialog::save(
        &typed,
        format,
        on1(p, |p, ui, chosen: Option<PathBuf>| {
            p.browsing.set(false);
            let Some(path) = chosen else {
                return;
            };
            ui.global::<DataAdapter>()
                .set_path(path.display().to_string().into());
            p.state.borrow_mut().confirmed = Some(path);
            save(p, ui);
        }),
    );
    if !shown {
        p.browsing.set(false);
    }
}

/// The platform's save dialog, on desktops.
#[cfg(all(
    feature = "desktop",
    not(any(target_os = "android", target_os = "ios"))
))]
mod file_dialog {
    use std::path::{Path, PathBuf};

    use crate::core::export::ExportFormat;

    /// Whether there is a dialog to show: on Linux the portal is reached
    /// over the session bus.
    pub fn available() -> bool {
        !cfg!(target_os = "linux") || std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some()
    }

    /// Shows the dialog without blocking the window (it keeps drawing);
    /// `then` gets the chosen file, or `None` if it was cancelled or could
    /// not be shown. False if it could not be started at all.
    pub fn save(
        typed: &Path,
        format: ExportFormat,
        then: impl FnOnce(Option<PathBuf>) + 'static,
    ) -> bool {
        let mut dialog = rfd::AsyncFileDialog::new();
        if let Some(dir) = typed.parent().filter(|d| d.is_dir()) {
            dialog = dialog.set_directory(dir);
        }
        if let Some(name) = typed.file_name() {
            dialog = dialog.set_file_name(name.to_string_lossy());
        }
        let (what, ext) = format.kind_and_extension();
        let chosen = dialog.add_filter(what, &[ext]).save_file();
        slint::spawn_local(async move {
            then(chosen.await.map(|file| file.path().to_path_buf()));
        })
        .is_ok()
    }
}

/// No platform dialog (embedded, phones): the typed path is the way.
#[cfg(not(all(
    feature = "desktop",
    not(any(target_os = "android", target_os = "ios"))
)))]
mod file_dialog {
    use std::path::{Path, PathBuf};

    use crate::core::export::ExportFormat;

    pub fn available() -> bool {
        false
    }

    pub fn save(_: &Path, _: ExportFormat, _: impl FnOnce(Option<PathBuf>) + 'static) -> bool {
        false
    }
}

/// The newest backup with a default name in the export folder, else the
/// folder itself, to start the import field with.
fn newest_backup() -> String {
    let Some(dir) = folder() else {
        return String::new();
    };
    let newest = std::fs::read_dir(&dir).ok().and_then(|entries| {
        entries
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("common-ground-") && n.ends_with(".json"))
            .max()
    });
    match newest {
        Some(name) => dir.join(name).display().to_string(),
        None => format!("{}{}", dir.display(), std::path::MAIN_SEPARATOR),
    }
}

fn load_problem(e: FileError) -> Problem {
    match e {
        FileError::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound => {
            Problem::NotFound
        }
        FileError::TooLarge { len, .. } => bad(LoadError::TooLarge {
            len,
            max: MAX_FILE_BYTES,
        }),
        other => Problem::Failed(other.to_string()),
    }
}

fn bad(e: LoadError) -> Problem {
    match e {
        LoadError::FutureVersion { .. } => Problem::Newer,
        e => Problem::Bad(e.to_string()),
    }
}

fn plan(current: &Data, bytes: &[u8], key: Option<&SealKey>) -> Result<Checked, Problem> {
    let incoming = read_backup(bytes, key).map_err(bad)?;
    let summary = plan_import(current, &incoming).summary;
    Ok(Checked::Ready(Arc::new(incoming), summary))
}

fn check_file(p: &Rc<DataPage>, ui: &AppWindow) {
    if busy(p) {
        return;
    }
    let a = ui.global::<DataAdapter>();
    let path = typed_path(&a.get_import_path());
    {
        let mut s = p.state.borrow_mut();
        s.incoming = None;
        s.sealed = None;
    }
    a.set_detail(Default::default());
    if path.as_os_str().is_empty() || path.is_dir() {
        a.set_import_message(ImportMessage::NotFound);
        return;
    }
    a.set_import_message(ImportMessage::Checking);
    let current = p.shared.store.borrow().snapshot();
    let store_key = p.shared.store.borrow().seal_key().cloned();
    spawn(p, move || {
        let result = read_backup_file(&path)
            .map_err(load_problem)
            .and_then(|bytes| match inspect_backup(&bytes) {
                Err(e) => Err(bad(e)),
                Ok(BackupLock::Open) => plan(&current, &bytes, None),
                // The store's own key, or this device's backup passphrase's.
                Ok(BackupLock::Sealed(wrap)) => {
                    match backup::known_key(&current.settings.backup, store_key.as_ref(), &wrap) {
                        Some(key) => plan(&current, &bytes, Some(&key)),
                        None => Ok(Checked::NeedsPasscode(Arc::new(bytes), Box::new(wrap))),
                    }
                }
            });
        Job::Checked(result)
    });
}

fn open_sealed(p: &Rc<DataPage>, ui: &AppWindow, text: &str) {
    if busy(p) {
        return;
    }
    let Some((bytes, wrap)) = p.state.borrow().sealed.clone() else {
        return;
    };
    let a = ui.global::<DataAdapter>();
    a.set_import_message(ImportMessage::Checking);
    let passcode = Passcode::new(text);
    let current = p.shared.store.borrow().snapshot();
    spawn(p, move || {
        // Argon2id: slow on purpose, so off the UI thread.
        let result = match SealKey::unlock(&passcode, &wrap) {
            Ok(key) => plan(&current, &bytes, Some(&key)),
            Err(CryptoError::WrongPasscode) => Err(Problem::WrongPasscode),
            Err(e) => Err(Problem::Bad(e.to_string())),
        };
        Job::Checked(result)
    });
}

fn show_summary(a: &DataAdapter, summary: &ImportSummary) {
    let count = |n: usize| n.min(i32::MAX as usize) as i32;
    a.set_add_check_ins(count(summary.check_ins_added));
    a.set_add_concerns(count(summary.concerns_added));
    a.set_already_here(count(summary.already_here));
    a.set_learn_added(count(summary.learn_added));
    a.set_takes_settings(summary.took_settings);
}

/// Merges the checked backup into the data on the worker thread (a large
/// backup takes a moment); [`swap_in`] then puts the result in place.
fn import(p: &Rc<DataPage>, ui: &AppWindow) {
    let a = ui.global::<DataAdapter>();
    if busy(p) {
        return;
    }
    if p.shared.store.borrow().is_read_only() {
        a.set_import_message(ImportMessage::ReadOnly);
        return;
    }
    let Some(incoming) = p.state.borrow().incoming.clone() else {
        return;
    };
    a.set_import_message(ImportMessage::Importing);
    let base = p.shared.store.borrow().snapshot();
    spawn(p, move || {
        let plan = plan_import(&base, &incoming);
        Job::Merged(match check_fits(&plan.merged) {
            Ok(_) => Ok(Merged {
                base,
                merged: Box::new(plan.merged),
                summary: plan.summary,
            }),
            Err(e) => Err(Problem::Failed(e.to_string())),
        })
    });
}

/// Swaps a merged import in (one store update, saved in the background
/// like every deliberate change), then refreshes the pages it touches.
fn swap_in(p: &Rc<DataPage>, ui: &AppWindow, m: Merged) {
    let a = ui.global::<DataAdapter>();
    let Merged {
        base,
        merged,
        summary,
    } = m;
    if !Arc::ptr_eq(&base, &p.shared.store.borrow().snapshot()) {
        // The data changed while the worker merged: merge again.
        drop(base);
        import(p, ui);
        return;
    }
    // Let go of the worker's handle, so the update does not copy the data.
    drop(base);
    let old = p
        .shared
        .store
        .borrow_mut()
        .update_soon(|d| std::mem::replace(d, *merged));
    // Freeing tens of thousands of records takes a moment: not here.
    std::thread::spawn(move || drop(old));
    p.state.borrow_mut().incoming = None;
    show_summary(&a, &summary);
    a.set_import_message(if summary.is_empty() {
        ImportMessage::NothingNew
    } else {
        ImportMessage::Imported
    });
    // The therapist choice lists records that may have just arrived.
    p.state.borrow_mut().picking = false;
    // An import may also bring a session schedule where none was set.
    p.shared.publish(
        Slices::LEARN
            | Slices::CONCERNS
            | Slices::CHECK_INS
            | Slices::INSIGHTS
            | Slices::SETTINGS
            | Slices::SESSIONS,
    );
}

/// Shows what a worker job found (`None`: it failed unexpectedly).
fn finished(p: &Rc<DataPage>, job: Option<Job>) {
    p.busy.set(false);
    let Some(ui) = p.shared.window.upgrade() else {
        return;
    };
    let a = ui.global::<DataAdapter>();
    a.set_busy(false);
    match job {
        None => a.set_save_message(SaveMessage::Failed),
        Some(Job::Saved(Ok(path))) => {
            a.set_saved_path(path.display().to_string().into());
            a.set_save_message(SaveMessage::Saved);
        }
        Some(Job::Saved(Err(e))) => {
            a.set_detail(e.into());
            a.set_save_message(SaveMessage::Failed);
        }
        Some(Job::Checked(Ok(Checked::Ready(incoming, summary)))) => {
            show_summary(&a, &summary);
            if p.shared.store.borrow().is_read_only() {
                a.set_import_message(ImportMessage::ReadOnly);
            } else if summary.is_empty() {
                a.set_import_message(ImportMessage::NothingNew);
            } else {
                p.state.borrow_mut().incoming = Some(incoming);
                a.set_import_message(ImportMessage::Ready);
            }
        }
        Some(Job::Merged(Ok(m))) => swap_in(p, &ui, m),
        Some(Job::Merged(Err(problem))) => {
            if let Problem::Failed(detail) = problem {
                a.set_detail(detail.into());
            }
            a.set_import_message(ImportMessage::Failed);
        }
        Some(Job::Checked(Ok(Checked::NeedsPasscode(bytes, wrap)))) => {
            p.state.borrow_mut().sealed = Some((bytes, wrap));
            a.set_import_message(ImportMessage::NeedsPasscode);
        }
        Some(Job::Checked(Err(problem))) => {
            let message = match problem {
                Problem::NotFound => ImportMessage::NotFound,
                Problem::Newer => ImportMessage::Newer,
                Problem::Bad(detail) => {
                    a.set_detail(detail.into());
                    ImportMessage::BadFile
                }
                Problem::WrongPasscode => ImportMessage::WrongPasscode,
                Problem::Failed(detail) => {
                    a.set_detail(detail.into());
                    ImportMessage::Failed
                }
            };
            a.set_import_message(message);
        }
    }
}

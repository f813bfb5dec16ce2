//! Settings > Back up and export (`DataAdapter`): export to a file the
//! user names, the therapist summary's choice and preview, and importing a
//! backup.
//!
//! There is no native file dialog in Slint (and we add no GTK or portal
//! dependency), so the file is an editable path, prefilled with the
//! Documents folder (else home) and a dated name. A path in the data
//! folder is refused, a missing folder is named, and an existing file is
//! replaced only after "Replace it?".
//!
//! Writing (with its fsync) and reading, decrypting and planning an import
//! run on a worker thread, on a shared snapshot of the data
//! (`Store::snapshot`, no copy): the UI thread never waits for the disk or
//! for Argon2id. The result comes back like the passcode worker's (channel,
//! then `Status.saves-reported` → [`poll`]; headless tests call
//! `App::saves_reported`). Merging an import runs on the worker too (with
//! "Adding…" shown meanwhile); the UI thread then swaps the merged data in
//! with one store update, so it is all or nothing, and the pages it
//! touches refresh (`Dirty`). If the data changed while the worker
//! merged, the merge is done again on the data as it is now.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::mpsc::{self, Receiver};
use std::sync::Arc;

use chrono::Datelike;
use slint::ComponentHandle;

use super::{Ctx, Dirty};
use crate::commands::{self, CommandError, Target, TargetProblem};
use crate::core::export::{
    check_in_day, concern_day, default_selection, inspect_backup, own_key, plan_import,
    read_backup, therapist_summary, BackupLock, ExportFormat, ExportText, ImportSummary, Period,
    PeriodPreset, Selection,
};
use crate::core::model::{Data, RecordId};
use crate::core::paths;
use crate::core::size::check_fits;
use crate::core::store::format::LoadError;
use crate::core::store::{CryptoError, KeyWrap, Passcode, SealKey};
use crate::ui::{
    AppWindow, DataAdapter, DataView, ExportKind, ImportMessage, PeriodChoice, PickRow,
    SaveMessage, Status,
};

/// What a worker sends back.
enum Job {
    Saved(Result<PathBuf, CommandError>),
    Checked(Result<Checked, Problem>),
    Merged(Result<Merged, Problem>),
}

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

/// The export and import flow's state, kept by the bridge.
#[derive(Default)]
pub(crate) struct DataUi {
    job: Option<Receiver<Job>>,
    preset: PeriodPreset,
    /// Whether the therapist choice has been set up (with its defaults).
    picking: bool,
    concerns: HashSet<RecordId>,
    check_ins: HashSet<RecordId>,
    /// The id of each row shown ("" for a heading), by position.
    shown: Vec<RecordId>,
    /// The summary as previewed: exactly these bytes are written.
    preview: String,
    /// The file the user said to replace.
    confirmed: Option<PathBuf>,
    /// A checked backup waiting for "Import".
    incoming: Option<Arc<Data>>,
    /// A sealed backup waiting for its passcode.
    sealed: Option<(Arc<Vec<u8>>, Box<KeyWrap>)>,
}

fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

fn format_of(kind: ExportKind) -> ExportFormat {
    match kind {
        ExportKind::Backup => ExportFormat::Backup,
        ExportKind::CheckIns => ExportFormat::CheckInsCsv,
        ExportKind::Concerns => ExportFormat::ConcernsCsv,
        ExportKind::Therapist => ExportFormat::Markdown,
    }
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

fn on(weak: &std::rc::Weak<Ctx>, f: impl FnOnce(&Rc<Ctx>, &AppWindow)) {
    if let Some(ctx) = weak.upgrade() {
        if let Some(ui) = ctx.window.upgrade() {
            f(&ctx, &ui);
        }
    }
}

pub(super) fn install(ctx: &Rc<Ctx>, ui: &AppWindow) {
    let a = ui.global::<DataAdapter>();
    let weak = Rc::downgrade(ctx);

    let w = weak.clone();
    a.on_open_export(move || {
        on(&w, |_, ui| {
            let a = ui.global::<DataAdapter>();
            if a.get_path().is_empty() {
                set_default_path(&a, format_of(a.get_kind()));
            }
            a.set_save_message(SaveMessage::None);
            a.set_view(DataView::Export);
        })
    });
    let w = weak.clone();
    a.on_set_kind(move |kind| {
        on(&w, |ctx, ui| {
            let a = ui.global::<DataAdapter>();
            let before = format_of(a.get_kind());
            a.set_kind(kind);
            follow_kind(&a, before, format_of(kind));
            path_edited(ctx, &a);
        })
    });
    let w = weak.clone();
    a.on_path_edited(move || on(&w, |ctx, ui| path_edited(ctx, &ui.global::<DataAdapter>())));
    let w = weak.clone();
    a.on_save(move || on(&w, save));
    let w = weak.clone();
    a.on_replace(move || {
        on(&w, |ctx, ui| {
            let path = typed_path(&ui.global::<DataAdapter>().get_path());
            ctx.data_ui.borrow_mut().confirmed = Some(path);
            save(ctx, ui);
        })
    });

    let w = weak.clone();
    a.on_choose_what_goes_in(move || {
        on(&w, |ctx, ui| {
            let start = !ctx.data_ui.borrow().picking;
            if start {
                let preset = ctx.data_ui.borrow().preset;
                choose_defaults(ctx, preset);
            }
            refresh_rows(ctx, ui);
            ui.global::<DataAdapter>().set_view(DataView::Therapist);
        })
    });
    let w = weak.clone();
    a.on_set_period(move |p| {
        on(&w, |ctx, ui| {
            choose_defaults(ctx, preset_of(p));
            refresh_rows(ctx, ui);
        })
    });
    let w = weak.clone();
    a.on_toggle(move |id| {
        on(&w, |ctx, ui| {
            {
                let mut s = ctx.data_ui.borrow_mut();
                let id = id.to_string();
                let is_concern = ctx
                    .store
                    .borrow()
                    .data()
                    .concerns
                    .iter()
                    .any(|r| r.id == id);
                let set = if is_concern {
                    &mut s.concerns
                } else {
                    &mut s.check_ins
                };
                if !set.remove(&id) {
                    set.insert(id);
                }
            }
            refresh_rows(ctx, ui);
        })
    });
    let w = weak.clone();
    a.on_select_all(move || {
        on(&w, |ctx, ui| {
            let preset = ctx.data_ui.borrow().preset;
            let all = Selection::all_in(ctx.store.borrow().data(), preset.period(today()));
            {
                let mut s = ctx.data_ui.borrow_mut();
                s.concerns = all.concerns.into_iter().collect();
                s.check_ins = all.check_ins.into_iter().collect();
            }
            refresh_rows(ctx, ui);
        })
    });
    let w = weak.clone();
    a.on_select_none(move || {
        on(&w, |ctx, ui| {
            {
                let mut s = ctx.data_ui.borrow_mut();
                s.concerns.clear();
                s.check_ins.clear();
            }
            refresh_rows(ctx, ui);
        })
    });
    let w = weak.clone();
    a.on_show_preview(move || on(&w, show_preview));

    let w = weak.clone();
    a.on_open_import(move || {
        on(&w, |_, ui| {
            let a = ui.global::<DataAdapter>();
            if a.get_import_path().is_empty() {
                a.set_import_path(newest_backup().into());
            }
            a.set_view(DataView::Import);
        })
    });
    let w = weak.clone();
    a.on_import_path_edited(move || {
        on(&w, |ctx, ui| {
            let mut s = ctx.data_ui.borrow_mut();
            s.incoming = None;
            s.sealed = None;
            ui.global::<DataAdapter>()
                .set_import_message(ImportMessage::None);
        })
    });
    let w = weak.clone();
    a.on_check_file(move || on(&w, check_file));
    let w = weak.clone();
    a.on_open_with_passcode(move |text| on(&w, |ctx, ui| open_sealed(ctx, ui, &text)));
    let w = weak.clone();
    a.on_import(move || on(&w, import));
    let w = weak;
    a.on_close(move || {
        on(&w, |_, ui| {
            ui.global::<DataAdapter>().set_view(DataView::None);
        })
    });
}

/// The default file for `format`, in the export folder.
fn set_default_path(a: &DataAdapter, format: ExportFormat) {
    let name = format.file_name(today());
    let path = folder().map_or_else(|| PathBuf::from(&name), |f| f.join(&name));
    a.set_path(path.display().to_string().into());
}

/// After a change of kind, a default file name follows it (the folder the
/// user chose is kept); a name the user typed is left alone.
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

fn path_edited(ctx: &Rc<Ctx>, a: &DataAdapter) {
    ctx.data_ui.borrow_mut().confirmed = None;
    if a.get_save_message() != SaveMessage::Saving {
        a.set_save_message(SaveMessage::None);
    }
}

fn spawn(ctx: &Rc<Ctx>, work: impl FnOnce() -> Job + Send + 'static) {
    let (tx, rx) = mpsc::channel();
    ctx.data_ui.borrow_mut().job = Some(rx);
    if let Some(ui) = ctx.window.upgrade() {
        ui.global::<DataAdapter>().set_busy(true);
    }
    let ui = ctx.window.clone();
    std::thread::spawn(move || {
        let _ = tx.send(work());
        // Fails only without an event loop (headless tests poll instead).
        let _ = ui.upgrade_in_event_loop(|ui| ui.global::<Status>().invoke_saves_reported());
    });
}

fn busy(ctx: &Rc<Ctx>) -> bool {
    ctx.data_ui.borrow().job.is_some()
}

fn save(ctx: &Rc<Ctx>, ui: &AppWindow) {
    let a = ui.global::<DataAdapter>();
    if busy(ctx) {
        return;
    }
    let path = typed_path(&a.get_path());
    let dir = ctx.store.borrow().dir().to_path_buf();
    a.set_detail(Default::default());
    match commands::check_target(&dir, &path) {
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
        Ok(Target::Exists) if ctx.data_ui.borrow().confirmed.as_ref() != Some(&path) => {
            a.set_saved_path(path.display().to_string().into());
            a.set_save_message(SaveMessage::Exists);
            return;
        }
        Ok(_) => {}
    }
    ctx.data_ui.borrow_mut().confirmed = None;
    a.set_save_message(SaveMessage::Saving);
    let kind = a.get_kind();
    if kind == ExportKind::Therapist {
        // Exactly the text the preview showed.
        let bytes = ctx.data_ui.borrow().preview.clone().into_bytes();
        spawn(ctx, move || {
            Job::Saved(commands::write_file_atomically(&path, &bytes).map(|()| path))
        });
    } else {
        let data = ctx.store.borrow().snapshot();
        let key = ctx.store.borrow().seal_key().cloned();
        let format = format_of(kind);
        spawn(ctx, move || {
            let result =
                commands::export_data_bytes(&data, key.as_ref(), format, Period::default(), false)
                    .and_then(|bytes| commands::write_file_atomically(&path, &bytes))
                    .map(|()| path);
            Job::Saved(result)
        });
    }
}

/// Ticks what the summary starts with for `preset` (see
/// [`default_selection`] for why those).
fn choose_defaults(ctx: &Rc<Ctx>, preset: PeriodPreset) {
    let chosen = default_selection(ctx.store.borrow().data(), preset.period(today()));
    let mut s = ctx.data_ui.borrow_mut();
    s.preset = preset;
    s.picking = true;
    s.concerns = chosen.concerns.into_iter().collect();
    s.check_ins = chosen.check_ins.into_iter().collect();
}

/// The rows of the period (newest first under each heading), their ticks
/// and the counts; changed rows are updated in place.
fn refresh_rows(ctx: &Rc<Ctx>, ui: &AppWindow) {
    let a = ui.global::<DataAdapter>();
    let store = ctx.store.borrow();
    let data = store.data();
    let mut s = ctx.data_ui.borrow_mut();
    let period = s.preset.period(today());
    let mut rows = Vec::new();
    let mut shown = Vec::new();
    let heading = |is_concern| PickRow {
        is_heading: true,
        is_concern,
        ..Default::default()
    };
    let concerns: Vec<_> = data
        .concerns
        .iter()
        .rev()
        .filter(|r| period.contains(concern_day(r)))
        .collect();
    let check_ins: Vec<_> = data
        .check_ins
        .iter()
        .rev()
        .filter(|r| period.contains(check_in_day(r)))
        .collect();
    let (mut chosen_c, mut chosen_k) = (0, 0);
    if !concerns.is_empty() {
        rows.push(heading(true));
        shown.push(String::new());
    }
    let mut concerns = concerns;
    concerns.sort_by_key(|r| std::cmp::Reverse(r.created));
    for r in &concerns {
        let day = concern_day(r);
        let selected = s.concerns.contains(&r.id);
        chosen_c += usize::from(selected);
        rows.push(PickRow {
            id: r.id.as_str().into(),
            is_heading: false,
            is_concern: true,
            title: crate::core::prepare::title(&ctx.prepare, &r.body, 60).into(),
            day: day.day() as i32,
            month: day.month() as i32,
            year: day.year(),
            mood: 0,
            selected,
        });
        shown.push(r.id.clone());
    }
    if !check_ins.is_empty() {
        rows.push(heading(false));
        shown.push(String::new());
    }
    for r in &check_ins {
        let day = check_in_day(r);
        let selected = s.check_ins.contains(&r.id);
        chosen_k += usize::from(selected);
        rows.push(PickRow {
            id: r.id.as_str().into(),
            is_heading: false,
            is_concern: false,
            title: Default::default(),
            day: day.day() as i32,
            month: day.month() as i32,
            year: day.year(),
            mood: i32::from(r.body.mood),
            selected,
        });
        shown.push(r.id.clone());
    }
    s.shown = shown;
    let count = |n: usize| n.min(i32::MAX as usize) as i32;
    a.set_period(choice_of(s.preset));
    a.set_concerns_in_period(count(concerns.len()));
    a.set_check_ins_in_period(count(check_ins.len()));
    a.set_chosen_concerns(count(chosen_c));
    a.set_chosen_check_ins(count(chosen_k));
    drop(s);
    super::prepare::sync(|| a.get_rows(), |m| a.set_rows(m), rows);
}

/// The exact Markdown that "Save" will write, from what is ticked in the
/// period (nothing else).
fn show_preview(ctx: &Rc<Ctx>, ui: &AppWindow) {
    let a = ui.global::<DataAdapter>();
    let text = {
        let s = ctx.data_ui.borrow();
        let period = s.preset.period(today());
        let selection = Selection {
            period,
            concerns: s.concerns.iter().cloned().collect(),
            check_ins: s.check_ins.iter().cloned().collect(),
            private: Vec::new(),
        };
        therapist_summary(
            ctx.store.borrow().data(),
            &selection,
            &ExportText::builtin(),
            &ctx.prepare,
            today(),
        )
    };
    a.set_preview(text.as_str().into());
    ctx.data_ui.borrow_mut().preview = text;
    a.set_save_message(SaveMessage::None);
    ctx.data_ui.borrow_mut().confirmed = None;
    a.set_view(DataView::Preview);
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

fn load_problem(e: CommandError) -> Problem {
    match e {
        CommandError::Io { source, .. } if source.kind() == std::io::ErrorKind::NotFound => {
            Problem::NotFound
        }
        CommandError::Backup { error, .. } => bad(error),
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

fn check_file(ctx: &Rc<Ctx>, ui: &AppWindow) {
    if busy(ctx) {
        return;
    }
    let a = ui.global::<DataAdapter>();
    let path = typed_path(&a.get_import_path());
    {
        let mut s = ctx.data_ui.borrow_mut();
        s.incoming = None;
        s.sealed = None;
    }
    a.set_detail(Default::default());
    if path.as_os_str().is_empty() || path.is_dir() {
        a.set_import_message(ImportMessage::NotFound);
        return;
    }
    a.set_import_message(ImportMessage::Checking);
    let current = ctx.store.borrow().snapshot();
    let store_key = ctx.store.borrow().seal_key().cloned();
    spawn(ctx, move || {
        let result = commands::read_backup_file(&path)
            .map_err(load_problem)
            .and_then(|bytes| match inspect_backup(&bytes) {
                Err(e) => Err(bad(e)),
                Ok(BackupLock::Open) => plan(&current, &bytes, None),
                Ok(BackupLock::Sealed(wrap)) => match own_key(store_key.as_ref(), &wrap) {
                    Some(key) => plan(&current, &bytes, Some(&key)),
                    None => Ok(Checked::NeedsPasscode(Arc::new(bytes), Box::new(wrap))),
                },
            });
        Job::Checked(result)
    });
}

fn open_sealed(ctx: &Rc<Ctx>, ui: &AppWindow, text: &str) {
    if busy(ctx) {
        return;
    }
    let Some((bytes, wrap)) = ctx.data_ui.borrow().sealed.clone() else {
        return;
    };
    let a = ui.global::<DataAdapter>();
    a.set_import_message(ImportMessage::Checking);
    let passcode = Passcode::new(text);
    let current = ctx.store.borrow().snapshot();
    spawn(ctx, move || {
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
/// backup takes a moment); [`poll`] swaps the result in.
fn import(ctx: &Rc<Ctx>, ui: &AppWindow) {
    let a = ui.global::<DataAdapter>();
    if busy(ctx) {
        return;
    }
    if ctx.store.borrow().is_read_only() {
        a.set_import_message(ImportMessage::ReadOnly);
        return;
    }
    let Some(incoming) = ctx.data_ui.borrow().incoming.clone() else {
        return;
    };
    a.set_import_message(ImportMessage::Importing);
    let base = ctx.store.borrow().snapshot();
    spawn(ctx, move || {
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
fn swap_in(ctx: &Rc<Ctx>, ui: &AppWindow, m: Merged) {
    let a = ui.global::<DataAdapter>();
    let Merged {
        base,
        merged,
        summary,
    } = m;
    if !Arc::ptr_eq(&base, &ctx.store.borrow().snapshot()) {
        // The data changed while the worker merged: merge again.
        drop(base);
        import(ctx, ui);
        return;
    }
    // Let go of the worker's handle, so the update does not copy the data.
    drop(base);
    let old = ctx
        .store
        .borrow_mut()
        .update_soon(|d| std::mem::replace(d, *merged));
    // Freeing tens of thousands of records takes a moment: not here.
    std::thread::spawn(move || drop(old));
    ctx.data_ui.borrow_mut().incoming = None;
    show_summary(&a, &summary);
    a.set_import_message(if summary.is_empty() {
        ImportMessage::NothingNew
    } else {
        ImportMessage::Imported
    });
    // The therapist choice lists records that may have just arrived.
    ctx.data_ui.borrow_mut().picking = false;
    let mut touched =
        Dirty::HOME | Dirty::LEARN | Dirty::PREPARE | Dirty::CHECKIN | Dirty::INSIGHTS;
    if summary.took_settings {
        touched = touched | Dirty::SETTINGS | Dirty::SHELL;
    }
    ctx.refresh(touched);
}

/// Picks up a finished worker job, if any.
pub(crate) fn poll(ctx: &Rc<Ctx>) {
    let job = {
        let s = ctx.data_ui.borrow();
        match &s.job {
            Some(rx) => match rx.try_recv() {
                Ok(job) => Some(job),
                Err(mpsc::TryRecvError::Empty) => return,
                Err(mpsc::TryRecvError::Disconnected) => None,
            },
            None => return,
        }
    };
    ctx.data_ui.borrow_mut().job = None;
    let Some(ui) = ctx.window.upgrade() else {
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
            a.set_detail(e.to_string().into());
            a.set_save_message(SaveMessage::Failed);
        }
        Some(Job::Checked(Ok(Checked::Ready(incoming, summary)))) => {
            show_summary(&a, &summary);
            if ctx.store.borrow().is_read_only() {
                a.set_import_message(ImportMessage::ReadOnly);
            } else if summary.is_empty() {
                a.set_import_message(ImportMessage::NothingNew);
            } else {
                ctx.data_ui.borrow_mut().incoming = Some(incoming);
                a.set_import_message(ImportMessage::Ready);
            }
        }
        Some(Job::Merged(Ok(m))) => swap_in(ctx, &ui, m),
        Some(Job::Merged(Err(problem))) => {
            if let Problem::Failed(detail) = problem {
                a.set_detail(detail.into());
            }
            a.set_import_message(ImportMessage::Failed);
        }
        Some(Job::Checked(Ok(Checked::NeedsPasscode(bytes, wrap)))) => {
            ctx.data_ui.borrow_mut().sealed = Some((bytes, wrap));
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

/// Forgets everything the flow holds (a checked backup, the preview, the
/// choice) and goes back to Settings: on lock, nothing personal stays.
pub(crate) fn reset(ctx: &Rc<Ctx>) {
    *ctx.data_ui.borrow_mut() = DataUi::default();
    if let Some(ui) = ctx.window.upgrade() {
        let a = ui.global::<DataAdapter>();
        a.set_view(DataView::None);
        a.set_preview(Default::default());
        a.set_rows(Default::default());
        a.set_busy(false);
        a.set_save_message(SaveMessage::None);
        a.set_import_message(ImportMessage::None);
    }
}

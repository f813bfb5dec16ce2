//! Adapter tests on a headless window: each page's own state and models,
//! and how a change reaches (only) the pages that show it.

use std::rc::Rc;

use slint::{ComponentHandle, Model};

use super::App;
use crate::core::model::{CheckIn, Data, Region};
use crate::core::store::{KdfParams, Passcode, Store};
use crate::ui::{
    CheckInAdapter, CheckInView, DataAdapter, HomeAdapter, InsightsAdapter, LearnAdapter,
    LockAdapter, LockMessage, Nav, Page, PrepareAdapter, PrepareView, SaveMessage, SettingsAdapter,
    UrgentHelp,
};

fn app_with(data: Data) -> (tempfile::TempDir, App) {
    app_at(data, None)
}

/// An app on `data` whose clock is fixed at `now` (`None`: the clock).
fn app_at(data: Data, now: Option<chrono::DateTime<chrono::Utc>>) -> (tempfile::TempDir, App) {
    i_slint_backend_testing::init_no_event_loop();
    let tmp = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open(&tmp.path().join("data")).expect("store");
    store.update(|d| *d = data).expect("saved");
    let app = App::with_store_at(store, &["en-GB"], now).expect("app");
    (tmp, app)
}

/// Picks up worker results until `done` holds (headless tests have no
/// event loop), for at most 20 s.
fn wait_until(app: &App, what: &str, done: impl Fn(&App) -> bool) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !done(app) {
        assert!(std::time::Instant::now() < deadline, "waited for {what}");
        std::thread::sleep(std::time::Duration::from_millis(5));
        app.pick_up_finished_work();
    }
}

fn check_ins(n: usize) -> Data {
    let mut data = Data::default();
    let start = chrono::NaiveDate::from_ymd_opt(2024, 1, 1)
        .unwrap()
        .and_hms_opt(20, 0, 0)
        .unwrap();
    for i in 0..n {
        let c = CheckIn {
            when: start + chrono::Duration::days(i as i64),
            mood: 5,
            ..CheckIn::default()
        };
        crate::core::checkin::add(
            &mut data,
            c,
            start + chrono::Duration::days(3650),
            chrono::Utc::now(),
        )
        .expect("added");
    }
    data
}

#[test]
fn a_saved_check_in_is_one_new_row_and_builds_no_other() {
    let (_tmp, app) = app_with(check_ins(400));
    let a = app.window.global::<CheckInAdapter>();
    let history = a.get_history();
    let before = history.row_count();
    let page = app.checkin.clone();
    page.history.built.set(0);
    a.set_mood(7.0);
    a.set_has_mood(true);
    a.invoke_save();
    // Its month's heading is new (the check-in is today), and so is the row.
    assert_eq!(history.row_count(), before + 2);
    assert_eq!(page.history.built.get(), 0, "nothing is built until shown");
    let top = history.row_data(1).expect("the new check-in");
    assert_eq!(top.mood, 7);
    // The model shown is the same one: it was updated, not replaced.
    assert_eq!(a.get_history().row_count(), before + 2);
}

#[test]
fn typing_in_a_draft_refreshes_no_other_page() {
    let (_tmp, app) = app_with(check_ins(30));
    let p = app.window.global::<PrepareAdapter>();
    p.invoke_start();
    assert_eq!(p.get_view(), PrepareView::Builder);
    let history = app.window.global::<CheckInAdapter>().get_history();
    let count = history.row_count();
    app.checkin.history.built.set(0);
    p.invoke_set_text(
        crate::ui::ConcernField::WhatHappened,
        "They were late.".into(),
    );
    assert_eq!(app.checkin.history.built.get(), 0);
    assert_eq!(history.row_count(), count);
}

#[test]
fn home_reads_prepares_agenda_and_learn_is_opened_through_its_own_callback() {
    let (_tmp, app) = app_with(Data::default());
    let p = app.window.global::<PrepareAdapter>();
    assert_eq!(p.get_agenda().row_count(), 0);
    p.invoke_start();
    p.set_what_happened("They ran over time.".into());
    p.invoke_set_text(
        crate::ui::ConcernField::WhatHappened,
        "They ran over time.".into(),
    );
    p.invoke_go_to(7);
    p.invoke_save();
    assert_eq!(p.get_view(), PrepareView::Overview);
    // Home's card shows `PrepareAdapter.agenda` itself.
    assert_eq!(p.get_agenda().row_count(), 1);

    app.window
        .global::<HomeAdapter>()
        .invoke_continue_learning();
    assert_eq!(app.window.global::<Nav>().get_current(), Page::Learn);
    assert_eq!(
        app.window.global::<LearnAdapter>().get_view(),
        crate::ui::LearnView::Card
    );
}

#[test]
fn a_deleted_check_in_comes_back_with_undo() {
    let (_tmp, app) = app_with(check_ins(3));
    let a = app.window.global::<CheckInAdapter>();
    let history = a.get_history();
    let id = history.row_data(1).expect("an entry").id;
    a.invoke_open(id.clone());
    assert_eq!(a.get_view(), CheckInView::Entry);
    a.invoke_delete();
    assert!(a.get_can_undo());
    assert_eq!(app.with_data(|d| d.check_ins.len()), 2);
    a.invoke_undo();
    assert_eq!(app.with_data(|d| d.check_ins.len()), 3);
    assert!(!a.get_can_undo());
    assert_eq!(history.row_data(1).expect("back").id, id);
}

#[test]
fn the_worker_hands_each_result_back_once() {
    let (_tmp, app) = app_with(Data::default());
    let got = Rc::new(std::cell::RefCell::new(Vec::new()));
    let into = got.clone();
    app.shared
        .worker
        .run(|| 6 * 7, move |r| into.borrow_mut().push(r));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while got.borrow().is_empty() {
        assert!(std::time::Instant::now() < deadline, "the job finished");
        std::thread::sleep(std::time::Duration::from_millis(5));
        app.pick_up_finished_work();
    }
    app.pick_up_finished_work();
    assert_eq!(*got.borrow(), [Some(42)]);
    assert!(!app.shared.worker.is_busy());
}

#[test]
fn learn_bookmarks_are_one_saved_model_updated_by_row() {
    let (_tmp, app) = app_with(Data::default());
    let a = app.window.global::<LearnAdapter>();
    let saved = a.get_saved();
    assert_eq!(saved.row_count(), 0);
    let deck = app.shared.library.decks[0].id.clone();
    a.invoke_open_deck(deck.as_str().into());
    assert_eq!(a.get_view(), crate::ui::LearnView::Card);
    a.invoke_toggle_bookmark();
    assert_eq!(
        saved.row_count(),
        1,
        "the model shown is updated, not replaced"
    );
    assert_eq!(app.with_data(|d| d.learn.bookmarks.len()), 1);
    a.invoke_toggle_bookmark();
    assert_eq!(saved.row_count(), 0);
    // The deck list says how far the user got, in the same model.
    let decks = a.get_decks();
    assert_eq!(decks.row_count(), app.shared.library.decks.len());
    assert_eq!(decks.row_data(0).expect("the first deck").seen, 1);
}

#[test]
fn settings_choices_are_stored_and_reach_the_help_sheet() {
    let (_tmp, app) = app_with(Data::default());
    let s = app.window.global::<SettingsAdapter>();
    let regions = s.get_regions();
    let help_lines = app.window.global::<UrgentHelp>().get_lines();
    s.invoke_set_region("ie".into());
    assert_eq!(app.with_data(|d| d.settings.region), Some(Region::Ie));
    let chosen: Vec<_> = regions
        .iter()
        .filter(|r| r.selected)
        .map(|r| r.id.to_string())
        .collect();
    assert_eq!(chosen, ["ie"], "one row selected, in the same model");
    let help = app.window.global::<UrgentHelp>();
    assert_eq!(
        help.get_region_name().as_str(),
        app.shared.help.region(Region::Ie).name
    );
    assert_eq!(
        help_lines.row_count(),
        app.shared.help.region(Region::Ie).lines.len(),
        "the help sheet's lines model is updated in place"
    );
    // Only the sizes offered are taken.
    s.invoke_set_text_scale(160);
    assert_eq!(app.with_data(|d| d.settings.text_scale), 160);
    s.invoke_set_text_scale(150);
    assert_eq!(app.with_data(|d| d.settings.text_scale), 160);
    assert_eq!(s.get_text_scale(), 160);
}

#[test]
fn insights_follow_a_saved_check_in() {
    let (_tmp, app) = app_with(check_ins(12));
    let i = app.window.global::<InsightsAdapter>();
    assert_eq!(i.get_total(), 12);
    let charts = i.get_charts();
    assert!(charts.row_count() > 0);
    let c = app.window.global::<CheckInAdapter>();
    c.set_mood(9.0);
    c.set_has_mood(true);
    c.invoke_save();
    assert_eq!(i.get_total(), 13);
    assert_eq!(i.get_charts().row_count(), charts.row_count());
}

#[test]
fn an_export_is_checked_before_the_worker_writes_it() {
    let (tmp, app) = app_with(check_ins(2));
    let a = app.window.global::<DataAdapter>();
    a.invoke_open_export();
    a.invoke_set_kind(crate::ui::ExportKind::CheckIns);
    // Not into the data folder, which holds only the store.
    let inside = tmp.path().join("data").join("mine.csv");
    a.set_path(inside.display().to_string().into());
    a.invoke_save();
    assert_eq!(a.get_save_message(), SaveMessage::InDataFolder);
    assert!(!inside.exists());
    let out = tmp.path().join("mine.csv");
    a.set_path(out.display().to_string().into());
    a.invoke_save();
    assert_eq!(a.get_save_message(), SaveMessage::Saving);
    wait_until(&app, "the export", |app| {
        app.window.global::<DataAdapter>().get_save_message() == SaveMessage::Saved
    });
    let csv = std::fs::read_to_string(&out).expect("written");
    assert_eq!(csv.lines().count(), 3, "a header and two check-ins");
    // A second save to the same file asks first.
    a.invoke_save();
    assert_eq!(a.get_save_message(), SaveMessage::Exists);
}

#[test]
fn locking_forgets_every_page_and_the_right_passcode_brings_it_back() {
    i_slint_backend_testing::init_no_event_loop();
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("data");
    let mut store = Store::open(&dir).expect("store");
    store.update(|d| *d = check_ins(5)).expect("saved");
    store
        .turn_on_passcode_with(
            &Passcode::new("right passcode"),
            KdfParams::weak_for_tests(),
        )
        .expect("on");
    let app = App::with_store_in_locale(store, &["en-GB"]).expect("app");
    let history = app.window.global::<CheckInAdapter>().get_history();
    assert!(history.row_count() > 0);
    app.lock_now();
    assert!(app.is_locked());
    let lock = app.window.global::<LockAdapter>();
    assert!(lock.get_locked());
    assert_eq!(history.row_count(), 0, "nothing personal while locked");
    assert_eq!(app.window.global::<InsightsAdapter>().get_total(), 0);
    lock.invoke_unlock("".into());
    assert_eq!(lock.get_message(), LockMessage::Empty);
    lock.invoke_unlock("wrong passcode".into());
    wait_until(&app, "the refusal", |app| {
        app.window.global::<LockAdapter>().get_message() == LockMessage::Wrong
    });
    assert!(app.is_locked());
    lock.invoke_unlock("right passcode".into());
    wait_until(&app, "the unlock", |app| !app.is_locked());
    assert!(!lock.get_locked());
    assert_eq!(app.window.global::<InsightsAdapter>().get_total(), 5);
    assert!(
        history.row_count() > 0,
        "the same model shows the data again"
    );
}

#[test]
fn a_new_day_reaches_home_and_session_times_without_a_tap() {
    use crate::core::sessions::{instant, Repeat, Schedule};
    use crate::ui::RhythmAdapter;
    use chrono::{Duration, Local, NaiveDate};
    // Late on Monday 6 April 2026, on a break to Thursday 9 April.
    let monday = NaiveDate::from_ymd_opt(2026, 4, 6).unwrap();
    let mut data = Data::default();
    let mut schedule = Schedule::repeating(
        Repeat::Weekly,
        monday.and_hms_opt(17, 0, 0).unwrap() - Duration::weeks(4),
        50,
        "uid".into(),
    );
    schedule.pause(monday, Some(monday + Duration::days(3)));
    data.sessions.schedule = Some(schedule);
    let evening = instant(&Local, monday.and_hms_opt(23, 59, 0).unwrap());
    let (_tmp, app) = app_at(data, Some(evening));
    let rhythm = app.window.global::<RhythmAdapter>();
    let home = app.window.global::<HomeAdapter>();
    assert!(rhythm.get_paused());
    assert_eq!(rhythm.get_paused_until().in_days, 3);
    assert_eq!(home.get_today().day, 6);

    // Midnight passes with nobody touching the app.
    app.shared
        .fixed_now
        .set(Some(evening + Duration::minutes(2)));
    i_slint_backend_testing::mock_elapsed_time(std::time::Duration::from_secs(62));
    assert_eq!(rhythm.get_paused_until().in_days, 2, "Session times");
    assert_eq!(home.get_today().day, 7, "Home's date");
}

/// A weekly session on Tuesdays at 17:00, seen at noon on Wednesday
/// 8 April 2026 (the next one is six days ahead).
fn tuesdays_seen_on_a_wednesday() -> (tempfile::TempDir, App) {
    use crate::core::sessions::{instant, Repeat, Schedule};
    let tuesday = chrono::NaiveDate::from_ymd_opt(2026, 3, 31).unwrap();
    let mut data = Data::default();
    data.sessions.schedule = Some(Schedule::repeating(
        Repeat::Weekly,
        tuesday.and_hms_opt(17, 0, 0).unwrap(),
        50,
        "uid".into(),
    ));
    let noon = instant(
        &chrono::Local,
        chrono::NaiveDate::from_ymd_opt(2026, 4, 8)
            .unwrap()
            .and_hms_opt(12, 0, 0)
            .unwrap(),
    );
    app_at(data, Some(noon))
}

#[test]
fn session_times_open_one_set_of_choices_at_a_time_and_keep_a_refused_day() {
    use crate::ui::{DayRefusal, DayStep, RhythmAdapter, SessionsDay, SessionsNote};
    let (_tmp, app) = tuesdays_seen_on_a_wednesday();
    let r = app.window.global::<RhythmAdapter>();
    r.invoke_open_page(false);
    assert!(r.get_open());
    assert!(r.get_has_next());
    assert_eq!(r.get_next_in_days(), 6);

    // "Move it" starts from the next session's own day and time.
    r.invoke_toggle_move();
    assert!(r.get_moving());
    assert_eq!(r.get_move_day().in_days, 6);
    assert_eq!(r.get_move_time(), "17:00");
    // "Pause for a break" closes it and opens its own, two weeks ahead.
    r.invoke_toggle_pause();
    assert!(r.get_pausing());
    assert!(!r.get_moving());
    assert_eq!(r.get_break_day().in_days, 14);

    // Three weeks back would be before today: refused, the day kept.
    r.invoke_step_day(SessionsDay::BreakEnd, DayStep::PreviousWeek);
    r.invoke_step_day(SessionsDay::BreakEnd, DayStep::PreviousWeek);
    assert_eq!(r.get_break_day().in_days, 0);
    r.invoke_step_day(SessionsDay::BreakEnd, DayStep::PreviousWeek);
    assert_eq!(r.get_break_day().in_days, 0);
    assert_eq!(r.get_break_day().refused, DayRefusal::BeforeToday);
    // The next step that can be taken clears the refusal.
    r.invoke_step_day(SessionsDay::BreakEnd, DayStep::NextDay);
    assert_eq!(r.get_break_day().in_days, 1);
    assert_eq!(r.get_break_day().refused, DayRefusal::None);

    // A break to that day: paused, with its end, and said so.
    r.set_break_end(crate::ui::BreakEnd::OnADay);
    r.invoke_pause();
    assert!(!r.get_pausing());
    assert!(r.get_paused());
    assert!(r.get_paused_has_end());
    assert_eq!(r.get_paused_until().in_days, 1);
    assert_eq!(r.get_note(), SessionsNote::PausedUntil);
}

#[test]
fn a_dismissed_banner_is_a_row_removed_and_stays_away_after_other_changes() {
    use crate::core::model::ThemeChoice;
    use crate::core::store::PRIMARY;
    use crate::ui::Status;
    i_slint_backend_testing::init_no_event_loop();
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("data");
    {
        // Each its own durable save, so that backups exist.
        let mut store = Store::open(&dir).expect("store");
        for theme in [ThemeChoice::Dark, ThemeChoice::Light, ThemeChoice::Dark] {
            store.update(|d| d.settings.theme = theme).expect("saved");
        }
    }
    std::fs::write(dir.join(PRIMARY), b"not a Common Ground store").expect("written");
    let store = Store::open(&dir).expect("recovered from a backup");
    let app = App::with_store_in_locale(store, &["en-GB"]).expect("app");
    let status = app.window.global::<Status>();
    let banners = status.get_banners();
    assert_eq!(banners.row_count(), 1, "the recovery is told once");

    status.invoke_dismiss(0);
    assert_eq!(banners.row_count(), 0);
    // Another change refreshes the shell: the banner stays away, and the
    // model shown is still the same one.
    app.window
        .global::<SettingsAdapter>()
        .invoke_set_theme(crate::ui::ThemeChoice::Light);
    assert!(status.get_banners() == banners);
    assert_eq!(banners.row_count(), 0);
}

#[test]
fn a_backup_made_by_the_worker_reaches_the_panel_and_the_restore_list_by_row() {
    use crate::ui::BackupsAdapter;
    let (tmp, app) = app_with(check_ins(3));
    let a = app.window.global::<BackupsAdapter>();
    let folder = tmp.path().join("backups");
    std::fs::create_dir(&folder).expect("folder");
    a.invoke_set_folder(folder.display().to_string().into());
    a.invoke_choose_unencrypted();
    a.invoke_back_up_now();
    wait_until(&app, "the first backup", |_| a.get_kept() == 1);
    assert!(a.get_has_last());
    assert!(a.get_last_today());
    a.invoke_open_restore();
    let list = a.get_backups();
    wait_until(&app, "the list", |_| list.row_count() == 1);

    // A change, then a second backup: the list is the same model, one row
    // longer.
    app.window.global::<CheckInAdapter>().set_mood(6.0);
    app.window.global::<CheckInAdapter>().set_has_mood(true);
    app.window.global::<CheckInAdapter>().invoke_save();
    a.invoke_close_restore();
    a.invoke_back_up_now();
    wait_until(&app, "the second backup", |_| a.get_kept() == 2);
    a.invoke_open_restore();
    wait_until(&app, "the longer list", |_| list.row_count() == 2);
    assert!(a.get_backups() == list);
    let ours = std::fs::read_dir(&folder)
        .expect("listed")
        .filter_map(|e| e.ok())
        .filter(|e| crate::core::backup::parse_name(&e.file_name().to_string_lossy()).is_some())
        .count();
    assert_eq!(ours, 2, "two backups in the folder");
}

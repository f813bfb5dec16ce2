//! Adapter tests on a headless window: each page's own state and models,
//! and how a change reaches (only) the pages that show it.

use std::rc::Rc;

use slint::{ComponentHandle, Model};

use super::App;
use crate::core::model::{CheckIn, Data};
use crate::core::store::Store;
use crate::ui::{
    CheckInAdapter, CheckInView, HomeAdapter, LearnAdapter, Nav, Page, PrepareAdapter, PrepareView,
};

fn app_with(data: Data) -> (tempfile::TempDir, App) {
    i_slint_backend_testing::init_no_event_loop();
    let tmp = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open(&tmp.path().join("data")).expect("store");
    store.update(|d| *d = data).expect("saved");
    let app = App::with_store_in_locale(store, &["en-GB"]).expect("app");
    (tmp, app)
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
        app.saves_reported();
    }
    app.saves_reported();
    assert_eq!(*got.borrow(), [Some(42)]);
    assert!(!app.shared.worker.is_busy());
}

//! Prepare at 10-year scale (3,650 check-ins, 1,000 concerns): the UI-thread
//! cost of a keystroke in a draft, of Next and Back, and of opening the
//! agenda, each against the same action on an empty store in the same run
//! (median of N, plain std timing, the real UI on the headless backend).
//!
//! Run: `cargo bench --bench prepare`

#[path = "../tests/store_common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use common_ground::bridge::App;
use common_ground::core::model::{ConcernState, Data};
use common_ground::core::store::Store;
use common_ground::ui::{ConcernField, Nav, Page, PrepareAdapter};
use i_slint_backend_testing::{TestingBackend, TestingBackendOptions};
use slint::ComponentHandle;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1e3)
}

/// A 10-year store: concerns in every state, a short agenda, a few drafts.
fn ten_years() -> Data {
    let mut data = common::heavy_data(3_650, 1_000, 2_000_000);
    let n = data.concerns.len();
    for (i, c) in data.concerns.iter_mut().enumerate() {
        c.body.state = match i % 4 {
            0 | 1 => ConcernState::Raised,
            2 => ConcernState::Settled,
            _ => ConcernState::SetAside,
        };
        if i >= n - 3 {
            c.body.state = ConcernState::Draft;
            c.body.step = 2;
        } else if i >= n - 8 {
            c.body.state = ConcernState::Ready;
            data.prepare.agenda.push(c.id.clone());
        }
    }
    data
}

struct Open {
    app: App,
    _dir: tempfile::TempDir,
}

fn open(data: Data) -> Open {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = Store::open(dir.path()).expect("store");
    store.update(|d| *d = data).expect("save");
    let app = App::with_store(store).expect("app");
    app.window.show().expect("show");
    app.window
        .window()
        .set_size(slint::LogicalSize::new(390.0, 844.0));
    let ui = &app.window;
    ui.global::<Nav>().invoke_go(Page::Prepare);
    let p = ui.global::<PrepareAdapter>();
    p.invoke_start();
    p.invoke_next();
    Open { app, _dir: dir }
}

fn main() {
    slint::platform::set_platform(Box::new(TestingBackend::new(TestingBackendOptions {
        mock_time: true,
        threading: false,
        renderer_name: Some("software".into()),
    })))
    .expect("backend");
    let empty = open(Data::default());
    let full = open(ten_years());
    const N: usize = 400;

    let mut typed = String::new();
    let mut keystroke = |o: &Open| {
        typed.push('a');
        let p = o.app.window.global::<PrepareAdapter>();
        p.set_what_happened(typed.as_str().into());
        let t = Instant::now();
        p.invoke_set_text(ConcernField::WhatHappened, typed.as_str().into());
        t.elapsed()
    };
    let next_back = |o: &Open| {
        let p = o.app.window.global::<PrepareAdapter>();
        let t = Instant::now();
        p.invoke_next();
        p.invoke_back();
        t.elapsed()
    };
    let agenda = |o: &Open| {
        let p = o.app.window.global::<PrepareAdapter>();
        let t = Instant::now();
        p.invoke_show_overview();
        let d = t.elapsed();
        p.invoke_leave();
        let id = o.app.with_data(|d| {
            d.prepare
                .open
                .clone()
                .or(d.concerns.last().map(|c| c.id.clone()))
        });
        if let Some(id) = id {
            p.invoke_continue_draft(id.into());
        }
        d
    };

    println!(
        "Prepare, UI-thread time per action (median of {N}), 10-year store against an empty store:"
    );
    type Action<'a> = Box<dyn FnMut(&Open) -> Duration + 'a>;
    let actions: Vec<(&str, Action)> = vec![
        ("keystroke in a draft", Box::new(&mut keystroke)),
        ("Next then Back", Box::new(next_back)),
        ("open the agenda (overview)", Box::new(agenda)),
    ];
    for (name, mut act) in actions {
        let (mut a, mut b) = (Vec::new(), Vec::new());
        for _ in 0..N {
            a.push(act(&empty));
            b.push(act(&full));
        }
        let (a, b) = (median(a), median(b));
        println!(
            "  {name:<30} empty {:>10}   10-year {:>10}   {:.2}x",
            ms(a),
            ms(b),
            b.as_secs_f64() / a.as_secs_f64().max(1e-9)
        );
    }
    empty.app.flush();
    full.app.flush();
}

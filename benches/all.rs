//! One command for every figure the project holds itself to, each as a
//! ratio to its baseline measured in the same run:
//!
//!     cargo bench --bench all
//!
//! prints a table and writes `BENCHMARKS.md` (method, machine, figures).
//! The data set is ten years of heavy use (3,650 check-ins, 1,000 concerns)
//! from the `sample-data` generator (`core::sample`, seed 8, one check-in a
//! day and about two concerns a week: far more than anyone will write).
//!
//! * Start-up: wall time from spawning a process to its exit right after
//!   its first frame, the app (opening the 10-year store) against a bare
//!   Slint window, both in this same binary on the headless software
//!   renderer. The exit hook is honest: the child renders the whole
//!   window into a pixel buffer (`take_snapshot`) and checks that the
//!   frame is not blank before it exits.
//! * Peak memory: the peak resident set (`VmHWM`) of a child that also
//!   waits for the 10-year store to open (on its worker thread) and draws
//!   the frame that shows it, against the bare window's child.
//! * Binary size: the release `common-ground` against the release
//!   `examples/bare_window.rs` (same profile, Slint and features), as
//!   built and stripped.
//! * Render: one full software render of each page at 390x844 with the
//!   10-year data, against the bare window's frame.
//! * Check in: the UI-thread work of saving a check-in and seeing
//!   it at the top of the history (save, history shown, one frame drawn),
//!   and one frame of Insights, each against the same with an empty store.
//! * Store: load and save of the 10-year store against plain `serde_json`
//!   and a plain write + fsync of the same bytes.
//! * Import: a backup of 40,000 check-ins into a store of 40,000 (dry run,
//!   and applied with its save) against a plain parse of the same file.
//! * Backup: a backup of the 10-year store to a folder against the store's
//!   own durable save of the same data (`benches/figures/backup.rs`; alone:
//!   `cargo bench --no-default-features --bench backup`).

#[path = "../tests/store_common/mod.rs"]
mod common;
#[path = "figures/backup.rs"]
mod figure;

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use common_ground::bridge::App;
use common_ground::core::sample::{generate, Spec};
use common_ground::core::store::Store;
use common_ground::ui::{CheckInAdapter, CheckInView, LearnAdapter, Nav, Page, PrepareAdapter};
use i_slint_backend_testing::{TestingBackend, TestingBackendOptions};
use slint::ComponentHandle;

slint::slint! {
    export component Bare inherits Window {
        width: 390px;
        height: 844px;
        Text { text: "Hello"; }
    }
}

const W: f32 = 390.0;
const H: f32 = 844.0;

fn init_backend() {
    slint::platform::set_platform(Box::new(TestingBackend::new(TestingBackendOptions {
        mock_time: true,
        threading: false,
        renderer_name: Some("software".into()),
    })))
    .expect("backend");
}

/// Renders the whole window and proves it drew something: a frame that is
/// one colour all over was not really drawn.
fn draw_frame(window: &slint::Window) -> usize {
    window.set_size(slint::LogicalSize::new(W, H));
    let frame = window.take_snapshot().expect("snapshot");
    let px = frame.as_slice();
    let first = px[0];
    let differing = px.iter().filter(|p| **p != first).count();
    assert!(differing > 100, "the frame was drawn");
    differing
}

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

/// The child process: start, draw one frame, report peak memory, exit.
fn child(which: &str, dir: &Path) {
    init_backend();
    match which {
        "bare" => {
            let bare = Bare::new().expect("bare");
            bare.show().expect("show");
            draw_frame(bare.window());
        }
        "app-loaded" => {
            // The app with its data in memory: the store opens on a worker
            // thread behind the first frame (the pages show a placeholder
            // until then); wait for it, then draw the frame that shows it.
            let app = App::start(dir).expect("app");
            app.window.show().expect("show");
            draw_frame(app.window.window());
            let deadline = Instant::now() + Duration::from_secs(30);
            while app.is_locked() {
                assert!(Instant::now() < deadline, "the store opened");
                std::thread::sleep(Duration::from_millis(1));
                app.pick_up_finished_work();
            }
            draw_frame(app.window.window());
            println!("{}", peak_rss_kib());
            std::io::stdout().flush().ok();
            std::process::exit(0);
        }
        _ => {
            let app = App::start(dir).expect("app");
            app.window.show().expect("show");
            draw_frame(app.window.window());
            // Exit at once, as the hook would: the frame is on screen.
            println!("{}", peak_rss_kib());
            std::io::stdout().flush().ok();
            std::process::exit(0);
        }
    }
    println!("{}", peak_rss_kib());
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// Spawns the child `which` and times it from spawn to exit.
fn spawn(which: &str, dir: &Path) -> (Duration, u64) {
    let t = Instant::now();
    let out = Command::new(std::env::current_exe().expect("exe"))
        .env("CG_BENCH_CHILD", which)
        .env("CG_BENCH_DIR", dir)
        .output()
        .expect("child runs");
    let elapsed = t.elapsed();
    assert!(out.status.success(), "{which}: {out:?}");
    let rss = String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .unwrap_or(0);
    (elapsed, rss)
}

/// Times `f` `n` times after one warm-up; the median.
fn time(n: usize, mut f: impl FnMut()) -> Duration {
    f();
    median(
        (0..n)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed()
            })
            .collect(),
    )
}

struct Row {
    figure: String,
    value: String,
    baseline: String,
    ratio: f64,
    goal: String,
    met: Option<bool>,
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

fn mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

fn mb(bytes: u64) -> String {
    format!("{:.2} MB", bytes as f64 / 1e6)
}

fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 {
        a / b
    } else {
        f64::NAN
    }
}

/// Builds the bare window example with the release profile (the bench
/// profile inherits it) and returns its path.
fn bare_binary(app_binary: &Path) -> Option<PathBuf> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .args(["build", "--release", "--quiet", "--example", "bare_window"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status()
        .ok()?;
    if !status.success() {
        return None;
    }
    // target/release/common-ground -> target/release/examples/bare_window
    let path = app_binary.parent()?.join("examples").join("bare_window");
    path.exists().then_some(path)
}

/// Brings the app and the bare window built with the `phone` profile up to
/// date and returns their paths; only if they were built before (`cargo
/// build --profile phone --bin common-ground --example bare_window`): a
/// cold build with fat LTO takes far longer than this bench.
fn phone_binaries(app_binary: &Path) -> Option<(PathBuf, PathBuf)> {
    // target/release/common-ground -> target/phone/...
    let dir = app_binary.parent()?.parent()?.join("phone");
    let app = dir.join("common-ground");
    let bare = dir.join("examples").join("bare_window");
    if !(app.exists() && bare.exists()) {
        return None;
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .args(["build", "--profile", "phone", "--quiet"])
        .args(["--bin", "common-ground", "--example", "bare_window"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status()
        .ok()?;
    status.success().then_some((app, bare))
}

/// The size of the app against the bare window built the same way; as
/// built and, when `strip_into` is given, stripped.
fn size_rows(
    rows: &mut Vec<Row>,
    profile: &str,
    app: &Path,
    bare: &Path,
    strip_into: Option<&Path>,
) {
    let size = |p: &Path| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0);
    let mut row = |what: String, a: u64, b: u64| {
        let r = ratio(a as f64, b as f64);
        rows.push(Row {
            figure: what,
            value: mb(a),
            baseline: format!("{} bare window", mb(b)),
            ratio: r,
            goal: "within 1.5x".into(),
            met: Some(r <= 1.5),
        });
    };
    row(
        format!("binary size, {profile} profile"),
        size(app),
        size(bare),
    );
    if let Some(tmp) = strip_into {
        if let (Some(sa), Some(sb)) = (stripped_size(app, tmp), stripped_size(bare, tmp)) {
            row(format!("binary size, {profile} profile, stripped"), sa, sb);
        }
    }
}

fn stripped_size(path: &Path, tmp: &Path) -> Option<u64> {
    let out = tmp.join(format!("{}-stripped", path.file_name()?.to_string_lossy()));
    let ok = Command::new("strip")
        .arg("-o")
        .arg(&out)
        .arg(path)
        .status()
        .ok()?
        .success();
    ok.then(|| std::fs::metadata(&out).ok().map(|m| m.len()))
        .flatten()
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|s| s.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let load = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(str::to_string))
        .unwrap_or_default();
    format!(
        "{cpu}, {cores} logical cores, load average {load} at the start, {} {}",
        std::env::consts::OS,
        std::env::consts::ARCH
    )
}

fn main() {
    if let Ok(which) = std::env::var("CG_BENCH_CHILD") {
        let dir = PathBuf::from(std::env::var_os("CG_BENCH_DIR").expect("dir"));
        child(&which, &dir);
        return;
    }
    let quick = std::env::args().any(|a| a == "--quick");
    let runs = if quick { 3 } else { 15 };
    let machine = machine();
    let mut rows: Vec<Row> = Vec::new();

    // ------------------------------------------------------- the data set
    let tmp = tempfile::tempdir().expect("tmp");
    let end = chrono::NaiveDate::from_ymd_opt(2026, 11, 20).expect("date");
    let data = generate(Spec::heavy(10, end));
    assert_eq!((data.check_ins.len(), data.concerns.len()), (3_650, 1_000));
    let ten_years = tmp.path().join("ten-years");
    {
        let mut store = Store::open(&ten_years).expect("store");
        let d = data.clone();
        store.update(move |x| *x = d).expect("save");
    }
    let store_bytes = std::fs::metadata(ten_years.join("store.json"))
        .map(|m| m.len())
        .unwrap_or(0);
    let empty = tmp.path().join("empty");
    {
        Store::open(&empty).expect("store");
    }
    eprintln!("10-year store: {} written", mb(store_bytes));

    // ------------------------------------------ start-up and peak memory
    let (mut t_bare, mut t_app, mut t_empty) = (Vec::new(), Vec::new(), Vec::new());
    let (mut m_bare, mut m_app, mut m_empty) = (0, 0, 0);
    spawn("bare", &empty);
    spawn("app", &ten_years);
    for _ in 0..runs {
        let (t, m) = spawn("bare", &empty);
        t_bare.push(t);
        m_bare = m_bare.max(m);
        let (t, _) = spawn("app", &ten_years);
        t_app.push(t);
        let (_, m) = spawn("app-loaded", &ten_years);
        m_app = m_app.max(m);
        let (_, m) = spawn("app-loaded", &empty);
        m_empty = m_empty.max(m);
        let (t, _) = spawn("app", &empty);
        t_empty.push(t);
    }
    let (bare, app, app_empty) = (median(t_bare), median(t_app), median(t_empty));
    let start_ratio = ratio(app.as_secs_f64(), bare.as_secs_f64());
    rows.push(Row {
        figure: "process start to first frame, 10-year store".into(),
        value: ms(app),
        baseline: format!("{} bare window", ms(bare)),
        ratio: start_ratio,
        goal: "within 1.25x".into(),
        met: Some(start_ratio <= 1.25),
    });
    let empty_ratio = ratio(app_empty.as_secs_f64(), bare.as_secs_f64());
    rows.push(Row {
        figure: "process start to first frame, empty store".into(),
        value: ms(app_empty),
        baseline: format!("{} bare window", ms(bare)),
        ratio: empty_ratio,
        goal: "(shows what the store load costs)".into(),
        met: None,
    });
    let mem_ratio = ratio(m_app as f64, m_bare as f64);
    rows.push(Row {
        figure: "peak resident memory, 10-year store".into(),
        value: mib(m_app),
        baseline: format!("{} bare window", mib(m_bare)),
        ratio: mem_ratio,
        goal: "within 1.5x".into(),
        met: Some(mem_ratio <= 1.5),
    });
    rows.push(Row {
        figure: "peak resident memory, empty store".into(),
        value: mib(m_empty),
        baseline: format!("{} bare window", mib(m_bare)),
        ratio: ratio(m_empty as f64, m_bare as f64),
        goal: "(what the app holds before any data)".into(),
        met: None,
    });

    // --------------------------------------------------------- binary size
    let app_bin = PathBuf::from(env!("CARGO_BIN_EXE_common-ground"));
    match bare_binary(&app_bin) {
        Some(bare_bin) => {
            size_rows(&mut rows, "release", &app_bin, &bare_bin, Some(tmp.path()));
        }
        None => eprintln!("could not build examples/bare_window.rs; no size figures"),
    }
    // The phone download's profile (smaller code, fat LTO, one codegen
    // unit, stripped), both binaries built with it.
    match phone_binaries(&app_bin) {
        Some((app, bare)) => size_rows(&mut rows, "phone", &app, &bare, None),
        None => eprintln!(
            "no phone-profile figures: build them first with \
             `cargo build --profile phone --bin common-ground --example bare_window`"
        ),
    }

    // ------------------------------------------------ render of each page
    init_backend();
    let bare = Bare::new().expect("bare");
    bare.show().expect("show");
    let frame_bare = time(runs * 2, || {
        draw_frame(bare.window());
    });
    // Opened before the window is built (`App::start` opens it on a worker
    // thread, and this bench has no event loop to hand it back).
    let app = App::start_in_locale(&ten_years, &["en-GB"]).expect("app");
    app.window.show().expect("show");
    let ui = &app.window;
    let pages: [(&str, &dyn Fn()); 8] = [
        ("Home", &|| ui.global::<Nav>().invoke_go(Page::Home)),
        ("Learn", &|| {
            ui.global::<Nav>().invoke_go(Page::Learn);
            ui.global::<LearnAdapter>().invoke_show_decks();
        }),
        ("Learn card", &|| {
            ui.global::<LearnAdapter>()
                .invoke_open_deck("ok-to-disagree".into());
        }),
        ("Prepare", &|| {
            ui.global::<Nav>().invoke_go(Page::Prepare);
            ui.global::<PrepareAdapter>().invoke_show_overview();
        }),
        ("Prepare history (1,000 concerns)", &|| {
            ui.global::<PrepareAdapter>().invoke_show_history();
        }),
        ("Check in", &|| ui.global::<Nav>().invoke_go(Page::CheckIn)),
        ("Insights", &|| ui.global::<Nav>().invoke_go(Page::Insights)),
        ("Settings", &|| ui.global::<Nav>().invoke_go(Page::Settings)),
    ];
    let mut worst = Duration::ZERO;
    for (name, show) in pages {
        show();
        i_slint_backend_testing::mock_elapsed_time(Duration::from_millis(500));
        let t = time(runs * 2, || {
            draw_frame(ui.window());
        });
        worst = worst.max(t);
        rows.push(Row {
            figure: format!("software render at 390x844: {name}"),
            value: ms(t),
            baseline: format!("{} bare window", ms(frame_bare)),
            ratio: ratio(t.as_secs_f64(), frame_bare.as_secs_f64()),
            goal: "within 1.5x, under 8 ms".into(),
            met: Some(
                t < Duration::from_millis(8)
                    && ratio(t.as_secs_f64(), frame_bare.as_secs_f64()) <= 1.5,
            ),
        });
    }
    drop(app);

    // ------------------------------------------------ Check in and Insights
    // The same steps on an empty store are the baseline.
    let empty_ui = tmp.path().join("empty-ui");
    let mut per_store = Vec::new();
    for dir in [&empty_ui, &ten_years] {
        let app = App::start_in_locale(dir, &["en-GB"]).expect("app");
        app.window.show().expect("show");
        let ui = &app.window;
        ui.global::<Nav>().invoke_go(Page::CheckIn);
        let a = ui.global::<CheckInAdapter>();
        let mut n = 0;
        // Save a check-in (mood, one item, a note), open the history, and
        // draw the frame that shows it.
        let save_seen = time(runs * 2, || {
            n += 1;
            a.invoke_new_check_in();
            a.set_mood(7.0);
            a.set_overall(6.0);
            a.set_has_overall(true);
            a.set_note(format!("Bench check-in {n}").into());
            a.invoke_save();
            a.invoke_show_history();
            draw_frame(ui.window());
        });
        assert_eq!(a.get_view(), CheckInView::History);
        // The same without drawing: the bridge's own work.
        let save_only = time(runs * 2, || {
            n += 1;
            a.invoke_new_check_in();
            a.set_mood(4.0);
            a.set_note(format!("Bench check-in {n}").into());
            a.invoke_save();
            a.invoke_show_history();
        });
        ui.global::<Nav>().invoke_go(Page::Insights);
        i_slint_backend_testing::mock_elapsed_time(Duration::from_millis(500));
        let insights = time(runs * 2, || {
            draw_frame(ui.window());
        });
        per_store.push((save_seen, save_only, insights));
        app.flush();
    }
    let (empty, big) = (per_store[0], per_store[1]);
    // The ratio goal (if any) against the empty store, and a time limit.
    for (figure, base, value, goal, most, limit) in [
        (
            "save a check-in and see it in history (UI thread, one frame drawn), 10 years",
            empty.0,
            big.0,
            "within 1.2x, under 16 ms",
            Some(1.2),
            16,
        ),
        (
            "save a check-in and refresh history, bridge only (no frame), 10 years",
            empty.1,
            big.1,
            "under 16 ms",
            None,
            16,
        ),
        (
            "software render at 390x844: Insights, 10 years",
            empty.2,
            big.2,
            "under 8 ms",
            None,
            8,
        ),
    ] {
        let r = ratio(value.as_secs_f64(), base.as_secs_f64());
        rows.push(Row {
            figure: figure.into(),
            value: ms(value),
            baseline: format!("{} empty store", ms(base)),
            ratio: r,
            goal: goal.into(),
            met: Some(value < Duration::from_millis(limit) && most.is_none_or(|m| r <= m)),
        });
    }

    // ------------------------------------------------------- store I/O
    let file = std::fs::read(ten_years.join("store.json")).expect("read store");
    let body = serde_json::to_vec(&data).expect("json");
    let load = time(runs, || {
        let s = Store::open(&ten_years).expect("open");
        std::hint::black_box(s.data().check_ins.len());
    });
    let load_base = time(runs, || {
        let bytes = std::fs::read(ten_years.join("store.json")).expect("read");
        let nl = bytes.iter().position(|b| *b == b'\n').unwrap_or(0);
        let d: common_ground::core::model::Data =
            serde_json::from_slice(&bytes[nl + 1..]).expect("parse");
        std::hint::black_box(d.check_ins.len());
    });
    rows.push(Row {
        figure: "store load, 10 years".into(),
        value: ms(load),
        baseline: format!("{} read + serde_json", ms(load_base)),
        ratio: ratio(load.as_secs_f64(), load_base.as_secs_f64()),
        goal: "within 1.5x (store issue)".into(),
        met: Some(load.as_secs_f64() <= 1.5 * load_base.as_secs_f64()),
    });
    let mut store = Store::open(&ten_years).expect("open");
    let mut n = 0u8;
    let save = time(runs, || {
        n = n.wrapping_add(1);
        store
            .update(|d| d.check_ins[0].body.mood = n % 5 + 1)
            .expect("save");
    });
    drop(store);
    let plain = tmp.path().join("plain.json");
    let save_base = time(runs, || {
        let bytes = serde_json::to_vec(&data).expect("json");
        let mut f = std::fs::File::create(&plain).expect("create");
        f.write_all(&bytes).expect("write");
        f.sync_all().expect("fsync");
    });
    rows.push(Row {
        figure: "store save after one edit, 10 years (durable)".into(),
        value: ms(save),
        baseline: format!("{} serde_json + write + fsync", ms(save_base)),
        ratio: ratio(save.as_secs_f64(), save_base.as_secs_f64()),
        goal: "within 2x (store issue)".into(),
        met: Some(save.as_secs_f64() <= 2.0 * save_base.as_secs_f64()),
    });
    std::hint::black_box((file.len(), body.len()));

    // ----------------------------------------------------------- backup
    for f in figure::measure(&data, tmp.path(), runs) {
        rows.push(Row {
            figure: f.what.into(),
            value: ms(f.backup),
            baseline: format!("{} store save", ms(f.save)),
            ratio: f.ratio,
            goal: format!(
                "within {}x (Argon2id once per session, not timed)",
                figure::GOAL
            ),
            met: Some(f.ratio <= figure::GOAL),
        });
    }

    // ----------------------------------------------------------- import
    // 40,000 check-ins from another store (same ids, other records) into
    // a store of 40,000: every id collides, every record is new.
    let here = common::heavy_data(40_000, 0, 8_000_000);
    let mut theirs = common::heavy_data(40_000, 0, 8_000_000);
    for r in &mut theirs.check_ins {
        r.created += chrono::Duration::seconds(1);
    }
    let backup_file = tmp.path().join("import-40k.json");
    std::fs::write(
        &backup_file,
        common_ground::core::export::backup(&theirs, None, chrono::Utc::now()).expect("backup"),
    )
    .expect("write backup");
    let store_40k = tmp.path().join("store-40k");
    {
        let mut s = Store::open(&store_40k).expect("open");
        s.update(|d| *d = here.clone()).expect("save");
    }
    let import_runs = runs.min(5);
    let parse = time(import_runs, || {
        let bytes = std::fs::read(&backup_file).expect("read");
        let nl = bytes.iter().position(|b| *b == b'\n').unwrap_or(0);
        let d: common_ground::core::model::Data =
            serde_json::from_slice(&bytes[nl + 1..]).expect("parse");
        std::hint::black_box(d.check_ins.len());
    });
    let no_passcode = &mut |_| -> std::io::Result<common_ground::core::store::Passcode> {
        unreachable!("no passcode")
    };
    let dry = time(import_runs, || {
        let o = common_ground::commands::run_import(&store_40k, &backup_file, true, no_passcode)
            .expect("dry run");
        assert_eq!(o.summary.check_ins_added, 40_000);
    });
    let mut applied = Vec::new();
    for i in 0..import_runs {
        // A fresh copy of the store each time (not timed).
        let dir = tmp.path().join(format!("import-run-{i}"));
        std::fs::create_dir(&dir).expect("mkdir");
        for name in ["store.json", "store.bak1.json", "store.bak2.json"] {
            let from = store_40k.join(name);
            if from.exists() {
                std::fs::copy(&from, dir.join(name)).expect("copy");
            }
        }
        let start = Instant::now();
        let o = common_ground::commands::run_import(&dir, &backup_file, false, no_passcode)
            .expect("import");
        applied.push(start.elapsed());
        assert!(o.applied && o.summary.check_ins_added == 40_000);
    }
    let applied = median(applied);
    rows.push(Row {
        figure: "import 40,000 check-ins into 40,000, dry run (read, validate, plan)".into(),
        value: ms(dry),
        baseline: format!("{} read + serde_json of the file", ms(parse)),
        ratio: ratio(dry.as_secs_f64(), parse.as_secs_f64()),
        goal: "within 4x (was 8.8 s: quadratic)".into(),
        met: Some(dry.as_secs_f64() <= 4.0 * parse.as_secs_f64()),
    });
    rows.push(Row {
        figure: "import 40,000 check-ins into 40,000, applied and saved".into(),
        value: ms(applied),
        baseline: format!("{} read + serde_json of the file", ms(parse)),
        ratio: ratio(applied.as_secs_f64(), parse.as_secs_f64()),
        goal: "within 8x (was 17.7 s)".into(),
        met: Some(applied.as_secs_f64() <= 8.0 * parse.as_secs_f64()),
    });

    // ------------------------------------------------------------ report
    let mut table = String::new();
    let _ = writeln!(
        table,
        "| figure | value | baseline (same run) | ratio | goal | met |\n|---|---|---|---|---|---|"
    );
    for r in &rows {
        let _ = writeln!(
            table,
            "| {} | {} | {} | {:.2}x | {} | {} |",
            r.figure,
            r.value,
            r.baseline,
            r.ratio,
            r.goal,
            match r.met {
                Some(true) => "yes",
                Some(false) => "**no**",
                None => "",
            }
        );
    }
    println!("{table}");
    let doc = format!(
        "# Benchmarks\n\n\
         Written by `cargo bench --bench all` (median of {runs} runs per figure{quick}). \
         Every figure is a ratio to a baseline measured in the same run, on the same machine.\n\n\
         **Machine:** {machine}.\n\n\
         **Data:** ten years of heavy use from the `sample-data` generator \
         (`core::sample`, seed 8): 3,650 check-ins and 1,000 concerns in every state, \
         with notes in several scripts ({} store file).\n\n\
         {table}\n\
         ## Method\n\n\
         - *Start-up*: wall time from spawning a process to its exit just after the first \
         frame. App and bare window are the same release binary (the bench), so they are \
         built the same way, and both use Slint's headless software renderer at 390x844: \
         the child renders the whole window into a pixel buffer, checks it is not blank, \
         prints its peak memory and exits. No display server is involved, so this is \
         the app's own cost, not a window manager's.\n\
         - *Peak memory*: `VmHWM` (the highest over all runs) of a child that also waits \
         for the 10-year store to open (on its worker thread, behind the first frame) and \
         draws the frame that shows it; against the bare window's child. The same child \
         on an empty store shows what the app holds before any data.\n\
         - *Binary size*: `common-ground` against `examples/bare_window.rs`, both built \
         with the same profile, Slint version and features: the `release` profile \
         (`target/release`), as built and after `strip`, and the `phone` profile \
         (`target/phone`: `opt-level = \"s\"`, `lto = \"fat\"`, `codegen-units = 1`, \
         stripped), the settings of the Android build, when those two were built before \
         (`cargo build --profile phone --bin common-ground --example bare_window`).\n\
         - *Render*: one full frame (`take_snapshot`, the software renderer drawing every \
         pixel) of each page with the 10-year data, after the page has been shown once.\n\
         - *Check in*: on the UI thread, a new check-in filled in and saved (the data \
         changes at once; the durable write runs on the store's writer thread), the \
         history opened and one full frame drawn; and the same without the frame. \
         Baseline: the same steps in an app on an empty store, in the same run.\n\
         - *Store*: `Store::open` (read, checksum, parse, lock) against reading the file \
         and `serde_json::from_slice`; a durable save after one edit (`Store::update`: \
         incremental encode, temp file, fsync, backups, rename, folder fsync) against \
         `serde_json::to_vec` + write + fsync of the whole document.\n\
         - *Import*: `common-ground import` (`commands::run_import`) of a backup of \
         40,000 check-ins from another store (every id taken here, every record new) into \
         a store of 40,000: as a dry run (read the file, check it whole, open the store \
         read-only, plan the merge, check the size) and applied (the same, then one \
         durable save of 80,000 records), each on a fresh copy of the store; against \
         reading the same file and `serde_json::from_slice` of its body.\n\
         - *Backup*: `core::backup::write_backup` of the 10-year store into a folder that \
         keeps 10 (encode everything, seal, temp file, fsync, rename, folder fsync, read back \
         and verify the checksum and the seal, rotation) against the store's own durable \
         save of the same data right after opening (every record encoded), paired runs, \
         the median of the per-run ratios; with a passcode (both sealed with its key) and \
         without (a plain store, the backup sealed with the backup passphrase's key). The \
         key is made before timing: Argon2id runs once per session.\n\n\
         See `benches/store.rs`, `benches/startup.rs` and `benches/idle.rs` for the \
         detailed store, start-up and idle wake-up benches, and `docs/benchmarks-alone.md` \
         for figures measured outside a full run (the generated UI code, memory in a real \
         window, cold build times).\n\n\
         ## Goals not met: why, and what it would take\n\
         \n\
         Figures split as above; the empty-store start-up isolates the store's share.\n\
         \n\
         - **Absolute times depend on the machine's load** (the load average above, taken just after the bench was built): the frame-time goals in milliseconds are the first to miss on a busy machine; compare the ratios, each measured in the same run. Spawn-to-exit times of 20 ms vary by a few milliseconds from run to run even on a quiet machine.\n\
         - **Start-up** draws the first frame before the store is read: `App::start` opens and decrypts it on the worker thread behind the placeholder the lock screen uses, and opening errors are shown inside the window. Still, the 10-year store costs the first frame about 5 ms on this two-core machine, though the UI thread never waits for it: the worker's read and parse run at the same time as the UI thread's start-up and slow it (measured alone on 2026-11-30: the same child pinned to one core takes about 12 ms longer with the 10-year store; on two cores about 5 ms). The app on an empty store is about 1.27x the bare window: its larger binary to map and relocate and its bigger window to build. What it would take: start reading the store once the first frame is on screen (Slint's software renderer has no rendering notifier to say when; a timer would delay the data on every start), and a smaller binary (below).\n\
         - **Peak memory: the app's extra is mostly its own code, not its data.** From `/proc/PID/smaps` of these children at exit (release, measured alone on 2026-11-30): on an empty store the app has 13.7 MB of its binary's code resident against 3.9 MB for the bare window, and 1.2 MB more of its read-only data (fonts, content); its heap and stacks are under 1 MB above the bare window's. The kernel maps code in 64 KB windows around each page that faults in (fault-around), and the code the app runs at start (the generated shell, Home and every global's bindings) is spread over the code Slint generates for `ui/`. The 10-year store adds about 6 MB of heap (the typed data, the encoder's record JSON, the file's bytes while they are parsed). What it would take: less generated code, or the start-up code laid out together (profile-guided function ordering); the data is the smaller part. The `phone` profile helps, its code being smaller: measured in a real window with the 10-year store (`docs/benchmarks-alone.md`), its app held 2.02x its bare window, against 2.42x with the release profile.\n\
         - **Binary size: most of the extra is the UI Slint generates from `ui/`, and without it the app would still be about 1.7x.** From `nm` of the two release binaries (2026-11-30): the app has 31.2 MB of code against 11.3 MB for the bare window. Of the 19.9 MB more, 8.1 MB is code Slint generates for `ui/` (434 sub-components, one per `if` and `for`, with their drop glue and item trees; a third less than before, `docs/generated-code.md`), 2.9 MB property-binding closures, about 2.8 MB Slint's and the standard library's generic code instantiated for them, 1.1 MB the app's own Rust (core and bridge), and the rest the crates behind its features (the PDF and its font parsing, iCalendar, Argon2id and XChaCha20-Poly1305, the D-Bus notifications). Without any generated UI code and its closures, and their share of the 4.6 MB of unwinding tables, the stripped app would still be about 30 MB against 17.7 MB: a bare window has no content and none of those features, so 1.5x cannot be met by this app without removing them. The `phone` profile gives the smallest download (2.13x, rows above). `panic = \"abort\"` is not used: the worker and the store's writer turn a panic into an error the window shows, without losing the changes not yet saved; it could save at most the unwinding tables (`.gcc_except_table` 1.6 MB, `.eh_frame` 2.6 MB of the release binary) and the landing pads.\n\
         - **Rendering a whole page**: Home, a Learn card and Prepare's overview take 1.57x to 1.87x the bare window's full frame (all under 8 ms). The bare window draws one word on a plain background; a page draws every glyph and every rounded card of a 390x844 screen. This is a full frame, drawn when a page opens; in the running app Slint's software renderer redraws only the region that changed, so a tap costs a fraction of it. What it would take: fewer layers per card (the card's fill, border and focus ring drawn as one), measured page by page.\n\
         - **Saving a check-in** with one frame drawn is 1.32x the same on an empty store (goal 1.2x; 1.07x when measured alone on a busy machine, where the frame was a larger share). Without the frame, the bridge's own work at ten years is half a millisecond against a baseline of a few microseconds: it inserts one row and builds no others, but still walks every check-in a few times (the history's keys are recomputed and compared, and the tag counts for the filter chips and the form's suggestions are counted again). What it would take: those counts and keys kept up to date per change instead of recounted.\n\
         - **Import of 40,000 into 40,000** misses its ratios on a quiet machine too (5.2x and 10.6x against 4x and 8x): the plan and the durable save of 80,000 records cost more than the parse it is compared with. Not looked at again since the quadratic merge was removed (8.8 s and 17.7 s before).\n\
         - **Store load** against a plain typed parse of the same bytes: the extra is the checksum over the whole file, the header and the lock file. It has measured 0.84x to 1.22x on a quiet machine and up to 1.8x while other builds ran.\n",
        mb(store_bytes),
        quick = if quick { ", --quick" } else { "" },
    );
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("BENCHMARKS.md");
    std::fs::write(&path, doc).expect("write BENCHMARKS.md");
    println!("wrote {}", path.display());
}

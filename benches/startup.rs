//! Start-up time and memory of the app, each against a bare Slint window
//! measured in the same run on the same headless software renderer.
//!
//!     cargo bench --bench startup
//!
//! Time: create the window, lay it out and render the first frame at
//! 390x844 (for the app: open the store on a fresh folder too), median of
//! many runs. Memory: peak resident set of a child process that does one
//! such start-up, app against bare window.

use std::process::Command;
use std::time::{Duration, Instant};

use i_slint_backend_testing::{TestingBackend, TestingBackendOptions};
use slint::ComponentHandle;

slint::slint! {
    export component Bare inherits Window {
        width: 390px;
        height: 844px;
        Text { text: "Hello"; }
    }
}

fn init_backend() {
    slint::platform::set_platform(Box::new(TestingBackend::new(TestingBackendOptions {
        mock_time: true,
        threading: false,
        renderer_name: Some("software".into()),
    })))
    .expect("backend");
}

fn first_frame(window: &slint::Window) {
    window.set_size(slint::LogicalSize::new(390.0, 844.0));
    let frame = window.take_snapshot().expect("snapshot");
    std::hint::black_box(frame.width());
}

fn bare_start() {
    let bare = Bare::new().expect("bare window");
    bare.show().expect("show");
    first_frame(bare.window());
}

fn app_start(dir: &std::path::Path) {
    let app = common_ground::bridge::App::start(dir).expect("app");
    app.window.show().expect("show");
    first_frame(app.window.window());
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn time<F: FnMut()>(runs: usize, mut f: F) -> Duration {
    f(); // warm up
    median(
        (0..runs)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed()
            })
            .collect(),
    )
}

/// Peak resident memory of this process, in KiB (Linux).
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn child_peak(which: &str) -> Option<u64> {
    let out = Command::new(std::env::current_exe().ok()?)
        .env("CG_BENCH_CHILD", which)
        .output()
        .ok()?;
    String::from_utf8_lossy(&out.stdout).trim().parse().ok()
}

fn main() {
    if let Ok(which) = std::env::var("CG_BENCH_CHILD") {
        init_backend();
        let tmp = tempfile::tempdir().expect("tmp");
        match which.as_str() {
            "bare" => bare_start(),
            _ => app_start(&tmp.path().join("data")),
        }
        println!("{}", peak_rss_kib().unwrap_or(0));
        return;
    }
    // `cargo bench` passes --bench; `cargo test --benches` would too.
    init_backend();
    let runs = 30;
    let bare = time(runs, bare_start);
    let tmp = tempfile::tempdir().expect("tmp");
    // A usual launch: the store already exists.
    let existing = tmp.path().join("existing");
    app_start(&existing);
    let app = time(runs, || app_start(&existing));
    // The very first launch also creates the folder and saves durably.
    let mut n = 0;
    let first = time(runs, || {
        n += 1;
        app_start(&tmp.path().join(format!("first{n}")));
    });
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let ratio = |d: Duration| d.as_secs_f64() / bare.as_secs_f64();
    println!("start-up to first frame at 390x844, median of {runs}:");
    println!("  bare Slint window              {:>8.2} ms", ms(bare));
    println!(
        "  Common Ground, usual launch    {:>8.2} ms   ratio {:.2}x",
        ms(app),
        ratio(app)
    );
    println!(
        "  Common Ground, first launch    {:>8.2} ms   ratio {:.2}x",
        ms(first),
        ratio(first)
    );
    match (child_peak("bare"), child_peak("app")) {
        (Some(b), Some(a)) if b > 0 => {
            println!("peak resident memory after first frame:");
            println!("  bare Slint window  {:>8.1} MiB", b as f64 / 1024.0);
            println!(
                "  Common Ground      {:>8.1} MiB   ratio {:.2}x",
                a as f64 / 1024.0,
                a as f64 / b as f64
            );
        }
        _ => println!("peak memory: not measured on this platform"),
    }
}

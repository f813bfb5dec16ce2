//! Idle wake-ups of the app against a bare Slint window, in one run.
//!
//!     SLINT_BACKEND=winit-software cargo bench --bench idle
//!
//! Needs a display (on a headless machine: `Xvfb :99 &` and `DISPLAY=:99`).
//! Starts two child processes with a real window each, the app (on a fresh
//! data folder) and a bare Slint window, lets them settle, then counts the
//! voluntary context switches of every thread of each process over ten
//! seconds of idle. A process that wakes on a timer (say, to poll) shows up
//! as many more switches than the bare window.

use std::process::{Child, Command};
use std::time::Duration;

use slint::ComponentHandle;

slint::slint! {
    export component Bare inherits Window {
        width: 390px;
        height: 844px;
        Text { text: "Hello"; }
    }
}

const SETTLE: Duration = Duration::from_secs(3);
const IDLE: Duration = Duration::from_secs(10);

/// Voluntary context switches of all threads of `pid` (Linux).
fn voluntary_switches(pid: u32) -> Option<u64> {
    let mut total = 0;
    for task in std::fs::read_dir(format!("/proc/{pid}/task")).ok()? {
        let status = std::fs::read_to_string(task.ok()?.path().join("status")).ok()?;
        let line = status
            .lines()
            .find(|l| l.starts_with("voluntary_ctxt_switches:"))?;
        total += line.split_whitespace().nth(1)?.parse::<u64>().ok()?;
    }
    Some(total)
}

fn spawn(which: &str) -> Child {
    Command::new(std::env::current_exe().expect("own path"))
        .env("CG_IDLE_CHILD", which)
        .spawn()
        .expect("start child")
}

fn main() {
    if let Ok(which) = std::env::var("CG_IDLE_CHILD") {
        match which.as_str() {
            "bare" => Bare::new().expect("bare window").run().expect("run"),
            _ => {
                let tmp = tempfile::tempdir().expect("tmp");
                let app = common_ground::bridge::App::start(&tmp.path().join("data"))
                    .expect("app starts");
                app.run().expect("run");
            }
        }
        return;
    }
    if std::env::var_os("DISPLAY").is_none() && std::env::var_os("WAYLAND_DISPLAY").is_none() {
        println!("idle wake-ups: not measured (no display; see the header of benches/idle.rs)");
        return;
    }
    let mut bare = spawn("bare");
    let mut app = spawn("app");
    std::thread::sleep(SETTLE);
    let before = (voluntary_switches(bare.id()), voluntary_switches(app.id()));
    std::thread::sleep(IDLE);
    let after = (voluntary_switches(bare.id()), voluntary_switches(app.id()));
    for child in [&mut bare, &mut app] {
        let _ = child.kill();
        let _ = child.wait();
    }
    match (before, after) {
        ((Some(b0), Some(a0)), (Some(b1), Some(a1))) => {
            println!(
                "voluntary context switches, whole process, over {} s idle:",
                IDLE.as_secs()
            );
            println!("  bare Slint window  {:>6}", b1 - b0);
            println!("  Common Ground      {:>6}", a1 - a0);
        }
        _ => println!("idle wake-ups: not measured (no /proc, or a child exited early)"),
    }
}

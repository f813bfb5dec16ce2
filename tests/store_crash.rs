//! Crash loop: a child process (this test binary, re-run with an env var)
//! saves in a loop and is killed with SIGKILL at random moments. After every
//! kill the store must open, hold every acknowledged save and not be corrupt.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use common_ground::core::model::{CheckIn, Concern, Data};
use common_ground::core::store::{check, Notice, Store};

const CHILD_DIR: &str = "CG_STORE_CRASH_DIR";
const CHILD_MODE: &str = "CG_STORE_CRASH_MODE";

struct XorShift(u64);

impl XorShift {
    fn from_clock() -> XorShift {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(1, |d| d.as_nanos() as u64);
        XorShift(nanos | 1)
    }
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn now_micros() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_micros() as u64)
}

/// The highest save number in the store.
fn max_n(d: &Data) -> u64 {
    d.check_ins
        .iter()
        .filter_map(|c| c.body.note.strip_prefix("save ")?.parse().ok())
        .max()
        .unwrap_or(0)
}

/// The typed counter of the draft concern.
fn typed_n(d: &Data) -> u64 {
    d.concerns
        .first()
        .and_then(|c| c.body.what_happened.rsplit(' ').next()?.parse().ok())
        .unwrap_or(0)
}

/// The child: not a real test; does nothing unless started by a parent.
#[test]
fn crash_child() {
    let Ok(dir) = std::env::var(CHILD_DIR) else {
        return;
    };
    let mode = std::env::var(CHILD_MODE).unwrap_or_default();
    let mut store = Store::open(Path::new(&dir)).expect("child open");
    assert!(
        !store.is_read_only(),
        "the parent waits for the previous child"
    );
    if mode == "typing" {
        store
            .update(|d| {
                if d.concerns.is_empty() {
                    let r = d.new_record(Concern::default(), chrono::Utc::now());
                    d.concerns.push(r);
                }
            })
            .expect("child setup");
        let mut k = typed_n(store.data());
        loop {
            k += 1;
            store.update_later(|d| {
                d.concerns[0].body.what_happened = format!("typing, keystroke {k}");
            });
            println!("TYPED {k} {}", now_micros());
            std::thread::sleep(Duration::from_millis(10));
        }
    }
    let mut n = max_n(store.data());
    if store.data().concerns.is_empty() {
        // Some bulk so that each save writes a few hundred KB.
        store
            .update(|d| {
                let body = Concern {
                    what_happened: "so much to say ".repeat(3_000),
                    ..Default::default()
                };
                let r = d.new_record(body, chrono::Utc::now());
                d.concerns.push(r);
            })
            .expect("child setup");
    }
    loop {
        n += 1;
        store
            .update(|d| {
                let r = d.new_record(
                    CheckIn {
                        note: format!("save {n}"),
                        ..Default::default()
                    },
                    chrono::Utc::now(),
                );
                d.check_ins.push(r);
                if d.check_ins.len() > 50 {
                    d.check_ins.remove(0);
                }
            })
            .expect("child save");
        println!("ACK {n}");
    }
}

struct Run {
    /// Lines the child printed before it died.
    lines: Vec<String>,
    killed_at: u64,
}

fn run_child(dir: &Path, mode: &str, kill_after: Duration) -> Run {
    let exe = std::env::current_exe().expect("test binary");
    let mut child = Command::new(exe)
        .args(["--exact", "crash_child", "--nocapture", "--test-threads=1"])
        .env(CHILD_DIR, dir)
        .env(CHILD_MODE, mode)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn child");
    let stdout = child.stdout.take().expect("stdout");
    let stderr = child.stderr.take().expect("stderr");
    let err_reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = std::io::Read::read_to_string(&mut BufReader::new(stderr), &mut text);
        text
    });
    let reader = std::thread::spawn(move || {
        BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            .collect::<Vec<String>>()
    });
    std::thread::sleep(kill_after);
    let killed_at = now_micros();
    child.kill().expect("SIGKILL"); // std sends SIGKILL on Unix
    let status = child.wait().expect("wait");
    let lines = reader.join().expect("reader");
    let errors = err_reader.join().expect("stderr reader");
    assert!(
        status.code().is_none(),
        "child exited by itself: {status}\nstdout: {lines:?}\nstderr: {errors}"
    );
    Run { lines, killed_at }
}

fn assert_intact(dir: &Path, store: &Store) {
    assert!(!store.is_read_only());
    for n in store.notices() {
        assert!(
            matches!(n, Notice::Created { .. }),
            "a kill must never damage the store: {n:?}"
        );
    }
    let report = check(dir);
    assert!(report.is_healthy(), "{report}");
}

fn crash_loop(kills: usize) {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut rng = XorShift::from_clock();
    let mut acked = 0u64;
    let mut total_acks = 0usize;
    let started = Instant::now();
    for i in 0..kills {
        // Mostly mid-save-loop; sometimes during start-up and open.
        // The child needs ~50 ms to start; a save takes a few ms to tens of ms.
        let delay = Duration::from_micros(if rng.below(8) == 0 {
            rng.below(60_000)
        } else {
            40_000 + rng.below(60_000)
        });
        let run = run_child(dir.path(), "saves", delay);
        for line in &run.lines {
            // The first line may follow libtest's "test crash_child ... ".
            if let Some((_, n)) = line.split_once("ACK ") {
                let n: u64 = n.trim().parse().expect("ack number");
                assert!(n > acked, "acks increase");
                acked = n;
                total_acks += 1;
            }
        }
        let store = Store::open(dir.path()).expect("open after kill");
        assert_intact(dir.path(), &store);
        let found = max_n(store.data());
        assert!(
            found >= acked,
            "kill {i}: acknowledged save {acked} lost (store has {found})"
        );
        // The child only acks after the save; at most one unacked save.
        assert!(
            found <= acked + 1,
            "kill {i}: store has {found}, last ack {acked}"
        );
        acked = found;
    }
    eprintln!(
        "{kills} kills, {total_acks} acknowledged saves, {:?}",
        started.elapsed()
    );
    assert!(
        total_acks >= kills,
        "too few saves happened between kills ({total_acks})"
    );
}

#[test]
fn crash_loop_300_kills() {
    crash_loop(300);
}

#[test]
#[ignore = "long: 3000 kills, run with --ignored"]
fn crash_loop_long() {
    crash_loop(3000);
}

/// Typing with `update_later`, killed at random moments: at most the last
/// second of typing may be lost.
#[test]
fn killed_while_typing_loses_at_most_the_last_second() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut rng = XorShift::from_clock();
    for _ in 0..4 {
        let run = run_child(
            dir.path(),
            "typing",
            Duration::from_millis(1_200 + rng.below(1_000)),
        );
        let typed: Vec<(u64, u64)> = run
            .lines
            .iter()
            .filter_map(|l| {
                let mut it = l.split_once("TYPED ")?.1.split(' ');
                Some((it.next()?.parse().ok()?, it.next()?.parse().ok()?))
            })
            .collect();
        assert!(!typed.is_empty(), "the child typed nothing");
        let store = Store::open(dir.path()).expect("open after kill");
        assert_intact(dir.path(), &store);
        let saved = typed_n(store.data());
        let must_have = typed
            .iter()
            .filter(|(_, at)| *at + 1_000_000 <= run.killed_at)
            .map(|(k, _)| *k)
            .max()
            .unwrap_or(0);
        assert!(
            saved >= must_have,
            "keystroke {must_have} was typed over a second before the kill but is lost (saved {saved})"
        );
    }
}

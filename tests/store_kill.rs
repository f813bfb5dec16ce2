//! Killed at any moment, nothing acknowledged is lost.
//!
//! A child process (this test binary, run again) opens a store and does a
//! random sequence of adds, edits, deletes, imports and passcode changes
//! (on, change, off), printing `ack N` after each one returns (a returned
//! `Store::update` is durable). The parent kills it with SIGKILL at a
//! random moment, then opens the store as the app would and checks: it
//! opens with the passcode of the last acknowledged step or of the step
//! that was under way, its ids are unique, and its data is exactly the
//! data after the last acknowledged step, or after the one under way
//! (worked out by replaying the same steps on plain data in memory).
//!
//! `cargo test --test store_kill` runs a few kills; the thousands-of-kills
//! version is `cargo test --release --test store_kill -- --ignored
//! thousands`.

#[path = "weak_kdf/mod.rs"]
mod weak_kdf;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;
use weak_kdf::WeakForTests;

use common_ground::core::export::{apply_import, backup, read_backup};
use common_ground::core::model::{CheckIn, Concern, Data};
use common_ground::core::store::{key_wraps, KdfParams, Passcode, SealKey, Store, StoreError};

const DIR_ENV: &str = "CG_KILL_TEST_DIR";
const SEED_ENV: &str = "CG_KILL_TEST_SEED";
const STEPS: usize = 24;

fn t(secs: i64) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(1_700_000_000 + secs, 0).unwrap()
}

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n.max(1)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Add,
    AddConcern,
    Edit,
    Delete,
    Import,
    PasscodeOn,
    PasscodeChange,
    PasscodeOff,
}

fn ops(seed: u64) -> Vec<Op> {
    let mut rng = Rng::new(seed);
    (0..STEPS)
        .map(|_| match rng.below(10) {
            0..=2 => Op::Add,
            3 => Op::AddConcern,
            4 => Op::Edit,
            5 => Op::Delete,
            6 => Op::Import,
            7 => Op::PasscodeOn,
            8 => Op::PasscodeChange,
            _ => Op::PasscodeOff,
        })
        .collect()
}

/// The backup every import brings in: the same three check-ins (so the
/// first import adds them under new ids, later ones add nothing).
fn backup_bytes() -> Vec<u8> {
    let mut d = Data::default();
    for n in 0..3 {
        let r = d.new_record(
            CheckIn {
                note: format!("imported {n}"),
                ..Default::default()
            },
            t(500_000 + n),
        );
        d.check_ins.push(r);
    }
    backup(&d, None, t(600_000)).unwrap()
}

/// The change step `i` makes to the data (passcode steps change none).
fn change(d: &mut Data, op: Op, i: usize, incoming: &Data) {
    match op {
        Op::Add => {
            let r = d.new_record(
                CheckIn {
                    note: format!("note {i}"),
                    mood: (i % 11) as u8,
                    ..Default::default()
                },
                t(i as i64),
            );
            d.check_ins.push(r);
        }
        Op::AddConcern => {
            let r = d.new_record(
                Concern {
                    what_happened: format!("concern {i}"),
                    ..Default::default()
                },
                t(i as i64),
            );
            d.concerns.push(r);
        }
        Op::Edit => {
            if !d.check_ins.is_empty() {
                let n = i % d.check_ins.len();
                d.check_ins[n].body.note = format!("edited at {i}");
                d.check_ins[n].updated = t(i as i64 + 1);
            }
        }
        Op::Delete => {
            if !d.check_ins.is_empty() {
                let n = i % d.check_ins.len();
                d.check_ins.remove(n);
            }
        }
        Op::Import => {
            apply_import(d, incoming);
        }
        Op::PasscodeOn | Op::PasscodeChange | Op::PasscodeOff => {}
    }
}

/// The passcode after step `i`, given the one before.
fn passcode_after(before: &Option<String>, op: Op, i: usize) -> Option<String> {
    match (op, before) {
        (Op::PasscodeOn, None) | (Op::PasscodeChange, Some(_)) => Some(format!("passcode {i}")),
        (Op::PasscodeOff, Some(_)) => None,
        _ => before.clone(),
    }
}

/// The data and passcode after each step: `states[k]` is after `k` steps.
fn states(seed: u64) -> Vec<(Data, Option<String>)> {
    let incoming = read_backup(&backup_bytes(), None).unwrap();
    let mut out = vec![(Data::default(), None)];
    for (i, op) in ops(seed).into_iter().enumerate() {
        let (mut d, p) = out.last().unwrap().clone();
        change(&mut d, op, i, &incoming);
        let p = passcode_after(&p, op, i);
        out.push((d, p));
    }
    out
}

/// The child: does the steps on a real store, acknowledging each one.
#[test]
#[ignore = "run by the kill tests as a child process"]
fn kill_child() {
    let (Some(dir), Some(seed)) = (std::env::var_os(DIR_ENV), std::env::var_os(SEED_ENV)) else {
        return;
    };
    let seed: u64 = seed.to_str().unwrap().parse().unwrap();
    let dir = Path::new(&dir);
    let incoming = read_backup(&backup_bytes(), None).unwrap();
    let params = KdfParams::weak_for_tests();
    let mut store = Store::open(dir).unwrap();
    let mut pass: Option<String> = None;
    let mut out = std::io::stdout();
    for (i, op) in ops(seed).into_iter().enumerate() {
        let next = passcode_after(&pass, op, i);
        match (op, &pass, &next) {
            (Op::PasscodeOn, None, Some(p)) => store
                .turn_on_passcode_with(&Passcode::new(p.as_str()), params)
                .unwrap(),
            (Op::PasscodeChange, Some(old), Some(new)) => store
                .change_passcode_with(
                    &Passcode::new(old.as_str()),
                    &Passcode::new(new.as_str()),
                    params,
                )
                .unwrap(),
            (Op::PasscodeOff, Some(old), None) => store
                .turn_off_passcode(&Passcode::new(old.as_str()))
                .unwrap(),
            _ => store.update(|d| change(d, op, i, &incoming)).unwrap(),
        }
        pass = next;
        writeln!(out, "ack {i}").unwrap();
        out.flush().unwrap();
    }
    writeln!(out, "done").unwrap();
}

/// Opens the store in `dir` with `pass` (or none), as the app does.
fn open(dir: &Path, pass: &Option<String>) -> Option<Store> {
    match (Store::open(dir), pass) {
        (Ok(s), None) => Some(s),
        (Ok(_), Some(_)) => None,
        (Err(StoreError::Locked { .. }), Some(p)) => {
            let key = SealKey::unlock_any(&Passcode::new(p.as_str()), &key_wraps(dir)).ok()?;
            Some(Store::open_unlocked(dir, key).unwrap())
        }
        (Err(StoreError::Locked { .. }), None) => None,
        (Err(e), _) => panic!("the store does not open: {e}"),
    }
}

/// One run: kill the child at a random point, then check the store.
fn kill_once(run: u64) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    let mut rng = Rng::new(run ^ 0xC0FFEE);
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--ignored",
            "--exact",
            "kill_child",
            "--nocapture",
            "--quiet",
        ])
        .env(DIR_ENV, &dir)
        .env(SEED_ENV, run.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(n) = line.strip_prefix("ack ") {
                let _ = tx.send(n.parse::<usize>().unwrap());
            }
        }
    });
    // Wait for a random number of acknowledgements, then a random moment
    // more (into the middle of the next step), then kill.
    let wait_for = rng.below(STEPS as u64 + 1) as usize;
    let mut acked = 0;
    while acked < wait_for {
        match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(_) => acked += 1,
            Err(_) => break,
        }
    }
    std::thread::sleep(Duration::from_micros(rng.below(4_000)));
    let _ = child.kill();
    let _ = child.wait();
    reader.join().unwrap();
    acked += rx.try_iter().count();

    eprintln!("run {run}: killed after {acked} of {STEPS} steps acknowledged");
    let states = states(run);
    let candidates: Vec<usize> = (acked..=(acked + 1).min(STEPS)).collect();
    // The passcode of the step under way first: trying it touches nothing
    // if it does not unlock.
    for &k in candidates.iter().rev() {
        let (want, pass) = &states[k];
        let Some(store) = open(&dir, pass) else {
            continue;
        };
        let got = store.data().clone();
        let mut check = got.clone();
        check.check_ids().expect("ids are unique and well formed");
        let matches = candidates.iter().any(|&j| states[j].0 == got);
        assert!(
            matches,
            "run {run}: after {acked} acknowledged steps of {:?} the data is not the \
             acknowledged data (opened with the passcode of step {k})\n got: {got:#?}\nwant: {want:#?}",
            ops(run)
        );
        return;
    }
    panic!(
        "run {run}: the store opens with neither passcode {:?} after {acked} steps of {:?}",
        candidates.iter().map(|&k| &states[k].1).collect::<Vec<_>>(),
        ops(run)
    );
}

#[test]
fn killed_at_random_points_nothing_acknowledged_is_lost() {
    for run in 0..6 {
        kill_once(run);
    }
}

#[test]
#[ignore = "thousands of kills; minutes"]
fn thousands_of_kills() {
    let runs: u64 = std::env::var("CG_KILL_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000);
    for run in 1000..1000 + runs {
        kill_once(run);
    }
    eprintln!("{runs} kills, nothing acknowledged lost");
}

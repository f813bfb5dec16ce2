//! Store benchmark at 10-year heavy-use scale: 3,650 check-ins, 1,000
//! concerns, ~2 MB of notes. Each figure is printed with its ratio to the
//! baseline measured in the same run (median of N runs, plain std timing).
//! Saves are measured twice: cold (the first save after opening, which
//! serializes every record) and steady state (after a typical edit, when
//! the writer's incremental encoder reuses the JSON of unchanged records).
//!
//! Run: `cargo bench --no-default-features --bench store`

#[path = "../tests/store_common/mod.rs"]
mod common;

use std::fs::File;
use std::io::Write;
use std::time::{Duration, Instant};

use common_ground::core::model::Data;
use common_ground::core::store::encoder::Encoder;
use common_ground::core::store::format::{decode, encode, verify};
use common_ground::core::store::{Store, PRIMARY};

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

fn time<T>(n: usize, mut f: impl FnMut() -> T) -> Duration {
    // One warm-up run.
    std::hint::black_box(f());
    median(
        (0..n)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(f());
                t.elapsed()
            })
            .collect(),
    )
}

/// Times `a` and `b` alternately (so both see the same machine load) and
/// returns both medians.
fn paired<A, B>(
    n: usize,
    mut a: impl FnMut() -> A,
    mut b: impl FnMut() -> B,
) -> (Duration, Duration) {
    std::hint::black_box(a());
    std::hint::black_box(b());
    let (mut ta, mut tb) = (Vec::new(), Vec::new());
    for _ in 0..n {
        let t = Instant::now();
        std::hint::black_box(a());
        ta.push(t.elapsed());
        let t = Instant::now();
        std::hint::black_box(b());
        tb.push(t.elapsed());
    }
    (median(ta), median(tb))
}

/// The median of the per-run ratios `runs[i] / base[i]` (robust when the
/// machine load drifts during the run).
fn median_ratio(runs: &[Duration], base: &[Duration]) -> f64 {
    let mut r: Vec<f64> = runs
        .iter()
        .zip(base)
        .map(|(a, b)| a.as_secs_f64() / b.as_secs_f64())
        .collect();
    r.sort_by(f64::total_cmp);
    r[r.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:8.3} ms", d.as_secs_f64() * 1e3)
}

fn row(name: &str, d: Duration, base: Option<(Duration, &str)>) {
    match base {
        Some((b, bname)) => println!(
            "  {name:<44} {}   {:.2}x {bname}",
            ms(d),
            d.as_secs_f64() / b.as_secs_f64()
        ),
        None => println!("  {name:<44} {}", ms(d)),
    }
}

fn main() {
    let data = common::heavy_data(3_650, 1_000, 2_000_000);
    let notes: usize = data
        .check_ins
        .iter()
        .map(|c| c.body.note.len())
        .sum::<usize>()
        + data
            .concerns
            .iter()
            .map(|c| {
                c.body.what_happened.len()
                    + c.body.what_matters.len()
                    + c.body.would_like.len()
                    + c.body.own_opener.len()
            })
            .sum::<usize>();
    let body = serde_json::to_vec(&data).expect("serialize");
    let file = encode(&data, 1, chrono::Utc::now(), 0)
        .expect("encode")
        .to_bytes();
    let dir = tempfile::tempdir().expect("tempdir");
    println!(
        "Heavy store: {} check-ins, {} concerns, {:.2} MB of note text, {:.2} MB file (in {})",
        data.check_ins.len(),
        data.concerns.len(),
        notes as f64 / 1e6,
        file.len() as f64 / 1e6,
        dir.path().display()
    );

    // ---------------------------------------------------------------- load
    println!("Load (median of 41, paired runs):");
    let (parse, load) = paired(
        41,
        || serde_json::from_slice::<Data>(&body).expect("parse"),
        || decode(&file).expect("decode"),
    );
    row("baseline: serde_json::from_slice::<Data>", parse, None);
    row(
        "store: format::decode (verify + crc + parse)",
        load,
        Some((parse, "parse")),
    );
    let verify_only = time(41, || verify(&file).expect("verify").0);
    row(
        "  of which: verify (header, size, crc32)",
        verify_only,
        Some((parse, "parse")),
    );
    // The baselines' plain files live beside the data folder, not in it
    // (a folder with files of other names is not opened as a store).
    let plain_dir = tempfile::tempdir().expect("tempdir");
    let path = plain_dir.path().join("plain.json");
    std::fs::write(&path, &body).expect("write");
    {
        let mut s = Store::open(dir.path()).expect("open");
        let d = data.clone();
        s.update(move |x| *x = d).expect("save");
        s.update(|x| x.next_id += 1).expect("save");
        s.update(|x| x.next_id += 1).expect("save");
    }
    let (read_parse, open) = paired(
        41,
        || {
            let b = std::fs::read(&path).expect("read");
            serde_json::from_slice::<Data>(&b).expect("parse")
        },
        || Store::open(dir.path()).expect("open"),
    );
    row("baseline: fs::read + parse", read_parse, None);
    row(
        "store: Store::open (+ lock, crc of 2 backups)",
        open,
        Some((read_parse, "read+parse")),
    );

    // ---------------------------------------------------------------- save
    // Each save is timed right after a plain write+fsync of the bytes the
    // store holds at that moment (same size, same machine load); medians.
    let plain = plain_dir.path().join("plain-save.json");
    let primary = dir.path().join(PRIMARY);
    let write_fsync = |bytes: &[u8]| {
        let t = Instant::now();
        let mut f = File::create(&plain).expect("create");
        f.write_all(bytes).expect("write");
        f.sync_all().expect("fsync");
        t.elapsed()
    };

    const COLD_RUNS: usize = 21;
    println!("Save, cold (first save after open: every record serialized; median of {COLD_RUNS}, paired runs):");
    let (mut base, mut cold) = (Vec::new(), Vec::new());
    for i in 0..=COLD_RUNS {
        let mut store = Store::open(dir.path()).expect("open");
        let current = std::fs::read(&primary).expect("read");
        let b = write_fsync(&current);
        let t = Instant::now();
        store.update(|d| d.next_id += 1).expect("save");
        let c = t.elapsed();
        drop(store);
        if i > 0 {
            // The first run is a warm-up.
            base.push(b);
            cold.push(c);
        }
    }
    let cold_ratio = median_ratio(&cold, &base);
    let (cold_base, cold) = (median(base), median(cold));
    row(
        "baseline: File::create + write_all + sync_all",
        cold_base,
        None,
    );
    row(
        "store: first Store::update after open (plain encode)",
        cold,
        Some((cold_base, "write+fsync")),
    );
    println!(
        "  {:<56} {cold_ratio:.2}x",
        "  (median of the per-run ratios)"
    );
    // A fresh encoder each run; its cache is dropped outside the timing
    // (as in the app, where it lives on).
    let cold_encode = median(
        (0..COLD_RUNS)
            .map(|_| {
                let mut encoder = Encoder::new();
                let t = Instant::now();
                let e = encoder
                    .encode(&data, 2, chrono::Utc::now(), file.len())
                    .expect("encode");
                let d = t.elapsed();
                std::hint::black_box((e, encoder));
                d
            })
            .collect(),
    );
    row(
        "  of which: encode (plain, + crc)",
        cold_encode,
        Some((cold_base, "write+fsync")),
    );
    let plain_encode = time(COLD_RUNS, || {
        encode(&data, 2, chrono::Utc::now(), file.len()).expect("encode")
    });
    row(
        "  (for reference: format::encode, no cache)",
        plain_encode,
        Some((cold_base, "write+fsync")),
    );
    row(
        "  the rest: the I/O protocol",
        cold.saturating_sub(cold_encode),
        Some((cold_base, "write+fsync")),
    );

    // A typical edit: one check-in added, one concern edited.
    let edit = |d: &mut Data, i: usize| {
        let now = chrono::Utc::now();
        let body = d.check_ins[i % d.check_ins.len()].body.clone();
        let r = d.new_record(body, now);
        d.check_ins.push(r);
        let n = d.concerns.len();
        let c = &mut d.concerns[(i * 37) % n];
        c.body.what_happened.push_str(" And one more thing.");
        c.updated = now;
    };
    const STEADY_RUNS: usize = 41;
    println!("Save, steady state (after a typical edit: +1 check-in, 1 concern edited; median of {STEADY_RUNS}, paired runs):");
    let mut store = Store::open(dir.path()).expect("open");
    store.update(|d| d.next_id += 1).expect("warm-up save");
    let (mut base, mut steady) = (Vec::new(), Vec::new());
    for i in 0..=STEADY_RUNS {
        let current = std::fs::read(&primary).expect("read");
        let b = write_fsync(&current);
        let t = Instant::now();
        store.update(|d| edit(d, i)).expect("save");
        let c = t.elapsed();
        if i > 0 {
            base.push(b);
            steady.push(c);
        }
    }
    let steady_ratio = median_ratio(&steady, &base);
    let (write_fsync, steady) = (median(base), median(steady));
    row(
        "baseline: File::create + write_all + sync_all",
        write_fsync,
        None,
    );
    row(
        "store: Store::update (full durable save)",
        steady,
        Some((write_fsync, "write+fsync")),
    );
    println!(
        "  {:<56} {steady_ratio:.2}x",
        "  (median of the per-run ratios)"
    );
    let mut encoder = Encoder::new();
    let mut edited = data.clone();
    // As the writer does after its first save.
    encoder.warm_up(&edited);
    let mut i = 0;
    let steady_encode = time(STEADY_RUNS, || {
        i += 1;
        edit(&mut edited, i);
        let e = encoder
            .encode(&edited, 2, chrono::Utc::now(), file.len())
            .expect("encode");
        // As the writer does once the file is written.
        encoder.recycle(std::hint::black_box(e).body);
    });
    row(
        "  of which: edit + incremental encode (+ crc)",
        steady_encode,
        Some((write_fsync, "write+fsync")),
    );
    row(
        "  the rest: the I/O protocol",
        steady.saturating_sub(steady_encode),
        Some((write_fsync, "write+fsync")),
    );

    // ------------------------------------------------------ UI-thread cost
    println!("UI thread (median of 51):");
    let later = time(51, || {
        store.update_later(|d| d.concerns[0].body.what_happened.push('x'));
    });
    row("store: update_later while typing", later, None);
    let flush = time(5, || {
        store.update_later(|d| d.concerns[0].body.what_happened.push('y'));
        store.flush().expect("flush");
    });
    row(
        "store: update_later + flush",
        flush,
        Some((write_fsync, "write+fsync")),
    );
    drop(store);
    let saved = std::fs::metadata(dir.path().join(PRIMARY))
        .expect("store")
        .len();
    println!(
        "Goals: save <= 1.5x write+fsync (steady state; cold shown for reference), load <= 1.5x \
         parse, both < 30 ms. File {saved} bytes."
    );
}

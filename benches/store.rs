//! Store benchmark at 10-year heavy-use scale: 3,650 check-ins, 1,000
//! concerns, ~2 MB of notes. Each figure is printed with its ratio to the
//! baseline measured in the same run (median of N runs, plain std timing).
//!
//! Run: `cargo bench --no-default-features --bench store`

#[path = "../tests/store_common/mod.rs"]
mod common;

use std::fs::File;
use std::io::Write;
use std::time::{Duration, Instant};

use common_ground::core::model::Data;
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
                    + c.body.how_it_felt.len()
                    + c.body.what_i_want.len()
                    + c.body.opening_line.len()
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
    let path = dir.path().join("plain.json");
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
    println!("Save (median of 21, paired runs):");
    let plain = dir.path().join("plain-save.json");
    let mut store = Store::open(dir.path()).expect("open");
    let (write_fsync, save) = paired(
        21,
        || {
            let mut f = File::create(&plain).expect("create");
            f.write_all(&file).expect("write");
            f.sync_all().expect("fsync");
        },
        || store.update(|d| d.next_id += 1).expect("save"),
    );
    row(
        "baseline: File::create + write_all + sync_all",
        write_fsync,
        None,
    );
    row(
        "store: Store::update (full durable save)",
        save,
        Some((write_fsync, "write+fsync")),
    );
    let encode_only = time(21, || {
        encode(&data, 2, chrono::Utc::now(), file.len()).expect("encode")
    });
    row(
        "  of which: encode (serialize + crc)",
        encode_only,
        Some((write_fsync, "write+fsync")),
    );
    row(
        "  the rest: the I/O protocol",
        save.saturating_sub(encode_only),
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
        "Goals: save <= 1.5x write+fsync, load <= 1.5x parse, both < 30 ms. File {saved} bytes."
    );
}

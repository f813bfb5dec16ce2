//! A backup of the 10-year store against the store's own durable save,
//! alone and core only (no Slint), so it builds and runs in a few minutes:
//!
//!     cargo bench --no-default-features --bench backup [-- --quick]
//!
//! The same figures are rows of `cargo bench --bench all` (see
//! `benches/figures/backup.rs` for what is timed).

#[path = "figures/backup.rs"]
mod figure;

use common_ground::core::sample::{generate, Spec};

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let runs = if quick { 5 } else { 15 };
    let end = chrono::NaiveDate::from_ymd_opt(2026, 11, 20).expect("date");
    let data = generate(Spec::heavy(10, end));
    assert_eq!((data.check_ins.len(), data.concerns.len()), (3_650, 1_000));
    let tmp = tempfile::tempdir().expect("tmp");
    println!(
        "median of {runs} paired runs; goal: a backup within {}x the save",
        figure::GOAL
    );
    for f in figure::measure(&data, tmp.path(), runs) {
        println!(
            "{}: backup {:.2} ms, save {:.2} ms, {:.2}x ({})",
            f.what,
            f.backup.as_secs_f64() * 1e3,
            f.save.as_secs_f64() * 1e3,
            f.ratio,
            if f.ratio <= figure::GOAL {
                "met"
            } else {
                "NOT met"
            }
        );
    }
}

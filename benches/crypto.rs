//! Encryption at rest, at 10-year heavy-use scale (3,650 check-ins, 1,000
//! concerns, ~2 MB of notes, as `benches/store.rs`). In one run:
//!
//! * unlock: Argon2id with the app's parameters (`KdfParams::APP`), and
//!   unlock + decrypt + parse of the whole store, against parsing the plain
//!   store;
//! * load: `decode_with` of the sealed file against `decode` of the plain
//!   one, and `Store::open_with_key` against `Store::open`;
//! * save: encode + seal against encode alone, and a steady-state
//!   `Store::update` (write, fsync, rename) of an encrypted store against a
//!   plain one, paired so both see the same machine load.
//!
//! Run: `cargo bench --no-default-features --bench crypto`

#[path = "../tests/store_common/mod.rs"]
mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common_ground::core::store::format::{decode, decode_with, encode, encrypt};
use common_ground::core::store::vfs::RealFs;
use common_ground::core::store::{key_wraps, KdfParams, Passcode, SealKey, Store};

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

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
    format!("{:9.3} ms", d.as_secs_f64() * 1e3)
}

fn row(name: &str, d: Duration, base: Option<(Duration, &str)>) {
    match base {
        Some((b, bname)) => println!(
            "  {name:<48} {}   {:.2}x {bname}",
            ms(d),
            d.as_secs_f64() / b.as_secs_f64()
        ),
        None => println!("  {name:<48} {}", ms(d)),
    }
}

fn main() {
    let data = common::heavy_data(3_650, 1_000, 2_000_000);
    let now = chrono::Utc::now();
    let pass = Passcode::new("a long and private passcode");
    let t = Instant::now();
    let key = SealKey::create(&pass, KdfParams::APP).expect("key");
    let create = t.elapsed();
    let plain = encode(&data, 1, now, 0).expect("encode").to_bytes();
    let sealed = encrypt(encode(&data, 1, now, 0).expect("encode"), &key)
        .expect("seal")
        .to_bytes();
    println!(
        "Heavy store: {} check-ins, {} concerns; plain file {:.2} MB, sealed {:.2} MB",
        data.check_ins.len(),
        data.concerns.len(),
        plain.len() as f64 / 1e6,
        sealed.len() as f64 / 1e6
    );
    let p = KdfParams::APP;
    println!(
        "Argon2id parameters: m = {} MiB, t = {}, p = {}",
        p.m_kib / 1024,
        p.t,
        p.p
    );

    // -------------------------------------------------------------- unlock
    println!("Unlock (median of 7):");
    let body = &plain[plain.iter().position(|&b| b == b'\n').expect("header") + 1..];
    let parse = median(
        (0..7)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(
                    serde_json::from_slice::<common_ground::core::model::Data>(body)
                        .expect("parse"),
                );
                t.elapsed()
            })
            .collect(),
    );
    row("baseline: parse the plain body", parse, None);
    row("create a passcode (Argon2id + wrap), once", create, None);
    let argon = median(
        (0..7)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(SealKey::unlock(&pass, key.wrap()).expect("unlock"));
                t.elapsed()
            })
            .collect(),
    );
    row("unlock: Argon2id + unwrap", argon, Some((parse, "parse")));
    let full = median(
        (0..7)
            .map(|_| {
                let t = Instant::now();
                let k = SealKey::unlock(&pass, key.wrap()).expect("unlock");
                std::hint::black_box(decode_with(&sealed, Some(&k)).expect("decode"));
                t.elapsed()
            })
            .collect(),
    );
    row(
        "unlock + decrypt + parse the 10-year store",
        full,
        Some((parse, "parse")),
    );

    // ---------------------------------------------------------------- load
    println!("Load (median of 41, paired runs):");
    let (plain_load, sealed_load) = paired(
        41,
        || decode(&plain).expect("decode"),
        || decode_with(&sealed, Some(&key)).expect("decode"),
    );
    row("baseline: decode plain file", plain_load, None);
    row(
        "decode sealed file (crc + decrypt + parse)",
        sealed_load,
        Some((plain_load, "plain")),
    );
    let plain_dir = tempfile::tempdir().expect("tempdir");
    let sealed_dir = tempfile::tempdir().expect("tempdir");
    {
        let mut s = Store::open(plain_dir.path()).expect("open");
        let d = data.clone();
        s.update(move |x| *x = d).expect("save");
        let mut s2 = Store::open(sealed_dir.path()).expect("open");
        let d = data.clone();
        s2.update(move |x| *x = d).expect("save");
        s2.set_protection(Some(key.clone())).expect("protect");
    }
    assert!(!key_wraps(sealed_dir.path()).is_empty());
    let (open_plain, open_sealed) = paired(
        21,
        || Store::open(plain_dir.path()).expect("open"),
        || {
            Store::open_with_key(sealed_dir.path(), Arc::new(RealFs), Some(key.clone()))
                .expect("open")
        },
    );
    row("baseline: Store::open (plain)", open_plain, None);
    row(
        "Store::open_with_key (sealed, key in hand)",
        open_sealed,
        Some((open_plain, "plain")),
    );

    // ---------------------------------------------------------------- save
    println!("Save (median of 41, paired runs):");
    let (enc_plain, enc_sealed) = paired(
        41,
        || encode(&data, 2, now, plain.len()).expect("encode"),
        || encrypt(encode(&data, 2, now, plain.len()).expect("encode"), &key).expect("seal"),
    );
    row("baseline: encode (serialize + crc)", enc_plain, None);
    row(
        "encode + seal (XChaCha20-Poly1305 + crc)",
        enc_sealed,
        Some((enc_plain, "plain")),
    );
    let mut ps = Store::open(plain_dir.path()).expect("open");
    let mut ss =
        Store::open_with_key(sealed_dir.path(), Arc::new(RealFs), Some(key.clone())).expect("open");
    let (save_plain, save_sealed) = paired(
        41,
        || {
            ps.update(|d| d.check_ins[7].body.note.push('.'))
                .expect("save")
        },
        || {
            ss.update(|d| d.check_ins[7].body.note.push('.'))
                .expect("save")
        },
    );
    row(
        "baseline: Store::update, plain (steady state)",
        save_plain,
        None,
    );
    row(
        "Store::update, sealed (steady state)",
        save_sealed,
        Some((save_plain, "plain")),
    );
}

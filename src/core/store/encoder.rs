//! The incremental encoder used for saves.
//!
//! Serializing the whole document costs about as much as writing and
//! fsyncing it, yet a typical save changes one or two records. The
//! [`Encoder`] keeps, for each check-in and concern, the JSON bytes it last
//! wrote for it and a 128-bit fingerprint of the record (two independently
//! keyed SipHash digests of its `Hash`). When it encodes again, a record
//! whose fingerprint matches reuses the cached bytes; any other record is
//! serialized with `serde_json` and replaces the cache entry. Records that
//! are gone are evicted. The cache holds no copy of the records, only their
//! bytes: about the size of the file.
//!
//! The result is byte for byte what `serde_json::to_vec(&data)` produces
//! (and so what [`format::encode`] writes); the file format does not change.
//! The test `incremental_encoder_matches_serde_json` in
//! `tests/store_format.rs` checks this over arbitrary data and sequences of
//! edits, so a field added to [`Data`] but not here fails it.
//!
//! Reuse rests on the whole record's content, never on timestamps: a record
//! changed without touching `updated` has another fingerprint and is
//! re-serialized. The keys are random per process, so no stored text can be
//! crafted to collide; by chance two different records share a fingerprint
//! with odds of about 2^-128. `Eq` and `Hash` must agree (no floats).

use std::collections::hash_map::RandomState;
use std::collections::HashMap;
use std::hash::{BuildHasher, Hash, Hasher};

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::format::{self, Encoded};
use crate::core::model::{CheckIn, Concern, Data, Record};

/// A record's fingerprint: two SipHash digests under independent keys.
type Fingerprint = (u64, u64);

/// Feeds one `Hash` walk to two hashers.
struct Both<A, B>(A, B);

impl<A: Hasher, B: Hasher> Hasher for Both<A, B> {
    fn write(&mut self, bytes: &[u8]) {
        self.0.write(bytes);
        self.1.write(bytes);
    }

    fn finish(&self) -> u64 {
        self.0.finish()
    }
}

/// The two keys of the fingerprints (fixed for the encoder's life).
struct Keys(RandomState, RandomState);

impl Keys {
    fn new() -> Self {
        Keys(RandomState::new(), RandomState::new())
    }

    fn fingerprint<T: Hash>(&self, record: &Record<T>) -> Fingerprint {
        let mut h = Both(self.0.build_hasher(), self.1.build_hasher());
        record.hash(&mut h);
        (h.0.finish(), h.1.finish())
    }
}

/// One kind of record: id -> (its fingerprint, its JSON).
struct RecordCache<T> {
    entries: HashMap<String, Entry>,
    kind: std::marker::PhantomData<T>,
}

struct Entry {
    fingerprint: Fingerprint,
    json: Box<[u8]>,
    /// The encoding pass that last used this entry (for eviction).
    pass: u64,
}

impl<T: Serialize + Hash> RecordCache<T> {
    fn new() -> Self {
        RecordCache {
            entries: HashMap::new(),
            kind: std::marker::PhantomData,
        }
    }

    /// Appends `[r1,r2,...]` to `out`, reusing the bytes of unchanged
    /// records.
    fn write_array(
        &mut self,
        records: &[Record<T>],
        keys: &Keys,
        pass: u64,
        out: &mut Vec<u8>,
    ) -> Result<(), serde_json::Error> {
        self.entries
            .reserve(records.len().saturating_sub(self.entries.len()));
        out.push(b'[');
        for (i, record) in records.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            let fingerprint = keys.fingerprint(record);
            match self.entries.get_mut(record.id.as_str()) {
                Some(entry) if entry.fingerprint == fingerprint => {
                    entry.pass = pass;
                    out.extend_from_slice(&entry.json);
                }
                Some(entry) => {
                    entry.json = serialize_into(record, out)?;
                    entry.fingerprint = fingerprint;
                    entry.pass = pass;
                }
                None => {
                    let json = serialize_into(record, out)?;
                    self.entries.insert(
                        record.id.clone(),
                        Entry {
                            fingerprint,
                            json,
                            pass,
                        },
                    );
                }
            }
        }
        out.push(b']');
        Ok(())
    }

    /// Drops the entries not used by pass `pass`.
    fn evict_unused(&mut self, pass: u64) {
        self.entries.retain(|_, e| e.pass == pass);
    }
}

/// Appends the JSON of `record` to `out` and returns a copy of it.
fn serialize_into<T: Serialize>(
    record: &Record<T>,
    out: &mut Vec<u8>,
) -> Result<Box<[u8]>, serde_json::Error> {
    let start = out.len();
    serde_json::to_writer(&mut *out, record)?;
    Ok(out[start..].into())
}

/// Serializes [`Data`] for saves, reusing the bytes of unchanged records.
/// Owned by the writer thread; one per store.
pub struct Encoder {
    check_ins: RecordCache<CheckIn>,
    concerns: RecordCache<Concern>,
    keys: Keys,
    pass: u64,
    /// A body buffer given back by [`Encoder::recycle`], reused so that a
    /// save does not allocate (and fault in) a few fresh megabytes.
    spare: Vec<u8>,
    /// Whether the record caches have been filled. Until then `encode`
    /// uses plain `serde_json` (filling the caches costs about twice a
    /// plain encoding), and the writer fills them after the first save.
    warm: bool,
}

impl Default for Encoder {
    fn default() -> Self {
        Encoder::new()
    }
}

impl std::fmt::Debug for Encoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Encoder")
            .field("cached_records", &self.cached_records())
            .finish_non_exhaustive()
    }
}

impl Encoder {
    /// An encoder with an empty cache (its first encoding serializes
    /// everything).
    pub fn new() -> Self {
        Encoder {
            check_ins: RecordCache::new(),
            concerns: RecordCache::new(),
            keys: Keys::new(),
            pass: 0,
            spare: Vec::new(),
            warm: false,
        }
    }

    /// How many records are cached (for tests).
    pub fn cached_records(&self) -> usize {
        self.check_ins.entries.len() + self.concerns.entries.len()
    }

    /// Appends the JSON of `data` to `out`: exactly the bytes of
    /// `serde_json::to_vec(data)`.
    pub fn write_body(&mut self, data: &Data, out: &mut Vec<u8>) -> Result<(), serde_json::Error> {
        self.warm = true;
        // Destructured without `..`: a field added to `Data` stops this
        // from compiling until it is written below too (in declaration
        // order, as the serde derive does).
        let Data {
            settings,
            learn,
            check_ins,
            concerns,
            prepare,
            insights,
            sessions,
            next_id,
        } = data;
        self.pass = self.pass.wrapping_add(1);
        let pass = self.pass;
        out.extend_from_slice(b"{\"settings\":");
        serde_json::to_writer(&mut *out, settings)?;
        out.extend_from_slice(b",\"learn\":");
        serde_json::to_writer(&mut *out, learn)?;
        out.extend_from_slice(b",\"check_ins\":");
        self.check_ins
            .write_array(check_ins, &self.keys, pass, out)?;
        out.extend_from_slice(b",\"concerns\":");
        self.concerns.write_array(concerns, &self.keys, pass, out)?;
        out.extend_from_slice(b",\"prepare\":");
        serde_json::to_writer(&mut *out, prepare)?;
        out.extend_from_slice(b",\"insights\":");
        serde_json::to_writer(&mut *out, insights)?;
        out.extend_from_slice(b",\"sessions\":");
        serde_json::to_writer(&mut *out, sessions)?;
        out.extend_from_slice(b",\"next_id\":");
        serde_json::to_writer(&mut *out, next_id)?;
        out.push(b'}');
        self.check_ins.evict_unused(pass);
        self.concerns.evict_unused(pass);
        Ok(())
    }

    /// The JSON of `data` (the same bytes as `serde_json::to_vec(data)`).
    pub fn to_vec(&mut self, data: &Data) -> Result<Vec<u8>, serde_json::Error> {
        let mut out = Vec::new();
        self.write_body(data, &mut out)?;
        Ok(out)
    }

    /// [`format::encode`], incrementally: the same header and body bytes.
    pub fn encode(
        &mut self,
        data: &Data,
        generation: u64,
        saved: DateTime<Utc>,
        size_hint: usize,
    ) -> Result<Encoded, serde_json::Error> {
        let mut body = std::mem::take(&mut self.spare);
        body.clear();
        // Room for the document to grow a little since the last save.
        body.reserve(size_hint + size_hint / 32 + 4096);
        if self.warm {
            self.write_body(data, &mut body)?;
        } else {
            serde_json::to_writer(&mut body, data)?;
        }
        format::seal(body, generation, saved)
    }

    /// Whether the record caches are filled (see [`Encoder::warm_up`]).
    pub fn is_warm(&self) -> bool {
        self.warm
    }

    /// Fills the record caches from `data`, so that the next
    /// [`Encoder::encode`] reuses every unchanged record.
    pub fn warm_up(&mut self, data: &Data) {
        let mut scratch = std::mem::take(&mut self.spare);
        scratch.clear();
        // Serializing plain structs into memory cannot fail.
        let _ = self.write_body(data, &mut scratch);
        self.spare = scratch;
    }

    /// Gives back the body of an [`Encoded`] once it has been written, for
    /// the next [`Encoder::encode`] to reuse (its contents are cleared; this
    /// only saves an allocation).
    pub fn recycle(&mut self, body: Vec<u8>) {
        self.spare = body;
    }
}

//! How big the data is on disk, and what to say when it would be too big.
//!
//! The store refuses to read a file above [`MAX_FILE_BYTES`], so nothing
//! may ever write one: an import that would pass the limit is refused
//! before it changes anything, and the writer refuses such a save (the
//! store file on disk stays as it was). Either way the message names the
//! largest item, which is nearly always the one to blame.

use std::fmt;
use std::io;

use chrono::NaiveDate;
use serde::Serialize;

use crate::core::model::{Data, Record, RecordId};
use crate::core::store::format::{MAX_FILE_BYTES, MAX_HEADER_BYTES};

/// The largest body that, with its header line (and, when sealed, the
/// authentication tag), still fits in [`MAX_FILE_BYTES`].
pub const MAX_BODY_BYTES: u64 = MAX_FILE_BYTES - MAX_HEADER_BYTES as u64 - 64;

/// Which kind of record an item is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemKind {
    CheckIn,
    Concern,
}

/// One record and its size as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    pub kind: ItemKind,
    pub id: RecordId,
    /// The day it is about (a check-in's session, a concern's writing).
    pub day: NaiveDate,
    pub bytes: u64,
}

/// The data would make a store file larger than the store can read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TooLarge {
    /// The size it would take.
    pub bytes: u64,
    /// The most a store file may take.
    pub max: u64,
    /// The largest record, if there is any.
    pub largest: Option<Item>,
}

fn mb(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
}

impl fmt::Display for TooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "your data would take {}, more than the {} a Common Ground store can hold",
            mb(self.bytes),
            mb(self.max)
        )?;
        if let Some(item) = &self.largest {
            let kind = match item.kind {
                ItemKind::CheckIn => "the check-in of",
                ItemKind::Concern => "the concern written on",
            };
            write!(
                f,
                "; the largest item is {kind} {} (record {}, {})",
                item.day,
                item.id,
                mb(item.bytes)
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for TooLarge {}

/// Counts bytes instead of keeping them.
struct Count(u64);

impl io::Write for Count {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The size of `value` as JSON, without keeping the bytes.
pub fn json_len<T: Serialize + ?Sized>(value: &T) -> u64 {
    let mut count = Count(0);
    match serde_json::to_writer(&mut count, value) {
        Ok(()) => count.0,
        Err(_) => u64::MAX,
    }
}

/// The largest record in `data`.
pub fn largest_item(data: &Data) -> Option<Item> {
    fn biggest<T: Serialize>(
        list: &[Record<T>],
        kind: ItemKind,
        day: impl Fn(&Record<T>) -> NaiveDate,
    ) -> Option<Item> {
        list.iter()
            .map(|r| (json_len(r), r))
            .max_by_key(|(n, _)| *n)
            .map(|(bytes, r)| Item {
                kind,
                id: r.id.clone(),
                day: day(r),
                bytes,
            })
    }
    let c = biggest(&data.check_ins, ItemKind::CheckIn, |r| r.body.when.date());
    let k = biggest(&data.concerns, ItemKind::Concern, |r| {
        r.created.date_naive()
    });
    match (c, k) {
        (Some(c), Some(k)) => Some(if c.bytes >= k.bytes { c } else { k }),
        (c, k) => c.or(k),
    }
}

/// The refusal for data whose body takes `bytes`.
pub fn too_large(data: &Data, bytes: u64) -> TooLarge {
    TooLarge {
        bytes,
        max: MAX_FILE_BYTES,
        largest: largest_item(data),
    }
}

/// Checks that `data` fits in a store file (plain or sealed); returns the
/// size of its body. One pass of serialization, nothing kept.
pub fn check_fits(data: &Data) -> Result<u64, TooLarge> {
    let bytes = json_len(data);
    if bytes > MAX_BODY_BYTES {
        Err(too_large(data, bytes))
    } else {
        Ok(bytes)
    }
}

//! The on-disk format: one header line, then the JSON body.
//!
//! ```text
//! {"format":"common-ground-store","version":1,"generation":7,"saved":"2026-01-01T10:00:00Z","length":1234,"crc32":305419896}\n
//! <exactly `length` bytes of JSON: the `Data` document of that version>\n
//! ```
//!
//! See `docs/store-format.md` for the full description. Everything here is
//! pure: bytes in, typed result out, never a panic.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::crypto::{self, B64Bytes, KeyWrap, SealKey};
use crate::core::model::{clip, Data, IdError};

/// The `format` field of every store file.
pub const FORMAT_NAME: &str = "common-ground-store";
/// The format version this build writes. Bump it (and add a migration and a
/// golden file) for every released change to `Data`.
pub const CURRENT_VERSION: u64 = 5;
/// Files larger than this are refused without being read. A 10-year heavy
/// store is about 3 MB, so this leaves a wide margin.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// The header line must end within this many bytes.
pub const MAX_HEADER_BYTES: usize = 4096;

/// The first line of a store file.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Header {
    /// Always [`FORMAT_NAME`].
    pub format: String,
    /// The format version of the body.
    pub version: u64,
    /// Counts saves; each save writes `generation + 1`.
    pub generation: u64,
    /// When this generation was written.
    pub saved: DateTime<Utc>,
    /// Byte length of the body (without the final newline).
    pub length: u64,
    /// CRC-32 (IEEE) of the body bytes; for an encrypted file, of
    /// [`Header::canonical`] followed by the body (so that `check` detects
    /// damage anywhere without the passcode).
    pub crc32: u32,
    /// Present when the body is sealed (encryption at rest); absent in a
    /// plain file, whose bytes are unchanged by this field's existence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encryption: Option<Sealing>,
}

/// How an encrypted body is sealed. Nothing secret.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Sealing {
    /// Always [`crypto::CIPHER`].
    pub cipher: String,
    /// The fresh random nonce of this save.
    pub nonce: B64Bytes,
    /// The data key, wrapped by the passcode.
    pub key: KeyWrap,
}

impl Header {
    /// The header with `crc32` set to 0, as JSON: the associated data of an
    /// encrypted body and the start of the bytes its checksum covers.
    pub fn canonical(&self) -> Vec<u8> {
        let mut h = self.clone();
        h.crc32 = 0;
        serde_json::to_vec(&h).unwrap_or_default()
    }

    /// Whether the body is sealed.
    pub fn is_encrypted(&self) -> bool {
        self.encryption.is_some()
    }
}

/// The part of the header every version shares: read first, so that a
/// future version is recognised even if its header has other fields.
#[derive(Deserialize)]
struct Probe {
    format: String,
    version: u64,
}

/// Why a file could not be loaded. Shown to users, so the messages are plain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoadError {
    /// The file has no bytes at all.
    Empty,
    /// The file is larger than [`MAX_FILE_BYTES`]; it was not read.
    TooLarge { len: u64, max: u64 },
    /// The file does not start with a Common Ground store header.
    NotAStore { detail: String },
    /// The header is a store header but is damaged.
    BadHeader { detail: String },
    /// Written by a newer version of Common Ground.
    FutureVersion { found: u64, supported: u64 },
    /// A version number this program never wrote (e.g. 0).
    UnknownVersion { found: u64 },
    /// The file ends before the body does (a torn or cut-off write).
    Truncated { expected: u64, found: u64 },
    /// There are extra bytes after the body.
    TrailingData { extra: u64 },
    /// The body does not match its checksum (corruption).
    ChecksumMismatch { expected: u32, found: u32 },
    /// The checksum matches but the body is not a valid document.
    BadContent { detail: String },
    /// Upgrading from an older version failed.
    Migration { from: u64, detail: String },
    /// The file exists but reading it failed (used by the store, not by
    /// [`decode`]).
    Io { detail: String },
    /// The body is encrypted and no key was given (the file itself passed
    /// its checks).
    Locked,
    /// The body is sealed with a different data key than the one unlocked.
    OtherKey,
    /// The checksum matches but the sealed body does not open with the
    /// key: it was altered after sealing.
    Tampered,
    /// A plain (unencrypted) file in a folder whose store is sealed: never
    /// loaded, so that nobody can switch encryption off by putting a plain
    /// file in place.
    NotSealed,
    /// The document is readable but its record ids are malformed or used
    /// twice.
    Ids(IdError),
}

/// How much of a file's content an error message may quote.
pub const MAX_QUOTED_CHARS: usize = 80;

/// A JSON error for a message: what went wrong, quoting at most
/// [`MAX_QUOTED_CHARS`] characters of the file (serde quotes whole
/// strings, which can be megabytes long, or decrypted text), then where.
pub fn json_detail(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let position = format!(" at line {} column {}", e.line(), e.column());
    let what = text.strip_suffix(&position).unwrap_or(&text);
    let what = clip(what, MAX_QUOTED_CHARS);
    if e.line() == 0 {
        what
    } else {
        format!("{what}{position}")
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Empty => write!(f, "the file is empty"),
            LoadError::TooLarge { len, max } => write!(
                f,
                "the file is too large to be a Common Ground store ({len} bytes; the limit is {max})"
            ),
            LoadError::NotAStore { detail } => {
                write!(f, "this is not a Common Ground store file ({detail})")
            }
            LoadError::BadHeader { detail } => {
                write!(f, "the file's header is damaged ({detail})")
            }
            LoadError::FutureVersion { found, supported } => write!(
                f,
                "the file was written by a newer version of Common Ground (format {found}; \
                 this version understands up to {supported}). Please update the app"
            ),
            LoadError::UnknownVersion { found } => {
                write!(f, "the file has an unknown format version ({found})")
            }
            LoadError::Truncated { expected, found } => write!(
                f,
                "the file is cut short ({found} of {expected} bytes); it was probably \
                 interrupted while being written"
            ),
            LoadError::TrailingData { extra } => {
                write!(f, "the file has {extra} unexpected bytes at its end")
            }
            LoadError::ChecksumMismatch { expected, found } => write!(
                f,
                "the file is damaged: its checksum does not match (expected {expected:08x}, \
                 found {found:08x})"
            ),
            LoadError::BadContent { detail } => {
                write!(f, "the file's contents could not be understood ({detail})")
            }
            LoadError::Migration { from, detail } => {
                write!(f, "the file could not be upgraded from format {from} ({detail})")
            }
            LoadError::Io { detail } => write!(f, "the file could not be read ({detail})"),
            LoadError::Locked => write!(f, "the file is encrypted and needs the passcode"),
            LoadError::OtherKey => {
                write!(f, "the file is encrypted with a different key than this store's")
            }
            LoadError::Tampered => write!(
                f,
                "the file's encrypted contents fail their authenticity check (they were altered)"
            ),
            LoadError::NotSealed => write!(
                f,
                "the file is not encrypted, but the store in this folder is; it was not opened"
            ),
            LoadError::Ids(e) => write!(f, "the file's records are not valid: {e}"),
        }
    }
}

impl std::error::Error for LoadError {}

/// A successfully decoded file.
#[derive(Clone, Debug, PartialEq)]
pub struct Decoded {
    pub header: Header,
    pub data: Data,
}

/// An encoded generation: the header line and the body, written one after
/// the other (kept apart so the body is never copied).
#[derive(Clone, Debug)]
pub struct Encoded {
    pub header: Header,
    /// The header line including its trailing `\n`.
    pub header_line: Vec<u8>,
    /// The body including its trailing `\n`.
    pub body: Vec<u8>,
}

impl Encoded {
    /// The whole file as one buffer.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.header_line.len() + self.body.len());
        out.extend_from_slice(&self.header_line);
        out.extend_from_slice(&self.body);
        out
    }

    /// Total file size in bytes.
    pub fn len(&self) -> usize {
        self.header_line.len() + self.body.len()
    }

    /// Never true for a real encoding; present for API symmetry.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Encodes `data` as generation `generation` of the current format.
/// `size_hint` is the expected body size (e.g. the previous one).
pub fn encode(
    data: &Data,
    generation: u64,
    saved: DateTime<Utc>,
    size_hint: usize,
) -> Result<Encoded, serde_json::Error> {
    let mut body = Vec::with_capacity(size_hint + 64);
    serde_json::to_writer(&mut body, data)?;
    seal(body, generation, saved)
}

/// Completes an encoding from `body`, the JSON of a `Data` document (as
/// `serde_json::to_vec` or [`super::encoder::Encoder`] writes it): adds the
/// checksum, the final newline and the header line.
pub fn seal(
    mut body: Vec<u8>,
    generation: u64,
    saved: DateTime<Utc>,
) -> Result<Encoded, serde_json::Error> {
    let length = body.len() as u64;
    let crc32 = crc32fast::hash(&body);
    body.push(b'\n');
    let header = Header {
        format: FORMAT_NAME.to_owned(),
        version: CURRENT_VERSION,
        generation,
        saved,
        length,
        crc32,
        encryption: None,
    };
    let mut header_line = serde_json::to_vec(&header)?;
    header_line.push(b'\n');
    Ok(Encoded {
        header,
        header_line,
        body,
    })
}

/// Splits the file into a verified header and the body bytes, checking
/// sizes and the checksum but not parsing the body. Cheap (one CRC pass).
pub fn verify(bytes: &[u8]) -> Result<(Header, &[u8]), LoadError> {
    if bytes.is_empty() {
        return Err(LoadError::Empty);
    }
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(LoadError::TooLarge {
            len: bytes.len() as u64,
            max: MAX_FILE_BYTES,
        });
    }
    let window = &bytes[..bytes.len().min(MAX_HEADER_BYTES)];
    let Some(nl) = window.iter().position(|&b| b == b'\n') else {
        return Err(
            if bytes.first() == Some(&b'{') && bytes.len() < MAX_HEADER_BYTES {
                LoadError::BadHeader {
                    detail: "the header line is cut short".into(),
                }
            } else {
                LoadError::NotAStore {
                    detail: "no header line".into(),
                }
            },
        );
    };
    let line = &bytes[..nl];
    let probe: Probe = serde_json::from_slice(line).map_err(|e| {
        let looks_like_ours = serde_json::from_slice::<Value>(line)
            .ok()
            .is_some_and(|v| v.get("format").and_then(Value::as_str) == Some(FORMAT_NAME));
        if looks_like_ours {
            LoadError::BadHeader {
                detail: json_detail(&e),
            }
        } else {
            LoadError::NotAStore {
                detail: "the first line is not a store header".into(),
            }
        }
    })?;
    if probe.format != FORMAT_NAME {
        return Err(LoadError::NotAStore {
            detail: format!("format is {:?}", clip(&probe.format, 40)),
        });
    }
    if probe.version > CURRENT_VERSION {
        return Err(LoadError::FutureVersion {
            found: probe.version,
            supported: CURRENT_VERSION,
        });
    }
    if probe.version == 0 {
        return Err(LoadError::UnknownVersion {
            found: probe.version,
        });
    }
    // Every version so far (1, 2, 3) shares this header layout.
    let header: Header = serde_json::from_slice(line).map_err(|e| LoadError::BadHeader {
        detail: json_detail(&e),
    })?;
    // An encrypted header is bound byte for byte: it must be exactly what
    // this build writes for its values, so that no flipped bit (such as the
    // case of a letter in the timestamp) can go unnoticed.
    if header.is_encrypted() && serde_json::to_vec(&header).ok().as_deref() != Some(line) {
        return Err(LoadError::BadHeader {
            detail: "the encrypted file's header was altered".into(),
        });
    }
    let rest = &bytes[nl + 1..];
    let expected = header.length.saturating_add(1);
    let found = rest.len() as u64;
    if found < expected {
        return Err(LoadError::Truncated { expected, found });
    }
    if found > expected {
        return Err(LoadError::TrailingData {
            extra: found - expected,
        });
    }
    // `found == expected == length + 1` and `rest.len()` fits in usize.
    let len = rest.len() - 1;
    let (body, end) = rest.split_at(len);
    if end != b"\n" {
        return Err(LoadError::BadHeader {
            detail: "the body does not end with a newline".into(),
        });
    }
    let crc = if header.is_encrypted() {
        let mut hasher = crc32fast::Hasher::new();
        hasher.update(&header.canonical());
        hasher.update(body);
        hasher.finalize()
    } else {
        crc32fast::hash(body)
    };
    if crc != header.crc32 {
        return Err(LoadError::ChecksumMismatch {
            expected: header.crc32,
            found: crc,
        });
    }
    Ok((header, body))
}

/// Decodes a whole store file: verifies it, parses the body and migrates it
/// to the current version. The loader used everywhere (and fuzzed).
pub fn decode(bytes: &[u8]) -> Result<Decoded, LoadError> {
    decode_with(bytes, None)
}

/// [`decode`], opening an encrypted body with `key`. A plain file decodes
/// with or without a key; an encrypted one without a key is
/// [`LoadError::Locked`] (after every check that needs no key).
pub fn decode_with(bytes: &[u8], key: Option<&SealKey>) -> Result<Decoded, LoadError> {
    let (header, body) = verify(bytes)?;
    let plain;
    let body = match &header.encryption {
        None => body,
        Some(sealing) => {
            check_sealing(sealing)?;
            let key = key.ok_or(LoadError::Locked)?;
            if !key.is_key(&sealing.key.key_id.0) {
                return Err(LoadError::OtherKey);
            }
            plain = zeroize::Zeroizing::new(
                key.open(&sealing.nonce.0, body, &header.canonical())
                    .ok_or(LoadError::Tampered)?,
            );
            &plain[..]
        }
    };
    let bad = |e: serde_json::Error| LoadError::BadContent {
        detail: json_detail(&e),
    };
    let mut data = if header.version == CURRENT_VERSION {
        serde_json::from_slice::<Data>(body).map_err(bad)?
    } else {
        let value: Value = serde_json::from_slice(body).map_err(bad)?;
        let value = migrate(header.version, value)?;
        serde_json::from_value::<Data>(value).map_err(bad)?
    };
    data.check_ids().map_err(LoadError::Ids)?;
    Ok(Decoded { header, data })
}

/// Whether `bytes` start with a header line that claims an encrypted body
/// (an `encryption` object), whatever else is wrong with the file. Used as
/// evidence that a folder is sealed: a damaged sealed file still says so.
pub fn claims_sealed(bytes: &[u8]) -> bool {
    let end = bytes.len().min(MAX_HEADER_BYTES);
    let Some(nl) = bytes[..end].iter().position(|&b| b == b'\n') else {
        return false;
    };
    serde_json::from_slice::<Value>(&bytes[..nl])
        .ok()
        .and_then(|v| v.get("encryption").map(|e| !e.is_null()))
        .unwrap_or(false)
}

/// The header fields of an encrypted file are of the right shape.
pub fn check_sealing(sealing: &Sealing) -> Result<(), LoadError> {
    if sealing.cipher != crypto::CIPHER
        || sealing.nonce.0.len() != crypto::NONCE_LEN
        || !sealing.key.is_well_formed()
    {
        return Err(LoadError::BadHeader {
            detail: "unknown or malformed encryption settings".into(),
        });
    }
    Ok(())
}

/// Seals a plain encoding (from [`encode`] or the incremental encoder) with
/// `key`: the body becomes XChaCha20-Poly1305 ciphertext under a fresh
/// nonce, with the header (crc32 = 0) as associated data, and the checksum
/// covers that header and the ciphertext. The plain body buffer is wiped.
pub fn encrypt(mut plain: Encoded, key: &SealKey) -> Result<Encoded, LoadError> {
    let sealed = encrypted(&plain, key);
    zeroize::Zeroize::zeroize(&mut plain.body);
    sealed
}

/// [`encrypt`], leaving the plain encoding as it is (the store's writer
/// keeps it to try a failed save again).
pub fn encrypted(plain: &Encoded, key: &SealKey) -> Result<Encoded, LoadError> {
    let text_len = plain.body.len().saturating_sub(1);
    let mut header = plain.header.clone();
    header.length = (text_len + crypto::TAG_LEN) as u64;
    header.crc32 = 0;
    // The nonce is part of the associated data, so pick it first.
    let nonce = SealKey::new_nonce().map_err(|e| LoadError::BadContent {
        detail: e.to_string(),
    })?;
    header.encryption = Some(Sealing {
        cipher: crypto::CIPHER.to_owned(),
        nonce: B64Bytes(nonce.to_vec()),
        key: key.wrap().clone(),
    });
    let canonical = header.canonical();
    let mut body = key
        .seal_with_nonce(&nonce, &plain.body[..text_len], &canonical)
        .map_err(|e| LoadError::BadContent {
            detail: e.to_string(),
        })?;
    let mut hasher = crc32fast::Hasher::new();
    hasher.update(&canonical);
    hasher.update(&body);
    header.crc32 = hasher.finalize();
    body.push(b'\n');
    let mut header_line = serde_json::to_vec(&header).map_err(|e| LoadError::BadContent {
        detail: e.to_string(),
    })?;
    header_line.push(b'\n');
    Ok(Encoded {
        header,
        header_line,
        body,
    })
}

/// One migration step: turns the body of version `n` into version `n + 1`.
pub type Migration = fn(Value) -> Result<Value, String>;

/// `MIGRATIONS[i]` upgrades version `i + 1` to `i + 2`; see
/// docs/store-format.md for how to add one.
pub const MIGRATIONS: &[Migration] = &[v1_to_v2, v2_to_v3, v3_to_v4, v4_to_v5];

/// Version 2 (Prepare's concern builder) gives `Concern` its new shape and adds
/// `prepare` (agenda and open draft). Every word the user wrote is kept:
///
/// * `title` becomes the first line of `what_happened` (unless that text
///   already starts with it), since titles are now derived from it;
/// * `how_it_felt` goes into `what_matters`, after the line "How it felt:";
/// * `what_i_want` becomes `would_like`, `opening_line` becomes
///   `own_opener` (the chosen opener, as there are no suggestions yet);
/// * `status` becomes `state` (`dropped` is `set-aside`; an unknown
///   status is `draft`); `outcome` becomes `outcome.note`;
/// * `ready` concerns join `prepare.agenda` in their stored order;
/// * check-ins move from 1-5 to 0-10 scores: see
///   [`score_1_5_to_0_10`]. `session_date` becomes `when` at 12:00 that
///   day; without a date, `when` is the record's `created` time (UTC, as
///   the old file kept no local time). The new items (`overall`,
///   `mood_before`) are left empty; `tags` and `concerns` start empty;
/// * `insights` (dismissed nudges) is added, empty.
///
/// Drafts reopen at step 1, every other concern at the review step.
///
/// `settings.region` (the help region) is added as `null`: the app then takes the
/// region from the system locale at its next start, as on a first start.
/// `settings.text_scale` is added as 100 (the normal size).
///
/// A document of the wrong shape is passed on unchanged, so that parsing it
/// reports what is wrong (`LoadError::BadContent`).
pub fn v1_to_v2(mut v: Value) -> Result<Value, String> {
    let Some(root) = v.as_object_mut() else {
        return Ok(v);
    };
    let mut agenda = Vec::new();
    if let Some(list) = root.get_mut("concerns").and_then(Value::as_array_mut) {
        for record in list.iter_mut() {
            let id = record.get("id").cloned().unwrap_or(Value::Null);
            let Some(body) = record.get_mut("body").and_then(Value::as_object_mut) else {
                continue;
            };
            let text = |key: &str| -> String {
                body.get(key)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned()
            };
            let title = text("title");
            let happened = text("what_happened");
            let felt = text("how_it_felt");
            let want = text("what_i_want");
            let opening = text("opening_line");
            let note = text("outcome");
            let status = text("status");
            let what_happened = if title.trim().is_empty() || happened.starts_with(title.trim()) {
                happened
            } else if happened.trim().is_empty() {
                title
            } else {
                format!("{title}\n{happened}")
            };
            let what_matters = if felt.trim().is_empty() {
                String::new()
            } else {
                format!("How it felt:\n{felt}")
            };
            let state = match status.as_str() {
                "ready" => "ready",
                "raised" => "raised",
                "dropped" => "set-aside",
                _ => "draft",
            };
            if state == "ready" && id.is_string() {
                agenda.push(id);
            }
            let step = if state == "draft" { 1 } else { 7 };
            *body = serde_json::json!({
                "topics": [],
                "other_topic": "",
                "what_happened": what_happened,
                "feelings": [],
                "intensity": 0,
                "what_matters": what_matters,
                "would_like": want,
                "raise_way": null,
                "openers": [],
                "suggested": [],
                "own_opener": opening,
                "chosen_opener": 0,
                "step": step,
                "ethics_seen": false,
                "state": state,
                "outcome": {"raised_at": null, "response": null, "note": note, "feel_now": null},
            })
            .as_object()
            .cloned()
            .unwrap_or_default();
        }
    }
    if let Some(list) = root.get_mut("check_ins").and_then(Value::as_array_mut) {
        for record in list.iter_mut() {
            let created = record
                .get("created")
                .and_then(Value::as_str)
                .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
                .map(|t| t.naive_utc());
            let Some(body) = record.get_mut("body").and_then(Value::as_object_mut) else {
                continue;
            };
            let score = |key: &str| body.get(key).and_then(Value::as_u64);
            let when = body
                .get("session_date")
                .and_then(Value::as_str)
                .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
                .and_then(|d| d.and_hms_opt(12, 0, 0))
                .or(created)
                .unwrap_or_default();
            // Mood was required on the old form too; a 0 there means it was
            // never set, which the middle of the scale says most honestly.
            let mood = score_1_5_to_0_10(score("mood")).unwrap_or(5);
            let note = body
                .get("note")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            *body = serde_json::json!({
                "when": when,
                "mood": mood,
                "mood_before": null,
                "heard": score_1_5_to_0_10(score("heard")),
                "goals": score_1_5_to_0_10(score("goals")),
                "approach": score_1_5_to_0_10(score("approach")),
                "overall": null,
                "note": note,
                "tags": [],
                "concerns": [],
            })
            .as_object()
            .cloned()
            .unwrap_or_default();
        }
    }
    root.insert(
        "prepare".to_owned(),
        serde_json::json!({"agenda": agenda, "open": null}),
    );
    root.insert("insights".to_owned(), serde_json::json!({"dismissed": []}));
    if let Some(settings) = root.get_mut("settings").and_then(Value::as_object_mut) {
        settings.entry("region").or_insert(Value::Null);
        settings.entry("text_scale").or_insert(Value::from(100u32));
    }
    Ok(v)
}

/// Version 3 adds `settings.backup` (automatic backups to a folder the
/// user picks: folder, how many to keep, device label, last good backup,
/// the passphrase-wrapped backup key, the explicit choice of unencrypted
/// backups). An older file has none set up, which is what the defaults
/// say; the step writes them out so the document has the version 3 shape.
/// A document of the wrong shape is passed on unchanged.
pub fn v2_to_v3(mut v: Value) -> Result<Value, String> {
    if let Some(settings) = v.get_mut("settings").and_then(Value::as_object_mut) {
        settings.entry("backup").or_insert_with(|| {
            serde_json::json!({
                "folder": null,
                "keep": crate::core::model::DEFAULT_BACKUP_KEEP,
                "device": "",
                "last_good": null,
                "passphrase": null,
                "unencrypted": false,
            })
        });
    }
    Ok(v)
}

/// Version 4 (what goes unsaid) adds, all empty in an older file:
///
/// * to each check-in, `held_back` (`null`: the question was not asked
///   then) and `held_back_words` (`""`);
/// * to `prepare`, `reaction` (`null`: not asked yet) and `unsaid` (`[]`:
///   no item kept, let go or drafted);
/// * to `insights`, `all_top_dismissed` (`null`) and `all_top_never`
///   (`false`).
///
/// The new topic `stopping-or-changing` needs nothing: older files cannot
/// hold it. Nothing the user wrote changes. A document of the wrong shape
/// is passed on unchanged, so that parsing it reports what is wrong.
pub fn v3_to_v4(mut v: Value) -> Result<Value, String> {
    let Some(root) = v.as_object_mut() else {
        return Ok(v);
    };
    if let Some(list) = root.get_mut("check_ins").and_then(Value::as_array_mut) {
        for record in list {
            if let Some(body) = record.get_mut("body").and_then(Value::as_object_mut) {
                body.entry("held_back").or_insert(Value::Null);
                body.entry("held_back_words")
                    .or_insert_with(|| Value::from(""));
            }
        }
    }
    if let Some(prepare) = root.get_mut("prepare").and_then(Value::as_object_mut) {
        prepare.entry("reaction").or_insert(Value::Null);
        prepare
            .entry("unsaid")
            .or_insert_with(|| Value::Array(Vec::new()));
    }
    if let Some(insights) = root.get_mut("insights").and_then(Value::as_object_mut) {
        insights.entry("all_top_dismissed").or_insert(Value::Null);
        insights
            .entry("all_top_never")
            .or_insert(Value::Bool(false));
    }
    Ok(v)
}

/// Version 5 (the session rhythm) adds `sessions`: no schedule, every
/// reminder off, the neutral calendar title, no day-later line shown. The
/// step writes those empty values out, so the document has the version 5
/// shape; nothing the user wrote changes. A document of the wrong shape is
/// passed on unchanged, so that parsing it reports what is wrong.
pub fn v4_to_v5(mut v: Value) -> Result<Value, String> {
    if let Some(root) = v.as_object_mut() {
        root.entry("sessions").or_insert_with(|| {
            serde_json::json!({
                "schedule": null,
                "reminders": {
                    "before": {"on": false, "minutes": 60},
                    "after": {"on": false, "minutes": 15},
                    "day_later": {"on": false, "minutes": 1440},
                },
                "title": "",
                "quiet_line_shown": null,
            })
        });
    }
    Ok(v)
}

/// A version 1 score (1 = not at all ... 5 = completely; 0 = not given) on
/// the 0-10 scale of version 2: the ends stay the ends and the middle stays
/// the middle, `(s - 1) * 2.5` rounded half up, so 1, 2, 3, 4, 5 become
/// 0, 3, 5, 8, 10. 0 (not given) becomes `None`; values above 5 count as 5.
pub fn score_1_5_to_0_10(score: Option<u64>) -> Option<u8> {
    match score? {
        0 => None,
        s => {
            let s = s.min(5);
            Some(((s - 1) * 5).div_ceil(2) as u8)
        }
    }
}

/// Runs the migrations from `from` up to [`CURRENT_VERSION`].
pub fn migrate(from: u64, value: Value) -> Result<Value, LoadError> {
    migrate_with(MIGRATIONS, from, value)
}

/// Runs `steps` (where `steps[i]` upgrades `i + 1` to `i + 2`) from `from`
/// to the end of the chain. Separate from [`migrate`] so tests can run a
/// chain of their own.
pub fn migrate_with(steps: &[Migration], from: u64, mut value: Value) -> Result<Value, LoadError> {
    if from == 0 {
        return Err(LoadError::UnknownVersion { found: from });
    }
    let last = steps.len() as u64 + 1;
    if from > last {
        return Err(LoadError::FutureVersion {
            found: from,
            supported: last,
        });
    }
    let mut version = from;
    while version < last {
        // `version - 1 < steps.len()` by the loop condition.
        let step = steps[(version - 1) as usize];
        value = step(value).map_err(|detail| LoadError::Migration {
            from: version,
            detail: clip(&detail, MAX_QUOTED_CHARS),
        })?;
        version += 1;
    }
    Ok(value)
}

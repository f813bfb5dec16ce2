//! The background writer thread. It owns every write to the data folder,
//! so saves happen one at a time and in order.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Instant;

use chrono::Utc;

use super::crypto::SealKey;
use super::encoder::Encoder;
use super::format::Encoded;
use super::sealed::{self, Marker, MarkerState};
use super::vfs::Vfs;
use super::{StoreError, BACKUP_1, BACKUP_2, DEBOUNCE, PRIMARY, RETRY_AFTER};
use crate::core::model::Data;

type Reply = Sender<Result<(), StoreError>>;
type Snapshot = (Arc<Data>, u64);

/// Called on the writer thread after each background save attempt, so that
/// the owner can pick up the result (`Store::poll`) without polling on a
/// timer.
pub(crate) type Notifier = Box<dyn Fn() + Send + Sync>;

enum Msg {
    /// A snapshot was put in the pending slot: save it within `DEBOUNCE`.
    Kick,
    /// A snapshot was put in the pending slot: save it now, without waiting
    /// for more changes.
    Soon,
    /// Call this after every background save attempt from now on.
    SetNotifier(Notifier),
    /// Save this now and reply.
    Now(Arc<Data>, u64, Reply),
    /// Save the pending snapshot (if any) now and reply.
    Flush(Reply),
    /// From now on seal saves with this key (or none), then save this
    /// snapshot as three generations (so both backups carry it too) and
    /// reply.
    Protect(Option<SealKey>, Arc<Data>, u64, Reply),
    /// Record in the marker that the user keeps these plain files.
    KeepPlain(Vec<String>, Reply),
}

/// The store's handle on the writer thread.
pub(crate) struct Writer {
    tx: Option<Sender<Msg>>,
    events: Receiver<(u64, Result<(), StoreError>)>,
    pending: Arc<Mutex<Option<Snapshot>>>,
    handle: Option<JoinHandle<()>>,
}

fn lock(m: &Mutex<Option<Snapshot>>) -> MutexGuard<'_, Option<Snapshot>> {
    match m.lock() {
        Ok(g) => g,
        Err(p) => p.into_inner(),
    }
}

impl Writer {
    pub(crate) fn spawn(
        vfs: Arc<dyn Vfs>,
        dir: PathBuf,
        generation: u64,
        seal: Option<SealKey>,
        marker: MarkerState,
    ) -> Result<Writer, StoreError> {
        let (tx, rx) = mpsc::channel();
        let (events_tx, events) = mpsc::channel();
        let pending = Arc::new(Mutex::new(None));
        let mut thread = WriterThread {
            vfs,
            dir,
            generation,
            size_hint: 0,
            encoder: Encoder::new(),
            failed: None,
            pending: pending.clone(),
            events: events_tx,
            notifier: None,
            deadline: None,
            seal,
            marker,
            reseal_left: 0,
        };
        let handle = std::thread::Builder::new()
            .name("store-writer".into())
            .spawn(move || thread.run(rx))
            .map_err(StoreError::io("start the background saver", Path::new("")))?;
        Ok(Writer {
            tx: Some(tx),
            events,
            pending,
            handle: Some(handle),
        })
    }

    fn send(&self, msg: Msg) -> Result<(), StoreError> {
        match &self.tx {
            Some(tx) => tx.send(msg).map_err(|_| StoreError::WriterStopped),
            None => Err(StoreError::WriterStopped),
        }
    }

    /// Removes the pending snapshot, if the writer has not taken it yet.
    pub(crate) fn take_pending(&self) -> Option<Snapshot> {
        lock(&self.pending).take()
    }

    /// Hands a snapshot to the writer: saved within `DEBOUNCE` (`soon` is
    /// false) or as soon as the writer is free (`soon` is true). Never
    /// waits for disk I/O.
    pub(crate) fn put_pending(&self, data: Arc<Data>, seq: u64, soon: bool) {
        *lock(&self.pending) = Some((data, seq));
        // If the writer is gone, the next `flush`/`update` reports it.
        let _ = self.send(if soon { Msg::Soon } else { Msg::Kick });
    }

    pub(crate) fn set_notifier(&self, notifier: Notifier) {
        let _ = self.send(Msg::SetNotifier(notifier));
    }

    pub(crate) fn save_now(&self, data: Arc<Data>, seq: u64) -> Result<(), StoreError> {
        let (reply, result) = mpsc::channel();
        self.send(Msg::Now(data, seq, reply))?;
        result.recv().unwrap_or(Err(StoreError::WriterStopped))
    }

    pub(crate) fn protect(
        &self,
        seal: Option<SealKey>,
        data: Arc<Data>,
        seq: u64,
    ) -> Result<(), StoreError> {
        let (reply, result) = mpsc::channel();
        self.send(Msg::Protect(seal, data, seq, reply))?;
        result.recv().unwrap_or(Err(StoreError::WriterStopped))
    }

    pub(crate) fn keep_plain(&self, names: Vec<String>) -> Result<(), StoreError> {
        let (reply, result) = mpsc::channel();
        self.send(Msg::KeepPlain(names, reply))?;
        result.recv().unwrap_or(Err(StoreError::WriterStopped))
    }

    pub(crate) fn flush(&self) -> Result<(), StoreError> {
        let (reply, result) = mpsc::channel();
        self.send(Msg::Flush(reply))?;
        result.recv().unwrap_or(Err(StoreError::WriterStopped))
    }

    pub(crate) fn drain_events(&self) -> Vec<(u64, Result<(), StoreError>)> {
        self.events.try_iter().collect()
    }

    pub(crate) fn shutdown(mut self) {
        self.tx = None;
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

struct WriterThread {
    vfs: Arc<dyn Vfs>,
    dir: PathBuf,
    generation: u64,
    size_hint: usize,
    /// Keeps the bytes of unchanged records between saves.
    encoder: Encoder,
    /// A save that failed, to be tried again: the plain encoding of its
    /// snapshot and the change count it carries. The snapshot itself is let
    /// go once encoded, so that the UI thread changes the data in place
    /// while the file is written, instead of copying all of it.
    failed: Option<(Encoded, u64)>,
    pending: Arc<Mutex<Option<Snapshot>>>,
    events: Sender<(u64, Result<(), StoreError>)>,
    notifier: Option<Notifier>,
    deadline: Option<Instant>,
    /// Seals every save when the store is encrypted.
    seal: Option<SealKey>,
    /// The marker as it is on disk (`sealed.json`).
    marker: MarkerState,
    /// Saves still needed before all three generations carry the current
    /// protection (after a change of protection; a failed one is finished
    /// by the retries, never left at one save).
    reseal_left: u8,
}

impl WriterThread {
    fn run(&mut self, rx: Receiver<Msg>) {
        loop {
            let msg = match self.deadline {
                Some(deadline) => {
                    match rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
                        Ok(m) => Some(m),
                        Err(RecvTimeoutError::Timeout) => None,
                        Err(RecvTimeoutError::Disconnected) => break,
                    }
                }
                None => match rx.recv() {
                    Ok(m) => Some(m),
                    Err(_) => break,
                },
            };
            match msg {
                None => {
                    self.deadline = None;
                    let _ = self.save_pending();
                }
                Some(Msg::Kick) => {
                    if self.deadline.is_none() {
                        self.deadline = Some(Instant::now() + DEBOUNCE);
                    }
                }
                Some(Msg::Soon) => {
                    self.deadline = None;
                    let _ = self.save_pending();
                }
                Some(Msg::SetNotifier(n)) => self.notifier = Some(n),
                Some(Msg::Now(data, seq, reply)) => {
                    {
                        // Anything pending is older than this snapshot.
                        let mut slot = lock(&self.pending);
                        if slot.as_ref().is_some_and(|(_, s)| *s <= seq) {
                            *slot = None;
                        }
                    }
                    let _ = reply.send(self.save_snapshot(data, seq));
                }
                Some(Msg::KeepPlain(names, reply)) => {
                    let _ = reply.send(self.keep_plain(names));
                }
                Some(Msg::Protect(seal, data, seq, reply)) => {
                    {
                        let mut slot = lock(&self.pending);
                        if slot.as_ref().is_some_and(|(_, s)| *s <= seq) {
                            *slot = None;
                        }
                    }
                    self.seal = seal;
                    self.reseal_left = 3;
                    let _ = reply.send(self.save_snapshot(data, seq));
                }
                Some(Msg::Flush(reply)) => {
                    self.deadline = None;
                    let _ = reply.send(self.save_pending());
                }
            }
        }
        // The store was dropped: last chance for anything pending.
        let _ = self.save_pending();
    }

    fn save_pending(&mut self) -> Result<(), StoreError> {
        let taken = lock(&self.pending).take();
        let (result, seq) = match taken {
            Some((data, seq)) => (self.save_snapshot(data, seq), seq),
            None => match self.failed.take() {
                Some((plain, seq)) => (self.write(plain, seq), seq),
                None => return Ok(()),
            },
        };
        let _ = self.events.send((seq, result.clone()));
        if let Some(notify) = &self.notifier {
            notify();
        }
        result
    }

    /// Encodes a snapshot, lets it go, and writes it. After the first
    /// acknowledged save the encoder's record cache is filled from it (off
    /// the caller's critical path), so that later saves only serialize what
    /// changed.
    fn save_snapshot(&mut self, data: Arc<Data>, seq: u64) -> Result<(), StoreError> {
        // This snapshot is newer than any save that failed before.
        self.failed = None;
        // Data too large for a store file stays too large: it is not kept
        // for a retry, which would only encode it again and again. The
        // store stays dirty; the next change (say, removing the huge item)
        // is saved as usual.
        let plain = self.encode(&data)?;
        let warm_up_from = if self.encoder.is_warm() {
            drop(data);
            None
        } else {
            Some(data)
        };
        let result = self.write(plain, seq);
        if let (Ok(()), Some(data)) = (&result, warm_up_from) {
            self.encoder.warm_up(&data);
        }
        result
    }

    /// The plain encoding of `data` (the same bytes as
    /// [`super::format::encode`]), refused if the store could not read it
    /// back.
    fn encode(&mut self, data: &Data) -> Result<Encoded, StoreError> {
        let plain = self
            .encoder
            .encode(data, self.generation + 1, Utc::now(), self.size_hint)
            .map_err(|e| StoreError::Encode {
                detail: e.to_string(),
            })?;
        let len = plain.body.len() as u64;
        if len > crate::core::size::MAX_BODY_BYTES {
            return Err(StoreError::TooLarge(Box::new(
                crate::core::size::too_large(data, len),
            )));
        }
        Ok(plain)
    }

    /// Writes `plain` as one generation, or as many as are still needed
    /// for every generation to carry the current protection
    /// ([`WriterThread::reseal_left`]). A failed write is kept to be tried
    /// again after [`RETRY_AFTER`].
    fn write(&mut self, mut plain: Encoded, seq: u64) -> Result<(), StoreError> {
        loop {
            plain = renumber(plain, self.generation + 1)?;
            if let Err(e) = self.save(&plain) {
                self.failed = Some((plain, seq));
                self.deadline = Some(Instant::now() + RETRY_AFTER);
                return Err(e);
            }
            self.reseal_left = self.reseal_left.saturating_sub(1);
            if self.reseal_left == 0 {
                if self.seal.is_some() {
                    // No plain copy of a sealed store outlives its save.
                    zeroize::Zeroize::zeroize(&mut plain.body);
                } else {
                    self.encoder.recycle(plain.body);
                }
                return Ok(());
            }
        }
    }

    fn keep_plain(&mut self, names: Vec<String>) -> Result<(), StoreError> {
        let Some(key) = &self.seal else {
            return Ok(());
        };
        let marker = Marker::new(key.wrap().clone(), names);
        sealed::write_marker(&*self.vfs, &self.dir, &marker).map_err(StoreError::io(
            "write the passcode marker",
            &self.dir.join(sealed::MARKER),
        ))?;
        self.marker = MarkerState::Present(Some(marker));
        Ok(())
    }

    /// One save. With the passcode being turned off, the marker goes first
    /// (so that no plain generation ever sits beside it); with a passcode
    /// on, the marker follows the first save under a new wrap.
    fn save(&mut self, plain: &Encoded) -> Result<(), StoreError> {
        let marker_path = self.dir.join(sealed::MARKER);
        if self.seal.is_none() && self.marker.exists() {
            sealed::remove_marker(&*self.vfs, &self.dir)
                .map_err(StoreError::io("remove the passcode marker", &marker_path))?;
            self.marker = MarkerState::Missing;
        }
        save_generation(&*self.vfs, &self.dir, plain, self.seal.as_ref())?;
        self.generation = plain.header.generation;
        self.size_hint = plain.body.len();
        if let Some(key) = &self.seal {
            if self.marker.marker().map(|m| &m.key) != Some(key.wrap()) {
                let kept = self
                    .marker
                    .marker()
                    .map(|m| m.kept_plain.clone())
                    .unwrap_or_default();
                let marker = Marker::new(key.wrap().clone(), kept);
                sealed::write_marker(&*self.vfs, &self.dir, &marker)
                    .map_err(StoreError::io("write the passcode marker", &marker_path))?;
                self.marker = MarkerState::Present(Some(marker));
            }
        }
        Ok(())
    }
}

/// `plain` as generation `generation`, saved now (the body and its
/// checksum stay as they are).
fn renumber(mut plain: Encoded, generation: u64) -> Result<Encoded, StoreError> {
    plain.header.generation = generation;
    plain.header.saved = Utc::now();
    let mut line = serde_json::to_vec(&plain.header).map_err(|e| StoreError::Encode {
        detail: e.to_string(),
    })?;
    line.push(b'\n');
    plain.header_line = line;
    Ok(plain)
}

/// One atomic, durable save of the plain encoding `plain` (of its
/// generation):
/// 0. seal it with `seal`, when the store is encrypted;
/// 1. write a temp file in the data folder and fsync it;
/// 2. rotate backups: `bak1` becomes `bak2`, the current `store.json` is
///    hard-linked as `bak1`;
/// 3. rename the temp file over `store.json` (`tempfile`'s `persist`);
/// 4. fsync the folder.
///
/// Any failure fails the save (a failed fsync is never retried: the next
/// save writes a new temp file).
pub(crate) fn save_generation(
    vfs: &dyn Vfs,
    dir: &Path,
    plain: &Encoded,
    seal: Option<&SealKey>,
) -> Result<(), StoreError> {
    let sealed;
    let encoded = match seal {
        Some(key) => {
            sealed = super::format::encrypted(plain, key).map_err(|e| StoreError::Encode {
                detail: e.to_string(),
            })?;
            &sealed
        }
        None => plain,
    };
    let primary = dir.join(PRIMARY);
    let bak1 = dir.join(BACKUP_1);
    let bak2 = dir.join(BACKUP_2);

    let mut temp = vfs
        .create_temp(dir)
        .map_err(StoreError::io("create a temp file", dir))?;
    temp.write_all(&encoded.header_line)
        .map_err(StoreError::io("write the temp file", dir))?;
    temp.write_all(&encoded.body)
        .map_err(StoreError::io("write the temp file", dir))?;
    temp.sync()
        .map_err(StoreError::io("flush the temp file to disk", dir))?;

    if vfs
        .file_len(&bak1)
        .map_err(StoreError::io("look for the backup", &bak1))?
        .is_some()
    {
        vfs.rename(&bak1, &bak2)
            .map_err(StoreError::io("rotate the backups", &bak2))?;
        // If both names were links to the same file (a save killed between
        // linking the backup and replacing the store leaves the store and
        // bak1 as one file), rename does nothing. bak2 has the same bytes.
        if vfs
            .file_len(&bak1)
            .map_err(StoreError::io("look for the backup", &bak1))?
            .is_some()
        {
            vfs.remove(&bak1)
                .map_err(StoreError::io("rotate the backups", &bak1))?;
        }
    }
    if vfs
        .file_len(&primary)
        .map_err(StoreError::io("look for the store", &primary))?
        .is_some()
    {
        vfs.link_or_copy(&primary, &bak1)
            .map_err(StoreError::io("keep a backup", &bak1))?;
    }
    temp.persist(&primary)
        .map_err(StoreError::io("replace the store file", &primary))?;
    vfs.sync_dir(dir)
        .map_err(StoreError::io("flush the data folder to disk", dir))?;
    Ok(())
}

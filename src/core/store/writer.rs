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
                    let result = self.save_all(&data);
                    let _ = reply.send(result.clone());
                    match result {
                        Ok(()) => self.warm_up(&data),
                        Err(e) => self.keep_for_retry(data, seq, &e),
                    }
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
                    let result = self.save_all(&data);
                    let _ = reply.send(result.clone());
                    match result {
                        Ok(()) => self.warm_up(&data),
                        Err(e) => self.keep_for_retry(data, seq, &e),
                    }
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

    fn keep_for_retry(&mut self, data: Arc<Data>, seq: u64, error: &StoreError) {
        // Data too large for a store file stays too large: retrying would
        // only encode it again and again. The store stays dirty; the next
        // change (say, removing the huge item) is saved as usual.
        if matches!(error, StoreError::TooLarge(_)) {
            return;
        }
        let mut slot = lock(&self.pending);
        if slot.is_none() {
            *slot = Some((data, seq));
        }
        self.deadline = Some(Instant::now() + RETRY_AFTER);
    }

    fn save_pending(&mut self) -> Result<(), StoreError> {
        let taken = lock(&self.pending).take();
        let Some((data, seq)) = taken else {
            return Ok(());
        };
        let result = self.save_all(&data);
        let _ = self.events.send((seq, result.clone()));
        if let Some(notify) = &self.notifier {
            notify();
        }
        match &result {
            Err(e) => self.keep_for_retry(data, seq, e),
            Ok(()) => self.warm_up(&data),
        }
        result
    }

    /// After the first acknowledged save, fills the encoder's record cache
    /// (off the caller's critical path), so that later saves only
    /// serialize what changed.
    fn warm_up(&mut self, data: &Data) {
        if !self.encoder.is_warm() {
            self.encoder.warm_up(data);
        }
    }

    /// One save, or as many as are still needed for every generation to
    /// carry the current protection ([`WriterThread::reseal_left`]).
    fn save_all(&mut self, data: &Data) -> Result<(), StoreError> {
        loop {
            self.save(data)?;
            self.reseal_left = self.reseal_left.saturating_sub(1);
            if self.reseal_left == 0 {
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
    fn save(&mut self, data: &Data) -> Result<(), StoreError> {
        let marker_path = self.dir.join(sealed::MARKER);
        if self.seal.is_none() && self.marker.exists() {
            sealed::remove_marker(&*self.vfs, &self.dir)
                .map_err(StoreError::io("remove the passcode marker", &marker_path))?;
            self.marker = MarkerState::Missing;
        }
        let generation = self.generation + 1;
        let len = save_generation(
            &*self.vfs,
            &self.dir,
            &mut self.encoder,
            data,
            generation,
            self.size_hint,
            self.seal.as_ref(),
        )?;
        self.generation = generation;
        self.size_hint = len;
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

/// One atomic, durable save of `data` as `generation`:
/// 0. encode it with `encoder` (the same bytes as [`super::format::encode`]);
/// 1. write a temp file in the data folder and fsync it;
/// 2. rotate backups: `bak1` becomes `bak2`, the current `store.json` is
///    hard-linked as `bak1`;
/// 3. rename the temp file over `store.json` (`tempfile`'s `persist`);
/// 4. fsync the folder.
///
/// Any failure fails the save (a failed fsync is never retried: the next
/// save writes a new temp file). Returns the body size.
pub(crate) fn save_generation(
    vfs: &dyn Vfs,
    dir: &Path,
    encoder: &mut Encoder,
    data: &Data,
    generation: u64,
    size_hint: usize,
    seal: Option<&SealKey>,
) -> Result<usize, StoreError> {
    let mut encoded = encoder
        .encode(data, generation, Utc::now(), size_hint)
        .map_err(|e| StoreError::Encode {
            detail: e.to_string(),
        })?;
    let plain_len = encoded.body.len();
    // Never write a file the store would refuse to read back.
    if plain_len as u64 > crate::core::size::MAX_BODY_BYTES {
        return Err(StoreError::TooLarge(Box::new(
            crate::core::size::too_large(data, plain_len as u64),
        )));
    }
    if let Some(key) = seal {
        encoded = super::format::encrypt(encoded, key).map_err(|e| StoreError::Encode {
            detail: e.to_string(),
        })?;
    }
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
    if seal.is_none() {
        encoder.recycle(encoded.body);
    }
    Ok(plain_len)
}

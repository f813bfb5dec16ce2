//! The store on the real file system: first launch, one writer, autosave,
//! `check`, and (on Unix) private permissions.

#[path = "store_common/mod.rs"]
mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common_ground::core::model::{CheckIn, ThemeChoice};
use common_ground::core::store::{
    check, decode, Notice, Restored, Store, StoreError, BACKUP_1, BACKUP_2, PRIMARY,
};

fn on_disk(dir: &Path) -> common_ground::core::model::Data {
    decode(&std::fs::read(dir.join(PRIMARY)).unwrap())
        .unwrap()
        .data
}

#[test]
fn first_launch_creates_the_store_with_its_settings() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("nested/Common Ground");
    let store = Store::open(&dir).unwrap();
    assert!(!store.is_read_only());
    assert!(
        matches!(store.notices(), [Notice::Created { .. }]),
        "{:?}",
        store.notices()
    );
    assert!(!store.notices()[0].is_warning());
    assert_eq!(store.dir(), dir);
    let text = std::fs::read_to_string(dir.join(PRIMARY)).unwrap();
    assert!(text.contains("\"settings\""), "{text}");
    drop(store);
    let report = check(&dir);
    assert!(report.is_healthy(), "{report}");
    assert_eq!(report.exit_code(), 0);
    // A second open is quiet.
    assert!(Store::open(&dir).unwrap().notices().is_empty());
}

#[test]
fn updates_are_durable_and_backups_rotate() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path();
    let mut store = Store::open(dir).unwrap();
    for i in 0..4u8 {
        let id = store
            .update(|d| {
                let r = d.new_record(
                    CheckIn {
                        mood: i,
                        ..Default::default()
                    },
                    chrono::Utc::now(),
                );
                let id = r.id.clone();
                d.check_ins.push(r);
                id
            })
            .unwrap();
        assert_eq!(on_disk(dir).check_ins.last().unwrap().id, id);
    }
    assert_eq!(
        decode(&std::fs::read(dir.join(BACKUP_1)).unwrap())
            .unwrap()
            .data
            .check_ins
            .len(),
        3
    );
    assert_eq!(
        decode(&std::fs::read(dir.join(BACKUP_2)).unwrap())
            .unwrap()
            .data
            .check_ins
            .len(),
        2
    );
    let report = check(dir);
    assert!(report.is_healthy(), "{report}");
    let text = report.to_string();
    assert!(
        text.contains("backup 2") && text.contains("4 check-ins"),
        "{text}"
    );
}

#[test]
fn typing_is_saved_in_the_background_within_a_second() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path();
    let mut store = Store::open(dir).unwrap();
    store
        .update(|d| d.settings.theme = ThemeChoice::Light)
        .unwrap();
    let started = Instant::now();
    for c in "a draft".chars() {
        store.update_later(|d| d.learn.bookmarks.push(c.to_string()));
    }
    assert!(
        started.elapsed() < Duration::from_millis(100),
        "update_later must not wait for disk"
    );
    assert!(store.is_dirty());
    // No flush: the writer thread saves on its own.
    let deadline = Instant::now() + Duration::from_secs(1);
    while on_disk(dir).learn.bookmarks.len() < 7 {
        assert!(Instant::now() < deadline, "not saved within a second");
        std::thread::sleep(Duration::from_millis(20));
    }
    // The file is renamed into place before the folder fsync that
    // acknowledges the save, so the acknowledgement may trail a moment.
    loop {
        store.poll();
        if !store.is_dirty() {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "save not acknowledged within a second"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    store.update_later(|d| d.learn.bookmarks.clear());
    store.flush().unwrap();
    assert!(on_disk(dir).learn.bookmarks.is_empty());
    // Dropping the store saves anything pending too.
    store.update_later(|d| d.learn.last_deck = Some("basics".into()));
    drop(store);
    assert_eq!(on_disk(dir).learn.last_deck.as_deref(), Some("basics"));
}

#[test]
fn a_second_instance_is_read_only_and_causes_no_lost_updates() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path();
    let mut first = Store::open(dir).unwrap();
    first
        .update(|d| d.settings.theme = ThemeChoice::Dark)
        .unwrap();
    let mut second = Store::open(dir).unwrap();
    assert!(second.is_read_only());
    assert_eq!(second.data().settings.theme, ThemeChoice::Dark);
    assert!(
        second
            .notices()
            .iter()
            .any(|n| matches!(n, Notice::ReadOnly { dir: d } if d == dir)),
        "{:?}",
        second.notices()
    );
    let err = second
        .update(|d| d.settings.theme = ThemeChoice::Light)
        .unwrap_err();
    assert!(matches!(err, StoreError::ReadOnly { .. }));
    assert!(err.to_string().contains("already open"), "{err}");
    second.update_later(|d| d.next_id = 999);
    assert!(matches!(second.flush(), Err(StoreError::ReadOnly { .. })));
    first.update(|d| d.next_id = 7).unwrap();
    drop(second);
    assert_eq!(on_disk(dir).next_id, 7);
    assert_eq!(on_disk(dir).settings.theme, ThemeChoice::Dark);
    drop(first);
    // Once the writer is gone, the next instance is the writer.
    assert!(!Store::open(dir).unwrap().is_read_only());
}

#[test]
fn check_reports_damage_and_exits_non_zero() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path();
    let mut store = Store::open(dir).unwrap();
    store.update(|d| d.next_id = 1).unwrap();
    store.update(|d| d.next_id = 2).unwrap();
    drop(store);
    let bak = dir.join(BACKUP_1);
    let mut bytes = std::fs::read(&bak).unwrap();
    let n = bytes.len();
    bytes[n - 3] ^= 0x20;
    std::fs::write(&bak, &bytes).unwrap();
    let report = check(dir);
    assert!(!report.is_healthy());
    assert_eq!(report.exit_code(), 1);
    let text = report.to_string();
    assert!(
        text.contains("DAMAGED") && text.contains("checksum") && text.contains(BACKUP_1),
        "{text}"
    );
    // check changed nothing.
    assert_eq!(std::fs::read(&bak).unwrap(), bytes);
    // Opening moves the damaged backup aside and the store is healthy again.
    let store = Store::open(dir).unwrap();
    assert_eq!(store.data().next_id, 2);
    // Only a backup was damaged: one notice, and the data is unaffected.
    assert!(
        matches!(
            store.notices(),
            [Notice::Repaired {
                set_aside,
                restored: Restored::Unaffected,
            }] if set_aside.len() == 1
        ),
        "{:?}",
        store.notices()
    );
    drop(store);
    let report = check(dir);
    assert!(report.is_healthy(), "{report}");
    assert_eq!(report.moved_aside.len(), 1);
    assert!(!check(&dir.join("missing")).is_healthy());
}

#[test]
fn the_default_data_dir_is_known() {
    let dir = common_ground::core::paths::default_data_dir();
    if cfg!(any(target_os = "linux", target_os = "macos", windows))
        && std::env::var_os("HOME").is_some()
    {
        let dir = dir.expect("a data dir");
        assert!(
            dir.to_string_lossy().to_lowercase().contains("common"),
            "{}",
            dir.display()
        );
    }
}

#[cfg(target_os = "linux")]
#[test]
fn the_readme_names_the_real_linux_data_dir() {
    // With XDG_DATA_HOME unset the folder is ~/.local/share/<name>.
    let Some(dir) = common_ground::core::paths::default_data_dir() else {
        return;
    };
    let name = dir.file_name().unwrap().to_string_lossy().into_owned();
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let said = format!("~/.local/share/{name}`");
    assert!(readme.contains(&said), "README should say {said}");
}

#[cfg(unix)]
#[test]
fn the_data_dir_is_0700_and_every_file_0600() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("data");
    // Even a pre-existing, too-open directory is tightened.
    std::fs::create_dir(&dir).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::write(dir.join(PRIMARY), b"not a store").unwrap();
    std::fs::set_permissions(dir.join(PRIMARY), std::fs::Permissions::from_mode(0o600)).unwrap();
    let mut store = Store::open(&dir).unwrap();
    for i in 0..3 {
        store.update(|d| d.next_id = i).unwrap();
    }
    // A temp file as the writer creates it.
    use common_ground::core::store::vfs::{RealFs, Vfs};
    let temp = RealFs.create_temp(&dir).unwrap();
    assert_eq!(mode(&dir), 0o700);
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        assert_eq!(mode(&path), 0o600, "{}", path.display());
        seen += 1;
    }
    // store, 2 backups, lock, moved-aside file, temp file
    assert_eq!(seen, 6);
    drop(temp);
    drop(store);
    assert!(check(&dir).is_healthy());
    std::fs::set_permissions(dir.join(PRIMARY), std::fs::Permissions::from_mode(0o644)).unwrap();
    let report = check(&dir);
    assert!(
        !report.is_healthy() && report.to_string().contains("readable by others"),
        "{report}"
    );
}

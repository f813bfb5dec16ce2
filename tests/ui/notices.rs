//! What the user sees when the store had to recover, or is read-only.

use crate::harness::Harness;
use common_ground::core::model::ThemeChoice;
use common_ground::core::store::{BACKUP_1, BACKUP_2, PRIMARY};

#[test]
fn a_corrupt_store_is_set_aside_and_the_backup_restored_with_a_banner() {
    let h = Harness::new();
    h.click("Settings");
    // Each its own save (taps save in the background; quick ones may be
    // saved together).
    for theme in ["Dark", "Light", "Dark"] {
        h.click(theme);
        h.app.flush();
    }
    let (dir, _keep) = h.close();

    let garbage = b"this is not a Common Ground store".to_vec();
    std::fs::write(dir.join(PRIMARY), &garbage).unwrap();

    let h = Harness::open(&dir);
    assert!(
        h.shows_containing("could not be read"),
        "a banner explains what happened; texts: {:?}",
        h.texts()
    );
    // The data came back from the newest backup: the state before the
    // last save (Dark, Light, Dark were saved; the last one was destroyed).
    assert_eq!(h.app.with_data(|d| d.settings.theme), ThemeChoice::Light);
    // The unreadable bytes were kept, untouched, under a new name, and the
    // banner says where.
    let aside: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".unreadable-"))
        .collect();
    assert_eq!(aside.len(), 1, "exactly one file moved aside");
    assert_eq!(std::fs::read(aside[0].path()).unwrap(), garbage);
    // One event, one banner; the paths wait behind "Details".
    assert_eq!(h.all("Dismiss").len(), 1, "texts: {:?}", h.texts());
    let kept_as = aside[0].file_name().to_string_lossy().into_owned();
    assert!(!h.shows_containing(&kept_as));
    h.click("Details");
    assert!(h.shows_containing(&kept_as), "texts: {:?}", h.texts());
    assert!(
        h.shows_containing("store.bak1.json"),
        "says where it came from"
    );

    h.click("Dismiss");
    assert!(!h.shows_containing("could not be read"), "{:?}", h.texts());
}

#[test]
fn two_damaged_files_make_one_banner_that_names_both() {
    let h = Harness::new();
    h.click("Settings");
    for theme in ["Dark", "Light", "Dark", "Light"] {
        h.click(theme);
        h.app.flush();
    }
    let (dir, _keep) = h.close();
    std::fs::write(dir.join(PRIMARY), b"garbage").unwrap();
    std::fs::write(dir.join(BACKUP_1), b"more garbage").unwrap();

    let h = Harness::open(&dir);
    // Restored from the oldest backup: the state two saves back.
    assert_eq!(h.app.with_data(|d| d.settings.theme), ThemeChoice::Light);
    assert_eq!(
        h.all("Dismiss").len(),
        1,
        "one banner for one event; texts: {:?}",
        h.texts()
    );
    assert!(h.shows_containing("restored the most recent good copy"));
    h.click("Details");
    for name in [PRIMARY, BACKUP_1] {
        assert!(
            h.shows_containing(&format!("{name}.unreadable-")),
            "details name where {name} was kept; texts: {:?}",
            h.texts()
        );
    }
    assert!(h.shows_containing(&format!("Restored from {}", dir.join(BACKUP_2).display())));
}

#[test]
fn a_second_window_on_the_same_data_is_read_only_and_says_so() {
    let first = Harness::new();
    first.click("Settings");
    first.click("Dark");

    let second = Harness::open(&first.dir);
    assert!(
        second.shows_containing("already open in another window"),
        "texts: {:?}",
        second.texts()
    );
    second.click("Settings");
    assert!(second.reveal_text("can only read"), "{:?}", second.texts());
    // A change in the read-only window does not reach the disk.
    second.click("Light");
    drop(second);
    let (dir, _keep) = first.close();
    let reopened = Harness::open(&dir);
    assert_eq!(
        reopened.app.with_data(|d| d.settings.theme),
        ThemeChoice::Dark
    );
}

#[test]
fn a_store_from_a_newer_version_is_refused_in_a_window_and_left_untouched() {
    use common_ground::core::store::{Store, StoreError};
    use i_slint_backend_testing::{AccessibleRole, ElementHandle, ElementRoot};
    use slint::ComponentHandle;

    let h = Harness::new();
    let (dir, _keep) = h.close();
    let primary = dir.join(PRIMARY);
    let text = std::fs::read_to_string(&primary).unwrap();
    let current = format!(
        "\"version\":{}",
        common_ground::core::store::CURRENT_VERSION
    );
    let newer = text.replacen(&current, "\"version\":99", 1);
    assert_ne!(newer, text, "the header names its version");
    std::fs::write(&primary, &newer).unwrap();

    let Err(error) = Store::open(&dir) else {
        panic!("a newer store is refused")
    };
    assert!(matches!(error, StoreError::FutureVersion { .. }));
    crate::harness::init_backend();
    let window = common_ground::bridge::cannot_open_window(&error).unwrap();
    window.show().unwrap();
    let texts: Vec<String> = window
        .root_element()
        .query_descendants()
        .match_accessible_role(AccessibleRole::Text)
        .find_all()
        .into_iter()
        .filter_map(|e| e.accessible_label().map(|s| s.to_string()))
        .collect();
    assert!(
        texts
            .iter()
            .any(|t| t == "Your data needs a newer Common Ground"),
        "{texts:?}"
    );
    assert!(
        texts
            .iter()
            .any(|t| t.contains(&primary.display().to_string())),
        "{texts:?}"
    );
    let close = ElementHandle::find_by_accessible_label(&window, "Close")
        .find(|e| e.accessible_role() == Some(AccessibleRole::Button))
        .expect("a Close button");
    close.invoke_accessible_default_action();
    assert!(!window.window().is_visible(), "Close closes the window");
    assert_eq!(
        std::fs::read_to_string(&primary).unwrap(),
        newer,
        "left untouched"
    );
}

#[test]
fn a_failed_bookmark_save_shows_a_notice_without_another_tap() {
    use common_ground::core::store::vfs::{FaultKind, MemFs, Vfs};
    use common_ground::core::store::Store;
    use std::sync::Arc;

    let fs = MemFs::new();
    let store = Store::open_with(
        std::path::Path::new("/data/cg"),
        Arc::new(fs.clone()) as Arc<dyn Vfs>,
    )
    .unwrap();
    let h = Harness::with_store(store);
    h.click("Learn");
    h.click("It's OK to disagree");
    // The disk fails from now on.
    fs.inject(0, FaultKind::PowerLoss);
    h.click("Bookmark");
    assert!(h.is_checked("Bookmark"), "the tap is answered at once");
    h.wait_for("the save-failed banner", |h| {
        h.shows_containing("could not be saved")
    });
}

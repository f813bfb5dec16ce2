//! Passcode and lock screen, as a user goes through them: turn the
//! passcode on in Settings, restart, find the app locked with nothing
//! personal on screen, get a wrong passcode refused (with a growing wait
//! after several), unlock, lock on demand. The app's real Argon2id
//! parameters are used throughout.

use crate::weak_kdf::WeakForTests;
use std::path::Path;

use common_ground::core::model::Concern;
use common_ground::core::store::Store;

use crate::harness::Harness;

const SECRET: &str = "My therapist kept checking the clock";

fn with_a_concern(dir: &Path) {
    let mut store = Store::open(dir).unwrap();
    store
        .update(|d| {
            let r = d.new_record(
                Concern {
                    what_happened: SECRET.into(),
                    step: 2,
                    ..Default::default()
                },
                chrono::Utc::now(),
            );
            d.concerns.push(r);
        })
        .unwrap();
}

/// Turns the passcode on for the store in `dir` (with the test-weak key
/// derivation), as if set in an earlier run.
fn seal(dir: &Path, passcode: &str) {
    let mut store = Store::open(dir).unwrap();
    store
        .turn_on_passcode_with(
            &common_ground::core::store::Passcode::new(passcode),
            common_ground::core::store::KdfParams::weak_for_tests(),
        )
        .unwrap();
}

fn files_show_secret(dir: &Path) -> bool {
    std::fs::read_dir(dir).unwrap().any(|e| {
        let p = e.unwrap().path();
        p.is_file()
            && std::fs::read(&p)
                .unwrap()
                .windows(SECRET.len())
                .any(|w| w == SECRET.as_bytes())
    })
}

/// Every file of `dir` but the wrong-passcode count, and its bytes.
fn files_but_the_wait(dir: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| !p.ends_with(common_ground::core::store::sealed::TRIES))
        .map(|p| {
            let b = std::fs::read(&p).unwrap_or_default();
            (p, b)
        })
        .collect();
    v.sort();
    v
}

/// As if the wait after wrong passcodes had passed on the real clock (the
/// UI tests' clock is mocked): the count stays, the next-try time goes.
fn pass_the_wait(dir: &Path) {
    let path = dir.join(common_ground::core::store::sealed::TRIES);
    let text = std::fs::read_to_string(&path).expect("the wait is on disk");
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["next_try"] = serde_json::Value::Null;
    std::fs::write(&path, v.to_string()).unwrap();
}

fn nothing_personal(h: &Harness) {
    assert!(h.app.is_locked());
    assert!(h.shows("Common Ground is locked"), "{:?}", h.texts());
    for t in h.texts().iter().chain(h.labels().iter()) {
        assert!(
            !t.contains("checking the clock"),
            "personal text shown: {t}"
        );
    }
    assert!(
        h.app.with_data(|d| d.concerns.is_empty()),
        "data still in memory"
    );
}

fn unlock(h: &Harness, passcode: &str) {
    h.type_into("Passcode", passcode);
    h.click("Unlock");
}

#[test]
fn set_a_passcode_restart_and_unlock() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    with_a_concern(&dir);
    assert!(files_show_secret(&dir), "the search must be able to fail");
    let h = Harness::open(&dir);
    h.click("Settings");
    // Too short: refused, and the page says why.
    h.type_into("New passcode", "blue");
    h.type_into("Type the new passcode again", "blue");
    h.click("Turn on passcode");
    assert!(
        h.shows_containing("at least 6 characters, so that"),
        "{:?}",
        h.texts()
    );
    assert!(!h.shows("Passcode is on"));
    // Asked twice: a mismatch is refused.
    h.type_into("New passcode", "blue kettle 42");
    h.type_into("Type the new passcode again", "blue kettle 24");
    h.click("Turn on passcode");
    assert!(h.shows_containing("not the same"), "{:?}", h.texts());
    assert!(h.shows_containing("no way to recover"));
    h.type_into("New passcode", "blue kettle 42");
    h.type_into("Type the new passcode again", "blue kettle 42");
    h.click("Turn on passcode");
    h.wait_for("the passcode to be on", |h| {
        h.shows_containing("Your notes are now encrypted")
    });
    assert!(
        !files_show_secret(&dir),
        "text readable after turning the passcode on"
    );

    let h = h.restart();
    nothing_personal(&h);
    unlock(&h, "blue kettle 24");
    h.wait_for("the wrong passcode to be refused", |h| {
        h.shows_containing("did not open your notes")
    });
    nothing_personal(&h);
    unlock(&h, "blue kettle 42");
    h.wait_for("the app to unlock", |h| !h.app.is_locked());
    assert!(h
        .app
        .with_data(|d| d.concerns[0].body.what_happened == SECRET));
    assert!(!h.shows("Common Ground is locked"));
    drop(h);
    assert!(!files_show_secret(&dir));
}

#[test]
fn repeated_wrong_passcodes_wait_longer_each_time() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    with_a_concern(&dir);
    seal(&dir, "right passcode");
    let h = Harness::open(&dir);
    nothing_personal(&h);
    let before = files_but_the_wait(&dir);
    for _ in 0..3 {
        unlock(&h, "wrong");
        h.wait_for("the refusal", |h| {
            h.shows_containing("did not open your notes")
                && !h.shows_containing("this takes a moment")
        });
    }
    // The third failure starts a wait; Unlock is off meanwhile.
    assert!(h.shows_containing("try again in"), "{:?}", h.texts());
    assert_eq!(h.find("Unlock").accessible_enabled(), Some(false));
    // The wait is kept on disk: a restart waits too.
    let h = h.restart();
    nothing_personal(&h);
    assert!(h.shows_containing("try again in"), "{:?}", h.texts());
    assert_eq!(h.find("Unlock").accessible_enabled(), Some(false));
    h.wait_for("the wait to end", |h| !h.shows_containing("try again in"));
    assert_eq!(h.find("Unlock").accessible_enabled(), Some(true));
    // The on-screen count is over (mock time); let the real clock's wait
    // be over too.
    pass_the_wait(&dir);
    assert_eq!(
        before,
        files_but_the_wait(&dir),
        "failed unlocks changed files"
    );
    assert_eq!(common_ground::bridge::lock::wait_after(3), 5);
    assert_eq!(common_ground::bridge::lock::wait_after(4), 10);
    assert_eq!(common_ground::bridge::lock::wait_after(40), 300);
    unlock(&h, "right passcode");
    h.wait_for("the app to unlock", |h| !h.app.is_locked());
}

#[test]
fn lock_now_hides_everything_personal() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    with_a_concern(&dir);
    seal(&dir, "right passcode");
    let h = Harness::open(&dir);
    unlock(&h, "right passcode");
    h.wait_for("the app to unlock", |h| !h.app.is_locked());
    h.click("Prepare");
    assert!(
        h.texts().iter().any(|t| t.contains("checking the clock")),
        "the concern shows when unlocked: {:?}",
        h.texts()
    );
    h.click("Settings");
    h.click("Lock now");
    nothing_personal(&h);
}

#[test]
fn locks_after_the_idle_time_the_user_picks() {
    use std::time::Duration;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    with_a_concern(&dir);
    seal(&dir, "right passcode");
    let h = Harness::open(&dir);
    unlock(&h, "right passcode");
    h.wait_for("the app to unlock", |h| !h.app.is_locked());
    h.click("Settings");
    h.click("1 min");
    assert!(h.is_checked("1 min"));
    assert_eq!(h.app.with_data(|d| d.settings.lock_after_minutes), 1);
    // Use within the minute keeps it open.
    i_slint_backend_testing::mock_elapsed_time(Duration::from_secs(50));
    h.click("Home");
    i_slint_backend_testing::mock_elapsed_time(Duration::from_secs(50));
    h.settle();
    assert!(!h.app.is_locked(), "locked although in use");
    // A minute without use locks it.
    i_slint_backend_testing::mock_elapsed_time(Duration::from_secs(61));
    h.settle();
    nothing_personal(&h);
    // The choice was saved before locking.
    unlock(&h, "right passcode");
    h.wait_for("the app to unlock", |h| !h.app.is_locked());
    assert_eq!(h.app.with_data(|d| d.settings.lock_after_minutes), 1);
}

#[test]
fn plain_files_left_from_before_are_offered_for_deletion() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    with_a_concern(&dir);
    // A copy of the plain store, set aside earlier as unreadable.
    let aside = dir.join("store.bak2.json.unreadable-20260101T000000Z");
    std::fs::copy(dir.join("store.json"), &aside).unwrap();
    seal(&dir, "right passcode");
    assert!(files_show_secret(&dir), "the leftover is plain");
    let h = Harness::open(&dir);
    unlock(&h, "right passcode");
    h.wait_for("the app to unlock", |h| !h.app.is_locked());
    h.click("Settings");
    assert!(
        h.reveal_text("Files that are not encrypted"),
        "{:?}",
        h.texts()
    );
    assert!(h.reveal_text("store.bak2.json.unreadable-20260101T000000Z"));
    h.click("Keep them unencrypted");
    assert!(h.reveal_text("You chose to keep these files"));
    assert!(files_show_secret(&dir));
    // Remembered after a restart; deleting is still offered.
    let h = h.restart();
    unlock(&h, "right passcode");
    h.wait_for("the app to unlock", |h| !h.app.is_locked());
    h.click("Settings");
    assert!(h.reveal_text("You chose to keep these files"));
    h.click("Delete these files");
    assert!(!aside.exists());
    assert!(h.reveal_text("Those files are deleted"), "{:?}", h.texts());
    assert!(!h.reveal_text("Files that are not encrypted"));
    assert!(!aside.exists());
    drop(h);
    assert!(!files_show_secret(&dir), "plain text left in the folder");
}

/// The bytes of every file in `dir` hold none of `words`.
fn no_file_holds(dir: &Path, words: &[u8]) -> bool {
    std::fs::read_dir(dir).unwrap().all(|e| {
        let p = e.unwrap().path();
        !p.is_file()
            || !std::fs::read(&p)
                .unwrap()
                .windows(words.len())
                .any(|w| w == words)
    })
}

#[test]
fn change_then_turn_off_leaves_no_old_key_and_no_sealed_file() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    with_a_concern(&dir);
    seal(&dir, "blue kettle 42");
    assert!(!files_show_secret(&dir));
    let h = Harness::open(&dir);
    unlock(&h, "blue kettle 42");
    h.wait_for("the app to unlock", |h| !h.app.is_locked());
    h.click("Settings");
    let old_key_id = common_ground::core::store::key_wraps(&dir)[0]
        .key_id
        .clone();
    let old_key_id = serde_json::to_string(&old_key_id).unwrap();
    let old_key_id = old_key_id.trim_matches('"').as_bytes().to_vec();
    assert!(!no_file_holds(&dir, &old_key_id));

    // The fields are asked for only once "Change passcode" is chosen.
    assert!(h.try_find("Current passcode").is_none());
    h.click("Change passcode");
    h.type_into("Current passcode", "blue kettle 42");
    h.type_into("New passcode", "green door 77");
    h.type_into("Type the new passcode again", "green door 77");
    h.click("Save new passcode");
    h.wait_for("the change", |h| h.shows_containing("Passcode changed"));
    assert!(!files_show_secret(&dir));
    assert!(
        no_file_holds(&dir, &old_key_id),
        "the old key is still in use"
    );

    let h = h.restart();
    unlock(&h, "blue kettle 42");
    h.wait_for("the old passcode to be refused", |h| {
        h.shows_containing("did not open your notes")
    });
    unlock(&h, "green door 77");
    h.wait_for("the app to unlock", |h| !h.app.is_locked());
    h.click("Settings");
    h.click("Turn off passcode");
    h.type_into("Current passcode", "green door 77");
    h.click("Turn it off");
    h.wait_for("the passcode to be off", |h| {
        h.shows_containing("Passcode is off")
    });
    drop(h);
    assert!(
        no_file_holds(&dir, b"\"encryption\""),
        "a file is still sealed"
    );
    assert!(!dir
        .join(common_ground::core::store::sealed::MARKER)
        .exists());
    assert!(!dir.join(common_ground::core::store::sealed::TRIES).exists());
}

//! Settings > Backups, as a user goes through it: pick a folder, set a
//! backup passphrase, back up, keep exactly N, a last backup on closing;
//! a folder that is not there is one calm note and loses nothing; restore
//! from the list with a wrong then the right passphrase, replace and undo,
//! then merge; restore any backup file by its path (a damaged one changes
//! nothing); replace a store a newer version wrote, which is kept; and
//! the notice after nothing could be read offers a restore.

use crate::weak_kdf::WeakForTests;
use std::path::Path;

use chrono::{Local, Utc};
use common_ground::core::backup::{self, Sealing};
use common_ground::core::model::Data;
use common_ground::core::sample::{generate, Spec};
use common_ground::core::store::{KdfParams, Passcode, RealFs};

use crate::harness::Harness;

fn ours(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| backup::parse_name(n).is_some())
        .collect();
    names.sort();
    names
}

/// A made-up history; another seed is another device's (its records
/// were made at other times, as on a real second device).
fn sample(seed: u64) -> Data {
    let end = Local::now().date_naive() - chrono::Days::new(seed);
    generate(Spec {
        seed,
        ..Spec::weekly(1, end)
    })
}

fn use_folder(h: &Harness, folder: &Path) {
    h.click("Settings");
    h.type_into("Backup folder", &folder.display().to_string());
    h.click("Use this folder");
}

fn wait_backed_up(h: &Harness) {
    h.wait_for("the backup", |h| {
        h.shows_containing("Backed up.") || h.shows_containing("did not work")
    });
    assert!(h.shows_containing("Backed up."), "{:?}", h.texts());
}

#[test]
fn pick_a_folder_set_a_passphrase_and_keep_exactly_n() {
    let sync = tempfile::tempdir().unwrap();
    let folder = sync.path().join("Common Ground");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("notes.txt"), "not ours").unwrap();
    let h = Harness::with_data(sample(3));
    use_folder(&h, &folder);
    // No passcode and no passphrase yet: backups wait for one.
    assert!(h.shows_containing("Please choose a backup passphrase first"));
    assert!(ours(&folder).is_empty());
    h.type_into("Backup passphrase", "river stones");
    h.type_into("Type the backup passphrase again", "river stone");
    h.click("Set backup passphrase");
    assert!(h.shows_containing("are not the same"));
    h.type_into("Backup passphrase", "river stones");
    h.type_into("Type the backup passphrase again", "river stones");
    h.click("Set backup passphrase");
    wait_backed_up(&h);
    // The message that says it takes focus and comes into view, which can
    // leave the line above it just out of view: scrolled to, as a user would.
    assert!(h.reveal_text("Last backup: today"), "{:?}", h.texts());
    assert!(h.reveal_text("Sealed with your backup passphrase"));
    assert_eq!(ours(&folder).len(), 1);

    h.click("5");
    for _ in 0..6 {
        h.click("Back up now");
        wait_backed_up(&h);
    }
    assert_eq!(ours(&folder).len(), 5, "{:?}", ours(&folder));
    assert!(h.shows_containing("5 kept"), "{:?}", h.texts());
    assert_eq!(
        std::fs::read(folder.join("notes.txt")).unwrap(),
        b"not ours"
    );

    // A change, then closing: one more backup (rotation keeps 5).
    let newest = ours(&folder).last().cloned().unwrap();
    h.click("Dark");
    h.pump();
    h.app.closing();
    let after = ours(&folder);
    assert_eq!(after.len(), 5);
    assert_ne!(after.last(), Some(&newest), "a backup on closing");
    // The newest holds the change; the passphrase is stored nowhere.
    let store = std::fs::read_to_string(h.dir.join("store.json")).unwrap();
    assert!(!store.contains("river stones"));
}

#[test]
fn a_folder_that_is_not_there_is_one_calm_note_and_loses_nothing() {
    let sync = tempfile::tempdir().unwrap();
    let folder = sync.path().join("usb");
    std::fs::create_dir(&folder).unwrap();
    let data = sample(4);
    let h = Harness::with_data(data.clone());
    use_folder(&h, &folder);
    h.click("Back up without encryption");
    h.click("Back up now");
    wait_backed_up(&h);
    assert!(h.shows_containing("not encrypted"));
    // The stick is unplugged.
    std::fs::remove_dir_all(&folder).unwrap();
    h.click("Back up now");
    h.wait_for("the note", |h| h.shows_containing("is not there right now"));
    assert!(h.shows_containing("Nothing is lost"));
    assert!(
        h.shows_containing("Last backup: today"),
        "the last good time stays: {:?}",
        h.texts()
    );
    h.app.with_data(|d| {
        assert_eq!(d.check_ins, data.check_ins);
        assert_eq!(d.concerns, data.concerns);
    });
    assert!(
        !folder.exists(),
        "nothing is created behind the user's back"
    );
    // Plugged in again: the next backup works.
    std::fs::create_dir(&folder).unwrap();
    h.click("Back up now");
    wait_backed_up(&h);
    assert_eq!(ours(&folder).len(), 1);
}

#[test]
fn restore_from_the_list_wrong_then_right_passphrase_replace_undo_and_merge() {
    let sync = tempfile::tempdir().unwrap();
    let folder = sync.path().join("Sync");
    std::fs::create_dir(&folder).unwrap();
    // The laptop's backup, sealed with its own passphrase, which the
    // settings it holds carry (wrapped), as the app writes them.
    let mut laptop = sample(9);
    let key = backup::new_passphrase(&Passcode::new("laptop words"), KdfParams::weak_for_tests())
        .unwrap();
    laptop.settings.backup.passphrase = Some(key.clone());
    backup::write_backup(
        &RealFs,
        &folder,
        "laptop",
        Some(10),
        &laptop,
        &Sealing::Passphrase(backup::passphrase_key(&key).unwrap()),
        Utc::now(),
    )
    .unwrap();
    let phone = sample(2);
    let h = Harness::with_data(phone.clone());
    use_folder(&h, &folder);
    h.click("Back up without encryption");

    restore_from_list(&h, "from laptop");
    wait_step(&h, "the question");
    h.type_into("Passphrase or passcode of this backup", "laptop word");
    h.click("Open the backup");
    wait_step(&h, "the answer");
    assert!(h.reveal_text("does not open this backup"));
    h.app
        .with_data(|d| assert_eq!(d.check_ins, phone.check_ins));
    open_with_laptop_words(&h, &laptop, &phone);

    h.click("Replace my data with it");
    wait_step(&h, "the replace");
    assert!(h.reveal_text("Your data is now the backup's"));
    h.app.with_data(|d| {
        assert_eq!(d.check_ins, laptop.check_ins);
        assert_eq!(d.concerns, laptop.concerns);
        // This device's backup settings stay its own.
        assert_eq!(
            d.settings.backup.folder.as_deref(),
            Some(folder.to_str().unwrap())
        );
    });
    h.click("Undo the restore");
    wait_step(&h, "the undo");
    assert!(h.reveal_text("Undone"));
    h.app.with_data(|d| {
        assert_eq!(d.check_ins, phone.check_ins);
        assert_eq!(d.concerns, phone.concerns);
    });

    // Merge: each side's records, none twice.
    h.click("Close restore");
    restore_from_list(&h, "from laptop");
    wait_step(&h, "the question");
    h.type_into("Passphrase or passcode of this backup", "laptop words");
    h.click("Open the backup");
    wait_step(&h, "what it holds");
    assert!(h.reveal_text("This backup holds"));
    h.click("Add what is missing");
    wait_step(&h, "the merge");
    assert!(h.reveal_text("from the backup"));
    h.app.with_data(|d| {
        // (Linked concerns may carry new ids here, so records are compared
        // by time and words.)
        for c in phone.check_ins.iter().chain(&laptop.check_ins) {
            let same = d
                .check_ins
                .iter()
                .filter(|x| {
                    x.created == c.created
                        && x.body.when == c.body.when
                        && x.body.note == c.body.note
                })
                .count();
            assert_eq!(same, 1, "each record once");
        }
    });
}

/// Opens "Restore a backup" and picks the listed backup whose label
/// contains `from`, once the list shows it.
fn restore_from_list(h: &Harness, from: &str) {
    h.click("Restore a backup");
    h.wait_for("the list", |h| h.labels().iter().any(|l| l.contains(from)));
    let row = h.labels().into_iter().find(|l| l.contains(from)).unwrap();
    h.activate(&row);
}

/// A backup file sealed with `words`, as the JSON backup export or a
/// backup folder holds it.
fn sealed_backup(data: &Data, words: &str) -> Vec<u8> {
    let key = backup::new_passphrase(&Passcode::new(words), KdfParams::weak_for_tests()).unwrap();
    // As the app makes it: the backup passphrase is in the settings it
    // holds (wrapped; the words themselves are nowhere).
    let mut data = data.clone();
    data.settings.backup.passphrase = Some(key.clone());
    common_ground::core::export::backup(
        &data,
        Some(&backup::passphrase_key(&key).unwrap()),
        Utc::now(),
    )
    .unwrap()
}

/// Opens a backup file by its path, and waits for the worker's answer.
fn open_file(h: &Harness, path: &Path) {
    h.type_into("Backup file", &path.display().to_string());
    h.click("Open this file");
    wait_step(h, "the answer");
}

/// Waits until the step of the restore flow running on the worker is done
/// (read from the adapter: no scrolling while the clock runs).
fn wait_step(h: &Harness, what: &str) {
    use common_ground::ui::{BackupsAdapter, RestoreStep};
    use slint::ComponentHandle;
    h.wait_for(what, |h| {
        !matches!(
            h.app.window.global::<BackupsAdapter>().get_restore_step(),
            RestoreStep::Opening | RestoreStep::Working
        )
    });
}

/// Opens the chosen backup with the laptop's passphrase: it says what it
/// holds, and nothing here has changed yet.
fn open_with_laptop_words(h: &Harness, laptop: &Data, phone: &Data) {
    h.type_into("Passphrase or passcode of this backup", "laptop words");
    h.click("Open the backup");
    wait_step(h, "what it holds");
    assert!(h.reveal_text("This backup holds"), "{:?}", h.texts());
    assert!(h.shows_containing(&format!(
        "This backup holds {} check-ins and {} concerns",
        laptop.check_ins.len(),
        laptop.concerns.len()
    )));
    h.app
        .with_data(|d| assert_eq!(d.check_ins, phone.check_ins, "nothing yet"));
}

#[test]
fn restore_any_backup_file_by_its_path_without_a_backup_folder() {
    let elsewhere = tempfile::tempdir().unwrap();
    let laptop = sample(9);
    let exported = elsewhere.path().join("common-ground-backup.json");
    std::fs::write(&exported, sealed_backup(&laptop, "laptop words")).unwrap();
    let damaged = elsewhere.path().join("damaged.cgbackup");
    let mut bytes = sealed_backup(&laptop, "laptop words");
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x55;
    std::fs::write(&damaged, &bytes).unwrap();
    let phone = sample(2);
    let h = Harness::with_data(phone.clone());
    h.click("Settings");
    h.click("Restore a backup");
    // No folder: the block says how to go on instead of an empty list.
    assert!(
        h.reveal_text("No backup folder is set yet"),
        "{:?}",
        h.texts()
    );

    // A damaged file, a folder and a missing file: a clear message each,
    // and nothing changes.
    for bad in [
        damaged.clone(),
        elsewhere.path().to_path_buf(),
        elsewhere.path().join("none.cgbackup"),
    ] {
        open_file(&h, &bad);
        assert!(h.reveal_text("could not be restored"), "{:?}", h.texts());
        assert!(h.reveal_text("Nothing was changed"));
        h.app
            .with_data(|d| assert_eq!(d.check_ins, phone.check_ins));
    }

    // The JSON backup export: its passphrase, wrong then right.
    open_file(&h, &exported);
    h.type_into("Passphrase or passcode of this backup", "laptop word");
    h.click("Open the backup");
    wait_step(&h, "the answer");
    assert!(h.reveal_text("does not open this backup"));
    open_with_laptop_words(&h, &laptop, &phone);
    h.click("Replace my data with it");
    wait_step(&h, "the replace");
    assert!(h.reveal_text("Your data is now the backup's"));
    h.app
        .with_data(|d| assert_eq!(d.check_ins, laptop.check_ins));
    // With no backup folder, the copy made first is beside the file.
    assert_eq!(
        ours(elsewhere.path()).len(),
        1,
        "the copy before the replace"
    );
    h.click("Undo the restore");
    wait_step(&h, "the undo");
    assert!(h.reveal_text("Undone"));
    h.app.with_data(|d| {
        assert_eq!(d.check_ins, phone.check_ins);
        assert_eq!(d.concerns, phone.concerns);
    });
}

/// Makes the store in `dir` one a newer version wrote (its header says
/// so; a sealed body is not text); its bytes.
fn from_a_newer_version(dir: &Path) -> Vec<u8> {
    let primary = dir.join(common_ground::core::store::PRIMARY);
    let bytes = std::fs::read(&primary).unwrap();
    let nl = bytes.iter().position(|&b| b == b'\n').unwrap();
    let header = String::from_utf8(bytes[..nl].to_vec()).unwrap();
    let newer_header = header.replacen(
        &format!(
            "\"version\":{}",
            common_ground::core::store::CURRENT_VERSION
        ),
        "\"version\":99",
        1,
    );
    assert_ne!(newer_header, header);
    let mut newer = newer_header.into_bytes();
    newer.extend_from_slice(&bytes[nl..]);
    std::fs::write(&primary, &newer).unwrap();
    newer
}

#[test]
fn a_store_from_a_newer_version_is_set_aside_and_a_backup_restored_in_its_place() {
    let (dir, _keep) = Harness::with_data(sample(5)).close();
    let newer = from_a_newer_version(&dir);
    let elsewhere = tempfile::tempdir().unwrap();
    let laptop = sample(9);
    let file = elsewhere.path().join("backup.cgbackup");
    std::fs::write(&file, sealed_backup(&laptop, "laptop words")).unwrap();

    let h = Harness::start_in_background(&dir);
    h.wait_for("the problem", |h| {
        h.shows_containing("Your data needs a newer Common Ground")
    });
    assert!(h.shows_containing("Or restore a backup"), "{:?}", h.texts());
    open_file(&h, &file);
    h.type_into("Passphrase or passcode of this backup", "laptop words");
    h.click("Open the backup");
    wait_step(&h, "what it holds");
    assert!(h.reveal_text("This backup holds"), "{:?}", h.texts());
    // Replace only: nothing here can be merged into.
    assert!(h.try_find("Add what is missing").is_none());
    assert_eq!(
        std::fs::read(dir.join(common_ground::core::store::PRIMARY)).unwrap(),
        newer,
        "nothing changed yet"
    );
    h.click("Restore this backup");
    wait_step(&h, "the restore");
    assert!(h.reveal_text("Restored."), "{:?}", h.texts());
    // The newer version's store is kept, unchanged, in a folder of its own.
    let aside: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with(common_ground::core::store::SET_ASIDE_PREFIX)
        })
        .collect();
    assert_eq!(aside.len(), 1);
    assert!(h.reveal_text(&aside[0].display().to_string()));
    assert_eq!(
        std::fs::read(aside[0].join(common_ground::core::store::PRIMARY)).unwrap(),
        newer
    );
    h.click("Open Common Ground");
    assert!(!h.shows_containing("needs a newer"));
    h.app.with_data(|d| {
        assert_eq!(d.check_ins, laptop.check_ins);
        assert_eq!(d.concerns, laptop.concerns);
    });
    // The next start opens the restored data normally (sealed with a
    // backup passphrase, not a passcode: no lock).
    drop(h);
    let h = Harness::open(&dir);
    assert!(!h.app.is_locked());
    h.app
        .with_data(|d| assert_eq!(d.check_ins, laptop.check_ins));
}

#[test]
fn a_folder_that_cannot_be_used_offers_no_restore_and_says_why() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("Documents");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("letter.txt"), "someone else's").unwrap();
    let h = Harness::start_in_background(&dir);
    h.wait_for("the problem", |h| {
        h.shows_containing("Common Ground cannot open your data")
    });
    assert!(h.shows_containing("A backup cannot be restored here"));
    assert!(h.try_find("Backup file").is_none());
    assert!(h.try_find("Open this file").is_none());
    assert_eq!(
        std::fs::read_dir(&dir).unwrap().count(),
        1,
        "nothing was created"
    );
}

#[test]
fn after_nothing_could_be_read_the_notice_offers_to_restore_a_backup() {
    let (dir, _keep) = Harness::with_data(sample(5)).close();
    for name in common_ground::core::store::GENERATION_FILES {
        let path = dir.join(name);
        if path.exists() {
            std::fs::write(&path, b"not a store").unwrap();
        }
    }
    let h = Harness::open(&dir);
    assert!(h.shows_containing("started fresh"), "{:?}", h.texts());
    h.click("Restore a backup");
    // Settings, scrolled to the restore block, which says how to go on.
    h.wait_for("the restore block", |h| {
        h.shows_containing("No backup folder is set yet")
    });
    assert!(
        h.control_in_view("Backup file").is_some(),
        "in view without scrolling; labels: {:?}",
        h.labels()
    );
}

#[test]
fn a_newer_version_behind_a_passcode_is_explained_after_unlocking() {
    let (dir, _keep) = Harness::with_data(sample(5)).close();
    {
        let mut store = common_ground::core::store::Store::open(&dir).unwrap();
        store
            .turn_on_passcode_with(
                &Passcode::new("right passcode"),
                KdfParams::weak_for_tests(),
            )
            .unwrap();
    }
    from_a_newer_version(&dir);
    let h = Harness::open(&dir);
    assert!(h.app.is_locked());
    h.type_into("Passcode", "right passcode");
    h.click("Unlock");
    h.wait_for("the problem", |h| {
        h.shows_containing("Your data needs a newer Common Ground")
    });
    assert!(h.shows_containing("Or restore a backup"), "{:?}", h.texts());
    assert!(h.try_find("Open this file").is_some());
}

#[test]
fn a_backup_behind_a_passcode_keeps_it_on_a_device_without_one() {
    use common_ground::core::store::{sealed, SealKey};
    let elsewhere = tempfile::tempdir().unwrap();
    let old_phone = sample(9);
    let key = SealKey::create(
        &Passcode::new("old phone code"),
        KdfParams::weak_for_tests(),
    )
    .unwrap();
    let file = elsewhere.path().join("old-phone.cgbackup");
    let bytes = common_ground::core::export::backup(&old_phone, Some(&key), Utc::now()).unwrap();
    std::fs::write(&file, bytes).unwrap();
    // A fresh install: no passcode.
    let h = Harness::new();
    assert!(!h.app.is_locked());
    h.click("Settings");
    h.click("Restore a backup");
    open_file(&h, &file);
    h.type_into("Passphrase or passcode of this backup", "old phone code");
    h.click("Open the backup");
    wait_step(&h, "what it holds");
    assert!(
        h.reveal_text("This backup was protected by a passcode"),
        "{:?}",
        h.texts()
    );
    h.click("Add what is missing");
    wait_step(&h, "the merge");
    assert!(h.reveal_text("Added"), "{:?}", h.texts());
    h.app
        .with_data(|d| assert_eq!(d.check_ins.len(), old_phone.check_ins.len()));

    // On disk the data is sealed: no note is readable in any file.
    let h = h.restart();
    assert!(sealed::folder_is_sealed(&RealFs, &h.dir));
    let note = old_phone
        .check_ins
        .iter()
        .map(|c| c.body.note.clone())
        .find(|n| n.len() > 12)
        .expect("sample notes");
    for entry in std::fs::read_dir(&h.dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            let text = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).into_owned();
            assert!(!text.contains(&note), "{} is readable", path.display());
        }
    }
    // The next start asks for the old phone's passcode, which opens it.
    assert!(h.app.is_locked());
    h.type_into("Passcode", "old phone code");
    h.click("Unlock");
    h.wait_for("the unlock", |h| !h.app.is_locked());
    h.app
        .with_data(|d| assert_eq!(d.check_ins.len(), old_phone.check_ins.len()));
}

//! The command line, run as a user would run it.

#[path = "weak_kdf/mod.rs"]
mod weak_kdf;
use std::process::Command;
use weak_kdf::WeakForTests;

#[path = "calendar_common/mod.rs"]
mod calendar_common;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_common-ground"))
}

fn run(cmd: &mut Command) -> (i32, String, String) {
    let out = cmd.output().expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn help_and_version() {
    let (code, out, _) = run(bin().arg("--help"));
    assert_eq!(code, 0);
    assert!(out.contains("--data-dir DIR") && out.contains("check"));
    assert!(out.contains("COMMON_GROUND_DATA_DIR"));
    let (code, out, _) = run(bin().arg("--version"));
    assert_eq!(code, 0);
    assert_eq!(
        out.trim(),
        format!("common-ground {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn bad_arguments_say_what_is_wrong_and_exit_2() {
    let (code, _, err) = run(bin().arg("--frobnicate"));
    assert_eq!(code, 2);
    assert!(err.contains("unknown option '--frobnicate'") && err.contains("--help"));
    let (code, _, err) = run(bin().arg("--data-dir"));
    assert_eq!(code, 2);
    assert!(err.contains("needs a folder"));
}

#[test]
fn check_reports_a_healthy_store_and_a_damaged_one() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    // Create a store with two saves, as the app would.
    {
        let mut store = common_ground::core::store::Store::open(&dir).unwrap();
        store
            .update(|d| d.settings.theme = common_ground::core::model::ThemeChoice::Dark)
            .unwrap();
        store
            .update(|d| d.settings.theme = common_ground::core::model::ThemeChoice::Light)
            .unwrap();
    }
    let (code, out, _) = run(bin().arg("check").arg("--data-dir").arg(&dir));
    assert_eq!(code, 0, "healthy store exits 0: {out}");
    assert!(
        out.contains(&dir.display().to_string()),
        "says where: {out}"
    );
    assert!(out.contains("Healthy."));

    // The environment variable works too.
    let (code, out, _) = run(bin().arg("check").env("COMMON_GROUND_DATA_DIR", &dir));
    assert_eq!(code, 0);
    assert!(out.contains(&dir.display().to_string()));

    // Damage a backup: check says so, names the file, exits non-zero, and
    // changes nothing on disk.
    let bak = dir.join(common_ground::core::store::BACKUP_1);
    let mut bytes = std::fs::read(&bak).unwrap();
    let last = bytes.len() - 3;
    bytes[last] ^= 0x55;
    std::fs::write(&bak, &bytes).unwrap();
    let (code, out, _) = run(bin().arg("check").arg("--data-dir").arg(&dir));
    assert_ne!(code, 0, "damage is a problem: {out}");
    assert!(out.contains("store.bak1.json"), "{out}");
    assert_eq!(std::fs::read(&bak).unwrap(), bytes, "check never writes");
}

/// Runs `sample-data` for `years` up to `end` into `dir`, with `more`
/// arguments.
fn sample_data(
    dir: &std::path::Path,
    years: &str,
    end: &str,
    more: &[&str],
) -> (i32, String, String) {
    run(bin()
        .args(["sample-data", "--years", years, "--end", end])
        .args(more)
        .arg("--data-dir")
        .arg(dir))
}

#[test]
fn sample_data_fills_an_empty_folder_that_then_checks_healthy() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("sample");
    let (code, out, err) = sample_data(&dir, "2", "2026-11-20", &[]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("92 check-ins and 24 concerns"), "{out}");
    let (code, out, _) = run(bin().arg("check").arg("--data-dir").arg(&dir));
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("92 check-ins"), "{out}");
    // Deterministic: a second folder gets the same data.
    let again = tmp.path().join("again");
    sample_data(&again, "2", "2026-11-20", &[]);
    let load = |d: &std::path::Path| {
        common_ground::core::store::format::decode(&std::fs::read(d.join("store.json")).unwrap())
            .unwrap()
            .data
    };
    assert_eq!(load(&dir), load(&again));
    // Notes in English unless other scripts are asked for.
    let other = |d: &common_ground::core::model::Data| {
        d.check_ins
            .iter()
            .flat_map(|r| r.body.note.chars())
            .filter(|c| ('\u{0400}'..'\u{FFFF}').contains(c) && !"…’".contains(*c))
            .count()
    };
    assert_eq!(other(&load(&dir)), 0);
    let scripts = tmp.path().join("scripts");
    let (code, _, err) = sample_data(&scripts, "2", "2026-11-20", &["--scripts"]);
    assert_eq!(code, 0, "{err}");
    assert!(other(&load(&scripts)) > 20);
}

#[test]
fn sample_data_refuses_a_folder_that_holds_anything() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(dir.join("notes.txt"), "mine").unwrap();
    let (code, _, err) = run(bin()
        .args(["sample-data", "--years", "1", "--data-dir"])
        .arg(dir));
    assert_eq!(code, 1);
    assert!(
        err.contains("not empty") && err.contains("nothing was written"),
        "{err}"
    );
    assert!(!dir.join("store.json").exists());
    assert_eq!(
        std::fs::read_to_string(dir.join("notes.txt")).unwrap(),
        "mine"
    );
    // A folder with a store is refused too, and the store is untouched.
    let store_dir = tmp.path().join("store");
    run(bin()
        .args(["sample-data", "--years", "1", "--data-dir"])
        .arg(&store_dir));
    let before = std::fs::read(store_dir.join("store.json")).unwrap();
    let (code, _, _) = run(bin()
        .args(["sample-data", "--years", "1", "--data-dir"])
        .arg(&store_dir));
    assert_eq!(code, 1);
    assert_eq!(std::fs::read(store_dir.join("store.json")).unwrap(), before);
}

/// Adds a check-in at `when` (mood 4) with `note`, and a concern about
/// `what_happened`.
fn add_check_in_and_concern(
    d: &mut common_ground::core::model::Data,
    when: chrono::NaiveDateTime,
    note: &str,
    what_happened: &str,
) {
    use common_ground::core::model::{CheckIn, Concern};
    let now = chrono::Utc::now();
    let c = d.new_record(
        CheckIn {
            when,
            mood: 4,
            note: note.into(),
            ..Default::default()
        },
        now,
    );
    d.check_ins.push(c);
    let k = d.new_record(
        Concern {
            what_happened: what_happened.into(),
            ..Default::default()
        },
        now,
    );
    d.concerns.push(k);
}

/// A store with a check-in and a concern, a passcode on (weak test
/// parameters; the binary reads them from the header like any others).
fn encrypted_store(dir: &std::path::Path) {
    use common_ground::core::store::{KdfParams, Passcode, Store};
    let mut store = Store::open(dir).unwrap();
    store
        .update(|d| {
            let when = chrono::NaiveDate::from_ymd_opt(2026, 3, 2)
                .unwrap()
                .and_hms_opt(18, 0, 0)
                .unwrap();
            let note = "felt heard, mostly; \"finally\"";
            add_check_in_and_concern(d, when, note, "We ran out of time again");
        })
        .unwrap();
    store
        .turn_on_passcode_with(&Passcode::new("let me in"), KdfParams::weak_for_tests())
        .unwrap();
}

/// Runs `export` of `format` from the store in `dir` into `file`.
fn export_to(dir: &std::path::Path, format: &str, file: &std::path::Path) -> (i32, String, String) {
    run(bin()
        .args(["export", "--format", format, "--out"])
        .arg(file)
        .arg("--data-dir")
        .arg(dir))
}

fn run_with_stdin(cmd: &mut Command, input: &str) -> (i32, String, String) {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn export_and_import_with_a_passcode_from_standard_input() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    encrypted_store(&src);

    // check: healthy without the passcode, and says what it could not read.
    let (code, out, _) = run(bin().arg("check").arg("--data-dir").arg(&src));
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("encrypted") && out.contains("without the passcode"),
        "{out}"
    );

    // A wrong passcode: a clear error, exit 1.
    let (code, _, err) = run_with_stdin(
        bin()
            .args(["export", "--format", "csv", "--data-dir"])
            .arg(&src),
        "nope\n",
    );
    assert_eq!(code, 1);
    assert!(err.contains("passcode is not right"), "{err}");

    // CSV to standard output.
    let (code, out, err) = run_with_stdin(
        bin()
            .args(["export", "--format", "csv", "--data-dir"])
            .arg(&src),
        "let me in\n",
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("id,when,"), "{out}");
    assert!(
        out.contains("\"felt heard, mostly; \"\"finally\"\"\""),
        "{out}"
    );

    // Markdown for a period that holds nothing.
    let (code, out, _) = run_with_stdin(
        bin()
            .args([
                "export",
                "--format",
                "markdown",
                "--from",
                "2030-01-01",
                "--data-dir",
            ])
            .arg(&src),
        "let me in\n",
    );
    assert_eq!(code, 0);
    assert!(
        out.starts_with("# ") && !out.contains("ran out of time"),
        "{out}"
    );

    // The summary leaves the private note out unless --with-notes.
    let markdown = |extra: &[&str]| {
        let (code, out, err) = run_with_stdin(
            bin()
                .args(["export", "--format", "markdown"])
                .args(extra)
                .arg("--data-dir")
                .arg(&src),
            "let me in\n",
        );
        assert_eq!(code, 0, "{err}");
        out
    };
    let without = markdown(&[]);
    assert!(without.contains("| 2026-03-02 18:00 | 4/10 |"), "{without}");
    assert!(!without.contains("finally"), "{without}");
    let with = markdown(&["--with-notes"]);
    assert!(with.contains("felt heard, mostly; \"finally\""), "{with}");

    // A sealed backup to a file, then imported into a new folder.
    let file = tmp.path().join("backup.json");
    let (code, _, err) = run_with_stdin(
        bin()
            .args(["export", "--format", "json", "--out"])
            .arg(&file)
            .arg("--data-dir")
            .arg(&src),
        "let me in\n",
    );
    assert_eq!(code, 0, "{err}");
    let bytes = std::fs::read(&file).unwrap();
    assert!(
        !bytes.windows(8).any(|w| w == b"ran out "),
        "backup readable"
    );
    let dst = tmp.path().join("dst");
    let (code, out, err) = run_with_stdin(
        bin().arg("import").arg(&file).arg("--data-dir").arg(&dst),
        "let me in\n",
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Added 1 check-ins and 1 concerns"), "{out}");
    let (code, out, _) = run_with_stdin(
        bin().arg("import").arg(&file).arg("--data-dir").arg(&dst),
        "let me in\n",
    );
    assert_eq!(code, 0);
    assert!(out.contains("Nothing to add"), "{out}");

    // Garbage: a clear error, nothing changed.
    let junk = tmp.path().join("junk.json");
    std::fs::write(&junk, b"not a backup").unwrap();
    let before = std::fs::read(dst.join("store.json")).unwrap();
    let (code, _, err) = run(bin().arg("import").arg(&junk).arg("--data-dir").arg(&dst));
    assert_eq!(code, 1);
    assert!(
        err.contains("cannot be imported") && err.contains("Nothing was changed"),
        "{err}"
    );
    assert_eq!(std::fs::read(dst.join("store.json")).unwrap(), before);
}

#[test]
fn sample_data_with_an_extreme_end_date_is_a_clear_error() {
    let tmp = tempfile::tempdir().unwrap();
    for end in ["0001-01-01", "+262142-12-31", "-9999-01-01", "9999-12-31"] {
        let (code, _, err) = run(bin()
            .args(["sample-data", "--years", "50", "--end", end, "--data-dir"])
            .arg(tmp.path().join("s")));
        assert_eq!(code, 2, "{end}: {err}");
        assert!(
            err.contains("--end") && !err.contains("panicked"),
            "{end}: {err}"
        );
    }
}

#[test]
fn export_with_the_newest_generations_damaged_fails_loudly() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    let (code, _, err) = run(bin()
        .args(["sample-data", "--years", "1", "--data-dir"])
        .arg(&dir));
    assert_eq!(code, 0, "{err}");
    let damage = |name: &str| {
        let p = dir.join(name);
        let mut b = std::fs::read(&p).unwrap();
        let n = b.len();
        b[n - 5] ^= 0x20;
        std::fs::write(&p, b).unwrap();
    };
    damage("store.json");
    damage("store.bak1.json");
    let out = tmp.path().join("backup.json");
    let (code, _, err) = run(bin()
        .args(["export", "--out"])
        .arg(&out)
        .arg("--data-dir")
        .arg(&dir));
    assert_ne!(code, 0, "exported without a word: {err}");
    assert!(
        err.contains("store.json") && err.contains("store.bak1.json"),
        "{err}"
    );
    // Nothing was moved aside or written.
    assert!(!out.exists());
    assert!(dir.join("store.json").exists() && dir.join("store.bak1.json").exists());
}

#[test]
fn a_data_dir_of_other_files_is_refused_and_left_alone() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::write(dir.join("holiday.jpg"), "mine").unwrap();
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let file = elsewhere.path().join("backup.json");
    let mut data = common_ground::core::model::Data::default();
    let r = data.new_record(
        common_ground::core::model::CheckIn::default(),
        chrono::Utc::now(),
    );
    data.check_ins.push(r);
    let bytes = common_ground::core::export::backup(&data, None, chrono::Utc::now()).unwrap();
    std::fs::write(&file, bytes).unwrap();
    let (code, _, err) = run(bin().arg("import").arg(&file).arg("--data-dir").arg(dir));
    assert_eq!(code, 1);
    assert!(err.contains("other files"), "{err}");
    assert!(!dir.join("store.json").exists() && !dir.join(".lock").exists());
    assert_eq!(
        std::fs::metadata(dir).unwrap().permissions().mode() & 0o777,
        0o755
    );
}

/// Two devices with a year of sample data each, in `phone` and `laptop`
/// under `tmp`, and a backup of the laptop sealed with "laptop pass" in
/// `Sync`: the phone's folder, the laptop's, the backup folder and the
/// backup file.
fn phone_and_laptop_backup(
    tmp: &std::path::Path,
) -> (
    std::path::PathBuf,
    std::path::PathBuf,
    std::path::PathBuf,
    std::path::PathBuf,
) {
    let phone = tmp.join("phone");
    let laptop = tmp.join("laptop");
    let folder = tmp.join("Sync");
    std::fs::create_dir(&folder).unwrap();
    for (dir, seed) in [(&phone, "1"), (&laptop, "2")] {
        let (code, _, err) = run(bin()
            .args(["sample-data", "--years", "1", "--seed", seed, "--data-dir"])
            .arg(dir));
        assert_eq!(code, 0, "{err}");
    }
    let file = back_up(&laptop, &folder, "laptop pass\nlaptop pass\n");
    (phone, laptop, folder, file)
}

/// Backs up `data` into `folder` with the command line, `stdin` answering
/// its questions; the path of the (only) backup file there.
fn back_up(data: &std::path::Path, folder: &std::path::Path, stdin: &str) -> std::path::PathBuf {
    let (code, _, err) = run_with_stdin(
        bin()
            .arg("backup")
            .arg("--to")
            .arg(folder)
            .arg("--data-dir")
            .arg(data),
        stdin,
    );
    assert_eq!(code, 0, "{err}");
    folder.join(&backups_in(folder)[0])
}

/// The names of the backup files in `folder`, sorted.
fn backups_in(folder: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".cgbackup"))
        .collect();
    names.sort();
    names
}

fn open_data(dir: &std::path::Path) -> common_ground::core::model::Data {
    common_ground::core::store::Store::open_read_only(dir, None)
        .unwrap()
        .data()
        .clone()
}

#[test]
fn backup_then_lose_the_data_folder_then_restore_everything() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    let folder = tmp.path().join("Sync");
    std::fs::create_dir(&folder).unwrap();
    let (code, _, err) = sample_data(&dir, "1", "2026-11-01", &[]);
    assert_eq!(code, 0, "{err}");
    // No folder set and no --to: a clear error, nothing written.
    let (code, _, err) = run_with_stdin(bin().arg("backup").arg("--data-dir").arg(&dir), "");
    assert_eq!(code, 1);
    assert!(err.contains("no backup folder is set"), "{err}");
    // The folder, as the app's Settings would set it.
    {
        let mut store = common_ground::core::store::Store::open(&dir).unwrap();
        let f = folder.display().to_string();
        store
            .update(|d| d.settings.backup.folder = Some(f))
            .unwrap();
    }
    // The first backup asks for a passphrase twice; two that differ set none.
    let (code, _, err) = run_with_stdin(
        bin().arg("backup").arg("--data-dir").arg(&dir),
        "correct horse\ncorrect hose\n",
    );
    assert_eq!(code, 1);
    assert!(err.contains("differ"), "{err}");
    assert!(backups_in(&folder).is_empty());
    let (code, out, err) = run_with_stdin(
        bin().arg("backup").arg("--data-dir").arg(&dir),
        "correct horse\ncorrect horse\n",
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("Backed up to") && out.contains("passphrase"),
        "{out}"
    );
    let first = backups_in(&folder);
    assert_eq!(first.len(), 1);
    let data = open_data(&dir);
    assert_eq!(
        data.settings.backup.last_good.map(|t| t.timestamp() / 60),
        Some(chrono::Utc::now().timestamp() / 60),
        "the last good backup is recorded"
    );
    // The passphrase is stored nowhere; the backup shows no text.
    let store_bytes = std::fs::read(dir.join("store.json")).unwrap();
    assert!(!String::from_utf8_lossy(&store_bytes).contains("correct horse"));
    let backup_bytes = std::fs::read(folder.join(&first[0])).unwrap();
    let note = data
        .check_ins
        .iter()
        .map(|c| c.body.note.clone())
        .find(|n| n.len() > 12)
        .expect("sample notes");
    assert!(!String::from_utf8_lossy(&backup_bytes).contains(&note));
    // Later backups need no passphrase; --keep 2 keeps exactly two.
    for _ in 0..3 {
        let (code, out, err) = run_with_stdin(
            bin()
                .args(["backup", "--keep", "2", "--data-dir"])
                .arg(&dir),
            "",
        );
        assert_eq!(code, 0, "{err}");
        assert!(out.contains("2 kept") || out.contains("2 backups"), "{out}");
    }
    let kept = backups_in(&folder);
    assert_eq!(kept.len(), 2, "{kept:?}");
    assert!(!kept.contains(&first[0]), "the oldest went");

    // The phone is lost: the data folder is gone. Restore the newest.
    std::fs::remove_dir_all(&dir).unwrap();
    let newest = folder.join(kept.last().unwrap());
    let (code, _, err) = run_with_stdin(
        bin()
            .arg("restore")
            .arg(&newest)
            .arg("--data-dir")
            .arg(&dir),
        "wrong horse\n",
    );
    assert_eq!(code, 1);
    assert!(err.contains("not right"), "{err}");
    let (code, out, err) = run_with_stdin(
        bin()
            .arg("restore")
            .arg(&newest)
            .arg("--dry-run")
            .arg("--data-dir")
            .arg(&dir),
        "correct horse\n",
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(&format!("holds {} check-ins", data.check_ins.len()))
            && out.contains("Nothing was changed"),
        "{out}"
    );
    let (code, out, err) = run_with_stdin(
        bin()
            .arg("restore")
            .arg(&newest)
            .arg("--data-dir")
            .arg(&dir),
        "correct horse\n",
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Added"), "{out}");
    let back = open_data(&dir);
    assert_eq!(back.check_ins, data.check_ins);
    assert_eq!(back.concerns, data.concerns);
    assert_eq!(back.learn, data.learn);
    // The restored device keeps backing up to the same folder, sealed the
    // same way, without asking.
    assert_eq!(back.settings.backup.folder, data.settings.backup.folder);
    let (code, _, err) = run_with_stdin(bin().arg("backup").arg("--data-dir").arg(&dir), "");
    assert_eq!(code, 0, "{err}");
}

#[test]
fn a_replace_restore_is_undone_by_restoring_what_it_saved_first() {
    let tmp = tempfile::tempdir().unwrap();
    let (phone, laptop, folder, laptop_file) = phone_and_laptop_backup(tmp.path());
    let phone_before = open_data(&phone);
    let laptop_data = open_data(&laptop);

    // A dry run of a replace changes nothing.
    let (code, out, _) = run_with_stdin(
        bin()
            .arg("restore")
            .arg(&laptop_file)
            .args(["--replace", "--dry-run", "--data-dir"])
            .arg(&phone),
        "laptop pass\n",
    );
    assert_eq!(code, 0);
    assert!(out.contains("Would replace"), "{out}");
    assert_eq!(open_data(&phone), phone_before);

    let (code, out, err) = run_with_stdin(
        bin()
            .arg("restore")
            .arg(&laptop_file)
            .args(["--replace", "--data-dir"])
            .arg(&phone),
        "laptop pass\n",
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Replaced") && out.contains("to undo"), "{out}");
    let replaced = open_data(&phone);
    assert_eq!(replaced.check_ins, laptop_data.check_ins);
    assert_eq!(replaced.concerns, laptop_data.concerns);
    // The data as it was went into a backup beside the file ...
    let names = backups_in(&folder);
    assert_eq!(names.len(), 2, "{names:?}");
    let undo = names
        .iter()
        .map(|n| folder.join(n))
        .find(|p| *p != laptop_file)
        .unwrap();
    // ... sealed with the same passphrase (the phone had none of its own).
    let (code, _, err) = run_with_stdin(
        bin()
            .arg("restore")
            .arg(&undo)
            .args(["--replace", "--data-dir"])
            .arg(&phone),
        "laptop pass\n",
    );
    assert_eq!(code, 0, "{err}");
    let undone = open_data(&phone);
    assert_eq!(undone.check_ins, phone_before.check_ins);
    assert_eq!(undone.concerns, phone_before.concerns);
}

#[test]
fn sample_data_fills_a_backup_folder_that_restores_with_its_passphrase() {
    use common_ground::core::backup::{self, Holds};
    use common_ground::core::store::{Passcode, RealFs, SealKey};
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    let folder = tmp.path().join("Sync").join("Common Ground");
    let sample = |dir: &std::path::Path, folder: &std::path::Path| {
        run(bin()
            .args(["sample-data", "--years", "1", "--end", "2026-11-01"])
            .arg("--backups")
            .arg(folder)
            .arg("--data-dir")
            .arg(dir))
    };
    // Not inside the data folder; nothing is written then.
    let (code, _, err) = sample(&dir, &dir.join("backups"));
    assert_eq!(code, 1);
    assert!(err.contains("inside the data folder"), "{err}");
    assert!(!dir.exists());
    let (code, out, err) = sample(&dir, &folder);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("made-up data") && out.contains("4 backups"),
        "{out}"
    );
    assert_eq!(backups_in(&folder).len(), 4);
    // The folder is the backup folder now, with its passphrase's key.
    let data = open_data(&dir);
    let settings = &data.settings.backup;
    assert_eq!(settings.folder, Some(folder.display().to_string()));
    assert!(settings.passphrase.is_some() && settings.last_good.is_some());
    // Listed as the app lists them: a week apart, the history of each
    // day, one from another device, every one sealed.
    let listed = backup::list(&RealFs, &folder, &|w| backup::known_key(settings, None, w)).unwrap();
    let counts: Vec<usize> = listed
        .iter()
        .map(|l| match l.holds {
            Holds::Counts { check_ins, .. } => check_ins,
            ref other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        counts[0],
        data.check_ins.len(),
        "the newest holds everything"
    );
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
    assert!(counts[3] < counts[0], "{counts:?}");
    assert_eq!(listed[1].device, "laptop");
    assert_eq!(listed[0].device, settings.device);
    assert_eq!((listed[0].at - listed[1].at).num_days(), 7);
    let bytes = std::fs::read(&listed[3].path).unwrap();
    let common_ground::core::export::BackupLock::Sealed(wrap) =
        common_ground::core::export::inspect_backup(&bytes).unwrap()
    else {
        panic!("sealed")
    };
    assert!(SealKey::unlock(&Passcode::new("made-up data"), &wrap).is_ok());
    // Elsewhere, the oldest restores with the passphrase the help gives.
    let (_, help, _) = run(bin().arg("--help"));
    assert!(help.contains("'made-up data'") && help.contains("--backups DIR"));
    let fresh = tmp.path().join("fresh");
    let (code, out, err) = run_with_stdin(
        bin()
            .arg("restore")
            .arg(&listed[3].path)
            .arg("--data-dir")
            .arg(&fresh),
        "made-up data\n",
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(&format!("holds {} check-ins", counts[3])),
        "{out}"
    );
    // A folder that holds anything is refused, and left as it is.
    let other = tmp.path().join("other");
    std::fs::create_dir(&other).unwrap();
    std::fs::write(other.join("notes.txt"), "mine").unwrap();
    let (code, _, err) = sample(&tmp.path().join("data2"), &other);
    assert_eq!(code, 1);
    assert!(err.contains("not empty"), "{err}");
    assert!(!tmp.path().join("data2").exists());
}

#[test]
fn a_plain_export_to_a_file_says_first_that_anyone_can_read_it() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    run(bin()
        .args(["sample-data", "--years", "1", "--data-dir"])
        .arg(&dir));
    let file = tmp.path().join("check-ins.csv");
    let (code, _, err) = export_to(&dir, "csv", &file);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains(&file.display().to_string())
            && err.contains("anyone who gets the file can read it"),
        "{err}"
    );
    // Without a passcode or a passphrase, a json backup asks for a new
    // passphrase (or is written plain only with --unencrypted).
    let json = tmp.path().join("backup.json");
    let (code, _, err) = run_with_stdin(
        bin()
            .args(["export", "--out"])
            .arg(&json)
            .arg("--data-dir")
            .arg(&dir),
        "",
    );
    assert_eq!(code, 1, "{err}");
    assert!(!json.exists());
    let (code, _, err) = run_with_stdin(
        bin()
            .args(["export", "--out"])
            .arg(&json)
            .arg("--data-dir")
            .arg(&dir),
        "blue kettle\nblue kettle\n",
    );
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("anyone"), "{err}");
    let bytes = std::fs::read(&json).unwrap();
    assert!(matches!(
        common_ground::core::export::inspect_backup(&bytes).unwrap(),
        common_ground::core::export::BackupLock::Sealed(_)
    ));
    let (code, _, err) = run(bin()
        .args(["export", "--unencrypted", "--out"])
        .arg(tmp.path().join("plain.json"))
        .arg("--data-dir")
        .arg(&dir));
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("anyone who gets the file"), "{err}");
}

#[test]
fn a_replace_restore_over_a_store_from_a_newer_version_sets_it_aside_whole() {
    use common_ground::core::store::{CURRENT_VERSION, PRIMARY, SET_ASIDE_PREFIX};
    let tmp = tempfile::tempdir().unwrap();
    let (phone, laptop, _, file) = phone_and_laptop_backup(tmp.path());
    let laptop_data = open_data(&laptop);
    // The phone's store is now one a newer version wrote.
    let primary = phone.join(PRIMARY);
    let text = std::fs::read_to_string(&primary).unwrap();
    let newer = text.replacen(
        &format!("\"version\":{CURRENT_VERSION}"),
        "\"version\":99",
        1,
    );
    std::fs::write(&primary, &newer).unwrap();
    let listing = |dir: &std::path::Path| {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let before = listing(&phone);

    // A merge cannot go into data this version cannot read: refused.
    let (code, _, err) = run_with_stdin(
        bin()
            .arg("restore")
            .arg(&file)
            .arg("--data-dir")
            .arg(&phone),
        "laptop pass\n",
    );
    assert_ne!(code, 0);
    assert!(err.contains("newer version"), "{err}");
    // A dry run of the replace says what would happen and does nothing.
    let (code, out, err) = run_with_stdin(
        bin()
            .arg("restore")
            .arg(&file)
            .args(["--replace", "--dry-run", "--data-dir"])
            .arg(&phone),
        "laptop pass\n",
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("would be moved, unchanged"), "{out}");
    assert_eq!(listing(&phone), before);
    assert_eq!(std::fs::read_to_string(&primary).unwrap(), newer);

    let (code, out, err) = run_with_stdin(
        bin()
            .arg("restore")
            .arg(&file)
            .args(["--replace", "--data-dir"])
            .arg(&phone),
        "laptop pass\n",
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("was moved, unchanged"), "{out}");
    let restored = open_data(&phone);
    assert_eq!(restored.check_ins, laptop_data.check_ins);
    assert_eq!(restored.concerns, laptop_data.concerns);
    let aside: Vec<_> = listing(&phone)
        .into_iter()
        .filter(|n| n.starts_with(SET_ASIDE_PREFIX))
        .collect();
    assert_eq!(aside.len(), 1, "{:?}", listing(&phone));
    assert_eq!(
        std::fs::read_to_string(phone.join(&aside[0]).join(PRIMARY)).unwrap(),
        newer,
        "kept, unchanged"
    );
    let (code, out, _) = run(bin().arg("check").arg("--data-dir").arg(&phone));
    assert_eq!(code, 0, "{out}");
}

#[test]
fn a_backup_behind_a_passcode_stays_behind_it_when_restored_on_a_new_device() {
    use common_ground::core::store::{sealed, KdfParams, Passcode, Store};
    let tmp = tempfile::tempdir().unwrap();
    let old = tmp.path().join("old");
    let new = tmp.path().join("new");
    let folder = tmp.path().join("Sync");
    std::fs::create_dir(&folder).unwrap();
    std::fs::create_dir(&old).unwrap();
    encrypted_store(&old);
    let file = back_up(&old, &folder, "let me in\n");

    // A dry run says what would happen and seals nothing.
    let (code, out, err) = run_with_stdin(
        bin()
            .arg("restore")
            .arg(&file)
            .args(["--dry-run", "--data-dir"])
            .arg(&new),
        "let me in\n",
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("would be protected by the same passcode"),
        "{out}"
    );

    // The new device has no passcode; the restore seals its folder with
    // the backup's, so the note is not left readable on disk.
    let (code, out, err) = run_with_stdin(
        bin().arg("restore").arg(&file).arg("--data-dir").arg(&new),
        "let me in\n",
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("is protected by the same passcode"), "{out}");
    for entry in std::fs::read_dir(&new).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            let bytes = std::fs::read(&path).unwrap();
            assert!(
                !String::from_utf8_lossy(&bytes).contains("felt heard"),
                "{} holds the note in plain text",
                path.display()
            );
        }
    }
    assert!(sealed::folder_is_sealed(
        &common_ground::core::store::RealFs,
        &new
    ));
    let key = sealed::unlock(
        &new,
        &Passcode::new("let me in"),
        KdfParams::weak_for_tests(),
    )
    .expect("the backup's passcode opens the new folder");
    let store = Store::open_unlocked(&new, key).unwrap();
    assert_eq!(store.data().check_ins.len(), 1);
    assert_eq!(
        store.data().check_ins[0].body.note,
        "felt heard, mostly; \"finally\""
    );
}

// ------------------------------------------------------------ calendar file

/// A store with every Tuesday at 17:00 from 3 March 2026 (the 17 March
/// session skipped, the 31 March one moved to Wednesday 1 April at 10:00),
/// the "before" and "after" reminders on, and private words in a check-in
/// and a concern that must never reach the calendar.
fn store_with_schedule(dir: &std::path::Path) {
    use common_ground::core::sessions::{Repeat, Schedule};
    let at = |d: u32, h: u32| {
        chrono::NaiveDate::from_ymd_opt(2026, 3, d)
            .unwrap()
            .and_hms_opt(h, 0, 0)
            .unwrap()
    };
    let mut store = common_ground::core::store::Store::open(dir).unwrap();
    store
        .update(move |d| {
            let mut s = Schedule::repeating(Repeat::Weekly, at(3, 17), 50, "cli-test".into());
            let seventeenth = s.sessions_between(at(17, 0).date(), at(17, 0).date())[0];
            s.skip(&seventeenth);
            let thirty_first = s.sessions_between(at(31, 0).date(), at(31, 0).date())[0];
            s.move_session(
                &thirty_first,
                chrono::NaiveDate::from_ymd_opt(2026, 4, 1)
                    .unwrap()
                    .and_hms_opt(10, 0, 0)
                    .unwrap(),
            );
            d.sessions.schedule = Some(s);
            d.sessions.reminders.before.on = true;
            d.sessions.reminders.after.on = true;
            add_check_in_and_concern(
                d,
                at(3, 18),
                "PRIVATE-NOTE about my therapist",
                "PRIVATE-CONCERN she looked at the clock",
            );
        })
        .unwrap();
}

fn unfolded_lines(text: &str) -> Vec<String> {
    text.replace("\r\n ", "")
        .split("\r\n")
        .map(str::to_string)
        .collect()
}

#[test]
fn export_ics_writes_a_calendar_file_that_parses_back() {
    use icalendar::{Calendar, Component};
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    store_with_schedule(&dir);
    let out = tmp.path().join("sessions.ics");
    let (code, _, err) = export_to(&dir, "ics", &out);
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(&out).unwrap();
    // Nothing private, and nothing that says what the appointment is.
    for word in ["PRIVATE-NOTE", "PRIVATE-CONCERN", "therap", "Therap"] {
        assert!(!text.contains(word), "{word} leaked into:\n{text}");
    }
    let lines = unfolded_lines(&text);
    let starting =
        |p: &str| -> Vec<&String> { lines.iter().filter(|l| l.starts_with(p)).collect() };
    assert_eq!(starting("BEGIN:VEVENT").len(), 2, "{text}");
    assert_eq!(starting("RRULE"), ["RRULE:FREQ=WEEKLY"]);
    assert_eq!(
        starting("EXDATE"),
        ["EXDATE:20260317T170000", "EXDATE:20260331T170000"]
    );
    assert_eq!(
        starting("BEGIN:VALARM").len(),
        4,
        "two reminders in each event"
    );
    assert!(starting("SUMMARY")
        .iter()
        .all(|l| *l == "SUMMARY:Appointment"));

    // The crate's own parser reads it back.
    let cal: Calendar = text.parse().expect("parses with the icalendar crate");
    let events: Vec<_> = cal.events().collect();
    assert_eq!(events.len(), 2);
    for e in &events {
        assert_eq!(e.get_summary(), Some("Appointment"));
        let alarms = e
            .components()
            .iter()
            .filter(|c| c.component_kind() == "VALARM")
            .count();
        assert_eq!(alarms, 2);
    }
    assert_eq!(events[0].property_value("RRULE"), Some("FREQ=WEEKLY"));
    assert_eq!(events[1].property_value("DTSTART"), Some("20260401T100000"));

    // And so does an independent one: Python's `icalendar`.
    let Some(v) = calendar_common::python_reads(&out) else {
        return;
    };
    assert_eq!(v["version"], "2.0");
    let ev = v["events"].as_array().unwrap();
    assert_eq!(ev.len(), 2);
    assert_eq!(ev[0]["summary"], "Appointment");
    assert_eq!(ev[0]["class"], "PRIVATE");
    assert_eq!(ev[0]["start"], "2026-03-03T17:00");
    assert_eq!(ev[0]["end"], "2026-03-03T17:50");
    assert_eq!(ev[0]["rrule"], "FREQ=WEEKLY");
    assert_eq!(
        ev[0]["exdates"],
        serde_json::json!(["2026-03-17T17:00", "2026-03-31T17:00"])
    );
    assert_eq!(ev[1]["start"], "2026-04-01T10:00");
    assert_eq!(ev[1]["rrule"], serde_json::Value::Null);
    for e in ev {
        assert_eq!(e["description"], serde_json::Value::Null);
        assert_eq!(e["location"], serde_json::Value::Null);
        assert_eq!(
            e["alarms"],
            serde_json::json!([
                {"action": "DISPLAY", "description": "Appointment", "trigger_minutes": -60, "related": "START"},
                {"action": "DISPLAY", "description": "Time for your check-in?", "trigger_minutes": 15, "related": "END"}
            ])
        );
    }
}

#[test]
fn export_ics_without_a_schedule_says_so_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    common_ground::core::store::Store::open(&dir).unwrap();
    let out = tmp.path().join("x.ics");
    let (code, _, err) = export_to(&dir, "ics", &out);
    assert_ne!(code, 0);
    assert!(err.contains("no sessions are set yet"), "{err}");
    assert!(!out.exists());
}

#[test]
fn sample_data_has_a_weekly_schedule_for_the_calendar() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("sample");
    let (code, _, err) = sample_data(&dir, "1", "2026-11-20", &[]);
    assert_eq!(code, 0, "{err}");
    let (code, text, err) = run(bin()
        .args(["export", "--format", "ics", "--data-dir"])
        .arg(&dir));
    assert_eq!(code, 0, "{err}");
    let lines = unfolded_lines(&text);
    assert_eq!(lines.iter().filter(|l| *l == "BEGIN:VEVENT").count(), 1);
    assert!(lines.contains(&"RRULE:FREQ=WEEKLY".to_string()), "{text}");
    assert!(lines.contains(&"SUMMARY:Appointment".to_string()), "{text}");
    // The history runs from Thursday 20 November 2025 (365 days before
    // its end); the first Tuesday from then on is 25 November.
    assert!(
        lines.contains(&"DTSTART:20251125T170000".to_string()),
        "{text}"
    );
}

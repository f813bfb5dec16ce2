//! The command line, run as a user would run it.

use std::process::Command;

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

#[test]
fn sample_data_fills_an_empty_folder_that_then_checks_healthy() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("sample");
    let (code, out, err) = run(bin()
        .args([
            "sample-data",
            "--years",
            "2",
            "--end",
            "2026-11-20",
            "--data-dir",
        ])
        .arg(&dir));
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("92 check-ins and 24 concerns"), "{out}");
    let (code, out, _) = run(bin().arg("check").arg("--data-dir").arg(&dir));
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("92 check-ins"), "{out}");
    // Deterministic: a second folder gets the same data.
    let again = tmp.path().join("again");
    run(bin()
        .args([
            "sample-data",
            "--years",
            "2",
            "--end",
            "2026-11-20",
            "--data-dir",
        ])
        .arg(&again));
    let load = |d: &std::path::Path| {
        common_ground::core::store::format::decode(&std::fs::read(d.join("store.json")).unwrap())
            .unwrap()
            .data
    };
    assert_eq!(load(&dir), load(&again));
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

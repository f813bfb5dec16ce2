//! The independent check of a calendar file the app writes: Python's
//! `icalendar` package (through `tests/scripts/ics_check.py`) reads it.

use std::path::Path;
use std::process::Command;

/// What Python's `icalendar` read in the calendar file `file`, as the JSON
/// `tests/scripts/ics_check.py` prints. `None` (and a note that the check
/// was skipped) where python3 or the package is missing; the test fails
/// when the package refuses the file.
pub fn python_reads(file: &Path) -> Option<serde_json::Value> {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/scripts/ics_check.py");
    let py = match Command::new("python3").arg(script).arg(file).output() {
        Err(e) => {
            eprintln!("SKIPPED the Python icalendar check: python3 cannot run ({e})");
            return None;
        }
        Ok(o) if o.status.code() == Some(3) => {
            eprintln!(
                "SKIPPED the Python icalendar check: {}",
                String::from_utf8_lossy(&o.stdout).trim()
            );
            return None;
        }
        Ok(o) => o,
    };
    let stdout = String::from_utf8_lossy(&py.stdout);
    assert!(
        py.status.success(),
        "Python's icalendar refused the file: {stdout}{}",
        String::from_utf8_lossy(&py.stderr)
    );
    Some(serde_json::from_str(&stdout).unwrap())
}

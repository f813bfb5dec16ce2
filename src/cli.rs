//! Command-line parsing. Small enough to keep by hand, and free of Slint so
//! that it is unit-tested with the core.

use std::ffi::OsString;
use std::path::PathBuf;

use chrono::NaiveDate;

use crate::core::export::{ExportFormat, Period};

/// The environment variable that names the data folder.
pub const DATA_DIR_ENV: &str = "COMMON_GROUND_DATA_DIR";

pub const USAGE: &str = "\
Common Ground: a private, offline companion for speaking up in therapy.

Usage:
  common-ground [OPTIONS]            open the app
  common-ground check [OPTIONS]      verify the store and its backups
  common-ground export [OPTIONS]     write your data to a file (or standard output)
  common-ground import FILE [OPTIONS]
                                     add what a backup holds that is not here yet
  common-ground backup [--to DIR] [--keep N] [OPTIONS]
                                     write a sealed backup to the backup folder
                                     (set in the app) or DIR, keeping this
                                     device's newest N there (default 10)
  common-ground restore FILE [--replace] [--dry-run] [OPTIONS]
                                     restore a backup: add what it holds that is
                                     not here (merge), or with --replace make it
                                     your data (your data as it was is backed up
                                     first, so this can be undone; data a newer
                                     version wrote is moved, unchanged, into a
                                     newer-version-<time> folder beside it)
  common-ground sample-data --years N [--backups DIR] [OPTIONS]
                                     fill an empty data folder with a made-up
                                     history, to try the app (refuses a folder
                                     that holds anything)

Options:
  --data-dir DIR   keep data in DIR instead of the platform's data folder
                   (the environment variable COMMON_GROUND_DATA_DIR does the same)
  --format F       export: json (a full backup, sealed like backups: with
                   your passcode, else your backup passphrase, asked for
                   twice the first time), csv (check-ins), concerns-csv,
                   markdown or pdf (a summary for your therapist; a one-page
                   PDF needs --out), or ics (your session times for a
                   calendar app: a neutral title, no notes); json if not
                   given
  --out FILE       export: write to FILE instead of standard output
  --from DATE      export: only records from this day (YYYY-MM-DD) on
  --to DATE        export: only records up to this day
  --with-notes     export: the summary (markdown or pdf) also holds your
                   private notes (left out unless you ask for them); what you
                   held back in a check-in goes in only ticked in the app
  --unencrypted    export: write the json backup without encryption (anyone
                   who gets the file can read it)
  --to DIR         backup: write to DIR instead of the backup folder
  --keep N         backup: keep this device's newest N backups (1 to 100)
  --replace        restore: replace your data instead of merging
  --dry-run        import, restore: only show what would change
  --years N        sample-data: how many years of history (1 to 50)
  --per-year N     sample-data: check-ins a year (default 46, about weekly)
  --concerns-per-year N
                   sample-data: concerns a year (default 12)
  --seed N         sample-data: the same seed gives the same history (default 8)
  --end YYYY-MM-DD sample-data: the history ends the day before (default today)
  --backups DIR    sample-data: also write a few backups of the history (one
                   a week, two devices) into DIR (new or empty) and make it
                   the backup folder; they are sealed with the backup
                   passphrase 'made-up data'
  --scripts        sample-data: mix in notes and tags in other scripts
  -h, --help       show this help
  -V, --version    show the version

A command that needs the passcode asks for it on the terminal (not shown
as you type) or reads it from standard input, one line per passcode.
Without a passcode, 'backup' and 'export' (json) seal with a backup
passphrase, asked for (twice) the first time; the passphrase itself is
never stored, only a key it unlocks, kept in the data folder.
CSV, markdown, pdf and an --unencrypted json backup are not encrypted: before
writing one to a file (with --out, or standard output sent to a file or a
pipe), 'export' says on standard error that anyone who gets the file can
read it. Shown on the terminal itself, nothing is written, and it says
nothing.
'export' (apart from keeping a new passphrase's key) and 'import --dry-run'
only read the data folder. Damaged files are reported on standard error;
'export' exits 1 when it cannot give the newest save (it writes the newest
one it can read) or can read none.

Everything stays on this device. Nothing is sent anywhere.
";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Run,
    Check,
    Export(ExportArgs),
    Import {
        file: PathBuf,
        dry_run: bool,
    },
    Backup {
        to: Option<PathBuf>,
        keep: Option<u32>,
    },
    Restore {
        file: PathBuf,
        replace: bool,
        dry_run: bool,
    },
    SampleData(SampleArgs),
    Help,
    Version,
}

/// `export`'s options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportArgs {
    pub format: ExportFormat,
    pub out: Option<PathBuf>,
    pub period: Period,
    /// `--with-notes`: the summary also holds every chosen record's note
    /// (private, so left out unless asked for).
    pub with_notes: bool,
    /// `--unencrypted`: the json backup is written without encryption
    /// (sealed otherwise).
    pub unencrypted: bool,
}

impl ExportArgs {
    /// An export in `format` of everything to standard output.
    pub fn new(format: ExportFormat) -> ExportArgs {
        ExportArgs {
            format,
            out: None,
            period: Period::default(),
            with_notes: false,
            unencrypted: false,
        }
    }
}

/// `sample-data`'s options; `None` means the default.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SampleArgs {
    pub years: u32,
    pub per_year: Option<u32>,
    pub concerns_per_year: Option<u32>,
    pub seed: Option<u64>,
    pub end: Option<chrono::NaiveDate>,
    /// `--backups DIR`: also fill this (empty or new) folder with a few
    /// sealed backups of the history, and make it the backup folder.
    pub backups: Option<PathBuf>,
    /// `--scripts`: notes and tags in other scripts mixed in (for tests).
    pub scripts: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cli {
    pub command: Command,
    pub data_dir: Option<PathBuf>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}\nTry 'common-ground --help'.", self.0)
    }
}

impl std::error::Error for UsageError {}

impl Cli {
    /// Parses the arguments after the program name.
    pub fn parse<I: IntoIterator<Item = OsString>>(args: I) -> Result<Cli, UsageError> {
        let mut command = None;
        let mut data_dir = None;
        let mut help = false;
        let mut version = false;
        let mut format = None;
        let mut out = None;
        let mut from = None;
        let mut dry_run = false;
        let mut with_notes = false;
        let mut unencrypted = false;
        let mut file: Option<PathBuf> = None;
        let mut import = false;
        let mut export = false;
        let mut backup = false;
        let mut restore = false;
        let mut keep = None;
        let mut replace = false;
        let mut to_raw: Option<String> = None;
        let mut sample = SampleArgs::default();
        let mut years = None;
        let mut args = args.into_iter();
        let number = |name: &str, value: Option<OsString>| -> Result<u64, UsageError> {
            value
                .as_ref()
                .and_then(|v| v.to_str())
                .and_then(|v| v.parse::<u64>().ok())
                .ok_or_else(|| UsageError(format!("{name} needs a whole number")))
        };
        while let Some(arg) = args.next() {
            let Some(text) = arg.to_str() else {
                return Err(UsageError(format!("unreadable argument {arg:?}")));
            };
            match text {
                "-h" | "--help" => help = true,
                "-V" | "--version" => version = true,
                "--data-dir" => {
                    let dir = args
                        .next()
                        .ok_or_else(|| UsageError("--data-dir needs a folder".into()))?;
                    data_dir = Some(non_empty(PathBuf::from(dir))?);
                }
                _ if text.starts_with("--data-dir=") => {
                    data_dir = Some(non_empty(PathBuf::from(&text["--data-dir=".len()..]))?);
                }
                "check" if command.is_none() && !(import || export || backup || restore) => {
                    command = Some(Command::Check)
                }
                "export" if command.is_none() && !(import || export || backup || restore) => {
                    export = true
                }
                "import" if command.is_none() && !(import || export || backup || restore) => {
                    import = true
                }
                "backup" if command.is_none() && !(import || export || backup || restore) => {
                    backup = true
                }
                "restore" if command.is_none() && !(import || export || backup || restore) => {
                    restore = true
                }
                "--keep" => {
                    let n = number("--keep", args.next())?;
                    if !(1..=u64::from(crate::core::backup::MAX_KEEP)).contains(&n) {
                        return Err(UsageError(format!(
                            "--keep must be 1 to {}",
                            crate::core::backup::MAX_KEEP
                        )));
                    }
                    keep = Some(n as u32);
                }
                "--replace" => replace = true,
                "sample-data" if command.is_none() && !(import || export || backup || restore) => {
                    command = Some(Command::SampleData(SampleArgs::default()))
                }
                "--years" => {
                    let n = number("--years", args.next())?;
                    if !(1..=50).contains(&n) {
                        return Err(UsageError("--years must be 1 to 50".into()));
                    }
                    years = Some(n as u32);
                }
                "--per-year" => {
                    let n = number("--per-year", args.next())?;
                    if !(1..=1000).contains(&n) {
                        return Err(UsageError("--per-year must be 1 to 1000".into()));
                    }
                    sample.per_year = Some(n as u32);
                }
                "--concerns-per-year" => {
                    let n = number("--concerns-per-year", args.next())?;
                    if n > 1000 {
                        return Err(UsageError("--concerns-per-year must be 0 to 1000".into()));
                    }
                    sample.concerns_per_year = Some(n as u32);
                }
                "--seed" => sample.seed = Some(number("--seed", args.next())?),
                "--scripts" => sample.scripts = true,
                "--end" => {
                    let v = args.next();
                    let date = v
                        .as_ref()
                        .and_then(|v| v.to_str())
                        .and_then(|v| chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d").ok())
                        .ok_or_else(|| UsageError("--end needs a date like 2026-11-20".into()))?;
                    use crate::core::sample::{FIRST_END, LAST_END};
                    if !(FIRST_END..=LAST_END).contains(&date) {
                        return Err(UsageError(format!(
                            "--end must be a day from {FIRST_END} to {LAST_END}"
                        )));
                    }
                    sample.end = Some(date);
                }
                "--format" => {
                    let v = value(&mut args, "--format", "a format")?;
                    let f = ExportFormat::parse(&v).ok_or_else(|| {
                        UsageError(format!(
                            "unknown format '{v}' (use json, csv, concerns-csv, markdown, pdf or ics)"
                        ))
                    })?;
                    format = Some(f);
                }
                "--out" => {
                    out = Some(non_empty(PathBuf::from(value(
                        &mut args, "--out", "a file",
                    )?))?)
                }
                "--from" => from = Some(date(&value(&mut args, "--from", "a date")?)?),
                "--to" => to_raw = Some(value(&mut args, "--to", "a date or a folder")?),
                "--dry-run" => dry_run = true,
                "--with-notes" => with_notes = true,
                "--unencrypted" => unencrypted = true,
                "--backups" => {
                    sample.backups = Some(non_empty(PathBuf::from(value(
                        &mut args,
                        "--backups",
                        "a folder",
                    )?))?)
                }
                _ if (import || restore) && file.is_none() && !text.starts_with('-') => {
                    file = Some(PathBuf::from(text));
                }
                _ if text.starts_with('-') => {
                    return Err(UsageError(format!("unknown option '{text}'")))
                }
                _ => return Err(UsageError(format!("unknown command '{text}'"))),
            }
        }
        let to = match (&to_raw, export) {
            (Some(t), true) => Some(date(t)?),
            _ => None,
        };
        if !export && (format.is_some() || out.is_some() || from.is_some()) {
            return Err(UsageError(
                "--format, --out, --from and --to go with 'export'".into(),
            ));
        }
        if with_notes && !(export && format.is_some_and(ExportFormat::is_summary)) {
            return Err(UsageError(
                "--with-notes goes with 'export --format markdown' (or pdf)".into(),
            ));
        }
        if unencrypted && !(export && format.is_none_or(|f| f == ExportFormat::Backup)) {
            return Err(UsageError(
                "--unencrypted goes with 'export' of a json backup (csv, markdown and pdf \
                 are never encrypted)"
                    .into(),
            ));
        }
        if !export && !backup && to_raw.is_some() {
            return Err(UsageError(
                "--to goes with 'export' (a date) or 'backup' (a folder)".into(),
            ));
        }
        if !backup && keep.is_some() {
            return Err(UsageError("--keep goes with 'backup'".into()));
        }
        if !restore && replace {
            return Err(UsageError("--replace goes with 'restore'".into()));
        }
        if !import && !restore && dry_run {
            return Err(UsageError(
                "--dry-run goes with 'import' or 'restore'".into(),
            ));
        }
        if backup {
            command = Some(Command::Backup {
                to: match to_raw {
                    Some(t) => Some(non_empty(PathBuf::from(t))?),
                    None => None,
                },
                keep,
            });
        }
        if restore {
            match file.clone() {
                Some(file) => {
                    command = Some(Command::Restore {
                        file,
                        replace,
                        dry_run,
                    })
                }
                None if help || version => {}
                None => return Err(UsageError("restore needs the backup file to read".into())),
            }
        }
        if export {
            let format = format.unwrap_or(ExportFormat::Backup);
            if let (Some(f), Some(t)) = (from, to) {
                if f > t {
                    return Err(UsageError("--from is after --to".into()));
                }
            }
            if format == ExportFormat::Calendar && (from.is_some() || to.is_some()) {
                return Err(UsageError(
                    "a calendar file holds the whole schedule; --from and --to go with csv, \
                     concerns-csv, markdown and pdf"
                        .into(),
                ));
            }
            if format == ExportFormat::Backup && (from.is_some() || to.is_some()) {
                return Err(UsageError(
                    "a json backup holds everything; --from and --to go with csv, \
                     concerns-csv, markdown and pdf"
                        .into(),
                ));
            }
            command = Some(Command::Export(ExportArgs {
                format,
                out,
                period: Period { from, to },
                with_notes,
                unencrypted,
            }));
        }
        if import {
            match file {
                Some(file) => command = Some(Command::Import { file, dry_run }),
                None if help || version => {}
                None => return Err(UsageError("import needs the backup file to read".into())),
            }
        }
        let command = if help {
            Command::Help
        } else if version {
            Command::Version
        } else {
            match command {
                Some(Command::SampleData(_)) => {
                    sample.years =
                        years.ok_or_else(|| UsageError("sample-data needs --years N".into()))?;
                    Command::SampleData(sample)
                }
                _ if years.is_some() || sample != SampleArgs::default() => {
                    return Err(UsageError(
                        "--years, --per-year, --concerns-per-year, --seed, --end, --backups \
                         and --scripts belong to sample-data"
                            .into(),
                    ))
                }
                other => other.unwrap_or(Command::Run),
            }
        };
        Ok(Cli { command, data_dir })
    }

    /// The data folder: `--data-dir`, else `COMMON_GROUND_DATA_DIR`, else
    /// the platform default.
    pub fn resolve_data_dir(
        &self,
        env_value: Option<OsString>,
        platform_default: Option<PathBuf>,
    ) -> Option<PathBuf> {
        self.data_dir
            .clone()
            .or_else(|| env_value.filter(|v| !v.is_empty()).map(PathBuf::from))
            .or(platform_default)
    }
}

fn value(
    args: &mut impl Iterator<Item = OsString>,
    flag: &str,
    what: &str,
) -> Result<String, UsageError> {
    args.next()
        .and_then(|v| v.into_string().ok())
        .filter(|v| !v.is_empty())
        .ok_or_else(|| UsageError(format!("{flag} needs {what}")))
}

fn date(s: &str) -> Result<NaiveDate, UsageError> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| UsageError(format!("'{s}' is not a date like 2026-03-31")))
}

fn non_empty(path: PathBuf) -> Result<PathBuf, UsageError> {
    if path.as_os_str().is_empty() {
        Err(UsageError("--data-dir needs a folder".into()))
    } else {
        Ok(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Cli, UsageError> {
        Cli::parse(args.iter().map(OsString::from))
    }

    #[test]
    fn no_arguments_runs_the_app() {
        assert_eq!(
            parse(&[]).unwrap(),
            Cli {
                command: Command::Run,
                data_dir: None
            }
        );
    }

    #[test]
    fn help_and_version_win_over_commands() {
        assert_eq!(parse(&["check", "--help"]).unwrap().command, Command::Help);
        assert_eq!(parse(&["-V"]).unwrap().command, Command::Version);
        assert_eq!(parse(&["-h"]).unwrap().command, Command::Help);
    }

    #[test]
    fn data_dir_in_both_spellings() {
        let a = parse(&["--data-dir", "/tmp/x", "check"]).unwrap();
        assert_eq!(a.command, Command::Check);
        assert_eq!(a.data_dir, Some(PathBuf::from("/tmp/x")));
        let b = parse(&["--data-dir=/tmp/y"]).unwrap();
        assert_eq!(b.data_dir, Some(PathBuf::from("/tmp/y")));
    }

    #[test]
    fn bad_input_is_a_clear_error() {
        assert!(parse(&["--data-dir"])
            .unwrap_err()
            .0
            .contains("needs a folder"));
        assert!(parse(&["--data-dir="])
            .unwrap_err()
            .0
            .contains("needs a folder"));
        assert!(parse(&["--frobnicate"])
            .unwrap_err()
            .0
            .contains("unknown option"));
        assert!(parse(&["export-all"])
            .unwrap_err()
            .0
            .contains("unknown command"));
        assert!(parse(&["check", "check"]).is_err());
    }

    #[test]
    fn export_and_import_arguments() {
        let a = parse(&[
            "export",
            "--format",
            "markdown",
            "--from",
            "2026-01-01",
            "--to",
            "2026-01-31",
            "--out",
            "x.md",
        ])
        .unwrap();
        assert_eq!(
            a.command,
            Command::Export(ExportArgs {
                out: Some("x.md".into()),
                period: Period {
                    from: NaiveDate::from_ymd_opt(2026, 1, 1),
                    to: NaiveDate::from_ymd_opt(2026, 1, 31),
                },
                ..ExportArgs::new(ExportFormat::Markdown)
            })
        );
        let pdf = parse(&[
            "export",
            "--format",
            "pdf",
            "--with-notes",
            "--out",
            "x.pdf",
        ])
        .unwrap();
        assert!(matches!(
            pdf.command,
            Command::Export(ExportArgs {
                format: ExportFormat::Pdf,
                with_notes: true,
                ..
            })
        ));
        assert_eq!(
            parse(&["export", "--format", "ics", "--out", "a.ics"])
                .unwrap()
                .command,
            Command::Export(ExportArgs {
                out: Some("a.ics".into()),
                ..ExportArgs::new(ExportFormat::Calendar)
            })
        );
        assert!(parse(&["export", "--format", "ics", "--to", "2026-01-01"])
            .unwrap_err()
            .0
            .contains("whole schedule"));
        assert!(parse(&["export", "--format", "ics", "--with-notes"]).is_err());
        let notes = parse(&["export", "--format", "markdown", "--with-notes"]).unwrap();
        assert!(matches!(
            notes.command,
            Command::Export(ExportArgs {
                with_notes: true,
                ..
            })
        ));
        // Notes belong to the summary only.
        assert!(parse(&["export", "--with-notes"])
            .unwrap_err()
            .0
            .contains("--with-notes goes with"));
        assert!(parse(&["export", "--format", "csv", "--with-notes"]).is_err());
        assert_eq!(
            parse(&["export"]).unwrap().command,
            Command::Export(ExportArgs::new(ExportFormat::Backup))
        );
        // A plain json backup only when asked for, and only for json.
        assert_eq!(
            parse(&["export", "--unencrypted", "--out", "b.json"])
                .unwrap()
                .command,
            Command::Export(ExportArgs {
                out: Some("b.json".into()),
                unencrypted: true,
                ..ExportArgs::new(ExportFormat::Backup)
            })
        );
        assert!(parse(&["export", "--format", "json", "--unencrypted"]).is_ok());
        assert_eq!(
            parse(&["import", "b.json", "--dry-run", "--data-dir", "/d"])
                .unwrap()
                .command,
            Command::Import {
                file: "b.json".into(),
                dry_run: true
            }
        );
        let err = |args: &[&str]| parse(args).unwrap_err().0;
        assert!(err(&["export", "--format", "docx"]).contains("unknown format"));
        assert!(err(&["export", "--from", "31/01/2026"]).contains("not a date"));
        assert!(err(&[
            "export",
            "--format",
            "csv",
            "--from",
            "2026-02-01",
            "--to",
            "2026-01-01"
        ])
        .contains("after"));
        assert!(err(&["export", "--from", "2026-02-01"]).contains("holds everything"));
        assert!(err(&["import"]).contains("needs the backup file"));
        for end in [
            "0001-01-01",
            "-5000-01-01",
            "+262142-12-31",
            "9999-12-31",
            "1969-12-31",
        ] {
            assert!(
                err(&["sample-data", "--years", "50", "--end", end]).contains("--end"),
                "{end}"
            );
        }
        assert!(parse(&["sample-data", "--years", "50", "--end", "1970-01-01"]).is_ok());
        assert!(err(&["check", "--format", "csv"]).contains("go with 'export'"));
        assert!(err(&["export", "--dry-run"]).contains("goes with 'import'"));
        assert!(err(&["export", "--format", "csv", "--unencrypted"]).contains("--unencrypted"));
        assert!(err(&["backup", "--unencrypted"]).contains("--unencrypted goes with 'export'"));
        assert!(err(&["import", "a", "b"]).contains("unknown command"));
    }

    #[test]
    fn backup_and_restore_arguments() {
        assert_eq!(
            parse(&["backup"]).unwrap().command,
            Command::Backup {
                to: None,
                keep: None
            }
        );
        assert_eq!(
            parse(&["backup", "--to", "/media/usb", "--keep", "3"])
                .unwrap()
                .command,
            Command::Backup {
                to: Some("/media/usb".into()),
                keep: Some(3)
            }
        );
        assert_eq!(
            parse(&["restore", "b.cgbackup", "--replace", "--dry-run"])
                .unwrap()
                .command,
            Command::Restore {
                file: "b.cgbackup".into(),
                replace: true,
                dry_run: true
            }
        );
        assert_eq!(
            parse(&["restore", "b.cgbackup"]).unwrap().command,
            Command::Restore {
                file: "b.cgbackup".into(),
                replace: false,
                dry_run: false
            }
        );
        // Export's --to is still a date.
        assert!(parse(&["export", "--format", "csv", "--to", "2026-01-31"]).is_ok());
        for (args, says) in [
            (&["backup", "--keep", "0"][..], "--keep must be 1 to 100"),
            (
                &["backup", "--keep", "lots"][..],
                "--keep needs a whole number",
            ),
            (&["restore"][..], "restore needs the backup file"),
            (
                &["import", "f", "--replace"][..],
                "--replace goes with 'restore'",
            ),
            (&["check", "--keep", "3"][..], "--keep goes with 'backup'"),
            (&["check", "--to", "/x"][..], "--to goes with"),
            (&["backup", "restore"][..], "unknown command 'restore'"),
        ] {
            let e = parse(args).unwrap_err().0;
            assert!(e.contains(says), "{args:?}: {e}");
        }
    }

    #[test]
    fn data_dir_precedence_is_flag_then_env_then_default() {
        let with_flag = parse(&["--data-dir", "/flag"]).unwrap();
        let plain = parse(&[]).unwrap();
        let env = Some(OsString::from("/env"));
        let default = Some(PathBuf::from("/default"));
        assert_eq!(
            with_flag.resolve_data_dir(env.clone(), default.clone()),
            Some("/flag".into())
        );
        assert_eq!(
            plain.resolve_data_dir(env, default.clone()),
            Some("/env".into())
        );
        assert_eq!(
            plain.resolve_data_dir(Some(OsString::new()), default),
            Some("/default".into())
        );
        assert_eq!(plain.resolve_data_dir(None, None), None);
    }

    #[test]
    fn sample_data_arguments_are_checked() {
        assert!(parse(&["sample-data", "export"]).is_err());
        assert!(parse(&["sample-data"]).unwrap_err().0.contains("--years"));
        assert!(parse(&["export", "--scripts"]).is_err());
        assert!(parse(&["sample-data", "--years", "x"])
            .unwrap_err()
            .0
            .contains("whole number"));
        assert!(parse(&["sample-data", "--years", "0"]).is_err());
        assert!(parse(&["--years", "2"])
            .unwrap_err()
            .0
            .contains("belong to"));
        assert!(parse(&["sample-data", "--years", "1", "--end", "soon"]).is_err());
    }

    #[test]
    fn sample_data_options() {
        let a = parse(&["sample-data", "--years", "3", "--data-dir", "/d"]).unwrap();
        assert_eq!(
            a.command,
            Command::SampleData(SampleArgs {
                years: 3,
                ..Default::default()
            })
        );
        assert_eq!(a.data_dir, Some(PathBuf::from("/d")));
        let b = parse(&[
            "sample-data",
            "--years",
            "10",
            "--per-year",
            "365",
            "--concerns-per-year",
            "100",
            "--seed",
            "7",
            "--end",
            "2026-11-20",
            "--scripts",
        ])
        .unwrap();
        assert_eq!(
            b.command,
            Command::SampleData(SampleArgs {
                years: 10,
                per_year: Some(365),
                concerns_per_year: Some(100),
                seed: Some(7),
                end: chrono::NaiveDate::from_ymd_opt(2026, 11, 20),
                backups: None,
                scripts: true,
            })
        );
        let c = parse(&["sample-data", "--years", "1", "--backups", "/tmp/b"]).unwrap();
        assert_eq!(
            c.command,
            Command::SampleData(SampleArgs {
                years: 1,
                backups: Some("/tmp/b".into()),
                ..Default::default()
            })
        );
        assert!(parse(&["check", "--backups", "/tmp/b"])
            .unwrap_err()
            .0
            .contains("belong to sample-data"));
        assert!(parse(&["sample-data", "--years", "1", "--backups"])
            .unwrap_err()
            .0
            .contains("--backups needs a folder"));
    }
}

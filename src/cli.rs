//! Command-line parsing. Small enough to keep by hand, and free of Slint so
//! that it is unit-tested with the core.

use std::ffi::OsString;
use std::path::PathBuf;

/// The environment variable that names the data folder.
pub const DATA_DIR_ENV: &str = "COMMON_GROUND_DATA_DIR";

pub const USAGE: &str = "\
Common Ground: a private, offline companion for speaking up in therapy.

Usage:
  common-ground [OPTIONS]            open the app
  common-ground check [OPTIONS]      verify the store and its backups

Options:
  --data-dir DIR   keep data in DIR instead of the platform's data folder
                   (the environment variable COMMON_GROUND_DATA_DIR does the same)
  -h, --help       show this help
  -V, --version    show the version

Everything stays on this device. Nothing is sent anywhere.
";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Run,
    Check,
    Help,
    Version,
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
        let mut args = args.into_iter();
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
                "check" if command.is_none() => command = Some(Command::Check),
                _ if text.starts_with('-') => {
                    return Err(UsageError(format!("unknown option '{text}'")))
                }
                _ => return Err(UsageError(format!("unknown command '{text}'"))),
            }
        }
        let command = if help {
            Command::Help
        } else if version {
            Command::Version
        } else {
            command.unwrap_or(Command::Run)
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
}

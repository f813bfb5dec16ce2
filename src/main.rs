use std::process::ExitCode;

use std::io::{BufRead, IsTerminal};

use common_ground::cli::{Cli, Command, DATA_DIR_ENV, USAGE};
use common_ground::commands::{self, Ask};
use common_ground::core::store::Passcode;
use common_ground::core::{paths, store};

fn main() -> ExitCode {
    let cli = match Cli::parse(std::env::args_os().skip(1)) {
        Ok(cli) => cli,
        Err(e) => {
            eprintln!("common-ground: {e}");
            return ExitCode::from(2);
        }
    };
    match cli.command {
        Command::Help => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Command::Version => {
            println!("common-ground {}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        _ => {}
    }
    let Some(dir) = cli.resolve_data_dir(std::env::var_os(DATA_DIR_ENV), paths::default_data_dir())
    else {
        eprintln!(
            "common-ground: this platform has no data folder; pass --data-dir DIR or set {DATA_DIR_ENV}"
        );
        return ExitCode::from(2);
    };
    match cli.command {
        Command::Check => {
            let report = store::check(&dir);
            print!("{report}");
            ExitCode::from(report.exit_code().clamp(0, 255) as u8)
        }
        Command::SampleData(args) => {
            match commands::run_sample_data(&dir, &args, store::KdfParams::APP) {
                Ok(said) => {
                    println!("{said}");
                    ExitCode::SUCCESS
                }
                Err(e) => finish::<()>(Err(e)),
            }
        }
        Command::Export(args) => {
            let mut stdout = std::io::stdout().lock();
            let is_tty = stdout.is_terminal();
            match commands::run_export(
                &dir,
                &args,
                &mut ask_passcode,
                store::KdfParams::APP,
                &mut stdout,
                is_tty,
                &mut std::io::stderr(),
            ) {
                Ok(report) => {
                    warn(&report.notices);
                    match report.older {
                        Some(why) => {
                            eprintln!("common-ground: {why}");
                            ExitCode::FAILURE
                        }
                        None => ExitCode::SUCCESS,
                    }
                }
                Err(e) => finish::<()>(Err(e)),
            }
        }
        Command::Import { file, dry_run } => {
            match commands::run_import(&dir, &file, dry_run, &mut ask_passcode) {
                Ok(outcome) => {
                    warn(&outcome.notices);
                    print!("{outcome}");
                    ExitCode::SUCCESS
                }
                Err(e) => finish::<()>(Err(e)),
            }
        }
        Command::Backup { to, keep } => {
            match commands::run_backup(
                &dir,
                to.as_deref(),
                keep,
                &mut ask_passcode,
                store::KdfParams::APP,
            ) {
                Ok(outcome) => {
                    warn(&outcome.notices);
                    print!("{outcome}");
                    ExitCode::SUCCESS
                }
                Err(e) => finish::<()>(Err(e)),
            }
        }
        Command::Restore {
            file,
            replace,
            dry_run,
        } => {
            let mode = if replace {
                common_ground::core::backup::RestoreMode::Replace
            } else {
                common_ground::core::backup::RestoreMode::Merge
            };
            match commands::run_restore(&dir, &file, mode, dry_run, &mut ask_passcode) {
                Ok(outcome) => {
                    warn(&outcome.notices);
                    print!("{outcome}");
                    ExitCode::SUCCESS
                }
                Err(e) => finish::<()>(Err(e)),
            }
        }
        _ => run_app(&dir),
    }
}

/// Recovery notices go to standard error, one line each.
fn warn(lines: &[String]) {
    for line in lines {
        eprintln!("common-ground: {line}");
    }
}

fn finish<T>(r: Result<T, commands::CommandError>) -> ExitCode {
    match r {
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("common-ground: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Asks on the terminal without echo (`rpassword`), or reads one line from
/// standard input when it is not a terminal (scripts, tests).
fn ask_passcode(which: Ask) -> std::io::Result<Passcode> {
    if std::io::stdin().is_terminal() {
        rpassword::prompt_password(which.prompt()).map(Passcode::new)
    } else {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        let text = line.strip_suffix('\n').unwrap_or(&line);
        let text = text.strip_suffix('\r').unwrap_or(text).to_owned();
        zeroize::Zeroize::zeroize(&mut line);
        Ok(Passcode::new(text))
    }
}

fn run_app(dir: &std::path::Path) -> ExitCode {
    let app = match common_ground::bridge::App::start(dir) {
        Ok(app) => app,
        Err(e) => {
            eprintln!("common-ground: {e}");
            // Say it in a window too: most people start the app from a
            // launcher and never see a terminal.
            if let common_ground::bridge::StartError::Store(store_error) = &e {
                if let Ok(window) = common_ground::bridge::cannot_open_window(store_error) {
                    use slint::ComponentHandle;
                    let _ = window.run();
                }
            }
            return ExitCode::FAILURE;
        }
    };
    app.enable_file_dialog();
    match app.run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("common-ground: {e}");
            ExitCode::FAILURE
        }
    }
}

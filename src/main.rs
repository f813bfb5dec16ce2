use std::process::ExitCode;

use common_ground::cli::{Cli, Command, DATA_DIR_ENV, USAGE};
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
        _ => run_app(&dir),
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
    match app.run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("common-ground: {e}");
            ExitCode::FAILURE
        }
    }
}

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
        Command::SampleData(args) => sample_data(&dir, &args),
        _ => run_app(&dir),
    }
}

/// `sample-data`: fills an empty (or missing) folder with a made-up
/// history. Refuses a folder that holds anything, so no one's data is
/// ever overwritten.
fn sample_data(dir: &std::path::Path, args: &common_ground::cli::SampleArgs) -> ExitCode {
    use common_ground::core::sample::{generate, Spec};
    match std::fs::read_dir(dir) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                eprintln!(
                    "common-ground: {} is not empty; sample-data only fills an empty folder, so nothing was written",
                    dir.display()
                );
                return ExitCode::FAILURE;
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => {
            eprintln!("common-ground: cannot read {}: {e}", dir.display());
            return ExitCode::FAILURE;
        }
    }
    let end = args
        .end
        .unwrap_or_else(|| chrono::Local::now().date_naive());
    let defaults = Spec::weekly(args.years, end);
    let spec = Spec {
        per_year: args.per_year.unwrap_or(defaults.per_year),
        concerns_per_year: args.concerns_per_year.unwrap_or(defaults.concerns_per_year),
        seed: args.seed.unwrap_or(defaults.seed),
        ..defaults
    };
    let data = generate(spec);
    let (check_ins, concerns) = (data.check_ins.len(), data.concerns.len());
    let result = store::Store::open(dir).and_then(|mut s| {
        s.update(|d| *d = data)?;
        s.flush()
    });
    match result {
        Ok(()) => {
            println!(
                "Wrote {check_ins} check-ins and {concerns} concerns over {} years to {}",
                args.years,
                dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("common-ground: {e}");
            ExitCode::FAILURE
        }
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

//! Where the data lives.

use std::path::PathBuf;

/// The per-user, app-private data folder: the platform's data directory
/// for "Common Ground" from `directories` (`$XDG_DATA_HOME/commonground`,
/// i.e. `~/.local/share/commonground`, on Linux;
/// `~/Library/Application Support/Common-Ground` on macOS;
/// `%APPDATA%\Common Ground\data` on Windows). Where `directories` has no answer (Android), the app's
/// private files folder `/data/data/<package>/files`. `None` if neither is
/// known; callers then need an explicit `--data-dir`.
pub fn default_data_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "Common Ground")
        .map(|p| p.data_dir().to_path_buf())
        .or_else(app_private_dir)
}

/// Android's app-private folder, found from the package name (the process
/// name of an app is its package name).
#[cfg(target_os = "android")]
fn app_private_dir() -> Option<PathBuf> {
    let cmdline = std::fs::read("/proc/self/cmdline").ok()?;
    let name = cmdline.split(|&b| b == 0).next()?;
    let package = std::str::from_utf8(name).ok()?.split(':').next()?.trim();
    if package.is_empty() || package.contains('/') {
        return None;
    }
    Some(PathBuf::from("/data/data").join(package).join("files"))
}

#[cfg(not(target_os = "android"))]
fn app_private_dir() -> Option<PathBuf> {
    None
}

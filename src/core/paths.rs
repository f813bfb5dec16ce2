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

/// Where exports go by default: the user's Documents folder if it exists,
/// else their home folder.
pub fn export_folder() -> Option<PathBuf> {
    let dirs = directories::UserDirs::new()?;
    dirs.document_dir()
        .filter(|d| d.is_dir())
        .map(std::path::Path::to_path_buf)
        .or_else(|| Some(dirs.home_dir().to_path_buf()))
}

/// A path as the user typed it: surrounding spaces dropped, a leading `~`
/// is the home folder, and a relative path is taken from `base` (where
/// the default file would go), never from wherever the app was started.
pub fn user_path(typed: &str, base: Option<&std::path::Path>) -> PathBuf {
    let typed = typed.trim();
    let home = || directories::UserDirs::new().map(|d| d.home_dir().to_path_buf());
    let path = match typed.strip_prefix('~') {
        Some(rest) if rest.is_empty() || rest.starts_with(['/', std::path::MAIN_SEPARATOR]) => {
            match home() {
                Some(h) => h.join(rest.trim_start_matches(['/', std::path::MAIN_SEPARATOR])),
                None => PathBuf::from(typed),
            }
        }
        _ => PathBuf::from(typed),
    };
    match base {
        Some(b) if path.is_relative() && !typed.is_empty() => b.join(path),
        _ => path,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_paths_are_trimmed_and_taken_from_the_base() {
        let base = std::path::Path::new("/base");
        assert_eq!(
            user_path("  /a/b.json ", Some(base)),
            PathBuf::from("/a/b.json")
        );
        assert_eq!(
            user_path("b.json", Some(base)),
            PathBuf::from("/base/b.json")
        );
        assert_eq!(user_path("", Some(base)), PathBuf::new());
        if let Some(home) = directories::UserDirs::new().map(|d| d.home_dir().to_path_buf()) {
            assert_eq!(user_path("~/x.csv", Some(base)), home.join("x.csv"));
        }
    }
}

//! System notifications for the session reminders, through `notify-rust`:
//! on Linux and the BSDs the freedesktop notification service over the
//! session bus, on macOS and Windows their own notification centres.
//!
//! No Slint and no rules here: the bridge decides when
//! (`core::sessions::plan_reminders`, one timer) and what
//! (`core::sessions::notice_text`, neutral words); this module only shows
//! the words it is given and says whether the notification was clicked.
//! It blocks, so the bridge calls it on a worker thread.

use crate::core::sessions::NoticeText;

/// The name notifications are shown under.
pub const APP_NAME: &str = "Common Ground";

/// The action a click on the notification itself invokes (freedesktop's
/// name for it).
const OPEN: &str = "default";

/// What became of a notification that was shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The user clicked it: the app opens the matching screen.
    Opened,
    /// It was dismissed or expired, or the platform does not report
    /// clicks back to the app.
    Closed,
}

/// Why a notification could not be shown (no notification service, no
/// session bus). The app goes on without it; nothing is retried.
#[derive(Debug)]
pub struct NotifyError(pub String);

impl std::fmt::Display for NotifyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "could not show a reminder notification: {}", self.0)
    }
}

impl std::error::Error for NotifyError {}

/// The notification for `text`: its words and nothing else (no icon or
/// hint that would name the app's purpose), clickable.
fn notification(text: &NoticeText) -> notify_rust::Notification {
    let mut n = notify_rust::Notification::new();
    n.appname(APP_NAME)
        .summary(&text.summary)
        .body(&text.body)
        .action(OPEN, "Open");
    n
}

/// Shows `text` and waits until it is clicked or closed. Blocks the
/// calling thread (for as long as the notification is on screen): call it
/// from a worker.
pub fn show_and_wait(text: &NoticeText) -> Result<Outcome, NotifyError> {
    let handle = notification(text)
        .show()
        .map_err(|e| NotifyError(e.to_string()))?;
    #[cfg(all(unix, not(target_os = "macos")))]
    {
        let mut outcome = Outcome::Closed;
        handle.wait_for_action(|action| {
            if action == OPEN {
                outcome = Outcome::Opened;
            }
        });
        Ok(outcome)
    }
    #[cfg(not(all(unix, not(target_os = "macos"))))]
    {
        // The macOS and Windows centres do not report a click back through
        // notify-rust; the notification still shows.
        let _ = handle;
        Ok(Outcome::Closed)
    }
}

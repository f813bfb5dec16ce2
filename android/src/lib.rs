//! The Android entry point. Everything else is the ordinary app: the same
//! UI, core and store as on the desktop.
//!
//! * The store goes in the app's internal data folder
//!   (`Context.getFilesDir()`, e.g. `/data/user/0/org.commonground.app/files`),
//!   private to the app and removed with it; `directories` has no answer on
//!   Android.
//! * Touch arrives as pointer events and the soft keyboard as text through
//!   Slint's Android backend.
//! * Back: Slint 1.18's Android backend leaves the Back key to the system,
//!   which closes the activity. Pending saves are flushed when the event
//!   loop ends (`App::run`), so nothing is lost; inside the app every view
//!   has its own on-screen Back. (In-app Back would need a `GameActivity`
//!   subclass forwarding `onBackPressed` as an Escape key, which the UI
//!   already treats as "back one level".)

#![cfg(target_os = "android")]

use common_ground::bridge::App;
use slint::android::AndroidApp;

#[no_mangle]
fn android_main(app: AndroidApp) {
    let data_dir = app
        .internal_data_path()
        .map(|files| files.join("common-ground"));
    if let Err(e) = slint::android::init(app) {
        eprintln!("common-ground: {e}");
        return;
    }
    let Some(data_dir) = data_dir else {
        eprintln!("common-ground: Android gave no internal data folder");
        return;
    };
    match App::start(&data_dir) {
        Ok(app) => {
            if let Err(e) = app.run() {
                eprintln!("common-ground: {e}");
            }
        }
        Err(e) => {
            eprintln!("common-ground: {e}");
            if let common_ground::bridge::StartError::Store(store_error) = &e {
                if let Ok(window) = common_ground::bridge::cannot_open_window(store_error) {
                    use slint::ComponentHandle;
                    let _ = window.run();
                }
            }
        }
    }
}

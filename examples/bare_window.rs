//! The baseline for `cargo bench --bench all`: a bare Slint window with one
//! line of text, built with the same profile, Slint version and features as
//! the app. Its size is the floor the toolkit sets; `benches/all.rs`
//! compares the app's binary with it.
//!
//!     cargo run --release --example bare_window

slint::slint! {
    export component Bare inherits Window {
        preferred-width: 390px;
        preferred-height: 844px;
        Text { text: "Hello"; }
    }
}

fn main() -> Result<(), slint::PlatformError> {
    Bare::new()?.run()
}

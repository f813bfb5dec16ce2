//! Common Ground: a private, offline companion for people in therapy.
//!
//! `core` is the pure domain (no Slint); `bridge` maps it onto the Slint UI
//! compiled from `ui/` by `build.rs`.

pub mod cli;
pub mod commands;
pub mod core;
#[cfg(all(
    feature = "notifications",
    not(any(target_os = "android", target_os = "ios"))
))]
pub mod notify;

#[cfg(feature = "ui")]
pub mod bridge;

#[cfg(feature = "ui")]
pub mod ui {
    //! The Slint components and globals generated from `ui/app.slint`.
    slint::include_modules!();
}

//! Headless UI flow tests: the real components, driven by accessible label.

mod a11y;
mod backups;
#[path = "../calendar_common/mod.rs"]
mod calendar_common;
mod checkin;
mod data;
mod harness;
mod heard;
mod insights;
mod learn;
mod lock;
mod notices;
mod prepare;
mod region;
mod rhythm;
mod shell;
mod sizes;
mod unsaid;
#[path = "../weak_kdf/mod.rs"]
mod weak_kdf;

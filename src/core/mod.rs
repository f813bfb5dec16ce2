//! The pure domain of Common Ground. Nothing in here knows about Slint, so
//! all of it is testable without a window.

pub mod backup;
pub mod calendar;
pub mod cards;
pub mod checkin;
pub mod complaints;
pub mod days;
pub mod export;
pub mod files;
pub mod help;
pub mod insights;
pub mod learn;
pub mod locale;
pub mod model;
pub mod paths;
pub mod pdf;
pub mod prepare;
pub mod sample;
pub mod sessions;
pub mod size;
pub mod store;
pub mod unsaid;

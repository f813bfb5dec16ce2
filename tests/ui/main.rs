//! Headless UI flow tests: the real components, driven by accessible label.

mod a11y;
mod harness;
mod learn;
mod lock;
mod notices;
mod prepare;
mod region;
mod shell;
mod sizes;

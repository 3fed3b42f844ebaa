//! The integration tests: one binary, running the real `policypack` binary.

mod a11y;
mod cli;
mod content;
mod docx;
mod fixtures;
mod hardening;
mod harness;
pub mod import;
mod pack;
mod pdf;
mod reference;
mod reply;
mod snapshots;
mod warnings;

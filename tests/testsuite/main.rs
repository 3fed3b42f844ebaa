//! The integration tests: one binary, running the real `policypack` binary.

mod a11y;
mod changes;
mod cli;
mod content;
mod docx;
mod fixtures;
mod hardening;
mod harness;
pub mod import;
mod import_update;
mod lmc_round;
mod member;
mod pack;
mod pdf;
mod poster;
mod print;
mod reference;
mod reply;
mod serve;
mod snapshots;
mod warnings;

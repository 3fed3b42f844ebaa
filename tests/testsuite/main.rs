//! The integration tests: one binary, running the real `policypack` binary.

mod a11y;
mod cli;
mod fixtures;
mod harness;

//! policypack as a library: the pipeline stages behind the `policypack`
//! binary, public so that benchmarks and tests can drive them directly.
//! See `ARCHITECTURE.md` for the stages and the data passed between them.

pub mod cli;
pub mod cmd;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod document;
pub mod fonts;
pub mod import;
pub mod input;
pub mod markdown;
pub mod pack;
pub mod render;
pub mod reply;
pub mod serve;
pub mod utils;

/// How a command ended, when it did not fail outright.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    /// Some input had problems; they have been reported.
    InputProblems,
    /// Stopped by Ctrl-C; every file is as it was or complete.
    Interrupted,
    /// Files could not be written (a full disk); they have been reported.
    IoProblems,
}

//! One file per subcommand, each with its entry function: `run`, or one
//! per form of the command (`reply::check` and `reply::draft`,
//! `schema::completions`). `report.rs` prints problems for all of them,
//! as text or JSON lines, as the global options ask.

pub mod build;
pub mod changes;
pub mod check;
pub mod facts;
pub mod import;
pub mod new;
pub mod reply;
pub mod report;
pub mod schema;
pub mod status;

//! One file per subcommand, each with one entry function `run`.

pub mod build;
pub mod changes;
pub mod check;
pub mod facts;
pub mod import;
pub mod new;
pub mod reply;
pub mod schema;
pub mod status;

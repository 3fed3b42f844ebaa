//! One file per subcommand, each with one entry function `run`.

pub mod build;
pub mod check;
pub mod new;
pub mod schema;

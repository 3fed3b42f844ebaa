//! `policypack schema` and `policypack completions`.

use clap::CommandFactory;

use crate::Outcome;
use crate::cli::Cli;

pub fn run() -> anyhow::Result<Outcome> {
    let schema = crate::config::shape::config_schema();
    println!("{}", serde_json::to_string_pretty(&schema)?);
    Ok(Outcome::Success)
}

pub fn completions(shell: clap_complete::Shell) -> anyhow::Result<Outcome> {
    clap_complete::generate(
        shell,
        &mut Cli::command(),
        "policypack",
        &mut std::io::stdout(),
    );
    Ok(Outcome::Success)
}

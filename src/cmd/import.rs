//! `policypack import epraccur`: NHS ODS practice list → practice configs.

use crate::Outcome;
use crate::cli::{GlobalArgs, ImportEpraccurArgs};

pub fn run(_args: &ImportEpraccurArgs, _global: &GlobalArgs) -> anyhow::Result<Outcome> {
    anyhow::bail!("import is being written")
}

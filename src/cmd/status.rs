//! `policypack status`: review dates and output freshness per practice.

use crate::Outcome;
use crate::cli::{GlobalArgs, StatusArgs};

pub fn run(_args: &StatusArgs, _global: &GlobalArgs) -> anyhow::Result<Outcome> {
    anyhow::bail!("status is being written")
}

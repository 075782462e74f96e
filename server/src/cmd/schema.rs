//! `inflow schema` (not written yet).

use std::process::ExitCode;

/// Arguments of `inflow schema`.
#[derive(clap::Args)]
pub struct Args {}

/// Runs `inflow schema`.
pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("inflow schema is not available yet")
}

//! `inflow`: the command line and the server around the Inflow core.

mod cmd;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Inflow: commerce inside the user's workflow.
#[derive(Parser)]
#[command(name = "inflow", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate manifests and print every problem, as a compiler does.
    Check(cmd::check::Args),
    /// Price one plan for a quantity: a price and a quantity as JSON on stdin.
    Price(cmd::price::Args),
    /// Quote a selection of modules for a user on a date.
    Quote(cmd::quote::Args),
    /// Write the manifests' JSON Schemas.
    Schema(cmd::schema::Args),
    /// Serve the demo pages, the wasm package and the charge API.
    Serve(cmd::serve::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check(a) => cmd::check::run(a),
        Command::Price(a) => cmd::price::run(a),
        Command::Quote(a) => cmd::quote::run(a),
        Command::Schema(a) => cmd::schema::run(a),
        Command::Serve(a) => cmd::serve::run(a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

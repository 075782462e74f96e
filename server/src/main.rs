//! `inflow`: the command line and the server around the Inflow core.

mod cmd;
mod train;

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
    /// Measure verified charges per second and their latency with concurrent clients.
    BenchLoad(cmd::bench_load::Args),
    /// Validate manifests and print every problem, as a compiler does.
    Check(cmd::check::Args),
    /// Evaluate propensity on a held-out split against popularity and random baselines.
    Eval(cmd::eval::Args),
    /// Write the demo scenario's generated purchase history as CSV.
    History(cmd::history::Args),
    /// Price one plan for a quantity: a price and a quantity as JSON on stdin.
    Price(cmd::price::Args),
    /// Quote a selection of modules for a user on a date.
    Quote(cmd::quote::Args),
    /// Write the manifests' JSON Schemas.
    Schema(cmd::schema::Args),
    /// Serve the demo pages, the wasm package and the charge API.
    Serve(cmd::serve::Args),
    /// Mint a signed session token for a user.
    Token(cmd::token::Args),
    /// Fit a propensity model from a purchase-history CSV.
    Train(cmd::train::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::BenchLoad(a) => cmd::bench_load::run(a),
        Command::Check(a) => cmd::check::run(a),
        Command::Eval(a) => cmd::eval::run(a),
        Command::History(a) => cmd::history::run(a),
        Command::Price(a) => cmd::price::run(a),
        Command::Quote(a) => cmd::quote::run(a),
        Command::Schema(a) => cmd::schema::run(a),
        Command::Serve(a) => cmd::serve::run(a),
        Command::Token(a) => cmd::token::run(a),
        Command::Train(a) => cmd::train::run(a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

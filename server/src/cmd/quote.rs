//! `inflow quote`: quotes a selection of modules for a user on a date, from a directory of
//! manifests (catalog.json, contract.json, policy.json, users.json).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::str::FromStr;

use inflow::manifest::{Catalog, Contract, Directory, Policy};
use inflow::pricing::quote::Action;
use inflow::pricing::{quote, Quote, QuoteRequest, Selection};
use inflow::{Date, Error, ErrorKind, Manifests, Period};
use rust_decimal::Decimal;

/// Arguments of `inflow quote`.
#[derive(clap::Args)]
pub struct Args {
    /// Directory holding catalog.json, contract.json, policy.json and users.json.
    #[arg(long, value_name = "DIR")]
    manifests: PathBuf,
    /// The buying user's id (in users.json); chooses the currency.
    #[arg(long, value_name = "ID")]
    user: String,
    /// A module to quote: `module[:plan][=quantity]`, for example `forecasting:monthly=25`.
    #[arg(
        long = "select",
        value_name = "MODULE[:PLAN][=QTY]",
        required_unless_present = "cancel"
    )]
    select: Vec<String>,
    /// A module to cancel, credited for its unused days (from --date to --prorate-to).
    #[arg(long = "cancel", value_name = "MODULE[:PLAN][=QTY]")]
    cancel: Vec<String>,
    /// The day to price on, YYYY-MM-DD.
    #[arg(long, value_name = "YYYY-MM-DD")]
    date: String,
    /// Prorate from --date up to this day (excluded), the next renewal.
    #[arg(long, value_name = "YYYY-MM-DD")]
    prorate_to: Option<String>,
    /// Print a readable table instead of JSON.
    #[arg(long)]
    text: bool,
}

/// Runs `inflow quote`: exit 0 with the quote, or 1 with the error on stderr.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    match run_quote(&args) {
        Ok(q) => {
            if args.text {
                print!("{}", table(&q));
            } else {
                println!("{}", serde_json::to_string_pretty(&q)?);
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            super::price::report("quote", &e);
            Ok(ExitCode::from(1))
        }
    }
}

fn read<T: serde::de::DeserializeOwned>(dir: &Path, name: &str) -> inflow::Result<T> {
    let path = dir.join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path)
        .map_err(|e| Error::input(path.display().to_string(), format!("cannot read: {e}")))?;
    inflow::manifest::json::from_str(name, &text)
}

fn run_quote(args: &Args) -> inflow::Result<Quote> {
    let catalog: Catalog = read(&args.manifests, "catalog")?;
    let contract: Contract = read(&args.manifests, "contract")?;
    let policy: Policy = read(&args.manifests, "policy")?;
    let users: Directory = read(&args.manifests, "users")?;
    let manifests = Manifests::new(catalog, contract, policy)?;
    let user = users
        .user(&args.user)
        .ok_or_else(|| Error::input("--user", format!("no user {:?} in users.json", args.user)))?;
    let currency = manifests.currency_for(user);
    let date = Date::parse(&args.date).map_err(|e| rename(e, "--date"))?;
    let prorate = match &args.prorate_to {
        Some(to) => {
            let to = Date::parse(to).map_err(|e| rename(e, "--prorate-to"))?;
            Some(Period::new(date, to).map_err(|e| rename(e, "--prorate-to"))?)
        }
        None => None,
    };
    let mut selections = Vec::with_capacity(args.select.len() + args.cancel.len());
    for (flag, list) in [("--select", &args.select), ("--cancel", &args.cancel)] {
        for (i, s) in list.iter().enumerate() {
            let mut sel = selection(s).map_err(|e| rename(e, &format!("{flag} #{}", i + 1)))?;
            if flag == "--cancel" {
                sel.action = Action::Cancel;
            }
            selections.push(sel);
        }
    }
    quote(
        &manifests,
        &QuoteRequest {
            selections,
            currency,
            date,
            prorate,
        },
    )
}

fn rename(e: Error, path: &str) -> Error {
    match e.kind() {
        ErrorKind::Input { message, .. } => Error::input(path, message.clone()),
        _ => e,
    }
}

/// `module[:plan][=quantity]`.
fn selection(s: &str) -> inflow::Result<Selection> {
    let (head, qty) = match s.split_once('=') {
        Some((h, q)) => (h, Some(q)),
        None => (s, None),
    };
    let (module, plan) = match head.split_once(':') {
        Some((m, p)) => (m, Some(p.to_string())),
        None => (head, None),
    };
    if module.is_empty() || plan.as_deref() == Some("") {
        return Err(Error::input(
            "select",
            format!("{s:?}: write module[:plan][=quantity], for example forecasting:monthly=25"),
        ));
    }
    let quantity = qty
        .map(|q| {
            Decimal::from_str(q).map_err(|_| {
                Error::input(
                    "select",
                    format!("{q:?} is not a quantity: write a decimal such as 25 or 12.5"),
                )
            })
        })
        .transpose()?;
    Ok(Selection {
        module: module.to_string(),
        plan,
        quantity,
        transactions: Vec::new(),
        action: Action::Purchase,
    })
}

fn table(q: &Quote) -> String {
    let mut out = format!("Quote on {} in {}\n\n", q.date, q.currency);
    out.push_str(&format!(
        "{:<28} {:>12} {:>12} {:>12} {:>12}\n",
        "Module", "Quantity", "List", "Discount", "Net"
    ));
    for l in &q.lines {
        out.push_str(&format!(
            "{:<28} {:>12} {:>12} {:>12} {:>12}\n    {}\n",
            l.module_name,
            inflow::pricing::describe::number(l.quantity).to_string(),
            l.list_amount.round_dp(2).to_string(),
            l.discount_amount.round_dp(2).to_string(),
            l.net_amount.to_string(),
            l.description
        ));
    }
    out.push_str(&format!(
        "{:<28} {:>51}\n",
        "Total",
        format!("{} {}", q.total, q.currency)
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selections_parse() {
        let s = selection("forecasting:monthly=25").unwrap();
        assert_eq!(
            (s.module.as_str(), s.plan.as_deref(), s.quantity),
            ("forecasting", Some("monthly"), Some(Decimal::from(25)))
        );
        let s = selection("sandbox").unwrap();
        assert_eq!((s.plan, s.quantity), (None, None));
        assert!(selection("x=abc").is_err());
        assert!(selection(":monthly").is_err());
    }
}

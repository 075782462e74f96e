//! `inflow price`: prices one price for a quantity. Reads one JSON object on stdin:
//! `{"price": <a catalog Price>, "quantity": "12.5", "transactions": ["100.00"],
//! "currency": "USD", "rounding": "half_up"}` and prints
//! `{"amount": "<exact>", "rounded": "<to the minor unit>", "currency": "USD"}`.

use std::io::Read;
use std::process::ExitCode;

use inflow::manifest::Price;
use inflow::{Currency, Rounding};
use rust_decimal::Decimal;
use serde::Deserialize;

/// Arguments of `inflow price`.
#[derive(clap::Args)]
pub struct Args {}

/// What `inflow price` reads on stdin.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Input {
    price: Price,
    #[serde(default)]
    quantity: Decimal,
    #[serde(default)]
    transactions: Vec<Decimal>,
    currency: Currency,
    #[serde(default)]
    rounding: Rounding,
}

/// Runs `inflow price`: exit 0 with the JSON result, or 1 with the error on stderr.
pub fn run(_args: Args) -> anyhow::Result<ExitCode> {
    let mut text = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut text) {
        eprintln!("inflow price: cannot read stdin: {e}");
        return Ok(ExitCode::from(1));
    }
    match price(&text) {
        Ok(json) => {
            println!("{json}");
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            report("price", &e);
            Ok(ExitCode::from(1))
        }
    }
}

fn price(text: &str) -> inflow::Result<String> {
    let input: Input = inflow::manifest::json::from_str("input", text)?;
    let r = inflow::pricing::price_one(
        &input.price,
        input.quantity,
        &input.transactions,
        input.currency,
        input.rounding,
    )
    .map_err(|e| match e.kind() {
        inflow::ErrorKind::Input { path, message } => {
            inflow::Error::input(format!("input.{path}"), message.clone())
        }
        _ => e,
    })?;
    serde_json::to_string(&r).map_err(|e| inflow::Error::input("output", e.to_string()))
}

/// Prints `e` on stderr: one line per problem, each naming its path.
pub(crate) fn report(command: &str, e: &inflow::Error) {
    if e.problems().is_empty() {
        eprintln!("inflow {command}: error[{}]: {e}", e.code());
    }
    for p in e.problems() {
        eprintln!("inflow {command}: error[{}]: {p}", e.code());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_the_scenario_s_graduated_minutes() {
        let text = r#"{"price":{"model":{"type":"graduated","tiers":[
            {"up_to":"1000","unit_price":"0.05"},{"up_to":"10000","unit_price":"0.03"},{"unit_price":"0.02"}]}},
            "quantity":"12500","currency":"USD"}"#;
        assert_eq!(
            price(text).unwrap(),
            r#"{"amount":"370.00","rounded":"370.00","currency":"USD"}"#
        );
    }

    #[test]
    fn rounds_with_the_mode_asked() {
        let text = r#"{"price":{"model":{"type":"per_unit","unit_price":"0.125"}},"quantity":"1","currency":"USD","rounding":"half_even"}"#;
        assert_eq!(
            price(text).unwrap(),
            r#"{"amount":"0.125","rounded":"0.12","currency":"USD"}"#
        );
    }

    #[test]
    fn errors_say_what_and_where() {
        let e = price(r#"{"price":{"model":{"type":"per_unit","unit_price":"1"}},"quantity":"-2","currency":"USD"}"#).unwrap_err();
        assert_eq!(e.path(), Some("input.quantity"));
        let e = price(r#"{"price":{"model":{"type":"per_unit"}},"currency":"USD"}"#).unwrap_err();
        assert_eq!(e.path(), Some("input.price.model"));
        let e = price(r#"{"price":{"model":{"type":"flat","amount":"1"}},"currency":"usd"}"#)
            .unwrap_err();
        assert!(e.to_string().contains("usd"), "{e}");
    }
}

//! One error type for the whole core, with a stable machine-readable [`Error::code`].
//!
//! Every public function of the core returns `Result<T, Error>`. Manifest problems are
//! collected, not thrown one by one: [`Error::Manifest`] carries every [`Problem`] found,
//! each with the JSON path of the offending value, what is wrong and what was expected.

use crate::quoted::quoted;
use std::fmt;

/// One problem found in a manifest, located by its JSON path
/// (for example `catalog.modules[3].plans[0].prices.USD.tiers[1].up_to`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Problem {
    /// JSON path of the offending value, rooted at the manifest's kind.
    pub path: String,
    /// What is wrong, in plain words.
    pub message: String,
    /// What was expected instead, when that can be said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<String>,
}

impl Problem {
    /// A problem at `path`. Not inlined: it is called from every check of the validation.
    #[inline(never)]
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        Problem {
            path: path.into(),
            message: message.into(),
            expected: None,
        }
    }

    /// Adds what was expected.
    #[inline(never)]
    pub fn expected(mut self, expected: impl Into<String>) -> Self {
        self.expected = Some(expected.into());
        self
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)?;
        if let Some(e) = &self.expected {
            write!(f, " (expected {e})")?;
        }
        Ok(())
    }
}

/// Everything that can go wrong in the core.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Error {
    /// A manifest is invalid; every problem found is listed.
    Manifest(Vec<Problem>),
    /// Text is not well-formed JSON.
    Syntax {
        line: usize,
        column: usize,
        message: String,
    },
    /// An input argument (not a manifest) is invalid.
    Input { path: String, message: String },
    /// Arithmetic left the representable range of a decimal.
    Overflow { operation: &'static str },
    /// An unknown ISO 4217 currency code.
    UnknownCurrency(String),
    /// Two amounts of different currencies were combined.
    CurrencyMismatch { expected: String, found: String },
    /// A module id that the catalog does not define.
    UnknownModule(String),
    /// A plan id that the module does not define.
    UnknownPlan { module: String, plan: String },
    /// A feature id that the catalog does not define.
    UnknownFeature(String),
    /// The module has no price in the requested currency.
    NoPrice {
        module: String,
        plan: String,
        currency: String,
    },
    /// The module is not offered to this user by the policy.
    NotOffered { module: String, reason: String },
    /// Buying the module conflicts with something the user owns or selected.
    Excluded { module: String, by: String },
    /// A trial was asked for that cannot be granted.
    TrialRefused { module: String, reason: String },
    /// The user already owns the module.
    AlreadyOwned { module: String },
    /// Nothing the user holds gives the feature now.
    NotEntitled { feature: String, reason: String },
    /// Recording usage would exceed what the limit has left in its window.
    LimitExceeded {
        feature: String,
        requested: rust_decimal::Decimal,
        remaining: rust_decimal::Decimal,
        resets_at: Option<crate::calendar::Date>,
    },
    /// No funding source allowed for the user can pay for the purchase.
    NotFundable {
        module: String,
        reasons: Vec<String>,
    },
}

impl Error {
    /// A stable code, for programs: it never changes between versions.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Manifest(_) => "manifest_invalid",
            Error::Syntax { .. } => "json_syntax",
            Error::Input { .. } => "invalid_input",
            Error::Overflow { .. } => "overflow",
            Error::UnknownCurrency(_) => "unknown_currency",
            Error::CurrencyMismatch { .. } => "currency_mismatch",
            Error::UnknownModule(_) => "unknown_module",
            Error::UnknownPlan { .. } => "unknown_plan",
            Error::UnknownFeature(_) => "unknown_feature",
            Error::NoPrice { .. } => "no_price",
            Error::NotOffered { .. } => "not_offered",
            Error::Excluded { .. } => "excluded",
            Error::TrialRefused { .. } => "trial_refused",
            Error::AlreadyOwned { .. } => "already_owned",
            Error::NotEntitled { .. } => "not_entitled",
            Error::LimitExceeded { .. } => "limit_exceeded",
            Error::NotFundable { .. } => "not_fundable",
        }
    }

    /// The JSON path this error points at, when it points at one: the first problem's
    /// path for a manifest error, the argument's path for an input error.
    pub fn path(&self) -> Option<&str> {
        match self {
            Error::Manifest(p) => p.first().map(|p| p.path.as_str()),
            Error::Input { path, .. } => Some(path),
            _ => None,
        }
    }

    /// Every problem of a manifest error; empty for other errors.
    pub fn problems(&self) -> &[Problem] {
        match self {
            Error::Manifest(p) => p,
            _ => &[],
        }
    }

    /// An input error at `path`.
    pub fn input(path: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Input {
            path: path.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Manifest(problems) => {
                let n = problems.len();
                write!(
                    f,
                    "{n} problem{} in the manifest",
                    if n == 1 { "" } else { "s" }
                )?;
                for p in problems {
                    write!(f, "\n  {p}")?;
                }
                Ok(())
            }
            Error::Syntax {
                line,
                column,
                message,
            } => {
                write!(
                    f,
                    "malformed JSON at line {line}, column {column}: {message}"
                )
            }
            Error::Input { path, message } => write!(f, "{path}: {message}"),
            Error::Overflow { operation } => {
                write!(
                    f,
                    "amount out of range during {operation}: use smaller quantities or prices"
                )
            }
            Error::UnknownCurrency(c) => {
                write!(
                    f,
                    "unknown currency code {}: use an active ISO 4217 code such as USD or EUR",
                    quoted(c)
                )
            }
            Error::CurrencyMismatch { expected, found } => {
                write!(
                    f,
                    "cannot combine {found} with {expected}: amounts must share one currency"
                )
            }
            Error::UnknownModule(m) => {
                write!(f, "unknown module {}: it is not in the catalog", quoted(m))
            }
            Error::UnknownPlan { module, plan } => {
                write!(
                    f,
                    "module {} has no price plan {}",
                    quoted(module),
                    quoted(plan)
                )
            }
            Error::UnknownFeature(x) => {
                write!(f, "unknown feature {}: it is not in the catalog", quoted(x))
            }
            Error::NoPrice {
                module,
                plan,
                currency,
            } => {
                write!(
                    f,
                    "module {} plan {} has no price in {currency}",
                    quoted(module),
                    quoted(plan)
                )
            }
            Error::NotOffered { module, reason } => {
                write!(f, "module {} is not offered: {reason}", quoted(module))
            }
            Error::Excluded { module, by } => {
                write!(
                    f,
                    "module {} cannot be combined with {}: the catalog excludes it",
                    quoted(module),
                    quoted(by)
                )
            }
            Error::TrialRefused { module, reason } => {
                write!(f, "no trial of {}: {reason}", quoted(module))
            }
            Error::AlreadyOwned { module } => {
                write!(f, "module {} is already owned", quoted(module))
            }
            Error::NotEntitled { feature, reason } => {
                write!(f, "{} cannot be used: {reason}", quoted(feature))
            }
            Error::LimitExceeded {
                feature,
                requested,
                remaining,
                resets_at,
            } => {
                write!(
                    f,
                    "cannot use {requested} of {}: only {remaining} left",
                    quoted(feature)
                )?;
                match resets_at {
                    Some(d) => write!(f, " until {d}; wait for the reset or get a larger limit"),
                    None => write!(f, " and it never resets; get a larger limit"),
                }
            }
            Error::NotFundable { module, reasons } => {
                write!(
                    f,
                    "no funding source can pay for {}: {}; ask your department admin",
                    quoted(module),
                    reasons.join("; ")
                )
            }
        }
    }
}

impl std::error::Error for Error {}

/// The core's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

//! One error type for the whole core, with a stable machine-readable [`Error::code`].
//!
//! Every public function of the core returns `Result<T, Error>`. An [`Error`] is one pointer
//! to what went wrong, an [`ErrorKind`] (as `std::io::Error` is): a result moves through `?`
//! as a word, not as the largest kind's fields, which in the WebAssembly module had been
//! copied at every `?` of every function that can fail. Manifest problems are collected, not
//! thrown one by one: [`ErrorKind::Manifest`] carries every [`Problem`] found, each with the
//! JSON path of the offending value, what is wrong and what was expected.

use crate::quoted::{joined, quoted};
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

/// An error of the core: what went wrong ([`Error::kind`]), boxed.
#[derive(Debug, Clone, PartialEq)]
pub struct Error(Box<ErrorKind>);

/// Everything that can go wrong in the core.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A manifest is invalid; every problem found is listed.
    Manifest(Vec<Problem>),
    /// Text is not well-formed JSON. `at` is the line and column (from 1) where the parser
    /// stopped, and `message` serde_json's words for what is wrong: natively serde_json's
    /// own, in the browser the module's parser's, which says the same. In the browser `root`
    /// also names the argument (`"catalog"`, `"contract"`, …) whose text it was.
    Syntax {
        root: Option<String>,
        at: Option<(usize, usize)>,
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
    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.0
    }

    /// What went wrong, taken out of the error.
    pub fn into_kind(self) -> ErrorKind {
        *self.0
    }

    /// A stable code, for programs: it never changes between versions.
    pub fn code(&self) -> &'static str {
        self.0.code()
    }

    /// The JSON path this error points at, when it points at one: the first problem's
    /// path for a manifest error, the argument's path for an input error.
    pub fn path(&self) -> Option<&str> {
        self.0.path()
    }

    /// Every problem of a manifest error; empty for other errors.
    pub fn problems(&self) -> &[Problem] {
        self.0.problems()
    }

    /// An input error at `path`.
    pub fn input(path: impl Into<String>, message: impl Into<String>) -> Self {
        ErrorKind::Input {
            path: path.into(),
            message: message.into(),
        }
        .into()
    }
}

impl From<ErrorKind> for Error {
    /// Boxes `kind`. Not inlined: one allocation routine, not one per place an error is made.
    #[inline(never)]
    fn from(kind: ErrorKind) -> Self {
        Error(Box::new(kind))
    }
}

impl PartialEq<ErrorKind> for Error {
    fn eq(&self, kind: &ErrorKind) -> bool {
        *self.0 == *kind
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl ErrorKind {
    /// A stable code, for programs: it never changes between versions.
    pub fn code(&self) -> &'static str {
        match self {
            ErrorKind::Manifest(_) => "manifest_invalid",
            ErrorKind::Syntax { .. } => "json_syntax",
            ErrorKind::Input { .. } => "invalid_input",
            ErrorKind::Overflow { .. } => "overflow",
            ErrorKind::UnknownCurrency(_) => "unknown_currency",
            ErrorKind::CurrencyMismatch { .. } => "currency_mismatch",
            ErrorKind::UnknownModule(_) => "unknown_module",
            ErrorKind::UnknownPlan { .. } => "unknown_plan",
            ErrorKind::UnknownFeature(_) => "unknown_feature",
            ErrorKind::NoPrice { .. } => "no_price",
            ErrorKind::NotOffered { .. } => "not_offered",
            ErrorKind::Excluded { .. } => "excluded",
            ErrorKind::TrialRefused { .. } => "trial_refused",
            ErrorKind::AlreadyOwned { .. } => "already_owned",
            ErrorKind::NotEntitled { .. } => "not_entitled",
            ErrorKind::LimitExceeded { .. } => "limit_exceeded",
            ErrorKind::NotFundable { .. } => "not_fundable",
        }
    }

    /// The JSON path this error points at, when it points at one: the first problem's
    /// path for a manifest error, the argument's path for an input error.
    pub fn path(&self) -> Option<&str> {
        match self {
            ErrorKind::Manifest(p) => p.first().map(|p| p.path.as_str()),
            ErrorKind::Input { path, .. } => Some(path),
            ErrorKind::Syntax { root, .. } => root.as_deref(),
            _ => None,
        }
    }

    /// Every problem of a manifest error; empty for other errors.
    pub fn problems(&self) -> &[Problem] {
        match self {
            ErrorKind::Manifest(p) => p,
            _ => &[],
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorKind::Manifest(problems) => {
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
            ErrorKind::Syntax { root, at, message } => {
                f.write_str("malformed JSON")?;
                if let Some(root) = root {
                    write!(f, " in {root}")?;
                }
                if let Some((line, column)) = at {
                    write!(f, " at line {line}, column {column}")?;
                }
                write!(f, ": {message}")
            }
            ErrorKind::Input { path, message } => write!(f, "{path}: {message}"),
            ErrorKind::Overflow { operation } => {
                write!(
                    f,
                    "amount out of range during {operation}: use smaller quantities or prices"
                )
            }
            ErrorKind::UnknownCurrency(c) => {
                write!(
                    f,
                    "unknown currency code {}: use an active ISO 4217 code such as USD or EUR",
                    quoted(c)
                )
            }
            ErrorKind::CurrencyMismatch { expected, found } => {
                write!(
                    f,
                    "cannot combine {found} with {expected}: amounts must share one currency"
                )
            }
            ErrorKind::UnknownModule(m) => {
                write!(f, "unknown module {}: it is not in the catalog", quoted(m))
            }
            ErrorKind::UnknownPlan { module, plan } => {
                write!(
                    f,
                    "module {} has no price plan {}",
                    quoted(module),
                    quoted(plan)
                )
            }
            ErrorKind::UnknownFeature(x) => {
                write!(f, "unknown feature {}: it is not in the catalog", quoted(x))
            }
            ErrorKind::NoPrice {
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
            ErrorKind::NotOffered { module, reason } => {
                write!(f, "module {} is not offered: {reason}", quoted(module))
            }
            ErrorKind::Excluded { module, by } => {
                write!(
                    f,
                    "module {} cannot be combined with {}: the catalog excludes it",
                    quoted(module),
                    quoted(by)
                )
            }
            ErrorKind::TrialRefused { module, reason } => {
                write!(f, "no trial of {}: {reason}", quoted(module))
            }
            ErrorKind::AlreadyOwned { module } => {
                write!(f, "module {} is already owned", quoted(module))
            }
            ErrorKind::NotEntitled { feature, reason } => {
                write!(f, "{} cannot be used: {reason}", quoted(feature))
            }
            ErrorKind::LimitExceeded {
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
            ErrorKind::NotFundable { module, reasons } => {
                write!(
                    f,
                    "no funding source can pay for {}: {}; ask your department admin",
                    quoted(module),
                    joined(reasons, "; ")
                )
            }
        }
    }
}

impl std::error::Error for Error {}

/// The core's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

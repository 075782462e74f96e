//! `inflow check FILE...`: validates manifests and prints every problem, as a compiler does.
//!
//! Each file's kind comes from its top-level fields (or `--kind`). Each file is checked
//! alone; when one catalog, one contract and one policy are among the files, they are also
//! checked against each other. Exit code 0 when clean, 1 when any problem was found.

mod load;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use inflow::manifest::{self, Catalog, Contract, Policy};
use inflow::{Error, ErrorKind, Manifests, Problem};
use serde::Serialize;

use load::{Doc, Kind};

/// Arguments of `inflow check`.
#[derive(clap::Args)]
pub struct Args {
    /// Manifest files (JSON) to check.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// The kind of every file, instead of telling it from the top-level fields.
    #[arg(long, value_enum)]
    kind: Option<Kind>,
    /// Print a JSON array of {file, code, path, message, expected, line, column}.
    #[arg(long)]
    json: bool,
}

/// One problem found in one file.
#[derive(Debug, Serialize)]
pub struct Finding {
    file: String,
    code: String,
    path: Option<String>,
    message: String,
    expected: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
}

impl Finding {
    fn plain(file: &str, code: &str, message: impl Into<String>) -> Finding {
        Finding {
            file: file.to_string(),
            code: code.to_string(),
            path: None,
            message: message.into(),
            expected: None,
            line: None,
            column: None,
        }
    }

    fn problem(file: &str, code: &str, p: &Problem) -> Finding {
        // Shape errors from the loader end with "(line L, column C)": keep them as fields too.
        let (line, column) = location(&p.message).map_or((None, None), |(l, c)| (Some(l), Some(c)));
        Finding {
            path: Some(p.path.clone()),
            expected: p.expected.clone(),
            line,
            column,
            ..Finding::plain(file, code, p.message.clone())
        }
    }

    fn from_error(file: &str, e: &Error) -> Vec<Finding> {
        match e.kind() {
            ErrorKind::Manifest(problems) => problems
                .iter()
                .map(|p| Finding::problem(file, e.code(), p))
                .collect(),
            ErrorKind::Syntax { at, message, .. } => vec![Finding {
                line: at.map(|(line, _)| line),
                column: at.map(|(_, column)| column),
                ..Finding::plain(file, e.code(), format!("malformed JSON: {message}"))
            }],
            other => vec![Finding::plain(file, other.code(), other.to_string())],
        }
    }
}

/// `… (line 3, column 14)` → (3, 14).
fn location(message: &str) -> Option<(usize, usize)> {
    let rest = message.strip_suffix(')')?.rsplit_once("(line ")?.1;
    let (line, column) = rest.split_once(", column ")?;
    Some((line.parse().ok()?, column.parse().ok()?))
}

/// Runs `inflow check`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut findings = Vec::new();
    let mut docs: Vec<(String, Doc)> = Vec::new();
    for path in &args.files {
        match load::load(path, args.kind) {
            Ok(doc) => docs.push((path.display().to_string(), doc)),
            Err(f) => findings.extend(f),
        }
    }
    findings.extend(validate(&docs));

    // Written, not printed: a closed pipe is an error to report, not a panic.
    let mut out = std::io::stdout().lock();
    if args.json {
        writeln!(out, "{}", serde_json::to_string_pretty(&findings)?)?;
    } else {
        print_text(&mut out, &args, &docs, &findings)?;
    }
    Ok(if findings.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Validates every document alone, and the single catalog, contract and policy together.
fn validate(docs: &[(String, Doc)]) -> Vec<Finding> {
    let only = |pick: fn(&Doc) -> bool| {
        let mut it = docs.iter().filter(|(_, d)| pick(d));
        match (it.next(), it.next()) {
            (Some(one), None) => Some(one),
            _ => None,
        }
    };
    let catalog = only(|d| matches!(d, Doc::Catalog(_)));
    let contract = only(|d| matches!(d, Doc::Contract(_)));
    let policy = only(|d| matches!(d, Doc::Policy(_)));
    let (c, k, p) = (
        catalog.and_then(|(_, d)| as_catalog(d)),
        contract.and_then(|(_, d)| as_contract(d)),
        policy.and_then(|(_, d)| as_policy(d)),
    );
    let together: Vec<&str> = [catalog, contract, policy]
        .iter()
        .flatten()
        .map(|(f, _)| f.as_str())
        .collect();

    let mut findings = Vec::new();
    let joint = match (c, k, p) {
        (Some(c), Some(k), Some(p)) => Manifests::new(c.clone(), k.clone(), p.clone()).err(),
        _ => manifest::check_some(c, k, p).err(),
    };
    for problem in joint.iter().flat_map(Error::problems) {
        let root = problem.path.split(['.', '[']).next().unwrap_or_default();
        let file = match root {
            "catalog" => catalog,
            "contract" => contract,
            _ => policy,
        };
        let name = file.map_or("", |(f, _)| f.as_str());
        findings.push(Finding::problem(name, "manifest_invalid", problem));
    }
    for (file, doc) in docs {
        if together.contains(&file.as_str()) {
            continue;
        }
        let result = match doc {
            Doc::Catalog(c) => manifest::check_catalog(c),
            Doc::Contract(k) => manifest::check_some(None, Some(k), None),
            Doc::Policy(p) => manifest::check_some(None, None, Some(p)),
            Doc::Directory(d) => manifest::check_directory(d),
        };
        if let Err(e) = result {
            findings.extend(Finding::from_error(file, &e));
        }
    }
    findings
}

fn as_catalog(d: &Doc) -> Option<&Catalog> {
    match d {
        Doc::Catalog(c) => Some(c),
        _ => None,
    }
}

fn as_contract(d: &Doc) -> Option<&Contract> {
    match d {
        Doc::Contract(k) => Some(k),
        _ => None,
    }
}

fn as_policy(d: &Doc) -> Option<&Policy> {
    match d {
        Doc::Policy(p) => Some(p),
        _ => None,
    }
}

fn print_text(
    out: &mut impl Write,
    args: &Args,
    docs: &[(String, Doc)],
    findings: &[Finding],
) -> std::io::Result<()> {
    for f in findings {
        let at = f
            .path
            .as_deref()
            .map_or(String::new(), |p| format!("{p}: "));
        writeln!(out, "error[{}]: {at}{}", f.code, f.message)?;
        match (f.line, f.column) {
            (Some(l), Some(c)) => writeln!(out, "  --> {}:{l}:{c}", f.file),
            _ => writeln!(out, "  --> {}", f.file),
        }?;
        if let Some(e) = &f.expected {
            writeln!(out, "   = expected: {e}")?;
        }
        writeln!(out)?;
    }
    for (file, doc) in docs {
        if !findings.iter().any(|f| &f.file == file) {
            writeln!(out, "ok: {file} ({})", doc.describe())?;
        }
    }
    if !findings.is_empty() {
        let mut files: Vec<&str> = findings.iter().map(|f| f.file.as_str()).collect();
        files.sort_unstable();
        files.dedup();
        let (n, m) = (findings.len(), files.len());
        writeln!(
            out,
            "{n} problem{} in {m} file{} ({} checked)",
            if n == 1 { "" } else { "s" },
            if m == 1 { "" } else { "s" },
            args.files.len()
        )?;
    }
    Ok(())
}

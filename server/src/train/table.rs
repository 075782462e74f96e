//! A purchase-history CSV read into a [`Dataset`]: numeric feature columns, categorical
//! columns, one label column naming the module bought (or 0/1 bought-module columns), and
//! the optional account, time, community and owned columns.
//!
//! Any tabular CSV of that shape works. A column is numeric when every non-empty cell is a
//! finite number; a column whose name is a signal name (`reports.export.count_30d`) must be
//! numeric, and a cell that is not is an error naming its row and column.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use anyhow::{bail, Context, Result};
use inflow::calendar::Date;
use inflow::propensity::SignalName;

/// How to read the columns.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    /// The column naming the module bought next (default `bought_next`).
    pub label: Option<String>,
    /// 0/1 columns, one per module (the column name is the module id, less a `bought.` prefix).
    pub label_columns: Vec<String>,
    /// Label values meaning "bought nothing" besides `""`, `none` and `0`.
    pub none: Vec<String>,
    /// The account column (default `account` when present); splits keep accounts whole.
    pub account: Option<String>,
    /// The time column (default `decided_at` when present): a date or a number.
    pub time: Option<String>,
    /// The community column (default `community` when present).
    pub community: Option<String>,
    /// The column listing owned modules, `;`-separated (default `owned` when present).
    pub owned: Option<String>,
    /// Columns to leave out.
    pub ignore: Vec<String>,
}

/// The table, typed.
#[derive(Debug, Clone)]
pub struct Dataset {
    /// Numeric feature columns, by name.
    pub features: Vec<String>,
    /// Raw values, row by row, in `features` order (`None` = empty cell).
    pub x: Vec<Vec<Option<f64>>>,
    /// The modules that appear as labels, sorted.
    pub modules: Vec<String>,
    /// Per row, the indices (into `modules`) of what was bought next.
    pub bought: Vec<Vec<usize>>,
    /// Per row, the module ids owned at the decision.
    pub owned: Vec<BTreeSet<String>>,
    /// Per row, the account (the row number when there is no account column).
    pub account: Vec<String>,
    /// Per row, the time (days or the column's number), when there is a time column.
    pub time: Option<Vec<f64>>,
    /// Categorical columns: name and the value per row.
    pub categorical: Vec<(String, Vec<String>)>,
    /// The community column's name, when there is one (its values are in `categorical`).
    pub community: Option<String>,
}

impl Dataset {
    /// Rows.
    pub fn len(&self) -> usize {
        self.x.len()
    }

    /// The community keys of row `i`: the community column's value, or `column=value` for
    /// every categorical column when there is no community column.
    pub fn communities(&self, i: usize) -> Vec<String> {
        let cell = |(name, values): &(String, Vec<String>)| {
            values.get(i).map(|v| (name.clone(), v.clone()))
        };
        match &self.community {
            Some(c) => self
                .categorical
                .iter()
                .filter(|(n, _)| n == c)
                .filter_map(cell)
                .map(|(_, v)| v)
                .collect(),
            None => self
                .categorical
                .iter()
                .filter_map(cell)
                .map(|(n, v)| format!("{n}={v}"))
                .collect(),
        }
    }

    /// The rows in `idx`, in that order.
    pub fn select(&self, idx: &[usize]) -> Dataset {
        let pick = |v: &Vec<String>| idx.iter().filter_map(|&i| v.get(i).cloned()).collect();
        Dataset {
            features: self.features.clone(),
            x: idx.iter().filter_map(|&i| self.x.get(i).cloned()).collect(),
            modules: self.modules.clone(),
            bought: idx
                .iter()
                .filter_map(|&i| self.bought.get(i).cloned())
                .collect(),
            owned: idx
                .iter()
                .filter_map(|&i| self.owned.get(i).cloned())
                .collect(),
            account: pick(&self.account),
            time: self
                .time
                .as_ref()
                .map(|t| idx.iter().filter_map(|&i| t.get(i).copied()).collect()),
            categorical: self
                .categorical
                .iter()
                .map(|(n, v)| (n.clone(), pick(v)))
                .collect(),
            community: self.community.clone(),
        }
    }
}

/// Reads `path` with `layout`.
///
/// # Errors
/// A file that cannot be read, a ragged row, a missing named column, a signal column with a
/// cell that is not a number, no label column, no row.
pub fn read(path: &Path, layout: &Layout) -> Result<Dataset> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_path(path)
        .with_context(|| format!("cannot open {}", path.display()))?;
    let header: Vec<String> = reader
        .headers()
        .with_context(|| format!("{}: cannot read the header", path.display()))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let mut cells: Vec<Vec<String>> = Vec::new();
    for (n, record) in reader.records().enumerate() {
        let record = record.map_err(|e| match e.kind() {
            csv::ErrorKind::UnequalLengths {
                expected_len, len, ..
            } => anyhow::anyhow!(
                "{}: row {}: has {len} fields, expected {expected_len} (as the header)",
                path.display(),
                n + 1
            ),
            _ => anyhow::anyhow!("{}: row {}: {e}", path.display(), n + 1),
        })?;
        cells.push(record.iter().map(|c| c.trim().to_string()).collect());
    }
    if cells.is_empty() {
        bail!("{}: no data rows under the header", path.display());
    }
    from_cells(&header, &cells, layout).with_context(|| path.display().to_string())
}

fn cell(row: &[String], c: usize) -> &str {
    row.get(c).map(String::as_str).unwrap_or("")
}

fn from_cells(header: &[String], cells: &[Vec<String>], layout: &Layout) -> Result<Dataset> {
    let find = |name: &str| header.iter().position(|h| h == name);
    let named = |given: &Option<String>, default: &str, what: &str| -> Result<Option<usize>> {
        match given {
            Some(n) => find(n)
                .map(Some)
                .with_context(|| format!("no {what} column {n:?} in the header")),
            None => Ok(find(default)),
        }
    };
    let account = named(&layout.account, "account", "account")?;
    let time = named(&layout.time, "decided_at", "time")?;
    let community = named(&layout.community, "community", "community")?;
    let owned = named(&layout.owned, "owned", "owned")?;
    let mut label_cols = Vec::new();
    for c in &layout.label_columns {
        label_cols.push(find(c).with_context(|| format!("no label column {c:?} in the header"))?);
    }
    let label = if label_cols.is_empty() {
        Some(named(&layout.label, "bought_next", "label")?.context(
            "no label: name the column of the module bought with --label COL, or the 0/1 \
             bought-module columns with --label-columns A,B,…",
        )?)
    } else {
        None
    };
    let mut special: BTreeSet<usize> = [account, time, community, owned, label]
        .into_iter()
        .flatten()
        .chain(label_cols.iter().copied())
        .collect();
    for c in &layout.ignore {
        special.insert(find(c).with_context(|| format!("no column {c:?} to ignore"))?);
    }
    let number = |s: &str| s.parse::<f64>().ok().filter(|v| v.is_finite());
    let mut features = Vec::new();
    let mut feature_cols = Vec::new();
    let mut categorical = Vec::new();
    for (c, name) in header.iter().enumerate() {
        if special.contains(&c) {
            continue;
        }
        let bad = cells
            .iter()
            .enumerate()
            .find(|(_, row)| !cell(row, c).is_empty() && number(cell(row, c)).is_none());
        match bad {
            None => {
                features.push(name.clone());
                feature_cols.push(c);
            }
            Some((r, row)) if SignalName::parse(name).is_some() => bail!(
                "row {}, column {name:?}: expected a number (this is a signal column), got {:?}",
                r + 1,
                cell(row, c)
            ),
            Some(_) => categorical.push((name.clone(), c)),
        }
    }
    if let Some(c) = community {
        if !categorical.iter().any(|(_, k)| *k == c) {
            categorical.push((header.get(c).cloned().unwrap_or_default(), c));
        }
    }
    let none: BTreeSet<String> = ["", "none", "0"]
        .iter()
        .map(|s| s.to_string())
        .chain(layout.none.iter().map(|s| s.to_lowercase()))
        .collect();
    let truthy = |s: &str| matches!(s.to_lowercase().as_str(), "1" | "true" | "yes" | "1.0");
    let falsy = |s: &str| matches!(s.to_lowercase().as_str(), "0" | "false" | "no" | "0.0" | "");
    let mut labels: Vec<Vec<String>> = Vec::with_capacity(cells.len());
    for (r, row) in cells.iter().enumerate() {
        let mut got = Vec::new();
        if let Some(c) = label {
            let v = cell(row, c);
            if !none.contains(&v.to_lowercase()) {
                got.push(v.to_string());
            }
        }
        for &c in &label_cols {
            let v = cell(row, c);
            let name = header.get(c).map(String::as_str).unwrap_or("");
            if truthy(v) {
                got.push(name.strip_prefix("bought.").unwrap_or(name).to_string());
            } else if !falsy(v) {
                bail!(
                    "row {}, column {name:?}: expected 0 or 1 (bought or not), got {v:?}",
                    r + 1
                );
            }
        }
        labels.push(got);
    }
    let modules: Vec<String> = labels
        .iter()
        .flatten()
        .cloned()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if modules.is_empty() {
        bail!("the label never names a module: every row reads as \"bought nothing\"");
    }
    let index: BTreeMap<&str, usize> = modules
        .iter()
        .enumerate()
        .map(|(i, m)| (m.as_str(), i))
        .collect();
    let bought = labels
        .iter()
        .map(|l| {
            l.iter()
                .filter_map(|m| index.get(m.as_str()).copied())
                .collect()
        })
        .collect();
    let times = match time {
        None => None,
        Some(c) => Some(
            cells
                .iter()
                .enumerate()
                .map(|(r, row)| {
                    let v = cell(row, c);
                    number(v)
                        .or_else(|| Date::parse(v).ok().map(|d| f64::from(d.days_since_epoch())))
                        .with_context(|| {
                            format!(
                                "row {}, column {:?}: expected a date (YYYY-MM-DD) or a number, \
                                 got {v:?}",
                                r + 1,
                                header.get(c).cloned().unwrap_or_default()
                            )
                        })
                })
                .collect::<Result<Vec<f64>>>()?,
        ),
    };
    Ok(Dataset {
        x: cells
            .iter()
            .map(|row| feature_cols.iter().map(|&c| number(cell(row, c))).collect())
            .collect(),
        features,
        modules,
        bought,
        owned: cells
            .iter()
            .map(|row| {
                owned
                    .map(|c| {
                        cell(row, c)
                            .split(';')
                            .map(str::trim)
                            .filter(|s| !s.is_empty())
                            .map(String::from)
                            .collect()
                    })
                    .unwrap_or_default()
            })
            .collect(),
        account: cells
            .iter()
            .enumerate()
            .map(|(r, row)| account.map_or_else(|| format!("row-{r}"), |c| cell(row, c).into()))
            .collect(),
        time: times,
        categorical: categorical
            .into_iter()
            .map(|(n, c)| {
                (
                    n,
                    cells.iter().map(|row| cell(row, c).to_string()).collect(),
                )
            })
            .collect(),
        community: community.and_then(|c| header.get(c).cloned()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
        let mut lines = text
            .lines()
            .map(|l| l.split(',').map(String::from).collect());
        (lines.next().unwrap_or_default(), lines.collect())
    }

    #[test]
    fn columns_are_typed_and_labels_read() {
        let (h, c) = cells(
            "account,decided_at,region,owned,bought_next,reports.export.count_30d,age\n\
             a1,2026-01-01,US,advanced-reports,none,12,30\n\
             a2,2026-02-01,EU,,e-signature,,41",
        );
        let d = from_cells(&h, &c, &Layout::default()).unwrap();
        assert_eq!(d.features, ["reports.export.count_30d", "age"]);
        assert_eq!(d.x[1], [None, Some(41.0)]);
        assert_eq!(d.modules, ["e-signature"]);
        assert_eq!(d.bought, [vec![], vec![0]]);
        assert!(d.owned[0].contains("advanced-reports"));
        assert_eq!(d.communities(1), ["region=EU"]);
        assert_eq!(d.time.as_ref().map(|t| t[1] - t[0]), Some(31.0));
    }

    #[test]
    fn a_bad_signal_cell_names_row_and_column() {
        let (h, c) = cells("bought_next,reports.export.count_30d\nnone,1\nsandbox,lots");
        let e = from_cells(&h, &c, &Layout::default())
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("row 2, column \"reports.export.count_30d\""),
            "{e}"
        );
        assert!(e.contains("\"lots\""), "{e}");
    }

    #[test]
    fn bought_module_columns() {
        let (h, c) = cells("x,bought.sandbox,bought.api-boost\n1,1,0\n2,0,maybe");
        let layout = Layout {
            label_columns: vec!["bought.sandbox".into(), "bought.api-boost".into()],
            ..Layout::default()
        };
        let e = from_cells(&h, &c, &layout).unwrap_err().to_string();
        assert!(
            e.contains("row 2, column \"bought.api-boost\": expected 0 or 1"),
            "{e}"
        );
    }
}

//! Rules between modules: `requires`, `excludes` and `includes` name real modules,
//! `requires` has no cycle, and no module asks for what it also forbids.

use crate::collections::Map;
use crate::quoted::{joined, quoted};

use crate::error::Problem;
use crate::manifest::{Catalog, Module};

/// Modules by id (the first of duplicates, which are reported elsewhere).
type Index<'a> = Map<&'a str, (usize, &'a Module)>;

/// Checks the links between the catalog's modules.
pub(super) fn check(out: &mut Vec<Problem>, catalog: &Catalog) {
    let mut index: Index = Map::new();
    for (i, m) in catalog.modules.iter().enumerate() {
        index.entry(m.id.as_str()).or_insert((i, m));
    }
    for (i, m) in catalog.modules.iter().enumerate() {
        let path = format!("catalog.modules[{i}]");
        for (field, ids) in [
            ("requires", &m.requires),
            ("excludes", &m.excludes),
            ("includes", &m.includes),
        ] {
            for (j, id) in ids.iter().enumerate() {
                let p = format!("{path}.{field}[{j}]");
                if field != "requires" && *id == m.id {
                    out.push(
                        Problem::new(p, format!("a module cannot list itself in {field}"))
                            .expected("the id of another module"),
                    );
                } else if !index.contains_key(id.as_str()) {
                    out.push(
                        Problem::new(
                            p,
                            format!(
                                "unknown module {}: the catalog has no such module",
                                quoted(id)
                            ),
                        )
                        .expected("the id of a module in catalog.modules"),
                    );
                }
            }
        }
        contradictions(out, &index, &path, m);
    }
    cycles(out, catalog, &index);
}

/// A module that requires or includes what it excludes, a bundle of modules that
/// exclude each other, a module requiring one that excludes it.
fn contradictions(out: &mut Vec<Problem>, index: &Index, path: &str, m: &Module) {
    let module = |id: &str| index.get(id).map(|&(_, m)| m);
    for (j, x) in m.excludes.iter().enumerate() {
        if m.requires.contains(x) {
            out.push(
                Problem::new(
                    format!("{path}.excludes[{j}]"),
                    format!(
                        "{} is also in requires: a module cannot both require and exclude another",
                        quoted(x)
                    ),
                )
                .expected("each module in requires or excludes, not both"),
            );
        }
        if m.includes.contains(x) {
            out.push(
                Problem::new(
                    format!("{path}.excludes[{j}]"),
                    format!(
                        "{} is also in includes: a bundle cannot exclude what it contains",
                        quoted(x)
                    ),
                )
                .expected("each module in includes or excludes, not both"),
            );
        }
    }
    for (j, r) in m.requires.iter().enumerate() {
        if module(r).is_some_and(|t| t.excludes.contains(&m.id)) {
            out.push(
                Problem::new(
                    format!("{path}.requires[{j}]"),
                    format!(
                        "{} excludes {}, so the two can never be owned together",
                        quoted(r),
                        quoted(&m.id)
                    ),
                )
                .expected("a required module that does not exclude this one"),
            );
        }
    }
    for (k, b) in m.includes.iter().enumerate() {
        for a in m.includes.iter().take(k) {
            let clash =
                |x: &str, y: &str| module(x).is_some_and(|x| x.excludes.iter().any(|e| e == y));
            let by = if clash(a, b) {
                Some((a, b))
            } else if clash(b, a) {
                Some((b, a))
            } else {
                None
            };
            if let Some((x, y)) = by {
                out.push(
                    Problem::new(
                        format!("{path}.includes[{k}]"),
                        format!("{} cannot be bought with {}, which this bundle also includes ({} excludes {})", quoted(b), quoted(a), quoted(x), quoted(y)),
                    )
                    .expected("modules that may be owned together"),
                );
            }
        }
    }
}

/// Reports each cycle of `requires` once, at the link that closes it.
fn cycles(out: &mut Vec<Problem>, catalog: &Catalog, index: &Index) {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    let mut mark = vec![Mark::New; catalog.modules.len()];
    // Iterative depth-first search: a long chain of requires cannot exhaust the stack.
    for root in 0..catalog.modules.len() {
        if mark.get(root) != Some(&Mark::New) {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
        if let Some(m) = mark.get_mut(root) {
            *m = Mark::Open;
        }
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            let requires = catalog
                .modules
                .get(node)
                .map_or(&[][..], |m| &m.requires[..]);
            let Some(target) = requires.get(*next) else {
                if let Some(m) = mark.get_mut(node) {
                    *m = Mark::Done;
                }
                stack.pop();
                continue;
            };
            let edge = *next;
            *next += 1;
            let Some(&(t, _)) = index.get(target.as_str()) else {
                continue;
            };
            match mark.get(t) {
                Some(Mark::New) => {
                    if let Some(m) = mark.get_mut(t) {
                        *m = Mark::Open;
                    }
                    stack.push((t, 0));
                }
                Some(Mark::Open) => {
                    let start = stack.iter().position(|&(n, _)| n == t).unwrap_or(0);
                    let mut names: Vec<&str> = stack
                        .iter()
                        .skip(start)
                        .filter_map(|&(n, _)| catalog.modules.get(n).map(|m| m.id.as_str()))
                        .collect();
                    names.push(target);
                    out.push(
                        Problem::new(
                            format!("catalog.modules[{node}].requires[{edge}]"),
                            format!("requires form a cycle: {}", joined(&names, " -> ")),
                        )
                        .expected("requires without a cycle"),
                    );
                }
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{self, paths};
    use super::*;

    fn run(c: &Catalog) -> Vec<Problem> {
        let mut out = Vec::new();
        check(&mut out, c);
        out
    }

    #[test]
    fn a_cycle_of_requires_is_reported_with_its_path() {
        let mut c = fixture::catalog();
        // scheduler -> reports -> forecasting -> scheduler, and insights -> insights
        c.modules[1].requires.push("forecasting".into());
        c.modules[0].requires.push("scheduler".into());
        c.modules[3].requires.push("insights".into());
        let out = run(&c);
        assert_eq!(
            paths(&out),
            [
                "catalog.modules[1].requires[0]",
                "catalog.modules[3].requires[0]"
            ]
        );
        assert_eq!(
            out[0].message,
            "requires form a cycle: forecasting -> scheduler -> reports -> forecasting"
        );
        assert_eq!(
            out[1].message,
            "requires form a cycle: insights -> insights"
        );
    }

    #[test]
    fn a_long_chain_does_not_exhaust_the_stack() {
        let mut c = fixture::catalog();
        let template = c.modules[5].clone();
        for i in 0..50_000 {
            let mut m = template.clone();
            m.id = format!("m{i}");
            m.requires = vec![format!("m{}", i + 1)];
            c.modules.push(m);
        }
        c.modules.last_mut().unwrap().requires = vec!["m0".into()];
        let out = run(&c);
        assert_eq!(out.len(), 1);
    }

    #[test]
    fn unknown_and_self_links() {
        let mut c = fixture::catalog();
        c.modules[2].requires.push("ghost".into());
        c.modules[4].excludes.push("ai-email".into());
        c.modules[6].includes.push("phantom".into());
        let out = run(&c);
        assert_eq!(
            paths(&out),
            [
                "catalog.modules[2].requires[1]",
                "catalog.modules[4].excludes[1]",
                "catalog.modules[6].includes[2]"
            ]
        );
        assert_eq!(
            out[0].message,
            "unknown module \"ghost\": the catalog has no such module"
        );
    }

    #[test]
    fn excludes_contradicting_requires_and_includes() {
        let mut c = fixture::catalog();
        c.modules[2].excludes.push("reports".into()); // requires and excludes reports
        c.modules[6].includes.push("ai-email".into());
        c.modules[6].includes.push("templates".into()); // ai-email excludes templates
        c.modules[6].excludes.push("forecasting".into()); // excludes what it includes
        c.modules[0].requires.push("pack".into()); // pack now excludes forecasting
        let out = run(&c);
        assert_eq!(
            paths(&out),
            [
                "catalog.modules[0].requires[0]",
                "catalog.modules[2].excludes[0]",
                "catalog.modules[6].excludes[0]",
                "catalog.modules[6].includes[3]",
            ]
        );
        assert_eq!(
            out[3].message,
            "\"templates\" cannot be bought with \"ai-email\", which this bundle also includes (\"ai-email\" excludes \"templates\")"
        );
    }
}

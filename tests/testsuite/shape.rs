//! The shape of the source tree that the architecture promises (docs/architecture.md): data
//! flows one way, so no top-level module of the library may reach, directly or through
//! others, back to itself. A new import that closes a circle fails here with the circle
//! spelled out, before it hardens into the code.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Top-level module → the top-level modules its non-test code names as `crate::x`.
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for entry in walkdir::WalkDir::new(&src) {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let rel = path.strip_prefix(&src).unwrap();
        let first = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        let top = first.trim_end_matches(".rs").to_string();
        if top == "main" || top == "lib" {
            continue;
        }
        let text = std::fs::read_to_string(path).unwrap();
        // Unit tests may build anything they test with.
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        let edges = graph.entry(top.clone()).or_default();
        for line in code.lines() {
            let line = line.trim_start();
            if line.starts_with("//") {
                continue;
            }
            for name in named_modules(line) {
                if name != top {
                    edges.insert(name);
                }
            }
        }
    }
    graph
}

/// `crate::x` and every `x` of `crate::{x, y::z}` on one line.
fn named_modules(line: &str) -> Vec<String> {
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_')
            .collect()
    };
    let mut out = Vec::new();
    for (i, _) in line.match_indices("crate::") {
        let rest = &line[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = group.split('}').next().unwrap_or("");
            out.extend(
                group
                    .split(',')
                    .map(|p| ident(p.trim()))
                    .filter(|s| !s.is_empty()),
            );
        } else {
            let name = ident(rest);
            if !name.is_empty() {
                out.push(name);
            }
        }
    }
    out
}

/// A circle through `start`, if there is one: `a -> b -> a`.
fn circle_from(graph: &BTreeMap<String, BTreeSet<String>>, start: &str) -> Option<Vec<String>> {
    fn walk(
        graph: &BTreeMap<String, BTreeSet<String>>,
        start: &str,
        at: &str,
        path: &mut Vec<String>,
        seen: &mut BTreeSet<String>,
    ) -> bool {
        for next in graph.get(at).into_iter().flatten() {
            if next == start {
                path.push(next.clone());
                return true;
            }
            if seen.insert(next.clone()) {
                path.push(next.clone());
                if walk(graph, start, next, path, seen) {
                    return true;
                }
                path.pop();
            }
        }
        false
    }
    let mut path = vec![start.to_string()];
    let mut seen = BTreeSet::new();
    walk(graph, start, start, &mut path, &mut seen).then_some(path)
}

#[test]
fn no_module_imports_itself_through_others() {
    let graph = imports();
    assert!(
        graph.len() > 10 && graph.values().map(BTreeSet::len).sum::<usize>() > 20,
        "the scan found too little to judge: {graph:?}"
    );
    let circles: Vec<String> = graph
        .keys()
        .filter_map(|m| circle_from(&graph, m))
        .map(|c| c.join(" -> "))
        .collect();
    assert!(
        circles.is_empty(),
        "import circles between modules of src/ (data must flow one way):\n{}",
        circles.join("\n")
    );
}

#[test]
fn the_scan_sees_a_circle_when_there_is_one() {
    let mut graph = imports();
    // render already depends on config; config naming render would close a circle.
    assert!(graph["render"].contains("config"), "{:?}", graph["render"]);
    graph
        .get_mut("config")
        .unwrap()
        .insert("render".to_string());
    assert!(circle_from(&graph, "config").is_some());
}

/// Functions of src/ (unit tests left out) as (lines, `path:line name`): from the line that
/// says `fn` to the `}` at the same indentation, as rustfmt lays them out.
fn function_lengths() -> Vec<(usize, String)> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(&src).sort_by_file_name() {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let end = lines
            .iter()
            .position(|l| l.starts_with("#[cfg(test)]"))
            .unwrap_or(lines.len());
        let rel = path.strip_prefix(&src).unwrap().display().to_string();
        for (i, line) in lines[..end].iter().enumerate() {
            let body = line.trim_start();
            let indent = &line[..line.len() - body.len()];
            let words: Vec<&str> = body.split_whitespace().collect();
            let Some(at) = words.iter().position(|w| *w == "fn") else {
                continue;
            };
            let qualifiers = [
                "pub",
                "pub(crate)",
                "pub(super)",
                "const",
                "async",
                "unsafe",
            ];
            if !words[..at].iter().all(|w| qualifiers.contains(w)) || at + 1 >= words.len() {
                continue;
            }
            let name: String = words[at + 1]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            let close = format!("{indent}}}");
            let Some(last) = lines[i..end]
                .iter()
                .position(|l| l.trim_end() == close)
                .map(|k| i + k)
            else {
                continue;
            };
            // A declaration without a body (a trait's) ends with `;` before any `{`.
            if lines[i..=last].iter().any(|l| l.trim_end().ends_with(';'))
                && !lines[i..=last].iter().any(|l| l.contains('{'))
            {
                continue;
            }
            out.push((last - i + 1, format!("{rel}:{} {name}", i + 1)));
        }
    }
    out
}

/// The longest a function of src/ may be: a reader holds it in view and sees its steps.
const LONGEST: usize = 150;

#[test]
fn no_function_is_longer_than_a_reader_can_follow() {
    let lengths = function_lengths();
    assert!(
        lengths.len() > 500,
        "the scan found too little: {}",
        lengths.len()
    );
    let too_long: Vec<String> = lengths
        .iter()
        .filter(|(n, _)| *n > LONGEST)
        .map(|(n, at)| format!("{at}: {n} lines"))
        .collect();
    assert!(
        too_long.is_empty(),
        "functions over {LONGEST} lines (split them into named steps):\n{}",
        too_long.join("\n")
    );
}

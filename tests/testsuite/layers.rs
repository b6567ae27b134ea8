//! The code's shape, enforced: `src/` is a one-way pipeline of layers (see
//! docs/architecture.md). A module may use only its own layer and the layers before it, the
//! files of `src/` import each other without a cycle, and no function passes 100 lines.

use std::collections::{BTreeMap, BTreeSet};

/// The layers in order: each may use only those before it (and itself).
const LAYERS: [&str; 10] = [
    "util", "problem", "config", "markdown", "source", "model", "render", "output", "pipeline",
    "app",
];

/// Every `.rs` file under `src/`, by its path relative to `src/`, with its code (comments
/// taken out, so a doc link to a later layer is no import).
fn sources() -> BTreeMap<String, String> {
    let src = crate::common::repo().join("src");
    walkdir::WalkDir::new(&src)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "rs"))
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(&src)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let text = std::fs::read_to_string(e.path()).unwrap();
            let code: Vec<&str> = text
                .lines()
                .map(|l| match l.find("//") {
                    Some(i) if !l[..i].contains('"') => &l[..i],
                    _ => l,
                })
                .collect();
            (rel, code.join("\n"))
        })
        .collect()
}

/// The layer a file of `src/` belongs to (`render/feed.rs` -> `render`; `config.rs` ->
/// `config`); `None` for the crate root and the binary.
fn layer_of(rel: &str) -> Option<usize> {
    let top = rel.split('/').next()?.trim_end_matches(".rs");
    LAYERS.iter().position(|l| *l == top)
}

/// The module paths a file names as `crate::a::b…` (only the module segments).
fn crate_paths(code: &str) -> Vec<Vec<String>> {
    let mut paths = Vec::new();
    for (i, _) in code.match_indices("crate::") {
        if code[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let rest = &code[i + "crate::".len()..];
        let segments: Vec<String> = rest
            .split("::")
            .map(|s| {
                s.chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect::<String>()
            })
            .take_while(|s| s.chars().next().is_some_and(|c| c.is_lowercase()))
            .collect();
        if !segments.is_empty() {
            paths.push(segments);
        }
    }
    paths
}

/// The file of `src/` that a module path leads to (the deepest that exists).
fn file_of(path: &[String], files: &BTreeMap<String, String>) -> Option<String> {
    (1..=path.len()).rev().find_map(|n| {
        let joined = path[..n].join("/");
        [format!("{joined}.rs"), format!("{joined}/mod.rs")]
            .into_iter()
            .find(|candidate| files.contains_key(candidate))
    })
}

#[test]
fn no_module_imports_from_a_later_layer() {
    let files = sources();
    let mut wrong = Vec::new();
    for (rel, code) in &files {
        let Some(own) = layer_of(rel) else { continue };
        for path in crate_paths(code) {
            let used = LAYERS.iter().position(|l| *l == path[0]);
            if let Some(used) = used.filter(|&used| used > own) {
                wrong.push(format!(
                    "src/{rel} ({}) uses crate::{} ({})",
                    LAYERS[own],
                    path.join("::"),
                    LAYERS[used]
                ));
            }
        }
    }
    wrong.sort();
    wrong.dedup();
    assert!(
        wrong.is_empty(),
        "imports against the layers:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_files_of_src_import_each_other_without_a_cycle() {
    let files = sources();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (rel, code) in &files {
        for path in crate_paths(code) {
            if let Some(to) = file_of(&path, &files).filter(|to| to != rel) {
                edges.entry(rel.clone()).or_default().insert(to);
            }
        }
    }
    // Depth-first search for a path back to where it started.
    fn visit(
        at: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        stack: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = stack.iter().position(|s| s == at) {
            let mut cycle = stack[i..].to_vec();
            cycle.push(at.to_string());
            return Some(cycle);
        }
        if done.contains(at) {
            return None;
        }
        stack.push(at.to_string());
        for next in edges.get(at).into_iter().flatten() {
            if let Some(cycle) = visit(next, edges, stack, done) {
                return Some(cycle);
            }
        }
        stack.pop();
        done.insert(at.to_string());
        None
    }
    let mut done = BTreeSet::new();
    for file in files.keys() {
        if let Some(cycle) = visit(file, &edges, &mut Vec::new(), &mut done) {
            panic!("an import cycle: {}", cycle.join(" -> "));
        }
    }
}

#[test]
fn no_file_is_read_after_source_and_none_written_before_output() {
    let files = sources();
    let mut wrong = Vec::new();
    for (rel, code) in &files {
        // Unit tests may make fixture files.
        if rel.ends_with("/tests.rs") {
            continue;
        }
        let code = code.split("#[cfg(test)]").next().unwrap_or("");
        let layer = layer_of(rel).map(|l| LAYERS[l]);
        // markdown, model and render take values and return values: no file system at all.
        let pure = matches!(layer, Some("markdown" | "model" | "render"));
        let reads_only = matches!(layer, Some("config" | "source"));
        for (n, line) in code.lines().enumerate() {
            let fs = ["std::fs", "util::fs", "File::", "tokio::fs"]
                .iter()
                .any(|w| line.contains(w));
            let writes = [
                "fs::write",
                "fs::remove",
                "fs::rename",
                "fs::create",
                "fs::copy",
                "hard_link",
                "File::create",
            ]
            .iter()
            .any(|w| line.contains(w));
            if (pure && fs) || (reads_only && writes) {
                wrong.push(format!("src/{rel}:{}: {}", n + 1, line.trim()));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "file-system calls in the wrong layer:\n{}",
        wrong.join("\n")
    );
}

/// Each function's name, file and line, and its length in lines (from `fn` to the brace
/// that closes it).
fn function_lengths(files: &BTreeMap<String, String>) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (rel, code) in files {
        let lines: Vec<&str> = code.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let trimmed = line.trim_start();
            // Any visibility (`pub`, `pub(crate)`, `pub(super)`, `pub(in …)`), then
            // `const`, `async` or `unsafe`, then `fn`.
            let mut rest = trimmed;
            if let Some(after) = rest.strip_prefix("pub") {
                rest = match after.strip_prefix('(') {
                    Some(inner) => inner.split_once(')').map_or("", |(_, r)| r),
                    None => after,
                }
                .trim_start();
            }
            for qualifier in ["const ", "async ", "unsafe "] {
                rest = rest.strip_prefix(qualifier).unwrap_or(rest);
            }
            if !rest.starts_with("fn ") {
                continue;
            }
            let (mut depth, mut opened) = (0i64, false);
            for (j, l) in lines.iter().enumerate().skip(i) {
                let l = strip_literals(l);
                depth += l.matches('{').count() as i64 - l.matches('}').count() as i64;
                opened |= l.contains('{');
                if !opened && l.trim_end().ends_with(';') {
                    break;
                }
                if opened && depth <= 0 {
                    let end = trimmed.len() - rest.len() + rest.find('(').unwrap_or(rest.len());
                    let name = &trimmed[..end];
                    found.push((j - i + 1, format!("src/{rel}:{} {name}", i + 1)));
                    break;
                }
            }
        }
    }
    found
}

/// A line with its string and character literals emptied, so braces in them do not count.
fn strip_literals(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                while let Some(d) = chars.next() {
                    match d {
                        '\\' => {
                            chars.next();
                        }
                        '"' => break,
                        _ => {}
                    }
                }
                out.push_str("\"\"");
            }
            '\'' if matches!(chars.clone().nth(1), Some('\'')) || chars.peek() == Some(&'\\') => {
                for d in chars.by_ref() {
                    if d == '\'' {
                        break;
                    }
                }
            }
            _ => out.push(c),
        }
    }
    out
}

#[test]
fn no_function_is_over_100_lines() {
    let files = sources();
    let mut long: Vec<(usize, String)> = function_lengths(&files)
        .into_iter()
        .filter(|(n, _)| *n > 100)
        .collect();
    long.sort_by(|a, b| b.cmp(a));
    let list: Vec<String> = long
        .iter()
        .map(|(n, f)| format!("{n} lines: {f}"))
        .collect();
    assert!(
        list.is_empty(),
        "functions over 100 lines:\n{}",
        list.join("\n")
    );
}

#[test]
fn the_checks_find_what_they_look_for() {
    let files: BTreeMap<String, String> = [
        ("util/fs.rs", "use crate::render::x;"),
        ("render/mod.rs", "fn f() { crate::util::fs::read(); }"),
    ]
    .into_iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(
        crate_paths(&files["util/fs.rs"]),
        vec![vec!["render".to_string(), "x".to_string()]]
    );
    assert_eq!(
        file_of(&["util".into(), "fs".into(), "read".into()], &files).as_deref(),
        Some("util/fs.rs")
    );
    assert_eq!(layer_of("render/feed.rs"), Some(6));
    assert_eq!(layer_of("lib.rs"), None);
    let long = format!("fn f() {{\n{}}}\n", "    let x = '{';\n".repeat(120));
    let lengths = function_lengths(&[("a.rs".to_string(), long)].into_iter().collect());
    assert_eq!(lengths, vec![(122, "src/a.rs:1 fn f".to_string())]);
    // Every visibility counts (`pub(super) fn` was not seen).
    for head in [
        "pub(super) fn g",
        "pub(in crate::x) async fn g",
        "pub const fn g",
    ] {
        let code = format!("{head}() {{\n}}\n");
        let lengths = function_lengths(&[("b.rs".to_string(), code)].into_iter().collect());
        assert_eq!(lengths, vec![(2, format!("src/b.rs:1 {head}"))], "{head}");
    }
}

//! The repo explains itself: every rule id the code cites is a heading of docs/semantics.md, and
//! every file or folder the README's layout and docs/architecture.md name exists.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may stop at the first surprise

use std::collections::BTreeSet;
use std::path::Path;

/// Ids such as `FP-3` or `RU-4`: one to three capitals, a dash, digits, standing alone.
fn rule_ids(text: &str) -> BTreeSet<String> {
    let b = text.as_bytes();
    let mut out = BTreeSet::new();
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c == b'-';
    for (dash, _) in text.match_indices('-') {
        let letters = b[..dash]
            .iter()
            .rev()
            .take_while(|c| c.is_ascii_uppercase())
            .count();
        let digits = b[dash + 1..]
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count();
        let start = dash - letters;
        let end = dash + 1 + digits;
        let alone = (start == 0 || !word(b[start - 1])) && (end == b.len() || !word(b[end]));
        if (1..=3).contains(&letters) && digits > 0 && alone {
            out.insert(text[start..end].to_string());
        }
    }
    out
}

/// Words of that shape that are not rule ids.
const NOT_RULES: [&str; 2] = ["N-1", "UTF-8"];

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_rule_id_cited_in_code_is_a_heading_of_the_semantics() {
    let doc = std::fs::read_to_string("docs/semantics.md").unwrap();
    let headings: BTreeSet<String> = doc
        .lines()
        .filter_map(|l| l.strip_prefix("### "))
        .flat_map(rule_ids)
        .collect();
    assert!(
        headings.len() > 60,
        "the semantics define the rules: {headings:?}"
    );
    let mut files = Vec::new();
    for dir in ["sim/src", "sim/tests", "sim/benches", "src", "tests"] {
        rust_files(Path::new(dir), &mut files);
    }
    let mut cited = 0;
    let mut missing = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        for id in rule_ids(&text) {
            if NOT_RULES.contains(&id.as_str()) {
                continue;
            }
            cited += 1;
            if !headings.contains(&id) {
                missing.push(format!("{}: {id}", file.display()));
            }
        }
    }
    assert!(
        cited > 100,
        "the code cites its rules ({cited} citations found)"
    );
    assert!(
        missing.is_empty(),
        "cited but not in docs/semantics.md:\n{}",
        missing.join("\n")
    );
}

#[test]
fn rule_ids_are_found_where_they_stand_alone() {
    let found = rule_ids("RU-4, (PR-3) FP-1..FP-6 SHA-256a x-1 ABCD-2 PS-");
    let want: BTreeSet<String> = ["FP-1", "FP-6", "PR-3", "RU-4"].map(String::from).into();
    assert_eq!(found, want);
}

/// The paths in a tree drawing: the first word of each line, joined to the folders above it by
/// its indentation (`sim/` then `  src/deployment/` → `sim/src/deployment/`).
fn tree_paths(block: &str) -> Vec<String> {
    let mut parents: Vec<(usize, String)> = Vec::new();
    let mut out = Vec::new();
    for line in block.lines() {
        let indent = line.len() - line.trim_start().len();
        // The leading names: `a.rs, b.rs, c/` lists several.
        let mut names = Vec::new();
        for word in line.split_whitespace() {
            names.push(word.trim_end_matches(','));
            if !word.ends_with(',') {
                break;
            }
        }
        let Some(&first) = names.first() else {
            continue;
        };
        if !first.contains(['/', '.']) {
            continue;
        }
        while parents.last().is_some_and(|(i, _)| *i >= indent) {
            parents.pop();
        }
        for name in &names {
            let base = parents.last().map(|(_, p)| p.as_str()).unwrap_or("");
            out.push(format!("{base}{name}"));
        }
        if first.ends_with('/') {
            let base = parents.last().map(|(_, p)| p.clone()).unwrap_or_default();
            parents.push((indent, format!("{base}{first}")));
        }
    }
    out
}

fn first_tree_after(doc: &str, heading: &str) -> String {
    let at = doc
        .find(heading)
        .unwrap_or_else(|| panic!("no `{heading}` section"));
    let rest = &doc[at..];
    let open = rest.find("```\n").unwrap() + 4;
    let close = rest[open..].find("```").unwrap();
    rest[open..open + close].to_string()
}

#[test]
fn the_layout_drawings_name_files_that_exist() {
    for (doc, heading) in [
        ("README.md", "## How the code is laid out"),
        ("docs/architecture.md", "## The tree"),
    ] {
        let text = std::fs::read_to_string(doc).unwrap();
        let paths = tree_paths(&first_tree_after(&text, heading));
        assert!(paths.len() > 20, "{doc} draws the tree: {paths:?}");
        let missing: Vec<&String> = paths
            .iter()
            .filter(|p| !Path::new(p.as_str()).exists())
            .collect();
        assert!(
            missing.is_empty(),
            "{doc} names paths that do not exist: {missing:?}"
        );
    }
}

#[test]
fn tree_paths_follow_indentation() {
    let block = "Cargo.toml   the root\nsim/         the core\n  src/x/      x\n  src/y.rs    y\nlessons/     data\n";
    assert_eq!(
        tree_paths(block),
        [
            "Cargo.toml",
            "sim/",
            "sim/src/x/",
            "sim/src/y.rs",
            "lessons/"
        ]
    );
}

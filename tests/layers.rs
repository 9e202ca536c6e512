//! The module graph of both crates has no cycle (docs/architecture.md, "Layers").
//!
//! Each source file is a node; a path that names another module of the same crate (`crate::a::b`,
//! `super::x`, `self::x`, or a child module by its bare name) is an edge to the deepest module the
//! path names. Comments, string literals and `#[cfg(test)]` modules are left out: a test may reach
//! into any layer. A cycle fails the test with the files that form it.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may stop at the first surprise

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A crate's modules: module path ("deployment::util") → the file's code without comments.
type Modules = BTreeMap<String, String>;

fn modules(src: &Path) -> Modules {
    let mut out = Modules::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n != "bin") {
                    stack.push(path);
                }
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                out.insert(module_path(src, &path), without_tests(&code_only(&text)));
            }
        }
    }
    out
}

fn module_path(src: &Path, file: &Path) -> String {
    let rel: PathBuf = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts.join("::")
}

/// The code with comments and the contents of string and char literals blanked out; the line
/// breaks inside them are kept, so line counts stay those of the file.
fn code_only(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < b.len() {
        let from = i;
        if b[i..].starts_with(b"//") {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if b[i..].starts_with(b"/*") {
            let mut depth = 0;
            while i < b.len() {
                if b[i..].starts_with(b"/*") {
                    depth += 1;
                    i += 2;
                } else if b[i..].starts_with(b"*/") {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if b[i] == b'r' && matches!(b.get(i + 1), Some(b'#' | b'"')) && raw_start(b, i) {
            let hashes = b[i + 1..].iter().take_while(|&&c| c == b'#').count();
            let close: Vec<u8> = std::iter::once(b'"')
                .chain(std::iter::repeat_n(b'#', hashes))
                .collect();
            i += 2 + hashes;
            while i < b.len() && !b[i..].starts_with(&close) {
                i += 1;
            }
            i += close.len();
            out.push_str("\"\"");
        } else if b[i] == b'"' {
            i += 1;
            while i < b.len() && b[i] != b'"' {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str("\"\"");
        } else if b[i] == b'\'' && is_char_literal(b, i) {
            i += 1;
            while i < b.len() && b[i] != b'\'' {
                i += if b[i] == b'\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str("' '");
        } else {
            let c = text[i..].chars().next().unwrap();
            out.push(c);
            i += c.len_utf8();
            continue;
        }
        // A comment or literal was skipped: keep its line breaks.
        let breaks = b[from..i.min(b.len())]
            .iter()
            .filter(|&&c| c == b'\n')
            .count();
        out.extend(std::iter::repeat_n('\n', breaks));
    }
    out
}

/// `r"` or `r#"` that begins a raw string, not the end of an identifier such as `for"`.
fn raw_start(b: &[u8], i: usize) -> bool {
    let hashes = b[i + 1..].iter().take_while(|&&c| c == b'#').count();
    b.get(i + 1 + hashes) == Some(&b'"')
        && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_'))
}

/// A quote that opens a char literal ('a', '\n', '"'), not a lifetime ('a).
fn is_char_literal(b: &[u8], i: usize) -> bool {
    match b.get(i + 1) {
        Some(b'\\') => true,
        Some(_) => {
            let len = std::str::from_utf8(&b[i + 1..(i + 5).min(b.len())])
                .map_or(1, |s| s.chars().next().map_or(1, char::len_utf8));
            b.get(i + 1 + len) == Some(&b'\'')
        }
        None => false,
    }
}

/// The code without `#[cfg(test)]` items (the braces of the item that follows are skipped).
fn without_tests(code: &str) -> String {
    let mut out = String::new();
    let mut rest = code;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        let Some(open) = after.find(['{', ';']) else {
            break;
        };
        if after.as_bytes()[open] == b';' {
            rest = &after[open + 1..];
            continue;
        }
        let mut depth = 0;
        let mut end = after.len();
        for (j, c) in after[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + j + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// Every path in `code` that starts at `crate`, `super`, `self` or a child module, as absolute
/// segment lists. `use` trees with braces are expanded.
fn paths(module: &str, code: &str, children: &BTreeSet<String>) -> Vec<Vec<String>> {
    let here: Vec<String> = if module.is_empty() {
        vec![]
    } else {
        module.split("::").map(str::to_string).collect()
    };
    let tokens = tokenize(code);
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let t = tokens[i].as_str();
        let preceded_by_path = i > 0 && tokens[i - 1] == "::";
        let start = match t {
            _ if preceded_by_path => None,
            "crate" => Some(vec![]),
            "super" => Some(here[..here.len().saturating_sub(1)].to_vec()),
            "self" => Some(here.clone()),
            _ if children.contains(t) => Some([here.clone(), vec![t.to_string()]].concat()),
            _ => None,
        };
        match start {
            Some(base) if tokens.get(i + 1).is_some_and(|n| n == "::") => {
                let base = if matches!(t, "crate" | "super" | "self") {
                    base
                } else {
                    base[..base.len() - 1].to_vec()
                };
                let (found, next) = use_tree(
                    &tokens,
                    if matches!(t, "crate" | "super" | "self") {
                        i + 2
                    } else {
                        i
                    },
                    base,
                );
                out.extend(found);
                i = next;
            }
            _ => i += 1,
        }
    }
    out
}

/// Reads a path or a braced use tree starting at `tokens[i]`, below `base`.
fn use_tree(tokens: &[String], mut i: usize, mut base: Vec<String>) -> (Vec<Vec<String>>, usize) {
    let mut out = Vec::new();
    loop {
        match tokens.get(i).map(String::as_str) {
            Some("{") => {
                i += 1;
                loop {
                    match tokens.get(i).map(String::as_str) {
                        Some("}") => return (out, i + 1),
                        Some(",") => i += 1,
                        None => return (out, i),
                        Some(_) => {
                            let (found, next) = use_tree(tokens, i, base.clone());
                            out.extend(found);
                            i = next;
                        }
                    }
                }
            }
            Some("super") => {
                base.pop();
                i += 1;
            }
            Some("self") => i += 1,
            Some(t)
                if t.chars()
                    .next()
                    .is_some_and(|c| c.is_alphanumeric() || c == '_') =>
            {
                base.push(t.to_string());
                i += 1;
            }
            _ => return (push(out, base), i),
        }
        if tokens.get(i).is_some_and(|t| t == "::") {
            i += 1;
        } else {
            return (push(out, base), i);
        }
    }
}

fn push(mut out: Vec<Vec<String>>, path: Vec<String>) -> Vec<Vec<String>> {
    out.push(path);
    out
}

fn tokenize(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = code.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        if c.is_alphanumeric() || c == '_' {
            let mut end = at + c.len_utf8();
            while let Some(&(j, d)) = chars.peek() {
                if d.is_alphanumeric() || d == '_' {
                    end = j + d.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            }
            out.push(code[at..end].to_string());
        } else if c == ':' && chars.peek().is_some_and(|&(_, d)| d == ':') {
            chars.next();
            out.push("::".into());
        } else if !c.is_whitespace() {
            out.push(c.to_string());
        }
    }
    out
}

/// The module graph: each module → the modules it names. A module naming itself or one of its
/// ancestors is left out: a child sees the items of the module that declares it (as Rust's
/// privacy lets it), and the parent's `pub use` of its children is a facade, not a layer.
fn graph(mods: &Modules) -> BTreeMap<String, BTreeSet<String>> {
    let names: BTreeSet<&str> = mods.keys().map(String::as_str).collect();
    let mut g = BTreeMap::new();
    for (module, code) in mods {
        let prefix = if module.is_empty() {
            String::new()
        } else {
            format!("{module}::")
        };
        let children: BTreeSet<String> = names
            .iter()
            .filter_map(|n| n.strip_prefix(prefix.as_str()))
            .filter(|rest| !rest.is_empty() && !rest.contains("::"))
            .map(str::to_string)
            .collect();
        let mut targets = BTreeSet::new();
        for path in paths(module, code, &children) {
            let target = (0..=path.len())
                .rev()
                .map(|n| path[..n].join("::"))
                .find(|p| names.contains(p.as_str()))
                .unwrap_or_default();
            let ancestor = target.is_empty()
                || module == &target
                || module.starts_with(&format!("{target}::"));
            if !ancestor {
                targets.insert(target);
            }
        }
        g.insert(module.clone(), targets);
    }
    g
}

/// The strongly connected components with more than one module (Tarjan).
fn cycles(g: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct T<'a> {
        g: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on: BTreeSet<&'a str>,
        out: Vec<Vec<String>>,
    }
    fn visit<'a>(t: &mut T<'a>, v: &'a str) {
        let n = t.index.len();
        t.index.insert(v, n);
        t.low.insert(v, n);
        t.stack.push(v);
        t.on.insert(v);
        for w in t.g.get(v).into_iter().flatten() {
            let w = w.as_str();
            if !t.g.contains_key(w) {
                continue;
            }
            if !t.index.contains_key(w) {
                visit(t, w);
                let lw = t.low[w];
                let lv = t.low.get_mut(v).unwrap();
                *lv = (*lv).min(lw);
            } else if t.on.contains(w) {
                let iw = t.index[w];
                let lv = t.low.get_mut(v).unwrap();
                *lv = (*lv).min(iw);
            }
        }
        if t.low[v] == t.index[v] {
            let mut scc = Vec::new();
            while let Some(w) = t.stack.pop() {
                t.on.remove(w);
                scc.push(w.to_string());
                if w == v {
                    break;
                }
            }
            if scc.len() > 1 {
                scc.sort();
                t.out.push(scc);
            }
        }
    }
    let mut t = T {
        g,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: vec![],
        on: BTreeSet::new(),
        out: vec![],
    };
    for v in g.keys() {
        if !t.index.contains_key(v.as_str()) {
            visit(&mut t, v);
        }
    }
    t.out
}

/// Each cycle with the edges inside it, one line each, for the failure message.
/// Functions longer than `limit` lines, as "file:line name (n lines)".
fn long_functions(src: &str, limit: usize) -> Vec<String> {
    let mut out = Vec::new();
    for (module, code) in modules(Path::new(src)) {
        let tokens: Vec<(usize, &str)> = code
            .lines()
            .enumerate()
            .flat_map(|(n, l)| {
                l.split(|c: char| {
                    !(c.is_alphanumeric() || c == '_' || c == '{' || c == '}' || c == ';')
                })
                .map(move |w| (n, w))
            })
            .flat_map(|(n, w)| split_braces(w).into_iter().map(move |t| (n, t)))
            .filter(|(_, t)| !t.is_empty())
            .collect();
        for (k, &(line, t)) in tokens.iter().enumerate() {
            if t != "fn" {
                continue;
            }
            let name = tokens.get(k + 1).map_or("?", |t| t.1);
            let Some(open) = tokens[k..].iter().position(|t| t.1 == "{" || t.1 == ";") else {
                continue;
            };
            if tokens[k + open].1 == ";" {
                continue;
            }
            let mut depth = 0;
            for &(end, t) in &tokens[k + open..] {
                depth += match t {
                    "{" => 1,
                    "}" => -1,
                    _ => 0,
                };
                if depth == 0 {
                    let lines = end - line + 1;
                    if lines > limit {
                        out.push(format!(
                            "{src} {module}:{} {name} ({lines} lines)",
                            line + 1
                        ));
                    }
                    break;
                }
            }
        }
    }
    out
}

/// `a{b}` → `a`, `{`, `b`, `}`: braces as tokens of their own.
fn split_braces(w: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in w.char_indices() {
        if matches!(c, '{' | '}' | ';') {
            out.push(&w[start..i]);
            out.push(&w[i..i + 1]);
            start = i + 1;
        }
    }
    out.push(&w[start..]);
    out
}

#[test]
fn no_function_is_longer_than_120_lines() {
    let long: Vec<String> = ["sim/src", "src"]
        .into_iter()
        .flat_map(|s| long_functions(s, 120))
        .collect();
    assert!(
        long.is_empty(),
        "split these into functions a reader can hold in their head:\n{}",
        long.join("\n")
    );
}

#[test]
fn function_lengths_are_counted_in_lines_of_the_file() {
    let dir = std::env::temp_dir().join(format!("layers-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let body: String = (0..130)
        .map(|i| format!("    let _x{i} = \"{{\";\n"))
        .collect();
    let text =
        format!("fn short() {{}}\n/* a\ncomment */\nfn long() {{\n{body}}}\nfn after() {{ }}\n");
    std::fs::write(dir.join("lib.rs"), text).unwrap();
    let found = long_functions(dir.to_str().unwrap(), 120);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].ends_with(":4 long (132 lines)"), "{found:?}");
}

fn cycles_in(src: &str) -> Vec<String> {
    let g = graph(&modules(Path::new(src)));
    cycles(&g)
        .into_iter()
        .map(|scc| {
            let edges: Vec<String> = scc
                .iter()
                .flat_map(|m| {
                    g[m].iter()
                        .filter(|t| scc.contains(t))
                        .map(move |t| format!("  {m} -> {t}"))
                })
                .collect();
            format!("{}:\n{}", scc.join(", "), edges.join("\n"))
        })
        .collect()
}

fn assert_no_cycle(src: &str) {
    let found = cycles_in(src);
    assert!(
        found.is_empty(),
        "modules of {src} that import each other in a loop:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_simulation_core_has_no_import_cycle() {
    assert_no_cycle("sim/src");
}

#[test]
fn the_web_app_has_no_import_cycle() {
    assert_no_cycle("src");
}

#[test]
fn the_cycle_finder_sees_every_kind_of_path() {
    let mods: Modules = [
        ("", "mod a; mod b; mod c; mod d;"),
        ("a", "use crate::{b::{self, X}, d};"),
        (
            "b",
            "fn f() { super::c::g() } // crate::a in a comment is no edge",
        ),
        (
            "c",
            "fn g() -> crate::a::Y { todo!() } const S: &str = \"crate::d\";",
        ),
        ("d", "#[cfg(test)] mod tests { use crate::a; }"),
        ("e", "mod inner; fn h() { inner::k() }"),
        ("e::inner", "use super::super::a;"),
    ]
    .into_iter()
    .map(|(m, c)| (m.to_string(), without_tests(&code_only(c))))
    .collect();
    let g = graph(&mods);
    assert_eq!(g["a"], BTreeSet::from(["b".to_string(), "d".to_string()]));
    assert_eq!(g["b"], BTreeSet::from(["c".to_string()]));
    assert_eq!(g["c"], BTreeSet::from(["a".to_string()]));
    assert!(
        g["d"].is_empty(),
        "test modules and strings are not imports"
    );
    assert_eq!(g["e"], BTreeSet::from(["e::inner".to_string()]));
    assert_eq!(
        g["e::inner"],
        BTreeSet::from(["a".to_string()]),
        "super::super is the root"
    );
    assert_eq!(
        cycles(&g),
        vec![vec!["a".to_string(), "b".to_string(), "c".to_string()]]
    );
}

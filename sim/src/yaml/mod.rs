//! Reading YAML written by people: Kubernetes manifests, scenario files, lesson front matter.
//!
//! `load` reads all of YAML 1.2 (and JSON, which is YAML) into JSON values the way kubectl's
//! decoder does, remembering where every value and key was written. Typed objects are then read
//! from those values by the plain functions of `read` (no serde derive: it would cost a third
//! of the web app). Every error names its line and column in the file; no input panics.
pub mod emit;
pub mod load;
pub mod read;

pub use load::{documents, Document};
use serde_json::Value;
use std::fmt;

/// A problem in a file a person wrote, placed where they can find it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceError {
    /// 1-based line in the whole file (0 when the position is unknown).
    pub line: u64,
    /// 1-based column (0 when unknown).
    pub column: u64,
    pub message: String,
}

impl SourceError {
    pub fn new(line: u64, column: u64, message: impl Into<String>) -> Self {
        SourceError {
            line,
            column,
            message: message.into(),
        }
    }
}

impl fmt::Display for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}", self.message)
        } else {
            write!(
                f,
                "line {}, column {}: {}",
                self.line, self.column, self.message
            )
        }
    }
}

impl std::error::Error for SourceError {}

/// Reads `text` with a hand-written reader; each error is placed at the line and column of the value (or
/// key) it is about.
pub fn read<T>(
    text: &str,
    first_line: u64,
    reader: impl FnOnce(&Value) -> Result<T, (String, String)>,
) -> Result<T, SourceError> {
    let (value, places) = parse(text, first_line)?;
    read_placed(&value, &places, reader)
}

/// Reads a parsed value with a hand-written reader, placing each error with `places`.
pub fn read_placed<T>(
    value: &Value,
    places: &Places,
    reader: impl FnOnce(&Value) -> Result<T, (String, String)>,
) -> Result<T, SourceError> {
    reader(value).map_err(|(path, message)| {
        let (line, column) = if message.starts_with("unknown field") {
            places.find_key(&path)
        } else {
            places.find(&path)
        };
        SourceError::new(line, column, message)
    })
}

/// Reads a JSON value (a patched object, say) with a hand-written reader; errors name the
/// field's path.
pub fn read_value<T>(
    value: &Value,
    reader: impl FnOnce(&Value) -> Result<T, (String, String)>,
) -> Result<T, String> {
    reader(value).map_err(|(path, message)| {
        if path.is_empty() {
            message
        } else {
            format!("{path}: {message}")
        }
    })
}

/// Where each value was written, by its path (`spec.containers[0].image`), and where each key was.
#[derive(Debug, Default)]
pub struct Places(Vec<(String, u64, u64)>, Vec<(String, u64, u64)>);

impl Places {
    /// The place of the key of `path` (for "unknown field" errors), else of its value.
    pub fn find_key(&self, path: &str) -> (u64, u64) {
        match self.1.iter().find(|(k, _, _)| k == path) {
            Some((_, l, c)) => (*l, *c),
            None => self.find(path),
        }
    }

    /// The places inside `prefix` (`items[0]`), with paths relative to it.
    pub fn under(&self, prefix: &str) -> Places {
        let inside = |list: &[(String, u64, u64)]| {
            let mut out = Vec::new();
            for (path, line, column) in list {
                let rest = if path == prefix {
                    Some("")
                } else {
                    path.strip_prefix(prefix).and_then(|r| r.strip_prefix('.'))
                };
                if let Some(rest) = rest {
                    out.push((rest.to_string(), *line, *column));
                }
            }
            out
        };
        Places(inside(&self.0), inside(&self.1))
    }

    /// The place of `path`, or of its nearest ancestor that has one.
    pub fn find(&self, path: &str) -> (u64, u64) {
        let mut p = path;
        loop {
            if let Some((_, l, c)) = self.0.iter().find(|(k, _, _)| k == p) {
                return (*l, *c);
            }
            match p.rfind(['.', '[']) {
                Some(i) => p = &p[..i],
                None if !p.is_empty() => p = "",
                None => return self.0.first().map_or((0, 0), |(_, l, c)| (*l, *c)),
            }
        }
    }
}

/// Where a text starts in its file: its first line is the file's `line`, and each of its lines
/// is indented by `column` more columns there (the manifests inside a scenario's `manifests: |`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Origin {
    pub line: u64,
    pub column: u64,
}

impl Origin {
    /// A text that starts at the beginning of `line`.
    pub fn line(line: u64) -> Origin {
        Origin { line, column: 0 }
    }

    /// The file's 1-based line and column of a parser position.
    fn place(self, at: saphyr_parser::Marker) -> (u64, u64) {
        let line = self.line + (at.line() as u64).saturating_sub(1);
        (line, self.column + at.col() as u64 + 1)
    }
}

/// Parses a text of one YAML document (or none: `null`) into a JSON value and the places of its
/// parts; a second document is refused.
pub fn parse(text: &str, first_line: u64) -> Result<(Value, Places), SourceError> {
    let mut docs = documents(text, Origin::line(first_line))?.into_iter();
    let first = docs.next();
    if let Some(second) = docs.next() {
        return Err(SourceError::new(
            second.line,
            1,
            "a second document: this file holds one (remove the `---` above it)",
        ));
    }
    Ok(first.map_or((Value::Null, Places::default()), |d| (d.value, d.places)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn value(text: &str) -> Value {
        parse(text, 1).unwrap_or_else(|e| panic!("{text:?}: {e}")).0
    }

    #[test]
    fn reads_what_manifests_and_scenarios_use() {
        let cases: Vec<(&str, Value)> = vec![
            ("a: 1\nb: two\nc: 1.5\nd: true\ne: ~\nf:\n", json!({"a": 1, "b": "two", "c": 1.5, "d": true, "e": null, "f": null})),
            ("# comment\nkey: value # trailing\nurl: http://x:80/a#frag\n", json!({"key": "value", "url": "http://x:80/a#frag"})),
            ("list:\n- a\n- b\nnested:\n  - x: 1\n    y: 2\n  - 3\n", json!({"list": ["a", "b"], "nested": [{"x": 1, "y": 2}, 3]})),
            ("m: { app: web, track: \"v1\" }\ns: [1, 'two', [3]]\nempty: {}\n", json!({"m": {"app": "web", "track": "v1"}, "s": [1, "two", [3]], "empty": {}})),
            ("cmd: [\"/bin/sh\", \"-c\", \"sleep 5\"]\n", json!({"cmd": ["/bin/sh", "-c", "sleep 5"]})),
            ("text: |\n  line one\n    indented\n\n  three\nnext: x\n", json!({"text": "line one\n  indented\n\nthree\n", "next": "x"})),
            ("a: |-\n  keep\n  no newline\nb: >\n  folded\n  together\n\n  para\n", json!({"a": "keep\nno newline", "b": "folded together\npara\n"})),
            ("q: 'it''s'\nd: \"tab\\tand \\\"q\\\" \\u00e9\"\n'quoted key': 1\n", json!({"q": "it's", "d": "tab\tand \"q\" é", "quoted key": 1})),
            ("---\n- - a\n  - b\n- c\n", json!([["a", "b"], "c"])),
            ("percent: 25%\nneg: -3\nver: 1.2.3\ntime: 20s\nhex: 0x1F\nbig: 18446744073709551615\n", json!({"percent": "25%", "neg": -3, "ver": "1.2.3", "time": "20s", "hex": 31, "big": u64::MAX})),
            ("flow: {\n  a: 1,\n  b: [x, z]\n}\n", json!({"flow": {"a": 1, "b": ["x", "z"]}})),
            ("", Value::Null),
            ("key:\n\n\n  - spaced\n", json!({"key": ["spaced"]})),
        ];
        for (text, want) in cases {
            assert_eq!(value(text), want, "{text:?}");
        }
    }

    #[test]
    fn characters_that_are_not_yaml_white_space_never_split_a_line() {
        // Found by fuzzing: a blank-looking line of U+0085 after `|` was sliced inside the
        // character. Whatever the reader makes of these, it answers instead of panicking.
        for text in [
            "a: |\n\u{85}",
            "a: |\n  x\n\u{85}\u{85}\n",
            "a: >\n\u{2028}\n",
            "a: |\n\u{a0}b\n",
        ] {
            let _ = parse(text, 1);
            let scenario = format!(
                "seed: 1\nduration: 1s\ntraffic: {{requestsPerSecond: 1}}\nmanifests: |\n{text}"
            );
            let _ = crate::scenario::Scenario::parse(&scenario);
        }
    }

    #[test]
    fn nesting_past_the_limit_is_refused_before_it_costs_anything() {
        let block = |n: usize| {
            (0..n)
                .map(|k| format!("{}k{k}:\n", " ".repeat(k)))
                .collect::<String>()
        };
        let flow = |n: usize| format!("a: {}{}\n", "[".repeat(n), "]".repeat(n));
        let json = |n: usize| format!("{}1{}", "{\"a\": ".repeat(n), "}".repeat(n));
        let lists = |n: usize| {
            (0..n)
                .map(|k| format!("{}- \n", "  ".repeat(k)))
                .collect::<String>()
        };
        // Indented forms grow with the square of their depth, so they are tried less deep.
        type Make = fn(usize) -> String;
        let cases: [(Make, usize); 4] = [
            (block, 1_000),
            (flow, 10_000),
            (json, 10_000),
            (lists, 1_000),
        ];
        for (make, deep) in cases {
            assert!(
                parse(&make(crate::limits::NESTING - 2), 1).is_ok(),
                "{:?}",
                make(3)
            );
            let deep = make(deep);
            let err = parse(&deep, 1).unwrap_err();
            assert!(
                err.message
                    .contains("nesting is above the simulator's limit of 64 levels"),
                "{err}"
            );
            assert!(err.line > 0, "it says where: {err}");
        }
    }

    #[test]
    fn reads_yaml_as_kubectl_does() {
        let cases: Vec<(&str, Value)> = vec![
            // go-yaml v2's scalars: YAML 1.1 booleans, octal with a leading 0, underscores.
            (
                "a: [y, n, on, off, yes, No]\nmode: 0644\nb: 0b101\nu: 1_000\nf: 1e3\n",
                json!({"a": [true, false, true, false, true, false], "mode": 420, "b": 5, "u": 1000, "f": 1000.0}),
            ),
            (
                "a: &x {p: 1}\nb: *x\nc: !!str 1\n",
                json!({"a": {"p": 1}, "b": {"p": 1}, "c": "1"}),
            ),
            (
                "base: &b {x: 1, y: 2}\nc:\n  <<: *b\n  x: 3\n",
                json!({"base": {"x": 1, "y": 2}, "c": {"x": 3, "y": 2}}),
            ),
            (
                "m:\n  <<: [{a: 1}, {a: 2, b: 2}]\n",
                json!({"m": {"a": 1, "b": 2}}),
            ),
            ("- |\n  x\n- >-\n  y\n  z\n", json!(["x\n", "y z"])),
            ("\u{feff}a: 1\r\nb: 2\r\n", json!({"a": 1, "b": 2})),
            (
                "{\"kind\": \"List\",\n \"items\": [\n  {\"a\": null}\n ]\n}\n",
                json!({"kind": "List", "items": [{"a": null}]}),
            ),
            ("a: b\n  c\n\"q\": '<<'\n", json!({"a": "b c", "q": "<<"})),
        ];
        for (text, want) in cases {
            assert_eq!(value(text), want, "{text:?}");
        }
    }

    #[test]
    fn documents_are_split_where_yaml_splits_them() {
        let text = "# a comment before\n---\na: 1\n...\n---\n---\nb: |\n  ---\n---\n{c: 3}\n";
        let docs = documents(text, Origin::line(1)).unwrap();
        let found: Vec<(Value, u64)> = docs.into_iter().map(|d| (d.value, d.line)).collect();
        assert_eq!(
            found,
            vec![
                (json!({"a": 1}), 2),
                (json!({"b": "---\n"}), 6),
                (json!({"c": 3}), 9)
            ]
        );
        // Text inside a block scalar is placed in the file that holds it.
        let inner = documents(
            "a:\n  b: [1,\n",
            Origin {
                line: 10,
                column: 4,
            },
        )
        .unwrap_err();
        assert_eq!((inner.line, inner.column), (12, 5), "{inner}");
    }

    #[test]
    fn refuses_with_line_and_column() {
        let cases = [
            ("a: 1\na: 2\n", 2, 1, "key \"a\" already set in map"),
            ("a:\n\tb: 1\n", 2, 2, "tabs disallowed"),
            ("a: *x\n", 1, 4, "unknown anchor"),
            ("a: [1, 2\n", 2, 1, "expected ',' or ']'"),
            ("a: \"open\n", 1, 4, "unexpected end of stream"),
            (
                "value: hello: world\n",
                1,
                13,
                "mapping values are not allowed in this context",
            ),
            (
                "a:\n  b: 1\n    c: 2\n",
                3,
                6,
                "mapping values are not allowed",
            ),
            ("a: {x: 1} y\n", 1, 11, "did not find expected key"),
            ("? [a]\n: 1\n", 1, 3, "unsupported map key"),
            ("a: 1\n---\nb: 2\n", 2, 1, "a second document"),
        ];
        for (text, line, column, message) in cases {
            let err = parse(text, 1).unwrap_err();
            assert_eq!((err.line, err.column), (line, column), "{text:?}: {err}");
            assert!(err.message.contains(message), "{text:?}: {err}");
        }
    }

    #[test]
    fn what_a_small_file_can_expand_to_is_bounded() {
        // Each level doubles the one before: 2^30 values from a few hundred bytes.
        let mut text = String::from("l0: &l0 [x, x]\n");
        for k in 1..30 {
            text.push_str(&format!("l{k}: &l{k} [*l{}, *l{}]\n", k - 1, k - 1));
        }
        let err = parse(&text, 1).unwrap_err();
        assert!(
            err.message
                .contains("the number of values is above the simulator's limit of 200000"),
            "{err}"
        );
        let big = "a: 1\n".repeat(crate::limits::FILE_BYTES / 5 + 1);
        let err = parse(&big, 1).unwrap_err();
        assert!(err.message.contains("1024 KiB"), "{err}");
    }

    /// A reader as the object readers write them: fields, a nested list, unknown keys refused.
    fn doc(v: &Value) -> read::R<(String, u32, Option<Vec<u32>>)> {
        let o = read::Obj::new(v, "")?;
        if let Some(k) = o.unknown(&["id", "minutes", "inner"]).into_iter().next() {
            return Err((o.at(&k), format!("unknown field `{k}`")));
        }
        let inner = match o.obj("inner")? {
            Some(i) => i.scalars(
                "n",
                |v| v.as_u64().filter(|n| *n < 256).map(|n| n as u32),
                "a number below 256",
            )?,
            None => None,
        };
        Ok((
            o.required_string("id")?,
            o.uint("minutes")?.ok_or_else(|| o.missing("minutes"))?,
            inner,
        ))
    }

    #[test]
    fn type_errors_point_at_the_value() {
        let cases = [
            (
                "id: a\nminutes: x\n",
                1,
                2,
                10,
                "invalid type: string \"x\", expected a whole number",
            ),
            ("id: a\nfoo: 1\nminutes: 2", 1, 2, 1, "unknown field `foo`"),
            ("minutes: 3\n", 5, 5, 1, "missing field `id`"),
            (
                "id: a\nminutes: 1\ninner:\n  n: [1, 2, 300]\n",
                1,
                4,
                13,
                "invalid type: number `300`, expected a number below 256",
            ),
        ];
        for (text, first_line, line, column, message) in cases {
            let err = read(text, first_line, doc).unwrap_err();
            assert_eq!((err.line, err.column), (line, column), "{text:?}: {err}");
            assert!(
                err.message.starts_with(message),
                "{text:?}: {}",
                err.message
            );
        }
    }
}

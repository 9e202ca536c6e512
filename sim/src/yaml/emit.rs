//! Writing YAML the way `kubectl get -o yaml` does: block style, keys in alphabetical order,
//! strings quoted only when they would otherwise read as something else.
use serde_json::Value;

pub fn to_yaml(value: &Value) -> String {
    let mut out = String::new();
    block(value, 0, &mut out);
    out
}

fn block(value: &Value, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match value {
        Value::Object(map) if !map.is_empty() => {
            for (k, v) in map {
                let k = key(k);
                // A key over 128 characters is written as an explicit key (`? key` then `: value`),
                // as go-yaml's emitter does: an implicit key may not be that long.
                if k.chars().count() > 128 {
                    out.push_str(&format!("{pad}? {k}\n{pad}:"));
                } else {
                    out.push_str(&format!("{pad}{k}:"));
                }
                child(v, indent, true, out);
            }
        }
        Value::Array(items) if !items.is_empty() => {
            for item in items {
                out.push_str(&format!("{pad}-"));
                match item {
                    // `- key: value` (or `- - x`) with the rest aligned under the first entry.
                    Value::Object(map) if !map.is_empty() => {
                        let mut first = String::new();
                        block(item, indent + 2, &mut first);
                        out.push(' ');
                        out.push_str(first.trim_start());
                    }
                    Value::Array(inner) if !inner.is_empty() => {
                        let mut first = String::new();
                        block(item, indent + 2, &mut first);
                        out.push(' ');
                        out.push_str(first.trim_start());
                    }
                    _ => child(item, indent, false, out),
                }
            }
        }
        other => {
            out.push_str(&pad);
            out.push_str(&scalar(other));
            out.push('\n');
        }
    }
}

/// What follows `key:` or `-`: a nested block on the next lines, or a scalar on this one. Text
/// of several lines is a literal block (`|`) as a mapping's value, where manifests and scenarios
/// put it; in a list it is written quoted, with its line breaks escaped.
fn child(v: &Value, indent: usize, in_mapping: bool, out: &mut String) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            out.push('\n');
            block(v, indent + 2, out);
        }
        Value::Array(a) if !a.is_empty() => {
            out.push('\n');
            block(v, indent, out);
        }
        Value::String(s) if in_mapping && literal_ok(s) => {
            let chomp = if s.ends_with('\n') { "" } else { "-" };
            out.push_str(&format!(" |{chomp}\n"));
            for line in s.trim_end_matches('\n').split('\n') {
                if line.is_empty() {
                    out.push('\n');
                } else {
                    out.push_str(&format!("{}{line}\n", " ".repeat(indent + 2)));
                }
            }
        }
        other => {
            out.push(' ');
            out.push_str(&scalar(other));
            out.push('\n');
        }
    }
}

/// Text a literal block (`|` or `|-`) reads back as written: several lines, the first neither
/// empty nor indented (that would change the block's indentation), at most one line break at
/// the end (more would need `|+`).
fn literal_ok(s: &str) -> bool {
    s.contains('\n')
        && !s.starts_with(char::is_whitespace)
        && !s.ends_with("\n\n")
        && !s.contains('\r')
}

/// A mapping key: plain when it reads back as itself in a key's place, else quoted.
fn key(k: &str) -> String {
    let plain = scalar(&Value::String(k.to_string()));
    let reads_back = super::parse(&format!("{plain}: 0"), 1)
        .ok()
        .is_some_and(|(v, _)| {
            v.as_object()
                .is_some_and(|m| m.len() == 1 && m.contains_key(k))
        });
    if reads_back {
        plain
    } else {
        Value::String(k.to_string()).to_string()
    }
}

fn scalar(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Object(_) => "{}".into(),
        Value::Array(_) => "[]".into(),
        Value::String(s) => {
            // Plain only if reading it back gives the same string.
            let plain_ok = !s.is_empty()
                && s.trim() == s
                && !s.contains(": ")
                && !s.contains(" #")
                && !s.ends_with(':')
                && !s.starts_with([
                    '[', ']', '{', '}', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`', '#',
                    ',', '?',
                ])
                // `-c` is plain text, `- c` an item of a list.
                && !(s.starts_with('-') && s[1..].starts_with([' ', '\t']) || s == "-")
                && super::parse(&format!("k: {s}"), 1).ok().map(|(v, _)| v)
                    == Some(serde_json::json!({ "k": s }));
            if plain_ok {
                s.clone()
            } else {
                Value::String(s.clone()).to_string()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn round_trips_through_the_reader() {
        let docs = [
            json!({"apiVersion": "apps/v1", "spec": {"replicas": 3, "template": {"spec": {"containers": [{"name": "app", "image": "myapp:1", "command": ["/bin/sh", "-c", "sleep 5"]}]}}}}),
            json!({"k".repeat(1100): {"x": 1}, "y".repeat(200): [{"z".repeat(300): "w"}]}),
            json!({"a": "25%", "b": "true", "c": "10", "d": "", "e": "key: value", "f": "# not a comment", "g": null, "h": 1.5, "i": [], "j": {}, "k": "- dash", "l": "two\nlines\n", "m": [[1, 2], {"x": [true]}]}),
        ];
        for doc in docs {
            let text = to_yaml(&doc);
            let (back, _) = crate::yaml::parse(&text, 1).unwrap_or_else(|e| panic!("{e}\n{text}"));
            assert_eq!(back, doc, "\n{text}");
        }
    }

    #[test]
    fn reads_like_kubectl() {
        let text = to_yaml(
            &json!({"kind": "Deployment", "spec": {"containers": [{"name": "app", "image": "myapp:1"}], "replicas": 3}}),
        );
        assert_eq!(text, "kind: Deployment\nspec:\n  containers:\n  - image: myapp:1\n    name: app\n  replicas: 3\n");
    }
}

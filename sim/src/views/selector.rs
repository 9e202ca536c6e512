//! Label selectors as `kubectl get -l` takes them (`apimachinery/pkg/labels/selector.go`,
//! `Parse`): `app=web`, `app==web`, `tier!=db`, `env in (prod, staging)`, `env notin (dev)`,
//! `canary` (the key exists) and `!canary` (it does not), joined by commas.
use crate::api::Labels;

#[derive(Clone, Debug, PartialEq)]
enum Requirement {
    Equals(String, String),
    NotEquals(String, String),
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Exists(String),
    DoesNotExist(String),
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Selector(Vec<Requirement>);

impl Selector {
    pub fn parse(text: &str) -> Result<Selector, String> {
        let mut out = Vec::new();
        for part in split_top_level(text) {
            let part = part.trim();
            if part.is_empty() {
                continue;
            }
            out.push(requirement(part).ok_or_else(|| {
                format!("error: unable to parse requirement: found '{part}', expected: '=', '!=', '==', 'in', 'notin'")
            })?);
        }
        Ok(Selector(out))
    }

    pub fn matches(&self, labels: &Labels) -> bool {
        self.0.iter().all(|r| match r {
            Requirement::Equals(k, v) => labels.get(k) == Some(v),
            Requirement::NotEquals(k, v) => labels.get(k) != Some(v),
            Requirement::In(k, vs) => labels.get(k).is_some_and(|v| vs.contains(v)),
            Requirement::NotIn(k, vs) => labels.get(k).is_none_or(|v| !vs.contains(v)),
            Requirement::Exists(k) => labels.contains_key(k),
            Requirement::DoesNotExist(k) => !labels.contains_key(k),
        })
    }
}

/// Commas outside `( … )` separate requirements.
fn split_top_level(text: &str) -> Vec<&str> {
    let (mut parts, mut depth, mut start) = (Vec::new(), 0i32, 0);
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

fn requirement(part: &str) -> Option<Requirement> {
    let valid = |k: &str| !k.is_empty() && !k.contains(char::is_whitespace);
    if let Some((k, v)) = part.split_once("!=") {
        let (k, v) = (k.trim(), v.trim());
        return valid(k).then(|| Requirement::NotEquals(k.into(), v.into()));
    }
    if let Some((k, v)) = part.split_once("==").or_else(|| part.split_once('=')) {
        let (k, v) = (k.trim(), v.trim());
        return valid(k).then(|| Requirement::Equals(k.into(), v.into()));
    }
    for (word, notin) in [(" notin ", true), (" in ", false)] {
        if let Some((k, rest)) = part.split_once(word) {
            let list = rest.trim().strip_prefix('(')?.strip_suffix(')')?;
            let values = list.split(',').map(|v| v.trim().to_string()).collect();
            let k = k.trim().to_string();
            return valid(&k).then_some(if notin {
                Requirement::NotIn(k, values)
            } else {
                Requirement::In(k, values)
            });
        }
    }
    match part.strip_prefix('!') {
        Some(k) if valid(k.trim()) => Some(Requirement::DoesNotExist(k.trim().into())),
        None if valid(part) => Some(Requirement::Exists(part.into())),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selects_as_kubectl_does() {
        let labels: Labels = [("app", "web"), ("tier", "front"), ("env", "prod")]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let cases = [
            ("app=web", true),
            ("app==web,tier=front", true),
            ("app=api", false),
            ("tier!=db", true),
            ("env in (prod, staging)", true),
            ("env notin (prod)", false),
            ("env notin (dev),app", true),
            ("canary", false),
            ("!canary", true),
            ("!app", false),
            ("", true),
        ];
        for (text, want) in cases {
            let s = Selector::parse(text).unwrap();
            assert_eq!(s.matches(&labels), want, "{text}");
        }
        assert!(Selector::parse("app web")
            .unwrap_err()
            .contains("unable to parse requirement"));
    }
}

//! The other way round from `patch`: the patch that turns one object into another, and a line
//! diff of two texts, for a fix shown as a change to a manifest. Upstream:
//! `apimachinery/pkg/util/strategicpatch` `CreateTwoWayMergePatch` and `evanphx/json-patch`
//! `CreateMergePatch`; `patch::apply` of the result on `from` gives `to` (PA-1).
use crate::patch::{list_strategy, ListStrategy, PatchType};
use serde_json::{Map, Value};

/// The strategic merge patch (lists with a merge key patched element by element) or the JSON
/// merge patch (lists replaced whole, as a custom resource needs) from `from` to `to`.
pub fn create(from: &Value, to: &Value, type_: PatchType, kind: &str) -> Value {
    object(from, to, type_ == PatchType::Strategic, kind).unwrap_or(Value::Object(Map::new()))
}

/// The patch of one value; `None` when nothing changed.
fn value(from: &Value, to: &Value, field: &str, strategic: bool, kind: &str) -> Option<Value> {
    if from == to {
        return None;
    }
    match (from, to) {
        (Value::Object(_), Value::Object(_)) => object(from, to, strategic, kind),
        (Value::Array(a), Value::Array(b)) if strategic => match list_strategy(kind, field) {
            Some(ListStrategy::Key(key)) => keyed_list(a, b, key, kind),
            _ => Some(to.clone()),
        },
        _ => Some(to.clone()),
    }
}

fn object(from: &Value, to: &Value, strategic: bool, kind: &str) -> Option<Value> {
    let (Value::Object(a), Value::Object(b)) = (from, to) else {
        return Some(to.clone());
    };
    let mut out = Map::new();
    for (k, v) in b {
        match a.get(k) {
            Some(old) => {
                if let Some(p) = value(old, v, k, strategic, kind) {
                    out.insert(k.clone(), p);
                }
            }
            None => {
                out.insert(k.clone(), v.clone());
            }
        }
    }
    for k in a.keys().filter(|k| !b.contains_key(*k)) {
        out.insert(k.clone(), Value::Null);
    }
    (!out.is_empty()).then_some(Value::Object(out))
}

/// Elements matched by `key`: changed ones as their own patch with the key, new ones whole,
/// removed ones as `$patch: delete`.
fn keyed_list(a: &[Value], b: &[Value], key: &str, kind: &str) -> Option<Value> {
    let id = |v: &Value| v.get(key).cloned();
    let mut out = Vec::new();
    for new in b {
        match a.iter().find(|old| id(old).is_some() && id(old) == id(new)) {
            Some(old) => {
                if let Some(Value::Object(mut p)) = value(old, new, "", true, kind) {
                    if let Some(k) = id(new) {
                        p.insert(key.to_string(), k);
                    }
                    out.push(Value::Object(p));
                }
            }
            None => out.push(new.clone()),
        }
    }
    for old in a
        .iter()
        .filter(|old| !b.iter().any(|new| id(new) == id(old)))
    {
        let mut gone = Map::new();
        if let Some(k) = id(old) {
            gone.insert(key.to_string(), k);
        }
        gone.insert("$patch".into(), "delete".into());
        out.push(Value::Object(gone));
    }
    (!out.is_empty()).then_some(Value::Array(out))
}

/// A unified diff of two texts (three lines of context), `diff -u` style.
pub fn lines(from: &str, to: &str, from_name: &str, to_name: &str) -> String {
    let a: Vec<&str> = from.lines().collect();
    let b: Vec<&str> = to.lines().collect();
    // The longest common subsequence, by suffix lengths: small manifests, so n×m is fine.
    let mut lcs = vec![vec![0u32; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    // Each line: (' ' | '-' | '+', text, line in a, line in b).
    let mut ops = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            ops.push((' ', a[i], i, j));
            i += 1;
            j += 1;
        } else if j < b.len() && (i == a.len() || lcs[i][j + 1] > lcs[i + 1][j]) {
            ops.push(('+', b[j], i, j));
            j += 1;
        } else {
            ops.push(('-', a[i], i, j));
            i += 1;
        }
    }
    let mut out = format!("--- {from_name}\n+++ {to_name}\n");
    let changed: Vec<usize> = (0..ops.len()).filter(|&k| ops[k].0 != ' ').collect();
    let mut k = 0;
    while k < changed.len() {
        let start = changed[k].saturating_sub(3);
        let mut end = changed[k];
        while k < changed.len() && changed[k] <= end + 6 {
            end = changed[k];
            k += 1;
        }
        let end = (end + 3).min(ops.len() - 1);
        let hunk = &ops[start..=end];
        let count = |c: char| hunk.iter().filter(|o| o.0 == ' ' || o.0 == c).count();
        out += &format!(
            "@@ -{},{} +{},{} @@\n",
            hunk[0].2 + 1,
            count('-'),
            hunk[0].3 + 1,
            count('+')
        );
        for (c, text, _, _) in hunk {
            out += &format!("{c}{text}\n");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::patch::apply;
    use serde_json::json;

    fn deployment() -> Value {
        json!({"spec": {"replicas": 3, "template": {"spec": {
        "terminationGracePeriodSeconds": 30,
        "containers": [
            {"name": "app", "image": "web:1", "ports": [{"containerPort": 8080}]},
            {"name": "log", "image": "fluent:1"}
        ]}}}})
    }

    #[test]
    fn a_strategic_patch_names_only_the_changed_container_and_applies_back() {
        let from = deployment();
        let mut to = from.clone();
        to["spec"]["template"]["spec"]["containers"][0]["lifecycle"] =
            json!({"preStop": {"sleep": {"seconds": 5}}});
        to["spec"]["template"]["spec"]["terminationGracePeriodSeconds"] = json!(40);
        let p = create(&from, &to, PatchType::Strategic, "Deployment");
        assert_eq!(
            p,
            json!({"spec": {"template": {"spec": {"terminationGracePeriodSeconds": 40,
                "containers": [{"name": "app", "lifecycle": {"preStop": {"sleep": {"seconds": 5}}}}]}}}})
        );
        let mut applied = from.clone();
        apply(&mut applied, &p, PatchType::Strategic, "Deployment").unwrap();
        assert_eq!(applied, to);
    }

    #[test]
    fn a_merge_patch_replaces_lists_and_removes_with_null() {
        let from = deployment();
        let mut to = from.clone();
        to["spec"]["template"]["spec"]["containers"][1]["image"] = json!("fluent:2");
        to["spec"]["template"]["spec"]
            .as_object_mut()
            .unwrap()
            .remove("terminationGracePeriodSeconds");
        let p = create(&from, &to, PatchType::Merge, "Rollout");
        assert_eq!(
            p["spec"]["template"]["spec"]["terminationGracePeriodSeconds"],
            Value::Null
        );
        assert_eq!(
            p["spec"]["template"]["spec"]["containers"],
            to["spec"]["template"]["spec"]["containers"]
        );
        let mut applied = from.clone();
        apply(&mut applied, &p, PatchType::Merge, "Rollout").unwrap();
        assert_eq!(applied, to);
        assert_eq!(create(&from, &from, PatchType::Merge, "Rollout"), json!({}));
    }

    #[test]
    fn a_removed_container_is_deleted_by_its_key() {
        let from = deployment();
        let mut to = from.clone();
        to["spec"]["template"]["spec"]["containers"]
            .as_array_mut()
            .unwrap()
            .pop();
        let p = create(&from, &to, PatchType::Strategic, "Deployment");
        let mut applied = from.clone();
        apply(&mut applied, &p, PatchType::Strategic, "Deployment").unwrap();
        assert_eq!(applied, to);
    }

    #[test]
    fn the_line_diff_shows_changes_with_context() {
        let a = "a\nb\nc\nd\ne\nf\ng\nh\n";
        let b = "a\nb\nc\nd\nE\nf\ng\nh\ni\n";
        let d = lines(a, b, "a/x", "b/x");
        assert_eq!(
            d,
            "--- a/x\n+++ b/x\n@@ -2,7 +2,8 @@\n b\n c\n d\n-e\n+E\n f\n g\n h\n+i\n"
        );
        assert_eq!(lines(a, a, "a", "b"), "--- a\n+++ b\n");
    }
}

//! `kubectl patch`'s three patch types, applied to an object's JSON as the API server applies
//! them: strategic merge (the default, for built-in kinds), JSON merge (RFC 7386) and JSON patch
//! (RFC 6902).
//!
//! Strategic merge is what keeps `kubectl patch deployment web -p
//! '{"spec":{"template":{"spec":{"containers":[{"name":"app","image":"web:2"}]}}}}'` from
//! dropping the container's probes and preStop hook: lists that carry a merge key in the API's
//! Go types (`patchStrategy:"merge" patchMergeKey:"name"`) are merged element by element
//! instead of replaced. Upstream: `apimachinery/pkg/util/strategicpatch/patch.go`; the merge keys
//! are those of `k8s.io/api/core/v1/types.go` and `apps/v1/types.go` (PA-1).
use serde_json::{Map, Value};

/// `--type`: how the patch is read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PatchType {
    #[default]
    Strategic,
    Merge,
    Json,
}

impl PatchType {
    pub fn parse(word: &str) -> Result<PatchType, String> {
        match word {
            "strategic" => Ok(PatchType::Strategic),
            "merge" => Ok(PatchType::Merge),
            "json" => Ok(PatchType::Json),
            other => Err(format!(
                "--type must be one of [json merge strategic], not {other:?}"
            )),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            PatchType::Strategic => "strategic",
            PatchType::Merge => "merge",
            PatchType::Json => "json",
        }
    }
}

/// Applies `patch` of type `type_` to `target`, an object of the built-in kind `kind`
/// (`Deployment`, `Service`: the merge keys of Service ports differ from a container's).
pub fn apply(
    target: &mut Value,
    patch: &Value,
    type_: PatchType,
    kind: &str,
) -> Result<(), String> {
    match type_ {
        PatchType::Merge => {
            merge_patch(target, patch);
            Ok(())
        }
        PatchType::Strategic => strategic(target, patch, kind),
        PatchType::Json => json_patch(target, patch),
    }
}

/// RFC 7386 JSON merge patch: objects merge key by key, `null` removes, anything else replaces.
pub fn merge_patch(target: &mut Value, patch: &Value) {
    match patch {
        Value::Object(fields) => {
            if !target.is_object() {
                *target = Value::Object(Map::new());
            }
            if let Value::Object(obj) = target {
                for (k, v) in fields {
                    if v.is_null() {
                        obj.remove(k);
                    } else {
                        merge_patch(obj.entry(k.clone()).or_insert(Value::Null), v);
                    }
                }
            }
        }
        other => *target = other.clone(),
    }
}

/// How a list field is patched: by default it is replaced; these are merged.
pub(crate) enum ListStrategy {
    /// Elements are objects matched by this key.
    Key(&'static str),
    /// Elements are scalars, merged as a set (`finalizers`).
    Set,
}

/// The merge strategy of the list `field` in an object of `kind`, from the API's Go types.
pub(crate) fn list_strategy(kind: &str, field: &str) -> Option<ListStrategy> {
    Some(ListStrategy::Key(match field {
        "containers"
        | "initContainers"
        | "ephemeralContainers"
        | "volumes"
        | "env"
        | "imagePullSecrets"
        | "resourceClaims"
        | "schedulingGates" => "name",
        "ports" if kind == "Service" => "port",
        "ports" => "containerPort",
        "volumeMounts" => "mountPath",
        "volumeDevices" => "devicePath",
        "hostAliases" => "ip",
        "topologySpreadConstraints" => "topologyKey",
        "ownerReferences" => "uid",
        "conditions" => "type",
        "finalizers" => return Some(ListStrategy::Set),
        _ => return None,
    }))
}

const DIRECTIVE: &str = "$patch";
const RETAIN_KEYS: &str = "$retainKeys";
const DELETE_FROM: &str = "$deleteFromPrimitiveList/";
const ORDER: &str = "$setElementOrder/";

fn strategic(target: &mut Value, patch: &Value, kind: &str) -> Result<(), String> {
    match (target, patch) {
        (Value::Object(original), Value::Object(p)) => merge_map(original, p, kind),
        (_, Value::Object(_)) => Err("the object to patch is not a map".into()),
        _ => Err(format!("a strategic merge patch is a map, like '{{\"spec\": {{\"replicas\": 3}}}}', not {patch}")),
    }
}

/// A map patched by a map: `$patch: replace` replaces it, `null` removes a key, lists merge by
/// their strategy, `$retainKeys` drops what it does not name.
fn merge_map(
    original: &mut Map<String, Value>,
    patch: &Map<String, Value>,
    kind: &str,
) -> Result<(), String> {
    match patch.get(DIRECTIVE).and_then(Value::as_str) {
        Some("replace") => {
            *original = without_directives(patch);
            return Ok(());
        }
        Some("delete") => {
            original.clear();
            return Ok(());
        }
        Some("merge") | None => {}
        Some(other) => {
            return Err(format!(
                "unknown patch type: {other} in map: {}",
                Value::Object(patch.clone())
            ))
        }
    }
    for (key, value) in patch {
        if let Some(field) = key.strip_prefix(DELETE_FROM) {
            if let (Some(Value::Array(list)), Some(gone)) =
                (original.get_mut(field), value.as_array())
            {
                list.retain(|v| !gone.contains(v));
            }
            continue;
        }
        if key.starts_with('$') {
            continue;
        }
        match value {
            Value::Null => {
                original.remove(key);
            }
            Value::Object(inner) => {
                if inner.get(DIRECTIVE).and_then(Value::as_str) == Some("delete") {
                    original.remove(key);
                    continue;
                }
                let slot = original
                    .entry(key.clone())
                    .or_insert_with(|| Value::Object(Map::new()));
                if !slot.is_object() {
                    *slot = Value::Object(Map::new());
                }
                if let Value::Object(m) = slot {
                    merge_map(m, inner, kind)?;
                }
            }
            Value::Array(items) => {
                let order = patch
                    .get(&format!("{ORDER}{key}"))
                    .and_then(Value::as_array);
                let merged = match (list_strategy(kind, key), original.get(key)) {
                    (Some(strategy), Some(Value::Array(current))) => {
                        merge_list(current, items, &strategy, kind, order.map(Vec::as_slice))?
                    }
                    (Some(strategy), _) => {
                        merge_list(&[], items, &strategy, kind, order.map(Vec::as_slice))?
                    }
                    (None, _) => items.clone(),
                };
                original.insert(key.clone(), Value::Array(merged));
            }
            other => {
                original.insert(key.clone(), other.clone());
            }
        }
    }
    // An order for a list the patch does not change reorders what is there.
    for (key, order) in patch {
        let Some(field) = key.strip_prefix(ORDER) else {
            continue;
        };
        if let (Some(order), Some(strategy), false) = (
            order.as_array(),
            list_strategy(kind, field),
            patch.contains_key(field),
        ) {
            if let Some(Value::Array(list)) = original.get_mut(field) {
                let current = list.clone();
                let order: Vec<&Value> = order.iter().collect();
                *list = in_patch_order(std::mem::take(list), &order, &current, &strategy);
            }
        }
    }
    if let Some(Value::Array(keep)) = patch.get(RETAIN_KEYS) {
        original.retain(|k, _| keep.iter().any(|r| r.as_str() == Some(k)));
    }
    Ok(())
}

fn without_directives(patch: &Map<String, Value>) -> Map<String, Value> {
    let mut out = Map::new();
    for (k, v) in patch {
        if !k.starts_with('$') {
            out.insert(k.clone(), v.clone());
        }
    }
    out
}

/// A list with a merge strategy patched by a list (`mergeSlice`): elements with the same merge
/// key merge, new ones are added, `$patch: delete` removes every element with that key, and a
/// `{"$patch": "replace"}` element replaces the whole list with the patch's other elements.
/// Scalar lists merge as sets. The result is ordered as upstream orders it: the patch's elements
/// in the patch's order (or `$setElementOrder`'s), the others where they were.
fn merge_list(
    current: &[Value],
    patch: &[Value],
    strategy: &ListStrategy,
    kind: &str,
    order: Option<&[Value]>,
) -> Result<Vec<Value>, String> {
    let directive = |v: &Value| v.get(DIRECTIVE).and_then(Value::as_str).map(str::to_string);
    let replace = patch
        .iter()
        .any(|p| directive(p).as_deref() == Some("replace"));
    let elements: Vec<&Value> = patch
        .iter()
        .filter(|p| directive(p).as_deref() != Some("replace"))
        .collect();
    let clean = |v: &Value| match v.as_object() {
        Some(m) => Value::Object(without_directives(m)),
        None => v.clone(),
    };
    let merged = match strategy {
        ListStrategy::Set => {
            let mut out = if replace {
                Vec::new()
            } else {
                current.to_vec()
            };
            for item in &elements {
                if !out.contains(item) {
                    out.push((*item).clone());
                }
            }
            out
        }
        ListStrategy::Key(key) => {
            for item in &elements {
                if item.get(*key).is_none() {
                    return Err(format!(
                        "map: {item} does not contain declared merge key: {key}"
                    ));
                }
            }
            if replace {
                return Ok(elements.iter().map(|e| clean(e)).collect());
            }
            let mut out = current.to_vec();
            for item in &elements {
                let id = item.get(*key);
                if directive(item).as_deref() == Some("delete") {
                    out.retain(|o| o.get(*key) != id);
                } else if let Some(i) = out.iter().position(|o| o.get(*key) == id) {
                    strategic(&mut out[i], item, kind)?;
                } else {
                    out.push(clean(item));
                }
            }
            out
        }
    };
    let order: Vec<&Value> = order.map_or(elements, |o| o.iter().collect());
    Ok(in_patch_order(merged, &order, current, strategy))
}

/// `normalizeElementOrder`: the elements the patch (or `$setElementOrder`) names, in its order,
/// interleaved with the others, which keep the order they had in `current`.
fn in_patch_order(
    merged: Vec<Value>,
    order: &[&Value],
    current: &[Value],
    strategy: &ListStrategy,
) -> Vec<Value> {
    let same = |a: &Value, b: &Value| match strategy {
        ListStrategy::Key(k) => a.get(*k).is_some() && a.get(*k) == b.get(*k),
        ListStrategy::Set => a == b,
    };
    let rank = |v: &Value| order.iter().position(|o| same(o, v));
    let (mut named, server_only): (Vec<Value>, Vec<Value>) =
        merged.into_iter().partition(|v| rank(v).is_some());
    crate::order::sort_by_key(&mut named, |v| rank(v));
    let was = |v: &Value| current.iter().position(|c| same(c, v));
    // `mergeSortedSlice`: a server-only element goes first when both were in `current` and it
    // came before.
    let mut out = Vec::with_capacity(named.len() + server_only.len());
    let (mut left, mut right) = (
        server_only.into_iter().peekable(),
        named.into_iter().peekable(),
    );
    loop {
        let take_left = match (left.peek(), right.peek()) {
            (Some(l), Some(r)) => matches!((was(l), was(r)), (Some(a), Some(b)) if a < b),
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => break,
        };
        out.extend(if take_left { left.next() } else { right.next() });
    }
    out
}

/// RFC 6902 JSON patch: a list of operations applied in turn; any failure leaves the object as
/// it was (the caller patches a copy).
fn json_patch(target: &mut Value, patch: &Value) -> Result<(), String> {
    let Some(ops) = patch.as_array() else {
        return Err("a json patch is a list of operations, like '[{\"op\": \"replace\", \"path\": \"/spec/replicas\", \"value\": 3}]'".into());
    };
    for op in ops {
        let field = |name: &str| {
            op.get(name)
                .and_then(Value::as_str)
                .ok_or_else(|| format!("operation {op} has no {name:?}"))
        };
        let path = pointer(field("path")?)?;
        let value = || {
            op.get("value")
                .cloned()
                .ok_or_else(|| format!("operation {op} has no \"value\""))
        };
        match field("op")? {
            "add" => add(target, &path, value()?, "add")?,
            "replace" => {
                remove(target, &path, "replace")?;
                add(target, &path, value()?, "replace")?;
            }
            "remove" => {
                remove(target, &path, "remove")?;
            }
            "move" => {
                let from = pointer(field("from")?)?;
                let moved = remove(target, &from, "move")?;
                add(target, &path, moved, "move")?;
            }
            "copy" => {
                let from = pointer(field("from")?)?;
                let copied = get(target, &from)
                    .cloned()
                    .ok_or_else(|| missing("copy", &from))?;
                add(target, &path, copied, "copy")?;
            }
            "test" => {
                if get(target, &path) != Some(&value()?) {
                    return Err(format!("testing value {} failed: test failed", show(&path)));
                }
            }
            other => return Err(format!("Unexpected kind: {other}")),
        }
    }
    Ok(())
}

/// A JSON pointer (RFC 6901): `/spec/template/metadata/labels/app~1name`.
fn pointer(text: &str) -> Result<Vec<String>, String> {
    if text.is_empty() {
        return Ok(Vec::new());
    }
    let Some(rest) = text.strip_prefix('/') else {
        return Err(format!(
            "JSON pointer must be empty or start with a \"/\": {text:?}"
        ));
    };
    Ok(rest
        .split('/')
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect())
}

fn show(path: &[String]) -> String {
    path.iter()
        .map(|p| format!("/{}", p.replace('~', "~0").replace('/', "~1")))
        .collect()
}

fn missing(op: &str, path: &[String]) -> String {
    format!(
        "{op} operation does not apply: doc is missing path: {:?}",
        show(path)
    )
}

fn index(list: &[Value], word: &str, append_ok: bool) -> Option<usize> {
    if append_ok && word == "-" {
        return Some(list.len());
    }
    let i: usize = word
        .parse()
        .ok()
        .filter(|_| !word.starts_with('+') && (word == "0" || !word.starts_with('0')))?;
    (i < list.len() + usize::from(append_ok)).then_some(i)
}

fn get<'a>(target: &'a Value, path: &[String]) -> Option<&'a Value> {
    path.iter().try_fold(target, |v, word| match v {
        Value::Object(m) => m.get(word),
        Value::Array(a) => index(a, word, false).map(|i| &a[i]),
        _ => None,
    })
}

fn parent<'a>(
    target: &'a mut Value,
    path: &[String],
    op: &str,
) -> Result<(&'a mut Value, String), String> {
    let Some((last, up)) = path.split_last() else {
        return Err(format!(
            "{op} operation does not apply: the whole document cannot be the target"
        ));
    };
    let mut v = target;
    for word in up {
        v = match v {
            Value::Object(m) => m.get_mut(word),
            Value::Array(a) => match index(a, word, false) {
                Some(i) => a.get_mut(i),
                None => None,
            },
            _ => None,
        }
        .ok_or_else(|| missing(op, path))?;
    }
    Ok((v, last.clone()))
}

fn add(target: &mut Value, path: &[String], value: Value, op: &str) -> Result<(), String> {
    if path.is_empty() {
        *target = value;
        return Ok(());
    }
    let (up, last) = parent(target, path, op)?;
    match up {
        Value::Object(m) => {
            m.insert(last, value);
        }
        Value::Array(a) => {
            let i = index(a, &last, true).ok_or_else(|| missing(op, path))?;
            a.insert(i, value);
        }
        _ => return Err(missing(op, path)),
    }
    Ok(())
}

fn remove(target: &mut Value, path: &[String], op: &str) -> Result<Value, String> {
    let (up, last) = parent(target, path, op)?;
    let gone = match up {
        Value::Object(m) => m.remove(&last),
        Value::Array(a) => index(a, &last, false).map(|i| a.remove(i)),
        _ => None,
    };
    gone.ok_or_else(|| {
        format!(
            "{op} operation does not apply: doc is missing key: {}",
            show(path)
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn patched(
        kind: &str,
        mut doc: Value,
        patch: Value,
        type_: PatchType,
    ) -> Result<Value, String> {
        apply(&mut doc, &patch, type_, kind).map(|()| doc)
    }

    /// A pod template as a Deployment holds it, the fields the cases patch.
    fn pod() -> Value {
        json!({"metadata": {"finalizers": ["a", "b"]}, "spec": {
            "containers": [
                {"name": "app", "image": "web:1", "readinessProbe": {"httpGet": {"path": "/ready", "port": 8080}},
                 "lifecycle": {"preStop": {"sleep": {"seconds": 5}}},
                 "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}],
                 "ports": [{"containerPort": 8080, "protocol": "TCP"}]},
                {"name": "proxy", "image": "envoy:1"}
            ],
            "tolerations": [{"key": "x", "operator": "Exists"}]
        }})
    }

    #[test]
    fn strategic_merge_follows_the_merge_keys_of_pod_fields() {
        // The shapes of apimachinery's strategicpatch cases, on the Pod fields that have them.
        let cases = [
            // A changed image keeps every other field of its container and the other container.
            (
                json!({"spec": {"containers": [{"name": "app", "image": "web:2"}]}}),
                json!({"spec": {"containers": [
                 {"name": "app", "image": "web:2", "readinessProbe": {"httpGet": {"path": "/ready", "port": 8080}},
                  "lifecycle": {"preStop": {"sleep": {"seconds": 5}}},
                  "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}],
                  "ports": [{"containerPort": 8080, "protocol": "TCP"}]},
                 {"name": "proxy", "image": "envoy:1"}]}}),
            ),
            // A new container is added; env merges by name, ports by containerPort. What the
            // patch names comes in its order, ahead of what it does not name unless both were
            // there before (so the new container and port come first, as kubernetes.io's
            // "Update API Objects in Place" shows).
            (
                json!({"spec": {"containers": [{"name": "app", "env": [{"name": "B", "value": "3"}, {"name": "C", "value": "4"}], "ports": [{"containerPort": 9090}]}, {"name": "log", "image": "fluent:1"}]}}),
                json!({"spec": {"containers": [
                 {"name": "app", "image": "web:1", "readinessProbe": {"httpGet": {"path": "/ready", "port": 8080}},
                  "lifecycle": {"preStop": {"sleep": {"seconds": 5}}},
                  "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "3"}, {"name": "C", "value": "4"}],
                  "ports": [{"containerPort": 9090}, {"containerPort": 8080, "protocol": "TCP"}]},
                 {"name": "log", "image": "fluent:1"},
                 {"name": "proxy", "image": "envoy:1"}]}}),
            ),
            // `$patch: delete` removes the element with that key; `null` removes a field.
            (
                json!({"spec": {"containers": [{"name": "proxy", "$patch": "delete"}, {"name": "app", "lifecycle": null}]}}),
                json!({"spec": {"containers": [
                 {"name": "app", "image": "web:1", "readinessProbe": {"httpGet": {"path": "/ready", "port": 8080}},
                  "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}],
                  "ports": [{"containerPort": 8080, "protocol": "TCP"}]}]}}),
            ),
            // A `$patch: replace` element replaces the whole list.
            (
                json!({"spec": {"containers": [{"name": "only", "image": "x:1"}, {"$patch": "replace"}]}}),
                json!({"spec": {"containers": [{"name": "only", "image": "x:1"}]}}),
            ),
            // A list without a merge key (tolerations) is replaced.
            (
                json!({"spec": {"tolerations": [{"key": "y", "operator": "Exists"}]}}),
                json!({"spec": {"tolerations": [{"key": "y", "operator": "Exists"}]}}),
            ),
            // `$patch: replace` in a map replaces the map; `$patch: delete` removes it.
            (
                json!({"spec": {"containers": [{"name": "app", "readinessProbe": {"$patch": "replace", "tcpSocket": {"port": 8080}}, "lifecycle": {"$patch": "delete"}}]}}),
                json!({"spec": {"containers": [
                 {"name": "app", "image": "web:1", "readinessProbe": {"tcpSocket": {"port": 8080}},
                  "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}],
                  "ports": [{"containerPort": 8080, "protocol": "TCP"}]},
                 {"name": "proxy", "image": "envoy:1"}]}}),
            ),
        ];
        for (patch, want) in cases {
            let got = patched("Deployment", pod(), patch.clone(), PatchType::Strategic).unwrap();
            // Each case changes one field of the spec; everything else is as it was.
            let (field, want) = want["spec"].as_object().unwrap().iter().next().unwrap();
            let mut expected = pod();
            expected["spec"][field] = want.clone();
            assert_eq!(got, expected, "{patch}");
        }
    }

    #[test]
    fn merged_lists_keep_upstreams_order() {
        let base = json!({"metadata": {"finalizers": ["1", "2", "3"]}, "spec": {"containers": [{"name": "1"}, {"name": "2", "image": "b"}, {"name": "3"}]}});
        let cases = [
            // The patch's order wins for what it names; the rest keep their place.
            (
                json!({"spec": {"containers": [{"name": "3", "image": "c"}, {"name": "1", "image": "a"}, {"name": "2", "args": ["x"]}]}}),
                json!([{"name": "3", "image": "c"}, {"name": "1", "image": "a"}, {"name": "2", "image": "b", "args": ["x"]}]),
            ),
            (
                json!({"spec": {"containers": [{"name": "3", "image": "c"}, {"name": "1", "image": "a"}]}}),
                json!([{"name": "2", "image": "b"}, {"name": "3", "image": "c"}, {"name": "1", "image": "a"}]),
            ),
            (
                json!({"$setElementOrder/containers": [{"name": "3"}, {"name": "2"}, {"name": "1"}], "containers": [{"name": "2", "image": "B"}]}),
                json!([{"name": "3"}, {"name": "2", "image": "B"}, {"name": "1"}]),
            ),
        ];
        for (patch, want) in cases {
            let patch = if patch.get("spec").is_some() {
                patch
            } else {
                json!({"spec": patch})
            };
            let got = patched(
                "Deployment",
                base.clone(),
                patch.clone(),
                PatchType::Strategic,
            )
            .unwrap();
            assert_eq!(got["spec"]["containers"], want, "{patch}");
        }
        // Scalar lists with a merge strategy are sets: unique, in the patch's order.
        let got = patched(
            "Deployment",
            base.clone(),
            json!({"metadata": {"finalizers": ["3", "1", "4"]}}),
            PatchType::Strategic,
        )
        .unwrap();
        assert_eq!(got["metadata"]["finalizers"], json!(["2", "3", "1", "4"]));
        let got = patched(
            "Deployment",
            base,
            json!({"metadata": {"$deleteFromPrimitiveList/finalizers": ["2"]}}),
            PatchType::Strategic,
        )
        .unwrap();
        assert_eq!(got["metadata"]["finalizers"], json!(["1", "3"]));
    }

    #[test]
    fn strategic_merge_refuses_what_upstream_refuses() {
        let cases = [
            (
                json!({"spec": {"containers": [{"image": "web:2"}]}}),
                "does not contain declared merge key: name",
            ),
            (
                json!([{"op": "replace"}]),
                "a strategic merge patch is a map",
            ),
            (
                json!({"spec": {"$patch": "explode"}}),
                "unknown patch type: explode",
            ),
        ];
        for (patch, want) in cases {
            let err =
                patched("Deployment", pod(), patch.clone(), PatchType::Strategic).unwrap_err();
            assert!(err.contains(want), "{patch}: {err}");
        }
        // Service ports merge by `port`, not `containerPort`.
        let svc = json!({"spec": {"ports": [{"port": 80, "targetPort": 8080}, {"port": 443, "targetPort": 8443}]}});
        let got = patched(
            "Service",
            svc,
            json!({"spec": {"ports": [{"port": 80, "targetPort": 9090}]}}),
            PatchType::Strategic,
        )
        .unwrap();
        assert_eq!(
            got["spec"]["ports"],
            json!([{"port": 80, "targetPort": 9090}, {"port": 443, "targetPort": 8443}])
        );
    }

    #[test]
    fn merge_patch_replaces_lists_and_removes_nulls() {
        // RFC 7386's own examples, in the shape of a Deployment.
        let got = patched("Deployment", pod(), json!({"spec": {"containers": [{"name": "app", "image": "web:2"}], "tolerations": null}}), PatchType::Merge).unwrap();
        assert_eq!(
            got,
            json!({"metadata": {"finalizers": ["a", "b"]}, "spec": {"containers": [{"name": "app", "image": "web:2"}]}})
        );
    }

    #[test]
    fn json_patch_applies_each_operation_in_turn() {
        let ok = [
            (
                json!([{"op": "replace", "path": "/spec/containers/0/image", "value": "web:2"}]),
                "/spec/containers/0/image",
                json!("web:2"),
            ),
            (
                json!([{"op": "add", "path": "/spec/containers/-", "value": {"name": "log"}}]),
                "/spec/containers/2/name",
                json!("log"),
            ),
            (
                json!([{"op": "add", "path": "/spec/containers/0/env/0", "value": {"name": "Z"}}]),
                "/spec/containers/0/env/0/name",
                json!("Z"),
            ),
            (
                json!([{"op": "remove", "path": "/spec/containers/0/lifecycle"}]),
                "/spec/containers/0/lifecycle",
                Value::Null,
            ),
            (
                json!([{"op": "test", "path": "/spec/containers/1/image", "value": "envoy:1"}, {"op": "copy", "from": "/spec/containers/1/image", "path": "/spec/containers/0/image"}]),
                "/spec/containers/0/image",
                json!("envoy:1"),
            ),
            (
                json!([{"op": "move", "from": "/metadata/finalizers", "path": "/metadata/kept"}]),
                "/metadata/kept/1",
                json!("b"),
            ),
            (
                json!([{"op": "add", "path": "/metadata/labels", "value": {"app.kubernetes.io/name": "web"}}, {"op": "replace", "path": "/metadata/labels/app.kubernetes.io~1name", "value": "api"}]),
                "/metadata/labels/app.kubernetes.io~1name",
                json!("api"),
            ),
        ];
        for (patch, at, want) in ok {
            let got = patched("Deployment", pod(), patch.clone(), PatchType::Json).unwrap();
            assert_eq!(
                got.pointer(at).cloned().unwrap_or(Value::Null),
                want,
                "{patch}"
            );
        }
        let refused = [
            (
                json!([{"op": "replace", "path": "/spec/nothing", "value": 1}]),
                "replace operation does not apply: doc is missing key: /spec/nothing",
            ),
            (
                json!([{"op": "add", "path": "/spec/a/b", "value": 1}]),
                "add operation does not apply: doc is missing path",
            ),
            (
                json!([{"op": "test", "path": "/spec/containers/0/image", "value": "web:9"}]),
                "testing value /spec/containers/0/image failed",
            ),
            (
                json!([{"op": "add", "path": "/spec/containers/7", "value": {}}]),
                "doc is missing path",
            ),
            (json!({"op": "add"}), "a json patch is a list of operations"),
            (
                json!([{"op": "frob", "path": "/spec"}]),
                "Unexpected kind: frob",
            ),
        ];
        for (patch, want) in refused {
            let err = patched("Deployment", pod(), patch.clone(), PatchType::Json).unwrap_err();
            assert!(err.contains(want), "{patch}: {err}");
        }
    }
}

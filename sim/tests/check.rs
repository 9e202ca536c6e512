//! `rollout-sim check` as a CI job runs it: exit codes, the JSON report's shape, and `--suggest`
//! output that `kubectl patch` applies (strategic merge for a Deployment, JSON merge for a
//! Rollout) into manifests whose deploy fails nothing. The manifests are in `tests/check/`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use rollout_sim::patch::{apply, PatchType};
use rollout_sim::yaml::{documents, emit, Origin};
use serde_json::Value;
use std::process::{Command, Output};

fn file(name: &str) -> String {
    format!("{}/tests/check/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn check(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rollout-sim"))
        .arg("check")
        .args(args)
        .output()
        .unwrap()
}

/// The strings at `key` of each element of the array `v[list]`.
fn strings<'a>(v: &'a Value, list: &str, key: &str) -> Vec<&'a str> {
    v[list]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f[key].as_str().unwrap())
        .collect()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn json(args: &[&str]) -> (i32, Value) {
    let o = check(&[args, &["--json"]].concat());
    (
        o.status.code().unwrap(),
        serde_json::from_str(&stdout(&o)).unwrap(),
    )
}

#[test]
fn a_deploy_that_fails_requests_exits_1_and_says_why() {
    let o = check(&[&file("shop-web.yaml")]);
    assert_eq!(o.status.code(), Some(1));
    let text = stdout(&o);
    assert!(text.starts_with("Checked deployment/web: registry.example.com/shop/web:1.8.2 → registry.example.com/shop/web:1.8.3"), "{text}");
    assert!(text.contains("No readiness probe: each new pod counted as ready when its container started, 5 s before the app listened"), "{text}");
    assert!(text.contains("No preStop: "), "{text}");
    assert!(text.contains("fail in the 1 s the proxies lag"), "{text}");
    assert!(text.contains("Not modelled:"), "{text}");
    assert!(
        text.contains("Requests per second: 100 (assumed:"),
        "{text}"
    );
}

#[test]
fn the_json_report_has_every_part_and_its_counts_agree() {
    let (code, r) = json(&[&file("shop-web.yaml"), "--rps", "200"]);
    assert_eq!(code, 1);
    assert_eq!(r["ok"], false);
    assert_eq!(r["target"]["object"], "deployment/web");
    assert_eq!(r["target"]["to"], "registry.example.com/shop/web:1.8.3");
    assert_eq!(r["end"]["completed"], true);
    let by_cause = r["failed_by_cause"].as_object().unwrap();
    assert_eq!(by_cause.len(), rollout_sim::traffic::Why::COUNT);
    let total: u64 = by_cause.values().map(|v| v.as_u64().unwrap()).sum();
    assert_eq!(total, r["figures"]["failed"].as_u64().unwrap());
    assert!(by_cause["not_listening"].as_u64().unwrap() > 0);
    assert!(by_cause["after_sigterm"].as_u64().unwrap() > 0);
    let groups = r["groups"].as_array().unwrap();
    let in_groups: u64 = groups.iter().map(|g| g["count"].as_u64().unwrap()).sum();
    assert_eq!(in_groups, total);
    assert!(groups
        .iter()
        .all(|g| g["example"].as_str().is_some_and(|e| e.starts_with("sent"))));
    for f in r["findings"].as_array().unwrap() {
        assert!(f["lesson"].as_str().is_some_and(|l| !l.is_empty()));
        assert!(f["at_s"].as_f64().unwrap() >= 10.0);
    }
    assert_eq!(r["figures"]["replicas"], 4);
    assert!(
        r["figures"]["sent"].as_u64().unwrap() > 600,
        "200 requests/s for the seconds it takes"
    );
    let rps = r["assumptions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["label"] == "Requests per second")
        .cloned()
        .unwrap();
    assert_eq!(
        (rps["value"].as_str(), rps["assumed"].as_bool()),
        (Some("200"), Some(false))
    );
    assert_eq!(r["fix"]["failed"], 0);
    assert!(!r["timeline"].as_array().unwrap().is_empty());
    assert!(!r["pods"].as_array().unwrap().is_empty());
}

/// The manifests with `patch` applied to the workload document as `kubectl patch` would.
fn patched(text: &str, kind: &str, patch: &Value, type_: PatchType) -> String {
    let docs = documents(text, Origin::line(1)).unwrap();
    let mut out = Vec::new();
    for d in docs {
        let objects = match d.value.get("items") {
            Some(Value::Array(items)) => items.clone(),
            _ => vec![d.value],
        };
        for mut o in objects {
            if o["kind"] == kind {
                apply(&mut o, patch, type_, kind).unwrap();
            }
            out.push(emit::to_yaml(&o));
        }
    }
    out.join("---\n")
}

fn suggest_applies_and_then_nothing_fails(name: &str, kind: &str, type_: PatchType) {
    let o = check(&[&file(name), "--suggest"]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let patch: Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    let told = String::from_utf8_lossy(&o.stderr).into_owned();
    assert!(told.contains(&format!("--type {}", type_.name())), "{told}");
    let text = std::fs::read_to_string(file(name)).unwrap();
    let fixed = patched(&text, kind, &patch, type_);
    let dir = std::env::temp_dir().join(format!("rollout-check-{}-{name}", std::process::id()));
    std::fs::write(&dir, &fixed).unwrap();
    let (code, r) = json(&[dir.to_str().unwrap()]);
    std::fs::remove_file(&dir).unwrap();
    assert_eq!(
        (code, r["figures"]["failed"].as_u64()),
        (0, Some(0)),
        "{fixed}"
    );
    assert_eq!(r["ok"], true);
    assert_eq!(r["fix"], Value::Null);
}

#[test]
fn the_suggested_patch_applies_to_a_deployment_by_strategic_merge() {
    suggest_applies_and_then_nothing_fails("shop-web.yaml", "Deployment", PatchType::Strategic);
}

#[test]
fn the_suggested_patch_applies_to_a_rollout_by_json_merge() {
    suggest_applies_and_then_nothing_fails("helm-canary.yaml", "Rollout", PatchType::Merge);
}

#[test]
fn one_replica_with_no_surge_loses_its_only_pod_first() {
    let (code, r) = json(&[&file("one-replica.yaml"), "--sigterm", "drain"]);
    assert_eq!(code, 1);
    let texts: Vec<&str> = strings(&r, "findings", "text");
    assert!(texts.iter().any(|t| t.starts_with("maxSurge 0 and maxUnavailable 25% of 1 both resolve to 0, so the controller takes maxUnavailable 1: your only pod goes before its replacement is ready")), "{texts:?}");
    assert_eq!(r["figures"]["lowest_available"], 0);
    assert!(r["failed_by_cause"]["no_endpoints"].as_u64().unwrap() > 0);
    let edits: Vec<&str> = r["fix"]["edits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["setting"].as_str().unwrap())
        .collect();
    assert!(edits.contains(&"surge"), "{edits:?}");
    assert_eq!(r["fix"]["peak_extra_pods"], 1);
}

#[test]
fn unreadable_input_exits_2_at_its_line_and_column() {
    let dir = std::env::temp_dir().join(format!("rollout-check-bad-{}.yaml", std::process::id()));
    std::fs::write(
        &dir,
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: [3\n",
    )
    .unwrap();
    let o = check(&[dir.to_str().unwrap()]);
    std::fs::remove_file(&dir).unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("line 7, column 1") || err.contains("line 6"),
        "{err}"
    );
    assert!(o.stdout.is_empty());
    let missing = check(&["/nonexistent/web.yaml"]);
    assert_eq!(missing.status.code(), Some(2));
    let bad_flag = check(&[&file("shop-web.yaml"), "--sigterm", "stop"]);
    assert_eq!(bad_flag.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad_flag.stderr).contains("exit, drain or ignore"));
}

#[test]
fn several_files_are_one_paste_and_a_named_image_is_deployed() {
    let text = std::fs::read_to_string(file("one-replica.yaml")).unwrap();
    let (deploy, service) = text.split_once("\n---\n").unwrap();
    let dir = std::env::temp_dir();
    let a = dir.join(format!("rollout-check-a-{}.yaml", std::process::id()));
    let b = dir.join(format!("rollout-check-b-{}.yaml", std::process::id()));
    std::fs::write(&a, deploy).unwrap();
    std::fs::write(&b, service).unwrap();
    let (_, r) = json(&[
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        "--image",
        "api=ghcr.io/acme/billing-api:3.0.0",
    ]);
    std::fs::remove_file(&a).unwrap();
    std::fs::remove_file(&b).unwrap();
    assert_eq!(r["target"]["to"], "ghcr.io/acme/billing-api:3.0.0");
    assert_eq!(r["target"]["container"], "api");
    assert!(r["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|w| !w.as_str().unwrap().contains("No Service")));
}

#[test]
fn a_deploy_that_fails_nothing_exits_0() {
    let (code, r) = json(&[&file("safe-web.yaml")]);
    assert_eq!((code, r["ok"].as_bool()), (0, Some(true)));
    assert_eq!(r["figures"]["failed"], 0);
    assert_eq!(r["end"]["completed"], true);
    assert_eq!(
        (r["fix"].clone(), r["app_changes"].clone()),
        (Value::Null, serde_json::json!([]))
    );
    // The same manifests with an app that exits at once on SIGTERM, at a lag longer than the
    // preStop sleep: requests fail again.
    let (code, r) = json(&[&file("safe-web.yaml"), "--proxy-lag", "8s"]);
    assert_eq!(code, 1);
    assert!(r["failed_by_cause"]["after_sigterm"].as_u64().unwrap() > 0);
    assert_eq!(r["fix"]["edits"][0]["setting"], "prestop");
}

#[test]
fn a_canary_paused_for_a_person_is_promoted_and_said_so() {
    let (_, r) = json(&[&file("helm-canary.yaml")]);
    let texts: Vec<&str> = strings(&r, "findings", "text");
    assert!(
        texts.iter().any(|t| t.contains("pauses for a person once")),
        "{texts:?}"
    );
    let steps: Vec<&str> = strings(&r, "timeline", "text");
    assert!(
        steps
            .iter()
            .any(|s| s.starts_with("kubectl argo rollouts promote storefront (the check")),
        "{steps:?}"
    );
    assert_eq!(r["end"]["completed"], true);
}

#[test]
fn the_realworld_corpus_checks_or_is_refused_with_a_reason() {
    let dir = format!("{}/tests/realworld", env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json"))
        .collect();
    files.sort();
    for path in files {
        let o = check(&[path.to_str().unwrap()]);
        let code = o.status.code().unwrap();
        match code {
            0 | 1 => assert!(stdout(&o).starts_with("Checked "), "{path:?}"),
            2 => assert!(!o.stderr.is_empty(), "{path:?}"),
            _ => panic!("{path:?} exited {code}"),
        }
    }
}

//! Every vendored upstream test vector passes. The feature-gated `scaleV2` file
//! (k8s_scale_pod_replacement_policy.json) is optional per the rule book and left out.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may stop at the first surprise

use rollout_sim::conformance::{run_file, Verdict};

fn run(prefix: &str, at_least: usize) {
    let dir = format!("{}/tests/conformance", env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            name.starts_with(prefix)
                && name.ends_with(".json")
                && name != "k8s_scale_pod_replacement_policy.json"
        })
        .collect();
    files.sort();
    assert!(!files.is_empty(), "vectors missing from {dir}");
    let mut passed = 0;
    let mut failures = Vec::new();
    for path in files {
        let (_, results) = run_file(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert!(!results.is_empty(), "{path:?} has no cases");
        for r in results {
            match r.verdict {
                Verdict::Pass => passed += 1,
                other => failures.push(format!("{}: {}: {other:?}", path.display(), r.name)),
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(passed >= at_least, "only {passed} cases ran");
}

#[test]
fn kubernetes_vectors_pass() {
    run("k8s_", 108);
}

#[test]
fn argo_rollouts_vectors_pass() {
    run("argo_", 84);
}

#[test]
fn a_wrong_expectation_is_caught() {
    let file = r#"{"function": "ResolveFenceposts(maxSurge, maxUnavailable, desired)", "cases": [
        {"name": "right", "inputs": {"maxSurge": {"type":"string","value":"25%"}, "maxUnavailable": {"type":"string","value":"25%"}, "desired": 10}, "expected": {"surge": 3, "unavailable": 2, "error": false}},
        {"name": "wrong", "inputs": {"maxSurge": {"type":"string","value":"25%"}, "maxUnavailable": {"type":"string","value":"25%"}, "desired": 10}, "expected": {"surge": 2, "unavailable": 2, "error": false}}]}"#;
    let (_, results) = run_file(file).unwrap();
    assert_eq!(results[0].verdict, Verdict::Pass);
    assert!(
        matches!(&results[1].verdict, Verdict::Fail(why) if why.contains("surge: want 2, got 3"))
    );
}

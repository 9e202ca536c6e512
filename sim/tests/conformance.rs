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

/// Cases written for this project in the vectors' format, for behaviour the vendored files do not
/// reach: sub-second clocks, a case without `now`, and a worker resuming on a new container.
#[test]
fn cases_beyond_the_vendored_files_pass() {
    let files = [
        r#"{"function": "DeploymentController.requeueStuckDeployment(deployment, newStatus) -> duration", "cases": [
            {"name": "a nanosecond under the last second requeues now", "inputs": {"progressDeadlineSeconds": 60,
              "deployment": {"replicas": 3, "statusReplicas": 3, "updatedReplicas": 3, "availableReplicas": 1},
              "conditions": [{"type": "Progressing", "status": "True", "reason": "", "lastUpdateTime": "2017-02-15T18:49:00Z"}],
              "newStatus": {"replicas": 3, "updatedReplicas": 3, "availableReplicas": 1}, "now": "2017-02-15T18:49:59.000000001Z"},
             "expected": {"requeueAfterSeconds": 0}},
            {"name": "half a second past the half minute", "inputs": {"progressDeadlineSeconds": 60,
              "deployment": {"replicas": 3, "statusReplicas": 3, "updatedReplicas": 3, "availableReplicas": 1},
              "conditions": [{"type": "Progressing", "status": "True", "reason": "", "lastUpdateTime": "2017-02-15T18:49:00Z"}],
              "newStatus": {"replicas": 3, "updatedReplicas": 3, "availableReplicas": 1}, "now": "2017-02-15T19:49:29.5+01:00"},
             "expected": {"requeueAfterSeconds": 30.5}}]}"#,
        r#"{"function": "DeploymentController.syncRolloutStatus(allRSs, newRS, d)", "cases": [
            {"name": "a deadline passed long ago times out when the case gives no clock", "inputs": {"progressDeadlineSeconds": 600,
              "deployment": {"replicas": 4, "statusReplicas": 3, "updatedReplicas": 3, "availableReplicas": 3},
              "conditions": [{"type": "Progressing", "status": "True", "reason": "ReplicaSetUpdated", "lastUpdateTime": "2030-06-01T08:00:00Z", "lastTransitionTime": "2030-06-01T08:00:00Z"}],
              "allRSs": [], "newRS": {"name": "web", "specReplicas": 4, "status": {"replicas": 3, "availableReplicas": 3}}},
             "expected": {"progressing": {"status": "False", "reason": "ProgressDeadlineExceeded", "lastUpdateTime": "now", "lastTransitionTime": "now"}}},
            {"name": "fewer pods in the status than in the spec is no progress", "inputs": {"progressDeadlineSeconds": 60,
              "deployment": {"replicas": 3, "statusReplicas": 2, "updatedReplicas": 2, "availableReplicas": 2},
              "conditions": [{"type": "Progressing", "status": "True", "reason": "ReplicaSetUpdated", "lastUpdateTime": "2017-02-15T18:49:00Z", "lastTransitionTime": "2017-02-15T18:49:00Z"}],
              "allRSs": [], "newRS": {"name": "foo", "specReplicas": 3, "status": {"replicas": 2, "availableReplicas": 2}}},
             "expected": {"progressing": {"status": "False", "reason": "ProgressDeadlineExceeded", "lastUpdateTime": "now", "lastTransitionTime": "now"}}}]}"#,
        r#"{"function": "prober worker sequences", "cases": [
            {"name": "liveness on hold resumes on a new container", "inputs": {"probeType": "liveness", "successThreshold": 1, "failureThreshold": 2, "initialCachedResult": "Success", "containerStarted": true},
             "expected": {"steps": [["Failure", "Success", 1, ""], ["Failure", "Failure", 0, "onHold"], ["Success (on hold: not probed)", "Failure", 0, "onHold"],
                                    ["NEW_CONTAINER_ID then Failure", "Success", 1, ""], ["Failure", "Failure", 0, "onHold"]]}},
            {"name": "readiness keeps its run across a new container", "inputs": {"probeType": "readiness", "successThreshold": 2, "failureThreshold": 3, "initialCachedResult": "Failure", "containerStarted": true},
             "expected": {"steps": [["Success", "Failure", 1], ["Success", "Success", 2], ["NEW_CONTAINER_ID then Success", "Success", 3]]}}]}"#,
    ];
    for file in files {
        let (_, results) = run_file(file).unwrap();
        for r in results {
            assert_eq!(r.verdict, Verdict::Pass, "{}", r.name);
        }
    }
}

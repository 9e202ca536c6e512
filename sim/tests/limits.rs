//! The simulator's limits (`rollout_sim::limits`) refuse what would run for minutes, with a
//! message naming the limit and the field; arithmetic on large accepted values never overflows
//! (these tests run with overflow checks on, where a wrap would panic).
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may stop at the first surprise

use rollout_sim::api::PodSpec;
use rollout_sim::cluster::Cluster;
use rollout_sim::scenario::Scenario;

fn recreate() -> String {
    rollout_sim::lab::examples::find("recreate")
        .unwrap()
        .yaml
        .to_string()
}

fn refused(text: &str) -> String {
    match Scenario::parse(text) {
        Ok(_) => panic!("accepted:\n{text}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn scenarios_past_the_limits_are_refused_at_the_field() {
    let base = recreate();
    let cases = [
        ("duration: 180s", "duration: 2h", "duration is above the simulator's limit of 1h"),
        ("requestsPerSecond: 20", "requestsPerSecond: 5000", "traffic.requestsPerSecond is above the simulator's limit of 2000"),
        ("replicas: 3", "replicas: 5000", "spec.replicas: Invalid value: 5000: spec.replicas is above the simulator's limit of 1000"),
    ];
    for (from, to, want) in cases {
        assert!(base.contains(from), "the example has {from}");
        let text = base.replacen(from, to, 1);
        let err = refused(&text);
        assert!(err.contains(want), "{to}: {err}");
        let line = text.lines().position(|l| l.contains(to)).unwrap() + 1;
        assert!(
            err.starts_with(&format!("line {line}, ")),
            "{to} is on line {line}: {err}"
        );
    }
    let many = format!(
        "{base}\n{}",
        "- at: 1s\n  run: kubectl get pods\n".repeat(1001)
    );
    assert!(refused(&many)
        .contains("the timeline's length is above the simulator's limit of 1000 commands"));
}

#[test]
fn fenceposts_beyond_any_replica_count_are_refused_not_wrapped() {
    let text = recreate().replacen(
        "type: Recreate",
        "type: RollingUpdate\n      rollingUpdate: { maxSurge: 2147483647, maxUnavailable: 0 }",
        1,
    );
    assert!(
        refused(&text).contains("spec.strategy.rollingUpdate.maxSurge: Invalid value: 2147483647")
    );
    // The same limit for an Argo canary.
    let canary = rollout_sim::lab::examples::find("canary-rollout-steps")
        .unwrap()
        .yaml
        .to_string();
    let err = refused(&canary.replacen("maxSurge: 1", "maxSurge: 5000", 1));
    let want = "spec.strategy.canary.maxSurge: Invalid value: 5000: maxSurge is above the simulator's limit of 1000";
    assert!(err.contains(want), "{err}");
}

#[test]
fn commands_past_the_limits_are_refused() {
    let err = rollout_sim::kubectl::parse("kubectl scale deployment/myapp --replicas=100000")
        .unwrap_err();
    assert!(err.contains("above the simulator's limit of 1000"), "{err}");
    let mut s = Scenario::parse(&recreate()).unwrap();
    for k in s.timeline.len()..rollout_sim::limits::TIMELINE {
        s.add_step(k as i64, "kubectl get pods").unwrap();
    }
    assert!(s
        .add_step(0, "kubectl get pods")
        .unwrap_err()
        .contains("1000 commands"));
}

#[test]
fn huge_accepted_values_saturate() {
    let spec = PodSpec {
        termination_grace_period_seconds: Some(i64::MAX),
        ..PodSpec::default()
    };
    assert_eq!(spec.grace_period_ms(), i64::MAX, "forever, not negative");
    // Digits past u64's precision move the decimal point, even from the largest exponent.
    assert_eq!(
        rollout_sim::decimal::parse("99999999999999999999e2147483647"),
        Some(f64::INFINITY)
    );
    let mut c = Cluster::new(Scenario::parse(&recreate()).unwrap());
    c.run_until(10_000);
    let pod = c.pods[0].name.clone();
    // A grace period no run could reach is refused with the limit, not wrapped or saturated
    // into another number.
    let refused = c.kubectl(
        &format!("kubectl delete pod {pod} --grace-period=9223372036854775807"),
        None,
    );
    assert!(refused
        .unwrap_err()
        .contains("--grace-period is above the simulator's limit of 1h"));
    c.kubectl(
        &format!("kubectl delete pod {pod} --grace-period=3600"),
        None,
    )
    .unwrap();
    c.run_until(20_000);
    let events = c.show("kubectl get events").unwrap();
    assert!(events.contains("grace period 3600s"), "{events}");
}

//! The progressive-delivery examples do what the comment at the top of each file says: blue/green
//! two ways, canary two ways, analysis that aborts, A/B header routes, shadow traffic, version
//! flips with and without session affinity, and N-1 schema compatibility.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may stop at the first surprise

mod common;

use common::{failed_between, run, run_text, scenario};
use rollout_sim::cluster::Cluster;
use rollout_sim::scenario::Scenario;
use rollout_sim::traffic::Reason;

/// Answers (succeeded or failed at a pod) per image in seconds [from, to).
fn answers(c: &Cluster, image: &str, from: usize, to: usize) -> u32 {
    let Some(i) = c.metrics.images.iter().position(|x| x == image) else {
        return 0;
    };
    c.metrics
        .served
        .iter()
        .take(to)
        .skip(from)
        .map(|row| row.get(i).copied().unwrap_or(0))
        .sum()
}

#[test]
fn blue_green_by_service_selector_switches_in_one_step() {
    let c = run("blue-green-service-switch");
    assert_eq!(c.metrics.failed, 0);
    assert_eq!(
        answers(&c, "myapp:green", 0, 60),
        0,
        "green unseen before the patch"
    );
    assert_eq!(
        answers(&c, "myapp:blue", 62, 130),
        0,
        "blue unseen 2s after it"
    );
    assert!(answers(&c, "myapp:green", 62, 130) > 2000);
    assert_eq!(
        c.metrics.max_not_terminating, 8,
        "both colours at full size"
    );
}

#[test]
fn blue_green_rollout_pauses_then_switches_and_keeps_blue_for_the_delay() {
    let text = scenario("blue-green-rollout");
    let mut c = Cluster::new(Scenario::parse(&text).unwrap());
    c.run_until(50_000);
    let r = c.rollout("myapp").unwrap();
    assert_eq!(
        r.status.phase.as_str(),
        "Paused",
        "autoPromotionEnabled: false"
    );
    assert_eq!(c.pods.len(), 8, "green beside blue");
    assert_eq!(
        answers(&c, "myapp:green", 0, 50),
        0,
        "preview only: no client sees green"
    );
    let view = c.show("kubectl argo rollouts get rollout myapp").unwrap();
    assert!(view.contains("myapp:green (preview)"), "{view}");
    c.run_until(80_000);
    let blue = c
        .pods
        .iter()
        .filter(|p| p.image == "myapp:blue" && p.deletion.is_none());
    assert_eq!(
        blue.count(),
        4,
        "blue stays up for scaleDownDelaySeconds after the switch"
    );
    c.run();
    assert_eq!(c.metrics.failed, 0);
    assert_eq!(answers(&c, "myapp:blue", 62, 150), 0);
    assert_eq!(c.metrics.max_not_terminating, 8);
    assert!(c.pods.iter().all(|p| p.image == "myapp:green"));
    let s = c.summary_json();
    assert_eq!(s["rollout"]["strategy"], "BlueGreen");
    assert_eq!(s["rollout"]["complete"], true);
    let events = c.show("kubectl get events").unwrap();
    assert!(
        events.contains("Switched selector for service 'myapp-active'"),
        "{events}"
    );
}

#[test]
fn canary_rollout_splits_by_pod_count_through_its_steps() {
    let text = scenario("canary-rollout-steps");
    let mut c = Cluster::new(Scenario::parse(&text).unwrap());
    c.run_until(35_000);
    let view = c.show("kubectl argo rollouts get rollout myapp").unwrap();
    assert!(view.contains("Step:          1/4\n"), "{view}");
    assert!(
        view.contains("SetWeight:     25") && view.contains("ActualWeight:  25"),
        "{view}"
    );
    c.run_until(80_000);
    let r = c.rollout("myapp").unwrap();
    assert_eq!(
        r.status.current_step_index,
        Some(3),
        "waits at the indefinite pause"
    );
    assert_eq!(r.status.phase.as_str(), "Paused");
    c.run();
    assert_eq!(c.metrics.failed, 0);
    // 1 of 4 pods from ~24s to 40s, 2 of 4 from ~45s to 90s.
    let share = |from, to| {
        let v2 = f64::from(answers(&c, "myapp:2", from, to));
        v2 / (v2 + f64::from(answers(&c, "myapp:1", from, to)))
    };
    assert!((0.15..0.35).contains(&share(26, 40)), "{}", share(26, 40));
    assert!((0.4..0.6).contains(&share(50, 90)), "{}", share(50, 90));
    assert!(c.metrics.max_not_terminating <= 5, "maxSurge 1");
    assert_eq!(c.summary_json()["rollout"]["complete"], true);
    assert!(c
        .pods
        .iter()
        .filter(|p| p.deletion.is_none())
        .all(|p| p.image == "myapp:2"));
}

#[test]
fn failing_analysis_aborts_and_returns_traffic_to_stable() {
    let c = run("canary-analysis-abort");
    let s = c.summary_json();
    assert_eq!(s["analysis"]["result"], "Failed");
    assert_eq!(s["rollout"]["aborted"], true);
    assert_eq!(s["rollout"]["phase"], "Degraded");
    assert_eq!(s["rollout"]["actual_weight"], 0);
    let m = &c.metrics;
    assert_eq!(
        m.failed,
        m.failed_by(Reason::AppError),
        "only the canary's errors"
    );
    assert!(m
        .failures
        .iter()
        .all(|f| f.image.as_deref() == Some("myapp:2")));
    let aborted = c.analysis_runs[0].metrics[0]
        .measurements
        .last()
        .unwrap()
        .at;
    assert!(
        (35_000..50_000).contains(&aborted),
        "fails on its second measurement"
    );
    assert_eq!(
        failed_between(&c, aborted as usize / 1000 + 1, 120),
        0,
        "none after the abort"
    );
    // 20% of traffic × 30% errors for the ~20 s the canary took traffic.
    assert!((20..120).contains(&m.failed), "{}", m.failed);
    assert!(
        c.pods.iter().all(|p| p.image == "myapp:1"),
        "canary gone 30s after the abort"
    );
    let message = s["rollout"]["message"].as_str().unwrap();
    assert!(
        message.contains("RolloutAborted") && message.contains("error rate"),
        "{message}"
    );
}

#[test]
fn header_route_sends_only_beta_clients_to_the_canary() {
    let c = run("ab-header-route");
    assert_eq!(c.metrics.failed, 0);
    let beta: Vec<u32> = (0..50)
        .filter(|k| !c.client_headers(*k).is_empty())
        .collect();
    assert_eq!(beta.len(), 10, "20% of 50 clients send X-Beta");
    let v2 = f64::from(answers(&c, "myapp:2", 30, 90));
    let v1 = f64::from(answers(&c, "myapp:1", 30, 90));
    assert!(
        (0.12..0.28).contains(&(v2 / (v1 + v2))),
        "{}",
        v2 / (v1 + v2)
    );
    let r = c.rollout("myapp").unwrap();
    assert_eq!(r.status.router_weight, 0, "the weight never moved");
}

#[test]
fn shadow_copies_fail_apart_from_clients() {
    let c = run("shadow-traffic");
    let m = &c.metrics;
    assert_eq!(m.failed, 0, "clients never see the canary");
    assert_eq!(answers(&c, "myapp:2", 0, 90), 0);
    assert!(m.shadow.sent > 1500, "{}", m.shadow.sent);
    let rate = m.shadow.failed() as f64 / (m.shadow.succeeded + m.shadow.failed()) as f64;
    assert!((0.4..0.6).contains(&rate), "{rate}");
    assert_eq!(c.summary_json()["shadow"]["failed"], m.shadow.failed());
}

#[test]
fn session_affinity_cuts_version_flips() {
    let text = scenario("version-flips");
    let plain = run_text(&text);
    let sticky = run_text(&text.replace(
        "    - port: 80\n",
        "    - port: 80\n    sessionAffinity: ClientIP\n",
    ));
    assert_eq!(plain.metrics.failed + sticky.metrics.failed, 0);
    let (p, s) = (plain.metrics.version_flips, sticky.metrics.version_flips);
    assert!(p > 200, "random picks flip clients back and forth: {p}");
    assert!(s <= 2 * 20, "a sticky client flips about once: {s}");
    assert_eq!(plain.summary_json()["versions"]["flips"], p);
}

#[test]
fn migrating_the_schema_under_old_pods_fails_them() {
    let c = run("schema-breaking-change");
    let m = &c.metrics;
    assert!(m.failed > 50, "{}", m.failed);
    assert_eq!(m.failed, m.failed_by(Reason::AppError));
    assert_eq!(failed_between(&c, 0, 20), 0);
    assert!(m
        .failures
        .iter()
        .all(|f| f.image.as_deref() == Some("myapp:1")));
    let cause = &m.failures[0].cause;
    assert!(
        cause.contains("schema 2") && cause.contains("reads only schema 1"),
        "{cause}"
    );
    let ok = run("schema-expand-contract");
    assert_eq!(ok.metrics.failed, 0, "expand/contract: no errors");
    assert_eq!(ok.schema.map(|s| s.0), Some(2), "the migration ran");
}

#[test]
fn argo_commands_promote_abort_retry_undo() {
    let text = scenario("canary-rollout-steps").replace(
        "- at: 90s\n  run: kubectl argo rollouts promote myapp\n",
        "",
    );
    let mut c = Cluster::new(Scenario::parse(&text).unwrap());
    c.run_until(30_000);
    assert!(
        c.kubectl("kubectl argo rollouts retry rollout myapp", None)
            .is_err(),
        "not aborted"
    );
    c.kubectl("kubectl argo rollouts abort myapp", None)
        .unwrap();
    c.run_until(45_000);
    let r = c.rollout("myapp").unwrap();
    assert!(r.status.abort);
    assert!(
        c.pods
            .iter()
            .filter(|p| p.deletion.is_none())
            .all(|p| p.image == "myapp:1"),
        "basic canary scales the canary away"
    );
    c.kubectl("kubectl argo rollouts retry rollout myapp", None)
        .unwrap();
    c.kubectl("kubectl argo rollouts promote myapp --full", None)
        .unwrap();
    c.run_until(90_000);
    let r = c.rollout("myapp").unwrap();
    assert!(
        Cluster::rollout_complete(r),
        "{:?}\n{}",
        r.status,
        c.show("kubectl argo rollouts get rollout myapp").unwrap()
    );
    assert!(c
        .pods
        .iter()
        .filter(|p| p.deletion.is_none())
        .all(|p| p.image == "myapp:2"));
    let out = c.kubectl("kubectl argo rollouts undo myapp", None).unwrap();
    assert!(out.contains("revision 1"), "{out}");
    c.run_until(150_000);
    // Undo to the previous revision is a new update that walks the steps again.
    let r = c.rollout("myapp").unwrap();
    assert_eq!(r.status.phase.as_str(), "Paused", "{:?}", r.status);
    assert!(c
        .kubectl("kubectl argo rollouts promote nope", None)
        .unwrap_err()
        .contains("not found"));
    assert!(rollout_sim::kubectl::parse("kubectl argo rollouts frobnicate myapp").is_err());
}

#[test]
fn blue_green_smoke_test_keeps_the_active_service_on_blue() {
    let c = run("blue-green-preview-analysis");
    assert_eq!(c.metrics.failed, 0, "clients never reached green");
    assert_eq!(answers(&c, "myapp:green", 0, 90), 0);
    let s = c.summary_json();
    assert_eq!(s["analysis"]["result"], "Failed");
    assert_eq!(s["rollout"]["aborted"], true);
    let message = s["rollout"]["message"].as_str().unwrap();
    assert!(message.contains("smoke test"), "{message}");
    assert!(
        c.pods
            .iter()
            .filter(|p| p.deletion.is_none())
            .all(|p| p.image == "myapp:blue"),
        "green scaled down after abortScaleDownDelaySeconds"
    );
}

#[test]
fn dynamic_stable_scale_shrinks_stable_as_the_canary_grows() {
    let text = scenario("canary-analysis-abort")
        .replace("errorRate: 0.3", "errorRate: 0.0")
        .replace("        trafficRouting:", "        dynamicStableScale: true\n        trafficRouting:")
        // Stable pods now go during the update: a preStop sleep covers the endpoint race.
        .replace(
            "            periodSeconds: 1\n    strategy:",
            "            periodSeconds: 1\n          lifecycle:\n            preStop:\n              sleep: { seconds: 3 }\n    strategy:",
        );
    let mut c = Cluster::new(Scenario::parse(&text).unwrap());
    c.run_until(60_000);
    let r = c.rollout("myapp").unwrap();
    assert_eq!(r.status.current_step_index, Some(3), "{:?}", r.status);
    assert_eq!(r.status.router_weight, 50);
    let live = |image: &str| {
        c.pods
            .iter()
            .filter(|p| p.deletion.is_none() && p.image == image)
            .count()
    };
    assert_eq!(
        (live("myapp:1"), live("myapp:2")),
        (2, 2),
        "50%: 2 stable, 2 canary (AC-3)"
    );
    c.run();
    assert_eq!(c.metrics.failed, 0);
    assert_eq!(c.summary_json()["rollout"]["complete"], true);
}

#[test]
fn kubectl_scales_patches_and_deletes_rollouts() {
    let mut c = Cluster::new(Scenario::parse(&scenario("blue-green-rollout")).unwrap());
    c.run_until(10_000);
    c.kubectl("kubectl scale rollout/myapp --replicas=6", None)
        .unwrap();
    c.run_until(18_000);
    assert_eq!(c.pods.iter().filter(|p| p.ready).count(), 6);
    let err = c
        .kubectl(
            r#"kubectl patch rollout myapp --type merge -p '{"spec":{"strategy":{"canary":{}}}}'"#,
            None,
        )
        .unwrap_err();
    assert!(
        err.contains("multiple strategies can not be listed"),
        "{err}"
    );
    let out = c
        .kubectl(r#"kubectl patch rollout myapp --type merge -p '{"spec":{"strategy":{"blueGreen":{"autoPromotionEnabled":true}}}}'"#, None)
        .unwrap();
    assert_eq!(out, "rollout.argoproj.io/myapp patched");
    // With auto-promotion the switch no longer waits for a person.
    c.run_until(50_000);
    let r = c.rollout("myapp").unwrap();
    assert!(Cluster::rollout_complete(r), "{:?}", r.status);
    assert_eq!(
        c.kubectl("kubectl delete rollout myapp", None).unwrap(),
        "rollout.argoproj.io \"myapp\" deleted"
    );
    assert!(
        c.pods.iter().all(|p| p.deletion.is_some()),
        "the pods go with it"
    );
}

#[test]
fn a_canary_that_never_gets_ready_passes_its_progress_deadline() {
    let text = scenario("canary-rollout-steps")
        .replace(
            "myapp:2: { startup: 3s, latency: 40ms, onSigterm: drain }",
            "myapp:2: { startup: 3s, latency: 40ms, onSigterm: drain, crashAfter: 2s }",
        )
        .replace(
            "    replicas: 4\n",
            "    replicas: 4\n    progressDeadlineSeconds: 30\n",
        );
    let mut c = Cluster::new(Scenario::parse(&text).unwrap());
    c.run_until(45_000);
    let r = c.rollout("myapp").unwrap();
    assert_eq!(
        r.status.phase.as_str(),
        "Progressing",
        "not yet: {:?}",
        r.status
    );
    c.run_until(60_000);
    let r = c.rollout("myapp").unwrap();
    assert_eq!(r.status.phase.as_str(), "Degraded");
    assert!(
        r.status
            .message
            .starts_with("ProgressDeadlineExceeded: ReplicaSet \"myapp-"),
        "{}",
        r.status.message
    );
    assert_eq!(c.metrics.failed, 0, "the stable pods keep serving");
    let events = c.show("kubectl get events").unwrap();
    assert!(events.contains("RolloutTimedOut"), "{events}");
}

#[test]
fn a_small_preview_grows_to_full_size_after_the_pause_then_switches() {
    // BG-5: previewReplicaCount pods until autoPromotionSeconds is over, then full size, then
    // the switch.
    let text = scenario("blue-green-rollout")
        .replace(
            "        autoPromotionEnabled: false\n",
            "        autoPromotionSeconds: 15\n        previewReplicaCount: 1\n",
        )
        .replace(
            "- at: 60s\n  run: kubectl argo rollouts promote myapp\n",
            "",
        );
    let mut c = Cluster::new(Scenario::parse(&text).unwrap());
    c.run_until(35_000);
    let green = |c: &Cluster| {
        c.pods
            .iter()
            .filter(|p| p.image == "myapp:green" && p.deletion.is_none())
            .count()
    };
    assert_eq!(green(&c), 1, "one preview pod during the pause");
    assert_eq!(c.rollout("myapp").unwrap().status.phase.as_str(), "Paused");
    c.run_until(60_000);
    assert_eq!(green(&c), 4);
    assert!(Cluster::rollout_complete(c.rollout("myapp").unwrap()));
    c.run();
    assert_eq!(c.metrics.failed, 0);
}

#[test]
fn a_new_image_mid_update_restarts_the_steps_and_each_weight_waits_for_its_pods() {
    let text = scenario("canary-rollout-steps")
        .replace(
            "  myapp:2: { startup: 3s, latency: 40ms, onSigterm: drain }",
            "  myapp:2: { startup: 3s, latency: 40ms, onSigterm: drain }\n  myapp:3: { startup: 3s, latency: 40ms, onSigterm: drain }",
        )
        .replace(
            "- at: 90s\n  run: kubectl argo rollouts promote myapp\n",
            "- at: 35s\n  run: kubectl argo rollouts set image myapp app=myapp:3\n",
        );
    let mut c = Cluster::new(Scenario::parse(&text).unwrap());
    // myapp:3 at 35 s: back to step 0, the myapp:2 canary goes, 1 of 4 pods is myapp:3.
    c.run_until(45_000);
    let live = |c: &Cluster, image: &str| {
        c.pods
            .iter()
            .filter(|p| p.deletion.is_none() && p.image == image)
            .count()
    };
    assert_eq!(
        c.rollout("myapp").unwrap().status.current_step_index,
        Some(1)
    );
    assert_eq!((live(&c, "myapp:2"), live(&c, "myapp:3")), (0, 1));
    // The pause ends about 60 s in; the 50% step then waits until the second canary pod is
    // available before the indefinite pause.
    for t in (56_000..75_000).step_by(500) {
        c.run_until(t);
        let r = c.rollout("myapp").unwrap();
        if r.status.current_step_index == Some(3) {
            assert!(
                c.replica_sets
                    .iter()
                    .any(|rs| rs.image() == "myapp:3" && rs.status.available_replicas == 2),
                "reached the pause at {t} ms before 50% was there"
            );
        }
    }
    assert_eq!(
        c.rollout("myapp").unwrap().status.current_step_index,
        Some(3)
    );
    c.run();
    assert_eq!(c.metrics.failed, 0);
}

#[test]
fn an_inconclusive_analysis_pauses_until_a_person_decides() {
    // Success needs < 5% errors and failure > 20%: 10% is neither, so the run is Inconclusive.
    let text = scenario("canary-analysis-abort")
        .replace("errorRate: 0.3", "errorRate: 0.1")
        .replace(
            "      successCondition: result < 0.05\n",
            "      successCondition: result < 0.05\n      failureCondition: result > 0.2\n",
        );
    let mut c = Cluster::new(Scenario::parse(&text).unwrap());
    c.run_until(60_000);
    let r = c.rollout("myapp").unwrap();
    assert_eq!(
        (r.status.phase.as_str(), r.status.message.as_str()),
        ("Paused", "InconclusiveAnalysisRun"),
        "{:?}",
        r.status
    );
    assert_eq!(c.analysis_runs[0].phase.as_str(), "Inconclusive");
    assert!(!r.status.abort, "inconclusive is not a failure");
    c.kubectl("kubectl argo rollouts promote myapp", None)
        .unwrap();
    c.run_until(70_000);
    let r = c.rollout("myapp").unwrap();
    assert!(r.status.current_step_index >= Some(2), "{:?}", r.status);
    c.run();
    assert!(Cluster::rollout_complete(c.rollout("myapp").unwrap()));
}

#[test]
fn failed_post_promotion_analysis_switches_back_to_the_version_kept_up() {
    // The preview-analysis example with its check moved after the switch, measured on client
    // answers, and no explicit scale-down delay: blue must wait for the analysis.
    let text = scenario("blue-green-preview-analysis")
        .replace(
            "        prePromotionAnalysis:",
            "        postPromotionAnalysis:",
        )
        .replace("        scaleDownDelaySeconds: 30\n", "")
        .replace(
            "simulation: { measure: smoke-test, version: canary, requests: 20 }",
            "simulation: { measure: error-rate, version: canary, window: 5s }",
        );
    let mut c = Cluster::new(Scenario::parse(&text).unwrap());
    c.run_until(30_000);
    let r = c.rollout("myapp").unwrap();
    assert_eq!(r.status.message, "post-promotion analysis");
    let blue = |c: &Cluster| {
        c.pods
            .iter()
            .filter(|p| p.image == "myapp:blue" && p.deletion.is_none())
            .count()
    };
    assert_eq!(blue(&c), 4, "blue stays up while the analysis runs");
    c.run();
    let r = c.rollout("myapp").unwrap();
    assert!(r.status.abort, "{:?}", r.status);
    assert_eq!(
        r.status.active_selector, r.status.stable_rs,
        "active is back on blue"
    );
    let m = &c.metrics;
    assert_eq!(
        m.failed,
        m.failed_by(Reason::AppError),
        "only green's own errors, no refusals"
    );
    assert!(m
        .failures
        .iter()
        .all(|f| f.image.as_deref() == Some("myapp:green")));
    assert_eq!(
        failed_between(&c, 45, 90),
        0,
        "none once traffic is back on blue"
    );
}

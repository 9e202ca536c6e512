//! Each example scenario does what the comment at its top says.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may stop at the first surprise

mod common;

use common::{failed_between, run, run_text};
use rollout_sim::cluster::Cluster;
use rollout_sim::scenario::Scenario;
use rollout_sim::traffic::Reason;

#[test]
fn recreate_has_an_outage_of_refused_connections() {
    let c = run("recreate");
    let m = &c.metrics;
    assert!(
        (100..=600).contains(&m.failed),
        "a few hundred failed, got {}",
        m.failed
    );
    assert!(
        m.failed_by(Reason::ConnectionRefused) as f64 >= 0.9 * m.failed as f64,
        "almost all refused"
    );
    assert_eq!(failed_between(&c, 0, 60), 0, "none before the update");
    // v2 listens 1 s (pull) + 10 s (start-up) after the old pods are gone.
    assert_eq!(failed_between(&c, 72, 180), 0, "none after v2 is ready");
    assert!(m.first_failure_at.unwrap() >= 60_000);
    let s = c.summary_json();
    assert_eq!(s["rollout"]["complete"], true);
    assert_eq!(s["rollout"]["revision"], 2);
    assert_eq!(
        s["pods"]["min_available"], 0,
        "Recreate leaves nothing available"
    );
    assert_eq!(
        s["pods"]["max_not_terminating"], 3,
        "never old and new together"
    );
}

#[test]
fn rolling_without_readiness_routes_to_pods_that_do_not_listen_yet() {
    let c = run("rolling-without-readiness");
    let m = &c.metrics;
    assert!(
        m.failed > 50,
        "failed requests after the update, got {}",
        m.failed
    );
    assert!(m.failed_by(Reason::ConnectionRefused) as f64 >= 0.9 * m.failed as f64);
    assert_eq!(failed_between(&c, 0, 60), 0);
    let completed = c.rollout_completed_at.unwrap();
    // v2 pods start at 61 s and only listen 20 s later.
    assert!(
        completed < 80_000,
        "complete long before v2 listens: {completed}"
    );
    let refused = m
        .failures
        .iter()
        .find(|f| f.reason == Reason::ConnectionRefused && f.cause.contains("only listens from"))
        .unwrap();
    assert!(
        refused
            .cause
            .contains("with no readiness probe the pod counted as ready"),
        "{}",
        refused.cause
    );
}

#[test]
fn rolling_zero_downtime_drops_nothing() {
    let c = run("rolling-zero-downtime");
    let s = c.summary_json();
    assert_eq!(s["requests"]["failed"], 0);
    assert!(s["requests"]["sent"].as_u64().unwrap() > 4000);
    assert!(s["pods"]["max_not_terminating"].as_u64().unwrap() <= 4);
    assert!(s["pods"]["min_available"].as_u64().unwrap() >= 3);
    assert_eq!(s["rollout"]["complete"], true);
    assert!(
        s["requests"]["by_image"]["myapp:2"]["succeeded"]
            .as_u64()
            .unwrap()
            > 1000,
        "v2 served traffic"
    );
}

#[test]
fn canary_by_replica_ratio_fails_a_quarter_while_it_runs() {
    let c = run("canary-replica-ratio");
    let m = &c.metrics;
    assert_eq!(failed_between(&c, 0, 30), 0);
    // The canary is created at 30 s and ready at about 31 s; deleted at 150 s.
    let window: Vec<_> = m.seconds[35..148].iter().collect();
    let sent: u32 = window.iter().map(|s| s.sent).sum();
    let app_errors: u32 = window
        .iter()
        .map(|s| s.failed[Reason::AppError as usize])
        .sum();
    let share = f64::from(app_errors) / f64::from(sent);
    assert!(
        (0.20..=0.30).contains(&share),
        "about 25% app_error, got {share:.3}"
    );
    // After the delete only the endpoint-propagation race is left (1 s), then nothing.
    assert_eq!(
        failed_between(&c, 152, 200),
        0,
        "no failures after the canary is gone"
    );
}

#[test]
fn causes_name_the_pod_the_state_and_the_times() {
    let c = run("recreate");
    let f = c.metrics.failures.iter().find(|f| f.pod.is_some()).unwrap();
    let pod = f.pod.as_ref().unwrap();
    assert!(
        f.cause.contains(pod.as_str()) && f.cause.contains('s'),
        "{}",
        f.cause
    );
    let no_endpoints = c.metrics.failures.iter().find(|f| f.pod.is_none()).unwrap();
    assert!(
        no_endpoints
            .cause
            .starts_with("Service myapp had no ready endpoints"),
        "{}",
        no_endpoints.cause
    );
}

#[test]
fn the_same_seed_gives_the_same_run_and_another_seed_does_not() {
    let text = std::fs::read_to_string(format!(
        "{}/scenarios/recreate.yaml",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let once = || {
        let mut c = Cluster::new(Scenario::parse(&text).unwrap());
        c.run();
        (
            c.summary_json().to_string(),
            c.metrics
                .failures
                .iter()
                .map(|f| f.cause.clone())
                .collect::<Vec<_>>(),
        )
    };
    assert_eq!(once(), once());
    let mut other = Cluster::new(Scenario::parse(&text.replace("seed: 1", "seed: 99")).unwrap());
    other.run();
    assert_ne!(other.summary_json().to_string(), once().0);
}

#[test]
fn kubectl_patch_validates_and_names_the_field() {
    let yaml = rollout_sim::lab::examples::find("recreate")
        .unwrap()
        .yaml
        .as_ref();
    let mut c = Cluster::new(Scenario::parse(yaml).unwrap());
    let err = c
        .kubectl(
            r#"kubectl patch deployment myapp -p '{"spec":{"replicas":"three"}}'"#,
            None,
        )
        .unwrap_err();
    assert!(
        err.contains("spec.replicas: invalid type: string \"three\""),
        "{err}"
    );
    let err = c
        .kubectl(r#"kubectl patch deployment myapp -p '{"spec":{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":0,"maxUnavailable":0}}}}'"#, None)
        .unwrap_err();
    assert!(err.contains("may not be 0 when `maxSurge` is 0"), "{err}");
    c.kubectl(
        r#"kubectl patch deployment myapp -p '{"spec":{"replicas":5}}'"#,
        None,
    )
    .unwrap();
    c.run_until(30_000);
    assert!(
        c.kubectl("kubectl get deploy myapp", None)
            .unwrap()
            .contains("myapp   5/5"),
        "scaled by the patch"
    );
    c.kubectl(
        r#"kubectl patch svc myapp -p '{"spec":{"selector":{"app":"other"}}}'"#,
        None,
    )
    .unwrap();
    c.run_until(40_000);
    assert!(
        c.kubectl("kubectl get endpoints", None)
            .unwrap()
            .contains("<none>"),
        "no pod matches the new selector"
    );
    assert!(
        c.metrics.failed_by(Reason::ConnectionRefused) > 0,
        "and clients are refused"
    );
}

#[test]
fn a_bad_timeline_command_is_refused_at_its_line() {
    let yaml = rollout_sim::lab::examples::find("recreate")
        .unwrap()
        .yaml
        .replace("kubectl set image", "kubectl sett image");
    let err = Scenario::parse(&yaml).unwrap_err();
    assert!(
        err.message
            .contains("unknown command \"sett\" for \"kubectl\""),
        "{err}"
    );
    let place = |yaml: &str| {
        let (i, l) = yaml
            .lines()
            .enumerate()
            .find(|(_, l)| l.contains("kubectl sett image"))
            .unwrap();
        (i as u64 + 1, l.find("run:").unwrap() as u64 + 6)
    };
    // The error points at the command itself, quoted or not.
    assert_eq!((err.line, err.column), place(&yaml), "{err}");
    let quoted = yaml
        .replace("run: kubectl sett image", "run: \"kubectl sett image")
        .replace("app=myapp:2\n", "app=myapp:2\"\n");
    assert_ne!(quoted, yaml);
    let err = Scenario::parse(&quoted).unwrap_err();
    assert_eq!((err.line, err.column), place(&quoted), "{err}");
}

#[test]
fn a_saturated_app_fails_its_readiness_probe_and_leaves_the_endpoints() {
    // One worker, slow answers, more traffic than it can take: the probe cannot get through.
    let yaml = rollout_sim::lab::examples::find("rolling-zero-downtime")
        .unwrap()
        .yaml
        .replace(
            "myapp:1: { startup: 2s, latency: 40ms, onSigterm: drain }",
            "myapp:1: { startup: 2s, latency: 900ms, onSigterm: drain, capacity: 1 }",
        );
    let mut c = Cluster::new(Scenario::parse(&yaml).unwrap());
    c.run_until(55_000);
    let unhealthy = c.events.iter().filter(|e| e.reason == "Unhealthy").count();
    assert!(unhealthy > 0, "busy pods fail readiness probes");
    assert!(
        c.metrics.failed_by(Reason::Timeout) > 0,
        "and queued requests time out"
    );
}

#[test]
fn unknown_scenario_fields_are_named_not_fatal() {
    let yaml = rollout_sim::lab::examples::find("recreate")
        .unwrap()
        .yaml
        .replace("  timeout: 5s\n", "  timeout: 5s\n  burst: 3\n")
        .replace("onSigterm: drain }", "onSigterm: drain, warmup: 2s }");
    let c = Cluster::new(Scenario::parse(&yaml).unwrap());
    let warnings = c.summary_json()["warnings"].clone();
    assert!(
        warnings
            .to_string()
            .contains("unknown field `traffic.burst` was ignored"),
        "{warnings}"
    );
    assert!(
        warnings.to_string().contains("images.myapp:1.warmup"),
        "{warnings}"
    );
}

#[test]
fn kubectl_views_read_like_kubectl() {
    let c = run("rolling-zero-downtime");
    let describe = c.show("kubectl describe deployment myapp").unwrap();
    for want in [
        "RollingUpdateStrategy:  0 max unavailable, 1 max surge",
        "Replicas:               3 desired | 3 updated | 3 total | 3 available | 0 unavailable",
        "  Progressing  True    NewReplicaSetAvailable",
        "Readiness:    http-get http://:80/ delay=5s timeout=1s period=2s #success=1 #failure=3",
    ] {
        assert!(describe.contains(want), "missing {want:?} in\n{describe}");
    }
    let events: Vec<&str> = describe
        .lines()
        .filter(|l| l.contains("ScalingReplicaSet"))
        .collect();
    assert_eq!(
        events.len(),
        6,
        "3 up and 3 down, one pod at a time:\n{describe}"
    );
    assert!(
        events[0].contains("Scaled up replica set myapp-") && events[0].ends_with("to 1 from 0"),
        "{}",
        events[0]
    );
    let history = c.show("kubectl rollout history deployment/myapp").unwrap();
    // kubectl's name printer leaves a space after the name; the tab writer pads by two.
    assert_eq!(
        history,
        "deployment.apps/myapp \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>"
    );
    let pods = c.show("kubectl get pods").unwrap();
    assert_eq!(pods.lines().count(), 4, "three pods and a header:\n{pods}");
    assert!(
        pods.lines()
            .skip(1)
            .all(|l| l.contains("1/1     Running   0")),
        "{pods}"
    );
    let status = c.show("kubectl rollout status deployment/myapp").unwrap();
    assert_eq!(status, "deployment \"myapp\" successfully rolled out");
}

#[test]
fn the_cluster_view_shows_terminating_pods_the_proxies_still_route_to() {
    let yaml = rollout_sim::lab::examples::find("rolling-zero-downtime")
        .unwrap()
        .yaml
        .as_ref();
    let mut c = Cluster::new(Scenario::parse(yaml).unwrap());
    // The first new pod is ready at 81 s; the proxies add it at 82 s; an old pod is deleted at 81 s
    // and the proxies drop it at 82 s. Half a second later:
    c.run_until(81_500);
    let views = c.replica_set_views();
    assert_eq!(views.len(), 2, "{views:#?}");
    assert_eq!((views[0].revision, views[0].image.as_str()), (2, "myapp:2"));
    let terminating: Vec<_> = views[1]
        .pods
        .iter()
        .filter(|p| p.status == "Terminating")
        .collect();
    assert_eq!(terminating.len(), 1, "{views:#?}");
    assert_eq!(terminating[0].routing, "still routed for 0.5s");
    assert!(
        terminating[0]
            .note
            .starts_with("preStop: SIGTERM at 86.0s, SIGKILL at 111.0s"),
        "{}",
        terminating[0].note
    );
    let new = &views[0].pods[0];
    assert!(
        new.ready && new.in_endpoints && new.routing == "ready; the proxies add it soon",
        "{new:?}"
    );
}

#[test]
fn the_sandbox_is_quiet_until_someone_deploys() {
    let c = run("sandbox");
    assert_eq!(c.metrics.failed, 0);
    assert!(c.metrics.sent > 2500);
    let yaml = rollout_sim::lab::examples::find("sandbox")
        .unwrap()
        .yaml
        .as_ref();
    let mut s = Scenario::parse(yaml).unwrap();
    s.add_step(20_000, "kubectl set image deployment/myapp app=myapp:2")
        .unwrap();
    let mut c = Cluster::new(s);
    c.run();
    assert!(
        c.metrics.failed_by(Reason::ConnectionRefused) > 20,
        "{}",
        c.summary_text()
    );
    assert!(c.rollout_completed_at.is_some());
}

#[test]
fn pods_per_version_over_time_show_the_rollout() {
    let c = run("rolling-zero-downtime");
    let per_second = c.metrics.pods_per_second(240);
    let images = &c.metrics.images;
    let count = |s: usize, image: &str| {
        per_second[s]
            .iter()
            .find(|p| images[p.image as usize] == image)
            .map_or((0, 0, 0), |p| (p.ready, p.not_ready, p.terminating))
    };
    assert_eq!(count(30, "myapp:1"), (3, 0, 0));
    assert_eq!(count(30, "myapp:2"), (0, 0, 0));
    assert_eq!(count(70, "myapp:2"), (0, 1, 0), "the surge pod is starting");
    assert_eq!(count(200, "myapp:2"), (3, 0, 0));
    assert_eq!(count(200, "myapp:1"), (0, 0, 0));
    // Never more than replicas + maxSurge pods that are not terminating.
    assert!(per_second
        .iter()
        .all(|s| s.iter().map(|p| p.ready + p.not_ready).sum::<u16>() <= 4));
}

#[test]
fn a_change_cause_annotation_reaches_rollout_history() {
    let yaml = rollout_sim::lab::examples::find("recreate")
        .unwrap()
        .yaml
        .as_ref();
    let mut c = Cluster::new(Scenario::parse(yaml).unwrap());
    c.kubectl(r#"kubectl patch deployment myapp -p '{"metadata":{"annotations":{"kubernetes.io/change-cause":"move to v2"}}}'"#, None).unwrap();
    c.run();
    let history = c.show("kubectl rollout history deployment/myapp").unwrap();
    assert!(
        history
            .lines()
            .any(|l| l.starts_with("2 ") && l.ends_with("move to v2")),
        "{history}"
    );
}

#[test]
fn a_manifest_error_is_placed_in_the_scenario_file() {
    let yaml = rollout_sim::lab::examples::find("recreate")
        .unwrap()
        .yaml
        .replace(
            "      type: Recreate\n",
            "      type: Recreate\n      rollingUpdate: {maxSurge: 1}\n",
        );
    let err = Scenario::parse(&yaml).unwrap_err();
    let (i, l) = yaml
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains("rollingUpdate:"))
        .unwrap();
    let column = l.find("rollingUpdate").unwrap() as u64 + 1;
    assert_eq!((err.line, err.column), (i as u64 + 1, column), "{err}");
    assert!(
        err.message
            .contains("may not be specified when strategy `type` is 'Recreate'"),
        "{err}"
    );
    // A YAML error inside the block too: the parser's message, at the file's line and column.
    let broken = yaml.replacen(
        "matchLabels: { app: myapp }",
        "matchLabels: { app: myapp",
        1,
    );
    assert_ne!(broken, yaml);
    let err = Scenario::parse(&broken).unwrap_err();
    let i = broken
        .lines()
        .position(|l| l.contains("matchLabels: { app: myapp"))
        .unwrap();
    assert!(err.line > i as u64, "{err}");
    assert!(err.column > 1, "{err}");
}

#[test]
fn kubectl_patch_merges_as_kubectl_does() {
    let text = common::scenario("rolling-zero-downtime");
    let fresh = || Cluster::new(Scenario::parse(&text).unwrap());
    let app = |c: &Cluster| c.deployments[0].spec.template.spec.containers[0].clone();
    // The default strategic merge changes the image and keeps the probe and the preStop hook.
    let mut c = fresh();
    let out = c
        .kubectl(r#"kubectl patch deployment myapp -p '{"spec":{"template":{"spec":{"containers":[{"name":"app","image":"myapp:2"}]}}}}'"#, None)
        .unwrap();
    assert_eq!(out, "deployment.apps/myapp patched");
    assert_eq!(app(&c).image, "myapp:2");
    assert!(app(&c).readiness_probe.is_some());
    assert!(app(&c).lifecycle.and_then(|l| l.pre_stop).is_some());
    // The same patch again changes nothing, and kubectl says so.
    let again = c.kubectl(r#"kubectl patch deploy/myapp -p='{"spec":{"template":{"spec":{"containers":[{"name":"app","image":"myapp:2"}]}}}}'"#, None);
    assert_eq!(again.unwrap(), "deployment.apps/myapp patched (no change)");
    // A JSON merge patch replaces the list, so the probe and the hook go, as on a real cluster.
    let mut c = fresh();
    c.kubectl(r#"kubectl patch deployment myapp --type merge -p '{"spec":{"template":{"spec":{"containers":[{"name":"app","image":"myapp:2"}]}}}}'"#, None)
        .unwrap();
    assert!(app(&c).readiness_probe.is_none());
    // A JSON patch names the field by its path.
    let mut c = fresh();
    c.kubectl(r#"kubectl patch deployment myapp --type json -p '[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"myapp:2"}]'"#, None)
        .unwrap();
    assert_eq!(app(&c).image, "myapp:2");
    assert!(app(&c).readiness_probe.is_some());
    // Switching to Recreate keeps the defaulted rollingUpdate unless the patch clears it:
    // the API server refuses the pair, as it does for everyone who tries this first.
    let mut c = fresh();
    let err = c
        .kubectl(
            r#"kubectl patch deployment myapp -p '{"spec":{"strategy":{"type":"Recreate"}}}'"#,
            None,
        )
        .unwrap_err();
    assert!(err.contains("spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"), "{err}");
    c.kubectl(r#"kubectl patch deployment myapp -p '{"spec":{"strategy":{"type":"Recreate","rollingUpdate":null}}}'"#, None)
        .unwrap();
    assert!(!c.deployments[0].spec.is_rolling());
}

#[test]
fn a_rollout_takes_merge_and_json_patches_only() {
    let text = common::scenario("canary-rollout-steps");
    let mut c = Cluster::new(Scenario::parse(&text).unwrap());
    let err = c
        .kubectl(
            r#"kubectl patch rollout myapp -p '{"spec":{"paused":true}}'"#,
            None,
        )
        .unwrap_err();
    assert!(err.starts_with("Error from server (UnsupportedMediaType): the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json"), "{err}");
    let out = c
        .kubectl(
            r#"kubectl patch rollout myapp --type merge -p '{"spec":{"paused":true}}'"#,
            None,
        )
        .unwrap();
    assert_eq!(out, "rollout.argoproj.io/myapp patched");
}

#[test]
fn the_first_failure_of_each_kind_is_the_first_however_many_follow() {
    // At 1,000 requests a second, Recreate's outage fails far more requests than are kept.
    let text =
        common::scenario("recreate").replace("requestsPerSecond: 20", "requestsPerSecond: 1000");
    let c = common::run_text(&text);
    assert!(
        c.metrics.failed > rollout_sim::metrics::FAILURES_KEPT as u64 * 2,
        "{}",
        c.metrics.failed
    );
    let first = c.metrics.first_failure_at.unwrap();
    let summary = c.summary_text();
    let line = summary
        .lines()
        .skip_while(|l| !l.starts_with("Why requests failed"))
        .nth(1)
        .unwrap();
    let at = format!("at {}:", rollout_sim::time::fmt_secs(first));
    assert!(line.contains(&at), "{line} (first failure {first} ms)");
    assert!(c.metrics.failures.front().unwrap().ended_at > first);
}

#[test]
fn a_deployment_pasted_alone_says_there_is_no_client_traffic() {
    let text = "seed: 1\nduration: 30s\ntraffic: {requestsPerSecond: 10}\nmanifests: |\n  apiVersion: apps/v1\n  kind: Deployment\n  metadata: {name: web}\n  spec:\n    selector: {matchLabels: {app: web}}\n    template:\n      metadata: {labels: {app: web}}\n      spec:\n        containers: [{name: web, image: nginx:1.27}]\n";
    let c = common::run_text(text);
    assert_eq!(c.metrics.sent, 0);
    assert!(c
        .service_level()
        .starts_with("No Service in the manifests: no client traffic"));
    let warnings = c.scenario.warnings.join("\n");
    assert!(
        warnings.contains("No Service in the manifests"),
        "{warnings}"
    );
    assert!(
        warnings.contains("the image nginx:1.27, which `images:` does not describe"),
        "{warnings}"
    );
    // Every example describes the images it uses and has a Service: no warning at all.
    for e in rollout_sim::lab::examples::ALL {
        let s = Scenario::parse(&e.yaml).unwrap();
        assert!(s.warnings.is_empty(), "{}: {:?}", e.name, s.warnings);
    }
}

// ---- connections, the ingress, the fallback (CN-*, IN-*, TM-5..TM-7) -----------------------

fn by_pod(c: &Cluster) -> Vec<(f64, u64, u64)> {
    let s = c.summary_json();
    s["requests"]["by_pod"]
        .as_object()
        .unwrap()
        .values()
        .map(|p| {
            let n = |k: &str| p[k].as_u64().unwrap();
            (
                p["created_at_s"].as_f64().unwrap(),
                n("answered"),
                n("failed"),
            )
        })
        .collect()
}

#[test]
fn keep_alive_clients_stay_on_old_pods_so_a_pre_stop_sleep_is_not_enough() {
    let text = common::scenario("keep-alive-exit");
    let c = run("keep-alive-exit");
    let m = &c.metrics;
    assert!(
        m.failed > 0,
        "requests in flight when an old pod exits are reset"
    );
    assert_eq!(
        m.failed_by(Reason::ConnectionReset),
        m.failed,
        "all reset, none refused"
    );
    assert_eq!(failed_between(&c, 0, 30), 0);
    assert_eq!(c.summary_json()["rollout"]["complete"], true);
    assert!(c.requests.pool.reset > 0);
    let first = &m.first_by_reason[Reason::ConnectionReset as usize];
    assert!(first
        .as_ref()
        .unwrap()
        .cause
        .contains("in flight when the app exited on SIGTERM"));
    // The same clients opening a connection per request: the preStop sleep covers them.
    let per_request =
        run_text(&text.replace("connections: keep-alive", "connections: per-request"));
    assert_eq!(per_request.metrics.failed, 0);
    // An app that drains closes each kept-alive connection after its answer.
    let drain = run_text(&text.replace("onSigterm: exit", "onSigterm: drain"));
    assert_eq!(drain.metrics.failed, 0);
    assert!(drain.requests.pool.closed_by_server > 0);
}

#[test]
fn http2_connections_never_rebalance_to_new_pods() {
    let c = run("http2-scale-up");
    assert_eq!(c.metrics.failed, 0);
    let pods = by_pod(&c);
    assert_eq!(pods.len(), 6);
    for (created, answered, _) in pods {
        if created >= 30.0 {
            assert_eq!(
                answered, 0,
                "a pod added after the clients connected gets nothing"
            );
        } else {
            assert!(
                answered > 1000,
                "the first pods carry everything: {answered}"
            );
        }
    }
    let s = c.summary_json();
    assert_eq!(s["connections"]["opened"], 30, "one connection per client");
}

#[test]
fn max_connection_age_spreads_http2_clients_over_new_pods() {
    let c = run("http2-max-connection-age");
    assert_eq!(c.metrics.failed, 0);
    let pods = by_pod(&c);
    assert_eq!(pods.len(), 6);
    assert!(
        pods.iter().all(|(_, answered, _)| *answered > 300),
        "{pods:?}"
    );
    assert!(
        c.requests.pool.closed_by_server > 60,
        "GOAWAY about every 20 s per client"
    );
}

#[test]
fn ingress_retries_hide_the_controllers_lag() {
    let c = run("ingress-retries");
    assert_eq!(c.metrics.failed, 0);
    let tried: u64 = by_pod(&c).iter().map(|(_, _, failed)| failed).sum();
    assert!(tried > 0, "some tries failed and went to the next upstream");
    let without = run("ingress-no-retries");
    let m = &without.metrics;
    assert!(m.failed > 20, "{}", m.failed);
    assert_eq!(m.failed_by(Reason::BadGateway), m.failed);
    assert_eq!(failed_between(&without, 0, 30), 0);
    let first = m.first_by_reason[Reason::BadGateway as usize]
        .as_ref()
        .unwrap();
    assert!(
        first.cause.contains("answered 502 after 1 try"),
        "{}",
        first.cause
    );
    assert_eq!(without.summary_json()["rollout"]["complete"], true);
}

#[test]
fn an_ingress_with_no_endpoint_answers_503() {
    let text = common::scenario("recreate-prestop")
        .replace("  timeout: 5s\n", "  timeout: 5s\n  via: ingress\n");
    let c = run_text(&text);
    let m = &c.metrics;
    assert!(m.failed_by(Reason::ServiceUnavailable) > 0);
    let first = m.first_by_reason[Reason::ServiceUnavailable as usize]
        .as_ref()
        .unwrap();
    assert!(
        first.cause.contains("had no endpoint for Service myapp"),
        "{}",
        first.cause
    );
    // ingress-nginx has no serving-terminating fallback: the outage starts at the update.
    assert!(failed_between(&c, 30, 34) > 0);
}

#[test]
fn recreate_with_a_pre_stop_sleep_answers_from_terminating_pods() {
    let c = run("recreate-prestop");
    let m = &c.metrics;
    assert_eq!(
        failed_between(&c, 0, 40),
        0,
        "old pods serve through their preStop sleep"
    );
    assert!(m.failed > 50, "{}", m.failed);
    assert!(m.failed_by(Reason::ConnectionRefused) as f64 >= 0.9 * m.failed as f64);
    assert_eq!(failed_between(&c, 50, 120), 0, "none once v2 is ready");
    assert!(m
        .failures
        .iter()
        .any(|f| f.cause.contains("used the terminating pods still serving")));
    assert_eq!(c.summary_json()["rollout"]["complete"], true);
}

#[test]
fn a_late_node_is_named_in_the_cause() {
    let text = common::scenario("rolling-without-readiness").replace(
        "  endpointPropagation: 1s\n",
        "  endpointPropagation: 1s\n  propagationJitter: 900ms\n",
    );
    assert!(text.contains("propagationJitter"));
    let c = run_text(&text);
    assert!(c.metrics.failed > 0);
    let jittered = common::scenario("rolling-zero-downtime").replace(
        "  endpointPropagation: 1s\n",
        "  endpointPropagation: 2s\n  propagationJitter: 2s\n",
    );
    let z = run_text(&jittered);
    let named = z
        .metrics
        .failures
        .iter()
        .chain(c.metrics.failures.iter())
        .any(|f| f.cause.contains("kube-proxy on node-"));
    assert!(
        named,
        "{:?}",
        c.metrics.failures.iter().take(3).collect::<Vec<_>>()
    );
}

#[test]
fn a_feature_flag_is_the_release_and_turning_it_off_the_rollback() {
    let c = run("feature-flag");
    let m = &c.metrics;
    // The deploy at 20s fails nothing: the new code path is dark.
    assert_eq!(failed_between(&c, 0, 80), 0, "deploying is not releasing");
    assert_eq!(c.summary_json()["rollout"]["complete"], true);
    // On for 10% of users, the flagged path fails a share of their requests, each saying so.
    let released = failed_between(&c, 80, 111);
    assert!(released > 0, "the flag on for 10%");
    assert_eq!(m.failed_by(Reason::AppError), m.failed);
    assert!(m.failures.iter().all(|f| f
        .cause
        .contains("the code behind feature flag new-checkout (on for 10% of users")));
    // About 10% of 50 req/s for 30 s, of which 30% fail: some 45.
    assert!((15..=90).contains(&released), "{released}");
    // Off: no more failures, with no rollout.
    assert_eq!(failed_between(&c, 112, 140), 0);
    let flag_events: Vec<&str> = c
        .events
        .iter()
        .filter(|e| e.reason == "FlagChanged")
        .map(|e| e.message.as_str())
        .collect();
    assert_eq!(
        flag_events,
        [
            "Feature flag new-checkout turned on for 10% of users",
            "Feature flag new-checkout turned off (was on for 10% of users)"
        ]
    );
}

#[test]
fn a_flag_command_is_checked_before_it_runs() {
    use rollout_sim::kubectl::{parse, Command};
    assert_eq!(
        parse("flag new-checkout 25%"),
        Ok(Command::Flag {
            name: "new-checkout".into(),
            percent: 25
        })
    );
    assert_eq!(
        parse("flag x on").map(|c| c.to_string()),
        Ok("flag x on".into())
    );
    assert!(parse("flag x 120%")
        .unwrap_err()
        .contains("from 0% to 100%"));
    assert!(parse("flag x").is_err());
    let mut c = run("feature-flag");
    let err = c.kubectl("flag dark-mode on", None).unwrap_err();
    assert!(
        err.contains("no image has a flag named \"dark-mode\""),
        "{err}"
    );
}

#[test]
fn oc_tag_moves_an_image_stream_tag_and_the_deployment_that_follows_it_rolls_out() {
    let c = run("openshift-image-trigger");
    assert_eq!(c.metrics.failed, 0, "{}", c.summary_text());
    let live: Vec<&str> = c
        .pods
        .iter()
        .filter(|p| p.deletion.is_none())
        .map(|p| p.image.as_str())
        .collect();
    assert_eq!(
        live, ["myapp:2"; 5],
        "rolled out by the trigger, scaled by oc scale dc/"
    );
    assert_eq!(
        c.image_stream_tags.get("myapp:latest").map(String::as_str),
        Some("myapp:2")
    );
    assert!(c
        .events
        .iter()
        .any(|e| e.message.starts_with("Scaled up replica set myapp-")));
    // oc answers as oc does, and shares kubectl's verbs.
    let mut c = run("openshift-image-trigger");
    assert_eq!(
        c.kubectl("oc tag myapp:1 myapp:stable", None),
        Ok("Tag myapp:stable set to myapp:1.".into())
    );
    assert!(c
        .kubectl("oc get deploy", None)
        .unwrap()
        .starts_with("NAME"));
    assert_eq!(
        c.kubectl("oc scale dc/myapp --replicas=2", None),
        Ok("deployment.apps/myapp scaled".into())
    );
    let err = c.kubectl("oc new-app myapp", None).unwrap_err();
    assert!(err.contains("oc new-app is not simulated"), "{err}");
}

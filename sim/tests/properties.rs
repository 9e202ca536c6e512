//! Property tests over random scenarios: no input makes the core panic, requests are conserved at
//! every instant, runs are deterministic, and a rolling update stays inside its fenceposts (FP, RU).
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may stop at the first surprise

use proptest::prelude::*;
use rollout_sim::cluster::Cluster;
use rollout_sim::deployment::util::{max_surge, max_unavailable};
use rollout_sim::scenario::Scenario;

#[derive(Debug, Clone)]
struct Knobs {
    seed: u64,
    replicas: i32,
    recreate: bool,
    surge: String,
    unavailable: String,
    readiness: Option<(u32, u32)>,
    pre_stop: u32,
    grace: u32,
    on_sigterm: &'static str,
    v2: &'static str,
    rps: u32,
    propagation_ms: u32,
    round_robin: bool,
    update_at: u32,
    extra: &'static str,
    /// How clients hold connections, and where they enter (CN-*, IN-*).
    connections: &'static str,
    ingress: Option<(u32, u32)>,
    jitter_ms: u32,
    max_age_s: Option<u32>,
    liveness: bool,
}

fn int_or_percent() -> impl Strategy<Value = String> {
    prop_oneof![
        (0..4u32).prop_map(|n| n.to_string()),
        prop::sample::select(vec!["0%", "10%", "25%", "50%", "100%"]).prop_map(String::from)
    ]
}

fn knobs() -> impl Strategy<Value = Knobs> {
    (
        (
            any::<u64>(),
            1..7i32,
            any::<bool>(),
            int_or_percent(),
            int_or_percent(),
        ),
        (
            prop::option::of((0..6u32, 1..4u32)),
            0..8u32,
            0..40u32,
            prop::sample::select(vec!["exit", "drain", "ignore"]),
        ),
        (
            prop::sample::select(vec![
                "{ startup: 3s }",
                "{ startup: 15s, errorRate: 0.3 }",
                "{ startup: 1s, crashAfter: 5s }",
                "{ startup: 2s, capacity: 1, latency: 300ms }",
            ]),
            0..40u32,
            0..3000u32,
            any::<bool>(),
            5..60u32,
            prop::sample::select(vec![
                "",
                "undo",
                "restart",
                "pause-resume",
                "delete-pod",
                "scale",
            ]),
        ),
        (
            prop::sample::select(vec!["per-request", "keep-alive", "http2"]),
            prop::option::of((0..5000u32, 0..4u32)),
            0..2000u32,
            prop::option::of(1..30u32),
            any::<bool>(),
        ),
    )
        .prop_map(
            |(
                (seed, replicas, recreate, surge, unavailable),
                (readiness, pre_stop, grace, on_sigterm),
                (v2, rps, propagation_ms, round_robin, update_at, extra),
                (connections, ingress, jitter_ms, max_age_s, liveness),
            )| {
                Knobs {
                    seed,
                    replicas,
                    recreate,
                    surge,
                    unavailable,
                    readiness,
                    pre_stop,
                    grace,
                    on_sigterm,
                    v2,
                    rps,
                    propagation_ms,
                    round_robin,
                    update_at,
                    extra,
                    connections,
                    ingress,
                    jitter_ms,
                    max_age_s,
                    liveness,
                }
            },
        )
}

fn yaml(k: &Knobs) -> String {
    let strategy = if k.recreate {
        "    type: Recreate\n".to_string()
    } else {
        format!("    type: RollingUpdate\n    rollingUpdate:\n      maxSurge: {}\n      maxUnavailable: {}\n", k.surge, k.unavailable)
    };
    let readiness = k.readiness.map_or(String::new(), |(delay, period)| {
        format!("          readinessProbe:\n            httpGet: {{ path: /, port: 80 }}\n            initialDelaySeconds: {delay}\n            periodSeconds: {period}\n")
    });
    let pre_stop = if k.pre_stop > 0 {
        format!("          lifecycle:\n            preStop:\n              exec:\n                command: [\"sleep\", \"{}\"]\n", k.pre_stop)
    } else {
        String::new()
    };
    let extra = match k.extra {
        "undo" => format!("- at: {}s\n  run: kubectl rollout undo deployment/web\n", k.update_at + 20),
        "restart" => format!("- at: {}s\n  run: kubectl rollout restart deployment/web\n", k.update_at + 10),
        "pause-resume" => format!("- at: {}s\n  run: kubectl rollout pause deployment/web\n- at: {}s\n  run: kubectl rollout resume deployment/web\n", k.update_at + 2, k.update_at + 12),
        "delete-pod" => format!("- at: {}s\n  run: kubectl delete pod web --grace-period=3\n", k.update_at + 5),
        "scale" => format!("- at: {}s\n  run: kubectl scale deployment/web --replicas={}\n", k.update_at + 4, k.replicas + 3),
        _ => String::new(),
    };
    let liveness = if k.liveness {
        "          livenessProbe:\n            httpGet: { path: /, port: 80 }\n            periodSeconds: 1\n            failureThreshold: 2\n            terminationGracePeriodSeconds: 4\n"
    } else {
        ""
    };
    let via = match k.ingress {
        Some((propagation, retries)) => format!("  via: ingress\nnetwork:\n  ingress: {{ propagation: {propagation}ms, retries: {retries} }}\n"),
        None => "network:\n".into(),
    };
    let max_age = k
        .max_age_s
        .map_or(String::new(), |s| format!(", maxConnectionAge: {s}s"));
    let readiness = format!("{readiness}{liveness}");
    format!(
        "seed: {}\nduration: 120s\ntraffic:\n  requestsPerSecond: {}\n  timeout: 3s\n  connections: {}\n  clients: 7\n{via}  propagationJitter: {}ms\n  endpointPropagation: {}ms\n  loadBalancing: {}\nimages:\n  web:1: {{ startup: 2s, onSigterm: {}{max_age} }}\n  web:2: {}\nmanifests: |\n  apiVersion: apps/v1\n  kind: Deployment\n  metadata:\n    name: web\n  spec:\n    replicas: {}\n    strategy:\n{}    selector:\n      matchLabels: {{ app: web }}\n    template:\n      metadata:\n        labels: {{ app: web }}\n      spec:\n        terminationGracePeriodSeconds: {}\n        containers:\n        - name: app\n          image: web:1\n{}{}  ---\n  apiVersion: v1\n  kind: Service\n  metadata:\n    name: web\n  spec:\n    selector: {{ app: web }}\ntimeline:\n- at: {}s\n  run: kubectl set image deployment/web app=web:2\n{}",
        k.seed, k.rps, k.connections, k.jitter_ms, k.propagation_ms, if k.round_robin { "round-robin" } else { "random" }, k.on_sigterm, k.v2, k.replicas,
        indent(&strategy), k.grace, readiness, pre_stop, k.update_at, extra
    )
}

fn indent(block: &str) -> String {
    block.lines().map(|l| format!("  {l}\n")).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn conservation_bounds_and_no_panic(k in knobs()) {
        let text = yaml(&k);
        let scenario = match Scenario::parse(&text) {
            Ok(s) => s,
            // Only the raw 0/0 pair may be refused, and with Kubernetes' message.
            Err(e) => {
                prop_assert!(e.message.contains("may not be 0 when `maxSurge` is 0"), "{e}\n{text}");
                return Ok(());
            }
        };
        let mut c = Cluster::new(scenario);
        let check_bounds = !k.recreate && !matches!(k.extra, "scale" | "pause-resume");
        while c.step(120_000) {
            let m = &c.metrics;
            prop_assert_eq!(m.sent, m.succeeded + m.failed + m.in_flight());
            prop_assert_eq!(m.in_flight(), c.requests_in_flight());
            // A third count, the traffic view's: every request in flight is held by some pod.
            let held = c.in_flight_by_pod().iter().flat_map(|(_, r)| r).filter(|r| !r.shadow).count();
            prop_assert_eq!(held as u64, c.requests_in_flight());
            // Connections: none closed or reset that was not opened; the open ones lead to pods.
            let pool = &c.requests.pool;
            prop_assert!(pool.closed_by_server + pool.reset <= pool.opened, "{} + {} > {}", pool.closed_by_server, pool.reset, pool.opened);
            let open: usize = c.pods.iter().map(|p| c.connections_to(p.uid)).sum();
            prop_assert!(open as u64 <= pool.opened);
            if check_bounds {
                let d = c.deployment("web").unwrap();
                let (surge, unavailable) = (max_surge(d), max_unavailable(d));
                let spec: i32 = c.replica_sets.iter().map(|rs| rs.replicas).sum();
                let live = c.pods.iter().filter(|p| p.deletion.is_none()).count() as i32;
                let available: i32 = c.replica_sets.iter().map(|rs| rs.status.available_replicas).sum();
                prop_assert!(spec <= d.spec.replicas + surge, "RS specs {} > {} + {} at {}\n{}", spec, d.spec.replicas, surge, c.now, text);
                prop_assert!(live <= d.spec.replicas + surge, "{} pods not terminating at {}", live, c.now);
                // Pods that crash, are too busy to answer their probe, or are deleted by hand lose
                // availability on their own; the bound is about what the controller does.
                if k.extra != "delete-pod" && !k.liveness && !k.v2.contains("crashAfter") && !k.v2.contains("capacity") {
                    prop_assert!(available >= d.spec.replicas - unavailable, "{} available < {} - {} at {}\n{}", available, d.spec.replicas, unavailable, c.now, text);
                }
            }
        }
        // kubectl refuses an undo before a second revision exists (Recreate still waiting).
        let legit = |e: &str| e.contains("no rollout history found for deployment \"web\"");
        prop_assert!(c.command_errors.iter().all(|(_, e)| legit(e)), "{:?}", c.command_errors);
    }

    #[test]
    fn deterministic(k in knobs()) {
        let text = yaml(&k);
        if let Ok(s) = Scenario::parse(&text) {
            let run = |s: Scenario| { let mut c = Cluster::new(s); c.run(); (c.summary_json().to_string(), c.events.len()) };
            prop_assert_eq!(run(s.clone()), run(s));
        }
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,400}") {
        let _ = Scenario::parse(&text);
        let _ = rollout_sim::kubectl::parse(&text);
    }
}

/// A Rollout scenario: blue-green, basic canary or traffic-routed canary, with random steps,
/// a random new version and a random Argo command in the middle.
#[derive(Debug, Clone)]
struct Progressive {
    seed: u64,
    replicas: i32,
    strategy: &'static str,
    surge: String,
    unavailable: String,
    weights: Vec<u32>,
    v2: &'static str,
    command: &'static str,
    command_at: u32,
}

fn progressive() -> impl Strategy<Value = Progressive> {
    (
        any::<u64>(),
        1..7i32,
        prop::sample::select(vec!["blueGreen", "canary", "routed"]),
        int_or_percent(),
        int_or_percent(),
        prop::collection::vec(0..=100u32, 0..4),
        prop::sample::select(vec![
            "{ startup: 3s }",
            "{ startup: 2s, errorRate: 0.4 }",
            "{ startup: 1s, crashAfter: 5s }",
        ]),
        prop::sample::select(vec![
            "",
            "promote",
            "promote --full",
            "abort",
            "undo",
            "pause",
            "abort|retry rollout",
            "pause|promote",
            "abort|undo",
        ]),
        20..70u32,
    )
        .prop_map(
            |(seed, replicas, strategy, surge, unavailable, weights, v2, command, command_at)| {
                Progressive {
                    seed,
                    replicas,
                    strategy,
                    surge,
                    unavailable,
                    weights,
                    v2,
                    command,
                    command_at,
                }
            },
        )
}

fn progressive_yaml(p: &Progressive) -> String {
    let steps: String = p
        .weights
        .iter()
        .map(|w| format!("      - setWeight: {w}\n      - pause: {{ duration: 5s }}\n"))
        .chain(std::iter::once(
            "      - analysis: { templates: [ { templateName: errors } ] }\n      - pause: {}\n"
                .to_string(),
        ))
        .collect();
    let strategy = match p.strategy {
        "blueGreen" => "    blueGreen:\n      activeService: web\n      previewService: web-preview\n      autoPromotionSeconds: 10\n      scaleDownDelaySeconds: 5\n      prePromotionAnalysis: { templates: [ { templateName: errors } ] }\n".to_string(),
        "canary" => format!("    canary:\n      maxSurge: {}\n      maxUnavailable: {}\n      analysis: {{ templates: [ {{ templateName: errors }} ] }}\n      steps:\n{steps}", p.surge, p.unavailable),
        _ => format!("    canary:\n      stableService: web\n      canaryService: web-preview\n      trafficRouting:\n        nginx: {{ stableIngress: web }}\n      steps:\n{steps}"),
    };
    let command = match p.command {
        "" => String::new(),
        // A second command ten seconds after the first ("abort|retry rollout").
        c => c
            .split('|')
            .enumerate()
            .map(|(k, c)| {
                format!(
                    "- at: {}s\n  run: kubectl argo rollouts {c} web\n",
                    p.command_at + 10 * k as u32
                )
            })
            .collect(),
    };
    format!(
        "seed: {}\nduration: 120s\ntraffic:\n  requestsPerSecond: 30\n  service: web\nimages:\n  web:1: {{ startup: 2s }}\n  web:2: {}\nmanifests: |\n  apiVersion: argoproj.io/v1alpha1\n  kind: AnalysisTemplate\n  metadata:\n    name: errors\n  spec:\n    metrics:\n    - name: errors\n      interval: 5s\n      count: 3\n      successCondition: result < 0.1\n      provider:\n        simulation: {{ measure: error-rate, version: all, window: 5s }}\n  ---\n  apiVersion: argoproj.io/v1alpha1\n  kind: Rollout\n  metadata:\n    name: web\n  spec:\n    replicas: {}\n    selector:\n      matchLabels: {{ app: web }}\n    template:\n      metadata:\n        labels: {{ app: web }}\n      spec:\n        containers:\n        - name: app\n          image: web:1\n          readinessProbe:\n            httpGet: {{ path: /, port: 80 }}\n            periodSeconds: 1\n    strategy:\n{}  ---\n  apiVersion: v1\n  kind: Service\n  metadata:\n    name: web\n  spec:\n    selector: {{ app: web }}\n  ---\n  apiVersion: v1\n  kind: Service\n  metadata:\n    name: web-preview\n  spec:\n    selector: {{ app: web }}\ntimeline:\n- at: 10s\n  run: kubectl argo rollouts set image web app=web:2\n{}",
        p.seed, p.v2, p.replicas, indent(&strategy), command
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn rollouts_conserve_requests_and_stay_in_bounds(p in progressive()) {
        let text = progressive_yaml(&p);
        let scenario = match Scenario::parse(&text) {
            Ok(s) => s,
            Err(e) => {
                prop_assert!(e.message.contains("both can not be zero"), "{e}\n{text}");
                return Ok(());
            }
        };
        let mut c = Cluster::new(scenario);
        while c.step(120_000) {
            let m = &c.metrics;
            prop_assert_eq!(m.sent, m.succeeded + m.failed + m.in_flight());
            prop_assert_eq!(m.in_flight(), c.requests_in_flight());
            let spec: i32 = c.replica_sets.iter().map(|rs| rs.replicas).sum();
            // Blue-green and a router's canary run the new version beside a full stable one; a
            // basic canary stays within replicas + maxSurge (AC-2).
            let bound = match p.strategy {
                "canary" => {
                    let surge = p.surge.trim_end_matches('%').parse::<f64>().unwrap_or(0.0);
                    let surge = if p.surge.ends_with('%') { (surge * f64::from(p.replicas) / 100.0).ceil() } else { surge };
                    let surge = if surge == 0.0 && p.unavailable.trim_end_matches('%') == "0" { 0.0 } else { surge };
                    p.replicas + surge as i32
                }
                _ => 2 * p.replicas,
            };
            prop_assert!(spec <= bound, "RS specs {} > {} at {}\n{}", spec, bound, c.now, text);
        }
        // Refusals a person would also get: nothing to promote or abort, no history to undo.
        let legit = |e: &str| e.contains("nothing to promote") || e.contains("no update in progress") || e.contains("no rollout history") || e.contains("is not aborted");
        prop_assert!(c.command_errors.iter().all(|(_, e)| legit(e)), "{:?}", c.command_errors);
        let again = { let mut d = Cluster::new(Scenario::parse(&text).unwrap()); d.run(); d.summary_json() };
        c.run();
        prop_assert_eq!(c.summary_json(), again, "deterministic");
    }
}

proptest! {
    /// The scenario reader's own number parser is exact wherever it claims to be: up to 15
    /// significant digits and powers of ten up to 22, written plainly or with an exponent.
    #[test]
    fn decimal_parse_is_correctly_rounded(m in 0u64..1_000_000_000_000_000, e in -22i32..=22, dot in 0usize..16) {
        let text = format!("{m}e{e}");
        prop_assert_eq!(rollout_sim::decimal::parse(&text), text.parse::<f64>().ok());
        let digits = m.to_string();
        let at = dot.min(digits.len());
        let plain = format!("{}.{}", &digits[..at], &digits[at..]);
        prop_assert_eq!(rollout_sim::decimal::parse(&plain), plain.parse::<f64>().ok(), "{}", plain);
    }
}

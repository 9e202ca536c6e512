//! Speed and memory of the core (a benchmark, not a test: `cargo bench -p rollout-sim`).
//! 100 replicas, 1,000 requests/s, 10 simulated minutes with a rolling update in the middle;
//! then an hour at 1,000 requests/s in a child process, to read its peak memory.
use rollout_sim::cluster::Cluster;
use rollout_sim::scenario::Scenario;
use std::time::Instant;

fn scenario(minutes: u32, update_at_s: u32) -> Scenario {
    with_connections(minutes, update_at_s, "per-request")
}

/// The rollout benchmark with clients holding their connections as `connections` says.
fn with_connections(minutes: u32, update_at_s: u32, connections: &str) -> Scenario {
    let text = format!(
        "seed: 7\nduration: {minutes}m\ntraffic:\n  requestsPerSecond: 1000\n  timeout: 5s\n  clients: 500\n  connections: {connections}\nnetwork:\n  endpointPropagation: 1s\nimages:\n  web:1: {{ startup: 2s, latency: 40ms, onSigterm: drain }}\n  web:2: {{ startup: 5s, latency: 40ms, onSigterm: drain }}\nnodes: 10\nmanifests: |\n  apiVersion: apps/v1\n  kind: Deployment\n  metadata:\n    name: web\n  spec:\n    replicas: 100\n    selector:\n      matchLabels: {{ app: web }}\n    template:\n      metadata:\n        labels: {{ app: web }}\n      spec:\n        containers:\n        - name: app\n          image: web:1\n          readinessProbe:\n            httpGet: {{ path: /, port: 80 }}\n            periodSeconds: 2\n          lifecycle:\n            preStop:\n              sleep: {{ seconds: 3 }}\n  ---\n  apiVersion: v1\n  kind: Service\n  metadata:\n    name: web\n  spec:\n    selector: {{ app: web }}\ntimeline:\n- at: {update_at_s}s\n  run: kubectl set image deployment/web app=web:2\n"
    );
    match Scenario::parse(&text) {
        Ok(s) => s,
        Err(e) => panic!("benchmark scenario: {e}"),
    }
}

/// The same fleet as an Argo canary behind a router, with background analysis over a 30 s window
/// (every answer is kept for it) and 20% of requests mirrored to the canary.
fn canary_scenario() -> Scenario {
    let text = r#"seed: 7
duration: 10m
traffic: { requestsPerSecond: 1000, timeout: 5s, clients: 500, service: web }
images:
  web:1: { startup: 2s, latency: 40ms, onSigterm: drain }
  web:2: { startup: 5s, latency: 40ms, onSigterm: drain }
nodes: 10
manifests: |
  apiVersion: argoproj.io/v1alpha1
  kind: AnalysisTemplate
  metadata: { name: errors }
  spec:
    metrics:
    - name: errors
      interval: 10s
      successCondition: result < 0.05
      provider:
        simulation: { measure: error-rate, version: canary, window: 30s }
  ---
  apiVersion: argoproj.io/v1alpha1
  kind: Rollout
  metadata: { name: web }
  spec:
    replicas: 100
    selector: { matchLabels: { app: web } }
    template:
      metadata: { labels: { app: web } }
      spec:
        containers:
        - name: app
          image: web:1
          readinessProbe: { httpGet: { path: /, port: 80 }, periodSeconds: 2 }
          lifecycle: { preStop: { sleep: { seconds: 3 } } }
    strategy:
      canary:
        stableService: web
        canaryService: web-canary
        trafficRouting:
          managedRoutes: [ { name: mirror } ]
          istio: { virtualService: { name: web } }
        analysis: { templates: [ { templateName: errors } ] }
        steps:
        - setMirrorRoute: { name: mirror, percentage: 20, match: [ { method: { exact: GET } } ] }
        - setWeight: 10
        - pause: { duration: 60s }
        - setWeight: 50
        - pause: { duration: 60s }
  ---
  apiVersion: v1
  kind: Service
  metadata: { name: web }
  spec: { selector: { app: web } }
  ---
  apiVersion: v1
  kind: Service
  metadata: { name: web-canary }
  spec: { selector: { app: web } }
timeline:
- at: 60s
  run: kubectl argo rollouts set image web app=web:2
"#;
    match Scenario::parse(text) {
        Ok(s) => s,
        Err(e) => panic!("canary benchmark scenario: {e}"),
    }
}

/// Runs of each benchmark, the fastest reported: this machine's neighbours slow single runs by up
/// to a third, and the best of many is the run they left alone.
const RUNS: usize = 20;

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

fn main() {
    if std::env::args().any(|a| a == "--hour") {
        let mut c = Cluster::new(scenario(60, 1800));
        c.run();
        println!("{} {}", c.metrics.sent, peak_rss_kib().unwrap_or(0));
        return;
    }
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    // The workload as a scenario file, for `rollout-sim run` beside the SimPy model of it
    // (sim/benches/simpy_rollout.py, run by scripts/bench).
    if std::env::args().any(|a| a == "--print-scenario") {
        println!("{}", scenario(10, 300).to_yaml());
        return;
    }
    let mut best = f64::MAX;
    let mut sent = 0;
    let mut digest = None;
    for _ in 0..RUNS {
        let start = Instant::now();
        let mut c = Cluster::new(scenario(10, 300));
        c.run();
        best = best.min(start.elapsed().as_secs_f64());
        sent = c.metrics.sent;
        // FNV-1a of the whole JSON summary: equal digests natively and in wasm mean equal runs.
        let summary = c.summary_json().to_string();
        digest = Some(summary.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
        }));
        assert!(
            c.rollout_completed_at.is_some(),
            "the rolling update completes"
        );
    }
    println!("rollout: 100 replicas, 1000 req/s, 10 simulated minutes, rolling update at 5 min");
    if let Some(digest) = digest {
        println!("  summary digest {digest:016x}");
    }
    println!(
        "  {sent} requests in {:.3} s of wall time (best of {RUNS})",
        best
    );
    println!(
        "  {:.2} million simulated requests per second; {:.0}x faster than real time",
        sent as f64 / best / 1e6,
        600.0 / best
    );
    for connections in ["keep-alive", "http2"] {
        let mut best = f64::MAX;
        let mut sent = 0;
        for _ in 0..RUNS {
            let start = Instant::now();
            let mut c = Cluster::new(with_connections(10, 300, connections));
            c.run();
            best = best.min(start.elapsed().as_secs_f64());
            sent = c.metrics.sent;
        }
        println!(
            "  the same with {connections} clients: {sent} requests in {best:.3} s (best of {RUNS}): {:.2} million per second",
            sent as f64 / best / 1e6
        );
    }
    let mut best = f64::MAX;
    let mut sent = 0;
    for _ in 0..RUNS {
        let start = Instant::now();
        let mut c = Cluster::new(canary_scenario());
        c.run();
        best = best.min(start.elapsed().as_secs_f64());
        sent = c.metrics.sent + c.metrics.shadow.sent;
        assert!(
            c.rollout_completed_at.is_some(),
            "the canary completes: {}",
            c.summary_text()
        );
    }
    println!("canary: 100 replicas behind a router, background analysis, 20% mirrored, 10 minutes");
    println!(
        "  {sent} requests (shadow copies included) in {best:.3} s (best of {RUNS}): {:.2} million per second",
        sent as f64 / best / 1e6
    );
    let exe = std::env::current_exe().ok();
    if let Some(out) = exe.and_then(|e| std::process::Command::new(e).arg("--hour").output().ok()) {
        let text = String::from_utf8_lossy(&out.stdout);
        let mut words = text.split_whitespace();
        if let (Some(n), Some(kib)) = (words.next(), words.next()) {
            println!("hour: 1000 req/s for 60 simulated minutes: {n} requests, peak resident memory {:.1} MB", kib.parse::<f64>().unwrap_or(0.0) / 1024.0);
        }
    }
}

//! Speed and memory of the core (a benchmark, not a test: `cargo bench -p rollout-sim`).
//! 100 replicas, 1,000 requests/s, 10 simulated minutes with a rolling update in the middle;
//! then an hour at 1,000 requests/s in a child process, to read its peak memory.
use rollout_sim::cluster::Cluster;
use rollout_sim::scenario::Scenario;
use std::time::Instant;

fn scenario(minutes: u32, update_at_s: u32) -> Scenario {
    let text = format!(
        "seed: 7\nduration: {minutes}m\ntraffic:\n  requestsPerSecond: 1000\n  timeout: 5s\n  clients: 500\nnetwork:\n  endpointPropagation: 1s\nimages:\n  web:1: {{ startup: 2s, latency: 40ms, onSigterm: drain }}\n  web:2: {{ startup: 5s, latency: 40ms, onSigterm: drain }}\nnodes: 10\nmanifests: |\n  apiVersion: apps/v1\n  kind: Deployment\n  metadata:\n    name: web\n  spec:\n    replicas: 100\n    selector:\n      matchLabels: {{ app: web }}\n    template:\n      metadata:\n        labels: {{ app: web }}\n      spec:\n        containers:\n        - name: app\n          image: web:1\n          readinessProbe:\n            httpGet: {{ path: /, port: 80 }}\n            periodSeconds: 2\n          lifecycle:\n            preStop:\n              sleep: {{ seconds: 3 }}\n  ---\n  apiVersion: v1\n  kind: Service\n  metadata:\n    name: web\n  spec:\n    selector: {{ app: web }}\ntimeline:\n- at: {update_at_s}s\n  run: kubectl set image deployment/web app=web:2\n"
    );
    match Scenario::parse(&text) {
        Ok(s) => s,
        Err(e) => panic!("benchmark scenario: {e}"),
    }
}

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
    let mut best = f64::MAX;
    let mut sent = 0;
    let mut digest = None;
    for _ in 0..5 {
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
        "  {sent} requests in {:.3} s of wall time (best of 5)",
        best
    );
    println!(
        "  {:.2} million simulated requests per second; {:.0}x faster than real time",
        sent as f64 / best / 1e6,
        600.0 / best
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

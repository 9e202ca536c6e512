//! What the scenario tests share: run a file to its end with the bookkeeping checked, and count
//! failures in a window of seconds.
#![allow(dead_code)] // each test file uses its own part

use rollout_sim::cluster::Cluster;
use rollout_sim::scenario::Scenario;

/// The text of `sim/scenarios/<name>.yaml`.
pub fn scenario(name: &str) -> String {
    let path = format!("{}/scenarios/{name}.yaml", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(path).expect("the example exists")
}

/// Runs a scenario to its end; no command may fail, and every request is accounted for.
pub fn run_text(text: &str) -> Cluster {
    let mut c = Cluster::new(Scenario::parse(text).expect("the scenario parses"));
    c.run();
    assert!(c.command_errors.is_empty(), "{:?}", c.command_errors);
    let m = &c.metrics;
    assert_eq!(m.sent, m.succeeded + m.failed + m.in_flight());
    assert_eq!(m.in_flight(), c.requests_in_flight());
    c
}

pub fn run(name: &str) -> Cluster {
    run_text(&scenario(name))
}

/// Failures that ended in [from, to) seconds.
pub fn failed_between(c: &Cluster, from: usize, to: usize) -> u32 {
    c.metrics
        .seconds
        .iter()
        .take(to)
        .skip(from)
        .map(|s| s.failed.iter().sum::<u32>())
        .sum()
}

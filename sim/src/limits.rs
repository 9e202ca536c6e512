//! The simulator's limits, stated once: the biggest scenario they allow still runs in the page
//! in seconds (about 7 million requests). Past them an input is refused with a message that
//! names the limit, never run for minutes or cut short silently. Kubernetes itself allows more;
//! these are the simulator's, and say so.
use crate::time::{Ms, SECOND};

/// Simulated time of one scenario.
pub const DURATION: Ms = 3600 * SECOND;
/// Client requests per second.
pub const REQUESTS_PER_SECOND: f64 = 2000.0;
/// Distinct client IPs.
pub const CLIENTS: u32 = 100_000;
/// Replicas of one Deployment or Rollout, and so also the most a maxSurge can add.
pub const REPLICAS: i32 = 1000;
/// Other upstreams an ingress controller tries after a failed one.
pub const RETRIES: u32 = 10;
/// Commands in a timeline (or typed into the lab's console).
pub const TIMELINE: usize = 1000;

/// Levels of nesting in YAML and JSON (Kubernetes objects use about fifteen): deeper input is
/// refused before it costs more than its size to read.
pub const NESTING: usize = 64;

/// The sentence a refusal ends with.
pub fn exceeded(what: &str, limit: impl std::fmt::Display) -> String {
    format!("{what} is above the simulator's limit of {limit}")
}

/// A time past `DURATION` (the duration itself, the proxies' lag).
pub fn too_long(what: &str) -> String {
    exceeded(what, format!("{}h", DURATION / (3600 * SECOND)))
}

/// A timeline with more than `TIMELINE` commands.
pub fn timeline_too_long() -> String {
    exceeded("the timeline's length", format!("{TIMELINE} commands"))
}

/// YAML or JSON nested more than `NESTING` levels.
pub fn too_deep() -> String {
    exceeded("nesting", format!("{NESTING} levels"))
}

/// Bytes of one file the simulator reads (a scenario, its manifests, a pasted `kubectl get -o
/// yaml`): a namespace's worth of objects with their status and managedFields fits many times.
pub const FILE_BYTES: usize = 1 << 20;

/// Bytes of a share link's query: what browsers keep in a URL (Chromium's 2 MB) holds the
/// largest manifests the lab takes, percent-encoded.
pub const LINK_BYTES: usize = 2 << 20;

/// Values in one YAML stream, aliases counted as often as they are used: bounds what a small
/// file of anchors can expand to ("billion laughs") as well as what a large one holds.
pub const YAML_VALUES: usize = 200_000;

/// A file longer than `FILE_BYTES`.
pub fn too_big(what: &str) -> String {
    exceeded(what, format!("{} KiB", FILE_BYTES >> 10))
}

/// Feature flags one image may carry.
pub const FLAGS: usize = 16;

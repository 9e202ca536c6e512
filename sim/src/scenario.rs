//! A scenario file (shared/scenarios/README.md): seed, duration, traffic, network, how each image
//! behaves, the manifests as they stand at t=0, and a timeline of kubectl command lines.
use crate::manifest::{self, Object};
use crate::time::{parse_duration, Ms};
use crate::yaml::{self, SourceError};
use serde::{de, Deserialize, Deserializer};
use std::collections::BTreeMap;

/// A duration written as `500ms`, `20s`, `2m` (or a bare number of seconds).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Duration(pub Ms);

impl<'de> Deserialize<'de> for Duration {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Num(f64),
            Text(String),
        }
        match Raw::deserialize(d)? {
            Raw::Num(n) => parse_duration(&n.to_string()),
            Raw::Text(t) => parse_duration(&t),
        }
        .map(Duration)
        .map_err(de::Error::custom)
    }
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Traffic {
    pub requests_per_second: f64,
    #[serde(default = "five_seconds")]
    pub timeout: Duration,
    /// Distinct client IPs (for ClientIP affinity and version flips).
    #[serde(default = "fifty")]
    pub clients: u32,
    /// The Service the clients call; the first Service when not set.
    #[serde(default)]
    pub service: Option<String>,
    /// Headers a share of the clients send (for A/B header routes), e.g. a beta cookie.
    #[serde(default)]
    pub headers: Vec<ClientHeader>,
    #[serde(flatten, default)]
    unknown: BTreeMap<String, serde_json::Value>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct ClientHeader {
    pub name: String,
    pub value: String,
    /// The share of clients (0 to 1) that send it.
    pub share: f64,
}

/// The application's database, for N-1 compatibility lessons.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
pub struct Database {
    /// The schema version at t=0.
    pub schema: u32,
}

fn five_seconds() -> Duration {
    Duration(5000)
}
fn fifty() -> u32 {
    50
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LoadBalancing {
    /// iptables mode: each new connection picks a ready endpoint uniformly at random (LB-1).
    #[default]
    Random,
    /// IPVS `rr` on each node (LB-2).
    RoundRobin,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Network {
    /// From an endpoint change to every node's proxy acting on it (TM-4).
    #[serde(default = "one_second")]
    pub endpoint_propagation: Duration,
    #[serde(default)]
    pub load_balancing: LoadBalancing,
    #[serde(flatten, default)]
    unknown: BTreeMap<String, serde_json::Value>,
}

impl Default for Network {
    fn default() -> Self {
        Network {
            endpoint_propagation: one_second(),
            load_balancing: LoadBalancing::Random,
            unknown: BTreeMap::new(),
        }
    }
}

fn one_second() -> Duration {
    Duration(1000)
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OnSigterm {
    /// Stop at once: in-flight requests are reset.
    #[default]
    Exit,
    /// Close the listener, finish in-flight requests, then exit.
    Drain,
    /// Keep serving until SIGKILL.
    Ignore,
}

/// How a container image behaves once started.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Image {
    /// From container start until the app listens.
    #[serde(default)]
    pub startup: Duration,
    /// Mean time to answer a request.
    #[serde(default = "forty_ms")]
    pub latency: Duration,
    /// Share of requests answered with an error.
    #[serde(default)]
    pub error_rate: f64,
    #[serde(default)]
    pub on_sigterm: OnSigterm,
    /// The app exits with an error this long after starting (a crash loop).
    #[serde(default)]
    pub crash_after: Option<Duration>,
    /// Concurrent requests served; more wait in a queue (and may time out).
    #[serde(default)]
    pub capacity: Option<u32>,
    /// Image pull and container creation.
    #[serde(default = "one_second")]
    pub pull: Duration,
    /// Database schema versions this image can read; unset: any.
    #[serde(default)]
    pub schemas: Option<Vec<u32>>,
    #[serde(flatten, default)]
    unknown: BTreeMap<String, serde_json::Value>,
}

fn forty_ms() -> Duration {
    Duration(40)
}

impl Default for Image {
    fn default() -> Self {
        Image {
            startup: Duration(0),
            latency: forty_ms(),
            error_rate: 0.0,
            on_sigterm: OnSigterm::Exit,
            crash_after: None,
            capacity: None,
            pull: one_second(),
            schemas: None,
            unknown: BTreeMap::new(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct Step {
    pub at: Duration,
    pub run: String,
    #[serde(default)]
    pub stdin: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
struct File {
    #[serde(default)]
    seed: u64,
    duration: Duration,
    traffic: Traffic,
    #[serde(default)]
    network: Network,
    #[serde(default)]
    images: BTreeMap<String, Image>,
    #[serde(default)]
    nodes: Option<u32>,
    #[serde(default)]
    database: Option<Database>,
    manifests: String,
    #[serde(default)]
    timeline: Vec<Step>,
    #[serde(flatten, default)]
    unknown: BTreeMap<String, serde_json::Value>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    pub seed: u64,
    pub duration: Ms,
    pub traffic: Traffic,
    pub network: Network,
    pub images: BTreeMap<String, Image>,
    pub nodes: u32,
    pub database: Option<Database>,
    pub objects: Vec<Object>,
    pub timeline: Vec<Step>,
    /// Fields this simulator does not know, named so a typo does not go unnoticed.
    pub warnings: Vec<String>,
}

impl Scenario {
    /// Reads a scenario file; every error names its line and column.
    pub fn parse(text: &str) -> Result<Scenario, SourceError> {
        let file: File = yaml::from_str(text, 1)?;
        let manifests_line = block_start(text, "manifests");
        let objects = manifest::parse_all(&file.manifests, manifests_line)?;
        if file.traffic.requests_per_second < 0.0 || !file.traffic.requests_per_second.is_finite() {
            return Err(SourceError::new(
                block_start(text, "requestsPerSecond") - 1,
                1,
                "traffic.requestsPerSecond must be 0 or more",
            ));
        }
        for h in &file.traffic.headers {
            if !(0.0..=1.0).contains(&h.share) {
                return Err(SourceError::new(
                    0,
                    0,
                    format!(
                        "traffic.headers: the share of clients sending {} must be between 0 and 1",
                        h.name
                    ),
                ));
            }
        }
        for (name, image) in &file.images {
            if !(0.0..=1.0).contains(&image.error_rate) {
                return Err(SourceError::new(
                    0,
                    0,
                    format!("images.{name}.errorRate must be between 0 and 1"),
                ));
            }
        }
        // A command that cannot run is refused now, at its line, not when the clock reaches it.
        for step in &file.timeline {
            if let Err(e) = crate::kubectl::parse(&step.run) {
                let line = text
                    .lines()
                    .position(|l| l.contains(step.run.trim()))
                    .map_or(0, |i| i as u64 + 1);
                let column = text
                    .lines()
                    .nth(line.saturating_sub(1) as usize)
                    .and_then(|l| l.find("run:"))
                    .map_or(0, |c| c as u64 + 1);
                return Err(SourceError::new(line, column, format!("timeline: {e}")));
            }
        }
        let mut warnings: Vec<String> = Vec::new();
        let mut unknown = |prefix: &str, keys: &BTreeMap<String, serde_json::Value>| {
            warnings.extend(
                keys.keys()
                    .map(|k| format!("unknown field `{prefix}{k}` was ignored")),
            );
        };
        unknown("", &file.unknown);
        unknown("traffic.", &file.traffic.unknown);
        unknown("network.", &file.network.unknown);
        for (name, image) in &file.images {
            unknown(&format!("images.{name}."), &image.unknown);
        }
        let mut timeline = file.timeline;
        timeline.sort_by_key(|s| s.at.0);
        Ok(Scenario {
            seed: file.seed,
            duration: file.duration.0,
            traffic: file.traffic,
            network: file.network,
            images: file.images,
            nodes: file.nodes.unwrap_or(3).clamp(1, 100),
            database: file.database,
            objects,
            timeline,
            warnings,
        })
    }

    /// Adds a kubectl command at `at` (a learner's command in the lab); refused like a bad line in
    /// the file would be.
    pub fn add_step(&mut self, at: crate::time::Ms, run: &str) -> Result<(), String> {
        crate::kubectl::parse(run)?;
        let step = Step {
            at: Duration(at),
            run: run.to_string(),
            stdin: None,
        };
        let i = self.timeline.partition_point(|s| s.at.0 <= at);
        self.timeline.insert(i, step);
        Ok(())
    }

    pub fn image(&self, name: &str) -> Image {
        self.images.get(name).cloned().unwrap_or_default()
    }
}

/// The line where a block scalar's content starts (the line after `key: |`).
fn block_start(text: &str, key: &str) -> u64 {
    let needle = format!("{key}:");
    text.lines()
        .position(|l| l.trim_start().starts_with(&needle))
        .map_or(1, |i| i as u64 + 2)
}

/// `1500` → `1500ms`, `20000` → `20s`: durations as a person writes them.
fn duration_text(ms: Ms) -> String {
    if ms % 1000 == 0 {
        format!("{}s", ms / 1000)
    } else {
        format!("{ms}ms")
    }
}

impl Scenario {
    /// The scenario as a file in this same format, which `parse` reads back to an equal scenario.
    pub fn to_yaml(&self) -> String {
        use serde_json::{json, Map, Value};
        let lb = match self.network.load_balancing {
            LoadBalancing::Random => "random",
            LoadBalancing::RoundRobin => "round-robin",
        };
        let mut images = Map::new();
        for (name, i) in &self.images {
            let mut m = Map::new();
            m.insert("startup".into(), duration_text(i.startup.0).into());
            m.insert("latency".into(), duration_text(i.latency.0).into());
            m.insert("errorRate".into(), json!(i.error_rate));
            let on = match i.on_sigterm {
                OnSigterm::Exit => "exit",
                OnSigterm::Drain => "drain",
                OnSigterm::Ignore => "ignore",
            };
            m.insert("onSigterm".into(), on.into());
            m.insert("pull".into(), duration_text(i.pull.0).into());
            if let Some(c) = i.crash_after {
                m.insert("crashAfter".into(), duration_text(c.0).into());
            }
            if let Some(c) = i.capacity {
                m.insert("capacity".into(), json!(c));
            }
            if let Some(s) = &i.schemas {
                m.insert("schemas".into(), json!(s));
            }
            images.insert(name.clone(), Value::Object(m));
        }
        let mut traffic = Map::new();
        traffic.insert(
            "requestsPerSecond".into(),
            json!(self.traffic.requests_per_second),
        );
        traffic.insert(
            "timeout".into(),
            duration_text(self.traffic.timeout.0).into(),
        );
        traffic.insert("clients".into(), json!(self.traffic.clients));
        if let Some(s) = &self.traffic.service {
            traffic.insert("service".into(), s.clone().into());
        }
        if !self.traffic.headers.is_empty() {
            let headers: Vec<Value> = self
                .traffic
                .headers
                .iter()
                .map(|h| json!({"name": h.name, "value": h.value, "share": h.share}))
                .collect();
            traffic.insert("headers".into(), Value::Array(headers));
        }
        let timeline: Vec<Value> = self
            .timeline
            .iter()
            .map(|s| {
                let mut m = Map::new();
                m.insert("at".into(), duration_text(s.at.0).into());
                m.insert("run".into(), s.run.clone().into());
                if let Some(stdin) = &s.stdin {
                    m.insert("stdin".into(), stdin.clone().into());
                }
                Value::Object(m)
            })
            .collect();
        let mut file = json!({
            "seed": self.seed,
            "duration": duration_text(self.duration),
            "traffic": traffic,
            "network": {"endpointPropagation": duration_text(self.network.endpoint_propagation.0), "loadBalancing": lb},
            "images": images,
            "nodes": self.nodes,
            "manifests": crate::manifest::to_yaml(&self.objects),
            "timeline": timeline,
        });
        if let (Some(db), Some(map)) = (self.database, file.as_object_mut()) {
            map.insert("database".into(), json!({"schema": db.schema}));
        }
        format!(
            "# Saved from Rollout Lab.\n{}",
            crate::yaml::emit::to_yaml(&file)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_example_survives_a_save_and_a_load() {
        for e in crate::examples::ALL {
            let s = Scenario::parse(e.yaml).unwrap();
            let text = s.to_yaml();
            let back =
                Scenario::parse(&text).unwrap_or_else(|err| panic!("{}: {err}\n{text}", e.name));
            assert_eq!(back, s, "{}:\n{text}", e.name);
        }
    }
}

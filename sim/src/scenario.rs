//! A scenario file (docs/scenario-format.md): seed, duration, traffic, network, how each image
//! behaves, the manifests as they stand at t=0, and a timeline of kubectl command lines.
use crate::limits;
use crate::manifest::{self, Object};
use crate::time::Ms;
use crate::yaml::read::{Obj, R};
use crate::yaml::{self, SourceError};
use std::collections::BTreeMap;

/// A duration written as `500ms`, `20s`, `2m` (or a bare number of seconds).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Duration(pub Ms);

#[derive(Clone, Debug, PartialEq)]
pub struct Traffic {
    pub requests_per_second: f64,
    pub timeout: Duration,
    /// Distinct client IPs (for ClientIP affinity and version flips).
    pub clients: u32,
    /// The Service the clients call; the first Service when not set.
    pub service: Option<String>,
    /// Headers a share of the clients send (for A/B header routes), e.g. a beta cookie.
    pub headers: Vec<ClientHeader>,
    pub connections: Connections,
    /// A client closes a connection idle this long (Go's `http.Transport`: 90 s).
    pub idle_timeout: Duration,
    pub via: Via,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ClientHeader {
    pub name: String,
    pub value: String,
    /// The share of clients (0 to 1) that send it.
    pub share: f64,
}

/// The application's database, for N-1 compatibility lessons.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Database {
    /// The schema version at t=0.
    pub schema: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Network {
    /// From an endpoint change to every node's proxy acting on it (TM-4).
    pub endpoint_propagation: Duration,
    /// Each node's proxy takes `endpoint_propagation` give or take up to this much, drawn per
    /// node and change (TM-7).
    pub propagation_jitter: Duration,
    pub load_balancing: LoadBalancing,
    /// The ingress controller in front, when the scenario describes one.
    pub ingress: Option<Ingress>,
}

impl Default for Network {
    fn default() -> Self {
        Network {
            endpoint_propagation: one_second(),
            propagation_jitter: Duration(0),
            load_balancing: LoadBalancing::Random,
            ingress: None,
        }
    }
}

/// An ingress controller (ingress-nginx): its own endpoint list, its own lag, its retries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ingress {
    /// From an endpoint change to the controller's list (IN-1).
    pub propagation: Duration,
    /// Other upstreams tried after a failed one (`proxy-next-upstream-tries` minus one, IN-2).
    pub retries: u32,
}

impl Default for Ingress {
    fn default() -> Self {
        Ingress {
            propagation: Duration(3000),
            retries: 2,
        }
    }
}

fn one_second() -> Duration {
    Duration(1000)
}

/// A setting with a few named values, as scenario files and the lab's settings write them; the
/// first is the default.
macro_rules! choice {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal,)+ }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
        pub enum $name {
            #[default]
            $($(#[$vdoc])* $variant,)+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// In the order of `ALL`.
            pub const NAMES: &'static [&'static str] = &[$($text),+];

            pub fn name(self) -> &'static str {
                Self::NAMES[self as usize]
            }

            pub fn from_name(name: &str) -> Option<$name> {
                $crate::scenario::by_name(Self::NAMES, Self::ALL, name)
            }
        }
    };
}
pub(crate) use choice;

choice! {
    /// How each node's proxy spreads new connections.
    LoadBalancing {
        /// iptables mode: each new connection picks a ready endpoint uniformly at random (LB-1).
        Random = "random",
        /// IPVS `rr` on each node (LB-2).
        RoundRobin = "round-robin",
    }
}

choice! {
    /// What the app does on SIGTERM, with its listener and its open connections (CN-4).
    OnSigterm {
        /// Stop at once: open connections are reset, in-flight requests fail.
        Exit = "exit",
        /// Close the listener, finish in-flight requests, close kept-alive connections after
        /// their current response (`Connection: close`, GOAWAY), then exit.
        Drain = "drain",
        /// Keep serving, connections and all, until SIGKILL.
        Ignore = "ignore",
    }
}

choice! {
    /// How clients hold their connections (CN-1..CN-3).
    Connections {
        /// A new connection for every request.
        PerRequest = "per-request",
        /// HTTP/1.1 keep-alive: idle connections are reused, one request at a time on each.
        KeepAlive = "keep-alive",
        /// HTTP/2 (gRPC): one connection per client, every request multiplexed on it.
        Http2 = "http2",
    }
}

choice! {
    /// Where client traffic enters the cluster.
    Via {
        /// Through the Service: each node's kube-proxy picks the pod per connection.
        Service = "service",
        /// Through an ingress controller that proxies to pod IPs itself (IN-1..IN-3).
        Ingress = "ingress",
    }
}

/// The choice called `name`, where `names[i]` names `all[i]`.
pub(crate) fn by_name<T: Copy>(names: &[&str], all: &[T], name: &str) -> Option<T> {
    names.iter().position(|n| *n == name).map(|i| all[i])
}

/// How a container image behaves once started.
#[derive(Clone, Debug, PartialEq)]
pub struct Image {
    /// From container start until the app listens.
    pub startup: Duration,
    /// Mean time to answer a request.
    pub latency: Duration,
    /// Share of requests answered with an error.
    pub error_rate: f64,
    pub on_sigterm: OnSigterm,
    /// The app exits with an error this long after starting (a crash loop).
    pub crash_after: Option<Duration>,
    /// Concurrent requests served; more wait in a queue (and may time out).
    pub capacity: Option<u32>,
    /// Image pull and container creation.
    pub pull: Duration,
    /// Database schema versions this image can read; unset: any.
    pub schemas: Option<Vec<u32>>,
    /// The app migrates the database to this schema when its container first starts, before it
    /// listens: a migrate-on-boot step, or an init container running the migration.
    pub migrates: Option<u32>,
    /// Code paths behind feature flags, by flag name: what a request meets when its flag is on.
    pub flags: BTreeMap<String, FlagPath>,
    /// The server closes a connection this long after it opened, give or take a tenth (gRPC's
    /// `MaxConnectionAge`): GOAWAY, or `Connection: close` on HTTP/1.1 (CN-3).
    pub max_connection_age: Option<Duration>,
}

fn forty_ms() -> Duration {
    Duration(40)
}

/// What a scenario without a Service says (a warning, and the lab's outcome line).
pub const NO_SERVICE: &str = "No Service in the manifests: no client traffic. Clients reach the pods through a Service whose selector matches their labels; add one to send requests.";

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
            migrates: None,
            flags: BTreeMap::new(),
            max_connection_age: None,
        }
    }
}

/// The code behind a feature flag: its own error rate, and its latency if it differs.
#[derive(Clone, Debug, PartialEq)]
pub struct FlagPath {
    pub error_rate: f64,
    pub latency: Option<Duration>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    pub at: Duration,
    pub run: String,
    pub stdin: Option<String>,
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
        let mut warnings = Vec::new();
        let (value, places) = yaml::parse(text, 1)?;
        let file = yaml::read_placed(&value, &places, |v| read_file(v, &mut warnings))?;
        let origin = block_origin(text, &file.manifests, places.find("manifests"));
        let objects = manifest::parse_all(&file.manifests, origin)?;
        if let Some(note) = manifest::kept_note(&objects) {
            warnings.push(note);
        }
        let has_service = objects.iter().any(|o| matches!(o, Object::Service(_)));
        if !has_service && file.traffic.service.is_none() {
            warnings.push(NO_SERVICE.into());
        }
        for image in manifest::images(&objects) {
            if !file.images.contains_key(&image) {
                let d = Image::default();
                warnings.push(format!(
                    "the manifests use the image {image}, which `images:` does not describe, so it behaves as the defaults say: pulled in {}, listening {} after it starts, answering in {}, exiting at once on SIGTERM; describe it under `images:` to say otherwise",
                    duration_text(d.pull.0),
                    duration_text(d.startup.0),
                    duration_text(d.latency.0),
                ));
            }
        }
        // A command that cannot run is refused now, at its line, not when the clock reaches it.
        for (i, step) in file.timeline.iter().enumerate() {
            if let Err(e) = crate::kubectl::parse(&step.run) {
                let (line, column) = places.find(&format!("timeline[{i}].run"));
                return Err(SourceError::new(line, column, format!("timeline: {e}")));
            }
        }
        let mut timeline = file.timeline;
        crate::order::sort_by_key(&mut timeline, |s| s.at.0);
        Ok(Scenario {
            seed: file.seed,
            duration: file.duration,
            traffic: file.traffic,
            network: file.network,
            images: file.images,
            nodes: file.nodes,
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
        if self.timeline.len() >= limits::TIMELINE {
            let why = limits::timeline_too_long();
            return Err(why);
        }
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

/// The file as written, before its manifests are read.
struct File {
    seed: u64,
    duration: Ms,
    traffic: Traffic,
    network: Network,
    images: BTreeMap<String, Image>,
    nodes: u32,
    database: Option<Database>,
    manifests: String,
    timeline: Vec<Step>,
}

/// Fields this simulator does not know become warnings, so a typo does not go unnoticed.
fn warn_unknown(warnings: &mut Vec<String>, prefix: &str, o: &Obj<'_>, known: &[&str]) {
    warnings.extend(
        o.unknown(known)
            .into_iter()
            .map(|k| format!("unknown field `{prefix}{k}` was ignored")),
    );
}

/// Reads the file's fields.
fn read_file(v: &serde_json::Value, warnings: &mut Vec<String>) -> R<File> {
    let o = Obj::new(v, "")?;
    const FIELDS: [&str; 9] = [
        "seed",
        "duration",
        "traffic",
        "network",
        "images",
        "nodes",
        "database",
        "manifests",
        "timeline",
    ];
    warn_unknown(warnings, "", &o, &FIELDS);
    let traffic = read_traffic(&o.required_obj("traffic")?, warnings)?;
    let network = match o.obj("network")? {
        None => Network::default(),
        Some(n) => read_network(&n, warnings)?,
    };
    let mut images = BTreeMap::new();
    if let Some(m) = o.obj("images")? {
        for name in m.unknown(&[]) {
            let image = read_image(&name, &m.required_obj(&name)?, warnings)?;
            images.insert(name, image);
        }
    }
    let database = o
        .obj("database")?
        .map(|d| {
            Ok::<_, crate::yaml::read::Error>(Database {
                schema: d.uint("schema")?.ok_or_else(|| d.missing("schema"))?,
            })
        })
        .transpose()?;
    let duration = o
        .duration("duration")?
        .ok_or_else(|| o.missing("duration"))?;
    if duration > limits::DURATION {
        return Err((o.at("duration"), limits::too_long("duration")));
    }
    let timeline = o.list("timeline", |t| {
        Ok(Step {
            at: Duration(t.duration("at")?.ok_or_else(|| t.missing("at"))?),
            run: t.required_string("run")?,
            stdin: t.string("stdin")?,
        })
    })?;
    if timeline.len() > limits::TIMELINE {
        let why = limits::timeline_too_long();
        return Err((o.at("timeline"), why));
    }
    Ok(File {
        seed: o.u64("seed")?.unwrap_or(0),
        duration,
        traffic,
        network,
        images,
        nodes: o.uint("nodes")?.unwrap_or(3).clamp(1, 100),
        database,
        manifests: o.required_string("manifests")?,
        timeline,
    })
}

/// A duration field that stays within the simulated time a scenario may have.
fn bounded(o: &Obj<'_>, key: &str, field: &str) -> R<Option<Ms>> {
    match o.duration(key)? {
        Some(ms) if ms > limits::DURATION => Err((o.at(key), limits::too_long(field))),
        d => Ok(d),
    }
}

/// `network:`: the proxies' lag and how they spread connections; the ingress in front.
fn read_network(n: &Obj<'_>, warnings: &mut Vec<String>) -> R<Network> {
    const FIELDS: [&str; 4] = [
        "endpointPropagation",
        "propagationJitter",
        "loadBalancing",
        "ingress",
    ];
    warn_unknown(warnings, "network.", n, &FIELDS);
    let propagation = bounded(n, "endpointPropagation", "network.endpointPropagation")?;
    let jitter = bounded(n, "propagationJitter", "network.propagationJitter")?;
    let ingress = match n.obj("ingress")? {
        None => None,
        Some(i) => {
            warn_unknown(
                warnings,
                "network.ingress.",
                &i,
                &["propagation", "retries"],
            );
            let d = Ingress::default();
            let retries = i.uint("retries")?.unwrap_or(d.retries);
            if retries > limits::RETRIES {
                let why = limits::exceeded("network.ingress.retries", limits::RETRIES);
                return Err((i.at("retries"), why));
            }
            Some(Ingress {
                propagation: bounded(&i, "propagation", "network.ingress.propagation")?
                    .map_or(d.propagation, Duration),
                retries,
            })
        }
    };
    Ok(Network {
        endpoint_propagation: Duration(propagation.unwrap_or(1000)),
        propagation_jitter: Duration(jitter.unwrap_or(0)),
        load_balancing: n
            .word("loadBalancing", LoadBalancing::NAMES)?
            .map_or(LoadBalancing::Random, |i| LoadBalancing::ALL[i]),
        ingress,
    })
}

/// `traffic:`: how many requests the clients send, and which clients send a header.
fn read_traffic(t: &Obj<'_>, warnings: &mut Vec<String>) -> R<Traffic> {
    const FIELDS: [&str; 8] = [
        "requestsPerSecond",
        "timeout",
        "clients",
        "service",
        "headers",
        "connections",
        "idleTimeout",
        "via",
    ];
    warn_unknown(warnings, "traffic.", t, &FIELDS);
    let rps = t
        .f64("requestsPerSecond")?
        .ok_or_else(|| t.missing("requestsPerSecond"))?;
    if rps < 0.0 || !rps.is_finite() {
        return Err((
            t.at("requestsPerSecond"),
            "traffic.requestsPerSecond must be 0 or more".into(),
        ));
    }
    if rps > limits::REQUESTS_PER_SECOND {
        // Printed as a whole number: formatting an f64 would link the float printer (~20 KB).
        let limit = limits::REQUESTS_PER_SECOND as u32;
        let why = limits::exceeded("traffic.requestsPerSecond", limit);
        return Err((t.at("requestsPerSecond"), why));
    }
    let clients = t.uint("clients")?.unwrap_or(50);
    if clients > limits::CLIENTS {
        return Err((
            t.at("clients"),
            limits::exceeded("traffic.clients", limits::CLIENTS),
        ));
    }
    let idle_timeout = bounded(t, "idleTimeout", "traffic.idleTimeout")?.unwrap_or(90 * 1000);
    Ok(Traffic {
        connections: t
            .word("connections", Connections::NAMES)?
            .map_or(Connections::PerRequest, |i| Connections::ALL[i]),
        idle_timeout: Duration(idle_timeout),
        via: t
            .word("via", Via::NAMES)?
            .map_or(Via::Service, |i| Via::ALL[i]),
        requests_per_second: rps,
        timeout: Duration(t.duration("timeout")?.unwrap_or(5000)),
        clients,
        service: t.string("service")?,
        headers: t.list("headers", |h| {
            let share = h.f64("share")?.ok_or_else(|| h.missing("share"))?;
            if !(0.0..=1.0).contains(&share) {
                return Err((
                    h.at("share"),
                    "the share of clients sending a header must be between 0 and 1".into(),
                ));
            }
            Ok(ClientHeader {
                name: h.required_string("name")?,
                value: h.required_string("value")?,
                share,
            })
        })?,
    })
}

/// One entry of `images:`: how the app in that image behaves.
fn read_image(name: &str, i: &Obj<'_>, warnings: &mut Vec<String>) -> R<Image> {
    const FIELDS: [&str; 11] = [
        "maxConnectionAge",
        "migrates",
        "flags",
        "startup",
        "latency",
        "errorRate",
        "onSigterm",
        "crashAfter",
        "capacity",
        "pull",
        "schemas",
    ];
    warn_unknown(warnings, &format!("images.{name}."), i, &FIELDS);
    let error_rate = i.f64("errorRate")?.unwrap_or(0.0);
    if !(0.0..=1.0).contains(&error_rate) {
        return Err((
            i.at("errorRate"),
            format!("images.{name}.errorRate must be between 0 and 1"),
        ));
    }
    let field = format!("images.{name}.maxConnectionAge");
    let max_age = bounded(i, "maxConnectionAge", &field)?;
    if max_age == Some(0) {
        return Err((
            i.at("maxConnectionAge"),
            format!("{field} must be more than 0"),
        ));
    }
    let d = Image::default();
    Ok(Image {
        max_connection_age: max_age.map(Duration),
        startup: i.duration("startup")?.map_or(d.startup, Duration),
        latency: i.duration("latency")?.map_or(d.latency, Duration),
        error_rate,
        on_sigterm: i
            .word("onSigterm", OnSigterm::NAMES)?
            .map_or(OnSigterm::Exit, |k| OnSigterm::ALL[k]),
        crash_after: i.duration("crashAfter")?.map(Duration),
        capacity: i.uint("capacity")?,
        pull: i.duration("pull")?.map_or(d.pull, Duration),
        schemas: i.scalars(
            "schemas",
            |v| v.as_u64().and_then(|n| u32::try_from(n).ok()),
            "a schema version",
        )?,
        migrates: i.uint("migrates")?,
        flags: read_flags(name, i)?,
    })
}

/// `flags: { new-checkout: { errorRate: 0.3, latency: 200ms } }` under an image.
fn read_flags(image: &str, i: &Obj<'_>) -> R<BTreeMap<String, FlagPath>> {
    let mut out = BTreeMap::new();
    let Some(flags) = i.obj("flags")? else {
        return Ok(out);
    };
    for name in flags.unknown(&[]) {
        let is_name = !name.is_empty()
            && name.len() <= 63
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !is_name {
            return Err((
                flags.at(&name),
                format!(
                    "images.{image}.flags: {name:?} must be lowercase letters, digits and dashes"
                ),
            ));
        }
        let f = flags.required_obj(&name)?;
        let error_rate = f.f64("errorRate")?.unwrap_or(0.0);
        if !(0.0..=1.0).contains(&error_rate) {
            return Err((
                f.at("errorRate"),
                format!("images.{image}.flags.{name}.errorRate must be between 0 and 1"),
            ));
        }
        let latency = f.duration("latency")?.map(Duration);
        out.insert(
            name,
            FlagPath {
                error_rate,
                latency,
            },
        );
    }
    if out.len() > crate::limits::FLAGS {
        return Err((
            i.at("flags"),
            format!(
                "images.{image}.flags: at most {} flags",
                crate::limits::FLAGS
            ),
        ));
    }
    Ok(out)
}

/// The line where a block scalar's content starts (the line after `key: |`).
/// Where the text of a block scalar (`key: |`) sits in the file, from the place the parser gives
/// it (its first non-blank line, at the indentation YAML removed from every line). Text written
/// quoted on the key's line is placed at that line.
fn block_origin(text: &str, value: &str, (line, column): (u64, u64)) -> yaml::Origin {
    let here = text
        .lines()
        .nth(line.saturating_sub(1) as usize)
        .unwrap_or("");
    let first = here.chars().nth(column.saturating_sub(1) as usize);
    if matches!(first, Some('"' | '\'')) {
        return yaml::Origin::line(line);
    }
    let blank = value.len() - value.trim_start_matches('\n').len();
    yaml::Origin {
        line: line.saturating_sub(blank as u64),
        column: column.saturating_sub(1),
    }
}

/// `1500` → `1500ms`, `20000` → `20s`: durations as a person writes them.
pub(crate) fn duration_text(ms: Ms) -> String {
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
        let lb = self.network.load_balancing.name();
        let mut images = Map::new();
        for (name, i) in &self.images {
            let mut m = Map::new();
            m.insert("startup".into(), duration_text(i.startup.0).into());
            m.insert("latency".into(), duration_text(i.latency.0).into());
            m.insert("errorRate".into(), json!(i.error_rate));
            m.insert("onSigterm".into(), i.on_sigterm.name().into());
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
            if let Some(to) = i.migrates {
                m.insert("migrates".into(), json!(to));
            }
            if !i.flags.is_empty() {
                let mut flags = Map::new();
                for (name, f) in &i.flags {
                    let mut path = Map::new();
                    path.insert("errorRate".into(), json!(f.error_rate));
                    if let Some(l) = f.latency {
                        path.insert("latency".into(), duration_text(l.0).into());
                    }
                    flags.insert(name.clone(), Value::Object(path));
                }
                m.insert("flags".into(), Value::Object(flags));
            }
            if let Some(age) = i.max_connection_age {
                m.insert("maxConnectionAge".into(), duration_text(age.0).into());
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
        let t = &self.traffic;
        traffic.insert("connections".into(), t.connections.name().into());
        let idle = duration_text(t.idle_timeout.0);
        traffic.insert("idleTimeout".into(), idle.into());
        traffic.insert("via".into(), t.via.name().into());
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
        let n = &self.network;
        let mut network = Map::new();
        let propagation = duration_text(n.endpoint_propagation.0);
        network.insert("endpointPropagation".into(), propagation.into());
        let jitter = duration_text(n.propagation_jitter.0);
        network.insert("propagationJitter".into(), jitter.into());
        network.insert("loadBalancing".into(), lb.into());
        if let Some(i) = n.ingress {
            let propagation = duration_text(i.propagation.0);
            let ingress = json!({"propagation": propagation, "retries": i.retries});
            network.insert("ingress".into(), ingress);
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
            "network": network,
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
        for e in crate::lab::examples::ALL {
            let s = Scenario::parse(&e.yaml).unwrap();
            let text = s.to_yaml();
            let back =
                Scenario::parse(&text).unwrap_or_else(|err| panic!("{}: {err}\n{text}", e.name));
            assert_eq!(back, s, "{}:\n{text}", e.name);
        }
    }
}

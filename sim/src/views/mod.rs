//! kubectl's read-only views of the cluster at the current time: `get deploy,rs,pods,endpoints`,
//! `describe deployment`, `rollout status`, `rollout history`, `get events` — printed as kubectl does.
mod get;
mod pod;
mod rows;
mod selector;

use crate::api::{Deployment, Probe, ReplicaSet, CHANGE_CAUSE};
use crate::cluster::Cluster;
use crate::deployment::util::{PROGRESSING, TIMED_OUT};
use crate::kubelet::Pod;
use crate::time::fmt_age;

/// Columns padded like `kubectl get` (three spaces between columns).
pub fn table(header: &[&str], rows: Vec<Vec<String>>) -> String {
    tabulate(header, rows, 3)
}

/// A table inside `kubectl describe`: two spaces between columns and dashes under the header.
pub fn describe_table(header: &[&str], mut rows: Vec<Vec<String>>) -> String {
    let dashes = header
        .iter()
        .map(|h| h.replace(|c: char| c != ' ', "-"))
        .collect();
    rows.insert(0, dashes);
    tabulate(header, rows, 2)
}

pub fn tabulate(header: &[&str], rows: Vec<Vec<String>>, padding: usize) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.len()).collect();
    for row in &rows {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(cell.chars().count());
        }
    }
    let line = |cells: Vec<String>| {
        let last = cells.len() - 1;
        let mut s = String::new();
        for (i, cell) in cells.into_iter().enumerate() {
            if i == last {
                s.push_str(&cell);
            } else {
                s.push_str(&format!("{cell:<w$}", w = widths[i] + padding));
            }
        }
        s.trim_end().to_string()
    };
    let mut out = vec![line(header.iter().map(|h| h.to_string()).collect())];
    out.extend(rows.into_iter().map(line));
    out.join("\n")
}

impl Pod {
    /// A stable, readable pod IP: 10.244.<node>.<n>.
    pub fn ip(&self) -> String {
        format!("10.244.{}.{}", self.node + 1, self.uid % 250 + 2)
    }
}

impl Cluster {
    /// Runs a read-only command (`get ...`, `describe ...`, `rollout status|history ...`).
    pub fn view(&self, words: &[String]) -> Result<String, String> {
        let args: Vec<&str> = words
            .iter()
            .map(String::as_str)
            .filter(|w| !w.starts_with('-'))
            .collect();
        match args.as_slice() {
            ["argo", "rollouts", rest @ ..] => self.argo_view(rest),
            ["get", ..] => self.get(&words[1..]),
            ["describe", what, rest @ ..] => {
                let (kind, name) = what
                    .split_once('/')
                    .map_or((*what, rest.first().copied()), |(k, n)| (k, Some(n)));
                match kind {
                    "deployment" | "deployments" | "deploy" => match name {
                        Some(n) => self.describe_deployment(self.deployment(n)?),
                        None => Ok(self
                            .deployments
                            .iter()
                            .map(|d| self.describe_deployment(d))
                            .collect::<Result<Vec<_>, _>>()?
                            .join("\n\n")),
                    },
                    "rollout" | "rollouts" | "ro" => match name {
                        Some(n) => self.argo_view(&["get", "rollout", n]),
                        None => Err("describe rollout needs a name".into()),
                    },
                    "pod" | "pods" | "po" => {
                        let pods: Vec<&crate::kubelet::Pod> = self
                            .pods
                            .iter()
                            .map(|p| &**p)
                            .filter(|p| name.is_none_or(|n| p.name == n || p.name.starts_with(n)))
                            .collect();
                        match (pods.is_empty(), name) {
                            (true, Some(n)) => Err(format!("Error from server (NotFound): pods \"{n}\" not found")),
                            (true, None) => Ok("No resources found in default namespace.".into()),
                            _ => Ok(pods.iter().map(|p| self.describe_pod(p)).collect::<Vec<_>>().join("\n\n\n")),
                        }
                    }
                    other => Err(format!(
                        "error: kubectl describe {other} is not simulated; describe deployment, pod or rollout"
                    )),
                }
            }
            ["rollout", "status", target] => self.rollout_status(
                self.deployment(
                    target
                        .trim_start_matches("deployment/")
                        .trim_start_matches("deploy/"),
                )?,
            ),
            ["rollout", "history", target] => self.rollout_history(
                self.deployment(
                    target
                        .trim_start_matches("deployment/")
                        .trim_start_matches("deploy/"),
                )?,
            ),
            ["rollout", "status" | "history", "deployment" | "deploy", name] => {
                let d = self.deployment(name)?;
                if args[1] == "status" {
                    self.rollout_status(d)
                } else {
                    self.rollout_history(d)
                }
            }
            _ => Err(format!("cannot show {:?}", words.join(" "))),
        }
    }

    /// kubectl's `DeploymentStatusViewer`.
    pub fn rollout_status(&self, d: &Deployment) -> Result<String, String> {
        let name = &d.metadata.name;
        let s = &d.status;
        if d.metadata.generation > s.observed_generation {
            return Ok("Waiting for deployment spec update to be observed...".into());
        }
        if s.condition(PROGRESSING)
            .is_some_and(|c| c.reason == TIMED_OUT)
        {
            return Err(format!(
                "deployment \"{name}\" exceeded its progress deadline"
            ));
        }
        Ok(if s.updated_replicas < d.spec.replicas {
            format!("Waiting for deployment \"{name}\" rollout to finish: {} out of {} new replicas have been updated...", s.updated_replicas, d.spec.replicas)
        } else if s.replicas > s.updated_replicas {
            format!("Waiting for deployment \"{name}\" rollout to finish: {} old replicas are pending termination...", s.replicas - s.updated_replicas)
        } else if s.available_replicas < s.updated_replicas {
            format!("Waiting for deployment \"{name}\" rollout to finish: {} of {} updated replicas are available...", s.available_replicas, s.updated_replicas)
        } else {
            format!("deployment \"{name}\" successfully rolled out")
        })
    }

    pub fn rollout_history(&self, d: &Deployment) -> Result<String, String> {
        let mut owned: Vec<&ReplicaSet> = self.owned(d);
        crate::order::sort_by_key(&mut owned, |rs| rs.revision());
        let rows = owned
            .iter()
            .map(|rs| {
                vec![
                    rs.revision().to_string(),
                    rs.annotation(CHANGE_CAUSE).unwrap_or("<none>").to_string(),
                ]
            })
            .collect();
        // kubectl's name printer writes `deployment.apps/NAME ` and the history (tab writer,
        // two spaces between columns) after it (`rollout_history.go`, `history.go`).
        Ok(format!(
            "deployment.apps/{} \n{}",
            d.metadata.name,
            tabulate(&["REVISION", "CHANGE-CAUSE"], rows, 2)
        ))
    }

    fn owned(&self, d: &Deployment) -> Vec<&ReplicaSet> {
        self.replica_sets
            .iter()
            .filter(|rs| rs.owner.as_deref() == Some(d.metadata.name.as_str()))
            .collect()
    }

    pub fn describe_deployment(&self, d: &Deployment) -> Result<String, String> {
        let s = &d.status;
        let mut out = Vec::new();
        let mut field = |k: &str, v: String| out.push(format!("{:<24}{v}", format!("{k}:")));
        field("Name", d.metadata.name.clone());
        let namespace = d.metadata.namespace.as_deref().unwrap_or("default");
        field("Namespace", namespace.into());
        field(
            "CreationTimestamp",
            crate::time::rfc1123z(d.metadata.created_at),
        );
        field("Labels", multiline(&d.metadata.labels, "=", 24));
        field("Annotations", multiline(&d.metadata.annotations, ": ", 24));
        field("Selector", labels(&d.spec.selector.match_labels));
        field(
            "Replicas",
            format!(
                "{} desired | {} updated | {} total | {} available | {} unavailable",
                d.spec.replicas,
                s.updated_replicas,
                s.replicas,
                s.available_replicas,
                s.unavailable_replicas
            ),
        );
        field(
            "StrategyType",
            if d.spec.is_rolling() {
                "RollingUpdate"
            } else {
                "Recreate"
            }
            .into(),
        );
        field("MinReadySeconds", d.spec.min_ready_seconds.to_string());
        if d.spec.is_rolling() {
            let (surge, unavailable) = d.spec.surge_and_unavailable();
            let show = |v: Option<crate::intstr::IntOrString>| {
                v.map_or("0".to_string(), |v| v.to_string())
            };
            field(
                "RollingUpdateStrategy",
                format!(
                    "{} max unavailable, {} max surge",
                    show(unavailable),
                    show(surge)
                ),
            );
        }
        if d.spec.paused {
            field("Paused", "true".into());
        }
        out.extend(pod_template(&d.spec.template));
        out.push("Conditions:".into());
        out.push(describe_table(
            &["  Type", "Status", "Reason"],
            [
                ("Available", s.condition("Available")),
                ("Progressing", s.condition(PROGRESSING)),
            ]
            .into_iter()
            .filter_map(|(t, c)| {
                c.map(|c| vec![format!("  {t}"), c.status.to_string(), c.reason.to_string()])
            })
            .collect(),
        ));
        out.extend(self.describe_replica_sets(d));
        out.push(self.describe_events(&format!("deployment/{}", d.metadata.name)));
        Ok(out.join("\n"))
    }

    /// `OldReplicaSets:` and `NewReplicaSet:`, with how many of their pods exist.
    fn describe_replica_sets(&self, d: &Deployment) -> Vec<String> {
        let mut out = Vec::new();
        let owned = self.owned(d);
        let new = owned
            .iter()
            .find(|rs| crate::api::equal_ignore_hash(&rs.template, &d.spec.template));
        let olds: Vec<String> = owned
            .iter()
            .filter(|rs| Some(rs) != new.as_ref() && (rs.replicas > 0 || rs.status.replicas > 0))
            .map(|rs| {
                format!(
                    "{} ({}/{} replicas created)",
                    rs.metadata.name, rs.status.replicas, rs.replicas
                )
            })
            .collect();
        out.push(format!(
            "OldReplicaSets:  {}",
            if olds.is_empty() {
                "<none>".into()
            } else {
                olds.join(", ")
            }
        ));
        out.push(format!(
            "NewReplicaSet:   {}",
            new.map_or("<none>".to_string(), |rs| format!(
                "{} ({}/{} replicas created)",
                rs.metadata.name, rs.status.replicas, rs.replicas
            ))
        ));
        out
    }

    /// The component that reported an event (the FROM column).
    fn event_source(&self, e: &crate::events::Event) -> &'static str {
        match e.reason {
            "Scheduled" => "default-scheduler",
            "SuccessfulCreate" | "SuccessfulDelete" => "replicaset-controller",
            "ScalingReplicaSet" if e.object.starts_with("rollout") => "rollouts-controller",
            "ScalingReplicaSet" | "DeploymentRollback" => "deployment-controller",
            _ if e.object.starts_with("pod/") => "kubelet",
            _ if e.object.starts_with("rollout") => "rollouts-controller",
            _ => "deployment-controller",
        }
    }

    /// `Events:` for one object, as `kubectl describe` ends.
    pub(super) fn describe_events(&self, object: &str) -> String {
        let events: Vec<Vec<String>> = self
            .events
            .iter()
            .filter(|e| e.object == object)
            .map(|e| {
                vec![
                    format!("  {}", e.kind.as_str()),
                    e.reason.into(),
                    fmt_age(self.now - e.at),
                    self.event_source(e).into(),
                    e.message.clone(),
                ]
            })
            .collect();
        if events.is_empty() {
            "Events:          <none>".into()
        } else {
            format!(
                "Events:\n{}",
                describe_table(&["  Type", "Reason", "Age", "From", "Message"], events)
            )
        }
    }
}

fn labels(map: &crate::api::Labels) -> String {
    if map.is_empty() {
        return "<none>".into();
    }
    map.iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// `printLabelsMultiline` / `printAnnotationsMultiline`: one `key=value` (or `key: value`) a
/// line, continuation lines indented to the value column; `<none>` when empty.
pub(super) fn multiline(map: &crate::api::Labels, between: &str, column: usize) -> String {
    if map.is_empty() {
        return "<none>".into();
    }
    let lines: Vec<String> = map
        .iter()
        .map(|(k, v)| format!("{k}{between}{v}"))
        .collect();
    lines.join(&format!("\n{}", " ".repeat(column)))
}

/// `DescribeProbe` (kubectl `describe.go`): the handler as a URL or command, then its timings.
pub(super) fn probe_line(p: &Probe) -> String {
    let text = |v| scalar_text(v).unwrap_or_default();
    let h = &p.handler;
    let handler = if let Some(e) = &h.exec {
        format!("exec [{}]", e.command.join(" "))
    } else if let Some(g) = &h.http_get {
        let scheme = text(g.get("scheme")).to_lowercase();
        let scheme = if scheme.is_empty() {
            "http".into()
        } else {
            scheme
        };
        let (host, port, path) = (
            text(g.get("host")),
            text(g.get("port")),
            text(g.get("path")),
        );
        format!("http-get {scheme}://{host}:{port}{path}")
    } else if let Some(t) = &h.tcp_socket {
        format!("tcp-socket {}:{}", text(t.get("host")), text(t.get("port")))
    } else if let Some(g) = &h.grpc {
        format!(
            "grpc <pod>:{} {}",
            text(g.get("port")),
            text(g.get("service"))
        )
    } else {
        "unknown".into()
    };
    format!(
        "{handler} delay={}s timeout={}s period={}s #success={} #failure={}",
        p.initial_delay_seconds,
        p.timeout_seconds,
        p.period_seconds,
        p.success_threshold,
        p.failure_threshold
    )
}

/// `Pod Template:` as `kubectl describe` prints it (`DescribePodTemplate`, `describeContainers`):
/// labels, annotations, each container's image, ports, command, probes, environment and
/// mounts, then the volumes.
fn pod_template(t: &crate::api::PodTemplateSpec) -> Vec<String> {
    let extra = &t.spec.extra;
    let mut out = vec![
        "Pod Template:".to_string(),
        format!("  Labels:  {}", multiline(&t.metadata.labels, "=", 11)),
    ];
    if !t.metadata.annotations.is_empty() {
        out.push(format!(
            "  Annotations:  {}",
            multiline(&t.metadata.annotations, ": ", 16)
        ));
    }
    if let Some(sa) = extra.get("serviceAccountName").and_then(|v| v.as_str()) {
        out.push(format!("  Service Account:  {sa}"));
    }
    let init = extra.get("initContainers").and_then(|v| v.as_array());
    if let Some(init) = init.filter(|i| !i.is_empty()) {
        out.push("  Init Containers:".into());
        for c in init {
            let name = text_at(c, "name");
            let image = text_at(c, "image");
            out.push(format!("   {name}:"));
            out.push(format!("    Image:        {image}"));
            out.extend(container_ports(c.get("ports")));
        }
    }
    out.push("  Containers:".into());
    for c in &t.spec.containers {
        out.push(format!("   {}:", c.name));
        out.push(format!("    Image:        {}", c.image));
        out.extend(container_ports(c.extra.get("ports")));
        for (label, key) in [("Command", "command"), ("Args", "args")] {
            if let Some(words) = c.extra.get(key).and_then(|v| v.as_array()) {
                out.push(format!("    {label}:"));
                out.extend(
                    words
                        .iter()
                        .filter_map(|w| w.as_str())
                        .map(|w| format!("      {w}")),
                );
            }
        }
        for (label, probe) in [
            ("Liveness", &c.liveness_probe),
            ("Readiness", &c.readiness_probe),
            ("Startup", &c.startup_probe),
        ] {
            if let Some(p) = probe {
                out.push(format!("    {:<14}{}", format!("{label}:"), probe_line(p)));
            }
        }
        out.extend(container_env(c));
        let mounts = c.extra.get("volumeMounts").and_then(|v| v.as_array());
        match mounts.filter(|m| !m.is_empty()) {
            None => out.push("    Mounts:       <none>".into()),
            Some(mounts) => {
                out.push("    Mounts:".into());
                for m in mounts {
                    let path = text_at(m, "mountPath");
                    let name = text_at(m, "name");
                    let ro = m.get("readOnly").and_then(|v| v.as_bool()) == Some(true);
                    out.push(format!(
                        "      {path} from {name} ({})",
                        if ro { "ro" } else { "rw" }
                    ));
                }
            }
        }
    }
    let volumes = extra.get("volumes").and_then(|v| v.as_array());
    match volumes.filter(|v| !v.is_empty()) {
        None => out.push("  Volumes:         <none>".into()),
        Some(volumes) => {
            out.push("  Volumes:".into());
            for v in volumes {
                let name = text_at(v, "name");
                let kind = v
                    .as_object()
                    .and_then(|m| m.keys().find(|k| *k != "name").cloned())
                    .unwrap_or_default();
                out.push(format!("   {name}:"));
                out.push(format!("    Type:  {kind}"));
            }
        }
    }
    out.push("  Node-Selectors:  <none>".into());
    out.push("  Tolerations:     <none>".into());
    out
}

/// A string or number of a manifest's JSON as text (a port may be either).
pub(super) fn scalar_text(v: Option<&serde_json::Value>) -> Option<String> {
    match v? {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A text field of a manifest's JSON, empty when missing.
pub(super) fn text_at<'a>(v: &'a serde_json::Value, key: &str) -> &'a str {
    v.get(key).and_then(|v| v.as_str()).unwrap_or("")
}

/// `Port:`/`Host Port:` (or `Ports:`/`Host Ports:` for several), as `describeContainerPorts`.
pub(super) fn container_ports(ports: Option<&serde_json::Value>) -> Vec<String> {
    let ports: Vec<String> = ports
        .and_then(|p| p.as_array())
        .into_iter()
        .flatten()
        .map(|p| {
            let port = p
                .get("containerPort")
                .map_or(String::new(), |v| v.to_string());
            let protocol = p.get("protocol").and_then(|v| v.as_str()).unwrap_or("TCP");
            format!("{port}/{protocol}")
        })
        .collect();
    let host: Vec<String> = ports
        .iter()
        .map(|p| format!("0/{}", p.split('/').nth(1).unwrap_or("TCP")))
        .collect();
    match ports.len() {
        0 => vec![
            "    Port:         <none>".into(),
            "    Host Port:    <none>".into(),
        ],
        1 => vec![
            format!("    Port:         {}", ports[0]),
            format!("    Host Port:    {}", host[0]),
        ],
        _ => vec![
            format!("    Ports:        {}", ports.join(", ")),
            format!("    Host Ports:   {}", host.join(", ")),
        ],
    }
}

/// `Environment:` (and `Environment Variables from:`), as `describeContainerEnvVars`.
pub(super) fn container_env(c: &crate::api::Container) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(from) = c.extra.get("envFrom").and_then(|v| v.as_array()) {
        out.push("    Environment Variables from:".into());
        for f in from {
            for (key, kind) in [("configMapRef", "ConfigMap"), ("secretRef", "Secret")] {
                if let Some(name) = f
                    .get(key)
                    .and_then(|r| r.get("name"))
                    .and_then(|n| n.as_str())
                {
                    out.push(format!("      {name}  {kind}  Optional: false"));
                }
            }
        }
    }
    let env = c.extra.get("env").and_then(|v| v.as_array());
    match env.filter(|e| !e.is_empty()) {
        None => out.push("    Environment:  <none>".into()),
        Some(env) => {
            out.push("    Environment:".into());
            for e in env {
                let name = text_at(e, "name");
                let from = |k: &str, f: &str| {
                    let r = e.get("valueFrom").and_then(|v| v.get(k))?;
                    r.get(f).and_then(|v| v.as_str()).map(str::to_string)
                };
                let optional = "  Optional: false";
                let value = match e.get("value").and_then(|v| v.as_str()) {
                    Some(v) => v.to_string(),
                    None => match (
                        from("configMapKeyRef", "key"),
                        from("configMapKeyRef", "name"),
                        from("secretKeyRef", "key"),
                        from("secretKeyRef", "name"),
                        from("fieldRef", "fieldPath"),
                    ) {
                        (Some(k), Some(n), ..) => {
                            format!("<set to the key '{k}' of config map '{n}'>{optional}")
                        }
                        (_, _, Some(k), Some(n), _) => {
                            format!("<set to the key '{k}' in secret '{n}'>{optional}")
                        }
                        (.., Some(path)) => format!(" (v1:{path})"),
                        _ => String::new(),
                    },
                };
                out.push(format!("      {name}:  {value}"));
            }
        }
    }
    out
}

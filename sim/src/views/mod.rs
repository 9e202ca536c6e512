//! kubectl's read-only views of the cluster at the current time: `get deploy,rs,pods,endpoints`,
//! `describe deployment`, `rollout status`, `rollout history`, `get events` — printed as kubectl does.
mod get;
mod rows;
mod selector;

use crate::api::{Deployment, Probe, ReplicaSet, CHANGE_CAUSE};
use crate::cluster::Cluster;
use crate::deployment::util::{PROGRESSING, TIMED_OUT};
use crate::kubelet::Pod;
use crate::time::{fmt_age, SECOND};

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

fn tabulate(header: &[&str], rows: Vec<Vec<String>>, padding: usize) -> String {
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
    fn age(&self, created_at: i64) -> String {
        fmt_age(self.now - created_at)
    }

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
                    other => Err(format!(
                        "describe {other} is not available here; try describe deployment or describe rollout"
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
        Ok(format!(
            "deployment.apps/{}\n{}",
            d.metadata.name,
            table(&["REVISION", "CHANGE-CAUSE"], rows)
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
        field("Namespace", "default".into());
        field(
            "CreationTimestamp",
            format!("{} ago", self.age(d.metadata.created_at)),
        );
        field("Labels", labels(&d.metadata.labels));
        field(
            "Annotations",
            labels(&d.metadata.annotations).replace(',', "\n                        "),
        );
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

    /// `Events:` for one object, as `kubectl describe` ends.
    fn describe_events(&self, object: &str) -> String {
        let events: Vec<Vec<String>> = self
            .events
            .iter()
            .filter(|e| e.object == object)
            .map(|e| {
                vec![
                    "  Normal".into(),
                    e.reason.into(),
                    fmt_age(self.now - e.at),
                    "deployment-controller".into(),
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

fn probe_line(p: &Probe) -> String {
    format!(
        "{} delay={}s timeout={}s period={}s #success={} #failure={}",
        p.handler.kind(),
        p.initial_delay_seconds,
        p.timeout_seconds,
        p.period_seconds,
        p.success_threshold,
        p.failure_threshold
    )
}

/// `Pod Template:` as `kubectl describe` prints it: labels, containers with their image, probes
/// and preStop hook, and the grace period.
fn pod_template(t: &crate::api::PodTemplateSpec) -> Vec<String> {
    let mut out = Vec::new();
    out.push("Pod Template:".into());
    out.push(format!("  Labels:  {}", labels(&t.metadata.labels)));
    out.push("  Containers:".into());
    for c in &t.spec.containers {
        out.push(format!("   {}:", c.name));
        out.push(format!("    Image:        {}", c.image));
        for (label, probe) in [
            ("Liveness", &c.liveness_probe),
            ("Readiness", &c.readiness_probe),
            ("Startup", &c.startup_probe),
        ] {
            if let Some(p) = probe {
                out.push(format!("    {:<14}{}", format!("{label}:"), probe_line(p)));
            }
        }
        if let Some(h) = c.lifecycle.as_ref().and_then(|l| l.pre_stop.as_ref()) {
            out.push(format!(
                "    PreStop:      {} ({}s)",
                h.kind(),
                h.duration_ms() / SECOND
            ));
        }
    }
    out.push(format!(
        "  Termination Grace Period:  {}s",
        t.spec.termination_grace_period_seconds.unwrap_or(30)
    ));
    out
}

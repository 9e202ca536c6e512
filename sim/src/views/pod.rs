//! `kubectl describe pod` (kubectl `describe.go`, `PodDescriber`): where the pod runs, its
//! status, each container's state, readiness and restarts, the pod's conditions, its events.
use super::{container_env, container_ports, multiline, probe_line, text_at};
use crate::cluster::Cluster;
use crate::kubelet::{ContainerState, Pod};
use crate::time::rfc1123z;

impl Cluster {
    pub(super) fn describe_pod(&self, p: &Pod) -> String {
        let rs = self
            .replica_sets
            .iter()
            .find(|rs| rs.metadata.uid == p.owner);
        let template = rs.map(|rs| &rs.template);
        let mut out = Vec::new();
        let mut field = |k: &str, v: String| out.push(format!("{:<18}{v}", format!("{k}:")));
        field("Name", p.name.clone());
        field("Namespace", "default".into());
        field(
            "Node",
            format!("node-{}/10.0.0.{}", p.node + 1, p.node + 11),
        );
        field("Start Time", rfc1123z(p.created_at));
        field("Labels", multiline(&p.labels, "=", 18));
        field("Annotations", "<none>".into());
        let status = match (p.deletion.is_some(), p.container) {
            (true, _) => "Terminating",
            (_, ContainerState::Creating) => "Pending",
            _ => "Running",
        };
        field("Status", status.into());
        field("IP", p.ip());
        out.push(format!("IPs:\n  IP:           {}", p.ip()));
        out.push(format!("Controlled By:  ReplicaSet/{}", p.owner_name));
        let now = self.now;
        let extra = template.map(|t| &t.spec.extra);
        let init = extra
            .and_then(|e| e.get("initContainers"))
            .and_then(|v| v.as_array());
        if let Some(init) = init.filter(|i| !i.is_empty()) {
            out.push("Init Containers:".into());
            for c in init {
                let name = text_at(c, "name");
                let image = text_at(c, "image");
                let sidecar = p.others.iter().find(|s| s.native && s.name == name);
                let (state, ready) = match sidecar {
                    Some(s) if now >= s.ready_at => ("Running", "True"),
                    Some(_) => ("Waiting", "False"),
                    None if now >= p.init_done_at => {
                        ("Terminated\n      Reason:       Completed", "True")
                    }
                    None => ("Running", "False"),
                };
                out.push(format!("  {name}:"));
                out.push(format!("    Image:          {image}"));
                out.push(format!("    State:          {state}"));
                out.push(format!("    Ready:          {ready}"));
            }
        }
        out.push("Containers:".into());
        for (k, c) in template
            .into_iter()
            .flat_map(|t| &t.spec.containers)
            .enumerate()
        {
            let (running, ready, restarts) = if k == 0 {
                (p.is_running(), p.app_ready(), p.restarts)
            } else {
                let s = p.others.iter().find(|s| !s.native && s.name == c.name);
                let up = s.is_some_and(|s| now >= s.ready_at);
                (up, up, 0)
            };
            out.push(format!("  {}:", c.name));
            out.push(format!("    Image:          {}", c.image));
            out.extend(
                container_ports(c.extra.get("ports"))
                    .into_iter()
                    .map(|l| widen(&l)),
            );
            let state = match (running, p.container, k) {
                (true, ContainerState::Running { since }, 0) => {
                    format!("Running\n      Started:      {}", rfc1123z(since))
                }
                (true, _, _) => "Running".into(),
                (_, ContainerState::BackOff { .. }, 0) => {
                    "Waiting\n      Reason:       CrashLoopBackOff".into()
                }
                _ => "Waiting\n      Reason:       ContainerCreating".into(),
            };
            out.push(format!("    State:          {state}"));
            out.push(format!(
                "    Ready:          {}",
                if ready { "True" } else { "False" }
            ));
            out.push(format!("    Restart Count:  {restarts}"));
            for (label, probe) in [
                ("Liveness", &c.liveness_probe),
                ("Readiness", &c.readiness_probe),
                ("Startup", &c.startup_probe),
            ] {
                if let Some(probe) = probe {
                    out.push(format!(
                        "    {:<16}{}",
                        format!("{label}:"),
                        probe_line(probe)
                    ));
                }
            }
            out.extend(container_env(c).into_iter().map(|l| widen(&l)));
        }
        let (ready, total) = p.ready_containers(now);
        let truth = |b: bool| if b { "True" } else { "False" };
        out.push("Conditions:".into());
        out.push(super::describe_table(
            &["  Type", "Status"],
            vec![
                vec!["  Initialized".into(), truth(now >= p.init_done_at).into()],
                vec!["  Ready".into(), truth(p.ready).into()],
                vec!["  ContainersReady".into(), truth(ready == total).into()],
                vec!["  PodScheduled".into(), "True".into()],
            ],
        ));
        out.push(self.describe_events(&format!("pod/{}", p.name)));
        out.join("\n")
    }
}

/// The container lines of a pod template, in a pod's wider key column.
fn widen(line: &str) -> String {
    match line.split_once(":  ") {
        Some((key, value)) if !value.trim().is_empty() => {
            format!("{:<20}{}", format!("{key}:"), value.trim_start())
        }
        _ => line.to_string(),
    }
}

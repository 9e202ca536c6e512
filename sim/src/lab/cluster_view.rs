//! The lab's picture of the cluster at one moment: every ReplicaSet that wants or still has
//! pods, with each pod's status, its own timeline in words, and whether the proxies route to it.
use crate::cluster::Cluster;
use crate::kubelet::Pod;

/// A pod as the lab's cluster view shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PodView {
    pub name: String,
    /// kubectl's STATUS column.
    pub status: &'static str,
    pub ready: bool,
    pub restarts: u32,
    /// The pod's own timeline, in words: "preStop: SIGTERM at 66.0s, SIGKILL at 91.0s".
    pub note: String,
    /// Where it is in its life, in a few words for the stage's card: "pulling", "listening, not
    /// ready", "preStop 3.2s left", "draining", "killed".
    pub phase: String,
    /// Listed as a ready endpoint of a Service (control plane).
    pub in_endpoints: bool,
    /// Some node's proxy sends new connections to it (what the data plane believes).
    pub routed: bool,
    /// What the proxies route to right now; differs from `in_endpoints` while an update travels.
    pub routing: String,
    /// Requests it has answered and failed so far (`requests.by_pod`).
    pub answered: u64,
    pub failed: u64,
    /// Connections clients hold open to it, when they keep them (CN-1, CN-2).
    pub connections: Option<usize>,
}

/// A pod's phase as the stage's card names it: the kubelet's view (TM-2, PR-*), finer than
/// kubectl's STATUS.
fn phase(p: &Pod, now: crate::time::Ms) -> String {
    use crate::kubelet::{App, ContainerState, Exit};
    use crate::time::fmt_secs;
    match (p.deletion, p.app, p.container) {
        (
            Some(_),
            App::Exited {
                why: Exit::Sigkill, ..
            },
            _,
        ) => "killed (SIGKILL)".into(),
        (Some(_), App::Exited { .. }, _) => "exited".into(),
        (Some(d), _, _) if now < d.sigterm_at => {
            format!("preStop, {} left", fmt_secs(d.sigterm_at - now))
        }
        (Some(_), App::Draining { .. }, _) => "SIGTERM: draining".into(),
        (Some(d), _, _) => format!(
            "SIGTERM received; SIGKILL in {}",
            fmt_secs((d.kill_at - now).max(0))
        ),
        (None, _, ContainerState::Creating) => "pulling".into(),
        (None, _, ContainerState::BackOff { .. }) => "crashed, backing off".into(),
        // Without a readiness probe a pod is ready once its container runs (PR-1).
        (None, App::Starting { .. }, _) if p.ready => "ready, not yet listening".into(),
        (None, App::Starting { .. }, _) => "starting".into(),
        (None, App::Listening, _) if p.ready => "ready".into(),
        (None, App::Listening, _) => "listening, not ready".into(),
        (None, _, _) if p.ready => "ready".into(),
        (None, _, _) => "not ready".into(),
    }
}

/// A ReplicaSet and its pods.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplicaSetView {
    pub deployment: String,
    pub name: String,
    pub revision: i64,
    pub image: String,
    pub desired: i32,
    pub ready: i32,
    /// For a Rollout's ReplicaSet: stable, canary, active or preview.
    pub role: String,
    pub pods: Vec<PodView>,
}

impl Cluster {
    /// Every ReplicaSet that wants or still has pods, newest revision first, with its pods.
    pub fn replica_set_views(&self) -> Vec<ReplicaSetView> {
        let mut out: Vec<ReplicaSetView> = self
            .replica_sets
            .iter()
            .map(|rs| ReplicaSetView {
                deployment: rs.owner.clone().unwrap_or_default(),
                name: rs.metadata.name.clone(),
                revision: rs.revision(),
                image: rs.image().to_string(),
                desired: rs.replicas,
                ready: rs.status.ready_replicas,
                role: self.rollout_role(rs),
                pods: self
                    .pods
                    .iter()
                    .filter(|p| p.owner == rs.metadata.uid)
                    .map(|p| self.pod_view(p))
                    .collect(),
            })
            .filter(|v| v.desired > 0 || !v.pods.is_empty())
            .collect();
        crate::order::sort_by(&mut out, |a, b| {
            a.deployment
                .cmp(&b.deployment)
                .then(b.revision.cmp(&a.revision))
        });
        out
    }

    /// What an Argo Rollout calls this ReplicaSet now; empty for a Deployment's.
    fn rollout_role(&self, rs: &crate::api::ReplicaSet) -> String {
        let Some(r) = self
            .rollouts
            .iter()
            .find(|r| rs.owner.as_deref() == Some(r.metadata.name.as_str()))
        else {
            return String::new();
        };
        let hash = rs
            .template
            .metadata
            .labels
            .get(crate::rollouts::api::ROLLOUT_HASH)
            .map_or("", String::as_str);
        let s = &r.status;
        let bg = r.spec.strategy.blue_green.is_some();
        match (bg, hash == s.stable_rs, hash == s.current_pod_hash) {
            (true, _, _) if hash == s.active_selector => "active".into(),
            (true, _, true) => "preview".into(),
            (false, true, _) => "stable".into(),
            (false, false, true) => "canary".into(),
            _ => String::new(),
        }
    }

    fn pod_view(&self, p: &Pod) -> PodView {
        use crate::kubelet::{App, ContainerState};
        use crate::time::fmt_secs;
        let now = self.now;
        let in_endpoints = self.endpoints.iter().any(|e| e.is_ready(p.uid));
        let routed = self.endpoints.iter().any(|e| e.routed(p.uid));
        let note = match (p.deletion, p.app, p.container) {
            (Some(d), _, _) if now < d.sigterm_at => {
                format!(
                    "preStop: SIGTERM at {}, SIGKILL at {}",
                    fmt_secs(d.sigterm_at),
                    fmt_secs(d.kill_at)
                )
            }
            (Some(d), App::Draining { since }, _) => format!(
                "draining since {}; SIGKILL at {}",
                fmt_secs(since),
                fmt_secs(d.kill_at)
            ),
            (Some(d), _, _) => format!(
                "SIGTERM at {}; SIGKILL at {}",
                fmt_secs(d.sigterm_at),
                fmt_secs(d.kill_at)
            ),
            (None, _, ContainerState::Creating) => format!("pulling {}", p.image),
            (None, _, ContainerState::BackOff { until }) => {
                format!("restarts at {}", fmt_secs(until))
            }
            (None, App::Starting { listens_at }, _) => {
                format!("app listens from {}", fmt_secs(listens_at))
            }
            (None, _, _) => match (p.ready_since, p.not_ready_since) {
                (Some(since), _) if since < 0 => "ready since before the start".into(),
                (Some(since), _) => format!("ready since {}", fmt_secs(since)),
                (None, Some(since)) => format!("not ready since {}", fmt_secs(since)),
                (None, None) => "not ready".into(),
            },
        };
        let mut routing = match (in_endpoints, routed, p.endpoint_removed_at) {
            (true, true, _) => "receives traffic".to_string(),
            (true, false, _) => "ready; the proxies add it soon".to_string(),
            (false, true, Some(removed)) => {
                let left = (self.proxy_drops_at(removed) - now).max(0);
                format!("still routed for {}", fmt_secs(left))
            }
            (false, true, None) => "still routed".to_string(),
            (false, false, _) => "no traffic".to_string(),
        };
        // Kept-open connections stay on their pod whatever the proxies now route (TM-6).
        let kept = self.scenario.traffic.connections != crate::scenario::Connections::PerRequest;
        let connections = kept.then(|| self.connections_to(p.uid));
        if let Some(n) = connections {
            let s = if n == 1 { "" } else { "s" };
            routing.push_str(&format!(" · {n} open connection{s}"));
        }
        // The ingress controller's own list lags the endpoints (IN-1).
        if let Some(view) = self.endpoints.iter().find_map(|e| e.ingress.as_ref()) {
            let listed = view.routes.contains(&p.uid);
            match (listed, in_endpoints) {
                (true, false) => routing.push_str(" · the ingress still sends to it"),
                (false, true) => routing.push_str(" · the ingress adds it soon"),
                _ => {}
            }
        }
        PodView {
            name: p.name.clone(),
            status: p.status_text(),
            ready: p.ready,
            restarts: p.restarts,
            note,
            phase: phase(p, now),
            in_endpoints,
            routed,
            routing,
            answered: p.answered,
            failed: p.failed,
            connections,
        }
    }
}

//! What `kubectl argo rollouts get rollout` and `kubectl get rollouts,analysisruns` print: the
//! strategy, the step, the desired and the actual weight, and the tree of revisions and pods.
use super::api::{Phase, Rollout, ROLLOUT_HASH, ROLLOUT_REVISION};
use crate::cluster::Cluster;
use crate::time::fmt_age;
use crate::views::table;

impl Cluster {
    pub fn rollout(&self, name: &str) -> Result<&Rollout, String> {
        self.rollout_index(name).map(|i| &self.rollouts[i])
    }

    /// `kubectl argo rollouts get rollout|status|list` (the words after `rollouts`).
    pub fn argo_view(&self, args: &[&str]) -> Result<String, String> {
        match args {
            ["get", "rollout" | "rollouts" | "ro", name] | ["get", name] => {
                self.rollout_tree(self.rollout(name.trim_start_matches("rollout/"))?)
            }
            ["status", name] => {
                let r = self.rollout(name)?;
                Ok(match r.status.message.as_str() {
                    "" => r.status.phase.as_str().to_string(),
                    m => format!("{} - {m}", r.status.phase.as_str()),
                })
            }
            ["list", "rollouts" | "rollout"] | ["list"] => self.get_argo("rollouts", None),
            _ => Err(format!(
                "cannot show \"argo rollouts {}\": try get rollout NAME, status NAME, list rollouts",
                args.join(" ")
            )),
        }
    }

    /// `kubectl get rollouts` and `kubectl get analysisruns`; `None` for other kinds.
    pub fn get_argo(&self, kind: &str, name: Option<&str>) -> Result<String, String> {
        let keep = |n: &str| name.is_none_or(|want| want == n);
        match kind {
            "ro" | "rollout" | "rollouts" | "rollouts.argoproj.io" => Ok(table(
                &[
                    "NAME",
                    "DESIRED",
                    "CURRENT",
                    "UP-TO-DATE",
                    "AVAILABLE",
                    "AGE",
                ],
                self.rollouts
                    .iter()
                    .filter(|r| keep(&r.metadata.name))
                    .map(|r| {
                        vec![
                            r.metadata.name.clone(),
                            r.spec.replicas.to_string(),
                            r.status.replicas.to_string(),
                            r.status.updated_replicas.to_string(),
                            r.status.available_replicas.to_string(),
                            fmt_age(self.now - r.metadata.created_at),
                        ]
                    })
                    .collect(),
            )),
            "ar" | "analysisrun" | "analysisruns" => Ok(table(
                &["NAME", "STATUS", "AGE", "MESSAGE"],
                self.analysis_runs
                    .iter()
                    .filter(|a| keep(&a.name))
                    .map(|a| {
                        vec![
                            a.name.clone(),
                            a.phase.as_str().into(),
                            fmt_age(self.now - a.started_at),
                            a.message.clone(),
                        ]
                    })
                    .collect(),
            )),
            other => Err(format!(
                "the server doesn't have a resource type \"{other}\""
            )),
        }
    }

    /// The weight the router gives the canary now, or, without a router, the share of ready
    /// endpoints the new version has (LB-5).
    pub fn actual_weight(&self, r: &Rollout) -> i32 {
        let c = r.spec.strategy.canary.as_ref();
        if c.is_some_and(|c| c.traffic_routing.is_some()) {
            return r.status.router_weight;
        }
        let hash_ready = |hash: &str| {
            self.pods
                .iter()
                .filter(|p| {
                    p.ready
                        && p.deletion.is_none()
                        && p.labels.get(ROLLOUT_HASH).map(String::as_str) == Some(hash)
                })
                .count() as f64
        };
        let ours = |hash: &str| {
            self.pods.iter().any(|p| {
                p.labels.get(ROLLOUT_HASH).map(String::as_str) == Some(hash)
                    && r.spec
                        .selector
                        .match_labels
                        .iter()
                        .all(|(k, v)| p.labels.get(k) == Some(v))
            })
        };
        let (new, stable) = (&r.status.current_pod_hash, &r.status.stable_rs);
        if new == stable || !ours(new) {
            return 0;
        }
        let (n, s) = (hash_ready(new), hash_ready(stable));
        if n + s == 0.0 {
            0
        } else {
            (100.0 * n / (n + s)).round() as i32
        }
    }

    /// `kubectl argo rollouts get rollout NAME`: the summary, then the tree of revisions,
    /// ReplicaSets, pods and analysis runs.
    fn rollout_tree(&self, r: &Rollout) -> Result<String, String> {
        let status = phase_text(r.status.phase);
        let mut out = self.rollout_summary(r, status);
        let mut owned = self.rollout_rss(self.rollout_index(&r.metadata.name)?);
        crate::order::sort_by_key(&mut owned, |o| std::cmp::Reverse(o.revision));
        let image_of = |uid: u64| {
            self.replica_sets
                .iter()
                .find(|rs| rs.metadata.uid == uid)
                .map_or("", |rs| rs.image())
        };
        let s = &r.status;
        let images: Vec<String> = owned
            .iter()
            .filter(|o| o.replicas > 0 || o.hash == s.current_pod_hash)
            .map(|o| match tree_role(r, &o.hash) {
                role if role.is_empty() => image_of(o.uid).to_string(),
                role => format!("{} ({role})", image_of(o.uid)),
            })
            .collect();
        for (k, image) in images.iter().enumerate() {
            let label = if k == 0 {
                "Images:          "
            } else {
                "                 "
            };
            out.push(format!("{label}{image}"));
        }
        out.push("Replicas:".into());
        out.push(format!("  Desired:       {}", r.spec.replicas));
        out.push(format!("  Current:       {}", s.replicas));
        out.push(format!("  Updated:       {}", s.updated_replicas));
        out.push(format!("  Ready:         {}", s.ready_replicas));
        out.push(format!("  Available:     {}", s.available_replicas));
        out.push(String::new());
        let mut rows = vec![vec![
            format!("⟳ {}", r.metadata.name),
            "Rollout".into(),
            status.into(),
            fmt_age(self.now - r.metadata.created_at),
            String::new(),
        ]];
        for o in &owned {
            rows.extend(self.revision_rows(r, o.uid, &o.hash));
        }
        rows.extend(self.analysis_rows(r));
        out.push(table(&["NAME", "KIND", "STATUS", "AGE", "INFO"], rows));
        Ok(out.join("\n"))
    }

    /// The lines above the tree: name, status, message, strategy and, for a canary, its step and
    /// weights.
    fn rollout_summary(&self, r: &Rollout, status: &str) -> Vec<String> {
        let s = &r.status;
        let mut out = vec![
            format!("Name:            {}", r.metadata.name),
            "Namespace:       default".into(),
            format!("Status:          {status}"),
        ];
        if !s.message.is_empty() {
            out.push(format!("Message:         {}", s.message));
        }
        if let Some(bg) = &r.spec.strategy.blue_green {
            out.push("Strategy:        BlueGreen".into());
            out.push(format!("  Active Service:  {}", bg.active_service));
            if let Some(p) = &bg.preview_service {
                out.push(format!("  Preview Service: {p}"));
            }
        }
        if let Some(c) = &r.spec.strategy.canary {
            out.push("Strategy:        Canary".into());
            let total = c.steps.len();
            if total > 0 {
                let k = s.current_step_index.unwrap_or(0).max(0) as usize;
                let now = c
                    .steps
                    .get(k)
                    .map_or("complete".to_string(), |st| st.describe());
                out.push(format!("  Step:          {}/{total} ({now})", k.min(total)));
            }
            // Between updates everything is the stable version: 100% on both counts.
            let settled = s.stable_rs == s.current_pod_hash;
            let asked = if settled { 100 } else { s.desired_weight };
            out.push(format!("  SetWeight:     {asked}"));
            let actual = if settled { 100 } else { self.actual_weight(r) };
            out.push(format!("  ActualWeight:  {actual}"));
            for h in &s.header_routes {
                out.push(format!("  HeaderRoute:   {}", h.name));
            }
            for m in &s.mirror_routes {
                out.push(format!(
                    "  MirrorRoute:   {} ({}%)",
                    m.name,
                    m.percentage.unwrap_or(100)
                ));
            }
        }
        out
    }

    /// One revision of the tree: its ReplicaSet and the ReplicaSet's pods.
    fn revision_rows(&self, r: &Rollout, uid: u64, hash: &str) -> Vec<Vec<String>> {
        let Some(rs) = self.replica_sets.iter().find(|rs| rs.metadata.uid == uid) else {
            return Vec::new();
        };
        let state = if rs.replicas == 0 {
            "• ScaledDown"
        } else if rs.status.available_replicas >= rs.replicas {
            "✔ Healthy"
        } else {
            "◌ Progressing"
        };
        let blank = String::new;
        let mut rows = vec![
            vec![
                format!(
                    "├──# revision:{}",
                    rs.annotation(ROLLOUT_REVISION).unwrap_or("?")
                ),
                blank(),
                blank(),
                blank(),
                blank(),
            ],
            vec![
                format!("│  └──⧉ {}", rs.metadata.name),
                "ReplicaSet".into(),
                state.into(),
                fmt_age(self.now - rs.metadata.created_at),
                tree_role(r, hash),
            ],
        ];
        for p in self.pods.iter().filter(|p| p.owner == rs.metadata.uid) {
            let state = if p.ready {
                "✔ Running".to_string()
            } else {
                format!("◌ {}", p.status_text())
            };
            rows.push(vec![
                format!("│     └──□ {}", p.name),
                "Pod".into(),
                state,
                fmt_age(self.now - p.created_at),
                format!("ready:{}/1", u8::from(p.ready)),
            ]);
        }
        rows
    }

    /// The analysis runs of the current update, with their measurements' tally.
    fn analysis_rows(&self, r: &Rollout) -> Vec<Vec<String>> {
        self.analysis_runs
            .iter()
            .filter(|a| a.rollout == r.metadata.name && a.canary_hash == r.status.current_pod_hash)
            .map(|run| {
                let ok: i32 = run.metrics.iter().map(|m| m.successful).sum();
                let bad: i32 = run.metrics.iter().map(|m| m.failed).sum();
                vec![
                    format!("└──α {}", run.name),
                    "AnalysisRun".into(),
                    run.phase.as_str().into(),
                    fmt_age(self.now - run.started_at),
                    format!("✔ {ok},✖ {bad}"),
                ]
            })
            .collect()
    }
}

/// The plugin's status words, with its symbols.
fn phase_text(phase: Phase) -> &'static str {
    match phase {
        Phase::Healthy => "✔ Healthy",
        Phase::Progressing => "◌ Progressing",
        Phase::Paused => "॥ Paused",
        Phase::Degraded => "✖ Degraded",
    }
}

/// The role the plugin's tree prints beside a revision: stable (and active), canary or preview.
fn tree_role(r: &Rollout, hash: &str) -> String {
    let s = &r.status;
    let bg = r.spec.strategy.blue_green.is_some();
    let mut roles = Vec::new();
    if hash == s.stable_rs {
        roles.push(if bg { "stable, active" } else { "stable" });
    }
    if hash == s.current_pod_hash && hash != s.stable_rs {
        roles.push(if bg { "preview" } else { "canary" });
    }
    roles.join(", ")
}

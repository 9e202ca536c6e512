//! What `kubectl argo rollouts get rollout` and `kubectl get rollouts,analysisruns` print: the
//! strategy, the step, the desired and the actual weight, and the tree of revisions and pods.
use super::analysis::RunPhase;
use super::api::{Phase, Rollout, ROLLOUT_HASH, ROLLOUT_REVISION, SCALE_DOWN_DEADLINE};
use crate::cluster::Cluster;
use crate::time::fmt_age;

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
            ["list", "rollouts" | "rollout" | "ro"] | ["list"] => Ok(self.list_rollouts()),
            _ => Err(format!(
                "cannot show \"argo rollouts {}\": try get rollout NAME, status NAME, list rollouts",
                args.join(" ")
            )),
        }
    }

    /// `list rollouts` (the plugin's `list_rollouts.go`, `rolloutinfo.go`): each cell padded
    /// as the plugin pads it, then laid out by a tab writer with two spaces between columns.
    fn list_rollouts(&self) -> String {
        if self.rollouts.is_empty() {
            return "No resources found.".into();
        }
        let rows = self
            .rollouts
            .iter()
            .map(|r| {
                let s = &r.status;
                let (strategy, step, weight) = match &r.spec.strategy.canary {
                    Some(c) => {
                        let step = match s.current_step_index {
                            Some(k) if !c.steps.is_empty() => format!("{k}/{}", c.steps.len()),
                            _ => "-".into(),
                        };
                        let settled = s.stable_rs == s.current_pod_hash;
                        let weight = if settled { 100 } else { s.desired_weight };
                        ("Canary", step, weight.to_string())
                    }
                    None => ("BlueGreen", "-".into(), "-".into()),
                };
                vec![
                    format!("{:<10}", r.metadata.name),
                    format!("{strategy:<9}"),
                    format!("{:<12}", s.phase.as_str()),
                    format!("{step:<4}"),
                    format!("{weight:<10}"),
                    format!("{:<5}", format!("{}/{}", s.ready_replicas, s.replicas)),
                    format!("{:<7}", r.spec.replicas),
                    format!("{:<10}", s.updated_replicas),
                    format!("{:<9}", s.available_replicas),
                ]
            })
            .collect();
        let header = [
            "NAME",
            "STRATEGY",
            "STATUS",
            "STEP",
            "SET-WEIGHT",
            "READY",
            "DESIRED",
            "UP-TO-DATE",
            "AVAILABLE",
        ];
        crate::views::tabulate(&header, rows, 2)
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
        for (i, o) in owned.iter().enumerate() {
            let (prefix, sub) = prefixes(i + 1 == owned.len(), "");
            rows.extend(self.revision_rows(r, o.uid, &o.hash, &prefix, &sub));
        }
        out.push(crate::views::tabulate(
            &["NAME", "KIND", "STATUS", "AGE", "INFO"],
            rows,
            2,
        ));
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
        if r.spec.strategy.blue_green.is_some() {
            out.push("Strategy:        BlueGreen".into());
        }
        if let Some(c) = &r.spec.strategy.canary {
            out.push("Strategy:        Canary".into());
            // The step index (from 0) over the number of steps, as the plugin prints it.
            let total = c.steps.len();
            if total > 0 {
                let k = s.current_step_index.unwrap_or(0).max(0) as usize;
                out.push(format!("  Step:          {}/{total}", k.min(total)));
            }
            // Between updates everything is the stable version: 100% on both counts.
            let settled = s.stable_rs == s.current_pod_hash;
            let asked = if settled { 100 } else { s.desired_weight };
            out.push(format!("  SetWeight:     {asked}"));
            let actual = if settled { 100 } else { self.actual_weight(r) };
            out.push(format!("  ActualWeight:  {actual}"));
        }
        out
    }

    /// One revision of the tree (`PrintRevision`): its ReplicaSet with the ReplicaSet's pods,
    /// then the analysis runs of that revision.
    fn revision_rows(
        &self,
        r: &Rollout,
        uid: u64,
        hash: &str,
        prefix: &str,
        sub: &str,
    ) -> Vec<Vec<String>> {
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
        let revision = rs.annotation(ROLLOUT_REVISION).unwrap_or("?");
        let mut rows = vec![vec![
            format!("{prefix}# revision:{revision}"),
            blank(),
            blank(),
            blank(),
            blank(),
        ]];
        let runs: Vec<_> = self
            .analysis_runs
            .iter()
            .filter(|a| a.rollout == r.metadata.name && a.canary_hash == hash)
            .collect();
        let (rs_prefix, rs_sub) = prefixes(runs.is_empty(), sub);
        let mut info = tree_role(r, hash);
        if let Some(deadline) = rs
            .annotation(SCALE_DOWN_DEADLINE)
            .and_then(|d| d.parse::<i64>().ok())
        {
            let left = deadline - self.now;
            let delay = if left > 0 {
                fmt_age(left)
            } else {
                "passed".into()
            };
            info = [info, format!("delay:{delay}")]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(",");
        }
        rows.push(vec![
            format!("{rs_prefix}⧉ {}", rs.metadata.name),
            "ReplicaSet".into(),
            state.into(),
            fmt_age(self.now - rs.metadata.created_at),
            info,
        ]);
        let pods: Vec<_> = self
            .pods
            .iter()
            .filter(|p| p.owner == rs.metadata.uid)
            .collect();
        for (j, p) in pods.iter().enumerate() {
            let (pod_prefix, _) = prefixes(j + 1 == pods.len(), &rs_sub);
            let (ready, total) = p.ready_containers(self.now);
            let icon = match p.status_text() {
                "Running" if ready == total => "✔",
                "CrashLoopBackOff" => "✖",
                _ => "◌",
            };
            let mut info = format!("ready:{ready}/{total}");
            if p.restarts > 0 {
                info.push_str(&format!(",restarts:{}", p.restarts));
            }
            rows.push(vec![
                format!("{pod_prefix}□ {}", p.name),
                "Pod".into(),
                format!("{icon} {}", p.status_text()),
                fmt_age(self.now - p.created_at),
                info,
            ]);
        }
        for (k, run) in runs.iter().enumerate() {
            let (run_prefix, _) = prefixes(k + 1 == runs.len(), sub);
            let tally = |n: i32, icon: &str| (n > 0).then(|| format!("{icon} {n}"));
            let ok = tally(run.metrics.iter().map(|m| m.successful).sum(), "✔");
            let bad = tally(run.metrics.iter().map(|m| m.failed).sum(), "✖");
            let icon = match run.phase {
                RunPhase::Successful => "✔",
                RunPhase::Failed => "✖",
                RunPhase::Error => "⚠",
                RunPhase::Inconclusive => "?",
                RunPhase::Running => "◌",
            };
            rows.push(vec![
                format!("{run_prefix}α {}", run.name),
                "AnalysisRun".into(),
                format!("{icon} {}", run.phase.as_str()),
                fmt_age(self.now - run.started_at),
                [ok, bad]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(","),
            ]);
        }
        rows
    }
}

/// The plugin's tree prefixes (`getPrefixes`): the branch for this row and what its children
/// hang from.
fn prefixes(last: bool, sub: &str) -> (String, String) {
    if last {
        (format!("{sub}└──"), format!("{sub}   "))
    } else {
        (format!("{sub}├──"), format!("{sub}│  "))
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
        roles.push(if bg { "stable,active" } else { "stable" });
    }
    if hash == s.current_pod_hash && hash != s.stable_rs {
        roles.push(if bg { "preview" } else { "canary" });
    }
    roles.join(",")
}

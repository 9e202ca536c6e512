//! The Rollout controller (`rollout/controller.go`): finds or creates the ReplicaSet for the
//! current template, hands the Rollout to its strategy (canary or blue-green), points the managed
//! Services at the right hashes and writes the status. ReplicaSets and pods are the same objects
//! the Deployment controller uses; only the owner and the hash label (`rollouts-pod-template-hash`)
//! differ.
use super::api::{Phase, Rollout, ROLLOUT_HASH, ROLLOUT_REVISION, SCALE_DOWN_DEADLINE};
use crate::api::{ObjectMeta, PodTemplateSpec, ReplicaSet};
use crate::cluster::Cluster;
use crate::events::Kind;
use crate::time::Ms;
use crate::write::template_hash;

/// A ReplicaSet as one sync sees it, by uid (indices move when ReplicaSets are created).
#[derive(Clone, Debug, Default)]
pub struct Owned {
    pub uid: u64,
    pub name: String,
    pub hash: String,
    pub replicas: i32,
    pub available: i32,
    pub revision: i64,
    pub deadline: Option<Ms>,
}

impl Owned {
    pub fn arith(&self) -> super::replicaset::Rs {
        super::replicaset::Rs {
            name: self.name.clone(),
            replicas: self.replicas,
            available: self.available,
        }
    }
}

/// What one sync of one Rollout works on, as upstream's `rolloutContext` (`rollout/context.go`):
/// the Rollout (by index) and its ReplicaSets as the strategies split them.
#[derive(Clone, Debug)]
pub struct RolloutContext {
    pub i: usize,
    /// The ReplicaSet of the current template (`newRS`).
    pub new: Owned,
    /// The stable ReplicaSet while an update is under way (`stableRS`).
    pub stable: Option<Owned>,
    /// Every other ReplicaSet of the Rollout, oldest revisions included (`otherRSs`).
    pub older: Vec<Owned>,
}

fn strip_hash(t: &PodTemplateSpec) -> PodTemplateSpec {
    let mut t = t.clone();
    t.metadata.labels.remove(ROLLOUT_HASH);
    t
}

impl Cluster {
    pub(crate) fn rollout_index(&self, name: &str) -> Result<usize, String> {
        self.rollouts
            .iter()
            .position(|r| r.metadata.name == name)
            .ok_or(format!("rollouts.argoproj.io \"{name}\" not found"))
    }

    /// Every Rollout once; true if any ReplicaSet size or Rollout status changed.
    pub(crate) fn sync_rollouts(&mut self) -> bool {
        let mut changed = false;
        for i in 0..self.rollouts.len() {
            let before = self.rollout_rss(i);
            let status = self.rollouts[i].status.clone();
            if let Some(why) = self.invalid_references(i) {
                // Argo reconciles nothing of a Rollout whose references do not resolve.
                let r = &mut self.rollouts[i];
                r.status.phase = super::api::Phase::Degraded;
                r.status.message = format!(
                    "InvalidSpec: The Rollout \"{}\" is invalid: {why}",
                    r.metadata.name
                );
                changed |= status != r.status;
                continue;
            }
            self.reconcile_rollout(i);
            let after = self.rollout_rss(i);
            let sizes = |o: &[Owned]| o.iter().map(|r| (r.uid, r.replicas)).collect::<Vec<_>>();
            // A status change (a step, an abort, the router's weight) is read by the next pass.
            changed |= sizes(&before) != sizes(&after) || status != self.rollouts[i].status;
        }
        changed
    }

    /// What the Rollout refers to and cannot find, as Argo's controller words it; resolves a
    /// `workloadRef` to the Deployment's template on the way (`TemplateResolvedFromRef`).
    /// AR-1. Upstream: `getRolloutReferencedResources` (`rollout/controller.go`), `templateref.go`.
    fn invalid_references(&mut self, i: usize) -> Option<String> {
        if let Some(w) = self.rollouts[i].spec.workload_ref.clone() {
            let Some(d) = self.deployments.iter().find(|d| d.metadata.name == w.name) else {
                return Some(format!(
                    "spec.workloadRef.name: Invalid value: {:?}: deployments.apps {:?} not found",
                    w.name, w.name
                ));
            };
            let (template, selector) = (d.spec.template.clone(), d.spec.selector.clone());
            let spec = &mut self.rollouts[i].spec;
            spec.template = template;
            if spec.selector.match_labels.is_empty() {
                spec.selector = selector;
            }
        }
        let st = &self.rollouts[i].spec.strategy;
        let mut services: Vec<(&str, &String)> = Vec::new();
        if let Some(bg) = &st.blue_green {
            services.push(("blueGreen.activeService", &bg.active_service));
            services.extend(
                bg.preview_service
                    .iter()
                    .map(|p| ("blueGreen.previewService", p)),
            );
        }
        if let Some(c) = &st.canary {
            services.extend(c.stable_service.iter().map(|s| ("canary.stableService", s)));
            services.extend(c.canary_service.iter().map(|s| ("canary.canaryService", s)));
        }
        let missing = services
            .into_iter()
            .find(|(_, name)| !self.services.iter().any(|s| &&s.metadata.name == name));
        if let Some((path, name)) = missing {
            return Some(format!(
                "spec.strategy.{path}: Invalid value: {name:?}: service {name:?} not found"
            ));
        }
        let spec = &self.rollouts[i].spec;
        for (path, analysis) in spec.analyses() {
            for t in &analysis.templates {
                if !self.analysis_templates.iter().any(|x| x.is(t)) {
                    let kind = if t.cluster_scope {
                        "clusteranalysistemplate"
                    } else {
                        "analysistemplate"
                    };
                    let name = &t.template_name;
                    return Some(format!("spec.strategy.{path}.templates: Invalid value: \"templateNames: [{name}]\": {kind}.argoproj.io {name:?} not found"));
                }
            }
        }
        None
    }

    /// The context of a sync of Rollout `i`, once its new ReplicaSet exists.
    pub(crate) fn rollout_context(&self, i: usize) -> Option<RolloutContext> {
        let s = &self.rollouts[i].status;
        let updating = !s.stable_rs.is_empty() && s.stable_rs != s.current_pod_hash;
        let owned = self.rollout_rss(i);
        let new = owned
            .iter()
            .find(|o| o.hash == s.current_pod_hash)
            .cloned()?;
        let stable = owned
            .iter()
            .find(|o| updating && o.hash == s.stable_rs)
            .cloned();
        let older = owned
            .into_iter()
            .filter(|o| o.uid != new.uid && stable.as_ref().is_none_or(|st| st.uid != o.uid))
            .collect();
        Some(RolloutContext {
            i,
            new,
            stable,
            older,
        })
    }

    /// The ReplicaSets rollout `i` owns, oldest first.
    pub(crate) fn rollout_rss(&self, i: usize) -> Vec<Owned> {
        let name = &self.rollouts[i].metadata.name;
        self.replica_sets
            .iter()
            .filter(|rs| rs.owner.as_deref() == Some(name))
            .map(|rs| Owned {
                uid: rs.metadata.uid,
                name: rs.metadata.name.clone(),
                hash: rs
                    .template
                    .metadata
                    .labels
                    .get(ROLLOUT_HASH)
                    .cloned()
                    .unwrap_or_default(),
                replicas: rs.replicas,
                available: rs.status.available_replicas,
                revision: rs
                    .annotation(ROLLOUT_REVISION)
                    .and_then(|r| r.parse().ok())
                    .unwrap_or(0),
                deadline: rs
                    .annotation(SCALE_DOWN_DEADLINE)
                    .and_then(|d| d.parse().ok()),
            })
            .collect()
    }

    /// Upstream: `reconcile` (`rollout/context.go`).
    fn reconcile_rollout(&mut self, i: usize) {
        let new = self.new_rollout_rs(i);
        if self.rollouts[i].status.current_pod_hash != new.hash {
            self.reset_rollout_status(i, &new.hash);
        }
        self.calculate_base_status(i);
        if self.rollouts[i].spec.strategy.blue_green.is_some() {
            self.rollout_blue_green(i);
        } else {
            self.rollout_canary(i);
        }
        self.calculate_rollout_conditions(i);
        self.reconcile_revision_history_limit(i);
    }

    /// `progressDeadlineSeconds` (Argo, like PD-1..5 for Deployments): an update that changes
    /// nothing for that long — no pod more ready, no step further — is Degraded with
    /// ProgressDeadlineExceeded. A pause does not count; an aborted update is over anyway.
    /// Upstream: `calculateRolloutConditions` (`rollout/sync.go`).
    fn calculate_rollout_conditions(&mut self, i: usize) {
        let now = self.now;
        let r = &mut self.rollouts[i];
        let s = &mut r.status;
        let seen = (
            s.current_pod_hash.clone(),
            s.current_step_index,
            [
                s.replicas,
                s.updated_replicas,
                s.ready_replicas,
                s.available_replicas,
            ],
        );
        if seen != s.progress {
            s.progress = seen;
            s.progress_at = now;
            s.timed_out = false;
        }
        let waiting = s.abort || r.spec.paused || s.phase != Phase::Progressing;
        if waiting {
            s.progress_at = now;
            return;
        }
        let deadline = s.progress_at + Ms::from(r.spec.progress_deadline_seconds.max(0)) * 1000;
        if now < deadline {
            self.schedule_resync(deadline);
            return;
        }
        let rs = format!("{}-{}", r.metadata.name, s.current_pod_hash);
        s.phase = Phase::Degraded;
        s.message =
            format!("ProgressDeadlineExceeded: ReplicaSet \"{rs}\" has timed out progressing.");
        if !s.timed_out {
            s.timed_out = true;
            let (object, msg) = (format!("rollout/{}", r.metadata.name), s.message.clone());
            self.events
                .push(now, Kind::Warning, "RolloutTimedOut", &object, msg);
        }
    }

    /// Every AnalysisRun of the current update stops.
    /// Upstream: `cancelAnalysisRuns` (`rollout/analysis.go`).
    fn cancel_analysis_runs(&mut self, i: usize) {
        let s = &self.rollouts[i].status;
        let runs = [
            s.step_run,
            s.background_run,
            s.pre_promotion_run,
            s.post_promotion_run,
        ];
        for run in runs {
            self.terminate_analysis(run);
        }
    }

    /// A new template: steps start again and everything of the previous update stops.
    /// Upstream: `resetRolloutStatus` (`rollout/sync.go`).
    fn reset_rollout_status(&mut self, i: usize, hash: &str) {
        self.cancel_analysis_runs(i);
        let r = &mut self.rollouts[i];
        let steps = r
            .spec
            .strategy
            .canary
            .as_ref()
            .map_or(0, |c| c.steps.len() as i32);
        let s = &mut r.status;
        s.current_pod_hash = hash.to_string();
        s.abort = false;
        s.aborted_at = None;
        s.promote_full = false;
        s.promoted = false;
        s.preview_checkpoint = false;
        s.inconclusive = false;
        s.pause_start = None;
        s.step_run = None;
        s.background_run = None;
        s.pre_promotion_run = None;
        s.post_promotion_run = None;
        s.header_routes.clear();
        s.mirror_routes.clear();
        s.completed_at = None;
        // The first version, and going back to the stable one, skip the steps (Argo's initial
        // deploy and fast rollback).
        let skip = s.stable_rs.is_empty() || hash == s.stable_rs;
        s.current_step_index = (steps > 0).then_some(if skip { steps } else { 0 });
        s.phase = Phase::Progressing;
        s.message = String::new();
    }

    /// `getAllReplicaSetsAndSyncRevision` for Rollouts: the ReplicaSet whose template matches,
    /// created at size 0 when there is none; its revision becomes the highest.
    fn new_rollout_rs(&mut self, i: usize) -> Owned {
        let owned = self.rollout_rss(i);
        let r = &self.rollouts[i];
        let template = strip_hash(&r.spec.template);
        let max_revision = owned.iter().map(|o| o.revision).max().unwrap_or(0);
        let found = self.replica_sets.iter().position(|rs| {
            rs.owner.as_deref() == Some(&r.metadata.name) && strip_hash(&rs.template) == template
        });
        if let Some(k) = found {
            let current = self.replica_sets[k]
                .annotation(ROLLOUT_REVISION)
                .and_then(|v| v.parse::<i64>().ok())
                .unwrap_or(0);
            if current < max_revision {
                self.replica_sets[k]
                    .metadata
                    .annotations
                    .insert(ROLLOUT_REVISION.into(), (max_revision + 1).to_string());
            }
            let uid = self.replica_sets[k].metadata.uid;
            return self
                .rollout_rss(i)
                .into_iter()
                .find(|o| o.uid == uid)
                .unwrap_or_default();
        }
        let (name, selector, min_ready) = (
            r.metadata.name.clone(),
            r.spec.selector.match_labels.clone(),
            r.spec.min_ready_seconds,
        );
        let hash = template_hash(&template, 0);
        let mut template = template;
        template
            .metadata
            .labels
            .insert(ROLLOUT_HASH.into(), hash.clone());
        let mut selector = selector;
        selector.insert(ROLLOUT_HASH.into(), hash.clone());
        let uid = self.uid();
        let rs_name = format!("{name}-{hash}");
        let mut annotations = crate::api::Labels::new();
        annotations.insert(ROLLOUT_REVISION.into(), (max_revision + 1).to_string());
        self.replica_sets.push(ReplicaSet {
            metadata: ObjectMeta {
                name: rs_name.clone(),
                labels: template.metadata.labels.clone(),
                annotations,
                uid,
                created_at: self.now,
                generation: 1,
                ..Default::default()
            },
            owner: Some(name.clone()),
            replicas: 0,
            min_ready_seconds: min_ready,
            selector,
            template,
            status: Default::default(),
        });
        self.events.push(
            self.now,
            Kind::Normal,
            "RolloutUpdated",
            &format!("rollout/{name}"),
            format!(
                "Rollout updated to revision {}: created ReplicaSet {rs_name}",
                max_revision + 1
            ),
        );
        Owned {
            uid,
            name: rs_name,
            hash,
            revision: max_revision + 1,
            ..Owned::default()
        }
    }

    /// Scales one ReplicaSet of rollout `i`, with Argo's event.
    /// Upstream: `scaleReplicaSetAndRecordEvent` (`rollout/sync.go`).
    pub(crate) fn scale_replica_set_and_record_event(&mut self, i: usize, uid: u64, to: i32) {
        let to = to.max(0);
        let Some(rs) = self
            .replica_sets
            .iter_mut()
            .find(|rs| rs.metadata.uid == uid)
        else {
            return;
        };
        let from = rs.replicas;
        if from == to {
            return;
        }
        rs.replicas = to;
        let revision = rs.annotation(ROLLOUT_REVISION).unwrap_or("?").to_string();
        let msg = format!(
            "Scaled {} ReplicaSet {} (revision {revision}) from {from} to {to}",
            if to > from { "up" } else { "down" },
            rs.metadata.name
        );
        let object = format!("rollout/{}", self.rollouts[i].metadata.name);
        self.events
            .push(self.now, Kind::Normal, "ScalingReplicaSet", &object, msg);
    }

    /// Keeps an old ReplicaSet up until `at` (BG-4, AC-5).
    pub(crate) fn set_scale_down_deadline(&mut self, uid: u64, at: Option<Ms>) {
        if let Some(rs) = self
            .replica_sets
            .iter_mut()
            .find(|rs| rs.metadata.uid == uid)
        {
            match at {
                Some(t) => rs
                    .metadata
                    .annotations
                    .insert(SCALE_DOWN_DEADLINE.into(), t.to_string()),
                None => rs.metadata.annotations.remove(SCALE_DOWN_DEADLINE),
            };
        }
        if let Some(t) = at {
            self.schedule_resync(t);
        }
    }

    /// Older ReplicaSets go to 0 once their scale-down deadline (if any) has passed.
    pub(crate) fn scale_down_after_deadline(&mut self, i: usize, keep: &[&str]) {
        for o in self.rollout_rss(i) {
            if keep.contains(&o.hash.as_str()) || o.replicas == 0 {
                continue;
            }
            match o.deadline {
                Some(at) if at > self.now => self.schedule_resync(at),
                _ => self.scale_replica_set_and_record_event(i, o.uid, 0),
            }
        }
    }

    /// Argo adds `rollouts-pod-template-hash: <hash>` to the selector of the Services it manages.
    /// Upstream: `switchServiceSelector` (`rollout/service.go`).
    pub(crate) fn switch_service_selector(
        &mut self,
        rollout: usize,
        service: Option<&str>,
        hash: &str,
    ) {
        let Some(name) = service else { return };
        if hash.is_empty() {
            return;
        }
        let Some(s) = self.services.iter_mut().find(|s| s.metadata.name == name) else {
            return;
        };
        let old = s.spec.selector.get(ROLLOUT_HASH).cloned();
        if old.as_deref() == Some(hash) {
            return;
        }
        s.spec
            .selector
            .insert(ROLLOUT_HASH.into(), hash.to_string());
        let object = format!("rollout/{}", self.rollouts[rollout].metadata.name);
        let msg = match old {
            Some(o) => format!("Switched selector for service '{name}' from '{o}' to '{hash}'"),
            None => format!("Switched selector for service '{name}' to '{hash}'"),
        };
        self.events
            .push(self.now, Kind::Normal, "SwitchService", &object, msg);
    }

    /// Stops the update: traffic back to stable, analysis ended, with the reason in the status.
    pub(crate) fn abort_rollout(&mut self, i: usize, why: &str) {
        self.cancel_analysis_runs(i);
        let revision = self
            .rollout_rss(i)
            .iter()
            .find(|o| o.hash == self.rollouts[i].status.current_pod_hash)
            .map_or(0, |o| o.revision);
        let now = self.now;
        let r = &mut self.rollouts[i];
        if r.status.abort {
            return;
        }
        r.status.abort = true;
        r.status.aborted_at = Some(now);
        r.status.pause_start = None;
        r.status.header_routes.clear();
        r.status.mirror_routes.clear();
        r.status.phase = Phase::Degraded;
        r.status.message = format!("RolloutAborted: Rollout aborted update to revision {revision}");
        if !why.is_empty() {
            r.status.message.push_str(": ");
            r.status.message.push_str(why);
        }
        let object = format!("rollout/{}", r.metadata.name);
        let msg = r.status.message.clone();
        self.events
            .push(now, Kind::Warning, "RolloutAborted", &object, msg);
    }

    /// The update is done: the new hash is stable.
    /// Upstream: `promoteStable` (`rollout/sync.go`).
    pub(crate) fn promote_stable(&mut self, i: usize) {
        let now = self.now;
        let runs = [
            self.rollouts[i].status.step_run,
            self.rollouts[i].status.background_run,
        ];
        for run in runs {
            self.terminate_analysis(run);
        }
        let r = &mut self.rollouts[i];
        let steps = r.spec.strategy.canary.as_ref().map_or(0, |c| c.steps.len());
        let s = &mut r.status;
        let first = s.stable_rs.is_empty();
        // A full promotion skips the remaining steps: the index says the update is through.
        if steps > 0 {
            s.current_step_index = Some(steps as i32);
        }
        s.stable_rs = s.current_pod_hash.clone();
        s.promote_full = false;
        s.promoted = false;
        s.pause_start = None;
        s.header_routes.clear();
        s.mirror_routes.clear();
        s.phase = Phase::Healthy;
        s.message = String::new();
        s.completed_at = Some(now);
        if !first {
            let object = format!("rollout/{}", r.metadata.name);
            let msg = format!(
                "Rollout completed update to revision with hash {}",
                s.stable_rs
            );
            self.events
                .push(now, Kind::Normal, "RolloutCompleted", &object, msg);
        }
    }

    /// Upstream: `calculateBaseStatus` (`rollout/sync.go`).
    fn calculate_base_status(&mut self, i: usize) {
        let owned = self.rollout_rss(i);
        let hash = self.rollouts[i].status.current_pod_hash.clone();
        let (mut replicas, mut ready, mut available, mut updated) = (0, 0, 0, 0);
        for rs in self
            .replica_sets
            .iter()
            .filter(|rs| owned.iter().any(|o| o.uid == rs.metadata.uid))
        {
            replicas += rs.status.replicas;
            ready += rs.status.ready_replicas;
            available += rs.status.available_replicas;
            if rs.template.metadata.labels.get(ROLLOUT_HASH) == Some(&hash) {
                updated += rs.status.replicas;
            }
        }
        let r = &mut self.rollouts[i];
        r.status.replicas = replicas;
        r.status.ready_replicas = ready;
        r.status.available_replicas = available;
        r.status.updated_replicas = updated;
        r.status.observed_generation = r.metadata.generation;
    }

    /// revisionHistoryLimit: scaled-down ReplicaSets beyond the limit are deleted, oldest first.
    /// Upstream: `reconcileRevisionHistoryLimit` (`rollout/sync.go`).
    fn reconcile_revision_history_limit(&mut self, i: usize) {
        let limit = self.rollouts[i].spec.revision_history_limit.max(0) as usize;
        let s = &self.rollouts[i].status;
        let keep = [s.current_pod_hash.clone(), s.stable_rs.clone()];
        let mut idle: Vec<Owned> = self
            .rollout_rss(i)
            .into_iter()
            .filter(|o| o.replicas == 0 && !keep.contains(&o.hash))
            .filter(|o| !self.pods.iter().any(|p| p.owner == o.uid))
            .collect();
        crate::order::sort_by_key(&mut idle, |o| o.revision);
        let extra = idle.len().saturating_sub(limit);
        for o in idle.into_iter().take(extra) {
            self.replica_sets.retain(|rs| rs.metadata.uid != o.uid);
        }
    }

    /// True when the rollout's update of `hash` is complete (status Healthy on that hash).
    pub fn rollout_complete(r: &Rollout) -> bool {
        r.status.phase == Phase::Healthy && r.status.stable_rs == r.status.current_pod_hash
    }
}

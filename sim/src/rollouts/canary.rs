//! The canary strategy (`rollout/canary.go`): scale canary and stable to what the current step
//! asks for (AC-2, AC-3), move the router's weight once the canary pods are ready, and complete the
//! steps one at a time (AC-4): setWeight, pause, setCanaryScale, analysis, header and mirror routes.
use super::analysis::RunPhase;
use super::api::{CanaryStep, Phase};
use super::controller::{Owned, RolloutContext};
use super::replicaset::{
    self as arith, replica_counts_for_basic_canary, replica_counts_for_traffic_routed_canary,
};
use crate::cluster::Cluster;

impl Cluster {
    /// The spec and status as Argo's replica arithmetic reads them.
    fn canary_arith(&self, i: usize) -> arith::Canary {
        let r = &self.rollouts[i];
        let c = r.spec.strategy.canary.clone().unwrap_or_default();
        arith::Canary {
            replicas: r.spec.replicas,
            steps: c
                .steps
                .iter()
                .map(|s| arith::Step {
                    set_weight: s.set_weight,
                    set_canary_scale: s.set_canary_scale.as_ref().map(|x| arith::SetCanaryScale {
                        replicas: x.replicas,
                        weight: x.weight,
                        match_traffic_weight: x.match_traffic_weight,
                    }),
                })
                .collect(),
            current_step_index: r.status.current_step_index,
            max_surge: c.max_surge.clone(),
            max_unavailable: c.max_unavailable.clone(),
            traffic_routing: c.traffic_routing.is_some(),
            dynamic_stable_scale: c.dynamic_stable_scale,
            abort_scale_down_delay_seconds: c.abort_scale_down_delay_seconds,
            min_pods_per_replica_set: c.min_pods_per_replica_set,
            max_weight: c.max_weight(),
            promote_full: r.status.promote_full,
            abort: r.status.abort,
            stable_hash: r.status.stable_rs.clone(),
            current_pod_hash: r.status.current_pod_hash.clone(),
        }
    }

    /// Upstream: `rolloutCanary` (`rollout/canary.go`).
    pub(crate) fn rollout_canary(&mut self, i: usize) {
        let c = self.rollouts[i]
            .spec
            .strategy
            .canary
            .clone()
            .unwrap_or_default();
        let routed = c.traffic_routing.is_some();
        let spec = self.rollouts[i].spec.replicas;
        if self.rollouts[i].status.stable_rs.is_empty() {
            // The initial deploy has nothing to compare with: it is stable from the start.
            let s = &mut self.rollouts[i].status;
            s.stable_rs = s.current_pod_hash.clone();
        }
        self.reconcile_background_analysis_run(i, &c);
        let s = self.rollouts[i].status.clone();
        let updating = !s.stable_rs.is_empty() && s.stable_rs != s.current_pod_hash;
        let Some(RolloutContext {
            new, stable, older, ..
        }) = self.rollout_context(i)
        else {
            return;
        };
        let a = self.canary_arith(i);
        let (mut canary, stable_count) = if routed && updating {
            let weights = Some((s.router_weight, a.max_weight - s.router_weight));
            replica_counts_for_traffic_routed_canary(&a, weights, true)
        } else {
            let older_arith: Vec<arith::Rs> = older
                .iter()
                .filter(|o| o.replicas > 0)
                .map(Owned::arith)
                .collect();
            let st = stable.as_ref().map(Owned::arith);
            replica_counts_for_basic_canary(&a, Some(&new.arith()), st.as_ref(), &older_arith)
        };
        // AC-5: after an abort with traffic routing the canary stays up for a while (or for good).
        if s.abort && routed {
            match (c.abort_scale_down_delay(), s.aborted_at) {
                (Some(delay), Some(at)) if self.now >= at + delay => {}
                (Some(delay), Some(at)) => {
                    self.schedule_resync(at + delay);
                    canary = canary.max(new.replicas);
                }
                _ => canary = canary.max(new.replicas),
            }
        }
        self.scale_replica_set_and_record_event(i, new.uid, canary);
        if let Some(st) = &stable {
            self.scale_replica_set_and_record_event(i, st.uid, stable_count);
        }
        self.scale_down_old_replica_sets_for_canary(i, &older, routed, spec - a.max_unavailable());
        let at_desired = self.at_desired_replica_counts_for_canary(
            &new,
            stable.as_ref(),
            &older,
            routed,
            canary,
            stable_count,
        );
        // The router moves to the step's weight only once the canary can take it.
        let weight = if s.abort || !updating {
            0
        } else if s.promote_full {
            a.max_weight
        } else if at_desired {
            a.current_set_weight()
        } else {
            previous_set_weight(&c.steps, s.current_step_index)
        };
        let r = &mut self.rollouts[i];
        r.status.desired_weight = if s.promote_full {
            a.max_weight
        } else if updating && !s.abort {
            a.current_set_weight()
        } else {
            0
        };
        if routed {
            r.status.router_weight = weight.min(a.max_weight);
        }
        if updating && !s.abort && !s.promote_full && !s.inconclusive && !r.spec.paused {
            self.completed_current_canary_step(i, at_desired, &c.steps);
        }
        let s = self.rollouts[i].status.clone();
        let finished_steps = s.promote_full
            || s.current_step_index
                .is_none_or(|k| k as usize >= c.steps.len());
        let all_new = new.replicas == spec && self.available_of(new.uid) >= spec;
        let router_done = !routed || !updating || s.router_weight >= a.max_weight;
        if !s.abort && finished_steps && all_new && router_done && s.stable_rs != s.current_pod_hash
        {
            let old_stable = stable.as_ref().map(|st| st.uid);
            self.promote_stable(i);
            self.rollouts[i].status.router_weight = 0;
            if let (Some(uid), true) = (old_stable, routed) {
                let delay = c.scale_down_delay();
                self.set_scale_down_deadline(uid, Some(self.now + delay));
            }
        }
        let s = self.rollouts[i].status.clone();
        let stable_hash = if s.stable_rs.is_empty() {
            &s.current_pod_hash
        } else {
            &s.stable_rs
        };
        self.switch_service_selector(i, c.stable_service.as_deref(), stable_hash);
        self.switch_service_selector(i, c.canary_service.as_deref(), &s.current_pod_hash);
        self.sync_rollout_status_canary(i, &c.steps);
    }

    fn available_of(&self, uid: u64) -> i32 {
        self.replica_sets
            .iter()
            .find(|rs| rs.metadata.uid == uid)
            .map_or(0, |rs| rs.status.available_replicas)
    }

    /// Older ReplicaSets: with traffic routing they carry no traffic and go (after any deadline);
    /// without, they are taken down only as far as availability allows.
    /// Upstream: `scaleDownOldReplicaSetsForCanary` (`rollout/canary.go`).
    fn scale_down_old_replica_sets_for_canary(
        &mut self,
        i: usize,
        older: &[Owned],
        routed: bool,
        min_available: i32,
    ) {
        if routed {
            let keep: Vec<String> = self
                .rollout_rss(i)
                .into_iter()
                .filter(|o| !older.iter().any(|x| x.uid == o.uid))
                .map(|o| o.hash)
                .collect();
            let keep: Vec<&str> = keep.iter().map(String::as_str).collect();
            self.scale_down_after_deadline(i, &keep);
            return;
        }
        let available: i32 = self.rollout_rss(i).iter().map(|o| o.available).sum();
        let mut budget = (available - min_available).max(0);
        for o in older.iter().filter(|o| o.replicas > 0) {
            let unavailable = (o.replicas - o.available).max(0);
            let take = budget.min(o.available.min(o.replicas));
            budget -= take;
            self.scale_replica_set_and_record_event(i, o.uid, o.replicas - unavailable - take);
        }
    }

    /// AC-4 `AtDesiredReplicaCountsForCanary`.
    fn at_desired_replica_counts_for_canary(
        &self,
        new: &Owned,
        stable: Option<&Owned>,
        older: &[Owned],
        routed: bool,
        canary: i32,
        stable_count: i32,
    ) -> bool {
        let new_ok = self
            .replica_sets
            .iter()
            .find(|rs| rs.metadata.uid == new.uid)
            .is_some_and(|rs| rs.replicas == canary && rs.status.available_replicas >= canary);
        if routed {
            return new_ok;
        }
        let stable_ok = stable.is_none_or(|st| {
            self.replica_sets
                .iter()
                .find(|rs| rs.metadata.uid == st.uid)
                .is_some_and(|rs| rs.replicas == stable_count)
        });
        let older_ok = older.iter().all(|o| self.available_of(o.uid) == 0);
        new_ok && stable_ok && older_ok
    }

    /// Completes the current step if it is done now (AC-4).
    /// Upstream: `completedCurrentCanaryStep` (`rollout/canary.go`).
    fn completed_current_canary_step(&mut self, i: usize, at_desired: bool, steps: &[CanaryStep]) {
        let s = self.rollouts[i].status.clone();
        let Some(k) = s
            .current_step_index
            .map(|k| k as usize)
            .filter(|k| *k < steps.len())
        else {
            return;
        };
        let step = &steps[k];
        // Header and mirror routes are set by the traffic router whatever else the step does
        // (`reconcileTrafficRouting`); a step may also carry setCanaryScale or a weight.
        if let Some(h) = &step.set_header_route {
            let routes = &mut self.rollouts[i].status.header_routes;
            routes.retain(|r| r.name != h.name);
            if !h.r#match.is_empty() {
                routes.push(h.clone());
            }
        }
        if let Some(m) = &step.set_mirror_route {
            let routes = &mut self.rollouts[i].status.mirror_routes;
            routes.retain(|r| r.name != m.name);
            if !m.r#match.is_empty() {
                routes.push(m.clone());
            }
        }
        let done = if step.set_weight.is_some() {
            let routed_ok = s.router_weight == s.desired_weight
                || self.rollouts[i]
                    .spec
                    .strategy
                    .canary
                    .as_ref()
                    .is_some_and(|c| c.traffic_routing.is_none());
            at_desired && routed_ok
        } else if let Some(p) = &step.pause {
            let start = *self.rollouts[i].status.pause_start.get_or_insert(self.now);
            match p.duration_ms() {
                _ if s.promoted => true,
                Some(d) if self.now >= start + d => true,
                Some(d) => {
                    self.schedule_resync(start + d);
                    false
                }
                None => false,
            }
        } else if let Some(a) = &step.analysis {
            let run = match s.step_run {
                Some(run) => run,
                None => {
                    let name = self.rollouts[i].metadata.name.clone();
                    let purpose = format!("step-{k}");
                    let run =
                        self.start_analysis(&name, a, &purpose, &s.current_pod_hash, &s.stable_rs);
                    self.rollouts[i].status.step_run = Some(run);
                    run
                }
            };
            match self.analysis_runs[run].phase {
                RunPhase::Successful => true,
                RunPhase::Running => false,
                RunPhase::Inconclusive => {
                    self.rollouts[i].status.inconclusive = true;
                    false
                }
                _ => {
                    let why = self.analysis_runs[run].verdict();
                    self.abort_rollout(i, &why);
                    return;
                }
            }
        } else {
            // setCanaryScale, setHeaderRoute, setMirrorRoute: in effect with the next pass.
            true
        };
        if !done {
            return;
        }
        let st = &mut self.rollouts[i].status;
        st.current_step_index = Some(k as i32 + 1);
        st.pause_start = None;
        st.promoted = false;
        st.inconclusive = false;
        st.step_run = None;
        // One step per pass: the next may ask for other counts, and whether they are met is
        // only known after the scaling pass that follows (the status change brings it on).
    }

    /// Background analysis starts with the update and aborts it when it fails.
    /// Upstream: `reconcileBackgroundAnalysisRun` (`rollout/analysis.go`).
    fn reconcile_background_analysis_run(&mut self, i: usize, c: &super::api::Canary) {
        let s = self.rollouts[i].status.clone();
        let updating = !s.stable_rs.is_empty() && s.stable_rs != s.current_pod_hash;
        if s.abort || !updating {
            return;
        }
        if let (Some(a), None) = (&c.analysis, s.background_run) {
            let name = self.rollouts[i].metadata.name.clone();
            let run =
                self.start_analysis(&name, a, "background", &s.current_pod_hash, &s.stable_rs);
            self.rollouts[i].status.background_run = Some(run);
        }
        if let Some(run) = self.rollouts[i].status.background_run {
            let phase = self.analysis_runs[run].phase;
            if phase == RunPhase::Inconclusive {
                self.rollouts[i].status.inconclusive = true;
            } else if phase.done() && phase != RunPhase::Successful {
                let why = self.analysis_runs[run].verdict();
                self.abort_rollout(i, &why);
            }
        }
    }

    /// Upstream: `syncRolloutStatusCanary` (`rollout/canary.go`).
    fn sync_rollout_status_canary(&mut self, i: usize, steps: &[CanaryStep]) {
        let r = &mut self.rollouts[i];
        let s = &mut r.status;
        if s.abort {
            s.phase = Phase::Degraded;
            return;
        }
        let pausing = s
            .current_step_index
            .and_then(|k| steps.get(k as usize))
            .is_some_and(|st| st.pause.is_some() && s.pause_start.is_some());
        (s.phase, s.message) = if s.inconclusive {
            (Phase::Paused, "InconclusiveAnalysisRun".into())
        } else if r.spec.paused {
            (Phase::Paused, "manually paused".into())
        } else if pausing {
            (Phase::Paused, "CanaryPauseStep".into())
        } else if s.stable_rs == s.current_pod_hash
            && s.updated_replicas == r.spec.replicas
            && s.available_replicas >= r.spec.replicas
        {
            // Healthy even while the old stable waits out scaleDownDelaySeconds, as Argo shows it.
            (Phase::Healthy, String::new())
        } else {
            (
                Phase::Progressing,
                "more replicas need to be updated".into(),
            )
        };
    }
}

/// The weight of the last setWeight step before the current one (what the router keeps while the
/// canary scales up for the next).
fn previous_set_weight(steps: &[CanaryStep], index: Option<i32>) -> i32 {
    let k = index.unwrap_or(0).max(0) as usize;
    steps[..k.min(steps.len())]
        .iter()
        .rev()
        .find_map(|s| s.set_weight)
        .unwrap_or(0)
}

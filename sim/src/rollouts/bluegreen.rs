//! The blue-green strategy (`rollout/bluegreen.go`, BG-1..BG-5): the new version comes up at full
//! size beside the active one, the preview Service points at it, and the active Service switches
//! in one step once it is ready, analysed and (if asked) promoted. The old version stays up for
//! `scaleDownDelaySeconds` so proxies that still route to it find it there.
use super::analysis::RunPhase;
use super::api::Phase;
use crate::cluster::Cluster;

impl Cluster {
    /// Upstream: `rolloutBlueGreen` (`rollout/bluegreen.go`).
    pub(crate) fn rollout_blue_green(&mut self, i: usize) {
        let Some(bg) = self.rollouts[i].spec.strategy.blue_green.clone() else {
            return;
        };
        let spec = self.rollouts[i].spec.replicas;
        let Some(super::controller::RolloutContext { new, .. }) = self.rollout_context(i) else {
            return;
        };
        let available = |c: &Cluster| {
            c.replica_sets
                .iter()
                .find(|rs| rs.metadata.uid == new.uid)
                .map_or(0, |rs| rs.status.available_replicas)
        };
        self.reconcile_post_promotion_analysis_run(i);
        let s = self.rollouts[i].status.clone();
        if s.active_selector.is_empty() || s.active_selector == new.hash {
            // First version, or back on the active one: just keep it at full size.
            self.scale_replica_set_and_record_event(i, new.uid, spec);
            if available(self) >= spec && s.stable_rs != new.hash {
                self.rollouts[i].status.active_selector = new.hash.clone();
                self.promote_stable(i);
            }
            // BG-4: with post-promotion analysis running, the previous version stays up to
            // switch back to.
            let s = self.rollouts[i].status.clone();
            let previous = if s.post_promotion_run.is_some() {
                s.previous_active.as_str()
            } else {
                ""
            };
            self.scale_down_after_deadline(i, &[new.hash.as_str(), previous]);
        } else if s.abort {
            // BG-2: the active Service never moved; the preview goes after abortScaleDownDelaySeconds.
            let at = s.aborted_at.unwrap_or(self.now) + bg.abort_scale_down_delay();
            if self.now >= at {
                self.scale_replica_set_and_record_event(i, new.uid, 0);
            } else {
                self.schedule_resync(at);
            }
            self.reconcile_blue_green_stable_replica_set(i, &s.active_selector, spec);
        } else {
            self.reconcile_blue_green_stable_replica_set(i, &s.active_selector, spec);
            self.rollouts[i].status.preview_selector = new.hash.clone();
            // BG-5's checkpoint: once the pause and the analysis are over they stay over, while
            // the preview grows from previewReplicaCount to full size.
            let cleared =
                s.preview_checkpoint || self.ready_to_switch(i, &bg, &new.hash, &s.stable_rs);
            if cleared && !s.preview_checkpoint {
                let st = &mut self.rollouts[i].status;
                st.preview_checkpoint = true;
                st.pause_start = None;
            }
            // BG-5: a smaller preview until the pause and the analysis are over.
            let target = match (cleared, bg.preview_replica_count) {
                (false, Some(n)) => n.clamp(0, spec),
                _ => spec,
            };
            self.scale_replica_set_and_record_event(i, new.uid, target);
            let ready = available(self) >= target;
            if cleared && ready && target == spec && !self.rollouts[i].status.abort {
                self.reconcile_active_service(i, &bg, &s.active_selector, &new.hash);
            }
        }
        let s = self.rollouts[i].status.clone();
        let preview = if s.preview_selector.is_empty() {
            &s.active_selector
        } else {
            &s.preview_selector
        };
        self.switch_service_selector(i, Some(&bg.active_service), &s.active_selector);
        self.switch_service_selector(i, bg.preview_service.as_deref(), preview);
        self.sync_rollout_status_blue_green(i);
    }

    /// Upstream: `reconcileBlueGreenStableReplicaSet` (`rollout/bluegreen.go`).
    fn reconcile_blue_green_stable_replica_set(&mut self, i: usize, hash: &str, spec: i32) {
        if let Some(active) = self.rollout_rss(i).into_iter().find(|o| o.hash == hash) {
            self.scale_replica_set_and_record_event(i, active.uid, spec);
            self.set_scale_down_deadline(active.uid, None);
        }
    }

    /// The preview may replace the active version: pre-promotion analysis passed and the pause
    /// (manual, or `autoPromotionSeconds`) is over. Waits start once the preview is ready.
    fn ready_to_switch(
        &mut self,
        i: usize,
        bg: &super::api::BlueGreen,
        hash: &str,
        stable: &str,
    ) -> bool {
        let s = self.rollouts[i].status.clone();
        if s.promote_full {
            return true;
        }
        let preview_ready = self
            .rollout_rss(i)
            .iter()
            .find(|o| o.hash == hash)
            .is_some_and(|o| o.replicas > 0 && o.available >= o.replicas);
        if !preview_ready {
            return false;
        }
        if let Some(a) = &bg.pre_promotion_analysis {
            let run = match s.pre_promotion_run {
                Some(r) => r,
                None => {
                    let name = self.rollouts[i].metadata.name.clone();
                    let r = self.start_analysis(&name, a, "pre", hash, stable);
                    self.rollouts[i].status.pre_promotion_run = Some(r);
                    r
                }
            };
            match self.analysis_runs[run].phase {
                RunPhase::Successful => {}
                RunPhase::Inconclusive if s.promoted => {}
                RunPhase::Inconclusive => {
                    self.rollouts[i].status.inconclusive = true;
                    return false;
                }
                RunPhase::Running => return false,
                _ => {
                    let why = self.analysis_runs[run].verdict();
                    self.abort_rollout(i, &why);
                    return false;
                }
            }
        }
        if s.promoted || self.rollouts[i].spec.paused {
            return s.promoted && !self.rollouts[i].spec.paused;
        }
        let start = *self.rollouts[i].status.pause_start.get_or_insert(self.now);
        match (bg.auto_promotion(), bg.auto_promotion_seconds) {
            (false, _) => false,
            (true, Some(secs)) if secs > 0 => {
                let at = start + i64::from(secs) * crate::time::SECOND;
                if self.now < at {
                    self.schedule_resync(at);
                }
                self.now >= at
            }
            (true, _) => true,
        }
    }

    /// BG-2, BG-4: the active Service moves to the new hash; the old version stays up until the
    /// scale-down deadline (after post-promotion analysis when there is one and no explicit delay).
    /// Upstream: `reconcileActiveService` (`rollout/service.go`).
    fn reconcile_active_service(
        &mut self,
        i: usize,
        bg: &super::api::BlueGreen,
        old: &str,
        new: &str,
    ) {
        let old_uid = self
            .rollout_rss(i)
            .into_iter()
            .find(|o| o.hash == old)
            .map(|o| o.uid);
        {
            let s = &mut self.rollouts[i].status;
            s.active_selector = new.to_string();
            s.previous_active = old.to_string();
        }
        let wait_for_analysis =
            bg.post_promotion_analysis.is_some() && bg.scale_down_delay_seconds.is_none();
        if let (Some(uid), false) = (old_uid, wait_for_analysis) {
            self.set_scale_down_deadline(uid, Some(self.now + bg.scale_down_delay()));
        }
        let stable = self.rollouts[i].status.stable_rs.clone();
        self.promote_stable(i);
        if let Some(a) = &bg.post_promotion_analysis {
            let name = self.rollouts[i].metadata.name.clone();
            let run = self.start_analysis(&name, a, "post", new, &stable);
            let s = &mut self.rollouts[i].status;
            s.post_promotion_run = Some(run);
            s.phase = Phase::Progressing;
            s.completed_at = None;
        }
    }

    /// After the switch: success lets the old version go; failure switches back and aborts.
    /// Upstream: `reconcilePostPromotionAnalysisRun` (`rollout/analysis.go`).
    fn reconcile_post_promotion_analysis_run(&mut self, i: usize) {
        let Some(run) = self.rollouts[i].status.post_promotion_run else {
            return;
        };
        let phase = self.analysis_runs[run].phase;
        if !phase.done() {
            return;
        }
        let previous = self.rollouts[i].status.previous_active.clone();
        let old_uid = self
            .rollout_rss(i)
            .into_iter()
            .find(|o| o.hash == previous)
            .map(|o| o.uid);
        self.rollouts[i].status.post_promotion_run = None;
        if phase == RunPhase::Successful {
            let delay = self.rollouts[i]
                .spec
                .strategy
                .blue_green
                .as_ref()
                .map_or(0, |bg| bg.scale_down_delay());
            if let Some(uid) = old_uid {
                self.set_scale_down_deadline(uid, Some(self.now + delay));
            }
            self.rollouts[i].status.completed_at = Some(self.now);
            return;
        }
        // Back to the previous version, which is still up, then abort the new one.
        let why = self.analysis_runs[run].verdict();
        let s = &mut self.rollouts[i].status;
        s.active_selector = previous.clone();
        s.stable_rs = previous;
        self.abort_rollout(i, &why);
    }

    /// Upstream: `syncRolloutStatusBlueGreen` (`rollout/bluegreen.go`).
    fn sync_rollout_status_blue_green(&mut self, i: usize) {
        let r = &mut self.rollouts[i];
        let s = &mut r.status;
        if s.abort {
            s.phase = Phase::Degraded;
            return;
        }
        if s.post_promotion_run.is_some() {
            (s.phase, s.message) = (Phase::Progressing, "post-promotion analysis".into());
            return;
        }
        let updating = !s.active_selector.is_empty() && s.active_selector != s.current_pod_hash;
        (s.phase, s.message) = if s.inconclusive {
            (Phase::Paused, "InconclusiveAnalysisRun".into())
        } else if r.spec.paused {
            (Phase::Paused, "manually paused".into())
        } else if updating && s.pause_start.is_some() {
            (Phase::Paused, "BlueGreenPause".into())
        } else if updating || s.stable_rs != s.current_pod_hash {
            (
                Phase::Progressing,
                "waiting for the preview to be ready".into(),
            )
        } else {
            (Phase::Healthy, String::new())
        };
    }
}

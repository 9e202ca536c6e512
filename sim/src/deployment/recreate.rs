//! Recreate (`recreate.go`): everything old goes, and only when it is really gone does the new
//! ReplicaSet appear at full size (RC-1..RC-3).
use super::util::*;
use super::{PodMap, SyncContext};
use crate::api::{PodPhase, ReplicaSet};
use crate::time::Ms;

pub fn rollout_recreate(s: &mut SyncContext<'_>, pods: PodMap<'_>) -> Option<Ms> {
    let new = s.new_rs_synced(false);
    let old = s.old_rss(new);
    // RC-1
    let mut scaled_down = false;
    for i in s.active(&old) {
        scaled_down |= s.scale_and_record(i, 0);
    }
    if scaled_down {
        return super::progress::sync_rollout_status(s, new);
    }
    // RC-2
    let new_uid = new.map(|i| s.rss[i].metadata.uid);
    if old_pods_running(new_uid, &s.refs(&old), pods) {
        return super::progress::sync_rollout_status(s, new);
    }
    // RC-3
    let new = match new {
        Some(i) => i,
        None => s.new_rs_synced(true)?,
    };
    let replicas = s.d.spec.replicas;
    s.scale_and_record(new, replicas);
    if deployment_complete(s.d, &s.d.status) {
        let old = s.old_rss(Some(new));
        super::history::cleanup_deployment(s, &old);
    }
    super::progress::sync_rollout_status(s, Some(new))
}

/// RC-2 `oldPodsRunning`: old RSs still count pods, or any RS but the new one owns a pod not yet
/// Failed/Succeeded (terminating pods included: this is what makes Recreate wait out the grace
/// period).
pub fn old_pods_running(new_uid: Option<u64>, old: &[&ReplicaSet], pods: PodMap<'_>) -> bool {
    actual_total(old.iter().copied()) > 0
        || pods.iter().any(|(owner, phase)| {
            Some(*owner) != new_uid && !matches!(phase, PodPhase::Succeeded | PodPhase::Failed)
        })
}

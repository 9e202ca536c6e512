//! RollingUpdate (`rolling.go`): grow the new ReplicaSet within maxSurge, shrink old ones within
//! maxUnavailable, one of the two per sync (RU-1..RU-7).
use super::util::*;
use super::{by_creation, SyncContext};
use crate::api::ReplicaSet;
use crate::time::Ms;

pub fn rollout_rolling(s: &mut SyncContext<'_>) -> Option<Ms> {
    // RU-1
    let new = s.new_rs_synced(true)?;
    let old = s.old_rss(Some(new));
    // RU-2
    if reconcile_new_replica_set(s, new, &old) {
        return super::progress::sync_rollout_status(s, Some(new));
    }
    // RU-4
    let active_old = s.active(&old);
    if reconcile_old_replica_sets(s, new, &active_old) {
        return super::progress::sync_rollout_status(s, Some(new));
    }
    // RU-7: judged on the stored status from the previous sync.
    if deployment_complete(s.d, &s.d.status) {
        super::history::cleanup_deployment(s, &old);
    }
    super::progress::sync_rollout_status(s, s.new_rs())
}

/// RU-2 `reconcileNewReplicaSet`; true when the new RS changed (which ends the sync).
pub fn reconcile_new_replica_set(s: &mut SyncContext<'_>, new: usize, old: &[usize]) -> bool {
    let replicas = s.d.spec.replicas;
    let current = s.rss[new].replicas;
    if current == replicas {
        return false;
    }
    if current > replicas {
        return s.scale_and_record(new, replicas);
    }
    let mut all = s.refs(old);
    all.push(&s.rss[new]);
    match new_rs_new_replicas(s.d, &all, &s.rss[new]) {
        Ok(size) => s.scale_and_record(new, size),
        Err(_) => false,
    }
}

/// RU-4 `reconcileOldReplicaSets`: the scale-down budget keeps `minAvailable` pods and does not
/// count on new pods that are not available yet.
pub fn reconcile_old_replica_sets(
    s: &mut SyncContext<'_>,
    new: usize,
    active_old: &[usize],
) -> bool {
    let old_pods = super::util::spec_total(active_old.iter().map(|&i| &s.rss[i]));
    if old_pods == 0 {
        return false;
    }
    let all_pods = old_pods + s.rss[new].replicas;
    let min_available = s.d.spec.replicas - max_unavailable(s.d);
    let new_unavailable = s.rss[new].replicas - s.rss[new].status.available_replicas;
    let max_scaled_down = all_pods - min_available - new_unavailable;
    if max_scaled_down <= 0 {
        return false;
    }
    let cleaned = cleanup_unhealthy_replicas(s, active_old, max_scaled_down);
    let mut all = active_old.to_vec();
    all.push(new);
    let scaled = scale_down_old_replica_sets_for_rolling_update(s, &all, active_old);
    cleaned + scaled > 0
}

fn oldest_first(rss: &[ReplicaSet], idx: &[usize]) -> Vec<usize> {
    let mut sorted = idx.to_vec();
    crate::order::sort_by(&mut sorted, |&a, &b| by_creation(&rss[a], &rss[b]));
    sorted
}

/// RU-5 `cleanupUnhealthyReplicas`: remove unavailable old pods first, oldest RS first.
pub fn cleanup_unhealthy_replicas(s: &mut SyncContext<'_>, old: &[usize], max_cleanup: i32) -> i32 {
    let mut total = 0;
    for i in oldest_first(s.rss, old) {
        if total >= max_cleanup {
            break;
        }
        let (spec, available) = (s.rss[i].replicas, s.rss[i].status.available_replicas);
        if spec == 0 || spec == available {
            continue;
        }
        let count = (max_cleanup - total).min(spec - available);
        s.scale_and_record(i, spec - count);
        total += count;
    }
    total
}

/// RU-6 `scaleDownOldReplicaSetsForRollingUpdate`: bounded by available pods over all RSs.
pub fn scale_down_old_replica_sets_for_rolling_update(
    s: &mut SyncContext<'_>,
    all: &[usize],
    old: &[usize],
) -> i32 {
    let min_available = s.d.spec.replicas - max_unavailable(s.d);
    let available = super::util::available_total(all.iter().map(|&i| &s.rss[i]));
    if available <= min_available {
        return 0;
    }
    let budget = available - min_available;
    let mut total = 0;
    for i in oldest_first(s.rss, old) {
        if total >= budget {
            break;
        }
        let spec = s.rss[i].replicas;
        if spec == 0 {
            continue;
        }
        let count = spec.min(budget - total);
        s.scale_and_record(i, spec - count);
        total += count;
    }
    total
}

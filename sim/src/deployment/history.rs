//! Revision history (`cleanupDeployment`, RH-1/RH-2): old, empty ReplicaSets beyond
//! `revisionHistoryLimit` are deleted, oldest revision first.
use super::{by_creation, Change, SyncContext};
use crate::api::ReplicaSet;

pub fn cleanup_deployment(s: &mut SyncContext<'_>, old: &[usize]) {
    let limit = s.d.spec.revision_history_limit;
    if limit == i32::MAX {
        return;
    }
    let names = deletable_old_replica_sets(&s.refs(old), limit, false);
    for name in names {
        s.rss.retain(|rs| rs.metadata.name != name);
        s.changes.push(Change::DeletedReplicaSet { rs: name });
    }
}

/// RH-2: look only at the first `count - limit` by revision; skip (without looking further) any
/// that still has pods. With the newest feature gates, terminating pods must be known to be 0.
pub fn deletable_old_replica_sets(
    old: &[&ReplicaSet],
    limit: i32,
    terminating_gate: bool,
) -> Vec<String> {
    let mut alive: Vec<&ReplicaSet> = old
        .iter()
        .copied()
        .filter(|rs| rs.metadata.deletion_timestamp.is_none())
        .collect();
    let diff = alive.len() as i64 - i64::from(limit);
    if diff <= 0 {
        return Vec::new();
    }
    crate::order::sort_by(&mut alive, |a, b| {
        a.revision()
            .cmp(&b.revision())
            .then_with(|| by_creation(a, b))
    });
    alive
        .iter()
        .take(diff as usize)
        .filter(|rs| {
            rs.status.replicas == 0
                && rs.replicas == 0
                && rs.metadata.generation <= rs.status.observed_generation
                && (!terminating_gate || rs.status.terminating_replicas == Some(0))
        })
        .map(|rs| rs.metadata.name.clone())
        .collect()
}

//! The ReplicaSet controller (`pkg/controller/replicaset`): counts its pods (RS-1), creates the
//! missing ones and deletes the surplus in the order of `ActivePodsWithRanks` (RS-3).
use crate::api::ReplicaSet;
use crate::cluster::Cluster;
use crate::events::Kind;
use crate::kubelet::Pod;
use crate::time::Ms;
use std::cmp::Ordering;

impl Cluster {
    /// RS-1: status counts pods that are not terminating; available needs minReadySeconds (AV-1).
    pub(crate) fn update_replica_set_statuses(&mut self) {
        let now = self.now;
        for rs in &mut self.replica_sets {
            let (mut replicas, mut ready, mut available, mut terminating) = (0, 0, 0, 0);
            for pod in self.pods.iter().filter(|p| p.owner == rs.metadata.uid) {
                if pod.deletion.is_some() {
                    terminating += 1;
                    continue;
                }
                replicas += 1;
                if pod.ready {
                    ready += 1;
                    if pod.is_available(rs.min_ready_seconds, now) {
                        available += 1;
                    }
                }
            }
            rs.status.replicas = replicas;
            rs.status.ready_replicas = ready;
            rs.status.available_replicas = available;
            rs.status.terminating_replicas = Some(terminating);
            rs.status.observed_generation = rs.metadata.generation;
        }
    }

    /// Creates or deletes pods until every ReplicaSet has `spec.replicas`; true if anything changed.
    pub(crate) fn sync_replica_sets(&mut self) -> bool {
        let mut changed = false;
        for r in 0..self.replica_sets.len() {
            let rs = self.replica_sets[r].clone();
            let active: Vec<usize> = (0..self.pods.len())
                .filter(|&i| {
                    self.pods[i].owner == rs.metadata.uid && self.pods[i].deletion.is_none()
                })
                .collect();
            let diff = rs.replicas - active.len() as i32;
            let object = format!("replicaset/{}", rs.metadata.name);
            if diff > 0 {
                // RS-4: slow-start batches are invisible at this scale; at most 500 per sync.
                for _ in 0..diff.min(500) {
                    self.create_pod(&rs);
                    let name = self.pods.last().map(|p| p.name.clone()).unwrap_or_default();
                    self.events.push(
                        self.now,
                        Kind::Normal,
                        "SuccessfulCreate",
                        &object,
                        format!("Created pod: {name}"),
                    );
                }
                changed = true;
            } else if diff < 0 {
                let victims = self.pods_to_delete(&rs, &active, (-diff) as usize);
                for uid in victims {
                    let name = self
                        .pod_index(uid)
                        .map(|i| self.pods[i].name.clone())
                        .unwrap_or_default();
                    self.events.push(
                        self.now,
                        Kind::Normal,
                        "SuccessfulDelete",
                        &object,
                        format!("Deleted pod: {name}"),
                    );
                    self.delete_pod(uid, None);
                }
                changed = true;
            }
        }
        changed
    }

    /// RS-3: rank the active pods and take the first `count`.
    fn pods_to_delete(&self, rs: &ReplicaSet, active: &[usize], count: usize) -> Vec<u64> {
        // Rule 5 counts active pods of every ReplicaSet of the same Deployment on each node.
        let related: Vec<u64> = self
            .replica_sets
            .iter()
            .filter(|o| {
                o.owner.is_some() && o.owner == rs.owner || o.metadata.uid == rs.metadata.uid
            })
            .map(|o| o.metadata.uid)
            .collect();
        let on_node = |node: u32| {
            self.pods
                .iter()
                .filter(|p| p.node == node && p.deletion.is_none() && related.contains(&p.owner))
                .count()
        };
        let mut ranked: Vec<(&Pod, usize)> = active
            .iter()
            .map(|&i| (&*self.pods[i], on_node(self.pods[i].node)))
            .collect();
        crate::order::sort_by(&mut ranked, |a, b| deletion_order(a, b, self.now));
        ranked.into_iter().take(count).map(|(p, _)| p.uid).collect()
    }
}

/// `ActivePodsWithRanks.Less`: the pod to delete first sorts first. Every pod here is scheduled
/// (rule 1) and no pod-deletion-cost is set (rule 4).
pub fn deletion_order(a: &(&Pod, usize), b: &(&Pod, usize), now: Ms) -> Ordering {
    let ((p, rank_p), (q, rank_q)) = (a, b);
    let phase = |x: &Pod| match x.phase() {
        crate::api::PodPhase::Pending => 0,
        crate::api::PodPhase::Unknown => 1,
        _ => 2,
    };
    phase(p)
        .cmp(&phase(q)) // 2: Pending < Unknown < Running
        .then_with(|| p.ready.cmp(&q.ready)) // 3: not ready first
        .then_with(|| rank_q.cmp(rank_p)) // 5: more related pods on the node first
        .then_with(|| match (p.ready_since, q.ready_since) {
            // 6: ready for less time first, in log2 buckets (LogarithmicScaleDown), ties by UID
            (Some(x), Some(y)) if x != y => log2_bucket(now - x)
                .cmp(&log2_bucket(now - y))
                .then(p.rank_key.cmp(&q.rank_key)),
            _ => Ordering::Equal,
        })
        .then_with(|| q.restarts.cmp(&p.restarts)) // 7: more restarts first
        .then_with(|| q.created_at.cmp(&p.created_at)) // 8: newer first
}

/// `int(math.Log2(float64(duration in ns)))`, exactly, in integers.
fn log2_bucket(ms: Ms) -> i32 {
    let ns = (ms.max(0) as u64).saturating_mul(1_000_000);
    if ns == 0 {
        -1
    } else {
        63 - ns.leading_zeros() as i32
    }
}

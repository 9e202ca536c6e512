//! The Deployment controller (`pkg/controller/deployment`). One `sync` reads the Deployment and
//! the ReplicaSets it owns and writes new sizes, annotations and status, rule by rule as in
//! docs/semantics.md. It never looks at individual pods, except Recreate's wait (RC-2).
pub mod history;
pub mod progress;
pub mod recreate;
pub mod rolling;
pub mod scale;
pub mod util;

use crate::api::{
    equal_ignore_hash, Deployment, ReplicaSet, POD_TEMPLATE_HASH, REVISION, REVISION_HISTORY,
};
use crate::time::Ms;
use crate::write::template_hash;
use util::*;

/// What one sync did, for the event log (`kubectl describe deployment` events).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    Scaled { rs: String, from: i32, to: i32 },
    CreatedReplicaSet { rs: String },
    DeletedReplicaSet { rs: String },
}

/// A sync of one Deployment over the ReplicaSets it owns (active or not).
pub struct SyncContext<'a> {
    pub d: &'a mut Deployment,
    pub rss: &'a mut Vec<ReplicaSet>,
    pub now: Ms,
    /// The next object uid and creation sequence, handed out by the cluster.
    pub next_uid: &'a mut u64,
    pub changes: Vec<Change>,
}

/// The Deployment's pods as Recreate sees them (RC-2): (owner ReplicaSet uid, phase).
pub type PodMap<'a> = &'a [(u64, crate::api::PodPhase)];

impl SyncContext<'_> {
    /// L-1 dispatch: paused or scaling → `sync` (proportional scaling); otherwise the strategy.
    /// Returns when the controller wants to look again (PD-5), if ever.
    pub fn run(&mut self, pods: PodMap<'_>) -> Option<Ms> {
        if self.d.metadata.deletion_timestamp.is_some() {
            return None;
        }
        progress::check_paused_conditions(self.d, self.now);
        if self.d.spec.paused || self.is_scaling_event() {
            self.sync();
            return None;
        }
        if self.d.spec.is_rolling() {
            rolling::rollout_rolling(self)
        } else {
            recreate::rollout_recreate(self, pods)
        }
    }

    /// L-3 `FindNewReplicaSet`: the oldest RS whose template equals the Deployment's.
    pub fn new_rs(&self) -> Option<usize> {
        let mut candidates: Vec<usize> = (0..self.rss.len())
            .filter(|&i| equal_ignore_hash(&self.rss[i].template, &self.d.spec.template))
            .collect();
        crate::order::sort_by(&mut candidates, |&a, &b| {
            by_creation(&self.rss[a], &self.rss[b])
        });
        candidates.first().copied()
    }

    pub fn old_rss(&self, new: Option<usize>) -> Vec<usize> {
        (0..self.rss.len()).filter(|&i| Some(i) != new).collect()
    }

    pub fn active(&self, idx: &[usize]) -> Vec<usize> {
        idx.iter()
            .copied()
            .filter(|&i| self.rss[i].replicas > 0)
            .collect()
    }

    pub fn refs(&self, idx: &[usize]) -> Vec<&ReplicaSet> {
        idx.iter().map(|&i| &self.rss[i]).collect()
    }

    /// L-2 `isScalingEvent`: an active RS whose desired-replicas annotation disagrees with spec.
    fn is_scaling_event(&self) -> bool {
        let new = self.new_rs();
        let mut all = self.old_rss(new);
        all.extend(new);
        self.active(&all).iter().any(|&i| {
            self.rss[i]
                .annotation(crate::api::DESIRED_REPLICAS)
                .and_then(|v| v.parse::<i32>().ok())
                .is_some_and(|desired| desired != self.d.spec.replicas)
        })
    }

    /// `getAllReplicaSetsAndSyncRevision` / `getNewReplicaSet` (L-4, L-5): find or create the new RS
    /// and keep revisions in step.
    pub fn new_rs_synced(&mut self, create: bool) -> Option<usize> {
        let new = self.new_rs();
        let old = self.old_rss(new);
        let max_old_revision = old
            .iter()
            .map(|&i| self.rss[i].revision())
            .max()
            .unwrap_or(0);
        let new_revision = max_old_revision + 1;
        if let Some(i) = new {
            let min_ready = self.d.spec.min_ready_seconds;
            let d = &*self.d;
            let rs = &mut self.rss[i];
            set_new_rs_annotations(d, rs, new_revision, true);
            rs.min_ready_seconds = min_ready;
            let revision = rs.annotation(REVISION).unwrap_or_default().to_string();
            self.d
                .metadata
                .annotations
                .insert(REVISION.into(), revision);
            if has_progress_deadline(self.d) && self.d.status.condition(PROGRESSING).is_none() {
                let msg = format!("Found new replica set \"{}\"", self.rss[i].metadata.name);
                set_condition(
                    &mut self.d.status,
                    condition(PROGRESSING, "True", FOUND_NEW_RS, msg, self.now),
                );
            }
            return Some(i);
        }
        if !create {
            return None;
        }
        let mut template = self.d.spec.template.clone();
        let (hash, name) = loop {
            let hash = template_hash(&self.d.spec.template, self.d.status.collision_count);
            let name = format!("{}-{hash}", self.d.metadata.name);
            // L-4: a name taken by a different template bumps collisionCount.
            if self.rss.iter().all(|rs| rs.metadata.name != name) {
                break (hash, name);
            }
            self.d.status.collision_count += 1;
        };
        template
            .metadata
            .labels
            .insert(POD_TEMPLATE_HASH.into(), hash.clone());
        let mut selector = self.d.spec.selector.match_labels.clone();
        selector.insert(POD_TEMPLATE_HASH.into(), hash);
        *self.next_uid += 1;
        let mut rs = ReplicaSet {
            metadata: crate::api::ObjectMeta {
                name: name.clone(),
                labels: template.metadata.labels.clone(),
                uid: *self.next_uid,
                created_at: self.now,
                generation: 1,
                ..Default::default()
            },
            owner: Some(self.d.metadata.name.clone()),
            replicas: 0,
            min_ready_seconds: self.d.spec.min_ready_seconds,
            selector,
            template,
            status: Default::default(),
        };
        let all: Vec<&ReplicaSet> = self.rss.iter().chain(std::iter::once(&rs)).collect();
        let size = new_rs_new_replicas(self.d, &all, &rs).unwrap_or(0);
        rs.replicas = size;
        set_new_rs_annotations(self.d, &mut rs, new_revision, false);
        self.d
            .metadata
            .annotations
            .insert(REVISION.into(), new_revision.to_string());
        self.changes
            .push(Change::CreatedReplicaSet { rs: name.clone() });
        if size > 0 {
            self.changes.push(Change::Scaled {
                rs: name.clone(),
                from: 0,
                to: size,
            });
        }
        if has_progress_deadline(self.d) {
            let msg = format!("Created new replica set \"{name}\"");
            set_condition(
                &mut self.d.status,
                condition(PROGRESSING, "True", NEW_RS_CREATED, msg, self.now),
            );
        }
        self.rss.push(rs);
        Some(self.rss.len() - 1)
    }

    /// `scaleReplicaSetAndRecordEvent`: nothing to do when the size is already right.
    pub fn scale_and_record(&mut self, i: usize, to: i32) -> bool {
        if self.rss[i].replicas == to {
            return false;
        }
        self.scale(i, to)
    }

    /// `scaleReplicaSet` (L-6): writes the size and the desired/max annotations.
    pub fn scale(&mut self, i: usize, to: i32) -> bool {
        let max = self.d.spec.replicas + max_surge(self.d);
        let rs = &mut self.rss[i];
        let from = rs.replicas;
        set_replicas_annotations(rs, self.d.spec.replicas, max);
        rs.replicas = to;
        if from != to {
            self.changes.push(Change::Scaled {
                rs: rs.metadata.name.clone(),
                from,
                to,
            });
        }
        from != to
    }
}

/// `SetNewReplicaSetAnnotations` (L-5, L-6).
fn set_new_rs_annotations(d: &Deployment, rs: &mut ReplicaSet, new_revision: i64, exists: bool) {
    // `copyDeploymentAnnotationsToReplicaSet`: everything but the controller's own bookkeeping
    // (L-6), e.g. kubernetes.io/change-cause, which `rollout history` shows.
    for (k, v) in &d.metadata.annotations {
        let skip = matches!(
            k.as_str(),
            REVISION | REVISION_HISTORY | crate::api::DESIRED_REPLICAS | crate::api::MAX_REPLICAS
        ) || k == "kubectl.kubernetes.io/last-applied-configuration"
            || k.starts_with("deprecated.deployment.rollback");
        if !skip {
            rs.metadata.annotations.insert(k.clone(), v.clone());
        }
    }
    let old = rs.annotation(REVISION).map(str::to_string);
    let old_revision = old
        .as_deref()
        .and_then(|r| r.parse::<i64>().ok())
        .unwrap_or(0);
    if old_revision < new_revision {
        rs.metadata
            .annotations
            .insert(REVISION.into(), new_revision.to_string());
        if let Some(old) = old.filter(|o| !o.is_empty()) {
            let history = match rs.annotation(REVISION_HISTORY) {
                Some(h) if !h.is_empty() => format!("{h},{old}"),
                _ => old,
            };
            // Trimmed from the front to at most 2000 characters, at a comma.
            let mut history = history.as_str();
            while history.len() > 2000 {
                history = history.split_once(',').map(|(_, rest)| rest).unwrap_or("");
            }
            rs.metadata
                .annotations
                .insert(REVISION_HISTORY.into(), history.to_string());
        }
    }
    if !exists {
        set_replicas_annotations(rs, d.spec.replicas, d.spec.replicas + max_surge(d));
    }
}

/// `ReplicaSetsByCreationTimestamp`: oldest first, name breaks ties.
pub fn by_creation(a: &ReplicaSet, b: &ReplicaSet) -> std::cmp::Ordering {
    a.metadata
        .created_at
        .cmp(&b.metadata.created_at)
        .then_with(|| a.metadata.name.cmp(&b.metadata.name))
}

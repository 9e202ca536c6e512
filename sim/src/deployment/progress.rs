//! Status and conditions (`sync.go` calculateStatus, `progress.go`): Available, Progressing, and
//! the progress deadline (AV-2, AV-3, PD-1..PD-5).
use super::util::*;
use super::SyncContext;
use crate::api::{Deployment, DeploymentStatus};
use crate::time::{Ms, SECOND};

/// AV-2 `calculateStatus`.
pub fn calculate_status(s: &SyncContext<'_>, new: Option<usize>) -> DeploymentStatus {
    let all = &s.rss;
    let available = available_total(all.iter());
    let total = spec_total(all.iter());
    let mut status = DeploymentStatus {
        observed_generation: s.d.metadata.generation,
        replicas: actual_total(all.iter()),
        updated_replicas: new.map(|i| all[i].status.replicas).unwrap_or(0),
        ready_replicas: all.iter().map(|rs| rs.status.ready_replicas).sum(),
        available_replicas: available,
        unavailable_replicas: (total - available).max(0),
        conditions: s.d.status.conditions.clone(),
        collision_count: s.d.status.collision_count,
    };
    let c = if available >= s.d.spec.replicas - max_unavailable(s.d) {
        condition(
            AVAILABLE,
            "True",
            "MinimumReplicasAvailable",
            "Deployment has minimum availability.".into(),
            s.now,
        )
    } else {
        condition(
            AVAILABLE,
            "False",
            "MinimumReplicasUnavailable",
            "Deployment does not have minimum availability.".into(),
            s.now,
        )
    };
    set_condition(&mut status, c);
    status
}

/// PD-3 `syncRolloutStatus`; returns the PD-5 requeue delay.
pub fn sync_rollout_status(s: &mut SyncContext<'_>, new: Option<usize>) -> Option<Ms> {
    let mut status = calculate_status(s, new);
    let new_name = new
        .map(|i| s.rss[i].metadata.name.clone())
        .unwrap_or_default();
    let requeue = next_status(s.d, &mut status, &new_name, s.now);
    s.d.status = status;
    requeue
}

/// The part of `syncRolloutStatus` that decides the Progressing condition, on plain values so the
/// conformance vectors can drive it.
pub fn next_status(
    d: &Deployment,
    status: &mut DeploymentStatus,
    new_rs: &str,
    now: Ms,
) -> Option<Ms> {
    if !has_progress_deadline(d) {
        status.conditions.retain(|c| c.type_ != PROGRESSING);
    }
    let current = d.status.condition(PROGRESSING).cloned();
    let complete_already = status.replicas == status.updated_replicas
        && current
            .as_ref()
            .is_some_and(|c| c.reason == NEW_RS_AVAILABLE);
    if has_progress_deadline(d) && !complete_already {
        if deployment_complete(d, status) {
            let msg = format!("ReplicaSet \"{new_rs}\" has successfully progressed.");
            set_condition(
                status,
                condition(PROGRESSING, "True", NEW_RS_AVAILABLE, msg, now),
            );
        } else if deployment_progressing(&d.status, status) {
            let msg = format!("ReplicaSet \"{new_rs}\" is progressing.");
            let mut c = condition(PROGRESSING, "True", RS_UPDATED, msg, now);
            if let Some(cur) = current.as_ref().filter(|c| c.status == "True") {
                c.last_transition = cur.last_transition;
            }
            status.conditions.retain(|c| c.type_ != PROGRESSING);
            status.conditions.push(c);
        } else if deployment_timed_out(d, status, now) {
            let msg = format!("ReplicaSet \"{new_rs}\" has timed out progressing.");
            set_condition(status, condition(PROGRESSING, "False", TIMED_OUT, msg, now));
        }
    }
    requeue_stuck_deployment(d, status, now)
}

/// PD-5 `requeueStuckDeployment`: `None` = no requeue, `Some(0)` = now, else after that long
/// (the controller adds one more second).
pub fn requeue_stuck_deployment(
    d: &Deployment,
    new_status: &DeploymentStatus,
    now: Ms,
) -> Option<Ms> {
    let current = d.status.condition(PROGRESSING)?;
    if !has_progress_deadline(d)
        || deployment_complete(d, new_status)
        || current.reason == TIMED_OUT
    {
        return None;
    }
    let deadline = i64::from(d.spec.progress_deadline_seconds.unwrap_or(0)) * SECOND;
    let after = current.last_update + deadline - now;
    Some(if after < SECOND { 0 } else { after })
}

/// L-1 `checkPausedConditions`: mark pause and resume so a resumed rollout is not judged against
/// old timestamps.
pub fn check_paused_conditions(d: &mut Deployment, now: Ms) {
    if !has_progress_deadline(d) {
        return;
    }
    let current = d.status.condition(PROGRESSING);
    if current.is_some_and(|c| c.reason == TIMED_OUT) {
        return;
    }
    let paused_exists = current.is_some_and(|c| c.reason == "DeploymentPaused");
    let c = if d.spec.paused && !paused_exists {
        condition(
            PROGRESSING,
            "Unknown",
            "DeploymentPaused",
            "Deployment is paused".into(),
            now,
        )
    } else if !d.spec.paused && paused_exists {
        condition(
            PROGRESSING,
            "Unknown",
            "DeploymentResumed",
            "Deployment is resumed".into(),
            now,
        )
    } else {
        return;
    };
    set_condition(&mut d.status, c);
}

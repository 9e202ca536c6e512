//! Counterparts of `pkg/controller/deployment/util/deployment_util.go` and `pkg/api/v1/pod/util.go`:
//! fenceposts, replica arithmetic, availability and the progress conditions.
use crate::api::{
    Condition, Deployment, DeploymentStatus, ReplicaSet, DESIRED_REPLICAS, MAX_REPLICAS,
};
use crate::intstr::IntOrString;
use crate::time::Ms;

pub const TERMINATION_COMPLETE: &str = "TerminationComplete";

/// FP-1..FP-3 `ResolveFenceposts`: surge rounds up, unavailable down; both 0 forces unavailable 1.
/// On a malformed percentage upstream returns (0, 0) and the error (FP-2).
pub fn resolve_fenceposts(
    max_surge: Option<&IntOrString>,
    max_unavailable: Option<&IntOrString>,
    desired: i32,
) -> Result<(i32, i32), String> {
    let zero = IntOrString::Int(0);
    let surge = max_surge.unwrap_or(&zero).scaled(desired, true)?;
    let unavailable = max_unavailable.unwrap_or(&zero).scaled(desired, false)?;
    Ok(if surge == 0 && unavailable == 0 {
        (0, 1)
    } else {
        (surge, unavailable)
    })
}

fn fenceposts(d: &Deployment) -> (i32, i32) {
    let (surge, unavailable) = d.spec.surge_and_unavailable();
    resolve_fenceposts(surge.as_ref(), unavailable.as_ref(), d.spec.replicas).unwrap_or((0, 0))
}

/// FP-4 `MaxUnavailable`: 0 unless RollingUpdate with replicas > 0; capped at replicas.
pub fn max_unavailable(d: &Deployment) -> i32 {
    if !d.spec.is_rolling() || d.spec.replicas == 0 {
        return 0;
    }
    fenceposts(d).1.min(d.spec.replicas)
}

/// FP-4 `MaxSurge`: 0 unless RollingUpdate; never capped.
pub fn max_surge(d: &Deployment) -> i32 {
    if !d.spec.is_rolling() {
        return 0;
    }
    fenceposts(d).0
}

/// FP-4 `MinAvailable`.
pub fn min_available(d: &Deployment) -> i32 {
    if !d.spec.is_rolling() {
        return 0;
    }
    d.spec.replicas - max_unavailable(d)
}

/// `GetReplicaCountForReplicaSets`: Σ spec.replicas.
pub fn spec_total<'a>(rss: impl IntoIterator<Item = &'a ReplicaSet>) -> i32 {
    rss.into_iter().map(|rs| rs.replicas).sum()
}

/// `GetActualReplicaCountForReplicaSets`: Σ status.replicas.
pub fn actual_total<'a>(rss: impl IntoIterator<Item = &'a ReplicaSet>) -> i32 {
    rss.into_iter().map(|rs| rs.status.replicas).sum()
}

pub fn available_total<'a>(rss: impl IntoIterator<Item = &'a ReplicaSet>) -> i32 {
    rss.into_iter().map(|rs| rs.status.available_replicas).sum()
}

/// `GetTerminatingReplicaCountForReplicaSets` (§14): a missing count is 0 on an RS whose status was
/// never observed; on an observed RS it makes the total unknown (`None`).
pub fn terminating_total<'a>(rss: impl IntoIterator<Item = &'a ReplicaSet>) -> Option<i32> {
    rss.into_iter().try_fold(0, |sum, rs| {
        match (
            rs.status.terminating_replicas,
            rs.status.observed_generation,
        ) {
            (Some(n), _) => Some(sum + n),
            (None, 0) => Some(sum),
            (None, _) => None,
        }
    })
}

/// RU-3 `NewRSNewReplicas`: how big the new RS may be now. Sums spec over exactly the list given;
/// with `podReplacementPolicy: TerminationComplete` terminating pods count too (§14).
pub fn new_rs_new_replicas(
    d: &Deployment,
    all: &[&ReplicaSet],
    new_rs: &ReplicaSet,
) -> Result<i32, String> {
    if !d.spec.is_rolling() {
        return Ok(d.spec.replicas);
    }
    let zero = IntOrString::Int(0);
    let (surge, _) = d.spec.surge_and_unavailable();
    let max_surge = surge
        .as_ref()
        .unwrap_or(&zero)
        .scaled(d.spec.replicas, true)?;
    let current = if d.spec.pod_replacement_policy.as_deref() == Some(TERMINATION_COMPLETE) {
        let terminating = terminating_total(all.iter().copied())
            .ok_or("the number of terminating replicas is not known yet")?;
        all.iter()
            .map(|rs| rs.replicas.max(rs.status.replicas))
            .sum::<i32>()
            + terminating
    } else {
        spec_total(all.iter().copied())
    };
    let max_total = d.spec.replicas + max_surge;
    if current >= max_total {
        return Ok(new_rs.replicas);
    }
    let scale_up = (max_total - current).min(d.spec.replicas - new_rs.replicas);
    Ok(new_rs.replicas + scale_up)
}

/// AV-1 `IsPodAvailable`: ready, and ready for `minReadySeconds` (boundary `<=`, newest upstream).
/// `ready_since` is the Ready condition's lastTransitionTime; unset, only minReadySeconds 0 passes.
pub fn is_pod_available(
    ready: bool,
    ready_since: Option<Ms>,
    min_ready_seconds: i32,
    now: Ms,
) -> bool {
    ready
        && (min_ready_seconds == 0
            || ready_since.is_some_and(|since| since + i64::from(min_ready_seconds) * 1000 <= now))
}

/// AV-3 `DeploymentComplete`.
pub fn deployment_complete(d: &Deployment, status: &DeploymentStatus) -> bool {
    status.updated_replicas == d.spec.replicas
        && status.replicas == d.spec.replicas
        && status.available_replicas == d.spec.replicas
        && status.observed_generation >= d.metadata.generation
}

/// PD-1 `DeploymentProgressing`: any observable step forward between two statuses.
pub fn deployment_progressing(old: &DeploymentStatus, new: &DeploymentStatus) -> bool {
    let old_old = old.replicas - old.updated_replicas;
    let new_old = new.replicas - new.updated_replicas;
    new.updated_replicas > old.updated_replicas
        || new_old < old_old
        || new.ready_replicas > old.ready_replicas
        || new.available_replicas > old.available_replicas
}

/// PD-2: a deadline that is nil or MaxInt32 means "no deadline".
pub fn has_progress_deadline(d: &Deployment) -> bool {
    d.spec
        .progress_deadline_seconds
        .is_some_and(|s| s != i32::MAX)
}

/// PD-2 `DeploymentTimedOut`.
pub fn deployment_timed_out(d: &Deployment, status: &DeploymentStatus, now: Ms) -> bool {
    if !has_progress_deadline(d) {
        return false;
    }
    let Some(c) = status.condition(PROGRESSING) else {
        return false;
    };
    if c.reason == NEW_RS_AVAILABLE {
        return false;
    }
    if c.reason == TIMED_OUT {
        return true;
    }
    let deadline = i64::from(d.spec.progress_deadline_seconds.unwrap_or(0)) * 1000;
    c.last_update + deadline < now
}

pub const PROGRESSING: &str = "Progressing";
pub const AVAILABLE: &str = "Available";
pub const NEW_RS_AVAILABLE: &str = "NewReplicaSetAvailable";
pub const TIMED_OUT: &str = "ProgressDeadlineExceeded";
pub const RS_UPDATED: &str = "ReplicaSetUpdated";
pub const NEW_RS_CREATED: &str = "NewReplicaSetCreated";
pub const FOUND_NEW_RS: &str = "FoundNewReplicaSet";

/// `SetDeploymentCondition`: keeps the transition time when the status does not change.
pub fn set_condition(status: &mut DeploymentStatus, mut c: Condition) {
    if let Some(old) = status.conditions.iter_mut().find(|o| o.type_ == c.type_) {
        if old.status == c.status && old.reason == c.reason {
            return;
        }
        if old.status == c.status {
            c.last_transition = old.last_transition;
        }
        *old = c;
    } else {
        status.conditions.push(c);
    }
}

pub fn condition(
    type_: &'static str,
    status: &'static str,
    reason: &'static str,
    message: String,
    now: Ms,
) -> Condition {
    Condition {
        type_,
        status,
        reason,
        message,
        last_update: now,
        last_transition: now,
    }
}

/// PS-5 `getReplicaSetFraction`: the share of a scaling event this RS should take.
pub fn replica_set_fraction(rs: &ReplicaSet, d: &Deployment) -> i32 {
    if d.spec.replicas == 0 {
        return -rs.replicas;
    }
    let allowed = d.spec.replicas + max_surge(d);
    let annotated = rs
        .annotation(MAX_REPLICAS)
        .and_then(|v| v.parse::<i32>().ok())
        .unwrap_or(0);
    let max_replicas = if annotated > 0 {
        annotated
    } else {
        d.status.replicas
    };
    if max_replicas == 0 {
        return 0;
    }
    let new_size =
        round_half_away(f64::from(rs.replicas) * f64::from(allowed) / f64::from(max_replicas));
    new_size - rs.replicas
}

/// `integer.RoundToInt32`: half away from zero (2.5 -> 3), not banker's rounding.
pub fn round_half_away(x: f64) -> i32 {
    x.round() as i32
}

/// PS-4 `GetProportion`.
pub fn proportion(rs: &ReplicaSet, d: &Deployment, to_add: i32, added: i32) -> i32 {
    if rs.replicas == 0 || to_add == 0 || to_add == added {
        return 0;
    }
    let fraction = replica_set_fraction(rs, d);
    let allowed = to_add - added;
    if to_add > 0 {
        fraction.min(allowed)
    } else {
        fraction.max(allowed)
    }
}

/// PS-2 `IsSaturated`.
pub fn is_saturated(d: &Deployment, rs: &ReplicaSet) -> bool {
    let desired = rs
        .annotation(DESIRED_REPLICAS)
        .and_then(|v| v.parse::<i32>().ok());
    rs.replicas == d.spec.replicas
        && desired == Some(d.spec.replicas)
        && rs.status.available_replicas == d.spec.replicas
}

/// L-6 `SetReplicasAnnotations`; true when something changed.
pub fn set_replicas_annotations(rs: &mut ReplicaSet, desired: i32, max: i32) -> bool {
    let mut changed = false;
    for (key, value) in [(DESIRED_REPLICAS, desired), (MAX_REPLICAS, max)] {
        let value = value.to_string();
        if rs.metadata.annotations.get(key) != Some(&value) {
            rs.metadata.annotations.insert(key.to_string(), value);
            changed = true;
        }
    }
    changed
}

//! Argo Rollouts' canary arithmetic (`utils/replicaset/canary.go`): how many canary and stable pods
//! a step asks for (AC-1..AC-3), with Argo's own fenceposts (FP-6).
use crate::intstr::IntOrString;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SetCanaryScale {
    pub replicas: Option<i32>,
    pub weight: Option<i32>,
    pub match_traffic_weight: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Step {
    pub set_weight: Option<i32>,
    pub set_canary_scale: Option<SetCanaryScale>,
}

/// The parts of a Rollout's spec and status the canary arithmetic reads.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Canary {
    pub replicas: i32,
    pub steps: Vec<Step>,
    pub current_step_index: Option<i32>,
    pub max_surge: Option<IntOrString>,
    pub max_unavailable: Option<IntOrString>,
    pub traffic_routing: bool,
    pub dynamic_stable_scale: bool,
    pub abort_scale_down_delay_seconds: Option<i32>,
    pub min_pods_per_replica_set: Option<i32>,
    /// `trafficRouting.maxTrafficWeight`, 100 unless set.
    pub max_weight: i32,
    pub promote_full: bool,
    pub abort: bool,
    pub stable_hash: String,
    pub current_pod_hash: String,
}

/// A ReplicaSet as the arithmetic sees it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rs {
    pub name: String,
    pub replicas: i32,
    pub available: i32,
}

/// FP-6: Argo reads any string as a percentage (`"25"` is 25%); defaults are 25% / 25%.
fn scaled(v: Option<&IntOrString>, total: i32, round_up: bool) -> i32 {
    let quarter = IntOrString::String("25%".into());
    match v.unwrap_or(&quarter) {
        IntOrString::Int(n) => *n,
        IntOrString::String(s) => {
            let pct = crate::decimal::parse(s.trim_end_matches('%').trim()).unwrap_or(0.0);
            let exact = pct * f64::from(total) / 100.0;
            (if round_up {
                exact.ceil()
            } else {
                exact.floor()
            }) as i32
        }
    }
}

impl Canary {
    /// `resolveFenceposts` with the both-zero rule (FP-3).
    fn fenceposts(&self) -> (i32, i32) {
        let surge = scaled(self.max_surge.as_ref(), self.replicas, true);
        let unavailable = scaled(self.max_unavailable.as_ref(), self.replicas, false);
        if surge == 0 && unavailable == 0 {
            (0, 1)
        } else {
            (surge, unavailable)
        }
    }

    pub fn max_surge(&self) -> i32 {
        self.fenceposts().0
    }

    pub fn max_unavailable(&self) -> i32 {
        if self.replicas == 0 {
            return 0;
        }
        self.fenceposts().1.min(self.replicas)
    }

    /// Upstream: `GetCurrentCanaryStep`.
    fn current_canary_step(&self) -> Option<usize> {
        let i = self.current_step_index.unwrap_or(0).max(0) as usize;
        (!self.steps.is_empty() && i < self.steps.len()).then_some(i)
    }

    /// `GetCurrentSetWeight`: 0 when aborted, 100 past the last step, else the nearest setWeight.
    pub fn current_set_weight(&self) -> i32 {
        if self.abort {
            return 0;
        }
        let Some(i) = self.current_canary_step() else {
            return self.max_weight;
        };
        self.steps[..=i]
            .iter()
            .rev()
            .find_map(|s| s.set_weight)
            .unwrap_or(0)
    }

    /// `UseSetCanaryScale` (traffic routing only; ignored on abort unless abortScaleDownDelaySeconds is 0).
    fn use_set_canary_scale(&self) -> Option<&SetCanaryScale> {
        if !self.traffic_routing || (self.abort && self.abort_scale_down_delay_seconds != Some(0)) {
            return None;
        }
        let i = self.current_canary_step()?;
        let scs = self.steps[..=i]
            .iter()
            .rev()
            .find_map(|s| s.set_canary_scale.as_ref())?;
        (!scs.match_traffic_weight).then_some(scs)
    }

    /// AC-1 `GetCanaryReplicasOrWeight`: explicit canary replicas, or a weight.
    pub fn canary_replicas_or_weight(&self) -> (Option<i32>, i32) {
        if self.promote_full
            || self.stable_hash.is_empty()
            || self.current_pod_hash == self.stable_hash
        {
            return (None, self.max_weight);
        }
        match self.use_set_canary_scale() {
            Some(SetCanaryScale {
                replicas: Some(r), ..
            }) => (Some(*r), 0),
            Some(SetCanaryScale {
                weight: Some(w), ..
            }) => (None, *w),
            _ => (None, self.current_set_weight()),
        }
    }

    /// `CheckMinPodsPerReplicaSet`: a non-zero count is at least minPodsPerReplicaSet, itself at
    /// most spec.replicas (traffic routing only).
    fn check_min_pods_per_replica_set(&self, count: i32) -> i32 {
        match self.min_pods_per_replica_set {
            Some(min) if count != 0 && self.traffic_routing => count.max(min.min(self.replicas)),
            _ => count,
        }
    }
}

/// `trafficWeightToReplicas`: rounds up.
pub fn traffic_weight_to_replicas(replicas: i32, weight: i32, max_weight: i32) -> i32 {
    if max_weight == 0 {
        return 0;
    }
    (f64::from(weight) * f64::from(replicas) / f64::from(max_weight)).ceil() as i32
}

/// AC-2 `approximateWeightedCanaryStableReplicaCounts`: the (canary, stable) counts, summing to
/// spec or spec+1 when surge is allowed, whose canary share is closest to the weight.
pub fn approximate_weighted_canary_stable_replica_counts(
    spec: i32,
    weight: i32,
    max_weight: i32,
    max_surge: i32,
) -> (i32, i32) {
    if spec == 0 {
        return (0, 0);
    }
    let exact = |total: i32| f64::from(total) * f64::from(weight) / f64::from(max_weight);
    let ceil = exact(spec).ceil() as i32;
    let floor = exact(spec).floor() as i32;
    let tied = |total: i32| exact(total).fract() == 0.5;
    let zero_allowed = weight == max_weight || weight == 0 || (spec == 1 && max_surge == 0);
    let mut options: Vec<(i32, i32)> = Vec::new();
    if ceil < spec || zero_allowed {
        options.push((ceil, spec));
    }
    if !tied(spec) && (floor != 0 || zero_allowed) {
        options.push((floor, spec));
    }
    if max_surge > 0 {
        options.push((ceil, spec + 1));
        if !tied(spec + 1) && (floor != 0 || zero_allowed) {
            options.push((floor, spec + 1));
        }
    }
    let delta = |(canary, total): (i32, i32)| {
        (f64::from(canary * max_weight) / f64::from(total) - f64::from(weight)).abs()
    };
    // The first option wins ties.
    let Some(best) = options
        .into_iter()
        .reduce(|best, o| if delta(o) < delta(best) { o } else { best })
    else {
        return (0, spec);
    };
    (best.0, best.1 - best.0)
}

/// `GetReplicasForScaleDown`: what an RS can give up, counting only available pods unless told not to.
pub fn replicas_for_scale_down(rs: Option<&Rs>, ignore_availability: bool) -> i32 {
    match rs {
        None => 0,
        Some(rs) if rs.replicas < rs.available || ignore_availability => rs.replicas,
        Some(rs) => rs.available,
    }
}

/// AC-2 `CalculateReplicaCountsForBasicCanary`: (canary, stable) for a canary without traffic
/// routing, where the split of traffic is the split of pods.
pub fn replica_counts_for_basic_canary(
    c: &Canary,
    new: Option<&Rs>,
    stable: Option<&Rs>,
    older: &[Rs],
) -> (i32, i32) {
    let spec = c.replicas;
    let (_, weight) = c.canary_replicas_or_weight();
    let max_surge = c.max_surge();
    let (mut desired_new, mut desired_stable) =
        approximate_weighted_canary_stable_replica_counts(spec, weight, c.max_weight, max_surge);
    let mut new_count = new.map_or(0, |r| r.replicas);
    let scale_stable = stable.is_some_and(|s| new.is_none_or(|n| n.name != s.name));
    let mut stable_count = 0;
    if scale_stable {
        stable_count = stable.map_or(0, |s| s.replicas);
    } else {
        // No stable (or it is the new one): go straight for 100% new.
        desired_new = spec;
        desired_stable = 0;
    }
    let max_allowed = spec + max_surge;
    let older_total: i32 = older.iter().map(|r| r.replicas).sum();
    let total =
        older_total + new.map_or(0, |r| r.replicas) + if scale_stable { stable_count } else { 0 };
    let mut scale_up = max_allowed - total;
    // Stable first, then canary.
    if let (true, Some(s)) = (scale_stable, stable) {
        if s.replicas < desired_stable && scale_up > 0 {
            if s.replicas + scale_up < desired_stable {
                stable_count = s.replicas + scale_up;
                scale_up = 0;
            } else {
                stable_count = desired_stable;
                scale_up -= desired_stable - s.replicas;
            }
        }
    }
    if let Some(n) = new {
        if n.replicas < desired_new && scale_up > 0 {
            new_count = (n.replicas + scale_up).min(desired_new);
        }
    }
    // Older ReplicaSets are scaled down first, elsewhere.
    if older_total > 0 {
        return (new_count, stable_count);
    }
    let min_available = spec - c.max_unavailable();
    let increasing = new.is_none_or(|n| desired_new >= n.replicas);
    let to_scale_down =
        replicas_for_scale_down(new, !increasing) + replicas_for_scale_down(stable, increasing);
    if to_scale_down <= min_available {
        return (new_count, stable_count);
    }
    let scale_down = to_scale_down - min_available;
    if !increasing {
        new_count = calculate_scale_down_replica_count(new, desired_new, scale_down, new_count);
        (new_count, stable_count) = adjust_replica_within_limits(
            new,
            stable,
            new_count,
            stable_count,
            max_allowed,
            min_available,
        );
    } else if scale_stable {
        stable_count =
            calculate_scale_down_replica_count(stable, desired_stable, scale_down, stable_count);
        (stable_count, new_count) = adjust_replica_within_limits(
            stable,
            new,
            stable_count,
            new_count,
            max_allowed,
            min_available,
        );
    }
    (new_count, stable_count)
}

/// `calculateScaleDownReplicaCount`: the drained RS goes down toward its desired count.
fn calculate_scale_down_replica_count(
    rs: Option<&Rs>,
    desired: i32,
    scale_down: i32,
    count: i32,
) -> i32 {
    match rs {
        Some(rs) if rs.replicas > desired => desired.max(rs.replicas - scale_down),
        _ => count,
    }
}

/// `adjustReplicaWithinLimits`: keep the total within surge and availability within maxUnavailable.
fn adjust_replica_within_limits(
    drain_rs: Option<&Rs>,
    adjust_rs: Option<&Rs>,
    mut drain: i32,
    mut adjust: i32,
    max_allowed: i32,
    min_available: i32,
) -> (i32, i32) {
    let mut over = (adjust + drain - max_allowed).max(0);
    let mut available = drain_rs.map_or(0, |r| r.available.min(drain));
    if let Some(a) = adjust_rs {
        adjust -= over;
        available += a.available.min(adjust);
        let lost = (a.available - adjust).max(0);
        let needed = (min_available - available).max(0);
        adjust += lost.min(needed);
        over = (adjust + drain - max_allowed).max(0);
        drain -= over;
    }
    (drain, adjust)
}

/// AC-3 `CalculateReplicaCountsForTrafficRoutedCanary`: (canary, stable) when a router splits
/// traffic by weight. `weights` is the router's actual (canary, stable) weight, when known;
/// `has_replica_sets` says whether the canary or stable ReplicaSet exists yet.
pub fn replica_counts_for_traffic_routed_canary(
    c: &Canary,
    weights: Option<(i32, i32)>,
    has_replica_sets: bool,
) -> (i32, i32) {
    let spec = c.replicas;
    let (explicit, mut weight) = c.canary_replicas_or_weight();
    if let (true, true, Some((actual_canary, _)), true) =
        (c.abort, c.dynamic_stable_scale, weights, has_replica_sets)
    {
        // Aborting with dynamic stable scaling steps back through the setWeight steps rather than
        // dropping to 0 at once, so stable grows ahead of the traffic it will get back. (Inferred
        // from the upstream vectors; the function is `GetDesiredCanaryWeight` upstream.)
        weight = c
            .steps
            .iter()
            .filter_map(|s| s.set_weight)
            .filter(|w| *w < actual_canary)
            .max()
            .unwrap_or(0);
    }
    let mut canary = match explicit {
        Some(r) => r,
        None => {
            c.check_min_pods_per_replica_set(traffic_weight_to_replicas(spec, weight, c.max_weight))
        }
    };
    if !c.dynamic_stable_scale {
        return (canary, spec);
    }
    let mut stable = traffic_weight_to_replicas(spec, c.max_weight - weight, c.max_weight);
    if let Some((actual_canary, actual_stable)) = weights {
        stable = stable.max(traffic_weight_to_replicas(
            spec,
            actual_stable,
            c.max_weight,
        ));
        if c.abort {
            // Canaries stay until the traffic has really left them.
            canary = canary.max(traffic_weight_to_replicas(
                spec,
                actual_canary,
                c.max_weight,
            ));
        }
    }
    (
        c.check_min_pods_per_replica_set(canary),
        c.check_min_pods_per_replica_set(stable),
    )
}

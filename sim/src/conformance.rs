//! Replays the conformance vectors (test cases taken from upstream unit tests, in the format of
//! sim/tests/conformance/README.md) against this crate's counterparts of the upstream functions.
use crate::api::*;
use crate::deployment::{self, util, SyncContext};
use crate::intstr::IntOrString;
use crate::kubelet::prober::{ProbeResult, ProbeType, Worker};
use crate::time::Ms;
use serde_json::{json, Value};

/// One case's verdict.
#[derive(Debug, PartialEq)]
pub enum Verdict {
    Pass,
    Fail(String),
    Unsupported(String),
}

pub struct CaseResult {
    pub name: String,
    pub verdict: Verdict,
}

/// Runs every case of one file (its JSON text).
pub fn run_file(text: &str) -> Result<(String, Vec<CaseResult>), String> {
    let file: Value =
        serde_json::from_str(text).map_err(|e| format!("not a conformance file: {e}"))?;
    let function = file["function"]
        .as_str()
        .ok_or("missing \"function\"")?
        .to_string();
    let cases = file["cases"].as_array().ok_or("missing \"cases\"")?;
    let results = cases
        .iter()
        .map(|case| {
            let name = case["name"].as_str().unwrap_or("?").to_string();
            let verdict = match handler(&function) {
                None => Verdict::Unsupported(format!("no counterpart for {function}")),
                Some(h) => judge(h, case),
            };
            CaseResult { name, verdict }
        })
        .collect();
    Ok((function, results))
}

/// (inputs, expected) -> what we compute. Only the prober replay reads `expected`: its raw probe
/// outcomes are written there, beside the cached results.
type Handler = fn(&Value, &Value) -> Result<Value, String>;

fn judge(h: Handler, case: &Value) -> Verdict {
    let got = match h(&case["inputs"], &case["expected"]) {
        Ok(v) => v,
        Err(e) if e.starts_with("unsupported:") => return Verdict::Unsupported(e),
        Err(e) => return Verdict::Fail(format!("bad input: {e}")),
    };
    compare(&case["expected"], &got)
}

/// Every key the vector expects must match what we computed.
fn compare(expected: &Value, got: &Value) -> Verdict {
    match (expected, got) {
        (Value::Object(want), Value::Object(have)) => {
            let mut diffs = Vec::new();
            for (k, w) in want {
                match have.get(k) {
                    Some(h) if numbers_equal(w, h) => {}
                    Some(h) => diffs.push(format!("{k}: want {w}, got {h}")),
                    None => diffs.push(format!("{k}: want {w}, not computed")),
                }
            }
            if diffs.is_empty() {
                Verdict::Pass
            } else {
                Verdict::Fail(diffs.join("; "))
            }
        }
        (w, h) if numbers_equal(w, h) => Verdict::Pass,
        (w, h) => Verdict::Fail(format!("want {w}, got {h}")),
    }
}

fn numbers_equal(a: &Value, b: &Value) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => x == y,
        _ => match (a, b) {
            (Value::Array(x), Value::Array(y)) => {
                x.len() == y.len() && x.iter().zip(y).all(|(p, q)| numbers_equal(p, q))
            }
            (Value::Object(x), Value::Object(y)) => {
                x.len() == y.len()
                    && x.iter()
                        .all(|(k, v)| y.get(k).is_some_and(|w| numbers_equal(v, w)))
            }
            _ => a == b,
        },
    }
}

fn handler(function: &str) -> Option<Handler> {
    let table: &[(&str, Handler)] = &[
        ("ResolveFenceposts(", resolve_fenceposts),
        ("MaxUnavailable(", max_unavailable),
        ("MinAvailable(", min_available),
        ("NewRSNewReplicas(", new_rs_new_replicas),
        ("reconcileNewReplicaSet(", reconcile_new_replica_set),
        ("reconcileOldReplicaSets(", reconcile_old_replica_sets),
        ("cleanupUnhealthyReplicas(", cleanup_unhealthy_replicas),
        (
            "scaleDownOldReplicaSetsForRollingUpdate(",
            scale_down_old_for_rolling,
        ),
        ("DeploymentController.scale(", scale),
        ("getReplicaSetFraction(", replica_set_fraction),
        ("DeploymentComplete(", deployment_complete),
        ("DeploymentProgressing(", deployment_progressing),
        ("DeploymentTimedOut(", deployment_timed_out),
        ("requeueStuckDeployment(", requeue_stuck_deployment),
        ("syncRolloutStatus(", sync_rollout_status),
        ("cleanupDeployment(", cleanup_deployment),
        ("oldPodsRunning(", old_pods_running),
        ("GetReplicaCountForReplicaSets", replica_counts),
        ("IsPodAvailable(", is_pod_available),
        ("prober worker", prober_sequence),
        (
            "approximateWeightedCanaryStableReplicaCounts(",
            argo_approximate,
        ),
        ("CalculateReplicaCountsFor", argo_canary_counts),
        ("GetReplicasForScaleDown(", argo_replicas_for_scale_down),
        ("trafficWeightToReplicas(", argo_traffic_weight_to_replicas),
    ];
    table
        .iter()
        .find(|(key, _)| function.contains(key))
        .map(|(_, h)| *h)
}

// ---- input helpers -------------------------------------------------------------------------

fn int(v: &Value) -> i32 {
    v.as_i64().unwrap_or(0) as i32
}

fn int_or_string(v: &Value) -> Result<Option<IntOrString>, String> {
    if v.is_null() {
        return Ok(None);
    }
    match v["type"].as_str() {
        Some("int") => Ok(Some(IntOrString::Int(int(&v["value"])))),
        Some("string") => Ok(Some(IntOrString::String(
            v["value"].as_str().unwrap_or_default().into(),
        ))),
        _ => Err(format!("not an IntOrString: {v}")),
    }
}

/// RFC 3339 (`2016-05-20T02:00:00Z`, `…:59.000000001Z`, `…+01:00`) to milliseconds since the
/// epoch. A fraction is rounded up to the next millisecond: the durations the controllers compute
/// from `now` then round down, so "less than a second left" stays less than a second.
fn timestamp(v: &Value) -> Ms {
    let Some(s) = v.as_str() else { return 0 };
    let whole = whole_seconds(s);
    let rest = s.get(19..).unwrap_or_default();
    let digits = rest.strip_prefix('.').map_or("", |r| {
        let end = r.find(|c: char| !c.is_ascii_digit()).unwrap_or(r.len());
        &r[..end]
    });
    let millis: i64 = format!("{digits:0<3}")
        .get(..3)
        .and_then(|m| m.parse().ok())
        .unwrap_or(0);
    let exact = digits.len() <= 3 || digits[3..].bytes().all(|b| b == b'0');
    let zone = &rest[digits.len() + usize::from(rest.starts_with('.'))..];
    let offset = match zone.as_bytes().first() {
        Some(sign @ (b'+' | b'-')) => {
            let n = |a: usize, b: usize| {
                zone.get(a..b)
                    .and_then(|x| x.parse::<i64>().ok())
                    .unwrap_or(0)
            };
            let minutes = n(1, 3) * 60 + n(4, 6);
            if *sign == b'+' {
                minutes
            } else {
                -minutes
            }
        }
        _ => 0,
    };
    whole + millis + i64::from(!exact) - offset * 60_000
}

/// The wall clock of a case that gives no `now` (upstream's test reads the real clock): today's
/// date as the simulator counts it, and in any case a year after every timestamp in the case.
fn wall_clock_after(inputs: &Value) -> Ms {
    fn latest(v: &Value) -> Ms {
        match v {
            Value::String(s) if s.len() >= 20 && s.as_bytes().get(10) == Some(&b'T') => {
                timestamp(v)
            }
            Value::Array(items) => items.iter().map(latest).max().unwrap_or(0),
            Value::Object(fields) => fields.values().map(latest).max().unwrap_or(0),
            _ => 0,
        }
    }
    let today = crate::time::EPOCH_SECONDS * 1000;
    today.max(latest(inputs) + 365 * 24 * 3_600_000)
}

/// The date and time of day of an RFC 3339 text, to whole seconds, in milliseconds.
fn whole_seconds(s: &str) -> Ms {
    let n = |a: usize, b: usize| s.get(a..b).and_then(|x| x.parse::<i64>().ok()).unwrap_or(0);
    let (y, m, d) = (n(0, 4), n(5, 7), n(8, 10));
    let (y, m) = if m <= 2 { (y - 1, m + 9) } else { (y, m - 3) };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * m + 2) / 5 + d - 1;
    let days = era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468;
    ((days * 24 + n(11, 13)) * 60 + n(14, 16)) * 60_000 + n(17, 19) * 1000
}

fn deployment(
    replicas: &Value,
    strategy: &Value,
    surge: &Value,
    unavailable: &Value,
) -> Result<Deployment, String> {
    let type_ = if strategy.as_str() == Some("Recreate") {
        StrategyType::Recreate
    } else {
        StrategyType::RollingUpdate
    };
    let rolling_update = (type_ == StrategyType::RollingUpdate).then(|| RollingUpdate {
        max_surge: int_or_string(surge).ok().flatten(),
        max_unavailable: int_or_string(unavailable).ok().flatten(),
    });
    int_or_string(surge)?;
    int_or_string(unavailable)?;
    Ok(Deployment {
        metadata: ObjectMeta {
            name: "foo".into(),
            ..Default::default()
        },
        spec: DeploymentSpec {
            replicas: int(replicas),
            selector: LabelSelector::default(),
            template: PodTemplateSpec::default(),
            strategy: DeploymentStrategy {
                type_,
                rolling_update,
            },
            min_ready_seconds: 0,
            revision_history_limit: 10,
            progress_deadline_seconds: Some(600),
            paused: false,
            pod_replacement_policy: None,
        },
        status: DeploymentStatus::default(),
    })
}

/// The Deployment most vectors describe with `<replicas key>`, `strategyType`, `maxSurge`,
/// `maxUnavailable` (a missing strategy is RollingUpdate).
fn deployment_in(i: &Value, replicas: &str) -> Result<Deployment, String> {
    deployment(
        &i[replicas],
        &i["strategyType"],
        &i["maxSurge"],
        &i["maxUnavailable"],
    )
}

fn replica_set(v: &Value, uid: u64) -> ReplicaSet {
    let status = &v["status"];
    let mut annotations = Labels::new();
    if let Some(map) = v["annotations"].as_object() {
        for (k, val) in map {
            annotations.insert(k.clone(), val.as_str().unwrap_or_default().to_string());
        }
    }
    if let Some(rev) = v["revisionAnnotation"].as_str() {
        annotations.insert(REVISION.into(), rev.into());
    }
    let created_at = if v["createdAt"].is_string() {
        timestamp(&v["createdAt"])
    } else {
        v["createdAtMinutesFromNow"].as_i64().unwrap_or(0) * 60_000
    };
    ReplicaSet {
        metadata: ObjectMeta {
            name: v["name"].as_str().unwrap_or_default().into(),
            annotations,
            uid,
            created_at,
            generation: v["generation"].as_i64().unwrap_or(0),
            deletion_timestamp: v["deletionTimestamp"].as_str().map(|_| 0),
            ..Default::default()
        },
        replicas: int(&v["specReplicas"]),
        status: ReplicaSetStatus {
            replicas: int(&status["replicas"]).max(int(&v["statusReplicas"])),
            ready_replicas: int(&status["readyReplicas"]),
            available_replicas: int(&status["availableReplicas"]),
            observed_generation: status["observedGeneration"].as_i64().unwrap_or(0),
            terminating_replicas: status["terminatingReplicas"].as_i64().map(|n| n as i32),
        },
        ..Default::default()
    }
}

fn with_sync<T>(
    d: &mut Deployment,
    rss: &mut Vec<ReplicaSet>,
    now: Ms,
    f: impl FnOnce(&mut SyncContext<'_>) -> T,
) -> T {
    let mut uid = 1000;
    let mut sync = SyncContext {
        d,
        rss,
        now,
        next_uid: &mut uid,
        changes: Vec::new(),
    };
    f(&mut sync)
}

// ---- fenceposts ----------------------------------------------------------------------------

fn resolve_fenceposts(i: &Value, _: &Value) -> Result<Value, String> {
    let (s, u) = (
        int_or_string(&i["maxSurge"])?,
        int_or_string(&i["maxUnavailable"])?,
    );
    Ok(
        match util::resolve_fenceposts(s.as_ref(), u.as_ref(), int(&i["desired"])) {
            Ok((surge, unavailable)) => {
                json!({"surge": surge, "unavailable": unavailable, "error": false})
            }
            Err(_) => json!({"surge": 0, "unavailable": 0, "error": true}),
        },
    )
}

fn max_unavailable(i: &Value, _: &Value) -> Result<Value, String> {
    let d = deployment_in(i, "replicas")?;
    Ok(json!({"maxUnavailable": util::max_unavailable(&d)}))
}

fn min_available(i: &Value, _: &Value) -> Result<Value, String> {
    let d = deployment_in(i, "replicas")?;
    Ok(json!({"minAvailable": util::min_available(&d)}))
}

fn new_rs_new_replicas(i: &Value, _: &Value) -> Result<Value, String> {
    let d = deployment_in(i, "deploymentReplicas")?;
    let all: Vec<ReplicaSet> = i["allRSs"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|v| replica_set(v, 1))
        .collect();
    let new = replica_set(&i["newRS"], 2);
    let refs: Vec<&ReplicaSet> = all.iter().collect();
    Ok(match util::new_rs_new_replicas(&d, &refs, &new) {
        Ok(n) => json!({"newReplicas": n, "error": false}),
        Err(_) => json!({"error": true}),
    })
}

// ---- rolling update ------------------------------------------------------------------------

fn reconcile_new_replica_set(i: &Value, _: &Value) -> Result<Value, String> {
    let mut d = deployment_in(i, "deploymentReplicas")?;
    d.spec.pod_replacement_policy = i["podReplacementPolicy"].as_str().map(str::to_string);
    let order: Vec<&str> = i["allRSs_order"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let mut rss: Vec<ReplicaSet> = order.iter().map(|key| replica_set(&i[*key], 1)).collect();
    let new = order
        .iter()
        .position(|k| *k == "newRS")
        .ok_or("allRSs_order lacks newRS")?;
    let old: Vec<usize> = (0..rss.len()).filter(|&k| k != new).collect();
    let before = rss[new].replicas;
    let all: Vec<&ReplicaSet> = rss.iter().collect();
    let size = util::new_rs_new_replicas(&d, &all, &rss[new]);
    if size.is_err() && d.spec.replicas > before {
        return Ok(json!({"scaled": false, "newRSReplicas": before, "error": true}));
    }
    let scaled = with_sync(&mut d, &mut rss, 0, |s| {
        deployment::rolling::reconcile_new_replica_set(s, new, &old)
    });
    Ok(json!({"scaled": scaled, "newRSReplicas": rss[new].replicas, "error": false}))
}

fn reconcile_old_replica_sets(i: &Value, _: &Value) -> Result<Value, String> {
    let mut d = deployment_in(i, "deploymentReplicas")?;
    let mut rss = vec![replica_set(&i["oldRS"], 1), replica_set(&i["newRS"], 2)];
    rss[1].metadata.created_at = rss[0].metadata.created_at + 1;
    let scaled = with_sync(&mut d, &mut rss, 0, |s| {
        let active = s.active(&[0]);
        deployment::rolling::reconcile_old_replica_sets(s, 1, &active)
    });
    Ok(json!({"scaled": scaled, "oldRSReplicas_unasserted_upstream": rss[0].replicas}))
}

fn cleanup_unhealthy_replicas(i: &Value, _: &Value) -> Result<Value, String> {
    let surge = json!({"type": "int", "value": 2});
    let mut d = deployment(&json!(10), &Value::Null, &surge, &surge)?;
    let mut rss = vec![replica_set(&i["oldRS"], 1)];
    let count = with_sync(&mut d, &mut rss, 0, |s| {
        deployment::rolling::cleanup_unhealthy_replicas(s, &[0], int(&i["maxCleanupCount"]))
    });
    Ok(json!({"cleanupCount": count, "oldRSReplicas": rss[0].replicas}))
}

fn scale_down_old_for_rolling(i: &Value, _: &Value) -> Result<Value, String> {
    let mut d = deployment_in(i, "deploymentReplicas")?;
    let mut rss = vec![replica_set(&i["oldRS"], 1)];
    let count = with_sync(&mut d, &mut rss, 0, |s| {
        deployment::rolling::scale_down_old_replica_sets_for_rolling_update(s, &[0], &[0])
    });
    Ok(json!({"scaled": count > 0, "scaledDownCount": count, "oldRSReplicas": rss[0].replicas}))
}

// ---- proportional scaling ------------------------------------------------------------------

fn scale(i: &Value, expected: &Value) -> Result<Value, String> {
    let dv = &i["deployment"];
    let mut d = deployment(
        &dv["replicas"],
        &dv["strategyType"],
        &dv["maxSurge"],
        &dv["maxUnavailable"],
    )?;
    d.status.replicas = int(&dv["statusReplicas"]);
    let mut rss: Vec<ReplicaSet> = Vec::new();
    let new = if i["newRS"].is_null() {
        None
    } else {
        rss.push(replica_set(&i["newRS"], 1));
        // The test's new RS carries the Deployment's template.
        Some(0)
    };
    let olds: Vec<&Value> = i["oldRSs"].as_array().into_iter().flatten().collect();
    for (k, v) in olds.iter().enumerate() {
        let mut rs = replica_set(v, 10 + k as u64);
        rs.template
            .metadata
            .labels
            .insert("old".into(), k.to_string());
        rss.push(rs);
    }
    let original: Vec<i32> = rss.iter().map(|rs| rs.replicas).collect();
    let old: Vec<usize> = (usize::from(new.is_some())..rss.len()).collect();
    with_sync(&mut d, &mut rss, 0, |s| s.scale_proportionally(new, &old));
    // Updates the upstream test discards (simulated API failures) leave those RSs as they were.
    let ignored: Vec<&str> = expected["ignore_updates_to"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let size = |k: usize| {
        if ignored.contains(&rss[k].metadata.name.as_str()) {
            original[k]
        } else {
            rss[k].replicas
        }
    };
    Ok(json!({
        "newRSReplicas": new.map(size),
        "oldRSReplicas": old.iter().map(|&k| size(k)).collect::<Vec<_>>(),
        "ignore_updates_to": ignored,
    }))
}

fn replica_set_fraction(i: &Value, _: &Value) -> Result<Value, String> {
    let mut d = deployment(
        &i["deploymentReplicas"],
        &Value::Null,
        &i["deploymentMaxSurge"],
        &i["deploymentMaxUnavailable"],
    )?;
    d.status.replicas = int(&i["deploymentStatusReplicas"]);
    let mut rs = ReplicaSet {
        replicas: int(&i["rsReplicas"]),
        ..Default::default()
    };
    if let Some(max) = i["rsMaxReplicasAnnotation"].as_str() {
        rs.metadata
            .annotations
            .insert(MAX_REPLICAS.into(), max.into());
    }
    Ok(json!({"fraction": util::replica_set_fraction(&rs, &d)}))
}

// ---- status and progress -------------------------------------------------------------------

fn status_of(v: &Value) -> DeploymentStatus {
    DeploymentStatus {
        replicas: int(&v["replicas"]).max(int(&v["statusReplicas"])),
        updated_replicas: int(&v["updatedReplicas"]),
        ready_replicas: int(&v["readyReplicas"]),
        available_replicas: int(&v["availableReplicas"]),
        observed_generation: v["observedGeneration"].as_i64().unwrap_or(0),
        ..Default::default()
    }
}

fn deployment_complete(i: &Value, _: &Value) -> Result<Value, String> {
    let mut d = deployment_in(i, "desired")?;
    d.metadata.generation = i["generation"].as_i64().unwrap_or(0);
    let status = DeploymentStatus {
        replicas: int(&i["statusReplicas"]),
        updated_replicas: int(&i["updatedReplicas"]),
        available_replicas: int(&i["availableReplicas"]),
        observed_generation: i["observedGeneration"].as_i64().unwrap_or(0),
        ..Default::default()
    };
    Ok(json!({"complete": util::deployment_complete(&d, &status)}))
}

fn deployment_progressing(i: &Value, _: &Value) -> Result<Value, String> {
    Ok(
        json!({"progressing": util::deployment_progressing(&status_of(&i["oldStatus"]), &status_of(&i["newStatus"]))}),
    )
}

fn conditions(v: &Value) -> Vec<Condition> {
    v.as_array()
        .into_iter()
        .flatten()
        .map(|c| Condition {
            type_: util::PROGRESSING,
            status: intern(c["status"].as_str().unwrap_or("")),
            reason: intern(c["reason"].as_str().unwrap_or("")),
            message: String::new(),
            last_update: timestamp(&c["lastUpdateTime"]),
            last_transition: timestamp(&c["lastTransitionTime"]),
        })
        .collect()
}

/// Condition fields are static strings in the simulator; vectors only use these.
fn intern(s: &str) -> &'static str {
    const KNOWN: &[&str] = &[
        "True",
        "False",
        "Unknown",
        "",
        util::NEW_RS_AVAILABLE,
        util::TIMED_OUT,
        util::RS_UPDATED,
        util::NEW_RS_CREATED,
        util::FOUND_NEW_RS,
        "DeploymentPaused",
        "DeploymentResumed",
    ];
    KNOWN.iter().find(|k| **k == s).copied().unwrap_or("other")
}

fn progress_deployment(i: &Value) -> Result<Deployment, String> {
    let dv = &i["deployment"];
    let mut d = deployment(
        &dv["replicas"],
        &json!("Recreate"),
        &Value::Null,
        &Value::Null,
    )?;
    d.spec.progress_deadline_seconds = i["progressDeadlineSeconds"].as_i64().map(|n| n as i32);
    d.status = status_of(dv);
    // In the deployment tuple `replicas` is the spec; the status count is `statusReplicas` only.
    d.status.replicas = int(&dv["statusReplicas"]);
    d.status.conditions = conditions(&i["conditions"]);
    Ok(d)
}

fn deployment_timed_out(i: &Value, _: &Value) -> Result<Value, String> {
    let mut d = deployment(&json!(1), &Value::Null, &Value::Null, &Value::Null)?;
    d.spec.progress_deadline_seconds = i["progressDeadlineSeconds"].as_i64().map(|n| n as i32);
    let status = DeploymentStatus {
        conditions: conditions(&json!([i["progressingCondition"]])),
        ..Default::default()
    };
    Ok(json!({"timedOut": util::deployment_timed_out(&d, &status, timestamp(&i["now"]))}))
}

fn requeue_stuck_deployment(i: &Value, _: &Value) -> Result<Value, String> {
    let d = progress_deployment(i)?;
    let new_status = status_of(&i["newStatus"]);
    let after =
        deployment::progress::requeue_stuck_deployment(&d, &new_status, timestamp(&i["now"]));
    Ok(json!({"requeueAfterSeconds": after.map_or(-1.0, |ms| ms as f64 / 1000.0)}))
}

fn sync_rollout_status(i: &Value, _: &Value) -> Result<Value, String> {
    let mut d = progress_deployment(i)?;
    let mut rss: Vec<ReplicaSet> = i["allRSs"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|v| replica_set(v, 1))
        .collect();
    let new = (!i["newRS"].is_null()).then(|| {
        rss.push(replica_set(&i["newRS"], 2));
        rss.len() - 1
    });
    let before = d.status.condition(util::PROGRESSING).cloned();
    let now = match &i["now"] {
        Value::String(_) => timestamp(&i["now"]),
        _ => wall_clock_after(i),
    };
    with_sync(&mut d, &mut rss, now, |s| {
        deployment::progress::sync_rollout_status(s, new)
    });
    Ok(match d.status.condition(util::PROGRESSING) {
        None => Value::Null,
        Some(c) => {
            let when = |t: Ms, old: Option<Ms>| {
                if t == now && old != Some(now) {
                    "now"
                } else {
                    "kept"
                }
            };
            json!({"progressing": {
                "status": c.status,
                "reason": c.reason,
                "lastUpdateTime": when(c.last_update, before.as_ref().map(|b| b.last_update)),
                "lastTransitionTime": when(c.last_transition, before.as_ref().map(|b| b.last_transition)),
            }})
        }
    })
}

// ---- history, recreate, counts, pods -------------------------------------------------------

fn cleanup_deployment(i: &Value, _: &Value) -> Result<Value, String> {
    let old: Vec<ReplicaSet> = i["oldRSs"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
        .map(|(k, v)| replica_set(v, k as u64))
        .collect();
    let refs: Vec<&ReplicaSet> = old.iter().collect();
    let gate = i["featureGates_PodReplacementPolicy_and_TerminatingReplicas"]
        .as_bool()
        .unwrap_or(false);
    let deleted = deployment::history::deletable_old_replica_sets(
        &refs,
        int(&i["revisionHistoryLimit"]),
        gate,
    );
    Ok(json!({"deletions": deleted.len(), "deleted": deleted}))
}

fn old_pods_running(i: &Value, _: &Value) -> Result<Value, String> {
    // Upstream keys pods by RS UID strings; number them in order of appearance.
    let mut uids: Vec<String> = Vec::new();
    let mut uid_of = |s: &str| match uids.iter().position(|u| u == s) {
        Some(k) => k as u64 + 1,
        None => {
            uids.push(s.to_string());
            uids.len() as u64
        }
    };
    let new_uid = i["newRS"]["uid"].as_str().map(&mut uid_of);
    let old: Vec<ReplicaSet> = i["oldRSs"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|v| replica_set(v, uid_of(v["uid"].as_str().unwrap_or(""))))
        .collect();
    let mut pods = Vec::new();
    for (uid, phases) in i["podMap"].as_object().into_iter().flatten() {
        let owner = uid_of(uid);
        for phase in phases.as_array().into_iter().flatten() {
            let phase = match phase.as_str().unwrap_or("") {
                "Pending" => PodPhase::Pending,
                "Succeeded" => PodPhase::Succeeded,
                "Failed" => PodPhase::Failed,
                "Unknown" => PodPhase::Unknown,
                _ => PodPhase::Running,
            };
            pods.push((owner, phase));
        }
    }
    let refs: Vec<&ReplicaSet> = old.iter().collect();
    Ok(json!({"hasOldPodsRunning": deployment::recreate::old_pods_running(new_uid, &refs, &pods)}))
}

fn replica_counts(i: &Value, _: &Value) -> Result<Value, String> {
    let rss: Vec<ReplicaSet> = i["replicaSets"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|v| replica_set(v, 1))
        .collect();
    Ok(json!({
        "specTotal": util::spec_total(&rss),
        "actualTotal": util::actual_total(&rss),
        "terminatingTotal": util::terminating_total(&rss),
    }))
}

fn is_pod_available(i: &Value, _: &Value) -> Result<Value, String> {
    let now = 1_000_000;
    // readySecondsAgo null = the Ready condition has no transition time.
    let ready_since = i["readySecondsAgo"].as_i64().map(|ago| now - ago * 1000);
    let ready = i["ready"].as_bool() == Some(true);
    let available = util::is_pod_available(ready, ready_since, int(&i["minReadySeconds"]), now);
    Ok(json!({"available": available}))
}

fn prober_sequence(i: &Value, expected: &Value) -> Result<Value, String> {
    let probe_type = match i["probeType"].as_str() {
        Some("readiness") => ProbeType::Readiness,
        Some("liveness") => ProbeType::Liveness,
        Some("startup") => ProbeType::Startup,
        other => return Err(format!("unknown probe type {other:?}")),
    };
    let mut w = Worker::new(
        probe_type,
        i["successThreshold"].as_i64().unwrap_or(1),
        i["failureThreshold"].as_i64().unwrap_or(3),
        i["initialDelaySeconds"].as_i64().unwrap_or(0),
    );
    let mut started = i["containerStarted"].as_bool().unwrap_or(true);
    let steps = expected["steps"]
        .as_array()
        .ok_or("unsupported: a descriptive case without steps to replay")?;
    let mut out = Vec::new();
    for step in steps {
        let text = step[0].as_str().unwrap_or_default();
        // A step is a chain of actions, "SET started=true, then NEW_CONTAINER_ID then Success":
        // everything before the last "then" changes the container, the last part is the outcome.
        let mut parts: Vec<&str> = text.split("then ").collect();
        let last = parts.last().copied().unwrap_or(text);
        let probes = last.starts_with("Success") || last.starts_with("Failure");
        let outcome = if probes {
            parts.pop().unwrap_or(text)
        } else {
            ""
        };
        for action in parts {
            let action = action.trim().trim_end_matches(',');
            match action {
                "SET started=true" => started = true,
                "SET started=false" => started = false,
                "NEW_CONTAINER_ID" => w.new_container(),
                other => return Err(format!("unsupported step action {other:?}")),
            }
        }
        let raw = if outcome.starts_with("Success") {
            ProbeResult::Success
        } else {
            ProbeResult::Failure
        };
        if probes && w.should_probe(started, i["secondsSinceStart"].as_i64().unwrap_or(i64::MAX)) {
            w.record(raw);
        }
        let mine = [
            json!(text),
            json!(result_name(w.cached)),
            json!(w.result_run),
            json!(if w.on_hold { "onHold" } else { "" }),
        ];
        let fields = step.as_array().map_or(2, Vec::len);
        out.push(Value::Array(mine[..fields.min(4)].to_vec()));
    }
    Ok(json!({ "steps": out }))
}

fn result_name(r: ProbeResult) -> &'static str {
    match r {
        ProbeResult::Unknown => "Unknown",
        ProbeResult::Success => "Success",
        ProbeResult::Failure => "Failure",
    }
}

// ---- Argo Rollouts canary arithmetic -------------------------------------------------------

use crate::rollouts::replicaset::{self as canary, Canary, Rs};

fn argo_rs(v: &Value) -> Option<Rs> {
    (!v.is_null()).then(|| Rs {
        name: v["name"].as_str().unwrap_or_default().to_string(),
        replicas: int(&v["specReplicas"]),
        available: int(&v["availableReplicas"]),
    })
}

fn argo_canary(i: &Value) -> Result<Canary, String> {
    let status = &i["status"];
    let steps = i["steps"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|s| canary::Step {
            set_weight: s["setWeight"].as_i64().map(|w| w as i32),
            set_canary_scale: (!s["setCanaryScale"].is_null()).then(|| canary::SetCanaryScale {
                replicas: s["setCanaryScale"]["replicas"].as_i64().map(|r| r as i32),
                weight: s["setCanaryScale"]["weight"].as_i64().map(|w| w as i32),
                match_traffic_weight: s["setCanaryScale"]["matchTrafficWeight"]
                    .as_bool()
                    .unwrap_or(false),
            }),
        })
        .collect();
    Ok(Canary {
        replicas: int(&i["rolloutSpecReplicas"]),
        steps,
        current_step_index: i["currentStepIndex"].as_i64().map(|n| n as i32),
        max_surge: int_or_string(&i["maxSurge"])?,
        max_unavailable: int_or_string(&i["maxUnavailable"])?,
        traffic_routing: i["trafficRouting"].as_bool().unwrap_or(false),
        dynamic_stable_scale: i["dynamicStableScale"].as_bool().unwrap_or(false),
        abort_scale_down_delay_seconds: i["abortScaleDownDelaySeconds"].as_i64().map(|n| n as i32),
        min_pods_per_replica_set: i["minPodsPerReplicaSet"].as_i64().map(|n| n as i32),
        max_weight: i["maxTrafficWeight"].as_i64().map_or(100, |n| n as i32),
        promote_full: status["promoteFull"].as_bool().unwrap_or(false),
        abort: status["abort"].as_bool().unwrap_or(false),
        stable_hash: status["stableRS"].as_str().unwrap_or_default().to_string(),
        current_pod_hash: status["currentPodHash"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
    })
}

fn argo_canary_counts(i: &Value, _: &Value) -> Result<Value, String> {
    let c = argo_canary(i)?;
    let (new, stable) = (argo_rs(&i["canaryRS"]), argo_rs(&i["stableRS"]));
    let (canary_count, stable_count) = if c.traffic_routing {
        let w = &i["currentTrafficWeights"];
        let weights = (!w.is_null()).then(|| (int(&w["canary"]), int(&w["stable"])));
        canary::replica_counts_for_traffic_routed_canary(
            &c,
            weights,
            new.is_some() || stable.is_some(),
        )
    } else {
        let older: Vec<Rs> = i["olderRSs"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(argo_rs)
            .collect();
        canary::replica_counts_for_basic_canary(&c, new.as_ref(), stable.as_ref(), &older)
    };
    Ok(json!({"canaryReplicas": canary_count, "stableReplicas": stable_count}))
}

fn argo_approximate(i: &Value, _: &Value) -> Result<Value, String> {
    let (c, s) = canary::approximate_weighted_canary_stable_replica_counts(
        int(&i["replicas"]),
        int(&i["weight"]),
        int(&i["maxWeight"]).max(1),
        int(&i["maxSurge"]),
    );
    Ok(json!({"canary": c, "stable": s}))
}

fn argo_replicas_for_scale_down(i: &Value, _: &Value) -> Result<Value, String> {
    let rs = argo_rs(&i["rs"]);
    let n = canary::replicas_for_scale_down(
        rs.as_ref(),
        i["ignoreAvailability"].as_bool().unwrap_or(false),
    );
    Ok(json!({"replicas": n}))
}

fn argo_traffic_weight_to_replicas(i: &Value, _: &Value) -> Result<Value, String> {
    Ok(
        json!({"replicas": canary::traffic_weight_to_replicas(int(&i["replicas"]), int(&i["weight"]), int(&i["maxWeight"]))}),
    )
}

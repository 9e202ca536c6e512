//! Reads Argo objects from the parsed YAML tree, field by field, with Argo's defaults.
//! (`write` writes them back.)
use super::api::*;
use crate::yaml::read::{Error, Obj, R};
use serde_json::Value;

pub fn rollout(v: &Value) -> R<Rollout> {
    let o = Obj::new(v, "")?;
    let s = o.required_obj("spec")?;
    let st = s.required_obj("strategy")?;
    let workload_ref = s
        .obj("workloadRef")?
        .map(|w| {
            Ok::<_, Error>(WorkloadRef {
                api_version: w.string("apiVersion")?.unwrap_or_default(),
                kind: w.required_string("kind")?,
                name: w.required_string("name")?,
            })
        })
        .transpose()?;
    // With a workloadRef the template and the selector may come from the Deployment.
    let (template, selector) = match (&workload_ref, s.obj("template")?, s.obj("selector")?) {
        (Some(_), t, sel) => (
            t.map(|t| crate::read::template(&t))
                .transpose()?
                .unwrap_or_default(),
            sel.map(|sel| crate::read::selector(&sel))
                .transpose()?
                .unwrap_or_default(),
        ),
        (None, _, _) => (
            crate::read::template(&s.required_obj("template")?)?,
            crate::read::selector(&s.required_obj("selector")?)?,
        ),
    };
    Ok(Rollout {
        metadata: crate::read::metadata(&o.required_obj("metadata")?)?,
        spec: RolloutSpec {
            replicas: s.int("replicas")?.unwrap_or(1),
            selector,
            template,
            workload_ref,
            min_ready_seconds: s.int("minReadySeconds")?.unwrap_or(0),
            revision_history_limit: s.int("revisionHistoryLimit")?.unwrap_or(10),
            paused: s.bool("paused")?.unwrap_or(false),
            progress_deadline_seconds: s.int("progressDeadlineSeconds")?.unwrap_or(600),
            strategy: RolloutStrategy {
                blue_green: st.obj("blueGreen")?.map(|b| blue_green(&b)).transpose()?,
                canary: st.obj("canary")?.map(|c| canary(&c)).transpose()?,
            },
        },
        status: RolloutStatus::default(),
    })
}

fn analysis(o: &Obj<'_>, key: &str) -> R<Option<RolloutAnalysis>> {
    o.obj(key)?
        .map(|a| {
            Ok(RolloutAnalysis {
                templates: a.list("templates", |t| {
                    Ok(TemplateRef {
                        template_name: t.required_string("templateName")?,
                        cluster_scope: t.bool("clusterScope")?.unwrap_or(false),
                    })
                })?,
            })
        })
        .transpose()
}

fn blue_green(b: &Obj<'_>) -> R<BlueGreen> {
    BlueGreen {
        pre_promotion_analysis: analysis(b, "prePromotionAnalysis")?,
        post_promotion_analysis: analysis(b, "postPromotionAnalysis")?,
        ..BlueGreen::default()
    }
    .read_table(b)
}

fn canary(c: &Obj<'_>) -> R<Canary> {
    Ok(Canary {
        canary_service: c.string("canaryService")?,
        stable_service: c.string("stableService")?,
        max_surge: c.int_or_string("maxSurge")?,
        max_unavailable: c.int_or_string("maxUnavailable")?,
        steps: c.list("steps", step)?,
        traffic_routing: c
            .obj("trafficRouting")?
            .map(|t| {
                let provider = PROVIDERS
                    .iter()
                    .find_map(|p| t.get(p).map(|c| (p.to_string(), c.clone())));
                Ok::<_, Error>(TrafficRouting {
                    provider,
                    max_traffic_weight: t.int("maxTrafficWeight")?,
                    managed_routes: t.list("managedRoutes", |m| {
                        Ok(ManagedRoute {
                            name: m.required_string("name")?,
                        })
                    })?,
                })
            })
            .transpose()?,
        dynamic_stable_scale: c.bool("dynamicStableScale")?.unwrap_or(false),
        abort_scale_down_delay_seconds: c.int("abortScaleDownDelaySeconds")?,
        scale_down_delay_seconds: c.int("scaleDownDelaySeconds")?,
        min_pods_per_replica_set: c.int("minPodsPerReplicaSet")?,
        analysis: analysis(c, "analysis")?,
    })
}

fn string_match(o: &Obj<'_>) -> R<StringMatch> {
    Ok(StringMatch {
        exact: o.string("exact")?,
        prefix: o.string("prefix")?,
        regex: o.string("regex")?,
    })
}

fn step(s: &Obj<'_>) -> R<CanaryStep> {
    Ok(CanaryStep {
        set_weight: s.int("setWeight")?,
        pause: s
            .obj("pause")?
            .map(|p| {
                Ok::<_, Error>(Pause {
                    duration: p.int_or_string("duration")?,
                })
            })
            .transpose()?,
        set_canary_scale: s
            .obj("setCanaryScale")?
            .map(|x| {
                Ok::<_, Error>(SetCanaryScale {
                    replicas: x.int("replicas")?,
                    weight: x.int("weight")?,
                    match_traffic_weight: x.bool("matchTrafficWeight")?.unwrap_or(false),
                })
            })
            .transpose()?,
        analysis: analysis(s, "analysis")?,
        set_header_route: s
            .obj("setHeaderRoute")?
            .map(|h| {
                Ok::<_, Error>(SetHeaderRoute {
                    name: h.required_string("name")?,
                    r#match: h.list("match", |m| {
                        Ok(HeaderMatch {
                            header_name: m.required_string("headerName")?,
                            header_value: string_match(&m.required_obj("headerValue")?)?,
                        })
                    })?,
                })
            })
            .transpose()?,
        set_mirror_route: s
            .obj("setMirrorRoute")?
            .map(|m| {
                let entries = match m.get("match") {
                    Some(Value::Array(items)) => items.clone(),
                    Some(v) => return Err(m.wrong("match", "a list", v)),
                    None => Vec::new(),
                };
                Ok(SetMirrorRoute {
                    name: m.required_string("name")?,
                    percentage: m.int("percentage")?,
                    r#match: entries,
                })
            })
            .transpose()?,
        // Any other key (an experiment, say) leaves the step empty; validation says so.
        other: s.unknown(&STEP_KINDS).into_iter().next(),
    })
}

const STEP_KINDS: [&str; 6] = [
    "setWeight",
    "pause",
    "setCanaryScale",
    "analysis",
    "setHeaderRoute",
    "setMirrorRoute",
];

pub fn analysis_template(v: &Value) -> R<AnalysisTemplate> {
    let o = Obj::new(v, "")?;
    let spec = o.required_obj("spec")?;
    Ok(AnalysisTemplate {
        metadata: crate::read::metadata(&o.required_obj("metadata")?)?,
        spec: AnalysisTemplateSpec {
            metrics: spec.list("metrics", metric)?,
        },
        cluster_scoped: o.string("kind")?.as_deref() == Some("ClusterAnalysisTemplate"),
    })
}

fn metric(m: &Obj<'_>) -> R<Metric> {
    let provider = m.required_obj("provider")?;
    Ok(Metric {
        name: m.required_string("name")?,
        interval: m.string("interval")?,
        initial_delay: m.string("initialDelay")?,
        count: m.int("count")?,
        failure_limit: m.int("failureLimit")?.unwrap_or(0),
        consecutive_error_limit: m.int("consecutiveErrorLimit")?,
        success_condition: m.string("successCondition")?,
        failure_condition: m.string("failureCondition")?,
        provider: Provider {
            simulation: provider
                .obj("simulation")?
                .map(|s| {
                    const MEASURES: [&str; 5] = [
                        "error-rate",
                        "success-rate",
                        "p95-latency",
                        "request-rate",
                        "smoke-test",
                    ];
                    const MEASURE: [Measure; 5] = [
                        Measure::ErrorRate,
                        Measure::SuccessRate,
                        Measure::P95Latency,
                        Measure::RequestRate,
                        Measure::SmokeTest,
                    ];
                    let measure = s
                        .word("measure", &MEASURES)?
                        .ok_or_else(|| s.missing("measure"))?;
                    const VERSIONS: [VersionFilter; 3] = [
                        VersionFilter::Canary,
                        VersionFilter::Stable,
                        VersionFilter::All,
                    ];
                    let version = s.word("version", &["canary", "stable", "all"])?;
                    Ok::<_, Error>(SimulationMetric {
                        measure: MEASURE[measure],
                        version: version.map_or(VersionFilter::Canary, |i| VERSIONS[i]),
                        window: s.string("window")?.unwrap_or_else(|| "30s".into()),
                        requests: s.uint("requests")?.unwrap_or(20),
                    })
                })
                .transpose()?,
        },
    })
}

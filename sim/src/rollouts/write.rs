//! Argo objects back to the JSON tree, as `read` reads them (defaults written, unset options
//! left out).
use super::api::*;
use crate::write::{intstr, labels, metadata, template, Out};
use serde_json::Value;

pub fn rollout(r: &Rollout) -> Value {
    let s = &r.spec;
    let strategy = Out::new()
        .opt("blueGreen", s.strategy.blue_green.as_ref().map(blue_green))
        .opt("canary", s.strategy.canary.as_ref().map(canary));
    let workload_ref = s.workload_ref.as_ref().map(|w| {
        Out::new()
            .put("apiVersion", w.api_version.clone())
            .put("kind", w.kind.clone())
            .put("name", w.name.clone())
    });
    // A workloadRef Rollout stores no template of its own (Argo resolves it at each sync).
    let own_template = (s.workload_ref.is_none()).then(|| template(&s.template));
    let selector = (!s.selector.match_labels.is_empty() || s.workload_ref.is_none())
        .then(|| Out::new().put("matchLabels", labels(&s.selector.match_labels)));
    let spec = Out::new()
        .put("replicas", s.replicas)
        .opt("selector", selector)
        .opt("workloadRef", workload_ref)
        .opt("template", own_template)
        .put("minReadySeconds", s.min_ready_seconds)
        .put("revisionHistoryLimit", s.revision_history_limit)
        .flag("paused", s.paused)
        .put("progressDeadlineSeconds", s.progress_deadline_seconds)
        .put("strategy", strategy);
    Out::new()
        .put("metadata", metadata(&r.metadata))
        .put("spec", spec)
        .done()
}

fn analysis(a: &RolloutAnalysis) -> Value {
    Out::new()
        .put(
            "templates",
            a.templates
                .iter()
                .map(|t| {
                    Out::new()
                        .put("templateName", t.template_name.clone())
                        .flag("clusterScope", t.cluster_scope)
                        .done()
                })
                .collect::<Vec<_>>(),
        )
        .done()
}

fn blue_green(b: &BlueGreen) -> Value {
    b.write_table(Out::new())
        .opt(
            "prePromotionAnalysis",
            b.pre_promotion_analysis.as_ref().map(analysis),
        )
        .opt(
            "postPromotionAnalysis",
            b.post_promotion_analysis.as_ref().map(analysis),
        )
        .done()
}

fn canary(c: &Canary) -> Value {
    let routing = c.traffic_routing.as_ref().map(|t| {
        let out = match &t.provider {
            Some((name, config)) => Out::new().put(name, config.clone()),
            None => Out::new(),
        };
        out.opt("maxTrafficWeight", t.max_traffic_weight).list(
            "managedRoutes",
            &t.managed_routes,
            |m| Out::new().put("name", m.name.clone()).done(),
        )
    });
    Out::new()
        .opt("canaryService", c.canary_service.clone())
        .opt("stableService", c.stable_service.clone())
        .opt("maxSurge", c.max_surge.as_ref().map(intstr))
        .opt("maxUnavailable", c.max_unavailable.as_ref().map(intstr))
        .list("steps", &c.steps, step)
        .opt("trafficRouting", routing)
        .flag("dynamicStableScale", c.dynamic_stable_scale)
        .opt(
            "abortScaleDownDelaySeconds",
            c.abort_scale_down_delay_seconds,
        )
        .opt("scaleDownDelaySeconds", c.scale_down_delay_seconds)
        .opt("minPodsPerReplicaSet", c.min_pods_per_replica_set)
        .opt("analysis", c.analysis.as_ref().map(analysis))
        .done()
}

fn string_match(m: &StringMatch) -> Value {
    Out::new()
        .opt("exact", m.exact.clone())
        .opt("prefix", m.prefix.clone())
        .opt("regex", m.regex.clone())
        .done()
}

fn step(s: &CanaryStep) -> Value {
    Out::new()
        .opt("setWeight", s.set_weight)
        .opt(
            "pause",
            s.pause
                .as_ref()
                .map(|p| Out::new().opt("duration", p.duration.as_ref().map(intstr))),
        )
        .opt(
            "setCanaryScale",
            s.set_canary_scale.as_ref().map(|x| {
                Out::new()
                    .opt("replicas", x.replicas)
                    .opt("weight", x.weight)
                    .flag("matchTrafficWeight", x.match_traffic_weight)
            }),
        )
        .opt("analysis", s.analysis.as_ref().map(analysis))
        .opt(
            "setHeaderRoute",
            s.set_header_route.as_ref().map(|h| {
                Out::new()
                    .put("name", h.name.clone())
                    .list("match", &h.r#match, |m| {
                        Out::new()
                            .put("headerName", m.header_name.clone())
                            .put("headerValue", string_match(&m.header_value))
                            .done()
                    })
            }),
        )
        .opt(
            "setMirrorRoute",
            s.set_mirror_route.as_ref().map(|m| {
                Out::new()
                    .put("name", m.name.clone())
                    .opt("percentage", m.percentage)
                    .list("match", &m.r#match, Clone::clone)
            }),
        )
        .done()
}

pub fn analysis_template(t: &AnalysisTemplate) -> Value {
    let metrics: Vec<Value> = t.spec.metrics.iter().map(metric).collect();
    Out::new()
        .put("metadata", metadata(&t.metadata))
        .put("spec", Out::new().put("metrics", metrics))
        .done()
}

fn metric(m: &Metric) -> Value {
    let provider = m.provider.simulation.as_ref().map(|s| {
        let measure = match s.measure {
            Measure::ErrorRate => "error-rate",
            Measure::SuccessRate => "success-rate",
            Measure::P95Latency => "p95-latency",
            Measure::RequestRate => "request-rate",
            Measure::SmokeTest => "smoke-test",
        };
        let version = match s.version {
            VersionFilter::Canary => "canary",
            VersionFilter::Stable => "stable",
            VersionFilter::All => "all",
        };
        Out::new()
            .put("measure", measure)
            .put("version", version)
            .put("window", s.window.clone())
            .put("requests", s.requests)
    });
    Out::new()
        .put("name", m.name.clone())
        .opt("interval", m.interval.clone())
        .opt("initialDelay", m.initial_delay.clone())
        .opt("count", m.count)
        .put("failureLimit", m.failure_limit)
        .opt("consecutiveErrorLimit", m.consecutive_error_limit)
        .opt("successCondition", m.success_condition.clone())
        .opt("failureCondition", m.failure_condition.clone())
        .put("provider", Out::new().opt("simulation", provider))
        .done()
}

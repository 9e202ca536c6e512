//! Argo Rollouts objects (argoproj.io/v1alpha1) as the simulation stores them: `Rollout` and
//! `AnalysisTemplate`, with Argo's defaults (`utils/defaults/defaults.go`) applied where they are
//! read. Unmodelled fields are kept verbatim, as for the core kinds.
use crate::api::{LabelSelector, ObjectMeta, PodTemplateSpec};
use crate::fields::{object, Opt, Required};
use crate::intstr::IntOrString;
use crate::time::{parse_duration, Ms, SECOND};

/// The label Argo adds to pods, ReplicaSets and the Service selectors it manages.
pub const ROLLOUT_HASH: &str = "rollouts-pod-template-hash";
pub use crate::api::ROLLOUT_REVISION;
/// When an old ReplicaSet kept up after a switch may be scaled down (BG-4, AC-5).
pub const SCALE_DOWN_DEADLINE: &str = "argo-rollouts.argoproj.io/scale-down-deadline";

#[derive(Clone, Debug, PartialEq)]
pub struct Rollout {
    pub metadata: ObjectMeta,
    pub spec: RolloutSpec,
    pub status: RolloutStatus,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RolloutSpec {
    pub replicas: i32,
    pub selector: LabelSelector,
    /// Empty when `workload_ref` names where it comes from (resolved at each sync).
    pub template: PodTemplateSpec,
    /// `workloadRef`: the Deployment whose pod template the Rollout runs.
    pub workload_ref: Option<WorkloadRef>,
    pub min_ready_seconds: i32,
    pub revision_history_limit: i32,
    pub paused: bool,
    pub progress_deadline_seconds: i32,
    pub strategy: RolloutStrategy,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct WorkloadRef {
    pub api_version: String,
    pub kind: String,
    pub name: String,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct RolloutStrategy {
    pub blue_green: Option<BlueGreen>,
    pub canary: Option<Canary>,
}

object! {
    #[derive(Clone, Debug, Default, PartialEq)]
    pub struct BlueGreen {
        pub active_service: String = "activeService" as Required,
        pub preview_service: Option<String> = "previewService" as Opt,
        /// BG-3: true unless set.
        pub auto_promotion_enabled: Option<bool> = "autoPromotionEnabled" as Opt,
        pub auto_promotion_seconds: Option<i32> = "autoPromotionSeconds" as Opt,
        /// BG-4: 30 s unless set.
        pub scale_down_delay_seconds: Option<i32> = "scaleDownDelaySeconds" as Opt,
        pub preview_replica_count: Option<i32> = "previewReplicaCount" as Opt,
        pub abort_scale_down_delay_seconds: Option<i32> = "abortScaleDownDelaySeconds" as Opt,
        pub pre_promotion_analysis: Option<RolloutAnalysis>,
        pub post_promotion_analysis: Option<RolloutAnalysis>,
    }
}

impl BlueGreen {
    pub fn auto_promotion(&self) -> bool {
        self.auto_promotion_enabled.unwrap_or(true)
    }
    pub fn scale_down_delay(&self) -> Ms {
        Ms::from(self.scale_down_delay_seconds.unwrap_or(30).max(0)) * SECOND
    }
    pub fn abort_scale_down_delay(&self) -> Ms {
        Ms::from(self.abort_scale_down_delay_seconds.unwrap_or(30).max(0)) * SECOND
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Canary {
    pub canary_service: Option<String>,
    pub stable_service: Option<String>,
    pub max_surge: Option<IntOrString>,
    pub max_unavailable: Option<IntOrString>,
    pub steps: Vec<CanaryStep>,
    pub traffic_routing: Option<TrafficRouting>,
    pub dynamic_stable_scale: bool,
    pub abort_scale_down_delay_seconds: Option<i32>,
    pub scale_down_delay_seconds: Option<i32>,
    pub min_pods_per_replica_set: Option<i32>,
    /// Background analysis: runs for the whole update, aborts it on failure.
    pub analysis: Option<RolloutAnalysis>,
}

impl Canary {
    /// AC-5: after an abort the canary scales down 30 s later with traffic routing, at once
    /// without; `None`: never (abortScaleDownDelaySeconds: 0 with traffic routing).
    pub fn abort_scale_down_delay(&self) -> Option<Ms> {
        match (&self.traffic_routing, self.abort_scale_down_delay_seconds) {
            (Some(_), Some(0)) => None,
            (Some(_), None) => Some(30 * SECOND),
            (_, Some(s)) => Some(Ms::from(s.max(0)) * SECOND),
            (None, None) => Some(0),
        }
    }
    /// AC-5: with traffic routing the old stable waits 30 s after promotion before scaling down.
    pub fn scale_down_delay(&self) -> Ms {
        match (&self.traffic_routing, self.scale_down_delay_seconds) {
            (Some(_), None) => 30 * SECOND,
            (_, Some(s)) => Ms::from(s.max(0)) * SECOND,
            (None, None) => 0,
        }
    }
    pub fn max_weight(&self) -> i32 {
        self.traffic_routing
            .as_ref()
            .and_then(|t| t.max_traffic_weight)
            .unwrap_or(100)
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct CanaryStep {
    pub set_weight: Option<i32>,
    pub pause: Option<Pause>,
    pub set_canary_scale: Option<SetCanaryScale>,
    pub analysis: Option<RolloutAnalysis>,
    pub set_header_route: Option<SetHeaderRoute>,
    pub set_mirror_route: Option<SetMirrorRoute>,
    /// A step kind the simulation does not know (an experiment, say).
    pub other: Option<String>,
}

impl CanaryStep {
    /// How `kubectl argo rollouts get rollout` names the step.
    pub fn describe(&self) -> String {
        match self {
            CanaryStep {
                set_weight: Some(w),
                ..
            } => format!("setWeight: {w}"),
            CanaryStep { pause: Some(p), .. } => match p.duration_ms() {
                Some(d) => format!("pause: {}", crate::time::fmt_secs(d)),
                None => "pause (until promoted)".into(),
            },
            CanaryStep {
                set_canary_scale: Some(s),
                ..
            } => match (s.replicas, s.weight) {
                (Some(r), _) => format!("setCanaryScale: {r} replicas"),
                (_, Some(w)) => format!("setCanaryScale: {w}%"),
                _ => "setCanaryScale: matchTrafficWeight".into(),
            },
            CanaryStep {
                analysis: Some(a), ..
            } => format!("analysis: {}", a.names()),
            CanaryStep {
                set_header_route: Some(h),
                ..
            } => format!("setHeaderRoute: {}", h.name),
            CanaryStep {
                set_mirror_route: Some(m),
                ..
            } => format!("setMirrorRoute: {}", m.name),
            _ => "unknown step".into(),
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Pause {
    pub duration: Option<IntOrString>,
}

impl Pause {
    /// `10` (seconds), `"30s"`, `"1m"`; `None`: paused until promoted.
    pub fn duration_ms(&self) -> Option<Ms> {
        match self.duration.as_ref()? {
            IntOrString::Int(s) => Some(Ms::from(*s) * SECOND),
            IntOrString::String(s) => parse_duration(s).ok(),
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct SetCanaryScale {
    pub replicas: Option<i32>,
    pub weight: Option<i32>,
    pub match_traffic_weight: bool,
}

#[derive(Clone, Debug, Default, PartialEq)]
/// The provider (nginx, istio, smi, alb, plugins...) is not read: the simulation's router stands
/// in for whichever is named.
pub struct TrafficRouting {
    pub max_traffic_weight: Option<i32>,
    pub managed_routes: Vec<ManagedRoute>,
    /// Which router the simulated one stands in for (`nginx`, `alb`, `istio` …) and its
    /// settings, kept as written.
    pub provider: Option<(String, serde_json::Value)>,
}

/// The traffic providers Argo knows, by the key `trafficRouting` names them with.
pub const PROVIDERS: [&str; 9] = [
    "nginx",
    "alb",
    "istio",
    "smi",
    "apisix",
    "ambassador",
    "appMesh",
    "traefik",
    "plugins",
];

impl TrafficRouting {
    /// `requireCanaryStableServices` (Argo's validation): most providers route between the
    /// canary and stable Services; Istio subsets and plugins do not need them.
    pub fn needs_services(&self) -> bool {
        match &self.provider {
            Some((name, config)) if name == "istio" => config.get("destinationRule").is_none(),
            Some((name, _)) => name != "plugins",
            None => false,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ManagedRoute {
    pub name: String,
}

/// A/B: requests whose header matches go to the canary, whatever the weight.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SetHeaderRoute {
    pub name: String,
    /// No match list removes the route.
    pub r#match: Vec<HeaderMatch>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct HeaderMatch {
    pub header_name: String,
    pub header_value: StringMatch,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct StringMatch {
    pub exact: Option<String>,
    pub prefix: Option<String>,
    pub regex: Option<String>,
}

impl StringMatch {
    pub fn matches(&self, value: &str) -> bool {
        if let Some(e) = &self.exact {
            return value == e;
        }
        if let Some(p) = &self.prefix {
            return value.starts_with(p.as_str());
        }
        self.regex
            .as_deref()
            .is_some_and(|r| simple_regex(r, value))
    }
}

/// The regular expressions header routes are written with in practice: literal text, `.*`, and
/// the anchors `^` and `$` (unanchored otherwise, as RE2's partial match).
fn simple_regex(pattern: &str, value: &str) -> bool {
    let anchored_start = pattern.starts_with('^');
    let anchored_end = pattern.ends_with('$') && !pattern.ends_with("\\$");
    let body = pattern.trim_start_matches('^');
    let body = if anchored_end {
        &body[..body.len() - 1]
    } else {
        body
    };
    let parts: Vec<String> = body.split(".*").map(|p| p.replace('\\', "")).collect();
    let mut rest = value;
    for (i, part) in parts.iter().enumerate() {
        let first = i == 0;
        let last = i == parts.len() - 1;
        if first && anchored_start {
            let Some(r) = rest.strip_prefix(part.as_str()) else {
                return false;
            };
            rest = r;
        } else if last && anchored_end {
            return rest.ends_with(part.as_str());
        } else {
            let Some(at) = rest.find(part.as_str()) else {
                return false;
            };
            rest = &rest[at + part.len()..];
        }
    }
    true
}

/// Shadow traffic: a copy of matching requests (a percentage of them) goes to the canary; its
/// answer is discarded.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SetMirrorRoute {
    pub name: String,
    /// 100 unless set; no match list removes the route.
    pub percentage: Option<i32>,
    pub r#match: Vec<serde_json::Value>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct RolloutAnalysis {
    pub templates: Vec<TemplateRef>,
}

impl RolloutAnalysis {
    pub fn names(&self) -> String {
        let names: Vec<&str> = self
            .templates
            .iter()
            .map(|t| t.template_name.as_str())
            .collect();
        names.join(", ")
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct TemplateRef {
    pub template_name: String,
    /// `clusterScope: true`: a ClusterAnalysisTemplate.
    pub cluster_scope: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct AnalysisTemplate {
    pub metadata: ObjectMeta,
    pub spec: AnalysisTemplateSpec,
    /// A ClusterAnalysisTemplate: the same spec, for every namespace.
    pub cluster_scoped: bool,
}

impl AnalysisTemplate {
    /// Whether `r` refers to this template.
    pub fn is(&self, r: &TemplateRef) -> bool {
        self.metadata.name == r.template_name && self.cluster_scoped == r.cluster_scope
    }

    pub fn kind(&self) -> &'static str {
        if self.cluster_scoped {
            "ClusterAnalysisTemplate"
        } else {
            "AnalysisTemplate"
        }
    }
}

impl RolloutSpec {
    /// Every analysis the Rollout runs, with the path it is written at.
    pub fn analyses(&self) -> Vec<(String, &RolloutAnalysis)> {
        let mut out = Vec::new();
        let st = &self.strategy;
        if let Some(bg) = &st.blue_green {
            let pre = bg.pre_promotion_analysis.as_ref();
            out.extend(pre.map(|a| ("blueGreen.prePromotionAnalysis".to_string(), a)));
            let post = bg.post_promotion_analysis.as_ref();
            out.extend(post.map(|a| ("blueGreen.postPromotionAnalysis".to_string(), a)));
        }
        if let Some(c) = &st.canary {
            out.extend(
                c.analysis
                    .as_ref()
                    .map(|a| ("canary.analysis".to_string(), a)),
            );
            for (k, step) in c.steps.iter().enumerate() {
                let a = step.analysis.as_ref();
                out.extend(a.map(|a| (format!("canary.steps[{k}].analysis"), a)));
            }
        }
        out
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct AnalysisTemplateSpec {
    pub metrics: Vec<Metric>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Metric {
    pub name: String,
    /// `"30s"`; no interval means a single measurement.
    pub interval: Option<String>,
    pub initial_delay: Option<String>,
    /// Measurements to take; unset with an interval: until the rollout ends.
    pub count: Option<i32>,
    pub failure_limit: i32,
    pub consecutive_error_limit: Option<i32>,
    pub success_condition: Option<String>,
    pub failure_condition: Option<String>,
    pub provider: Provider,
}

impl Metric {
    pub fn interval_ms(&self) -> Option<Ms> {
        self.interval
            .as_deref()
            .and_then(|i| parse_duration(i).ok())
    }
    pub fn initial_delay_ms(&self) -> Ms {
        self.initial_delay
            .as_deref()
            .and_then(|i| parse_duration(i).ok())
            .unwrap_or(0)
    }
    /// Argo's default: 4 errors in a row make the metric Error.
    pub fn error_limit(&self) -> i32 {
        self.consecutive_error_limit.unwrap_or(4)
    }
}

/// Where a measurement comes from. Real providers (prometheus, datadog, web, job...) query systems
/// that do not exist here, so the simulation offers its own: the requests it simulated.
#[derive(Clone, Debug, PartialEq)]
pub struct Provider {
    pub simulation: Option<SimulationMetric>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SimulationMetric {
    /// error-rate, success-rate, p95-latency (ms) or request-rate (per second).
    pub measure: Measure,
    /// Which pods' answers count: canary (the new version), stable, or all.
    pub version: VersionFilter,
    /// How far back each measurement looks.
    pub window: String,
    /// smoke-test: how many test requests each measurement sends.
    pub requests: u32,
}

impl SimulationMetric {
    pub fn window_ms(&self) -> Ms {
        parse_duration(&self.window).unwrap_or(30 * SECOND).max(1)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Measure {
    ErrorRate,
    SuccessRate,
    P95Latency,
    RequestRate,
    /// The error rate of test requests sent straight to the version's ready pods, as a smoke-test
    /// Job does against a preview Service that clients do not reach yet.
    SmokeTest,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum VersionFilter {
    #[default]
    Canary,
    Stable,
    All,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Phase {
    #[default]
    Progressing,
    Paused,
    Healthy,
    Degraded,
}

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Progressing => "Progressing",
            Phase::Paused => "Paused",
            Phase::Healthy => "Healthy",
            Phase::Degraded => "Degraded",
        }
    }
}

/// What the controller writes back (`RolloutStatus`), reduced to what it reads again or shows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RolloutStatus {
    pub observed_generation: i64,
    /// The template hash of the newest ReplicaSet.
    pub current_pod_hash: String,
    /// The hash of the version that has been fully promoted; empty before the first.
    pub stable_rs: String,
    pub current_step_index: Option<i32>,
    /// When the current pause began (canary pause step or blue-green pause before promotion).
    pub pause_start: Option<Ms>,
    pub abort: bool,
    pub aborted_at: Option<Ms>,
    pub promote_full: bool,
    /// Set by `promote` to skip the current pause (or, for blue-green, the wait before switching).
    pub promoted: bool,
    /// The weight the step asks for, and the weight the router was last set to.
    pub desired_weight: i32,
    pub router_weight: i32,
    /// Blue-green: the hashes the active and preview Services select.
    pub active_selector: String,
    pub preview_selector: String,
    /// An analysis ended Inconclusive: Argo pauses the rollout until a person promotes or aborts.
    pub inconclusive: bool,
    /// Blue-green: the pause and pre-promotion analysis are over for this update (BG-5's
    /// `scaleUpPreviewCheckPoint`).
    pub preview_checkpoint: bool,
    /// The active hash before the last switch, for a post-promotion analysis that fails.
    pub previous_active: String,
    pub header_routes: Vec<SetHeaderRoute>,
    pub mirror_routes: Vec<SetMirrorRoute>,
    /// AnalysisRuns started for this update, by index into `Cluster::analysis_runs`.
    pub step_run: Option<usize>,
    pub background_run: Option<usize>,
    pub pre_promotion_run: Option<usize>,
    pub post_promotion_run: Option<usize>,
    pub phase: Phase,
    pub message: String,
    pub replicas: i32,
    pub updated_replicas: i32,
    pub ready_replicas: i32,
    pub available_replicas: i32,
    /// When the update to the current hash was finished (`Healthy`), for the summary.
    pub completed_at: Option<Ms>,
    /// What progress looked like last (hash, step, counts) and when it last changed, for
    /// `progressDeadlineSeconds`; and whether the deadline passed.
    pub progress: (String, Option<i32>, [i32; 4]),
    pub progress_at: Ms,
    pub timed_out: bool,
}

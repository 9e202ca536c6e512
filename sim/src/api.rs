//! Kubernetes objects as the simulation stores them: the manifest fields (parsed from real YAML,
//! defaulted as the API server does, D-1..D-4) plus the status the controllers write.
//! Fields the simulation does not model are kept verbatim, so two templates compare and hash
//! exactly as they would upstream.
use crate::fields::{object, Flag, Int, Opt, Required, SomeOr};
use crate::intstr::IntOrString;
use crate::time::Ms;
use serde_json::Value;
use std::collections::BTreeMap;

pub type Labels = BTreeMap<String, String>;
/// Fields kept but not modelled (env, resources, volumes...).
pub type Extra = BTreeMap<String, Value>;

pub const REVISION: &str = "deployment.kubernetes.io/revision";
/// Argo Rollouts' revision annotation on the ReplicaSets of a Rollout.
pub const ROLLOUT_REVISION: &str = "rollout.argoproj.io/revision";
pub const REVISION_HISTORY: &str = "deployment.kubernetes.io/revision-history";
pub const DESIRED_REPLICAS: &str = "deployment.kubernetes.io/desired-replicas";
pub const MAX_REPLICAS: &str = "deployment.kubernetes.io/max-replicas";
pub const POD_TEMPLATE_HASH: &str = "pod-template-hash";
pub const CHANGE_CAUSE: &str = "kubernetes.io/change-cause";
pub const RESTARTED_AT: &str = "kubectl.kubernetes.io/restartedAt";
/// Kubernetes' alphabet for generated names (`rand.SafeEncodeString`): no vowels, no 0/1/3.
pub const NAME_ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ObjectMeta {
    pub name: String,
    pub namespace: Option<String>,
    pub labels: Labels,
    pub annotations: Labels,
    pub uid: u64,
    pub created_at: Ms,
    pub generation: i64,
    pub deletion_timestamp: Option<Ms>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct LabelSelector {
    pub match_labels: Labels,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct PodTemplateSpec {
    pub metadata: TemplateMeta,
    pub spec: PodSpec,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct TemplateMeta {
    pub labels: Labels,
    pub annotations: Labels,
}

/// D-4: `terminationGracePeriodSeconds` when a pod spec does not set it.
pub const DEFAULT_GRACE_SECONDS: i64 = 30;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct PodSpec {
    pub containers: Vec<Container>,
    /// D-4: 30 s when not set.
    pub termination_grace_period_seconds: Option<i64>,
    pub extra: Extra,
}

impl PodSpec {
    pub fn grace_period_ms(&self) -> Ms {
        // Saturating: a grace period of i64::MAX seconds is "never", not a negative time.
        self.termination_grace_period_seconds
            .unwrap_or(DEFAULT_GRACE_SECONDS)
            .max(0)
            .saturating_mul(1000)
    }
    /// The container whose behaviour the simulation models: the first one.
    pub fn app(&self) -> Option<&Container> {
        self.containers.first()
    }
}

object! {
    #[derive(Clone, Debug, Default, PartialEq)]
    pub struct Container {
        pub name: String = "name" as Required,
        pub image: String = "image" as Required,
        pub readiness_probe: Option<Probe>,
        pub liveness_probe: Option<Probe>,
        pub startup_probe: Option<Probe>,
        pub lifecycle: Option<Lifecycle>,
        pub extra: Extra,
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Lifecycle {
    pub pre_stop: Option<Handler>,
    pub extra: Extra,
}

/// A probe or hook action: exactly one of these is set.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Handler {
    pub exec: Option<ExecAction>,
    pub http_get: Option<Value>,
    pub tcp_socket: Option<Value>,
    pub grpc: Option<Value>,
    pub sleep: Option<SleepAction>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ExecAction {
    pub command: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct SleepAction {
    pub seconds: i64,
}

impl Handler {
    /// How long a preStop hook keeps the container from getting SIGTERM: a native `sleep`
    /// action, or an exec of `sleep N` (the usual `["/bin/sh", "-c", "sleep 5"]` idiom).
    pub fn duration_ms(&self) -> Ms {
        if let Some(sleep) = &self.sleep {
            return sleep.seconds.max(0).saturating_mul(1000);
        }
        let Some(exec) = &self.exec else { return 0 };
        let words: Vec<&str> = exec
            .command
            .iter()
            .flat_map(|c| c.split_whitespace())
            .collect();
        words
            .windows(2)
            .find(|w| w[0] == "sleep" || w[0].ends_with("/sleep"))
            .and_then(|w| crate::time::parse_duration(w[1].trim_end_matches([';', '&'])).ok())
            .unwrap_or(0)
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Handler { exec: Some(_), .. } => "exec",
            Handler {
                http_get: Some(_), ..
            } => "http-get",
            Handler {
                tcp_socket: Some(_),
                ..
            } => "tcp-socket",
            Handler { grpc: Some(_), .. } => "grpc",
            Handler { sleep: Some(_), .. } => "sleep",
            _ => "none",
        }
    }
}

object! {
    /// D-3: probe defaults are applied when the manifest is read (`Default` is only the base
    /// the reader starts from).
    #[derive(Clone, Debug, Default, PartialEq)]
    pub struct Probe {
        pub handler: Handler,
        pub initial_delay_seconds: i64 = "initialDelaySeconds" as Int<0>,
        pub period_seconds: i64 = "periodSeconds" as Int<10>,
        pub timeout_seconds: i64 = "timeoutSeconds" as Int<1>,
        pub success_threshold: i64 = "successThreshold" as Int<1>,
        pub failure_threshold: i64 = "failureThreshold" as Int<3>,
        pub termination_grace_period_seconds: Option<i64> = "terminationGracePeriodSeconds" as Opt,
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum StrategyType {
    #[default]
    RollingUpdate,
    Recreate,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct RollingUpdate {
    pub max_surge: Option<IntOrString>,
    pub max_unavailable: Option<IntOrString>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct DeploymentStrategy {
    pub type_: StrategyType,
    pub rolling_update: Option<RollingUpdate>,
}

object! {
    /// D-1: the defaults are the table's (`Default` is only the base the reader starts from).
    #[derive(Clone, Debug, Default, PartialEq)]
    pub struct DeploymentSpec {
        pub replicas: i32 = "replicas" as Int<1>,
        pub selector: LabelSelector,
        pub template: PodTemplateSpec,
        pub strategy: DeploymentStrategy,
        pub min_ready_seconds: i32 = "minReadySeconds" as Int<0>,
        pub revision_history_limit: i32 = "revisionHistoryLimit" as Int<10>,
        /// D-1: 600 s; `None` only when a test sets "no deadline".
        pub progress_deadline_seconds: Option<i32> = "progressDeadlineSeconds" as SomeOr<600>,
        pub paused: bool = "paused" as Flag,
        /// Newest upstream, feature-gated: `TerminationStarted` or `TerminationComplete`.
        pub pod_replacement_policy: Option<String> = "podReplacementPolicy" as Opt,
    }
}

impl DeploymentSpec {
    pub fn is_rolling(&self) -> bool {
        self.strategy.type_ == StrategyType::RollingUpdate
    }
    /// D-1: a RollingUpdate strategy without values means 25% / 25%.
    pub fn surge_and_unavailable(&self) -> (Option<IntOrString>, Option<IntOrString>) {
        let quarter = || Some(IntOrString::String("25%".into()));
        match &self.strategy.rolling_update {
            Some(ru) => (ru.max_surge.clone(), ru.max_unavailable.clone()),
            None => (quarter(), quarter()),
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Condition {
    pub type_: &'static str,
    pub status: &'static str,
    pub reason: &'static str,
    pub message: String,
    pub last_update: Ms,
    pub last_transition: Ms,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DeploymentStatus {
    pub observed_generation: i64,
    pub replicas: i32,
    pub updated_replicas: i32,
    pub ready_replicas: i32,
    pub available_replicas: i32,
    pub unavailable_replicas: i32,
    pub conditions: Vec<Condition>,
    pub collision_count: u32,
}

impl DeploymentStatus {
    pub fn condition(&self, type_: &str) -> Option<&Condition> {
        self.conditions.iter().find(|c| c.type_ == type_)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Deployment {
    pub metadata: ObjectMeta,
    pub spec: DeploymentSpec,
    pub status: DeploymentStatus,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReplicaSetStatus {
    pub replicas: i32,
    pub ready_replicas: i32,
    pub available_replicas: i32,
    pub observed_generation: i64,
    /// Newest upstream only (§14); `None` = not reported.
    pub terminating_replicas: Option<i32>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReplicaSet {
    pub metadata: ObjectMeta,
    /// The Deployment that owns it.
    pub owner: Option<String>,
    pub replicas: i32,
    pub min_ready_seconds: i32,
    pub selector: Labels,
    pub template: PodTemplateSpec,
    pub status: ReplicaSetStatus,
}

impl ReplicaSet {
    pub fn annotation(&self, key: &str) -> Option<&str> {
        self.metadata.annotations.get(key).map(String::as_str)
    }
    /// Missing or unparseable revision reads as 0, as upstream's `Revision()`. A Rollout's
    /// ReplicaSets carry Argo's annotation instead.
    pub fn revision(&self) -> i64 {
        self.annotation(REVISION)
            .or_else(|| self.annotation(ROLLOUT_REVISION))
            .and_then(|r| r.parse().ok())
            .unwrap_or(0)
    }
    pub fn hash(&self) -> &str {
        self.template
            .metadata
            .labels
            .get(POD_TEMPLATE_HASH)
            .map(String::as_str)
            .unwrap_or("")
    }
    pub fn image(&self) -> &str {
        self.template
            .spec
            .app()
            .map(|c| c.image.as_str())
            .unwrap_or("")
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PodPhase {
    Pending,
    Running,
    Succeeded,
    Failed,
    Unknown,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SessionAffinity {
    #[default]
    None,
    ClientIP,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ServiceSpec {
    pub selector: Labels,
    pub session_affinity: SessionAffinity,
    pub session_affinity_config: Option<Value>,
    pub extra: Extra,
}

impl ServiceSpec {
    /// D-2: ClientIP stickiness lasts 3 h of inactivity unless configured.
    pub fn affinity_timeout_ms(&self) -> Ms {
        self.session_affinity_config
            .as_ref()
            .and_then(|c| c.pointer("/clientIP/timeoutSeconds"))
            .and_then(Value::as_i64)
            .unwrap_or(10_800)
            * 1000
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Service {
    pub metadata: ObjectMeta,
    pub spec: ServiceSpec,
}

/// `IsDNS1123Subdomain` (apimachinery `validation.go`): what object names may be.
pub fn is_dns_subdomain(name: &str) -> bool {
    let label_ok = |l: &str| {
        !l.is_empty()
            && l.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    name.len() <= 253 && name.split('.').all(label_ok)
}

/// The API server's message for a name that is not such a subdomain.
pub fn invalid_name(name: &str) -> String {
    format!("Invalid value: {name:?}: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")
}

pub fn selector_matches(selector: &Labels, labels: &Labels) -> bool {
    !selector.is_empty() && selector.iter().all(|(k, v)| labels.get(k) == Some(v))
}

/// `EqualIgnoreHash`: templates equal once the pod-template-hash label is removed.
/// Compared in place: the controllers ask for every ReplicaSet at every sync, and copies of two
/// templates to drop one label cost more than the rest of a sync.
pub fn equal_ignore_hash(a: &PodTemplateSpec, b: &PodTemplateSpec) -> bool {
    fn meta(t: &PodTemplateSpec) -> (impl Iterator<Item = (&String, &String)>, &Labels) {
        // Destructured so that a field added to the metadata cannot be left out of the comparison.
        let TemplateMeta {
            labels,
            annotations,
        } = &t.metadata;
        let labels = labels
            .iter()
            .filter(|(k, _)| k.as_str() != POD_TEMPLATE_HASH);
        (labels, annotations)
    }
    let ((a_labels, a_annotations), (b_labels, b_annotations)) = (meta(a), meta(b));
    a.spec == b.spec && a_annotations == b_annotations && a_labels.eq(b_labels)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_ignore_hash_ignores_only_the_hash_label() {
        let mut a = PodTemplateSpec::default();
        a.metadata.labels.insert("app".into(), "web".into());
        a.spec.termination_grace_period_seconds = Some(20);
        let mut b = a.clone();
        b.metadata
            .labels
            .insert(POD_TEMPLATE_HASH.into(), "5d8f7c9b4".into());
        assert!(equal_ignore_hash(&a, &b) && equal_ignore_hash(&b, &a));
        let differ: [fn(&mut PodTemplateSpec); 4] = [
            |t| drop(t.metadata.labels.insert("tier".into(), "front".into())),
            |t| drop(t.metadata.labels.insert("app".into(), "api".into())),
            |t| drop(t.metadata.annotations.insert("note".into(), "x".into())),
            |t| t.spec.termination_grace_period_seconds = None,
        ];
        for change in differ {
            let mut c = b.clone();
            change(&mut c);
            assert!(
                !equal_ignore_hash(&a, &c) && !equal_ignore_hash(&c, &a),
                "{c:?}"
            );
        }
    }
}

//! Kubernetes manifests: YAML documents separated by `---`, read into API objects with the API
//! server's defaults and rejected with the messages its validation gives.
use crate::api::{Deployment, Service, StrategyType};
use crate::intstr::{percent, IntOrString};
use crate::kept::Kept;
use crate::rollouts::api::{AnalysisTemplate, Rollout};
use crate::yaml::{self, Places, SourceError};
use std::borrow::Cow;

#[derive(Clone, Debug, PartialEq)]
// A handful per scenario: boxing would buy nothing.
#[allow(clippy::large_enum_variant)]
pub enum Object {
    Deployment(Deployment),
    Service(Service),
    Rollout(Rollout),
    AnalysisTemplate(AnalysisTemplate),
    /// Served by a real cluster, not simulated: kept as written.
    Kept(Kept),
}

impl Object {
    pub fn kind_and_name(&self) -> (Cow<'static, str>, &str) {
        match self {
            Object::Deployment(d) => ("deployment.apps".into(), &d.metadata.name),
            Object::Service(s) => ("service".into(), &s.metadata.name),
            Object::Rollout(r) => ("rollout.argoproj.io".into(), &r.metadata.name),
            Object::AnalysisTemplate(t) => {
                let kind = format!("{}.argoproj.io", t.kind().to_lowercase());
                (kind.into(), &t.metadata.name)
            }
            Object::Kept(k) => (k.resource().into(), &k.name),
        }
    }
}

struct TypeMeta {
    api_version: String,
    kind: String,
}

fn type_meta(v: &serde_json::Value) -> crate::yaml::read::R<TypeMeta> {
    let o = crate::yaml::read::Obj::new(v, "")?;
    Ok(TypeMeta {
        api_version: o.string("apiVersion")?.unwrap_or_default(),
        kind: o.string("kind")?.unwrap_or_default(),
    })
}

/// Reads every document of `text`, which sits at `origin` in its file; a `kind: List` (what
/// `kubectl get -o yaml` prints for several objects) stands for its items.
pub fn parse_all(text: &str, origin: yaml::Origin) -> Result<Vec<Object>, SourceError> {
    parse_all_with(text, origin, |_| {})
}

/// `parse_all`, with `adapt` given each object's JSON before it is read (the check uses it to
/// stand in for what it cannot run); positions stay those of the text.
pub fn parse_all_with(
    text: &str,
    origin: yaml::Origin,
    mut adapt: impl FnMut(&mut serde_json::Value),
) -> Result<Vec<Object>, SourceError> {
    let mut objects = Vec::new();
    for mut doc in yaml::documents(text, origin)? {
        let meta = yaml::read_placed(&doc.value, &doc.places, type_meta)?;
        if meta.kind == "List" && meta.api_version == "v1" {
            let items = doc.value.get_mut("items").and_then(|i| i.as_array_mut());
            for (i, item) in items.into_iter().flatten().enumerate() {
                let places = doc.places.under(&format!("items[{i}]"));
                adapt(item);
                objects.push(parse_one(item, &places)?);
            }
        } else {
            adapt(&mut doc.value);
            objects.push(parse_one(&doc.value, &doc.places)?);
        }
    }
    Ok(objects)
}

/// The container images the workloads' pod templates use, each once.
pub fn images(objects: &[Object]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for o in objects {
        let template = match o {
            Object::Deployment(d) => &d.spec.template,
            Object::Rollout(r) => &r.spec.template,
            _ => continue,
        };
        for c in &template.spec.containers {
            if !out.contains(&c.image) {
                out.push(c.image.clone());
            }
        }
    }
    out
}

/// The one note that names the objects kept and not simulated, if there are any.
pub fn kept_note(objects: &[Object]) -> Option<String> {
    let kept: Vec<String> = objects
        .iter()
        .filter(|o| matches!(o, Object::Kept(_)))
        .map(|o| {
            let (kind, name) = o.kind_and_name();
            format!("{kind}/{name}")
        })
        .collect();
    (!kept.is_empty()).then(|| {
        format!(
            "kept, not simulated: {} (a cluster stores them; they change nothing in the simulation)",
            kept.join(", ")
        )
    })
}

/// `Kind.group "name" is invalid: <path>: <reason>`, placed at the field the reason names.
fn invalid(places: &Places, kind: &str, name: &str, reason: String) -> SourceError {
    let path = reason.split(": ").next().unwrap_or("");
    let (line, column) = places.find_key(path);
    SourceError::new(
        line,
        column,
        format!("{kind} \"{name}\" is invalid: {reason}"),
    )
}

fn parse_one(value: &serde_json::Value, places: &Places) -> Result<Object, SourceError> {
    let meta = yaml::read_placed(value, places, type_meta)?;
    match (meta.api_version.as_str(), meta.kind.as_str()) {
        ("apps/v1", "Deployment") => {
            let d = yaml::read_placed(value, places, crate::read::deployment)?;
            validate_deployment(&d)
                .map_err(|m| invalid(places, "Deployment.apps", &d.metadata.name, m))?;
            Ok(Object::Deployment(d))
        }
        ("v1", "Service") => {
            let s = yaml::read_placed(value, places, crate::read::service)?;
            if s.metadata.name.is_empty() {
                let m = "metadata.name: Required value: name or generateName is required";
                return Err(invalid(places, "Service", "", m.into()));
            }
            Ok(Object::Service(s))
        }
        ("argoproj.io/v1alpha1", "Rollout") => {
            let r = yaml::read_placed(value, places, crate::rollouts::read::rollout)?;
            validate_rollout(&r)
                .map_err(|m| invalid(places, "Rollout.argoproj.io", &r.metadata.name, m))?;
            Ok(Object::Rollout(r))
        }
        ("argoproj.io/v1alpha1", "AnalysisTemplate" | "ClusterAnalysisTemplate") => {
            let t = yaml::read_placed(value, places, crate::rollouts::read::analysis_template)?;
            validate_analysis_template(&t).map_err(|m| {
                invalid(places, "AnalysisTemplate.argoproj.io", &t.metadata.name, m)
            })?;
            Ok(Object::AnalysisTemplate(t))
        }
        ("", _) | (_, "") => {
            let (line, column) = places.find("");
            Err(SourceError::new(
                line,
                column,
                "error validating data: apiVersion and kind must be set",
            ))
        }
        ("argoproj.io/v1alpha1", kind @ ("Experiment" | "AnalysisRun")) => {
            let (line, column) = places.find_key("kind");
            Err(SourceError::new(line, column, format!("{kind}s are not simulated: an Experiment runs ReplicaSets of its own beside a rollout; write the canary as a Rollout's steps, and its measurement as an AnalysisTemplate the steps run")))
        }
        (api, kind) if crate::kept::served(api, kind) => {
            let kept = Kept::new(api, kind, value.clone());
            if kept.name.is_empty() {
                let m = "metadata.name: Required value: name or generateName is required";
                return Err(invalid(places, kind, "", m.into()));
            }
            Ok(Object::Kept(kept))
        }
        (api, kind) => {
            let (line, column) = places.find_key("kind");
            let name = value
                .pointer("/metadata/name")
                .and_then(|n| n.as_str())
                .unwrap_or("");
            let hint = match (api, kind) {
                ("extensions/v1beta1" | "apps/v1beta1" | "apps/v1beta2", "Deployment") => {
                    " (Deployments are served as apps/v1 since Kubernetes 1.16)"
                }
                ("extensions/v1beta1" | "networking.k8s.io/v1beta1", "Ingress") => {
                    " (Ingresses are served as networking.k8s.io/v1 since Kubernetes 1.22)"
                }
                _ => "",
            };
            Err(SourceError::new(
                line,
                column,
                format!("resource mapping not found for name: \"{name}\": no matches for kind \"{kind}\" in version \"{api}\"{hint}; ensure CRDs are installed first"),
            ))
        }
    }
}

/// A refusal as the API server words it: the field's path, a colon, what is wrong.
type Invalid = String;

/// What Deployments and Rollouts are both refused for first.
fn validate_name_and_replicas(name: &str, replicas: i32) -> Result<(), Invalid> {
    if name.is_empty() {
        return Err("metadata.name: Required value: name or generateName is required".into());
    }
    if !crate::api::is_dns_subdomain(name) {
        return Err(format!("metadata.name: {}", crate::api::invalid_name(name)));
    }
    if replicas < 0 {
        return Err(format!(
            "spec.replicas: Invalid value: {replicas}: must be greater than or equal to 0"
        ));
    }
    if replicas > crate::limits::REPLICAS {
        let why = crate::limits::exceeded("spec.replicas", crate::limits::REPLICAS);
        return Err(format!("spec.replicas: Invalid value: {replicas}: {why}"));
    }
    Ok(())
}

/// The pod template's checks, for Deployments and Rollouts alike (Argo validates the template
/// with Kubernetes' own rules).
fn validate_template(template: &crate::api::PodTemplateSpec) -> Result<(), Invalid> {
    if template.spec.containers.is_empty() {
        return Err("spec.template.spec.containers: Required value".into());
    }
    for (i, c) in template.spec.containers.iter().enumerate() {
        if c.image.trim().is_empty() {
            return Err(format!(
                "spec.template.spec.containers[{i}].image: Required value"
            ));
        }
        for (field, probe) in [
            ("livenessProbe", &c.liveness_probe),
            ("startupProbe", &c.startup_probe),
        ] {
            if let Some(p) = probe.as_ref().filter(|p| p.success_threshold != 1) {
                return Err(format!("spec.template.spec.containers[{i}].{field}.successThreshold: Invalid value: {}: must be 1", p.success_threshold));
            }
        }
        for (field, probe) in [
            ("readinessProbe", &c.readiness_probe),
            ("livenessProbe", &c.liveness_probe),
            ("startupProbe", &c.startup_probe),
        ] {
            if let Some(p) = probe {
                if p.handler.kind() == "none" {
                    return Err(format!("spec.template.spec.containers[{i}].{field}: Required value: must specify a handler type"));
                }
                for (name, v, min) in [
                    ("periodSeconds", p.period_seconds, 1),
                    ("timeoutSeconds", p.timeout_seconds, 1),
                    ("successThreshold", p.success_threshold, 1),
                    ("failureThreshold", p.failure_threshold, 1),
                    ("initialDelaySeconds", p.initial_delay_seconds, 0),
                ] {
                    if v < min {
                        return Err(format!("spec.template.spec.containers[{i}].{field}.{name}: Invalid value: {v}: must be greater than or equal to {min}"));
                    }
                }
            }
        }
    }
    Ok(())
}

/// `ValidateDeployment` (pkg/apis/apps/validation): the checks a learner can trip over.
pub fn validate_deployment(d: &Deployment) -> Result<(), Invalid> {
    let spec = &d.spec;
    validate_name_and_replicas(&d.metadata.name, spec.replicas)?;
    if spec.min_ready_seconds < 0 {
        return Err(format!(
            "spec.minReadySeconds: Invalid value: {}: must be greater than or equal to 0",
            spec.min_ready_seconds
        ));
    }
    if spec.revision_history_limit < 0 {
        return Err(format!(
            "spec.revisionHistoryLimit: Invalid value: {}: must be greater than or equal to 0",
            spec.revision_history_limit
        ));
    }
    if let Some(p) = spec.progress_deadline_seconds {
        if p <= spec.min_ready_seconds {
            return Err(format!("spec.progressDeadlineSeconds: Invalid value: {p}: must be greater than minReadySeconds"));
        }
    }
    if spec.selector.match_labels.is_empty() {
        return Err(
            "spec.selector: Invalid value: \"null\": empty selector is invalid for deployment"
                .into(),
        );
    }
    if !crate::api::selector_matches(&spec.selector.match_labels, &spec.template.metadata.labels) {
        return Err("spec.template.metadata.labels: Invalid value: the labels do not match: `selector` does not match template `labels`".into());
    }
    validate_template(&spec.template)?;
    if spec
        .template
        .spec
        .termination_grace_period_seconds
        .is_some_and(|g| g < 0)
    {
        return Err("spec.template.spec.terminationGracePeriodSeconds: Invalid value: must be greater than or equal to 0".into());
    }
    match (spec.strategy.type_, &spec.strategy.rolling_update) {
        (StrategyType::Recreate, Some(_)) => Err("spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'".into()),
        (StrategyType::RollingUpdate, Some(ru)) => validate_rolling_update(ru.max_surge.as_ref(), ru.max_unavailable.as_ref()),
        _ => Ok(()),
    }
}

/// `ValidateDeploymentUpdate`: a Deployment's selector cannot change once it exists (its
/// ReplicaSets and pods would be orphaned). Printed as Go prints the value.
pub fn selector_unchanged(old: &Deployment, new: &Deployment) -> Result<(), Invalid> {
    let (before, after) = (
        &old.spec.selector.match_labels,
        &new.spec.selector.match_labels,
    );
    if before == after {
        return Ok(());
    }
    let labels: Vec<String> = after.iter().map(|(k, v)| format!("{k:?}:{v:?}")).collect();
    Err(format!("spec.selector: Invalid value: v1.LabelSelector{{MatchLabels:map[string]string{{{}}}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}}: field is immutable", labels.join(", ")))
}

/// An integer maxSurge or maxUnavailable above the replica limit can never be used, and would
/// overflow `replicas + maxSurge`: refused, for Deployments and Rollouts alike.
fn fencepost_within_limit(
    at: &str,
    key: &'static str,
    value: Option<&IntOrString>,
) -> Result<(), Invalid> {
    match value {
        Some(IntOrString::Int(n)) if *n > crate::limits::REPLICAS => {
            let why = crate::limits::exceeded(key, crate::limits::REPLICAS);
            Err(format!("{at}.{key}: Invalid value: {n}: {why}"))
        }
        _ => Ok(()),
    }
}

/// `ValidateRollingUpdateDeployment`: the raw pair 0/0 is rejected (FP-3), and so is > 100%.
fn validate_rolling_update(
    surge: Option<&IntOrString>,
    unavailable: Option<&IntOrString>,
) -> Result<(), Invalid> {
    for (key, value) in [("maxSurge", surge), ("maxUnavailable", unavailable)] {
        fencepost_within_limit("spec.strategy.rollingUpdate", key, value)?;
        match value {
            Some(IntOrString::Int(n)) if *n < 0 => {
                return Err(format!("spec.strategy.rollingUpdate.{key}: Invalid value: {n}: must be greater than or equal to 0"));
            }
            Some(IntOrString::String(s)) if percent(s).is_err() => {
                return Err(format!("spec.strategy.rollingUpdate.{key}: Invalid value: \"{s}\": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"));
            }
            _ => {}
        }
    }
    if let Some(IntOrString::String(s)) = unavailable {
        if percent(s).is_ok_and(|p| p > 100) {
            return Err(format!("spec.strategy.rollingUpdate.maxUnavailable: Invalid value: \"{s}\": must not be greater than 100%"));
        }
    }
    let zero = |v: Option<&IntOrString>| v.is_none_or(IntOrString::is_zero);
    if zero(surge) && zero(unavailable) {
        let shown = unavailable.map_or("0".to_string(), |v| match v {
            IntOrString::Int(n) => n.to_string(),
            IntOrString::String(s) => format!("\"{s}\""),
        });
        return Err(format!("spec.strategy.rollingUpdate.maxUnavailable: Invalid value: {shown}: may not be 0 when `maxSurge` is 0"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deployment(strategy: &str) -> String {
        format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n  strategy:\n{strategy}  selector:\n    matchLabels: {{ app: web }}\n  template:\n    metadata:\n      labels: {{ app: web }}\n    spec:\n      containers:\n      - name: app\n        image: web:1\n"
        )
    }

    #[test]
    fn validation_matches_kubernetes_messages() {
        let cases = [
            ("    type: RollingUpdate\n    rollingUpdate:\n      maxSurge: 0\n      maxUnavailable: 0\n", Some((11, "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0"))),
            ("    rollingUpdate:\n      maxSurge: 0%\n      maxUnavailable: 0%\n", Some((10, "may not be 0 when `maxSurge` is 0"))),
            ("    rollingUpdate:\n      maxSurge: 0\n      maxUnavailable: 10%\n", None),
            ("    rollingUpdate:\n      maxUnavailable: 150%\n", Some((9, "must not be greater than 100%"))),
            ("    rollingUpdate:\n      maxSurge: fast\n", Some((9, "a valid percent string"))),
            ("    type: Recreate\n    rollingUpdate:\n      maxSurge: 1\n", Some((9, "may not be specified when strategy `type` is 'Recreate'"))),
            ("    type: Recreate\n", None),
        ];
        for (strategy, want) in cases {
            let got = parse_all(&deployment(strategy), yaml::Origin::line(1));
            match want {
                None => assert!(got.is_ok(), "{strategy}: {got:?}"),
                Some((line, msg)) => {
                    let err = got.unwrap_err();
                    assert_eq!(err.line, line, "{strategy}: {err}");
                    assert!(err.message.contains(msg), "{strategy}: {err}");
                    assert!(
                        err.message
                            .starts_with("Deployment.apps \"web\" is invalid: "),
                        "{err}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_half_specified_rolling_update_gets_the_other_quarter() {
        // SetDefaults_Deployment fills each missing fencepost with 25% before validation.
        let cases = [
            ("    rollingUpdate:\n      maxSurge: 1\n", 1, 0, "25%", "1"),
            (
                "    rollingUpdate:\n      maxUnavailable: 0\n",
                1,
                0,
                "0",
                "25%",
            ),
            ("    rollingUpdate: {}\n", 1, 0, "25%", "25%"),
            ("    type: RollingUpdate\n", 1, 0, "25%", "25%"),
            ("    rollingUpdate:\n      maxSurge: 0\n", 0, 1, "25%", "0"),
        ];
        for (strategy, surge, unavailable, shown_unavailable, shown_surge) in cases {
            // Three replicas: 25% is surge 1 (rounded up) and unavailable 0 (rounded down).
            let objects = parse_all(&deployment(strategy), yaml::Origin::line(1)).unwrap();
            let Object::Deployment(d) = &objects[0] else {
                panic!("not a deployment")
            };
            assert_eq!(crate::deployment::util::max_surge(d), surge, "{strategy}");
            assert_eq!(
                crate::deployment::util::max_unavailable(d),
                unavailable,
                "{strategy}"
            );
            let indented: String = deployment(strategy)
                .lines()
                .map(|l| format!("  {l}\n"))
                .collect();
            let text = format!("seed: 1\nduration: 1s\ntraffic: {{requestsPerSecond: 1}}\nmanifests: |\n{indented}");
            let scenario = crate::scenario::Scenario::parse(&text).unwrap();
            let cluster = crate::cluster::Cluster::new(scenario);
            let described = cluster.show("kubectl describe deployment web").unwrap();
            let want = format!("{shown_unavailable} max unavailable, {shown_surge} max surge");
            assert!(described.contains(&want), "{strategy}: {described}");
        }
    }

    #[test]
    fn defaults_are_applied_and_documents_split() {
        let text = format!("{}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {{ app: web }}\n", deployment("    type: RollingUpdate\n"));
        let objects = parse_all(&text, yaml::Origin::line(1)).unwrap();
        assert_eq!(objects.len(), 2);
        let Object::Deployment(d) = &objects[0] else {
            panic!("not a deployment")
        };
        assert_eq!(d.spec.revision_history_limit, 10);
        assert_eq!(d.spec.progress_deadline_seconds, Some(600));
        assert_eq!(d.spec.template.spec.grace_period_ms(), 30_000);
        assert_eq!(crate::deployment::util::max_surge(d), 1); // 25% of 3, rounded up
        assert_eq!(crate::deployment::util::max_unavailable(d), 0); // 25% of 3, rounded down
    }

    #[test]
    fn rollout_validation_follows_argos_rules() {
        let rollout = |canary: &str| {
            format!("apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {{name: r}}\nspec:\n  selector: {{matchLabels: {{app: r}}}}\n  template:\n    metadata: {{labels: {{app: r}}}}\n    spec: {{containers: [{{name: r, image: 'r:1'}}]}}\n  strategy:\n    canary:\n{canary}")
        };
        let istio = "      trafficRouting: {managedRoutes: [{name: h}], istio: {virtualService: {name: v}}}\n      canaryService: c\n      stableService: s\n";
        let cases = [
            // Route and scale actions may share a step (hasMultipleStepsType counts only
            // setWeight, pause, experiment and analysis).
            (format!("{istio}      steps:\n      - setCanaryScale: {{replicas: 1}}\n        setHeaderRoute: {{name: h, match: [{{headerName: x, headerValue: {{exact: beta}}}}]}}\n"), None),
            (format!("{istio}      steps:\n      - setWeight: 10\n        pause: {{}}\n"), Some("spec.strategy.canary.steps[0]: Invalid value: Step must have one of the following set: experiment, setWeight, setCanaryScale or pause")),
            ("      trafficRouting: {alb: {ingress: i, servicePort: 80}}\n".into(), Some("spec.strategy.stableService: Invalid value: \"\": Canary service and Stable service must to be set to use Traffic Routing")),
            ("      trafficRouting: {istio: {virtualService: {name: v}, destinationRule: {name: d, canarySubsetName: c, stableSubsetName: s}}}\n".into(), None),
            ("      trafficRouting: {maxTrafficWeight: 1000, alb: {ingress: i, servicePort: 80}}\n      canaryService: c\n      stableService: s\n".into(), Some("only support in Nginx and Plugins")),
            ("      trafficRouting: {maxTrafficWeight: 1000, nginx: {stableIngress: i}}\n      canaryService: c\n      stableService: s\n".into(), None),
        ];
        for (canary, want) in cases {
            let got = parse_all(&rollout(&canary), yaml::Origin::line(1));
            match want {
                None => assert!(got.is_ok(), "{canary}: {got:?}"),
                Some(want) => {
                    let err = got.unwrap_err();
                    assert!(err.message.contains(want), "{canary}: {err}");
                }
            }
        }
    }

    #[test]
    fn served_kinds_are_kept_and_unknown_ones_refused_as_kubectl_refuses() {
        let doc = |api: &str, kind: &str| {
            format!("apiVersion: {api}\nkind: {kind}\nmetadata:\n  name: x\n")
        };
        for (api, kind, resource) in [
            ("v1", "ConfigMap", "configmap"),
            ("v1", "ServiceAccount", "serviceaccount"),
            (
                "networking.k8s.io/v1",
                "Ingress",
                "ingress.networking.k8s.io",
            ),
            (
                "autoscaling/v2",
                "HorizontalPodAutoscaler",
                "horizontalpodautoscaler.autoscaling",
            ),
            (
                "policy/v1",
                "PodDisruptionBudget",
                "poddisruptionbudget.policy",
            ),
            (
                "networking.istio.io/v1beta1",
                "VirtualService",
                "virtualservice.networking.istio.io",
            ),
            (
                "split.smi-spec.io/v1alpha2",
                "TrafficSplit",
                "trafficsplit.split.smi-spec.io",
            ),
            ("apps/v1", "StatefulSet", "statefulset.apps"),
        ] {
            let objects = parse_all(&doc(api, kind), yaml::Origin::line(1)).unwrap();
            assert_eq!(objects[0].kind_and_name().0, resource, "{kind}");
        }
        let cases = [
            (
                "apps/v1",
                "Deploymnet",
                "no matches for kind \"Deploymnet\" in version \"apps/v1\"",
            ),
            (
                "extensions/v1beta1",
                "Deployment",
                "served as apps/v1 since Kubernetes 1.16",
            ),
            (
                "cert-manager.io/v1",
                "Certificate",
                "ensure CRDs are installed first",
            ),
            (
                "argoproj.io/v1alpha1",
                "Experiment",
                "Experiments are not simulated",
            ),
        ];
        for (api, kind, want) in cases {
            let err = parse_all(&doc(api, kind), yaml::Origin::line(1)).unwrap_err();
            assert!(err.message.contains(want), "{kind}: {err}");
            assert_eq!(err.line, 2, "{err}");
        }
    }
}

/// Argo's validation (`pkg/apis/rollouts/validation`): the mistakes a learner can make.
pub fn validate_rollout(r: &Rollout) -> Result<(), Invalid> {
    let spec = &r.spec;
    validate_name_and_replicas(&r.metadata.name, spec.replicas)?;
    let selector = &spec.selector.match_labels;
    let own_template = spec.template != crate::api::PodTemplateSpec::default();
    match &spec.workload_ref {
        // The template comes from the Deployment at each sync (`TemplateResolvedFromRef`).
        Some(_) if own_template => {
            return Err("spec.template: Internal error: template must be empty for workload reference rollout".into());
        }
        Some(w) if w.kind != "Deployment" => {
            return Err(format!("spec.workloadRef.kind: Invalid value: {:?}: the simulator resolves workloadRef to a Deployment", w.kind));
        }
        Some(_) => {}
        None => {
            if selector.is_empty() {
                return Err(
                    "spec.selector: Required value: Rollout has missing field '.spec.selector'"
                        .into(),
                );
            }
            if !crate::api::selector_matches(selector, &spec.template.metadata.labels) {
                return Err("spec.template.metadata.labels: Invalid value: `selector` does not match template `labels`".into());
            }
            validate_template(&spec.template)?;
        }
    }
    let s = &spec.strategy;
    match (&s.canary, &s.blue_green) {
        (Some(_), Some(_)) => {
            Err("spec.strategy: Invalid value: multiple strategies can not be listed".into())
        }
        (None, None) => Err(
            "spec.strategy: Required value: no strategy was specified (blueGreen or canary)".into(),
        ),
        (None, Some(bg)) => {
            if bg.active_service.is_empty() {
                return Err("spec.strategy.blueGreen.activeService: Required value".into());
            }
            if bg.preview_service.as_deref() == Some(bg.active_service.as_str()) {
                return Err("spec.strategy.blueGreen.previewService: Invalid value: active and preview services must be different".into());
            }
            Ok(())
        }
        (Some(c), None) => {
            let zero = |v: &Option<IntOrString>| v.as_ref().is_some_and(IntOrString::is_zero);
            if zero(&c.max_surge) && zero(&c.max_unavailable) {
                return Err("spec.strategy.canary.maxUnavailable: Invalid value: 0: MaxSurge and MaxUnavailable both can not be zero".into());
            }
            fencepost_within_limit("spec.strategy.canary", "maxSurge", c.max_surge.as_ref())?;
            let unavailable = c.max_unavailable.as_ref();
            fencepost_within_limit("spec.strategy.canary", "maxUnavailable", unavailable)?;
            if let Some(t) = &c.traffic_routing {
                for (field, service) in [
                    ("stableService", &c.stable_service),
                    ("canaryService", &c.canary_service),
                ] {
                    if t.needs_services() && service.is_none() {
                        return Err(format!("spec.strategy.{field}: Invalid value: \"\": Canary service and Stable service must to be set to use Traffic Routing"));
                    }
                }
                let weighted =
                    matches!(&t.provider, Some((p, _)) if p == "nginx" || p == "plugins");
                if let (Some(w), false) = (t.max_traffic_weight, weighted) {
                    return Err(format!("spec.strategy.trafficRouting.maxTrafficWeight: Invalid value: {w}: Canary maxTrafficWeight in traffic routing only support in Nginx and Plugins"));
                }
            }
            if c.stable_service.is_some() && c.stable_service == c.canary_service {
                return Err("spec.strategy.canary.canaryService: Invalid value: canary service and stable service must be different".into());
            }
            for (k, step) in c.steps.iter().enumerate() {
                validate_canary_step(k, step, c)?;
            }
            Ok(())
        }
    }
}

/// One canary step: exactly one action, each within its bounds (Argo's `ValidateRolloutStrategyCanary`).
fn validate_canary_step(
    k: usize,
    step: &crate::rollouts::api::CanaryStep,
    c: &crate::rollouts::api::Canary,
) -> Result<(), Invalid> {
    let (max, routed) = (c.max_weight(), c.traffic_routing.is_some());
    if let Some(other) = &step.other {
        return Err(format!("spec.strategy.canary.steps[{k}]: Invalid value: {other:?} steps are not simulated (setWeight, pause, setCanaryScale, analysis, setHeaderRoute and setMirrorRoute are); an experiment's comparison can be written as an analysis step"));
    }
    // AR-2 `hasMultipleStepsType`: at most one of setWeight, pause, experiment and analysis; the
    // route and scale actions may share a step with them or each other.
    let exclusive = [
        step.set_weight.is_some(),
        step.pause.is_some(),
        step.analysis.is_some(),
    ];
    let any = exclusive.contains(&true)
        || step.set_canary_scale.is_some()
        || step.set_header_route.is_some()
        || step.set_mirror_route.is_some();
    if exclusive.iter().filter(|b| **b).count() > 1 || !any {
        return Err(format!("spec.strategy.canary.steps[{k}]: Invalid value: Step must have one of the following set: experiment, setWeight, setCanaryScale or pause"));
    }
    if let Some(w) = step.set_weight {
        if !(0..=max).contains(&w) {
            return Err(format!("spec.strategy.canary.steps[{k}].setWeight: Invalid value: {w}: must be between 0 and {max}"));
        }
    }
    if let Some(p) = &step.pause {
        if p.duration.is_some() && p.duration_ms().is_none_or(|d| d < 0) {
            return Err(format!("spec.strategy.canary.steps[{k}].pause.duration: Invalid value: must be a non-negative duration such as 30s or 1m"));
        }
    }
    let needs_routing = step.set_header_route.is_some()
        || step.set_mirror_route.is_some()
        || step.set_canary_scale.is_some();
    if needs_routing && !routed {
        return Err(format!("spec.strategy.canary.steps[{k}]: Invalid value: setCanaryScale, setHeaderRoute and setMirrorRoute need trafficRouting"));
    }
    let route = step
        .set_header_route
        .as_ref()
        .map(|h| &h.name)
        .or(step.set_mirror_route.as_ref().map(|m| &m.name));
    if let Some(name) = route {
        let managed = c
            .traffic_routing
            .as_ref()
            .is_some_and(|t| t.managed_routes.iter().any(|m| &m.name == name));
        if !managed {
            return Err(format!("spec.strategy.canary.steps[{k}]: Invalid value: route {name:?} is not listed in trafficRouting.managedRoutes"));
        }
    }
    Ok(())
}

pub(crate) fn validate_analysis_template(t: &AnalysisTemplate) -> Result<(), Invalid> {
    if t.metadata.name.is_empty() {
        return Err("metadata.name: Required value: name or generateName is required".into());
    }
    if t.spec.metrics.is_empty() {
        return Err("spec.metrics: Required value: at least one metric is required".into());
    }
    for (k, m) in t.spec.metrics.iter().enumerate() {
        if m.provider.simulation.is_none() {
            return Err(format!(
                "spec.metrics[{k}].provider: Invalid value: only `simulation: {{measure: error-rate, version: canary, window: 30s}}` can be measured here (prometheus, datadog, web and job query systems outside the simulation)"
            ));
        }
        for (field, v) in [
            ("interval", &m.interval),
            ("initialDelay", &m.initial_delay),
        ] {
            if let Some(text) = v {
                crate::time::parse_duration(text)
                    .map_err(|e| format!("spec.metrics[{k}].{field}: {e}"))?;
            }
        }
        if m.count.is_some_and(|c| c > 1) && m.interval.is_none() {
            return Err(format!(
                "spec.metrics[{k}].count: Invalid value: interval must be specified when count > 1"
            ));
        }
        for (field, c) in [
            ("successCondition", &m.success_condition),
            ("failureCondition", &m.failure_condition),
        ] {
            if let Some(text) = c {
                crate::rollouts::condition::condition(text, 0.0)
                    .map_err(|e| format!("spec.metrics[{k}].{field}: {e}"))?;
            }
        }
    }
    Ok(())
}

/// The objects as YAML documents, as `kubectl get -o yaml` would print their specs (defaults
/// included), separated by `---`.
pub fn to_yaml(objects: &[Object]) -> String {
    let docs: Vec<String> = objects
        .iter()
        .filter_map(|o| Some(crate::yaml::emit::to_yaml(&to_value(o)?)))
        .collect();
    docs.join("---\n")
}

/// One object as the API would return it: its spec with the defaults, `apiVersion` and `kind`.
pub fn to_value(o: &Object) -> Option<serde_json::Value> {
    let (api_version, kind, mut value) = match o {
        Object::Deployment(d) => ("apps/v1", "Deployment", crate::write::deployment(d)),
        Object::Service(s) => ("v1", "Service", crate::write::service(s)),
        Object::Rollout(r) => (
            "argoproj.io/v1alpha1",
            "Rollout",
            crate::rollouts::write::rollout(r),
        ),
        Object::AnalysisTemplate(t) => (
            "argoproj.io/v1alpha1",
            t.kind(),
            crate::rollouts::write::analysis_template(t),
        ),
        Object::Kept(k) => (k.api_version.as_str(), k.kind.as_str(), k.value.clone()),
    };
    let map = value.as_object_mut()?;
    map.insert("apiVersion".into(), api_version.into());
    map.insert("kind".into(), kind.into());
    Some(value)
}

#[cfg(test)]
mod round_trip {
    #[test]
    fn every_shipped_scenario_survives_yaml_and_back() {
        for e in crate::lab::examples::ALL {
            let s = crate::scenario::Scenario::parse(&e.yaml).unwrap();
            let text = super::to_yaml(&s.objects);
            let back = super::parse_all(&text, crate::yaml::Origin::line(1))
                .unwrap_or_else(|err| panic!("{}: {err}\n{text}", e.name));
            assert_eq!(back, s.objects, "{}:\n{text}", e.name);
        }
    }
}

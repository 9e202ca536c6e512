//! Objects a real cluster accepts that the simulation does not need: ServiceAccounts, ConfigMaps,
//! Ingresses, autoscalers, the traffic providers' CRDs that the simulated router stands in for…
//! They are kept as written, listed by `kubectl get`, printed back, and change nothing. What the
//! API server would not serve (an unknown kind or group) is refused as kubectl refuses it.
use crate::time::Ms;
use serde_json::Value;

/// An object kept as written (its whole document), with the little kubectl prints of it.
#[derive(Clone, Debug, PartialEq)]
pub struct Kept {
    pub api_version: String,
    pub kind: String,
    pub name: String,
    pub value: Value,
    pub created_at: Ms,
}

impl Kept {
    pub fn new(api_version: &str, kind: &str, value: Value) -> Kept {
        let name = value
            .pointer("/metadata/name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        Kept {
            api_version: api_version.to_string(),
            kind: kind.to_string(),
            name,
            value,
            created_at: 0,
        }
    }

    /// `configmap`, `ingress.networking.k8s.io`: the resource as kubectl names it in output.
    pub fn resource(&self) -> String {
        let kind = self.kind.to_lowercase();
        match self.api_version.split_once('/') {
            Some((group, _)) => format!("{kind}.{group}"),
            None => kind,
        }
    }

    /// Whether `word` (as typed after `kubectl get`) names this object's kind: the kind, its
    /// plural, its short name, or either with the group.
    pub fn is_named_by(&self, word: &str) -> bool {
        let kind = self.kind.to_lowercase();
        let word = word.to_lowercase();
        let (word, group) = match word.split_once('.') {
            Some((w, g)) => (w.to_string(), Some(g.to_string())),
            None => (word, None),
        };
        let own_group = self.api_version.split_once('/').map(|(g, _)| g);
        if group.is_some() && group.as_deref() != own_group {
            return false;
        }
        word == kind || word == plural(&kind) || short_name(&self.kind) == Some(word.as_str())
    }
}

impl Kept {
    /// `configmaps`, `ingresses.networking.k8s.io`: how NotFound names the kind.
    pub fn plural_resource(&self) -> String {
        let kind = plural(&self.kind.to_lowercase());
        match self.api_version.split_once('/') {
            Some((group, _)) => format!("{kind}.{group}"),
            None => kind,
        }
    }
}

/// The resource and plural of a served kind `word` names (`cm`, `ingresses`, `hpa`), when
/// there is no object of it to ask.
pub fn served_kind(word: &str) -> Option<(String, String)> {
    for (versions, kinds) in SERVED {
        for kind in *kinds {
            let k = Kept {
                api_version: versions[0].to_string(),
                kind: kind.to_string(),
                name: String::new(),
                value: Value::Null,
                created_at: 0,
            };
            if k.is_named_by(word) {
                return Some((k.resource(), k.plural_resource()));
            }
        }
    }
    None
}

fn plural(kind: &str) -> String {
    match kind.strip_suffix('y') {
        Some(stem) if !stem.ends_with(['a', 'e', 'o', 'u']) => format!("{stem}ies"),
        _ if kind.ends_with('s') || kind.ends_with('x') => format!("{kind}es"),
        _ => format!("{kind}s"),
    }
}

/// kubectl's short names (`kubectl api-resources`) for the kinds people type.
fn short_name(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "ConfigMap" => "cm",
        "ServiceAccount" => "sa",
        "PersistentVolumeClaim" => "pvc",
        "PersistentVolume" => "pv",
        "Namespace" => "ns",
        "Ingress" => "ing",
        "HorizontalPodAutoscaler" => "hpa",
        "PodDisruptionBudget" => "pdb",
        "NetworkPolicy" => "netpol",
        "StatefulSet" => "sts",
        "DaemonSet" => "ds",
        "CronJob" => "cj",
        "PriorityClass" => "pc",
        "StorageClass" => "sc",
        "CustomResourceDefinition" => "crd",
        "VirtualService" => "vs",
        "DestinationRule" => "dr",
        "Gateway" => "gw",
        "ClusterAnalysisTemplate" => "cat",
        _ => return None,
    })
}

/// The group versions a cluster with Argo Rollouts and the traffic providers Argo routes through
/// serves, and their kinds (besides the ones the simulation models).
const SERVED: &[(&[&str], &[&str])] = &[
    (
        &["v1"],
        &[
            "ConfigMap",
            "Secret",
            "ServiceAccount",
            "PersistentVolumeClaim",
            "PersistentVolume",
            "Namespace",
            "Pod",
            "LimitRange",
            "ResourceQuota",
            "ReplicationController",
        ],
    ),
    (
        &["apps/v1"],
        &[
            "StatefulSet",
            "DaemonSet",
            "ReplicaSet",
            "ControllerRevision",
        ],
    ),
    (&["batch/v1"], &["Job", "CronJob"]),
    (
        &["autoscaling/v1", "autoscaling/v2"],
        &["HorizontalPodAutoscaler"],
    ),
    (&["policy/v1"], &["PodDisruptionBudget"]),
    (
        &["networking.k8s.io/v1"],
        &["Ingress", "IngressClass", "NetworkPolicy"],
    ),
    (
        &["rbac.authorization.k8s.io/v1"],
        &["Role", "RoleBinding", "ClusterRole", "ClusterRoleBinding"],
    ),
    (&["scheduling.k8s.io/v1"], &["PriorityClass"]),
    (&["storage.k8s.io/v1"], &["StorageClass"]),
    (&["apiextensions.k8s.io/v1"], &["CustomResourceDefinition"]),
    (
        &[
            "networking.istio.io/v1",
            "networking.istio.io/v1beta1",
            "networking.istio.io/v1alpha3",
        ],
        &[
            "VirtualService",
            "DestinationRule",
            "Gateway",
            "ServiceEntry",
        ],
    ),
    (
        &[
            "split.smi-spec.io/v1alpha1",
            "split.smi-spec.io/v1alpha2",
            "split.smi-spec.io/v1alpha3",
            "split.smi-spec.io/v1alpha4",
        ],
        &["TrafficSplit"],
    ),
    (
        &[
            "gateway.networking.k8s.io/v1",
            "gateway.networking.k8s.io/v1beta1",
        ],
        &["Gateway", "GatewayClass", "HTTPRoute", "GRPCRoute"],
    ),
    (
        &["traefik.io/v1alpha1", "traefik.containo.us/v1alpha1"],
        &["IngressRoute", "TraefikService", "Middleware"],
    ),
    (&["elbv2.k8s.aws/v1beta1"], &["TargetGroupBinding"]),
    (
        &["getambassador.io/v2", "getambassador.io/v3alpha1"],
        &["Mapping"],
    ),
    (&["apisix.apache.org/v2"], &["ApisixRoute"]),
    (
        &["appmesh.k8s.aws/v1beta2"],
        &["VirtualNode", "VirtualRouter", "VirtualService"],
    ),
];

/// Whether the API server serves `kind` at `api_version` (for the kinds not simulated).
pub fn served(api_version: &str, kind: &str) -> bool {
    SERVED
        .iter()
        .any(|(versions, kinds)| versions.contains(&api_version) && kinds.contains(&kind))
}

/// What `kubectl get` prints for kept objects of one kind: NAME, what kubectl shows of the
/// few kinds people look at, and AGE.
pub fn columns(kind: &str) -> &'static [&'static str] {
    match kind {
        "ConfigMap" => &["NAME", "DATA", "AGE"],
        "Secret" => &["NAME", "TYPE", "DATA", "AGE"],
        "ServiceAccount" => &["NAME", "SECRETS", "AGE"],
        "Ingress" => &["NAME", "CLASS", "HOSTS", "ADDRESS", "PORTS", "AGE"],
        "HorizontalPodAutoscaler" => &[
            "NAME",
            "REFERENCE",
            "TARGETS",
            "MINPODS",
            "MAXPODS",
            "REPLICAS",
            "AGE",
        ],
        "PodDisruptionBudget" => &[
            "NAME",
            "MIN AVAILABLE",
            "MAX UNAVAILABLE",
            "ALLOWED DISRUPTIONS",
            "AGE",
        ],
        _ => &["NAME", "AGE"],
    }
}

/// One row of `columns(kind)`, without the AGE the caller adds.
pub fn row(k: &Kept) -> Vec<String> {
    let v = &k.value;
    let at = |p: &str| v.pointer(p);
    let text = |p: &str, none: &str| match at(p) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => none.to_string(),
    };
    // DATA: the entries of the maps a ConfigMap or Secret holds its data in.
    let entries = |maps: [&str; 2]| {
        let n: usize = maps
            .iter()
            .filter_map(|p| at(p).and_then(Value::as_object))
            .map(|m| m.len())
            .sum();
        n.to_string()
    };
    let mut row = vec![k.name.clone()];
    match k.kind.as_str() {
        "ConfigMap" => row.push(entries(["/data", "/binaryData"])),
        "Secret" => {
            row.push(text("/type", "Opaque"));
            row.push(entries(["/data", "/stringData"]));
        }
        "ServiceAccount" => {
            let n = at("/secrets").and_then(Value::as_array).map_or(0, Vec::len);
            row.push(n.to_string());
        }
        "Ingress" => {
            row.push(text("/spec/ingressClassName", "<none>"));
            let rules = at("/spec/rules").and_then(Value::as_array);
            let hosts: Vec<String> = rules
                .into_iter()
                .flatten()
                .filter_map(|r| r.get("host").and_then(Value::as_str))
                .map(str::to_string)
                .collect();
            row.push(if hosts.is_empty() {
                "*".into()
            } else {
                hosts.join(",")
            });
            row.push(String::new());
            let tls = at("/spec/tls")
                .and_then(Value::as_array)
                .is_some_and(|t| !t.is_empty());
            row.push(if tls { "80, 443" } else { "80" }.into());
        }
        "HorizontalPodAutoscaler" => {
            let target = format!(
                "{}/{}",
                text("/spec/scaleTargetRef/kind", ""),
                text("/spec/scaleTargetRef/name", "")
            );
            row.push(target);
            row.push("<unknown>".into());
            row.push(text("/spec/minReplicas", "1"));
            row.push(text("/spec/maxReplicas", "<none>"));
            row.push("0".into());
        }
        "PodDisruptionBudget" => {
            row.push(text("/spec/minAvailable", "N/A"));
            row.push(text("/spec/maxUnavailable", "N/A"));
            row.push("0".into());
        }
        _ => {}
    }
    row
}

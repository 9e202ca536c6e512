//! Each kind's row for `kubectl get` (the columns of kubectl's printers) and the object that
//! `-o yaml|json` prints: spec as stored, with metadata and status as the API server reports
//! them. Addresses are stable stand-ins: pods 10.244.<node>.<n>, Services 10.96.<n>.<m>.
use super::labels;
use super::scalar_text as text;
use crate::api::{Deployment, Labels, PodTemplateSpec, ReplicaSet, Service};
use crate::cluster::Cluster;
use crate::kubelet::{ContainerState, Pod};
use crate::rollouts::analysis::AnalysisRun;
use crate::rollouts::api::{AnalysisTemplate, Rollout};
use serde_json::{json, Map, Value};

use crate::time::Ms;

/// One object as `kubectl get` lists it.
pub struct Row {
    pub(super) namespace: String,
    pub(super) name: String,
    pub(super) labels: Labels,
    pub(super) created: Ms,
    /// The columns between NAME and AGE.
    pub(super) cells: Vec<String>,
    /// `-o wide`'s columns, after AGE.
    pub(super) wide: Vec<String>,
    /// The object as `-o yaml` and `-o json` print it.
    pub(super) object: Value,
}

const NAMESPACE: &str = "default";

fn namespace(ns: &Option<String>) -> String {
    ns.clone().unwrap_or_else(|| NAMESPACE.into())
}

/// `apiVersion`, `kind` and the stored metadata put around a written object.
fn stored(api_version: &str, kind: &str, mut object: Value, extra_meta: Value) -> Value {
    if let Some(map) = object.as_object_mut() {
        map.insert("apiVersion".into(), api_version.into());
        map.insert("kind".into(), kind.into());
        let meta = map.entry("metadata").or_insert_with(|| json!({}));
        if let (Some(meta), Value::Object(extra)) = (meta.as_object_mut(), extra_meta) {
            meta.entry("namespace").or_insert_with(|| NAMESPACE.into());
            for (k, v) in extra {
                meta.insert(k, v);
            }
        }
    }
    object
}

/// CONTAINERS, IMAGES and SELECTOR of `-o wide` for a workload.
fn workload_wide(template: &PodTemplateSpec, selector: &Labels) -> Vec<String> {
    let containers = &template.spec.containers;
    let names: Vec<&str> = containers.iter().map(|c| c.name.as_str()).collect();
    let images: Vec<&str> = containers.iter().map(|c| c.image.as_str()).collect();
    vec![names.join(","), images.join(","), labels(selector)]
}

fn labels_value(l: &Labels) -> Value {
    let mut m = Map::new();
    for (k, v) in l {
        m.insert(k.clone(), v.clone().into());
    }
    Value::Object(m)
}

/// A Service's ports as its spec lists them.
fn ports(s: &Service) -> Vec<Map<String, Value>> {
    let list = s.spec.extra.get("ports").and_then(Value::as_array);
    list.into_iter()
        .flatten()
        .filter_map(|p| p.as_object().cloned())
        .collect()
}

impl Cluster {
    /// A ReplicaSet's namespace: its own, else its owner's (the simulation creates them there).
    fn replica_set_namespace(&self, rs: &ReplicaSet) -> String {
        let owner = rs.owner.as_deref();
        let from_owner = self
            .deployments
            .iter()
            .map(|d| &d.metadata)
            .chain(self.rollouts.iter().map(|r| &r.metadata))
            .find(|m| Some(m.name.as_str()) == owner)
            .and_then(|m| m.namespace.clone());
        rs.metadata
            .namespace
            .clone()
            .or(from_owner)
            .unwrap_or_else(|| NAMESPACE.into())
    }

    pub(super) fn deployment_row(&self, d: &Deployment) -> Row {
        let s = &d.status;
        let mut status = json!({
            "observedGeneration": s.observed_generation,
            "replicas": s.replicas,
            "updatedReplicas": s.updated_replicas,
            "readyReplicas": s.ready_replicas,
            "availableReplicas": s.available_replicas,
            "conditions": s.conditions.iter().map(|c| json!({
                "type": c.type_, "status": c.status, "reason": c.reason, "message": c.message,
            })).collect::<Vec<_>>(),
        });
        if s.unavailable_replicas > 0 {
            status["unavailableReplicas"] = s.unavailable_replicas.into();
        }
        let mut object = stored(
            "apps/v1",
            "Deployment",
            crate::write::deployment(d),
            json!({"generation": d.metadata.generation}),
        );
        object["status"] = status;
        Row {
            namespace: namespace(&d.metadata.namespace),
            name: d.metadata.name.clone(),
            labels: d.metadata.labels.clone(),
            created: d.metadata.created_at,
            cells: vec![
                format!("{}/{}", s.ready_replicas, d.spec.replicas),
                s.updated_replicas.to_string(),
                s.available_replicas.to_string(),
            ],
            wide: workload_wide(&d.spec.template, &d.spec.selector.match_labels),
            object,
        }
    }

    pub(super) fn replica_set_row(&self, rs: &ReplicaSet) -> Row {
        let owner = rs.owner.as_ref().map(|o| {
            let kind = if self.rollouts.iter().any(|r| &r.metadata.name == o) {
                ("argoproj.io/v1alpha1", "Rollout")
            } else {
                ("apps/v1", "Deployment")
            };
            json!([{"apiVersion": kind.0, "kind": kind.1, "name": o, "controller": true, "blockOwnerDeletion": true}])
        });
        let mut meta = json!({"generation": rs.metadata.generation});
        if let Some(owner) = owner {
            meta["ownerReferences"] = owner;
        }
        let mut spec = json!({
            "replicas": rs.replicas,
            "selector": {"matchLabels": labels_value(&rs.selector)},
            "template": crate::write::template(&rs.template),
        });
        if rs.min_ready_seconds > 0 {
            spec["minReadySeconds"] = rs.min_ready_seconds.into();
        }
        let object = stored(
            "apps/v1",
            "ReplicaSet",
            json!({
                "metadata": crate::write::metadata(&rs.metadata),
                "spec": spec,
                "status": {
                    "observedGeneration": rs.status.observed_generation,
                    "replicas": rs.status.replicas,
                    "readyReplicas": rs.status.ready_replicas,
                    "availableReplicas": rs.status.available_replicas,
                },
            }),
            meta,
        );
        let ns = self.replica_set_namespace(rs);
        let mut object = object;
        object["metadata"]["namespace"] = ns.clone().into();
        Row {
            namespace: ns,
            name: rs.metadata.name.clone(),
            labels: rs.metadata.labels.clone(),
            created: rs.metadata.created_at,
            cells: vec![
                rs.replicas.to_string(),
                rs.status.replicas.to_string(),
                rs.status.ready_replicas.to_string(),
            ],
            wide: workload_wide(&rs.template, &rs.selector),
            object,
        }
    }

    pub(super) fn pod_row(&self, p: &Pod) -> Row {
        let owner = self
            .replica_sets
            .iter()
            .find(|rs| rs.metadata.uid == p.owner);
        let template = owner.map(|rs| &rs.template);
        let ns = owner.map_or_else(|| NAMESPACE.into(), |rs| self.replica_set_namespace(rs));
        let running = matches!(p.container, ContainerState::Running { .. });
        let phase = match p.container {
            ContainerState::Creating => "Pending",
            ContainerState::Terminated => "Succeeded",
            _ => "Running",
        };
        let container = template
            .and_then(|t| t.spec.containers.first())
            .map_or("app", |c| c.name.as_str());
        let mut spec = template.map_or(json!({}), |t| crate::write::template(t)["spec"].clone());
        spec["nodeName"] = format!("node-{}", p.node + 1).into();
        let state = match p.container {
            ContainerState::Creating => json!({"waiting": {"reason": "ContainerCreating"}}),
            ContainerState::BackOff { .. } => json!({"waiting": {"reason": "CrashLoopBackOff"}}),
            ContainerState::Terminated => {
                json!({"terminated": {"reason": "Completed", "exitCode": 0}})
            }
            ContainerState::Running { .. } => json!({"running": {}}),
        };
        let ready = if p.ready { "True" } else { "False" };
        let mut meta = json!({
            "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": p.owner_name, "controller": true, "blockOwnerDeletion": true}],
        });
        if p.deletion.is_some() {
            meta["deletionGracePeriodSeconds"] = (p.grace_ms / 1000).into();
        }
        let mut object = stored(
            "v1",
            "Pod",
            json!({
                "metadata": {"name": p.name, "labels": labels_value(&p.labels)},
                "spec": spec,
                "status": {
                    "phase": phase,
                    "podIP": p.ip(),
                    "conditions": [
                        {"type": "Ready", "status": ready},
                        {"type": "ContainersReady", "status": ready},
                    ],
                    "containerStatuses": std::iter::once(json!({
                        "name": container,
                        "image": p.image,
                        "ready": p.ready,
                        "started": running,
                        "restartCount": p.restarts,
                        "state": state,
                    }))
                    .chain(p.others.iter().filter(|s| !s.native).map(|s| {
                        let up = self.now >= s.ready_at;
                        let state = if up { json!({"running": {}}) } else { json!({"waiting": {"reason": "ContainerCreating"}}) };
                        json!({"name": s.name, "image": s.image, "ready": up, "started": up, "restartCount": 0, "state": state})
                    }))
                    .collect::<Vec<_>>(),
                },
            }),
            meta,
        );
        object["metadata"]["namespace"] = ns.clone().into();
        Row {
            namespace: ns,
            name: p.name.clone(),
            labels: p.labels.clone(),
            created: p.created_at,
            cells: vec![
                {
                    let (ready, total) = p.ready_containers(self.now);
                    format!("{ready}/{total}")
                },
                p.status_at(self.now),
                p.restarts.to_string(),
            ],
            wide: vec![
                p.ip(),
                format!("node-{}", p.node + 1),
                "<none>".into(),
                "<none>".into(),
            ],
            object,
        }
    }

    /// The Service's cluster IP: `clusterIP` when the spec sets it, else a stable address.
    fn cluster_ip(&self, s: &Service) -> String {
        match text(s.spec.extra.get("clusterIP")) {
            Some(ip) => ip,
            None => format!(
                "10.96.{}.{}",
                s.metadata.uid / 250,
                s.metadata.uid % 250 + 1
            ),
        }
    }

    pub(super) fn service_row(&self, s: &Service) -> Row {
        let type_ = text(s.spec.extra.get("type")).unwrap_or_else(|| "ClusterIP".into());
        let external_name = text(s.spec.extra.get("externalName"));
        let cluster_ip = match type_.as_str() {
            "ExternalName" => "<none>".to_string(),
            _ => self.cluster_ip(s),
        };
        let external_ip = match (type_.as_str(), external_name) {
            ("ExternalName", Some(name)) => name,
            ("LoadBalancer", _) => "<pending>".into(),
            _ => "<none>".into(),
        };
        let ports: Vec<String> = ports(s)
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let port = text(p.get("port")).unwrap_or_default();
                let protocol = text(p.get("protocol")).unwrap_or_else(|| "TCP".into());
                match type_.as_str() {
                    "NodePort" | "LoadBalancer" => {
                        let node_port = text(p.get("nodePort")).unwrap_or_else(|| {
                            (30000 + (s.metadata.uid * 7 + i as u64) % 2768).to_string()
                        });
                        format!("{port}:{node_port}/{protocol}")
                    }
                    _ => format!("{port}/{protocol}"),
                }
            })
            .collect();
        let mut object = stored("v1", "Service", crate::write::service(s), json!({}));
        if type_ != "ExternalName" {
            object["spec"]["clusterIP"] = cluster_ip.clone().into();
        }
        object["status"] = json!({"loadBalancer": {}});
        Row {
            namespace: namespace(&s.metadata.namespace),
            name: s.metadata.name.clone(),
            labels: s.metadata.labels.clone(),
            created: s.metadata.created_at,
            cells: vec![
                type_,
                cluster_ip,
                external_ip,
                if ports.is_empty() {
                    "<none>".into()
                } else {
                    ports.join(",")
                },
            ],
            wide: vec![labels(&s.spec.selector)],
            object,
        }
    }

    /// The port endpoints name: the first Service port's `targetPort`, a named one resolved
    /// through the containers' ports (as the EndpointSlice controller does).
    fn target_port(&self, s: &Service) -> (Value, String) {
        let first = ports(s).into_iter().next();
        let port = first
            .as_ref()
            .and_then(|p| p.get("port").cloned())
            .unwrap_or(json!(80));
        let target = first
            .as_ref()
            .and_then(|p| p.get("targetPort").cloned())
            .unwrap_or_else(|| port.clone());
        let protocol = first
            .and_then(|p| text(p.get("protocol")))
            .unwrap_or_else(|| "TCP".into());
        let Value::String(name) = &target else {
            return (target, protocol);
        };
        let templates = self
            .deployments
            .iter()
            .map(|d| &d.spec.template)
            .chain(self.rollouts.iter().map(|r| &r.spec.template));
        let named = templates
            .flat_map(|t| &t.spec.containers)
            .filter_map(|c| c.extra.get("ports").and_then(Value::as_array))
            .flatten()
            .find(|p| p.get("name").and_then(Value::as_str) == Some(name))
            .and_then(|p| p.get("containerPort").cloned());
        (named.unwrap_or(target), protocol)
    }

    fn ready_ips(&self, i: usize) -> Vec<(String, String)> {
        self.endpoints[i]
            .ready()
            .filter_map(|uid| self.pod_index(uid))
            .map(|p| (self.pods[p].ip(), self.pods[p].name.clone()))
            .collect()
    }

    pub(super) fn endpoints_row(&self, i: usize, s: &Service) -> Row {
        let (port, protocol) = self.target_port(s);
        let port_text = text(Some(&port)).unwrap_or_default();
        let ips = self.ready_ips(i);
        let shown: Vec<String> = ips
            .iter()
            .map(|(ip, _)| format!("{ip}:{port_text}"))
            .collect();
        let addresses: Vec<Value> = ips
            .iter()
            .map(|(ip, pod)| json!({"ip": ip, "targetRef": {"kind": "Pod", "name": pod, "namespace": NAMESPACE}}))
            .collect();
        let subsets = if addresses.is_empty() {
            json!([])
        } else {
            json!([{"addresses": addresses, "ports": [{"port": port, "protocol": protocol}]}])
        };
        let object = stored(
            "v1",
            "Endpoints",
            json!({"metadata": {"name": s.metadata.name, "labels": labels_value(&s.metadata.labels)}, "subsets": subsets}),
            json!({}),
        );
        Row {
            namespace: namespace(&s.metadata.namespace),
            name: s.metadata.name.clone(),
            labels: s.metadata.labels.clone(),
            created: s.metadata.created_at,
            cells: vec![at_most_three(&shown)],
            wide: Vec::new(),
            object,
        }
    }

    pub(super) fn endpoint_slice_row(&self, i: usize, s: &Service) -> Row {
        let (port, protocol) = self.target_port(s);
        let ips = self.ready_ips(i);
        let name = format!("{}-{}", s.metadata.name, slice_suffix(s.metadata.uid));
        let shown: Vec<String> = ips.iter().map(|(ip, _)| ip.clone()).collect();
        let endpoints: Vec<Value> = ips
            .iter()
            .map(|(ip, pod)| json!({"addresses": [ip], "conditions": {"ready": true, "serving": true, "terminating": false}, "targetRef": {"kind": "Pod", "name": pod, "namespace": NAMESPACE}}))
            .collect();
        let mut labels = s.metadata.labels.clone();
        labels.insert("kubernetes.io/service-name".into(), s.metadata.name.clone());
        let object = stored(
            "discovery.k8s.io/v1",
            "EndpointSlice",
            json!({
                "metadata": {"name": name, "labels": labels_value(&labels)},
                "addressType": "IPv4",
                "endpoints": endpoints,
                "ports": [{"port": port, "protocol": protocol}],
            }),
            json!({}),
        );
        Row {
            namespace: namespace(&s.metadata.namespace),
            name,
            labels,
            created: s.metadata.created_at,
            cells: vec![
                "IPv4".into(),
                text(Some(&port)).unwrap_or_default(),
                at_most_three(&shown),
            ],
            wide: Vec::new(),
            object,
        }
    }

    pub(super) fn rollout_row(&self, r: &Rollout) -> Row {
        let s = &r.status;
        let mut object = stored(
            "argoproj.io/v1alpha1",
            "Rollout",
            crate::rollouts::write::rollout(r),
            json!({"generation": r.metadata.generation}),
        );
        object["status"] = json!({
            "observedGeneration": s.observed_generation.to_string(),
            "phase": s.phase.as_str(),
            "replicas": s.replicas,
            "updatedReplicas": s.updated_replicas,
            "readyReplicas": s.ready_replicas,
            "availableReplicas": s.available_replicas,
            "currentPodHash": s.current_pod_hash,
            "stableRS": s.stable_rs,
        });
        Row {
            namespace: namespace(&r.metadata.namespace),
            name: r.metadata.name.clone(),
            labels: r.metadata.labels.clone(),
            created: r.metadata.created_at,
            cells: vec![
                r.spec.replicas.to_string(),
                s.replicas.to_string(),
                s.updated_replicas.to_string(),
                s.available_replicas.to_string(),
            ],
            wide: Vec::new(),
            object,
        }
    }
}

pub(super) fn analysis_run_row(a: &AnalysisRun) -> Row {
    let object = stored(
        "argoproj.io/v1alpha1",
        "AnalysisRun",
        json!({
            "metadata": {"name": a.name, "ownerReferences": [{"apiVersion": "argoproj.io/v1alpha1", "kind": "Rollout", "name": a.rollout, "controller": true}]},
            "status": {"phase": a.phase.as_str(), "message": a.message},
        }),
        json!({}),
    );
    Row {
        namespace: NAMESPACE.into(),
        name: a.name.clone(),
        labels: Labels::new(),
        created: a.started_at,
        cells: vec![a.phase.as_str().into()],
        wide: Vec::new(),
        object,
    }
}

pub(super) fn analysis_template_row(t: &AnalysisTemplate) -> Row {
    Row {
        namespace: namespace(&t.metadata.namespace),
        name: t.metadata.name.clone(),
        labels: t.metadata.labels.clone(),
        created: t.metadata.created_at,
        cells: Vec::new(),
        wide: Vec::new(),
        object: stored(
            "argoproj.io/v1alpha1",
            t.kind(),
            crate::rollouts::write::analysis_template(t),
            json!({}),
        ),
    }
}

/// kubectl's ENDPOINTS column: three addresses, then how many more.
fn at_most_three(shown: &[String]) -> String {
    match shown.len() {
        0 => "<none>".into(),
        1..=3 => shown.join(","),
        n => format!("{} + {} more...", shown[..3].join(","), n - 3),
    }
}

/// The five random characters an EndpointSlice's generated name ends with, made stable.
fn slice_suffix(uid: u64) -> String {
    const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    let mut n = uid.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    (0..5)
        .map(|_| {
            let c = ALPHABET[(n % ALPHABET.len() as u64) as usize] as char;
            n /= ALPHABET.len() as u64;
            c
        })
        .collect()
}

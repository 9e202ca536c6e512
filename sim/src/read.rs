//! Core Kubernetes objects (Deployment, Service and what they contain) from the parsed YAML tree,
//! with the API server's defaults (D-1..D-4). Fields the simulation does not model are kept
//! verbatim in `extra`, so templates compare and hash as they would upstream.
use crate::api::*;
use crate::intstr::IntOrString;
use crate::yaml::read::{Obj, R};
use serde_json::Value;

pub fn deployment(v: &Value) -> R<Deployment> {
    let o = Obj::new(v, "")?;
    Ok(Deployment {
        metadata: metadata(&o.required_obj("metadata")?)?,
        spec: deployment_spec(&o.required_obj("spec")?)?,
        status: DeploymentStatus::default(),
    })
}

pub fn service(v: &Value) -> R<Service> {
    let o = Obj::new(v, "")?;
    let spec = match o.obj("spec")? {
        Some(s) => ServiceSpec {
            selector: s.labels("selector")?,
            session_affinity: match s.word("sessionAffinity", &["None", "ClientIP"])? {
                Some(1) => SessionAffinity::ClientIP,
                _ => SessionAffinity::None,
            },
            session_affinity_config: s.value("sessionAffinityConfig"),
            extra: service_defaults(s.rest(&[
                "selector",
                "sessionAffinity",
                "sessionAffinityConfig",
            ])),
        },
        None => ServiceSpec {
            extra: service_defaults(Extra::new()),
            ..ServiceSpec::default()
        },
    };
    Ok(Service {
        metadata: metadata(&o.required_obj("metadata")?)?,
        spec,
    })
}

pub fn metadata(o: &Obj<'_>) -> R<ObjectMeta> {
    Ok(ObjectMeta {
        name: o.string("name")?.unwrap_or_default(),
        namespace: o.string("namespace")?,
        labels: o.labels("labels")?,
        annotations: o.labels("annotations")?,
        ..ObjectMeta::default()
    })
}

pub fn selector(o: &Obj<'_>) -> R<LabelSelector> {
    Ok(LabelSelector {
        match_labels: o.labels("matchLabels")?,
    })
}

pub fn template(o: &Obj<'_>) -> R<PodTemplateSpec> {
    let metadata = match o.obj("metadata")? {
        Some(m) => TemplateMeta {
            labels: m.labels("labels")?,
            annotations: m.labels("annotations")?,
        },
        None => TemplateMeta::default(),
    };
    let s = o.required_obj("spec")?;
    Ok(PodTemplateSpec {
        metadata,
        spec: PodSpec {
            containers: s.list("containers", container)?,
            // D-4, written into the object as the API server does (`kubectl get -o yaml` shows it).
            termination_grace_period_seconds: s
                .i64("terminationGracePeriodSeconds")?
                .or(Some(crate::api::DEFAULT_GRACE_SECONDS)),
            extra: s.rest(&["containers", "terminationGracePeriodSeconds"]),
        },
    })
}

fn container(c: &Obj<'_>) -> R<Container> {
    let probe = |key: &str| c.obj(key)?.map(|p| probe(&p)).transpose();
    const BY_HAND: [&str; 4] = [
        "readinessProbe",
        "livenessProbe",
        "startupProbe",
        "lifecycle",
    ];
    Container {
        readiness_probe: probe("readinessProbe")?,
        liveness_probe: probe("livenessProbe")?,
        startup_probe: probe("startupProbe")?,
        lifecycle: c
            .obj("lifecycle")?
            .map(|l| {
                Ok::<_, crate::yaml::read::Error>(Lifecycle {
                    pre_stop: l.obj("preStop")?.map(|h| handler(&h)).transpose()?,
                    extra: l.rest(&["preStop"]),
                })
            })
            .transpose()?,
        extra: {
            let mut extra = c.rest(&[Container::KEYS, &BY_HAND].concat());
            default_ports(&mut extra, |_| {});
            extra
        },
        ..Container::default()
    }
    .read_table(c)
}

fn handler(h: &Obj<'_>) -> R<Handler> {
    Ok(Handler {
        exec: h
            .obj("exec")?
            .map(|e| {
                let command =
                    e.scalars("command", |v| v.as_str().map(str::to_string), "a string")?;
                Ok::<_, crate::yaml::read::Error>(ExecAction {
                    command: command.unwrap_or_default(),
                })
            })
            .transpose()?,
        http_get: h.value("httpGet"),
        tcp_socket: h.value("tcpSocket"),
        grpc: h.value("grpc"),
        sleep: h
            .obj("sleep")?
            .map(|s| {
                Ok::<_, crate::yaml::read::Error>(SleepAction {
                    seconds: s.i64("seconds")?.ok_or_else(|| s.missing("seconds"))?,
                })
            })
            .transpose()?,
    })
}

/// D-3: probe defaults are applied as the probe is read.
pub fn probe(p: &Obj<'_>) -> R<Probe> {
    Probe {
        handler: handler(p)?,
        ..Probe::default()
    }
    .read_table(p)
}

fn deployment_spec(s: &Obj<'_>) -> R<DeploymentSpec> {
    let strategy = match s.obj("strategy")? {
        Some(st) => DeploymentStrategy {
            type_: match st.word("type", &["RollingUpdate", "Recreate"])? {
                Some(1) => StrategyType::Recreate,
                _ => StrategyType::RollingUpdate,
            },
            rolling_update: st
                .obj("rollingUpdate")?
                .map(|ru| {
                    Ok::<_, crate::yaml::read::Error>(RollingUpdate {
                        max_surge: ru.int_or_string("maxSurge")?,
                        max_unavailable: ru.int_or_string("maxUnavailable")?,
                    })
                })
                .transpose()?,
        },
        None => DeploymentStrategy::default(),
    };
    DeploymentSpec {
        selector: selector(&s.required_obj("selector")?)?,
        template: template(&s.required_obj("template")?)?,
        strategy: default_strategy(strategy),
        ..DeploymentSpec::default()
    }
    .read_table(s)
}

/// D-5 `SetDefaults_Service`: type ClusterIP; each port's protocol TCP and targetPort its port.
fn service_defaults(mut extra: Extra) -> Extra {
    extra
        .entry("type".into())
        .or_insert_with(|| Value::from("ClusterIP"));
    default_ports(&mut extra, |port| {
        if let Some(p) = port.get("port").cloned() {
            port.entry("targetPort").or_insert(p);
        }
    });
    extra
}

/// D-5: every entry of `ports` gets `protocol: TCP` (`SetDefaults_ContainerPort`,
/// `SetDefaults_ServicePort`), then whatever else `more` defaults.
fn default_ports(extra: &mut Extra, more: impl Fn(&mut serde_json::Map<String, Value>)) {
    let Some(Value::Array(ports)) = extra.get_mut("ports") else {
        return;
    };
    for port in ports.iter_mut().filter_map(Value::as_object_mut) {
        port.entry("protocol").or_insert_with(|| Value::from("TCP"));
        more(port);
    }
}

/// D-1 `SetDefaults_Deployment`, field by field and before validation: a RollingUpdate
/// strategy gets 25% for whichever of maxSurge and maxUnavailable it does not set (so
/// `rollingUpdate: {maxSurge: 1}` keeps a quarter of the pods' worth of unavailability, not 0).
fn default_strategy(mut strategy: DeploymentStrategy) -> DeploymentStrategy {
    if strategy.type_ == StrategyType::RollingUpdate {
        let quarter = || IntOrString::String("25%".into());
        let ru = strategy.rolling_update.get_or_insert_with(Default::default);
        ru.max_surge.get_or_insert_with(quarter);
        ru.max_unavailable.get_or_insert_with(quarter);
    }
    strategy
}

//! Core Kubernetes objects back to the JSON tree that `yaml::emit` prints (the lab's manifests,
//! saved scenarios, `kubectl patch`) and that the pod-template hash is taken over. Written by
//! hand, as `read` reads them: fields at their defaults are written anyway (as `kubectl get -o
//! yaml` shows them), optional ones only when set, unmodelled ones verbatim.
use crate::api::*;
pub use crate::fields::{labels, Out};
use crate::intstr::IntOrString;
use serde_json::Value;

pub fn intstr(v: &IntOrString) -> Value {
    match v {
        IntOrString::Int(n) => Value::from(*n),
        IntOrString::String(s) => Value::from(s.clone()),
    }
}

pub fn metadata(m: &ObjectMeta) -> Value {
    Out::new()
        .put("name", m.name.clone())
        .opt("namespace", m.namespace.clone())
        .labels("labels", &m.labels)
        .labels("annotations", &m.annotations)
        .done()
}

pub fn selector(s: &LabelSelector) -> Value {
    Out::new()
        .put("matchLabels", labels(&s.match_labels))
        .done()
}

pub fn template(t: &PodTemplateSpec) -> Value {
    let meta = Out::new()
        .labels("labels", &t.metadata.labels)
        .labels("annotations", &t.metadata.annotations);
    let spec = Out::new()
        .list("containers", &t.spec.containers, container)
        .opt(
            "terminationGracePeriodSeconds",
            t.spec.termination_grace_period_seconds,
        )
        .extra(&t.spec.extra);
    Out::new().put("metadata", meta).put("spec", spec).done()
}

fn container(c: &Container) -> Value {
    c.write_table(Out::new())
        .opt("readinessProbe", c.readiness_probe.as_ref().map(probe))
        .opt("livenessProbe", c.liveness_probe.as_ref().map(probe))
        .opt("startupProbe", c.startup_probe.as_ref().map(probe))
        .opt(
            "lifecycle",
            c.lifecycle.as_ref().map(|l| {
                Out::new()
                    .opt(
                        "preStop",
                        l.pre_stop.as_ref().map(|h| handler(h, Out::new())),
                    )
                    .extra(&l.extra)
                    .done()
            }),
        )
        .extra(&c.extra)
        .done()
}

/// A handler's fields, added to `out` (a probe writes them beside its own).
fn handler(h: &Handler, out: Out) -> Value {
    out.opt(
        "exec",
        h.exec
            .as_ref()
            .map(|e| Out::new().put("command", e.command.clone())),
    )
    .opt("httpGet", h.http_get.clone())
    .opt("tcpSocket", h.tcp_socket.clone())
    .opt("grpc", h.grpc.clone())
    .opt(
        "sleep",
        h.sleep
            .as_ref()
            .map(|s| Out::new().put("seconds", s.seconds)),
    )
    .done()
}

fn probe(p: &Probe) -> Value {
    handler(&p.handler, p.write_table(Out::new()))
}

pub fn deployment(d: &Deployment) -> Value {
    let s = &d.spec;
    let strategy = Out::new()
        .put(
            "type",
            match s.strategy.type_ {
                StrategyType::RollingUpdate => "RollingUpdate",
                StrategyType::Recreate => "Recreate",
            },
        )
        .opt(
            "rollingUpdate",
            s.strategy.rolling_update.as_ref().map(|ru| {
                Out::new()
                    .opt("maxSurge", ru.max_surge.as_ref().map(intstr))
                    .opt("maxUnavailable", ru.max_unavailable.as_ref().map(intstr))
            }),
        );
    let spec = s
        .write_table(Out::new())
        .put("selector", selector(&s.selector))
        .put("template", template(&s.template))
        .put("strategy", strategy);
    Out::new()
        .put("metadata", metadata(&d.metadata))
        .put("spec", spec)
        .done()
}

pub fn service(s: &Service) -> Value {
    let affinity = match s.spec.session_affinity {
        SessionAffinity::None => "None",
        SessionAffinity::ClientIP => "ClientIP",
    };
    let spec = Out::new()
        .put("selector", labels(&s.spec.selector))
        .put("sessionAffinity", affinity)
        .opt(
            "sessionAffinityConfig",
            s.spec.session_affinity_config.clone(),
        )
        .extra(&s.spec.extra);
    Out::new()
        .put("metadata", metadata(&s.metadata))
        .put("spec", spec)
        .done()
}

/// `ComputeHash` (`controller_utils.go`): FNV-32a of the template as written here (and the collision count), spelled with the safe
/// alphabet as `rand.SafeEncodeString` does.
pub fn template_hash(template: &PodTemplateSpec, collision_count: u32) -> String {
    let mut hash: u32 = 0x811c_9dc5;
    let text = self::template(template).to_string();
    let mut feed = |bytes: &[u8]| {
        for b in bytes {
            hash ^= u32::from(*b);
            hash = hash.wrapping_mul(0x0100_0193);
        }
    };
    feed(text.as_bytes());
    if collision_count > 0 {
        feed(&collision_count.to_le_bytes());
    }
    hash.to_string()
        .bytes()
        .map(|b| NAME_ALPHABET[usize::from(b) % NAME_ALPHABET.len()] as char)
        .collect()
}

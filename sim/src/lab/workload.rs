//! The app's workload in a scenario: its first Deployment or Rollout, seen the same way (replicas
//! and pod template), and rewritten as the other kind when the lab's Strategy control moves
//! between Kubernetes' strategies (Recreate, RollingUpdate) and Argo's (blue-green, canary).
use crate::api::{
    selector_matches, Deployment, DeploymentSpec, DeploymentStrategy, ObjectMeta, PodTemplateSpec,
    StrategyType,
};
use crate::intstr::IntOrString;
use crate::manifest::Object;
use crate::rollouts::api::{
    BlueGreen, Canary, CanaryStep, Pause, Rollout, RolloutSpec, RolloutStatus, RolloutStrategy,
};
use crate::scenario::Scenario;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Strategy {
    Recreate,
    RollingUpdate,
    /// An Argo Rollout with `strategy.blueGreen`.
    BlueGreen,
    /// An Argo Rollout with `strategy.canary`.
    Canary,
}

impl Strategy {
    pub const ALL: [Strategy; 4] = [
        Strategy::Recreate,
        Strategy::RollingUpdate,
        Strategy::BlueGreen,
        Strategy::Canary,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Strategy::Recreate => "Recreate",
            Strategy::RollingUpdate => "RollingUpdate",
            Strategy::BlueGreen => "BlueGreen",
            Strategy::Canary => "Canary",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Strategy::Recreate => "Recreate",
            Strategy::RollingUpdate => "RollingUpdate",
            Strategy::BlueGreen => "Blue/green (Argo Rollout)",
            Strategy::Canary => "Canary (Argo Rollout)",
        }
    }

    pub fn from_id(id: &str) -> Option<Strategy> {
        Strategy::ALL.into_iter().find(|s| s.id() == id)
    }

    /// Surge and unavailability apply (a Deployment's rolling update, or Argo's canary).
    pub fn has_fenceposts(self) -> bool {
        matches!(self, Strategy::RollingUpdate | Strategy::Canary)
    }

    fn is_argo(self) -> bool {
        matches!(self, Strategy::BlueGreen | Strategy::Canary)
    }
}

/// The first Deployment or Rollout, whichever comes first.
fn position(s: &Scenario) -> Option<usize> {
    s.objects
        .iter()
        .position(|o| matches!(o, Object::Deployment(_) | Object::Rollout(_)))
}

pub fn strategy(s: &Scenario) -> Option<Strategy> {
    Some(match &s.objects[position(s)?] {
        Object::Deployment(d) if d.spec.is_rolling() => Strategy::RollingUpdate,
        Object::Deployment(_) => Strategy::Recreate,
        Object::Rollout(r) if r.spec.strategy.blue_green.is_some() => Strategy::BlueGreen,
        _ => Strategy::Canary,
    })
}

/// (name, replicas, template) of the workload.
pub fn read(s: &Scenario) -> Option<(&str, i32, &PodTemplateSpec)> {
    match &s.objects[position(s)?] {
        Object::Deployment(d) => Some((&d.metadata.name, d.spec.replicas, &d.spec.template)),
        Object::Rollout(r) => Some((&r.metadata.name, r.spec.replicas, &r.spec.template)),
        _ => None,
    }
}

/// Mutable replicas and template of the workload.
pub fn parts_mut(s: &mut Scenario) -> Option<(&mut i32, &mut PodTemplateSpec)> {
    let i = position(s)?;
    match &mut s.objects[i] {
        Object::Deployment(d) => Some((&mut d.spec.replicas, &mut d.spec.template)),
        Object::Rollout(r) => Some((&mut r.spec.replicas, &mut r.spec.template)),
        _ => None,
    }
}

/// The surge and unavailability as written (Kubernetes' and Argo's default: 25% each).
pub fn fenceposts(s: &Scenario) -> Option<(Option<IntOrString>, Option<IntOrString>)> {
    let quarter = || Some(IntOrString::String("25%".into()));
    match &s.objects[position(s)?] {
        Object::Deployment(d) => Some(d.spec.surge_and_unavailable()),
        Object::Rollout(r) => Some(match &r.spec.strategy.canary {
            Some(c) => (
                c.max_surge.clone().or_else(quarter),
                c.max_unavailable.clone().or_else(quarter),
            ),
            None => (quarter(), quarter()),
        }),
        _ => None,
    }
}

/// Makes the workload the kind `to` needs and sets its strategy (and fenceposts, where they
/// apply). Timeline commands written for the other kind are rewritten to match.
pub fn set_strategy(s: &mut Scenario, to: Strategy, surge: IntOrString, unavailable: IntOrString) {
    let Some(i) = position(s) else { return };
    // What a Deployment and a Rollout share, under the same field names, kept across the change.
    macro_rules! shared {
        ($w:expr) => {
            (
                $w.metadata.clone(),
                $w.spec.replicas,
                $w.spec.selector.clone(),
                $w.spec.template.clone(),
                $w.spec.min_ready_seconds,
                $w.spec.revision_history_limit,
            )
        };
    }
    let (meta, replicas, selector, template, min_ready, history) = match &s.objects[i] {
        Object::Deployment(d) => shared!(d),
        Object::Rollout(r) => shared!(r),
        _ => return,
    };
    let name = meta.name.clone();
    let service = s
        .objects
        .iter()
        .find_map(|o| match o {
            Object::Service(svc)
                if selector_matches(&svc.spec.selector, &template.metadata.labels) =>
            {
                Some(svc.metadata.name.clone())
            }
            _ => None,
        })
        .unwrap_or_else(|| name.clone());
    s.objects[i] = if to.is_argo() {
        let (blue_green, canary) = match to {
            Strategy::BlueGreen => {
                let kept = match &s.objects[i] {
                    Object::Rollout(r) => r.spec.strategy.blue_green.clone(),
                    _ => None,
                };
                let bg = kept.unwrap_or_else(|| {
                    let preview = format!("{service}-preview");
                    add_preview_service(s, &service, &preview);
                    BlueGreen {
                        active_service: service,
                        preview_service: Some(preview),
                        ..BlueGreen::default()
                    }
                });
                (Some(bg), None)
            }
            _ => (None, Some(canary_strategy(s, i, surge, unavailable))),
        };
        if let Object::Rollout(r) = &mut s.objects[i] {
            // The same kind: everything as written, the strategy changed.
            r.spec.strategy = RolloutStrategy { blue_green, canary };
            return retranslate(s, &name, to);
        }
        Object::Rollout(Rollout {
            metadata: ObjectMeta {
                name: meta.name,
                labels: meta.labels,
                annotations: meta.annotations,
                ..ObjectMeta::default()
            },
            spec: RolloutSpec {
                replicas,
                selector,
                template,
                workload_ref: None,
                min_ready_seconds: min_ready,
                revision_history_limit: history,
                paused: false,
                progress_deadline_seconds: 600,
                strategy: RolloutStrategy { blue_green, canary },
            },
            status: RolloutStatus::default(),
        })
    } else {
        let mut spec = match &s.objects[i] {
            Object::Deployment(d) => d.spec.clone(),
            _ => DeploymentSpec {
                replicas,
                selector,
                template,
                strategy: DeploymentStrategy::default(),
                min_ready_seconds: min_ready,
                revision_history_limit: history,
                progress_deadline_seconds: Some(600),
                paused: false,
                pod_replacement_policy: None,
            },
        };
        spec.strategy.type_ = match to {
            Strategy::Recreate => StrategyType::Recreate,
            _ => StrategyType::RollingUpdate,
        };
        spec.strategy.rolling_update =
            (to == Strategy::RollingUpdate).then_some(crate::api::RollingUpdate {
                max_surge: Some(surge),
                max_unavailable: Some(unavailable),
            });
        if let Object::Deployment(d) = &mut s.objects[i] {
            d.spec = spec;
            return retranslate(s, &name, to);
        }
        Object::Deployment(Deployment {
            metadata: ObjectMeta {
                name: meta.name,
                labels: meta.labels,
                annotations: meta.annotations,
                ..ObjectMeta::default()
            },
            spec,
            status: Default::default(),
        })
    };
    retranslate(s, &name, to);
}

/// Timeline commands written for the other kind, rewritten for the workload's kind now.
fn retranslate(s: &mut Scenario, name: &str, to: Strategy) {
    for step in &mut s.timeline {
        step.run = translate(&step.run, name, to.is_argo());
    }
}

/// Keeps a canary's steps and Services when it stays a canary; a new one gets a lesson-sized
/// plan: 25%, a pause, 50%, a pause.
fn canary_strategy(s: &Scenario, i: usize, surge: IntOrString, unavailable: IntOrString) -> Canary {
    let old = match &s.objects[i] {
        Object::Rollout(r) => r.spec.strategy.canary.clone(),
        _ => None,
    };
    let pause = |secs: i32| CanaryStep {
        pause: Some(Pause {
            duration: Some(IntOrString::String(format!("{secs}s"))),
        }),
        ..CanaryStep::default()
    };
    let weight = |w: i32| CanaryStep {
        set_weight: Some(w),
        ..CanaryStep::default()
    };
    let mut c = old.unwrap_or_else(|| Canary {
        steps: vec![weight(25), pause(20), weight(50), pause(20)],
        ..Canary::default()
    });
    // A value left unset stays unset while it equals Argo's default (25%), as written.
    let quarter = IntOrString::String("25%".into());
    if c.max_surge.is_some() || surge != quarter {
        c.max_surge = Some(surge);
    }
    if c.max_unavailable.is_some() || unavailable != quarter {
        c.max_unavailable = Some(unavailable);
    }
    c
}

/// Blue-green needs a second Service for the preview: a copy of the active one.
fn add_preview_service(s: &mut Scenario, active: &str, preview: &str) {
    let exists = s
        .objects
        .iter()
        .any(|o| matches!(o, Object::Service(svc) if svc.metadata.name == preview));
    let copy = s.objects.iter().find_map(|o| match o {
        Object::Service(svc) if svc.metadata.name == active => Some(svc.clone()),
        _ => None,
    });
    if let (false, Some(mut svc)) = (exists, copy) {
        svc.metadata = ObjectMeta {
            name: preview.to_string(),
            ..ObjectMeta::default()
        };
        s.objects.push(Object::Service(svc));
    }
}

/// `kubectl set image deployment/web ...` ⇄ `kubectl argo rollouts set image web ...`, and the
/// same for undo, so a scenario's timeline follows the workload's kind.
pub fn translate(line: &str, name: &str, to_argo: bool) -> String {
    let deployment = [
        (
            format!("kubectl set image deployment/{name} "),
            format!("kubectl argo rollouts set image {name} "),
        ),
        (
            format!("kubectl rollout undo deployment/{name}"),
            format!("kubectl argo rollouts undo {name}"),
        ),
    ];
    for (k8s, argo) in deployment {
        let (from, to) = if to_argo {
            (&k8s, &argo)
        } else {
            (&argo, &k8s)
        };
        if let Some(rest) = line.strip_prefix(from.as_str()) {
            return format!("{to}{rest}");
        }
    }
    line.to_string()
}

//! The simulated deploy: the pasted objects in a cluster with the assumed world, the change made
//! at `DEPLOY_AT`, and the run carried on until the rollout completes and the old pods and every
//! proxy's memory of them are gone, or until it stalls.
use super::world::World;
use crate::api::selector_matches;
use crate::cluster::Cluster;
use crate::lab::workload;
use crate::manifest::Object;
use crate::rollouts::api::Phase;
use crate::scenario::{Duration, Image, Ingress, Network, Scenario, Step, Traffic, Via};
use crate::time::{Ms, SECOND};

/// The change is made after ten seconds of steady traffic, so the charts show the before.
pub const DEPLOY_AT: Ms = 10 * SECOND;

/// What the command log says of a pause the check promoted.
pub const PROMOTED: &str = "promoted by the check";

/// How the deploy ended.
#[derive(Clone, Debug, PartialEq)]
pub enum End {
    /// The controller reported it complete at `at` (AV-3, or a Rollout Healthy on the new
    /// version) and the last old pod was gone at `settled`.
    Completed { at: Ms, settled: Ms },
    /// It stopped making progress: the message says why, as the controller or kubectl would.
    Stalled { at: Ms, why: String },
}

/// The workload the check deploys, and what it deploys.
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    pub rollout: bool,
    pub name: String,
    /// A Rollout's `workloadRef`: the Deployment whose template it runs, where the change is made.
    pub template_from: Option<String>,
    pub container: String,
    pub from: String,
    pub to: String,
}

impl Target {
    /// "deployment/web" or "rollout/web".
    pub fn object(&self) -> String {
        let kind = if self.rollout {
            "rollout"
        } else {
            "deployment"
        };
        format!("{kind}/{}", self.name)
    }

    /// The command that makes the change, as a person would type it.
    pub fn command(&self) -> String {
        let (c, to) = (&self.container, &self.to);
        if let Some(d) = &self.template_from {
            format!("kubectl set image deployment/{d} {c}={to}")
        } else if self.rollout {
            format!("kubectl argo rollouts set image {} {c}={to}", self.name)
        } else {
            format!("kubectl set image deployment/{} {c}={to}", self.name)
        }
    }
}

/// The workload to deploy: the first Deployment or Rollout, and its first container unless
/// `container` names another. `image` is the new image (the next tag when `None`).
pub fn target(
    s: &Scenario,
    container: Option<&str>,
    image: Option<&str>,
) -> Result<Target, String> {
    let (mut name, _, mut template) =
        workload::read(s).ok_or("the manifests have no Deployment or Rollout to deploy")?;
    // A Rollout running a Deployment's template is what deploys; the template is the Deployment's.
    let referring = s.objects.iter().find_map(|o| match o {
        Object::Rollout(r) => {
            let w = r
                .spec
                .workload_ref
                .as_ref()
                .filter(|w| w.kind == "Deployment")?;
            let d = s.objects.iter().find_map(|o| match o {
                Object::Deployment(d) if d.metadata.name == w.name => Some(d),
                _ => None,
            })?;
            Some((r.metadata.name.as_str(), d))
        }
        _ => None,
    });
    if let Some((rollout, d)) = referring {
        name = rollout;
        template = &d.spec.template;
    }
    let containers = &template.spec.containers;
    let c = match container {
        Some(n) => containers.iter().find(|c| c.name == n).ok_or_else(|| {
            let names: Vec<&str> = containers.iter().map(|c| c.name.as_str()).collect();
            format!(
                "{name} has no container {n:?} (it has {})",
                names.join(", ")
            )
        })?,
        None => containers.first().ok_or("the workload has no container")?,
    };
    let to = image.map_or_else(|| super::world::next_image(&c.image), str::to_string);
    if to == c.image {
        return Err(format!(
            "{} already runs {to}: setting the same image changes nothing, so nothing would deploy; name another image",
            c.name
        ));
    }
    Ok(Target {
        rollout: referring.is_some()
            || workload::strategy(s).is_some_and(|st| {
                matches!(
                    st,
                    workload::Strategy::BlueGreen | workload::Strategy::Canary
                )
            }),
        name: name.to_string(),
        template_from: referring.map(|(_, d)| d.metadata.name.clone()),
        container: c.name.clone(),
        from: c.image.clone(),
        to,
    })
}

/// The pasted objects in the assumed world, before the change: the cluster `target` reads.
pub fn world(objects: Vec<Object>, world: &World) -> Scenario {
    let mut s = Scenario {
        seed: 1,
        duration: 0,
        traffic: Traffic {
            requests_per_second: world.requests_per_second,
            timeout: Duration(5 * SECOND),
            clients: 500,
            service: None,
            headers: Vec::new(),
            connections: world.connections,
            idle_timeout: Duration(90 * SECOND),
            via: world.via,
        },
        network: Network {
            endpoint_propagation: Duration(world.proxy_lag),
            ingress: (world.via == Via::Ingress).then_some(Ingress {
                propagation: Duration(world.ingress_lag),
                ..Ingress::default()
            }),
            ..Network::default()
        },
        images: Default::default(),
        nodes: 3,
        database: None,
        objects,
        timeline: Vec::new(),
        warnings: Vec::new(),
    };
    let app = Image {
        startup: Duration(world.startup),
        latency: Duration(world.latency),
        on_sigterm: world.on_sigterm,
        ..Image::default()
    };
    for image in crate::manifest::images(&s.objects) {
        s.images.insert(image, app.clone());
    }
    s
}

/// The change made at `DEPLOY_AT`, the new image behaving as the running one does, the Service
/// clients call (one is added, noted in `warnings`, when none selects the pods: without it no
/// request would reach them), and how long the run may take.
pub fn change(s: &mut Scenario, target: &Target) {
    s.timeline = vec![Step {
        at: Duration(DEPLOY_AT),
        run: target.command(),
        stdin: None,
    }];
    let app = s.image(&target.from);
    s.images.insert(target.to.clone(), app);
    s.traffic.service = Some(service_for(s, target));
    s.duration = horizon(s);
}

/// The Service clients call: the one a blue-green Rollout makes active, else the first whose
/// selector picks the workload's pods; one is added when none does.
fn service_for(s: &mut Scenario, target: &Target) -> String {
    let Some((_, _, template)) = workload::read(s) else {
        return String::new();
    };
    let labels = template.metadata.labels.clone();
    let active = s.objects.iter().find_map(|o| match o {
        Object::Rollout(r) => r
            .spec
            .strategy
            .blue_green
            .as_ref()
            .map(|b| b.active_service.clone()),
        _ => None,
    });
    let selecting = s.objects.iter().find_map(|o| match o {
        Object::Service(svc) if selector_matches(&svc.spec.selector, &labels) => {
            Some(svc.metadata.name.clone())
        }
        _ => None,
    });
    if let Some(name) = active.or(selecting) {
        return name;
    }
    let selector = serde_json::to_string(&labels).unwrap_or_default();
    let yaml = format!(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: {}\nspec:\n  selector: {selector}\n  ports:\n  - port: 80\n",
        target.name
    );
    if let Ok(objects) = crate::manifest::parse_all(&yaml, crate::yaml::Origin::line(1)) {
        s.objects.extend(objects);
    }
    s.warnings.push(format!(
        "No Service in the paste selects the pods of {}, so the check sends the traffic through a Service named {} that selects their labels.",
        target.object(),
        target.name
    ));
    target.name.clone()
}

/// How long the run may take: past the progress deadline (where a stuck rollout is reported)
/// and every pause the strategy writes, within the simulator's hour.
fn horizon(s: &Scenario) -> Ms {
    let deadline = s.objects.iter().find_map(|o| match o {
        Object::Deployment(d) => Some(d.spec.progress_deadline_seconds.unwrap_or(600)),
        Object::Rollout(r) => Some(r.spec.progress_deadline_seconds),
        _ => None,
    });
    let pauses: Ms = s
        .objects
        .iter()
        .filter_map(|o| match o {
            Object::Rollout(r) => r.spec.strategy.canary.as_ref(),
            _ => None,
        })
        .flat_map(|c| c.steps.iter())
        .filter_map(|step| step.pause.as_ref().and_then(|p| p.duration_ms()))
        .sum();
    let deadline = Ms::from(deadline.unwrap_or(600)).clamp(0, 3600) * SECOND;
    (DEPLOY_AT + deadline.max(pauses) + 120 * SECOND).min(crate::limits::DURATION)
}

/// Runs the deploy to its end. With `first_failure`, stops at the first failed request (the
/// fix search only needs to know that one fails).
pub fn run(s: Scenario, target: &Target, first_failure: bool) -> (Cluster, End) {
    let lag = s.network.endpoint_propagation.0
        + s.network.ingress.map_or(0, |i| i.propagation.0)
        + SECOND;
    let mut c = Cluster::new(s);
    let mut promoted = 0;
    loop {
        let next = (c.now + SECOND).min(c.scenario.duration);
        c.run_until(next);
        if first_failure && c.metrics.failed > 0 {
            return (
                c,
                End::Stalled {
                    at: next,
                    why: "a request failed".into(),
                },
            );
        }
        if let Some(end) = ended(&c, target, lag) {
            return (c, end);
        }
        if next >= c.scenario.duration {
            let why = format!(
                "still not complete when the check stopped at {}",
                crate::time::fmt_secs(next)
            );
            return (c, End::Stalled { at: next, why });
        }
        // A pause with no duration waits for a person: the check promotes it, as the person
        // reading the report would after looking, and says so.
        if target.rollout && promoted < 20 && paused_for_a_person(&c, &target.name) {
            promoted += 1;
            let line = format!("kubectl argo rollouts promote {}", target.name);
            let _ = c.kubectl(&line, None);
            c.command_log.push((c.now, line, Ok(PROMOTED.into())));
        }
    }
}

/// Paused for ten seconds at a point only a person moves past: a canary's `pause: {}`, an
/// inconclusive analysis, a blue-green update with auto-promotion off (BG-3). A timed pause
/// ends by itself and is left alone.
fn paused_for_a_person(c: &Cluster, name: &str) -> bool {
    c.rollouts.iter().any(|r| {
        let st = &r.status;
        let timed = r.spec.strategy.canary.as_ref().is_some_and(|canary| {
            let step = st
                .current_step_index
                .and_then(|i| canary.steps.get(i as usize));
            step.and_then(|s| s.pause.as_ref())
                .is_some_and(|p| p.duration_ms().is_some())
        }) || r
            .spec
            .strategy
            .blue_green
            .as_ref()
            .is_some_and(|b| b.auto_promotion());
        r.metadata.name == name
            && st.phase == Phase::Paused
            && (st.inconclusive || !timed)
            && st.pause_start.is_some_and(|at| c.now - at >= 10 * SECOND)
    })
}

/// Complete and settled, or stalled; `None` while it is still going.
fn ended(c: &Cluster, target: &Target, lag: Ms) -> Option<End> {
    let now = c.now;
    if now < DEPLOY_AT {
        return None;
    }
    let complete = if target.rollout {
        let r = c.rollouts.iter().find(|r| r.metadata.name == target.name)?;
        if r.status.phase == Phase::Degraded {
            let why = format!("the rollout was aborted: {}", r.status.message);
            return Some(End::Stalled { at: now, why });
        }
        (Cluster::rollout_complete(r) && r.status.completed_at >= Some(DEPLOY_AT))
            .then_some(r.status.completed_at)
            .flatten()
    } else {
        let d = c
            .deployments
            .iter()
            .find(|d| d.metadata.name == target.name)?;
        if d.spec.paused {
            let why = format!("the Deployment is paused (spec.paused: true): nothing rolls out until `kubectl rollout resume deployment/{}`", d.metadata.name);
            return Some(End::Stalled { at: now, why });
        }
        if let Err(e) = c.rollout_status(d) {
            return Some(End::Stalled { at: now, why: e });
        }
        c.rollout_completed_at.filter(|at| *at >= DEPLOY_AT)
    };
    let at = complete?;
    // Only the workload's own pods: a paste may hold other workloads too. Pods are named after
    // their ReplicaSet, which is named after its owner.
    let prefix = format!("{}-", target.name);
    let ours = |name: &str| name.starts_with(&prefix);
    let still_going = c
        .pods
        .iter()
        .filter(|p| ours(&p.name))
        .any(|p| p.deletion.is_some() || p.image != target.to);
    let tracks = || c.terminations.iter().filter(|t| ours(&t.pod));
    let still_going = still_going || tracks().any(|t| t.gone_at.is_none());
    let last_gone = tracks().filter_map(|t| t.gone_at).max().unwrap_or(at);
    (!still_going && now >= last_gone + lag).then_some(End::Completed {
        at,
        settled: last_gone,
    })
}

//! The simulated cluster: API objects, the event queue and the loop that advances time. Each part
//! of Kubernetes lives in its own module as `impl Cluster` (kubelet, replicaset, network, traffic,
//! kubectl); this one wires them together and runs the controllers to a fixed point.
use crate::api::{Deployment, PodPhase, ReplicaSet, Service};
use crate::deployment::{Change, SyncContext};
use crate::events::{EventLog, Kind};
use crate::kubelet::{GonePod, KubeletEvent, Pod};
use crate::manifest::Object;
use crate::metrics::Metrics;
use crate::network::Endpoints;
use crate::queue::EventQueue;
use crate::rng::Rng;
use crate::rollouts::analysis::AnalysisRun;
use crate::rollouts::api::{AnalysisTemplate, Rollout};
use crate::scenario::{Scenario, Step};
use crate::time::Ms;
use crate::traffic::Requests;

#[derive(Clone)]
pub enum Event {
    RequestDone {
        slot: u32,
        generation: u32,
    },
    RequestTimeout {
        slot: u32,
        generation: u32,
    },
    Kubelet {
        pod: u64,
        container: u32,
        event: KubeletEvent,
    },
    /// Proxies on every node act on the Service's endpoints as they were `propagation` ago.
    ProxySync {
        service: usize,
    },
    Timeline {
        step: usize,
    },
    /// A controller asked to look again (progress deadline, minReadySeconds, pauses, delays).
    Resync,
    /// The next measurement of one metric of an AnalysisRun.
    Measure {
        run: usize,
        metric: usize,
    },
}

#[derive(Clone)]
pub struct Cluster {
    pub now: Ms,
    pub scenario: Scenario,
    pub(crate) rng: Rng,
    pub(crate) queue: EventQueue<Event>,
    pub deployments: Vec<Deployment>,
    pub rollouts: Vec<Rollout>,
    pub analysis_templates: Vec<AnalysisTemplate>,
    /// Objects served by a real cluster that the simulation does not model, kept as written.
    pub kept: Vec<crate::kept::Kept>,
    pub analysis_runs: Vec<AnalysisRun>,
    /// The database schema version (N-1 compatibility) and since when, when the scenario has one.
    pub schema: Option<(u32, Ms)>,
    /// Feature flags turned on, by name: the share of users (0 to 100) each is on for.
    pub flags: std::collections::BTreeMap<String, u8>,
    /// OpenShift image stream tags moved by `oc tag`: tag → the image it names.
    pub image_stream_tags: std::collections::BTreeMap<String, String>,
    pub replica_sets: Vec<ReplicaSet>,
    /// Boxed: removing a pod from the middle moves pointers, not 1.3 KB pods.
    pub pods: Vec<Box<Pod>>,
    /// uid → position in `pods` + 1 (0: no such pod), for the per-request lookup.
    pub(crate) pod_slots: Vec<u32>,
    /// Recently removed pods, so a request the proxies still route to one can say what happened.
    pub gone: Vec<GonePod>,
    /// Each deleted pod's termination, node and network side by side (TM-2), oldest first.
    pub terminations: Vec<crate::kubelet::track::TerminationTrack>,
    pub services: Vec<Service>,
    pub endpoints: Vec<Endpoints>,
    pub events: EventLog,
    pub requests: Requests,
    pub metrics: Metrics,
    /// Errors from timeline commands, with the time they ran.
    pub command_errors: Vec<(Ms, String)>,
    /// Every timeline command with what kubectl answered: (time, command line, output or error).
    pub command_log: Vec<(Ms, String, Result<String, String>)>,
    /// The Deployment the timeline last changed (the first one until then).
    pub focus: Option<String>,
    /// When the focus Deployment's current rollout completed (AV-3), and for which generation.
    pub rollout_completed_at: Option<Ms>,
    rollout_generation: i64,
    pub(crate) next_uid: u64,
    resync_at: Option<Ms>,
}

impl Cluster {
    /// Builds the cluster as it stands at t=0: every object applied and every pod running and ready.
    pub fn new(scenario: Scenario) -> Cluster {
        let mut c = Cluster {
            now: 0,
            rng: Rng::new(scenario.seed),
            queue: EventQueue::default(),
            deployments: Vec::new(),
            rollouts: Vec::new(),
            analysis_templates: Vec::new(),
            kept: Vec::new(),
            analysis_runs: Vec::new(),
            schema: None,
            flags: std::collections::BTreeMap::new(),
            image_stream_tags: std::collections::BTreeMap::new(),
            replica_sets: Vec::new(),
            pods: Vec::new(),
            pod_slots: Vec::new(),
            gone: Vec::new(),
            terminations: Vec::new(),
            services: Vec::new(),
            endpoints: Vec::new(),
            events: EventLog::default(),
            requests: Requests::default(),
            metrics: Metrics::default(),
            command_errors: Vec::new(),
            command_log: Vec::new(),
            focus: None,
            rollout_completed_at: None,
            rollout_generation: 0,
            next_uid: 0,
            resync_at: None,
            scenario,
        };
        for object in c.scenario.objects.clone() {
            c.apply_object(object);
        }
        c.schema = c.scenario.database.map(|d| (d.schema, 0));
        c.focus = c
            .rollouts
            .first()
            .map(|r| r.metadata.name.clone())
            .or_else(|| c.deployments.first().map(|d| d.metadata.name.clone()));
        c.settle();
        for (i, step) in c.scenario.timeline.iter().enumerate() {
            c.queue.at(step.at.0, Event::Timeline { step: i });
        }
        c.start_traffic();
        c
    }

    /// Runs until `until` (inclusive of events scheduled at that instant).
    pub fn run_until(&mut self, until: Ms) {
        while self.step(until) {}
        self.now = self.now.max(until);
        self.metrics.settle_latency();
    }

    /// Processes the next event if it is due by `until`; false when there is none.
    pub fn step(&mut self, until: Ms) -> bool {
        // The one pending client arrival is kept outside the heap (half the events of a busy run)
        // and ordered against it by (time, sequence).
        let arrival = self.requests.next_arrival_key();
        match (arrival, self.queue.next_key()) {
            (Some(a), queued) if a.0 <= until && queued.is_none_or(|q| a < q) => {
                self.now = a.0;
                self.arrival();
                true
            }
            (_, Some((at, _))) if at <= until => {
                let Some((at, event)) = self.queue.pop() else {
                    return false;
                };
                self.now = at;
                self.handle(event);
                true
            }
            _ => false,
        }
    }

    /// Runs the whole scenario.
    pub fn run(&mut self) {
        let end = self.scenario.duration;
        self.run_until(end);
        self.metrics.finish(self.now);
    }

    #[inline(always)]
    fn handle(&mut self, event: Event) {
        match event {
            Event::RequestDone { slot, generation } => self.request_done(slot, generation),
            Event::RequestTimeout { slot, generation } => self.request_timeout(slot, generation),
            Event::Kubelet {
                pod,
                container,
                event,
            } => {
                if self.kubelet(pod, container, event) {
                    self.reconcile();
                }
            }
            Event::ProxySync { service } => self.proxy_sync(service),
            Event::Timeline { step } => {
                let Step { run, stdin, .. } = self.scenario.timeline[step].clone();
                let result = self.kubectl(&run, stdin.as_deref());
                if let Err(e) = &result {
                    self.command_errors.push((self.now, format!("{run}: {e}")));
                }
                self.command_log.push((self.now, run, result));
            }
            Event::Resync => {
                self.resync_at = None;
                self.reconcile();
            }
            Event::Measure { run, metric } => self.measure(run, metric),
        }
    }

    pub(crate) fn schedule_resync(&mut self, at: Ms) {
        if self.resync_at.is_none_or(|t| at < t) {
            self.resync_at = Some(at);
            self.queue.at(at, Event::Resync);
        }
    }

    pub(crate) fn uid(&mut self) -> u64 {
        self.next_uid += 1;
        self.next_uid
    }

    /// Creates or updates objects as `kubectl apply` does.
    pub(crate) fn apply_object(&mut self, object: Object) {
        match object {
            Object::Deployment(d) => upsert(&mut self.deployments, d, &mut self.next_uid, self.now),
            Object::Rollout(r) => upsert(&mut self.rollouts, r, &mut self.next_uid, self.now),
            Object::AnalysisTemplate(t) => {
                self.metrics.keep_recent(
                    t.spec
                        .metrics
                        .iter()
                        .filter_map(|m| m.provider.simulation.as_ref())
                        .map(|s| s.window_ms())
                        .max()
                        .unwrap_or(0),
                );
                self.analysis_templates
                    .retain(|x| x.metadata.name != t.metadata.name);
                self.analysis_templates.push(t);
            }
            Object::Kept(mut k) => {
                let same = |x: &crate::kept::Kept| x.resource() == k.resource() && x.name == k.name;
                match self.kept.iter_mut().find(|x| same(x)) {
                    Some(existing) => existing.value = k.value,
                    None => {
                        k.created_at = self.now;
                        self.kept.push(k);
                    }
                }
            }
            Object::Service(mut s) => {
                if let Some(existing) = self
                    .services
                    .iter_mut()
                    .find(|x| x.metadata.name == s.metadata.name)
                {
                    existing.spec = s.spec;
                } else {
                    s.metadata.uid = self.uid();
                    s.metadata.created_at = self.now;
                    self.services.push(s);
                    let via_ingress = self.scenario.traffic.via == crate::scenario::Via::Ingress;
                    self.endpoints.push(Endpoints {
                        proxies: vec![Default::default(); self.scenario.nodes as usize],
                        ingress: via_ingress.then(Default::default),
                        ..Endpoints::default()
                    });
                }
            }
        }
    }

    /// The cluster as it stands at t=0, settled: every pod started a minute ago, ready and available.
    pub(crate) fn settle(&mut self) {
        self.reconcile();
        let past = -60 * crate::time::SECOND;
        for pod in &mut self.pods {
            let (uid, container) = (pod.uid, pod.container_id + 1);
            for (at, t) in pod.settle(past) {
                let event = crate::kubelet::KubeletEvent::Probe(t);
                // `kubelet_at` would borrow all of the cluster while `pods` is.
                self.queue.at(
                    at,
                    Event::Kubelet {
                        pod: uid,
                        container,
                        event,
                    },
                );
            }
        }
        self.reconcile();
        self.endpoints.iter_mut().for_each(Endpoints::settle);
        self.events.clear();
        let window = self.metrics.recent_window();
        self.metrics = crate::metrics::Metrics::default();
        self.metrics.keep_recent(window);
        for p in &mut self.pods {
            self.metrics.pod_created(p.uid, &p.name, p.created_at);
            p.image_ix = self.metrics.image_index(&p.image);
        }
        self.observe_pods();
    }

    /// Controllers to a fixed point: RS status from pods, Deployment syncs, RS syncs, endpoints.
    pub(crate) fn reconcile(&mut self) {
        for _ in 0..64 {
            self.update_replica_set_statuses();
            let mut changed = self.sync_deployments();
            changed |= self.sync_rollouts();
            changed |= self.sync_replica_sets();
            if !changed {
                break;
            }
        }
        self.update_endpoints();
        self.observe_pods();
    }

    fn sync_deployments(&mut self) -> bool {
        let mut changed = false;
        for i in 0..self.deployments.len() {
            let name = self.deployments[i].metadata.name.clone();
            let (mut owned, rest): (Vec<ReplicaSet>, Vec<ReplicaSet>) =
                std::mem::take(&mut self.replica_sets)
                    .into_iter()
                    .partition(|rs| rs.owner.as_deref() == Some(&name));
            self.replica_sets = rest;
            let owner_uids: Vec<u64> = owned.iter().map(|rs| rs.metadata.uid).collect();
            let pod_map: Vec<(u64, PodPhase)> = self
                .pods
                .iter()
                .filter(|p| owner_uids.contains(&p.owner))
                .map(|p| (p.owner, p.phase()))
                .collect();
            let before: Vec<(String, i32)> = owned
                .iter()
                .map(|rs| (rs.metadata.name.clone(), rs.replicas))
                .collect();
            let mut sync = SyncContext {
                d: &mut self.deployments[i],
                rss: &mut owned,
                now: self.now,
                next_uid: &mut self.next_uid,
                changes: Vec::new(),
            };
            let requeue = sync.run(&pod_map);
            let changes = std::mem::take(&mut sync.changes);
            let after: Vec<(String, i32)> = owned
                .iter()
                .map(|rs| (rs.metadata.name.clone(), rs.replicas))
                .collect();
            changed |= before != after;
            self.replica_sets.extend(owned);
            for change in changes {
                self.record_change(&name, change);
            }
            if let Some(after) = requeue {
                // PD-5: rate-limited "now", or one second past the deadline.
                let delay = if after < 1000 { 100 } else { after + 1000 };
                self.schedule_resync(self.now + delay);
            }
        }
        crate::order::sort_by(&mut self.replica_sets, crate::deployment::by_creation);
        changed
    }

    fn record_change(&mut self, deployment: &str, change: Change) {
        let object = format!("deployment/{deployment}");
        match change {
            Change::Scaled { rs, from, to } => {
                let dir = if to > from { "up" } else { "down" };
                self.events.push(
                    self.now,
                    Kind::Normal,
                    "ScalingReplicaSet",
                    &object,
                    format!("Scaled {dir} replica set {rs} to {to} from {from}"),
                );
            }
            Change::CreatedReplicaSet { .. } => {}
            Change::DeletedReplicaSet { rs } => {
                self.events.push(
                    self.now,
                    Kind::Normal,
                    "DeletingReplicaSet",
                    &object,
                    format!("Deleted old replica set {rs} (revisionHistoryLimit)"),
                );
            }
        }
    }

    /// The Deployment whose rollout the summary reports.
    pub fn focus_deployment(&self) -> Option<&Deployment> {
        let name = self.focus.as_deref()?;
        self.deployments.iter().find(|d| d.metadata.name == name)
    }

    /// Samples cluster-wide pod counts after every change (max not terminating, min available),
    /// and notes when
    /// the focus Deployment's rollout completes.
    pub(crate) fn observe_pods(&mut self) {
        let Some(name) = self.focus.clone() else {
            return;
        };
        if let Some(r) = self.rollouts.iter().find(|r| r.metadata.name == name) {
            self.rollout_completed_at = r.status.completed_at;
        } else if let Some(d) = self.deployments.iter().find(|d| d.metadata.name == name) {
            if d.metadata.generation != self.rollout_generation {
                self.rollout_generation = d.metadata.generation;
                self.rollout_completed_at = None;
            }
            if self.rollout_completed_at.is_none()
                && crate::deployment::util::deployment_complete(d, &d.status)
            {
                self.rollout_completed_at = Some(self.now);
            }
        }
        let not_terminating = self.pods.iter().filter(|p| p.deletion.is_none()).count() as u32;
        let available = self
            .pods
            .iter()
            .filter(|p| {
                let min_ready = self
                    .replica_sets
                    .iter()
                    .find(|rs| rs.metadata.uid == p.owner)
                    .map_or(0, |rs| rs.min_ready_seconds);
                p.deletion.is_none() && p.is_available(min_ready, self.now)
            })
            .count() as u32;
        self.metrics.observe_pods(not_terminating, available);
        let now = self.now;
        let pods = self
            .pods
            .iter()
            .map(|p| (p.image.as_str(), p.ready, p.deletion.is_some()));
        let desired = self.replica_sets.iter().map(|rs| (rs.image(), rs.replicas));
        self.metrics.sample_pods(now, pods, desired);
        let weight = self
            .focus_rollout()
            .filter(|r| r.spec.strategy.canary.is_some())
            .filter(|r| r.status.stable_rs != r.status.current_pod_hash && !r.status.abort)
            .map(|r| r.status.desired_weight);
        self.metrics.sample_weight(now, weight);
    }

    /// The Rollout the summary reports, when the focus is one.
    pub fn focus_rollout(&self) -> Option<&Rollout> {
        let name = self.focus.as_deref()?;
        self.rollouts.iter().find(|r| r.metadata.name == name)
    }
}

/// What `kubectl apply` does with a Deployment or a Rollout: a new object starts at generation 1;
/// an existing one takes the new labels, and a changed spec is a new generation.
trait Workload: Sized {
    fn name(&self) -> &str;
    fn meta(&mut self) -> &mut crate::api::ObjectMeta;
    /// Takes `other`'s spec; true if it differed.
    fn take_spec(&mut self, other: Self) -> bool;
}

/// Both kinds keep `metadata` and `spec` side by side.
macro_rules! workload {
    ($kind:ty) => {
        impl Workload for $kind {
            fn name(&self) -> &str {
                &self.metadata.name
            }
            fn meta(&mut self) -> &mut crate::api::ObjectMeta {
                &mut self.metadata
            }
            fn take_spec(&mut self, other: Self) -> bool {
                let changed = self.spec != other.spec;
                self.spec = other.spec;
                changed
            }
        }
    };
}

workload!(Deployment);
workload!(Rollout);

fn upsert<T: Workload>(list: &mut Vec<T>, mut new: T, next_uid: &mut u64, now: Ms) {
    let name = new.meta().name.clone();
    match list.iter_mut().find(|x| x.name() == name) {
        Some(existing) => {
            let labels = std::mem::take(&mut new.meta().labels);
            if existing.take_spec(new) {
                existing.meta().generation += 1;
            }
            existing.meta().labels = labels;
        }
        None => {
            *next_uid += 1;
            let meta = new.meta();
            meta.uid = *next_uid;
            meta.created_at = now;
            meta.generation = 1;
            list.push(new);
        }
    }
}

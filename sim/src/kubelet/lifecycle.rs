//! What the kubelet does to a pod over its life: creates and starts its container, runs the probe
//! workers (PR-*), restarts it with back-off, and terminates it: preStop, SIGTERM, grace period,
//! SIGKILL (TM-1, TM-2).
use super::*;
use crate::cluster::{Cluster, Event};

impl Cluster {
    /// Queues what happens to container `container` of pod `pod` at `at`; events for a container
    /// that has since been replaced are ignored when they come.
    pub(crate) fn kubelet_at(&mut self, at: Ms, pod: u64, container: u32, event: KubeletEvent) {
        self.queue.at(
            at,
            Event::Kubelet {
                pod,
                container,
                event,
            },
        );
    }

    /// The ReplicaSet controller asks for a pod: scheduled at once to the emptiest node.
    pub(crate) fn create_pod(&mut self, rs: &ReplicaSet) {
        let template: &PodTemplateSpec = &rs.template;
        let app = template.spec.app().cloned().unwrap_or_default();
        let uid = self.uid();
        let name = format!("{}-{}", rs.metadata.name, self.rng.name_suffix());
        let nodes = self.scenario.nodes;
        let node = (0..nodes)
            .min_by_key(|n| self.pods.iter().filter(|p| p.node == *n).count())
            .unwrap_or(0);
        let behaviour = self.scenario.image(&app.image);
        let pull = behaviour.pull.0;
        let (others, init_steps, app_starts_at) = self.other_containers(&template.spec);
        let mut pod = Pod {
            name: name.clone(),
            container_name: app.name.clone(),
            others_stop_at: 0,
            init_done_at: app_starts_at,
            init_steps,
            uid,
            rank_key: self.rng.next_u64(),
            owner: rs.metadata.uid,
            owner_name: rs.metadata.name.clone(),
            labels: template.metadata.labels.clone(),
            node,
            created_at: self.now,
            image: app.image.clone(),
            behaviour,
            readiness: app.readiness_probe.clone(),
            liveness: app.liveness_probe.clone(),
            startup: app.startup_probe.clone(),
            pre_stop_ms: app
                .lifecycle
                .as_ref()
                .and_then(|l| l.pre_stop.as_ref())
                .map_or(0, |h| h.duration_ms()),
            grace_ms: template.spec.grace_period_ms(),
            container_id: 1,
            container: ContainerState::Creating,
            app: App::Starting {
                listens_at: Ms::MAX,
            },
            restarts: 0,
            back_off_step: 0,
            started: false,
            ready: false,
            ready_since: None,
            not_ready_since: None,
            workers: [None, None, None],
            deletion: None,
            killing: None,
            endpoint_removed_at: None,
            listening_since: None,
            answered: 0,
            failed: 0,
            image_ix: 0,
            serving: Vec::new(),
            waiting: VecDeque::new(),
            others,
        };
        let object = format!("pod/{name}");
        self.events.push(
            self.now,
            Kind::Normal,
            "Scheduled",
            &object,
            format!("Successfully assigned default/{name} to node-{}", node + 1),
        );
        self.events.push(
            self.now,
            Kind::Normal,
            "Pulling",
            &object,
            format!("Pulling image \"{}\"", app.image),
        );
        self.kubelet_at(app_starts_at + pull, uid, 1, KubeletEvent::ContainerStarted);
        if let Some(last) = pod.others.iter().map(|s| s.ready_at).max() {
            self.kubelet_at(last, uid, 1, KubeletEvent::SidecarsReady);
        }
        for (k, s) in pod.others.iter().enumerate() {
            let k = u16::try_from(k).unwrap_or(u16::MAX);
            self.kubelet_at(s.started_at, uid, 1, KubeletEvent::SidecarStarted(k));
        }
        self.metrics.pod_created(pod.uid, &pod.name, pod.created_at);
        pod.image_ix = self.metrics.image_index(&pod.image);
        self.pods.push(Box::new(pod));
        if self.pod_slots.len() <= uid as usize {
            self.pod_slots.resize(uid as usize + 1, 0);
        }
        self.pod_slots[uid as usize] = self.pods.len() as u32;
    }

    /// The containers of `spec` besides the app, and when the app's own start begins: init
    /// containers run one after another first (each its image's pull and startup), native
    /// sidecars among them start in their place and keep running; the other regular containers
    /// start beside the app. Each is ready once started, after its readiness probe's initial
    /// delay if it has one (PC-1).
    fn other_containers(&self, spec: &crate::api::PodSpec) -> (Vec<Sidecar>, Vec<Ms>, Ms) {
        let mut at = self.now;
        let mut others = Vec::new();
        let mut init_steps = Vec::new();
        let text = |c: &serde_json::Value, k: &str| {
            c.get(k)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string()
        };
        let sidecar =
            |name: String, image: String, start: Ms, native, probe_delay: Ms, pre_stop| {
                let b = self.scenario.image(&image);
                let running = start.saturating_add(b.pull.0);
                let ready_at = running.saturating_add(b.startup.0.max(probe_delay));
                (
                    Sidecar {
                        name,
                        image,
                        native,
                        started_at: running,
                        ready_at,
                        pre_stop_ms: pre_stop,
                    },
                    running.saturating_add(b.startup.0),
                )
            };
        let init = spec.extra.get("initContainers").and_then(|v| v.as_array());
        for c in init.into_iter().flatten() {
            let native = c.get("restartPolicy").and_then(|v| v.as_str()) == Some("Always");
            let (s, started) = sidecar(text(c, "name"), text(c, "image"), at, native, 0, 0);
            // An init container runs to completion before the next; a native sidecar only
            // has to have started.
            at = started;
            init_steps.push(at);
            if native {
                others.push(s);
            }
        }
        for c in spec.containers.iter().skip(1) {
            let delay = c
                .readiness_probe
                .as_ref()
                .map_or(0, |p| p.initial_delay_seconds.saturating_mul(SECOND));
            let pre_stop = c
                .lifecycle
                .as_ref()
                .and_then(|l| l.pre_stop.as_ref())
                .map_or(0, |h| h.duration_ms());
            others.push(sidecar(c.name.clone(), c.image.clone(), at, false, delay, pre_stop).0);
        }
        (others, init_steps, at)
    }

    #[inline(always)]
    pub(crate) fn pod_index(&self, uid: u64) -> Option<usize> {
        match self.pod_slots.get(uid as usize) {
            Some(&slot) if slot > 0 => Some(slot as usize - 1),
            _ => None,
        }
    }

    /// Handles one kubelet event; true when something the controllers or endpoints see changed.
    pub(crate) fn kubelet(&mut self, uid: u64, container: u32, event: KubeletEvent) -> bool {
        let Some(i) = self.pod_index(uid) else {
            return false;
        };
        if self.pods[i].container_id != container {
            return false;
        }
        let now = self.now;
        match event {
            KubeletEvent::ContainerStarted => {
                self.start_container(i);
                true
            }
            KubeletEvent::Listening => {
                let pod = &mut self.pods[i];
                if matches!(pod.app, App::Starting { .. }) && pod.is_running() {
                    pod.app = App::Listening;
                    pod.listening_since = Some(now);
                    return self.refresh_ready(i);
                }
                false
            }
            KubeletEvent::Crashed => {
                self.app_exit(i, Exit::Crash);
                true
            }
            KubeletEvent::Probe(t) => self.probe(i, t, true),
            KubeletEvent::ReadinessTrigger => self.probe(i, ProbeType::Readiness, false),
            KubeletEvent::Sigterm => self.sigterm(i),
            KubeletEvent::GraceExpired => {
                if !matches!(self.pods[i].app, App::Exited { .. }) {
                    self.app_exit(i, Exit::Sigkill);
                }
                // SIGKILL stops every container.
                if let Some(j) = self
                    .pod_index(uid)
                    .filter(|&j| self.pods[j].deletion.is_some())
                {
                    self.remove_pod(j);
                }
                true
            }
            KubeletEvent::SidecarsReady => self.refresh_ready(i),
            KubeletEvent::SidecarStarted(k) => {
                if let Some(s) = self.pods[i].others.get(usize::from(k)) {
                    let object = format!("pod/{}", self.pods[i].name);
                    let (name, image) = (s.name.clone(), s.image.clone());
                    let pull = fmt_secs(self.scenario.image(&image).pull.0);
                    let now = self.now;
                    let pulled = format!("Successfully pulled image \"{image}\" in {pull}");
                    self.events
                        .push(now, Kind::Normal, "Pulled", &object, pulled);
                    let created = format!("Created container {name}");
                    self.events
                        .push(now, Kind::Normal, "Created", &object, created);
                    let started = format!("Started container {name}");
                    self.events
                        .push(now, Kind::Normal, "Started", &object, started);
                }
                false
            }
            KubeletEvent::SidecarsStopped => {
                if matches!(self.pods[i].app, App::Exited { .. }) {
                    self.remove_pod(i);
                }
                true
            }
            KubeletEvent::Restart => {
                let pod = &mut self.pods[i];
                pod.container_id += 1;
                let id = pod.container_id;
                self.kubelet_at(now, uid, id, KubeletEvent::ContainerStarted);
                false
            }
        }
    }

    fn start_container(&mut self, i: usize) {
        let now = self.now;
        let pod = &mut self.pods[i];
        if pod.deletion.is_some() {
            return;
        }
        let first = pod.restarts == 0;
        pod.container = ContainerState::Running { since: now };
        let startup = pod.behaviour.startup.0;
        pod.app = App::Starting {
            listens_at: now + startup,
        };
        pod.started = pod.startup.is_none(); // PR-2
        if first {
            pod.workers = PROBES.map(|t| {
                pod.probe_spec(t).map(|p| {
                    Worker::new(
                        t,
                        p.success_threshold,
                        p.failure_threshold,
                        p.initial_delay_seconds,
                    )
                })
            });
        } else {
            // The kubelet keeps one worker per container name across restarts (PR-6).
            pod.workers
                .iter_mut()
                .flatten()
                .for_each(Worker::new_container);
        }
        let (uid, id) = (pod.uid, pod.container_id);
        let crash_after = pod.behaviour.crash_after.map(|d| d.0);
        let object = format!("pod/{}", pod.name);
        let migrates = pod.behaviour.migrates.filter(|_| first);
        if first {
            let pull = pod.behaviour.pull.0;
            self.events.push(
                now,
                Kind::Normal,
                "Pulled",
                &object,
                format!(
                    "Successfully pulled image \"{}\" in {}",
                    pod.image,
                    fmt_secs(pull)
                ),
            );
        }
        self.events.push(
            now,
            Kind::Normal,
            "Created",
            &object,
            format!("Created container {}", pod.container_name),
        );
        self.events.push(
            now,
            Kind::Normal,
            "Started",
            &object,
            format!("Started container {}", pod.container_name),
        );
        // The first start of an image that migrates moves the schema forward (never back).
        if let Some(to) = migrates.filter(|&to| self.schema.is_some_and(|(at, _)| at < to)) {
            let _ = self.migrate(to);
        }
        match crash_after {
            Some(after) if after <= startup => {
                self.kubelet_at(now + after, uid, id, KubeletEvent::Crashed);
            }
            _ => {
                self.kubelet_at(now + startup, uid, id, KubeletEvent::Listening);
                if let Some(after) = crash_after {
                    self.kubelet_at(now + after, uid, id, KubeletEvent::Crashed);
                }
            }
        }
        // PR-1: each worker probes at container start and then every period.
        for t in PROBES {
            if let Some(p) = self.pods[i].probe_spec(t) {
                let delay = p.initial_delay_seconds * SECOND;
                self.kubelet_at(now, uid, id, KubeletEvent::Probe(t));
                if t == ProbeType::Readiness && delay > 0 {
                    self.kubelet_at(now + delay, uid, id, KubeletEvent::ReadinessTrigger);
                }
            }
        }
        self.refresh_ready(i);
    }

    /// One probe run (PR-3..PR-6). `tick` runs re-arm the periodic timer.
    fn probe(&mut self, i: usize, t: ProbeType, tick: bool) -> bool {
        let now = self.now;
        let pod = &mut self.pods[i];
        let ContainerState::Running { since } = pod.container else {
            return false;
        };
        let Some(period) = pod.probe_spec(t).map(|p| p.period_seconds.max(1) * SECOND) else {
            return false;
        };
        let terminating = pod.deletion.is_some();
        // PR-8: liveness and startup stop when the pod is being deleted.
        if terminating && t != ProbeType::Readiness {
            return false;
        }
        let (uid, id) = (pod.uid, pod.container_id);
        if tick {
            self.kubelet_at(now + period, uid, id, KubeletEvent::Probe(t));
        }
        let pod = &mut self.pods[i];
        let started = pod.started;
        // An app with every worker busy does not answer within timeoutSeconds: the probe fails.
        let accepts = pod.accepts()
            && pod
                .behaviour
                .capacity
                .is_none_or(|c| pod.serving.len() < c.max(1) as usize);
        let Some(worker) = pod.worker(t) else {
            return false;
        };
        if !worker.should_probe(started, (now - since) / SECOND) {
            return false;
        }
        let before = worker.cached;
        let raw = if accepts {
            ProbeResult::Success
        } else {
            ProbeResult::Failure
        };
        let after = worker.record(raw);
        if raw == ProbeResult::Failure {
            let target = format!("pod/{}", pod.name);
            let what = match t {
                ProbeType::Readiness => "Readiness",
                ProbeType::Liveness => "Liveness",
                ProbeType::Startup => "Startup",
            };
            self.events.push(
                now,
                Kind::Warning,
                "Unhealthy",
                &target,
                format!("{what} probe failed: connect: connection refused"),
            );
        }
        if before == after {
            return false;
        }
        match (t, after) {
            (ProbeType::Startup, ProbeResult::Success) => {
                self.pods[i].started = true;
                self.refresh_ready(i)
            }
            (ProbeType::Startup, ProbeResult::Failure) => {
                self.kill_container(i, Exit::StartupKill, t);
                true
            }
            (ProbeType::Liveness, ProbeResult::Failure) => {
                self.kill_container(i, Exit::LivenessKill, t);
                true
            }
            _ => self.refresh_ready(i),
        }
    }

    /// PR-6: a failed liveness or startup probe kills the container as a deletion would —
    /// preStop, SIGTERM, SIGKILL when the grace period (the probe's own, if it sets one) is
    /// over — and it restarts once it has stopped (`killContainer`, kuberuntime).
    fn kill_container(&mut self, i: usize, why: Exit, t: ProbeType) {
        let now = self.now;
        let pod = &mut self.pods[i];
        if pod.killing.is_some() {
            return;
        }
        let grace = pod
            .probe_spec(t)
            .and_then(|p| p.termination_grace_period_seconds)
            .map_or(pod.grace_ms, |s| s.saturating_mul(SECOND));
        let (sigterm_at, kill_at) = termination_times(now, grace, pod.pre_stop_ms);
        pod.killing = Some((
            why,
            Termination {
                deleted_at: now,
                grace_ms: grace,
                sigterm_at,
                kill_at,
            },
        ));
        let (uid, id) = (pod.uid, pod.container_id);
        let probe = if t == ProbeType::Startup {
            "startup"
        } else {
            "liveness"
        };
        let message = format!(
            "Container {} failed {probe} probe, will be restarted",
            pod.container_name
        );
        let object = format!("pod/{}", pod.name);
        self.events
            .push(now, Kind::Normal, "Killing", &object, message);
        self.kubelet_at(sigterm_at, uid, id, KubeletEvent::Sigterm);
        self.kubelet_at(kill_at, uid, id, KubeletEvent::GraceExpired);
    }

    /// PR-2/PR-7: Ready = running, started, and (if there is one) the readiness probe says Success.
    pub(crate) fn refresh_ready(&mut self, i: usize) -> bool {
        let now = self.now;
        let pod = &mut self.pods[i];
        let others_ready = pod.others.iter().all(|s| now >= s.ready_at);
        let ready = pod.app_ready() && others_ready;
        if ready == pod.ready {
            return false;
        }
        pod.ready = ready;
        if ready {
            pod.ready_since = Some(now);
            pod.not_ready_since = None;
            // RS-5: availability is re-checked once minReadySeconds have passed.
            let min_ready = self
                .replica_sets
                .iter()
                .find(|rs| rs.metadata.uid == pod.owner)
                .map_or(0, |rs| rs.min_ready_seconds);
            if min_ready > 0 {
                self.schedule_resync(now + i64::from(min_ready) * SECOND);
            }
        } else {
            pod.ready_since = None;
            pod.not_ready_since = Some(now);
        }
        true
    }

    /// TM-1/TM-2: the API marks the pod for deletion; the kubelet runs preStop, then SIGTERM, and
    /// SIGKILL when the grace period is over.
    pub(crate) fn delete_pod(&mut self, uid: u64, grace_override: Option<Ms>) {
        let Some(i) = self.pod_index(uid) else { return };
        let now = self.now;
        let pod = &mut self.pods[i];
        if pod.deletion.is_some() {
            return;
        }
        let grace = grace_override.unwrap_or(pod.grace_ms).max(0);
        let object = format!("pod/{}", pod.name);
        if !pod.is_running() {
            // Nothing is running yet (or it is between restarts): the pod goes at once.
            pod.deletion = Some(Termination {
                deleted_at: now,
                grace_ms: grace,
                sigterm_at: now,
                kill_at: now,
            });
            self.remove_pod(i);
            return;
        }
        // preStop runs first and its time counts against the grace period (TM-2).
        let (sigterm_at, kill_at) = termination_times(now, grace, pod.pre_stop_ms);
        let pre_stop = sigterm_at - now;
        pod.deletion = Some(Termination {
            deleted_at: now,
            grace_ms: grace,
            sigterm_at,
            kill_at,
        });
        let others_pre_stop = pod
            .others
            .iter()
            .map(|s| s.pre_stop_ms.clamp(0, grace))
            .max();
        pod.others_stop_at = now.saturating_add(others_pre_stop.unwrap_or(0));
        let (id, pre_stop_ms) = (pod.container_id, pod.pre_stop_ms);
        self.begin_track(i);
        let pod = &self.pods[i];
        self.events.push(
            now,
            Kind::Normal,
            "Killing",
            &object,
            format!(
                "Stopping container {} (grace period {}s)",
                pod.container_name,
                grace / SECOND
            ),
        );
        if pre_stop_ms > 0 && grace > 0 {
            self.events.push(
                now,
                Kind::Normal,
                "PreStopHook",
                &object,
                format!("Running preStop hook ({})", fmt_secs(pre_stop)),
            );
        }
        self.kubelet_at(sigterm_at, uid, id, KubeletEvent::Sigterm);
        self.kubelet_at(kill_at, uid, id, KubeletEvent::GraceExpired);
    }

    fn sigterm(&mut self, i: usize) -> bool {
        let now = self.now;
        let pod = &mut self.pods[i];
        if matches!(pod.app, App::Exited { .. }) {
            return false;
        }
        // A probe's kill keeps its reason for the restart; a deletion's exit is the SIGTERM's.
        let killed = pod.deletion.is_none().then_some(pod.killing).flatten();
        match pod.behaviour.on_sigterm {
            OnSigterm::Exit => {
                self.app_exit(i, killed.map_or(Exit::Sigterm, |(why, _)| why));
                true
            }
            OnSigterm::Drain => {
                if matches!(pod.app, App::Starting { .. })
                    || (pod.serving.is_empty() && pod.waiting.is_empty())
                {
                    self.app_exit(i, killed.map_or(Exit::Drained, |(why, _)| why));
                    return true;
                }
                pod.app = App::Draining { since: now };
                self.server_drains(i);
                false
            }
            OnSigterm::Ignore => false,
        }
    }

    /// The app process ends: open connections are reset; a deleted pod is then gone, any other
    /// container is restarted with back-off (PR-6).
    pub(crate) fn app_exit(&mut self, i: usize, why: Exit) {
        let now = self.now;
        self.pods[i].app = App::Exited { at: now, why };
        if self.pods[i].deletion.is_some() {
            if let Some(t) = self.track_mut(self.pods[i].uid) {
                t.exited = Some((now, why));
            }
        }
        self.reset_requests(i, why);
        let pod = &mut self.pods[i];
        pod.killing = None;
        pod.container = ContainerState::Terminated;
        pod.ready = false;
        pod.ready_since = None;
        pod.not_ready_since.get_or_insert(now);
        if pod.deletion.is_some() {
            // PC-2: the pod goes when its last container has stopped.
            if pod.others_stop_at > now {
                let (uid, id, at) = (pod.uid, pod.container_id, pod.others_stop_at);
                self.kubelet_at(at, uid, id, KubeletEvent::SidecarsStopped);
            } else {
                self.remove_pod(i);
            }
            return;
        }
        // The back-off starts afresh after ten minutes of running; RESTARTS never resets.
        let ran_for = pod.listening_since.map_or(0, |s| now - s);
        if ran_for >= BACK_OFF_RESET {
            pod.back_off_step = 0;
        }
        pod.restarts += 1;
        pod.back_off_step += 1;
        let backoff = back_off(pod.back_off_step);
        pod.container = ContainerState::BackOff {
            until: now + backoff,
        };
        pod.listening_since = None;
        let (uid, id, name) = (pod.uid, pod.container_id, pod.name.clone());
        let object = format!("pod/{name}");
        self.events.push(
            now,
            Kind::Warning,
            "BackOff",
            &object,
            format!(
                "Back-off restarting failed container {} in pod {name} ({}; next start in {})",
                pod.container_name,
                why.describe(),
                fmt_secs(backoff)
            ),
        );
        self.kubelet_at(now + backoff, uid, id, KubeletEvent::Restart);
    }

    /// Starts pod `i`'s track as it is deleted.
    pub(crate) fn begin_track(&mut self, i: usize) {
        let p = &self.pods[i];
        let (proxies, routed) = self
            .endpoints
            .iter()
            .find(|e| e.slice.iter().any(|x| x.uid == p.uid))
            .map_or((0, false), |e| (e.proxies.len(), e.routed(p.uid)));
        let track = super::track::TerminationTrack::begin(p, proxies, routed);
        if self.terminations.len() == super::track::TRACKS {
            self.terminations.remove(0);
        }
        self.terminations.push(track);
    }

    /// The track of pod `uid`, if it is being (or was) deleted.
    pub(crate) fn track_mut(&mut self, uid: u64) -> Option<&mut super::track::TerminationTrack> {
        super::track::track(&mut self.terminations, uid)
    }

    fn remove_pod(&mut self, i: usize) {
        let pod = self.pods.remove(i);
        self.metrics.pod_counts(pod.uid, pod.answered, pod.failed);
        self.pod_slots[pod.uid as usize] = 0;
        for (j, p) in self.pods.iter().enumerate().skip(i) {
            self.pod_slots[p.uid as usize] = j as u32 + 1;
        }
        let now = self.now;
        if let Some(t) = self.track_mut(pod.uid) {
            t.gone_at = Some(now);
        }
        self.gone.push(GonePod {
            uid: pod.uid,
            name: pod.name.clone(),
            image: pod.image.clone(),
            deleted_at: pod.deletion.map(|d| d.deleted_at),
            gone_at: self.now,
        });
        if self.gone.len() > 512 {
            self.gone.drain(..256);
        }
    }
}

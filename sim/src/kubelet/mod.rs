//! The kubelet: a pod's life on its node. Container creation, start-up, probes (PR-*), restarts
//! with CrashLoopBackOff, and graceful termination: preStop, SIGTERM, grace period, SIGKILL (TM-*).
mod lifecycle;
pub mod prober;
pub mod track;

use crate::api::{Labels, PodPhase, PodTemplateSpec, Probe, ReplicaSet};
use crate::events::Kind;
use crate::scenario::{Image, OnSigterm};
use crate::time::{fmt_secs, Ms, SECOND};
use prober::{ProbeResult, ProbeType, Worker};
use std::collections::VecDeque;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KubeletEvent {
    ContainerStarted,
    Listening,
    Crashed,
    Probe(ProbeType),
    /// PR-3: the kubelet's extra readiness run right after the initial delay.
    ReadinessTrigger,
    /// preStop finished (or ran out of grace): SIGTERM goes to the app.
    Sigterm,
    /// The grace period is over: SIGKILL.
    GraceExpired,
    Restart,
    /// The last of the other containers is ready: the pod may be.
    SidecarsReady,
    /// Another container (by its index in `others`) has been pulled and started.
    SidecarStarted(u16),
    /// The other containers' preStop hooks are over: the pod goes if the app has stopped.
    SidecarsStopped,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ContainerState {
    /// Image pull and container creation (`ContainerCreating`).
    Creating,
    Running {
        since: Ms,
    },
    /// Waiting to be restarted (`CrashLoopBackOff`).
    BackOff {
        until: Ms,
    },
    Terminated,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum App {
    Starting {
        listens_at: Ms,
    },
    Listening,
    /// SIGTERM with `onSigterm: drain`: listener closed, finishing in-flight requests.
    Draining {
        since: Ms,
    },
    Exited {
        at: Ms,
        why: Exit,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    Sigterm,
    Drained,
    Sigkill,
    Crash,
    LivenessKill,
    StartupKill,
}

impl Exit {
    pub fn describe(self) -> &'static str {
        match self {
            Exit::Sigterm => "exited on SIGTERM",
            Exit::Drained => "finished draining and exited",
            Exit::Sigkill => "was killed (SIGKILL) when the grace period ran out",
            Exit::Crash => "crashed",
            Exit::LivenessKill => "was killed after failing its liveness probe",
            Exit::StartupKill => "was killed after failing its startup probe",
        }
    }
}

/// A pod being deleted (TM-1, TM-2).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Termination {
    pub deleted_at: Ms,
    pub grace_ms: Ms,
    pub sigterm_at: Ms,
    pub kill_at: Ms,
}

/// One of a pod's containers besides the app the simulation models request by request: a
/// second container (a log shipper, a mesh proxy) or a native sidecar (an init container with
/// `restartPolicy: Always`). It gates readiness and termination, nothing more (PC-1, PC-2).
#[derive(Clone, Debug)]
pub struct Sidecar {
    pub name: String,
    pub image: String,
    /// A native sidecar: started before the app, stopped after it.
    pub native: bool,
    /// When its image is pulled and it starts.
    pub started_at: Ms,
    /// When it is running and ready (its image's pull and startup, then its readiness probe's
    /// initial delay).
    pub ready_at: Ms,
    pub pre_stop_ms: Ms,
}

#[derive(Clone, Debug)]
pub struct Pod {
    pub name: String,
    /// The app container's name (the first of `containers`), as events and kubectl name it.
    pub container_name: String,
    /// The pod's other containers (`containers[1..]` and native sidecars), in spec order.
    pub others: Vec<Sidecar>,
    /// When the init containers have all run (the app's own start begins).
    pub init_done_at: Ms,
    /// When each init container finished (a native sidecar: when it started), in order.
    pub init_steps: Vec<Ms>,
    /// When the others' preStop hooks are over, once the pod is deleted: it goes when they
    /// and the app have stopped.
    pub others_stop_at: Ms,
    pub uid: u64,
    /// Stands in for the random UID that breaks scale-down ties (RS-3).
    pub rank_key: u64,
    /// The owning ReplicaSet.
    pub owner: u64,
    pub owner_name: String,
    pub labels: Labels,
    pub node: u32,
    pub created_at: Ms,
    pub image: String,
    pub behaviour: Image,
    pub readiness: Option<Probe>,
    pub liveness: Option<Probe>,
    pub startup: Option<Probe>,
    pub pre_stop_ms: Ms,
    pub grace_ms: Ms,
    /// Bumped for every new container; events for an older one are ignored.
    pub container_id: u32,
    pub container: ContainerState,
    pub app: App,
    /// kubectl's RESTARTS: every restart of the container, never reset.
    pub restarts: u32,
    /// Restarts since the container last ran ten minutes: the step of the back-off (PR-6).
    pub(crate) back_off_step: u32,
    pub started: bool,
    pub ready: bool,
    pub ready_since: Option<Ms>,
    pub not_ready_since: Option<Ms>,
    workers: [Option<Worker>; 3],
    pub deletion: Option<Termination>,
    /// A failed liveness or startup probe is killing the container, to restart it (PR-6).
    pub killing: Option<(Exit, Termination)>,
    /// When the Service's endpoints stopped listing this pod as ready.
    pub endpoint_removed_at: Option<Ms>,
    pub listening_since: Option<Ms>,
    /// Requests it answered and failed (`requests.by_pod`), counted here on the per-request
    /// path and handed to the metrics when the pod goes.
    pub answered: u64,
    pub failed: u64,
    /// `image`'s index in the metrics' images, so the per-request path compares no text.
    pub(crate) image_ix: u16,
    pub(crate) serving: Vec<u32>,
    pub(crate) waiting: VecDeque<u32>,
}

/// What is left of a pod after it is removed, for requests the proxies still send to its IP.
#[derive(Clone, Debug)]
pub struct GonePod {
    pub uid: u64,
    pub name: String,
    pub image: String,
    pub deleted_at: Option<Ms>,
    pub gone_at: Ms,
}

/// TM-2: when SIGTERM and SIGKILL come for a container deleted at `now`. The preStop hook runs
/// first (only with a grace period) and is cut off when the grace period ends; SIGTERM follows
/// it; SIGKILL comes when the grace period is used up, but never sooner than 2 s after SIGTERM
/// (`minimumGracePeriodInSeconds`, `killContainer` in kubelet's `kuberuntime_container.go`). A
/// grace period of 0 kills at once.
pub fn termination_times(now: Ms, grace: Ms, pre_stop: Ms) -> (Ms, Ms) {
    if grace <= 0 {
        return (now, now);
    }
    let pre_stop = pre_stop.clamp(0, grace);
    // Saturating: a grace period of i64::MAX ms is "never", not a time before now.
    let sigterm_at = now.saturating_add(pre_stop);
    (
        sigterm_at,
        sigterm_at.saturating_add((grace - pre_stop).max(2 * SECOND)),
    )
}

/// PR-6: the wait before the `step`-th restart in a row (from 1): 10 s, doubled each time, at
/// most 300 s (`pod-lifecycle.md`, container restarts).
pub fn back_off(step: u32) -> Ms {
    ((10 * SECOND) << step.saturating_sub(1).min(5)).min(300 * SECOND)
}

/// PR-6: a container that ran this long without trouble starts the back-off afresh.
pub const BACK_OFF_RESET: Ms = 600 * SECOND;

/// The probe types, in the order of a pod's workers.
const PROBES: [ProbeType; 3] = [
    ProbeType::Readiness,
    ProbeType::Liveness,
    ProbeType::Startup,
];

impl Pod {
    /// The pod as if its container had started at `past` and every probe had passed since:
    /// running, listening, started, ready. Returns when each probe worker runs next; the
    /// creation events already queued are for a container that never was.
    pub(crate) fn settle(&mut self, past: Ms) -> Vec<(Ms, ProbeType)> {
        self.container_id += 1;
        self.created_at = past;
        self.container = ContainerState::Running { since: past };
        self.app = App::Listening;
        self.listening_since = Some(past);
        self.started = true;
        self.ready = true;
        self.ready_since = Some(past);
        self.init_done_at = past;
        for t in &mut self.init_steps {
            *t = past;
        }
        for s in &mut self.others {
            s.started_at = past;
            s.ready_at = past;
        }
        let specs = PROBES.map(|t| self.probe_spec(t).cloned());
        self.workers = PROBES.map(|t| {
            specs[t as usize].as_ref().map(|p| {
                let mut w = Worker::new(
                    t,
                    p.success_threshold,
                    p.failure_threshold,
                    p.initial_delay_seconds,
                );
                w.record_settled(t);
                w
            })
        });
        PROBES
            .into_iter()
            .filter_map(|t| {
                let period = specs[t as usize].as_ref()?.period_seconds.max(1) * SECOND;
                Some((past + ((0 - past) / period + 1) * period, t))
            })
            .collect()
    }

    /// RC-2 sees a pod in Pending until its container first runs; Running after, even while
    /// terminating, until it is gone.
    pub fn phase(&self) -> PodPhase {
        match (self.container, self.listening_since, self.restarts) {
            (ContainerState::Creating, None, 0) => PodPhase::Pending,
            _ => PodPhase::Running,
        }
    }

    #[inline(always)]
    pub fn is_running(&self) -> bool {
        matches!(self.container, ContainerState::Running { .. })
    }

    /// AV-1.
    pub fn is_available(&self, min_ready_seconds: i32, now: Ms) -> bool {
        crate::deployment::util::is_pod_available(
            self.ready,
            self.ready_since,
            min_ready_seconds,
            now,
        )
    }

    /// Does a new connection get accepted right now?
    #[inline(always)]
    pub fn accepts(&self) -> bool {
        self.is_running() && self.app == App::Listening
    }

    /// kubectl's READY column: containers ready, of the regular ones and native sidecars.
    pub fn ready_containers(&self, now: Ms) -> (usize, usize) {
        let app = usize::from(self.app_ready());
        let others = self.others.iter().filter(|s| now >= s.ready_at).count();
        (app + others, 1 + self.others.len())
    }

    /// The app container is running, started and passes its readiness probe (the pod may
    /// still wait on its other containers).
    pub fn app_ready(&self) -> bool {
        self.is_running()
            && self.started
            && match &self.workers[ProbeType::Readiness as usize] {
                Some(w) => w.cached == ProbeResult::Success,
                None => true,
            }
    }

    /// kubectl's STATUS column at `now`: `Init:1/2` while init containers run,
    /// `PodInitializing` after them until the app's container runs (`printPod`).
    pub fn status_at(&self, now: Ms) -> String {
        let total = self.init_steps.len();
        if self.deletion.is_none() && total > 0 && self.container == ContainerState::Creating {
            if now < self.init_done_at {
                let done = self.init_steps.iter().filter(|t| **t <= now).count();
                return format!("Init:{done}/{total}");
            }
            return "PodInitializing".into();
        }
        self.status_text().to_string()
    }

    /// kubectl's STATUS column.
    pub fn status_text(&self) -> &'static str {
        if self.deletion.is_some() {
            return "Terminating";
        }
        match self.container {
            ContainerState::Creating => "ContainerCreating",
            ContainerState::BackOff { .. } => "CrashLoopBackOff",
            ContainerState::Terminated => "Completed",
            ContainerState::Running { .. } => "Running",
        }
    }

    fn worker(&mut self, t: ProbeType) -> Option<&mut Worker> {
        self.workers[t as usize].as_mut()
    }

    fn probe_spec(&self, t: ProbeType) -> Option<&Probe> {
        match t {
            ProbeType::Readiness => self.readiness.as_ref(),
            ProbeType::Liveness => self.liveness.as_ref(),
            ProbeType::Startup => self.startup.as_ref(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn termination_counts_prestop_against_the_grace_period() {
        // (grace, preStop) -> (SIGTERM, SIGKILL), for a deletion at 100 s.
        let now = 100 * SECOND;
        let s = |secs: i64| now + secs * SECOND;
        for (name, grace, pre_stop, want) in [
            ("defaults, no preStop", 30, 0, (s(0), s(30))),
            ("preStop within the grace period", 30, 5, (s(5), s(30))),
            (
                "preStop uses all of it: 2 s more for SIGTERM",
                10,
                10,
                (s(10), s(12)),
            ),
            (
                "preStop longer than the grace period is cut off",
                10,
                45,
                (s(10), s(12)),
            ),
            ("1 s left after preStop: still 2 s", 10, 9, (s(9), s(11))),
            ("a short grace period still gets 2 s", 1, 0, (s(0), s(2))),
            ("grace 0: killed at once, no preStop", 0, 5, (s(0), s(0))),
        ] {
            let got = termination_times(now, grace * SECOND, pre_stop * SECOND);
            assert_eq!(got, want, "{name}");
        }
        let forever = termination_times(1, Ms::MAX, Ms::MAX);
        assert_eq!(forever, (Ms::MAX, Ms::MAX), "never, not a time before now");
    }

    #[test]
    fn restarts_back_off_doubling_to_five_minutes() {
        let got: Vec<Ms> = (1..=8).map(|n| back_off(n) / SECOND).collect();
        assert_eq!(got, [10, 20, 40, 80, 160, 300, 300, 300]);
        assert_eq!(
            back_off(0),
            10 * SECOND,
            "a first restart however it is counted"
        );
        assert_eq!(back_off(u32::MAX), 300 * SECOND);
    }
}

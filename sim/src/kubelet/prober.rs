//! The kubelet's probe worker (`pkg/kubelet/prober/worker.go`): one per container and probe type.
//! It turns raw probe outcomes into the cached result the kubelet acts on (PR-1..PR-8).

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProbeType {
    Readiness,
    Liveness,
    Startup,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProbeResult {
    Unknown,
    Success,
    Failure,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Worker {
    pub probe_type: ProbeType,
    pub success_threshold: i64,
    pub failure_threshold: i64,
    pub initial_delay_seconds: i64,
    /// What the kubelet uses: readiness → container ready; liveness/startup Failure → restart.
    pub cached: ProbeResult,
    /// The last raw outcome and how many times in a row it came (`resultRun`).
    last_raw: ProbeResult,
    pub result_run: i64,
    /// After a liveness failure or any startup verdict: no probing until a new container.
    pub on_hold: bool,
    /// What a new container starts with (`initialValue`).
    initial: ProbeResult,
}

impl Worker {
    pub fn new(
        probe_type: ProbeType,
        success_threshold: i64,
        failure_threshold: i64,
        initial_delay_seconds: i64,
    ) -> Self {
        // PR-2: readiness starts Failure, liveness Success, startup Unknown.
        let cached = match probe_type {
            ProbeType::Readiness => ProbeResult::Failure,
            ProbeType::Liveness => ProbeResult::Success,
            ProbeType::Startup => ProbeResult::Unknown,
        };
        Worker {
            probe_type,
            success_threshold,
            failure_threshold,
            initial_delay_seconds,
            cached,
            last_raw: ProbeResult::Unknown,
            result_run: 0,
            on_hold: false,
            initial: cached,
        }
    }

    /// A new container ID appeared (a restart): the cached result goes back to the initial value
    /// and a worker on hold resumes. The run of raw outcomes is kept, as upstream keeps it.
    pub fn new_container(&mut self) {
        self.cached = self.initial;
        self.on_hold = false;
    }

    /// Whether this tick runs a probe at all (`doProbe`'s early returns: hold, PR-3 initial delay,
    /// PR-4 startup gating).
    pub fn should_probe(&self, started: bool, seconds_since_start: i64) -> bool {
        if self.on_hold || seconds_since_start < self.initial_delay_seconds {
            return false;
        }
        match self.probe_type {
            ProbeType::Startup => !started,
            _ => started,
        }
    }

    /// Feeds one raw outcome (PR-5 thresholds); returns the cached result after it.
    pub fn record(&mut self, raw: ProbeResult) -> ProbeResult {
        if raw == self.last_raw {
            self.result_run += 1;
        } else {
            self.last_raw = raw;
            self.result_run = 1;
        }
        let threshold = if raw == ProbeResult::Failure {
            self.failure_threshold
        } else {
            self.success_threshold
        };
        if self.result_run < threshold {
            return self.cached;
        }
        self.cached = raw;
        // PR-6: a liveness failure, or a startup verdict, puts the worker on hold.
        if (self.probe_type == ProbeType::Liveness && raw == ProbeResult::Failure)
            || self.probe_type == ProbeType::Startup
        {
            self.on_hold = true;
            self.result_run = 0;
        }
        self.cached
    }
}

impl Worker {
    /// A worker that has been running on a healthy container for a while.
    pub(crate) fn record_settled(&mut self, t: ProbeType) {
        if t == ProbeType::Startup {
            self.cached = ProbeResult::Success;
            self.on_hold = true;
        } else {
            self.cached = ProbeResult::Success;
            self.last_raw = ProbeResult::Success;
            self.result_run = self.success_threshold;
        }
    }
}

//! Running an AnalysisRun against the cluster (`analysis/analysis.go`, `reconcileAnalysisRun`):
//! measurements at their interval, against the simulated requests or by smoke-test requests.
use super::*;
use crate::cluster::{Cluster, Event};
use crate::rollouts::condition::condition;

impl Cluster {
    /// Creates and starts an AnalysisRun from the named templates; returns its index.
    pub(crate) fn start_analysis(
        &mut self,
        rollout: &str,
        analysis: &RolloutAnalysis,
        purpose: &str,
        canary_hash: &str,
        stable_hash: &str,
    ) -> usize {
        let mut metrics = Vec::new();
        let mut missing = Vec::new();
        for t in &analysis.templates {
            match self.analysis_templates.iter().find(|x| x.is(t)) {
                Some(AnalysisTemplate { spec, .. }) => {
                    metrics.extend(spec.metrics.iter().cloned().map(|metric| MetricRun {
                        metric,
                        measurements: Vec::new(),
                        successful: 0,
                        failed: 0,
                        inconclusive: 0,
                        consecutive_errors: 0,
                        phase: RunPhase::Running,
                    }))
                }
                None => missing.push(t.template_name.clone()),
            }
        }
        let index = self.analysis_runs.len();
        let name = format!("{rollout}-{canary_hash}-{purpose}");
        let mut run = AnalysisRun {
            name: name.clone(),
            rollout: rollout.to_string(),
            canary_hash: canary_hash.to_string(),
            stable_hash: stable_hash.to_string(),
            started_at: self.now,
            metrics,
            phase: RunPhase::Running,
            message: String::new(),
            terminated: false,
        };
        if !missing.is_empty() || run.metrics.is_empty() {
            run.phase = RunPhase::Error;
            run.message = format!("AnalysisTemplate {:?} not found", missing.join(", "));
        }
        for (m, metric) in run.metrics.iter().enumerate() {
            let at = self.now + metric.metric.initial_delay_ms();
            self.queue.at(
                at,
                Event::Measure {
                    run: index,
                    metric: m,
                },
            );
        }
        self.events.push(
            self.now,
            Kind::Normal,
            "AnalysisRunRunning",
            &format!("rollout/{rollout}"),
            format!("Analysis Run '{name}' started"),
        );
        self.analysis_runs.push(run);
        index
    }

    pub(crate) fn terminate_analysis(&mut self, run: Option<usize>) {
        if let Some(r) = run.and_then(|i| self.analysis_runs.get_mut(i)) {
            r.terminated = true;
            if r.phase == RunPhase::Running {
                // Argo: a terminated run with no failures so far counts as successful.
                r.phase = RunPhase::Successful;
                r.message = "run terminated".into();
            }
        }
    }

    /// One measurement of one metric, then the verdict, then the next measurement if any.
    pub(crate) fn measure(&mut self, run: usize, metric: usize) {
        let now = self.now;
        let Some(r) = self.analysis_runs.get(run) else {
            return;
        };
        if r.terminated || r.phase.done() {
            return;
        }
        let m = &r.metrics[metric];
        let spec = m.metric.clone();
        let (canary, stable) = (r.canary_hash.clone(), r.stable_hash.clone());
        let (value, text) = self.measurement(&spec, &canary, &stable);
        let r = &mut self.analysis_runs[run];
        let m = &mut r.metrics[metric];
        let phase = match value {
            None => {
                m.consecutive_errors += 1;
                RunPhase::Error
            }
            Some(v) => {
                m.consecutive_errors = 0;
                let judged = judge(&spec, v);
                match judged {
                    RunPhase::Successful => m.successful += 1,
                    RunPhase::Failed => m.failed += 1,
                    _ => m.inconclusive += 1,
                }
                judged
            }
        };
        m.measurements.push(Measurement {
            at: now,
            value,
            phase,
            message: text,
        });
        let taken = m.measurements.len() as i32;
        m.phase = if m.failed > spec.failure_limit {
            RunPhase::Failed
        } else if m.consecutive_errors > spec.error_limit() {
            RunPhase::Error
        } else if m.inconclusive > 0 {
            RunPhase::Inconclusive
        } else if spec
            .count
            .map_or(spec.interval_ms().is_none(), |c| taken >= c)
        {
            RunPhase::Successful
        } else {
            RunPhase::Running
        };
        let next = (m.phase == RunPhase::Running)
            .then(|| spec.interval_ms())
            .flatten();
        r.assess();
        if r.phase.done() {
            let (kind, reason) = match r.phase {
                RunPhase::Successful => (Kind::Normal, "AnalysisRunSuccessful"),
                _ => (Kind::Warning, "AnalysisRunFailed"),
            };
            let msg = format!("Analysis Run '{}' Status: {}", r.name, r.verdict());
            r.message = r.verdict();
            let object = format!("rollout/{}", r.rollout);
            self.events.push(now, kind, reason, &object, msg);
            self.reconcile();
        } else if let Some(interval) = next {
            self.queue
                .at(now + interval, Event::Measure { run, metric });
        }
    }

    /// The simulation provider: what the requests answered by the chosen version in the window say.
    fn measurement(
        &mut self,
        metric: &Metric,
        canary: &str,
        stable: &str,
    ) -> (Option<f64>, String) {
        let Some(sim) = &metric.provider.simulation else {
            return (
                None,
                "no simulation provider: only `provider: {simulation: ...}` can be measured here"
                    .into(),
            );
        };
        if sim.measure == Measure::SmokeTest {
            let hash = match sim.version {
                VersionFilter::Stable => stable,
                _ => canary,
            };
            return self.smoke_test(hash, sim.requests.max(1));
        }
        let window = sim.window_ms();
        let from = self.now - window;
        let wanted = |hash: &str| match sim.version {
            VersionFilter::Canary => hash == canary,
            VersionFilter::Stable => hash == stable,
            VersionFilter::All => true,
        };
        let mut latencies = Vec::new();
        let (mut ok, mut failed) = (0u64, 0u64);
        for s in self.metrics.recent.iter().filter(|s| s.at > from) {
            if !wanted(self.hash_of(s.rs)) {
                continue;
            }
            if s.ok {
                ok += 1;
                // As u32 milliseconds, like the per-second figures: one selection serves both.
                latencies.push(s.latency.clamp(0, Ms::from(u32::MAX)) as u32);
            } else {
                failed += 1;
            }
        }
        let total = ok + failed;
        let span = fmt_secs(window);
        let who = match sim.version {
            VersionFilter::Canary => "the canary",
            VersionFilter::Stable => "the stable version",
            VersionFilter::All => "all pods",
        };
        if total == 0 && sim.measure != Measure::RequestRate {
            return (
                None,
                format!("no request reached {who} in the last {span}: nothing to measure"),
            );
        }
        let value = match sim.measure {
            // (Smoke tests returned above.)
            Measure::ErrorRate | Measure::SmokeTest => failed as f64 / total as f64,
            Measure::SuccessRate => ok as f64 / total as f64,
            Measure::RequestRate => total as f64 * 1000.0 / window as f64,
            Measure::P95Latency => match latencies.len() {
                0 => {
                    return (
                        None,
                        format!("no request to {who} succeeded in the last {span}"),
                    )
                }
                // Nearest rank, selected rather than sorted: the same value in linear time.
                n => {
                    let rank = ((n as f64 * 0.95).ceil() as usize).clamp(1, n);
                    f64::from(*latencies.select_nth_unstable(rank - 1).1)
                }
            },
        };
        let text = format!(
            "{} = {} ({} of {} requests to {who} failed in the last {span})",
            measure_name(sim.measure),
            trim_number(value),
            failed,
            total
        );
        (Some(value), text)
    }

    /// `n` test requests spread over the ready pods of `hash`: a pod that does not accept fails
    /// one, and so do the image's error rate and a schema it cannot read.
    fn smoke_test(&mut self, hash: &str, n: u32) -> (Option<f64>, String) {
        let pods: Vec<usize> = (0..self.pods.len())
            .filter(|&i| {
                let p = &self.pods[i];
                p.ready
                    && p.deletion.is_none()
                    && p.labels
                        .get(crate::rollouts::api::ROLLOUT_HASH)
                        .map(String::as_str)
                        == Some(hash)
            })
            .collect();
        if pods.is_empty() {
            return (
                None,
                format!("no ready pod of {hash} to send test requests to"),
            );
        }
        let mut failed = 0;
        for k in 0..n as usize {
            let i = pods[k % pods.len()];
            let rate = self.pods[i].behaviour.error_rate;
            let bad = !self.pods[i].accepts()
                || self.schema_mismatch(i, self.now).is_some()
                || (rate > 0.0 && self.rng.chance(rate));
            failed += u32::from(bad);
        }
        let value = f64::from(failed) / f64::from(n);
        (
            Some(value),
            format!(
                "smoke test: {failed} of {n} test requests to the {} pods of {hash} failed",
                pods.len()
            ),
        )
    }

    fn hash_of(&self, rs_uid: u64) -> &str {
        self.replica_sets
            .iter()
            .find(|rs| rs.metadata.uid == rs_uid)
            .and_then(|rs| {
                rs.template
                    .metadata
                    .labels
                    .get(crate::rollouts::api::ROLLOUT_HASH)
            })
            .map_or("", String::as_str)
    }
}

fn measure_name(m: Measure) -> &'static str {
    match m {
        Measure::ErrorRate => "error rate",
        Measure::SuccessRate => "success rate",
        Measure::P95Latency => "p95 latency (ms)",
        Measure::RequestRate => "requests per second",
        Measure::SmokeTest => "smoke-test error rate",
    }
}

fn trim_number(v: f64) -> String {
    crate::decimal::short(v, 4)
}

/// Argo's rule: with both conditions, neither true is Inconclusive; with one, its opposite decides.
fn judge(metric: &Metric, value: f64) -> RunPhase {
    let eval = |c: &Option<String>| c.as_deref().map(|c| condition(c, value).unwrap_or(false));
    match (
        eval(&metric.success_condition),
        eval(&metric.failure_condition),
    ) {
        (_, Some(true)) => RunPhase::Failed,
        (Some(true), _) => RunPhase::Successful,
        (Some(false), Some(false)) => RunPhase::Inconclusive,
        (Some(false), None) => RunPhase::Failed,
        (None, _) => RunPhase::Successful,
    }
}

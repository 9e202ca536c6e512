//! AnalysisRuns (`analysis/analysis.go`): each metric of the templates is measured every
//! `interval`, `count` times (or until the rollout ends), and judged by `successCondition` /
//! `failureCondition`. More failures than `failureLimit`, or more errors in a row than
//! `consecutiveErrorLimit`, fail the run, and the rollout aborts.
use super::api::{AnalysisTemplate, Measure, Metric, RolloutAnalysis, VersionFilter};
use crate::cluster::{Cluster, Event};
use crate::events::Kind;
use crate::time::{fmt_secs, Ms};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RunPhase {
    #[default]
    Running,
    Successful,
    Failed,
    Error,
    Inconclusive,
}

impl RunPhase {
    pub fn as_str(self) -> &'static str {
        match self {
            RunPhase::Running => "Running",
            RunPhase::Successful => "Successful",
            RunPhase::Failed => "Failed",
            RunPhase::Error => "Error",
            RunPhase::Inconclusive => "Inconclusive",
        }
    }
    pub fn done(self) -> bool {
        self != RunPhase::Running
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Measurement {
    pub at: Ms,
    pub value: Option<f64>,
    pub phase: RunPhase,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct MetricRun {
    pub metric: Metric,
    pub measurements: Vec<Measurement>,
    pub successful: i32,
    pub failed: i32,
    pub inconclusive: i32,
    pub consecutive_errors: i32,
    pub phase: RunPhase,
}

#[derive(Clone, Debug, PartialEq)]
pub struct AnalysisRun {
    pub name: String,
    pub rollout: String,
    /// The ReplicaSet hashes the `canary` and `stable` versions stand for in measurements.
    pub canary_hash: String,
    pub stable_hash: String,
    pub started_at: Ms,
    pub metrics: Vec<MetricRun>,
    pub phase: RunPhase,
    pub message: String,
    /// Stopped by the rollout (promoted, aborted, superseded): no more measurements.
    pub terminated: bool,
}

impl AnalysisRun {
    /// The run's phase from its metrics: any Failed, Error or Inconclusive decides; all
    /// Successful succeeds.
    fn assess(&mut self) {
        let worst = [RunPhase::Failed, RunPhase::Error, RunPhase::Inconclusive]
            .into_iter()
            .find(|p| self.metrics.iter().any(|m| m.phase == *p));
        self.phase = match worst {
            Some(p) => p,
            None if self.metrics.iter().all(|m| m.phase == RunPhase::Successful) => {
                RunPhase::Successful
            }
            None => RunPhase::Running,
        };
    }

    /// "Metric "error-rate" assessed Failed due to failed (2) > failureLimit (1)".
    pub fn verdict(&self) -> String {
        for m in &self.metrics {
            let why = match m.phase {
                RunPhase::Failed => format!(
                    "failed ({}) > failureLimit ({})",
                    m.failed, m.metric.failure_limit
                ),
                RunPhase::Error => format!(
                    "consecutiveErrors ({}) > consecutiveErrorLimit ({})",
                    m.consecutive_errors,
                    m.metric.error_limit()
                ),
                RunPhase::Inconclusive => format!("inconclusive ({}) > 0", m.inconclusive),
                _ => continue,
            };
            let last = m
                .measurements
                .last()
                .map(|x| format!("; last measurement at {}: {}", fmt_secs(x.at), x.message))
                .unwrap_or_default();
            return format!(
                "Metric \"{}\" assessed {} due to {why}{last}",
                m.metric.name,
                m.phase.as_str()
            );
        }
        format!("AnalysisRun {} is {}", self.name, self.phase.as_str())
    }
}

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
            match self
                .analysis_templates
                .iter()
                .find(|x| x.metadata.name == t.template_name)
            {
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
                latencies.push(s.latency);
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
            Measure::P95Latency => {
                latencies.sort_unstable();
                match latencies.len() {
                    0 => {
                        return (
                            None,
                            format!("no request to {who} succeeded in the last {span}"),
                        )
                    }
                    n => latencies[((n as f64 * 0.95).ceil() as usize).clamp(1, n) - 1] as f64,
                }
            }
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
                    && p.labels.get(super::api::ROLLOUT_HASH).map(String::as_str) == Some(hash)
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
            .and_then(|rs| rs.template.metadata.labels.get(super::api::ROLLOUT_HASH))
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

/// The part of Argo's expression language conditions use: `result` (or `result[0]`) compared
/// with numbers by `<`, `<=`, `>`, `>=`, `==`, `!=`, joined by `&&`/`and` and `||`/`or`.
pub fn condition(text: &str, result: f64) -> Result<bool, String> {
    let spaced = text.replace("&&", " and ").replace("||", " or ");
    let mut any = false;
    for alternative in split_words(&spaced, "or") {
        let mut all = true;
        for term in split_words(&alternative, "and") {
            all &= comparison(term.trim(), result)?;
        }
        any |= all;
    }
    Ok(any)
}

fn split_words(text: &str, word: &str) -> Vec<String> {
    let mut parts = vec![String::new()];
    for w in text.split_whitespace() {
        if w == word {
            parts.push(String::new());
        } else if let Some(last) = parts.last_mut() {
            last.push(' ');
            last.push_str(w);
        }
    }
    parts
}

fn comparison(term: &str, result: f64) -> Result<bool, String> {
    const OPS: [&str; 6] = ["<=", ">=", "==", "!=", "<", ">"];
    let (at, op) = OPS
        .iter()
        .filter_map(|op| term.find(op).map(|i| (i, *op)))
        .min_by_key(|(i, op)| (*i, std::cmp::Reverse(op.len())))
        .ok_or(format!(
            "{term:?} is not a comparison such as `result < 0.05`"
        ))?;
    let operand = |s: &str| -> Result<f64, String> {
        match s.trim() {
            "result" | "result[0]" => Ok(result),
            n => crate::decimal::parse(n)
                .ok_or_else(|| format!("{n:?} is neither `result` nor a number")),
        }
    };
    let (a, b) = (operand(&term[..at])?, operand(&term[at + op.len()..])?);
    Ok(match op {
        "<=" => a <= b,
        ">=" => a >= b,
        "==" => a == b,
        "!=" => a != b,
        "<" => a < b,
        _ => a > b,
    })
}

#[cfg(test)]
mod tests {
    use super::condition;

    #[test]
    fn conditions_read_as_argo_writes_them() {
        assert_eq!(condition("result < 0.05", 0.01), Ok(true));
        assert_eq!(condition("result[0] <= 0.05", 0.06), Ok(false));
        assert_eq!(condition("result >= 0.95 && result <= 1", 0.97), Ok(true));
        assert_eq!(condition("result > 500 || result < 1", 0.5), Ok(true));
        assert_eq!(condition("result > 500 or result < 1", 3.0), Ok(false));
        assert!(condition("result ~ 3", 1.0).is_err());
        assert!(condition("len(result) > 0", 1.0).is_err());
    }
}

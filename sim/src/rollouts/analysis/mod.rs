//! AnalysisRuns (`analysis/analysis.go`): each metric of the templates is measured every
//! `interval`, `count` times (or until the rollout ends), and judged by `successCondition` /
//! `failureCondition`. More failures than `failureLimit`, or more errors in a row than
//! `consecutiveErrorLimit`, fail the run, and the rollout aborts.
use super::api::{AnalysisTemplate, Measure, Metric, RolloutAnalysis, VersionFilter};
mod run;

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

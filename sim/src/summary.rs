//! The outcome of a run, for people (`rollout-sim run`) and programs (`--json`).
use crate::cluster::Cluster;
use crate::deployment::util::{PROGRESSING, TIMED_OUT};
use crate::time::fmt_secs;
use crate::traffic::Reason;
use serde_json::{json, Map, Value};

impl Cluster {
    pub fn summary_json(&self) -> Value {
        let m = &self.metrics;
        let mut by_reason = Map::new();
        for r in Reason::ALL {
            by_reason.insert(r.as_str().into(), json!(m.failed_by(r)));
        }
        let d = self.focus_deployment();
        let complete =
            d.is_some_and(|d| crate::deployment::util::deployment_complete(d, &d.status));
        let exceeded = d.is_some_and(|d| {
            d.status
                .condition(PROGRESSING)
                .is_some_and(|c| c.reason == TIMED_OUT)
        });
        let revision = d
            .and_then(|d| d.metadata.annotations.get(crate::api::REVISION))
            .and_then(|r| r.parse::<i64>().ok())
            .unwrap_or(0);
        let mut by_image = Map::new();
        for (image, v, share) in m.answer_shares() {
            by_image.insert(
                image.clone(),
                json!({"succeeded": v.succeeded, "failed": v.failed, "share": (share * 10_000.0).round() / 10_000.0}),
            );
        }
        let rollout = match self.focus_rollout() {
            Some(r) => self.rollout_json(r),
            None => json!({
                "kind": "Deployment",
                "deployment": d.map(|d| d.metadata.name.clone()),
                "complete": complete,
                "completed_at_s": if complete { self.rollout_completed_at.map(|t| t as f64 / 1000.0) } else { None },
                "progress_deadline_exceeded": exceeded,
                "revision": revision,
            }),
        };
        let mut shadow_reasons = Map::new();
        for r in Reason::ALL {
            shadow_reasons.insert(
                r.as_str().into(),
                json!(m.shadow.failed_by_reason[r as usize]),
            );
        }
        let mut by_pod = Map::new();
        for p in self.pods_traffic() {
            let pod = json!({"answered": p.answered, "failed": p.failed, "created_at_s": p.created_at as f64 / 1000.0});
            by_pod.insert(p.name.clone(), pod);
        }
        let pool = &self.requests.pool;
        json!({
            "simulated_seconds": self.now as f64 / 1000.0,
            "seed": self.scenario.seed,
            "requests": {
                "sent": m.sent,
                "succeeded": m.succeeded,
                "failed": m.failed,
                "in_flight": m.in_flight(),
                "failed_by_reason": by_reason,
                "by_image": by_image,
                "by_pod": by_pod,
                "latency_ms": {"p50": m.latency_quantile(0.5), "p95": m.latency_quantile(0.95), "p99": m.latency_quantile(0.99)},
                "first_failure_at_s": m.first_failure_at.map(|t| t as f64 / 1000.0),
                "last_failure_at_s": m.last_failure_at.map(|t| t as f64 / 1000.0),
            },
            "connections": {
                "opened": pool.opened,
                "closed_by_server": pool.closed_by_server,
                "reset": pool.reset,
            },
            "rollout": rollout,
            "versions": {
                "flips": m.version_flips,
                "clients_with_mixed_versions": m.clients_with_mixed_versions(),
            },
            "shadow": {
                "sent": m.shadow.sent,
                "succeeded": m.shadow.succeeded,
                "failed": m.shadow.failed(),
                "failed_by_reason": shadow_reasons,
            },
            "analysis": self.analysis_json(),
            "pods": {
                "max_not_terminating": m.max_not_terminating,
                "min_available": m.min_available.unwrap_or(0),
            },
            "warnings": self.scenario.warnings,
            "command_errors": self.command_errors.iter().map(|(t, e)| format!("{}: {e}", fmt_secs(*t))).collect::<Vec<_>>(),
        })
    }

    fn rollout_json(&self, r: &crate::rollouts::api::Rollout) -> Value {
        let s = &r.status;
        let strategy = if r.spec.strategy.blue_green.is_some() {
            "BlueGreen"
        } else {
            "Canary"
        };
        let revision = self
            .rollout_index(&r.metadata.name)
            .map(|i| self.rollout_rss(i))
            .unwrap_or_default()
            .iter()
            .find(|o| o.hash == s.current_pod_hash)
            .map_or(0, |o| o.revision);
        let complete = Cluster::rollout_complete(r);
        json!({
            "kind": "Rollout",
            "rollout": r.metadata.name,
            "strategy": strategy,
            "phase": s.phase.as_str(),
            "message": s.message,
            "aborted": s.abort,
            "complete": complete,
            "completed_at_s": if complete { s.completed_at.map(|t| t as f64 / 1000.0) } else { None },
            "revision": revision,
            "step": s.current_step_index,
            "desired_weight": s.desired_weight,
            "actual_weight": self.actual_weight(r),
            "stable_hash": s.stable_rs,
            "current_hash": s.current_pod_hash,
        })
    }

    /// The result of the analysis runs: the worst phase, and each run with its measurements.
    fn analysis_json(&self) -> Value {
        if self.analysis_runs.is_empty() {
            return Value::Null;
        }
        use crate::rollouts::analysis::RunPhase;
        let worst = [
            RunPhase::Failed,
            RunPhase::Error,
            RunPhase::Inconclusive,
            RunPhase::Running,
        ]
        .into_iter()
        .find(|p| self.analysis_runs.iter().any(|r| r.phase == *p))
        .unwrap_or(RunPhase::Successful);
        let runs: Vec<Value> = self
            .analysis_runs
            .iter()
            .map(|r| {
                let measurements: Vec<Value> = r
                    .metrics
                    .iter()
                    .flat_map(|m| {
                        m.measurements.iter().map(move |x| {
                            json!({"metric": m.metric.name, "at_s": x.at as f64 / 1000.0, "value": x.value, "phase": x.phase.as_str()})
                        })
                    })
                    .collect();
                json!({"name": r.name, "phase": r.phase.as_str(), "message": r.message, "measurements": measurements})
            })
            .collect();
        json!({"result": worst.as_str(), "runs": runs})
    }

    /// The outcome line a screen reader hears: "1,204 succeeded, 37 failed (37 connection refused)".
    pub fn outcome_sentence(&self) -> String {
        let m = &self.metrics;
        let reasons: Vec<String> = Reason::ALL
            .iter()
            .filter(|r| m.failed_by(**r) > 0)
            .map(|r| format!("{} {}", thousands(m.failed_by(*r)), r.label()))
            .collect();
        let mut s = format!(
            "{} succeeded, {} failed",
            thousands(m.succeeded),
            thousands(m.failed)
        );
        if !reasons.is_empty() {
            s.push_str(&format!(" ({})", reasons.join(", ")));
        }
        s
    }

    pub fn summary_text(&self) -> String {
        let m = &self.metrics;
        let mut out = Vec::new();
        out.push(format!(
            "Simulated {} (seed {})",
            fmt_secs(self.now),
            self.scenario.seed
        ));
        out.push(format!(
            "Requests: {} sent; {}; {} in flight",
            thousands(m.sent),
            self.outcome_sentence(),
            m.in_flight()
        ));
        if m.sent > 0 {
            out.push(format!(
                "Success rate: {}%",
                crate::decimal::fixed(100.0 * m.succeeded as f64 / m.sent as f64, 3)
            ));
        }
        if let (Some(first), Some(last)) = (m.first_failure_at, m.last_failure_at) {
            out.push(format!(
                "Failures from {} to {}",
                fmt_secs(first),
                fmt_secs(last)
            ));
        }
        if let Some(r) = self.focus_rollout() {
            out.push(format!(
                "Rollout of rollout/{}: {}{}",
                r.metadata.name,
                r.status.phase.as_str(),
                match r.status.message.as_str() {
                    "" => String::new(),
                    msg => format!(" - {msg}"),
                }
            ));
        }
        for run in &self.analysis_runs {
            out.push(format!(
                "AnalysisRun {}: {}{}",
                run.name,
                run.phase.as_str(),
                if run.message.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", run.message)
                }
            ));
        }
        if m.by_image().len() > 1 {
            let shares: Vec<String> = m
                .answer_shares()
                .map(|(image, _, share)| {
                    format!("{image} {}%", crate::decimal::fixed(100.0 * share, 1))
                })
                .collect();
            out.push(format!("Answers by version: {}", shares.join(", ")));
            out.push(format!(
                "Version flips: {} ({} clients were answered by more than one version)",
                thousands(m.version_flips),
                m.clients_with_mixed_versions()
            ));
        }
        if m.shadow.sent > 0 {
            out.push(format!(
                "Shadow copies: {} sent, {} succeeded, {} failed (never seen by clients)",
                thousands(m.shadow.sent),
                thousands(m.shadow.succeeded),
                thousands(m.shadow.failed())
            ));
        }
        if let Some(d) = self.focus_deployment() {
            let status = self
                .rollout_status(d)
                .unwrap_or_else(|e| format!("error: {e}"));
            out.push(format!(
                "Rollout of deployment/{}: {status}",
                d.metadata.name
            ));
            if let Some(at) = self.rollout_completed_at {
                out.push(format!("  complete since {}", fmt_secs(at)));
            }
        }
        out.extend(self.connection_lines());
        out.push(format!(
            "Pods: at most {} not terminating; at least {} available",
            m.max_not_terminating,
            m.min_available.unwrap_or(0)
        ));
        for w in &self.scenario.warnings {
            out.push(format!("Warning: {w}"));
        }
        for (t, e) in &self.command_errors {
            out.push(format!("Command failed at {}: {e}", fmt_secs(*t)));
        }
        let mut firsts: Vec<&crate::traffic::FailedRequest> =
            m.first_by_reason.iter().flatten().collect();
        crate::order::sort_by_key(&mut firsts, |f| (f.ended_at, f.id));
        let examples: Vec<String> = firsts
            .iter()
            .map(|f| {
                format!(
                    "  #{} {} at {}: {}",
                    f.id,
                    f.reason.as_str(),
                    fmt_secs(f.ended_at),
                    f.cause
                )
            })
            .collect();
        if !examples.is_empty() {
            out.push("Why requests failed (first of each kind):".into());
            out.extend(examples);
        }
        out.join("\n")
    }

    /// Every pod that ever ran, in the order they were created, with what it answered and
    /// failed up to now.
    pub fn pods_traffic(&self) -> Vec<crate::metrics::PodTraffic> {
        let mut all: Vec<_> = self.metrics.by_pod.clone();
        for p in &self.pods {
            if let Some(t) = all.get_mut(p.uid as usize) {
                (t.answered, t.failed) = (p.answered, p.failed);
            }
        }
        all.retain(|p| !p.name.is_empty());
        all
    }

    /// "412 opened, 30 closed by the server, 2 reset (keep-alive)".
    pub fn connections_sentence(&self) -> String {
        let pool = &self.requests.pool;
        format!(
            "{} opened, {} closed by the server, {} reset ({})",
            thousands(pool.opened),
            thousands(pool.closed_by_server),
            thousands(pool.reset),
            self.scenario.traffic.connections.name(),
        )
    }

    /// The connections counted, and what each pod answered (up to 40 pods).
    fn connection_lines(&self) -> Vec<String> {
        let mut out = Vec::new();
        out.push(format!("Connections: {}", self.connections_sentence()));
        let pods: Vec<String> = self
            .pods_traffic()
            .iter()
            .map(|p| {
                format!(
                    "{} {}/{}",
                    p.name,
                    thousands(p.answered),
                    thousands(p.failed)
                )
            })
            .collect();
        if !pods.is_empty() && pods.len() <= 40 {
            out.push(format!("Answered/failed by pod: {}", pods.join(", ")));
        }
        out
    }
}

/// 1234567 → "1,234,567".
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "two nines" for 99.2%: how many leading nines a success rate has.
pub fn nines(rate: f64) -> String {
    const WORDS: [&str; 7] = [
        "no nines",
        "one nine",
        "two nines",
        "three nines",
        "four nines",
        "five nines",
        "six nines",
    ];
    if rate >= 1.0 {
        return "no failures".into();
    }
    // Round away float noise first: 0.999 must count as three nines.
    let n = (-(1.0 - rate).log10() + 1e-9).floor().max(0.0) as usize;
    WORDS[n.min(WORDS.len() - 1)].into()
}

impl Cluster {
    /// "99.2% succeeded — two nines. Against a 99.9% objective this spent 8.0× the error budget.
    /// Latency p50 28 ms, p95 116 ms."
    pub fn service_level(&self) -> String {
        let m = &self.metrics;
        let ended = m.succeeded + m.failed;
        if ended == 0 && m.sent == 0 && self.services.is_empty() {
            return crate::scenario::NO_SERVICE.into();
        }
        if ended == 0 {
            return "No request has ended yet.".into();
        }
        let rate = m.succeeded as f64 / ended as f64;
        let budget = 0.001 * ended as f64;
        let mut s = format!(
            "{}% succeeded — {}.",
            crate::decimal::fixed((rate * 100_000.0).floor() / 1000.0, 3),
            nines(rate)
        );
        s.push_str(&format!(
            " Against a 99.9% objective this spent {}× the error budget.",
            crate::decimal::fixed(m.failed as f64 / budget, 1)
        ));
        if let (Some(p50), Some(p95)) = (m.latency_quantile(0.5), m.latency_quantile(0.95)) {
            s.push_str(&format!(" Latency p50 {p50} ms, p95 {p95} ms."));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nines_and_thousands() {
        for (rate, want) in [
            (0.5, "no nines"),
            (0.92, "one nine"),
            (0.992, "two nines"),
            (0.999, "three nines"),
            (0.99999, "five nines"),
            (1.0, "no failures"),
        ] {
            assert_eq!(nines(rate), want, "{rate}");
        }
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(999), "999");
    }
}

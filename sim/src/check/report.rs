//! What the simulated deploy did, as a reviewer asks for it: how it ended, the failed requests
//! grouped by what caused them, the figures (extra pods at the peak, the lowest available, the
//! time to finish, failures per thousand and their worst second), pods per version over time and
//! the controllers' steps.
use super::deploy::{End, DEPLOY_AT};
use crate::cluster::Cluster;
use crate::time::{Ms, SECOND};
use crate::traffic::{FailedRequest, Why};

/// Failures with one cause.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    pub why: Why,
    pub count: u64,
    pub first: Ms,
    pub last: Ms,
    /// The first such failure kept, with its full cause.
    pub example: Option<FailedRequest>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Figures {
    pub replicas: i32,
    /// Pods above `replicas` at the peak (terminating ones not counted, as the controller counts).
    pub peak_extra_pods: i64,
    pub lowest_available: u32,
    /// From the change to the controller calling it complete.
    pub time_to_finish: Option<Ms>,
    /// Requests sent and failed from the change to the end.
    pub sent: u64,
    pub failed: u64,
    /// The second with the most failures: its start and its count.
    pub worst_second: Option<(Ms, u32)>,
}

impl Figures {
    pub fn per_thousand(&self) -> f64 {
        if self.sent == 0 {
            0.0
        } else {
            self.failed as f64 * 1000.0 / self.sent as f64
        }
    }
}

/// Pods of one version at one second: (image, ready, not ready, terminating).
pub type Sample = (Ms, Vec<(String, u16, u16, u16)>);

#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    pub end: End,
    pub figures: Figures,
    pub groups: Vec<Group>,
    /// The controllers' steps and the commands, in order (the lab's ribbon, pods' kills left out).
    pub steps: Vec<(Ms, String)>,
    /// Pods per version, at each second where they changed.
    pub samples: Vec<Sample>,
}

impl Outcome {
    pub fn of(c: &Cluster, end: &End, replicas: i32) -> Outcome {
        let m = &c.metrics;
        let from = (DEPLOY_AT / SECOND) as usize;
        let window = m.seconds.get(from..).unwrap_or_default();
        let failed_in = |s: &crate::metrics::Second| s.failed.iter().sum::<u32>();
        let worst = window
            .iter()
            .enumerate()
            .map(|(i, s)| (((from + i) as Ms) * SECOND, failed_in(s)))
            .filter(|(_, n)| *n > 0)
            .fold(None, |best: Option<(Ms, u32)>, s| match best {
                Some(b) if b.1 >= s.1 => Some(b),
                _ => Some(s),
            });
        let figures = Figures {
            replicas,
            peak_extra_pods: i64::from(m.max_not_terminating) - i64::from(replicas),
            lowest_available: m.min_available.unwrap_or(0),
            time_to_finish: match end {
                End::Completed { at, .. } => Some(at - DEPLOY_AT),
                End::Stalled { .. } => None,
            },
            sent: window.iter().map(|s| u64::from(s.sent)).sum(),
            failed: window.iter().map(|s| u64::from(failed_in(s))).sum(),
            worst_second: worst,
        };
        let groups = Why::ALL
            .iter()
            .filter_map(|&why| {
                let (first, last) = m.why_between[why as usize]?;
                Some(Group {
                    why,
                    count: m.failed_by_why[why as usize],
                    first,
                    last,
                    example: m.failures.iter().find(|f| f.why == why).cloned(),
                })
            })
            .collect();
        let promotions = c
            .command_log
            .iter()
            .filter(|(_, _, r)| r.as_deref() == Ok(super::deploy::PROMOTED))
            .map(|(at, line, _)| {
                (
                    *at,
                    format!("{line} (the check, for the person the pause waits for)"),
                )
            });
        // A warning once per reason (every new pod fails its first readiness probe alike), and
        // no pod's kill: the ReplicaSets' scaling already says it.
        let mut warned: Vec<String> = Vec::new();
        let mut steps: Vec<(Ms, String)> = crate::lab::ribbon::moments(c)
            .into_iter()
            .filter(|s| !s.text.starts_with("Killing"))
            .filter(|s| {
                let reason = s.text.split(':').next().unwrap_or_default().to_string();
                !s.warning
                    || (!warned.contains(&reason) && {
                        warned.push(reason);
                        true
                    })
            })
            .map(|s| (s.at, s.text))
            .chain(promotions)
            .collect();
        crate::order::sort_by_key(&mut steps, |s| s.0);
        Outcome {
            end: end.clone(),
            figures,
            groups,
            steps,
            samples: samples(c),
        }
    }

    pub fn failed(&self) -> u64 {
        self.groups.iter().map(|g| g.count).sum()
    }
}

fn samples(c: &Cluster) -> Vec<Sample> {
    let m = &c.metrics;
    m.pods
        .iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let p = p.as_ref()?;
            let row = p
                .iter()
                .map(|k| {
                    let image = m.images.get(k.image as usize).cloned().unwrap_or_default();
                    (image, k.ready, k.not_ready, k.terminating)
                })
                .collect();
            Some((i as Ms * SECOND, row))
        })
        .collect()
}

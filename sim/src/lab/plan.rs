//! The release plan as settings a learner turns, beyond the workload's own fields: the weight of
//! a canary's first `setWeight` step and the interval and failure limit of the first metric its
//! first analysis step runs (what a team tunes to stop a bad canary sooner: measure sooner, fail
//! on the first bad measurement, expose fewer users), and when the schema migration runs.
use crate::manifest::Object;
use crate::rollouts::api::{CanaryStep, Metric};
use crate::scenario::{Duration, Scenario, Step};

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Plan {
    /// The first `setWeight` step's weight, when the canary has one.
    pub first_weight: Option<i32>,
    /// The analysis metric's `interval` in whole seconds and its `failureLimit`, when a step
    /// runs an AnalysisTemplate of the scenario's.
    pub analysis: Option<(i64, i32)>,
    /// The release's one schema migration, when it has exactly one.
    pub migration: Option<Migration>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Migration {
    pub when: MigrateWhen,
    /// The schema it moves the database to.
    pub to: u32,
    /// When the pipeline runs it (the first timeline step when the new version runs it).
    pub at: Duration,
}

crate::scenario::choice! {
    /// Who runs the migration, and so when.
    MigrateWhen {
        /// The release pipeline runs `db migrate` as it deploys, whatever still serves.
        WithDeploy = "with-deploy",
        /// The new version migrates as its first container starts (an init container).
        OnStart = "on-start",
    }
}

impl Plan {
    pub fn read(s: &Scenario) -> Plan {
        let steps = steps(s);
        let first_weight = steps.iter().find_map(|st| st.set_weight);
        let analysis = metric(s).map(|m| (m.interval_ms().unwrap_or(0) / 1000, m.failure_limit));
        Plan {
            first_weight,
            analysis,
            migration: migration(s),
        }
    }

    /// Writes the plan into the Rollout's steps and the AnalysisTemplate; the Rollout's and the
    /// template's validation then judge it like any manifest.
    pub fn apply(&self, s: &mut Scenario) {
        let (weight, analysis) = (self.first_weight, self.analysis);
        if let (Some(w), Some(step)) = (weight, steps_mut(s).find(|st| st.set_weight.is_some())) {
            step.set_weight = Some(w);
        }
        if let (Some((interval, limit)), Some(m)) = (analysis, metric_mut(s)) {
            m.interval = Some(format!("{interval}s"));
            m.failure_limit = limit;
        }
        if let Some(m) = self.migration {
            set_migration(s, m);
        }
    }
}

/// `db migrate N` on the timeline: its position and N.
fn migrate_steps(s: &Scenario) -> impl Iterator<Item = (usize, u32)> + '_ {
    s.timeline
        .iter()
        .enumerate()
        .filter_map(|(i, st)| match crate::kubectl::parse(&st.run) {
            Ok(crate::kubectl::Command::Migrate(to)) => Some((i, to)),
            _ => None,
        })
}

fn migration(s: &Scenario) -> Option<Migration> {
    let on_start = s.images.values().find_map(|i| i.migrates);
    let steps: Vec<(usize, u32)> = migrate_steps(s).collect();
    match (on_start, &steps[..]) {
        (Some(to), []) => Some(Migration {
            when: MigrateWhen::OnStart,
            to,
            at: s.timeline.first()?.at,
        }),
        (None, &[(i, to)]) => Some(Migration {
            when: MigrateWhen::WithDeploy,
            to,
            at: s.timeline[i].at,
        }),
        _ => None,
    }
}

/// Moves the one migration to the pipeline's timeline or into the images that can read its
/// schema (the new version: the running one cannot, or there would be nothing to migrate).
fn set_migration(s: &mut Scenario, m: Migration) {
    let at: Vec<usize> = migrate_steps(s).map(|(i, _)| i).collect();
    for i in at.into_iter().rev() {
        s.timeline.remove(i);
    }
    for image in s.images.values_mut() {
        let reads = image.schemas.as_ref().is_none_or(|r| r.contains(&m.to));
        image.migrates = (m.when == MigrateWhen::OnStart && reads).then_some(m.to);
    }
    if m.when == MigrateWhen::WithDeploy {
        // Before the steps of the same moment, as a pipeline migrates and then deploys.
        let i = s.timeline.partition_point(|st| st.at.0 < m.at.0);
        let run = format!("db migrate {}", m.to);
        s.timeline.insert(
            i,
            Step {
                at: m.at,
                run,
                stdin: None,
            },
        );
    }
}

/// The canary steps of the scenario's Rollout (none for any other workload).
fn steps(s: &Scenario) -> &[CanaryStep] {
    s.objects
        .iter()
        .find_map(|o| match o {
            Object::Rollout(r) => r.spec.strategy.canary.as_ref().map(|c| &c.steps[..]),
            _ => None,
        })
        .unwrap_or(&[])
}

fn steps_mut(s: &mut Scenario) -> impl Iterator<Item = &mut CanaryStep> {
    s.objects
        .iter_mut()
        .filter_map(|o| match o {
            Object::Rollout(r) => r.spec.strategy.canary.as_mut(),
            _ => None,
        })
        .flat_map(|c| c.steps.iter_mut())
}

/// The template the first analysis step names, by position among the scenario's objects.
fn template_at(s: &Scenario) -> Option<usize> {
    let analysis = steps(s).iter().find_map(|st| st.analysis.as_ref())?;
    let first = analysis.templates.first()?;
    s.objects
        .iter()
        .position(|o| matches!(o, Object::AnalysisTemplate(t) if t.is(first)))
}

fn metric(s: &Scenario) -> Option<&Metric> {
    match &s.objects[template_at(s)?] {
        Object::AnalysisTemplate(t) => t.spec.metrics.first(),
        _ => None,
    }
}

fn metric_mut(s: &mut Scenario) -> Option<&mut Metric> {
    let at = template_at(s)?;
    match &mut s.objects[at] {
        Object::AnalysisTemplate(t) => t.spec.metrics.first_mut(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::cluster::Cluster;
    use crate::lab::knobs::Knobs;
    use crate::traffic::Reason;

    /// schema-breaking-change's app errors with the strategy and the migration's timing given.
    fn app_errors(strategy: &str, migration: &str) -> u64 {
        let mut s = crate::lab::examples::parsed("schema-breaking-change");
        let mut k = Knobs::read(&s).unwrap();
        assert_eq!(k.get("migration").as_deref(), Some("with-deploy"));
        k.set("strategy", strategy).unwrap();
        k.set("migration", migration).unwrap();
        k.apply(&mut s).unwrap();
        let back = Knobs::read(&s).unwrap();
        assert_eq!(
            (back.strategy, back.plan),
            (k.strategy, k.plan),
            "reads back"
        );
        let mut c = Cluster::new(s);
        c.run();
        c.metrics.failed_by(Reason::AppError)
    }

    #[test]
    fn a_migration_on_start_after_recreate_meets_no_old_pod() {
        // The pipeline's migration meets old pods whatever the strategy: Recreate's are still
        // shutting down (and answering) when it runs.
        assert!(app_errors("RollingUpdate", "with-deploy") > 0);
        assert!(app_errors("Recreate", "with-deploy") > 0);
        // Run by the new version as it starts, it follows the rolling update's first new pod
        // (old ones still serve), but Recreate starts no new pod until every old one is gone.
        assert!(app_errors("RollingUpdate", "on-start") > 0);
        assert_eq!(app_errors("Recreate", "on-start"), 0);
        // Written back as the pipeline's step, the scenario is the one it was.
        let s = crate::lab::examples::parsed("schema-breaking-change");
        let mut again = s.clone();
        Knobs::read(&s).unwrap().apply(&mut again).unwrap();
        assert_eq!(again.timeline, s.timeline);
    }
}

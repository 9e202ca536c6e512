//! The run's moments for the lab's timeline ribbon: the timeline's commands and the events that
//! mark a rollout's course (scaling, pods killed, analysis results, aborts, completion, flags,
//! schema migrations, warnings), from a cluster run as far as it is (the lab runs it to its end,
//! so the moments ahead of the one shown can be chosen too). Repeats of one reason on one object (a crash loop's back-offs) count
//! once, so the ribbon stays a summary.
use crate::cluster::Cluster;
use crate::events::Kind;
use crate::time::Ms;

/// The most moments the ribbon holds.
pub const MOMENTS: usize = 80;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Moment {
    pub at: Ms,
    /// A timeline command (`kubectl set image …`), or an event as `kubectl get events` words it.
    pub command: bool,
    pub warning: bool,
    pub text: String,
}

pub const NOTABLE: [&str; 10] = [
    "ScalingReplicaSet",
    "Killing",
    "RolloutAborted",
    "RolloutCompleted",
    "RolloutPaused",
    "AnalysisRunFailed",
    "AnalysisRunSuccessful",
    "FlagChanged",
    "SchemaMigrated",
    "SwitchService",
];

pub fn moments(c: &Cluster) -> Vec<Moment> {
    let mut out: Vec<Moment> = c
        .scenario
        .timeline
        .iter()
        .map(|s| Moment {
            at: s.at.0,
            command: true,
            warning: false,
            text: s.run.clone(),
        })
        .collect();
    let mut seen: Vec<(&str, &str)> = Vec::new();
    for e in c.events.iter() {
        let warning = e.kind == Kind::Warning;
        if !(warning || NOTABLE.contains(&e.reason)) {
            continue;
        }
        if warning {
            if seen.contains(&(e.reason, e.object.as_str())) {
                continue;
            }
            seen.push((e.reason, e.object.as_str()));
        }
        out.push(Moment {
            at: e.at,
            command: false,
            warning,
            text: format!("{}: {}", e.reason, e.message),
        });
    }
    // In time order, commands before the events they cause at the same moment.
    crate::order::sort_by(&mut out, |a, b| (a.at, !a.command).cmp(&(b.at, !b.command)));
    out.truncate(MOMENTS);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ribbon_holds_the_commands_ahead_and_the_rollouts_course_so_far() {
        let mut c = Cluster::new(crate::lab::examples::parsed("rolling-zero-downtime"));
        c.run_until(30_000);
        // Before the deploy: only the command, ahead.
        let before = moments(&c);
        assert_eq!(before.len(), 1);
        assert!(before[0].command && before[0].text.starts_with("kubectl set image"));
        c.run();
        let after = moments(&c);
        assert!(after.iter().any(|m| m
            .text
            .starts_with("ScalingReplicaSet: Scaled up replica set myapp-")));
        assert!(after.iter().any(|m| m.text.starts_with("Killing: ")));
        assert!(
            after.windows(2).all(|w| w[0].at <= w[1].at),
            "in time order"
        );
        // A crash loop's back-offs count once per pod, however often the kubelet backs off.
        let mut s = crate::lab::examples::parsed("rolling-zero-downtime");
        let mut k = crate::lab::knobs::Knobs::read(&s).unwrap();
        k.set("health", "crash-loop").unwrap();
        k.apply(&mut s).unwrap();
        let mut crash = Cluster::new(s);
        crash.run();
        let backoffs = crash
            .events
            .iter()
            .filter(|e| e.reason == "BackOff")
            .count();
        let shown = moments(&crash)
            .iter()
            .filter(|m| m.text.starts_with("BackOff:"))
            .count();
        assert!(
            backoffs > shown && shown >= 1,
            "{backoffs} back-offs, {shown} shown"
        );
    }
}

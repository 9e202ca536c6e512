//! The stage's caption: what the controllers did last, in kubectl's words, with the arithmetic
//! behind a Deployment's step (FP-1..FP-4), so the picture says why pods appear and go.
use crate::cluster::Cluster;
use crate::deployment::util::{max_surge, max_unavailable};
use crate::lab::ribbon::NOTABLE;
use crate::time::{fmt_secs, Ms, SECOND};

/// An event older than this no longer describes what is happening now.
const FRESH: Ms = 15 * SECOND;

pub fn caption(c: &Cluster) -> String {
    let latest =
        c.events.iter().rev().find(|e| {
            e.at <= c.now && NOTABLE.contains(&e.reason) && !e.object.starts_with("pod/")
        });
    let Some(e) = latest.filter(|e| c.now - e.at <= FRESH) else {
        return steady(c);
    };
    let mut text = format!("{}: {}", fmt_secs(e.at), e.message);
    let deployment = e
        .object
        .strip_prefix("deployment/")
        .and_then(|name| c.deployments.iter().find(|d| d.metadata.name == name));
    if let (Some(d), "ScalingReplicaSet") = (deployment, e.reason) {
        let n = d.spec.replicas;
        if d.spec.is_rolling() {
            let (surge, unavailable) = (max_surge(d), max_unavailable(d));
            text.push_str(&format!(
                ". maxSurge {surge} allows {} pods in all; maxUnavailable {unavailable} keeps {} available",
                n + surge,
                n - unavailable
            ));
        } else {
            text.push_str(". Recreate: every old pod goes before a new one is made");
        }
    }
    text.push('.');
    text
}

/// Nothing under way: how many pods serve.
fn steady(c: &Cluster) -> String {
    let ready = c
        .pods
        .iter()
        .filter(|p| p.ready && p.deletion.is_none())
        .count();
    let all = c.pods.len();
    let terminating = c.pods.iter().filter(|p| p.deletion.is_some()).count();
    match terminating {
        0 => format!("{ready} of {all} pods ready; no controller is changing anything."),
        n => format!("{ready} of {all} pods ready; {n} terminating."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_caption_gives_a_steps_arithmetic_and_then_the_steady_state() {
        let mut c = Cluster::new(crate::lab::examples::parsed("rolling-zero-downtime"));
        c.run_until(30 * SECOND);
        assert!(
            caption(&c).starts_with("3 of 3 pods ready"),
            "{}",
            caption(&c)
        );
        let deploy = c.scenario.timeline[0].at.0;
        c.run_until(deploy + 100);
        let words = caption(&c);
        assert!(
            words.contains("Scaled up replica set")
                && words.contains(
                    "maxSurge 1 allows 4 pods in all; maxUnavailable 0 keeps 3 available"
                ),
            "{words}"
        );
        let mut r = Cluster::new(crate::lab::examples::parsed("recreate"));
        r.run_until(r.scenario.timeline[0].at.0 + 100);
        assert!(
            caption(&r).contains("Scaled ") && caption(&r).contains("Recreate: every old pod goes"),
            "{}",
            caption(&r)
        );
    }
}

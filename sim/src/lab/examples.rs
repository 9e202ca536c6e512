//! The example scenarios shipped with the simulator (sim/scenarios/), built in so the web app and
//! the tests can use them offline. Each file's leading comment says what must happen.
use std::borrow::Cow;

/// A scenario the lab can open: built in (borrowed from the binary) or a file the learner
/// opened (owned, dropped with the last page that shows it).
#[derive(Clone, Debug)]
pub struct Example {
    pub name: Cow<'static, str>,
    pub title: Cow<'static, str>,
    pub yaml: Cow<'static, str>,
}

/// Names are unique: two examples are the same when their names are.
impl PartialEq for Example {
    fn eq(&self, other: &Example) -> bool {
        self.name == other.name
    }
}

const fn builtin(name: &'static str, title: &'static str, yaml: &'static str) -> Example {
    Example {
        name: Cow::Borrowed(name),
        title: Cow::Borrowed(title),
        yaml: Cow::Borrowed(yaml),
    }
}

pub const ALL: &[Example] = &[
    builtin(
        "sandbox",
        "Sandbox: deploy it yourself",
        include_str!("../../scenarios/sandbox.yaml"),
    ),
    builtin(
        "recreate",
        "Recreate: the outage of a naive deploy",
        include_str!("../../scenarios/recreate.yaml"),
    ),
    builtin(
        "rolling-without-readiness",
        "Rolling update without a readiness probe",
        include_str!("../../scenarios/rolling-without-readiness.yaml"),
    ),
    builtin(
        "rolling-zero-downtime",
        "Rolling update with zero downtime",
        include_str!("../../scenarios/rolling-zero-downtime.yaml"),
    ),
    builtin(
        "canary-replica-ratio",
        "Canary by replica ratio",
        include_str!("../../scenarios/canary-replica-ratio.yaml"),
    ),
    builtin(
        "blue-green-service-switch",
        "Blue/green: two Deployments and a Service selector switch",
        include_str!("../../scenarios/blue-green-service-switch.yaml"),
    ),
    builtin(
        "blue-green-rollout",
        "Blue/green with an Argo Rollout",
        include_str!("../../scenarios/blue-green-rollout.yaml"),
    ),
    builtin(
        "blue-green-preview-analysis",
        "Blue/green with a pre-promotion smoke test",
        include_str!("../../scenarios/blue-green-preview-analysis.yaml"),
    ),
    builtin(
        "canary-rollout-steps",
        "Canary with Rollout steps (pod-count split)",
        include_str!("../../scenarios/canary-rollout-steps.yaml"),
    ),
    builtin(
        "canary-analysis-abort",
        "Canary with a router and automated analysis",
        include_str!("../../scenarios/canary-analysis-abort.yaml"),
    ),
    builtin(
        "ab-header-route",
        "A/B routing by header",
        include_str!("../../scenarios/ab-header-route.yaml"),
    ),
    builtin(
        "shadow-traffic",
        "Shadow traffic to a canary",
        include_str!("../../scenarios/shadow-traffic.yaml"),
    ),
    builtin(
        "version-flips",
        "Mixed versions seen by one client",
        include_str!("../../scenarios/version-flips.yaml"),
    ),
    builtin(
        "schema-breaking-change",
        "A schema change that breaks the old version",
        include_str!("../../scenarios/schema-breaking-change.yaml"),
    ),
    builtin(
        "schema-expand-contract",
        "Expand/contract: a schema change with no errors",
        include_str!("../../scenarios/schema-expand-contract.yaml"),
    ),
    builtin(
        "recreate-prestop",
        "Recreate with a preStop sleep: terminating pods still serve",
        include_str!("../../scenarios/recreate-prestop.yaml"),
    ),
    builtin(
        "keep-alive-exit",
        "Keep-alive clients and an app that exits on SIGTERM",
        include_str!("../../scenarios/keep-alive-exit.yaml"),
    ),
    builtin(
        "http2-scale-up",
        "HTTP/2 clients never move to new pods",
        include_str!("../../scenarios/http2-scale-up.yaml"),
    ),
    builtin(
        "http2-max-connection-age",
        "HTTP/2 with maxConnectionAge: new pods get their share",
        include_str!("../../scenarios/http2-max-connection-age.yaml"),
    ),
    builtin(
        "ingress-retries",
        "An ingress that retries hides its lag",
        include_str!("../../scenarios/ingress-retries.yaml"),
    ),
    builtin(
        "ingress-no-retries",
        "The same ingress without retries: 502s",
        include_str!("../../scenarios/ingress-no-retries.yaml"),
    ),
    builtin(
        "feature-flag",
        "Deploy is not release: a feature flag turns the new code on",
        include_str!("../../scenarios/feature-flag.yaml"),
    ),
    builtin(
        "openshift-image-trigger",
        "OpenShift: oc tag moves an image stream tag and the Deployment follows",
        include_str!("../../scenarios/openshift-image-trigger.yaml"),
    ),
];

pub fn find(name: &str) -> Option<&'static Example> {
    ALL.iter().find(|e| e.name == name)
}

thread_local! {
    /// Each built-in scenario as read, by its place in `ALL`, once asked for.
    static READ: std::cell::RefCell<Vec<Option<Result<crate::scenario::Scenario, String>>>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// Built-in scenario `name`, read: each is parsed once and kept, since the course asks for the
/// same few many times as it loads (every lab, prediction and challenge of every lesson).
pub fn read(name: &str) -> Option<Result<crate::scenario::Scenario, String>> {
    let i = ALL.iter().position(|e| e.name == name)?;
    READ.with(|read| {
        let mut read = read.borrow_mut();
        read.resize(ALL.len(), None);
        let s = read[i].get_or_insert_with(|| {
            crate::scenario::Scenario::parse(&ALL[i].yaml).map_err(|e| e.to_string())
        });
        Some(s.clone())
    })
}

/// Built-in scenario `name`, read: for tests, which stop at a missing or broken one.
#[cfg(test)]
#[allow(clippy::unwrap_used)]
pub(crate) fn parsed(name: &str) -> crate::scenario::Scenario {
    read(name).unwrap().unwrap()
}

impl Example {
    /// The comment at the top of the file, as prose.
    pub fn description(&self) -> String {
        self.yaml
            .lines()
            .take_while(|l| l.starts_with('#'))
            .map(|l| l.trim_start_matches('#').trim())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_example_parses_and_has_a_description() {
        for e in ALL {
            assert!(
                crate::scenario::Scenario::parse(&e.yaml).is_ok(),
                "{}",
                e.name
            );
            assert!(e.description().contains("Expected"), "{}", e.name);
        }
        assert_eq!(find("recreate").map(|e| &*e.name), Some("recreate"));
    }
}

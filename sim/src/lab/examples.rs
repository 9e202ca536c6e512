//! The example scenarios shipped with the simulator (sim/scenarios/), built in so the web app and
//! the tests can use them offline. Each file's leading comment says what must happen.

pub struct Example {
    pub name: &'static str,
    pub title: &'static str,
    pub yaml: &'static str,
}

/// Names are unique: two examples are the same when their names are.
impl PartialEq for Example {
    fn eq(&self, other: &Example) -> bool {
        self.name == other.name
    }
}

pub const ALL: &[Example] = &[
    Example {
        name: "sandbox",
        title: "Sandbox: deploy it yourself",
        yaml: include_str!("../../scenarios/sandbox.yaml"),
    },
    Example {
        name: "recreate",
        title: "Recreate: the outage of a naive deploy",
        yaml: include_str!("../../scenarios/recreate.yaml"),
    },
    Example {
        name: "rolling-without-readiness",
        title: "Rolling update without a readiness probe",
        yaml: include_str!("../../scenarios/rolling-without-readiness.yaml"),
    },
    Example {
        name: "rolling-zero-downtime",
        title: "Rolling update with zero downtime",
        yaml: include_str!("../../scenarios/rolling-zero-downtime.yaml"),
    },
    Example {
        name: "canary-replica-ratio",
        title: "Canary by replica ratio",
        yaml: include_str!("../../scenarios/canary-replica-ratio.yaml"),
    },
    Example {
        name: "blue-green-service-switch",
        title: "Blue/green: two Deployments and a Service selector switch",
        yaml: include_str!("../../scenarios/blue-green-service-switch.yaml"),
    },
    Example {
        name: "blue-green-rollout",
        title: "Blue/green with an Argo Rollout",
        yaml: include_str!("../../scenarios/blue-green-rollout.yaml"),
    },
    Example {
        name: "blue-green-preview-analysis",
        title: "Blue/green with a pre-promotion smoke test",
        yaml: include_str!("../../scenarios/blue-green-preview-analysis.yaml"),
    },
    Example {
        name: "canary-rollout-steps",
        title: "Canary with Rollout steps (pod-count split)",
        yaml: include_str!("../../scenarios/canary-rollout-steps.yaml"),
    },
    Example {
        name: "canary-analysis-abort",
        title: "Canary with a router and automated analysis",
        yaml: include_str!("../../scenarios/canary-analysis-abort.yaml"),
    },
    Example {
        name: "ab-header-route",
        title: "A/B routing by header",
        yaml: include_str!("../../scenarios/ab-header-route.yaml"),
    },
    Example {
        name: "shadow-traffic",
        title: "Shadow traffic to a canary",
        yaml: include_str!("../../scenarios/shadow-traffic.yaml"),
    },
    Example {
        name: "version-flips",
        title: "Mixed versions seen by one client",
        yaml: include_str!("../../scenarios/version-flips.yaml"),
    },
    Example {
        name: "schema-breaking-change",
        title: "A schema change that breaks the old version",
        yaml: include_str!("../../scenarios/schema-breaking-change.yaml"),
    },
    Example {
        name: "schema-expand-contract",
        title: "Expand/contract: a schema change with no errors",
        yaml: include_str!("../../scenarios/schema-expand-contract.yaml"),
    },
];

pub fn find(name: &str) -> Option<&'static Example> {
    ALL.iter().find(|e| e.name == name)
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
                crate::scenario::Scenario::parse(e.yaml).is_ok(),
                "{}",
                e.name
            );
            assert!(e.description().contains("Expected"), "{}", e.name);
        }
        assert_eq!(find("recreate").map(|e| e.name), Some("recreate"));
    }
}

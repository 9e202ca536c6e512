//! The things a learner does to the cluster from the lab's buttons, each the command it stands
//! for: kubectl for a Deployment, the Argo Rollouts plugin for a Rollout.
use super::snapshot::Target;
use crate::kubectl::{Command, Kind};
use crate::rollouts::commands::ArgoCommand;

/// A button: its label and the command it runs at the moment shown.
#[derive(Clone, Debug, PartialEq)]
pub struct Action {
    pub label: String,
    pub command: Command,
}

fn action(label: impl Into<String>, command: Command) -> Action {
    Action {
        label: label.into(),
        command,
    }
}

impl Target {
    /// The actions that make sense now, in the order the lab shows them.
    pub fn actions(&self) -> Vec<Action> {
        let name = self.name.clone();
        let images = vec![(self.container.clone(), self.next_image.clone())];
        // Going back to an image that ran before is not a new version.
        let deploy = match self.next_ran_before {
            true => format!("Deploy {} again", self.next_image),
            false => format!("Deploy new version ({})", self.next_image),
        };
        let kind = if self.rollout {
            Kind::Rollout
        } else {
            Kind::Deployment
        };
        let scale = |replicas: i32| {
            let command = Command::Scale {
                kind,
                name: name.clone(),
                replicas,
            };
            action(format!("Scale to {replicas}"), command)
        };
        let mut out = Vec::new();
        if self.rollout {
            let argo = |a: ArgoCommand| Command::Argo(a);
            out.push(action(
                deploy,
                argo(ArgoCommand::SetImage {
                    name: name.clone(),
                    images,
                }),
            ));
            if self.updating && !self.aborted {
                let promote = |full| {
                    argo(ArgoCommand::Promote {
                        name: name.clone(),
                        full,
                    })
                };
                out.push(action("Promote", promote(false)));
                out.push(action("Promote fully", promote(true)));
                out.push(action("Abort", argo(ArgoCommand::Abort(name.clone()))));
            }
            if self.aborted {
                out.push(action("Retry", argo(ArgoCommand::Retry(name.clone()))));
            }
            let undo = ArgoCommand::Undo {
                name: name.clone(),
                to_revision: None,
            };
            out.push(action("Roll back", argo(undo)));
            out.push(match self.paused {
                // The plugin resumes a paused Rollout with promote.
                true => action(
                    "Resume rollout",
                    argo(ArgoCommand::Promote {
                        name: name.clone(),
                        full: false,
                    }),
                ),
                false => action("Pause rollout", argo(ArgoCommand::Pause(name.clone()))),
            });
        } else {
            let set = Command::SetImage {
                deployment: name.clone(),
                images,
            };
            out.push(action(deploy, set));
            let undo = Command::Undo {
                deployment: name.clone(),
                to_revision: None,
            };
            out.push(action("Roll back", undo));
            out.push(match self.paused {
                true => action("Resume rollout", Command::Resume(name.clone())),
                false => action("Pause rollout", Command::Pause(name.clone())),
            });
        }
        out.push(scale(self.replicas + 1));
        if self.replicas > 0 {
            out.push(scale(self.replicas - 1));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(rollout: bool) -> Target {
        Target {
            rollout,
            name: "myapp".into(),
            container: "app".into(),
            image: "myapp:1".into(),
            next_image: "myapp:2".into(),
            next_ran_before: false,
            replicas: 3,
            paused: false,
            updating: true,
            aborted: false,
        }
    }

    fn lines(t: &Target) -> Vec<String> {
        t.actions()
            .iter()
            .map(|a| format!("{}: {}", a.label, a.command))
            .collect()
    }

    #[test]
    fn a_deployment_is_driven_with_kubectl() {
        assert_eq!(
            lines(&target(false)),
            [
                "Deploy new version (myapp:2): kubectl set image deployment/myapp app=myapp:2",
                "Roll back: kubectl rollout undo deployment/myapp",
                "Pause rollout: kubectl rollout pause deployment/myapp",
                "Scale to 4: kubectl scale deployment/myapp --replicas=4",
                "Scale to 2: kubectl scale deployment/myapp --replicas=2",
            ]
        );
    }

    #[test]
    fn a_rollout_is_driven_with_the_plugin_and_offers_what_its_state_allows() {
        assert_eq!(
            lines(&target(true)),
            [
                "Deploy new version (myapp:2): kubectl argo rollouts set image myapp app=myapp:2",
                "Promote: kubectl argo rollouts promote myapp",
                "Promote fully: kubectl argo rollouts promote myapp --full",
                "Abort: kubectl argo rollouts abort myapp",
                "Roll back: kubectl argo rollouts undo myapp",
                "Pause rollout: kubectl argo rollouts pause myapp",
                "Scale to 4: kubectl scale rollout/myapp --replicas=4",
                "Scale to 2: kubectl scale rollout/myapp --replicas=2",
            ]
        );
        let aborted = Target {
            aborted: true,
            paused: true,
            replicas: 0,
            ..target(true)
        };
        let labels: Vec<String> = aborted.actions().into_iter().map(|a| a.label).collect();
        // Back to an image that ran before: it is deployed again, not a new version.
        let back = Target {
            next_ran_before: true,
            ..target(false)
        };
        assert_eq!(back.actions()[0].label, "Deploy myapp:2 again");
        assert_eq!(
            labels,
            [
                "Deploy new version (myapp:2)",
                "Retry",
                "Roll back",
                "Resume rollout",
                "Scale to 1"
            ]
        );
    }
}

//! What the lab's kubectl console offers to complete: the views and commands that fit the
//! scenario's workload (kubectl for a Deployment, the Argo Rollouts plugin for a Rollout), one
//! `set image` per image it knows, and `db migrate` where it has a database.
use super::workload;
use crate::kubectl::line::view;
use crate::kubectl::{Command, Kind};
use crate::manifest::Object;
use crate::rollouts::commands::ArgoCommand;
use crate::scenario::Scenario;

/// The command lines the console suggests for `scenario`.
pub fn suggestions(scenario: &Scenario) -> Vec<String> {
    commands(scenario).iter().map(Command::to_string).collect()
}

fn commands(s: &Scenario) -> Vec<Command> {
    let rollout = s.objects.iter().find_map(|o| match o {
        Object::Rollout(r) => Some(r.metadata.name.clone()),
        _ => None,
    });
    let images = s
        .images
        .keys()
        .map(|image| vec![("app".to_string(), image.clone())]);
    if let Some(r) = rollout {
        let argo = Command::Argo;
        let mut out = vec![
            view(&format!("argo rollouts get rollout {r}")),
            view(&format!("argo rollouts status {r}")),
            argo(ArgoCommand::Promote {
                name: r.clone(),
                full: false,
            }),
            argo(ArgoCommand::Promote {
                name: r.clone(),
                full: true,
            }),
            argo(ArgoCommand::Abort(r.clone())),
            argo(ArgoCommand::Retry(r.clone())),
            argo(ArgoCommand::Undo {
                name: r.clone(),
                to_revision: None,
            }),
            argo(ArgoCommand::Pause(r.clone())),
            view("get rollouts,rs,pods"),
            view("get analysisruns"),
            view("get endpointslices,services"),
            view("get events"),
        ];
        out.extend(images.map(|images| {
            argo(ArgoCommand::SetImage {
                name: r.clone(),
                images,
            })
        }));
        return out;
    }
    let d = workload::read(s)
        .map(|(name, _, _)| name.to_string())
        .unwrap_or_default();
    let mut out = vec![
        view("get deploy,rs,pods"),
        view("get endpointslices"),
        view("get events"),
        view(&format!("describe deployment {d}")),
        view(&format!("rollout status deployment/{d}")),
        view(&format!("rollout history deployment/{d}")),
        Command::Undo {
            deployment: d.clone(),
            to_revision: None,
        },
        Command::Pause(d.clone()),
        Command::Resume(d.clone()),
        Command::Restart(d.clone()),
        Command::Scale {
            kind: Kind::Deployment,
            name: d.clone(),
            replicas: 5,
        },
    ];
    out.extend(images.map(|images| Command::SetImage {
        deployment: d.clone(),
        images,
    }));
    if s.database.is_some() {
        out.push(Command::Migrate(2));
    }
    let mut flags: Vec<&String> = s.images.values().flat_map(|i| i.flags.keys()).collect();
    crate::order::sort_by(&mut flags, |a, b| a.cmp(b));
    flags.dedup();
    for name in flags {
        for percent in [10, 100, 0] {
            out.push(Command::Flag {
                name: name.clone(),
                percent,
            });
        }
    }
    out
}

/// The views the lab prints beside the run at every moment.
pub fn views(focus: &str, rollout: bool) -> Vec<Command> {
    if rollout {
        vec![
            view(&format!("argo rollouts get rollout {focus}")),
            view("get rollouts,rs,pods"),
            view("get endpointslices,services"),
            view("get analysisruns"),
            view("get events"),
        ]
    } else {
        vec![
            view("get deploy,rs,pods"),
            view("get endpointslices"),
            view(&format!("rollout status deployment/{focus}")),
            view(&format!("describe deployment {focus}")),
            view("get events"),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lab::examples::ALL;

    #[test]
    fn every_suggestion_of_every_example_parses_as_it_is_shown() {
        for e in ALL {
            let s = Scenario::parse(&e.yaml).unwrap();
            let lines = suggestions(&s);
            assert!(lines.len() > 10, "{}", e.name);
            for line in &lines {
                let command =
                    crate::kubectl::parse(line).unwrap_or_else(|err| panic!("{line}: {err}"));
                assert_eq!(&command.to_string(), line);
            }
        }
    }

    #[test]
    fn a_rollout_gets_the_plugin_and_a_deployment_gets_kubectl() {
        let by_name = |n: &str| crate::lab::examples::parsed(n);
        let rollout = suggestions(&by_name("canary-analysis-abort"));
        assert!(
            rollout.contains(&"kubectl argo rollouts promote myapp --full".to_string()),
            "{rollout:?}"
        );
        assert!(!rollout
            .iter()
            .any(|l| l.contains("rollout undo deployment")));
        let deployment = suggestions(&by_name("recreate"));
        assert!(
            deployment.contains(&"kubectl rollout undo deployment/myapp".to_string()),
            "{deployment:?}"
        );
        assert!(deployment.contains(&"kubectl set image deployment/myapp app=myapp:2".to_string()));
    }
}

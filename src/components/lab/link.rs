//! Share links for the lab: made from its state, and opened back into it after every check a
//! hand-edited link could fail (`crate::share` holds the format and its version).
use super::opened;
use super::state::{LabState, Restore};
use crate::share::LabLink;
use rollout_sim::lab::examples::Example;
use rollout_sim::lab::knobs::Knobs;
use rollout_sim::lab::snapshot;
use std::rc::Rc;

/// The link to the lab as it stands; `written` is the scenario's own settings.
pub fn make(state: &LabState, written: Option<&Knobs>) -> LabLink {
    let settings = match (&state.knobs, written) {
        (Some(k), Some(w)) => k.changed_from(w),
        _ => Vec::new(),
    };
    LabLink {
        scenario: state.scenario.to_string(),
        seed: state.seed,
        time: state.time,
        settings: settings
            .into_iter()
            .map(|(n, v)| (n.to_string(), v))
            .collect(),
        manifests: state.manifests.clone(),
        commands: state.steps(),
        // A scenario not built in travels with the link, so it opens anywhere.
        file: rollout_sim::lab::examples::find(&state.scenario)
            .is_none()
            .then(|| opened::find(&state.scenario).map(|e| e.yaml.to_string()))
            .flatten(),
    }
}

/// Opens a link's query: its scenario, and the state to restore; or why it cannot be opened.
pub fn open(query: &str) -> Result<(Rc<Example>, Restore), String> {
    let link = LabLink::read(query)?;
    if let Some(text) = &link.file {
        let title = match link.scenario.strip_prefix("check:") {
            Some(what) => format!("Your check: {what}"),
            None => format!("Shared file: {}", link.scenario.trim_start_matches("file:")),
        };
        opened::keep(&link.scenario, title, text.clone())
            .map_err(|e| format!("its scenario file does not read ({e})"))?;
    }
    let example = opened::find(&link.scenario)
        .ok_or_else(|| format!("there is no scenario “{}” here", link.scenario))?;
    let base = snapshot::base(&example, link.manifests.as_deref())
        .map_err(|e| format!("its manifests do not read ({e})"))?;
    let mut knobs = None;
    if !link.settings.is_empty() {
        let mut k = Knobs::read(&base).ok_or("its scenario has no settings to change")?;
        for (name, value) in &link.settings {
            k.set(name, value)?;
        }
        knobs = Some(k);
    }
    for (_, line) in &link.commands {
        rollout_sim::kubectl::parse(line)
            .map_err(|e| format!("its command “{line}” does not read ({e})"))?;
    }
    if link.time.is_some_and(|t| t > base.duration) {
        return Err("its time is past the end of the scenario".into());
    }
    Ok((
        example,
        Restore {
            changes: snapshot::Changes {
                knobs,
                manifests: link.manifests,
                steps: link.commands,
                seed: link.seed,
            },
            time: link.time,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::super::state::LabAction;
    use super::*;
    use std::rc::Rc;
    use yew::Reducible;

    #[test]
    fn a_lab_state_survives_the_round_trip_through_its_link() {
        let example = opened::find("rolling-without-readiness").unwrap();
        let base = snapshot::base(&example, None).unwrap();
        let written = Knobs::read(&base).unwrap();
        let mut knobs = written.clone();
        knobs.set("readiness", "on").unwrap();
        knobs.set("surge", "2").unwrap();
        let state = Rc::new(LabState {
            scenario: example.name.to_string(),
            duration: base.duration,
            ..LabState::default()
        })
        .reduce(LabAction::SetKnobs(knobs))
        .reduce(LabAction::SetSeed(9))
        .reduce(LabAction::Command {
            at: 20_000,
            line: "kubectl scale deployment/myapp --replicas=4".into(),
            answer: None,
        })
        .reduce(LabAction::SetTime(42_000));
        let query = make(&state, Some(&written)).query();
        let (opened, restore) = open(&query).unwrap();
        assert_eq!(opened.name, example.name);
        let fresh = Rc::new(LabState {
            scenario: example.name.to_string(),
            duration: base.duration,
            ..LabState::default()
        });
        let restored = fresh.reduce(LabAction::Restore(restore));
        assert_eq!(
            (
                &restored.knobs,
                restored.seed,
                restored.time,
                &restored.steps()
            ),
            (&state.knobs, state.seed, state.time, &state.steps())
        );
        assert_eq!(
            restored.typed.len(),
            1,
            "the console shows the command again"
        );
    }

    #[test]
    fn links_that_read_but_do_not_fit_the_lab_are_refused() {
        let make = |scenario: &str, settings: &[(&str, &str)], time: Option<i64>| {
            LabLink {
                scenario: scenario.into(),
                settings: settings
                    .iter()
                    .map(|(n, v)| (n.to_string(), v.to_string()))
                    .collect(),
                time,
                ..LabLink::default()
            }
            .query()
        };
        let cases = [
            (make("no-such-scenario", &[], None), "no scenario"),
            (
                make("recreate", &[("replicas", "many")], None),
                "not a valid value",
            ),
            (
                make("recreate", &[("colour", "red")], None),
                "unknown setting",
            ),
            (make("recreate", &[], Some(99_999_999)), "past the end"),
            (
                LabLink {
                    scenario: "recreate".into(),
                    manifests: Some("kind: [".into()),
                    ..LabLink::default()
                }
                .query(),
                "manifests do not read",
            ),
            (
                LabLink {
                    scenario: "recreate".into(),
                    commands: vec![(1_000, "kubectl frobnicate".into())],
                    ..LabLink::default()
                }
                .query(),
                "does not read",
            ),
        ];
        for (query, why) in cases {
            let err = open(&query).err().unwrap_or_default();
            assert!(err.contains(why), "{query}: {err}");
        }
    }
}

//! Pieces lesson files share: a run (built-in scenario plus settings), scalar lists, and the goal
//! an item assesses. Settings are checked against the scenario when the file is read, so a typo is
//! reported at its line.
use super::measure::{configure, Settings};
use rollout_sim::lab::knobs::Knobs;
use rollout_sim::yaml::read::{Obj, Value, R};

/// A scalar as text: `40%`, `3`, `true`.
pub fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A built-in scenario and the settings changed in it.
#[derive(Clone, Debug, PartialEq)]
pub struct RunSpec {
    pub scenario: String,
    pub settings: Settings,
}

impl RunSpec {
    /// Whether each `name: value` is a setting this scenario can take, one at a time; the first
    /// that is not, and why. The scenario is read once for all of them.
    pub fn check<'a>(
        &self,
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<(), (&'a str, String)> {
        let knobs =
            rollout_sim::lab::examples::read(&self.scenario).and_then(|s| Knobs::read(&s.ok()?));
        for (name, value) in pairs {
            let mut k = knobs
                .clone()
                .ok_or((name, "this scenario has no settings to change".to_string()))?;
            k.set(name, value).map_err(|e| (name, e))?;
        }
        Ok(())
    }

    /// Whether Kubernetes accepts the scenario with these settings on top of its own.
    pub fn valid_with(&self, extra: &[(String, String)]) -> bool {
        configure(&self.scenario, None, &[&self.settings[..], extra].concat()).is_ok()
    }
}

/// `(name, value)` pairs of a scalar list, borrowed.
pub fn pairs(list: &[(String, Vec<String>)]) -> impl Iterator<Item = (&str, &str)> {
    list.iter()
        .flat_map(|(n, vs)| vs.iter().map(move |v| (n.as_str(), v.as_str())))
}

pub fn run_spec(o: &Obj) -> R<RunSpec> {
    let scenario = o.required_string("scenario")?;
    if rollout_sim::lab::examples::find(&scenario).is_none() {
        return Err((
            o.at("scenario"),
            format!("there is no built-in scenario `{scenario}`"),
        ));
    }
    let mut spec = RunSpec {
        scenario,
        settings: Vec::new(),
    };
    if let Some(s) = o.obj("settings")? {
        let list = scalar_list(&s);
        spec.check(pairs(&list))
            .map_err(|(name, e)| (s.at(name), e))?;
        spec.settings = pairs(&list)
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect();
    }
    Ok(spec)
}

/// A mapping of names to a scalar or a list of scalars: `{ replicas: [3, 5], surge: 25% }`.
pub fn scalar_list(o: &Obj) -> Vec<(String, Vec<String>)> {
    o.unknown(&[])
        .into_iter()
        .map(|k| {
            let values = match o.get(&k) {
                Some(Value::Array(items)) => items.iter().map(text).collect(),
                Some(v) => vec![text(v)],
                None => Vec::new(),
            };
            (k, values)
        })
        .collect()
}

/// Parts of the lab a step can show besides the settings (the rest is always there).
pub const PANELS: [&str; 6] = [
    "console",
    "kubectl",
    "manifests",
    "pods-chart",
    "versions",
    "latency",
];

/// `controls: [strategy, surge, console]`, each a setting or a panel.
pub fn controls(o: &Obj) -> R<Vec<String>> {
    let names = o
        .scalars("controls", |v| v.as_str().map(str::to_string), "a name")?
        .unwrap_or_default();
    for n in &names {
        if !rollout_sim::lab::knobs::NAMES.contains(&n.as_str()) && !PANELS.contains(&n.as_str()) {
            return Err((
                o.at("controls"),
                format!(
                    "unknown control `{n}`, expected one of {}, {}",
                    rollout_sim::lab::knobs::NAMES.join(", "),
                    PANELS.join(", ")
                ),
            ));
        }
    }
    Ok(names)
}

/// `covers: readiness-probes#2`, or `covers: 2` for the lesson's own second goal (its id is
/// filled in when the lesson is read); which lessons and goals exist is the catalogue's to check.
pub fn covers(o: &Obj) -> R<Option<(String, usize)>> {
    let Some(text) = o.get("covers").map(text) else {
        return Ok(None);
    };
    let (lesson, goal) = text.split_once('#').unwrap_or(("", &text));
    match goal.parse::<usize>() {
        Ok(n) if n >= 1 => Ok(Some((lesson.to_string(), n))),
        _ => Err((
            o.at("covers"),
            format!("covers {text:?}: write a goal number, or a lesson id and a goal number, as in readiness-probes#2"),
        )),
    }
}

//! Pieces lesson files share: a run (built-in scenario plus settings) and scalar lists. Settings
//! are checked against the scenario when the file is read, so a typo is reported at its line.
use super::measure::Settings;
use rollout_sim::knobs::Knobs;
use rollout_sim::scenario::Scenario;
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
    fn knobs(&self) -> Option<Knobs> {
        let example = rollout_sim::examples::find(&self.scenario)?;
        Knobs::read(&Scenario::parse(example.yaml).ok()?)
    }

    /// Whether `name: value` is a setting this scenario can take.
    pub fn check(&self, name: &str, value: &str) -> Result<(), String> {
        let mut k = self
            .knobs()
            .ok_or("this scenario has no settings to change")?;
        k.set(name, value)
    }

    /// Whether Kubernetes accepts the scenario with these settings on top of its own.
    pub fn valid_with(&self, extra: &[(String, String)]) -> bool {
        let (Some(example), Some(mut k)) =
            (rollout_sim::examples::find(&self.scenario), self.knobs())
        else {
            return false;
        };
        let Ok(mut s) = Scenario::parse(example.yaml) else {
            return false;
        };
        self.settings
            .iter()
            .chain(extra)
            .all(|(n, v)| k.set(n, v).is_ok())
            && k.apply(&mut s).is_ok()
    }
}

pub fn run_spec(o: &Obj) -> R<RunSpec> {
    let scenario = o.required_string("scenario")?;
    if rollout_sim::examples::find(&scenario).is_none() {
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
        for (name, values) in scalar_list(&s) {
            for v in values {
                spec.check(&name, &v).map_err(|e| (s.at(&name), e))?;
                spec.settings.push((name.clone(), v));
            }
        }
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

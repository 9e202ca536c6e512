//! Reads Argo objects from the parsed YAML tree. serde's derived readers for these twenty-odd
//! types cost about as much of the web app's download as the whole Argo controller, so they are
//! read here by hand, field by field, with the same defaults and the path of every bad value.
//! (Writing them back out still uses serde's `Serialize`.)
use super::api::*;
use crate::intstr::IntOrString;
use serde_json::{Map, Value};

/// (path of the bad value, message), as `yaml::de` reports it.
pub type Error = (String, String);
type R<T> = Result<T, Error>;

/// One mapping of the document and where it is.
pub struct Obj<'a> {
    map: &'a Map<String, Value>,
    path: String,
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

impl<'a> Obj<'a> {
    pub fn new(v: &'a Value, path: &str) -> R<Obj<'a>> {
        match v {
            Value::Object(map) => Ok(Obj {
                map,
                path: path.to_string(),
            }),
            other => Err((
                path.to_string(),
                format!("expected a mapping, found {}", kind(other)),
            )),
        }
    }

    fn at(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    /// A field that is set (null counts as not set).
    fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    fn wrong(&self, key: &str, want: &str, v: &Value) -> Error {
        (self.at(key), format!("expected {want}, found {}", kind(v)))
    }

    pub fn string(&self, key: &str) -> R<Option<String>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(v) => Err(self.wrong(key, "a string", v)),
        }
    }

    pub fn required_string(&self, key: &str) -> R<String> {
        self.string(key)?
            .ok_or_else(|| (self.path.clone(), format!("missing field `{key}`")))
    }

    pub fn int(&self, key: &str) -> R<Option<i32>> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => v
                .as_i64()
                .and_then(|n| i32::try_from(n).ok())
                .map(Some)
                .ok_or_else(|| self.wrong(key, "a whole number", v)),
        }
    }

    pub fn uint(&self, key: &str) -> R<Option<u32>> {
        Ok(match self.int(key)? {
            Some(n) if n < 0 => {
                return Err((self.at(key), format!("{n} must be 0 or more")));
            }
            n => n.map(|n| n as u32),
        })
    }

    pub fn bool(&self, key: &str) -> R<Option<bool>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(v) => Err(self.wrong(key, "true or false", v)),
        }
    }

    pub fn int_or_string(&self, key: &str) -> R<Option<IntOrString>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(IntOrString::String(s.clone()))),
            Some(v) => v
                .as_i64()
                .and_then(|n| i32::try_from(n).ok())
                .map(|n| Some(IntOrString::Int(n)))
                .ok_or_else(|| self.wrong(key, "a number or a string", v)),
        }
    }

    pub fn obj(&self, key: &str) -> R<Option<Obj<'a>>> {
        self.get(key)
            .map(|v| Obj::new(v, &self.at(key)))
            .transpose()
    }

    /// A list of mappings, each read by `read`.
    pub fn list<T>(&self, key: &str, read: impl Fn(&Obj<'a>) -> R<T>) -> R<Vec<T>> {
        match self.get(key) {
            None => Ok(Vec::new()),
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, v)| read(&Obj::new(v, &format!("{}[{i}]", self.at(key)))?))
                .collect(),
            Some(v) => Err(self.wrong(key, "a list", v)),
        }
    }

    /// A field of a core type, read by its serde reader (shared with Deployments).
    pub fn core<T: serde::de::DeserializeOwned>(&self, key: &str) -> R<Option<T>> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => {
                crate::yaml::de::from_value(v.clone())
                    .map(Some)
                    .map_err(|(path, message)| {
                        let at = self.at(key);
                        (
                            if path.is_empty() {
                                at
                            } else {
                                format!("{at}.{path}")
                            },
                            message,
                        )
                    })
            }
        }
    }

    fn required_core<T: serde::de::DeserializeOwned>(&self, key: &str) -> R<T> {
        self.core(key)?
            .ok_or_else(|| (self.path.clone(), format!("missing field `{key}`")))
    }

    fn required_obj(&self, key: &str) -> R<Obj<'a>> {
        self.obj(key)?
            .ok_or_else(|| (self.path.clone(), format!("missing field `{key}`")))
    }

    /// One word out of `words`, as Argo spells it.
    fn word(&self, key: &str, words: &[&str]) -> R<Option<usize>> {
        match self.string(key)? {
            None => Ok(None),
            Some(w) => words.iter().position(|x| *x == w).map(Some).ok_or_else(|| {
                (
                    self.at(key),
                    format!("unknown value {w:?}: expected one of {}", words.join(", ")),
                )
            }),
        }
    }
}

pub fn rollout(v: &Value) -> R<Rollout> {
    let o = Obj::new(v, "")?;
    let s = o.required_obj("spec")?;
    let st = s.required_obj("strategy")?;
    Ok(Rollout {
        metadata: o.required_core("metadata")?,
        spec: RolloutSpec {
            replicas: s.int("replicas")?.unwrap_or(1),
            selector: s.required_core("selector")?,
            template: s.required_core("template")?,
            min_ready_seconds: s.int("minReadySeconds")?.unwrap_or(0),
            revision_history_limit: s.int("revisionHistoryLimit")?.unwrap_or(10),
            paused: s.bool("paused")?.unwrap_or(false),
            progress_deadline_seconds: s.int("progressDeadlineSeconds")?.unwrap_or(600),
            strategy: RolloutStrategy {
                blue_green: st.obj("blueGreen")?.map(|b| blue_green(&b)).transpose()?,
                canary: st.obj("canary")?.map(|c| canary(&c)).transpose()?,
            },
        },
        status: RolloutStatus::default(),
    })
}

fn analysis(o: &Obj<'_>, key: &str) -> R<Option<RolloutAnalysis>> {
    o.obj(key)?
        .map(|a| {
            Ok(RolloutAnalysis {
                templates: a.list("templates", |t| {
                    Ok(TemplateRef {
                        template_name: t.required_string("templateName")?,
                    })
                })?,
            })
        })
        .transpose()
}

fn blue_green(b: &Obj<'_>) -> R<BlueGreen> {
    Ok(BlueGreen {
        active_service: b.required_string("activeService")?,
        preview_service: b.string("previewService")?,
        auto_promotion_enabled: b.bool("autoPromotionEnabled")?,
        auto_promotion_seconds: b.int("autoPromotionSeconds")?,
        scale_down_delay_seconds: b.int("scaleDownDelaySeconds")?,
        preview_replica_count: b.int("previewReplicaCount")?,
        abort_scale_down_delay_seconds: b.int("abortScaleDownDelaySeconds")?,
        pre_promotion_analysis: analysis(b, "prePromotionAnalysis")?,
        post_promotion_analysis: analysis(b, "postPromotionAnalysis")?,
    })
}

fn canary(c: &Obj<'_>) -> R<Canary> {
    Ok(Canary {
        canary_service: c.string("canaryService")?,
        stable_service: c.string("stableService")?,
        max_surge: c.int_or_string("maxSurge")?,
        max_unavailable: c.int_or_string("maxUnavailable")?,
        steps: c.list("steps", step)?,
        traffic_routing: c
            .obj("trafficRouting")?
            .map(|t| {
                Ok::<_, Error>(TrafficRouting {
                    max_traffic_weight: t.int("maxTrafficWeight")?,
                    managed_routes: t.list("managedRoutes", |m| {
                        Ok(ManagedRoute {
                            name: m.required_string("name")?,
                        })
                    })?,
                })
            })
            .transpose()?,
        dynamic_stable_scale: c.bool("dynamicStableScale")?.unwrap_or(false),
        abort_scale_down_delay_seconds: c.int("abortScaleDownDelaySeconds")?,
        scale_down_delay_seconds: c.int("scaleDownDelaySeconds")?,
        min_pods_per_replica_set: c.int("minPodsPerReplicaSet")?,
        analysis: analysis(c, "analysis")?,
    })
}

fn string_match(o: &Obj<'_>) -> R<StringMatch> {
    Ok(StringMatch {
        exact: o.string("exact")?,
        prefix: o.string("prefix")?,
        regex: o.string("regex")?,
    })
}

fn step(s: &Obj<'_>) -> R<CanaryStep> {
    Ok(CanaryStep {
        set_weight: s.int("setWeight")?,
        pause: s
            .obj("pause")?
            .map(|p| {
                Ok::<_, Error>(Pause {
                    duration: p.int_or_string("duration")?,
                })
            })
            .transpose()?,
        set_canary_scale: s
            .obj("setCanaryScale")?
            .map(|x| {
                Ok::<_, Error>(SetCanaryScale {
                    replicas: x.int("replicas")?,
                    weight: x.int("weight")?,
                    match_traffic_weight: x.bool("matchTrafficWeight")?.unwrap_or(false),
                })
            })
            .transpose()?,
        analysis: analysis(s, "analysis")?,
        set_header_route: s
            .obj("setHeaderRoute")?
            .map(|h| {
                Ok::<_, Error>(SetHeaderRoute {
                    name: h.required_string("name")?,
                    r#match: h.list("match", |m| {
                        Ok(HeaderMatch {
                            header_name: m.required_string("headerName")?,
                            header_value: string_match(&m.required_obj("headerValue")?)?,
                        })
                    })?,
                })
            })
            .transpose()?,
        set_mirror_route: s
            .obj("setMirrorRoute")?
            .map(|m| {
                let entries = match m.get("match") {
                    Some(Value::Array(items)) => items.clone(),
                    Some(v) => return Err(m.wrong("match", "a list", v)),
                    None => Vec::new(),
                };
                Ok(SetMirrorRoute {
                    name: m.required_string("name")?,
                    percentage: m.int("percentage")?,
                    r#match: entries,
                })
            })
            .transpose()?,
        // Any other key (an experiment, say) leaves the step empty; validation says so.
        other: s
            .map
            .keys()
            .find(|k| !STEP_KINDS.contains(&k.as_str()))
            .cloned(),
    })
}

const STEP_KINDS: [&str; 6] = [
    "setWeight",
    "pause",
    "setCanaryScale",
    "analysis",
    "setHeaderRoute",
    "setMirrorRoute",
];

pub fn analysis_template(v: &Value) -> R<AnalysisTemplate> {
    let o = Obj::new(v, "")?;
    let spec = o.required_obj("spec")?;
    Ok(AnalysisTemplate {
        metadata: o.required_core("metadata")?,
        spec: AnalysisTemplateSpec {
            metrics: spec.list("metrics", metric)?,
        },
    })
}

fn metric(m: &Obj<'_>) -> R<Metric> {
    let provider = m.required_obj("provider")?;
    Ok(Metric {
        name: m.required_string("name")?,
        interval: m.string("interval")?,
        initial_delay: m.string("initialDelay")?,
        count: m.int("count")?,
        failure_limit: m.int("failureLimit")?.unwrap_or(0),
        consecutive_error_limit: m.int("consecutiveErrorLimit")?,
        success_condition: m.string("successCondition")?,
        failure_condition: m.string("failureCondition")?,
        provider: Provider {
            simulation: provider
                .obj("simulation")?
                .map(|s| {
                    const MEASURES: [&str; 5] = [
                        "error-rate",
                        "success-rate",
                        "p95-latency",
                        "request-rate",
                        "smoke-test",
                    ];
                    const MEASURE: [Measure; 5] = [
                        Measure::ErrorRate,
                        Measure::SuccessRate,
                        Measure::P95Latency,
                        Measure::RequestRate,
                        Measure::SmokeTest,
                    ];
                    let measure = s
                        .word("measure", &MEASURES)?
                        .ok_or_else(|| (s.path.clone(), "missing field `measure`".to_string()))?;
                    const VERSIONS: [VersionFilter; 3] = [
                        VersionFilter::Canary,
                        VersionFilter::Stable,
                        VersionFilter::All,
                    ];
                    let version = s.word("version", &["canary", "stable", "all"])?;
                    Ok::<_, Error>(SimulationMetric {
                        measure: MEASURE[measure],
                        version: version.map_or(VersionFilter::Canary, |i| VERSIONS[i]),
                        window: s.string("window")?.unwrap_or_else(|| "30s".into()),
                        requests: s.uint("requests")?.unwrap_or(20),
                    })
                })
                .transpose()?,
        },
    })
}

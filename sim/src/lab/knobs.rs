//! The settings a learner turns in the lab, read from and applied to a scenario: the strategy and
//! its fenceposts, replicas, readiness probe, preStop, grace period, what the app does on SIGTERM,
//! endpoint propagation and the request rate. Applying them goes through the same validation as
//! a manifest, so an invalid combination is explained, never silently fixed.
use crate::api::{Handler, Lifecycle, Probe, SleepAction};
use crate::intstr::IntOrString;
use crate::lab::plan::Plan;
use crate::lab::workload::{self, Strategy};
use crate::manifest::{validate_deployment, validate_rollout, Object};
use crate::scenario::{Connections, Duration, Ingress, LoadBalancing, OnSigterm, Scenario, Via};
use serde_json::json;

#[derive(Clone, Debug, PartialEq)]
pub struct Knobs {
    pub strategy: Strategy,
    pub replicas: i32,
    /// As written: `25%` or `1`.
    pub max_surge: String,
    pub max_unavailable: String,
    pub readiness_probe: bool,
    /// The readiness probe's timing: initialDelaySeconds, periodSeconds, successThreshold,
    /// failureThreshold (read from the probe, or the lab's default probe when there is none).
    pub readiness_timing: [i64; 4],
    pub pre_stop_seconds: i64,
    pub grace_period_seconds: i64,
    pub on_sigterm: OnSigterm,
    pub endpoint_propagation_ms: i64,
    pub requests_per_second: f64,
    pub liveness_probe: bool,
    /// Seconds the new version needs before it listens.
    pub new_version_startup_seconds: i64,
    pub new_version_health: Health,
    pub load_balancing: LoadBalancing,
    /// How the clients hold connections, and how long they keep an idle one (CN-1, CN-2).
    pub connections: Connections,
    pub idle_timeout_seconds: i64,
    /// The app's maxConnectionAge, every version alike (0: none; CN-3).
    pub max_connection_age_seconds: i64,
    /// Through the Service or an ingress controller, and the controller's lag and retries.
    pub via: Via,
    pub ingress_propagation_ms: i64,
    pub ingress_retries: i64,
    /// A canary's first weight and its analysis' interval and failure limit, where it has them.
    pub plan: Plan,
}

crate::scenario::choice! {
    /// How the new version behaves once started.
    Health {
        Healthy = "healthy",
        /// Exits with an error 3 s after starting, before it ever listens: CrashLoopBackOff.
        CrashLoop = "crash-loop",
        /// Answers half of its requests with an error.
        Errors = "errors",
    }
}

fn parse_int_or_percent(s: &str) -> IntOrString {
    match s.trim().parse::<i32>() {
        Ok(n) => IntOrString::Int(n),
        Err(_) => IntOrString::String(s.trim().to_string()),
    }
}

/// The settings by the names lessons use for them (and the lab's control ids, `knob-<name>`).
pub const NAMES: [&str; 28] = [
    "strategy",
    "replicas",
    "surge",
    "unavailable",
    "readiness",
    "ready-delay",
    "ready-period",
    "ready-success",
    "ready-failure",
    "prestop",
    "grace",
    "sigterm",
    "propagation",
    "rps",
    "liveness",
    "startup",
    "health",
    "lb",
    "connections",
    "idle-timeout",
    "max-age",
    "via",
    "ingress-lag",
    "retries",
    "canary-weight",
    "analysis-interval",
    "failure-limit",
    "migration",
];

/// The settings that describe the world the rollout runs in, not the team's configuration:
/// the users' traffic and clients, the cluster's network, how the new build behaves. A
/// challenge never offers them (changing the world is not a fix), and the lab groups them apart.
pub const ENVIRONMENT: [&str; 9] = [
    "propagation",
    "rps",
    "startup",
    "health",
    "lb",
    "connections",
    "idle-timeout",
    "via",
    "ingress-lag",
];

pub fn is_environment(name: &str) -> bool {
    ENVIRONMENT.contains(&name)
}

impl Knobs {
    /// Sets one setting from text, as a lesson file or a question's drawn parameter writes it:
    /// `set("surge", "40%")`, `set("readiness", "on")`, `set("strategy", "Recreate")`.
    pub fn set(&mut self, name: &str, value: &str) -> Result<(), String> {
        let v = value.trim();
        let bad = || format!("{name}: {v:?} is not a valid value");
        let int = || v.parse::<i64>().map_err(|_| bad());
        let on = || match v {
            "on" | "true" | "yes" => Ok(true),
            "off" | "false" | "no" => Ok(false),
            _ => Err(bad()),
        };
        match name {
            "strategy" => self.strategy = Strategy::from_id(v).ok_or_else(bad)?,
            "replicas" => self.replicas = i32::try_from(int()?).map_err(|_| bad())?,
            "surge" => self.max_surge = v.to_string(),
            "unavailable" => self.max_unavailable = v.to_string(),
            "readiness" => self.readiness_probe = on()?,
            "ready-delay" => self.readiness_timing[0] = int()?,
            "ready-period" => self.readiness_timing[1] = int()?,
            "ready-success" => self.readiness_timing[2] = int()?,
            "ready-failure" => self.readiness_timing[3] = int()?,
            "prestop" => self.pre_stop_seconds = int()?,
            "grace" => self.grace_period_seconds = int()?,
            "sigterm" => self.on_sigterm = OnSigterm::from_name(v).ok_or_else(bad)?,
            "propagation" => self.endpoint_propagation_ms = int()?,
            "rps" => self.requests_per_second = crate::decimal::parse(v).ok_or_else(bad)?,
            "liveness" => self.liveness_probe = on()?,
            "startup" => self.new_version_startup_seconds = int()?,
            "health" => self.new_version_health = Health::from_name(v).ok_or_else(bad)?,
            "lb" => self.load_balancing = LoadBalancing::from_name(v).ok_or_else(bad)?,
            "connections" => self.connections = Connections::from_name(v).ok_or_else(bad)?,
            "idle-timeout" => self.idle_timeout_seconds = int()?,
            "max-age" => self.max_connection_age_seconds = int()?,
            "via" => self.via = Via::from_name(v).ok_or_else(bad)?,
            "ingress-lag" => self.ingress_propagation_ms = int()?,
            "retries" => self.ingress_retries = int()?,
            "canary-weight" => {
                let w = i32::try_from(int()?).map_err(|_| bad())?;
                let first = self.plan.first_weight.as_mut();
                *first.ok_or("this scenario's workload has no canary setWeight step")? = w;
            }
            "migration" => {
                let m = self.plan.migration.as_mut();
                let m = m.ok_or("this scenario's release runs no single schema migration")?;
                m.when = crate::lab::plan::MigrateWhen::from_name(v).ok_or_else(bad)?;
            }
            "analysis-interval" | "failure-limit" => {
                let n = int()?;
                let (interval, limit) = self
                    .plan
                    .analysis
                    .as_mut()
                    .ok_or("this scenario's canary runs no AnalysisTemplate")?;
                match name {
                    "analysis-interval" if n >= 1 => *interval = n,
                    "failure-limit" if n >= 0 => *limit = i32::try_from(n).map_err(|_| bad())?,
                    _ => {
                        return Err(format!(
                            "{name}: {v:?} must be at least {}",
                            i64::from(name == "analysis-interval")
                        ))
                    }
                }
            }
            _ => {
                return Err(format!(
                    "unknown setting `{name}`, expected one of {}",
                    NAMES.join(", ")
                ))
            }
        }
        Ok(())
    }

    /// One setting as text, as `set` reads it back: `set(name, &get(name)?)` changes nothing.
    /// Share links carry the settings this way.
    pub fn get(&self, name: &str) -> Option<String> {
        let on = |b: bool| if b { "on" } else { "off" }.to_string();
        Some(match name {
            "strategy" => self.strategy.id().into(),
            "replicas" => self.replicas.to_string(),
            "surge" => self.max_surge.clone(),
            "unavailable" => self.max_unavailable.clone(),
            "readiness" => on(self.readiness_probe),
            "ready-delay" => self.readiness_timing[0].to_string(),
            "ready-period" => self.readiness_timing[1].to_string(),
            "ready-success" => self.readiness_timing[2].to_string(),
            "ready-failure" => self.readiness_timing[3].to_string(),
            "prestop" => self.pre_stop_seconds.to_string(),
            "grace" => self.grace_period_seconds.to_string(),
            "sigterm" => self.on_sigterm.name().into(),
            "propagation" => self.endpoint_propagation_ms.to_string(),
            "rps" => crate::decimal::short(self.requests_per_second, 6),
            "liveness" => on(self.liveness_probe),
            "startup" => self.new_version_startup_seconds.to_string(),
            "health" => self.new_version_health.name().into(),
            "lb" => self.load_balancing.name().into(),
            "connections" => self.connections.name().into(),
            "idle-timeout" => self.idle_timeout_seconds.to_string(),
            "max-age" => self.max_connection_age_seconds.to_string(),
            "via" => self.via.name().into(),
            "ingress-lag" => self.ingress_propagation_ms.to_string(),
            "retries" => self.ingress_retries.to_string(),
            "canary-weight" => self.plan.first_weight?.to_string(),
            "analysis-interval" => self.plan.analysis?.0.to_string(),
            "failure-limit" => self.plan.analysis?.1.to_string(),
            "migration" => self.plan.migration?.when.name().into(),
            _ => return None,
        })
    }

    /// The settings that differ from `base`, by name, in `NAMES` order.
    pub fn changed_from(&self, base: &Knobs) -> Vec<(&'static str, String)> {
        NAMES
            .iter()
            .filter_map(|&n| {
                Some((n, self.get(n)?)).filter(|(_, v)| base.get(n).as_ref() != Some(v))
            })
            .collect()
    }

    /// The settings as the scenario has them (its Deployment or Rollout and the images it runs).
    pub fn read(s: &Scenario) -> Option<Knobs> {
        let (_, replicas, template) = workload::read(s)?;
        let app = template.spec.app()?;
        let new = new_versions(s, &app.image)
            .into_iter()
            .next()
            .map(|i| s.image(&i))
            .unwrap_or_default();
        let (surge, unavailable) = workload::fenceposts(s)?;
        let show = |v: Option<IntOrString>| v.map_or("0".to_string(), |v| v.to_string());
        let ingress = s.network.ingress.unwrap_or_default();
        Some(Knobs {
            strategy: workload::strategy(s)?,
            replicas,
            max_surge: show(surge),
            max_unavailable: show(unavailable),
            readiness_probe: app.readiness_probe.is_some(),
            readiness_timing: {
                let p = app
                    .readiness_probe
                    .clone()
                    .unwrap_or_else(default_readiness_probe);
                [
                    p.initial_delay_seconds,
                    p.period_seconds,
                    p.success_threshold,
                    p.failure_threshold,
                ]
            },
            pre_stop_seconds: app
                .lifecycle
                .as_ref()
                .and_then(|l| l.pre_stop.as_ref())
                .map_or(0, |h| h.duration_ms() / 1000),
            grace_period_seconds: template.spec.grace_period_ms() / 1000,
            on_sigterm: s.image(&app.image).on_sigterm,
            endpoint_propagation_ms: s.network.endpoint_propagation.0,
            requests_per_second: s.traffic.requests_per_second,
            liveness_probe: app.liveness_probe.is_some(),
            new_version_startup_seconds: new.startup.0 / 1000,
            new_version_health: match (new.crash_after, new.error_rate) {
                (Some(_), _) => Health::CrashLoop,
                (None, r) if r > 0.0 => Health::Errors,
                _ => Health::Healthy,
            },
            load_balancing: s.network.load_balancing,
            connections: s.traffic.connections,
            idle_timeout_seconds: s.traffic.idle_timeout.0 / 1000,
            max_connection_age_seconds: s
                .image(&app.image)
                .max_connection_age
                .map_or(0, |d| d.0 / 1000),
            via: s.traffic.via,
            ingress_propagation_ms: ingress.propagation.0,
            ingress_retries: i64::from(ingress.retries),
            plan: Plan::read(s),
        })
    }

    /// Writes the settings into the scenario's workload (a Deployment, or an Argo Rollout for
    /// blue-green and canary), its images and its traffic. The error is the API's own validation
    /// message.
    pub fn apply(&self, s: &mut Scenario) -> Result<(), String> {
        let on_sigterm = self.on_sigterm;
        let running = workload::read(s)
            .and_then(|(_, _, t)| t.spec.app())
            .map(|c| c.image.clone())
            .unwrap_or_default();
        workload::set_strategy(
            s,
            self.strategy,
            parse_int_or_percent(&self.max_surge),
            parse_int_or_percent(&self.max_unavailable),
        );
        let Some((replicas, template)) = workload::parts_mut(s) else {
            return Err("this scenario has no Deployment or Rollout to change".into());
        };
        *replicas = self.replicas;
        template.spec.termination_grace_period_seconds = Some(self.grace_period_seconds);
        let mut images = Vec::new();
        for c in template.spec.containers.iter_mut().take(1) {
            c.readiness_probe = match (self.readiness_probe, c.readiness_probe.take()) {
                (true, p) => {
                    let mut p = p.unwrap_or_else(default_readiness_probe);
                    let [delay, period, success, failure] = self.readiness_timing;
                    p.initial_delay_seconds = delay;
                    p.period_seconds = period;
                    p.success_threshold = success;
                    p.failure_threshold = failure;
                    Some(p)
                }
                (false, _) => None,
            };
            let pre_stop = (self.pre_stop_seconds > 0).then(|| Handler {
                sleep: Some(SleepAction {
                    seconds: self.pre_stop_seconds,
                }),
                ..Handler::default()
            });
            c.lifecycle.get_or_insert_with(Lifecycle::default).pre_stop = pre_stop;
            // No preStop and nothing else: no lifecycle block at all, as a person would write it.
            if c.lifecycle
                .as_ref()
                .is_some_and(|l| l.pre_stop.is_none() && l.extra.is_empty())
            {
                c.lifecycle = None;
            }
            c.liveness_probe = match (self.liveness_probe, c.liveness_probe.take()) {
                (true, Some(p)) => Some(p),
                (true, None) => Some(probe(2)),
                (false, _) => None,
            };
            images.push(c.image.clone());
        }
        self.plan.apply(s);
        for o in &s.objects {
            match o {
                Object::Deployment(d) => validate_deployment(d).map_err(|m| {
                    format!("Deployment.apps \"{}\" is invalid: {m}", d.metadata.name)
                })?,
                Object::Rollout(r) => validate_rollout(r).map_err(|m| {
                    format!(
                        "Rollout.argoproj.io \"{}\" is invalid: {m}",
                        r.metadata.name
                    )
                })?,
                Object::AnalysisTemplate(t) => crate::manifest::validate_analysis_template(t)
                    .map_err(|m| {
                        format!(
                            "{}.argoproj.io \"{}\" is invalid: {m}",
                            t.kind(),
                            t.metadata.name
                        )
                    })?,
                _ => {}
            }
        }
        // Every version of the app shares the shutdown behaviour being studied.
        for image in s.images.values_mut() {
            image.on_sigterm = on_sigterm;
        }
        for image in images {
            s.images.entry(image).or_default().on_sigterm = on_sigterm;
        }
        for image in new_versions(s, &running) {
            let behaviour = s.images.entry(image).or_default();
            behaviour.startup = Duration(self.new_version_startup_seconds.clamp(0, 3600) * 1000);
            behaviour.crash_after =
                (self.new_version_health == Health::CrashLoop).then_some(Duration(3000));
            behaviour.error_rate = if self.new_version_health == Health::Errors {
                0.5
            } else {
                0.0
            };
        }
        s.network.load_balancing = self.load_balancing;
        self.apply_connections(s);
        let propagation = self
            .endpoint_propagation_ms
            .clamp(0, crate::limits::DURATION);
        s.network.endpoint_propagation = Duration(propagation);
        s.traffic.requests_per_second = self
            .requests_per_second
            .clamp(0.0, crate::limits::REQUESTS_PER_SECOND);
        Ok(())
    }

    /// The clients' connections, the app's maxConnectionAge and the ingress in front: "the
    /// world" the settings run in, kept within the simulator's limits.
    fn apply_connections(&self, s: &mut Scenario) {
        let hour = crate::limits::DURATION / 1000;
        s.traffic.connections = self.connections;
        s.traffic.idle_timeout = Duration(self.idle_timeout_seconds.clamp(1, hour) * 1000);
        let age = self.max_connection_age_seconds.clamp(0, hour);
        for image in s.images.values_mut() {
            image.max_connection_age = (age > 0).then_some(Duration(age * 1000));
        }
        s.traffic.via = self.via;
        let ingress = Ingress {
            propagation: Duration(
                self.ingress_propagation_ms
                    .clamp(0, crate::limits::DURATION),
            ),
            retries: self
                .ingress_retries
                .clamp(0, i64::from(crate::limits::RETRIES)) as u32,
        };
        // A scenario without an ingress gets one only when it is used or set.
        if self.via == Via::Ingress || s.network.ingress.is_some() || ingress != Ingress::default()
        {
            s.network.ingress = Some(ingress);
        }
    }

    /// The fenceposts as the controller resolves them, with the rounding rule (FP-1..FP-4), e.g.
    /// "max surge 25% of 3 = 0.75, rounded up: 1".
    pub fn resolved(&self, s: &Scenario) -> Option<String> {
        if !self.strategy.has_fenceposts() {
            return None;
        }
        let mut scenario = s.clone();
        self.apply(&mut scenario).ok()?;
        // FP-1: the rounding itself; FP-3 may then lift a 0/0 pair to 0/1.
        let rounded = |raw: &str, up: bool| {
            parse_int_or_percent(raw)
                .scaled(self.replicas, up)
                .unwrap_or(0)
        };
        let explain = |raw: &str, up: bool| match parse_int_or_percent(raw) {
            IntOrString::Int(n) => format!("{n}"),
            IntOrString::String(p) => {
                let exact = crate::decimal::parse(p.trim_end_matches('%')).unwrap_or(0.0)
                    * f64::from(self.replicas)
                    / 100.0;
                format!(
                    "{p} of {} = {}, rounded {}: {}",
                    self.replicas,
                    crate::decimal::short(exact, 4),
                    if up { "up" } else { "down" },
                    rounded(raw, up)
                )
            }
        };
        let (surge, unavailable) = resolve(&scenario)?;
        let mut text = format!(
            "max surge {}; max unavailable {}",
            explain(&self.max_surge, true),
            explain(&self.max_unavailable, false)
        );
        if rounded(&self.max_surge, true) == 0 && rounded(&self.max_unavailable, false) == 0 {
            text.push_str(" (both resolved to 0, so the controller uses 1 unavailable: a rollout must be able to move)");
        }
        text.push_str(&format!(
            ". During a rollout: at most {} pods that are not terminating, at least {} available.",
            self.replicas + surge,
            self.replicas - unavailable
        ));
        Some(text)
    }
}

/// The resolved (surge, unavailable) as the workload's controller computes them (FP-1..FP-4 for
/// a Deployment, FP-6 for Argo's canary).
fn resolve(s: &Scenario) -> Option<(i32, i32)> {
    s.objects.iter().find_map(|o| match o {
        Object::Deployment(d) => Some((
            crate::deployment::util::max_surge(d),
            crate::deployment::util::max_unavailable(d),
        )),
        Object::Rollout(r) => {
            let c = r.spec.strategy.canary.as_ref()?;
            let a = crate::rollouts::replicaset::Canary {
                replicas: r.spec.replicas,
                max_surge: c.max_surge.clone(),
                max_unavailable: c.max_unavailable.clone(),
                ..Default::default()
            };
            Some((a.max_surge(), a.max_unavailable()))
        }
        _ => None,
    })
}

/// Every image in the scenario other than the one running at t=0: "the new version".
fn new_versions(s: &Scenario, running: &str) -> Vec<String> {
    s.images.keys().filter(|i| *i != running).cloned().collect()
}

/// The probe the lab adds when a learner turns readiness on: an HTTP check every second.
fn default_readiness_probe() -> Probe {
    probe(1)
}

/// An HTTP probe on the app's port every `period` seconds, Kubernetes' other defaults.
fn probe(period: i64) -> Probe {
    Probe {
        handler: Handler {
            http_get: Some(json!({"path": "/", "port": 80})),
            ..Handler::default()
        },
        initial_delay_seconds: 0,
        period_seconds: period,
        timeout_seconds: 1,
        success_threshold: 1,
        failure_threshold: 3,
        termination_grace_period_seconds: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recreate() -> Scenario {
        crate::lab::examples::parsed("recreate")
    }

    #[test]
    fn reads_applies_and_round_trips() {
        let s = recreate();
        let k = Knobs::read(&s).unwrap();
        assert_eq!(
            (k.strategy, k.replicas, k.readiness_probe, k.on_sigterm),
            (Strategy::Recreate, 3, false, OnSigterm::Drain)
        );
        let mut changed = s.clone();
        let fixed = Knobs {
            strategy: Strategy::RollingUpdate,
            max_surge: "1".into(),
            max_unavailable: "0".into(),
            readiness_probe: true,
            pre_stop_seconds: 5,
            ..k
        };
        fixed.apply(&mut changed).unwrap();
        assert_eq!(Knobs::read(&changed).unwrap(), fixed);
        // The fix works: the same deploy drops nothing.
        let mut c = crate::cluster::Cluster::new(changed);
        c.run();
        assert_eq!(c.metrics.failed, 0, "{}", c.summary_text());
    }

    #[test]
    fn every_setting_reads_back_as_it_was_set() {
        let base = Knobs::read(&recreate()).unwrap();
        let values = [
            ("strategy", "Canary"),
            ("replicas", "7"),
            ("surge", "40%"),
            ("unavailable", "1"),
            ("readiness", "on"),
            ("ready-delay", "3"),
            ("ready-period", "2"),
            ("ready-success", "2"),
            ("ready-failure", "5"),
            ("prestop", "5"),
            ("grace", "45"),
            ("sigterm", "ignore"),
            ("propagation", "2500"),
            ("rps", "12.5"),
            ("liveness", "on"),
            ("startup", "20"),
            ("health", "crash-loop"),
            ("lb", "round-robin"),
            ("connections", "http2"),
            ("idle-timeout", "30"),
            ("max-age", "20"),
            ("via", "ingress"),
            ("ingress-lag", "2500"),
            ("retries", "1"),
        ];
        // All but the release plan's four, which recreate's Deployment has not (tested below).
        assert_eq!(values.len(), NAMES.len() - 4);
        assert!(k_plan_absent(&base));
        let mut k = base.clone();
        for (name, value) in values {
            k.set(name, value).unwrap();
            assert_eq!(k.get(name).as_deref(), Some(value), "{name}");
        }
        let changed = k.changed_from(&base);
        assert_eq!(
            changed.len(),
            values.len(),
            "every value above differs from recreate's"
        );
        let mut again = base.clone();
        for (name, value) in &changed {
            again.set(name, value).unwrap();
        }
        assert_eq!(again, k);
        assert!(base.changed_from(&base).is_empty());
        assert_eq!(k.get("colour"), None);
    }

    fn k_plan_absent(k: &Knobs) -> bool {
        let mut k = k.clone();
        [
            "canary-weight",
            "analysis-interval",
            "failure-limit",
            "migration",
        ]
        .iter()
        .all(|n| k.get(n).is_none() && k.set(n, "1").is_err())
    }

    #[test]
    fn a_canary_plan_reads_applies_and_is_validated() {
        let mut s = crate::lab::examples::parsed("canary-analysis-abort");
        let mut k = Knobs::read(&s).unwrap();
        let got = |k: &Knobs, n| k.get(n).unwrap();
        assert_eq!(
            [
                got(&k, "canary-weight"),
                got(&k, "analysis-interval"),
                got(&k, "failure-limit")
            ],
            ["20", "10", "1"]
        );
        for (name, value) in [
            ("canary-weight", "5"),
            ("analysis-interval", "5"),
            ("failure-limit", "0"),
        ] {
            k.set(name, value).unwrap();
        }
        assert!(k.set("analysis-interval", "0").is_err());
        assert!(k.set("failure-limit", "-1").is_err());
        k.apply(&mut s).unwrap();
        assert_eq!(Knobs::read(&s).unwrap(), k);
        let yaml = crate::manifest::to_yaml(&s.objects);
        assert!(yaml.contains("setWeight: 5"), "{yaml}");
        assert!(yaml.contains("interval: 5s"), "{yaml}");
        k.set("canary-weight", "120").unwrap();
        let err = k.apply(&mut s).unwrap_err();
        assert!(
            err.contains("setWeight: Invalid value: 120: must be between 0 and 100"),
            "{err}"
        );
    }

    #[test]
    fn the_world_settings_reach_the_scenario_and_read_back() {
        let mut s = recreate();
        let mut k = Knobs::read(&s).unwrap();
        for (name, value) in [
            ("connections", "keep-alive"),
            ("idle-timeout", "15"),
            ("max-age", "45"),
            ("via", "ingress"),
            ("ingress-lag", "4000"),
            ("retries", "3"),
        ] {
            k.set(name, value).unwrap();
        }
        k.apply(&mut s).unwrap();
        assert_eq!(s.traffic.connections, Connections::KeepAlive);
        assert_eq!(s.traffic.idle_timeout, Duration(15_000));
        assert_eq!(s.traffic.via, Via::Ingress);
        let ingress = s.network.ingress.unwrap();
        assert_eq!((ingress.propagation, ingress.retries), (Duration(4000), 3));
        assert!(s
            .images
            .values()
            .all(|i| i.max_connection_age == Some(Duration(45_000))));
        assert_eq!(Knobs::read(&s).unwrap(), k);
        // Past the limits the scenario gets the limit, not the typed value.
        k.set("retries", "99").unwrap();
        k.apply(&mut s).unwrap();
        assert_eq!(s.network.ingress.unwrap().retries, crate::limits::RETRIES);
    }

    #[test]
    fn a_crash_looping_new_version_is_held_back_by_a_readiness_probe() {
        let mut s = crate::lab::examples::parsed("sandbox");
        let k = Knobs::read(&s).unwrap();
        assert_eq!(
            (k.new_version_startup_seconds, k.new_version_health),
            (10, Health::Healthy)
        );
        let k = Knobs {
            readiness_probe: true,
            max_unavailable: "0".into(),
            new_version_health: Health::CrashLoop,
            ..k
        };
        k.apply(&mut s).unwrap();
        assert_eq!(Knobs::read(&s).unwrap(), k);
        s.add_step(10_000, "kubectl set image deployment/myapp app=myapp:2")
            .unwrap();
        let mut c = crate::cluster::Cluster::new(s);
        c.run();
        // The new pod never becomes ready, so the old ones stay and no request fails.
        assert_eq!(c.metrics.failed, 0, "{}", c.summary_text());
        assert!(c
            .pods
            .iter()
            .any(|p| p.restarts > 0 && p.image == "myapp:2"));
        assert!(c.rollout_completed_at.is_none());
    }

    #[test]
    fn invalid_combinations_are_explained_not_fixed() {
        let mut s = recreate();
        let k = Knobs {
            strategy: Strategy::RollingUpdate,
            max_surge: "0".into(),
            max_unavailable: "0%".into(),
            ..Knobs::read(&s).unwrap()
        };
        let err = k.apply(&mut s).unwrap_err();
        assert!(err.contains("may not be 0 when `maxSurge` is 0"), "{err}");
        let k = Knobs {
            max_surge: "0".into(),
            max_unavailable: "25%".into(),
            ..k
        };
        let text = k.resolved(&s).unwrap();
        assert!(
            text.contains("max unavailable 25% of 3 = 0.75, rounded down: 0"),
            "{text}"
        );
        assert!(text.contains("at least 2 available"), "{text}");
        assert!(text.contains("controller uses 1 unavailable"), "{text}");
        let k = Knobs {
            max_surge: "25%".into(),
            ..k
        };
        assert!(k.resolved(&s).unwrap().starts_with("max surge 25% of 3 = 0.75, rounded up: 1; max unavailable 25% of 3 = 0.75, rounded down: 0"));
    }

    #[test]
    fn strategy_moves_between_deployment_and_rollout() {
        // recreate's timeline deploys with `kubectl set image deployment/myapp`.
        for to in [
            Strategy::Canary,
            Strategy::BlueGreen,
            Strategy::RollingUpdate,
        ] {
            let mut s = recreate();
            let k = Knobs {
                strategy: to,
                max_surge: "1".into(),
                max_unavailable: "0".into(),
                readiness_probe: true,
                pre_stop_seconds: 5,
                ..Knobs::read(&s).unwrap()
            };
            k.apply(&mut s).unwrap();
            let back = Knobs::read(&s).unwrap();
            // Blue-green has no surge or unavailability to keep; a new canary gets the steps
            // `set_strategy` writes, so its plan is read from them.
            let k = Knobs {
                plan: back.plan.clone(),
                ..k
            };
            let expected = if to.has_fenceposts() {
                k.clone()
            } else {
                Knobs {
                    max_surge: back.max_surge.clone(),
                    max_unavailable: back.max_unavailable.clone(),
                    ..k.clone()
                }
            };
            assert_eq!(back, expected, "{to:?} reads back");
            let kinds: Vec<String> = s
                .objects
                .iter()
                .map(|o| o.kind_and_name().0.into_owned())
                .collect();
            let argo = matches!(to, Strategy::Canary | Strategy::BlueGreen);
            assert_eq!(
                kinds.iter().any(|k| k == "rollout.argoproj.io"),
                argo,
                "{kinds:?}"
            );
            let mut c = crate::cluster::Cluster::new(s);
            c.run();
            assert!(
                c.command_errors.is_empty(),
                "{to:?}: {:?}",
                c.command_errors
            );
            assert_eq!(c.metrics.failed, 0, "{to:?}: {}", c.summary_text());
            assert!(
                c.pods
                    .iter()
                    .filter(|p| p.deletion.is_none())
                    .all(|p| p.image == "myapp:2"),
                "{to:?} rolled out"
            );
            if to == Strategy::BlueGreen {
                assert_eq!(
                    c.metrics.max_not_terminating, 6,
                    "twice the pods while both run"
                );
            }
        }
    }

    #[test]
    fn readiness_timing_is_written_into_the_probe_and_checked() {
        let mut s = recreate();
        let k = Knobs {
            readiness_probe: true,
            readiness_timing: [5, 2, 2, 4],
            ..Knobs::read(&s).unwrap()
        };
        k.apply(&mut s).unwrap();
        let (_, _, t) = workload::read(&s).unwrap();
        let p = t.spec.app().unwrap().readiness_probe.clone().unwrap();
        assert_eq!(
            (
                p.initial_delay_seconds,
                p.period_seconds,
                p.success_threshold,
                p.failure_threshold
            ),
            (5, 2, 2, 4)
        );
        assert_eq!(Knobs::read(&s).unwrap().readiness_timing, [5, 2, 2, 4]);
        let bad = Knobs {
            readiness_timing: [0, 0, 1, 3],
            ..k
        };
        let err = bad.apply(&mut s).unwrap_err();
        assert!(
            err.contains("readinessProbe.periodSeconds: Invalid value: 0: must be greater than or equal to 1"),
            "{err}"
        );
    }
}

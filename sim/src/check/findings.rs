//! Findings in plain words, each read off the simulated deploy (how many requests a cause failed,
//! the lag, the resolved fenceposts), never a rule of thumb: a cause that failed nothing in the
//! run is not mentioned.
use super::deploy::{End, Target};
use super::report::{Group, Outcome};
use super::world::World;
use crate::intstr::IntOrString;
use crate::lab::workload::{self, Strategy};
use crate::scenario::{OnSigterm, Scenario, Via};
use crate::time::{fmt_secs, Ms};
use crate::traffic::Why;

#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub text: String,
    /// The moment in the run to look at it.
    pub at: Ms,
    /// The lesson that explains it (its id).
    pub lesson: &'static str,
    /// The rules of docs/semantics.md it applies.
    pub rules: &'static [&'static str],
    /// What must change is the app, not the manifests.
    pub app: bool,
}

fn finding(text: String, at: Ms, lesson: &'static str, rules: &'static [&'static str]) -> Finding {
    Finding {
        text,
        at,
        lesson,
        rules,
        app: false,
    }
}

/// Seconds as a person says them: "1 s", "2.5 s".
pub fn secs(ms: Ms) -> String {
    format!("{} s", crate::decimal::short(ms as f64 / 1000.0, 1))
}

fn requests(n: u64) -> String {
    if n == 1 {
        "1 request".into()
    } else {
        format!("{} requests", crate::summary::thousands(n))
    }
}

/// The settings of the workload the findings speak about.
struct Written {
    strategy: Strategy,
    replicas: i32,
    readiness: bool,
    pre_stop: Ms,
    grace: Ms,
    fenceposts: (Option<IntOrString>, Option<IntOrString>),
}

fn written(s: &Scenario) -> Option<Written> {
    let (_, replicas, template) = workload::read(s)?;
    let app = template.spec.app()?;
    Some(Written {
        strategy: workload::strategy(s)?,
        replicas,
        readiness: app.readiness_probe.is_some(),
        pre_stop: app
            .lifecycle
            .as_ref()
            .and_then(|l| l.pre_stop.as_ref())
            .map_or(0, |h| h.duration_ms()),
        grace: template.spec.grace_period_ms(),
        fenceposts: workload::fenceposts(s)?,
    })
}

pub fn findings(s: &Scenario, world: &World, target: &Target, out: &Outcome) -> Vec<Finding> {
    let Some(w) = written(s) else {
        return Vec::new();
    };
    let mut all = Vec::new();
    if let Some(f) = fenceposts(&w, out) {
        all.push(f);
    }
    for g in &out.groups {
        all.push(group(g, &w, world, target));
    }
    if let End::Stalled { at, why } = &out.end {
        all.push(finding(
            format!("The rollout does not finish: {why}."),
            *at,
            "when-a-rollout-goes-wrong",
            &["PD-2", "AV-3"],
        ));
    }
    let promoted = out
        .steps
        .iter()
        .filter(|(_, t)| t.contains("(the check,"))
        .count();
    if promoted > 0 {
        let at = out
            .steps
            .iter()
            .find(|(_, t)| t.contains("(the check,"))
            .map_or(0, |s| s.0);
        all.push(finding(
            format!("The rollout pauses for a person {}: it waits until someone runs `kubectl argo rollouts promote {}` (the check promoted it after 10 s to go on).", match promoted { 1 => "once".to_string(), n => format!("{n} times") }, target.name),
            at,
            "canary",
            &["AC-4"],
        ));
    }
    all
}

/// FP-3 when it decided the run: both fenceposts resolve to 0, so one pod goes first.
fn fenceposts(w: &Written, out: &Outcome) -> Option<Finding> {
    if w.strategy != Strategy::RollingUpdate {
        return None;
    }
    let (surge, unavailable) = &w.fenceposts;
    let zero = IntOrString::Int(0);
    let r = w.replicas;
    let s = surge.as_ref().unwrap_or(&zero);
    let u = unavailable.as_ref().unwrap_or(&zero);
    let (s_n, u_n) = (s.scaled(r, true).ok()?, u.scaled(r, false).ok()?);
    if s_n != 0 || u_n != 0 || out.figures.lowest_available >= r as u32 {
        return None;
    }
    let show = |v: &IntOrString| match v {
        IntOrString::String(p) => format!("{p} of {r}"),
        IntOrString::Int(n) => n.to_string(),
    };
    let both = if matches!(s, IntOrString::Int(0)) && matches!(u, IntOrString::Int(0)) {
        "are both 0".to_string()
    } else {
        "both resolve to 0".to_string()
    };
    let who = if r == 1 {
        "your only pod goes before its replacement is ready".to_string()
    } else {
        format!("one of your {r} pods goes before its replacement is ready, and available pods fall to {}", out.figures.lowest_available)
    };
    Some(finding(
        format!("maxSurge {} and maxUnavailable {} {both}, so the controller takes maxUnavailable 1: {who}.", show(s), show(u)),
        super::deploy::DEPLOY_AT,
        "max-surge-and-max-unavailable",
        &["FP-1", "FP-3"],
    ))
}

fn group(g: &Group, w: &Written, world: &World, target: &Target) -> Finding {
    let n = requests(g.count);
    let lag = if world.via == Via::Ingress {
        world.ingress_lag
    } else {
        world.proxy_lag
    };
    let who = if world.via == Via::Ingress {
        "the ingress controller"
    } else {
        "the proxies"
    };
    let at = g.first;
    match g.why {
        Why::NotListening if !w.readiness => finding(
            format!("No readiness probe: each new pod counted as ready when its container started, {} before the app listened, so {n} went to pods still starting.", secs(world.startup)),
            at, "readiness-probes", &["PR-2", "AV-1"]),
        Why::NotListening => finding(
            format!("{n} reached pods before their app listened: the readiness probe passed before the app listens."),
            at, "readiness-probes", &["PR-2", "PR-5"]),
        Why::AfterSigterm if w.pre_stop == 0 => finding(
            format!("No preStop: {n} fail in the {} {who} lag: each old pod got SIGTERM the moment it was deleted, while {who} still sent it new connections.", secs(lag)),
            at, "rolling-updates-and-the-endpoint-race", &["TM-2", "TM-3", "TM-4"]),
        Why::AfterSigterm if w.pre_stop < lag => finding(
            format!("The preStop sleeps {}, less than the {} {who} lag: {n} reached old pods after their SIGTERM.", secs(w.pre_stop), secs(lag)),
            at, "rolling-updates-and-the-endpoint-race", &["TM-2", "TM-3", "TM-4"]),
        Why::AfterSigterm => finding(
            format!("{n} reached old pods after their SIGTERM, though the preStop ({}) outlasts the {} lag: with no ready endpoint left, {who} fell back to the terminating pods that still passed their readiness probe.", secs(w.pre_stop), secs(lag)),
            at, "rolling-updates-and-the-endpoint-race", &["TM-3", "TM-5"]),
        Why::ResetOnSigterm => Finding {
            app: w.pre_stop >= lag,
            ..finding(format!("The app exits at once on SIGTERM: {n} in flight at that moment were reset. An app that drains (stops accepting, finishes what it holds, then exits) loses none."),
            at, "rolling-updates-and-the-endpoint-race", &["TM-1", "CN-4"])
        },
        Why::Killed => finding(
            format!("The grace period ({}) ran out before the app finished: {n} were cut by SIGKILL.", secs(w.grace)),
            at, "rolling-updates-and-the-endpoint-race", &["TM-1", "D-4"]),
        Why::Crashed => Finding {
            app: true,
            ..finding(format!("The app crashed: {n} failed on it. No setting fixes a crash; the logs of {} say why.", target.to),
            at, "when-a-rollout-goes-wrong", &["PR-6"])
        },
        Why::ClosedConnection => Finding {
            app: world.on_sigterm != OnSigterm::Drain,
            ..finding(format!("The keep-alive race: {n} were written on kept-alive connections the server had already closed. A server that drains answers the requests it has and closes idle connections only after the proxies stopped sending new ones."),
            at, "connections-and-the-ingress", &["CN-1", "CN-4"])
        },
        Why::AppError => Finding {
            app: true,
            ..finding(format!("{} answered {n} with an error: no rollout setting fixes the app itself.", target.to),
            at, "when-a-rollout-goes-wrong", &[])
        },
        Why::Schema => Finding {
            app: true,
            ..finding(format!("{n} failed because a version could not read the database schema: the old and new versions must both work with the schema while both run."),
            at, "progressive-delivery", &[])
        },
        Why::Overloaded => finding(
            format!("{n} waited until the client gave up: with {} requests per second, the pods that were available could not keep up.", crate::decimal::short(world.requests_per_second, 1)),
            at, "max-surge-and-max-unavailable", &["FP-1", "AV-1"]),
        Why::IngressUpstreams => finding(
            format!("The ingress controller's list lags {}: {n} went to upstreams already gone, and every retry failed too (502).", secs(world.ingress_lag)),
            at, "connections-and-the-ingress", &["IN-1", "IN-2", "IN-3"]),
        Why::NoEndpoints if w.strategy == Strategy::Recreate => finding(
            format!("Recreate stops every old pod before it starts a new one: {n} were refused while no pod was ready, from {} to {}.", fmt_secs(g.first), fmt_secs(g.last)),
            at, "recreate-on-purpose", &["RC-1", "RC-2", "RC-3"]),
        Why::NoEndpoints => finding(
            format!("No pod was ready to take {n}, from {} to {}.", fmt_secs(g.first), fmt_secs(g.last)),
            at, "max-surge-and-max-unavailable", &["FP-3", "TM-5"]),
    }
}

//! The settings a learner turns: each has a visible label that is also its accessible name, and
//! the fenceposts are shown as the controller resolves them.
use rollout_sim::lab::knobs::Knobs;
use rollout_sim::lab::workload::Strategy;
use rollout_sim::scenario::{Connections, Via};
use std::rc::Rc;
use yew::prelude::*;

#[derive(PartialEq)]
pub struct ControlsProps {
    pub knobs: Knobs,
    /// "max surge 25% of 3 = 0.75, rounded up: 1; ..." (None for Recreate or invalid settings).
    pub resolved: Option<String>,
    pub on_change: Callback<Knobs>,
    pub on_reset: Callback<()>,
    /// True when the knobs differ from the scenario as written.
    pub changed: bool,
    /// The settings to show, by name (`Knobs::set`'s); all when `None`. A lesson step shows few.
    pub shown: Option<Rc<Vec<String>>>,
}

pub fn controls(props: &ControlsProps) -> Html {
    let k = &props.knobs;
    // One callback per setting: the new value goes through `Knobs::set`, as lesson files and
    // share links write settings; a value it refuses changes nothing.
    let changed = |name: &'static str, checkbox: bool| {
        let (knobs, on_change) = (k.clone(), props.on_change.clone());
        Callback::from(move |e: Event| {
            let value = match checkbox {
                true => {
                    crate::browser::event_checked(&e).map(|on| if on { "on" } else { "off" }.into())
                }
                false => crate::browser::event_value(&e),
            };
            let mut next = knobs.clone();
            if value.is_some_and(|v| next.set(name, &v).is_ok()) {
                on_change.emit(next);
            }
        })
    };
    let (set, check) = (|name| changed(name, false), |name| changed(name, true));
    let reset = {
        let on_reset = props.on_reset.clone();
        Callback::from(move |_: MouseEvent| on_reset.emit(()))
    };
    let show = |name: &str| {
        props
            .shown
            .as_ref()
            .is_none_or(|s| s.iter().any(|x| x == name))
    };
    let ui = Ui {
        k,
        show: &show,
        set: &set,
        check: &check,
        resolved: props.resolved.clone(),
    };
    let group = |title: &'static str, names: &[&str], class: &'static str, content: Html| {
        // A group shows when one of its settings is shown and this scenario has it.
        names
            .iter()
            .any(|n| show(n) && k.get(n).is_some())
            .then(|| {
                html! {
                    <fieldset class={classes!("knob-group", class)}>
                        <legend>{title}</legend>
                        { content }
                    </fieldset>
                }
            })
    };
    // The ingress' retries only where traffic comes through one.
    let mut release_names = vec![
        "canary-weight",
        "analysis-interval",
        "failure-limit",
        "migration",
    ];
    if k.via == Via::Ingress {
        release_names.push("retries");
    }
    html! {
        <div class="knobs" role="group" aria-label="Settings">
            { for group("Strategy and fenceposts", &["strategy", "replicas", "surge", "unavailable"], "", strategy(&ui)) }
            { for group("Probes", &["readiness", "ready-delay", "ready-period", "ready-success", "ready-failure", "liveness"], "", probes(&ui)) }
            { for group("Shutdown", &["prestop", "grace", "sigterm", "max-age"], "", shutdown(&ui)) }
            { for group("Release", &release_names, "", release(&ui)) }
            { for group("The world: not your settings", &rollout_sim::lab::knobs::ENVIRONMENT, "knob-world", world(&ui)) }
            <button type="button" onclick={reset} disabled={!props.changed}>{"Reset to the scenario"}</button>
        </div>
    }
}

/// What the groups of settings draw with: the settings, which are shown, and their callbacks.
struct Ui<'a> {
    k: &'a Knobs,
    show: &'a dyn Fn(&str) -> bool,
    set: &'a dyn Fn(&'static str) -> Callback<Event>,
    check: &'a dyn Fn(&'static str) -> Callback<Event>,
    resolved: Option<String>,
}

/// The strategy and its fenceposts, with the controller's arithmetic under them.
fn strategy(ui: &Ui) -> Html {
    let (k, show, set) = (ui.k, ui.show, ui.set);
    let fenceposts = k.strategy.has_fenceposts();
    html! {
            <>
                if show("strategy") {
                <div class="knob">
                    <label for="knob-strategy">{"Strategy"}</label>
                    <select id="knob-strategy" onchange={set("strategy")}>
                        { for Strategy::ALL.into_iter().map(|s| html! {
                            <option value={s.id()} selected={k.strategy == s}>{s.label()}</option>
                        }) }
                    </select>
                </div>
                }
                if show("replicas") { { number_knob("knob-replicas", "Replicas", (0, 50, 1), k.replicas.to_string(), set("replicas")) } }
                if show("surge") {
                <div class="knob">
                    <label for="knob-surge">{"Max surge"}</label>
                    <input id="knob-surge" type="text" inputmode="text" size="5" value={k.max_surge.clone()} disabled={!fenceposts}
                        aria-describedby="knob-fenceposts" onchange={set("surge")} />
                </div>
                }
                if show("unavailable") {
                <div class="knob">
                    <label for="knob-unavailable">{"Max unavailable"}</label>
                    <input id="knob-unavailable" type="text" size="5" value={k.max_unavailable.clone()} disabled={!fenceposts}
                        aria-describedby="knob-fenceposts" onchange={set("unavailable")} />
                </div>
                }
                <p id="knob-fenceposts" class="fenceposts" aria-live="polite">
                    { ui.resolved.clone().unwrap_or_else(|| strategy_note(k.strategy).into()) }
                </p>
            </>
    }
}

/// The readiness probe and its timing, and a liveness probe.
fn probes(ui: &Ui) -> Html {
    let (k, show, set, check) = (ui.k, ui.show, ui.set, ui.check);
    html! {
            <>
                if show("readiness") {
                <div class="knob knob-check">
                    <input id="knob-readiness" type="checkbox" checked={k.readiness_probe} onchange={check("readiness")} />
                    <label for="knob-readiness">{"Readiness probe"}</label>
                </div>
                }
                if k.readiness_probe {
                    if show("ready-delay") { { number_knob("knob-ready-delay", "Readiness initial delay (s)", (0, 600, 1), k.readiness_timing[0].to_string(), set("ready-delay")) } }
                    if show("ready-period") { { number_knob("knob-ready-period", "Readiness period (s)", (0, 600, 1), k.readiness_timing[1].to_string(), set("ready-period")) } }
                    if show("ready-success") { { number_knob("knob-ready-success", "Readiness success threshold", (0, 20, 1), k.readiness_timing[2].to_string(), set("ready-success")) } }
                    if show("ready-failure") { { number_knob("knob-ready-failure", "Readiness failure threshold", (0, 20, 1), k.readiness_timing[3].to_string(), set("ready-failure")) } }
                }
                if show("liveness") {
                <div class="knob knob-check">
                    <input id="knob-liveness" type="checkbox" checked={k.liveness_probe} onchange={check("liveness")} />
                    <label for="knob-liveness">{"Liveness probe"}</label>
                </div>
                }
            </>
    }
}

/// How an old pod stops: its preStop sleep, its grace period, the app on SIGTERM, and the server's maxConnectionAge.
fn shutdown(ui: &Ui) -> Html {
    let (k, show, set) = (ui.k, ui.show, ui.set);
    html! { <>
                if show("prestop") { { number_knob("knob-prestop", "preStop sleep (s)", (0, 120, 1), k.pre_stop_seconds.to_string(), set("prestop")) } }
                if show("grace") { { number_knob("knob-grace", "Termination grace period (s)", (0, 600, 1), k.grace_period_seconds.to_string(), set("grace")) } }
                if show("sigterm") {
                { select_knob("knob-sigterm", "App on SIGTERM", &[("exit", "exit at once"), ("drain", "drain, then exit"), ("ignore", "ignore it")], k.on_sigterm.name(), set("sigterm")) }
                }
                if show("max-age") && k.connections != Connections::PerRequest {
                    { number_knob("knob-max-age", "Server maxConnectionAge (s, 0 = none)", (0, 3600, 1), k.max_connection_age_seconds.to_string(), set("max-age")) }
                }
    </> }
}

/// The release's own settings: the ingress' retries, a canary's plan, who runs the migration.
fn release(ui: &Ui) -> Html {
    let (k, show, set) = (ui.k, ui.show, ui.set);
    html! { <>
                if k.via == Via::Ingress && show("retries") { { number_knob("knob-retries", "Ingress retries", (0, 10, 1), k.ingress_retries.to_string(), set("retries")) } }
                { release_plan(k, &show, &set) }
    </> }
}

/// The world the deploy runs in: traffic, clients, the network, how the new build behaves.
fn world(ui: &Ui) -> Html {
    let (k, show, set) = (ui.k, ui.show, ui.set);
    html! { <>
                if show("propagation") { { number_knob("knob-propagation", "Endpoint propagation delay (ms)", (0, 60000, 100), k.endpoint_propagation_ms.to_string(), set("propagation")) } }
                if show("rps") { { number_knob("knob-rps", "Requests per second", (0, 2000, 1), rollout_sim::decimal::short(k.requests_per_second, 2), set("rps")) } }
                if show("startup") { { number_knob("knob-startup", "New version start-up time (s)", (0, 600, 1), k.new_version_startup_seconds.to_string(), set("startup")) } }
                if show("health") {
                { select_knob("knob-health", "New version health", &[("healthy", "healthy"), ("crash-loop", "crash loop"), ("errors", "fails half its requests")], k.new_version_health.name(), set("health")) }
                }
                if show("lb") {
                { select_knob("knob-lb", "Load balancing", &[("random", "random (iptables)"), ("round-robin", "round-robin (IPVS)")], k.load_balancing.name(), set("lb")) }
                }
                if show("connections") {
                { select_knob("knob-connections", "Client connections", &[("per-request", "a new one per request"), ("keep-alive", "keep-alive (HTTP/1.1)"), ("http2", "HTTP/2, one per client")], k.connections.name(), set("connections")) }
                }
                if show("idle-timeout") && k.connections != Connections::PerRequest {
                    { number_knob("knob-idle-timeout", "Client idle timeout (s)", (1, 3600, 1), k.idle_timeout_seconds.to_string(), set("idle-timeout")) }
                }
                if show("via") {
                { select_knob("knob-via", "Traffic enters through", &[("service", "the Service (kube-proxy)"), ("ingress", "an ingress controller")], k.via.name(), set("via")) }
                }
                if k.via == Via::Ingress && show("ingress-lag") { { number_knob("knob-ingress-lag", "Ingress endpoint lag (ms)", (0, 60000, 100), k.ingress_propagation_ms.to_string(), set("ingress-lag")) } }
    </> }
}

/// The release plan's settings, where the scenario has them: a canary's first weight and its
/// analysis, and who runs the schema migration.
fn release_plan(
    k: &Knobs,
    show: &dyn Fn(&str) -> bool,
    set: &dyn Fn(&'static str) -> Callback<Event>,
) -> Html {
    html! {
        <>
            if let (true, Some(w)) = (show("canary-weight"), k.plan.first_weight) {
                { number_knob("knob-canary-weight", "Canary's first weight (%)", (0, 100, 1), w.to_string(), set("canary-weight")) }
            }
            if let Some((interval, limit)) = k.plan.analysis {
                if show("analysis-interval") { { number_knob("knob-analysis-interval", "Analysis interval (s)", (1, 600, 1), interval.to_string(), set("analysis-interval")) } }
                if show("failure-limit") { { number_knob("knob-failure-limit", "Analysis failure limit", (0, 20, 1), limit.to_string(), set("failure-limit")) } }
            }
            if let (true, Some(m)) = (show("migration"), k.plan.migration) {
                { select_knob("knob-migration", "Schema migration runs", &[("with-deploy", "in the pipeline, as it deploys"), ("on-start", "in the new version, as it starts")], m.when.name(), set("migration")) }
            }
        </>
    }
}

/// A labelled number field: (min, max, step).
fn number_knob(
    id: &'static str,
    label: &'static str,
    (min, max, step): (i64, i64, i64),
    value: String,
    onchange: Callback<Event>,
) -> Html {
    html! {
        <div class="knob">
            <label for={id}>{label}</label>
            <input {id} type="number" min={min.to_string()} max={max.to_string()} step={step.to_string()} {value} {onchange} />
        </div>
    }
}

/// A labelled choice among (value, label) pairs.
fn select_knob(
    id: &'static str,
    label: &'static str,
    options: &[(&'static str, &'static str)],
    selected: &str,
    onchange: Callback<Event>,
) -> Html {
    html! {
        <div class="knob">
            <label for={id}>{label}</label>
            <select {id} {onchange}>
                { for options.iter().map(|&(value, text)| html! { <option {value} selected={value == selected}>{text}</option> }) }
            </select>
        </div>
    }
}

/// What a strategy without surge and unavailability does, in one line.
fn strategy_note(strategy: Strategy) -> &'static str {
    match strategy {
        Strategy::Recreate => "Recreate: every old pod goes before any new one starts.",
        Strategy::BlueGreen => "Blue/green: the new version starts at full size beside the old; the active Service switches in one step once it is ready, and the old version stays up 30 s more (twice the pods meanwhile). Preview Service: the new pods before the switch.",
        _ => "",
    }
}

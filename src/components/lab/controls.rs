//! The settings a learner turns: each has a visible label that is also its accessible name, and
//! the fenceposts are shown as the controller resolves them.
use rollout_sim::lab::knobs::{Health, Knobs};
use rollout_sim::lab::workload::Strategy;
use rollout_sim::scenario::{LoadBalancing, OnSigterm};
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
    // One callback per field: read the new value, write it into a copy of the knobs.
    let field = |apply: fn(&mut Knobs, &str)| {
        let (knobs, on_change) = (k.clone(), props.on_change.clone());
        Callback::from(move |e: Event| {
            if let Some(v) = crate::browser::event_value(&e) {
                let mut next = knobs.clone();
                apply(&mut next, &v);
                on_change.emit(next);
            }
        })
    };
    // The same for a checkbox.
    let toggle = |apply: fn(&mut Knobs, bool)| {
        let (knobs, on_change) = (k.clone(), props.on_change.clone());
        Callback::from(move |e: Event| {
            if let Some(on) = crate::browser::event_checked(&e) {
                let mut next = knobs.clone();
                apply(&mut next, on);
                on_change.emit(next);
            }
        })
    };
    let reset = {
        let on_reset = props.on_reset.clone();
        Callback::from(move |_: MouseEvent| on_reset.emit(()))
    };
    let fenceposts = k.strategy.has_fenceposts();
    let show = |name: &str| {
        props
            .shown
            .as_ref()
            .is_none_or(|s| s.iter().any(|x| x == name))
    };
    html! {
        <fieldset class="knobs">
            <legend>{"Deployment settings"}</legend>
            if show("strategy") {
            <div class="knob">
                <label for="knob-strategy">{"Strategy"}</label>
                <select id="knob-strategy" onchange={field(|k, v| if let Some(s) = Strategy::from_id(v) { k.strategy = s })}>
                    { for Strategy::ALL.into_iter().map(|s| html! {
                        <option value={s.id()} selected={k.strategy == s}>{s.label()}</option>
                    }) }
                </select>
            </div>
            }
            if show("replicas") { { number_knob("knob-replicas", "Replicas", (0, 50, 1), k.replicas.to_string(), field(|k, v| if let Ok(n) = v.trim().parse() { k.replicas = n })) } }
            if show("surge") {
            <div class="knob">
                <label for="knob-surge">{"Max surge"}</label>
                <input id="knob-surge" type="text" inputmode="text" size="5" value={k.max_surge.clone()} disabled={!fenceposts}
                    aria-describedby="knob-fenceposts" onchange={field(|k, v| k.max_surge = v.trim().to_string())} />
            </div>
            }
            if show("unavailable") {
            <div class="knob">
                <label for="knob-unavailable">{"Max unavailable"}</label>
                <input id="knob-unavailable" type="text" size="5" value={k.max_unavailable.clone()} disabled={!fenceposts}
                    aria-describedby="knob-fenceposts" onchange={field(|k, v| k.max_unavailable = v.trim().to_string())} />
            </div>
            }
            if show("readiness") {
            <div class="knob knob-check">
                <input id="knob-readiness" type="checkbox" checked={k.readiness_probe} onchange={toggle(|k, on| k.readiness_probe = on)} />
                <label for="knob-readiness">{"Readiness probe"}</label>
            </div>
            }
            if k.readiness_probe {
                if show("ready-delay") { { number_knob("knob-ready-delay", "Readiness initial delay (s)", (0, 600, 1), k.readiness_timing[0].to_string(), field(|k, v| if let Ok(n) = v.trim().parse() { k.readiness_timing[0] = n })) } }
                if show("ready-period") { { number_knob("knob-ready-period", "Readiness period (s)", (0, 600, 1), k.readiness_timing[1].to_string(), field(|k, v| if let Ok(n) = v.trim().parse() { k.readiness_timing[1] = n })) } }
                if show("ready-success") { { number_knob("knob-ready-success", "Readiness success threshold", (0, 20, 1), k.readiness_timing[2].to_string(), field(|k, v| if let Ok(n) = v.trim().parse() { k.readiness_timing[2] = n })) } }
                if show("ready-failure") { { number_knob("knob-ready-failure", "Readiness failure threshold", (0, 20, 1), k.readiness_timing[3].to_string(), field(|k, v| if let Ok(n) = v.trim().parse() { k.readiness_timing[3] = n })) } }
            }
            if show("prestop") { { number_knob("knob-prestop", "preStop sleep (s)", (0, 120, 1), k.pre_stop_seconds.to_string(), field(|k, v| if let Ok(n) = v.trim().parse() { k.pre_stop_seconds = n })) } }
            if show("grace") { { number_knob("knob-grace", "Termination grace period (s)", (0, 600, 1), k.grace_period_seconds.to_string(), field(|k, v| if let Ok(n) = v.trim().parse() { k.grace_period_seconds = n })) } }
            if show("sigterm") {
            <div class="knob">
                <label for="knob-sigterm">{"App on SIGTERM"}</label>
                <select id="knob-sigterm" onchange={field(|k, v| k.on_sigterm = OnSigterm::from_name(v).unwrap_or_default())}>
                    <option value="exit" selected={k.on_sigterm == OnSigterm::Exit}>{"exit at once"}</option>
                    <option value="drain" selected={k.on_sigterm == OnSigterm::Drain}>{"drain, then exit"}</option>
                    <option value="ignore" selected={k.on_sigterm == OnSigterm::Ignore}>{"ignore it"}</option>
                </select>
            </div>
            }
            if show("propagation") { { number_knob("knob-propagation", "Endpoint propagation delay (ms)", (0, 60000, 100), k.endpoint_propagation_ms.to_string(), field(|k, v| if let Ok(n) = v.trim().parse() { k.endpoint_propagation_ms = n })) } }
            if show("rps") { { number_knob("knob-rps", "Requests per second", (0, 2000, 1), rollout_sim::decimal::short(k.requests_per_second, 2), field(|k, v| if let Some(n) = rollout_sim::decimal::parse(v.trim()) { k.requests_per_second = n })) } }
            if show("liveness") {
            <div class="knob knob-check">
                <input id="knob-liveness" type="checkbox" checked={k.liveness_probe} onchange={toggle(|k, on| k.liveness_probe = on)} />
                <label for="knob-liveness">{"Liveness probe"}</label>
            </div>
            }
            if show("startup") { { number_knob("knob-startup", "New version start-up time (s)", (0, 600, 1), k.new_version_startup_seconds.to_string(),
                field(|k, v| if let Ok(n) = v.trim().parse() { k.new_version_startup_seconds = n })) } }
            if show("health") {
            <div class="knob">
                <label for="knob-health">{"New version health"}</label>
                <select id="knob-health" onchange={field(|k, v| k.new_version_health = Health::from_name(v).unwrap_or(Health::Healthy))}>
                    <option value="healthy" selected={k.new_version_health == Health::Healthy}>{"healthy"}</option>
                    <option value="crash-loop" selected={k.new_version_health == Health::CrashLoop}>{"crash loop"}</option>
                    <option value="errors" selected={k.new_version_health == Health::Errors}>{"fails half its requests"}</option>
                </select>
            </div>
            }
            if show("lb") {
            <div class="knob">
                <label for="knob-lb">{"Load balancing"}</label>
                <select id="knob-lb" onchange={field(|k, v| k.load_balancing = LoadBalancing::from_name(v).unwrap_or_default())}>
                    <option value="random" selected={k.load_balancing == LoadBalancing::Random}>{"random (iptables)"}</option>
                    <option value="round-robin" selected={k.load_balancing == LoadBalancing::RoundRobin}>{"round-robin (IPVS)"}</option>
                </select>
            </div>
            }
            <p id="knob-fenceposts" class="fenceposts" aria-live="polite">
                { props.resolved.clone().unwrap_or_else(|| strategy_note(k.strategy).into()) }
            </p>
            <button type="button" onclick={reset} disabled={!props.changed}>{"Reset to the scenario"}</button>
        </fieldset>
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

/// What a strategy without surge and unavailability does, in one line.
fn strategy_note(strategy: Strategy) -> &'static str {
    match strategy {
        Strategy::Recreate => "Recreate: every old pod goes before any new one starts.",
        Strategy::BlueGreen => "Blue/green: the new version starts at full size beside the old; the active Service switches in one step once it is ready, and the old version stays up 30 s more (twice the pods meanwhile). Preview Service: the new pods before the switch.",
        _ => "",
    }
}

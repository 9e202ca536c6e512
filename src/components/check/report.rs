//! The check's report, drawn from the core's `Check`: the verdict and the figures a reviewer asks
//! for, the run over time (the lab's own charts), the failures by cause, the findings with links
//! to the lab at that moment and to the lesson, the smallest fix ready to copy, and everything
//! the check assumed or leaves out, with the rules it applies.
use crate::components::lab::{Charts, Snapshot};
use crate::components::Embed;
use crate::route::Route;
use crate::share::LabLink;
use rollout_sim::check::deploy::End;
use rollout_sim::check::text::{self, NOT_MODELLED};
use rollout_sim::check::world::World;
use rollout_sim::check::{Check, Fix, Suggestion};
use rollout_sim::time::{fmt_secs, Ms};
use std::rc::Rc;
use yew::prelude::*;

include!(concat!(env!("OUT_DIR"), "/rules.rs"));

/// A finished check and what the page derives from it once.
pub struct Checked {
    check: Check,
    world: World,
    /// Which run of the page this is: two checks are the same when their runs are.
    run: u32,
    /// The run's charts.
    snapshot: Rc<Result<Snapshot, String>>,
}

impl PartialEq for Checked {
    fn eq(&self, other: &Checked) -> bool {
        self.run == other.run
    }
}

impl Checked {
    pub fn new(check: Check, world: World, run: u32) -> Checked {
        let snapshot = Rc::new(Ok(Snapshot::of(&check.cluster)));
        Checked {
            check,
            world,
            run,
            snapshot,
        }
    }

    pub fn verdict(&self) -> String {
        text::verdict(&self.check)
    }

    /// The lab at `at`, running this deploy (or the fixed one).
    fn lab(&self, file: &str, at: Ms, fixed: bool) -> String {
        let what = self.check.target.object();
        LabLink {
            scenario: format!("check:{what}{}", if fixed { " (fixed)" } else { "" }),
            time: Some(at),
            file: Some(file.to_string()),
            ..LabLink::default()
        }
        .query()
    }
}

#[derive(Properties, PartialEq)]
pub struct ReportProps {
    pub checked: Rc<Checked>,
    /// The Check page's share link query for this check.
    pub link: String,
    pub embedded: bool,
    /// Puts the fixed manifests in the form and checks again.
    pub on_apply: Callback<String>,
}

#[function_component]
pub fn Report(props: &ReportProps) -> Html {
    let checked = &props.checked;
    let c = &checked.check;
    let copied = use_state(|| None::<(&'static str, bool)>);
    let copy = |what: &'static str, text: String| {
        let copied = copied.clone();
        Callback::from(move |_: MouseEvent| {
            let copied = copied.clone();
            crate::browser::copy(&text, move |ok| copied.set(Some((what, ok))));
        })
    };
    let on_seek = {
        let (checked, file) = (checked.clone(), checked.check.lab_file.clone());
        Callback::from(move |at: Ms| {
            crate::browser::navigate(&Route::SharedLab(checked.lab(&file, at, false)))
        })
    };
    // A new report takes the focus (and so the view) from the button that asked for it.
    let verdict = use_node_ref();
    {
        let verdict = verdict.clone();
        use_effect_with(checked.run, move |_| crate::browser::focus(&verdict));
    }
    let good = c.passed();
    html! {
        <section class="check-report" aria-labelledby="check-verdict">
            <h2 id="check-verdict" ref={verdict} class={classes!("verdict", if good { "good" } else { "bad" })} tabindex="-1">{text::verdict(c)}</h2>
            <p>{format!("Checked {}: {} → {}, at {} requests per second. ", c.target.object(), c.target.from, c.target.to, rollout_sim::decimal::short(checked.world.requests_per_second, 1))}{text::ending(&c.outcome.end)}</p>
            <dl class="check-figures">
                { for text::figures(c).into_iter().map(|(k, v)| html! { <div><dt>{k}</dt><dd>{v}</dd></div> }) }
            </dl>
            <p><a href={Route::SharedLab(checked.lab(&checked.check.lab_file, rollout_sim::check::deploy::DEPLOY_AT, false)).link()}>{"Open this deploy in the lab"}</a>{" to watch it request by request."}</p>
            { table(&text::groups_table(c)) }
            { findings(checked) }
            { suggestion(checked, &props.on_apply, &copy) }
            if let Some((what, ok)) = *copied {
                <p role="status">{ if ok { format!("{what} copied to the clipboard.") } else { format!("The browser did not allow copying: select the {what} and copy it.") } }</p>
            }
            <Charts snapshot={checked.snapshot.clone()} embedded={None::<Rc<Vec<String>>>} on_seek={on_seek} />
            { steps(c) }
            { assumptions(checked) }
            { rules(c) }
            { share(checked, &props.link, props.embedded, &copy) }
        </section>
    }
}

/// One of the report's tables, as the core lays it out.
fn table(t: &text::Table) -> Html {
    if t.rows.is_empty() {
        return html! {};
    }
    html! {
        <>
            <h3>{t.title}</h3>
            <div class="table-scroll" tabindex="0" role="region" aria-label={t.title}>
                <table>
                    <thead><tr>{ for t.head.iter().map(|h| html! { <th scope="col">{*h}</th> }) }</tr></thead>
                    <tbody>
                        { for t.rows.iter().map(|[first, rest @ ..]| html! {
                            <tr><th scope="row">{first}</th>{ for rest.iter().map(|c| html! { <td>{c}</td> }) }</tr>
                        }) }
                    </tbody>
                </table>
            </div>
        </>
    }
}

/// A titled list of sentences.
fn list(title: &str, items: impl Iterator<Item = String>) -> Html {
    html! {
        <>
            <h3>{title.to_string()}</h3>
            <ul>{ for items.map(|i| html! { <li>{i}</li> }) }</ul>
        </>
    }
}

fn findings(checked: &Checked) -> Html {
    let c = &checked.check;
    if c.findings.is_empty() {
        return html! {};
    }
    html! {
        <>
            <h3>{"Findings"}</h3>
            <ul class="check-findings">
                { for c.findings.iter().map(|f| {
                    let lesson = LESSONS.iter().find(|l| l.0 == f.lesson);
                    html! {
                        <li class={classes!(f.app.then_some("app"))}>
                            <p>{&f.text}</p>
                            <p class="finding-links">
                                <a href={Route::SharedLab(checked.lab(&checked.check.lab_file, f.at, false)).link()}>{format!("See it in the lab at {}", fmt_secs(f.at))}</a>
                                if let Some((id, title)) = lesson {
                                    {" · "}<a href={Route::Lesson(id.to_string()).link()}>{format!("Lesson: {title}")}</a>
                                }
                                if !f.rules.is_empty() {
                                    {format!(" · Rules {}", f.rules.join(", "))}
                                }
                            </p>
                        </li>
                    }
                }) }
            </ul>
        </>
    }
}

fn suggestion(
    checked: &Checked,
    on_apply: &Callback<String>,
    copy: &dyn Fn(&'static str, String) -> Callback<MouseEvent>,
) -> Html {
    match &checked.check.suggestion {
        Suggestion::NoneNeeded => html! {},
        Suggestion::App(advice) => list(
            "No setting fixes it: with every one at its safest, the deploy still goes wrong",
            advice.iter().cloned(),
        ),
        Suggestion::Fix(fix) => fix_view(checked, fix, on_apply, copy),
    }
}

fn fix_view(
    checked: &Checked,
    fix: &Fix,
    on_apply: &Callback<String>,
    copy: &dyn Fn(&'static str, String) -> Callback<MouseEvent>,
) -> Html {
    let n = fix.edits.len();
    let f = &fix.outcome.figures;
    let apply = {
        let (on_apply, paste) = (on_apply.clone(), fix.paste.clone());
        Callback::from(move |_: MouseEvent| on_apply.emit(paste.clone()))
    };
    let finish = match &fix.outcome.end {
        End::Completed { at, .. } => format!(
            "complete {} after the change",
            rollout_sim::check::findings::secs(at - rollout_sim::check::deploy::DEPLOY_AT)
        ),
        End::Stalled { why, .. } => format!("stalls: {why}"),
    };
    html! {
        <section class="check-fix" aria-labelledby="check-fix-title">
            <h3 id="check-fix-title">{format!("The smallest fix: {n} edit{}", if n == 1 { "" } else { "s" })}</h3>
            <ul>{ for fix.edits.iter().map(|e| html! { <li>{e.describe()}</li> }) }</ul>
            <p>{format!("With it the simulated deploy fails {} requests, runs {} extra pod{} at the peak (you allowed {}), and is {finish}.",
                rollout_sim::summary::thousands(f.failed), f.peak_extra_pods.max(0), if f.peak_extra_pods == 1 { "" } else { "s" }, checked.check.budget)}</p>
            <p class="check-fix-actions">
                <button type="button" class="primary" onclick={apply}>{"Apply the fix to the paste and check again"}</button>
                <button type="button" onclick={copy("kubectl patch command", fix.command.clone())}>{"Copy the kubectl patch"}</button>
                <button type="button" onclick={copy("fixed manifests", fix.paste.clone())}>{"Copy the fixed manifests"}</button>
                <a href={Route::SharedLab(checked.lab(&fix.lab_file, rollout_sim::check::deploy::DEPLOY_AT, true)).link()}>{"Open the fixed deploy in the lab"}</a>
            </p>
            <pre class="check-command" aria-label="kubectl patch command"><code>{&fix.command}</code></pre>
            <pre class="diff" aria-label={format!("The change to {}", checked.check.target.object())}><code>
                { for fix.diff.lines().map(|l| {
                    let class = match l.chars().next() {
                        Some('+') if !l.starts_with("+++") => "add",
                        Some('-') if !l.starts_with("---") => "del",
                        Some('@') => "hunk",
                        _ => "",
                    };
                    html! { <span class={class}>{l}{"\n"}</span> }
                }) }
            </code></pre>
        </section>
    }
}

fn steps(c: &Check) -> Html {
    html! {
        <details class="check-steps">
            <summary><h3>{"The deploy, step by step"}</h3></summary>
            <ol>
                { for c.outcome.steps.iter().map(|(at, t)| html! { <li><span class="at">{fmt_secs(*at)}</span>{" "}{t}</li> }) }
            </ol>
        </details>
    }
}

fn assumptions(checked: &Checked) -> Html {
    let notes = &checked.check.warnings;
    html! {
        <>
            { table(&text::assumptions_table(&checked.world)) }
            if !notes.is_empty() { { list("Notes", notes.iter().cloned()) } }
            { list("What the simulation does not model", NOT_MODELLED.iter().map(|n| n.to_string())) }
        </>
    }
}

/// The rules the findings apply, each as the rule book words it (docs/semantics.md).
fn rules(c: &Check) -> Html {
    let mut ids: Vec<&str> = c
        .findings
        .iter()
        .flat_map(|f| f.rules.iter().copied())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return html! {};
    }
    html! {
        <>
            <h3>{"The rules it applies"}</h3>
            <p class="hint">{"From the simulator's rule book (docs/semantics.md), each read from the Kubernetes or Argo Rollouts source it names."}</p>
            { for ids.into_iter().filter_map(|id| RULES.iter().find(|r| r.0 == id)).map(|(id, title, body)| html! {
                <details class="check-rule">
                    <summary>{format!("{id} {title}")}</summary>
                    <div class="prose">{crate::markdown::render(body)}</div>
                </details>
            }) }
        </>
    }
}

fn share(
    checked: &Checked,
    link: &str,
    embedded: bool,
    copy: &dyn Fn(&'static str, String) -> Callback<MouseEvent>,
) -> Html {
    let href = format!(
        "{}{}",
        crate::browser::page_base(),
        Route::Check(Some(link.to_string())).href()
    );
    let title = format!("Check of {}", checked.check.target.object());
    html! {
        <div class="check-share">
            <button type="button" onclick={copy("link to this check", href)}>{"Copy a link to this check"}</button>
            <span class="hint">{"The link holds the manifests and the assumptions: whoever opens it sees this same check, computed in their browser."}</span>
            if !embedded {
                <Embed pages={vec![("Paste this into your page", Route::Check(Some(link.to_string())))]} title={title} />
            }
        </div>
    }
}

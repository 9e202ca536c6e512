//! The Check page (`#/check`): paste or drop real manifests, say what no manifest can (the
//! traffic, how the app starts and stops, the network's lag), and read what the next deploy does
//! to requests, why, and the smallest fix. The check runs here, in the page; nothing is sent.
mod report;

use crate::share::CheckLink;
use report::{Checked, Report};
use rollout_sim::check::{self, world::FIELDS, Input};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CheckPageProps {
    /// A share link's query (`share::CheckLink`): the check it reopens.
    #[prop_or_default]
    pub link: Option<AttrValue>,
    #[prop_or_default]
    pub embedded: bool,
}

/// What the form holds, as typed.
#[derive(Clone, Debug, Default, PartialEq)]
struct Form {
    manifests: String,
    /// `World::set` names and values, empty where the default stands.
    fields: Vec<(String, String)>,
    image: String,
}

impl Form {
    fn field(&self, name: &str) -> String {
        let value = self.fields.iter().find(|(n, _)| n == name);
        value.map(|(_, v)| v.clone()).unwrap_or_default()
    }

    fn set(&mut self, name: &str, value: String) {
        self.fields.retain(|(n, _)| n != name);
        if !value.trim().is_empty() {
            self.fields.push((name.to_string(), value));
        }
    }

    fn input(&self) -> Result<Input, String> {
        let mut input = Input {
            manifests: self.manifests.clone(),
            ..Input::default()
        };
        for (name, value) in &self.fields {
            input.world.set(name, value)?;
        }
        let image = self.image.trim();
        if let Some((c, i)) = image.split_once('=') {
            input.container = Some(c.trim().to_string());
            input.image = Some(i.trim().to_string());
        } else if !image.is_empty() {
            input.image = Some(image.to_string());
        }
        Ok(input)
    }

    fn link(&self) -> CheckLink {
        CheckLink {
            manifests: self.manifests.clone(),
            settings: self.fields.clone(),
            image: (!self.image.trim().is_empty()).then(|| self.image.clone()),
        }
    }

    fn from_link(link: CheckLink) -> Form {
        Form {
            manifests: link.manifests,
            fields: link.settings,
            image: link.image.unwrap_or_default(),
        }
    }
}

/// Sets the form to itself with `change` made.
fn edit(form: &UseStateHandle<Form>, change: impl FnOnce(&mut Form)) {
    let mut f = (**form).clone();
    change(&mut f);
    form.set(f);
}

/// Where a check stands.
#[derive(Clone, PartialEq)]
enum Run {
    Idle,
    Running,
    Done(Rc<Checked>),
    /// Refused: the message, and the line of the paste it names (0: none).
    Refused(String, u64),
}

#[function_component]
pub fn CheckPage(props: &CheckPageProps) -> Html {
    let opened = props.link.as_ref().map(|q| CheckLink::read(q));
    let form = {
        let opened = opened.clone();
        use_state(move || match opened {
            Some(Ok(link)) => Form::from_link(link),
            _ => Form::default(),
        })
    };
    let run = use_state(|| Run::Idle);
    let runs = use_mut_ref(|| 0u32);
    let paste = use_node_ref();
    let start = {
        let (form, run, runs, paste) = (form.clone(), run.clone(), runs.clone(), paste.clone());
        Callback::from(move |f: Form| {
            let input = match f.input() {
                Ok(i) => i,
                Err(why) => return run.set(Run::Refused(why, 0)),
            };
            form.set(f);
            run.set(Run::Running);
            let (run, runs, paste) = (run.clone(), runs.clone(), paste.clone());
            // A turn of the event loop first, so "Checking…" is painted before the work.
            gloo_timers::callback::Timeout::new(0, move || {
                *runs.borrow_mut() += 1;
                match check::check(&input) {
                    Ok(c) => run.set(Run::Done(Rc::new(Checked::new(
                        c,
                        input.world,
                        *runs.borrow(),
                    )))),
                    Err(e) => {
                        crate::browser::select_line(&paste, e.line);
                        run.set(Run::Refused(e.to_string(), e.line));
                    }
                }
            })
            .forget();
        })
    };
    {
        // A shared check runs as it opens.
        let (start, form) = (start.clone(), (*form).clone());
        let has_link = matches!(opened, Some(Ok(_)));
        use_effect_with((), move |_| {
            if has_link {
                start.emit(form)
            }
        });
    }
    let on_submit = {
        let (start, form) = (start.clone(), form.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            start.emit((*form).clone())
        })
    };
    let on_apply = {
        let (start, form) = (start.clone(), form.clone());
        Callback::from(move |fixed: String| {
            let mut f = (*form).clone();
            f.manifests = fixed;
            start.emit(f)
        })
    };
    let link_error = match &opened {
        Some(Err(why)) => Some(format!(
            "This link cannot be opened: {why}. The form is empty."
        )),
        _ => None,
    };
    let busy = matches!(*run, Run::Running);
    html! {
        <div class="check-page">
            <h1>{"Check my rollout"}</h1>
            <p class="lead">{"Paste your manifests and see what the next deploy does to your users: which requests fail and why, and the smallest change that fails none. The simulation runs in this page; nothing you paste leaves it."}</p>
            if let Some(why) = link_error {
                <p class="notice" role="alert">{why}</p>
            }
            <form class="check-form" onsubmit={on_submit} aria-busy={busy.to_string()}>
                { paste_field(&form, &paste, &run) }
                { world_fields(&form) }
                <p class="check-go">
                    <button type="submit" class="primary" disabled={busy}>
                        { if busy { "Checking…" } else { "Check the deploy" } }
                    </button>
                    <span class="hint">{"Deploys the next image tag unless you name one."}</span>
                </p>
            </form>
            <div role="status" class="visually-hidden">
                { match &*run { Run::Running => "Checking the deploy…".to_string(), Run::Done(c) => c.verdict(), _ => String::new() } }
            </div>
            if let Run::Done(checked) = &*run {
                <Report checked={checked.clone()} link={form.link().query()} embedded={props.embedded} on_apply={on_apply} />
            }
        </div>
    }
}

fn paste_field(form: &UseStateHandle<Form>, paste: &NodeRef, run: &Run) -> Html {
    let on_input = {
        let form = form.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(text) = crate::browser::event_value(&e) {
                edit(&form, |f| f.manifests = text);
            }
        })
    };
    let on_file = {
        let form = form.clone();
        move |_: String, text: Result<String, String>| {
            if let Ok(text) = text {
                edit(&form, |f| f.manifests = text);
            }
        }
    };
    let on_pick = {
        let on_file = on_file.clone();
        Callback::from(move |e: Event| crate::browser::read_chosen_file(&e, on_file.clone()))
    };
    let on_drop =
        Callback::from(move |e: DragEvent| crate::browser::read_dropped_file(&e, on_file.clone()));
    let refused = match run {
        Run::Refused(why, _) => Some(why.clone()),
        _ => None,
    };
    html! {
        <div class="check-paste">
            <label for="check-manifests">{"Manifests"}</label>
            <span class="hint" id="check-manifests-hint">{"YAML or JSON, several documents: kubectl get -o yaml output, Helm's rendered templates, a Rollout with its Services and AnalysisTemplates. Or drop a file here."}</span>
            <textarea id="check-manifests" ref={paste.clone()} rows="16" spellcheck="false"
                aria-describedby={if refused.is_some() { "check-manifests-hint check-refused" } else { "check-manifests-hint" }}
                aria-invalid={refused.is_some().then_some("true")}
                value={form.manifests.clone()} oninput={on_input}
                ondragover={Callback::from(|e: DragEvent| e.prevent_default())} ondrop={on_drop} />
            if let Some(why) = refused {
                <p id="check-refused" class="notice" role="alert">{format!("This cannot be checked: {why}")}</p>
            }
            <label class="open-file" for="check-open">{"Open a file"}</label>
            <input id="check-open" type="file" accept=".yaml,.yml,.json,text/yaml,application/json" onchange={on_pick} />
        </div>
    }
}

/// The form's choices for the fields that take one of a few words.
fn choices(name: &str) -> Option<&'static [&'static str]> {
    Some(match name {
        "sigterm" => &["exit", "drain", "ignore"],
        "connections" => &["per-request", "keep-alive", "http2"],
        "via" => &["service", "ingress"],
        _ => return None,
    })
}

fn world_fields(form: &UseStateHandle<Form>) -> Html {
    // Every keystroke is kept, so a check started without leaving the field (Enter) has it.
    let setter = |name: &'static str| {
        let form = form.clone();
        Callback::from(move |e: Event| {
            if let Some(v) = crate::browser::event_value(&e) {
                edit(&form, |f| f.set(name, v));
            }
        })
    };
    let typed = |name: &'static str| setter(name).reform(|e: InputEvent| e.into());
    let on_image = {
        let form = form.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(v) = crate::browser::event_value(&e) {
                edit(&form, |f| f.image = v);
            }
        })
    };
    html! {
        <fieldset class="check-world">
            <legend>{"What the manifests cannot say"}</legend>
            <p class="hint">{"Each has a default, used when the field is left as it is; the report lists what it assumed."}</p>
            <div class="check-fields">
                { for FIELDS.iter().map(|f| {
                    let id = format!("check-{}", f.name);
                    let why_id = format!("{id}-why");
                    let value = form.field(f.name);
                    let control = match choices(f.name) {
                        Some(options) => html! {
                            <select id={id.clone()} aria-describedby={why_id.clone()} onchange={setter(f.name)}>
                                { for options.iter().map(|o| {
                                    let selected = if value.is_empty() { *o == f.default } else { *o == value };
                                    html! { <option value={*o} {selected}>{*o}</option> }
                                }) }
                            </select>
                        },
                        None => html! {
                            <input id={id.clone()} type="text" inputmode={if f.name == "rps" || f.name == "extra-pods" { "decimal" } else { "text" }}
                                placeholder={if f.default.is_empty() { "as the manifests allow" } else { f.default }}
                                aria-describedby={why_id.clone()} value={value} oninput={typed(f.name)} />
                        },
                    };
                    html! {
                        <div class="check-field">
                            <label for={id}>{f.label}</label>
                            {control}
                            <small id={why_id}>{f.why}</small>
                        </div>
                    }
                }) }
                <div class="check-field">
                    <label for="check-image">{"Deploy the image"}</label>
                    <input id="check-image" type="text" placeholder="the next tag of the running image"
                        aria-describedby="check-image-why" value={form.image.clone()} oninput={on_image} />
                    <small id="check-image-why">{"IMAGE, or CONTAINER=IMAGE for another container than the first; the change to simulate, as kubectl set image makes it"}</small>
                </div>
            </div>
        </fieldset>
    }
}

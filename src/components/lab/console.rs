//! A kubectl console at the moment the lab shows: `get`, `describe` and `rollout status|history`
//! answer at once; commands that change the cluster join the timeline at that moment and the run
//! is simulated again. ↑ and ↓ recall earlier commands; suggestions come from a datalist.
use rollout_sim::time::{fmt_secs, Ms};
use yew::prelude::*;

/// One line typed into the console and what came back.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub at: Ms,
    pub line: String,
    pub output: Result<String, String>,
}

#[derive(Properties, PartialEq)]
pub struct ConsoleProps {
    pub entries: Vec<Entry>,
    pub suggestions: Vec<String>,
    pub on_run: Callback<String>,
}

#[function_component]
pub fn Console(props: &ConsoleProps) -> Html {
    let input = use_node_ref();
    // How far back in the history ↑ has gone (0 = the line being typed).
    let back = use_state(|| 0usize);
    let history: Vec<String> = props.entries.iter().map(|e| e.line.clone()).collect();
    let onsubmit = {
        let (input, on_run, back) = (input.clone(), props.on_run.clone(), back.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(line) = crate::browser::node_value(&input).filter(|l| !l.trim().is_empty())
            {
                on_run.emit(line.trim().to_string());
                crate::browser::set_node_value(&input, "");
                back.set(0);
            }
        })
    };
    let onkeydown = {
        let (input, back) = (input.clone(), back.clone());
        Callback::from(move |e: KeyboardEvent| {
            let step = match e.key().as_str() {
                "ArrowUp" => (*back + 1).min(history.len()),
                "ArrowDown" => back.saturating_sub(1),
                _ => return,
            };
            e.prevent_default();
            let line = if step == 0 {
                ""
            } else {
                history[history.len() - step].as_str()
            };
            crate::browser::set_node_value(&input, line);
            back.set(step);
        })
    };
    html! {
        <section class="console" aria-labelledby="console-title">
            <h2 id="console-title">{"kubectl console"}</h2>
            <div class="console-log" role="log" aria-live="polite" aria-label="Console output" tabindex="0">
                { for props.entries.iter().map(|e| html! {
                    <div class="console-entry">
                        <code class="prompt">{format!("[{}] $ {}", fmt_secs(e.at), e.line)}</code>
                        { match &e.output {
                            Ok(out) => html! { <pre>{out}</pre> },
                            Err(err) => html! { <pre class="error">{format!("error: {err}")}</pre> },
                        } }
                    </div>
                }) }
            </div>
            <form class="console-form" {onsubmit}>
                <label for="console-input">{"kubectl"}</label>
                <input id="console-input" ref={input} type="text" list="console-suggestions" autocomplete="off" spellcheck="false"
                    placeholder="kubectl rollout undo deployment/myapp" {onkeydown} />
                <datalist id="console-suggestions">
                    { for props.suggestions.iter().map(|s| html! { <option value={s.clone()} /> }) }
                </datalist>
                <button type="submit" class="primary">{"Run"}</button>
            </form>
        </section>
    }
}

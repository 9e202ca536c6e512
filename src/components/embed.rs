//! "Embed": the snippets a course author pastes into their page to show this lab, lesson or quiz
//! in an iframe. Given the course site's origin, the snippet allows that site (and only it) to
//! send commands, and results are posted to it alone; a line of script resizes the frame to the
//! height the page reports.
use crate::route::Route;
use crate::share::encode;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct EmbedProps {
    /// The pages an author may embed from here, each with its label (a lesson, its quiz alone).
    pub pages: Vec<(&'static str, Route)>,
    pub title: AttrValue,
}

/// A disclosure (`<details>`: the browser keeps it open or closed) with the snippets, and the
/// course site's origin as typed so far.
#[function_component]
pub fn Embed(props: &EmbedProps) -> Html {
    let origin = use_state(String::new);
    let on_origin = {
        let origin = origin.clone();
        Callback::from(move |e: InputEvent| {
            origin.set(crate::browser::input_value(&e).unwrap_or_default())
        })
    };
    if crate::browser::prerendering() {
        // The snippets name the page's own address, known only in the browser.
        return html! {};
    }
    let checked = checked_origin(&origin);
    let base = crate::browser::page_base();
    html! {
        <details class="embed">
            <summary>{"Embed"}</summary>
            <section class="embed-panel" aria-labelledby="embed-title">
                <h2 id="embed-title">{"Embed in a course page"}</h2>
                <label for="embed-origin">{"Your course site's origin (optional)"}</label>
                <input id="embed-origin" type="url" placeholder="https://courses.example.edu" value={(*origin).clone()} oninput={on_origin}
                    aria-describedby="embed-origin-help" />
                <p id="embed-origin-help" class="hint">
                    if checked.is_none() && !origin.is_empty() {
                        {"An origin is a scheme and a host, such as https://courses.example.edu: no path. "}
                    }
                    {"With it, results are posted to that site only, and only it may send commands (load a scenario, reset)."}
                </p>
                { for props.pages.iter().enumerate().map(|(i, (label, page))| {
                    let id = format!("embed-snippet-{i}");
                    let text = snippet(&base, page, &props.title, checked.as_deref().unwrap_or(""));
                    html! {
                        <>
                            <label for={id.clone()}>{*label}</label>
                            <textarea id={id} readonly=true rows="7" value={text} />
                        </>
                    }
                }) }
            </section>
        </details>
    }
}

/// `https://host[:port]` as typed (a trailing slash dropped), or `None`.
fn checked_origin(typed: &str) -> Option<String> {
    let o = typed.trim().trim_end_matches('/');
    let rest = o
        .strip_prefix("https://")
        .or_else(|| o.strip_prefix("http://"))?;
    let plain = !rest.is_empty() && !rest.contains(['/', '?', '#', '@', ' ', '"', '<']);
    plain.then(|| o.to_string())
}

/// The iframe, and the script that gives it the height the page asks for.
pub fn snippet(base: &str, page: &Route, title: &str, origin: &str) -> String {
    let mut src = format!("{base}{}", Route::Embed(Box::new(page.clone())).href());
    if !origin.is_empty() {
        src += if src.contains('?') { "&" } else { "?" };
        src += &format!("allow={}", encode(origin));
    }
    let site = base
        .split_once("://")
        .and_then(|(scheme, rest)| Some(format!("{scheme}://{}", rest.split('/').next()?)))
        .unwrap_or_default();
    let title = title.replace('"', "&quot;");
    format!(
        r#"<iframe id="rollout-lab" src="{src}" title="Rollout Lab: {title}" width="100%" height="720" style="border:0" allow="clipboard-write" loading="lazy"></iframe>
<script>
addEventListener("message", (e) => {{
  if (e.origin === "{site}" && e.data && e.data.type === "rollout-lab:height")
    document.getElementById("rollout-lab").style.height = e.data.height + "px";
}});
</script>"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_snippet_embeds_the_page_and_allows_only_the_given_origin() {
        let lab = Route::Lab {
            scenario: Some("recreate".into()),
        };
        let s = snippet(
            "https://lab.example.org/course/",
            &lab,
            "Recreate \"now\"",
            "https://lms.example.edu",
        );
        assert!(s.contains(r#"src="https://lab.example.org/course/#/embed/lab?scenario=recreate&allow=https%3A%2F%2Flms.example.edu""#), "{s}");
        assert!(s.contains("title=\"Rollout Lab: Recreate &quot;now&quot;\""));
        assert!(s.contains(r#"e.origin === "https://lab.example.org""#));
        let quiz = snippet(
            "http://127.0.0.1:8080/",
            &Route::Quiz("canary".into()),
            "Canary",
            "",
        );
        assert!(
            quiz.contains(r#"src="http://127.0.0.1:8080/#/embed/quiz/canary""#),
            "{quiz}"
        );
    }

    #[test]
    fn only_plain_origins_are_taken() {
        assert_eq!(
            checked_origin(" https://lms.example.edu/ ").as_deref(),
            Some("https://lms.example.edu")
        );
        assert_eq!(
            checked_origin("http://127.0.0.1:9000").as_deref(),
            Some("http://127.0.0.1:9000")
        );
        for bad in [
            "",
            "lms.example.edu",
            "https://",
            "https://x.org/course",
            "javascript:alert(1)",
            "https://a\"b",
        ] {
            assert_eq!(checked_origin(bad), None, "{bad}");
        }
    }
}

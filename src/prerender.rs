//! The course's first screens as static HTML, written into the built index.html (`scripts/build`
//! runs `prerender`), so the catalogue and every lesson's text are readable while the wasm is
//! still on its way: the app renders each route natively with yew's server renderer, the same
//! components the browser runs. Each page goes in a `<div id="/lesson/…">`, so the address's own
//! fragment selects it by CSS `:target` (no script, also from `file://` and in a frame); the
//! catalogue shows at the site's root. The app removes them all when it starts (`main.rs`).
use crate::route::Route;
use crate::{App, AppProps};

/// The element holding the prerendered pages; the app removes it as it mounts.
pub const CONTAINER_ID: &str = "prerendered";

/// Routes prerendered: the catalogue, then every lesson.
pub fn routes() -> Vec<Route> {
    std::iter::once(Route::Catalogue)
        .chain(
            crate::course::catalogue()
                .iter()
                .map(|l| Route::Lesson(l.id.clone())),
        )
        .collect()
}

/// The page at `route` as the app renders it, before any effect or stored progress.
pub async fn render(route: Route) -> String {
    crate::browser::set_prerendering(true);
    let html = yew::LocalServerRenderer::<App>::with_props(AppProps { initial: route })
        .hydratable(false)
        .render()
        .await;
    crate::browser::set_prerendering(false);
    html
}

/// Runs before the pages are read: marks an address that names a page of the app (`#/lab`,
/// `#/lesson/…`), so the catalogue shows only at the root (app.css has the rules).
const DEEP_LINK: &str = r#"<script>(function(){var r=document.documentElement;function p(){r.classList.toggle("deep-link",/^#\/./.test(location.hash))}p();addEventListener("hashchange",p)})();</script>"#;

/// Every route's page, each in its `:target`-able element, in one container.
pub async fn container() -> String {
    let mut out = format!("{DEEP_LINK}<div id=\"{CONTAINER_ID}\">");
    for (n, route) in routes().into_iter().enumerate() {
        let target = route.href().trim_start_matches('#').to_string();
        let html = disable_controls(&scope_ids(&render(route).await, &format!("p{n}-")));
        out.push_str(&format!("<div id=\"{target}\">{html}</div>"));
    }
    out.push_str("</div>");
    out.push_str(UNSHOWN);
    out
}

/// Runs right after the pages: when the address names none of them (the lab, a quiz, an embedded
/// page), they go at once, so nothing hidden lingers in the page until the app starts.
const UNSHOWN: &str = r#"<script>(function(){var p=document.getElementById("prerendered"),f;try{f=decodeURIComponent(location.hash.slice(1))}catch(e){f="?"}var t=f&&document.getElementById(f);if(f&&!(t&&p.contains(t)))p.remove()})();</script>"#;

/// Controls do nothing until the app runs, so they are written disabled (links work: they
/// change the address, and CSS shows the page it names).
pub fn disable_controls(html: &str) -> String {
    let mut out = html.to_string();
    for tag in ["button", "input", "select", "textarea"] {
        for end in [' ', '>'] {
            out = out.replace(&format!("<{tag}{end}"), &format!("<{tag} disabled{end}"));
        }
    }
    out
}

/// Attributes that hold an element id, or a space-separated list of them.
const ID_ATTRIBUTES: [&str; 9] = [
    "id",
    "for",
    "aria-labelledby",
    "aria-describedby",
    "aria-controls",
    "aria-owns",
    "aria-details",
    "aria-errormessage",
    "list",
];

/// Gives every id in `html` the prefix, and every reference to one (labels, ARIA, in-page
/// links), so the pages side by side in one document keep their ids unique.
pub fn scope_ids(html: &str, prefix: &str) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 16);
    let mut rest = html;
    while let Some((at, name, quote)) = next_attribute(rest) {
        let value_start = at + name.len() + 2;
        let Some(len) = rest[value_start..].find(quote) else {
            break;
        };
        let value = &rest[value_start..value_start + len];
        out.push_str(&rest[..value_start]);
        // Text that reads like an attribute (an HTML snippet in a code block) is not one.
        let before = &out[..out.len() - name.len() - 2];
        if before.rfind('<') <= before.rfind('>') {
            out.push_str(value);
            rest = &rest[value_start + len..];
            continue;
        }
        match name {
            // A link within the page; `#/…` is one of the app's routes and stays.
            "href" => match value.strip_prefix('#') {
                Some(id) if !id.is_empty() && !id.starts_with('/') => {
                    out.push('#');
                    out.push_str(prefix);
                    out.push_str(id);
                }
                _ => out.push_str(value),
            },
            _ => {
                let ids: Vec<String> = value
                    .split_whitespace()
                    .map(|id| format!("{prefix}{id}"))
                    .collect();
                out.push_str(&ids.join(" "));
            }
        }
        rest = &rest[value_start + len..];
    }
    out.push_str(rest);
    out
}

/// The next id-holding attribute in `html`: where it starts, its name, and its quote.
fn next_attribute(html: &str) -> Option<(usize, &'static str, char)> {
    let names = ID_ATTRIBUTES.iter().copied().chain(["href"]);
    let mut best: Option<(usize, &'static str, char)> = None;
    for name in names {
        for quote in ['"', '\''] {
            let needle = format!(" {name}={quote}");
            if let Some(i) = html.find(&needle) {
                if best.is_none_or(|(b, _, _)| i + 1 < b) {
                    best = Some((i + 1, name, quote));
                }
            }
        }
    }
    best
}

/// `page` (the built index.html) with the prerendered pages at the top of its body.
pub fn insert(page: &str, container: &str) -> Result<String, String> {
    if page.contains(&format!("id=\"{CONTAINER_ID}\"")) {
        return Err("the page is already prerendered".into());
    }
    let Some(at) = page.find("<body>") else {
        return Err("the page has no <body>".into());
    };
    let at = at + "<body>".len();
    Ok(format!("{}\n{container}{}", &page[..at], &page[at..]))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_their_references_are_scoped_and_routes_are_not() {
        let html = r##"<h2 id="t" class="x">A</h2><section aria-labelledby="t u"><label for="f">F</label><input id='f'><a href="#main">skip</a><a href="#/lesson/x">next</a><a href="#">top</a></section>"##;
        assert_eq!(
            scope_ids(html, "p1-"),
            r##"<h2 id="p1-t" class="x">A</h2><section aria-labelledby="p1-t p1-u"><label for="p1-f">F</label><input id='p1-f'><a href="#p1-main">skip</a><a href="#/lesson/x">next</a><a href="#">top</a></section>"##
        );
        // In text (a snippet in a code block) it is not an attribute.
        assert_eq!(
            scope_ids(r#"<pre><code>&lt;a id="x"&gt;</code></pre>"#, "p1-"),
            r#"<pre><code>&lt;a id="x"&gt;</code></pre>"#
        );
        // Attribute names are whole words: data-id and grid are not ids.
        assert_eq!(
            scope_ids(r#"<p data-id="a" grid="b">"#, "p1-"),
            r#"<p data-id="a" grid="b">"#
        );
    }

    #[test]
    fn controls_wait_for_the_app() {
        assert_eq!(
            disable_controls(
                r#"<button type="button">Next</button><input id="a"><select><option>1</option></select><textarea></textarea><buttons>"#
            ),
            r#"<button disabled type="button">Next</button><input disabled id="a"><select disabled><option>1</option></select><textarea disabled></textarea><buttons>"#
        );
    }

    #[test]
    fn inserted_once_at_the_top_of_the_body() {
        let page = "<html><head></head><body>\n<noscript>x</noscript></body></html>";
        let done = insert(page, "<div id=\"prerendered\"></div>").unwrap();
        assert_eq!(
            done,
            "<html><head></head><body>\n<div id=\"prerendered\"></div>\n<noscript>x</noscript></body></html>"
        );
        assert!(insert(&done, "<div id=\"prerendered\"></div>").is_err());
        assert!(insert("<html></html>", "").is_err());
    }
}

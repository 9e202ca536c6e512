//! The course's first screens as static HTML, written into the built index.html (`scripts/build`
//! runs `prerender`), so the catalogue and every lesson's text are readable while the wasm is
//! still on its way: the app renders each route natively with yew's server renderer, the same
//! components the browser runs. Each page goes in a `<div id="/lesson/…">`, so the address's own
//! fragment selects it by CSS `:target` (no script, also from `file://` and in a frame); the
//! catalogue shows at the site's root. The app removes them all when it starts (`main.rs`).
use crate::route::Route;
use crate::{App, AppProps};

use crate::PRERENDERED_ID;

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
    let mut out = format!("{BEGIN}{DEEP_LINK}<div id=\"{PRERENDERED_ID}\">");
    for (n, route) in routes().into_iter().enumerate() {
        let target = route.href().trim_start_matches('#').to_string();
        let html = disable_controls(&scope_ids(&render(route).await, &format!("p{n}-")));
        out.push_str(&format!("<div id=\"{target}\">{html}</div>"));
    }
    out.push_str("</div>");
    out.push_str(UNSHOWN);
    out.push_str(END);
    out
}

/// Around the prerendered part of index.html, for `scripts/size`, which counts it as course text.
const BEGIN: &str = "<!-- prerendered pages (src/prerender.rs) -->";
const END: &str = "<!-- end of the prerendered pages -->";

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
/// links), so the pages side by side in one document keep their ids unique. One pass: text is
/// copied as it is (it has no raw `<`, so an HTML snippet in a code block is text), and in a tag
/// each quoted value is read whole and rewritten by the name before its `=`.
pub fn scope_ids(html: &str, prefix: &str) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 16);
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        rest = &rest[open..];
        loop {
            let Some(i) = rest.find(['"', '\'', '>']) else {
                out.push_str(rest);
                return out;
            };
            let (head, mark) = (&rest[..i], &rest[i..=i]);
            out.push_str(head);
            out.push_str(mark);
            if mark == ">" {
                rest = &rest[i + 1..];
                break;
            }
            let Some(len) = rest[i + 1..].find(mark) else {
                out.push_str(&rest[i + 1..]);
                return out;
            };
            let name = head
                .strip_suffix('=')
                .and_then(|h| h.rsplit(char::is_whitespace).next())
                .unwrap_or_default();
            out.push_str(&scoped(name, &rest[i + 1..i + 1 + len], prefix));
            out.push_str(mark);
            rest = &rest[i + 2 + len..];
        }
    }
    out.push_str(rest);
    out
}

/// The value of attribute `name` with its ids prefixed.
fn scoped(name: &str, value: &str, prefix: &str) -> String {
    match name {
        // A link within the page; `#/…` is one of the app's routes and stays.
        "href" => match value.strip_prefix('#') {
            Some(id) if !id.is_empty() && !id.starts_with('/') => format!("#{prefix}{id}"),
            _ => value.to_string(),
        },
        name if ID_ATTRIBUTES.contains(&name) => value
            .split_whitespace()
            .map(|id| format!("{prefix}{id}"))
            .collect::<Vec<_>>()
            .join(" "),
        _ => value.to_string(),
    }
}

/// `page` (the built index.html) with the prerendered pages at the top of its body.
pub fn insert(page: &str, container: &str) -> Result<String, String> {
    if page.contains(&format!("id=\"{PRERENDERED_ID}\"")) {
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

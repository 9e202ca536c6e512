//! The Check page's shell (check.html): the site's header and the Check page, on a bundle of its
//! own so a learner's first screen never waits for the engineers' tool. A route the course
//! serves, opened here, goes to index.html.
use crate::browser;
use crate::components::CheckPage;
use crate::route::{set_document, Document, Route};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CheckShellProps {
    pub initial: Route,
}

#[function_component]
pub fn CheckShell(props: &CheckShellProps) -> Html {
    let route = {
        let initial = props.initial.clone();
        use_state(move || initial)
    };
    {
        let route = route.clone();
        use_effect_with((), move |_| browser::follow_hash(move |r| route.set(r)));
    }
    use_effect_with((*route).clone(), |r| {
        if r.document() != Document::Check {
            browser::open_document(r)
        }
    });
    let (page, embedded) = route.page();
    let body = match page {
        Route::Check(link) => {
            let link = link.clone().map(AttrValue::from);
            html! { <CheckPage key={route.href()} {link} {embedded} /> }
        }
        _ => html! { <p>{"Opening the course…"}</p> },
    };
    crate::frame(&route, body)
}

/// Mounts the Check page on `<body>`, at the route in the URL.
pub fn start() {
    set_document(Document::Check);
    #[cfg(target_arch = "wasm32")]
    {
        let hash = web_sys::window()
            .and_then(|w| w.location().hash().ok())
            .unwrap_or_default();
        let initial = match Route::from_hash(&hash) {
            Route::Catalogue => Route::Check(None),
            r => r,
        };
        yew::Renderer::<CheckShell>::with_props(CheckShellProps { initial }).render();
    }
}

//! The app shell: one state, one `Action`, one reducer (Elm style). Components receive data by
//! props; browser calls live in effects so every component also renders natively in tests.
use crate::browser;
use crate::components::{
    not_found, site_header, Catalogue, Glossary, LabPage, LessonPage, NotFoundProps,
    SiteHeaderProps, Summary,
};
use crate::route::Route;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Clone, Debug, PartialEq)]
pub struct AppState {
    pub route: Route,
}

pub enum Action {
    Navigate(Route),
}

impl Reducible for AppState {
    type Action = Action;
    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        match action {
            Action::Navigate(route) if route != self.route => Rc::new(AppState { route }),
            Action::Navigate(_) => self,
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct AppProps {
    /// The route the page was opened at (read from `location.hash` by the entry point).
    #[prop_or(Route::Catalogue)]
    pub initial: Route,
}

#[function_component]
pub fn App(props: &AppProps) -> Html {
    let state = {
        let initial = props.initial.clone();
        use_reducer(move || AppState { route: initial })
    };
    {
        let dispatch = state.dispatcher();
        use_effect_with((), move |_| {
            browser::follow_hash(move |route| dispatch.dispatch(Action::Navigate(route)))
        });
    }
    // A host hears the learner's standing as the page opens (an LMS wants it at once); reading
    // every lesson's progress is skipped when no one could listen.
    use_effect_with((), |_| {
        if browser::hosted() {
            browser::report(&crate::course::report::on_open().to_json())
        }
    });
    {
        // Focus moves only after an in-app navigation, never on first load.
        let first_render = use_mut_ref(|| true);
        use_effect_with(state.route.clone(), move |_| {
            browser::announce_page(!first_render.replace(false));
        });
    }

    {
        // A route another page serves (the Check page) is opened there.
        use_effect_with(state.route.clone(), |route| {
            if route.document() != crate::route::document() && browser::has_check_page() {
                browser::open_document(route)
            }
        });
    }
    let (route, embedded) = state.route.page();
    let page = match route {
        Route::Catalogue => html! { <Catalogue lessons={crate::course::catalogue()} /> },
        Route::Lesson(id) | Route::Quiz(id) => match crate::course::find(id) {
            Some(lesson) => {
                let quiz_only = matches!(route, Route::Quiz(_));
                html! { <LessonPage key={route.href()} {lesson} {quiz_only} {embedded} /> }
            }
            None => {
                html! { { not_found(&NotFoundProps { what: format!("lesson “{id}”").into() }) } }
            }
        },
        Route::Lab { scenario } => html! { <LabPage scenario={scenario.clone()} /> },
        // Served by check.html, with its own bundle: the effect above goes there.
        Route::Check(_) if browser::has_check_page() => {
            html! { <p>{"Opening the Check page…"}</p> }
        }
        Route::Check(_) => html! {
            <p class="notice">{"The Check page is part of the hosted site; this copy of Rollout Lab holds the course only."}</p>
        },
        Route::Summary => html! { <Summary lessons={crate::course::catalogue()} /> },
        Route::Glossary => html! { <Glossary /> },
        Route::SharedLab(query) => {
            html! { <LabPage key={query.clone()} link={AttrValue::from(query.clone())} /> }
        }
        Route::NotFound(path) => {
            html! { { not_found(&NotFoundProps { what: format!("page “{path}”").into() }) } }
        }
        // `Route::from_hash` never nests embeds.
        Route::Embed(_) => html! { { not_found(&NotFoundProps { what: "page".into() }) } },
    };
    frame(&state.route, page)
}

/// The page in the site's chrome: the skip link, the header and `<main>`; embedded in another
/// site's page, no site navigation, only the way out to the whole site. Both bundles use it.
pub fn frame(route: &Route, page: Html) -> Html {
    let (inner, embedded) = route.page();
    if embedded {
        return html! {
            <main id="main" class="embedded" tabindex="-1" onclick={browser::keep_links_embedded()}>
                {page}
                <p class="embedded-by">
                    <a href={inner.link()} target="_blank" rel="noopener">{"Open in Rollout Lab ↗"}</a>
                </p>
            </main>
        };
    }
    html! {
        <>
            <a class="skip-link" href="#main" onclick={browser::skip_to_main()}>{"Skip to content"}</a>
            { site_header(&SiteHeaderProps { route: route.clone() }) }
            <main id="main" tabindex="-1">{page}</main>
        </>
    }
}

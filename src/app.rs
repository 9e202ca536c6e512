//! The app shell: one state, one `Action`, one reducer (Elm style). Components receive data by
//! props; browser calls live in effects so every component also renders natively in tests.
use crate::browser;
use crate::components::{
    not_found, site_header, Catalogue, LabPage, LessonPage, NotFoundProps, SiteHeaderProps,
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
    {
        // Focus moves only after an in-app navigation, never on first load.
        let first_render = use_mut_ref(|| true);
        use_effect_with(state.route.clone(), move |_| {
            browser::announce_page(!first_render.replace(false));
        });
    }

    let page = match &state.route {
        Route::Catalogue => html! { <Catalogue lessons={crate::course::catalogue()} /> },
        Route::Lesson(id) => match crate::course::find(id) {
            Some(lesson) => html! { <LessonPage key={lesson.id.clone()} lesson={lesson} /> },
            None => {
                html! { { not_found(&NotFoundProps { what: format!("lesson “{id}”").into() }) } }
            }
        },
        Route::Lab { scenario } => html! { <LabPage scenario={scenario.clone()} /> },
        Route::NotFound(path) => {
            html! { { not_found(&NotFoundProps { what: format!("page “{path}”").into() }) } }
        }
    };
    html! {
        <>
            <a class="skip-link" href="#main" onclick={browser::skip_to_main()}>{"Skip to content"}</a>
            { site_header(&SiteHeaderProps { route: state.route.clone() }) }
            <main id="main" tabindex="-1">{page}</main>
        </>
    }
}

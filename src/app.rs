//! The app shell: one state, one `Action`, one reducer (Elm style). Components receive data by
//! props; browser calls live in effects so every component also renders natively in tests.
use crate::components::{Catalogue, LabPage, LessonPage, NotFound, SiteHeader};
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
        Route::Catalogue => html! { <Catalogue lessons={crate::lessons::catalogue()} /> },
        Route::Lesson(id) => match crate::lessons::find(id) {
            Some(lesson) => html! { <LessonPage lesson={lesson} /> },
            None => html! { <NotFound what={format!("lesson “{id}”")} /> },
        },
        Route::Lab => html! { <LabPage /> },
        Route::NotFound(path) => html! { <NotFound what={format!("page “{path}”")} /> },
    };
    html! {
        <>
            <a class="skip-link" href="#main" onclick={browser::skip_to_main()}>{"Skip to content"}</a>
            <SiteHeader route={state.route.clone()} />
            <main id="main" tabindex="-1">{page}</main>
        </>
    }
}

/// The only place the shell touches the browser.
mod browser {
    use crate::route::Route;
    use yew::Callback;

    #[cfg(target_arch = "wasm32")]
    pub fn follow_hash(on_route: impl Fn(Route) + 'static) -> impl FnOnce() {
        let window = web_sys::window();
        let listener = window.map(|w| {
            let target = w.clone();
            gloo_events::EventListener::new(&target, "hashchange", move |_| {
                let hash = w.location().hash().unwrap_or_default();
                on_route(Route::from_hash(&hash));
            })
        });
        move || drop(listener)
    }

    #[cfg(not(target_arch = "wasm32"))]
    pub fn follow_hash(_on_route: impl Fn(Route) + 'static) -> impl FnOnce() {
        || ()
    }

    /// Names the page in the title and, after a navigation, moves focus to its heading so
    /// screen readers announce it (a hash change alone is silent).
    pub fn announce_page(move_focus: bool) {
        #[cfg(target_arch = "wasm32")]
        {
            use wasm_bindgen::JsCast;
            let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
                return;
            };
            let Some(h1) = doc.query_selector("main h1").ok().flatten() else {
                return;
            };
            let title = h1.text_content().unwrap_or_default();
            doc.set_title(&format!("{title} · Rollout Lab"));
            if let (true, Ok(h1)) = (move_focus, h1.dyn_into::<web_sys::HtmlElement>()) {
                let _ = h1.focus();
            }
        }
        #[cfg(not(target_arch = "wasm32"))]
        let _ = move_focus;
    }

    /// The skip link moves focus without changing the hash route.
    pub fn skip_to_main() -> Callback<yew::MouseEvent> {
        Callback::from(|e: yew::MouseEvent| {
            e.prevent_default();
            #[cfg(target_arch = "wasm32")]
            {
                use wasm_bindgen::JsCast;
                let main = web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| d.get_element_by_id("main"))
                    .and_then(|m| m.dyn_into::<web_sys::HtmlElement>().ok());
                if let Some(main) = main {
                    let _ = main.focus();
                }
            }
        })
    }
}

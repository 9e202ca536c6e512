//! The header on every page: the product name and the main navigation.
use crate::route::Route;
use yew::prelude::*;

#[derive(PartialEq)]
pub struct SiteHeaderProps {
    pub route: Route,
}

pub fn site_header(props: &SiteHeaderProps) -> Html {
    let in_lessons = matches!(props.route, Route::Catalogue | Route::Lesson(_));
    let current = |on: bool| on.then_some("page");
    html! {
        <header class="site-header">
            <a class="brand" href={Route::Catalogue.link()}>
                <svg class="brand-mark" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                    <path d="M4 17h6l3-10h7" fill="none" stroke="currentColor" stroke-width="2.5" stroke-linecap="round" stroke-linejoin="round"/>
                </svg>
                {"Rollout Lab"}
            </a>
            <nav aria-label="Main">
                <a href={Route::Catalogue.link()} aria-current={current(in_lessons)}>{"Lessons"}</a>
                <a href={Route::Lab { scenario: None }.link()} aria-current={current(matches!(props.route, Route::Lab { .. }))}>{"Lab"}</a>
                if crate::browser::has_check_page() {
                    <a href={Route::Check(None).link()} aria-current={current(matches!(props.route, Route::Check(_)))}>{"Check"}</a>
                }
                <a href={Route::Glossary.link()} aria-current={current(props.route == Route::Glossary)}>{"Glossary"}</a>
                <a href={Route::Summary.link()} aria-current={current(props.route == Route::Summary)}>{"Your results"}</a>
            </nav>
        </header>
    }
}

//! The browser entry point: read the route from the URL and mount the app on <body>.
fn main() {
    #[cfg(target_arch = "wasm32")]
    start();
    #[cfg(not(target_arch = "wasm32"))]
    eprintln!("rollout-lab is a web app: run ./scripts/serve (see README.md)");
}

/// The course's scenarios and lesson files are read one per task, then the app mounts: no single
/// task of the start blocks the page for long, and the prerendered page stays readable (and its
/// links followed) meanwhile.
#[cfg(target_arch = "wasm32")]
fn start() {
    if rollout_lab::course::prepare_next() {
        gloo_timers::callback::Timeout::new(0, start).forget();
        return;
    }
    let hash = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    let initial = rollout_lab::route::Route::from_hash(&hash);
    // The pages prerendered into index.html go as the app takes their place, in the same task,
    // so nothing blank is painted between.
    if let Some(pages) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(rollout_lab::PRERENDERED_ID))
    {
        pages.remove();
    }
    yew::Renderer::<rollout_lab::App>::with_props(rollout_lab::AppProps { initial }).render();
}

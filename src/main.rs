//! The browser entry point: read the route from the URL and mount the app on <body>.
fn main() {
    #[cfg(target_arch = "wasm32")]
    {
        let hash = web_sys::window()
            .and_then(|w| w.location().hash().ok())
            .unwrap_or_default();
        let initial = rollout_lab::route::Route::from_hash(&hash);
        yew::Renderer::<rollout_lab::App>::with_props(rollout_lab::AppProps { initial }).render();
    }
    #[cfg(not(target_arch = "wasm32"))]
    eprintln!("rollout-lab is a web app: run ./scripts/serve (see README.md)");
}

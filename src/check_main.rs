//! The Check page's entry point (check.html): its own bundle, apart from the course's.
fn main() {
    #[cfg(target_arch = "wasm32")]
    rollout_lab::check_shell::start();
    #[cfg(not(target_arch = "wasm32"))]
    eprintln!("rollout-check is the web app's Check page: run ./scripts/serve (see README.md)");
}

//! Rollout Lab, the web app: a Yew shell around the `rollout-sim` core.
//! The page holds no simulation logic; everything it shows is a view of the core's state.
#![forbid(unsafe_code)]

mod app;
pub mod browser;
pub mod check_shell;
pub mod components;
pub mod course;
pub mod markdown;
#[cfg(not(target_arch = "wasm32"))]
pub mod prerender;
pub mod route;
pub mod share;

pub use app::{frame, App, AppProps};

/// The element of index.html holding its prerendered pages (`prerender`), removed as the app
/// mounts.
pub const PRERENDERED_ID: &str = "prerendered";

//! The lab's model, with no web dependency: the settings a learner turns (knobs) and how they
//! map onto a Deployment or a Rollout (workload), the built-in scenarios (examples), what the page
//! shows at one moment (snapshot), the actions it offers and the console's completions. The web
//! app renders these; it computes none of them.
pub mod actions;
pub mod caption;
pub mod cluster_view;
pub mod console;
pub mod examples;
pub mod export;
pub mod knobs;
pub mod plan;
pub mod ribbon;
pub mod snapshot;
pub mod workload;

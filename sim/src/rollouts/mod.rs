//! Argo Rollouts (argoproj.io/v1alpha1): progressive delivery on top of ReplicaSets.
pub mod analysis;
pub mod api;
pub mod bluegreen;
pub mod canary;
pub mod commands;
pub mod condition;
pub mod controller;
mod plugin;
pub mod read;
pub mod replicaset;
pub mod trafficrouting;
pub mod views;
pub mod write;

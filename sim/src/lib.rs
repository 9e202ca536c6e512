//! rollout-sim: a deterministic simulation of a small Kubernetes cluster rolling out a new version.
#![forbid(unsafe_code)]

pub mod yaml;
pub mod api;
pub mod deployment;
pub mod intstr;
pub mod rng;
pub mod time;
pub mod kubelet;
pub mod conformance;
pub mod manifest;
pub mod scenario;
pub mod scheduler;
pub mod cluster;
pub mod events;
pub mod metrics;
pub mod network;
pub mod replicaset;
pub mod traffic;
pub mod kubectl;
pub mod views;
pub mod summary;

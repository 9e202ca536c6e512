//! rollout-sim: a deterministic simulation of a small Kubernetes cluster rolling out a new version.
#![forbid(unsafe_code)]

pub mod api;
pub mod check;
pub mod cluster;
pub mod conformance;
pub mod decimal;
pub mod deployment;
pub mod diff;
pub mod events;
pub mod fields;
pub mod flags;
pub mod intstr;
pub mod kept;
pub mod kubectl;
pub mod kubelet;
pub mod lab;
pub mod limits;
pub mod manifest;
pub mod metrics;
pub mod network;
pub mod openshift;
pub mod order;
pub mod patch;
pub mod queue;
pub mod read;
pub mod replicaset;
pub mod rng;
pub mod rollouts;
pub mod scenario;
pub mod schema;
pub mod summary;
pub mod time;
pub mod traffic;
pub mod views;
pub mod write;
pub mod yaml;

//! rollout-sim: a deterministic simulation of a small Kubernetes cluster rolling out a new version.
#![forbid(unsafe_code)]

pub mod yaml;

//! The kubelet: pod phases, probes, restarts and graceful termination.
pub mod prober;

//! Argo Rollouts (argoproj.io/v1alpha1): progressive delivery on top of ReplicaSets.
pub mod canary;

//! Services and their endpoints. The EndpointSlice controller lists the ready pods at once; every
//! node's proxy acts on each change only after `endpointPropagation` (TM-2, TM-4). Until then it
//! keeps sending new connections to pods that are already gone from the endpoints (TM-3).
mod sync;

use crate::time::Ms;
use std::collections::VecDeque;

#[derive(Clone, Debug, Default)]
pub struct Endpoints {
    /// Ready endpoints in the EndpointSlice (control plane), by pod uid.
    pub ready: Vec<u64>,
    /// What kube-proxy on the nodes routes to right now.
    pub proxy: Vec<u64>,
    /// Changes on their way to the proxies, with the time they arrive.
    pending: VecDeque<(Ms, Vec<u64>)>,
}

impl Endpoints {
    pub(crate) fn clear_pending(&mut self) {
        self.pending.clear();
    }
}

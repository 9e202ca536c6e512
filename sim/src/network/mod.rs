//! Services and their endpoints. The EndpointSlice controller lists every pod the selector
//! matches, with its conditions, at once; each watcher of the slices — every node's kube-proxy,
//! and the ingress controller when there is one — acts on a change only after its own lag
//! (TM-2, TM-4, TM-7, IN-1). Until then it keeps sending new connections to pods that are already
//! gone from the endpoints (TM-3).
mod sync;

use crate::time::Ms;
use std::collections::VecDeque;

/// One endpoint of a Service's EndpointSlice, with its conditions as `discovery/v1` names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Endpoint {
    pub uid: u64,
    /// Serving and not terminating: where new connections go (TM-2).
    pub ready: bool,
    /// The pod's Ready condition, which its readiness probe keeps up while it terminates (PR-8).
    pub serving: bool,
    pub terminating: bool,
}

/// What one watcher of the slices routes to, and the changes still on their way to it.
#[derive(Clone, Debug, Default)]
pub struct View {
    /// The endpoints new connections go to.
    pub routes: Vec<u64>,
    /// `routes` are terminating endpoints still serving, used because none is ready (TM-5).
    pub fallback: bool,
    /// Changes on their way: when each arrives, and what it routes to.
    pending: VecDeque<(Ms, Vec<u64>, bool)>,
}

impl View {
    /// When this watcher stops routing to `uid`, if a change on its way drops it.
    pub fn drops_at(&self, uid: u64) -> Option<Ms> {
        self.pending
            .iter()
            .find(|(_, routes, _)| !routes.contains(&uid))
            .map(|(at, _, _)| *at)
    }

    /// Does it route (or is it about to route) exactly this way already?
    fn routes_as(&self, routes: &[u64], fallback: bool) -> bool {
        match self.pending.back() {
            Some((_, r, f)) => r == routes && *f == fallback,
            None => self.routes == routes && self.fallback == fallback,
        }
    }

    /// Queues a change arriving `at`, but never before the change queued ahead of it; returns
    /// when it arrives.
    fn send(&mut self, at: Ms, routes: Vec<u64>, fallback: bool) -> Ms {
        let at = self.pending.back().map_or(at, |(t, _, _)| (*t).max(at));
        self.pending.push_back((at, routes, fallback));
        at
    }

    /// Applies the changes due by `now`, telling `dropped` each endpoint it stops routing to.
    fn apply_due(&mut self, now: Ms, mut dropped: impl FnMut(u64)) {
        while self.pending.front().is_some_and(|(at, _, _)| *at <= now) {
            if let Some((_, routes, fallback)) = self.pending.pop_front() {
                for uid in self.routes.iter().filter(|u| !routes.contains(u)) {
                    dropped(*uid);
                }
                self.routes = routes;
                self.fallback = fallback;
            }
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct Endpoints {
    /// The Service's EndpointSlice (control plane): every pod its selector matches.
    pub slice: Vec<Endpoint>,
    /// Each node's kube-proxy, by node.
    pub proxies: Vec<View>,
    /// The ingress controller's upstreams for this Service, when traffic comes through one.
    pub ingress: Option<View>,
}

impl Endpoints {
    /// The ready endpoints, as `kubectl get endpointslices` counts them.
    pub fn ready(&self) -> impl Iterator<Item = u64> + '_ {
        self.slice.iter().filter(|e| e.ready).map(|e| e.uid)
    }

    pub fn is_ready(&self, uid: u64) -> bool {
        self.slice.iter().any(|e| e.uid == uid && e.ready)
    }

    /// Does any node's proxy send new connections to `uid`?
    pub fn routed(&self, uid: u64) -> bool {
        self.proxies.iter().any(|v| v.routes.contains(&uid))
    }

    /// Every watcher as if it had seen the slice long ago (a cluster settled at t=0).
    pub(crate) fn settle(&mut self) {
        let (proxy, _) = kube_proxy_routes(&self.slice);
        for v in self.proxies.iter_mut() {
            *v = View {
                routes: proxy.clone(),
                ..View::default()
            };
        }
        if let Some(v) = self.ingress.as_mut() {
            *v = View {
                routes: ingress_routes(&self.slice),
                ..View::default()
            };
        }
    }
}

/// kube-proxy's choice (`CategorizeEndpoints`, TM-5): the ready endpoints; when there is none,
/// the terminating ones still serving. Returns the routes and whether they are that fallback.
pub fn kube_proxy_routes(slice: &[Endpoint]) -> (Vec<u64>, bool) {
    let ready: Vec<u64> = slice.iter().filter(|e| e.ready).map(|e| e.uid).collect();
    if !ready.is_empty() {
        return (ready, false);
    }
    let serving: Vec<u64> = slice
        .iter()
        .filter(|e| e.serving && e.terminating)
        .map(|e| e.uid)
        .collect();
    let fallback = !serving.is_empty();
    (serving, fallback)
}

/// ingress-nginx's upstreams (`getEndpointsFromSlices`, IN-1): the ready endpoints only.
pub fn ingress_routes(slice: &[Endpoint]) -> Vec<u64> {
    slice.iter().filter(|e| e.ready).map(|e| e.uid).collect()
}

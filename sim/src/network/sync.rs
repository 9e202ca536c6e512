//! The EndpointSlice controller keeping each Service's slice up to date, and every watcher of
//! the slices acting on a change after its own lag (kube-proxy per node: TM-4, TM-7; the ingress
//! controller: IN-1).
use super::*;
use crate::api::selector_matches;
use crate::cluster::{Cluster, Event};

impl Cluster {
    pub(crate) fn update_endpoints(&mut self) {
        let now = self.now;
        for s in 0..self.services.len() {
            let selector = &self.services[s].spec.selector;
            let endpoints = self
                .pods
                .iter()
                .filter(|p| selector_matches(selector, &p.labels))
                .map(|p| Endpoint {
                    uid: p.uid,
                    ready: p.ready && p.deletion.is_none(),
                    serving: p.ready,
                    terminating: p.deletion.is_some(),
                });
            // Most reconciles change nothing here: compare before building anything.
            if endpoints
                .clone()
                .eq(self.endpoints[s].slice.iter().copied())
            {
                continue;
            }
            let slice: Vec<Endpoint> = endpoints.collect();
            // Pods that left the ready endpoints, and those in them now.
            let left: Vec<u64> = self.endpoints[s]
                .slice
                .iter()
                .filter(|old| old.ready && !slice.iter().any(|x| x.uid == old.uid && x.ready))
                .map(|old| old.uid)
                .collect();
            for uid in left {
                if let Some(i) = self.pod_index(uid) {
                    self.pods[i].endpoint_removed_at = Some(now);
                }
                if let Some(t) = self.track_mut(uid) {
                    t.endpoint_removed_at.get_or_insert(now);
                }
            }
            for e in slice.iter().filter(|e| e.ready) {
                if let Some(i) = self.pod_index(e.uid) {
                    self.pods[i].endpoint_removed_at = None;
                }
            }
            self.publish(s, slice);
        }
    }

    /// Sends a new slice on its way to every watcher, each arriving after its own lag and never
    /// before the change sent ahead of it.
    fn publish(&mut self, s: usize, slice: Vec<Endpoint>) {
        let now = self.now;
        let network = &self.scenario.network;
        let (base, jitter) = (network.endpoint_propagation.0, network.propagation_jitter.0);
        let ingress_lag = network.ingress.unwrap_or_default().propagation.0;
        let (proxy, fallback) = kube_proxy_routes(&slice);
        let mut arrivals = Vec::new();
        // A change no watcher routes differently (a pod created, a condition that does not
        // matter to them) is not sent on: the slice alone records it.
        let proxies_same = self.endpoints[s]
            .proxies
            .iter()
            .all(|v| v.routes_as(&proxy, fallback));
        for n in 0..self.endpoints[s].proxies.len() {
            if proxies_same {
                break;
            }
            // Drawn only with a jitter, so scenarios without one keep their random sequence.
            let lag = if jitter > 0 {
                let spread = self.rng.below(2 * jitter as usize + 1) as Ms - jitter;
                (base + spread).max(0)
            } else {
                base
            };
            let at = self.endpoints[s].proxies[n].send(now + lag, proxy.clone(), fallback);
            if !arrivals.contains(&at) {
                arrivals.push(at);
            }
        }
        let e = &mut self.endpoints[s];
        let upstreams = ingress_routes(&slice);
        if let Some(view) = e
            .ingress
            .as_mut()
            .filter(|v| !v.routes_as(&upstreams, false))
        {
            let at = view.send(now + ingress_lag, upstreams, false);
            if !arrivals.contains(&at) {
                arrivals.push(at);
            }
        }
        e.slice = slice;
        for at in arrivals {
            self.queue.at(at, Event::ProxySync { service: s });
        }
    }

    pub(crate) fn proxy_sync(&mut self, service: usize) {
        let now = self.now;
        let Some(e) = self.endpoints.get_mut(service) else {
            return;
        };
        // A terminating pod's track records when each watcher stopped routing to it (TM-2).
        use crate::kubelet::track::track;
        let tracks = &mut self.terminations;
        for (n, v) in e.proxies.iter_mut().enumerate() {
            v.apply_due(now, |uid| {
                if let Some(at) = track(tracks, uid).and_then(|t| t.proxies.get_mut(n)) {
                    at.get_or_insert(now);
                }
            });
        }
        if let Some(v) = e.ingress.as_mut() {
            v.apply_due(now, |uid| {
                if let Some(t) = track(tracks, uid) {
                    t.ingress.get_or_insert(now);
                }
            });
        }
    }

    /// When every node's proxy has stopped routing to a pod that left the endpoints at
    /// `removed_at` (without a jitter, all of them at once).
    pub fn proxy_drops_at(&self, removed_at: Ms) -> Ms {
        let n = &self.scenario.network;
        removed_at + n.endpoint_propagation.0 + n.propagation_jitter.0
    }
}

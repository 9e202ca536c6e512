//! The Service's endpoints kept up to date (the EndpointSlice controller) and each node's proxy
//! acting on a change only after the propagation delay (kube-proxy, TM-2, TM-4).
use super::*;
use crate::api::selector_matches;
use crate::cluster::{Cluster, Event};

impl Cluster {
    pub(crate) fn update_endpoints(&mut self) {
        let now = self.now;
        let delay = self.scenario.network.endpoint_propagation.0;
        for s in 0..self.services.len() {
            let selector = &self.services[s].spec.selector;
            // A terminating endpoint is never `ready` (TM-2).
            let ready: Vec<u64> = self
                .pods
                .iter()
                .filter(|p| {
                    selector_matches(selector, &p.labels) && p.ready && p.deletion.is_none()
                })
                .map(|p| p.uid)
                .collect();
            if ready == self.endpoints[s].ready {
                continue;
            }
            for pod in self.pods.iter_mut() {
                let was = self.endpoints[s].ready.contains(&pod.uid);
                let is = ready.contains(&pod.uid);
                if was && !is {
                    pod.endpoint_removed_at = Some(now);
                } else if is {
                    pod.endpoint_removed_at = None;
                }
            }
            self.endpoints[s].ready = ready.clone();
            self.endpoints[s].pending.push_back((now + delay, ready));
            self.queue.at(now + delay, Event::ProxySync { service: s });
        }
    }

    pub(crate) fn proxy_sync(&mut self, service: usize) {
        let now = self.now;
        let Some(e) = self.endpoints.get_mut(service) else {
            return;
        };
        while e.pending.front().is_some_and(|(at, _)| *at <= now) {
            if let Some((_, view)) = e.pending.pop_front() {
                e.proxy = view;
            }
        }
    }

    /// When the proxies stop routing to a pod that has left the endpoints.
    pub fn proxy_drops_at(&self, removed_at: Ms) -> Ms {
        removed_at + self.scenario.network.endpoint_propagation.0
    }
}

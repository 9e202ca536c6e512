//! The ingress controller in front (ingress-nginx, IN-1..IN-3). It keeps its own list of upstreams
//! from the EndpointSlices (ready endpoints only, after its own lag), connects to pod IPs itself
//! (no kube-proxy), takes them in turn, and passes a request that failed to connect, or was reset
//! before its answer began, to the next upstream, up to `retries` more times
//! (`proxy_next_upstream error timeout`; the clients send GET, which nginx may repeat).
use super::*;
use crate::cluster::Cluster;

impl Cluster {
    /// Request `id`, sent at `sent_at`, through the ingress to Service `svc`; `tried` lists the
    /// upstreams that already failed it.
    pub(super) fn through_ingress(
        &mut self,
        id: u64,
        client: u32,
        sent_at: Ms,
        svc: usize,
        mut tried: Vec<(u64, String)>,
    ) {
        let now = self.now;
        let ingress = self.scenario.network.ingress.unwrap_or_default();
        loop {
            let routes = self.endpoints[svc]
                .ingress
                .as_ref()
                .map(|v| v.routes.clone())
                .unwrap_or_default();
            if routes.is_empty() && tried.is_empty() {
                let cause = format!(
                    "the ingress controller had no endpoint for Service {} at {} and answered 503 (its list follows the EndpointSlices {} late)",
                    self.services[svc].metadata.name,
                    fmt_secs(now),
                    fmt_secs(ingress.propagation.0),
                );
                self.fail_new(id, (Reason::ServiceUnavailable, Why::NoEndpoints), cause);
                return;
            }
            if routes.is_empty() || tried.len() > ingress.retries as usize {
                let last = tried.last().map_or(0, |(uid, _)| *uid);
                let (name, image) = self.pod_name_image(last);
                let tries: Vec<&str> = tried.iter().map(|(_, t)| t.as_str()).collect();
                let cause = format!(
                    "sent at {} through the ingress controller, which answered 502 after {} {}: {}",
                    fmt_secs(sent_at),
                    tries.len(),
                    if tries.len() == 1 { "try" } else { "tries" },
                    tries.join("; then "),
                );
                let why = (Reason::BadGateway, Why::IngressUpstreams);
                self.fail_at_pod(id, sent_at, why, name, image, cause);
                return;
            }
            if self.requests.ingress_next.len() <= svc {
                self.requests.ingress_next.resize(svc + 1, 0);
            }
            let k = self.requests.ingress_next[svc];
            self.requests.ingress_next[svc] = k.wrapping_add(1);
            // nginx does not try an upstream twice for one request while others are left.
            let fresh: Vec<u64> = routes
                .iter()
                .copied()
                .filter(|u| !tried.iter().any(|(t, _)| t == u))
                .collect();
            let uid = if fresh.is_empty() {
                routes[k % routes.len()]
            } else {
                fresh[k % fresh.len()]
            };
            match self.pod_index(uid) {
                Some(i) if self.pods[i].accepts() => {
                    self.requests.pool.opened += 1;
                    let upstream = Some(Box::new(Upstream {
                        service: svc,
                        tried,
                    }));
                    let from = Origin {
                        conn: None,
                        upstream,
                    };
                    let origin = self.requests.keep_origin(from);
                    self.accept_sent(i, id, client, sent_at, origin);
                    return;
                }
                Some(i) => {
                    self.note_answer(i, now, false, 0, None);
                    let (_, why) = super::cause::not_accepting(&self.pods[i]);
                    let name = &self.pods[i].name;
                    tried.push((uid, format!("{name} refused the connection ({why})")));
                }
                None => {
                    let (name, _) = self.pod_name_image(uid);
                    let why =
                        format!("{name} was already gone, but the controller still listed it");
                    tried.push((uid, why));
                }
            }
        }
    }

    /// A request the ingress was proxying was reset before its answer: nginx tries the next
    /// upstream if it may (IN-2). Returns whether it did.
    pub(super) fn ingress_retry(
        &mut self,
        r: &Request,
        upstream: Option<&Upstream>,
        pod: &str,
        when: &str,
    ) -> bool {
        let Some(up) = upstream else {
            return false;
        };
        if r.id & SHADOW != 0 {
            return false;
        }
        let mut tried = up.tried.clone();
        tried.push((r.pod, format!("{pod} reset the connection ({when})")));
        self.through_ingress(r.id, r.client, r.sent_at, up.service, tried);
        true
    }
}

//! The traffic router a Rollout with `trafficRouting` drives (an ingress controller or service
//! mesh upstream: nginx, Istio, SMI, ALB...). Clients call the stable Service; per connection the
//! router sends a request to the canary Service when a header route matches (A/B) or, otherwise,
//! with probability weight / maxTrafficWeight. Mirror routes add a shadow copy for the canary.
use super::api::{Rollout, SetMirrorRoute};
use crate::cluster::Cluster;
use serde_json::Value;

/// Where one client request goes.
pub struct Route {
    pub service: usize,
    /// A copy for the canary whose answer nobody sees.
    pub mirror: Option<usize>,
}

fn routed_by<'a>(rollouts: &'a [Rollout], service: &str) -> Option<&'a Rollout> {
    rollouts.iter().find(|r| {
        r.spec.strategy.canary.as_ref().is_some_and(|c| {
            c.traffic_routing.is_some() && c.stable_service.as_deref() == Some(service)
        })
    })
}

impl Cluster {
    /// The headers client `client` sends: each configured header goes with its share of the
    /// clients, taken in turn (the first 10% send the first header, the next 5% the second...).
    pub fn client_headers(&self, client: u32) -> Vec<(&str, &str)> {
        let clients = f64::from(self.scenario.traffic.clients.max(1));
        let mut from = 0.0;
        let mut out = Vec::new();
        for h in &self.scenario.traffic.headers {
            let to = from + (h.share * clients).round();
            if f64::from(client) >= from && f64::from(client) < to {
                out.push((h.name.as_str(), h.value.as_str()));
            }
            from = to;
        }
        out
    }

    pub(crate) fn route(&mut self, service: usize, client: u32) -> Route {
        let plain = Route {
            service,
            mirror: None,
        };
        let name = &self.services[service].metadata.name;
        let Some(r) = routed_by(&self.rollouts, name) else {
            return plain;
        };
        let Some(canary) = r
            .spec
            .strategy
            .canary
            .as_ref()
            .and_then(|c| c.canary_service.as_deref())
            .and_then(|c| self.services.iter().position(|s| s.metadata.name == c))
        else {
            return plain;
        };
        let max = r
            .spec
            .strategy
            .canary
            .as_ref()
            .map_or(100, |c| c.max_weight())
            .max(1);
        // Decided on the Rollout as it stands (no copies: this runs for every request).
        let weight = r.status.router_weight;
        let (header_hit, mirror_pct) = {
            let sent = self.client_headers(client);
            let has = |name: &str, value: &super::api::StringMatch| {
                sent.iter()
                    .any(|(n, v)| n.eq_ignore_ascii_case(name) && value.matches(v))
            };
            let header_hit = r.status.header_routes.iter().any(|route| {
                route
                    .r#match
                    .iter()
                    .all(|m| has(&m.header_name, &m.header_value))
            });
            let mirror_pct = r
                .status
                .mirror_routes
                .iter()
                .find(|m| mirror_matches(m, &has))
                .map(|m| m.percentage.unwrap_or(100).clamp(0, 100) as usize);
            (header_hit, mirror_pct)
        };
        // The router leaves out a backend with no endpoints (as ingress-nginx falls back to the
        // main backend) rather than fail the request.
        let canary_up = self.endpoints[canary]
            .proxies
            .iter()
            .any(|v| !v.routes.is_empty());
        let to_canary = canary_up
            && (header_hit || (weight > 0 && (self.rng.below(max as usize) as i32) < weight));
        let mirror = mirror_pct
            .filter(|pct| canary_up && !to_canary && self.rng.below(100) < *pct)
            .map(|_| canary);
        Route {
            service: if to_canary { canary } else { service },
            mirror,
        }
    }
}

/// A mirror route's match list (Argo's `RouteMatch`): every client request is `GET /`, so method
/// and path conditions hold; header conditions must be met by the client's headers.
fn mirror_matches(
    m: &SetMirrorRoute,
    has: &impl Fn(&str, &super::api::StringMatch) -> bool,
) -> bool {
    m.r#match.iter().any(|entry| {
        let method_ok = entry
            .pointer("/method")
            .and_then(string_match)
            .is_none_or(|s| s.matches("GET"));
        let path_ok = entry
            .pointer("/path")
            .and_then(string_match)
            .is_none_or(|s| s.matches("/"));
        let headers_ok = entry
            .pointer("/headers")
            .and_then(Value::as_object)
            .is_none_or(|h| {
                h.iter()
                    .all(|(name, v)| string_match(v).is_some_and(|s| has(name, &s)))
            });
        method_ok && path_ok && headers_ok
    })
}

fn string_match(v: &Value) -> Option<super::api::StringMatch> {
    let o = crate::yaml::read::Obj::new(v, "").ok()?;
    Some(super::api::StringMatch {
        exact: o.string("exact").ok()?,
        prefix: o.string("prefix").ok()?,
        regex: o.string("regex").ok()?,
    })
}

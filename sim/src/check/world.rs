//! What no manifest says and a check must assume: the traffic, how the app starts, answers and
//! shuts down, the clients' connections and the network's lag; and the change to simulate. Every
//! value has a default with a reason, and the report lists which were assumed.
use crate::scenario::{Connections, OnSigterm, Via};
use crate::time::{parse_duration, Ms};

/// One thing the check assumes, as the form and the command line name it.
pub struct Field {
    pub name: &'static str,
    pub label: &'static str,
    pub default: &'static str,
    /// Why the default is what it is, and what the value changes.
    pub why: &'static str,
}

pub const FIELDS: [Field; 9] = [
    Field {
        name: "rps",
        label: "Requests per second",
        default: "100",
        why: "steady traffic through the Service; failures scale with it, their causes do not",
    },
    Field {
        name: "startup",
        label: "App start-up",
        default: "5s",
        why: "from the container starting to the app listening; a few seconds is typical of a web server loading its code and config",
    },
    Field {
        name: "latency",
        label: "Answer time",
        default: "50ms",
        why: "the mean time to answer a request; draining on SIGTERM waits for the requests in flight",
    },
    Field {
        name: "sigterm",
        label: "On SIGTERM the app",
        default: "exit",
        why: "exit (stops at once: what a process without a signal handler does), drain (stops accepting, finishes what is in flight) or ignore (serves on until SIGKILL)",
    },
    Field {
        name: "connections",
        label: "Client connections",
        default: "per-request",
        why: "per-request (a new connection each time), keep-alive (HTTP/1.1 reusing connections) or http2 (one long-lived connection per client)",
    },
    Field {
        name: "via",
        label: "Traffic arrives through",
        default: "service",
        why: "service (kube-proxy on every node) or ingress (an ingress-nginx controller in front, with its own endpoint list)",
    },
    Field {
        name: "proxy-lag",
        label: "Proxy lag",
        default: "1s",
        why: "from an endpoint change to every node's kube-proxy acting on it; about a second on a quiet cluster, more on a busy one",
    },
    Field {
        name: "ingress-lag",
        label: "Ingress lag",
        default: "3s",
        why: "from an endpoint change to the ingress controller's own list (it syncs its upstreams apart from kube-proxy); used with via ingress",
    },
    Field {
        name: "extra-pods",
        label: "Extra pods allowed",
        default: "",
        why: "how many pods above the replica count the fix may run at once; by default what the manifests allow now, and at least 1",
    },
];

/// The values the check runs with.
#[derive(Clone, Debug, PartialEq)]
pub struct World {
    pub requests_per_second: f64,
    pub startup: Ms,
    pub latency: Ms,
    pub on_sigterm: OnSigterm,
    pub connections: Connections,
    pub via: Via,
    pub proxy_lag: Ms,
    pub ingress_lag: Ms,
    /// `None`: what the manifests allow, at least 1.
    pub extra_pods: Option<i32>,
    /// The fields set by the person, by name; the others were assumed.
    pub given: Vec<&'static str>,
}

impl Default for World {
    fn default() -> World {
        let mut w = World {
            requests_per_second: 0.0,
            startup: 0,
            latency: 0,
            on_sigterm: OnSigterm::Exit,
            connections: Connections::PerRequest,
            via: Via::Service,
            proxy_lag: 0,
            ingress_lag: 0,
            extra_pods: None,
            given: Vec::new(),
        };
        for f in &FIELDS {
            // The defaults are this file's own constants, and a test reads each of them.
            let _ = w.assign(f.name, f.default);
        }
        w
    }
}

impl World {
    /// Sets one field from text, as the form and `--name value` write it.
    pub fn set(&mut self, name: &str, value: &str) -> Result<(), String> {
        self.assign(name, value)?;
        let field = FIELDS.iter().find(|f| f.name == name).map(|f| f.name);
        if let Some(n) = field.filter(|n| !self.given.contains(n)) {
            self.given.push(n);
        }
        Ok(())
    }

    fn assign(&mut self, name: &str, value: &str) -> Result<(), String> {
        let v = value.trim();
        let bad = |why: &str| format!("{name}: {v:?} {why}");
        let duration = || {
            parse_duration(v)
                .ok()
                .filter(|ms| *ms <= crate::limits::DURATION)
                .ok_or_else(|| bad("is not a duration such as 500ms, 5s or 1m (at most 1h)"))
        };
        match name {
            "rps" => {
                self.requests_per_second = crate::decimal::parse(v)
                    .filter(|r| *r > 0.0 && *r <= crate::limits::REQUESTS_PER_SECOND)
                    .ok_or_else(|| bad("is not a rate between 0 and 2000 requests per second"))?
            }
            "startup" => self.startup = duration()?,
            "latency" => self.latency = duration()?.max(1),
            "sigterm" => {
                self.on_sigterm =
                    OnSigterm::from_name(v).ok_or_else(|| bad("is not exit, drain or ignore"))?
            }
            "connections" => {
                self.connections = Connections::from_name(v)
                    .ok_or_else(|| bad("is not per-request, keep-alive or http2"))?
            }
            "via" => {
                self.via = Via::from_name(v).ok_or_else(|| bad("is not service or ingress"))?
            }
            "proxy-lag" => self.proxy_lag = duration()?,
            "ingress-lag" => self.ingress_lag = duration()?,
            "extra-pods" if v.is_empty() => self.extra_pods = None,
            "extra-pods" => {
                self.extra_pods = Some(
                    v.parse::<i32>()
                        .ok()
                        .filter(|n| (0..=crate::limits::REPLICAS).contains(n))
                        .ok_or_else(|| bad("is not a number of pods from 0 to 1000"))?,
                )
            }
            _ => {
                let names: Vec<&str> = FIELDS.iter().map(|f| f.name).collect();
                return Err(format!(
                    "unknown assumption `{name}`, expected one of {}",
                    names.join(", ")
                ));
            }
        }
        Ok(())
    }

    /// A field's value as text, as `set` reads it back.
    pub fn get(&self, name: &str) -> String {
        let secs = crate::scenario::duration_text;
        match name {
            "rps" => crate::decimal::short(self.requests_per_second, 3),
            "startup" => secs(self.startup),
            "latency" => secs(self.latency),
            "sigterm" => self.on_sigterm.name().into(),
            "connections" => self.connections.name().into(),
            "via" => self.via.name().into(),
            "proxy-lag" => secs(self.proxy_lag),
            "ingress-lag" => secs(self.ingress_lag),
            "extra-pods" => self.extra_pods.map(|n| n.to_string()).unwrap_or_default(),
            _ => String::new(),
        }
    }
}

/// The image the check deploys when none is named: the next version of the one running, as a
/// release would tag it (`1.4.2` → `1.4.3`, `7` → `8`), else the tag with `-next`.
pub fn next_image(image: &str) -> String {
    let (repo, tag) = match image.rsplit_once(':').filter(|(_, t)| !t.contains('/')) {
        Some((repo, tag)) => (repo, tag),
        None => return format!("{image}:next"),
    };
    let (head, last) = tag.rsplit_once('.').map_or(("", tag), |(h, l)| (h, l));
    let prefix = if head.is_empty() { "" } else { "." };
    let digits = last.trim_start_matches('v');
    match digits.parse::<u64>() {
        Ok(n) if !digits.is_empty() && digits.len() < 10 => {
            let v = &last[..last.len() - digits.len()];
            format!("{repo}:{head}{prefix}{v}{}", n + 1)
        }
        _ => format!("{repo}:{tag}-next"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_default_reads_and_reads_back() {
        let w = World::default();
        assert_eq!(w.requests_per_second, 100.0);
        assert_eq!((w.startup, w.latency, w.proxy_lag), (5000, 50, 1000));
        for f in &FIELDS {
            let mut again = World::default();
            again.set(f.name, &w.get(f.name)).unwrap();
            assert_eq!(again.given, vec![f.name]);
            assert_eq!(
                World {
                    given: vec![],
                    ..again
                },
                w,
                "{}",
                f.name
            );
        }
    }

    #[test]
    fn a_bad_value_is_refused_with_what_is_expected() {
        let mut w = World::default();
        assert!(w
            .set("rps", "0")
            .unwrap_err()
            .contains("between 0 and 2000"));
        assert!(w
            .set("sigterm", "stop")
            .unwrap_err()
            .contains("exit, drain or ignore"));
        assert!(w.set("startup", "soon").unwrap_err().contains("duration"));
        assert!(w
            .set("colour", "red")
            .unwrap_err()
            .contains("unknown assumption"));
        assert_eq!(w, World::default());
    }

    #[test]
    fn the_next_image_is_the_next_tag() {
        assert_eq!(next_image("shop/web:1.4.2"), "shop/web:1.4.3");
        assert_eq!(next_image("myapp:7"), "myapp:8");
        assert_eq!(next_image("ghcr.io/acme/api:v2"), "ghcr.io/acme/api:v3");
        assert_eq!(
            next_image("registry:5000/api:stable"),
            "registry:5000/api:stable-next"
        );
        assert_eq!(next_image("registry:5000/api"), "registry:5000/api:next");
        assert_eq!(next_image("nginx"), "nginx:next");
    }
}

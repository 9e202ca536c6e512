//! Client traffic: Poisson arrivals from clients that open a connection per request or keep
//! theirs open (CN-1..CN-4), routed by the proxies (LB-1..LB-4) or an ingress controller
//! (IN-1..IN-3) to a pod, and ending succeeded or failed with a reason and the facts that explain
//! it.
mod cause;
mod client;
mod connection;
mod ingress;
mod pool;

pub use pool::Pool;

use crate::kubelet::{App, ContainerState, Exit, Pod};
use crate::scenario::LoadBalancing;
use crate::time::{fmt_secs, Ms};
use std::collections::BTreeMap;

/// Ids of mirrored (shadow) copies carry this bit: their outcomes are counted apart and never
/// reach a client.
pub const SHADOW: u64 = 1 << 63;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reason {
    /// Nothing accepted the connection: no endpoints, or the pod's app was not listening.
    ConnectionRefused,
    /// The app went away with the request in flight.
    ConnectionReset,
    /// No answer before the client gave up.
    Timeout,
    /// The app answered with an error.
    AppError,
    /// The ingress controller tried every upstream it may and none answered (502).
    BadGateway,
    /// The ingress controller had no endpoint for the Service (503).
    ServiceUnavailable,
}

impl Reason {
    pub const COUNT: usize = 6;
    pub const ALL: [Reason; Reason::COUNT] = [
        Reason::ConnectionRefused,
        Reason::ConnectionReset,
        Reason::Timeout,
        Reason::AppError,
        Reason::BadGateway,
        Reason::ServiceUnavailable,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Reason::ConnectionRefused => "connection_refused",
            Reason::ConnectionReset => "connection_reset",
            Reason::Timeout => "timeout",
            Reason::AppError => "app_error",
            Reason::BadGateway => "bad_gateway",
            Reason::ServiceUnavailable => "service_unavailable",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Reason::ConnectionRefused => "connection refused",
            Reason::ConnectionReset => "connection reset",
            Reason::Timeout => "timeout",
            Reason::AppError => "application error",
            Reason::BadGateway => "502 bad gateway",
            Reason::ServiceUnavailable => "503 service unavailable",
        }
    }
}

/// What a failure comes from, as a person fixing it would group failures: each names the one
/// setting or behaviour that decides it (`Reason` says what the client saw, this says why).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Why {
    /// No ready endpoint where the request looked (the Service's proxies, or the ingress).
    NoEndpoints,
    /// Sent to a pod whose app did not listen yet: it counted as ready too early.
    NotListening,
    /// Sent to a pod after its SIGTERM, or after it was gone: the proxies had not caught up.
    AfterSigterm,
    /// In flight when the app exited on SIGTERM.
    ResetOnSigterm,
    /// In flight when the grace period ran out (SIGKILL).
    Killed,
    /// The app crashed, was restarted, or waits in back-off.
    Crashed,
    /// Written on a kept-alive connection the server had already closed (CN-4).
    ClosedConnection,
    /// The app answered with an error (the image's error rate, or a feature flag's code).
    AppError,
    /// The app cannot read the database's schema.
    Schema,
    /// Queued behind busy workers, or answered too slowly for the client's timeout.
    Overloaded,
    /// Through the ingress controller: every upstream it tried failed (IN-2).
    IngressUpstreams,
}

impl Why {
    pub const COUNT: usize = 11;
    pub const ALL: [Why; Why::COUNT] = [
        Why::NoEndpoints,
        Why::NotListening,
        Why::AfterSigterm,
        Why::ResetOnSigterm,
        Why::Killed,
        Why::Crashed,
        Why::ClosedConnection,
        Why::AppError,
        Why::Schema,
        Why::Overloaded,
        Why::IngressUpstreams,
    ];

    /// The name in JSON (`rollout-sim check --json`).
    pub fn as_str(self) -> &'static str {
        match self {
            Why::NoEndpoints => "no_endpoints",
            Why::NotListening => "not_listening",
            Why::AfterSigterm => "after_sigterm",
            Why::ResetOnSigterm => "reset_on_sigterm",
            Why::Killed => "killed",
            Why::Crashed => "crashed",
            Why::ClosedConnection => "closed_connection",
            Why::AppError => "app_error",
            Why::Schema => "schema",
            Why::Overloaded => "overloaded",
            Why::IngressUpstreams => "ingress_upstreams",
        }
    }

    /// The group's heading, for people.
    pub fn label(self) -> &'static str {
        match self {
            Why::NoEndpoints => "no pod ready to take it",
            Why::NotListening => "sent to a pod before its app listened",
            Why::AfterSigterm => "sent to a pod after its SIGTERM",
            Why::ResetOnSigterm => "in flight when the app exited on SIGTERM",
            Why::Killed => "in flight when the grace period ran out (SIGKILL)",
            Why::Crashed => "the app crashed",
            Why::ClosedConnection => "sent on a connection the server had closed",
            Why::AppError => "the app answered with an error",
            Why::Schema => "the app could not read the database schema",
            Why::Overloaded => "too slow or queued until the client gave up",
            Why::IngressUpstreams => "every upstream the ingress tried failed",
        }
    }
}

/// A failed request with its cause, kept for "why did this one fail?".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FailedRequest {
    pub id: u64,
    pub sent_at: Ms,
    pub ended_at: Ms,
    pub reason: Reason,
    pub why: Why,
    pub pod: Option<String>,
    pub image: Option<String>,
    pub cause: String,
}

/// A request a pod holds at this moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InFlight {
    pub id: u64,
    pub sent_at: Ms,
    /// Being answered, or still queued behind the pod's other requests.
    pub answering: bool,
    /// A mirrored copy whose answer no client sees.
    pub shadow: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stage {
    Waiting,
    Serving { done_at: Ms },
}

#[derive(Clone, Debug)]
struct Request {
    id: u64,
    client: u32,
    sent_at: Ms,
    pod: u64,
    generation: u32,
    finished: bool,
    stage: Stage,
    /// Its `Origin` in `Requests::origins`, or `NO_ORIGIN` for a request on a connection of its
    /// own (kept apart so the per-request path moves no more than it did).
    origin: u32,
}

const NO_ORIGIN: u32 = u32::MAX;

/// Where an accepted request came from: a kept-open connection, the ingress controller.
#[derive(Clone, Debug, Default)]
struct Origin {
    /// The kept-open connection it went on.
    conn: Option<pool::ConnRef>,
    /// Through the ingress controller: what it may still try (IN-2).
    upstream: Option<Box<Upstream>>,
}

/// What the ingress controller still may do with a request it is proxying (IN-2).
#[derive(Clone, Debug)]
pub(crate) struct Upstream {
    service: usize,
    /// The upstreams tried so far (pod uid), each with what went wrong there.
    tried: Vec<(u64, String)>,
}

/// Requests in flight, in a slab so events can name them by (slot, generation).
#[derive(Clone, Default)]
pub struct Requests {
    slots: Vec<Request>,
    free: Vec<u32>,
    next_id: u64,
    /// Exact time of the next arrival (ms, fractional), so rounding never drifts the rate.
    next_arrival: f64,
    /// When and in which order the next arrival runs (it is not in the event heap).
    next_arrival_key: Option<(Ms, u64)>,
    round_robin: Vec<usize>,
    /// ClientIP affinity: client → (pod, last used).
    affinity: BTreeMap<u32, (u64, Ms)>,
    /// The connections clients keep open, and every connection counted.
    pub pool: Pool,
    /// The ingress controller's round-robin position, per Service.
    ingress_next: Vec<usize>,
    /// Origins of the requests that have one, in a slab of their own.
    origins: Vec<Origin>,
    free_origins: Vec<u32>,
}

impl Requests {
    #[inline(always)]
    pub(crate) fn next_arrival_key(&self) -> Option<(Ms, u64)> {
        self.next_arrival_key
    }

    /// Keeps where a request came from until it is released; `NO_ORIGIN` needs no slot.
    fn keep_origin(&mut self, from: Origin) -> u32 {
        if let Some(k) = self.free_origins.pop() {
            self.origins[k as usize] = from;
            k
        } else {
            self.origins.push(from);
            self.origins.len() as u32 - 1
        }
    }

    #[inline(always)]
    fn alloc(&mut self, id: u64, client: u32, sent_at: Ms, pod: u64, origin: u32) -> (u32, u32) {
        let request = |generation| Request {
            id,
            client,
            sent_at,
            pod,
            generation,
            finished: false,
            stage: Stage::Waiting,
            origin,
        };
        match self.free.pop() {
            Some(slot) => {
                let generation = self.slots[slot as usize].generation + 1;
                self.slots[slot as usize] = request(generation);
                (slot, generation)
            }
            None => {
                self.slots.push(request(0));
                (self.slots.len() as u32 - 1, 0)
            }
        }
    }

    #[inline(always)]
    fn release(&mut self, slot: u32) {
        let r = &mut self.slots[slot as usize];
        r.finished = true;
        r.generation += 1;
        if r.origin != NO_ORIGIN {
            let origin = r.origin;
            r.origin = NO_ORIGIN;
            self.origins[origin as usize] = Origin::default();
            self.free_origins.push(origin);
        }
        self.free.push(slot);
    }

    /// The kept-open connection request `r` went on, if any.
    #[inline(always)]
    fn conn_of(&self, r: &Request) -> Option<pool::ConnRef> {
        if r.origin == NO_ORIGIN {
            return None;
        }
        self.origins.get(r.origin as usize).and_then(|o| o.conn)
    }

    /// What the ingress controller may still do with request `r`, if it proxies it.
    fn upstream_of(&self, r: &Request) -> Option<Upstream> {
        if r.origin == NO_ORIGIN {
            return None;
        }
        self.origins
            .get(r.origin as usize)?
            .upstream
            .as_deref()
            .cloned()
    }

    #[inline(always)]
    fn live(&self, slot: u32, generation: u32) -> Option<&Request> {
        self.slots
            .get(slot as usize)
            .filter(|r| r.generation == generation)
    }
}

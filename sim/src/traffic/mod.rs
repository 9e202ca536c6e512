//! Client traffic: Poisson arrivals, one connection per request, routed by the proxies (LB-1..LB-4)
//! to a pod, and ending succeeded or failed with a reason and the facts that explain it.
mod client;

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
}

impl Reason {
    pub const ALL: [Reason; 4] = [
        Reason::ConnectionRefused,
        Reason::ConnectionReset,
        Reason::Timeout,
        Reason::AppError,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Reason::ConnectionRefused => "connection_refused",
            Reason::ConnectionReset => "connection_reset",
            Reason::Timeout => "timeout",
            Reason::AppError => "app_error",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Reason::ConnectionRefused => "connection refused",
            Reason::ConnectionReset => "connection reset",
            Reason::Timeout => "timeout",
            Reason::AppError => "application error",
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
}

/// Requests in flight, in a slab so events can name them by (slot, generation).
#[derive(Default)]
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
}

impl Requests {
    pub(crate) fn next_arrival_key(&self) -> Option<(Ms, u64)> {
        self.next_arrival_key
    }

    fn alloc(&mut self, id: u64, client: u32, sent_at: Ms, pod: u64) -> (u32, u32) {
        let stage = Stage::Waiting;
        let request = |generation| Request {
            id,
            client,
            sent_at,
            pod,
            generation,
            finished: false,
            stage,
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

    fn release(&mut self, slot: u32) {
        self.slots[slot as usize].finished = true;
        self.slots[slot as usize].generation += 1;
        self.free.push(slot);
    }

    fn live(&self, slot: u32, generation: u32) -> Option<&Request> {
        self.slots
            .get(slot as usize)
            .filter(|r| r.generation == generation)
    }
}

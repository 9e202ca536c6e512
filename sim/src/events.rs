//! Kubernetes events, as `kubectl get events` and `kubectl describe` print them. Bounded: the
//! oldest are dropped, as the API server's TTL would.
use crate::time::Ms;
use std::collections::VecDeque;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Normal,
    Warning,
}

impl Kind {
    /// The TYPE column of `kubectl get events` and `describe`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Normal => "Normal",
            Kind::Warning => "Warning",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    pub at: Ms,
    pub kind: Kind,
    pub reason: &'static str,
    /// `deployment/web`, `replicaset/web-7d9c`, `pod/web-7d9c-x2`.
    pub object: String,
    pub message: String,
}

const CAPACITY: usize = 20_000;

#[derive(Clone, Debug, Default)]
pub struct EventLog {
    entries: VecDeque<Event>,
    pub dropped: u64,
}

impl EventLog {
    pub fn push(
        &mut self,
        at: Ms,
        kind: Kind,
        reason: &'static str,
        object: &str,
        message: String,
    ) {
        if self.entries.len() == CAPACITY {
            self.entries.pop_front();
            self.dropped += 1;
        }
        self.entries.push_back(Event {
            at,
            kind,
            reason,
            object: object.to_string(),
            message,
        });
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &Event> {
        self.entries.iter()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub(crate) fn clear(&mut self) {
        self.entries.clear();
    }
}

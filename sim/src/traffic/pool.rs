//! The connections clients hold, as data: which pod each one is on, how busy it is, whether the
//! server is closing it, and the counts the summary reports. What happens to them lives in
//! `connection` (CN-1..CN-4).
use super::Exit;
use crate::time::Ms;

/// How long a server's close takes to reach the client. A request written in that moment goes on
/// a connection that is already closed: the keep-alive race (CN-4).
pub(super) const CLOSE_REACHES_CLIENT: Ms = 1;
/// Idle connections a keep-alive client keeps per Service (Go's `DefaultMaxIdleConnsPerHost`).
pub(super) const MAX_IDLE_PER_HOST: usize = 2;

/// A request's connection: its slot in the pool, and which connection held that slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ConnRef {
    pub(super) slot: u32,
    pub(super) generation: u32,
}

/// Why the server closed a connection, for the cause of a request that raced the close.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Close {
    /// SIGTERM with `drain`: idle connections closed at once, busy ones after their response.
    Drain,
    /// The app went away (exit on SIGTERM, SIGKILL, a crash or a probe's kill).
    Gone(Exit),
    /// The server's maxConnectionAge.
    MaxAge,
}

#[derive(Clone, Debug)]
pub(super) struct Conn {
    pub(super) client: u32,
    pub(super) service: usize,
    pub(super) pod: u64,
    pub(super) last_used: Ms,
    /// Requests on it now (HTTP/1.1: at most one).
    pub(super) busy: u32,
    /// The server closes it once its current requests are answered (`Connection: close`, GOAWAY).
    pub(super) closing: Option<Close>,
    /// The server closed it at this time; the client has not heard yet.
    pub(super) closed: Option<(Ms, Close)>,
    /// When the server's maxConnectionAge ends it, if the image has one.
    pub(super) max_age_at: Option<Ms>,
    pub(super) generation: u32,
    /// Held by a client (a free slot is not).
    pub(super) held: bool,
}

/// Every connection clients hold, and every connection counted (`connections` in the summary).
#[derive(Clone, Default)]
pub struct Pool {
    pub(super) conns: Vec<Conn>,
    free: Vec<u32>,
    /// Each client's connections, by slot.
    pub(super) by_client: Vec<Vec<u32>>,
    pub opened: u64,
    pub closed_by_server: u64,
    pub reset: u64,
}

impl Pool {
    pub(super) fn live(&self, c: ConnRef) -> Option<&Conn> {
        self.conns
            .get(c.slot as usize)
            .filter(|x| x.generation == c.generation)
    }

    pub(super) fn insert(&mut self, conn: Conn) -> ConnRef {
        let client = conn.client as usize;
        let slot = match self.free.pop() {
            Some(slot) => {
                let generation = self.conns[slot as usize].generation;
                self.conns[slot as usize] = Conn {
                    generation,
                    held: true,
                    ..conn
                };
                slot
            }
            None => {
                self.conns.push(Conn { held: true, ..conn });
                self.conns.len() as u32 - 1
            }
        };
        if self.by_client.len() <= client {
            self.by_client.resize(client + 1, Vec::new());
        }
        self.by_client[client].push(slot);
        self.opened += 1;
        ConnRef {
            slot,
            generation: self.conns[slot as usize].generation,
        }
    }

    /// The connection leaves the pool: its slot is reused, requests still naming it see that.
    pub(super) fn drop_conn(&mut self, slot: u32) {
        let c = &mut self.conns[slot as usize];
        c.generation += 1;
        c.held = false;
        let client = c.client as usize;
        if let Some(list) = self.by_client.get_mut(client) {
            list.retain(|s| *s != slot);
        }
        self.free.push(slot);
    }

    /// Open connections (not closed by either side) to each pod, for the views.
    pub fn open_to(&self, uid: u64) -> usize {
        self.conns
            .iter()
            .filter(|c| c.held && c.pod == uid && c.closed.is_none())
            .count()
    }
}

//! Connections clients keep open (CN-1..CN-4). kube-proxy chooses the pod only when a connection
//! opens and conntrack keeps it there (TM-6), so a kept-alive or HTTP/2 client goes on sending to
//! its pod after the pod has left the endpoints, until the client or the server closes it.
use super::pool::{Close, Conn, ConnRef, CLOSE_REACHES_CLIENT, MAX_IDLE_PER_HOST};
use super::*;
use crate::cluster::Cluster;
use crate::scenario::Connections;

/// What a client does with its next request.
enum Pick {
    /// Send it on this connection.
    Reuse(u32),
    /// Send it on this connection, which the server has just closed: it fails.
    Race(u32, Ms, Close),
    /// Open a new connection through the proxies.
    Open,
}

impl Cluster {
    /// A request from a client that keeps its connections open (keep-alive or HTTP/2).
    pub(super) fn send_on_connection(&mut self, id: u64, client: u32, svc: usize) {
        let now = self.now;
        match self.pick_connection(client, svc) {
            Pick::Reuse(slot) => {
                let c = &mut self.requests.pool.conns[slot as usize];
                c.busy += 1;
                c.last_used = now;
                let (uid, generation) = (c.pod, c.generation);
                let Some(i) = self.pod_index(uid) else {
                    // A pod's exit closes its connections first, so this does not happen.
                    let cause = format!(
                        "sent at {} on a kept-alive connection whose pod was already gone",
                        fmt_secs(now)
                    );
                    self.fail_new(id, (Reason::ConnectionReset, Why::ClosedConnection), cause);
                    return;
                };
                let origin = self.requests.keep_origin(Origin {
                    conn: Some(ConnRef { slot, generation }),
                    upstream: None,
                });
                self.accept(i, id, client, origin);
            }
            Pick::Race(slot, closed_at, why) => {
                let c = &self.requests.pool.conns[slot as usize];
                let uid = c.pod;
                let (name, image) = self.pod_name_image(uid);
                let by = match why {
                    Close::Drain => {
                        "the app closed its idle connections on SIGTERM to drain".into()
                    }
                    Close::MaxAge => "the server's maxConnectionAge ended it".into(),
                    Close::Gone(exit) => format!("the app {}", exit.describe()),
                };
                let cause = format!(
                    "written at {} on the kept-alive connection to {name}, which the server had closed at {} ({by}); the close had not reached the client yet, so the request went out on a dead connection (the keep-alive race)",
                    fmt_secs(now),
                    fmt_secs(closed_at),
                );
                let why = (Reason::ConnectionReset, Why::ClosedConnection);
                self.fail_at_pod(id, now, why, name, image, cause);
            }
            Pick::Open => {
                let node = client as usize % self.scenario.nodes.max(1) as usize;
                let Some(i) = self.open(id, client, node, svc) else {
                    return;
                };
                let max_age = self.pods[i].behaviour.max_connection_age.map(|d| d.0);
                // gRPC spreads each connection's age by up to a tenth either way, so that
                // connections opened together do not all close together.
                let max_age_at = max_age.map(|age| {
                    let tenth = age / 10;
                    let spread = self.rng.below(2 * tenth as usize + 1) as Ms - tenth;
                    now.saturating_add(age + spread)
                });
                let conn = self.requests.pool.insert(Conn {
                    client,
                    service: svc,
                    pod: self.pods[i].uid,
                    last_used: now,
                    busy: 1,
                    closing: None,
                    closed: None,
                    max_age_at,
                    generation: 0,
                    held: true,
                });
                let from = Origin {
                    conn: Some(conn),
                    upstream: None,
                };
                let origin = self.requests.keep_origin(from);
                self.accept(i, id, client, origin);
            }
        }
    }

    /// The client's choice among its connections to `svc`, closing on the way those that are
    /// done: idle past the idle timeout (the client closes them), past the server's
    /// maxConnectionAge (the server does), or closed by the server long enough ago that the
    /// client knows.
    fn pick_connection(&mut self, client: u32, svc: usize) -> Pick {
        let now = self.now;
        let http2 = self.scenario.traffic.connections == Connections::Http2;
        let idle_timeout = self.scenario.traffic.idle_timeout.0;
        let pool = &mut self.requests.pool;
        let slots = pool
            .by_client
            .get(client as usize)
            .cloned()
            .unwrap_or_default();
        let mut best: Option<(Ms, Pick)> = None;
        for slot in slots {
            let c = &mut pool.conns[slot as usize];
            if c.service != svc {
                continue;
            }
            if let Some((at, why)) = c.closed {
                // HTTP/2's GOAWAY tells the client which requests to send again elsewhere.
                let retried = http2 && !matches!(why, Close::Gone(_));
                if now >= at + CLOSE_REACHES_CLIENT || retried {
                    pool.drop_conn(slot);
                } else if best.as_ref().is_none_or(|(t, _)| c.last_used > *t) {
                    best = Some((c.last_used, Pick::Race(slot, at, why)));
                }
                continue;
            }
            if c.busy == 0 && now - c.last_used >= idle_timeout {
                pool.drop_conn(slot);
                continue;
            }
            if c.closing.is_none() && c.max_age_at.is_some_and(|t| now >= t) {
                c.closing = Some(Close::MaxAge);
            }
            if c.closing.is_some() {
                if c.busy == 0 {
                    pool.closed_by_server += 1;
                    pool.drop_conn(slot);
                }
                continue;
            }
            let usable = http2 || c.busy == 0;
            // Go's transport reuses the most recently used idle connection first.
            if usable && best.as_ref().is_none_or(|(t, _)| c.last_used > *t) {
                best = Some((c.last_used, Pick::Reuse(slot)));
            }
        }
        best.map_or(Pick::Open, |(_, p)| p)
    }

    /// A request on connection `c` ended (answered, failed, or given up on by the client).
    pub(super) fn connection_done(&mut self, c: ConnRef, client_gave_up: bool) {
        let now = self.now;
        let http2 = self.scenario.traffic.connections == Connections::Http2;
        let pool = &mut self.requests.pool;
        let Some(conn) = pool.live(c) else { return };
        if conn.closed.is_some() {
            return;
        }
        let (client, service) = (conn.client, conn.service);
        let conn = &mut pool.conns[c.slot as usize];
        conn.busy = conn.busy.saturating_sub(1);
        conn.last_used = now;
        if client_gave_up && !http2 {
            // HTTP/1.1 cannot cancel a request but by closing its connection.
            pool.drop_conn(c.slot);
            return;
        }
        if conn.closing.is_some() {
            if conn.busy == 0 {
                pool.closed_by_server += 1;
                pool.drop_conn(c.slot);
            }
            return;
        }
        if http2 {
            return;
        }
        let idle = pool.by_client[client as usize]
            .iter()
            .filter(|s| **s != c.slot)
            .map(|s| &pool.conns[*s as usize])
            .filter(|x| x.service == service && x.busy == 0 && x.closed.is_none())
            .count();
        if idle >= MAX_IDLE_PER_HOST {
            pool.drop_conn(c.slot);
        }
    }

    /// SIGTERM with `drain` (CN-4): idle connections are closed now, busy ones after their
    /// current response.
    pub(crate) fn server_drains(&mut self, i: usize) {
        let now = self.now;
        let uid = self.pods[i].uid;
        let pool = &mut self.requests.pool;
        let open = |c: &&mut Conn| c.held && c.pod == uid && c.closed.is_none();
        for c in pool.conns.iter_mut().filter(open) {
            if c.busy == 0 {
                c.closed = Some((now, Close::Drain));
                pool.closed_by_server += 1;
            } else {
                c.closing = Some(Close::Drain);
            }
        }
    }

    /// The app is gone: its connections are closed, reset where a request was in flight.
    pub(crate) fn server_gone(&mut self, i: usize, why: Exit) {
        let now = self.now;
        let uid = self.pods[i].uid;
        let pool = &mut self.requests.pool;
        let mut busy = Vec::new();
        for (slot, c) in pool.conns.iter_mut().enumerate() {
            if !c.held || c.pod != uid || c.closed.is_some() {
                continue;
            }
            c.closed = Some((now, Close::Gone(why)));
            if c.busy > 0 {
                pool.reset += 1;
                busy.push(slot as u32);
            } else {
                pool.closed_by_server += 1;
            }
        }
        // A client whose request was reset knows at once; the others hear of the close a
        // moment later.
        for slot in busy {
            pool.drop_conn(slot);
        }
    }

    /// Connections open to each pod right now (the traffic view draws them).
    pub fn connections_to(&self, uid: u64) -> usize {
        self.requests.pool.open_to(uid)
    }

    pub(super) fn pod_name_image(&self, uid: u64) -> (String, String) {
        match self.pod_index(uid) {
            Some(i) => (self.pods[i].name.clone(), self.pods[i].image.clone()),
            None => self
                .gone
                .iter()
                .rev()
                .find(|g| g.uid == uid)
                .map_or(("a removed pod".into(), String::new()), |g| {
                    (g.name.clone(), g.image.clone())
                }),
        }
    }
}

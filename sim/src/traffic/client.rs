//! Requests on their way: a client sends, a proxy picks the pod for the new connection (LB-1..LB-4),
//! the pod answers, queues, refuses, resets or times out, and the outcome is recorded with its cause.
use super::*;
use crate::cluster::{Cluster, Event};
use crate::scenario::{Connections, Via};

impl Cluster {
    pub(crate) fn start_traffic(&mut self) {
        self.requests.round_robin = vec![0; self.scenario.nodes as usize];
        if self.scenario.traffic.requests_per_second > 0.0 {
            self.schedule_next_arrival();
        }
    }

    #[inline(always)]
    fn schedule_next_arrival(&mut self) {
        let mean_gap = 1000.0 / self.scenario.traffic.requests_per_second;
        self.requests.next_arrival += self.rng.exp(mean_gap);
        let at = crate::rng::floor(self.requests.next_arrival).max(self.now);
        self.requests.next_arrival_key = Some((at, self.queue.take_seq()));
    }

    #[inline(always)]
    fn traffic_service(&self) -> Option<usize> {
        match &self.scenario.traffic.service {
            Some(name) => self.services.iter().position(|s| &s.metadata.name == name),
            None => (!self.services.is_empty()).then_some(0),
        }
    }

    pub(crate) fn arrival(&mut self) {
        let now = self.now;
        self.schedule_next_arrival();
        // Clients reach the pods through a Service: with none (a Deployment pasted alone) there
        // is no client traffic until one is applied, rather than requests failing for nothing.
        if self.scenario.traffic.service.is_none() && self.services.is_empty() {
            return;
        }
        self.requests.next_id += 1;
        let id = self.requests.next_id;
        self.metrics.sent(now);
        let client = self
            .rng
            .below(self.scenario.traffic.clients.max(1) as usize) as u32;
        let node = self.rng.below(self.scenario.nodes as usize);
        let Some(svc) = self.traffic_service() else {
            let name = self.scenario.traffic.service.clone().unwrap_or_default();
            let cause = format!("there is no Service {name:?}, so the client's DNS lookup of {name} failed and nothing was sent");
            self.fail_new(id, (Reason::ConnectionRefused, Why::NoEndpoints), cause);
            return;
        };
        let route = self.route(svc, client);
        if let Some(mirror) = route.mirror {
            // The router mirrors each request on a connection of its own.
            self.metrics.shadow.sent += 1;
            self.connect(id | SHADOW, client, node, mirror);
        }
        match (self.scenario.traffic.via, self.scenario.traffic.connections) {
            (Via::Ingress, _) => self.through_ingress(id, client, now, route.service, Vec::new()),
            (Via::Service, Connections::PerRequest) => {
                self.connect(id, client, node, route.service)
            }
            (Via::Service, _) => self.send_on_connection(id, client, route.service),
        }
    }

    /// A request on a connection of its own.
    #[inline(always)]
    fn connect(&mut self, id: u64, client: u32, node: usize, svc: usize) {
        if let Some(i) = self.open(id, client, node, svc) {
            self.requests.pool.opened += 1;
            self.accept(i, id, client, NO_ORIGIN);
        }
    }

    /// A new connection through the proxy on `node` to a pod of Service `svc`: the pod that
    /// accepted it, or `None` with request `id` failed and its cause recorded.
    #[inline(always)]
    pub(super) fn open(&mut self, id: u64, client: u32, node: usize, svc: usize) -> Option<usize> {
        let view = &self.endpoints[svc].proxies[node];
        if view.routes.is_empty() {
            self.refuse_no_endpoints(id, svc, node);
            return None;
        }
        // A shadow copy is not the client's connection: it leaves session affinity alone.
        let uid = if id & SHADOW != 0 {
            view.routes[self.rng.below(view.routes.len())]
        } else {
            self.pick_endpoint(svc, client, node)
        };
        match self.pod_index(uid) {
            Some(i) if self.pods[i].accepts() => Some(i),
            Some(i) => {
                self.refuse_not_accepting(i, id, svc, node, uid);
                None
            }
            None => {
                self.refuse_gone(id, svc, node, uid);
                None
            }
        }
    }

    // The failures of `open`, kept out of the per-request path (cold): their text is long.

    #[cold]
    #[inline(never)]
    fn refuse_no_endpoints(&mut self, id: u64, svc: usize, node: usize) {
        let now = self.now;
        let whose = self
            .late_proxy(node)
            .map_or("in the proxies' view".into(), |p| {
                format!("in the view of {p}")
            });
        let cause = format!(
            "Service {} had no ready endpoints {whose} at {}, and none terminating that still passed its readiness probe, so kube-proxy rejected the connection",
            self.services[svc].metadata.name,
            fmt_secs(now)
        );
        self.fail_new(id, (Reason::ConnectionRefused, Why::NoEndpoints), cause);
    }

    /// The proxies still route to an IP whose pod is gone: the node has nothing there and the
    /// connection fails at once.
    #[cold]
    #[inline(never)]
    fn refuse_gone(&mut self, id: u64, svc: usize, node: usize, uid: u64) {
        let now = self.now;
        let gone = self.gone.iter().rev().find(|g| g.uid == uid).cloned();
        let (name, image) = gone
            .as_ref()
            .map_or(("a removed pod".into(), String::new()), |g| {
                (g.name.clone(), g.image.clone())
            });
        let routing = self.routing_note(svc, node, uid);
        let cause = match gone {
            Some(g) => format!(
                "sent to {name} at {}, but the pod was already gone (deleted at {}, removed at {}){routing}",
                fmt_secs(now),
                g.deleted_at.map_or("?".into(), fmt_secs),
                fmt_secs(g.gone_at),
            ),
            None => format!("sent at {} to a pod that no longer exists", fmt_secs(now)),
        };
        let why = (Reason::ConnectionRefused, Why::AfterSigterm);
        self.fail_at_pod(id, now, why, name, image, cause);
    }

    /// Pod `i` (`uid`) is there but does not accept connections now.
    #[cold]
    #[inline(never)]
    fn refuse_not_accepting(&mut self, i: usize, id: u64, svc: usize, node: usize, uid: u64) {
        let now = self.now;
        self.note_answer(i, now, false, 0, None);
        let (group, why) = super::cause::not_accepting(&self.pods[i]);
        let routing = self.routing_note(svc, node, uid);
        let name = &self.pods[i].name;
        let cause = format!("sent to {name} at {}; {why}{routing}", fmt_secs(now));
        self.fail_on(i, id, now, (Reason::ConnectionRefused, group), cause);
    }

    /// "kube-proxy on node-2" when each node has its own lag; `None` when all lag alike.
    fn late_proxy(&self, node: usize) -> Option<String> {
        (self.scenario.network.propagation_jitter.0 > 0)
            .then(|| format!("kube-proxy on node-{}", node + 1))
    }

    /// Why the proxy on `node` still sent a connection to `uid`: it is a terminating pod used
    /// because none is ready (TM-5), or the proxy had not yet seen it leave (TM-3).
    fn routing_note(&self, svc: usize, node: usize, uid: u64) -> String {
        let view = &self.endpoints[svc].proxies[node];
        let pod = self.pod_index(uid).map(|i| &self.pods[i]);
        let removed = pod.and_then(|p| p.endpoint_removed_at).or_else(|| {
            self.gone
                .iter()
                .rev()
                .find(|g| g.uid == uid)
                .map(|g| g.gone_at.min(g.deleted_at.unwrap_or(g.gone_at)))
        });
        let who = self
            .late_proxy(node)
            .unwrap_or_else(|| "the proxies".into());
        let until = view
            .drops_at(uid)
            .map_or(String::new(), |t| format!(" until {}", fmt_secs(t)));
        match (view.fallback, removed) {
            (true, _) => format!(
                "; no endpoint was ready, so {who} used the terminating pods still serving (their readiness probe passed when the proxy last synced){until}"
            ),
            (false, Some(at)) => format!(
                "; it left the endpoints at {}, but {who} still routed to it{until}",
                fmt_secs(at)
            ),
            (false, None) => String::new(),
        }
    }

    /// LB-1..LB-3: ClientIP affinity first, then random (iptables) or per-node round-robin (IPVS).
    #[inline(always)]
    fn pick_endpoint(&mut self, svc: usize, client: u32, node: usize) -> u64 {
        let now = self.now;
        let view = &self.endpoints[svc].proxies[node].routes;
        let spec = &self.services[svc].spec;
        let sticky = spec.session_affinity == crate::api::SessionAffinity::ClientIP;
        if sticky {
            if let Some((uid, last)) = self.requests.affinity.get(&client) {
                if now - last <= spec.affinity_timeout_ms() && view.contains(uid) {
                    let uid = *uid;
                    self.requests.affinity.insert(client, (uid, now));
                    return uid;
                }
            }
        }
        let uid = match self.scenario.network.load_balancing {
            LoadBalancing::Random => view[self.rng.below(view.len())],
            LoadBalancing::RoundRobin => {
                let k = self.requests.round_robin[node];
                self.requests.round_robin[node] = k.wrapping_add(1);
                view[k % view.len()]
            }
        };
        if sticky {
            self.requests.affinity.insert(client, (uid, now));
        }
        uid
    }

    #[inline(always)]
    pub(super) fn accept(&mut self, i: usize, id: u64, client: u32, origin: u32) {
        self.accept_sent(i, id, client, self.now, origin);
    }

    /// Pod `i` takes request `id`, sent by its client at `sent_at`: it answers now, or queues
    /// the request behind the ones its workers are busy with.
    #[inline(always)]
    pub(super) fn accept_sent(&mut self, i: usize, id: u64, client: u32, sent_at: Ms, origin: u32) {
        let capacity = self.pods[i]
            .behaviour
            .capacity
            .map_or(usize::MAX, |c| c.max(1) as usize);
        let uid = self.pods[i].uid;
        let (slot, generation) = self.requests.alloc(id, client, sent_at, uid, origin);
        if self.pods[i].serving.len() >= capacity {
            self.pods[i].waiting.push_back(slot);
            let timeout = self.scenario.traffic.timeout.0;
            self.queue.at(
                sent_at.saturating_add(timeout),
                Event::RequestTimeout { slot, generation },
            );
        } else {
            self.serve(i, slot, generation);
        }
    }

    #[inline(always)]
    fn serve(&mut self, i: usize, slot: u32, generation: u32) {
        let now = self.now;
        let client = self.requests.slots[slot as usize].client;
        // The flagged code path's latency, when its flag is on for this user.
        let flagged = self.flag_path(i, client).and_then(|(_, p, _)| p.latency);
        let mean = flagged.unwrap_or(self.pods[i].behaviour.latency).0 as f64;
        let latency = self.rng.exp_ms(mean, 1);
        let request = &mut self.requests.slots[slot as usize];
        request.stage = Stage::Serving {
            done_at: now + latency,
        };
        let deadline = request.sent_at + self.scenario.traffic.timeout.0;
        self.pods[i].serving.push(slot);
        self.queue
            .at(now + latency, Event::RequestDone { slot, generation });
        if now + latency > deadline {
            self.queue
                .at(deadline, Event::RequestTimeout { slot, generation });
        }
    }

    pub(crate) fn request_done(&mut self, slot: u32, generation: u32) {
        let now = self.now;
        let Some(r) = self.requests.live(slot, generation) else {
            return;
        };
        let (id, sent_at, uid, finished) = (r.id, r.sent_at, r.pod, r.finished);
        let conn = self.requests.conn_of(r);
        let client = (id & SHADOW == 0).then_some(r.client);
        let Some(i) = self.pod_index(uid) else { return };
        self.pods[i].serving.retain(|s| *s != slot);
        if !finished {
            let user = self.requests.slots[slot as usize].client;
            let error_rate = self
                .flag_path(i, user)
                .map_or(self.pods[i].behaviour.error_rate, |(_, p, _)| p.error_rate);
            if let Some(cause) = self.schema_mismatch(i, sent_at) {
                self.note_answer(i, sent_at, false, now - sent_at, client);
                self.fail_on(i, id, sent_at, (Reason::AppError, Why::Schema), cause);
            } else if error_rate > 0.0 && self.rng.chance(error_rate) {
                self.note_answer(i, sent_at, false, now - sent_at, client);
                let rate = crate::decimal::fixed(error_rate * 100.0, 0);
                // The flag's name only for the cause: no text is made for a request that succeeds.
                let why = match self.flag_path(i, user) {
                    Some((name, _, on)) => format!("the code behind feature flag {name} (on for {on}% of users, this one included) answered with an error; it fails {rate}% of requests"),
                    None => format!("the app answered with an error (this image fails {rate}% of requests)"),
                };
                let cause = format!(
                    "sent to {} ({}) at {}; {why}",
                    self.pods[i].name,
                    self.pods[i].image,
                    fmt_secs(sent_at),
                );
                self.fail_on(i, id, sent_at, (Reason::AppError, Why::AppError), cause);
            } else {
                self.note_answer(i, sent_at, true, now - sent_at, client);
                if id & SHADOW != 0 {
                    self.metrics.shadow.succeeded += 1;
                } else {
                    self.metrics
                        .succeeded(now, now - sent_at, self.pods[i].image_ix);
                }
            }
        }
        self.requests.release(slot);
        if let (Some(c), false) = (conn, finished) {
            self.connection_done(c, false);
        }
        self.next_waiting(i);
        if matches!(self.pods[i].app, App::Draining { .. })
            && self.pods[i].serving.is_empty()
            && self.pods[i].waiting.is_empty()
        {
            self.app_exit(i, Exit::Drained);
            self.reconcile();
        }
    }

    /// A slot frees up: the oldest queued request (still wanted by its client) is served.
    fn next_waiting(&mut self, i: usize) {
        while let Some(slot) = self.pods[i].waiting.pop_front() {
            let r = &self.requests.slots[slot as usize];
            if !r.finished {
                let generation = r.generation;
                self.serve(i, slot, generation);
                return;
            }
        }
    }

    pub(crate) fn request_timeout(&mut self, slot: u32, generation: u32) {
        let Some(r) = self.requests.live(slot, generation) else {
            return;
        };
        if r.finished {
            return;
        }
        let (id, sent_at, uid, stage) = (r.id, r.sent_at, r.pod, r.stage);
        let conn = self.requests.conn_of(r);
        let timeout = fmt_secs(self.scenario.traffic.timeout.0);
        if let Some(c) = conn {
            self.connection_done(c, true);
        }
        match (stage, self.pod_index(uid)) {
            (_, None) => self.requests.release(slot),
            (Stage::Waiting, Some(i)) => {
                let capacity = self.pods[i].behaviour.capacity.unwrap_or(0);
                let cause = format!(
                    "sent to {} at {}; all {capacity} of its workers were busy and the request waited in the queue until the client gave up after {timeout}",
                    self.pods[i].name,
                    fmt_secs(sent_at)
                );
                self.pods[i].waiting.retain(|s| *s != slot);
                self.note_answer(i, sent_at, false, 0, None);
                self.fail_on(i, id, sent_at, (Reason::Timeout, Why::Overloaded), cause);
                self.requests.release(slot);
            }
            (Stage::Serving { done_at }, Some(i)) => {
                let cause = format!(
                    "sent to {} at {}; the answer would have taken until {}, longer than the client's {timeout} timeout",
                    self.pods[i].name,
                    fmt_secs(sent_at),
                    fmt_secs(done_at)
                );
                self.note_answer(i, sent_at, false, 0, None);
                self.fail_on(i, id, sent_at, (Reason::Timeout, Why::Overloaded), cause);
                // The pod still works on it until done: the slot stays busy, the client is gone.
                self.requests.slots[slot as usize].finished = true;
            }
        }
    }

    /// The app is gone with these requests in flight: their connections are reset. The ingress
    /// controller passes the ones it proxies to another upstream if it still may (IN-2).
    pub(crate) fn reset_requests(&mut self, i: usize, why: Exit) {
        let now = self.now;
        self.server_gone(i, why);
        let pod = &mut self.pods[i];
        let mut slots: Vec<u32> = pod.serving.drain(..).collect();
        slots.extend(pod.waiting.drain(..));
        let pod = &self.pods[i];
        let when = match (why, pod.deletion) {
            (Exit::Sigterm, Some(d)) if d.sigterm_at > d.deleted_at => format!(
                "the app exited on SIGTERM at {} (after a {} preStop)",
                fmt_secs(d.sigterm_at),
                fmt_secs(d.sigterm_at - d.deleted_at)
            ),
            (Exit::Sigkill, Some(d)) => format!(
                "the app was still busy when the {} grace period ran out and was killed (SIGKILL) at {}",
                fmt_secs(d.grace_ms),
                fmt_secs(now)
            ),
            _ => format!("the app {} at {}", why.describe(), fmt_secs(now)),
        };
        let (name, image) = (pod.name.clone(), pod.image.clone());
        for slot in slots {
            let r = self.requests.slots[slot as usize].clone();
            let upstream = self.requests.upstream_of(&r);
            if self.requests.conn_of(&r).is_none() && !r.finished {
                // Its own connection (per request, or the ingress controller's to the pod).
                self.requests.pool.reset += 1;
            }
            if !r.finished && self.ingress_retry(&r, upstream.as_ref(), &name, &when) {
                self.note_answer(i, r.sent_at, false, 0, None);
            } else if !r.finished {
                self.note_answer(i, r.sent_at, false, 0, None);
                let cause = format!(
                    "sent to {name} at {}, in flight when {when}",
                    fmt_secs(r.sent_at)
                );
                let group = match why {
                    Exit::Sigterm => Why::ResetOnSigterm,
                    Exit::Sigkill => Why::Killed,
                    _ => Why::Crashed,
                };
                self.fail_at_pod(
                    r.id,
                    r.sent_at,
                    (Reason::ConnectionReset, group),
                    name.clone(),
                    image.clone(),
                    cause,
                );
            }
            self.requests.release(slot);
        }
    }

    /// What pod `i` did with a request, for analysis and (`client`: an answer a client saw) for
    /// the version that client got.
    #[inline(always)]
    pub(super) fn note_answer(
        &mut self,
        i: usize,
        sent_at: Ms,
        ok: bool,
        latency: Ms,
        client: Option<u32>,
    ) {
        let pod = &mut self.pods[i];
        if ok {
            pod.answered += 1;
        } else {
            pod.failed += 1;
        }
        let served = crate::metrics::Served {
            at: self.now.max(sent_at),
            rs: self.pods[i].owner,
            ok,
            latency,
        };
        if self.metrics.recent_window() > 0 || client.is_some() {
            self.metrics.served(served, self.pods[i].image_ix, client);
        }
    }

    /// A request that failed before reaching any pod.
    pub(super) fn fail_new(&mut self, id: u64, (reason, why): (Reason, Why), cause: String) {
        let now = self.now;
        self.metrics.failed(FailedRequest {
            id,
            sent_at: now,
            ended_at: now,
            reason,
            why,
            pod: None,
            image: None,
            cause,
        });
    }

    /// `fail_at_pod` for the pod at index `i`.
    pub(super) fn fail_on(
        &mut self,
        i: usize,
        id: u64,
        sent_at: Ms,
        why: (Reason, Why),
        cause: String,
    ) {
        let (name, image) = (self.pods[i].name.clone(), self.pods[i].image.clone());
        self.fail_at_pod(id, sent_at, why, name, image, cause);
    }

    pub(super) fn fail_at_pod(
        &mut self,
        id: u64,
        sent_at: Ms,
        (reason, why): (Reason, Why),
        pod: String,
        image: String,
        cause: String,
    ) {
        let now = self.now;
        self.metrics.failed(FailedRequest {
            id,
            sent_at,
            ended_at: now,
            reason,
            why,
            pod: Some(pod),
            image: Some(image),
            cause,
        });
    }

    /// The requests each pod holds now, answering or queued, for the traffic view. (A pod may
    /// still work on a request whose client gave up; that one has ended, as a timeout.)
    pub fn in_flight_by_pod(&self) -> Vec<(&str, Vec<InFlight>)> {
        let request = |slot: &u32, answering| {
            let r = &self.requests.slots[*slot as usize];
            (!r.finished).then_some(InFlight {
                id: r.id & !SHADOW,
                sent_at: r.sent_at,
                answering,
                shadow: r.id & SHADOW != 0,
            })
        };
        self.pods
            .iter()
            .map(|p| {
                let held = p.serving.iter().filter_map(|s| request(s, true));
                let queued = p.waiting.iter().filter_map(|s| request(s, false));
                (p.name.as_str(), held.chain(queued).collect())
            })
            .collect()
    }

    /// Requests sent and not yet ended, counted from the requests themselves (the metrics count
    /// the same thing as sent − succeeded − failed; tests hold the two equal).
    pub fn requests_in_flight(&self) -> u64 {
        self.requests
            .slots
            .iter()
            .filter(|r| !r.finished && r.id & SHADOW == 0)
            .count() as u64
    }
}

//! The stage's picture worked out in CSS pixels: clients → the Service (its endpoints as the
//! control plane lists them beside what the proxies route to) → each ReplicaSet as a group with
//! its revision and counts → its pods as cards. Worked out here and painted elsewhere, so it is
//! tested natively and hit-tested with the very positions that were drawn.
use crate::components::lab::Snapshot;
use rollout_sim::lab::cluster_view::PodView;
use rollout_sim::time::Ms;
use rollout_sim::traffic::{FailedRequest, Reason};

/// Sim time a request takes to cross the picture before it sits at its pod.
pub const TRAVEL_MS: Ms = 240;
/// How long a failure stays on screen, in real time (scaled by the playback speed).
const LINGER_REAL_MS: f64 = 1_500.0;
/// At most this many failure marks at once, and per card (the table below lists them all).
const MARKS: usize = 60;
const MARKS_PER_CARD: usize = 4;
pub const TOP: f64 = 20.0;
const HEADER: f64 = 18.0;
/// A card with two lines of text; with many pods, one line in a grid.
const CARD: f64 = 34.0;
const GRID_CARD: f64 = 24.0;
const GRID_CARD_W: f64 = 120.0;
/// Above this many pods the cards go into a grid, so a hundred still fit and read.
const LIST_MAX: usize = 12;
pub const CLIENTS_X: f64 = 16.0;

/// A ReplicaSet's heading: revision, name, image, ready of desired, and its Rollout role.
#[derive(Debug, PartialEq)]
pub struct Group {
    pub y: f64,
    pub label: String,
    pub version_b: bool,
}

/// A pod's card.
#[derive(Debug, PartialEq)]
pub struct Card {
    pub pod: String,
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    /// Alternates with the revision, so neighbouring versions differ in colour and shape.
    pub version_b: bool,
    pub ready: bool,
    pub terminating: bool,
    /// Listed ready in the endpoints (control plane), and routed by the proxies (data plane).
    pub in_endpoints: bool,
    pub routed: bool,
    /// Its short name and phase; and, on a list card, whether traffic reaches it, in words.
    pub title: String,
    pub detail: Option<String>,
    /// Requests held, for the reduced-motion count.
    pub held: usize,
}

impl Card {
    pub fn centre_y(&self) -> f64 {
        self.y + self.h / 2.0
    }
}

/// A request in flight, where it is drawn.
#[derive(Debug, PartialEq)]
pub struct Dot {
    pub id: u64,
    pub x: f64,
    pub y: f64,
    pub queued: bool,
    pub shadow: bool,
}

/// A failed request, where it is drawn.
#[derive(Debug, PartialEq)]
pub struct Mark {
    pub id: u64,
    pub x: f64,
    pub y: f64,
    pub reason: Reason,
}

/// What a click or tap chose on the stage.
#[derive(Clone, Debug, PartialEq)]
pub enum Chosen {
    Request(u64),
    Pod(String),
}

#[derive(Debug, PartialEq)]
pub struct Scene {
    pub width: f64,
    pub height: f64,
    pub service_x: f64,
    pub service_y: f64,
    pub groups: Vec<Group>,
    pub cards: Vec<Card>,
    pub dots: Vec<Dot>,
    pub marks: Vec<Mark>,
}

pub fn service_x(width: f64) -> f64 {
    (width * 0.2).max(70.0)
}
pub fn cards_x(width: f64) -> f64 {
    (width * 0.34).max(110.0)
}

impl Scene {
    /// The picture at the snapshot's moment. With `moving` off (reduced motion) requests do not
    /// travel: they appear at their pod, so every update is a discrete change.
    pub fn of(s: &Snapshot, width: f64, speed: f64, moving: bool) -> Scene {
        let (groups, cards, bottom) = layout(s, width);
        let height = bottom.max(TOP + 3.0 * CARD + HEADER) + 6.0;
        let service_y = TOP + (height - TOP) / 2.0;
        let sx = service_x(width);
        let mut scene = Scene {
            width,
            height,
            service_x: sx,
            service_y,
            groups,
            cards,
            dots: Vec::new(),
            marks: Vec::new(),
        };
        scene.place_requests(s, moving);
        scene.place_failures(s, speed);
        scene
    }

    fn place_requests(&mut self, s: &Snapshot, moving: bool) {
        let (sx, sy) = (self.service_x, self.service_y);
        for (pod, held) in &s.in_flight {
            let Some(card) = self.cards.iter_mut().find(|c| c.pod == *pod) else {
                continue;
            };
            card.held = held.len();
            // Requests rest in a row along the card's foot, under its text, those answered first
            // (a longer queue than the row holds overdraws its end).
            let per_row = ((card.w - 40.0) / 4.0).max(4.0) as usize;
            for (k, r) in held.iter().enumerate() {
                let rest = (
                    card.x + 22.0 + 4.0 * k.min(per_row - 1) as f64,
                    card.y + card.h - 3.5,
                );
                let t = (s.now_ms - r.sent_at) as f64 / TRAVEL_MS as f64;
                let (x, y) = if !moving || t >= 1.0 {
                    rest
                } else if t < 0.5 {
                    (CLIENTS_X + (sx - CLIENTS_X) * t * 2.0, sy)
                } else {
                    let f = t * 2.0 - 1.0;
                    (sx + (rest.0 - sx) * f, sy + (rest.1 - sy) * f)
                };
                self.dots.push(Dot {
                    id: r.id,
                    x,
                    y,
                    queued: !r.answering,
                    shadow: r.shadow,
                });
            }
        }
    }

    /// Failures sit on the card of the pod that failed them, at its right end, side by side;
    /// under the Service when no pod took the connection.
    fn place_failures(&mut self, s: &Snapshot, speed: f64) {
        let mut per_place: Vec<(Option<&str>, usize)> = Vec::new();
        for f in on_screen(s, speed).take(MARKS) {
            let card = f
                .pod
                .as_deref()
                .and_then(|p| self.cards.iter().find(|c| c.pod == p));
            let place = card.map(|c| c.pod.as_str());
            let j = match per_place.iter_mut().find(|(p, _)| *p == place) {
                Some((_, n)) => {
                    *n += 1;
                    *n - 1
                }
                None => {
                    per_place.push((place, 1));
                    0
                }
            };
            if j >= MARKS_PER_CARD {
                continue;
            }
            let (x, y) = match card {
                Some(c) => (c.x + c.w - 30.0 - 14.0 * j as f64, c.centre_y()),
                None => (self.service_x + 14.0 * j as f64, self.service_y + 50.0),
            };
            self.marks.push(Mark {
                id: f.id,
                x,
                y,
                reason: f.reason,
            });
        }
    }

    /// What is drawn at (x, y): a failure first, then a request, then a pod's card.
    pub fn hit(&self, x: f64, y: f64) -> Option<Chosen> {
        let near = |px: f64, py: f64, r: f64| (px - x).powi(2) + (py - y).powi(2) <= r * r;
        self.marks
            .iter()
            .find(|m| near(m.x, m.y, 10.0))
            .map(|m| Chosen::Request(m.id))
            .or_else(|| {
                self.dots
                    .iter()
                    .find(|d| near(d.x, d.y, 4.0))
                    .map(|d| Chosen::Request(d.id))
            })
            .or_else(|| {
                self.cards
                    .iter()
                    .find(|c| x >= c.x && x <= c.x + c.w && y >= c.y && y <= c.y + c.h)
                    .map(|c| Chosen::Pod(c.pod.clone()))
            })
    }
}

/// The groups and cards, top to bottom, and where the last one ends.
fn layout(s: &Snapshot, width: f64) -> (Vec<Group>, Vec<Card>, f64) {
    let pods: usize = s.replica_sets.iter().map(|rs| rs.pods.len()).sum();
    let x0 = cards_x(width);
    let area = (width - x0 - 4.0).max(GRID_CARD_W);
    let grid = pods > LIST_MAX;
    let columns = if grid {
        (area / GRID_CARD_W).floor().max(1.0) as usize
    } else {
        1
    };
    let (w, h) = if grid {
        (area / columns as f64 - 4.0, GRID_CARD)
    } else {
        (area, CARD)
    };
    let (mut groups, mut cards, mut y) = (Vec::new(), Vec::new(), TOP);
    for rs in &s.replica_sets {
        let role = if rs.role.is_empty() {
            String::new()
        } else {
            format!(" · {}", rs.role)
        };
        groups.push(Group {
            y: y + HEADER - 5.0,
            label: format!(
                "rev {} · {} · {} · {}/{} ready{role}",
                rs.revision, rs.name, rs.image, rs.ready, rs.desired
            ),
            version_b: rs.revision % 2 == 0,
        });
        y += HEADER;
        for (k, p) in rs.pods.iter().enumerate() {
            let (col, row) = (k % columns, k / columns);
            cards.push(card(
                p,
                rs.revision % 2 == 0,
                x0 + col as f64 * (w + 4.0),
                y + row as f64 * (h + 3.0),
                w,
                h,
                grid,
            ));
        }
        let rows = rs.pods.len().div_ceil(columns);
        y += rows as f64 * (h + 3.0);
    }
    (groups, cards, y)
}

fn card(p: &PodView, version_b: bool, x: f64, y: f64, w: f64, h: f64, grid: bool) -> Card {
    let short = p.name.rsplit('-').next().unwrap_or(&p.name);
    Card {
        pod: p.name.clone(),
        x,
        y,
        w,
        h,
        version_b,
        ready: p.ready,
        terminating: p.status == "Terminating",
        in_endpoints: p.in_endpoints,
        routed: p.routed,
        title: format!("{short} · {}", p.phase),
        detail: (!grid).then(|| p.routing.clone()),
        held: 0,
    }
}

/// How long a failure stays on screen at this playback speed, in simulated time.
fn linger(speed: f64) -> Ms {
    (LINGER_REAL_MS * speed.max(0.25)) as Ms
}

/// The failures still on screen, newest first.
pub fn on_screen(s: &Snapshot, speed: f64) -> impl Iterator<Item = &FailedRequest> {
    let linger = linger(speed);
    s.failures
        .iter()
        .take_while(move |f| f.ended_at + linger >= s.now_ms)
}

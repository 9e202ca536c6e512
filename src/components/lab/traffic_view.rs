//! Requests on their way: clients → Service → pods, drawn on a canvas. Each pod is a lane; a
//! request travels to its pod, waits or is answered there, and a failed one stays beside its pod
//! (or the Service, when no pod took it) for a moment, marked with its reason. Choosing one, by
//! click, tap or the buttons below (keyboard), shows what the core says about it.
use super::Snapshot;
use rollout_sim::time::{fmt_secs, Ms};
use rollout_sim::traffic::{FailedRequest, Reason};
use std::rc::Rc;
use yew::prelude::*;

/// Sim time a request takes to cross the picture before it sits at its pod.
const TRAVEL_MS: Ms = 240;
/// How long a failure stays on screen, in real time (scaled by the playback speed).
const LINGER_REAL_MS: f64 = 1_500.0;
/// At most this many failure marks at once (the table below lists them all).
const MARKS: usize = 60;
const LANE: f64 = 22.0;
const TOP: f64 = 26.0;

/// One pod's lane: its label and how it looks.
#[derive(Debug, PartialEq)]
pub struct Lane {
    pub pod: String,
    pub label: String,
    /// Alternates with the revision, so neighbouring versions differ in colour and shape.
    pub version_b: bool,
    pub ready: bool,
    pub y: f64,
    /// Requests held, for the reduced-motion count.
    pub held: usize,
    /// Connections clients keep open to it (drawn as a line that stays on the pod), when they
    /// keep them.
    pub connections: Option<usize>,
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

/// Everything the canvas shows, in CSS pixels: worked out here, painted elsewhere, so it is
/// tested natively and hit-tested with the very positions that were drawn.
#[derive(Debug, PartialEq)]
pub struct Scene {
    pub width: f64,
    pub height: f64,
    pub service_y: f64,
    pub lanes: Vec<Lane>,
    pub dots: Vec<Dot>,
    pub marks: Vec<Mark>,
}

pub const CLIENTS_X: f64 = 16.0;
fn service_x(width: f64) -> f64 {
    width * 0.3
}
fn pods_x(width: f64) -> f64 {
    width * 0.5
}

impl Scene {
    /// The picture at the snapshot's moment. With `moving` off (reduced motion) requests do not
    /// travel: they appear at their pod, so every update is a discrete change.
    pub fn of(s: &Snapshot, width: f64, speed: f64, moving: bool) -> Scene {
        let mut lanes = Vec::new();
        for rs in &s.replica_sets {
            for p in &rs.pods {
                let short = p.name.rsplit('-').next().unwrap_or(&p.name);
                let state = if p.ready { "ready" } else { p.status };
                lanes.push(Lane {
                    pod: p.name.clone(),
                    label: format!("{} {short} {state}", rs.image),
                    version_b: rs.revision % 2 == 0,
                    ready: p.ready,
                    y: TOP + LANE * (lanes.len() as f64 + 0.5),
                    held: 0,
                    connections: p.connections,
                });
            }
        }
        let height = TOP + LANE * lanes.len().max(3) as f64 + 8.0;
        let service_y = TOP + (height - TOP) / 2.0;
        let (sx, px) = (service_x(width), pods_x(width));
        let mut dots = Vec::new();
        for (pod, held) in &s.in_flight {
            let Some(lane) = lanes.iter_mut().find(|l| l.pod == *pod) else {
                continue;
            };
            lane.held = held.len();
            for (k, r) in held.iter().enumerate() {
                // Waiting requests queue leftwards from the pod; those answered sit nearest.
                let rest = (
                    px - 8.0 - 5.0 * (k % 24) as f64,
                    lane.y - 4.0 + (k / 24) as f64 * 4.0,
                );
                let t = (s.now_ms - r.sent_at) as f64 / TRAVEL_MS as f64;
                let (x, y) = if !moving || t >= 1.0 {
                    rest
                } else if t < 0.5 {
                    let f = t * 2.0;
                    (CLIENTS_X + (sx - CLIENTS_X) * f, service_y)
                } else {
                    let f = t * 2.0 - 1.0;
                    (sx + (rest.0 - sx) * f, service_y + (rest.1 - service_y) * f)
                };
                dots.push(Dot {
                    id: r.id,
                    x,
                    y,
                    queued: !r.answering,
                    shadow: r.shadow,
                });
            }
        }
        let linger = linger(speed);
        let marks = on_screen(s, speed)
            .take(MARKS)
            .enumerate()
            .map(|(k, f)| {
                let lane = f
                    .pod
                    .as_ref()
                    .and_then(|p| lanes.iter().find(|l| l.pod == *p));
                // Beside the pod that failed it; at the Service when no pod took the connection.
                let (x0, y) = lane.map_or((sx + 14.0, service_y), |l| (px + 16.0, l.y));
                let age = (s.now_ms - f.ended_at).max(0) as f64 / linger.max(1) as f64;
                // Older marks drift right, away from the pod; without motion they sit side by side.
                let step = if moving {
                    age * 48.0
                } else {
                    (k % 5) as f64 * 12.0
                };
                Mark {
                    id: f.id,
                    x: x0 + step,
                    y: y + if lane.is_none() { 12.0 } else { 0.0 },
                    reason: f.reason,
                }
            })
            .collect();
        Scene {
            width,
            height,
            service_y,
            lanes,
            dots,
            marks,
        }
    }

    /// The request drawn nearest to (x, y), failures first, within a finger's reach.
    pub fn hit(&self, x: f64, y: f64) -> Option<u64> {
        let near = |px: f64, py: f64, r: f64| (px - x).powi(2) + (py - y).powi(2) <= r * r;
        self.marks
            .iter()
            .find(|m| near(m.x, m.y, 12.0))
            .map(|m| m.id)
            .or_else(|| self.dots.iter().find(|d| near(d.x, d.y, 8.0)).map(|d| d.id))
    }
}

/// How long a failure stays on screen at this playback speed, in simulated time.
fn linger(speed: f64) -> Ms {
    (LINGER_REAL_MS * speed.max(0.25)) as Ms
}

/// The failures still on screen, newest first.
fn on_screen(s: &Snapshot, speed: f64) -> impl Iterator<Item = &FailedRequest> {
    let linger = linger(speed);
    s.failures
        .iter()
        .take_while(move |f| f.ended_at + linger >= s.now_ms)
}

/// What the core knows about request `id` now, in words.
pub fn describe(s: &Snapshot, id: u64) -> String {
    if let Some(f) = s.failures.iter().find(|f| f.id == id) {
        return format!(
            "Request #{id} failed at {}: {}. {}",
            fmt_secs(f.ended_at),
            f.reason.label(),
            f.cause
        );
    }
    for (pod, held) in &s.in_flight {
        if let Some(r) = held.iter().find(|r| r.id == id) {
            let copy = if r.shadow { " (a mirrored copy)" } else { "" };
            let doing = if r.answering {
                "being answered by"
            } else {
                "queued for a free worker on"
            };
            return format!(
                "Request #{id}{copy} was sent at {} and is {doing} {pod}.",
                fmt_secs(r.sent_at)
            );
        }
    }
    format!("Request #{id} has ended and did not fail: it succeeded.")
}

#[derive(Properties, PartialEq)]
pub struct TrafficViewProps {
    pub snapshot: Rc<Result<Snapshot, String>>,
    pub speed: f64,
}

#[function_component]
pub fn TrafficView(props: &TrafficViewProps) -> Html {
    let canvas = use_node_ref();
    let chosen = use_state(|| None::<u64>);
    let scene = use_mut_ref(|| None::<Scene>);
    {
        let (canvas, scene, chosen) = (canvas.clone(), scene.clone(), *chosen);
        let (snapshot, speed) = (props.snapshot.clone(), props.speed);
        use_effect_with((snapshot, chosen), move |(snapshot, chosen)| {
            if let Ok(s) = &**snapshot {
                *scene.borrow_mut() = paint::draw(&canvas, s, speed, *chosen);
            }
        });
    }
    let Ok(s) = &*props.snapshot else {
        return html! {};
    };
    let on_click = {
        let (chosen, scene) = (chosen.clone(), scene.clone());
        Callback::from(move |e: MouseEvent| {
            let hit = scene
                .borrow()
                .as_ref()
                .and_then(|sc| sc.hit(f64::from(e.offset_x()), f64::from(e.offset_y())));
            chosen.set(hit);
        })
    };
    let recent: Vec<_> = on_screen(s, props.speed).take(6).collect();
    let in_flight: usize = s.in_flight.iter().map(|(_, h)| h.len()).sum();
    html! {
        <section class="traffic" aria-labelledby="traffic-title">
            <h2 id="traffic-title">{"Requests on their way"}</h2>
            <p class="hint">{format!("{in_flight} in flight at {}. Failed ones stay for a moment beside the pod that failed them: R refused, X reset, T timeout, E app error. Choose one to see why.", fmt_secs(s.now_ms))}</p>
            <canvas ref={canvas} class="traffic-canvas" onclick={on_click} aria-hidden="true"></canvas>
            if !recent.is_empty() {
                <div class="traffic-failures" role="group" aria-label="Failures on screen">
                    { for recent.iter().map(|f| {
                        let (chosen, id) = (chosen.clone(), f.id);
                        html! {
                            <button type="button" aria-pressed={(*chosen == Some(id)).to_string()}
                                onclick={Callback::from(move |_: MouseEvent| chosen.set(Some(id)))}>
                                {format!("#{id} {}", f.reason.label())}
                            </button>
                        }
                    }) }
                </div>
            }
            <p class="traffic-detail" aria-live="polite">
                { chosen.map(|id| describe(s, id)).unwrap_or_default() }
            </p>
        </section>
    }
}

#[cfg(target_arch = "wasm32")]
mod paint {
    //! Paints a `Scene` on the canvas in the page's own colours (CSS custom properties), so
    //! dark mode and the colour-blind-safe palette hold here too.
    use super::*;
    use wasm_bindgen::JsCast;
    use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

    /// Failure marks sit between a pod and its label.
    const LABEL_GAP: f64 = 80.0;

    fn short_reason(r: Reason) -> &'static str {
        match r {
            Reason::ConnectionRefused => "R",
            Reason::ConnectionReset => "X",
            Reason::Timeout => "T",
            Reason::AppError => "E",
            Reason::BadGateway => "5",
            Reason::ServiceUnavailable => "U",
        }
    }

    fn reduced_motion() -> bool {
        web_sys::window()
            .and_then(|w| {
                w.match_media("(prefers-reduced-motion: reduce)")
                    .ok()
                    .flatten()
            })
            .is_some_and(|m| m.matches())
    }

    pub fn draw(node: &NodeRef, s: &Snapshot, speed: f64, chosen: Option<u64>) -> Option<Scene> {
        let canvas = node.cast::<HtmlCanvasElement>()?;
        let width = f64::from(canvas.client_width()).max(280.0);
        let moving = !reduced_motion();
        let scene = Scene::of(s, width, speed, moving);
        // Said on the element, so a test can see which picture the media query chose.
        canvas
            .set_attribute("data-motion", if moving { "travel" } else { "still" })
            .ok()?;
        let ratio = web_sys::window()?.device_pixel_ratio();
        canvas.set_width((width * ratio) as u32);
        canvas.set_height((scene.height * ratio) as u32);
        canvas
            .style()
            .set_property(
                "height",
                &format!("{}px", rollout_sim::decimal::fixed(scene.height, 0)),
            )
            .ok()?;
        let css = web_sys::window()?.get_computed_style(&canvas).ok()??;
        let colour = |name: &str| css.get_property_value(name).unwrap_or_default();
        let (text, muted, v1, v2, fail, focus) = (
            colour("--text"),
            colour("--muted"),
            colour("--v1"),
            colour("--v2"),
            colour("--fail"),
            colour("--focus"),
        );
        let g: CanvasRenderingContext2d = canvas.get_context("2d").ok()??.dyn_into().ok()?;
        g.set_transform(ratio, 0.0, 0.0, ratio, 0.0, 0.0).ok()?;
        g.clear_rect(0.0, 0.0, width, scene.height);
        g.set_font("12px system-ui, sans-serif");
        g.set_fill_style_str(&muted);
        let (sx, px) = (service_x(width), pods_x(width));
        g.fill_text("clients", 2.0, 14.0).ok()?;
        // Through an ingress controller the middle of the picture is the controller, whose own
        // list lags the endpoints (IN-1).
        let entry = match s.ingress_lag {
            Some(lag) => format!("Ingress (list {} late)", fmt_secs(lag)),
            None => "Service".into(),
        };
        g.fill_text(&entry, sx - 20.0, 14.0).ok()?;
        g.fill_text("pods", px, 14.0).ok()?;
        draw_paths(&g, &scene, width, &muted, &text);
        g.set_fill_style_str(&text);
        g.fill_rect(sx - 5.0, scene.service_y - 8.0, 10.0, 16.0);
        for lane in &scene.lanes {
            // Version A is a square, version B a diamond: shape as well as colour.
            g.set_fill_style_str(if lane.version_b { &v2 } else { &v1 });
            if lane.version_b {
                g.begin_path();
                g.move_to(px, lane.y - 6.0);
                g.line_to(px + 6.0, lane.y);
                g.line_to(px, lane.y + 6.0);
                g.line_to(px - 6.0, lane.y);
                g.fill();
            } else {
                g.fill_rect(px - 5.0, lane.y - 5.0, 10.0, 10.0);
            }
            g.set_fill_style_str(if lane.ready { &text } else { &muted });
            let mut label = if moving {
                lane.label.clone()
            } else {
                format!("{} · {} in flight", lane.label, lane.held)
            };
            if let Some(n) = lane.connections {
                label.push_str(&format!(" · {n} conn"));
            }
            g.fill_text(&label, px + LABEL_GAP, lane.y + 4.0).ok()?;
        }
        g.set_fill_style_str(&text);
        for d in &scene.dots {
            if d.shadow || d.queued {
                g.stroke_rect(d.x - 1.5, d.y - 1.5, 3.0, 3.0);
            } else {
                g.fill_rect(d.x - 1.5, d.y - 1.5, 3.0, 3.0);
            }
        }
        g.set_font("bold 11px system-ui, sans-serif");
        for m in &scene.marks {
            g.set_fill_style_str(&fail);
            g.fill_rect(m.x - 6.0, m.y - 6.0, 12.0, 12.0);
            g.set_fill_style_str("#fff");
            g.fill_text(short_reason(m.reason), m.x - 3.5, m.y + 4.0)
                .ok()?;
        }
        // The chosen request, ringed.
        let at = scene
            .marks
            .iter()
            .find(|m| Some(m.id) == chosen)
            .map(|m| (m.x, m.y))
            .or_else(|| {
                scene
                    .dots
                    .iter()
                    .find(|d| Some(d.id) == chosen)
                    .map(|d| (d.x, d.y))
            });
        if let Some((x, y)) = at {
            g.set_stroke_style_str(&focus);
            g.set_line_width(2.0);
            g.stroke_rect(x - 9.0, y - 9.0, 18.0, 18.0);
        }
        Some(scene)
    }

    /// Paths: clients to the Service, the Service to each pod; and kept-open connections as lines
    /// from the clients that stay on their pods, as thick as the connections they stand for (TM-6).
    fn draw_paths(
        g: &CanvasRenderingContext2d,
        scene: &Scene,
        width: f64,
        muted: &str,
        text: &str,
    ) {
        let (sx, px) = (service_x(width), pods_x(width));
        g.set_stroke_style_str(muted);
        g.set_line_width(0.5);
        g.begin_path();
        g.move_to(CLIENTS_X, scene.service_y);
        g.line_to(sx, scene.service_y);
        for lane in &scene.lanes {
            g.move_to(sx, scene.service_y);
            g.line_to(px - 4.0, lane.y);
        }
        g.stroke();
        // Kept-open connections: a line from the clients that stays on its pod, as thick as the
        // connections it stands for (TM-6).
        g.set_stroke_style_str(text);
        for lane in &scene.lanes {
            if let Some(n) = lane.connections.filter(|n| *n > 0) {
                g.set_line_width((n as f64).sqrt().min(4.0));
                g.begin_path();
                g.move_to(CLIENTS_X, scene.service_y);
                g.line_to(px - 8.0, lane.y);
                g.stroke();
            }
        }
        g.set_line_width(0.5);
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod paint {
    //! Server rendering has no canvas: the scene is still worked out, and tested, natively.
    use super::*;
    pub fn draw(_: &NodeRef, s: &Snapshot, speed: f64, _: Option<u64>) -> Option<Scene> {
        Some(Scene::of(s, 600.0, speed, true))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rollout_sim::lab::snapshot::{Changes, Runner};

    fn at(name: &str, ms: Option<Ms>) -> Snapshot {
        let example = rollout_sim::lab::examples::find(name).unwrap();
        Runner::default()
            .snapshot(example, &Changes::default(), ms)
            .unwrap()
    }

    #[test]
    fn recreate_outage_marks_refusals_at_the_service_and_explains_them() {
        // The moment of Recreate's first failure: no pod is left to take the connection.
        let first = at("recreate", None).failures.last().unwrap().ended_at;
        let s = at("recreate", Some(first + 50));
        let scene = Scene::of(&s, 600.0, 1.0, true);
        let m = scene.marks.first().expect("a failure on screen");
        assert_eq!(m.reason, Reason::ConnectionRefused);
        assert!(
            m.y > scene.service_y && m.x < pods_x(600.0),
            "{m:?} is at the Service"
        );
        assert_eq!(scene.hit(m.x + 3.0, m.y - 3.0), Some(m.id));
        let words = describe(&s, m.id);
        assert!(words.contains("connection refused"), "{words}");
        assert!(words.contains(&s.failures[0].cause), "{words}");
    }

    #[test]
    fn kept_open_connections_stay_drawn_on_their_pods() {
        let s = at("http2-scale-up", Some(60_000));
        let scene = Scene::of(&s, 600.0, 1.0, true);
        assert_eq!(scene.lanes.len(), 6);
        let held: Vec<usize> = scene.lanes.iter().filter_map(|l| l.connections).collect();
        assert_eq!(
            held.len(),
            6,
            "every lane says how many connections it holds"
        );
        assert_eq!(held.iter().sum::<usize>(), 30, "one per client");
        assert_eq!(
            held.iter().filter(|n| **n == 0).count(),
            3,
            "the new pods hold none"
        );
        assert!(s.connections.starts_with("30 opened"), "{}", s.connections);
        let per_request = at("recreate", Some(30_000));
        assert!(Scene::of(&per_request, 600.0, 1.0, true)
            .lanes
            .iter()
            .all(|l| l.connections.is_none()));
        assert_eq!(at("ingress-retries", None).ingress_lag, Some(3000));
    }

    #[test]
    fn every_request_in_flight_is_drawn_at_its_pod_and_reduced_motion_does_not_move_them() {
        let s = at("rolling-zero-downtime", Some(20_000));
        let held: usize = s.in_flight.iter().map(|(_, h)| h.len()).sum();
        assert!(held > 0);
        let still = Scene::of(&s, 600.0, 1.0, false);
        assert_eq!(still.dots.len(), held);
        assert!(still
            .dots
            .iter()
            .all(|d| d.x < pods_x(600.0)
                && still.lanes.iter().any(|l| (l.y - d.y).abs() < LANE / 2.0)));
        // A request sent this very moment is at the clients' side while moving, at its pod if not.
        let (pod, newest) = s
            .in_flight
            .iter()
            .flat_map(|(p, h)| h.iter().map(move |r| (p, r)))
            .max_by_key(|(_, r)| r.sent_at)
            .unwrap();
        let moving = Scene::of(&s, 600.0, 1.0, true);
        let dot = |sc: &Scene| {
            sc.dots
                .iter()
                .find(|d| d.id == newest.id)
                .map(|d| d.x)
                .unwrap()
        };
        assert!(s.now_ms - newest.sent_at < TRAVEL_MS / 2, "{newest:?}");
        assert!(dot(&moving) < service_x(600.0));
        assert!(dot(&still) > service_x(600.0));
        assert!(describe(&s, newest.id).contains(pod.as_str()));
    }
}

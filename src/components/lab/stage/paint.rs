//! Paints a `Scene` on the canvas in the page's own colours (CSS custom properties), so dark mode
//! and the colour-blind-safe palette hold here too. Server rendering has no canvas: there the
//! scene is still worked out, and tested, natively.
use super::scene::{Chosen, Scene};
use super::Snapshot;
use yew::NodeRef;

#[cfg(not(target_arch = "wasm32"))]
pub fn draw(_: &NodeRef, s: &Snapshot, speed: f64, _: Option<&Chosen>) -> Option<Scene> {
    Some(Scene::of(s, 600.0, speed, true))
}

#[cfg(target_arch = "wasm32")]
pub use canvas::draw;

#[cfg(target_arch = "wasm32")]
mod canvas {
    use super::*;
    use crate::components::lab::stage::scene::{Card, CLIENTS_X};
    use rollout_sim::time::fmt_secs;
    use rollout_sim::traffic::Reason;
    use wasm_bindgen::JsCast;
    use web_sys::{CanvasRenderingContext2d as Ctx, HtmlCanvasElement};

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

    /// The page's colours, read once per frame.
    struct Palette {
        text: String,
        muted: String,
        v1: String,
        v2: String,
        fail: String,
        fail_text: String,
        focus: String,
        surface: String,
    }

    pub fn draw(
        node: &NodeRef,
        s: &Snapshot,
        speed: f64,
        chosen: Option<&Chosen>,
    ) -> Option<Scene> {
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
        let p = Palette {
            text: colour("--text"),
            muted: colour("--muted"),
            v1: colour("--v1"),
            v2: colour("--v2"),
            fail: colour("--fail"),
            fail_text: colour("--fail-text"),
            focus: colour("--focus"),
            surface: colour("--bg"),
        };
        let g: Ctx = canvas.get_context("2d").ok()??.dyn_into().ok()?;
        g.set_transform(ratio, 0.0, 0.0, ratio, 0.0, 0.0).ok()?;
        g.clear_rect(0.0, 0.0, width, scene.height);
        service(&g, &scene, s, &p)?;
        g.set_font("bold 11px system-ui, sans-serif");
        for group in &scene.groups {
            g.set_fill_style_str(if group.version_b { &p.v2 } else { &p.v1 });
            g.fill_rect(
                scene.cards.first().map_or(0.0, |c| c.x),
                group.y - 9.0,
                3.0,
                11.0,
            );
            g.set_fill_style_str(&p.text);
            let x = scene.cards.first().map_or(0.0, |c| c.x) + 7.0;
            g.fill_text_with_max_width(&group.label, x, group.y, width - x - 4.0)
                .ok()?;
        }
        for c in &scene.cards {
            card(&g, c, &p, moving)?;
        }
        // Set once for every dot: there can be thousands a frame.
        g.set_fill_style_str(&p.text);
        g.set_stroke_style_str(&p.text);
        g.set_line_width(1.0);
        for d in &scene.dots {
            if d.shadow || d.queued {
                g.stroke_rect(d.x - 1.5, d.y - 1.5, 3.0, 3.0);
            } else {
                g.fill_rect(d.x - 1.5, d.y - 1.5, 3.0, 3.0);
            }
        }
        g.set_font("bold 11px system-ui, sans-serif");
        for m in &scene.marks {
            g.set_fill_style_str(&p.fail);
            g.fill_rect(m.x - 6.0, m.y - 6.0, 12.0, 12.0);
            g.set_fill_style_str("#fff");
            g.fill_text(short_reason(m.reason), m.x - 3.5, m.y + 4.0)
                .ok()?;
        }
        ring(&g, &scene, chosen, &p.focus);
        Some(scene)
    }

    /// Clients, the Service (or the ingress in front of it, whose own list lags: IN-1) and the
    /// endpoints as listed beside what the proxies route to; the paths to each card.
    fn service(g: &Ctx, scene: &Scene, s: &Snapshot, p: &Palette) -> Option<()> {
        let (sx, sy) = (scene.service_x, scene.service_y);
        g.set_font("12px system-ui, sans-serif");
        g.set_fill_style_str(&p.muted);
        g.fill_text("clients", 2.0, 13.0).ok()?;
        let entry = match s.ingress_lag {
            Some(lag) => format!("Ingress (list {} late)", fmt_secs(lag)),
            None => "Service".into(),
        };
        g.fill_text(&entry, (sx - 24.0).max(48.0), 13.0).ok()?;
        g.set_stroke_style_str(&p.muted);
        g.set_line_width(0.5);
        g.begin_path();
        g.move_to(CLIENTS_X, sy);
        g.line_to(sx, sy);
        for c in &scene.cards {
            g.move_to(sx, sy);
            g.line_to(c.x, c.centre_y());
        }
        g.stroke();
        g.set_fill_style_str(&p.text);
        g.fill_rect(sx - 5.0, sy - 8.0, 10.0, 16.0);
        // Listed against routed: apart while a change is on its way (TM-3).
        let lag = s.endpoints_ready != s.proxies_route;
        g.set_font("11px system-ui, sans-serif");
        g.set_fill_style_str(if lag { &p.fail_text } else { &p.muted });
        let room = scene.cards.first().map_or(120.0, |c| c.x) - 8.0;
        let x = 4.0;
        g.fill_text_with_max_width(
            &format!("endpoints: {} ready", s.endpoints_ready),
            x,
            sy + 22.0,
            room,
        )
        .ok()?;
        g.fill_text_with_max_width(
            &format!("proxies route to {}", s.proxies_route),
            x,
            sy + 35.0,
            room,
        )
        .ok()?;
        Some(())
    }

    fn card(g: &Ctx, c: &Card, p: &Palette, moving: bool) -> Option<()> {
        let version = if c.version_b { &p.v2 } else { &p.v1 };
        g.set_fill_style_str(&p.surface);
        g.fill_rect(c.x, c.y, c.w, c.h);
        g.set_stroke_style_str(if c.ready { version } else { &p.muted });
        g.set_line_width(if c.ready { 2.0 } else { 1.0 });
        if c.terminating {
            g.set_line_dash(&js_dash()).ok()?;
        }
        g.stroke_rect(c.x + 0.5, c.y + 0.5, c.w - 1.0, c.h - 1.0);
        g.set_line_dash(&js_sys::Array::new()).ok()?;
        // Version A is a square, version B a diamond: shape as well as colour.
        g.set_fill_style_str(version);
        let (mx, my) = (c.x + 9.0, c.y + 9.0);
        if c.version_b {
            g.begin_path();
            g.move_to(mx, my - 5.0);
            g.line_to(mx + 5.0, my);
            g.line_to(mx, my + 5.0);
            g.line_to(mx - 5.0, my);
            g.fill();
        } else {
            g.fill_rect(mx - 4.0, my - 4.0, 8.0, 8.0);
        }
        // Listed in the endpoints, routed by the proxies: filled when so.
        for (k, on) in [c.in_endpoints, c.routed].into_iter().enumerate() {
            let x = c.x + c.w - 20.0 + 9.0 * k as f64;
            g.set_stroke_style_str(&p.text);
            g.set_fill_style_str(&p.text);
            g.set_line_width(1.0);
            if on {
                g.fill_rect(x, c.y + 4.0, 7.0, 7.0);
            } else {
                g.stroke_rect(x + 0.5, c.y + 4.5, 6.0, 6.0);
            }
        }
        g.set_font("11px system-ui, sans-serif");
        g.set_fill_style_str(if c.ready { &p.text } else { &p.muted });
        let mut title = c.title.clone();
        if !moving {
            title.push_str(&format!(" · {} in flight", c.held));
        }
        let room = c.w - 46.0;
        g.fill_text_with_max_width(&title, c.x + 18.0, c.y + 13.0, room)
            .ok()?;
        if let Some(detail) = &c.detail {
            g.set_fill_style_str(&p.muted);
            g.set_font("10px system-ui, sans-serif");
            g.fill_text_with_max_width(detail, c.x + 18.0, c.y + 24.0, c.w - 24.0)
                .ok()?;
        }
        Some(())
    }

    fn js_dash() -> js_sys::Array {
        [4.0, 3.0]
            .iter()
            .map(|v| wasm_bindgen::JsValue::from_f64(*v))
            .collect()
    }

    /// The chosen request or pod, ringed.
    fn ring(g: &Ctx, scene: &Scene, chosen: Option<&Chosen>, focus: &str) {
        g.set_stroke_style_str(focus);
        g.set_line_width(2.0);
        match chosen {
            Some(Chosen::Request(id)) => {
                let at = scene
                    .marks
                    .iter()
                    .find(|m| m.id == *id)
                    .map(|m| (m.x, m.y))
                    .or_else(|| scene.dots.iter().find(|d| d.id == *id).map(|d| (d.x, d.y)));
                if let Some((x, y)) = at {
                    g.stroke_rect(x - 9.0, y - 9.0, 18.0, 18.0);
                }
            }
            Some(Chosen::Pod(pod)) => {
                if let Some(c) = scene.cards.iter().find(|c| c.pod == *pod) {
                    g.stroke_rect(c.x - 2.0, c.y - 2.0, c.w + 4.0, c.h + 4.0);
                }
            }
            None => {}
        }
    }
}

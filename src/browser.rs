//! Every call into the browser, in one place. Components call these from effects and callbacks
//! only, so they still render natively (yew's server renderer) in `cargo test`; off the web these
//! are no-ops.
use crate::route::Route;
use yew::Callback;

#[cfg(target_arch = "wasm32")]
use wasm_bindgen::JsCast;

/// Calls `on_route` on every hash change; the returned closure stops listening.
#[cfg(target_arch = "wasm32")]
pub fn follow_hash(on_route: impl Fn(Route) + 'static) -> impl FnOnce() {
    let listener = web_sys::window().map(|w| {
        let target = w.clone();
        gloo_events::EventListener::new(&target, "hashchange", move |_| {
            on_route(Route::from_hash(&w.location().hash().unwrap_or_default()));
        })
    });
    move || drop(listener)
}

#[cfg(not(target_arch = "wasm32"))]
pub fn follow_hash(_on_route: impl Fn(Route) + 'static) -> impl FnOnce() {
    || ()
}

/// Goes to a route (a new history entry, so Back works); one the other page serves loads it.
pub fn navigate(route: &Route) {
    #[cfg(target_arch = "wasm32")]
    if let Some(w) = web_sys::window() {
        if route.document() != crate::route::document() {
            let _ = w.location().assign(&route.link());
        } else {
            let _ = w.location().set_hash(route.href().trim_start_matches('#'));
        }
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = route;
}

/// Opens the page that serves `route` in place of this one (no history entry for the detour).
pub fn open_document(route: &Route) {
    #[cfg(target_arch = "wasm32")]
    if let Some(w) = web_sys::window() {
        let _ = w.location().replace(&route.link());
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = route;
}

/// Whether this copy of the site has the Check page: the single file and the SCORM package carry
/// the course only, and say so in a `<meta name="rollout-lab-check" content="absent">`.
pub fn has_check_page() -> bool {
    #[cfg(target_arch = "wasm32")]
    return web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| {
            d.query_selector("meta[name=rollout-lab-check]")
                .ok()
                .flatten()
        })
        .is_none();
    #[cfg(not(target_arch = "wasm32"))]
    true
}

/// For an embedded page: a plain click on a link to another page of the site (a lesson's "open
/// the lab") stays embedded, so the frame keeps its compact chrome. Links that open a new tab, and
/// clicks with a modifier (the learner asked for a tab), are left to the browser.
pub fn keep_links_embedded() -> Callback<yew::MouseEvent> {
    Callback::from(|e: yew::MouseEvent| {
        let plain =
            e.button() == 0 && !(e.ctrl_key() || e.meta_key() || e.shift_key() || e.alt_key());
        #[cfg(target_arch = "wasm32")]
        if plain {
            let href = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|t| t.closest("a[href^='#/']:not([target])").ok().flatten())
                .and_then(|a| a.get_attribute("href"));
            if let Some(href) = href {
                e.prevent_default();
                navigate(&Route::from_hash(&href).embedded());
            }
        }
        #[cfg(not(target_arch = "wasm32"))]
        let _ = plain;
    })
}

/// Names the page in the title and, after a navigation, moves focus to its heading so screen
/// readers announce it (a hash change alone is silent).
pub fn announce_page(move_focus: bool) {
    #[cfg(target_arch = "wasm32")]
    {
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let Some(h1) = doc.query_selector("main h1").ok().flatten() else {
            return;
        };
        let title = h1.text_content().unwrap_or_default();
        doc.set_title(&format!("{title} · Rollout Lab"));
        if let (true, Ok(h1)) = (move_focus, h1.dyn_into::<web_sys::HtmlElement>()) {
            let _ = h1.focus();
        }
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = move_focus;
}

/// The skip link moves focus to the main content without changing the hash route.
pub fn skip_to_main() -> Callback<yew::MouseEvent> {
    Callback::from(|e: yew::MouseEvent| {
        e.prevent_default();
        #[cfg(target_arch = "wasm32")]
        {
            let main = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id("main"))
                .and_then(|m| m.dyn_into::<web_sys::HtmlElement>().ok());
            if let Some(main) = main {
                let _ = main.focus();
            }
        }
    })
}

/// The value of the `<input>`, `<textarea>` or `<select>` an event came from.
pub fn event_value(e: &yew::Event) -> Option<String> {
    #[cfg(target_arch = "wasm32")]
    {
        let target = e.target()?;
        if let Some(input) = target.dyn_ref::<web_sys::HtmlInputElement>() {
            return Some(input.value());
        }
        if let Some(text) = target.dyn_ref::<web_sys::HtmlTextAreaElement>() {
            return Some(text.value());
        }
        target
            .dyn_ref::<web_sys::HtmlSelectElement>()
            .map(|s| s.value())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = e;
        None
    }
}

/// How far across the nearest element matching `selector` around a pointer event's target the
/// pointer is, from 0 to 1 (Yew delegates events, so the handler's own element is not at hand).
pub fn pointer_across(e: &yew::MouseEvent, selector: &str) -> Option<f64> {
    #[cfg(target_arch = "wasm32")]
    {
        let target = e.target()?;
        let element = target
            .dyn_ref::<web_sys::Element>()?
            .closest(selector)
            .ok()??;
        let rect = element.get_bounding_client_rect();
        let across = (f64::from(e.client_x()) - rect.left()) / rect.width().max(1.0);
        Some(across.clamp(0.0, 1.0))
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = (e, selector);
        None
    }
}

/// Moves the keyboard focus to `node`'s element.
pub fn focus(node: &yew::NodeRef) {
    #[cfg(target_arch = "wasm32")]
    if let Some(e) = node.cast::<web_sys::HtmlElement>() {
        let _ = e.focus();
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = node;
}

/// Whether the page matches a media query now (`false` where there is no window).
pub fn media(query: &str) -> bool {
    #[cfg(target_arch = "wasm32")]
    {
        web_sys::window()
            .and_then(|w| w.match_media(query).ok().flatten())
            .is_some_and(|m| m.matches())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = query;
        false
    }
}

/// Whether a `<details>` element is open after its toggle event.
pub fn details_open(e: &yew::Event) -> Option<bool> {
    #[cfg(target_arch = "wasm32")]
    {
        let target = e.target()?;
        let element = target.dyn_ref::<web_sys::Element>()?;
        Some(element.has_attribute("open"))
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = e;
        None
    }
}

/// Whether a key belongs to the focused control rather than to the page's shortcuts: any key in
/// a field (typing), and Space or Enter on a button, link or disclosure (pressing it).
pub fn key_for_control(e: &yew::KeyboardEvent) -> bool {
    #[cfg(target_arch = "wasm32")]
    {
        let tag = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .map(|el| el.tag_name());
        let pressing = matches!(e.key().as_str(), " " | "Enter");
        match tag.as_deref() {
            Some("INPUT" | "SELECT" | "TEXTAREA") => true,
            Some("BUTTON" | "A" | "SUMMARY") => pressing,
            _ => false,
        }
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = e;
        false
    }
}

/// Reads the file chosen in a file `<input>` as text: `done(file name, text or why not)`.
pub fn read_chosen_file(
    e: &yew::Event,
    done: impl FnOnce(String, Result<String, String>) + 'static,
) {
    #[cfg(target_arch = "wasm32")]
    if let Some(file) = input_of(e).and_then(|i| i.files()).and_then(|f| f.get(0)) {
        read_text(file, done);
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = (e, done);
}

/// Reads a file dropped on the page as text; the browser is kept from opening it itself.
pub fn read_dropped_file(
    e: &yew::DragEvent,
    done: impl FnOnce(String, Result<String, String>) + 'static,
) {
    e.prevent_default();
    #[cfg(target_arch = "wasm32")]
    if let Some(file) = e
        .data_transfer()
        .and_then(|d| d.files())
        .and_then(|f| f.get(0))
    {
        read_text(file, done);
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = done;
}

#[cfg(target_arch = "wasm32")]
fn read_text(file: web_sys::File, done: impl FnOnce(String, Result<String, String>) + 'static) {
    let name = file.name();
    let Ok(reader) = web_sys::FileReader::new() else {
        return done(name, Err("this browser cannot read files".into()));
    };
    let result = reader.clone();
    let on_load = wasm_bindgen::closure::Closure::once_into_js(move || {
        let text = result.result().ok().and_then(|v| v.as_string());
        done(
            name,
            text.ok_or_else(|| "the file could not be read as text".to_string()),
        );
    });
    reader.set_onloadend(Some(on_load.unchecked_ref()));
    let _ = reader.read_as_text(&file);
}

/// The `<input>` an event came from.
#[cfg(target_arch = "wasm32")]
fn input_of(e: &web_sys::Event) -> Option<web_sys::HtmlInputElement> {
    e.target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
}

/// Whether the checkbox an event came from is checked.
pub fn event_checked(e: &yew::Event) -> Option<bool> {
    #[cfg(target_arch = "wasm32")]
    return input_of(e).map(|i| i.checked());
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = e;
        None
    }
}

/// The value of the `<input>` an input event came from (fires on every change, e.g. a slider).
pub fn input_value(e: &yew::InputEvent) -> Option<String> {
    #[cfg(target_arch = "wasm32")]
    return input_of(e).map(|i| i.value());
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = e;
        None
    }
}

/// The current value of an `<input>` held by a NodeRef.
pub fn node_value(node: &yew::NodeRef) -> Option<String> {
    #[cfg(target_arch = "wasm32")]
    return node.cast::<web_sys::HtmlInputElement>().map(|i| i.value());
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = node;
        None
    }
}

/// Focuses the `<textarea>` held by `node` with its 1-based `line` selected (an error's line);
/// line 0 leaves it as it is.
pub fn select_line(node: &yew::NodeRef, line: u64) {
    #[cfg(target_arch = "wasm32")]
    if let (Some(t), true) = (node.cast::<web_sys::HtmlTextAreaElement>(), line > 0) {
        let text = t.value();
        // Offsets in the units the DOM counts (two-byte code units).
        let mut start = 0u32;
        for (i, l) in text.split('\n').enumerate() {
            let len = l.encode_utf16().count() as u32;
            if i as u64 + 1 == line {
                let _ = t.focus();
                let _ = t.set_selection_range(start, start + len);
                return;
            }
            start += len + 1;
        }
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = (node, line);
}

/// Sets the value of an `<input>` held by a NodeRef (console history).
pub fn set_node_value(node: &yew::NodeRef, value: &str) {
    #[cfg(target_arch = "wasm32")]
    if let Some(i) = node.cast::<web_sys::HtmlInputElement>() {
        i.set_value(value);
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = (node, value);
}

/// Calls `tick` every `ms` milliseconds until the returned closure is called.
pub fn every(ms: u32, tick: impl Fn() + 'static) -> impl FnOnce() {
    #[cfg(target_arch = "wasm32")]
    {
        let interval = gloo_timers::callback::Interval::new(ms, tick);
        move || drop(interval)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = (ms, tick);
        || ()
    }
}

/// The current text of a `<textarea>` held by a NodeRef.
pub fn node_text(node: &yew::NodeRef) -> Option<String> {
    #[cfg(target_arch = "wasm32")]
    return node
        .cast::<web_sys::HtmlTextAreaElement>()
        .map(|t| t.value());
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = node;
        None
    }
}

/// Offers `text` as a file download named `filename` (from a Blob: nothing leaves the page).
pub fn download(filename: &str, text: &str) {
    #[cfg(target_arch = "wasm32")]
    {
        let save = || -> Option<()> {
            let doc = web_sys::window()?.document()?;
            let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
            let options = web_sys::BlobPropertyBag::new();
            let shell = filename.ends_with(".sh");
            options.set_type(if shell {
                "text/x-shellscript"
            } else {
                "application/yaml"
            });
            let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).ok()?;
            let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
            let link = doc
                .create_element("a")
                .ok()?
                .dyn_into::<web_sys::HtmlAnchorElement>()
                .ok()?;
            link.set_href(&url);
            link.set_download(filename);
            link.click();
            web_sys::Url::revoke_object_url(&url).ok()
        };
        let _ = save();
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = (filename, text);
}

#[cfg(not(target_arch = "wasm32"))]
thread_local! {
    static PRERENDERING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// True while `prerender` writes the static pages: what only the running app can do (a lab, the
/// Embed dialog) is left out of them. Always false in the browser.
pub fn prerendering() -> bool {
    #[cfg(target_arch = "wasm32")]
    return false;
    #[cfg(not(target_arch = "wasm32"))]
    PRERENDERING.with(std::cell::Cell::get)
}

/// `prerender`'s switch for `prerendering()`.
#[cfg(not(target_arch = "wasm32"))]
pub fn set_prerendering(on: bool) {
    PRERENDERING.with(|p| p.set(on));
}

/// The page's localStorage, when the browser allows it (a sandboxed frame or file:// may not).
#[cfg(target_arch = "wasm32")]
fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

#[cfg(not(target_arch = "wasm32"))]
thread_local! {
    /// Native builds (tests, server rendering) keep "localStorage" in memory.
    static STORAGE: std::cell::RefCell<std::collections::BTreeMap<String, String>> =
        Default::default();
}

pub fn storage_get(key: &str) -> Option<String> {
    #[cfg(target_arch = "wasm32")]
    return storage()?.get_item(key).ok().flatten();
    #[cfg(not(target_arch = "wasm32"))]
    STORAGE.with(|s| s.borrow().get(key).cloned())
}

/// False when nothing could be stored.
pub fn storage_set(key: &str, value: &str) -> bool {
    #[cfg(target_arch = "wasm32")]
    return storage().is_some_and(|s| s.set_item(key, value).is_ok());
    #[cfg(not(target_arch = "wasm32"))]
    STORAGE.with(|s| {
        s.borrow_mut().insert(key.into(), value.into());
        true
    })
}

pub fn storage_remove(key: &str) -> bool {
    #[cfg(target_arch = "wasm32")]
    return storage().is_some_and(|s| s.remove_item(key).is_ok());
    #[cfg(not(target_arch = "wasm32"))]
    STORAGE.with(|s| {
        s.borrow_mut().remove(key);
        true
    })
}

/// A fresh seed for a new attempt (simulated questions draw their numbers from it).
pub fn random_seed() -> u64 {
    #[cfg(target_arch = "wasm32")]
    return (js_sys::Math::random() * 1e15) as u64 + 1;
    #[cfg(not(target_arch = "wasm32"))]
    1
}

/// Opens the browser's print dialog (the print stylesheet leaves the page's content only).
pub fn print() {
    #[cfg(target_arch = "wasm32")]
    if let Some(w) = web_sys::window() {
        let _ = w.print();
    }
}

/// The page's address without its fragment: where links and activity ids start.
pub fn page_base() -> String {
    #[cfg(target_arch = "wasm32")]
    if let Some(href) = web_sys::window().and_then(|w| w.location().href().ok()) {
        return href.split('#').next().unwrap_or_default().to_string();
    }
    String::new()
}

/// Now, as ISO 8601 (xAPI timestamps).
pub fn now_iso() -> String {
    #[cfg(target_arch = "wasm32")]
    return String::from(js_sys::Date::new_0().to_iso_string());
    #[cfg(not(target_arch = "wasm32"))]
    "1970-01-01T00:00:00.000Z".into()
}

/// Tells the page's host what happened: a `rollout-lab:report` event on the window, whose
/// detail is a report's JSON (`course::report`). `assets/bridge.js` passes it on to a parent
/// frame or an LMS.
pub fn report(json: &str) {
    #[cfg(target_arch = "wasm32")]
    if let Some(w) = web_sys::window() {
        let init = web_sys::CustomEventInit::new();
        init.set_detail(&wasm_bindgen::JsValue::from_str(json));
        if let Ok(event) =
            web_sys::CustomEvent::new_with_event_init_dict("rollout-lab:report", &init)
        {
            let _ = w.dispatch_event(&event);
        }
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = json;
}

/// Whether anyone could hear a report: the page is in a frame, or was opened by another window
/// (where an LMS may keep its SCORM API).
pub fn hosted() -> bool {
    #[cfg(target_arch = "wasm32")]
    if let Some(w) = web_sys::window() {
        let framed = w.parent().ok().flatten().is_some_and(|p| p != w);
        let opened = w.opener().is_ok_and(|o| !o.is_null() && !o.is_undefined());
        return framed || opened;
    }
    false
}

/// Puts `text` on the clipboard; `done(false)` when the browser does not allow it (an iframe
/// without clipboard-write, a page that is not a secure context).
pub fn copy(text: &str, done: impl FnOnce(bool) + 'static) {
    #[cfg(target_arch = "wasm32")]
    {
        let Some(clipboard) = web_sys::window().map(|w| w.navigator().clipboard()) else {
            return done(false);
        };
        let promise = clipboard.write_text(text);
        wasm_bindgen_futures::spawn_local(async move {
            done(wasm_bindgen_futures::JsFuture::from(promise).await.is_ok())
        });
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = text;
        done(false)
    }
}

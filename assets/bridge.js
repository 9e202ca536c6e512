// Rollout Lab's bridge to whoever hosts the page. The app (Rust) only raises a
// `rollout-lab:report` event on the window; this script passes it on:
//   - to a parent frame, as postMessage messages (format in docs/embedding.md): the page's height,
//     xAPI statements, and "ready"; commands from the parent are validated and obeyed only when
//     the sender's origin is on the allow-list the embed URL carries (`allow=<origin>`);
//   - to an LMS, through the SCORM 1.2 API when one is found (LMSInitialize, score, status,
//     the learner's progress in cmi.suspend_data, LMSFinish); without one, nothing changes;
//   - and it installs the service worker when the page is the hosted site (a manifest is linked).
// Plain script, no build step: it must run as it is from a static host, a zip or file://.
"use strict";
(() => {
  const PROGRESS = "rollout-lab.progress.";
  const route = () => location.hash.replace(/^#/, "");
  const query = () => new URLSearchParams(route().split("?")[1] || "");
  const isOrigin = (s) => /^https?:\/\/[^/?#@\s]+$/.test(s);
  // The allow-list is read once, from the URL the host embedded: a later hash change by a
  // command cannot widen it.
  const allowed = query().getAll("allow").flatMap((v) => v.split(",")).map((s) => s.trim()).filter(isOrigin);
  const framed = window.parent !== window;

  // --- Messages to the parent frame -------------------------------------------------------
  // With an allow-list, messages go to those origins only, each named as postMessage's target
  // (the browser drops a message whose target is not the parent's origin); without one, to any
  // parent, since nothing in them is private. Where the browser tells the parent's origin
  // (location.ancestorOrigins), only a matching target is used.
  const parentOrigin = location.ancestorOrigins && location.ancestorOrigins[0];
  const targets = !allowed.length ? ["*"] : parentOrigin ? allowed.filter((o) => o === parentOrigin) : allowed;
  function post(message) {
    if (!framed) return;
    const data = { ...message, type: `rollout-lab:${message.type}` };
    for (const origin of targets) window.parent.postMessage(data, origin);
  }

  let lastHeight = 0;
  function tellHeight() {
    // The body's own extent (not the viewport's, which is the frame's height: it could only grow).
    const body = document.body;
    const height = Math.ceil(body.getBoundingClientRect().bottom + parseFloat(getComputedStyle(body).marginBottom || "0"));
    if (height !== lastHeight) {
      lastHeight = height;
      post({ type: "height", height });
    }
  }

  // --- Commands from the parent frame -----------------------------------------------------
  const SCENARIO = /^[a-z0-9][a-z0-9-]{0,63}$/;
  /** The command a message asks for, or null when it must be ignored. */
  function command(event) {
    if (!framed || event.source !== window.parent || !allowed.includes(event.origin)) return null;
    const d = event.data;
    if (!d || typeof d !== "object" || typeof d.type !== "string") return null;
    if (d.type === "rollout-lab:load-scenario" && typeof d.scenario === "string" && SCENARIO.test(d.scenario)) {
      return { load: d.scenario };
    }
    if (d.type === "rollout-lab:reset") return { reset: true };
    return null;
  }

  function obey(cmd) {
    const keep = allowed.map((o) => `allow=${encodeURIComponent(o)}`).join("&");
    if (cmd.load) {
      location.hash = `#/embed/lab?scenario=${cmd.load}${keep ? `&${keep}` : ""}`;
    } else if (cmd.reset) {
      // A lesson or quiz starts afresh for the next learner; a lab returns to its scenario.
      const lesson = route().match(/^\/(?:embed\/)?(?:lesson|quiz)\/([^/?]+)/);
      if (lesson) {
        try { localStorage.removeItem(PROGRESS + decodeURIComponent(lesson[1])); } catch (_) { /* storage blocked */ }
      }
      location.reload();
    }
  }

  window.addEventListener("message", (event) => {
    const cmd = command(event);
    if (cmd) obey(cmd);
  });

  // --- SCORM 1.2 ---------------------------------------------------------------------------
  // The API object is looked for in the parent frames, then the opener, as the SCORM 1.2 run-time
  // environment specifies; a frame of another origin (or a sandbox) throws, which means "none".
  function findApi(win) {
    for (let depth = 0; win && depth < 8; depth++) {
      try {
        if (win.API && typeof win.API.LMSInitialize === "function") return win.API;
      } catch (_) {
        return null;
      }
      if (win.parent === win) break;
      win = win.parent;
    }
    return null;
  }
  const api = (framed && findApi(window.parent)) || (window.opener && findApi(window.opener)) || null;
  const started = Date.now();
  let finished = false;
  let mastery = NaN;

  // The learner's progress lives in the LMS's record (cmi.suspend_data), not in this browser: a
  // classroom computer's storage may hold another learner's answers, other packages on the same
  // LMS share it, and the learner may come back on another device. So the record replaces what
  // the browser holds when the package opens (before the app reads it: this script runs first),
  // and is written back after each result and on leaving.
  function progressKeys() {
    const keys = [];
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      if (key && key.startsWith(PROGRESS)) keys.push(key);
    }
    return keys;
  }
  const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

  function restoreProgress(text) {
    let lessons = {};
    try {
      const record = JSON.parse(text);
      if (isObject(record) && record.v === 1 && isObject(record.lessons)) lessons = record.lessons;
    } catch (_) { /* no record yet: the learner starts afresh */ }
    try {
      for (const key of progressKeys()) localStorage.removeItem(key);
      for (const [id, progress] of Object.entries(lessons)) {
        if (isObject(progress)) localStorage.setItem(PROGRESS + id, JSON.stringify(progress));
      }
    } catch (_) { /* storage blocked: the app keeps progress for this visit only */ }
  }

  // SCORM 1.2 keeps 4,096 characters. When the whole progress does not fit, what matters least
  // for resuming goes first: the challenges' goal lines, then the wording of given answers (the
  // scores, seeds and steps stay). Null when even that does not fit: the record is left as it was.
  const SUSPEND_DATA_MAX = 4096;
  const TRIMS = [
    () => {},
    (p) => Object.values(isObject(p.challenges) ? p.challenges : {}).forEach((c) => delete c.summary),
    (p) => Object.values(isObject(p.answers) ? p.answers : {}).forEach((a) => delete a.given),
  ];
  function packProgress() {
    const lessons = {};
    let keys = [];
    try { keys = progressKeys(); } catch (_) { /* storage blocked */ }
    for (const key of keys) {
      try {
        const progress = JSON.parse(localStorage.getItem(key));
        if (isObject(progress)) lessons[key.slice(PROGRESS.length)] = progress;
      } catch (_) { /* a damaged entry: the app resets it and says so */ }
    }
    for (const trim of TRIMS) {
      Object.values(lessons).forEach(trim);
      const text = JSON.stringify({ v: 1, lessons });
      if (text.length <= SUSPEND_DATA_MAX) return text;
    }
    return null;
  }

  /** Progress into the record; "suspend" so the LMS hands it back on the next launch. */
  function saveProgress() {
    const packed = packProgress();
    if (packed !== null) api.LMSSetValue("cmi.suspend_data", packed);
    api.LMSSetValue("cmi.core.exit", "suspend");
  }

  if (api) {
    api.LMSInitialize("");
    mastery = parseFloat(api.LMSGetValue("cmi.student_data.mastery_score"));
    const status = api.LMSGetValue("cmi.core.lesson_status");
    if (!status || status === "not attempted") api.LMSSetValue("cmi.core.lesson_status", "incomplete");
    restoreProgress(api.LMSGetValue("cmi.suspend_data"));
    api.LMSCommit("");
  }

  /** The SCORM status and score (0–100) for the course's standing. */
  function scorm(course) {
    const score = course.max ? Math.round((100 * course.raw) / course.max) : 0;
    let status = course.lessons && course.completed === course.lessons ? "completed" : "incomplete";
    if (status === "completed" && !Number.isNaN(mastery)) status = score >= mastery ? "passed" : "failed";
    return { score, status };
  }

  function report(course) {
    if (!api || finished) return;
    const { score, status } = scorm(course);
    api.LMSSetValue("cmi.core.score.min", "0");
    api.LMSSetValue("cmi.core.score.max", "100");
    api.LMSSetValue("cmi.core.score.raw", String(score));
    api.LMSSetValue("cmi.core.lesson_status", status);
    saveProgress();
    api.LMSCommit("");
  }

  function finish() {
    if (!api || finished) return;
    finished = true;
    const s = Math.floor((Date.now() - started) / 1000);
    const pad = (n) => String(n).padStart(2, "0");
    api.LMSSetValue("cmi.core.session_time", `${pad(Math.floor(s / 3600))}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`);
    saveProgress();
    api.LMSCommit("");
    api.LMSFinish("");
  }
  window.addEventListener("pagehide", finish);

  // --- Reports from the app ------------------------------------------------------------------
  window.addEventListener("rollout-lab:report", (event) => {
    let r;
    try { r = JSON.parse(event.detail); } catch (_) { return; }
    for (const statement of r.statements || []) post({ type: "statement", statement });
    if (r.course) {
      post({ type: "score", course: r.course });
      report(r.course);
    }
  });

  // Only a framed page has a height to tell (and a page at the top pays nothing for it).
  window.addEventListener("load", () => {
    if (!framed) return;
    post({ type: "ready", page: route() });
    tellHeight();
    if (typeof ResizeObserver === "function") new ResizeObserver(tellHeight).observe(document.body);
  });

  // --- Offline: the hosted site's service worker ---------------------------------------------
  if ("serviceWorker" in navigator && location.protocol.startsWith("http") && document.querySelector('link[rel="manifest"]')) {
    navigator.serviceWorker.register("./sw.js").catch(() => { /* private mode, or blocked: online only */ });
  }
})();

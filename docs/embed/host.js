// The host side of embedding Rollout Lab (see docs/embedding.md). Where the lab lives and which
// page to show can be given in this page's URL: host.html?lab=<lab URL>&page=<embed route>.
const params = new URLSearchParams(location.search);
const LAB = params.get("lab") || "http://127.0.0.1:8080/"; // ./scripts/serve
const PAGE = params.get("page") || "lab?scenario=rolling-without-readiness";
// Only this page's origin may command the lab, and the lab posts its results to it alone.
const ALLOW = params.get("allow") || location.origin;
const labOrigin = new URL(LAB).origin;
const frame = document.getElementById("rollout-lab");
const sep = PAGE.includes("?") ? "&" : "?";
frame.src = `${LAB}#/embed/${PAGE}${sep}allow=${encodeURIComponent(ALLOW)}`;

const log = (text) => {
  const li = document.createElement("li");
  li.textContent = text;
  document.getElementById("log").append(li);
};

window.addEventListener("message", (e) => {
  // Trust only the lab's own origin, and only messages it names as its own.
  if (e.origin !== labOrigin || !e.data || typeof e.data.type !== "string") return;
  const { type } = e.data;
  if (type === "rollout-lab:height") {
    frame.style.height = `${e.data.height}px`;
  } else if (type === "rollout-lab:statement") {
    const s = e.data.statement;
    const result = s.result.score ? ` ${s.result.score.raw}/${s.result.score.max}` : s.result.success === undefined ? "" : ` (${s.result.success ? "right" : "wrong"})`;
    log(`${s.verb.display["en-US"]} ${s.object.definition.name["en-US"]}${result}`);
  } else if (type === "rollout-lab:score") {
    log(`course score ${e.data.course.raw}/${e.data.course.max}`);
  } else if (type === "rollout-lab:ready") {
    log(`ready: ${e.data.page}`);
  }
});

const send = (message) => frame.contentWindow.postMessage(message, labOrigin);
document.getElementById("load").addEventListener("click", () =>
  send({ type: "rollout-lab:load-scenario", scenario: "canary-replica-ratio" }));
document.getElementById("reset").addEventListener("click", () => send({ type: "rollout-lab:reset" }));

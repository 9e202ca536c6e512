// What the build steps share: reading dist/, hashing inline code for the Content-Security-Policy,
// and putting the policy into a page.
import { createHash } from "node:crypto";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/** Every file under `dir`, as paths relative to it with forward slashes, sorted. */
export function files(dir, prefix = "") {
  return readdirSync(join(dir, prefix))
    .flatMap((name) => {
      const rel = prefix ? `${prefix}/${name}` : name;
      return statSync(join(dir, rel)).isDirectory() ? files(dir, rel) : [rel];
    })
    .sort();
}

/** `'sha256-…'` of a script or style element's text, as CSP matches it. */
export const cspHash = (text) => `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;

/** The text of every inline `<tag>…</tag>` (no src attribute) in `html`. */
export function inline(html, tag) {
  const re = new RegExp(`<${tag}(?![^>]*\\ssrc=)[^>]*>([\\s\\S]*?)</${tag}>`, "g");
  return [...html.matchAll(re)]
    .filter((m) => !/type="application\/octet-stream"/.test(m[0]))
    .map((m) => m[1]);
}

/**
 * The policy for a page: scripts only from `script` sources plus the inline ones by hash, and
 * WebAssembly compilation (`wasm-unsafe-eval`) but never `eval`; no other origin anywhere.
 */
export function csp(html, { self }) {
  const from = self ? "'self'" : "";
  const scripts = inline(html, "script").map(cspHash);
  const styles = inline(html, "style").map(cspHash);
  return [
    `default-src ${self ? "'self'" : "'none'"}`,
    `script-src ${[from, "'wasm-unsafe-eval'", ...scripts].filter(Boolean).join(" ")}`,
    `style-src ${[from, ...styles].filter(Boolean).join(" ") || "'none'"}`,
    `img-src ${[from, "data:", "blob:"].filter(Boolean).join(" ")}`,
    `connect-src ${self ? "'self'" : "'none'"}`,
    ...(self ? ["worker-src 'self'", "manifest-src 'self'"] : []),
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
}

/** `html` with its policy right after the charset, before anything it must cover. */
export function withCsp(html, options) {
  const meta = `<meta http-equiv="Content-Security-Policy" content="${csp(html, options)}">`;
  const page = html.replace(/\s*<meta http-equiv="Content-Security-Policy"[^>]*>/, "");
  if (!/<meta charset="utf-8">/.test(page)) throw new Error("the page has no <meta charset=\"utf-8\">");
  return page.replace(/<meta charset="utf-8">/, (m) => `${m}\n  ${meta}`);
}

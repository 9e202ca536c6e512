// One self-contained HTML file from the hosted build in dist/: styles, icon, scripts and the
// WebAssembly inlined, so it runs from file://, a USB stick or a sandboxed frame with no server
// and no network (a page from file:// cannot fetch its .wasm). The wasm travels gzipped in base64
// and is unpacked by the browser's own DecompressionStream, which keeps the file near the hosted
// download's size. `node scripts/dist/single.mjs dist out/rollout-lab.html`.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { files, withCsp } from "./page.mjs";

export function singleFile(dist) {
  const all = files(dist);
  const find = (re) => {
    const f = all.find((name) => re.test(name));
    if (!f) throw new Error(`${dist} has no file like ${re}: run the site build first`);
    return readFileSync(join(dist, f));
  };
  const css = find(/^app-.*\.css$/).toString("utf8");
  const icon = find(/^favicon-.*\.svg$/).toString("base64");
  const bridge = find(/^bridge-.*\.js$/).toString("utf8");
  const wasm = gzipSync(find(/^rollout-lab-[0-9a-f]+_bg\.wasm$/), { level: 9 }).toString("base64");
  // wasm-bindgen's glue is an ES module; inline, it keeps its code and loses its exports.
  const glue = find(/^rollout-lab-[0-9a-f]+\.js$/)
    .toString("utf8")
    .replace(/^export \{[^}]*\};?\s*$/gm, "")
    .replace(/^export (async function|function|class|const|let) /gm, "$1 ");
  const start = `
const packed = document.getElementById("rollout-lab-wasm").textContent;
const gz = Uint8Array.from(atob(packed), (c) => c.charCodeAt(0));
const bytes = await new Response(new Blob([gz]).stream().pipeThrough(new DecompressionStream("gzip"))).arrayBuffer();
await __wbg_init({ module_or_path: bytes });
`;
  const page = readFileSync(join(dist, "index.html"), "utf8")
    // The hosted site's extras have no place in one file: no preloads, no worker, no manifest.
    .replace(/<meta http-equiv="Content-Security-Policy"[^>]*>\n?/, "")
    .replace(/<link rel="(modulepreload|preload|manifest)"[^>]*>/g, "")
    .replace(/<!--[\s\S]*?-->\s*/g, "")
    // The Check page is the hosted site's: this file carries the course only, and tells the app.
    .replace(/<\/title>/, '</title>\n  <meta name="rollout-lab-check" content="absent">')
    .replace(/<a href="check\.html#\/check">Check<\/a>/g, "")
    .replace(/<link rel="stylesheet"[^>]*>/, () => `<style>${css}</style>`)
    .replace(/<link rel="icon"[^>]*>/, () => `<link rel="icon" href="data:image/svg+xml;base64,${icon}">`)
    .replace(/<script src="\.\/bridge-[^"]*"[^>]*><\/script>/, () => `<script>${bridge}</script>`)
    .replace(/<script type="module">[\s\S]*?<\/script>/, () =>
      `<script type="application/octet-stream" id="rollout-lab-wasm">${wasm}</script>\n<script type="module">${glue}${start}</script>`);
  for (const leftover of [/\ssrc="\.\//, /\shref="\.\//]) {
    if (leftover.test(page)) throw new Error(`the single file still points at a file: ${page.match(leftover)}`);
  }
  return withCsp(page, { self: false });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [dist = "dist", out = "out/rollout-lab.html"] = process.argv.slice(2);
  const html = singleFile(dist);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, html);
  console.log(`  ${out}: ${(Buffer.byteLength(html) / 1024).toFixed(1)} KB, everything inlined`);
}

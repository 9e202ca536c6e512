// Finishes the hosted site in dist/ after `trunk build`: the web app manifest, the service
// worker's precache list (every file, by its hashed name) and release id, and the page's
// Content-Security-Policy. Run by scripts/build; `node scripts/dist/site.mjs dist`.
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { files, withCsp } from "./page.mjs";

const root = fileURLToPath(new URL("../..", import.meta.url));

export function finishSite(dist) {
  const icon = files(dist).find((f) => /^favicon-.*\.svg$/.test(f));
  writeFileSync(
    join(dist, "manifest.webmanifest"),
    JSON.stringify(
      {
        name: "Rollout Lab",
        short_name: "Rollout Lab",
        description: "Learn zero-downtime deployment on Kubernetes by breaking it and fixing it.",
        start_url: "./",
        scope: "./",
        display: "standalone",
        background_color: "#ffffff",
        theme_color: "#1f5fbf",
        icons: [{ src: `./${icon}`, sizes: "any", type: "image/svg+xml", purpose: "any" }],
      },
      null,
      2,
    ),
  );
  for (const page of ["index.html", "check.html"]) {
    const file = join(dist, page);
    writeFileSync(file, withCsp(readFileSync(file, "utf8"), { self: true }));
  }
  // The worker itself is not precached: the browser checks it for updates on every visit.
  const precache = files(dist).filter((f) => f !== "sw.js");
  const release = createHash("sha256");
  for (const f of precache) release.update(f).update(readFileSync(join(dist, f)));
  const sw = readFileSync(join(root, "assets/sw.js"), "utf8")
    .replace(/^const RELEASE = .*$/m, `const RELEASE = "${release.digest("hex").slice(0, 16)}";`)
    .replace(/^const PRECACHE = .*$/m, `const PRECACHE = ${JSON.stringify(["./", ...precache.map((f) => `./${f}`)])};`);
  writeFileSync(join(dist, "sw.js"), sw);
  return precache.length;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const n = finishSite(process.argv[2] || "dist");
  console.log(`  dist/: manifest, Content-Security-Policy, service worker precaching ${n + 1} URLs`);
}

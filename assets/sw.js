// Rollout Lab's service worker: the hosted site keeps working offline once it has loaded.
// `scripts/dist/site.mjs` writes PRECACHE and RELEASE at build time from the files in dist/,
// whose names carry a content hash; a new release therefore has a new cache, the old one is
// deleted when the new worker activates, and stale code is never served.
const RELEASE = "dev";
const PRECACHE = [];
const CACHE = `rollout-lab-${RELEASE}`;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(PRECACHE)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("rollout-lab-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

// Pages: the network first (a new release shows as soon as it is online), the cached page when
// offline. Hashed files never change, so the cache answers them first.
self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(
      fetch(request)
        .then((response) => {
          const copy = response.clone();
          if (response.ok) caches.open(CACHE).then((c) => c.put("./", copy));
          return response;
        })
        .catch(() => caches.match("./", { ignoreSearch: true }).then((r) => r || caches.match("./index.html"))),
    );
    return;
  }
  event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
});

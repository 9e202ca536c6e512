// A small static file server for dist/: used by `scripts/serve` and by the browser tests, which
// mount the site under a sub-path to prove that every URL in it is relative.
import http from 'node:http';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.wasm': 'application/wasm', '.svg': 'image/svg+xml', '.json': 'application/json',
  '.webmanifest': 'application/manifest+json', '.png': 'image/png', '.ico': 'image/x-icon', '.yaml': 'text/yaml; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8', '.zip': 'application/zip',
};

/** Serves `root` under `prefix` (e.g. "/course/rollout-lab/") on 127.0.0.1; resolves to { url, close }.
 * `gzip`: compress what the client accepts compressed, as a real static host does (the benchmarks). */
export function startServer({ root, prefix = '/', port = 0, host = '127.0.0.1', gzip = false }) {
  const base = path.resolve(root);
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://local');
    if (!url.pathname.startsWith(prefix)) { res.writeHead(404).end('not under ' + prefix); return; }
    let rel = decodeURIComponent(url.pathname.slice(prefix.length));
    if (rel === '' || rel.endsWith('/')) rel += 'index.html';
    const file = path.resolve(base, rel);
    if (file !== base && !file.startsWith(base + path.sep)) { res.writeHead(403).end(); return; }
    try {
      const body = await fs.readFile(file);
      const headers = { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' };
      if (gzip && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '')) {
        res.writeHead(200, { ...headers, 'content-encoding': 'gzip', vary: 'accept-encoding' });
        res.end(gzipSync(body, { level: 9 }));
        return;
      }
      res.writeHead(200, headers);
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: ' + rel);
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const { port: actual } = server.address();
      // Closing also drops kept-alive connections: a test may take the server away mid-visit.
      resolve({ url: `http://${host}:${actual}${prefix}`, close: () => new Promise((r) => { server.close(r); server.closeAllConnections(); }) });
    });
  });
}

// `node server.mjs --root dist --port 8080 [--prefix /]`
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name, fallback) => { const i = process.argv.indexOf('--' + name); return i > 0 ? process.argv[i + 1] : fallback; };
  const { url } = await startServer({ root: arg('root', 'dist'), prefix: arg('prefix', '/'), port: Number(arg('port', 8080)) });
  console.log(`Rollout Lab is at ${url}  (Ctrl-C stops)`);
}

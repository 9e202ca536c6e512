// Seeking in the lab, in headless Chromium (a benchmark, never a test): a scenario file is opened,
// then the time slider jumps to moments all over the run, back and forth, and each jump is timed
// from the slider's input event until the kubectl panel's heading, drawn from the moment's
// snapshot, names the new moment. Then the memory the page holds: the JS heap and the wasm memory.
// Usage: node tests/bench/seek.mjs FILE.yaml [jumps]   (after ./scripts/build; serves dist/ itself)
import { openSite } from '../browser/harness.mjs';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';

const [file, jumps = '20'] /* coprime with 13 */ = process.argv.slice(2);
if (!file) throw new Error('usage: node tests/bench/seek.mjs FILE.yaml [jumps]');
// SITE: another built site to measure (an earlier build, to compare); dist/ by default.
const site = await openSite({ root: process.env.SITE ?? 'dist' });
try {
  // The wasm module's memory, kept where the benchmark can read its size.
  await site.context.addInitScript(() => {
    const keep = (result) => {
      const instance = result.instance ?? result;
      if (instance.exports?.memory) globalThis.__wasmMemory = instance.exports.memory;
      return result;
    };
    for (const name of ['instantiate', 'instantiateStreaming']) {
      const original = WebAssembly[name];
      WebAssembly[name] = (...args) => original.apply(WebAssembly, args).then(keep);
    }
  });
  const page = await site.page('#/lab');
  await page.getByLabel('Open scenario file').setInputFiles({ name: basename(file), mimeType: 'text/yaml', buffer: await readFile(file) });
  await page.waitForURL(/scenario=file:/);
  await page.locator('#kubectl-title').waitFor();
  const end = Number(await page.locator('#lab-time').getAttribute('max'));
  // Moments spread over the run in a fixed shuffled order: forward, back, near and far.
  const moments = Array.from({ length: Number(jumps) }, (_, i) => Math.round(((i * 13) % Number(jumps) + 0.5) * end / Number(jumps)));
  const times = [];
  for (const s of moments) {
    times.push(await page.evaluate((s) => new Promise((done, fail) => {
      setTimeout(() => fail(new Error(`no snapshot of ${s} s within 10 s`)), 10000);
      const title = document.querySelector('#kubectl-title');
      const want = `kubectl at ${s}.0s`;
      const slider = document.querySelector('#lab-time');
      const start = performance.now();
      const seen = new MutationObserver(() => {
        if (title.textContent === want) { seen.disconnect(); done(performance.now() - start); }
      });
      seen.observe(title, { childList: true, characterData: true, subtree: true });
      slider.value = String(s);
      slider.dispatchEvent(new Event('input', { bubbles: true }));
    }), s));
  }
  const memory = await page.evaluate(() => ({
    heap: performance.memory?.usedJSHeapSize ?? 0,
    wasm: globalThis.__wasmMemory?.buffer.byteLength ?? 0,
  }));
  if (process.env.SEEK_EACH) console.log(moments.map((s, i) => `${s}s: ${times[i].toFixed(0)}`).join(", "));
  const sorted = [...times].sort((a, b) => a - b);
  const q = (p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))].toFixed(0);
  const mb = (b) => (b / 1048576).toFixed(1);
  console.log(`lab seek, ${basename(file)} (${end} s): ${times.length} jumps anywhere in the run; median ${q(0.5)} ms, p95 ${q(0.95)} ms, slowest ${q(1)} ms (goal: at most 100 ms)`);
  console.log(`  memory after seeking: JS heap ${mb(memory.heap)} MB + wasm memory ${mb(memory.wasm)} MB = ${mb(memory.heap + memory.wasm)} MB (goal: under 150 MB)`);
  if (!memory.wasm) throw new Error('the wasm memory was not found');
} finally {
  await site.close();
}

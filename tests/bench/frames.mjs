// Frame times of the lab while it plays, in headless Chromium (a benchmark, never a test).
// Usage: node tests/bench/frames.mjs [scenario | file.yaml] [speed]   (after ./scripts/build; serves
// dist/ itself). A file is opened through the lab's own "Open scenario file" picker.
import { openSite } from '../browser/harness.mjs';

const [scenario = 'canary-replica-ratio', speed = '32'] = process.argv.slice(2);
// SITE: another built site to measure (an earlier build, to compare); dist/ by default.
const site = await openSite({ root: process.env.SITE ?? 'dist' });
try {
  const file = scenario.endsWith('.yaml');
  const page = await site.page(`#/lab${file ? '' : `?scenario=${scenario}`}`);
  if (file) {
    const { readFile } = await import('node:fs/promises');
    const { basename } = await import('node:path');
    await page.getByLabel('Open scenario file').setInputFiles({ name: basename(scenario), mimeType: 'text/yaml', buffer: await readFile(scenario) });
    await page.waitForURL(/scenario=file:/);
  }
  await page.getByRole('button', { name: 'Restart', exact: true }).click();
  await page.getByLabel('Speed').selectOption(speed);
  // Record the gap between animation frames for as long as playback runs (at most 8 s).
  const gaps = await page.evaluate(async () => {
    document.querySelector('.playback button').click();
    const gaps = [];
    let last = performance.now();
    const end = last + 8000;
    await new Promise((done) => {
      const frame = (now) => {
        gaps.push(now - last);
        last = now;
        const playing = document.querySelector('.playback button')?.getAttribute('aria-pressed') === 'true';
        if (now < end && playing) requestAnimationFrame(frame); else done();
      };
      requestAnimationFrame(frame);
    });
    return gaps;
  });
  // How many requests the traffic view was drawing when playback stopped.
  const inFlight = (await page.locator('.traffic .hint').textContent()).match(/^(\d+) in flight/)?.[1];
  gaps.sort((a, b) => a - b);
  const q = (p) => gaps[Math.min(gaps.length - 1, Math.floor(p * gaps.length))].toFixed(1);
  console.log(`lab playback, ${scenario} at ${speed}x: ${gaps.length} frames; frame time p50 ${q(0.5)} ms, p95 ${q(0.95)} ms, max ${q(1)} ms (goal: p95 at most 16.7 ms); ${inFlight} requests in flight drawn at the end`);
} finally {
  await site.close();
}

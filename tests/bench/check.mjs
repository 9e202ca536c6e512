// How long the Check page takes to check a 50-replica Deployment at 1,000 requests/s, search for
// the smallest fix included, in headless Chromium on this machine (a benchmark, never a test).
// Usage: node tests/bench/check.mjs [file.yaml] [runs]   (after ./scripts/build; serves dist/ itself)
import { readFile } from 'node:fs/promises';
import { openSite } from '../browser/harness.mjs';

const [file = 'tests/bench/check-fifty.yaml', runs = '5'] = process.argv.slice(2);
const manifests = await readFile(file, 'utf8');
const site = await openSite();
try {
  const times = [];
  let verdict = '';
  for (let i = 0; i < Number(runs); i++) {
    const page = await site.page('check.html#/check');
    await page.getByLabel('Manifests').fill(manifests);
    await page.locator('#check-rps').fill('1000');
    // From the press of the button to the report on screen, timed inside the page.
    const ms = await page.evaluate(() => new Promise((done) => {
      const start = performance.now();
      new MutationObserver((_, observer) => {
        if (document.querySelector('#check-verdict')) {
          observer.disconnect();
          requestAnimationFrame(() => done(performance.now() - start));
        }
      }).observe(document.body, { childList: true, subtree: true });
      document.querySelector('.check-form button[type=submit]').click();
    }));
    verdict = await page.locator('#check-verdict').textContent();
    const fix = await page.locator('#check-fix-title').textContent().catch(() => 'no fix');
    if (i === 0) console.log(`  ${verdict} ${fix}.`);
    times.push(ms);
    await page.close();
  }
  times.sort((a, b) => a - b);
  const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
  console.log(`  check of ${file} at 1,000 requests/s, search included: median ${at(0.5).toFixed(0)} ms, fastest ${times[0].toFixed(0)} ms, slowest ${times[times.length - 1].toFixed(0)} ms over ${times.length} runs (goal: under 2,000 ms)`);
} finally {
  await site.close();
}

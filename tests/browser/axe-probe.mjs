import { openSite } from './harness.mjs';
import { readFile } from 'node:fs/promises';
const src = await readFile('node_modules/axe-core/axe.min.js', 'utf8');
const site = await openSite();
const pages = ['#/', '#/lesson/why-deploys-cause-downtime', '#/lab?scenario=canary-replica-ratio', '#/embed/lab?scenario=recreate'];
for (const scheme of ['light', 'dark']) for (const hash of pages) {
  const page = await site.page(hash, { colorScheme: scheme, viewport: { width: 1280, height: 800 } });
  await page.waitForSelector('main h1, main h2, main h3');
  await page.waitForTimeout(500);
  await page.evaluate(src);
  const r = await page.evaluate(() => axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } }));
  for (const v of r.violations) console.log(scheme, hash, v.id, v.nodes.length, v.nodes.slice(0, 3).map((n) => n.target.join(' ') + ' :: ' + n.failureSummary.split('\n').slice(1,2).join('')).join(' | '));
  console.log(scheme, hash, 'violations', r.violations.length, 'passes', r.passes.length);
  await page.close();
}
await site.close();

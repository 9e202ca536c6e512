// Accessibility in headless Chromium: axe-core's WCAG 2.2 AA rules on the catalogue, a lesson
// step with its lab, the lab, the embedded lab and the Check page (a report, a refusal), in light
// and in dark; and the keyboard reaches
// every control of the lab.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { openSite } from './harness.mjs';

let site;
let axeSource;
before(async () => {
  site = await openSite();
  axeSource = await readFile(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');
});
after(async () => { await site?.close(); });

const WCAG_22_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** axe-core's violations of the WCAG 2.2 A and AA rules on the page as it stands. */
async function violations(page) {
  // Evaluated by the driver, so the page's Content-Security-Policy (no inline script) still holds.
  await page.evaluate(axeSource);
  const result = await page.evaluate((tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags } }), WCAG_22_AA);
  assert.ok(result.passes.length > 15, `axe ran its rules (${result.passes.length} passed)`);
  return result.violations.map((v) => `${v.id} (${v.nodes.length}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

const PAGES = [
  ['the catalogue', '#/', async (page) => page.getByRole('heading', { level: 1 }).waitFor()],
  ['a lesson step with its lab', '#/lesson/why-deploys-cause-downtime', async (page) => {
    await page.getByRole('navigation', { name: 'Steps' }).getByRole('button', { name: /Try it/ }).click();
    await page.getByRole('status', { name: 'Outcome' }).waitFor();
  }],
  ['the lab', '#/lab?scenario=canary-replica-ratio', async (page) => {
    await page.getByRole('status', { name: 'Outcome' }).waitFor();
    // During the canary's errors, with a failure chosen and a termination timeline open, so
    // those are checked too.
    await page.getByLabel('Time', { exact: true }).fill('100');
    await page.getByRole('group', { name: 'Failures on screen' }).getByRole('button').first().click();
    await page.getByRole('button', { name: 'Termination timeline' }).click();
    await page.getByRole('region', { name: 'Termination timeline' }).waitFor();
  }],
  ['the embedded lab', '#/embed/lab?scenario=recreate', async (page) => page.getByRole('status', { name: 'Outcome' }).waitFor()],
  ['the Check page with a report and its fix', 'check.html#/check', async (page) => {
    const manifests = await readFile(new URL('../../sim/tests/check/shop-web.yaml', import.meta.url), 'utf8');
    await page.getByLabel('Manifests').fill(manifests);
    await page.getByRole('button', { name: 'Check the deploy' }).click();
    await page.locator('#check-fix-title').waitFor({ timeout: 20000 });
    await page.locator('.check-steps summary').click();
  }],
  ['a refused paste on the Check page', 'check.html#/check', async (page) => {
    await page.getByLabel('Manifests').fill('kind: Deployment\nspec: [\n');
    await page.getByRole('button', { name: 'Check the deploy' }).click();
    await page.getByRole('alert').waitFor();
  }],
];

for (const colorScheme of ['light', 'dark']) {
  for (const [what, hash, ready] of PAGES) {
    test(`axe finds no WCAG 2.2 AA violation on ${what} (${colorScheme})`, async () => {
      const page = await site.page(hash, { colorScheme, viewport: { width: 1280, height: 800 } });
      await ready(page);
      assert.deepEqual(await violations(page), []);
      await page.close();
    });
  }
}

test('the keyboard reaches every control of the lab from the page top', async () => {
  const page = await site.page('#/lab?scenario=rolling-zero-downtime', { viewport: { width: 1280, height: 800 } });
  await page.getByRole('status', { name: 'Outcome' }).waitFor();
  // Every control a pointer could use, named so the walk below can tick it off.
  const controls = await page.evaluate(() => {
    const all = [...document.querySelectorAll('main button, main input, main select, main textarea, main a[href], main summary, main [tabindex="0"]')];
    // Shown ones: not in a closed disclosure, not hidden.
    return all.filter((e) => !e.disabled && e.checkVisibility({ visibilityProperty: true }))
      .map((e, i) => { e.dataset.control = String(i); return String(i); });
  });
  assert.ok(controls.length > 40, `the lab has its controls (${controls.length})`);
  const reached = new Set();
  await page.locator('body').focus();
  for (let k = 0; k < controls.length + 40 && reached.size < controls.length; k++) {
    await page.keyboard.press('Tab');
    const at = await page.evaluate(() => document.activeElement?.dataset?.control ?? null);
    if (at !== null) reached.add(at);
  }
  const missed = controls.filter((c) => !reached.has(c));
  const names = await page.evaluate((ids) => ids.map((i) => document.querySelector(`[data-control="${i}"]`)?.outerHTML.slice(0, 80)), missed);
  assert.deepEqual(names, [], 'controls the Tab key never reached');
  await page.close();
});

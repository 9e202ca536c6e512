// The course is readable before its wasm arrives: the catalogue and every lesson's text are in
// index.html (src/prerender.rs), on the hosted site under a sub-path with the wasm held back, in the
// single file from file:// and in the SCORM package with no script at all; and the app, once it
// runs, takes their place.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { openSite, PREFIX } from './harness.mjs';

const LESSON = 'Why deploying causes downtime';
let site;
before(async () => { site = await openSite(); });
after(async () => { await site?.close(); });

test('with the wasm held back, the hosted site shows the catalogue, a lesson at its address, and follows links', async () => {
  const page = await site.context.newPage();
  let held = 0;
  await page.route('**/*.wasm', (route) => { held += 1; return route.abort(); });
  await page.goto(`${site.url}#/`);
  assert.ok(new URL(page.url()).pathname.startsWith(PREFIX), 'served under the sub-path');
  await page.getByRole('heading', { name: 'Lessons', level: 1 }).waitFor();
  assert.ok(await page.getByRole('link', { name: LESSON }).isVisible());
  assert.equal(await page.getByRole('heading', { level: 1 }).count(), 1, 'one page shows, the others stay hidden');
  // A link works before the app does: the address changes and CSS shows the page it names.
  await page.getByRole('link', { name: LESSON }).click();
  await page.getByRole('heading', { name: LESSON, level: 1 }).waitFor();
  assert.equal(await page.getByRole('heading', { name: 'Lessons', level: 1 }).count(), 0);
  assert.match(await page.locator('main:visible').textContent(), /Your service runs as three pods/);
  // Its controls wait for the app.
  assert.ok(await page.getByRole('button', { name: /^Next:/ }).isDisabled());
  // Opened at a lesson's address, that lesson shows; at the lab's, no lesson or catalogue does.
  await page.goto(`${site.url}#/lesson/readiness-probes`);
  await page.getByRole('heading', { name: 'Readiness probes', level: 1 }).waitFor();
  await page.goto(`${site.url}#/lab`);
  assert.equal(await page.getByRole('heading', { level: 1 }).count(), 0);
  assert.ok(held > 0, 'the wasm was asked for and held back');
  await page.close();
});

test('once the app runs it takes the prerendered pages\' place', async () => {
  const page = await site.page('#/lesson/why-deploys-cause-downtime');
  assert.equal(await page.locator('#prerendered').count(), 0);
  assert.equal(await page.getByRole('heading', { name: LESSON, level: 1 }).count(), 1);
  await page.getByRole('button', { name: /^Next:/ }).click();
  await page.getByRole('heading', { name: 'The Recreate strategy', level: 2 }).waitFor();
  await page.close();
});

/** A browser with no JavaScript at all: what a page shows is what its HTML and CSS show. */
async function withoutScript(url, check) {
  const profile = mkdtempSync(path.join(os.tmpdir(), 'rollout-lab-noscript-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true, javaScriptEnabled: false,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
  });
  try {
    const page = await context.newPage();
    await page.goto(url);
    await check(page);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

test('the single file from file:// reads with no script: the catalogue, and a lesson at its address', async () => {
  const file = pathToFileURL(path.resolve('out/rollout-lab.html')).href;
  await withoutScript(`${file}#/`, async (page) => {
    await page.getByRole('heading', { name: 'Lessons', level: 1 }).waitFor();
    assert.ok(await page.getByRole('link', { name: LESSON }).isVisible());
    // The course file has no Check page, so its prerendered header does not link to one.
    assert.equal(await page.getByRole('link', { name: 'Check', exact: true }).count(), 0);
    await page.goto(`${file}#/lesson/canary`);
    await page.getByRole('heading', { name: /canary/i, level: 1 }).waitFor();
  });
});

test('the SCORM package\'s page reads with no script', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rollout-lab-scorm-'));
  try {
    execFileSync('unzip', ['-q', 'out/rollout-lab-scorm.zip', '-d', dir]);
    await withoutScript(`${pathToFileURL(path.join(dir, 'index.html')).href}#/lesson/blue-green`, async (page) => {
      await page.getByRole('heading', { name: /blue.green/i, level: 1 }).waitFor();
      assert.equal(await page.getByRole('heading', { name: 'Lessons', level: 1 }).count(), 0);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

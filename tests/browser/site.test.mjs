// Smoke tests of the built site in headless Chromium, served under a sub-path.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openSite } from './harness.mjs';

let site;
before(async () => { site = await openSite(); });
after(async () => { await site?.close(); });

test('the app mounts and shows the lesson catalogue', async () => {
  const page = await site.page('#/');
  await page.getByRole('heading', { level: 1, name: 'Lessons' }).waitFor();
  const lessons = page.locator('.lesson-list > li');
  assert.ok(await lessons.count() >= 1, 'at least one lesson is listed');
  assert.equal(await page.getByRole('link', { name: 'Why deploying causes downtime' }).count(), 1);
  assert.equal(await page.title(), 'Lessons · Rollout Lab');
  await page.close();
});

test('a lesson opens from the catalogue, its heading takes focus, and back returns', async () => {
  const page = await site.page('#/');
  await page.getByRole('link', { name: 'Why deploying causes downtime' }).click();
  const h1 = page.getByRole('heading', { level: 1, name: 'Why deploying causes downtime' });
  await h1.waitFor();
  assert.match(page.url(), /#\/lesson\/why-deploys-cause-downtime$/);
  assert.equal(await page.evaluate(() => document.activeElement?.tagName), 'H1');
  await page.goBack();
  await page.getByRole('heading', { level: 1, name: 'Lessons' }).waitFor();
  await page.close();
});

test('deep links work, and an unknown lesson gets a friendly page', async () => {
  const page = await site.page('#/lesson/why-deploys-cause-downtime');
  await page.getByRole('heading', { level: 2, name: 'A deploy is a replacement' }).waitFor();
  await page.goto(site.url + '#/lesson/does-not-exist');
  await page.getByRole('heading', { level: 1, name: 'Nothing here' }).waitFor();
  assert.ok((await page.textContent('main')).includes('does-not-exist'));
  await page.getByRole('link', { name: 'See all lessons' }).click();
  await page.getByRole('heading', { level: 1, name: 'Lessons' }).waitFor();
  await page.close();
});

test('the keyboard reaches the skip link first, then the navigation', async () => {
  const page = await site.page('#/');
  await page.getByRole('heading', { level: 1, name: 'Lessons' }).waitFor();
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to content');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'main');
  await page.close();
});

test('fits a 360 px wide phone without sideways scrolling', async () => {
  for (const hash of ['#/', '#/lesson/why-deploys-cause-downtime', '#/lab', '#/summary', '#/glossary']) {
    const page = await site.page(hash, { viewport: { width: 360, height: 740 } });
    await page.locator('main h1').waitFor({ timeout: 5000 }).catch(async (e) => {
      throw new Error(`${hash}: ${e.message}\n${(await page.content()).slice(0, 3000)}`);
    });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${hash} overflows by ${overflow}px at 360px`);
    await page.close();
  }
});

test('a lesson links to the glossary, and the summary shows the first attempt of each answer', async () => {
  const page = await site.page('#/lesson/readiness-probes');
  await page.getByRole('link', { name: 'Glossary' }).last().click();
  await page.getByRole('heading', { level: 2, name: 'Probe: readiness, liveness, startup' }).waitFor();
  // A wrong first answer, then the right one: the summary keeps the first.
  await page.goto(site.url + '#/quiz/readiness-probes');
  const q = page.locator('.question').filter({ hasText: 'A readiness probe fails on a running pod' });
  await q.getByLabel('The container is restarted').check();
  await q.getByRole('button', { name: 'Check' }).click();
  await q.getByLabel('The pod is taken out of the Service\'s endpoints; the container keeps running').check();
  await q.getByRole('button', { name: 'Check' }).click();
  await q.getByText(/^Correct\./).waitFor();
  await page.goto(site.url + '#/summary');
  const row = page.locator('tr').filter({ hasText: 'A readiness probe fails on a running pod' });
  assert.equal(await row.locator('td').nth(1).textContent(), 'wrong');
  assert.match(await row.locator('td').nth(2).textContent(), /^2 tries; last “.*”: right$/);
  await page.getByRole('button', { name: 'Print this summary' }).waitFor();
  await page.close();
});

test('light and dark themes follow prefers-color-scheme', async () => {
  const colours = {};
  for (const scheme of ['light', 'dark']) {
    const page = await site.page('#/', { colorScheme: scheme });
    await page.locator('main h1').waitFor();
    colours[scheme] = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await page.close();
  }
  assert.notEqual(colours.light, colours.dark);
  assert.equal(colours.light, 'rgb(251, 251, 253)');
  assert.equal(colours.dark, 'rgb(17, 19, 24)');
});

test('no console errors and no request to any other origin', () => {
  assert.deepEqual(site.consoleErrors, []);
  assert.deepEqual(site.foreignRequests, []);
});

// A learner walks lesson 1 to the end in headless Chromium: the steps, the quiz (graded by the
// simulation where it says so), the challenge, and the score still there after a reload.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openSite } from './harness.mjs';

let site;
before(async () => { site = await openSite(); });
after(async () => { await site?.close(); });

test('lesson 1 to the end: steps, quiz, challenge, and the score survives a reload', async () => {
  const page = await site.page('#/lesson/why-deploys-cause-downtime');
  await page.getByText('Step 1 of 8').waitFor();
  // The second step opens with a prediction: neither its prose nor its lab is there until the
  // learner commits, and then the run tells what really happened.
  await page.getByRole('button', { name: 'Next: The Recreate strategy →' }).click();
  const predict = page.locator('.predict-first');
  await predict.getByRole('heading', { name: 'Before you run it: The Recreate strategy' }).waitFor();
  assert.equal(await page.getByRole('status', { name: 'Outcome' }).count(), 0);
  assert.equal(await page.getByText('does the simplest thing').count(), 0);
  await predict.getByLabel('Hundreds (21 to 1,000)').check();
  await predict.getByRole('button', { name: 'Lock in my prediction and run it' }).click();
  assert.match(await predict.locator('.feedback').textContent(), /^Correct\. The simulation ran it: \d+ failed requests — “Hundreds/);
  // Then the lab, showing only the settings it needs.
  await page.getByRole('status', { name: 'Outcome' }).waitFor();
  await page.getByText('does the simplest thing').waitFor();
  assert.equal(await page.getByLabel('Replicas', { exact: true }).count(), 1);
  assert.equal(await page.getByLabel('Max surge').count(), 0);
  for (const next of ['What a client sees', 'So why does Recreate exist?', 'Try it', 'On a real cluster', 'Check your understanding']) {
    await page.getByRole('button', { name: `Next: ${next} →` }).click();
  }
  // The quiz page no longer asks the prediction the step asked.
  assert.equal(await page.locator('.question').count(), 4);
  // 1. One answer.
  await page.getByLabel('Connection refused', { exact: true }).check();
  const check = (n) => page.locator('.question').nth(n).getByRole('button', { name: /^(Check|Check against the simulation)$/ });
  const feedback = (n) => page.locator('.question').nth(n).locator('.feedback');
  await check(0).click();
  assert.match(await feedback(0).textContent(), /^Correct\. .*kube-proxy rejects the connection/);
  // 2. Ordering, with the buttons only.
  const order = ['Scale the old ReplicaSet to zero', 'Wait until every old pod is gone',
    'Create the new ReplicaSet at full size', 'The new pods become ready and join the Service'];
  const items = page.locator('.question').nth(1).locator('ol.ordering li span');
  for (let pos = 0; pos < order.length; pos++) {
    for (;;) {
      const now = await items.allTextContents();
      const at = now.indexOf(order[pos]);
      if (at === pos) break;
      await page.getByRole('button', { name: `Move “${order[pos]}” up` }).click();
    }
  }
  await check(1).click();
  assert.match(await feedback(1).textContent(), /^Correct\./);
  // 3. Simulated: the start-up time is drawn for this attempt; the core computes the answer.
  const ask = await page.locator('.question').nth(2).locator('h3').textContent();
  assert.match(ask, /needs (5|10|20) s to start/);
  // A first wrong attempt is told so, not given the answer; the second shows it; the first
  // attempt stays the score however the question ends.
  await page.locator('.question').nth(2).getByLabel('Your answer').fill('90');
  await check(2).click();
  assert.match(await feedback(2).textContent(), /^Not quite\. Think it through\. Try again/);
  assert.doesNotMatch(await feedback(2).textContent(), /simulation ran it/);
  await check(2).click();
  const shown = (await feedback(2).textContent()).match(/^Not quite\. The simulation ran it: (\d+) seconds from the first failure to the last/);
  assert.ok(shown, await feedback(2).textContent());
  await page.locator('.question').nth(2).getByLabel('Your answer').fill(shown[1]);
  await check(2).click();
  assert.match(await feedback(2).textContent(), /^Correct\./);
  assert.equal(await page.locator('.question').nth(2).locator('.attempts').textContent(), 'Scored on your first attempt: no point.');
  // 4. Several answers. A wrong pick is told the misconception it shows, not the answer.
  await page.getByLabel('It avoids readiness probes').check();
  await check(3).click();
  assert.match(await feedback(3).textContent(), /^Not quite\. The new pods still need a probe/);
  assert.doesNotMatch(await feedback(3).textContent(), /The answer:/);
  await page.getByLabel('It avoids readiness probes').uncheck();
  await page.getByLabel('The new version cannot share the database schema with the old one').check();
  await page.getByLabel('Only one instance may hold a lock or a licence at a time').check();
  await check(3).click();
  assert.match(await feedback(3).textContent(), /^Correct\./);
  // Scored on first attempts: the prediction, the one answer and the ordering.
  await page.getByText('3 of 5 questions right · 0 of 1 challenges passed').waitFor();
  // The challenge: as written it fails; with the zero-downtime settings it passes.
  await page.getByRole('button', { name: 'Next: Challenge: Ship v2 without failing a request →' }).click();
  // The goals follow the run shown: at its end the outage has broken the goal on failures.
  const goal = page.locator('ul.goals li').filter({ hasText: 'failed requests' });
  await page.waitForFunction(() => /missed \(\d+ now\)/.test(document.querySelector('ul.goals')?.textContent ?? ''));
  assert.match(await goal.textContent(), /^failed requests: at most 0 — missed \(\d+ now\)$/);
  const result = page.locator('.challenge-result');
  await page.getByRole('button', { name: 'Check my settings' }).click();
  await page.waitForFunction(() => /Not yet/.test(document.querySelector('.challenge-result')?.textContent ?? ''));
  assert.match(await result.textContent(), /failed requests: \d+ \(at most 0\) — not met/);
  await page.getByLabel('Strategy').selectOption('RollingUpdate');
  for (const [label, value] of [['Max surge', '1'], ['Max unavailable', '0'], ['preStop sleep (s)', '5']]) {
    await page.getByLabel(label).fill(value);
    await page.getByLabel(label).press('Enter');
  }
  await page.getByLabel('Readiness probe').check();
  await page.getByRole('button', { name: 'Check my settings' }).click();
  await page.waitForFunction(() => /Passed/.test(document.querySelector('.challenge-result')?.textContent ?? ''));
  assert.match(await result.textContent(), /failed requests: 0 \(at most 0\) — met/);
  // Saved: a reload resumes on the challenge with the score kept, and the catalogue shows it.
  await page.reload();
  await page.getByText('3 of 5 questions right · 1 of 1 challenges passed').waitFor();
  assert.equal(await page.locator('.steps [aria-current="step"]').textContent(), 'Challenge: Ship v2 without failing a request');
  await page.goto(site.url + '#/');
  await page.getByText('8 of 8 steps seen · 3 of 5 questions right · 1 of 1 challenges passed').waitFor();
  // Reset all: back to the start, with nothing else disturbed.
  await page.getByRole('button', { name: 'Reset all progress' }).click();
  assert.equal(await page.getByText('Not started').count(), await page.locator('.lesson-card').count());
  await page.close();
});

test('damaged saved progress is reset with a message, and other lessons keep theirs', async () => {
  const page = await site.page('#/');
  await page.evaluate(() => {
    localStorage.setItem('rollout-lab.progress.canary', '{"v":1,"step":2,"seen":[0,1,2],"answers":{},"challenges":{}}');
    localStorage.setItem('rollout-lab.progress.blue-green', '{"v":1,"step":[');
  });
  await page.goto(site.url + '#/lesson/blue-green');
  await page.getByRole('alert').filter({ hasText: 'could not be read' }).waitFor();
  await page.getByText('Step 1 of').waitFor();
  await page.goto(site.url + '#/lesson/canary');
  await page.getByText('Step 3 of').waitFor();
  await page.close();
});

test('a course author opens a lesson file; a broken one is refused at its line', async () => {
  const page = await site.page('#/');
  const lesson = '---\nid: mine\ntitle: My lesson\nsummary: S\nlevel: beginner\nminutes: 5\norder: 1\n---\n\n## Hello\n\nText.\n';
  await page.getByLabel('Open a lesson file').setInputFiles({ name: 'mine.md', mimeType: 'text/markdown', buffer: Buffer.from(lesson) });
  await page.waitForURL(/#\/lesson\/file:mine$/);
  await page.getByRole('heading', { name: 'My lesson', level: 1 }).waitFor();
  await page.goto(site.url + '#/');
  await page.getByLabel('Open a lesson file').setInputFiles({ name: 'bad.md', mimeType: 'text/markdown', buffer: Buffer.from(lesson.replace('level: beginner', 'level: expert')) });
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.textContent(), /bad\.md: line 5, column \d+: unknown value "expert"/);
  await page.close();
});

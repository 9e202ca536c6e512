// Everywhere a course lives, in headless Chromium against the real builds: share links, the lab
// embedded in a host page on another origin (height, results, commands, an allow-list), the
// SCORM package inside a recording LMS and a sandboxed frame, the single file from file://, the
// PWA offline, and the Content-Security-Policy holding throughout.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { openSite } from './harness.mjs';
import { startServer } from './server.mjs';
import { finishSite } from '../../scripts/dist/site.mjs';

const SINGLE = 'out/rollout-lab.html';
const SCORM = 'out/rollout-lab-scorm.zip';
let site;
before(async () => { site = await openSite(); });
after(async () => { await site?.close(); });

const outcome = (page) => page.getByRole('status', { name: 'Outcome' });
const until = async (what, check, ms = 10_000) => {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) {
    if (await check()) return;
  }
  assert.fail(`timed out waiting for ${what}`);
};

test('Copy link restores the same run; a damaged link says so and opens the default lab', async () => {
  const page = await site.page('#/lab?scenario=rolling-without-readiness');
  await outcome(page).waitFor();
  await page.getByLabel('Readiness probe', { exact: true }).check();
  await page.getByLabel('Max surge', { exact: true }).fill('2');
  await page.getByLabel('Max surge', { exact: true }).press('Tab');
  await page.getByLabel('Seed', { exact: true }).fill('5');
  await page.getByLabel('Seed', { exact: true }).press('Tab');
  await page.getByLabel('Time', { exact: true }).fill('75');
  const shown = await outcome(page).textContent();
  await page.getByRole('button', { name: 'Copy link' }).click();
  const link = await page.getByLabel('Link to this run').inputValue();
  assert.ok(link.startsWith(`${site.url}#/lab?v=1&scenario=rolling-without-readiness&seed=5&t=75000&`), link);
  assert.match(link, /&set=surge%3A2&set=readiness%3Aon&c=[0-9a-f]{8}$/);

  const again = await site.page(link.slice(site.url.length));
  await outcome(again).waitFor();
  assert.equal(await again.getByLabel('Scenario', { exact: true }).inputValue(), 'rolling-without-readiness');
  assert.equal(await again.getByLabel('Readiness probe', { exact: true }).isChecked(), true);
  assert.equal(await again.getByLabel('Max surge', { exact: true }).inputValue(), '2');
  assert.equal(await again.getByLabel('Seed', { exact: true }).inputValue(), '5');
  assert.equal(await again.getByLabel('Time', { exact: true }).inputValue(), '75');
  assert.equal(await outcome(again).textContent(), shown, 'the same run, to the request');

  // Edited by hand: the check no longer matches. Cut short, or from a newer format: refused too.
  for (const [hash, why] of [
    [link.slice(site.url.length).replace('seed=5', 'seed=6'), 'it was changed after it was made'],
    [link.slice(site.url.length).replace('v=1', 'v=7'), 'newer Rollout Lab'],
    ['#/lab?v=1&scenario=rolling-without-readiness&t=%E0%A4', 'not percent-encoded'],
  ]) {
    await again.goto(site.url + hash);
    const alert = again.getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.textContent(), new RegExp(`This link cannot be opened: .*${why}.*Showing the default lab`));
    await outcome(again).waitFor();
    assert.equal(await again.getByLabel('Scenario', { exact: true }).inputValue(), await again.locator('#lab-scenario option').first().getAttribute('value'));
  }
  await page.close();
  await again.close();
});

/** The example host page (docs/embed/host.html) served on its own loopback port, recording
 *  every message its window receives from the moment it opens. */
async function host(query) {
  const server = await startServer({ root: 'docs/embed', prefix: '/' });
  const page = await site.context.newPage();
  const messages = [];
  await page.exposeFunction('record', (m) => messages.push(m));
  await page.addInitScript(() => {
    if (window.top === window) addEventListener('message', (e) => window.record({ origin: e.origin, data: e.data }));
  });
  await page.goto(`${server.url}host.html?lab=${encodeURIComponent(site.url)}&${query}`);
  return { server, page, messages, origin: new URL(server.url).origin };
}

test('embedded in a page on another origin: height, results, and commands from the allowed origin only', async () => {
  const { server, page, messages, origin } = await host('page=quiz/why-deploys-cause-downtime');
  const frame = page.frameLocator('#rollout-lab');
  await frame.getByRole('heading', { name: 'Check your understanding' }).waitFor();
  // Compact chrome: no site navigation, a way out to the whole site.
  assert.equal(await frame.getByRole('navigation', { name: 'Main' }).count(), 0);
  assert.equal(await frame.getByRole('link', { name: 'Open in Rollout Lab ↗' }).count(), 1);
  // The frame reports its height and the host page resizes it.
  await until('a height message', () => messages.some((m) => m.data.type === 'rollout-lab:height'));
  const reported = messages.filter((m) => m.data.type === 'rollout-lab:height').at(-1).data.height;
  assert.ok(reported > 300, `height ${reported}`);
  await until('the frame to take that height', async () =>
    Math.abs((await page.locator('#rollout-lab').boundingBox()).height - messages.filter((m) => m.data.type === 'rollout-lab:height').at(-1).data.height) <= 2);
  assert.ok(messages.every((m) => m.origin === site.origin));
  const ready = messages.find((m) => m.data.type === 'rollout-lab:ready');
  assert.match(ready.data.page, /^\/embed\/quiz\/why-deploys-cause-downtime\?allow=/);

  // Answering a question posts xAPI statements: answered (with success), then the lesson's score.
  await frame.getByLabel('Connection refused', { exact: true }).check();
  await frame.locator('.question').first().getByRole('button', { name: 'Check' }).click();
  await until('the statements', () => messages.filter((m) => m.data.type === 'rollout-lab:statement').length >= 2);
  const [answered, scored] = messages.filter((m) => m.data.type === 'rollout-lab:statement').map((m) => m.data.statement);
  assert.equal(answered.verb.id, 'http://adlnet.gov/expapi/verbs/answered');
  assert.equal(answered.object.id, `${site.url}#/lesson/why-deploys-cause-downtime/quiz/refused`);
  assert.deepEqual([answered.result.success, answered.result.response], [true, 'Connection refused']);
  assert.equal(answered.context.contextActivities.parent[0].id, `${site.url}#/lesson/why-deploys-cause-downtime`);
  assert.match(answered.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.equal(scored.verb.id, 'http://adlnet.gov/expapi/verbs/scored');
  // Embedded alone, the quiz is what scores: one of its five questions.
  assert.equal(scored.object.id, `${site.url}#/lesson/why-deploys-cause-downtime/quiz`);
  assert.deepEqual(scored.result.score, { raw: 1, min: 0, max: 5, scaled: 0.2 });
  await page.getByText('answered During the Recreate outage').waitFor();

  // The host, on the allow-list, resets the quiz for the next learner: the answer is gone.
  await page.getByRole('button', { name: 'Reset' }).click();
  await frame.getByText('0 of 5 questions right').waitFor();
  assert.equal(await frame.getByLabel('Connection refused', { exact: true }).isChecked(), false);
  // And loads a scenario: the frame opens it.
  await page.getByRole('button', { name: 'Load the “canary-replica-ratio” scenario' }).click();
  await frame.getByLabel('Scenario', { exact: true }).waitFor();
  await until('the scenario to load', async () => (await frame.getByLabel('Scenario', { exact: true }).inputValue()) === 'canary-replica-ratio');
  // Invalid commands are ignored.
  await page.evaluate((lab) => document.getElementById('rollout-lab').contentWindow.postMessage({ type: 'rollout-lab:load-scenario', scenario: '../../evil' }, lab), site.origin);
  await page.waitForTimeout(300);
  assert.equal(await frame.getByLabel('Scenario', { exact: true }).inputValue(), 'canary-replica-ratio');
  assert.ok(messages.every((m) => m.origin === site.origin));
  await page.close();
  await server.close();

  // The same page on an origin that is not on the frame's allow-list: its commands arrive and
  // are ignored, and nothing is posted to it.
  const other = await host(`page=lab%3Fscenario%3Drecreate&allow=${encodeURIComponent(origin)}`);
  const otherFrame = other.page.frameLocator('#rollout-lab');
  await outcome(otherFrame).waitFor();
  const labFrame = other.page.frames().find((f) => f.url().startsWith(site.url));
  await labFrame.evaluate(() => { window.received = 0; addEventListener('message', () => { window.received += 1; }); });
  await other.page.getByRole('button', { name: 'Load the “canary-replica-ratio” scenario' }).click();
  await until('the command to arrive', () => labFrame.evaluate(() => window.received === 1));
  await other.page.waitForTimeout(300);
  assert.equal(await otherFrame.getByLabel('Scenario', { exact: true }).inputValue(), 'recreate');
  assert.equal(await other.page.locator('#log li').count(), 0, 'results go to the allowed origin only');
  await other.page.close();
  await other.server.close();
});

test('the Embed dialog writes a working snippet for this page', async () => {
  const page = await site.page('#/lab?scenario=recreate');
  await outcome(page).waitFor();
  await page.getByText('Embed', { exact: true }).click();
  await page.getByLabel("Your course site's origin (optional)").fill('https://courses.example.edu/');
  const snippet = await page.getByLabel('Paste this into your page').inputValue();
  assert.ok(snippet.includes(`src="${site.url}#/embed/lab?scenario=recreate&allow=https%3A%2F%2Fcourses.example.edu"`), snippet);
  // The frame it names opens the embedded lab.
  const embedded = await site.page(snippet.match(/src="([^"]+)"/)[1].slice(site.url.length));
  await outcome(embedded).waitFor();
  assert.equal(await embedded.getByRole('navigation', { name: 'Main' }).count(), 0);
  await page.close();
  await embedded.close();
});

test('a link inside an embedded lesson opens its page embedded, and Back returns', async () => {
  const page = await site.page('#/embed/lesson/why-deploys-cause-downtime');
  await page.getByRole('navigation', { name: 'Steps' }).getByRole('button', { name: 'Try it' }).click();
  await page.getByRole('link', { name: 'Recreate scenario in the lab' }).click();
  await page.waitForURL(/#\/embed\/lab\?scenario=recreate$/);
  await outcome(page).waitFor();
  assert.equal(await page.getByRole('navigation', { name: 'Main' }).count(), 0, 'still compact');
  // The way out still opens the whole site, in a new tab.
  const out = page.getByRole('link', { name: 'Open in Rollout Lab ↗' });
  assert.deepEqual([await out.getAttribute('href'), await out.getAttribute('target')], ['#/lab?scenario=recreate', '_blank']);
  await page.goBack();
  await page.getByRole('link', { name: 'Recreate scenario in the lab' }).waitFor();
  assert.match(page.url(), /#\/embed\/lesson\/why-deploys-cause-downtime$/);
  await page.close();
});

/** The SCORM zip, unpacked by Debian's unzip next to a recording LMS page, and served. */
async function lms() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rollout-lab-lms-'));
  execFileSync('unzip', ['-q', SCORM, '-d', path.join(dir, 'pkg')]);
  copyFileSync('tests/browser/fixtures/lms.html', path.join(dir, 'lms.html'));
  const server = await startServer({ root: dir, prefix: '/' });
  return { dir, server, close: async () => { await server.close(); rmSync(dir, { recursive: true, force: true }); } };
}

test('the SCORM package reports to the LMS: initialize, status, score, finish', async () => {
  assert.ok(statSync(SCORM).size < 1024 * 1024, 'under 1 MB');
  const { server, close, dir } = await lms();
  const manifest = readFileSync(path.join(dir, 'pkg/imsmanifest.xml'), 'utf8');
  assert.match(manifest, /<schemaversion>1\.2<\/schemaversion>/);
  assert.match(manifest, /adlcp:scormtype="sco" href="index.html"/);
  const page = await site.context.newPage();
  await page.goto(`${server.url}lms.html#/quiz/why-deploys-cause-downtime`);
  const calls = () => page.evaluate(() => window.calls);
  const set = (all, key) => all.filter((c) => c[0] === 'LMSSetValue' && c[1] === key).map((c) => c[2]);
  // Opening: initialized, attempted, and the standing so far (nothing yet) reported.
  await until('the opening report', async () => set(await calls(), 'cmi.core.score.raw').length > 0);
  assert.equal((await calls())[0][0], 'LMSInitialize');
  assert.equal(set(await calls(), 'cmi.core.lesson_status')[0], 'incomplete');
  assert.deepEqual(set(await calls(), 'cmi.core.score.raw'), ['0']);
  const frame = page.frameLocator('iframe');
  await frame.getByLabel('Connection refused', { exact: true }).check();
  await frame.locator('.question').first().getByRole('button', { name: 'Check' }).click();
  await until('a score', async () => Number(set(await calls(), 'cmi.core.score.raw').at(-1)) > 0);
  const all = await calls();
  // One question right of all the course's questions and challenges, as a percentage.
  const score = Number(set(all, 'cmi.core.score.raw').at(-1));
  assert.ok(score >= 1 && score <= 2, `score ${score}`);
  assert.equal(set(all, 'cmi.core.score.max').at(-1), '100');
  assert.equal(set(all, 'cmi.core.lesson_status').at(-1), 'incomplete');
  assert.ok(!all.some((c) => c[0] === 'LMSFinish'));
  // The answer is in the learner's record, for the next launch.
  const record = JSON.parse(set(all, 'cmi.suspend_data').at(-1));
  const refused = record.lessons['why-deploys-cause-downtime'].answers.refused;
  assert.deepEqual(refused, { correct: true, given: 'Connection refused', seed: refused.seed, first: true, attempts: 1, revealed: false });
  assert.equal(set(all, 'cmi.core.exit').at(-1), 'suspend');
  // Leaving the package finishes the session.
  await page.evaluate(() => document.querySelector('iframe').remove());
  await until('LMSFinish', async () => (await calls()).some((c) => c[0] === 'LMSFinish'));
  const names = (await calls()).map((c) => c[0]);
  assert.equal(names[0], 'LMSInitialize');
  assert.equal(names.at(-1), 'LMSFinish');
  await page.close();
  await close();
});

test('the final assessment in an LMS: the score it reports is the first attempts, whatever comes after', async () => {
  const { server, close } = await lms();
  const page = await site.context.newPage();
  await page.goto(`${server.url}lms.html#/quiz/final-assessment`);
  const calls = () => page.evaluate(() => window.calls);
  const set = (all, key) => all.filter((c) => c[0] === 'LMSSetValue' && c[1] === key).map((c) => c[2]);
  const raw = async () => Number(set(await calls(), 'cmi.core.score.raw').at(-1));
  await until('the opening report', async () => set(await calls(), 'cmi.core.score.raw').length > 0);
  const frame = page.frameLocator('iframe');
  const question = (n) => frame.locator('.question').nth(n);
  // Right at once: that is one point.
  await question(1).getByLabel('Connection refused', { exact: true }).check();
  await question(1).getByRole('button', { name: 'Check' }).click();
  await until('a score', async () => (await raw()) > 0);
  const one = await raw();
  // Wrong first: told the misconception, not the answer; right second; the score does not move.
  await question(0).getByLabel('Squawking when a deployment breaks').check();
  await question(0).getByRole('button', { name: 'Check' }).click();
  const feedback = question(0).locator('.feedback');
  await until('the first feedback', async () => /^Not quite\./.test(await feedback.textContent()));
  assert.match(await feedback.textContent(), /canary in a coal mine/);
  assert.doesNotMatch(await feedback.textContent(), /The answer:/);
  await question(0).getByLabel('Squawking when a deployment breaks').check();
  await question(0).getByLabel('Deploying a new version alongside the old and directing a subset of traffic to it').check();
  await question(0).getByRole('button', { name: 'Check' }).click();
  await until('the second feedback', async () => /^Correct\./.test(await feedback.textContent()));
  await until('the record of both tries', async () => {
    const data = set(await calls(), 'cmi.suspend_data').at(-1);
    return data && JSON.parse(data).lessons['final-assessment'].answers.canary?.attempts === 2;
  });
  assert.equal(await raw(), one, 'a second try cannot raise the score');
  const record = JSON.parse(set(await calls(), 'cmi.suspend_data').at(-1));
  const canary = record.lessons['final-assessment'].answers.canary;
  assert.deepEqual([canary.correct, canary.first, canary.attempts], [true, false, 2]);
  await frame.getByText('1 of 19 questions right').waitFor();
  await page.close();
  await close();
});

test('in an LMS the learner\'s record is the progress: restored over the browser\'s, kept within 4,096 characters', async () => {
  const { server, close } = await lms();
  const page = await site.context.newPage();
  const lesson = 'why-deploys-cause-downtime';
  // The record from an earlier session: one answer right in lesson 1, and challenges passed in a
  // dozen lessons whose goal lines alone overflow SCORM 1.2's 4,096 characters.
  const lessons = { [lesson]: { v: 1, step: 5, seen: [0, 1, 2, 3, 4, 5], answers: { refused: { correct: true, given: 'Connection refused', seed: 3 } }, challenges: {} } };
  for (let i = 0; i < 12; i++) lessons[`lesson-${i}`] = { v: 1, step: 0, seen: [0], answers: {}, challenges: { c: { passed: true, summary: 'failed requests: 0 (at most 0) — met\n'.repeat(10) } } };
  const record = { 'cmi.core.entry': 'resume', 'cmi.suspend_data': JSON.stringify({ v: 1, lessons }) };
  assert.ok(record['cmi.suspend_data'].length > 4096);
  await page.addInitScript((r) => {
    if (window.top !== window) return;
    window.lmsRecord = r;
    // Another learner's answers, left in this computer's browser.
    localStorage.setItem('rollout-lab.progress.canary', '{"v":1,"step":2,"seen":[0,1,2],"answers":{"x":{"correct":true,"given":"A","seed":1}},"challenges":{}}');
  }, record);
  await page.goto(`${server.url}lms.html#/quiz/${lesson}`);
  const frame = page.frameLocator('iframe');
  await frame.getByText('1 of 5 questions right').waitFor();
  await frame.getByText('You answered “Connection refused”: correct.').waitFor();
  const stored = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('rollout-lab.progress.')).sort());
  assert.deepEqual(stored, [`rollout-lab.progress.${lesson}`, ...Array.from({ length: 12 }, (_, i) => `rollout-lab.progress.lesson-${i}`)].sort(), 'the other learner\'s progress is gone');
  // Written back on leaving: within the limit, goal lines dropped, every result kept.
  await page.evaluate(() => document.querySelector('iframe').remove());
  await until('LMSFinish', () => page.evaluate(() => window.calls.some((c) => c[0] === 'LMSFinish')));
  const written = await page.evaluate(() => window.calls.filter((c) => c[0] === 'LMSSetValue' && c[1] === 'cmi.suspend_data').at(-1)[2]);
  assert.ok(written.length <= 4096, `${written.length} characters`);
  const back = JSON.parse(written).lessons;
  // Kept as restored, or saved again by the page with its attempt fields: the same answer.
  const kept = back[lesson].answers.refused;
  assert.deepEqual([kept.correct, kept.given, kept.seed, kept.first ?? true], [true, 'Connection refused', 3, true]);
  assert.deepEqual(back['lesson-0'].challenges.c, { passed: true });
  assert.equal(back.canary, undefined);
  await page.close();
  await close();
});

test('the same package runs as an HTML5 app in a sandboxed frame, with no LMS to talk to', async () => {
  const { server, close } = await lms();
  const page = await site.context.newPage();
  await page.goto(`${server.url}lms.html?sandbox#/lab?scenario=recreate`);
  const frame = page.frameLocator('iframe');
  await outcome(frame).waitFor();
  assert.match(await outcome(frame).textContent(), /succeeded, [\d,]+ failed/);
  assert.deepEqual(await page.evaluate(() => window.calls), [], 'a sandboxed frame cannot reach the API');
  await page.close();
  await close();
});

test('the single HTML file runs the lab from file:// with no network', async () => {
  assert.ok(statSync(SINGLE).size < 1024 * 1024, 'under 1 MB');
  const html = readFileSync(SINGLE, 'utf8');
  assert.doesNotMatch(html, /\s(src|href)="\.\//, 'nothing left to fetch');
  const requests = [];
  const page = await site.context.newPage();
  page.on('request', (r) => { if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) requests.push(r.url()); });
  await page.goto(`${pathToFileURL(path.resolve(SINGLE))}#/lab?scenario=recreate`);
  await outcome(page).waitFor();
  assert.match(await outcome(page).textContent(), /succeeded, [\d,]+ failed \([\d,]+ connection refused\)/);
  // The lessons travel inside it too.
  await page.goto(`${pathToFileURL(path.resolve(SINGLE))}#/`);
  await page.getByRole('link', { name: 'Why deploying causes downtime' }).waitFor();
  // The Check page is the hosted site's: this file carries the course only, and says so.
  assert.equal(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Check' }).count(), 0);
  await page.goto(`${pathToFileURL(path.resolve(SINGLE))}#/check`);
  await page.getByText('The Check page is part of the hosted site').waitFor();
  assert.deepEqual(requests, []);
  await page.close();
});

test('the hosted site installs a service worker and reloads with the server gone', async () => {
  const server = await startServer({ root: 'dist', prefix: '/offline/rollout-lab/' });
  const page = await site.context.newPage();
  await page.goto(`${server.url}#/lab?scenario=recreate`);
  await outcome(page).waitFor();
  const manifest = await page.evaluate(async () => (await fetch(document.querySelector('link[rel=manifest]').href)).json());
  assert.equal(manifest.start_url, './');
  await page.evaluate(() => navigator.serviceWorker.ready);
  await until('the worker to control the page', () => page.evaluate(() => !!navigator.serviceWorker.controller));
  const cached = await page.evaluate(async () => {
    const keys = await caches.keys();
    return (await (await caches.open(keys[0])).keys()).map((r) => new URL(r.url).pathname);
  });
  const wasm = readFileSync('dist/index.html', 'utf8').match(/rollout-lab-[0-9a-f]+_bg\.wasm/)[0];
  assert.ok(cached.includes(`/offline/rollout-lab/${wasm}`), `the release's wasm is precached: ${cached}`);
  // Chromium's own installability check (manifest, icon, worker) has nothing to object to.
  const cdp = await site.context.newCDPSession(page);
  assert.deepEqual((await cdp.send('Page.getInstallabilityErrors')).installabilityErrors, []);
  await cdp.detach();
  await server.close();
  await page.reload();
  await outcome(page).waitFor();
  assert.match(await outcome(page).textContent(), /succeeded, [\d,]+ failed/);

  // A new release on the same address: its worker takes over and the old cache is deleted.
  const release = (dir) => readFileSync(path.join(dir, 'sw.js'), 'utf8').match(/const RELEASE = "([0-9a-f]+)"/)[1];
  const next = mkdtempSync(path.join(os.tmpdir(), 'rollout-lab-release-'));
  cpSync('dist', next, { recursive: true });
  writeFileSync(path.join(next, 'index.html'), readFileSync('dist/index.html', 'utf8').replace('<title>', '<meta name="release" content="next"><title>'));
  finishSite(next);
  assert.notEqual(release(next), release('dist'), 'any changed file makes a new release');
  const again = await startServer({ root: next, prefix: '/offline/rollout-lab/', port: Number(new URL(server.url).port) });
  await page.reload();
  await until('the new release to replace the old cache', async () =>
    JSON.stringify(await page.evaluate(() => caches.keys())) === JSON.stringify([`rollout-lab-${release(next)}`]));
  await page.reload();
  assert.equal(await page.locator('meta[name=release]').getAttribute('content'), 'next');
  await page.close();
  await again.close();
  rmSync(next, { recursive: true, force: true });
});

test('a strict Content-Security-Policy, no cookies, nothing from another origin', async () => {
  for (const html of [readFileSync('dist/index.html', 'utf8'), readFileSync(SINGLE, 'utf8')]) {
    const policy = html.match(/<meta http-equiv="Content-Security-Policy" content="([^"]+)">/)[1];
    assert.match(policy, /script-src [^;]*'wasm-unsafe-eval'/);
    assert.doesNotMatch(policy, /'unsafe-eval'|'unsafe-inline'|\*|https?:/);
    assert.match(policy, /object-src 'none'/);
  }
  assert.deepEqual(await site.context.cookies(), []);
  assert.deepEqual(site.consoleErrors, [], 'no console errors, so no policy violations either');
  // The host and LMS pages above live on other loopback ports, and the single file on disk.
  assert.deepEqual(site.foreignRequests.filter((u) => !/^(http:\/\/127\.0\.0\.1:\d+\/|file:)/.test(u)), []);
});

// The lab in headless Chromium: a built-in scenario runs in the page, the time scrubber rewinds,
// and failed requests explain themselves.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openSite } from './harness.mjs';
import YAML from 'yaml';

let site;
/** Clicks the button that downloads a file: the file's name and its text. */
async function downloaded(page, button) {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: button }).click(),
  ]);
  const { readFile } = await import('node:fs/promises');
  return [download.suggestedFilename(), await readFile(await download.path(), 'utf8')];
}
before(async () => { site = await openSite(); });
after(async () => { await site?.close(); });

test('a preset link opens its scenario and shows the outcome with causes', async () => {
  const page = await site.page('#/lab?scenario=recreate');
  const outcome = page.getByRole('status', { name: 'Outcome' });
  await outcome.waitFor();
  assert.match(await outcome.textContent(), /^[\d,]+ succeeded, [\d,]+ failed \([\d,]+ connection refused\)$/);
  const firstCause = page.locator('table.failures tbody tr').first().locator('td').nth(3);
  assert.match(await firstCause.textContent(), /sent to myapp-|no ready endpoints/);
  assert.equal(await page.getByLabel('Scenario', { exact: true }).inputValue(), 'recreate');
  await page.close();
});

test('at 1280×800 the first screen is the stage with its playback, outcome and actions; the settings beside it, grouped', async () => {
  const page = await site.page('#/lab?scenario=recreate', { viewport: { width: 1280, height: 800 } });
  await page.getByRole('status', { name: 'Outcome' }).waitFor();
  const bottom = async (locator) => { const b = await locator.boundingBox(); return b.y + b.height; };
  for (const [what, locator] of [
    ['the stage', page.locator('canvas.traffic-canvas')],
    ['the time scrubber', page.getByLabel('Time', { exact: true })],
    ['the outcome', page.locator('.outcome')],
    ['Deploy', page.getByRole('button', { name: /^Deploy / })],
    ['Play', page.getByRole('button', { name: 'Play' })],
  ]) {
    assert.ok((await bottom(locator)) <= 800, `${what} is below the first screen`);
  }
  // Beside the stage, not under it.
  const stage = await page.locator('canvas.traffic-canvas').boundingBox();
  const settings = await page.locator('.lab-side').boundingBox();
  assert.ok(settings.x >= stage.x + stage.width, 'the settings sit beside the stage');
  const legends = await page.locator('.lab-side legend').allTextContents();
  assert.deepEqual(legends, ['Strategy and fenceposts', 'Probes', 'Shutdown', 'The world: not your settings']);
  // Folded away, the settings give the stage their room.
  await page.getByRole('button', { name: 'Hide settings' }).click();
  await page.getByRole('button', { name: 'Settings', exact: true }).waitFor();
  assert.ok((await page.locator('canvas.traffic-canvas').boundingBox()).width > stage.width + 200, 'the stage widens');
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await page.getByLabel('Max surge').waitFor();
  // At the end of the run myapp:2 runs, and the button offers the earlier image as what it is.
  await page.getByRole('button', { name: 'Deploy myapp:1 again' }).waitFor();
  await page.close();
});

test('at 360×740 the stage comes first: it, the playback bar and the outcome fill the first screen', async () => {
  const page = await site.page('#/lab?scenario=recreate', { viewport: { width: 360, height: 740 } });
  await page.getByRole('status', { name: 'Outcome' }).waitFor();
  for (const [what, locator] of [
    ['the stage', page.locator('canvas.traffic-canvas')],
    ['the time scrubber', page.getByLabel('Time', { exact: true })],
    ['Play', page.getByRole('button', { name: 'Play' })],
    ['the outcome', page.locator('.outcome')],
  ]) {
    const b = await locator.boundingBox();
    assert.ok(b.y + b.height <= 740, `${what} is below the first screen (${b.y + b.height})`);
  }
  // The settings follow the stage on a phone, and open as a sheet over the page's foot, closed
  // by Escape; the speed keeps its name for a screen reader.
  const stage = await page.locator('canvas.traffic-canvas').boundingBox();
  const open = page.getByRole('button', { name: 'Settings', exact: true });
  assert.ok((await open.boundingBox()).y > stage.y);
  assert.equal(await page.getByLabel('Max surge').isVisible(), false, 'the sheet starts closed');
  await open.click();
  const sheet = page.locator('.lab-side.sheet');
  await sheet.waitFor();
  const box = await sheet.boundingBox();
  assert.ok(Math.abs(box.y + box.height - 740) < 2 && box.height <= 0.75 * 740 + 1, `a sheet at the foot: ${JSON.stringify(box)}`);
  await page.getByLabel('Replicas', { exact: true }).fill('4');
  await page.getByLabel('Replicas', { exact: true }).press('Escape');
  await sheet.waitFor({ state: 'detached' });
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Settings', 'the focus is back on the button');
  await page.getByLabel('Speed').selectOption('8');
  await page.close();
});

test('the ribbon of moments in the run seeks to the one chosen', async () => {
  const page = await site.page('#/lab?scenario=rolling-zero-downtime');
  const ribbon = page.getByRole('navigation', { name: 'Moments of the run' });
  await ribbon.waitFor();
  const deploy = ribbon.getByRole('button', { name: /^60\.0s kubectl set image deployment\/myapp app=myapp:2$/ });
  await deploy.click();
  await page.waitForFunction(() => document.querySelector('output[for="lab-time"]')?.textContent === '60.0s');
  // The Deployment's own events follow, ahead of the moment shown: the rolling update's last
  // scale-up, chosen by the keyboard.
  const scaled = ribbon.getByRole('button', { name: /ScalingReplicaSet: Scaled up replica set myapp-/ }).last();
  const when = await scaled.locator('.ribbon-time').textContent();
  assert.ok(parseFloat(when) > 60, `the last step comes after the deploy, not at ${when}`);
  await scaled.focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction((t) => document.querySelector('output[for="lab-time"]')?.textContent === t, when);
  await page.close();
});

test('moving the time slider back re-simulates to that moment', async () => {
  const page = await site.page('#/lab?scenario=recreate');
  const slider = page.getByLabel('Time', { exact: true });
  await slider.waitFor();
  // Before the deploy at 60 s nothing has failed.
  await slider.fill('30');
  const outcome = page.getByRole('status', { name: 'Outcome' });
  await page.waitForFunction(() => document.querySelector('output[for="lab-time"]')?.textContent === '30.0s');
  assert.match(await outcome.textContent(), / 0 failed$/);
  assert.ok((await page.textContent('main')).includes('No request has failed so far.'));
  // The keyboard moves it too.
  await slider.focus();
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => document.querySelector('output[for="lab-time"]')?.textContent === '31.0s');
  await page.close();
});

test('choosing another scenario updates the address, so it can be shared', async () => {
  const page = await site.page('#/lab');
  await page.getByLabel('Scenario', { exact: true }).selectOption('rolling-zero-downtime');
  await page.waitForURL(/#\/lab\?scenario=rolling-zero-downtime$/);
  const outcome = page.getByRole('status', { name: 'Outcome' });
  await page.waitForFunction(() => /, 0 failed$/.test(document.querySelector('[role=status]')?.textContent ?? ''));
  assert.match(await outcome.textContent(), /succeeded, 0 failed$/);
  await page.close();
});


test('fixing the Recreate outage with the settings: rolling, readiness, preStop', async () => {
  const page = await site.page('#/lab?scenario=recreate');
  const outcome = page.getByRole('status', { name: 'Outcome' });
  await outcome.waitFor();
  assert.match(await outcome.textContent(), /235 failed/);
  await page.getByLabel('Strategy').selectOption('RollingUpdate');
  await page.getByLabel('Max surge').fill('1');
  await page.getByLabel('Max surge').press('Enter');
  await page.getByLabel('Max unavailable').fill('0');
  await page.getByLabel('Max unavailable').press('Enter');
  await page.getByLabel('Readiness probe').check();
  await page.getByLabel('preStop sleep (s)').fill('5');
  await page.getByLabel('preStop sleep (s)').press('Enter');
  await page.waitForFunction(() => /, 0 failed$/.test(document.querySelector('[role=status]')?.textContent ?? ''));
  assert.match(await page.locator('#knob-fenceposts').textContent(), /^max surge 1; max unavailable 0\. During a rollout: at most 4 pods that are not terminating, at least 3 available\.$/);
  // Same seed, same traffic: the comparison says what the fix bought.
  assert.equal(await page.locator('.verdict').textContent(), 'Your settings fail 235 fewer requests (0 instead of 235).');
  await page.getByRole('button', { name: 'Reset to the scenario' }).click();
  await page.waitForFunction(() => /235 failed/.test(document.querySelector('[role=status]')?.textContent ?? ''));
  assert.equal(await page.getByLabel('Strategy').inputValue(), 'Recreate');
  await page.close();
});

test('an invalid combination is explained, not silently fixed', async () => {
  const page = await site.page('#/lab?scenario=rolling-zero-downtime');
  await page.getByLabel('Max surge').waitFor();
  await page.getByLabel('Max surge').fill('0');
  await page.getByLabel('Max surge').press('Enter');
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.textContent(), /maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0/);
  assert.equal(await page.getByLabel('Max surge').inputValue(), '0', 'the learner\'s value stays');
  // The readiness probe's timing appears with the probe; a period of 0 gets Kubernetes' refusal.
  await page.getByLabel('Max surge').fill('1');
  await page.getByLabel('Max surge').press('Enter');
  await page.getByLabel('Readiness probe').check();
  await page.getByLabel('Readiness period (s)').fill('0');
  await page.getByLabel('Readiness period (s)').press('Enter');
  await page.waitForFunction(() => /readinessProbe\.periodSeconds: Invalid value: 0: must be greater than or equal to 1/.test(document.querySelector('[role=alert]')?.textContent ?? ''));
  await page.close();
});

test('the kubectl console answers at the current moment and changes the run', async () => {
  const page = await site.page('#/lab?scenario=recreate');
  const input = page.getByLabel('kubectl', { exact: true });
  await input.waitFor();
  await page.getByLabel('Time', { exact: true }).fill('30');
  await page.waitForFunction(() => document.querySelector('output[for="lab-time"]')?.textContent === '30.0s');
  await input.fill('kubectl scale deployment/myapp --replicas=5');
  await input.press('Enter');
  const log = page.getByRole('log', { name: 'Console output' });
  await page.waitForFunction(() => document.querySelector('[role=log]')?.textContent.includes('deployment.apps/myapp scaled'));
  assert.match(await log.textContent(), /\[30\.0s\] \$ kubectl scale deployment\/myapp --replicas=5/);
  // Later in the run, the scale has taken effect.
  await page.getByLabel('Time', { exact: true }).fill('50');
  await page.waitForFunction(() => document.querySelector('output[for="lab-time"]')?.textContent === '50.0s');
  await input.fill('get deploy');
  await input.press('Enter');
  await page.waitForFunction(() => /myapp\s+5\/5/.test(document.querySelector('[role=log]')?.textContent ?? ''));
  // Mistakes get kubectl's own words; ArrowUp recalls the last line.
  await input.fill('kubectl frobnicate');
  await input.press('Enter');
  await page.waitForFunction(() => document.querySelector('[role=log]')?.textContent.includes('error: unknown command "frobnicate" for "kubectl"'));
  await input.press('ArrowUp');
  assert.equal(await input.inputValue(), 'kubectl frobnicate');
  await page.close();
});

test('playback: play at 32x moves time forward, pause holds it, step and restart', async () => {
  const page = await site.page('#/lab?scenario=recreate');
  const clock = page.locator('output[for="lab-time"]');
  await page.getByRole('button', { name: 'Restart', exact: true }).click();
  await page.waitForFunction(() => document.querySelector('output[for="lab-time"]')?.textContent === '0.0s');
  await page.getByLabel('Speed').selectOption('32');
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  // 32 simulated seconds per real second: past the deploy at 60 s within a few seconds.
  await page.waitForFunction(() => parseFloat(document.querySelector('output[for="lab-time"]')?.textContent) > 65, null, { timeout: 10000 });
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  const held = await clock.textContent();
  await page.waitForTimeout(400);
  assert.equal(await clock.textContent(), held, 'paused time stays');
  assert.match(await page.getByRole('status', { name: 'Outcome' }).textContent(), /connection refused\)$/);
  await page.getByRole('button', { name: 'Step 1 s' }).click();
  await page.waitForFunction((before) => parseFloat(document.querySelector('output[for="lab-time"]')?.textContent) === parseFloat(before) + 1, held);
  await page.close();
});

const outcomeText = (page) => page.getByRole('status', { name: 'Outcome' }).textContent();
const waitOutcome = (page, re) => page.waitForFunction((src) => new RegExp(src).test(document.querySelector('[role=status]')?.textContent ?? ''), re.source, { timeout: 15000 });
const waitEnd = (page) => page.waitForFunction(() => document.querySelector('output[for="lab-time"]')?.textContent === '150.0s', null, { timeout: 15000 });

test('a newcomer: open the lab, deploy with Recreate, see refused connections', async () => {
  const page = await site.page('#/lab');
  await page.getByLabel('Strategy').selectOption('Recreate');
  await page.getByLabel('Speed').selectOption('32');
  assert.match(await outcomeText(page), / 0 failed$/, 'nothing fails before the deploy');
  await page.getByRole('button', { name: /^Deploy new version/ }).click();
  await waitEnd(page);
  await waitOutcome(page, /failed \([\d,]+ connection refused\)$/);
  assert.match(await page.textContent('.service-level'), /^9\d\.\d{3}% succeeded — one nine\./);
  await page.close();
});

test('the fix: RollingUpdate, readiness probe, maxUnavailable 0, preStop 5 s: zero failures', async () => {
  const page = await site.page('#/lab');
  await page.getByLabel('Max unavailable').fill('0');
  await page.getByLabel('Max unavailable').press('Enter');
  await page.getByLabel('Readiness probe').check();
  await page.getByLabel('preStop sleep (s)').fill('5');
  await page.getByLabel('preStop sleep (s)').press('Enter');
  await page.getByLabel('Speed').selectOption('32');
  await page.getByRole('button', { name: /^Deploy new version/ }).click();
  await waitEnd(page);
  assert.match(await outcomeText(page), /^[\d,]+ succeeded, 0 failed$/);
  assert.ok((await page.textContent('.cluster')).includes('myapp:2 · 3/3 ready'), 'v2 rolled out');
  assert.match(await page.textContent('.service-level'), /^100\.000% succeeded — no failures\. Against a 99\.9% objective this spent 0\.0× the error budget\. Latency p50 \d+ ms, p95 \d+ ms\.$/);
  await page.close();
});

test('the same fix with the keyboard alone', async () => {
  const page = await site.page('#/lab');
  await page.locator('main h1').waitFor();
  // Tab forward until the control with this id has focus, then act on it with keys only.
  const tabTo = async (id) => {
    for (let i = 0; i < 80; i++) {
      if (await page.evaluate(() => document.activeElement?.id) === id) return;
      await page.keyboard.press('Tab');
    }
    throw new Error(`Tab never reached #${id}`);
  };
  await tabTo('knob-unavailable');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('0');
  await page.keyboard.press('Enter');
  await tabTo('knob-readiness');
  await page.keyboard.press('Space');
  await tabTo('knob-prestop');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('5');
  await page.keyboard.press('Enter');
  await tabTo('lab-speed');
  await page.keyboard.press('End');
  // Focus leaves the select with its new value.
  await page.keyboard.press('Shift+Tab');
  await page.waitForFunction(() => document.querySelector('#lab-speed').value === '32');
  const deploy = await page.evaluate(() => [...document.querySelectorAll('.actions button')].findIndex((b) => b.textContent.startsWith('Deploy')));
  assert.equal(deploy, 0);
  for (let i = 0; i < 80 && !(await page.evaluate(() => document.activeElement?.textContent?.startsWith('Deploy new version'))); i++) {
    await page.keyboard.press('Tab');
  }
  await page.keyboard.press('Enter');
  await waitEnd(page);
  assert.match(await outcomeText(page), /^[\d,]+ succeeded, 0 failed$/);
  await page.close();
});

test('a crash-looping new version is held back by the readiness probe', async () => {
  const page = await site.page('#/lab');
  await page.getByLabel('New version health').selectOption('crash-loop');
  await page.getByLabel('Readiness probe').check();
  await page.getByLabel('Max unavailable').fill('0');
  await page.getByLabel('Max unavailable').press('Enter');
  await page.getByLabel('Speed').selectOption('32');
  await page.getByRole('button', { name: /^Deploy new version/ }).click();
  await waitEnd(page);
  assert.match(await outcomeText(page), /^[\d,]+ succeeded, 0 failed$/);
  const cluster = await page.textContent('.cluster');
  assert.match(cluster, /CrashLoopBackOff|restarts/, 'the new pod keeps failing');
  assert.match(cluster, /myapp:1 · 3\/3 ready/, 'the old pods stay');
  await page.close();
});

test('scrubbing back shows the earlier pods', async () => {
  const page = await site.page('#/lab?scenario=recreate');
  const cluster = page.locator('.cluster');
  await cluster.waitFor();
  assert.ok((await cluster.textContent()).includes('revision 2 · myapp:2 · 3/3 ready'));
  assert.ok(!(await cluster.textContent()).includes('myapp:1'), 'the old pods are gone at the end');
  await page.getByLabel('Time', { exact: true }).fill('30');
  await page.waitForFunction(() => document.querySelector('.cluster')?.textContent.includes('revision 1 · myapp:1 · 3/3 ready'));
  assert.equal(await page.locator('.cluster .pod').count(), 3);
  await page.close();
});

test('editing the manifests: the settings follow, and a bad edit is refused at its line', async () => {
  const page = await site.page('#/lab');
  await page.getByText('Manifests (YAML)').click();
  const text = page.getByLabel('Manifests', { exact: true });
  const yaml = await text.inputValue();
  assert.match(yaml, /^apiVersion: apps\/v1\nkind: Deployment\n/);
  assert.match(yaml, /\n  replicas: 3\n/);
  await text.fill(yaml.replace('\n  replicas: 3\n', '\n  replicas: 5\n'));
  await page.getByRole('button', { name: 'Apply manifests' }).click();
  await page.waitForFunction(() => document.querySelector('#knob-replicas')?.value === '5');
  await page.waitForFunction(() => document.querySelectorAll('.cluster .pod').length === 5);
  const bad = (await text.inputValue()).replace('\n  replicas: 5\n', '\n  replicas: -1\n');
  await text.fill(bad);
  await page.getByRole('button', { name: 'Apply manifests' }).click();
  const alert = page.getByRole('alert');
  await alert.waitFor();
  const line = bad.split('\n').findIndex((l) => l === '  replicas: -1') + 1;
  assert.equal(await alert.textContent(), `Not applied: line ${line}, column 3: Deployment.apps "myapp" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0`);
  assert.equal(await text.inputValue(), bad, 'the learner keeps their text');
  assert.equal(await page.locator('#knob-replicas').inputValue(), '5', 'nothing changed');
  await page.close();
});

test('saving the scenario file keeps the settings and the commands', async () => {
  const page = await site.page('#/lab');
  await page.getByLabel('Replicas', { exact: true }).fill('4');
  await page.getByLabel('Replicas', { exact: true }).press('Enter');
  await page.getByLabel('kubectl', { exact: true }).fill('kubectl rollout pause deployment/myapp');
  await page.getByLabel('kubectl', { exact: true }).press('Enter');
  const [name, text] = await downloaded(page, 'Save scenario file');
  assert.equal(name, 'sandbox.yaml');
  assert.match(text, /^# Saved from Rollout Lab\.\n/);
  assert.match(text, /\n    replicas: 4\n/, 'the setting is in the manifests');
  assert.ok(!text.includes('lifecycle: {}'), 'no empty blocks');
  assert.match(text, /\n- at: 0s\n  run: kubectl rollout pause deployment\/myapp\n/, 'the command is in the timeline');
  await page.close();
});

test('Export for a real cluster downloads one script whose manifests parse and carry the settings', async () => {
  const page = await site.page('#/lab?scenario=recreate');
  await page.getByLabel('Replicas', { exact: true }).fill('4');
  await page.getByLabel('Replicas', { exact: true }).press('Enter');
  await page.getByLabel('Readiness probe').check();
  const [name, script] = await downloaded(page, 'Export for a real cluster');
  assert.equal(name, 'rollout-lab-recreate.sh');
  assert.match(script, /^#!\/usr\/bin\/env bash\n/);
  // The kind cluster, the request loop and the deploy, in that order.
  const at = (s) => { const i = script.indexOf(s); assert.ok(i >= 0, s); return i; };
  assert.ok(at('kind create cluster') < at('kubectl apply -f -') && at('kubectl apply -f -') < at('kubectl run load'));
  assert.ok(at('kubectl run load') < at('kubectl patch deployment myapp --type json'));
  const kind = YAML.parse(script.split("<<'KIND'\n")[1].split('\nKIND\n')[0]);
  assert.equal(kind.kind, 'Cluster');
  const manifests = script.split("<<'MANIFESTS'\n")[1].split('\nMANIFESTS\n')[0];
  const docs = YAML.parseAllDocuments(manifests);
  assert.deepEqual(docs.flatMap((d) => d.errors), []);
  const objects = docs.map((d) => d.toJS());
  assert.deepEqual(objects.map((o) => o.kind), ['Deployment', 'Service', 'ConfigMap']);
  const deployment = objects[0];
  assert.equal(deployment.spec.replicas, 4, 'the setting is in the manifests');
  const app = deployment.spec.template.spec.containers[0];
  assert.equal(app.image, 'python:3.12-alpine');
  assert.equal(app.readinessProbe.httpGet.path, '/healthz');
  assert.deepEqual(app.env.find((e) => e.name === 'VERSION'), { name: 'VERSION', value: 'myapp:1' });
  assert.match(objects[2].data['myapp.py'], /def on_sigterm/);
  await page.close();
});

test('a canary Rollout preset: analysis aborts the update, and the text twin says why', async () => {
  const page = await site.page('#/lab?scenario=canary-analysis-abort');
  await waitOutcome(page, /failed \([\d,]+ application error\)$/);
  const twin = page.locator('section[aria-labelledby="kubectl-title"]');
  await page.waitForFunction(() => document.querySelector('section[aria-labelledby="kubectl-title"]')?.textContent.includes('kubectl argo rollouts get rollout myapp'));
  const text = await twin.textContent();
  assert.match(text, /Status:\s+✖ Degraded/);
  assert.match(text, /RolloutAborted: Rollout aborted update to revision 2: Metric "error-rate" assessed Failed/);
  assert.match(text, /ActualWeight:\s+0/);
  // Every failure came from the canary's pods, and says so.
  const firstCause = page.locator('table.failures tbody tr').first().locator('td').nth(3);
  assert.match(await firstCause.textContent(), /\(myapp:2\).*answered with an error/);
  await page.close();
});

test('switching the sandbox to an Argo canary: Deploy, the steps pause, Promote', async () => {
  const page = await site.page('#/lab');
  await page.getByLabel('Strategy').selectOption('Canary');
  await page.getByLabel('Readiness probe').check();
  await page.getByLabel('Max unavailable').fill('0');
  await page.getByLabel('Max unavailable').press('Enter');
  // Stable pods still leave when the canary takes over: preStop covers the endpoint race.
  await page.getByLabel('preStop sleep (s)').fill('5');
  await page.getByLabel('preStop sleep (s)').press('Enter');
  await page.getByLabel('Speed').selectOption('8');
  await page.getByRole('button', { name: /^Deploy new version/ }).click();
  // The update is under way: the plugin's commands appear. Hold the clock and look.
  await page.getByRole('button', { name: 'Promote', exact: true }).waitFor({ timeout: 15000 });
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  const twin = () => page.locator('section[aria-labelledby="kubectl-title"]').textContent();
  assert.match(await twin(), /Strategy:\s+Canary\s+Step:\s+[0-3]\/4/);
  await page.getByRole('button', { name: 'Promote fully' }).click();
  await page.getByLabel('Speed').selectOption('32');
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await waitEnd(page);
  await waitOutcome(page, /, 0 failed$/);
  const text = await page.locator('section[aria-labelledby="kubectl-title"]').textContent();
  assert.match(text, /Status:\s+✔ Healthy/);
  assert.match(text, /myapp:2 \(stable\)/);
  assert.match(text, /Step:\s+4\/4\s+SetWeight:/);
  await page.close();
});

test('keyboard shortcuts drive playback, and ? lists them', async () => {
  const page = await site.page('#/lab?scenario=recreate');
  const clock = page.locator('output[for="lab-time"]');
  await page.getByRole('button', { name: 'Restart', exact: true }).click();
  await page.waitForFunction(() => document.querySelector('output[for="lab-time"]')?.textContent === '0.0s');
  await page.locator('#lab-title').focus();
  await page.keyboard.press('.');
  await page.keyboard.press('.');
  await page.waitForFunction(() => document.querySelector('output[for="lab-time"]')?.textContent === '2.0s');
  await page.keyboard.press(',');
  await page.waitForFunction(() => document.querySelector('output[for="lab-time"]')?.textContent === '1.0s');
  await page.keyboard.press(']');
  assert.equal(await page.getByLabel('Speed').inputValue(), '2');
  await page.keyboard.press('Space');
  await page.waitForFunction(() => parseFloat(document.querySelector('output[for="lab-time"]')?.textContent) > 1.5);
  await page.keyboard.press('k');
  const held = await clock.textContent();
  await page.waitForTimeout(300);
  assert.equal(await clock.textContent(), held, 'K paused');
  // Typing in the console is typing, not a shortcut.
  await page.getByLabel('kubectl', { exact: true }).fill('get pods r.');
  assert.equal(await clock.textContent(), held);
  await page.locator('#lab-title').focus();
  assert.equal(await page.locator('details.shortcuts').getAttribute('open'), null);
  await page.keyboard.press('?');
  await page.waitForFunction(() => document.querySelector('details.shortcuts')?.open === true);
  assert.match(await page.locator('details.shortcuts').textContent(), /Space or K\s*play or pause/);
  await page.close();
});

/** Waits until the scenario list shows `name` as chosen. */
const shows = (page, name) =>
  page.waitForFunction((n) => document.querySelector('#lab-scenario')?.value === n, name);

test('opening a scenario file: picker and drag-and-drop; a bad file is refused at its line', async () => {
  const page = await site.page('#/lab?scenario=recreate');
  const { readFile } = await import('node:fs/promises');
  const original = await readFile(new URL('../../sim/scenarios/recreate.yaml', import.meta.url), 'utf8');
  // The same scenario at 40 requests/s: opened from disk, it runs in place of the built-in one.
  const faster = original.replace('requestsPerSecond: 20', 'requestsPerSecond: 40');
  const requests = () => page.evaluate(() => {
    const counts = (document.querySelector('[role=status]')?.textContent ?? '').match(/[\d,]+/g) ?? [];
    return counts.slice(0, 2).reduce((sum, n) => sum + Number(n.replaceAll(',', '')), 0);
  });
  await page.getByRole('status', { name: 'Outcome' }).waitFor();
  const builtIn = await requests();
  await page.getByLabel('Open scenario file').setInputFiles({ name: 'faster.yaml', mimeType: 'text/yaml', buffer: Buffer.from(faster) });
  await page.waitForURL(/#\/lab\?scenario=file:faster$/);
  // The page renders after the address changes: wait for the list to show the file.
  await shows(page, 'file:faster');
  await page.waitForFunction(() => /[\d,]+ succeeded, [\d,]+ failed/.test(document.querySelector('[role=status]')?.textContent ?? ''));
  const opened = await requests();
  assert.ok(opened > 1.8 * builtIn, `twice the requests of the built-in run: ${opened} vs ${builtIn}`);
  // A broken file: the learner is told where.
  await page.getByLabel('Open scenario file').setInputFiles({ name: 'broken.yaml', mimeType: 'text/yaml', buffer: Buffer.from('seed: 1\ntraffic: {requestsPerSecond: 1}\nduration: soon\n') });
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.textContent(), /broken\.yaml: line 3, column 11/);
  // Dropping a file anywhere on the lab opens it too.
  const dropped = original.replace('seed: 1', 'seed: 5');
  const data = await page.evaluateHandle((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'dropped.yaml', { type: 'text/yaml' }));
    return dt;
  }, dropped);
  await page.dispatchEvent('section.lab', 'drop', { dataTransfer: data });
  await page.waitForURL(/#\/lab\?scenario=file:dropped$/);
  await shows(page, 'file:dropped');
  await page.close();
});

test('another seed replays the scenario with other arrivals, and the comparison keeps it', async () => {
  const page = await site.page('#/lab?scenario=recreate');
  await waitOutcome(page, /235 failed/);
  assert.equal(await page.getByLabel('Seed').inputValue(), '1');
  await page.getByLabel('Seed').fill('2');
  await page.getByLabel('Seed').press('Enter');
  await page.waitForFunction(() => !/ 235 failed/.test(document.querySelector('[role=status]')?.textContent ?? ''));
  assert.match(await outcomeText(page), /failed \([\d,]+ connection refused\)$/, 'a different run, the same outage');
  await page.close();
});

test('the traffic view: a failed request on screen tells why, by keyboard or by a click on the canvas', async () => {
  const page = await site.page('#/lab?scenario=recreate');
  const slider = page.getByLabel('Time', { exact: true });
  await slider.waitFor();
  // Shortly after the deploy at 60 s: Recreate has stopped every old pod.
  await slider.fill('66');
  await page.waitForFunction(() => document.querySelector('output[for="lab-time"]')?.textContent === '66.0s');
  const onScreen = page.getByRole('group', { name: 'Failures on screen' });
  const first = onScreen.getByRole('button').first();
  assert.match(await first.textContent(), /^#\d+ connection refused$/);
  await first.focus();
  await page.keyboard.press('Enter');
  const detail = page.locator('.traffic-detail');
  await page.waitForFunction(() => /failed at/.test(document.querySelector('.traffic-detail')?.textContent ?? ''));
  assert.match(await detail.textContent(), /^Request #\d+ failed at 6\d\.\ds: connection refused\. /);
  assert.equal(await first.getAttribute('aria-pressed'), 'true');
  // The canvas is drawn at the page's width, and a click on a mark chooses that request.
  const canvas = page.locator('canvas.traffic-canvas');
  const box = await canvas.boundingBox();
  assert.ok(box.width > 300 && box.height >= 100, JSON.stringify(box));
  const drawn = await canvas.evaluate((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let ink = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i] > 0) ink++;
    return ink;
  });
  assert.ok(drawn > 500, `the canvas has ${drawn} painted pixels`);
  assert.equal(await canvas.getAttribute('data-motion'), 'travel');
  await canvas.click({ position: { x: 2, y: 2 } });
  await page.waitForFunction(() => (document.querySelector('.traffic-detail')?.textContent ?? '') === '');
  // The latency chart speaks its figures.
  const latency = page.getByRole('img', { name: /^Latency of successful requests\. Latest second: median \d+ ms, 95th percentile \d+ ms/ });
  await latency.waitFor();
  await page.close();
});

test('reduced motion: the traffic view still reports every request, without travel', async () => {
  const page = await site.page('#/lab?scenario=rolling-zero-downtime', { reducedMotion: 'reduce' });
  const slider = page.getByLabel('Time', { exact: true });
  await slider.waitFor();
  await slider.fill('20');
  await page.waitForFunction(() => /^\d+ in flight at 20\.0s/.test(document.querySelector('.traffic .hint')?.textContent ?? ''));
  assert.equal(await page.locator('canvas.traffic-canvas').getAttribute('data-motion'), 'still');
  await page.close();
});

test('no console errors and no request to any other origin', () => {
  assert.deepEqual(site.consoleErrors, []);
  assert.deepEqual(site.foreignRequests, []);
});

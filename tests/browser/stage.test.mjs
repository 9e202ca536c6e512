// The lab's stage and charts in headless Chromium: a failure chosen on the picture reads its
// cause, a pod chosen there opens its termination timeline with both tracks, the charts have
// titles and axes and seek where they are clicked, and a lesson step opens with the stage in view.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openSite } from './harness.mjs';

let site;
before(async () => { site = await openSite(); });
after(async () => { await site?.close(); });

/** Moves the lab to second `s` with its time slider. */
async function seek(page, s) {
  const slider = page.getByLabel('Time', { exact: true });
  await slider.waitFor();
  await slider.fill(String(s));
  await page.waitForFunction((t) => document.querySelector('output[for="lab-time"]')?.textContent === t, `${s}.0s`);
}

/** Where on the canvas (CSS pixels) the first pixel of `rgb` is painted, if any. */
async function painted(page, rgb) {
  return page.locator('canvas.traffic-canvas').evaluate((c, [r, g, b]) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const ratio = c.width / c.clientWidth;
    for (let i = 0; i < d.length; i += 4) {
      if (d[i] === r && d[i + 1] === g && d[i + 2] === b) {
        const p = i / 4;
        return { x: (p % c.width) / ratio + 3, y: Math.floor(p / c.width) / ratio + 3 };
      }
    }
    return null;
  }, rgb);
}

test('a failure flashed on the stage is chosen by a click and reads its cause', async () => {
  const page = await site.page('#/lab?scenario=rolling-without-readiness', { viewport: { width: 1280, height: 800 } });
  // Just after the new pods are marked ready before they listen: refusals on their cards.
  await seek(page, 64);
  const at = await painted(page, [0xd5, 0x5e, 0x00]);
  assert.ok(at, 'a failure mark is painted in the failure colour');
  await page.locator('canvas.traffic-canvas').click({ position: at });
  await page.waitForFunction(() => /^Request #\d+ failed at/.test(document.querySelector('.traffic-detail')?.textContent ?? ''));
  assert.match(await page.locator('.traffic-detail').textContent(), /failed at 6\d\.\ds: connection refused\. .*myapp-/);
  // The caption says what the controller did, with its arithmetic.
  assert.match(await page.locator('.stage-caption').textContent(), /replica set myapp-\w+ .*maxSurge 1 allows 4 pods in all; maxUnavailable 0 keeps 3 available\.$/);
  await page.close();
});

test('a pod chosen on the stage opens its termination timeline: the node track beside the network track', async () => {
  const page = await site.page('#/lab?scenario=rolling-without-readiness', { viewport: { width: 1280, height: 800 } });
  await seek(page, 62);
  // A card is chosen by a click on it; the one picked here is named in the detail line.
  const box = await page.locator('canvas.traffic-canvas').boundingBox();
  await page.locator('canvas.traffic-canvas').click({ position: { x: box.width - 120, y: 50 } });
  await page.waitForFunction(() => /^Pod myapp-/.test(document.querySelector('.traffic-detail')?.textContent ?? ''));
  const timeline = page.getByRole('region', { name: 'Termination timeline' });
  await timeline.waitFor();
  // The keyboard's way to the same picture: the pod list. The old pod deleted first has no preStop.
  const pods = timeline.getByLabel('Pod');
  const old = (await pods.locator('option').allTextContents()).find((o) => /deleted at 6\d\.\ds/.test(o));
  assert.ok(old, 'an old pod deleted after the deploy is listed');
  await pods.selectOption({ label: old });
  const node = timeline.locator('.termination-tracks > div').nth(0);
  const network = timeline.locator('.termination-tracks > div').nth(1);
  await node.getByText('SIGTERM (no preStop)').waitFor();
  assert.match(await node.textContent(), /deleted.*SIGTERM \(no preStop\).*exited: /);
  assert.match(await network.textContent(), /endpoints: terminating.*proxy drops it/);
  assert.match(await timeline.locator('p').first().textContent(), /^The proxies routed new connections to myapp-\S+ for 1\.0s after SIGTERM: \d+ requests? failed on it\.$/);
  // The picture: both tracks and the failures between them.
  const svg = timeline.getByRole('img', { name: /^Two tracks from .*the node's and the network's, with \d+ failed requests between\.$/ });
  assert.ok(await svg.locator('.node-track circle').count() >= 3);
  assert.ok(await svg.locator('.network-track circle').count() >= 2);
  await page.close();
});

test('charts have titles and axes, share one cursor, and seek where clicked or where the keyboard says', async () => {
  const page = await site.page('#/lab?scenario=canary-replica-ratio', { viewport: { width: 1280, height: 800 } });
  await page.getByRole('status', { name: 'Outcome' }).waitFor();
  const charts = page.getByRole('region', { name: 'The run over time' });
  assert.deepEqual(await charts.locator('figure h3').allTextContents(), ['Requests per second', 'Pods by version', 'Desired against ready', 'Latency']);
  const requests = charts.getByRole('figure', { name: 'Requests per second' });
  assert.match(await requests.locator('.y-ticks').textContent(), /^0.*\d+ req\/s$/);
  assert.match(await requests.locator('.x-ticks').textContent(), /^0 s30 s60 s/);
  // A click on the plot seeks there; every chart's cursor follows the pointer.
  const area = requests.locator('.plot-area');
  const box = await area.boundingBox();
  await area.hover({ position: { x: box.width * 0.25, y: 40 } });
  const second = Number((await requests.locator('.readout').textContent()).match(/^(\d+) s:/)[1]);
  assert.ok(second >= 45 && second <= 55, `a quarter of 200 s is about 50 s, not ${second}`);
  assert.match(await charts.getByRole('figure', { name: 'Latency' }).locator('.readout').textContent(), new RegExp(`^${second} s: median \\d+ ms`));
  assert.equal(await charts.locator('line.cursor').count(), 4);
  await area.click({ position: { x: box.width * 0.25, y: 40 } });
  await page.waitForFunction((t) => document.querySelector('output[for="lab-time"]')?.textContent === t, `${second}.0s`);
  // By keyboard: the readout is the cursor's handle.
  const handle = requests.getByRole('slider', { name: 'Requests per second at a second' });
  await handle.focus();
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  assert.equal(await handle.getAttribute('aria-valuenow'), String(second - 2));
  assert.match(await handle.getAttribute('aria-valuetext'), new RegExp(`^${second - 2} s: \\d+ succeeded, \\d+ failed`));
  await page.keyboard.press('Enter');
  await page.waitForFunction((t) => document.querySelector('output[for="lab-time"]')?.textContent === t, `${second - 2}.0s`);
  await page.close();
});

for (const viewport of [{ width: 1280, height: 800 }, { width: 360, height: 740 }]) {
  test(`a lesson step with a lab opens with the stage, the playback bar and the outcome in view at ${viewport.width}×${viewport.height}`, async () => {
    const page = await site.page('#/lesson/why-deploys-cause-downtime', { viewport });
    await page.getByRole('navigation', { name: 'Steps' }).getByRole('button', { name: /Try it/ }).click();
    await page.getByRole('status', { name: 'Outcome' }).waitFor();
    for (const [what, locator] of [
      ['the stage', page.locator('canvas.traffic-canvas')],
      ['the time scrubber', page.getByLabel('Time', { exact: true })],
      ['Play', page.getByRole('button', { name: 'Play' })],
      ['the outcome', page.locator('.outcome')],
    ]) {
      const b = await locator.boundingBox();
      assert.ok(b && b.y >= 0 && b.y + b.height <= viewport.height, `${what} is outside the first screen (${JSON.stringify(b)})`);
    }
    // Only the step's own settings: Strategy, not the scenario picker.
    assert.equal(await page.getByLabel('Scenario', { exact: true }).count(), 0);
    await page.getByLabel('Strategy').waitFor();
    await page.close();
  });
}

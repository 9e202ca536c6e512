// The Check page in headless Chromium against the built site: a real-looking paste gives a report
// with its failures, causes and findings; the suggested fix, applied, fails nothing; a one-replica
// Deployment with no surge is reported as losing its only pod first; an unreadable paste is refused
// at its line and column with the form intact; a finding opens the lab at its moment; the share
// link reopens the same check; nothing is requested from another origin.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { openSite } from './harness.mjs';

let site;
before(async () => { site = await openSite(); });
after(async () => {
  assert.deepEqual(site?.foreignRequests ?? [], [], 'no request to another origin');
  await site?.close();
});

// What `helm template` prints for a small chart: comments naming the source, a leading `---`.
const HELM = `---
# Source: shop/templates/service.yaml
apiVersion: v1
kind: Service
metadata:
  name: shop-web
  labels:
    app.kubernetes.io/name: web
    app.kubernetes.io/instance: shop
spec:
  type: ClusterIP
  ports:
    - port: 80
      targetPort: http
      name: http
  selector:
    app.kubernetes.io/name: web
    app.kubernetes.io/instance: shop
---
# Source: shop/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop-web
  labels:
    app.kubernetes.io/name: web
    app.kubernetes.io/instance: shop
    helm.sh/chart: shop-1.2.0
spec:
  replicas: 3
  selector:
    matchLabels:
      app.kubernetes.io/name: web
      app.kubernetes.io/instance: shop
  template:
    metadata:
      labels:
        app.kubernetes.io/name: web
        app.kubernetes.io/instance: shop
    spec:
      containers:
        - name: web
          image: "ghcr.io/shop/web:2.4.1"
          ports:
            - name: http
              containerPort: 8080
          readinessProbe:
            httpGet:
              path: /healthz
              port: http
`;

async function check(page, manifests, fields = {}) {
  await page.getByLabel('Manifests').fill(manifests);
  for (const [label, value] of Object.entries(fields)) await page.getByLabel(label, { exact: true }).fill(value);
  await page.getByRole('button', { name: 'Check the deploy' }).click();
}

async function verdict(page) {
  const h = page.locator('#check-verdict');
  await h.waitFor({ timeout: 20000 });
  return h.textContent();
}

test('the course opens the Check page, a page of its own, from its navigation and its route', async () => {
  const page = await site.page('#/');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Check' }).click();
  await page.waitForURL(/check\.html#\/check$/);
  await page.getByRole('heading', { level: 1, name: 'Check my rollout' }).waitFor();
  // The course's own route for it goes there too, and the Check page's links lead back.
  const routed = await site.page('#/check');
  await routed.waitForURL(/check\.html#\/check$/);
  await routed.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Glossary' }).click();
  await routed.waitForURL(/index\.html#\/glossary$/);
  await routed.getByRole('heading', { level: 1, name: 'Glossary' }).waitFor();
});

test('a multi-document paste is checked: its failures, their causes, the finding and the fix', async () => {
  const page = await site.page('check.html#/check', { viewport: { width: 1280, height: 900 } });
  await check(page, HELM);
  assert.match(await verdict(page), /^\d[\d,]* of [\d,]+ requests failed during the deploy/);
  const report = page.locator('.check-report');
  assert.match(await report.textContent(), /Checked deployment\/shop-web: ghcr\.io\/shop\/web:2\.4\.1 → ghcr\.io\/shop\/web:2\.4\.2/);
  const causes = await page.getByRole('region', { name: 'Failed requests by cause' }).locator('tbody th').allTextContents();
  assert.ok(causes.includes('sent to a pod after its SIGTERM'), causes.join(' | '));
  const findings = await page.locator('.check-findings li').allTextContents();
  assert.ok(findings.some((f) => /^No preStop: [\d,]+ requests? fail in the 1 s the proxies lag/.test(f)), findings.join('\n'));
  // Each finding links to the lesson that explains it.
  assert.ok(await page.getByRole('link', { name: /Lesson: / }).count() >= 1);
  // The fix: a preStop sleep, as a patch and a diff.
  const fix = page.locator('.check-fix');
  assert.match(await fix.locator('h3').textContent(), /^The smallest fix: \d edits?$/);
  assert.match(await fix.locator('.check-command').textContent(), /^kubectl patch deployment\/shop-web --type strategic -p '\{.*"preStop":\{"sleep":\{"seconds":\d+\}\}/);
  assert.match(await fix.locator('pre.diff').textContent(), /\+\s+preStop:/);
  // The figures a reviewer asks for, and what was assumed.
  const figures = await page.locator('.check-figures dt').allTextContents();
  assert.deepEqual(figures, ['Extra pods at the peak', 'Lowest available', 'Time to finish', 'Failures per 1,000', 'Worst second']);
  assert.match(await page.getByRole('region', { name: 'What the check assumed' }).textContent(), /Requests per second100assumed/);

  // Applied, the fix fails nothing.
  await page.getByRole('button', { name: 'Apply the fix to the paste and check again' }).click();
  await page.waitForFunction(() => document.querySelector('#check-verdict')?.textContent.startsWith('No request failed'), null, { timeout: 20000 });
  assert.match(await page.getByLabel('Manifests').inputValue(), /preStop:\s+sleep:\s+seconds: \d+/);
  assert.equal(await page.locator('.check-fix').count(), 0, 'nothing left to fix');
  assert.deepEqual(site.consoleErrors, []);
});

test('one replica with maxSurge 0 and maxUnavailable 25% loses its only pod first', async () => {
  const manifests = await readFile(new URL('../../sim/tests/check/one-replica.yaml', import.meta.url), 'utf8');
  const page = await site.page('check.html#/check');
  await page.getByLabel('On SIGTERM the app').selectOption('drain');
  await check(page, manifests);
  await verdict(page);
  const findings = await page.locator('.check-findings li').allTextContents();
  assert.ok(findings.some((f) => f.startsWith('maxSurge 0 and maxUnavailable 25% of 1 both resolve to 0, so the controller takes maxUnavailable 1: your only pod goes before its replacement is ready.')), findings.join('\n'));
  assert.match(await page.locator('.check-figures').textContent(), /Lowest available0 of 1/);
  assert.match(await page.locator('.check-fix ul').textContent(), /maxSurge: 0 → 1/);
});

test('an unreadable paste is refused at its line and column and nothing is lost', async () => {
  const page = await site.page('check.html#/check');
  const broken = HELM.replace('  replicas: 3\n', '  replicas: [3\n');
  await page.getByLabel('Proxy lag').fill('2s');
  await check(page, broken, { 'Requests per second': '250' });
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.textContent(), /^This cannot be checked: line \d+, column \d+: /);
  assert.equal(await page.getByLabel('Manifests').inputValue(), broken);
  assert.equal(await page.getByLabel('Requests per second').inputValue(), '250');
  assert.equal(await page.getByLabel('Proxy lag').inputValue(), '2s');
  assert.equal(await page.getByLabel('Manifests').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.locator('.check-report').count(), 0);
  // The error's line is selected in the paste, so it is where the cursor is.
  const selected = await page.getByLabel('Manifests').evaluate((t) => t.value.slice(t.selectionStart, t.selectionEnd));
  assert.ok(broken.split('\n').includes(selected) && selected.length > 0, JSON.stringify(selected));
});

test('a finding opens the lab at its moment, and the share link reopens the same check', async () => {
  await site.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: site.origin });
  const page = await site.page('check.html#/check');
  await check(page, HELM, { 'Requests per second': '40' });
  const said = await verdict(page);
  await page.getByRole('button', { name: 'Copy a link to this check' }).click();
  await page.getByRole('status').filter({ hasText: 'copied to the clipboard' }).waitFor();
  const link = await page.evaluate(() => navigator.clipboard.readText());
  assert.match(link, /#\/check\?v=1&manifests=/);
  const first = await page.locator('.check-findings li a').first();
  const [, at] = (await first.textContent()).match(/at (\d+\.\d)s$/);
  await first.click();
  await page.waitForFunction((t) => document.querySelector('output[for="lab-time"]')?.textContent === `${t}s`, at, { timeout: 20000 });
  assert.match(await page.locator('#lab-scenario option:checked').textContent(), /^Your check: deployment\/shop-web$/);

  const again = await site.context.newPage();
  await again.goto(link);
  await again.locator('#check-verdict').waitFor({ timeout: 20000 });
  assert.equal(await again.getByLabel('Manifests').inputValue(), HELM);
  assert.equal(await again.locator('#check-rps').inputValue(), '40');
  assert.equal(await again.locator('#check-verdict').textContent(), said);
});

test('the Check page embeds: no site navigation, a way out to the whole page', async () => {
  const page = await site.page('check.html#/embed/check');
  await page.getByRole('heading', { level: 1, name: 'Check my rollout' }).waitFor();
  assert.equal(await page.getByRole('navigation', { name: 'Main' }).count(), 0);
  assert.match(await page.getByRole('link', { name: 'Open in Rollout Lab ↗' }).getAttribute('href'), /^#\/check$/);
  await check(page, HELM);
  assert.match(await verdict(page), /requests failed/);
});

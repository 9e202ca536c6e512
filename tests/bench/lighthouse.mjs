// Lighthouse's mobile profile on the built site (a benchmark, never a test): simulated 1.6 Mbps,
// 150 ms round trips and a 4x slower CPU, Debian's Chromium, the site served gzipped under a
// sub-path as a static host would. Lighthouse's figures move from run to run on a busy machine, so
// each route is measured RUNS times (3 by default) and the median of each figure is printed beside
// the issue's threshold, with the range.
// Usage: node tests/bench/lighthouse.mjs LIGHTHOUSE_BIN [route ...]   (after ./scripts/build)
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer } from '../browser/server.mjs';

const [lighthouse, ...routes] = process.argv.slice(2);
if (!lighthouse) throw new Error('usage: node tests/bench/lighthouse.mjs LIGHTHOUSE_BIN [route ...]');
// SITE: another built site to measure (an earlier build, to compare); dist/ by default.
const server = await startServer({ root: process.env.SITE ?? 'dist', prefix: '/course/rollout-lab/', gzip: true });
const flags = '--headless --no-sandbox --disable-gpu --disable-quic --disable-background-networking --disable-component-update --disable-sync --no-first-run';
const goals = [
  ['performance', (r) => r.categories.performance.score, (v) => v.toFixed(2), '>= 0.95', (v) => v >= 0.95],
  ['first contentful paint', (r) => r.audits['first-contentful-paint'].numericValue / 1000, (v) => `${v.toFixed(1)} s`, '', () => true],
  ['largest contentful paint', (r) => r.audits['largest-contentful-paint'].numericValue / 1000, (v) => `${v.toFixed(1)} s`, '<= 2.5 s', (v) => v <= 2.5],
  ['time to interactive', (r) => r.audits.interactive.numericValue / 1000, (v) => `${v.toFixed(1)} s`, '<= 4 s', (v) => v <= 4],
  ['total blocking time', (r) => r.audits['total-blocking-time'].numericValue, (v) => `${v.toFixed(0)} ms`, '<= 200 ms', (v) => v <= 200],
  ['accessibility', (r) => r.categories.accessibility.score, (v) => v.toFixed(2), '= 1.00', (v) => v === 1],
  ['best practices', (r) => r.categories['best-practices'].score, (v) => v.toFixed(2), '= 1.00', (v) => v === 1],
];
const RUNS = Number(process.env.RUNS ?? 3);
/** One Lighthouse run on `route`: its report. */
async function measure(route) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rollout-lab-lighthouse-'));
  const out = path.join(dir, 'report.json');
  try {
    // Asynchronously: the server answering Lighthouse runs in this process.
    await promisify(execFile)(lighthouse, [server.url + route, '--quiet', '--output=json', `--output-path=${out}`,
      '--only-categories=performance,accessibility,best-practices', `--chrome-flags=${flags}`],
    { env: { ...process.env, CHROME_PATH: process.env.CHROMIUM ?? '/usr/bin/chromium' } });
    return JSON.parse(readFileSync(out, 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
try {
  for (const route of routes.length ? routes : ['#/', '#/lesson/readiness-probes']) {
    const reports = [];
    for (let i = 0; i < RUNS; i += 1) reports.push(await measure(route));
    console.log(`lighthouse mobile, ${route} (Lighthouse ${reports[0].lighthouseVersion}, median of ${RUNS} runs):`);
    for (const [name, read, show, goal, met] of goals) {
      const values = reports.map(read).sort((a, b) => a - b);
      const v = values[Math.floor(values.length / 2)];
      const range = values.length > 1 ? `  (${show(values[0])} to ${show(values[values.length - 1])})` : '';
      console.log(`  ${name.padEnd(26)} ${show(v).padStart(7)}  ${goal ? `goal ${goal}${met(v) ? '' : ', missed'}` : ''}${range}`);
    }
    const report = reports[0];
    const failed = Object.values(report.audits).filter((a) => a.score !== null && a.score < 1 && ['accessibility', 'best-practices']
      .some((c) => report.categories[c].auditRefs.some((ref) => ref.id === a.id && ref.weight > 0)));
    for (const a of failed) console.log(`  not passed: ${a.id}: ${a.title}`);
  }
} finally {
  await server.close();
}

// Shared set-up for browser tests: the built site under a sub-path, Debian's Chromium driven by
// playwright-core, and a record of console errors and of every request the page makes.
import { chromium } from 'playwright-core';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startServer } from './server.mjs';

export const PREFIX = '/course/rollout-lab/';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];

export async function openSite({ root = 'dist', prefix = PREFIX } = {}) {
  const server = await startServer({ root, prefix });
  const profile = await mkdtemp(path.join(os.tmpdir(), 'rollout-lab-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true,
  });
  const origin = new URL(server.url).origin;
  const consoleErrors = [];
  const foreignRequests = [];
  context.on('console', (msg) => { if (msg.type() === 'error') consoleErrors.push(msg.text()); });
  context.on('weberror', (err) => consoleErrors.push(String(err.error())));
  context.on('request', (req) => {
    const u = new URL(req.url());
    if (!['data:', 'blob:'].includes(u.protocol) && u.origin !== origin) foreignRequests.push(req.url());
  });
  return {
    url: server.url, origin, context, consoleErrors, foreignRequests,
    async page(hash = '#/', options = {}) {
      const page = await context.newPage();
      if (options.viewport) await page.setViewportSize(options.viewport);
      if (options.colorScheme) await page.emulateMedia({ colorScheme: options.colorScheme });
      if (options.reducedMotion) await page.emulateMedia({ reducedMotion: options.reducedMotion });
      await page.goto(server.url + hash);
      // The course's pages are prerendered into index.html; wait for the app to take their place.
      await page.waitForFunction(() => !document.getElementById('prerendered'));
      return page;
    },
    async close() {
      await context.close();
      await server.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

// Runs a wasm32-wasip1 program (the core's benchmark) in headless Chromium, the engine a learner's
// page runs the core in (Debian's Node is several V8 versions older). The few WASI calls the
// benchmark makes are answered here: its arguments, the clock, stdout; no files, no environment.
// Usage: node tests/bench/wasi-chromium.mjs FILE.wasm   (prints what the program printed)
import { chromium } from 'playwright-core';
import { readFile } from 'node:fs/promises';

const [file] = process.argv.slice(2);
if (!file) throw new Error('usage: node tests/bench/wasi-chromium.mjs FILE.wasm');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
});
try {
  const page = await browser.newPage();
  const wasm = (await readFile(file)).toString('base64');
  const { code, stdout } = await page.evaluate(async (wasm) => {
    const EBADF = 8;
    const args = ['rollout'].map((a) => new TextEncoder().encode(`${a}\0`));
    let memory;
    const view = () => new DataView(memory.buffer);
    const out = [];
    class Exit { constructor(code) { this.code = code; } }
    const wasi = {
      args_sizes_get(count, size) {
        view().setUint32(count, args.length, true);
        view().setUint32(size, args.reduce((n, a) => n + a.length, 0), true);
        return 0;
      },
      args_get(argv, buf) {
        for (const [i, a] of args.entries()) {
          view().setUint32(argv + 4 * i, buf, true);
          new Uint8Array(memory.buffer, buf, a.length).set(a);
          buf += a.length;
        }
        return 0;
      },
      environ_sizes_get(count, size) { view().setUint32(count, 0, true); view().setUint32(size, 0, true); return 0; },
      environ_get() { return 0; },
      clock_time_get(_id, _precision, at) {
        view().setBigUint64(at, BigInt(Math.round(performance.now() * 1e6)), true);
        return 0;
      },
      fd_write(fd, iovs, n, written) {
        let total = 0;
        for (let i = 0; i < n; i += 1) {
          const [ptr, len] = [view().getUint32(iovs + 8 * i, true), view().getUint32(iovs + 8 * i + 4, true)];
          if (fd === 1) out.push(new TextDecoder().decode(new Uint8Array(memory.buffer, ptr, len)));
          total += len;
        }
        view().setUint32(written, total, true);
        return 0;
      },
      fd_close: () => 0,
      fd_fdstat_get: () => EBADF,
      fd_filestat_get: () => EBADF,
      fd_prestat_get: () => EBADF,
      fd_prestat_dir_name: () => EBADF,
      fd_read: () => EBADF,
      path_open: () => EBADF,
      proc_exit(code) { throw new Exit(code); },
    };
    const bytes = Uint8Array.from(atob(wasm), (c) => c.charCodeAt(0));
    const { instance } = await WebAssembly.instantiate(bytes, { wasi_snapshot_preview1: wasi });
    memory = instance.exports.memory;
    try {
      instance.exports._start();
      return { code: 0, stdout: out.join('') };
    } catch (e) {
      if (e instanceof Exit) return { code: e.code, stdout: out.join('') };
      throw e;
    }
  }, wasm);
  process.stdout.write(stdout);
  process.exitCode = code;
} finally {
  await browser.close();
}

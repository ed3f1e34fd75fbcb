import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * `npm start` (bin/orbit-server.js) on a built tree: no compiling, straight to listening. The time
 * to the "listening" line is reported, not asserted (the machine is shared).
 */
describe('npm start on a built tree', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'orbit-start-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('starts without building and serves the web client and the API on one port', { timeout: 30_000 }, async () => {
    const started = performance.now();
    const child = spawn(process.execPath, ['bin/orbit-server.js'], {
      env: { ...process.env, PORT: '0', ORBIT_HOST: '127.0.0.1', ORBIT_DATA_DIR: dataDir, ORBIT_LOG_LEVEL: 'info', ORBIT_BCRYPT_COST: '4' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stderr.on('data', (d) => (err += String(d)));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        out += String(d);
        const m = /"url":"([^"]+)"/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.once('exit', (code) => reject(new Error(`exited ${code}: ${err}`)));
    });
    const ms = performance.now() - started;
    try {
      expect(err).not.toMatch(/building/);
      const page = await fetch(url.replace('localhost', '127.0.0.1'));
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="app">');
      expect(await (await fetch(new URL('/api/info', url.replace('localhost', '127.0.0.1')))).json()).toMatchObject({ success: true });
      console.log(`[figure] npm start on a built tree: listening after ${ms.toFixed(0)} ms (target ≤ 2000 ms)`);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  });
});

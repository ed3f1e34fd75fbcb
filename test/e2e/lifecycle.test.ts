import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import { startOrbit } from '../../src/main.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { VERSION } from '../../src/version.js';
import { TestClient } from '../support/ddp-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';

const ROOT = resolve(import.meta.dirname, '../..');

/** A pino logger whose JSON lines the test can read. */
function capturingLogger(level = 'info') {
  const lines: any[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      cb();
    },
  });
  return { logger: pino({ level }, sink), lines };
}

/** Runs `node --import tsx src/main.ts` with this environment; collects its output. */
function spawnServer(env: Record<string, string>) {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d.toString()));
  child.stderr!.on('data', (d) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; signal: string | null }>((r) => child.on('exit', (code, signal) => r({ code, signal })));
  const lines = () =>
    stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l));
  async function listening(): Promise<number> {
    const end = Date.now() + 30_000;
    while (Date.now() < end) {
      const line = lines().find((l) => l.msg === 'Orbit is listening');
      if (line) return line.port;
      if (child.exitCode !== null) throw new Error(`server exited: ${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`server did not start: ${stdout}\n${stderr}`);
  }
  return { child, exited, lines, listening, stderr: () => stderr };
}

describe('start-up and shutdown', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'orbit-life-'));
    dirs.push(d);
    return d;
  };
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  describe('HTTP', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer();
    });
    afterAll(async () => {
      await server?.stop();
    });

    it('GET /api/info answers {"version", "success": true}', async () => {
      for (const path of ['/api/info', '/api/v1/info']) {
        const res = await fetch(`http://127.0.0.1:${server.port}${path}`);
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toContain('application/json');
        expect(await res.json()).toEqual({ version: VERSION, success: true });
      }
      expect(VERSION).toMatch(/^\d+\.\d+\.\d+/);
    });

    it('/health is 200 while serving; unknown paths 404, other verbs 405', async () => {
      const health = await fetch(`http://127.0.0.1:${server.port}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
      expect((await fetch(`http://127.0.0.1:${server.port}/nope`)).status).toBe(404);
      expect((await fetch(`http://127.0.0.1:${server.port}/api/info`, { method: 'POST' })).status).toBe(405);
    });
  });

  describe('first start', () => {
    const base = (dir: string) => ({ PORT: '0', ORBIT_HOST: '127.0.0.1', ORBIT_DATA_DIR: dir, ORBIT_BCRYPT_COST: '4', ORBIT_RATE_LIMIT: 'false' });

    it('without ORBIT_ADMIN_*: creates "admin" with a generated password printed once to the log', async () => {
      const dir = tempDir();
      const first = capturingLogger();
      const orbit = await startOrbit(loadConfig(base(dir)), first.logger);
      const line = first.lines.find((l) => l.msg.includes('generated password'));
      expect(line).toMatchObject({ level: 40, username: 'admin' });
      expect(line.password).toMatch(/^[A-Za-z0-9_-]{20}$/);
      const c = await TestClient.connect(`ws://127.0.0.1:${orbit.port}/websocket`);
      expect((await c.login('admin', line.password)).id).toBeTruthy();
      expect(await c.call('getUserRoles')).toEqual([expect.objectContaining({ username: 'admin', roles: ['admin'] })]);
      c.close();
      await orbit.stop();

      const second = capturingLogger();
      const again = await startOrbit(loadConfig(base(dir)), second.logger);
      expect(second.lines.some((l) => l.msg.includes('admin'))).toBe(false);
      expect(JSON.stringify(second.lines)).not.toContain(line.password);
      expect((await again.services.store.users.listByRoles(['admin'])).map((u) => u.username)).toEqual(['admin']);
      await again.stop();
    });

    it('with ORBIT_ADMIN_*: that admin, no password in the log; GENERAL exists and the admin is in it', async () => {
      const dir = tempDir();
      const cap = capturingLogger();
      const orbit = await startOrbit(
        loadConfig({ ...base(dir), ORBIT_ADMIN_USERNAME: 'boss', ORBIT_ADMIN_PASSWORD: 'boss-secret-1', ORBIT_ADMIN_EMAIL: 'boss@example.com' }),
        cap.logger,
      );
      try {
        expect(cap.lines.find((l) => l.msg === 'created the first admin')).toMatchObject({ level: 30, username: 'boss' });
        expect(JSON.stringify(cap.lines)).not.toContain('boss-secret-1');
        const store = orbit.services.store;
        const boss = (await store.users.findByUsername('boss'))!;
        expect(boss).toMatchObject({ roles: ['user', 'admin'], active: true, emails: [{ address: 'boss@example.com', verified: false }] });
        expect(await store.rooms.findById('GENERAL')).toMatchObject({ _id: 'GENERAL', name: 'general', t: 'c', default: true });
        expect(await store.subscriptions.findByRoomAndUser('GENERAL', boss._id)).toBeTruthy();
        const c = await TestClient.connect(`ws://127.0.0.1:${orbit.port}/websocket`);
        expect((await c.login('boss', 'boss-secret-1')).id).toBe(boss._id);
        c.close();
      } finally {
        await orbit.stop();
      }
    });
  });

  describe('the process (node --import tsx src/main.ts)', () => {
    it('a bad configuration stops it with exit 2 and a message listing every problem', async () => {
      const s = spawnServer({ PORT: 'eighty', ORBIT_LOG_LEVEL: 'loud', ORBIT_DATA_DIR: tempDir() });
      const { code } = await s.exited;
      expect(code).toBe(2);
      expect(s.stderr()).toContain('invalid configuration');
      expect(s.stderr()).toContain('PORT');
      expect(s.stderr()).toContain('ORBIT_LOG_LEVEL');
    });

    it.each(['SIGTERM', 'SIGINT'] as const)(
      '%s: closes sockets cleanly, flushes and closes the database, exits 0; debug logs one line per connection',
      async (signal) => {
        const dir = tempDir();
        const s = spawnServer({
          PORT: '0',
          ORBIT_HOST: '127.0.0.1',
          ORBIT_DATA_DIR: dir,
          ORBIT_BCRYPT_COST: '4',
          ORBIT_ADMIN_PASSWORD: 'life-pass',
          ORBIT_LOG_LEVEL: 'debug',
        });
        try {
          const port = await s.listening();
          const c = await TestClient.connect(`ws://127.0.0.1:${port}/websocket`);
          await c.login('admin', 'life-pass');
          expect((await c.callError('login', { resume: 'bogus' })).error).toBe(403);
          const closed = c.closed();
          s.child.kill(signal);
          const { code } = await s.exited;
          expect(code).toBe(0);
          expect((await closed).code).toBe(1001);
          const msgs = s.lines().map((l) => l.msg);
          expect(msgs).toContain('shutting down');
          expect(msgs.at(-1)).toBe('Orbit stopped');
          expect(msgs.filter((m) => m === 'connection opened')).toHaveLength(1);
          expect(msgs.filter((m) => m === 'connection closed')).toHaveLength(1);
          expect(s.lines().find((l) => l.msg === 'method failed')).toMatchObject({ level: 20, method: 'login', error: 403 });
          // the database was checkpointed and closed: no WAL left behind, the data is there
          const wal = join(dir, 'orbit.db-wal');
          expect(!existsSync(wal) || statSync(wal).size === 0).toBe(true);
          const store = SqliteStore.open(join(dir, 'orbit.db'));
          expect((await store.users.findByUsername('admin'))?.services?.resume?.loginTokens).toHaveLength(1);
          await store.close();
        } finally {
          if (s.child.exitCode === null) s.child.kill('SIGKILL');
        }
      },
      60_000,
    );
  });
});

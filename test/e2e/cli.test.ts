import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import bcrypt from 'bcrypt';
import { createHash } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli.js';
import { loadConfig } from '../../src/config/config.js';
import { startOrbit } from '../../src/main.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { VERSION } from '../../src/version.js';
import { TestClient } from '../support/ddp-client.js';

const ROOT = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

/** Spawns `node --import tsx src/cli.ts …` (no build needed); resolves with exit code and output. */
async function orbit(args: string[], env: Record<string, string> = {}) {
  try {
    const r = await run(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env } });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** runCli in-process, output captured (for the many usage-error cases). */
async function inProcess(args: string[], env: Record<string, string> = {}) {
  let out = '';
  let err = '';
  const code = await runCli(args, env, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

describe('orbit CLI', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'orbit-cli-'));
    dirs.push(d);
    return d;
  };
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('--help, version, and --help on each subcommand', async () => {
    const help = await orbit(['--help']);
    expect(help.code).toBe(0);
    for (const cmd of ['create-user', 'reset-password', 'version']) expect(help.stdout).toContain(cmd);
    expect(await orbit(['version'])).toMatchObject({ code: 0, stdout: `${VERSION}\n` });
    for (const cmd of ['create-user', 'reset-password', 'version']) {
      const r = await inProcess([cmd, '--help']);
      expect(r.code).toBe(0);
      expect(r.out).toContain(`Usage: orbit ${cmd}`);
    }
    expect((await inProcess(['create-user', '-h'])).code).toBe(0);
  });

  it.each([
    [[], 2],
    [['frobnicate'], 2],
    [['create-user'], 2],
    [['create-user', 'x'], 2],
    [['create-user', 'x', '--password'], 2],
    [['create-user', 'x', 'y', '--password', 'p'], 2],
    [['create-user', 'x', '--password', 'p', '--colour', 'red'], 2],
    [['reset-password', '--password', 'p'], 2],
    [['reset-password', 'x', '--password', 'p', '--admin'], 2],
    [['version', 'extra'], 2],
  ])('usage error: %j → exit %i with the usage on stderr', async (args, code) => {
    const r = await inProcess(args as string[], { ORBIT_DATA_DIR: tempDir() });
    expect(r.code).toBe(code);
    expect(r.err).toContain('Usage: orbit');
    expect(r.out).toBe('');
  });

  it('a bad configuration is reported with every problem (exit 2)', async () => {
    const r = await inProcess(['create-user', 'x', '--password', 'p'], { ORBIT_BCRYPT_COST: '99', ORBIT_STORE: 'mysql' });
    expect(r.code).toBe(2);
    expect(r.err).toContain('ORBIT_BCRYPT_COST');
    expect(r.err).toContain('ORBIT_STORE');
  });

  // Several CLI processes, each loading the sources through tsx: slow on a busy machine.
  it('create-user and reset-password work on the server\'s store, with no server running', async () => {
    const dir = tempDir();
    const env = { ORBIT_DATA_DIR: dir, ORBIT_BCRYPT_COST: '4' };
    const created = await orbit(['create-user', 'alice', '--password', 'alice-pw-1', '--email', 'Alice@Example.com', '--name', 'Alice A'], env);
    expect(created.code).toBe(0);
    const id = /\(([^)]+)\)/.exec(created.stdout)![1]!;
    const boss = await orbit(['create-user', 'boss', '--password', 'boss-pw', '--admin'], env);
    expect(boss).toMatchObject({ code: 0 });
    expect(boss.stdout).toContain('admin');
    const dup = await orbit(['create-user', 'ALICE', '--password', 'x'], env);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toContain('already in use');

    let store = SqliteStore.open(join(dir, 'orbit.db'));
    const alice = (await store.users.findById(id))!;
    expect(alice).toMatchObject({ username: 'alice', name: 'Alice A', roles: ['user'], active: true, emails: [{ address: 'alice@example.com', verified: false }] });
    expect(await bcrypt.compare(createHash('sha256').update('alice-pw-1').digest('hex'), alice.services!.password!.bcrypt)).toBe(true);
    expect(await store.subscriptions.findByRoomAndUser('GENERAL', id)).toBeTruthy();
    expect((await store.users.findByUsername('boss'))!.roles).toEqual(['user', 'admin']);
    await store.close();

    // the server starts on that store: the CLI-made admin counts, no other admin is generated
    const lines: string[] = [];
    const server = await startOrbit(
      loadConfig({ PORT: '0', ORBIT_HOST: '127.0.0.1', ORBIT_DATA_DIR: dir, ORBIT_BCRYPT_COST: '4' }),
      pino({ level: 'info' }, { write: (l: string) => lines.push(l) }),
    );
    try {
      expect(lines.join('')).not.toContain('generated password');
      const url = `ws://127.0.0.1:${server.port}/websocket`;
      const c = await TestClient.connect(url);
      const { token } = await c.login('alice', 'alice-pw-1');
      c.close();

      const reset = await orbit(['reset-password', 'alice', '--password', 'alice-pw-2'], env);
      expect(reset.code).toBe(0);
      const d = await TestClient.connect(url);
      expect((await d.callError('login', { user: { username: 'alice' }, password: 'alice-pw-1' })).reason).toBe('User not found');
      expect((await d.login('alice', 'alice-pw-2')).id).toBe(id);
      expect((await d.callError('login', { resume: token })).error).toBe(403);
      d.close();
    } finally {
      await server.stop();
    }
    const missing = await orbit(['reset-password', 'nobody', '--password', 'x'], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('Invalid user');
  }, 90_000);

  // `npm test` builds dist/ before running the tests.
  it('bin/orbit.js runs the compiled CLI', async () => {
    expect(existsSync(join(ROOT, 'dist/src/cli.js'))).toBe(true);
    const r = await run(process.execPath, ['bin/orbit.js', 'version'], { cwd: ROOT });
    expect(r.stdout.trim()).toBe(VERSION);
  });
});

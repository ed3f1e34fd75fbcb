import { spawn, type ChildProcess } from 'node:child_process';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import { sample, type ProcSample } from './proc-stats.js';

/** dist/bench (where this file runs from) and the repository root. */
export const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(BENCH_DIR, '..', '..');
export const ORBIT_MAIN = join(ROOT, 'dist', 'src', 'main.js');

/** One or more server processes under test, reachable at `urls` (clients are spread over them). */
export interface ServerGroup {
  readonly label: string;
  readonly urls: string[];
  readonly pids: number[];
  sample(): ProcSample;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => ok(port));
    });
  });
}

/**
 * Starts `node <args>` through a shell that first raises the soft file-descriptor limit to the
 * hard one (`ulimit -n`), so that thousands of sockets fit. The shell `exec`s node: the pid is node's.
 */
export function spawnNode(args: string[], opts: { env?: NodeJS.ProcessEnv; ipc?: boolean; stdout?: 'inherit' | 'ignore' } = {}): ChildProcess {
  const script = 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$@"';
  return spawn('/bin/sh', ['-c', script, 'sh', process.execPath, ...args], {
    env: opts.env ?? process.env,
    stdio: ['ignore', opts.stdout ?? 'ignore', 'pipe', ...(opts.ipc ? (['ipc'] as const) : [])],
  });
}

function healthy(port: number): Promise<boolean> {
  return new Promise((ok) => {
    const req = get({ host: '127.0.0.1', port, path: '/health', timeout: 1000 }, (res) => {
      res.resume();
      ok(res.statusCode === 200);
    });
    req.on('error', () => ok(false));
    req.on('timeout', () => req.destroy());
  });
}

/** A started server process: waits for its health probe, keeps the tail of its stderr for errors. */
async function startProcess(label: string, args: string[], env: NodeJS.ProcessEnv, port: number): Promise<{ child: ChildProcess; errors: () => string }> {
  const child = spawnNode(args, { env });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  let exited: string | undefined;
  child.once('exit', (code, signal) => {
    exited = `exited with ${code ?? signal}`;
  });
  const deadline = Date.now() + 60_000;
  while (!(await healthy(port))) {
    if (exited) {
      const reason = stderr.split('\n').find((l) => /error|fail/i.test(l)) ?? '';
      throw new Error(`${label} ${exited}: ${reason.trim()}\n${stderr}`);
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${label} did not become healthy in 60 s:\n${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, errors: () => stderr };
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((ok) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      ok();
    });
    child.kill('SIGTERM');
  });
}

function group(label: string, procs: Array<{ child: ChildProcess; port: number }>): ServerGroup {
  const pids = procs.map((p) => p.child.pid!);
  return {
    label,
    urls: procs.map((p) => `ws://127.0.0.1:${p.port}/websocket`),
    pids,
    sample: () => sample(pids),
    stop: async () => {
      await Promise.all(procs.map((p) => stopProcess(p.child)));
    },
  };
}

export async function startBaseline(): Promise<ServerGroup> {
  const port = await freePort();
  const { child } = await startProcess('baseline', [join(BENCH_DIR, 'baseline-server.js'), String(port)], process.env, port);
  return group('baseline', [{ child, port }]);
}

export interface OrbitOptions {
  /** One data directory per instance (SQLite), or none (PostgreSQL). */
  dataDirs: string[];
  env?: Record<string, string>;
  /** Extra node flags, e.g. --cpu-prof. */
  nodeFlags?: string[];
}

/** Starts Orbit from the compiled dist: rate limiting off, log level warn, one process per data dir. */
export async function startOrbit(opts: OrbitOptions): Promise<ServerGroup> {
  const procs: Array<{ child: ChildProcess; port: number }> = [];
  try {
    for (const dir of opts.dataDirs) {
      const port = await freePort();
      const env = {
        ...process.env,
        PORT: String(port),
        ORBIT_HOST: '127.0.0.1',
        ORBIT_DATA_DIR: dir,
        ORBIT_LOG_LEVEL: 'warn',
        ORBIT_RATE_LIMIT: 'false',
        ORBIT_ADMIN_USERNAME: 'admin',
        ORBIT_ADMIN_PASSWORD: 'bench-admin-pass',
        ORBIT_BCRYPT_COST: '4',
        ...opts.env,
      };
      const { child } = await startProcess(`orbit#${procs.length + 1}`, [...(opts.nodeFlags ?? []), ORBIT_MAIN], env, port);
      procs.push({ child, port });
    }
  } catch (err) {
    await Promise.all(procs.map((p) => stopProcess(p.child)));
    throw err;
  }
  return group(procs.length > 1 ? `orbit×${procs.length}` : 'orbit', procs);
}

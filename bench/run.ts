/**
 * `npm run bench [-- --quick]`: every scenario against the bare baseline and against Orbit
 * (SQLite; and two Orbit instances on PostgreSQL + NATS where available), in one invocation.
 * Prints a table of ratios and writes the same as JSON into bench/results/.
 * Not a test: it asserts nothing.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { detectCluster, type ClusterSupport } from './cluster.js';
import { parseOptions, SCENARIOS, type Options } from './options.js';
import { loadAverage } from './proc-stats.js';
import { formatTable, writeJson } from './report.js';
import type { Store } from '../src/store/store.js';
import type { Measured, Row, Scenario, TargetKind, TargetRun } from './scenario.js';
import { cheap } from './scenarios/cheap.js';
import { fanout } from './scenarios/fanout.js';
import { history } from './scenarios/history.js';
import { idle } from './scenarios/idle.js';
import { login } from './scenarios/login.js';
import { manyRooms } from './scenarios/many-rooms.js';
import { writes } from './scenarios/writes.js';
import { roomWrites, roomWritesCountAll } from './scenarios/room-writes.js';
import { openSqlite, seedStore, type Fixture } from './seed.js';
import { ORBIT_MAIN, ROOT, startBaseline, startOrbit, type ServerGroup } from './servers.js';
import { WorkerPool } from './workers.js';

const ALL: Scenario[] = [fanout, manyRooms, idle, cheap, history, writes, login, roomWrites, roomWritesCountAll];
/** The scenarios also run on two Orbit instances (clients spread over both). */
const CLUSTERED = new Set(['fanout', 'many-rooms', 'room-writes']);
const RESULTS = join(ROOT, 'bench', 'results');

const tty = process.stderr.isTTY;
let lastLine = '';
function progress(text: string): void {
  if (tty) {
    process.stderr.write(`\r\x1b[K${text.slice(0, (process.stderr.columns || 120) - 1)}`);
  } else if (!/ s left$/.test(text) || /, (\d*[05]) s left$/.test(text)) {
    if (text !== lastLine) process.stderr.write(`${text}\n`);
  }
  lastLine = text;
}
function say(text: string): void {
  if (tty) process.stderr.write('\r\x1b[K');
  process.stderr.write(`${text}\n`);
}

function fdHardLimit(): number {
  try {
    const v = execFileSync('/bin/sh', ['-c', 'ulimit -Hn'], { encoding: 'utf8' }).trim();
    return v === 'unlimited' ? Number.MAX_SAFE_INTEGER : Number(v);
  } catch {
    return 1024;
  }
}

async function runTarget(scenario: Scenario, kind: TargetKind, fixture: Fixture, opts: Options, cluster: ClusterSupport, tag: string): Promise<Measured & { seedSeconds?: number }> {
  const say2 = (t: string) => progress(`${tag} ${t}`);
  const dirs: string[] = [];
  let servers: ServerGroup | undefined;
  let pool: WorkerPool | undefined;
  let openStore: TargetRun['openStore'];
  let seedSeconds: number | undefined;
  try {
    if (kind === 'baseline') {
      say2('starting the baseline');
      servers = await startBaseline();
    } else {
      const count = kind === 'cluster' ? 2 : 1;
      for (let i = 0; i < count; i++) dirs.push(mkdtempSync(join(tmpdir(), 'orbit-bench-')));
      const seed = async (store: Store) => {
        const t0 = performance.now();
        try {
          await seedStore(store, fixture, say2);
        } finally {
          await store.close();
        }
        seedSeconds = (performance.now() - t0) / 1000;
      };
      const start = async () => {
        say2(`starting Orbit${count > 1 ? ` ×${count}` : ''}`);
        const profDir = join(RESULTS, 'profiles', `${scenario.id}-${kind}-${Date.now()}`);
        return startOrbit({
          dataDirs: dirs,
          env: { ...(kind === 'cluster' ? { ORBIT_STORE: 'postgres', ORBIT_BUS: 'nats' } : {}), ...(opts.rateLimit ? { ORBIT_RATE_LIMIT: 'true' } : {}) },
          nodeFlags: opts.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : [],
        });
      };
      if (kind === 'orbit') {
        // SQLite: seeded straight into the file before the server opens it.
        await seed(openSqlite(dirs[0]!));
        servers = await start();
        openStore = async () => openSqlite(dirs[0]!);
      } else {
        // PostgreSQL (a shared database): only written to once both instances did start on it.
        if (!cluster.ok) throw new Error(cluster.why);
        servers = await start();
        await seed(await cluster.openStore());
        openStore = cluster.openStore;
      }
    }
    pool = await WorkerPool.start(opts.workers);
    const measured = await scenario.run({ kind, servers, pool, fixture, opts, progress: say2, ...(openStore ? { openStore } : {}) });
    return { ...measured, ...(seedSeconds !== undefined ? { seedSeconds } : {}) };
  } finally {
    await pool?.stop();
    await servers?.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  let opts: Options;
  try {
    opts = parseOptions(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(2);
  }
  if (!existsSync(ORBIT_MAIN)) throw new Error(`${ORBIT_MAIN} is missing: run npm run build first`);
  const started = performance.now();
  const notes: string[] = [];
  const fdLimit = fdHardLimit();
  const needed = opts.idle.connections + 1000;
  if (fdLimit < needed && (!opts.only || opts.only.has('idle'))) {
    const fit = Math.max(100, fdLimit - 1000);
    notes.push(`file-descriptor hard limit (ulimit -Hn) is ${fdLimit}: idle scenario reduced from ${opts.idle.connections} to ${fit} connections`);
    opts.idle.connections = fit;
    opts.idle.roomMembers = Math.min(opts.idle.roomMembers, fit);
  }
  const load0 = loadAverage();
  const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model, node: process.version, loadAverageAtStart: load0, fdHardLimit: fdLimit };
  say(`Orbit benchmark (${opts.quick ? 'quick' : 'full'}): ${machine.cpus} CPUs, node ${machine.node}, 1-min load ${load0.toFixed(2)}, ${opts.workers} load-generator processes`);
  if (load0 > 0.8) {
    const n = `the machine was busy at start (1-min load ${load0.toFixed(2)}, the build just before included): figures are noisy`;
    notes.push(n);
    say(`note: ${n}`);
  }
  const cluster: ClusterSupport = opts.cluster ? await detectCluster() : { ok: false, why: 'disabled by --no-cluster' };
  if (!cluster.ok) notes.push(`two-instance PostgreSQL + NATS part skipped: ${cluster.why}`);
  else notes.push(`[Orbit×2 PG+NATS] rows: server CPU-s and RSS count the two Orbit processes only, not PostgreSQL or NATS; bench users and rooms stay in ${cluster.postgresUrl}`);
  notes.push(opts.rateLimit ? "Orbit's default rate limits on (--rate-limit)" : "Orbit's rate limits off (ORBIT_RATE_LIMIT=false; --rate-limit keeps them on)");

  const selected = ALL.filter((s) => !opts.only || opts.only.has(s.id));
  const rows: Row[] = [];
  const raw: Record<string, Partial<Record<TargetKind, unknown>>> = {};
  let step = 0;
  const steps = selected.reduce((a, s) => a + (cluster.ok && CLUSTERED.has(s.id) ? 3 : 2), 0);
  for (const scenario of selected) {
    const fixture = scenario.fixture(opts);
    const kinds: TargetKind[] = ['baseline', 'orbit', ...(cluster.ok && CLUSTERED.has(scenario.id) ? (['cluster'] as const) : [])];
    const measured: Partial<Record<TargetKind, Measured>> = {};
    raw[scenario.id] = {};
    for (const kind of kinds) {
      step++;
      const tag = `[${step}/${steps}] ${scenario.title} · ${kind === 'cluster' ? 'orbit×2 pg+nats' : kind} ·`;
      try {
        const m = await runTarget(scenario, kind, fixture, opts, cluster, tag);
        measured[kind] = m;
        raw[scenario.id]![kind] = m;
        for (const n of m.notes) notes.push(`${scenario.title} · ${kind}: ${n}`);
        for (const [phase, c] of Object.entries(m.cost)) {
          if (c.wallSeconds <= 0 || c.loadCpuSeconds === 0) continue;
          const server = c.cpuSeconds / c.wallSeconds;
          const load = c.loadCpuSeconds / c.wallSeconds;
          if (server + load >= 0.9 * machine.cpus) {
            notes.push(`${scenario.title} · ${kind} · ${phase}: CPU-bound machine — server ${server.toFixed(2)} + load generators ${load.toFixed(2)} of ${machine.cpus} cores`);
          }
        }
      } catch (err) {
        const msg = err instanceof Error ? err.message : String(err);
        say(`${tag} FAILED: ${msg}`);
        notes.push(`${scenario.title} · ${kind}: failed: ${msg.split('\n')[0]}`);
        raw[scenario.id]![kind] = { error: msg };
      }
    }
    const none: Measured = { metrics: {}, cost: {}, notes: [] };
    if (measured.baseline || measured.orbit) rows.push(...scenario.rows(measured.baseline ?? none, measured.orbit ?? none, opts));
    if (measured.cluster) {
      rows.push(...scenario.rows(measured.baseline ?? none, measured.cluster, opts).map((r) => ({ ...r, scenario: `${r.scenario} [Orbit×2 PG+NATS]` })));
    }
  }
  const load1 = loadAverage();
  say('');
  process.stdout.write(`${formatTable(rows)}\n`);
  if (notes.length > 0) process.stdout.write(`\nNotes:\n${notes.map((n) => `  - ${n}`).join('\n')}\n`);
  const seconds = (performance.now() - started) / 1000;
  const file = writeJson(RESULTS, {
    when: new Date().toISOString(),
    mode: opts.quick ? 'quick' : 'full',
    seconds,
    machine: { ...machine, loadAverageAtEnd: load1 },
    options: { ...opts, only: opts.only ? [...opts.only] : undefined },
    scenarios: SCENARIOS.filter((id) => raw[id]),
    rows,
    notes,
    raw,
  });
  process.stdout.write(`\n${rows.filter((r) => r.met === false).length} target(s) missed · ${seconds.toFixed(0)} s · JSON: ${file}\n`);
}

main().catch((err: unknown) => {
  say(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exit(1);
});

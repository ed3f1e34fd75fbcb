import type { Store } from '../src/store/store.js';
import type { Options } from './options.js';
import type { ClientSpec } from './protocol.js';
import { diff } from './proc-stats.js';
import type { Fixture } from './seed.js';
import type { ServerGroup } from './servers.js';
import type { MergedReport, WorkerPool } from './workers.js';

export type TargetKind = 'baseline' | 'orbit' | 'cluster';

/** One scenario's run against one target: the servers, the load generators, the fixture. */
export interface TargetRun {
  kind: TargetKind;
  servers: ServerGroup;
  pool: WorkerPool;
  fixture: Fixture;
  opts: Options;
  /** Opens Orbit's store (after the servers stopped), to check what was persisted; undefined for the baseline. */
  openStore?: () => Promise<Store>;
  progress(text: string): void;
}

/** A measured figure and the server's cost while it was taken. */
export interface Measured {
  metrics: Record<string, number>;
  /** Server CPU-seconds and RSS (bytes) per phase, keyed like the metrics they belong to. */
  cost: Record<string, { cpuSeconds: number; rss: number; wallSeconds: number; loadCpuSeconds: number }>;
  notes: string[];
}

/** One line of the result table. */
export interface Row {
  scenario: string;
  metric: string;
  unit: string;
  baseline: number | undefined;
  orbit: number | undefined;
  /** orbit / baseline. */
  ratio: number | undefined;
  target?: string;
  /** true = met, false = missed, undefined = no target. */
  met?: boolean;
  cpu: { baseline?: number; orbit?: number };
  rss: { baseline?: number; orbit?: number };
}

export interface Scenario {
  id: string;
  title: string;
  /** The data this scenario needs (the same for every target). */
  fixture(opts: Options): Fixture;
  run(t: TargetRun): Promise<Measured>;
  rows(baseline: Measured, orbit: Measured, opts: Options): Row[];
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Client i of the target: spread round-robin over the target's URLs. */
export function client(t: TargetRun, i: number, spec: Omit<ClientSpec, 'url'>): ClientSpec {
  return { url: t.servers.urls[i % t.servers.urls.length]!, ...spec };
}

/** Opens the clients and fails loudly if a meaningful share could not connect. */
export async function openClients(t: TargetRun, clients: ClientSpec[], what: string): Promise<void> {
  t.progress(`opening ${clients.length.toLocaleString('en')} ${what}`);
  const r = await t.pool.open(clients, 64);
  if (r.failed > 0) {
    const msg = `${r.failed} of ${clients.length} ${what} failed to open: ${r.errors.join(' | ')}`;
    if (r.failed > clients.length * 0.01) throw new Error(msg);
    t.progress(msg);
  }
}

/**
 * Lets the load warm up, then measures for `ms`: the merged load-generator report and the
 * server's (and load generators') CPU time and RSS over exactly that window.
 */
export async function measureWindow(t: TargetRun, label: string, ms: number): Promise<{ report: MergedReport; cost: Measured['cost'][string]; seconds: number }> {
  t.progress(`${label}: warming up`);
  await sleep(t.opts.warmupMs);
  await t.pool.measure();
  const s0 = t.servers.sample();
  const l0 = t.pool.sample();
  const end = performance.now() + ms;
  while (performance.now() < end) {
    t.progress(`${label}: measuring, ${Math.ceil((end - performance.now()) / 1000)} s left`);
    await sleep(Math.min(1000, Math.max(0, end - performance.now())));
  }
  const s1 = t.servers.sample();
  const l1 = t.pool.sample();
  const report = await t.pool.report();
  const server = diff(s0, s1);
  const load = diff(l0, l1);
  return {
    report,
    seconds: server.wallSeconds,
    cost: { cpuSeconds: server.cpuSeconds, rss: server.rss, wallSeconds: server.wallSeconds, loadCpuSeconds: load.cpuSeconds },
  };
}

/** A note for the errors and closed sockets a window saw (none → nothing). */
export function troubles(report: MergedReport): string[] {
  const out: string[] = [];
  const c = report.calls;
  if (c.error + c.timeout + c.closed > 0) out.push(`calls: ${c.error} errors, ${c.timeout} timeouts, ${c.closed} on closed sockets${report.errors.length ? ` (${report.errors[0]})` : ''}`);
  if (report.closedConns > 0) out.push(`${report.closedConns} sockets closed by the server`);
  return out;
}

/** A row comparing one metric. `want` states the target as a ratio bound or an absolute bound on Orbit. */
export function row(
  scenario: string,
  metric: string,
  unit: string,
  b: Measured,
  o: Measured,
  key: string,
  costKey: string,
  want?: { ratioAtLeast?: number; ratioAtMost?: number; atMost?: number; atLeast?: number; text: string },
): Row {
  const baseline = b.metrics[key];
  const orbit = o.metrics[key];
  const ratio = baseline !== undefined && orbit !== undefined && baseline !== 0 ? orbit / baseline : undefined;
  let met: boolean | undefined;
  if (want && orbit !== undefined) {
    met = true;
    if (want.ratioAtLeast !== undefined) met &&= ratio !== undefined && ratio >= want.ratioAtLeast;
    if (want.ratioAtMost !== undefined) met &&= ratio !== undefined && ratio <= want.ratioAtMost;
    if (want.atMost !== undefined) met &&= orbit <= want.atMost;
    if (want.atLeast !== undefined) met &&= orbit >= want.atLeast;
  }
  return {
    scenario,
    metric,
    unit,
    baseline,
    orbit,
    ratio,
    ...(want ? { target: want.text, met } : {}),
    cpu: { baseline: b.cost[costKey]?.cpuSeconds, orbit: o.cost[costKey]?.cpuSeconds },
    rss: { baseline: b.cost[costKey]?.rss, orbit: o.cost[costKey]?.rss },
  };
}

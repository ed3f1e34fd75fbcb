import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { Histogram } from './histogram.js';
import type { ClientSpec, Command, LoadSpec, OpenResult, Outcomes, Report, Reply, StopResult } from './protocol.js';
import { sample, type ProcSample } from './proc-stats.js';
import { BENCH_DIR, spawnNode } from './servers.js';

/** Reports of every worker, added up. */
export interface MergedReport {
  deliveries: { room: number; my: number; other: number };
  delivery: Histogram;
  calls: Outcomes;
  call: Histogram;
  errors: string[];
  closedConns: number;
}

class Worker {
  #seq = 0;
  readonly #waiting = new Map<number, { ok: (v: unknown) => void; fail: (e: Error) => void }>();
  /** Resolves when the process says it listens for commands. */
  readonly ready: Promise<void>;

  constructor(readonly child: ChildProcess) {
    this.ready = new Promise((ok, fail) => {
      child.on('message', (r: Reply | { ready: true }) => 'ready' in r && ok());
      child.once('exit', (code) => fail(new Error(`load generator exited with ${code} while starting`)));
    });
    child.on('message', (r: Reply | { ready: true }) => {
      if ('ready' in r) return;
      const w = this.#waiting.get(r.seq);
      if (!w) return;
      this.#waiting.delete(r.seq);
      if (r.ok) w.ok(r.value);
      else w.fail(new Error(`load generator: ${r.error}`));
    });
    child.on('error', () => {});
    child.once('exit', (code, signal) => {
      for (const w of this.#waiting.values()) w.fail(new Error(`load generator exited with ${code ?? signal}`));
      this.#waiting.clear();
    });
  }

  send<T>(command: Command): Promise<T> {
    const seq = this.#seq++;
    if (!this.child.connected) return Promise.reject(new Error('load generator is gone'));
    return new Promise<T>((ok, fail) => {
      this.#waiting.set(seq, { ok: ok as (v: unknown) => void, fail });
      this.child.send({ seq, command });
    });
  }
}

/**
 * The load-generator processes (forked through a shell that raises their descriptor limit).
 * Clients are dealt round-robin: client i lives in worker i % n, as its (i / n)-th client.
 */
export class WorkerPool {
  readonly #workers: Worker[];
  #stopped = false;

  private constructor(workers: Worker[]) {
    this.#workers = workers;
  }

  /** Forks `n` load generators and waits until each is listening. */
  static async start(n: number): Promise<WorkerPool> {
    const workers = Array.from({ length: n }, () => {
      const child = spawnNode([join(BENCH_DIR, 'load-worker.js')], { ipc: true, stdout: 'inherit' });
      child.stderr?.on('data', (d: Buffer) => process.stderr.write(`[load] ${d.toString()}`));
      return new Worker(child);
    });
    const pool = new WorkerPool(workers);
    try {
      await Promise.all(workers.map((w) => w.ready));
    } catch (err) {
      await pool.stop();
      throw err;
    }
    return pool;
  }

  get size(): number {
    return this.#workers.length;
  }

  get pids(): number[] {
    return this.#workers.map((w) => w.child.pid!);
  }

  sample(): ProcSample {
    return sample(this.pids);
  }

  /** Opens the clients (dealt round-robin), at most `concurrency` handshakes at a time per worker. */
  async open(clients: ClientSpec[], concurrency = 50): Promise<OpenResult> {
    const shares = this.#deal(clients);
    const results = await Promise.all(this.#workers.map((w, i) => w.send<OpenResult>({ cmd: 'open', clients: shares[i]!, concurrency })));
    return {
      opened: results.reduce((a, r) => a + r.opened, 0),
      failed: results.reduce((a, r) => a + r.failed, 0),
      errors: results.flatMap((r) => r.errors).slice(0, 3),
    };
  }

  /**
   * Starts a load on the given global client indexes. `rate` (open loop) is the total over every
   * worker, split by each worker's share of the callers.
   */
  async load(spec: Omit<LoadSpec, 'callers'>, callers: number[]): Promise<void> {
    const n = this.#workers.length;
    await Promise.all(
      this.#workers.map((w, i) => {
        const mine = callers.filter((c) => c % n === i).map((c) => Math.floor(c / n));
        if (mine.length === 0) return Promise.resolve();
        const rate = spec.rate !== undefined ? (spec.rate * mine.length) / callers.length : undefined;
        return w.send({ cmd: 'load', load: { ...spec, ...(rate !== undefined ? { rate } : {}), callers: mine } });
      }),
    );
  }

  async measure(): Promise<void> {
    await Promise.all(this.#workers.map((w) => w.send({ cmd: 'measure' })));
  }

  async report(): Promise<MergedReport> {
    const reports = await Promise.all(this.#workers.map((w) => w.send<Report>({ cmd: 'report' })));
    const merged: MergedReport = {
      deliveries: { room: 0, my: 0, other: 0 },
      delivery: new Histogram(),
      calls: { ok: 0, empty: 0, error: 0, closed: 0, timeout: 0 },
      call: new Histogram(),
      errors: [],
      closedConns: 0,
    };
    for (const r of reports) {
      for (const k of ['room', 'my', 'other'] as const) merged.deliveries[k] += r.deliveries[k];
      for (const k of Object.keys(merged.calls) as Array<keyof Outcomes>) merged.calls[k] += r.calls[k];
      merged.delivery.merge(r.delivery);
      merged.call.merge(r.call);
      merged.errors.push(...r.errors);
      merged.closedConns += r.closedConns;
    }
    merged.errors = merged.errors.slice(0, 5);
    return merged;
  }

  async stopLoad(drainMs = 10_000): Promise<StopResult> {
    const results = await Promise.all(this.#workers.map((w) => w.send<StopResult>({ cmd: 'stopLoad', drainMs })));
    return { ackedIds: results.flatMap((r) => r.ackedIds), inFlight: results.reduce((a, r) => a + r.inFlight, 0) };
  }

  /** Closes every client and ends the processes. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    await Promise.all(this.#workers.map((w) => w.send({ cmd: 'close' }).catch(() => undefined)));
    await Promise.all(
      this.#workers.map(
        (w) =>
          new Promise<void>((ok) => {
            if (w.child.exitCode !== null || w.child.signalCode !== null) return ok();
            w.child.once('exit', () => ok());
            w.child.disconnect();
            setTimeout(() => w.child.kill('SIGKILL'), 5000).unref();
          }),
      ),
    );
  }

  #deal(clients: ClientSpec[]): ClientSpec[][] {
    const shares: ClientSpec[][] = this.#workers.map(() => []);
    clients.forEach((c, i) => shares[i % shares.length]!.push(c));
    return shares;
  }
}

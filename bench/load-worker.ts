/**
 * A load-generator process (forked by the coordinator): holds a share of the simulated clients,
 * drives calls at a fixed rate (open loop) or back to back (closed loop), and counts what comes
 * back. Timestamps are process.hrtime (CLOCK_MONOTONIC, shared by every process on the machine),
 * so a message sent from one process and received in another has a meaningful latency.
 */
import { randomBytes } from 'node:crypto';
import { DdpConn, type CallOutcome } from './ddp-conn.js';
import { Histogram } from './histogram.js';
import type { ClientSpec, Command, LoadSpec, OpenResult, Outcomes, Report, Reply, StopResult } from './protocol.js';

const MARK = '"msg":"bench ';
const MY_MESSAGES = '"eventName":"__my_messages__"';
const ROOM_STREAM = '{"msg":"changed","collection":"stream-room-messages"';
const TAG = `b${randomBytes(3).toString('hex')}x`;

const nowNs = () => Number(process.hrtime.bigint());

/** Indexed as the coordinator dealt them; a client that failed to open leaves a hole. */
const clients: Array<{ spec: ClientSpec; conn: DdpConn } | undefined> = [];
const delivery = new Histogram();
const callHist = new Histogram();
let deliveries = { room: 0, my: 0, other: 0 };
let outcomes: Outcomes = { ok: 0, empty: 0, error: 0, closed: 0, timeout: 0 };
let errors: string[] = [];
let closedConns = 0;
let running = false;
let closingAll = false;
let inFlight = 0;
let seq = 0;
let ackedIds: string[] = [];
let ticker: NodeJS.Timeout | undefined;

function onDelivery(text: string): void {
  if (text.startsWith(ROOM_STREAM)) {
    if (text.lastIndexOf(MY_MESSAGES, 160) >= 0) {
      deliveries.my++;
      return;
    }
    deliveries.room++;
    const i = text.indexOf(MARK);
    if (i >= 0) {
      const sent = Number(text.slice(i + MARK.length, text.indexOf(' ', i + MARK.length)));
      if (Number.isFinite(sent)) delivery.record((nowNs() - sent) / 1000);
    }
    return;
  }
  deliveries.other++;
}

function noteError(e: string): void {
  if (errors.length < 5) errors.push(e);
}

async function open(specs: ClientSpec[], concurrency: number): Promise<OpenResult> {
  const result: OpenResult = { opened: 0, failed: 0, errors: [] };
  const base = clients.length;
  clients.length = base + specs.length;
  let next = 0;
  const one = async (spec: ClientSpec, slot: number) => {
    const conn = await DdpConn.open(spec.url);
    conn.onDelivery = onDelivery;
    conn.ws.once('close', () => {
      if (!closingAll) closedConns++;
    });
    if (spec.token) {
      const r = await conn.callAsync('login', [{ resume: spec.token }]);
      if (r.outcome !== 'ok') throw new Error(`login failed: ${r.outcome} ${r.error ?? ''}`);
    }
    for (const [name, params] of spec.subs) await conn.sub(name, params);
    clients[slot] = { spec, conn };
  };
  const lane = async () => {
    while (next < specs.length) {
      const k = next++;
      try {
        await one(specs[k]!, base + k);
        result.opened++;
      } catch (err) {
        result.failed++;
        if (result.errors.length < 3) result.errors.push(String(err instanceof Error ? err.message : err));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, specs.length) }, lane));
  return result;
}

/** The params of the next call of `load` by client `c`. */
function params(load: LoadSpec, c: ClientSpec): { params: unknown[]; id?: string } {
  switch (load.method) {
    case 'sendMessage': {
      const id = `${TAG}${(seq++).toString(36)}`;
      const msg = `bench ${nowNs()} a message from the load generator, of an ordinary length for chat`;
      return { params: [{ _id: id, rid: c.rid, msg }], id };
    }
    case 'getRoomById':
      return { params: [c.rid] };
    case 'rooms/get':
      return { params: [] };
    case 'loadHistory': {
      const h = load.history!;
      const end = Math.floor(h.tsMin + Math.random() * (h.tsMax - h.tsMin));
      return { params: [c.rid, { $date: end }, h.limit, null] };
    }
    case 'login':
      return { params: [{ resume: c.token }] };
  }
}

function issue(load: LoadSpec, client: { spec: ClientSpec; conn: DdpConn }, then?: () => void): void {
  const { params: p, id } = params(load, client.spec);
  const t0 = performance.now();
  inFlight++;
  client.conn.call(load.method, p, (outcome: CallOutcome, error?: string) => {
    inFlight--;
    outcomes[outcome]++;
    if (outcome === 'ok' || outcome === 'empty') callHist.record((performance.now() - t0) * 1000);
    if (outcome === 'ok' && id && load.collectIds) ackedIds.push(id);
    if (error) noteError(`${load.method}: ${error}`);
    if (then && running && !client.conn.closed) then();
  });
}

function startLoad(load: LoadSpec): void {
  running = true;
  ackedIds = [];
  const callers = load.callers.map((i) => clients[i]).filter((c) => c !== undefined);
  if (callers.length === 0) return;
  if (load.mode === 'closed') {
    for (const c of callers) {
      const loop = () => issue(load, c, () => setImmediate(loop));
      loop();
    }
    return;
  }
  const rate = load.rate ?? 1;
  const start = performance.now();
  let issued = 0;
  let next = 0;
  ticker = setInterval(() => {
    const due = Math.floor(((performance.now() - start) / 1000) * rate) - issued;
    for (let i = 0; i < due; i++) {
      issue(load, callers[next]!);
      next = (next + 1) % callers.length;
      issued++;
    }
  }, 5);
}

async function stopLoad(drainMs: number): Promise<StopResult> {
  running = false;
  if (ticker) clearInterval(ticker);
  const deadline = performance.now() + drainMs;
  while (inFlight > 0 && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  return { ackedIds, inFlight };
}

function measure(): void {
  delivery.reset();
  callHist.reset();
  deliveries = { room: 0, my: 0, other: 0 };
  outcomes = { ok: 0, empty: 0, error: 0, closed: 0, timeout: 0 };
  errors = [];
  closedConns = 0;
}

function report(): Report {
  return { deliveries, delivery: delivery.toJSON(), calls: outcomes, call: callHist.toJSON(), errors, closedConns };
}

async function handle(c: Command): Promise<unknown> {
  switch (c.cmd) {
    case 'open':
      return open(c.clients, c.concurrency);
    case 'load':
      return startLoad(c.load);
    case 'measure':
      return measure();
    case 'report':
      return report();
    case 'stopLoad':
      return stopLoad(c.drainMs);
    case 'close':
      running = false;
      closingAll = true;
      for (const c of clients) c?.conn.close();
      clients.length = 0;
      return undefined;
  }
}

process.on('message', (m: { seq: number; command: Command }) => {
  handle(m.command).then(
    (value) => process.send!({ seq: m.seq, ok: true, value } satisfies Reply),
    (err: unknown) => process.send!({ seq: m.seq, ok: false, error: String(err instanceof Error ? err.stack : err) } satisfies Reply),
  );
});
process.on('disconnect', () => process.exit(0));
process.send!({ ready: true });

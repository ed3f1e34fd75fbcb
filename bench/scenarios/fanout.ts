import { client, measureWindow, openClients, row, troubles, type Measured, type Scenario, type TargetRun } from '../scenario.js';
import type { MergedReport } from '../workers.js';
import { makeRoom, makeUsers } from '../seed.js';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Delivery figures of one window of a broadcast load. */
export function deliveryMetrics(prefix: string, report: MergedReport, seconds: number, cpuSeconds: number): Record<string, number> {
  const lat = report.delivery.summaryMs();
  return {
    [`${prefix}.deliveriesPerSec`]: report.deliveries.room / seconds,
    [`${prefix}.framesPerCpuSec`]: cpuSeconds > 0 ? report.deliveries.room / cpuSeconds : 0,
    [`${prefix}.sentPerSec`]: report.calls.ok / seconds,
    [`${prefix}.p50`]: lat.p50,
    [`${prefix}.p99`]: lat.p99,
    [`${prefix}.max`]: lat.max,
  };
}

/**
 * 1. Fan-out: one room, every member subscribed to its `stream-room-messages`, a few senders at a
 * fixed rate (open loop). Server CPU per delivered frame, and send → receive latency; then the
 * same at a higher rate as a throughput figure.
 */
export const fanout: Scenario = {
  id: 'fanout',
  title: 'fan-out',
  fixture(opts) {
    const users = makeUsers(opts.fanout.members);
    return { users, rooms: [makeRoom('fanout', range(users.length))] };
  },
  async run(t: TargetRun): Promise<Measured> {
    const o = t.opts.fanout;
    const room = t.fixture.rooms[0]!;
    const clients = t.fixture.users.map((u, i) => client(t, i, { token: u.token, rid: room._id, subs: [['stream-room-messages', [room._id, false]]] }));
    await openClients(t, clients, 'room members');
    const senders = range(Math.min(o.senders, clients.length));
    const out: Measured = { metrics: {}, cost: {}, notes: [] };
    for (const [key, rate, ms] of [['slow', o.rate, o.durationMs], ['fast', o.fastRate, o.fastDurationMs]] as const) {
      await t.pool.load({ method: 'sendMessage', mode: 'open', rate }, senders);
      const w = await measureWindow(t, `${rate} msg/s`, ms);
      await t.pool.stopLoad();
      Object.assign(out.metrics, deliveryMetrics(key, w.report, w.seconds, w.cost.cpuSeconds));
      const expected = w.report.calls.ok * clients.length;
      // Window edges shift a few messages in or out; a real shortfall is larger.
      if (w.report.deliveries.room < expected * 0.9) {
        out.notes.push(`${rate}/s: ${w.report.deliveries.room} frames delivered for ${w.report.calls.ok} acknowledged messages × ${clients.length} members`);
      }
      out.notes.push(...troubles(w.report).map((n) => `${rate}/s: ${n}`));
      out.cost[key] = w.cost;
    }
    return out;
  },
  rows(b, o, opts) {
    const { members, rate, fastRate } = opts.fanout;
    const slow = `1. fan-out ${members} members, ${rate} msg/s`;
    const fast = `1. fan-out ${members} members, ${fastRate} msg/s`;
    return [
      row(slow, 'frames / server CPU-s', '/s', b, o, 'slow.framesPerCpuSec', 'slow', { ratioAtLeast: 0.5, text: '≥ 50% of baseline' }),
      row(slow, 'frames delivered / s', '/s', b, o, 'slow.deliveriesPerSec', 'slow'),
      row(slow, 'send→receive p50', 'ms', b, o, 'slow.p50', 'slow'),
      row(slow, 'send→receive p99', 'ms', b, o, 'slow.p99', 'slow', { ratioAtMost: 2, text: '≤ 2× baseline' }),
      row(fast, 'frames delivered / s', '/s', b, o, 'fast.deliveriesPerSec', 'fast'),
      row(fast, 'frames / server CPU-s', '/s', b, o, 'fast.framesPerCpuSec', 'fast'),
      row(fast, 'send→receive p99', 'ms', b, o, 'fast.p99', 'fast'),
    ];
  },
};

import { client, measureWindow, openClients, row, troubles, type Measured, type Scenario, type TargetRun } from '../scenario.js';
import type { LoadMethod } from '../protocol.js';
import { makeRoom, makeUsers } from '../seed.js';

/**
 * 4. Cheap methods: `getRoomById` then `rooms/get`, back to back from every connection (closed
 * loop): calls/s against the baseline's request/response rate, and call latency.
 * Each user belongs to `roomsPerUser` of `rooms` rooms.
 */
export const cheap: Scenario = {
  id: 'cheap',
  title: 'cheap methods',
  fixture(opts) {
    const { connections, rooms, roomsPerUser } = opts.cheap;
    const users = makeUsers(connections);
    const members: number[][] = Array.from({ length: rooms }, () => []);
    for (let u = 0; u < connections; u++) for (let k = 0; k < roomsPerUser; k++) members[(u + k * 7) % rooms]!.push(u);
    return { users, rooms: members.map((m, r) => makeRoom(`cheap-${r}`, m)) };
  },
  async run(t: TargetRun): Promise<Measured> {
    const { durationMs } = t.opts.cheap;
    const clients = t.fixture.users.map((u, i) => client(t, i, { token: u.token, rid: t.fixture.rooms[i % t.fixture.rooms.length]!._id, subs: [] }));
    await openClients(t, clients, 'connections');
    const out: Measured = { metrics: {}, cost: {}, notes: [] };
    for (const method of ['getRoomById', 'rooms/get'] as LoadMethod[]) {
      await t.pool.load({ method, mode: 'closed' }, clients.map((_, i) => i));
      const w = await measureWindow(t, method, durationMs);
      await t.pool.stopLoad();
      const lat = w.report.call.summaryMs();
      out.metrics[`${method}.perSec`] = (w.report.calls.ok + w.report.calls.empty) / w.seconds;
      out.metrics[`${method}.cpuUsPerCall`] = (w.cost.cpuSeconds * 1e6) / Math.max(1, w.report.calls.ok + w.report.calls.empty);
      out.metrics[`${method}.p50`] = lat.p50;
      out.metrics[`${method}.p99`] = lat.p99;
      out.cost[method] = w.cost;
      out.notes.push(...troubles(w.report).map((n) => `${method}: ${n}`));
      if (w.report.calls.empty > 0) out.notes.push(`${method}: ${w.report.calls.empty} calls answered without a result`);
    }
    return out;
  },
  rows(b, o, opts) {
    const rowsFor = (method: string) => {
      const s = `4. ${method}, ${opts.cheap.connections} connections`;
      return [
        row(s, 'calls / s', '/s', b, o, `${method}.perSec`, method, { ratioAtLeast: 0.4, text: '≥ 40% of baseline' }),
        row(s, 'server CPU per call', 'µs', b, o, `${method}.cpuUsPerCall`, method),
        row(s, 'call p50', 'ms', b, o, `${method}.p50`, method),
        row(s, 'call p99', 'ms', b, o, `${method}.p99`, method),
      ];
    };
    return [...rowsFor('getRoomById'), ...rowsFor('rooms/get')];
  },
};

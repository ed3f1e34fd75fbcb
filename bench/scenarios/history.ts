import { client, measureWindow, openClients, row, troubles, type Measured, type Scenario, type TargetRun } from '../scenario.js';
import { makeRoom, makeUsers, withHistory } from '../seed.js';

/**
 * 5. History: `loadHistory(rid, end, 50)` with a random `end` in a room holding `messages`
 * messages (seeded straight into the store), at a fixed rate from a few connections (open loop).
 */
export const history: Scenario = {
  id: 'history',
  title: 'history',
  fixture(opts) {
    const users = makeUsers(opts.history.connections);
    return withHistory({ users, rooms: [makeRoom('history', users.map((_, i) => i))] }, 0, opts.history.messages);
  },
  async run(t: TargetRun): Promise<Measured> {
    const { rate, durationMs } = t.opts.history;
    const h = t.fixture.history!;
    const rid = t.fixture.rooms[0]!._id;
    const clients = t.fixture.users.map((u, i) => client(t, i, { token: u.token, rid, subs: [] }));
    await openClients(t, clients, 'connections');
    await t.pool.load({ method: 'loadHistory', mode: 'open', rate, history: { tsMin: h.tsMin, tsMax: h.tsMax, limit: 50 } }, clients.map((_, i) => i));
    const w = await measureWindow(t, `loadHistory ${rate}/s`, durationMs);
    await t.pool.stopLoad();
    const lat = w.report.call.summaryMs();
    return {
      metrics: {
        perSec: w.report.calls.ok / w.seconds,
        cpuUsPerCall: (w.cost.cpuSeconds * 1e6) / Math.max(1, w.report.calls.ok),
        p50: lat.p50,
        p99: lat.p99,
        max: lat.max,
      },
      cost: { history: w.cost },
      notes: troubles(w.report),
    };
  },
  rows(b, o, opts) {
    const s = `5. loadHistory limit 50, ${opts.history.messages.toLocaleString('en')} msgs, ${opts.history.rate}/s`;
    return [
      row(s, 'call p50', 'ms', b, o, 'p50', 'history'),
      row(s, 'call p99', 'ms', b, o, 'p99', 'history', { atMost: 5, text: '≤ 5 ms' }),
      row(s, 'calls answered / s', '/s', b, o, 'perSec', 'history'),
      row(s, 'server CPU per call', 'µs', b, o, 'cpuUsPerCall', 'history'),
    ];
  },
};

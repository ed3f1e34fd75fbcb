import { client, measureWindow, openClients, row, troubles, type Measured, type Scenario, type TargetRun } from '../scenario.js';
import { makeRoom, makeUsers } from '../seed.js';

/**
 * 6. Writes: `sendMessage` back to back (closed loop) from `sendersPerRoom` connections in each
 * of `rooms` rooms, nobody listening: acknowledged messages/s. Afterwards, with the server
 * stopped, every acknowledged `_id` is looked up in the store: all must be there.
 */
export const writes: Scenario = {
  id: 'writes',
  title: 'writes',
  fixture(opts) {
    const { rooms, sendersPerRoom } = opts.writes;
    const users = makeUsers(rooms * sendersPerRoom);
    return {
      users,
      rooms: Array.from({ length: rooms }, (_, r) => makeRoom(`writes-${r}`, Array.from({ length: sendersPerRoom }, (_, k) => r * sendersPerRoom + k))),
    };
  },
  async run(t: TargetRun): Promise<Measured> {
    const { sendersPerRoom, durationMs } = t.opts.writes;
    const clients = t.fixture.users.map((u, i) =>
      client(t, i, { token: u.token, rid: t.fixture.rooms[Math.floor(i / sendersPerRoom)]!._id, subs: [] }),
    );
    await openClients(t, clients, 'senders');
    await t.pool.load({ method: 'sendMessage', mode: 'closed', collectIds: true }, clients.map((_, i) => i));
    const w = await measureWindow(t, 'sendMessage, closed loop', durationMs);
    const stopped = await t.pool.stopLoad(30_000);
    const lat = w.report.call.summaryMs();
    const out: Measured = {
      metrics: {
        perSec: w.report.calls.ok / w.seconds,
        cpuUsPerMsg: w.report.calls.ok > 0 ? (w.cost.cpuSeconds * 1e6) / w.report.calls.ok : 0,
        p50: lat.p50,
        p99: lat.p99,
        acked: stopped.ackedIds.length,
      },
      cost: { writes: w.cost },
      notes: troubles(w.report),
    };
    if (w.report.calls.empty > 0) out.notes.push(`${w.report.calls.empty} sendMessage calls answered without a message (not sent)`);
    if (stopped.inFlight > 0) out.notes.push(`${stopped.inFlight} calls still unanswered 30 s after the load stopped`);
    if (t.openStore) {
      await t.pool.stop();
      await t.servers.stop();
      t.progress(`checking ${stopped.ackedIds.length.toLocaleString('en')} acknowledged messages in the store`);
      const store = await t.openStore();
      let missing = 0;
      try {
        for (const id of stopped.ackedIds) if (!(await store.messages.findById(id))) missing++;
      } finally {
        await store.close();
      }
      out.metrics.missing = missing;
      out.notes.push(`persistence: ${stopped.ackedIds.length - missing} of ${stopped.ackedIds.length} acknowledged messages found after stop${missing ? ` — ${missing} MISSING` : ''}`);
    }
    return out;
  },
  rows(b, o, opts) {
    const s = `6. writes, ${opts.writes.rooms} rooms × ${opts.writes.sendersPerRoom} senders`;
    return [
      row(s, 'persisted messages / s', '/s', b, o, 'perSec', 'writes', { atLeast: 3000, text: '≥ 3,000/s' }),
      row(s, 'server CPU per message', 'µs', b, o, 'cpuUsPerMsg', 'writes'),
      row(s, 'sendMessage p50', 'ms', b, o, 'p50', 'writes'),
      row(s, 'sendMessage p99', 'ms', b, o, 'p99', 'writes'),
      row(s, 'acknowledged missing after stop', '', b, o, 'missing', 'writes', { atMost: 0, text: '0' }),
    ];
  },
};

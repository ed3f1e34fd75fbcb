import { client, measureWindow, openClients, row, troubles, type Measured, type Scenario, type TargetRun } from '../scenario.js';
import { makeRoom, makeUsers } from '../seed.js';
import { deliveryMetrics } from './fanout.js';

/**
 * 2. Many rooms: `rooms` rooms of `members` members, every member subscribed to its room and
 * sending (open loop, the total rate shared by all): deliveries/s and send → receive latency.
 */
export const manyRooms: Scenario = {
  id: 'many-rooms',
  title: 'many rooms',
  fixture(opts) {
    const { rooms, members } = opts.manyRooms;
    const users = makeUsers(rooms * members);
    return {
      users,
      rooms: Array.from({ length: rooms }, (_, r) => makeRoom(`many-${r}`, Array.from({ length: members }, (_, k) => r * members + k))),
    };
  },
  async run(t: TargetRun): Promise<Measured> {
    const { members, rate, durationMs } = t.opts.manyRooms;
    const clients = t.fixture.users.map((u, i) => {
      const rid = t.fixture.rooms[Math.floor(i / members)]!._id;
      return client(t, i, { token: u.token, rid, subs: [['stream-room-messages', [rid, false]]] });
    });
    await openClients(t, clients, 'room members');
    await t.pool.load({ method: 'sendMessage', mode: 'open', rate }, clients.map((_, i) => i));
    const w = await measureWindow(t, `${rate} msg/s over ${t.fixture.rooms.length} rooms`, durationMs);
    await t.pool.stopLoad();
    const out: Measured = { metrics: deliveryMetrics('all', w.report, w.seconds, w.cost.cpuSeconds), cost: { all: w.cost }, notes: troubles(w.report) };
    out.metrics['all.ackP99'] = w.report.call.summaryMs().p99;
    return out;
  },
  rows(b, o, opts) {
    const { rooms, members, rate } = opts.manyRooms;
    const s = `2. many rooms ${rooms}×${members}, ${rate} msg/s`;
    return [
      row(s, 'frames delivered / s', '/s', b, o, 'all.deliveriesPerSec', 'all'),
      row(s, 'frames / server CPU-s', '/s', b, o, 'all.framesPerCpuSec', 'all'),
      row(s, 'send→receive p50', 'ms', b, o, 'all.p50', 'all'),
      row(s, 'send→receive p99', 'ms', b, o, 'all.p99', 'all'),
      row(s, 'sendMessage ack p99', 'ms', b, o, 'all.ackP99', 'all'),
    ];
  },
};

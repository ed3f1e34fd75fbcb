import { client, measureWindow, openClients, row, sleep, troubles, type Measured, type Scenario, type TargetRun } from '../scenario.js';
import { makeRoom, makeUsers } from '../seed.js';
import { deliveryMetrics } from './fanout.js';

const USER_EVENTS = ['subscriptions-changed', 'rooms-changed', 'message', 'notification'];

/**
 * 3. Idle: many logged-in connections, each subscribed like a Rocket.Chat client
 * (`__my_messages__` and four notify-user events): server RSS per connection above the empty
 * server. Then the headline: with all of them connected, one room of `roomMembers` of them
 * (also subscribed to its stream) gets `rate` messages/s, and its send → receive latency is measured.
 *
 * The headline room is private: a public room's messages also go to every `__my_messages__`
 * subscriber (Rocket.Chat's rule), which would make it a 10,000-recipient broadcast.
 */
export const idle: Scenario = {
  id: 'idle',
  title: 'idle connections',
  fixture(opts) {
    const { connections, roomMembers } = opts.idle;
    const users = makeUsers(connections);
    return { users, rooms: [makeRoom('headline', Array.from({ length: Math.min(roomMembers, connections) }, (_, i) => i), 'p')] };
  },
  async run(t: TargetRun): Promise<Measured> {
    const o = t.opts.idle;
    const room = t.fixture.rooms[0]!;
    const inRoom = new Set(room.members);
    await sleep(o.settleMs);
    const empty = t.servers.sample();
    const clients = t.fixture.users.map((u, i) => {
      const subs: Array<[string, unknown[]]> = [['stream-room-messages', ['__my_messages__', false]]];
      for (const e of USER_EVENTS) subs.push(['stream-notify-user', [`${u._id}/${e}`, false]]);
      if (inRoom.has(i)) subs.push(['stream-room-messages', [room._id, false]]);
      return client(t, i, { token: u.token, rid: room._id, subs });
    });
    const opening = performance.now();
    await openClients(t, clients, 'logged-in, subscribed connections');
    const openSeconds = (performance.now() - opening) / 1000;
    t.progress(`connections open: settling for ${o.settleMs / 1000} s`);
    await sleep(o.settleMs);
    const loaded = t.servers.sample();
    const out: Measured = {
      metrics: {
        emptyRssMB: empty.rss / 2 ** 20,
        loadedRssMB: loaded.rss / 2 ** 20,
        rssPerConnKB: (loaded.rss - empty.rss) / 1024 / clients.length,
        anonPerConnKB: (loaded.anon - empty.anon) / 1024 / clients.length,
        setupPerSec: clients.length / openSeconds,
      },
      cost: { idle: { cpuSeconds: loaded.cpu - empty.cpu, rss: loaded.rss, wallSeconds: (loaded.at - empty.at) / 1000, loadCpuSeconds: 0 } },
      notes: [],
    };
    const senders = room.members.slice(0, o.senders);
    await t.pool.load({ method: 'sendMessage', mode: 'open', rate: o.rate }, senders);
    const w = await measureWindow(t, `headline: ${o.rate} msg/s to ${room.members.length} of ${clients.length} connections`, o.durationMs);
    await t.pool.stopLoad();
    Object.assign(out.metrics, deliveryMetrics('headline', w.report, w.seconds, w.cost.cpuSeconds));
    out.metrics['headline.otherFramesPerSec'] = (w.report.deliveries.my + w.report.deliveries.other) / w.seconds;
    out.cost.headline = w.cost;
    out.notes.push(...troubles(w.report));
    return out;
  },
  rows(b, o, opts) {
    const { connections, roomMembers, rate } = opts.idle;
    const s = `3. idle ${connections.toLocaleString('en')} subscribed connections`;
    const h = `3. headline: ${rate} msg/s to ${roomMembers}-member room + ${connections.toLocaleString('en')} idle`;
    return [
      row(s, 'RSS per connection above empty', 'KB', b, o, 'rssPerConnKB', 'idle', { atMost: 16, text: '≤ 16 KB' }),
      row(s, 'anonymous RSS per connection', 'KB', b, o, 'anonPerConnKB', 'idle', { atMost: 16, text: '≤ 16 KB' }),
      row(s, 'RSS empty server', 'MB', b, o, 'emptyRssMB', 'idle'),
      row(s, 'connect+login+5 subs / s', '/s', b, o, 'setupPerSec', 'idle'),
      row(h, 'send→receive p50', 'ms', b, o, 'headline.p50', 'headline'),
      row(h, 'send→receive p99', 'ms', b, o, 'headline.p99', 'headline', { atMost: 100, text: '< 100 ms' }),
      row(h, 'other stream frames / s', '/s', b, o, 'headline.otherFramesPerSec', 'headline'),
    ];
  },
};

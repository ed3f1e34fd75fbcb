import type { Options } from '../options.js';
import type { ClientSpec } from '../protocol.js';
import { client, measureWindow, openClients, row, troubles, type Measured, type Row, type Scenario, type TargetRun } from '../scenario.js';
import { makeRoom, makeUsers, type Fixture } from '../seed.js';

const range = (n: number, from = 0) => Array.from({ length: n }, (_, i) => from + i);

/** Sizes of the write-path scenarios, full or --quick. */
export function roomWritesSizes(opts: Options) {
  return opts.quick
    ? { rooms: 20, roomMembers: 10, bigMembers: 200, bigSenders: 20, midMembers: 100, durationMs: 2000 }
    : { rooms: 100, roomMembers: 10, bigMembers: 1000, bigSenders: 100, midMembers: 200, durationMs: 10_000 };
}

type Phase = 'rooms' | 'big' | 'mid';

/**
 * The write path as room size grows. Every user is a member of one of `rooms` small rooms, of one
 * room of `bigMembers` and (the first `midMembers`) of a middle room; every user is logged in and
 * listens to its own `<uid>/subscriptions-changed` (what every Rocket.Chat client does), but not
 * to the rooms' message streams: the figures are the cost of writing and of the unread
 * bookkeeping, not of delivering the message.
 *
 * - rooms: every member of every small room sends back to back (closed loop).
 * - big: `bigSenders` members send back to back into the big room.
 * - mid: every member of the middle room sends back to back; server CPU per message.
 *
 * Afterwards every acknowledged `_id` is looked up in the store with the server stopped. On two
 * instances (PostgreSQL + NATS) the clients are spread over both.
 * `countAll` runs the same with `Unread_Count = all_messages`, where every message changes every
 * other member's `unread`.
 */
function roomWritesScenario(id: string, title: string, countAll: boolean): Scenario {
  return {
    id,
    title,
    fixture(opts): Fixture {
      const s = roomWritesSizes(opts);
      const users = makeUsers(Math.max(s.rooms * s.roomMembers, s.bigMembers, s.midMembers), 'w');
      return {
        users,
        rooms: [
          ...range(s.rooms).map((r) => makeRoom(`w-${r}`, range(s.roomMembers, r * s.roomMembers))),
          makeRoom('w-big', range(s.bigMembers)),
          makeRoom('w-mid', range(s.midMembers)),
        ],
        ...(countAll ? { settings: { Unread_Count: 'all_messages' } } : {}),
      };
    },
    async run(t: TargetRun): Promise<Measured> {
      const s = roomWritesSizes(t.opts);
      const { users, rooms } = t.fixture;
      const big = rooms[s.rooms]!;
      const mid = rooms[s.rooms + 1]!;
      const listeners: ClientSpec[] = users.map((u, i) =>
        client(t, i, { token: u.token, rid: rooms[Math.floor(i / s.roomMembers)]?._id ?? big._id, subs: [['stream-notify-user', [`${u._id}/subscriptions-changed`, false]]] }),
      );
      await openClients(t, listeners, 'members (listening to their subscriptions-changed)');
      let opened = listeners.length;
      const senders = async (rid: string, who: number[]): Promise<number[]> => {
        const specs = who.map((u, k) => client(t, opened + k, { token: users[u]!.token, rid, subs: [] }));
        await openClients(t, specs, 'senders');
        const idx = range(specs.length, opened);
        opened += specs.length;
        return idx;
      };
      const phases: Array<[Phase, number[]]> = [
        ['rooms', range(s.rooms * s.roomMembers)],
        ['big', await senders(big._id, range(s.bigSenders))],
        ['mid', await senders(mid._id, range(s.midMembers))],
      ];
      const out: Measured = { metrics: { instances: t.servers.urls.length }, cost: {}, notes: [] };
      const acked: string[] = [];
      for (const [phase, callers] of phases) {
        await t.pool.load({ method: 'sendMessage', mode: 'closed', collectIds: true }, callers);
        const w = await measureWindow(t, `${phase}: sendMessage, closed loop`, s.durationMs);
        const stopped = await t.pool.stopLoad(30_000);
        acked.push(...stopped.ackedIds);
        const lat = w.report.call.summaryMs();
        Object.assign(out.metrics, {
          [`${phase}.perSec`]: w.report.calls.ok / w.seconds,
          [`${phase}.notifyPerSec`]: w.report.deliveries.other / w.seconds,
        });
        // No message answered in the window: no cost per message, no latency to speak of.
        if (w.report.calls.ok > 0) {
          out.metrics[`${phase}.cpuUsPerMsg`] = (w.cost.cpuSeconds * 1e6) / w.report.calls.ok;
          out.metrics[`${phase}.p99`] = lat.p99;
        }
        out.cost[phase] = w.cost;
        out.notes.push(...troubles(w.report).map((n) => `${phase}: ${n}`));
        if (w.report.calls.empty > 0) out.notes.push(`${phase}: ${w.report.calls.empty} sendMessage calls answered without a message`);
        if (stopped.inFlight > 0) out.notes.push(`${phase}: ${stopped.inFlight} calls still unanswered 30 s after the load stopped`);
      }
      if (t.openStore) {
        await t.pool.stop();
        await t.servers.stop();
        t.progress(`checking ${acked.length.toLocaleString('en')} acknowledged messages in the store`);
        const store = await t.openStore();
        let missing = 0;
        try {
          for (const mid of acked) if (!(await store.messages.findById(mid))) missing++;
        } finally {
          await store.close();
        }
        out.metrics['missing'] = missing;
        out.notes.push(`persistence: ${acked.length - missing} of ${acked.length} acknowledged messages found after stop${missing ? ` — ${missing} MISSING` : ''}`);
      }
      return out;
    },
    rows(b, o, opts): Row[] {
      const s = roomWritesSizes(opts);
      const head = `${title}:`;
      const rooms = `${head} ${s.rooms} rooms × ${s.roomMembers}, all sending`;
      const bigRoom = `${head} one room of ${s.bigMembers.toLocaleString('en')}, ${s.bigSenders} sending`;
      const midRoom = `${head} one room of ${s.midMembers}, all sending`;
      const full = !opts.quick;
      // Two instances on PostgreSQL + NATS: the target is the writes across both.
      const cluster = (o.metrics['instances'] ?? 1) > 1;
      const roomsTarget = cluster ? { atLeast: 3000, text: '≥ 3,000/s (×2)' } : { atLeast: 10_000, text: '≥ 10,000/s' };
      return [
        row(rooms, 'persisted messages / s', '/s', b, o, 'rooms.perSec', 'rooms', full ? roomsTarget : undefined),
        row(rooms, 'server CPU per message', 'µs', b, o, 'rooms.cpuUsPerMsg', 'rooms'),
        row(rooms, 'sendMessage p99', 'ms', b, o, 'rooms.p99', 'rooms'),
        row(rooms, 'subscriptions-changed / s', '/s', b, o, 'rooms.notifyPerSec', 'rooms'),
        row(bigRoom, 'persisted messages / s', '/s', b, o, 'big.perSec', 'big', full && !cluster ? { atLeast: 3000, text: '≥ 3,000/s' } : undefined),
        row(bigRoom, 'server CPU per message', 'µs', b, o, 'big.cpuUsPerMsg', 'big'),
        row(bigRoom, 'subscriptions-changed / s', '/s', b, o, 'big.notifyPerSec', 'big'),
        row(midRoom, 'persisted messages / s', '/s', b, o, 'mid.perSec', 'mid'),
        row(midRoom, 'server CPU per message', 'µs', b, o, 'mid.cpuUsPerMsg', 'mid', full && !cluster ? { atMost: 150, text: '≤ 150 µs' } : undefined),
        row(midRoom, 'subscriptions-changed / s', '/s', b, o, 'mid.notifyPerSec', 'mid'),
        row(head, 'acknowledged missing after stop', '', b, o, 'missing', 'mid', { atMost: 0, text: '0' }),
      ];
    },
  };
}

/** Default settings (`Unread_Count = user_and_group_mentions_only`). */
export const roomWrites = roomWritesScenario('room-writes', 'W1. room writes', false);
/** `Unread_Count = all_messages`: every message counts for every other member. */
export const roomWritesCountAll = roomWritesScenario('room-writes-all', 'W2. room writes, Unread_Count all_messages', true);

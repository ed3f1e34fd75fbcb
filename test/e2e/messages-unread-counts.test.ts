import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Subscription } from '../../src/domain/types.js';
import { makeRoom } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { clientFor, makeDm, setSetting, subOf, uniq } from './messages-support.js';

/**
 * Room-wide counts (a message that counts for every member: Unread_Count all_messages, DMs,
 * @all/@here) are one write per message whatever the room's size; members still read exact
 * counters, and hear of them in coalesced subscriptions-changed events.
 */
describe('room-wide unread counts', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  const changes = (frames: Array<{ fields?: { eventName?: string; args?: unknown[] } }>, uid: string) =>
    frames.filter((f) => f.fields?.eventName === `${uid}/subscriptions-changed`).map((f) => f.fields!.args![1] as Subscription);

  it('a burst of counted messages: exact counters in subscriptions/get, at most a few coalesced events per member', async () => {
    const s = await server.createUser(uniq('s'));
    const a = await server.createUser(uniq('a'));
    const b = await server.createUser(uniq('b'));
    const room = await makeRoom(server, { t: 'p', owner: s, members: [a, b] });
    const [cs, ca] = await Promise.all([clientFor(server, s), clientFor(server, a)]);
    await ca.sub('stream-notify-user', [`${a._id}/subscriptions-changed`, false]);
    await setSetting(server, 'Unread_Count', 'all_messages');
    try {
      const mark = ca.mark();
      const before = new Date();
      const n = 30;
      await Promise.all(Array.from({ length: n }, (_, i) => cs.call('sendMessage', { rid: room._id, msg: `burst ${i}` })));
      const subs = (await ca.call('subscriptions/get')) as Subscription[];
      const mine = subs.find((x) => x.rid === room._id)!;
      expect(mine).toMatchObject({ unread: n, alert: true, open: true });
      expect(new Date(mine._updatedAt).getTime()).toBeGreaterThanOrEqual(before.getTime());
      // The delta call sees the change too.
      const delta = (await ca.call('subscriptions/get', new Date(before.getTime() - 1))) as { update: Subscription[] };
      expect(delta.update.find((x) => x.rid === room._id)).toMatchObject({ unread: n });
      expect(await subOf(server, room._id, b)).toMatchObject({ unread: n });
      // The last event carries the final count; there are far fewer events than messages.
      await ca.nextEvent('stream-notify-user', `${a._id}/subscriptions-changed`, (x) => (x[1] as Subscription).unread === n, { from: mark });
      const seen = changes(ca.frames.slice(mark), a._id).filter((x) => x.rid === room._id);
      expect(seen.length).toBeGreaterThanOrEqual(1);
      expect(seen.length).toBeLessThanOrEqual(4);
      expect(seen.at(-1)).toMatchObject({ unread: n, alert: true });
      // Reading resets the counters; the sender is never counted.
      await ca.call('readMessages', room._id);
      expect(await subOf(server, room._id, a)).toMatchObject({ unread: 0, alert: false });
      expect(await subOf(server, room._id, s)).toMatchObject({ unread: 0, alert: false });
    } finally {
      await setSetting(server, 'Unread_Count', 'user_and_group_mentions_only');
    }
  });

  it('a read member hears of the next counted message, with its count from zero', async () => {
    const a = await server.createUser(uniq('dma'));
    const b = await server.createUser(uniq('dmb'));
    const dm = await makeDm(server, a, b);
    const [ca, cb] = await Promise.all([clientFor(server, a), clientFor(server, b)]);
    await cb.call('openRoom', dm._id);
    await ca.call('sendMessage', { rid: dm._id, msg: 'one' });
    await cb.call('readMessages', dm._id);
    await cb.sub('stream-notify-user', [`${b._id}/subscriptions-changed`, false]);
    const mark = cb.mark();
    await ca.call('sendMessage', { rid: dm._id, msg: 'two' });
    const [action, sub] = await cb.nextEvent('stream-notify-user', `${b._id}/subscriptions-changed`, () => true, { from: mark });
    expect(action).toBe('updated');
    expect(sub).toMatchObject({ rid: dm._id, unread: 1, alert: true, open: true });
    await cb.settle(150);
    expect(changes(cb.frames.slice(mark), b._id)).toHaveLength(1);
  });

  it('@all in a room: groupMentions for every other member, none for the sender', async () => {
    const s = await server.createUser(uniq('s'));
    const members = await Promise.all([1, 2, 3].map((i) => server.createUser(uniq(`m${i}`))));
    const room = await makeRoom(server, { owner: s, members });
    const cs = await clientFor(server, s);
    await cs.call('sendMessage', { rid: room._id, msg: '@all one' });
    await cs.call('sendMessage', { rid: room._id, msg: '@here two' });
    for (const m of members) expect(await subOf(server, room._id, m)).toMatchObject({ unread: 2, groupMentions: 2, userMentions: 0 });
    expect(await subOf(server, room._id, s)).toMatchObject({ unread: 0, groupMentions: 0 });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Subscription } from '../../src/domain/types.js';
import { makeRoom } from '../support/fixtures.js';
import { TestClient } from '../support/ddp-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { clientFor, makeDm, roomById, setSetting, subOf, uniq } from './messages-support.js';

const counters = (s: Subscription) => ({ unread: s.unread, userMentions: s.userMentions, groupMentions: s.groupMentions, alert: s.alert, open: s.open });

describe('unread bookkeeping of a new message (rooms.md B.4 step 14, findings §7)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  /** Sender S and members A, B in a channel; every one listening to its subscriptions-changed. */
  async function trio(t: 'c' | 'p' = 'c') {
    const s = await server.createUser(uniq('s'));
    const a = await server.createUser(uniq('a'));
    const b = await server.createUser(uniq('b'));
    const room = await makeRoom(server, { t, owner: s, members: [a, b] });
    const [cs, ca, cb] = await Promise.all([s, a, b].map((u) => clientFor(server, u)));
    for (const [c, u] of [
      [cs!, s],
      [ca!, a],
      [cb!, b],
    ] as const) {
      expect((await c.sub('stream-notify-user', [`${u._id}/subscriptions-changed`, false])).ready).toBe(true);
    }
    return { s, a, b, room, cs: cs!, ca: ca!, cb: cb! };
  }

  const send = (c: TestClient, rid: string, msg: string) => c.call('sendMessage', { rid, msg });

  it('default (user_and_group_mentions_only): a plain message alerts and opens the others without counting', async () => {
    const { s, a, b, room, cs } = await trio();
    const subA = await subOf(server, room._id, a);
    await server.orbit.services.store.subscriptions.update(subA._id, { set: { open: false } });
    await send(cs, room._id, 'plain');
    expect(counters(await subOf(server, room._id, a))).toEqual({ unread: 0, userMentions: 0, groupMentions: 0, alert: true, open: true });
    expect(counters(await subOf(server, room._id, b))).toEqual({ unread: 0, userMentions: 0, groupMentions: 0, alert: true, open: true });
    const sender = await subOf(server, room._id, s);
    expect(counters(sender)).toEqual({ unread: 0, userMentions: 0, groupMentions: 0, alert: false, open: true });
    expect(sender.ls!.getTime()).toBeGreaterThan(Date.now() - 5000);
  });

  it('@user counts for that user only (unread and userMentions); @all counts groupMentions for everyone else', async () => {
    const { a, b, room, cs } = await trio();
    await send(cs, room._id, `hey @${a.username}`);
    expect(counters(await subOf(server, room._id, a))).toMatchObject({ unread: 1, userMentions: 1, groupMentions: 0 });
    expect(counters(await subOf(server, room._id, b))).toMatchObject({ unread: 0, userMentions: 0, groupMentions: 0 });
    await send(cs, room._id, '@all listen');
    expect(counters(await subOf(server, room._id, a))).toMatchObject({ unread: 2, userMentions: 1, groupMentions: 1 });
    expect(counters(await subOf(server, room._id, b))).toMatchObject({ unread: 1, userMentions: 0, groupMentions: 1 });
    await send(cs, room._id, '@here too');
    expect(counters(await subOf(server, room._id, b))).toMatchObject({ unread: 2, groupMentions: 2 });
  });

  it('user mentions take priority: @a with @all counts for a only', async () => {
    const { a, b, room, cs } = await trio();
    await send(cs, room._id, `@${a.username} @all`);
    expect(counters(await subOf(server, room._id, a))).toMatchObject({ unread: 1, userMentions: 1, groupMentions: 0 });
    expect(counters(await subOf(server, room._id, b))).toMatchObject({ unread: 0, userMentions: 0, groupMentions: 0, alert: true });
  });

  it('the sender mentioning itself counts nothing; a mentioned non-member gets nothing', async () => {
    const { s, a, room, cs } = await trio();
    const outsider = await server.createUser(uniq('o'));
    await send(cs, room._id, `me @${s.username} and @${outsider.username}`);
    expect(counters(await subOf(server, room._id, s))).toMatchObject({ unread: 0, userMentions: 0 });
    expect(counters(await subOf(server, room._id, a))).toMatchObject({ unread: 0, userMentions: 0 });
    expect(await server.orbit.services.store.subscriptions.findByRoomAndUser(room._id, outsider._id)).toBeUndefined();
  });

  it('Unread_Count all_messages counts every message once per member; user_mentions_only and group_mentions_only', async () => {
    const { a, b, room, cs } = await trio('p');
    await setSetting(server, 'Unread_Count', 'all_messages');
    try {
      await send(cs, room._id, 'one');
      await send(cs, room._id, `two @${a.username}`);
      expect(counters(await subOf(server, room._id, a))).toMatchObject({ unread: 2, userMentions: 1 });
      expect(counters(await subOf(server, room._id, b))).toMatchObject({ unread: 2, userMentions: 0 });
      await setSetting(server, 'Unread_Count', 'user_mentions_only');
      await send(cs, room._id, '@all three');
      await send(cs, room._id, `four @${b.username}`);
      expect(counters(await subOf(server, room._id, a))).toMatchObject({ unread: 2, groupMentions: 1 });
      expect(counters(await subOf(server, room._id, b))).toMatchObject({ unread: 3, userMentions: 1, groupMentions: 1 });
      await setSetting(server, 'Unread_Count', 'group_mentions_only');
      await send(cs, room._id, `five @${a.username}`);
      await send(cs, room._id, '@here six');
      // The user mention still counts in userMentions, but not in unread.
      expect(counters(await subOf(server, room._id, a))).toMatchObject({ unread: 3, userMentions: 2, groupMentions: 2 });
      expect(counters(await subOf(server, room._id, b))).toMatchObject({ unread: 4, userMentions: 1, groupMentions: 2 });
    } finally {
      await setSetting(server, 'Unread_Count', 'user_and_group_mentions_only');
    }
  });

  it('DMs: every message counts by default and the closed side reopens; Unread_Count_DM mentions_only', async () => {
    const a = await server.createUser(uniq('dma'));
    const b = await server.createUser(uniq('dmb'));
    const dm = await makeDm(server, a, b);
    const ca = await clientFor(server, a);
    const cb = await clientFor(server, b);
    await cb.sub('stream-notify-user', [`${b._id}/subscriptions-changed`, false]);
    expect((await subOf(server, dm._id, b)).open).toBe(false);
    await send(ca, dm._id, 'hello');
    const [action, sub] = await cb.nextEvent('stream-notify-user', `${b._id}/subscriptions-changed`);
    expect(action).toBe('updated');
    expect(sub).toMatchObject({ rid: dm._id, open: true, alert: true, unread: 1 });
    await setSetting(server, 'Unread_Count_DM', 'mentions_only');
    try {
      await send(ca, dm._id, 'no count');
      expect(counters(await subOf(server, dm._id, b))).toMatchObject({ unread: 1, userMentions: 0 });
      await send(ca, dm._id, `@${b.username} count`);
      expect(counters(await subOf(server, dm._id, b))).toMatchObject({ unread: 2, userMentions: 1 });
      await send(ca, dm._id, '@all in a dm');
      expect(counters(await subOf(server, dm._id, b))).toMatchObject({ unread: 3, groupMentions: 1 });
    } finally {
      await setSetting(server, 'Unread_Count_DM', 'all_messages');
    }
    // Replying marks the replier read and counts for the other side.
    await send(cb, dm._id, 'reply');
    expect(counters(await subOf(server, dm._id, b))).toMatchObject({ unread: 0, userMentions: 0, groupMentions: 0, alert: false });
    expect(counters(await subOf(server, dm._id, a))).toMatchObject({ unread: 1, alert: true, open: true });
  });

  it('subscriptions-changed only for subscriptions that changed; the sender always (marked read)', async () => {
    const { s, a, b, room, cs, ca, cb } = await trio();
    await send(cs, room._id, 'first');
    const [, subA] = await ca.nextEvent('stream-notify-user', `${a._id}/subscriptions-changed`);
    expect(subA).toMatchObject({ _id: expect.any(String), rid: room._id, alert: true, open: true });
    await cb.nextEvent('stream-notify-user', `${b._id}/subscriptions-changed`);
    await cs.nextEvent('stream-notify-user', `${s._id}/subscriptions-changed`);
    const marks = { a: ca.mark(), b: cb.mark(), s: cs.mark() };
    await send(cs, room._id, 'second: a and b are already alerted');
    await send(cs, room._id, `third: @${b.username}`);
    const [, subB] = await cb.nextEvent('stream-notify-user', `${b._id}/subscriptions-changed`, (x) => x[1].userMentions === 1, { from: marks.b });
    expect(subB).toMatchObject({ unread: 1, userMentions: 1 });
    await cs.nextEvent('stream-notify-user', `${s._id}/subscriptions-changed`, () => true, { from: marks.s });
    await ca.settle(150);
    expect(ca.frames.slice(marks.a).filter((f) => f.fields?.eventName === `${a._id}/subscriptions-changed`)).toEqual([]);
    expect(cs.frames.slice(marks.s).filter((f) => f.fields?.eventName === `${s._id}/subscriptions-changed`)).toHaveLength(2);
    expect(cb.frames.slice(marks.b).filter((f) => f.fields?.eventName === `${b._id}/subscriptions-changed`)).toHaveLength(1);
  });

  it('the room: msgs + 1, lm and lastMessage; announced on rooms-changed', async () => {
    const { a, room, cs, ca } = await trio();
    expect((await ca.sub('stream-notify-user', [`${a._id}/rooms-changed`, false])).ready).toBe(true);
    const m = await send(cs, room._id, 'last one');
    const updated = await roomById(server, room._id);
    expect(updated.msgs).toBe(room.msgs + 1);
    expect(updated.lm).toEqual(m.ts);
    expect(updated.lastMessage).toEqual(m);
    const [action, r] = await ca.nextEvent('stream-notify-user', `${a._id}/rooms-changed`, (x) => x[1].lastMessage?._id === m._id);
    expect(action).toBe('updated');
    expect(r).toMatchObject({ _id: room._id, msgs: room.msgs + 1 });
  });

  it('Store_Last_Message off: lm moves, lastMessage does not', async () => {
    const { room, cs } = await trio();
    await setSetting(server, 'Store_Last_Message', false);
    try {
      const m = await send(cs, room._id, 'unstored');
      const updated = await roomById(server, room._id);
      expect(updated.lm).toEqual(m.ts);
      expect(updated).not.toHaveProperty('lastMessage');
    } finally {
      await setSetting(server, 'Store_Last_Message', true);
    }
  });

  it('thread replies leave the members\' subscriptions alone', async () => {
    const { a, room, cs } = await trio();
    const root = await send(cs, room._id, 'root');
    const subA = await subOf(server, room._id, a);
    await server.orbit.services.store.subscriptions.update(subA._id, { set: { alert: false } });
    await cs.call('sendMessage', { rid: room._id, msg: `reply @${a.username}`, tmid: root._id });
    expect(counters(await subOf(server, room._id, a))).toMatchObject({ alert: false, userMentions: 0 });
  });
});

describe('readMessages (rooms.md B.9, findings §8)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('resets the caller\'s counters, sets ls and open, announces the change, returns nothing', async () => {
    const s = await server.createUser(uniq('s'));
    const a = await server.createUser(uniq('a'));
    const room = await makeRoom(server, { owner: s, members: [a] });
    const cs = await clientFor(server, s);
    const ca = await clientFor(server, a);
    await cs.call('sendMessage', { rid: room._id, msg: `@${a.username} @all` });
    await ca.sub('stream-notify-user', [`${a._id}/subscriptions-changed`, false]);
    const before = await subOf(server, room._id, a);
    await server.orbit.services.store.subscriptions.update(before._id, { set: { open: false } });
    expect(before).toMatchObject({ unread: 1, userMentions: 1, alert: true });
    const res = await ca.callRaw('readMessages', [room._id]);
    expect(res).toEqual({ msg: 'result', id: expect.any(String) });
    const after = await subOf(server, room._id, a);
    expect(counters(after)).toEqual({ unread: 0, userMentions: 0, groupMentions: 0, alert: false, open: true });
    expect(after.ls!.getTime()).toBeGreaterThan(Date.now() - 5000);
    const [action, sub] = await ca.nextEvent('stream-notify-user', `${a._id}/subscriptions-changed`);
    expect(action).toBe('updated');
    expect(sub).toMatchObject({ unread: 0, alert: false });
  });

  it('keeps alert while thread unreads remain, unless readThreads (which also clears them)', async () => {
    const s = await server.createUser(uniq('s'));
    const room = await makeRoom(server, { owner: s });
    const c = await clientFor(server, s);
    const sub = await subOf(server, room._id, s);
    await server.orbit.services.store.subscriptions.update(sub._id, { set: { alert: true, tunread: ['t1'], tunreadUser: ['t1'] } });
    await c.call('readMessages', room._id);
    expect(await subOf(server, room._id, s)).toMatchObject({ alert: true, tunread: ['t1'] });
    await c.call('readMessages', room._id, true);
    const after = await subOf(server, room._id, s);
    expect(after.alert).toBe(false);
    expect(after).not.toHaveProperty('tunread');
    expect(after).not.toHaveProperty('tunreadUser');
    // readThreads is not type-checked: any truthy value counts.
    await server.orbit.services.store.subscriptions.update(sub._id, { set: { alert: true, tunread: ['t2'] } });
    await c.call('readMessages', room._id, 'yes');
    expect(await subOf(server, room._id, s)).not.toHaveProperty('tunread');
  });

  it('errors: 400 (rid only), error-invalid-user, error-room-does-not-exist, error-not-allowed, 500 without a subscription', async () => {
    const owner = await server.createUser(uniq('own'));
    const priv = await makeRoom(server, { t: 'p', owner });
    const pub = await makeRoom(server, { t: 'c', owner });
    const other = await server.createUser(uniq('x'));
    const c = await clientFor(server, other);
    expect((await c.callError('readMessages', 42)).error).toBe(400);
    const anon = await TestClient.connect(server.url);
    expect(await anon.callError('readMessages', pub._id)).toMatchObject({ error: 'error-invalid-user', details: { method: 'readMessages' } });
    anon.close();
    expect(await c.callError('readMessages', 'nope')).toMatchObject({
      error: 'error-room-does-not-exist',
      reason: 'This room does not exist',
      details: { method: 'readMessages' },
    });
    expect(await c.callError('readMessages', priv._id)).toMatchObject({ error: 'error-not-allowed', reason: 'Not allowed' });
    expect(await c.callError('readMessages', pub._id)).toMatchObject({ error: 500 });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../src/domain/types.js';
import { makeRoom } from '../support/fixtures.js';
import type { TestClient } from '../support/ddp-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { clientFor, connected, makeDm, subOf, uniq } from './messages-support.js';

describe('desktop notifications <uid>/notification (streams.md §4.3, findings §5)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  /** A logged-in user listening to its notifications, with presence settled. */
  async function listener(user: User): Promise<TestClient> {
    const c = await clientFor(server, user);
    expect((await c.sub('stream-notify-user', [`${user._id}/notification`, false])).ready).toBe(true);
    await connected(server, user);
    return c;
  }
  const notifications = (c: TestClient, u: User) => c.events('stream-notify-user', `${u._id}/notification`).map((a) => a[0] as any);

  it('DM: the connected receiver gets {title: sender, text, payload} without duration or name; the sender gets none', async () => {
    const a = await server.createUser(uniq('a'), { name: 'Alice A' });
    const b = await server.createUser(uniq('b'));
    const dm = await makeDm(server, a, b);
    const ca = await listener(a);
    const cb = await listener(b);
    const m = await ca.call('sendMessage', { rid: dm._id, msg: 'psst' });
    const [n] = await cb.nextEvent('stream-notify-user', `${b._id}/notification`);
    expect(n).toEqual({
      title: a.username,
      text: 'psst',
      payload: {
        _id: m._id,
        rid: dm._id,
        sender: { _id: a._id, username: a.username, name: 'Alice A' },
        type: 'd',
        message: { msg: 'psst' },
      },
    });
    await ca.settle(100);
    expect(notifications(ca, a)).toEqual([]);
  });

  it('channel: a mention notifies the mentioned member with "#room" / "sender: text"; others get nothing', async () => {
    const s = await server.createUser(uniq('s'));
    const a = await server.createUser(uniq('a'));
    const b = await server.createUser(uniq('b'));
    const room = await makeRoom(server, { owner: s, members: [a, b] });
    const cs = await clientFor(server, s);
    const ca = await listener(a);
    const cb = await listener(b);
    const m = await cs.call('sendMessage', { rid: room._id, msg: `look @${a.username}` });
    const [n] = await ca.nextEvent('stream-notify-user', `${a._id}/notification`);
    expect(n).toEqual({
      title: `#${room.name}`,
      text: `${s.username}: look @${a.username}`,
      payload: { _id: m._id, rid: room._id, sender: m.u, type: 'c', message: { msg: m.msg }, name: room.name },
    });
    await cb.settle(100);
    expect(notifications(cb, b)).toEqual([]);
  });

  it('decision: by default a plain channel message notifies nobody; @all and @here notify every connected member', async () => {
    const s = await server.createUser(uniq('s'));
    const a = await server.createUser(uniq('a'));
    const b = await server.createUser(uniq('b'));
    const room = await makeRoom(server, { t: 'p', owner: s, members: [a, b] });
    const cs = await clientFor(server, s);
    const ca = await listener(a);
    const cb = await listener(b);
    await cs.call('sendMessage', { rid: room._id, msg: 'just chatting' });
    await ca.settle(100);
    expect(notifications(ca, a)).toEqual([]);
    await cs.call('sendMessage', { rid: room._id, msg: '@here meeting' });
    expect((await ca.nextEvent('stream-notify-user', `${a._id}/notification`))[0].payload.type).toBe('p');
    expect((await cb.nextEvent('stream-notify-user', `${b._id}/notification`))[0].text).toBe(`${s.username}: @here meeting`);
  });

  it('subscription preferences: all → every message, nothing → never (even in DMs), disableNotifications → never', async () => {
    const s = await server.createUser(uniq('s'));
    const a = await server.createUser(uniq('a'));
    const b = await server.createUser(uniq('b'));
    const room = await makeRoom(server, { owner: s, members: [a, b] });
    const store = server.orbit.services.store;
    await store.subscriptions.update((await subOf(server, room._id, a))._id, { set: { desktopNotifications: 'all' } });
    await store.subscriptions.update((await subOf(server, room._id, b))._id, { set: { disableNotifications: true } });
    const cs = await clientFor(server, s);
    const ca = await listener(a);
    const cb = await listener(b);
    await cs.call('sendMessage', { rid: room._id, msg: `plain, and @${b.username}` });
    expect((await ca.nextEvent('stream-notify-user', `${a._id}/notification`))[0].text).toContain('plain');
    await cb.settle(100);
    expect(notifications(cb, b)).toEqual([]);

    const dm = await makeDm(server, s, b);
    await store.subscriptions.update((await subOf(server, dm._id, b))._id, { set: { desktopNotifications: 'nothing' } });
    await cs.call('sendMessage', { rid: dm._id, msg: 'silent dm' });
    await cb.settle(100);
    expect(notifications(cb, b)).toEqual([]);
  });

  it('no notification when the receiver is busy, shown offline, or ignores the sender; none for thread replies', async () => {
    const s = await server.createUser(uniq('s'));
    const a = await server.createUser(uniq('a'));
    const dm = await makeDm(server, s, a);
    const cs = await clientFor(server, s);
    const ca = await listener(a);
    const store = server.orbit.services.store;
    const root = await cs.call('sendMessage', { rid: dm._id, msg: 'root' });
    await ca.nextEvent('stream-notify-user', `${a._id}/notification`);
    const mark = ca.mark();
    await cs.call('sendMessage', { rid: dm._id, msg: 'in thread', tmid: root._id });
    await store.users.update(a._id, { set: { status: 'busy' } });
    await cs.call('sendMessage', { rid: dm._id, msg: 'busy' });
    await store.users.update(a._id, { set: { status: 'online', statusConnection: 'offline' } });
    await cs.call('sendMessage', { rid: dm._id, msg: 'offline' });
    await store.users.update(a._id, { set: { statusConnection: 'online' } });
    await store.subscriptions.update((await subOf(server, dm._id, a))._id, { set: { ignored: [s._id] } });
    await cs.call('sendMessage', { rid: dm._id, msg: 'ignored' });
    await ca.settle(150);
    expect(ca.frames.slice(mark).filter((f) => f.fields?.eventName === `${a._id}/notification`)).toEqual([]);
    await store.subscriptions.update((await subOf(server, dm._id, a))._id, { set: { ignored: [] } });
    await cs.call('sendMessage', { rid: dm._id, msg: 'back' });
    expect((await ca.nextEvent('stream-notify-user', `${a._id}/notification`, (x) => x[0].text === 'back'))[0].title).toBe(s.username);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRoom } from '../support/fixtures.js';
import { TestClient } from '../support/ddp-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { clientFor, makeDm, uniq } from './messages-support.js';

const NOT_ALLOWED = { isClientSafe: true, error: 'not-allowed', message: '[not-allowed]', errorType: 'Meteor.Error' };

describe('stream-room-messages (streams.md §4.1)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('a member receives each new message as the exact changed frame', async () => {
    const owner = await server.createUser(uniq('own'));
    const member = await server.createUser(uniq('mem'));
    const room = await makeRoom(server, { t: 'p', owner, members: [member] });
    const oc = await clientFor(server, owner);
    const mc = await clientFor(server, member);
    expect((await mc.sub('stream-room-messages', [room._id, false])).ready).toBe(true);
    const m = await oc.call('sendMessage', { rid: room._id, msg: 'hi' });
    const frame = await mc.waitFor((f) => f.msg === 'changed' && f.collection === 'stream-room-messages');
    expect(frame).toEqual({ msg: 'changed', collection: 'stream-room-messages', id: 'id', fields: { eventName: room._id, args: [m] } });
    const raw = mc.raw.find((r) => r.includes('"stream-room-messages"'))!;
    expect(raw.startsWith('{"msg":"changed","collection":"stream-room-messages","id":"id","fields":{"eventName":')).toBe(true);
    expect(raw).toContain('"ts":{"$date":');
  });

  it('read rule: not-allowed for a private room of others, an unknown room and anonymous callers; public rooms are previewable', async () => {
    const owner = await server.createUser(uniq('own'));
    const priv = await makeRoom(server, { t: 'p', owner });
    const pub = await makeRoom(server, { t: 'c', owner });
    const outsider = await server.createUser(uniq('out'));
    const c = await clientFor(server, outsider);
    expect(await c.sub('stream-room-messages', [priv._id, false])).toMatchObject({ ready: false, error: NOT_ALLOWED });
    expect((await c.sub('stream-room-messages', ['no-such-room', false])).error).toEqual(NOT_ALLOWED);
    expect((await c.sub('stream-room-messages', [pub._id, false])).ready).toBe(true);
    const anon = await TestClient.connect(server.url);
    expect((await anon.sub('stream-room-messages', [pub._id, false])).error).toEqual(NOT_ALLOWED);
    anon.close();
  });

  it('a user who leaves stops receiving the room\'s messages (silently), a remaining member keeps receiving', async () => {
    const owner = await server.createUser(uniq('own'));
    const leaver = await server.createUser(uniq('lv'));
    const room = await makeRoom(server, { t: 'p', owner, members: [leaver] });
    const oc = await clientFor(server, owner);
    const lc = await clientFor(server, leaver);
    const sub = await lc.sub('stream-room-messages', [room._id, false]);
    await oc.sub('stream-room-messages', [room._id, false]);
    const before = await oc.call('sendMessage', { rid: room._id, msg: 'before' });
    await lc.nextEvent('stream-room-messages', room._id, (a) => a[0]._id === before._id);
    await server.orbit.services.membership.removeUser(room, (await server.orbit.services.store.users.findById(leaver._id))!);
    // The leave message is written while the leaver is still a member: it is the last one it gets.
    await lc.nextEvent('stream-room-messages', room._id, (a) => a[0].t === 'ul');
    const mark = lc.mark();
    const after = await oc.call('sendMessage', { rid: room._id, msg: 'after' });
    await oc.nextEvent('stream-room-messages', room._id, (a) => a[0]._id === after._id);
    await lc.settle(150);
    expect(lc.frames.slice(mark).filter((f) => f.collection === 'stream-room-messages')).toEqual([]);
    expect(lc.frames.slice(mark).filter((f) => f.msg === 'nosub' && f.id === sub.id)).toEqual([]);
    // Re-subscribing is refused now that the room is out of reach.
    expect((await lc.sub('stream-room-messages', [room._id, false])).error).toEqual(NOT_ALLOWED);
  });

  it('hidden system message types are not broadcast', async () => {
    const owner = await server.createUser(uniq('own'));
    const room = await makeRoom(server, { owner, extra: { sysMes: ['uj'] } });
    const oc = await clientFor(server, owner);
    await oc.sub('stream-room-messages', [room._id, false]);
    const joiner = await server.createUser(uniq('j'), { roles: ['user'] });
    await server.orbit.services.membership.addUser(room, joiner);
    const m = await oc.call('sendMessage', { rid: room._id, msg: 'after join' });
    await oc.nextEvent('stream-room-messages', room._id, (a) => a[0]._id === m._id);
    expect(oc.events('stream-room-messages', room._id).map((a: any) => a[0].t)).toEqual([undefined]);
  });
});

describe('stream-room-messages __my_messages__', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('follows joins and leaves of private rooms while subscribed; args [message, {roomParticipant, roomType, roomName}]', async () => {
    const owner = await server.createUser(uniq('own'));
    const user = await server.createUser(uniq('usr'));
    const room = await makeRoom(server, { t: 'p', owner });
    const oc = await clientFor(server, owner);
    const uc = await clientFor(server, user);
    expect((await uc.sub('stream-room-messages', ['__my_messages__', false])).ready).toBe(true);
    await oc.call('sendMessage', { rid: room._id, msg: 'not yet' });
    await server.orbit.services.membership.addUser(room, (await server.orbit.services.store.users.findById(user._id))!, { silenced: true });
    const m = await oc.call('sendMessage', { rid: room._id, msg: 'now' });
    const args = await uc.nextEvent('stream-room-messages', '__my_messages__', (a) => a[0]._id === m._id);
    expect(args).toEqual([m, { roomParticipant: true, roomType: 'p', roomName: room.name }]);
    await server.orbit.services.membership.removeUser(room, (await server.orbit.services.store.users.findById(user._id))!);
    const gone = await oc.call('sendMessage', { rid: room._id, msg: 'gone' });
    await uc.settle(150);
    const got = uc.events('stream-room-messages', '__my_messages__').map((a: any) => a[0].msg);
    expect(got).toContain('now');
    expect(got).not.toContain('not yet');
    expect(got).not.toContain(gone.msg);
  });

  it('public rooms reach every subscriber allowed to view them, with roomParticipant false for non-members; DMs only their members', async () => {
    const owner = await server.createUser(uniq('own'));
    const user = await server.createUser(uniq('usr'));
    const pub = await makeRoom(server, { t: 'c', owner });
    const oc = await clientFor(server, owner);
    const uc = await clientFor(server, user);
    await uc.sub('stream-room-messages', ['__my_messages__', false]);
    const m = await oc.call('sendMessage', { rid: pub._id, msg: 'public news' });
    const args = await uc.nextEvent('stream-room-messages', '__my_messages__', (a) => a[0]._id === m._id);
    expect(args[1]).toEqual({ roomParticipant: false, roomType: 'c', roomName: pub.name });
    const third = await server.createUser(uniq('t'));
    const dm = await makeDm(server, owner, third);
    const tc = await clientFor(server, third);
    await tc.sub('stream-room-messages', ['__my_messages__', false]);
    const secret = await oc.call('sendMessage', { rid: dm._id, msg: 'just us' });
    const [, meta] = await tc.nextEvent('stream-room-messages', '__my_messages__', (a) => a[0]._id === secret._id);
    expect(meta).toEqual({ roomParticipant: true, roomType: 'd' });
    await uc.settle(100);
    expect(uc.events('stream-room-messages', '__my_messages__').map((a: any) => a[0]._id)).not.toContain(secret._id);
  });

  it('anonymous subscribers are accepted but receive nothing', async () => {
    const owner = await server.createUser(uniq('own'));
    const pub = await makeRoom(server, { t: 'c', owner });
    const anon = await TestClient.connect(server.url);
    expect((await anon.sub('stream-room-messages', ['__my_messages__', false])).ready).toBe(true);
    const oc = await clientFor(server, owner);
    await oc.call('sendMessage', { rid: pub._id, msg: 'for members' });
    await anon.settle(150);
    expect(anon.events('stream-room-messages')).toEqual([]);
    anon.close();
  });
});

describe('stream-notify-room typing / user-activity (streams.md §4.2, §5.1)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  async function scene() {
    const a = await server.createUser(uniq('a'));
    const b = await server.createUser(uniq('b'));
    const outsider = await server.createUser(uniq('x'));
    const room = await makeRoom(server, { t: 'p', owner: a, members: [b] });
    const ca = await clientFor(server, a);
    const cb = await clientFor(server, b);
    const cb2 = await clientFor(server, b);
    const cx = await clientFor(server, outsider);
    for (const c of [ca, cb, cb2]) {
      expect((await c.sub('stream-notify-room', [`${room._id}/typing`, false])).ready).toBe(true);
      expect((await c.sub('stream-notify-room', [`${room._id}/user-activity`, false])).ready).toBe(true);
    }
    return { a, b, outsider, room, ca, cb, cb2, cx };
  }

  it('typing reaches the other members (and the writer\'s other connections) with its user-activity twin, not the writing connection', async () => {
    const { b, room, ca, cb, cb2 } = await scene();
    const res = await cb.callRaw('stream-notify-room', [`${room._id}/typing`, b.username, true]);
    expect(res).toEqual({ msg: 'result', id: expect.any(String) });
    expect(await ca.nextEvent('stream-notify-room', `${room._id}/typing`)).toEqual([b.username, true]);
    expect(await ca.nextEvent('stream-notify-room', `${room._id}/user-activity`)).toEqual([b.username, ['user-typing'], {}]);
    expect(await cb2.nextEvent('stream-notify-room', `${room._id}/typing`)).toEqual([b.username, true]);
    await cb.settle(150);
    expect(cb.events('stream-notify-room')).toEqual([]);
  });

  it('user-activity: the typing twin only for [] or "user-typing"; extra data passes through', async () => {
    const { a, room, ca, cb } = await scene();
    await ca.call('stream-notify-room', `${room._id}/user-activity`, a.username, ['user-recording'], { device: 'mobile' });
    expect(await cb.nextEvent('stream-notify-room', `${room._id}/user-activity`)).toEqual([a.username, ['user-recording'], { device: 'mobile' }]);
    await ca.call('stream-notify-room', `${room._id}/user-activity`, a.username, []);
    expect(await cb.nextEvent('stream-notify-room', `${room._id}/typing`)).toEqual([a.username, false]);
    expect(cb.events('stream-notify-room', `${room._id}/typing`)).toEqual([[a.username, false]]);
  });

  it('silently dropped: another user\'s name, an unknown event, an anonymous writer', async () => {
    const { a, room, ca, cb, cx } = await scene();
    expect(await cb.callRaw('stream-notify-room', [`${room._id}/typing`, a.username, true])).toEqual({ msg: 'result', id: expect.any(String) });
    await cx.call('stream-notify-room', `${room._id}/deleteMessage`, { _id: 'forged' });
    await ca.call('stream-notify-room', `${room._id}/deleteMessage`, { _id: 'forged' });
    const anon = await TestClient.connect(server.url);
    await anon.call('stream-notify-room', `${room._id}/typing`, a.username, true);
    anon.close();
    await ca.settle(150);
    expect(ca.events('stream-notify-room')).toEqual([]);
    expect(cb.events('stream-notify-room')).toEqual([]);
  });

  it('decision (Messages issue): a non-member cannot announce typing, nor subscribe to a private room\'s events', async () => {
    const { outsider, room, ca, cx } = await scene();
    expect((await cx.sub('stream-notify-room', [`${room._id}/typing`, false])).error).toEqual(NOT_ALLOWED);
    expect((await cx.sub('stream-notify-room', [`${room._id}/deleteMessage`, false])).error).toEqual(NOT_ALLOWED);
    const res = await cx.callRaw('stream-notify-room', [`${room._id}/typing`, outsider.username, true]);
    expect(res).toEqual({ msg: 'result', id: expect.any(String) });
    await ca.settle(150);
    expect(ca.events('stream-notify-room', `${room._id}/typing`)).toEqual([]);
    expect(ca.events('stream-notify-room', `${room._id}/user-activity`)).toEqual([]);
  });

  it('the written event carries the params exactly as written (no extra argument added)', async () => {
    const { a, room, ca, cb } = await scene();
    await ca.call('stream-notify-room', `${room._id}/user-activity`, a.username, ['user-uploading']);
    expect(await cb.nextEvent('stream-notify-room', `${room._id}/user-activity`)).toEqual([a.username, ['user-uploading']]);
  });

  it('with UI_Use_Real_Name the display name is the identity, the username is then refused', async () => {
    const { a, room, ca, cb } = await scene();
    await server.orbit.services.store.users.update(a._id, { set: { name: 'Alpha Person' } });
    await server.orbit.services.settings.set('UI_Use_Real_Name', true);
    try {
      await ca.call('stream-notify-room', `${room._id}/typing`, a.username, true);
      await ca.call('stream-notify-room', `${room._id}/typing`, 'Alpha Person', true);
      expect(await cb.nextEvent('stream-notify-room', `${room._id}/typing`)).toEqual(['Alpha Person', true]);
      expect(cb.events('stream-notify-room', `${room._id}/typing`)).toEqual([['Alpha Person', true]]);
    } finally {
      await server.orbit.services.settings.set('UI_Use_Real_Name', false);
    }
  });

  it('typing stops reaching a member who left a private room', async () => {
    const { a, b, room, ca, cb } = await scene();
    await server.orbit.services.membership.removeUser(room, (await server.orbit.services.store.users.findById(b._id))!);
    await ca.call('stream-notify-room', `${room._id}/typing`, a.username, true);
    await cb.settle(150);
    expect(cb.events('stream-notify-room', `${room._id}/typing`)).toEqual([]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicSubscription } from '../../src/domain/projections.js';
import { makeRoom } from '../support/fixtures.js';
import { TestClient } from '../support/ddp-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { clientFor, uniq } from './messages-support.js';

const NOT_ALLOWED = { isClientSafe: true, error: 'not-allowed', message: '[not-allowed]', errorType: 'Meteor.Error' };

/** The streamer's subscription protocol and event delivery (streams.md §2, §3, §4.3 webrtc/otr, §5). */
describe('streams: subscribing and delivery (streams.md §2–§3)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('§2.2 step 4: useCollection true (boolean or object form) sends added {eventName} with id "id" before ready; false or missing does not', async () => {
    const anon = await TestClient.connect(server.url);
    for (const options of [true, { useCollection: true, args: [] }]) {
      const m = anon.mark();
      const { id, ready } = await anon.sub('stream-notify-all', ['public-settings-changed', options]);
      expect(ready).toBe(true);
      const frames = anon.frames.slice(m).filter((f) => f.msg === 'added' || (f.msg === 'ready' && f.subs.includes(id)));
      expect(frames).toEqual([
        { msg: 'added', collection: 'stream-notify-all', id: 'id', fields: { eventName: 'public-settings-changed' } },
        { msg: 'ready', subs: [id] },
      ]);
      await anon.unsub(id);
    }
    for (const options of [false, { useCollection: false }, undefined]) {
      const m = anon.mark();
      const params = options === undefined ? ['public-settings-changed'] : ['public-settings-changed', options];
      expect((await anon.sub('stream-notify-all', params)).ready).toBe(true);
      expect(anon.frames.slice(m).filter((f) => f.msg === 'added')).toEqual([]);
    }
    anon.close();
  });

  it('§3: a connection subscribed twice to one event name receives each event twice, as {id: "id", fields: {eventName, args}}', async () => {
    const owner = await server.createUser(uniq('own'));
    const room = await makeRoom(server, { t: 'p', owner });
    const c = await clientFor(server, owner);
    await c.sub('stream-room-messages', [room._id, false]);
    await c.sub('stream-room-messages', [room._id, false]);
    const m = await c.call('sendMessage', { rid: room._id, msg: 'twice' });
    await c.waitFor((f) => f.msg === 'changed' && f.collection === 'stream-room-messages' && f.fields.args[0]._id === m._id);
    await c.settle(100);
    const frames = c.frames.filter((f) => f.msg === 'changed' && f.collection === 'stream-room-messages');
    expect(frames).toEqual([
      { msg: 'changed', collection: 'stream-room-messages', id: 'id', fields: { eventName: room._id, args: [m] } },
      { msg: 'changed', collection: 'stream-room-messages', id: 'id', fields: { eventName: room._id, args: [m] } },
    ]);
    c.close();
  });

  it('§2.3: logout re-runs the subscriptions — a user stream ends with nosub not-allowed, an open stream continues without a second ready', async () => {
    const me = await server.createUser(uniq('me'));
    const c = await clientFor(server, me);
    const own = await c.sub('stream-notify-user', [`${me._id}/subscriptions-changed`, true]);
    const open = await c.sub('stream-notify-all', ['public-settings-changed', false]);
    const m = c.mark();
    await c.call('logout');
    const nosub = await c.waitFor((f) => f.msg === 'nosub' && f.id === own.id, 5000, m);
    expect(nosub).toEqual({ msg: 'nosub', id: own.id, error: NOT_ALLOWED });
    // The useCollection document goes with the ended subscription.
    expect(c.frames.slice(m).filter((f) => f.msg === 'removed')).toEqual([{ msg: 'removed', collection: 'stream-notify-user', id: 'id' }]);
    await server.orbit.services.settings.set('Message_MaxAllowedSize', 4001);
    try {
      expect(await c.nextEvent('stream-notify-all', 'public-settings-changed', () => true, { from: m })).toEqual([
        'updated',
        { _id: 'Message_MaxAllowedSize', value: 4001 },
      ]);
    } finally {
      await server.orbit.services.settings.set('Message_MaxAllowedSize', 5000);
    }
    expect(c.frames.slice(m).filter((f) => f.msg === 'ready' || (f.msg === 'nosub' && f.id === open.id))).toEqual([]);
    c.close();
  });

  it('§2.3: login re-runs the subscriptions — an anonymous __my_messages__ starts receiving the user\'s rooms', async () => {
    const me = await server.createUser(uniq('me'));
    const owner = await server.createUser(uniq('own'));
    const room = await makeRoom(server, { t: 'p', owner, members: [me] });
    const c = await TestClient.connect(server.url);
    expect((await c.sub('stream-room-messages', ['__my_messages__', false])).ready).toBe(true);
    const oc = await clientFor(server, owner);
    const before = await oc.call('sendMessage', { rid: room._id, msg: 'before login' });
    await c.login(me.username!, `${me.username}-pass`);
    const after = await oc.call('sendMessage', { rid: room._id, msg: 'after login' });
    const [msg, meta] = await c.nextEvent('stream-room-messages', '__my_messages__', (a) => a[0]._id === after._id);
    expect(msg.msg).toBe('after login');
    expect(meta).toEqual({ roomParticipant: true, roomType: 'p', roomName: room.name });
    expect(c.events('stream-room-messages').map((a: any) => a[0]._id)).not.toContain(before._id);
    c.close();
    oc.close();
  });

  it('decision (Messages issue): <uid>/webrtc is readable only by that user; any logged-in user may write it (writer excluded), anonymous writes are ignored', async () => {
    const me = await server.createUser(uniq('me'));
    const other = await server.createUser(uniq('oth'));
    const mc = await clientFor(server, me);
    const oc = await clientFor(server, other);
    const anon = await TestClient.connect(server.url);
    expect((await oc.sub('stream-notify-user', [`${me._id}/webrtc`, false])).error).toMatchObject({ error: 'not-allowed' });
    expect((await anon.sub('stream-notify-user', [`${me._id}/webrtc`, false])).error).toMatchObject({ error: 'not-allowed' });
    expect((await mc.sub('stream-notify-user', [`${me._id}/webrtc`, false])).ready).toBe(true);
    expect(await anon.callRaw('stream-notify-user', [`${me._id}/webrtc`, 'spoof', {}])).toEqual({ msg: 'result', id: expect.any(String) });
    const res = await oc.callRaw('stream-notify-user', [`${me._id}/webrtc`, 'offer', { sdp: 'x' }]);
    expect(res).toEqual({ msg: 'result', id: expect.any(String) });
    expect(await mc.nextEvent('stream-notify-user', `${me._id}/webrtc`)).toEqual(['offer', { sdp: 'x' }]);
    expect(mc.events('stream-notify-user', `${me._id}/webrtc`)).toEqual([['offer', { sdp: 'x' }]]);
    for (const c of [mc, oc, anon]) c.close();
  });

  it('decision: <rid>/webrtc on stream-notify-room follows the room access rule to read and needs membership to write (writer excluded)', async () => {
    const owner = await server.createUser(uniq('own'));
    const member = await server.createUser(uniq('mem'));
    const outsider = await server.createUser(uniq('out'));
    const room = await makeRoom(server, { t: 'p', owner, members: [member] });
    const oc = await clientFor(server, owner);
    const mc = await clientFor(server, member);
    const xc = await clientFor(server, outsider);
    const anon = await TestClient.connect(server.url);
    expect((await oc.sub('stream-notify-room', [`${room._id}/webrtc`, false])).ready).toBe(true);
    expect((await mc.sub('stream-notify-room', [`${room._id}/webrtc`, false])).ready).toBe(true);
    expect((await anon.sub('stream-notify-room', [`${room._id}/webrtc`, false])).error).toMatchObject({ error: 'not-allowed' });
    expect((await xc.sub('stream-notify-room', [`${room._id}/webrtc`, false])).error).toMatchObject({ error: 'not-allowed' });
    await xc.call('stream-notify-room', `${room._id}/webrtc`, 'spoof', {});
    const res = await mc.callRaw('stream-notify-room', [`${room._id}/webrtc`, 'call', { from: 'x' }]);
    expect(res).toEqual({ msg: 'result', id: expect.any(String) });
    expect(await oc.nextEvent('stream-notify-room', `${room._id}/webrtc`)).toEqual(['call', { from: 'x' }]);
    expect(oc.events('stream-notify-room', `${room._id}/webrtc`)).toEqual([['call', { from: 'x' }]]);
    await mc.settle(100);
    expect(mc.events('stream-notify-room', `${room._id}/webrtc`)).toEqual([]);
    for (const c of [oc, mc, xc, anon]) c.close();
  });

  it('§5 write rules of stream-notify-user: otr needs a login (and OTR_Enable for handshake/acknowledge); video-conference and other events are ignored', async () => {
    const me = await server.createUser(uniq('me'));
    const other = await server.createUser(uniq('oth'));
    const mc = await clientFor(server, me);
    const oc = await clientFor(server, other);
    await mc.sub('stream-notify-user', [`${me._id}/otr`, false]);
    await mc.sub('stream-notify-user', [`${me._id}/video-conference`, false]);
    const anon = await TestClient.connect(server.url);
    await anon.call('stream-notify-user', `${me._id}/otr`, 'end', { userId: 'x' });
    await oc.call('stream-notify-user', `${me._id}/video-conference`, { action: 'call', params: { callId: 'c', uid: other._id, rid: 'r' } });
    await oc.call('stream-notify-user', `${me._id}/otr`, 'handshake', { publicKey: 'k' });
    expect(await mc.nextEvent('stream-notify-user', `${me._id}/otr`)).toEqual(['handshake', { publicKey: 'k' }]);
    await server.orbit.services.settings.set('OTR_Enable', false);
    try {
      await oc.call('stream-notify-user', `${me._id}/otr`, 'acknowledge', { publicKey: 'k2' });
      await oc.call('stream-notify-user', `${me._id}/otr`, 'end', { userId: other._id });
      expect(await mc.nextEvent('stream-notify-user', `${me._id}/otr`, (a) => a[0] === 'end')).toEqual(['end', { userId: other._id }]);
    } finally {
      await server.orbit.services.settings.set('OTR_Enable', true);
    }
    await mc.settle(100);
    expect(mc.events('stream-notify-user', `${me._id}/otr`).map((a) => a[0])).toEqual(['handshake', 'end']);
    expect(mc.events('stream-notify-user', `${me._id}/video-conference`)).toEqual([]);
    for (const c of [mc, oc, anon]) c.close();
  });

  it('§4.3 subscriptions-changed removed carries the whole deleted subscription (published fields); rooms-changed then says nothing', async () => {
    const owner = await server.createUser(uniq('own'));
    const leaver = await server.createUser(uniq('lv'));
    const room = await makeRoom(server, { t: 'c', owner, members: [leaver] });
    const lc = await clientFor(server, leaver);
    await lc.sub('stream-notify-user', [`${leaver._id}/subscriptions-changed`, false]);
    await lc.sub('stream-notify-user', [`${leaver._id}/rooms-changed`, false]);
    const stored = (await server.orbit.services.store.subscriptions.findByRoomAndUser(room._id, leaver._id))!;
    const m = lc.mark();
    await lc.call('leaveRoom', room._id);
    const [action, sub] = await lc.nextEvent('stream-notify-user', `${leaver._id}/subscriptions-changed`, (a) => a[0] === 'removed', { from: m });
    expect(action).toBe('removed');
    expect(sub).toEqual(publicSubscription(stored));
    // The `ul` message reached rooms-changed while still a member; the usersCount change after the removal did not.
    await lc.settle(150);
    const roomEvents = lc.frames.slice(m).filter((f) => f.msg === 'changed' && f.fields.eventName === `${leaver._id}/rooms-changed`);
    expect(roomEvents.map((f) => [f.fields.args[0], f.fields.args[1].usersCount])).toEqual([['updated', 2]]);
    lc.close();
  });

  it('§4.3 rooms-changed: a joinRoom adds the room at once with ["inserted", room] — published fields only (never joinCode)', async () => {
    const owner = await server.createUser(uniq('own'));
    const joiner = await server.createUser(uniq('jn'));
    const room = await makeRoom(server, { t: 'c', owner, extra: { joinCodeRequired: true, joinCode: 'sesame' } });
    const jc = await clientFor(server, joiner);
    await jc.sub('stream-notify-user', [`${joiner._id}/rooms-changed`, false]);
    const m = jc.mark();
    expect(await jc.call('joinRoom', room._id, 'sesame')).toBe(true);
    const [action, published] = await jc.nextEvent('stream-notify-user', `${joiner._id}/rooms-changed`, () => true, { from: m });
    expect(action).toBe('inserted');
    expect(published).toMatchObject({ _id: room._id, joinCodeRequired: true, usersCount: 2 });
    expect(published).not.toHaveProperty('joinCode');
    // From then on the room's changes follow (the `uj` message bumps msgs).
    const [, updated] = await jc.nextEvent('stream-notify-user', `${joiner._id}/rooms-changed`, (a) => a[0] === 'updated', { from: m });
    expect(updated.msgs).toBe(1);
    expect(jc.raw.some((t) => t.includes('sesame'))).toBe(false);
    jc.close();
  });
});

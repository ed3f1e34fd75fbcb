import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../src/domain/types.js';
import { TestClient } from '../support/ddp-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import {
  ROOM_MESSAGES,
  connectAs,
  eventsSince,
  expectError,
  expectMatchFailed,
  expectNothingAbout,
  roomEvent,
  subEvent,
  watchUser,
} from './rooms-support.js';

describe('createDirectMessage', () => {
  let server: TestServer;
  let zed: User; // display name sorts last
  let amy: User;
  let bea: User;
  let cal: User;
  let guest: User;
  let anonRole: User;
  let z: TestClient;

  beforeAll(async () => {
    server = await startTestServer();
    zed = await server.createUser('zed', { name: 'Zed Zulu' });
    amy = await server.createUser('amy', { name: 'Amy Able' });
    bea = await server.createUser('bea', { name: 'Bea Baker' });
    cal = await server.createUser('cal');
    guest = await server.createUser('gwen', { roles: ['guest'] });
    anonRole = await server.createUser('nora', { roles: ['anonymous'] });
    z = await connectAs(server, zed);
  });
  afterAll(async () => {
    await server?.stop();
  });

  const store = () => server.orbit.services.store;
  const settings = () => server.orbit.services.settings;
  const dmId = (x: User, y: User) => [x._id, y._id].sort().join('');

  it('1:1: decision (rooms.md §D2): id = the sorted user ids joined; usernames sorted by display name; subscriptions as model.md §5.1', async () => {
    const a = await connectAs(server, amy);
    const c = await connectAs(server, cal);
    await Promise.all([watchUser(a), watchUser(c)]);
    const fa = a.mark();
    const fc = c.mark();
    const r = await z.call('createDirectMessage', 'amy');
    const rid = dmId(zed, amy);
    expect(r).toEqual({ t: 'd', rid, usernames: ['amy', 'zed'] });
    const room = await z.call('getRoomById', rid);
    expect(room).toEqual({
      _id: rid, t: 'd', usernames: ['amy', 'zed'], uids: [zed._id, amy._id].sort(), usersCount: 2, msgs: 0,
      ts: expect.any(Date), _updatedAt: expect.any(Date),
    });
    const mine = await store().subscriptions.findByRoomAndUser(rid, zed._id);
    expect(mine).toEqual({
      _id: expect.stringMatching(/^[23456789A-HJ-NP-Za-km-z]{17}$/), rid, t: 'd', name: 'amy', fname: 'Amy Able',
      u: { _id: zed._id, username: 'zed' }, ts: expect.any(Date), open: true, alert: false, unread: 0,
      userMentions: 0, groupMentions: 0, _updatedAt: expect.any(Date),
    });
    const theirs = await store().subscriptions.findByRoomAndUser(rid, amy._id);
    expect(theirs).toMatchObject({ name: 'zed', fname: 'Zed Zulu', open: false, u: { _id: amy._id, username: 'amy' } });
    // Events: the other member gets its subscription and the room; an outsider nothing.
    const [action, sub] = await subEvent(a, (x) => x[1]?.rid === rid, fa);
    expect(action).toBe('inserted');
    expect(sub).toMatchObject({ rid, t: 'd', name: 'zed', open: false });
    const [raction, rroom] = await roomEvent(a, (x) => x[1]?._id === rid, fa);
    expect(raction).toBe('inserted');
    expect(rroom).toMatchObject({ _id: rid, t: 'd', uids: [zed._id, amy._id].sort() });
    await expectNothingAbout(c, rid, fc);
    // No system message.
    expect(await store().messages.listHistory(rid, {}, 5)).toEqual([]);
    a.close();
    c.close();
  });

  it('an existing DM is re-opened for the caller (sub-changed updated), others untouched', async () => {
    const rid = dmId(zed, amy);
    expect(await z.call('hideRoom', rid)).toBe(1);
    const z2 = await connectAs(server, zed);
    const a = await connectAs(server, amy);
    await Promise.all([watchUser(z2), watchUser(a)]);
    const fz = z2.mark();
    const fa = a.mark();
    const r = await z.call('createDirectMessage', 'AMY'); // case-insensitive lookup
    expect(r).toEqual({ t: 'd', rid, usernames: ['amy', 'zed'] });
    const [action, sub] = await subEvent(z2, (x) => x[1]?.rid === rid, fz);
    expect(action).toBe('updated');
    expect(sub.open).toBe(true);
    await a.settle(200);
    expect(eventsSince(a, fa).filter((f) => f.fields.eventName === `${amy._id}/subscriptions-changed`)).toEqual([]);
    expect((await store().subscriptions.findByRoomAndUser(rid, amy._id))?.open).toBe(false);
    expect((await store().rooms.findById(rid))?.usersCount).toBe(2);
    // The other member opening it gets the same room.
    expect(await a.call('createDirectMessage', 'zed')).toEqual({ t: 'd', rid, usernames: ['amy', 'zed'] });
    expect((await store().subscriptions.findByRoomAndUser(rid, amy._id))?.open).toBe(true);
    z2.close();
    a.close();
  });

  it('group DM: decision (model.md §1): a generated id, every member open, names of the others joined', async () => {
    const r = await z.call('createDirectMessage', 'bea', 'amy', 'zed', 'bea');
    expect(r).toEqual({ t: 'd', rid: expect.stringMatching(/^[23456789A-HJ-NP-Za-km-z]{17}$/), usernames: ['amy', 'bea', 'zed'] });
    const room = await store().rooms.findById(r.rid);
    expect(room).toMatchObject({ t: 'd', usersCount: 3, uids: [zed._id, amy._id, bea._id].sort() });
    const subs = await store().subscriptions.listByRoom(r.rid);
    expect(subs).toHaveLength(3);
    for (const s of subs) expect(s.open).toBe(true);
    const amySub = subs.find((s) => s.u._id === amy._id)!;
    expect(amySub).toMatchObject({ name: 'bea, zed', fname: 'Bea Baker, Zed Zulu' });
    // Same members in another order → same room.
    const b = await connectAs(server, bea);
    expect((await b.call('createDirectMessage', 'zed', 'amy')).rid).toBe(r.rid);
    b.close();
  });

  it('self-DM: the caller alone (decision: generated id), open; refused when Message_AllowDirectMessagesToYourself is false', async () => {
    const r = await z.call('createDirectMessage', 'zed');
    expect(r).toEqual({ t: 'd', rid: expect.any(String), usernames: ['zed'] });
    expect(await store().rooms.findById(r.rid)).toMatchObject({ uids: [zed._id], usernames: ['zed'], usersCount: 1 });
    const sub = await store().subscriptions.findByRoomAndUser(r.rid, zed._id);
    expect(sub).toMatchObject({ name: 'zed', fname: 'Zed Zulu', open: true });
    expect((await z.call('createDirectMessage', 'zed')).rid).toBe(r.rid);
    await settings().set('Message_AllowDirectMessagesToYourself', false);
    try {
      await expectError(z, 'createDirectMessage', ['zed'], 'error-invalid-user', { method: 'createDirectMessage' });
    } finally {
      await settings().set('Message_AllowDirectMessagesToYourself', true);
    }
  });

  it('type checks: every param must be a string (400)', async () => {
    await expectMatchFailed(z, 'createDirectMessage', [42]);
    await expectMatchFailed(z, 'createDirectMessage', ['amy', { username: 'bea' }]);
    await expectMatchFailed(z, 'createDirectMessage', [['amy']]);
    await expectMatchFailed(z, 'createDirectMessage', [null]);
  });

  it('check 3: a logged-in caller whose record has no username → error-invalid-user, nothing created', async () => {
    const user = await server.createUser('nameless-dm');
    const c = await connectAs(server, user);
    await store().users.update(user._id, { unset: ['username'] });
    await expectError(c, 'createDirectMessage', ['amy'], 'error-invalid-user', { method: 'createDirectMessage' });
    expect(await store().rooms.findById(dmId(user, amy))).toBeUndefined();
    c.close();
  });

  it('not logged in → error-invalid-user', async () => {
    const anon = await TestClient.connect(server.url);
    await expectError(anon, 'createDirectMessage', ['amy'], 'error-invalid-user', { method: 'createDirectMessage' });
    anon.close();
  });

  it('decision (rooms.md §D6): an unknown username → error-invalid-user, nothing created', async () => {
    await expectError(z, 'createDirectMessage', ['no-such-user'], 'error-invalid-user', { method: 'createDirectMessage' });
    await expectError(z, 'createDirectMessage', ['bea', 'no-such-user'], 'error-invalid-user', { method: 'createDirectMessage' });
    expect(await store().rooms.findById(dmId(zed, bea))).toBeUndefined();
  });

  it('more members than DirectMesssage_maxUsers → error-direct-message-max-user-exceeded', async () => {
    await settings().set('DirectMesssage_maxUsers', 2);
    try {
      const err = await expectError(z, 'createDirectMessage', ['amy', 'cal'], 'error-direct-message-max-user-exceeded', {
        method: 'createDirectRoom',
      });
      expect(err.reason).toBe('You cannot add more than 2 users, including yourself to a direct message');
      // Two members are within the limit.
      expect((await z.call('createDirectMessage', 'cal')).rid).toBe(dmId(zed, cal));
    } finally {
      await settings().set('DirectMesssage_maxUsers', 8);
    }
  });

  it('without create-d: view-d-room returns an existing DM as {_id, t, rid}; otherwise error-not-allowed', async () => {
    // gwen (guest) has view-d-room but not create-d.
    await z.call('createDirectMessage', 'gwen');
    const g = await connectAs(server, guest);
    const rid = dmId(zed, guest);
    expect(await g.call('createDirectMessage', 'zed')).toEqual({ _id: rid, t: 'd', rid });
    expect((await store().subscriptions.findByRoomAndUser(rid, guest._id))?.open).toBe(false); // nothing written
    await expectError(g, 'createDirectMessage', ['amy'], 'error-not-allowed', { method: 'createDirectMessage' });
    expect(await store().rooms.findById(dmId(amy, guest))).toBeUndefined();
    g.close();
    // nora (anonymous role) has neither.
    await z.call('createDirectMessage', 'nora');
    const n = await connectAs(server, anonRole);
    await expectError(n, 'createDirectMessage', ['zed'], 'error-not-allowed', { method: 'createDirectMessage' });
    n.close();
  });

  it('CVE-2022-35250: a non-member cannot read a DM', async () => {
    const rid = dmId(zed, amy);
    const c = await connectAs(server, cal);
    await expectError(c, 'getRoomById', [rid], 'error-not-allowed', { method: 'getRoomById' });
    await expectError(c, 'getRoomNameById', [rid], 'error-not-allowed');
    await expectError(c, 'getRoomByTypeAndName', ['d', rid], 'error-no-permission');
    await expectError(c, 'getRoomIdByNameOrId', [rid], 'error-not-allowed');
    const s = await c.sub(ROOM_MESSAGES, [rid, false]);
    expect(s.ready).toBe(false);
    expect(s.error?.error).toBe('not-allowed');
    const rooms: any[] = await c.call('rooms/get');
    expect(rooms.map((r) => r._id)).not.toContain(rid);
    // A member can.
    expect((await z.call('getRoomById', rid))._id).toBe(rid);
    c.close();
  });
});

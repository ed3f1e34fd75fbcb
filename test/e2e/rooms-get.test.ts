import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Room, User } from '../../src/domain/types.js';
import { TestClient } from '../support/ddp-client.js';
import { makeRoom } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { connectAs, expectError, expectMatchFailed, unique } from './rooms-support.js';

/** rooms/get, subscriptions/get, getRoomById, getRoomNameById, getRoomByTypeAndName, getRoomIdByNameOrId. */
describe('room queries', () => {
  let server: TestServer;
  let olga: User;
  let max: User;
  let gil: User; // guest
  let bot: User;
  let pub: Room;
  let priv: Room;
  let dm: Room;
  let o: TestClient;
  let m: TestClient;
  let anon: TestClient;

  beforeAll(async () => {
    server = await startTestServer();
    olga = await server.createUser('olga');
    max = await server.createUser('max');
    gil = await server.createUser('gil', { roles: ['guest'] });
    bot = await server.createUser('bot1', { roles: ['bot'] });
    pub = await makeRoom(server, { owner: olga, name: 'pub-room', extra: { joinCode: 'sesame', joinCodeRequired: true } });
    priv = await makeRoom(server, { owner: olga, name: 'priv-room', t: 'p', members: [gil] });
    o = await connectAs(server, olga);
    m = await connectAs(server, max);
    anon = await TestClient.connect(server.url);
    const r = await o.call('createDirectMessage', 'gil');
    dm = (await store().rooms.findById(r.rid))!;
  });
  afterAll(async () => {
    await server?.stop();
  });

  const store = () => server.orbit.services.store;
  const settings = () => server.orbit.services.settings;
  const ids = (rooms: Array<{ _id: string }>) => rooms.map((r) => r._id).sort();

  describe('rooms/get', () => {
    it('without a date: a plain array of the rooms the caller is subscribed to, published fields only', async () => {
      for (const params of [[], [0], [null], ['2020-01-01'], [12345]]) {
        const rooms: Room[] = await o.call('rooms/get', ...params);
        expect(ids(rooms)).toEqual(['GENERAL', pub._id, priv._id, dm._id].sort());
      }
      const rooms: Room[] = await o.call('rooms/get', 0);
      const p = rooms.find((r) => r._id === pub._id)!;
      expect(p).toMatchObject({ _id: pub._id, t: 'c', name: 'pub-room', joinCodeRequired: true, usersCount: 1 });
      expect(p.joinCode).toBeUndefined();
      // max is only in GENERAL.
      expect(ids(await m.call('rooms/get'))).toEqual(['GENERAL']);
    });

    it('with a date: {update, remove}; update = subscribed rooms changed after it', async () => {
      const since = new Date();
      await new Promise((r) => setTimeout(r, 5));
      await store().rooms.update(pub._id, { set: { topic: 'new topic' } });
      const delta = await o.call('rooms/get', since);
      expect(Object.keys(delta).sort()).toEqual(['remove', 'update']);
      expect(ids(delta.update)).toEqual([pub._id]);
      expect(delta.update[0]).toMatchObject({ topic: 'new topic' });
      expect(delta.update[0].joinCode).toBeUndefined();
      // Not a member: the change is not in max's update.
      expect((await m.call('rooms/get', since)).update).toEqual([]);
    });

    it('remove: trash entries deleted after the date, as {_id, _deletedAt} (not filtered by membership)', async () => {
      const gone = await makeRoom(server, { owner: olga, name: unique('gone') });
      const since = new Date();
      await new Promise((r) => setTimeout(r, 5));
      await o.call('eraseRoom', gone._id);
      const delta = await m.call('rooms/get', since);
      expect(delta.remove).toEqual([{ _id: gone._id, _deletedAt: expect.any(Date) }]);
      expect((await o.call('rooms/get', new Date(Date.now() + 60_000))).remove).toEqual([]);
    });

    it('not logged in: [] unless Accounts_AllowAnonymousRead, then the default public rooms', async () => {
      expect(await anon.call('rooms/get')).toEqual([]);
      expect(await anon.call('rooms/get', new Date(0))).toEqual([]);
      await settings().set('Accounts_AllowAnonymousRead', true);
      try {
        const rooms: Room[] = await anon.call('rooms/get');
        expect(ids(rooms)).toEqual(['GENERAL']);
        // Step 1 comes first: with a date it is still the plain array.
        expect(ids(await anon.call('rooms/get', new Date(0)))).toEqual(['GENERAL']);
      } finally {
        await settings().set('Accounts_AllowAnonymousRead', false);
      }
    });
  });

  describe('subscriptions/get', () => {
    it('without a date: the caller’s subscriptions with the published fields', async () => {
      await store().subscriptions.update((await store().subscriptions.findByRoomAndUser(pub._id, olga._id))!._id, {
        set: { unpublished: 'x' } as never,
      });
      const subs: any[] = await o.call('subscriptions/get');
      expect(subs.map((s) => s.rid).sort()).toEqual(['GENERAL', pub._id, priv._id, dm._id].sort());
      const s = subs.find((x) => x.rid === pub._id);
      expect(s).toMatchObject({ rid: pub._id, t: 'c', name: 'pub-room', roles: ['owner'], u: { _id: olga._id }, open: true });
      expect(s.unpublished).toBeUndefined();
      expect(await o.call('subscriptions/get', 0)).toHaveLength(4);
    });

    it('with a date: {update, remove} of the caller’s own subscriptions', async () => {
      const room = await makeRoom(server, { owner: olga, name: unique('sg'), members: [max] });
      const since = new Date();
      await new Promise((r) => setTimeout(r, 5));
      expect(await m.call('toggleFavorite', room._id)).toBe(1);
      let delta = await m.call('subscriptions/get', since);
      expect(delta.update.map((x: any) => x.rid)).toEqual([room._id]);
      expect(delta.update[0].f).toBe(true);
      expect(delta.remove).toEqual([]);
      await m.call('leaveRoom', room._id);
      delta = await m.call('subscriptions/get', since);
      expect(delta.update).toEqual([]);
      expect(delta.remove).toEqual([{ _id: expect.any(String), _deletedAt: expect.any(Date) }]);
      // Another user's removal is not listed for olga.
      expect((await o.call('subscriptions/get', since)).remove).toEqual([]);
    });

    it('not logged in → []', async () => {
      expect(await anon.call('subscriptions/get')).toEqual([]);
      expect(await anon.call('subscriptions/get', new Date(0))).toEqual([]);
    });
  });

  describe('getRoomById', () => {
    it('a member gets the room (every field but joinCode)', async () => {
      const r = await o.call('getRoomById', pub._id);
      expect(r).toMatchObject({ _id: pub._id, t: 'c', name: 'pub-room', fname: 'pub-room', u: { _id: olga._id }, joinCodeRequired: true });
      expect(r.joinCode).toBeUndefined();
      expect((await o.call('getRoomById', priv._id))._id).toBe(priv._id);
    });

    it('a public room is readable with view-c-room; a private room or DM of others is not', async () => {
      expect((await m.call('getRoomById', pub._id))._id).toBe(pub._id);
      await expectError(m, 'getRoomById', [priv._id], 'error-not-allowed', { method: 'getRoomById' });
      await expectError(m, 'getRoomById', [dm._id], 'error-not-allowed', { method: 'getRoomById' });
      // A guest lacks view-c-room: a public room it is not in is refused; its own private room is not.
      const g = await connectAs(server, gil);
      await expectError(g, 'getRoomById', [pub._id], 'error-not-allowed', { method: 'getRoomById' });
      expect((await g.call('getRoomById', priv._id))._id).toBe(priv._id);
      g.close();
    });

    it('errors: 400, then not logged in and unknown room report getRoomNameById (sic)', async () => {
      await expectMatchFailed(o, 'getRoomById', []);
      await expectMatchFailed(o, 'getRoomById', [{ _id: pub._id }]);
      await expectMatchFailed(o, 'getRoomById', [[pub._id]]);
      await expectMatchFailed(anon, 'getRoomById', [7]);
      const e1 = await expectError(anon, 'getRoomById', [pub._id], 'error-invalid-user', { method: 'getRoomNameById' });
      expect(e1.reason).toBe('Invalid user');
      const e2 = await expectError(o, 'getRoomById', ['nope'], 'error-not-allowed', { method: 'getRoomNameById' });
      expect(e2.reason).toBe('Not allowed');
    });
  });

  describe('getRoomNameById', () => {
    it('a member gets the name of any room it is in; a DM member gets an empty result', async () => {
      expect(await o.call('getRoomNameById', priv._id)).toBe('priv-room');
      const raw = await o.callRaw('getRoomNameById', [dm._id]);
      expect(raw.error).toBeUndefined();
      expect('result' in raw).toBe(false);
    });

    it('a non-member: public room with view-c-room → name; private room, DM or no view-c-room → error-not-allowed', async () => {
      expect(await m.call('getRoomNameById', pub._id)).toBe('pub-room');
      await expectError(m, 'getRoomNameById', [priv._id], 'error-not-allowed', { method: 'getRoomNameById' });
      await expectError(m, 'getRoomNameById', [dm._id], 'error-not-allowed', { method: 'getRoomNameById' });
      const g = await connectAs(server, gil);
      await expectError(g, 'getRoomNameById', [pub._id], 'error-not-allowed', { method: 'getRoomNameById' });
      g.close();
    });

    it('errors: 400, not logged in, unknown room', async () => {
      await expectMatchFailed(o, 'getRoomNameById', []);
      await expectMatchFailed(anon, 'getRoomNameById', [{}]);
      await expectError(anon, 'getRoomNameById', [pub._id], 'error-invalid-user', { method: 'getRoomNameById' });
      await expectError(o, 'getRoomNameById', ['nope'], 'error-not-allowed', { method: 'getRoomNameById' });
    });
  });

  describe('getRoomByTypeAndName', () => {
    it('finds a room by type and name or id', async () => {
      expect(await m.call('getRoomByTypeAndName', 'c', 'pub-room')).toMatchObject({ _id: pub._id, name: 'pub-room' });
      expect(await m.call('getRoomByTypeAndName', 'c', pub._id)).toMatchObject({ _id: pub._id });
      const p = await o.call('getRoomByTypeAndName', 'p', 'priv-room');
      expect(p._id).toBe(priv._id);
      expect((await o.call('getRoomByTypeAndName', 'd', dm._id))._id).toBe(dm._id);
      expect((await o.call('getRoomByTypeAndName', 'c', 'pub-room')).joinCode).toBeUndefined();
    });

    it('empty or missing type/name, wrong type, unknown room → error-invalid-room (decision: non-string values match no room)', async () => {
      await expectError(o, 'getRoomByTypeAndName', ['', 'pub-room'], 'error-invalid-room', { method: 'getRoomByTypeAndName' });
      await expectError(o, 'getRoomByTypeAndName', ['c'], 'error-invalid-room', { method: 'getRoomByTypeAndName' });
      await expectError(o, 'getRoomByTypeAndName', ['p', 'pub-room'], 'error-invalid-room');
      await expectError(o, 'getRoomByTypeAndName', ['c', 'nope'], 'error-invalid-room');
      await expectError(o, 'getRoomByTypeAndName', [{ t: 'c' }, 'pub-room'], 'error-invalid-room');
      await expectError(o, 'getRoomByTypeAndName', ['c', ['pub-room']], 'error-invalid-room');
    });

    it('a room the caller cannot access → error-no-permission', async () => {
      await expectError(m, 'getRoomByTypeAndName', ['p', 'priv-room'], 'error-no-permission', { method: 'getRoomByTypeAndName' });
      await expectError(m, 'getRoomByTypeAndName', ['d', dm._id], 'error-no-permission');
    });

    it('not logged in → error-invalid-user, unless anonymous read is on and the type is c', async () => {
      await expectError(anon, 'getRoomByTypeAndName', ['c', 'pub-room'], 'error-invalid-user', { method: 'getRoomByTypeAndName' });
      await settings().set('Accounts_AllowAnonymousRead', true);
      try {
        expect((await anon.call('getRoomByTypeAndName', 'c', 'pub-room'))._id).toBe(pub._id);
        await expectError(anon, 'getRoomByTypeAndName', ['p', 'priv-room'], 'error-invalid-user');
      } finally {
        await settings().set('Accounts_AllowAnonymousRead', false);
      }
    });

    it('lastMessage is removed for a caller without preview-c-room (Store_Last_Message on)', async () => {
      const last = { _id: 'm1', rid: pub._id, msg: 'secret-ish', ts: new Date(), u: { _id: olga._id, username: 'olga' }, _updatedAt: new Date() };
      await store().rooms.update(pub._id, { set: { lastMessage: last } });
      expect((await m.call('getRoomByTypeAndName', 'c', 'pub-room')).lastMessage).toMatchObject({ _id: 'm1' });
      const b = await connectAs(server, bot); // bot: view-c-room but not preview-c-room
      const r = await b.call('getRoomByTypeAndName', 'c', 'pub-room');
      expect(r._id).toBe(pub._id);
      expect(r.lastMessage).toBeUndefined();
      b.close();
      // An anonymous reader (anonymous read on) holds no permission at all: no lastMessage either.
      await settings().set('Accounts_AllowAnonymousRead', true);
      try {
        const a = await anon.call('getRoomByTypeAndName', 'c', 'pub-room');
        expect(a._id).toBe(pub._id);
        expect(a).not.toHaveProperty('lastMessage');
      } finally {
        await settings().set('Accounts_AllowAnonymousRead', false);
      }
    });
  });

  describe('getRoomIdByNameOrId', () => {
    it('answers the id of an accessible room found by id or by name', async () => {
      expect(await m.call('getRoomIdByNameOrId', pub._id)).toBe(pub._id);
      expect(await m.call('getRoomIdByNameOrId', 'pub-room')).toBe(pub._id);
      expect(await o.call('getRoomIdByNameOrId', 'priv-room')).toBe(priv._id);
    });

    it('errors: 400, not logged in, unknown room and inaccessible room → error-not-allowed', async () => {
      await expectMatchFailed(m, 'getRoomIdByNameOrId', []);
      await expectMatchFailed(m, 'getRoomIdByNameOrId', [{ name: 'pub-room' }]);
      await expectError(anon, 'getRoomIdByNameOrId', ['pub-room'], 'error-invalid-user', { method: 'getRoomIdByNameOrId' });
      await expectError(m, 'getRoomIdByNameOrId', ['nope'], 'error-not-allowed', { method: 'getRoomIdByNameOrId' });
      await expectError(m, 'getRoomIdByNameOrId', ['priv-room'], 'error-not-allowed', { method: 'getRoomIdByNameOrId' });
    });
  });
});

describe('getRoomById rate limit (rate limits on)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ ORBIT_RATE_LIMIT: 'true' });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('10 calls per 60 s per user → too-many-requests', async () => {
    const user = await server.createUser('rl');
    const c = await connectAs(server, user);
    for (let i = 0; i < 10; i++) expect((await c.call('getRoomById', 'GENERAL'))._id).toBe('GENERAL');
    const err = await c.callError('getRoomById', 'GENERAL');
    expect(err.error).toBe('too-many-requests');
    expect(err.details.timeToReset).toBeGreaterThan(0);
    // Per user: a second connection of the same user is limited too.
    const c2 = await connectAs(server, user);
    expect((await c2.callError('getRoomById', 'GENERAL')).error).toBe('too-many-requests');
    c.close();
    c2.close();
  });
});

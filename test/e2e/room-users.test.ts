import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newRoomSubscription } from '../../src/domain/subscriptions.js';
import type { Room, User } from '../../src/domain/types.js';
import { objectId } from '../../src/lib/random.js';
import { TestClient } from '../support/ddp-client.js';
import { makeRoom } from '../support/fixtures.js';
import { ADMIN, startTestServer, type TestServer } from '../support/test-server.js';

describe('getUsersOfRoom', () => {
  let server: TestServer;
  let owner: User, away: User, busy: User, off: User, gone: User;
  let ownerC: TestClient, awayC: TestClient, outsiderC: TestClient, adminC: TestClient, anon: TestClient;
  let room: Room;

  const login = async (username: string, password = `${username}-pass`) => {
    const c = await TestClient.connect(server.url);
    await c.login(username, password);
    return c;
  };
  const store = () => server.orbit.services.store;
  const usernames = (r: { records: Array<{ username: string }> }) => r.records.map((u) => u.username);
  const setStatus = (u: User, status: User['status']) => store().users.update(u._id, { set: { status, statusConnection: status } });

  beforeAll(async () => {
    server = await startTestServer();
    owner = await server.createUser('gu-owner', { name: 'Zed Owner' });
    away = await server.createUser('gu-away', { name: 'Alice Away' });
    busy = await server.createUser('gu-busy', { name: 'Bob Busy' });
    off = await server.createUser('gu-off', { name: 'Carl Off' });
    gone = await server.createUser('gu-gone', { name: 'Gone' });
    await server.createUser('gu-outsider');
    room = await makeRoom(server, { t: 'p', owner, members: [away, busy, off, gone], name: 'gu-room' });
    [ownerC, outsiderC] = await Promise.all([login('gu-owner'), login('gu-outsider')]);
    adminC = await login(ADMIN.username, ADMIN.password);
    anon = await TestClient.connect(server.url);
    await setStatus(away, 'away');
    await setStatus(busy, 'busy');
    await setStatus(off, 'offline');
    await setStatus(gone, 'online');
    await store().users.update(gone._id, { set: { active: false } });
    await store().users.update(busy._id, { set: { nickname: 'bobby' } });
    // gu-away stays logged out except for the one test that needs it as a caller.
    awayC = await TestClient.connect(server.url);
  });
  afterAll(async () => {
    for (const c of [ownerC, awayC, outsiderC, adminC, anon]) c?.close();
    await server?.stop();
  });

  it('showAll false: active members not offline, by statusConnection desc then username; total counts every member', async () => {
    const r = await ownerC.call('getUsersOfRoom', room._id, false);
    // decision (rooms.md §D.11): total does not filter inactive users.
    expect(r.total).toBe(5);
    expect(usernames(r)).toEqual(['gu-owner', 'gu-busy', 'gu-away']);
  });

  it('showAll true adds offline members; inactive users are never listed', async () => {
    const r = await ownerC.call('getUsersOfRoom', room._id, true);
    // statusConnection sorts as text, as in Rocket.Chat: online > offline > busy > away.
    expect(usernames(r)).toEqual(['gu-owner', 'gu-off', 'gu-busy', 'gu-away']);
  });

  it('records carry only _id, username, name, status, _updatedAt (+ nickname/avatarETag when set)', async () => {
    const r = await ownerC.call('getUsersOfRoom', room._id, true);
    const bob = r.records.find((u: { username: string }) => u.username === 'gu-busy');
    expect(Object.keys(bob).sort()).toEqual(['_id', '_updatedAt', 'name', 'nickname', 'status', 'username']);
    expect(bob).toMatchObject({ _id: busy._id, name: 'Bob Busy', status: 'busy', nickname: 'bobby' });
    expect(bob._updatedAt).toBeInstanceOf(Date);
  });

  it('skip/limit page the records (total unchanged); 0 means no limit', async () => {
    const page = await ownerC.call('getUsersOfRoom', room._id, true, { skip: 1, limit: 2 });
    expect([page.total, usernames(page)]).toEqual([5, ['gu-off', 'gu-busy']]);
    expect(usernames(await ownerC.call('getUsersOfRoom', room._id, true, { limit: 0 }))).toHaveLength(4);
  });

  it('filter matches username, name or nickname, case-insensitively', async () => {
    expect(usernames(await ownerC.call('getUsersOfRoom', room._id, true, {}, 'ALICE'))).toEqual(['gu-away']);
    expect(usernames(await ownerC.call('getUsersOfRoom', room._id, true, null, 'BoBbY'))).toEqual(['gu-busy']);
    expect(usernames(await ownerC.call('getUsersOfRoom', room._id, true, undefined, 'gu-o'))).toEqual(['gu-owner', 'gu-off']);
  });

  it('with UI_Use_Real_Name the name sorts before the username (within a connection status)', async () => {
    const settings = server.orbit.services.settings;
    await setStatus(away, 'offline');
    await setStatus(busy, 'offline');
    try {
      expect(usernames(await ownerC.call('getUsersOfRoom', room._id, true))).toEqual(['gu-owner', 'gu-away', 'gu-busy', 'gu-off']);
      await store().users.update(away._id, { set: { name: 'Zoe' } });
      expect(usernames(await ownerC.call('getUsersOfRoom', room._id, true))).toEqual(['gu-owner', 'gu-away', 'gu-busy', 'gu-off']);
      await settings.set('UI_Use_Real_Name', true);
      const r = await ownerC.call('getUsersOfRoom', room._id, true, { skip: 1, limit: 2 });
      expect([r.total, usernames(r)]).toEqual([5, ['gu-busy', 'gu-off']]);
    } finally {
      await settings.set('UI_Use_Real_Name', false);
      await store().users.update(away._id, { set: { name: 'Alice Away' } });
      await setStatus(away, 'away');
      await setStatus(busy, 'busy');
    }
  });

  it('decision: a DM lists its members (Rocket.Chat lists none)', async () => {
    const now = new Date();
    const dm: Room = { _id: `${owner._id}${away._id}`, t: 'd', usernames: ['gu-away', 'gu-owner'], uids: [owner._id, away._id].sort(), msgs: 0, usersCount: 2, ts: now, _updatedAt: now };
    await store().rooms.insert(dm);
    for (const u of [owner, away]) await store().subscriptions.insert(newRoomSubscription(objectId(), dm, u, {}));
    const r = await ownerC.call('getUsersOfRoom', dm._id, true);
    expect([r.total, usernames(r)]).toEqual([2, ['gu-owner', 'gu-away']]);
  });

  it('check 1: rid empty or missing → error-invalid-room (before the type check)', async () => {
    for (const params of [[], [''], [null]]) {
      expect(await ownerC.callError('getUsersOfRoom', ...params)).toMatchObject({ error: 'error-invalid-room', details: { method: 'getUsersOfRoom' } });
    }
    expect((await anon.callError('getUsersOfRoom', '')).error).toBe('error-invalid-room');
  });

  it('check 2: rid not a string → 400; so are options/filter of the wrong type', async () => {
    for (const params of [[5], [{ $ne: 1 }], [room._id, true, 'x'], [room._id, true, { limit: '5' }], [room._id, true, {}, 5], [room._id, true, {}, ['a']]]) {
      expect(await ownerC.callError('getUsersOfRoom', ...params)).toMatchObject({ error: 400, reason: 'Match failed' });
    }
  });

  it('check 3: not logged in → error-invalid-user', async () => {
    expect(await anon.callError('getUsersOfRoom', room._id, true)).toMatchObject({ error: 'error-invalid-user', details: { method: 'getUsersOfRoom' } });
  });

  it('check 4: unknown room → error-not-allowed', async () => {
    expect(await ownerC.callError('getUsersOfRoom', 'no-such-room', true)).toMatchObject({ error: 'error-not-allowed', reason: 'Not allowed' });
  });

  it('check 5: a caller who cannot access the room → not-authorized "Not Authorized", no records', async () => {
    for (const c of [outsiderC, adminC]) {
      const raw = await c.callRaw('getUsersOfRoom', [room._id, true]);
      expect(raw.result).toBeUndefined();
      expect(raw.error).toMatchObject({ error: 'not-authorized', reason: 'Not Authorized', details: { method: 'getUsersOfRoom' } });
    }
  });

  it('check 6: broadcast room — owner (view-broadcast-member-list) may list, a plain member may not', async () => {
    const b = await makeRoom(server, { t: 'c', owner, members: [away], extra: { broadcast: true, ro: true } });
    await awayC.login('gu-away', 'gu-away-pass');
    try {
      expect(await awayC.callError('getUsersOfRoom', b._id, true)).toMatchObject({ error: 'error-not-allowed', details: { method: 'getUsersOfRoom' } });
      expect((await ownerC.call('getUsersOfRoom', b._id, true)).total).toBe(2);
      expect((await adminC.call('getUsersOfRoom', b._id, true)).total).toBe(2);
    } finally {
      await awayC.call('logout');
      await setStatus(away, 'away');
    }
  });
});

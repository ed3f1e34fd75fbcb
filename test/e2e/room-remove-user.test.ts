import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Room, User } from '../../src/domain/types.js';
import { TestClient } from '../support/ddp-client.js';
import { makeRoom } from '../support/fixtures.js';
import { ADMIN, startTestServer, type TestServer } from '../support/test-server.js';
import {
  connectAs,
  expectError,
  expectMatchFailed,
  messageEvent,
  roomEvent,
  subEvent,
  unique,
  watchRoom,
  watchUser,
} from './rooms-support.js';

describe('removeUserFromRoom', () => {
  let server: TestServer;
  let owner: User, mod: User, kim: User, lou: User, outsider: User;
  let ow: TestClient, kimC: TestClient, outC: TestClient, adminC: TestClient;

  beforeAll(async () => {
    server = await startTestServer();
    owner = await server.createUser('rm-owner');
    mod = await server.createUser('rm-mod');
    kim = await server.createUser('rm-kim');
    lou = await server.createUser('rm-lou');
    outsider = await server.createUser('rm-out');
    [ow, kimC, outC] = await Promise.all([connectAs(server, owner), connectAs(server, kim), connectAs(server, outsider)]);
    adminC = await connectAs(server, ADMIN.username, ADMIN.password);
  });
  afterAll(async () => {
    for (const c of [ow, kimC, outC, adminC]) c?.close();
    await server?.stop();
  });

  const store = () => server.orbit.services.store;
  const room = (t: 'c' | 'p' = 'c', members: User[] = [mod, kim, lou]): Promise<Room> =>
    makeRoom(server, { owner, members, name: unique('rm'), t });
  const grant = async (rid: string, user: User, role: string) =>
    store().subscriptions.update((await store().subscriptions.findByRoomAndUser(rid, user._id))!._id, { addToSet: { roles: role } });
  const history = (rid: string) => store().messages.listHistory(rid, {}, 10);

  it('an owner removes a member: ru message (the removed user sees it), subscription gone, usersCount -1, events', async () => {
    const r = await room();
    const kimWatch = await connectAs(server, kim);
    await watchUser(kimWatch);
    await watchRoom(kimWatch, r._id);
    await watchUser(ow);
    await watchRoom(ow, r._id);
    const fk = kimWatch.mark();
    const fo = ow.mark();

    expect(await ow.call('removeUserFromRoom', { rid: r._id, username: 'rm-kim' })).toBe(true);

    const [ru] = await messageEvent(kimWatch, r._id, (x) => x[0]?.t === 'ru', fk);
    expect(ru).toMatchObject({ rid: r._id, t: 'ru', msg: 'rm-kim', u: { _id: owner._id, username: 'rm-owner' } });
    const [action, sub] = await subEvent(kimWatch, (x) => x[1]?.rid === r._id, fk);
    expect([action, sub.u._id]).toEqual(['removed', kim._id]);
    const [, changed] = await roomEvent(ow, (x) => x[1]?._id === r._id && x[1]?.usersCount === 3, fo);
    expect(changed.msgs).toBe(1);
    expect(await store().subscriptions.findByRoomAndUser(r._id, kim._id)).toBeUndefined();
    expect((await store().rooms.findById(r._id))?.usersCount).toBe(3);
    kimWatch.close();
  });

  it('a room moderator may remove (remove-user in the room); the username is matched case-insensitively', async () => {
    const r = await room('p');
    await grant(r._id, mod, 'moderator');
    const m = await connectAs(server, mod);
    expect(await m.call('removeUserFromRoom', { rid: r._id, username: 'RM-LOU', extra: 1 })).toBe(true);
    expect(await store().subscriptions.findByRoomAndUser(r._id, lou._id)).toBeUndefined();
    m.close();
  });

  it('refused without remove-user: a plain member, an outsider → error-not-allowed, nothing written', async () => {
    const r = await room();
    await expectError(kimC, 'removeUserFromRoom', [{ rid: r._id, username: 'rm-lou' }], 'error-not-allowed', { method: 'removeUserFromRoom' });
    await expectError(outC, 'removeUserFromRoom', [{ rid: r._id, username: 'rm-lou' }], 'error-not-allowed');
    expect(await store().subscriptions.findByRoomAndUser(r._id, lou._id)).toBeDefined();
    expect(await history(r._id)).toEqual([]);
  });

  it('an admin outside a public room may kick (kick-user-from-any-c-room); a private room it cannot see is "not found"', async () => {
    const c = await room('c');
    await adminC.call('removeUserFromRoom', { rid: c._id, username: 'rm-lou' });
    expect(await store().subscriptions.findByRoomAndUser(c._id, lou._id)).toBeUndefined();
    expect((await history(c._id))[0]).toMatchObject({ t: 'ru', msg: 'rm-lou', u: { username: ADMIN.username } });

    const p = await room('p');
    const err = await expectError(adminC, 'removeUserFromRoom', [{ rid: p._id, username: 'rm-lou' }], 'error-room-not-found');
    expect(err.details).toBeUndefined();
    expect(await store().subscriptions.findByRoomAndUser(p._id, lou._id)).toBeDefined();
  });

  it('the last owner cannot be removed; an owner among several can', async () => {
    const r = await room();
    await grant(r._id, mod, 'moderator');
    const m = await connectAs(server, mod);
    await expectError(m, 'removeUserFromRoom', [{ rid: r._id, username: 'rm-owner' }], 'error-you-are-last-owner', {
      method: 'removeUserFromRoom',
    });
    expect(await store().subscriptions.findByRoomAndUser(r._id, owner._id)).toBeDefined();
    await grant(r._id, kim, 'owner');
    await m.call('removeUserFromRoom', { rid: r._id, username: 'rm-owner' });
    expect(await store().subscriptions.findByRoomAndUser(r._id, owner._id)).toBeUndefined();
    m.close();
  });

  it('unknown user or non-member → error-user-not-in-room (admins too: no false ru message)', async () => {
    const r = await room('c', [kim]);
    await expectError(ow, 'removeUserFromRoom', [{ rid: r._id, username: 'nobody' }], 'error-user-not-in-room', { method: 'removeUserFromRoom' });
    await expectError(ow, 'removeUserFromRoom', [{ rid: r._id, username: 'rm-lou' }], 'error-user-not-in-room');
    await expectError(adminC, 'removeUserFromRoom', [{ rid: r._id, username: 'rm-lou' }], 'error-user-not-in-room');
    expect(await history(r._id)).toEqual([]);
  });

  it('DMs and unknown rooms → error-not-allowed', async () => {
    const { rid } = await adminC.call('createDirectMessage', 'rm-kim');
    await expectError(adminC, 'removeUserFromRoom', [{ rid, username: 'rm-kim' }], 'error-not-allowed');
    expect(await store().subscriptions.findByRoomAndUser(rid, kim._id)).toBeDefined();
    await expectError(adminC, 'removeUserFromRoom', [{ rid: 'nope', username: 'rm-kim' }], 'error-not-allowed');
  });

  it('params checked before the login: 400 Match failed; then not logged in → error-invalid-user', async () => {
    const anon = await TestClient.connect(server.url);
    await expectMatchFailed(anon, 'removeUserFromRoom', [{ rid: 'x' }]);
    await expectMatchFailed(ow, 'removeUserFromRoom', [{ rid: 'x', username: { $ne: '' } }]);
    await expectMatchFailed(ow, 'removeUserFromRoom', ['x', 'y']);
    await expectError(anon, 'removeUserFromRoom', [{ rid: 'x', username: 'y' }], 'error-invalid-user', { method: 'removeUserFromRoom' });
    anon.close();
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Room, User } from '../../src/domain/types.js';
import { TestClient } from '../support/ddp-client.js';
import { makeRoom } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import {
  connectAs,
  eventsSince,
  expectError,
  expectMatchFailed,
  messageEvent,
  roomEvent,
  subEvent,
  unique,
  watchRoom,
  watchUser,
} from './rooms-support.js';

describe('leaveRoom', () => {
  let server: TestServer;
  let owner: User;
  let lea: User;
  let rex: User;
  let guest: User;
  let ow: TestClient;

  beforeAll(async () => {
    server = await startTestServer();
    owner = await server.createUser('olly');
    lea = await server.createUser('lea');
    rex = await server.createUser('rex');
    guest = await server.createUser('gia', { roles: ['guest'] });
    ow = await connectAs(server, owner);
  });
  afterAll(async () => {
    await server?.stop();
  });

  const store = () => server.orbit.services.store;
  const room = (t: 'c' | 'p' = 'c', members: User[] = [lea, rex]): Promise<Room> =>
    makeRoom(server, { owner, members, name: unique('leave'), t });
  const makeOwner = async (rid: string, user: User) =>
    store().subscriptions.update((await store().subscriptions.findByRoomAndUser(rid, user._id))!._id, { addToSet: { roles: 'owner' } });

  it('a member leaves: ul message (seen by the leaver too), subscription removed, usersCount -1, events', async () => {
    const r = await room();
    const leaver = await connectAs(server, lea); // acts
    const leaverWatch = await connectAs(server, lea); // a second connection, subscribed like a client
    const stay = await connectAs(server, rex);
    await Promise.all([watchUser(leaverWatch), watchUser(stay)]);
    await watchRoom(leaverWatch, r._id);
    await watchRoom(stay, r._id);
    const fl = leaverWatch.mark();
    const fs = stay.mark();

    const raw = await leaver.callRaw('leaveRoom', [r._id]);
    expect(raw.error).toBeUndefined();
    expect('result' in raw).toBe(false);

    const [ul] = await messageEvent(leaverWatch, r._id, (x) => x[0]?.t === 'ul', fl);
    expect(ul).toMatchObject({ rid: r._id, t: 'ul', msg: 'lea', u: { _id: lea._id, username: 'lea' } });
    await messageEvent(stay, r._id, (x) => x[0]?.t === 'ul', fs);
    const [action, sub] = await subEvent(leaverWatch, (x) => x[1]?.rid === r._id, fl);
    expect(action).toBe('removed');
    expect(sub).toMatchObject({ rid: r._id, u: { _id: lea._id } });
    const [raction, rroom] = await roomEvent(stay, (x) => x[1]?._id === r._id && x[1]?.usersCount === 2, fs);
    expect(raction).toBe('updated');
    expect(rroom.msgs).toBe(1);

    expect(await store().subscriptions.findByRoomAndUser(r._id, lea._id)).toBeUndefined();
    expect((await ow.call('getRoomById', r._id)).usersCount).toBe(2);
    expect(((await leaver.call('rooms/get')) as Room[]).map((x) => x._id)).not.toContain(r._id);

    // The leaver's room stream stopped silently and its rooms-changed no longer covers the room.
    await leaverWatch.settle(100);
    const after = leaverWatch.mark();
    await ow.call('archiveRoom', r._id);
    await messageEvent(stay, r._id, (x) => x[0]?.t === 'room-archived', fs);
    await leaverWatch.settle(200);
    expect(eventsSince(leaverWatch, after).filter((f) => JSON.stringify(f).includes(r._id))).toEqual([]);
    expect(leaverWatch.frames.slice(fl).filter((f) => f.msg === 'nosub')).toEqual([]);
    for (const c of [leaver, leaverWatch, stay]) c.close();
  });

  it('a private room is left the same way (leave-p)', async () => {
    const r = await room('p');
    const c = await connectAs(server, rex);
    await c.call('leaveRoom', r._id);
    expect(await store().subscriptions.findByRoomAndUser(r._id, rex._id)).toBeUndefined();
    expect((await store().rooms.findById(r._id))?.usersCount).toBe(2);
    c.close();
  });

  it('the last owner cannot leave → error-you-are-last-owner', async () => {
    const r = await room();
    const err = await expectError(ow, 'leaveRoom', [r._id], 'error-you-are-last-owner', { method: 'leaveRoom' });
    expect(err.reason).toBe('You are the last owner. Please set new owner before leaving the room.');
    expect(await store().subscriptions.findByRoomAndUser(r._id, owner._id)).toBeDefined();
    expect(await store().messages.listHistory(r._id, {}, 5)).toEqual([]);
  });

  it('an owner may leave while another owner remains; a non-owner may leave a room with no owner left', async () => {
    const r = await room();
    await makeOwner(r._id, lea);
    await ow.call('leaveRoom', r._id);
    expect(await store().subscriptions.findByRoomAndUser(r._id, owner._id)).toBeUndefined();
    const l = await connectAs(server, lea);
    await expectError(l, 'leaveRoom', [r._id], 'error-you-are-last-owner');
    l.close();

    const r2 = await room();
    await store().subscriptions.update((await store().subscriptions.findByRoomAndUser(r2._id, owner._id))!._id, { pull: { roles: 'owner' } });
    await ow.call('leaveRoom', r2._id);
    const x = await connectAs(server, rex);
    await x.call('leaveRoom', r2._id);
    // The empty-ish room is not deleted.
    expect((await store().rooms.findById(r2._id))?.usersCount).toBe(1);
    x.close();
  });

  it('not a member → error-user-not-in-room', async () => {
    const r = await room('c', [lea]);
    const x = await connectAs(server, rex);
    const err = await expectError(x, 'leaveRoom', [r._id], 'error-user-not-in-room', { method: 'leaveRoom' });
    expect(err.reason).toBe('You are not in this room');
    x.close();
  });

  it('permission leave-c / leave-p (global): refused to a guest, allowed to a user', async () => {
    const r = await room('c', [lea, guest]);
    const g = await connectAs(server, guest);
    await expectError(g, 'leaveRoom', [r._id], 'error-not-allowed', { method: 'leaveRoom' });
    expect(await store().subscriptions.findByRoomAndUser(r._id, guest._id)).toBeDefined();
    g.close();
    const l = await connectAs(server, lea);
    await l.call('leaveRoom', r._id);
    l.close();
  });

  it('a DM can never be left → error-not-allowed', async () => {
    const { rid } = await ow.call('createDirectMessage', 'lea');
    await expectError(ow, 'leaveRoom', [rid], 'error-not-allowed', { method: 'leaveRoom' });
    expect(await store().subscriptions.findByRoomAndUser(rid, owner._id)).toBeDefined();
  });

  it('errors in order: 400 (even when not logged in), not logged in, unknown room', async () => {
    const anon = await TestClient.connect(server.url);
    await expectMatchFailed(anon, 'leaveRoom', [{ rid: 'x' }]);
    await expectMatchFailed(ow, 'leaveRoom', []);
    await expectMatchFailed(ow, 'leaveRoom', [['x']]);
    await expectError(anon, 'leaveRoom', ['x'], 'error-invalid-user', { method: 'leaveRoom' });
    await expectError(ow, 'leaveRoom', ['nope'], 'error-invalid-room', { method: 'leaveRoom' });
    anon.close();
  });
});

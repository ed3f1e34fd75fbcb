import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Room, User } from '../../src/domain/types.js';
import { TestClient } from '../support/ddp-client.js';
import { makeRoom } from '../support/fixtures.js';
import { ADMIN, startTestServer, type TestServer } from '../support/test-server.js';
import {
  connectAs,
  eventsSince,
  expectError,
  expectMatchFailed,
  expectNothingAbout,
  roomEvent,
  subEvent,
  unique,
  watchRoom,
  watchUser,
} from './rooms-support.js';

describe('eraseRoom', () => {
  let server: TestServer;
  let owner: User;
  let mod: User;
  let mem: User;
  let out: User;
  let ow: TestClient;
  let adm: TestClient;

  beforeAll(async () => {
    server = await startTestServer();
    owner = await server.createUser('ezra');
    mod = await server.createUser('mona');
    mem = await server.createUser('milo');
    out = await server.createUser('oona');
    ow = await connectAs(server, owner);
    adm = await connectAs(server, ADMIN.username, ADMIN.password);
  });
  afterAll(async () => {
    await server?.stop();
  });

  const store = () => server.orbit.services.store;
  async function room(t: 'c' | 'p' = 'p'): Promise<Room> {
    const r = await makeRoom(server, { owner, members: [mod, mem], name: unique('erase'), t });
    await store().subscriptions.update((await store().subscriptions.findByRoomAndUser(r._id, mod._id))!._id, {
      addToSet: { roles: 'moderator' },
    });
    await server.orbit.services.systemMessages.create('uj', r, 'milo', mem);
    return (await store().rooms.findById(r._id))!;
  }

  it('the owner erases: messages, subscriptions and the room go; decision: members get rooms-changed(removed) before sub-changed(removed)', async () => {
    const r = await room();
    const m = await connectAs(server, mem);
    const o = await connectAs(server, out);
    await Promise.all([watchUser(m), watchUser(o)]);
    await watchRoom(m, r._id);
    const fm = m.mark();
    const fo = o.mark();
    expect(await ow.call('eraseRoom', r._id)).toBe(true);

    const [raction, rroom] = await roomEvent(m, (x) => x[1]?._id === r._id, fm);
    expect(raction).toBe('removed');
    expect(rroom).toEqual({ _id: r._id });
    const [action, sub] = await subEvent(m, (x) => x[1]?.rid === r._id, fm);
    expect(action).toBe('removed');
    expect(sub).toMatchObject({ rid: r._id, u: { _id: mem._id } });
    await expectNothingAbout(o, r._id, fo);
    const order = eventsSince(m, fm)
      .filter((f) => JSON.stringify(f.fields.args).includes(r._id))
      .map((f) => f.fields.eventName.split('/')[1]);
    expect(order).toEqual(['rooms-changed', 'subscriptions-changed']);
    // No system message.
    expect(eventsSince(m, fm).filter((f) => f.collection === 'stream-room-messages')).toEqual([]);

    expect(await store().rooms.findById(r._id)).toBeUndefined();
    expect(await store().subscriptions.listByRoom(r._id)).toEqual([]);
    expect(await store().messages.listHistory(r._id, {}, 10)).toEqual([]);
    await expectError(ow, 'getRoomById', [r._id], 'error-not-allowed', { method: 'getRoomNameById' });
    expect(((await m.call('rooms/get')) as Room[]).map((x) => x._id)).not.toContain(r._id);
    m.close();
    o.close();
  });

  it('the removals show in the delta calls', async () => {
    const r = await room('c');
    const since = new Date(Date.now() - 1);
    await ow.call('eraseRoom', r._id);
    const m = await connectAs(server, mem);
    expect((await m.call('rooms/get', since)).remove).toContainEqual({ _id: r._id, _deletedAt: expect.any(Date) });
    const subs = await m.call('subscriptions/get', since);
    expect(subs.remove).toHaveLength(1);
    m.close();
  });

  it('permission delete-<t>@room: owner and admin allowed; moderator, member and outsider refused', async () => {
    for (const t of ['c', 'p'] as const) {
      const r = await room(t);
      for (const u of [mod, mem, out]) {
        const c = await connectAs(server, u);
        await expectError(c, 'eraseRoom', [r._id], 'error-not-allowed', { method: 'eraseRoom' });
        c.close();
      }
      expect(await store().rooms.findById(r._id)).toBeDefined();
      expect(await adm.call('eraseRoom', r._id)).toBe(true);
      expect(await store().rooms.findById(r._id)).toBeUndefined();
    }
  });

  it('a DM needs delete-d (admin only): a member is refused, an admin erases it', async () => {
    const { rid } = await ow.call('createDirectMessage', 'milo');
    await expectError(ow, 'eraseRoom', [rid], 'error-not-allowed', { method: 'eraseRoom' });
    const m = await connectAs(server, mem);
    await watchUser(m);
    const fm = m.mark();
    expect(await adm.call('eraseRoom', rid)).toBe(true);
    expect((await subEvent(m, (x) => x[1]?.rid === rid, fm))[0]).toBe('removed');
    expect(await store().rooms.findById(rid)).toBeUndefined();
    // The DM can be created again afterwards.
    expect((await ow.call('createDirectMessage', 'milo')).rid).toBe(rid);
    m.close();
  });

  it('a federated room → error-cannot-delete-federated-room', async () => {
    const r = await room();
    await store().rooms.update(r._id, { set: { federated: true } });
    const err = await expectError(adm, 'eraseRoom', [r._id], 'error-cannot-delete-federated-room', { method: 'eraseRoom' });
    expect(err.reason).toBe('Cannot delete federated room');
    expect(await store().rooms.findById(r._id)).toBeDefined();
  });

  it('the member’s room stream stops with the room (no nosub, no later events)', async () => {
    const r = await room('c');
    const m = await connectAs(server, mem);
    await watchRoom(m, r._id);
    const fm = m.mark();
    await ow.call('eraseRoom', r._id);
    await m.settle(150);
    // A message written into the room id afterwards (e.g. by a stale writer) reaches nobody.
    await server.orbit.services.systemMessages.create('uj', r, 'x', out);
    await m.settle(200);
    expect(eventsSince(m, fm).filter((f) => f.collection === 'stream-room-messages')).toEqual([]);
    expect(m.frames.slice(fm).filter((f) => f.msg === 'nosub')).toEqual([]);
    m.close();
  });

  it('errors in order: 400 (even when not logged in), not logged in, unknown room', async () => {
    const anon = await TestClient.connect(server.url);
    await expectMatchFailed(anon, 'eraseRoom', [{}]);
    await expectMatchFailed(ow, 'eraseRoom', []);
    await expectMatchFailed(ow, 'eraseRoom', [[1]]);
    await expectError(anon, 'eraseRoom', ['x'], 'error-invalid-user', { method: 'eraseRoom' });
    await expectError(ow, 'eraseRoom', ['nope'], 'error-invalid-room', { method: 'eraseRoom' });
    anon.close();
  });
});

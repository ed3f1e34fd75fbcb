import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../src/domain/types.js';
import { makeRoom } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { clientFor, uniq } from './messages-support.js';
import { failed, get, post, restLogin, type Creds } from './rest-support.js';

describe('REST channels.join', () => {
  let server: TestServer;
  let owner: User;

  beforeAll(async () => {
    server = await startTestServer();
    owner = await server.createUser(uniq('cjo'));
  });
  afterAll(async () => {
    await server?.stop();
  });

  const member = (rid: string, uid: string) => server.orbit.services.store.subscriptions.findByRoomAndUser(rid, uid);

  it('by roomId: 200 {channel, success}; the caller is a member, the room announces the join', async () => {
    const room = await makeRoom(server, { owner });
    const u = await server.createUser(uniq('cju'));
    const c = await clientFor(server, owner);
    expect((await c.sub('stream-room-messages', [room._id, false])).ready).toBe(true);
    const r = await post(server, 'channels.join', { roomId: room._id }, await restLogin(server, u));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ success: true, channel: { _id: room._id, t: 'c', name: room.name, usersCount: 2 } });
    expect(await member(room._id, u._id)).toBeDefined();
    const [joined] = await c.nextEvent('stream-room-messages', room._id, (a) => a[0].t === 'uj');
    expect(joined.u._id).toBe(u._id);
    c.close();
  });

  it('by roomName; joining again is a no-op 200', async () => {
    const room = await makeRoom(server, { owner });
    const creds = await restLogin(server, await server.createUser(uniq('cjn')));
    expect((await post(server, 'channels.join', { roomName: room.name }, creds)).status).toBe(200);
    const again = await post(server, 'channels.join', { roomName: room.name }, creds);
    expect(again.status).toBe(200);
    expect(again.body.channel.usersCount).toBe(2);
  });

  it('a join code: refused without it (error-code-invalid), accepted with it; never sent back', async () => {
    const room = await makeRoom(server, { owner, extra: { joinCodeRequired: true, joinCode: 'sesame' } });
    const u = await server.createUser(uniq('cjc'));
    const creds = await restLogin(server, u);
    const refused = await post(server, 'channels.join', { roomId: room._id }, creds);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject(failed('error-code-invalid'));
    expect(await member(room._id, u._id)).toBeUndefined();
    const ok = await post(server, 'channels.join', { roomId: room._id, joinCode: 'sesame' }, creds);
    expect(ok.status).toBe(200);
    expect(ok.body.channel).not.toHaveProperty('joinCode');
  });

  it('a caller without view-c-room (guest): 400 error-not-allowed {method: joinRoom}; a user may', async () => {
    const room = await makeRoom(server, { owner });
    const guest = await server.createUser(uniq('cjg'), { roles: ['guest'] });
    const r = await post(server, 'channels.join', { roomId: room._id }, await restLogin(server, guest));
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ success: false, error: 'Not allowed [error-not-allowed]', errorType: 'error-not-allowed', details: { method: 'joinRoom' } });
    expect(await member(room._id, guest._id)).toBeUndefined();
  });

  it('not a public channel (private room, DM, unknown): 400 error-room-not-found; archived: 400 error-room-archived', async () => {
    const creds = await restLogin(server, await server.createUser(uniq('cjp')));
    const priv = await makeRoom(server, { t: 'p', owner });
    for (const body of [{ roomId: priv._id }, { roomName: priv.name }, { roomId: 'no-such-room' }]) {
      const r = await post(server, 'channels.join', body, creds);
      expect(r.status).toBe(400);
      expect(r.body).toMatchObject(failed('error-room-not-found'));
    }
    const archived = await makeRoom(server, { owner, extra: { archived: true } });
    const r = await post(server, 'channels.join', { roomId: archived._id }, creds);
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ ...failed('error-room-archived'), error: `The channel, ${archived.name}, is archived [error-room-archived]` });
  });

  it('bad input: 400 invalid-params', async () => {
    const room = await makeRoom(server, { owner });
    const creds = await restLogin(server, await server.createUser(uniq('cjb')));
    for (const body of [{}, { roomId: { $ne: null } }, { roomId: 42 }, { roomId: room._id, roomName: room.name }, { roomId: room._id, joinCode: 1 }, { roomId: room._id, x: 1 }]) {
      const r = await post(server, 'channels.join', body, creds);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body).toMatchObject(failed('invalid-params'));
    }
  });
});

describe('REST rooms.info', () => {
  let server: TestServer;
  let owner: User;
  let ownerCreds: Creds;
  let userCreds: Creds;

  beforeAll(async () => {
    server = await startTestServer();
    owner = await server.createUser(uniq('rio'));
    ownerCreds = await restLogin(server, owner);
    userCreds = await restLogin(server, await server.createUser(uniq('riu')));
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('by roomId and by roomName: 200 {room, success}, without the join code', async () => {
    const room = await makeRoom(server, { owner, extra: { joinCodeRequired: true, joinCode: 'sesame' } });
    for (const query of [{ roomId: room._id }, { roomName: room.name! }] as Record<string, string>[]) {
      const r = await get(server, 'rooms.info', query, ownerCreds);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ success: true, room: { _id: room._id, t: 'c', name: room.name, joinCodeRequired: true } });
      expect(r.body.room).not.toHaveProperty('joinCode');
    }
  });

  it('decision: `rid` (what @rocket.chat/sdk sends) is read as roomId', async () => {
    const room = await makeRoom(server, { owner });
    const r = await get(server, 'rooms.info', { rid: room._id }, ownerCreds);
    expect(r.status).toBe(200);
    expect(r.body.room._id).toBe(room._id);
  });

  it('a private room: a member may read it; anyone else gets 400 {error:"not-allowed", errorType:"Not Allowed"}', async () => {
    const room = await makeRoom(server, { t: 'p', owner });
    expect((await get(server, 'rooms.info', { roomId: room._id }, ownerCreds)).status).toBe(200);
    const r = await get(server, 'rooms.info', { roomId: room._id }, userCreds);
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ success: false, error: 'not-allowed', errorType: 'Not Allowed' });
  });

  it('a public channel: readable by a non-member user, not by a guest (no view-c-room)', async () => {
    const room = await makeRoom(server, { owner });
    expect((await get(server, 'rooms.info', { roomId: room._id }, userCreds)).status).toBe(200);
    const guestCreds = await restLogin(server, await server.createUser(uniq('rig'), { roles: ['guest'] }));
    const r = await get(server, 'rooms.info', { roomId: room._id }, guestCreds);
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ success: false, error: 'not-allowed' });
  });

  it('an archived room is still described', async () => {
    const room = await makeRoom(server, { owner, extra: { archived: true } });
    expect((await get(server, 'rooms.info', { roomId: room._id }, ownerCreds)).body.room.archived).toBe(true);
  });

  it('no roomId/roomName: 400 error-roomid-param-not-provided; unknown room: 400 error-room-not-found', async () => {
    const none = await get(server, 'rooms.info', {}, ownerCreds);
    expect(none.status).toBe(400);
    expect(none.body).toEqual({
      success: false,
      error: 'The parameter "roomId" or "roomName" is required [error-roomid-param-not-provided]',
      errorType: 'error-roomid-param-not-provided',
    });
    const unknown = await get(server, 'rooms.info', { roomId: 'no-such-room' }, ownerCreds);
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject(failed('error-room-not-found'));
  });
});

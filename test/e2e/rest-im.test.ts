import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../src/domain/types.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { uniq } from './messages-support.js';
import { failed, post, restLogin, type Creds } from './rest-support.js';

describe('REST im.create / dm.create', () => {
  let server: TestServer;
  let me: User;
  let creds: Creds;

  beforeAll(async () => {
    server = await startTestServer();
    me = await server.createUser(uniq('ima'));
    creds = await restLogin(server, me);
  });
  afterAll(async () => {
    await server?.stop();
  });

  const dmId = (...users: User[]) => users.map((u) => u._id).sort().join('');

  it('{username}: 200 {room: {_id, rid, t:"d", usernames}}; both members are subscribed', async () => {
    const other = await server.createUser(uniq('imb'));
    const r = await post(server, 'im.create', { username: other.username }, creds);
    expect(r.status).toBe(200);
    const rid = dmId(me, other);
    expect(r.body).toEqual({ success: true, room: { _id: rid, rid, t: 'd', usernames: expect.arrayContaining([me.username, other.username]) } });
    const subs = server.orbit.services.store.subscriptions;
    expect(await subs.findByRoomAndUser(rid, me._id)).toMatchObject({ open: true });
    expect(await subs.findByRoomAndUser(rid, other._id)).toBeDefined();
  });

  it('dm.create is the same route; calling again answers the same room', async () => {
    const other = await server.createUser(uniq('imc'));
    const first = await post(server, 'dm.create', { username: other.username }, creds);
    const again = await post(server, 'im.create', { username: other.username }, creds);
    expect(first.status).toBe(200);
    expect(again.body.room._id).toBe(first.body.room._id);
  });

  it('{usernames: "a, b"}: a group DM of the caller and both', async () => {
    const a = await server.createUser(uniq('imd'));
    const b = await server.createUser(uniq('ime'));
    const r = await post(server, 'im.create', { usernames: `${a.username}, ${b.username}` }, creds);
    expect(r.status).toBe(200);
    expect(r.body.room.usernames).toHaveLength(3);
    expect((await server.orbit.services.store.rooms.findById(r.body.room._id))!.uids!.sort()).toEqual([me._id, a._id, b._id].sort());
  });

  it('an unknown username: 400 error-invalid-user {method: createDirectMessage}', async () => {
    const r = await post(server, 'im.create', { username: 'nobody-at-all' }, creds);
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ success: false, error: 'Invalid user [error-invalid-user]', errorType: 'error-invalid-user', details: { method: 'createDirectMessage' } });
  });

  it('a caller without create-d (guest): 400 error-not-allowed for a new DM, nothing created', async () => {
    const guest = await server.createUser(uniq('img'), { roles: ['guest'] });
    const other = await server.createUser(uniq('imh'));
    const r = await post(server, 'im.create', { username: other.username }, await restLogin(server, guest));
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject(failed('error-not-allowed'));
    expect(await server.orbit.services.store.rooms.findById(dmId(guest, other))).toBeUndefined();
  });

  it('a guest (view-d-room) gets a DM that already exists: {room: {_id, t, rid}}', async () => {
    const guest = await server.createUser(uniq('imi'), { roles: ['guest'] });
    const other = await server.createUser(uniq('imj'));
    await post(server, 'im.create', { username: guest.username }, await restLogin(server, other));
    const r = await post(server, 'im.create', { username: other.username }, await restLogin(server, guest));
    expect(r.status).toBe(200);
    const rid = dmId(guest, other);
    expect(r.body.room).toEqual({ _id: rid, t: 'd', rid });
  });

  it('decision: excludeSelf:true is not supported (400 invalid-params); false is accepted', async () => {
    const other = await server.createUser(uniq('imk'));
    const refused = await post(server, 'im.create', { username: other.username, excludeSelf: true }, creds);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject(failed('invalid-params'));
    expect((await post(server, 'im.create', { username: other.username, excludeSelf: false }, creds)).status).toBe(200);
  });

  it('bad input: 400 invalid-params', async () => {
    const bodies: unknown[] = [
      {},
      { username: { $ne: null } },
      { username: ['x'] },
      { usernames: ['a', 'b'] },
      { username: 'a', usernames: 'b' },
      { username: 'a', excludeSelf: 'yes' },
      { username: 'a', extra: 1 },
    ];
    for (const body of bodies) {
      const r = await post(server, 'im.create', body, creds);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body).toMatchObject(failed('invalid-params'));
    }
  });
});

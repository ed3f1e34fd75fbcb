import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newRoomSubscription } from '../../src/domain/subscriptions.js';
import type { Room, User } from '../../src/domain/types.js';
import { objectId } from '../../src/lib/random.js';
import { TestClient } from '../support/ddp-client.js';
import { makeRoom } from '../support/fixtures.js';
import { ADMIN, startTestServer, type TestServer } from '../support/test-server.js';

describe('muteUserInRoom / unmuteUserInRoom', () => {
  let server: TestServer;
  let owner: User, mod: User, member: User, outsider: User;
  let ownerC: TestClient, modC: TestClient, memberC: TestClient, outsiderC: TestClient, adminC: TestClient, anon: TestClient;

  const login = async (username: string, password = `${username}-pass`) => {
    const c = await TestClient.connect(server.url);
    await c.login(username, password);
    return c;
  };
  const store = () => server.orbit.services.store;
  const room = async (extra?: Partial<Room>) => {
    const r = await makeRoom(server, { t: 'p', owner, members: [mod, member], ...(extra ? { extra } : {}) });
    const modSub = (await store().subscriptions.findByRoomAndUser(r._id, mod._id))!;
    await store().subscriptions.update(modSub._id, { set: { roles: ['moderator'] } });
    return r;
  };
  const stored = async (rid: string) => (await store().rooms.findById(rid))!;
  const lastMessage = async (rid: string) => (await store().messages.listHistory(rid, {}, 1))[0];

  beforeAll(async () => {
    server = await startTestServer();
    owner = await server.createUser('mu-owner');
    mod = await server.createUser('mu-mod');
    member = await server.createUser('mu-member');
    outsider = await server.createUser('mu-outsider');
    [ownerC, modC, memberC, outsiderC] = await Promise.all([login('mu-owner'), login('mu-mod'), login('mu-member'), login('mu-outsider')]);
    adminC = await login(ADMIN.username, ADMIN.password);
    anon = await TestClient.connect(server.url);
  });
  afterAll(async () => {
    for (const c of [ownerC, modC, memberC, outsiderC, adminC, anon]) c?.close();
    await server?.stop();
  });

  it('mute: result true, username in `muted`, user-muted message, events to members and none to outsiders', async () => {
    const r = await room({ unmuted: ['mu-member'] });
    await memberC.sub('stream-notify-user', [`${member._id}/rooms-changed`, false]);
    await memberC.sub('stream-room-messages', [r._id, false]);
    await outsiderC.sub('stream-notify-user', [`${outsider._id}/rooms-changed`, false]);
    const m = memberC.mark();
    const o = outsiderC.mark();

    expect(await ownerC.call('muteUserInRoom', { rid: r._id, username: 'mu-member', extra: 'ignored' })).toBe(true);

    const after = await stored(r._id);
    expect(after.muted).toEqual(['mu-member']);
    expect(after.unmuted).toEqual([]);
    const msg = await lastMessage(r._id);
    expect(msg).toMatchObject({ t: 'user-muted', msg: 'mu-member', u: { _id: owner._id, username: 'mu-owner' } });
    const [action, changed] = await memberC.nextEvent('stream-notify-user', `${member._id}/rooms-changed`, () => true, { from: m });
    expect(action).toBe('updated');
    expect(changed).toMatchObject({ _id: r._id, muted: ['mu-member'] });
    const [posted] = await memberC.nextEvent('stream-room-messages', r._id, () => true, { from: m });
    expect(posted).toMatchObject({ _id: msg!._id, t: 'user-muted', msg: 'mu-member' });
    await outsiderC.settle();
    expect(outsiderC.frames.slice(o).filter((f) => f.collection === 'stream-notify-user')).toEqual([]);
  });

  it('unmute: pulls the username from `muted`, writes user-unmuted', async () => {
    const r = await room({ muted: ['mu-member'] });
    expect(await ownerC.call('unmuteUserInRoom', { rid: r._id, username: 'mu-member' })).toBe(true);
    const after = await stored(r._id);
    expect(after.muted).toEqual([]);
    expect(after.unmuted).toBeUndefined();
    expect(await lastMessage(r._id)).toMatchObject({ t: 'user-unmuted', msg: 'mu-member', u: { _id: owner._id } });
  });

  it('read-only room: mute only removes the explicit permission (`unmuted`), unmute grants it', async () => {
    const r = await room({ ro: true, unmuted: ['mu-member'] });
    expect(await ownerC.call('muteUserInRoom', { rid: r._id, username: 'mu-member' })).toBe(true);
    let after = await stored(r._id);
    expect(after.unmuted).toEqual([]);
    expect(after.muted).toBeUndefined();
    await store().rooms.update(r._id, { set: { muted: ['mu-member'] } });
    expect(await ownerC.call('unmuteUserInRoom', { rid: r._id, username: 'mu-member' })).toBe(true);
    after = await stored(r._id);
    expect(after.muted).toEqual([]);
    expect(after.unmuted).toEqual(['mu-member']);
    expect(await lastMessage(r._id)).toMatchObject({ t: 'user-unmuted' });
  });

  it('muting twice is not an error and writes a second message', async () => {
    const r = await room();
    await ownerC.call('muteUserInRoom', { rid: r._id, username: 'mu-member' });
    await ownerC.call('muteUserInRoom', { rid: r._id, username: 'mu-member' });
    const after = await stored(r._id);
    expect(after.muted).toEqual(['mu-member']);
    expect(after.msgs).toBe(2);
  });

  it('permission mute-user@room: owner, moderator and admin may; a plain member and a non-member may not', async () => {
    const r = await room();
    for (const c of [memberC, outsiderC]) {
      const e = await c.callError('muteUserInRoom', { rid: r._id, username: 'mu-owner' });
      expect(e).toMatchObject({ error: 'error-not-allowed', reason: 'Not allowed', details: { method: 'muteUserInRoom' } });
      expect((await c.callError('unmuteUserInRoom', { rid: r._id, username: 'mu-owner' })).details).toEqual({ method: 'unmuteUserInRoom' });
    }
    expect((await stored(r._id)).muted).toBeUndefined();
    expect(await modC.call('muteUserInRoom', { rid: r._id, username: 'mu-member' })).toBe(true);
    expect(await adminC.call('unmuteUserInRoom', { rid: r._id, username: 'mu-member' })).toBe(true);
    expect(await ownerC.call('muteUserInRoom', { rid: r._id, username: 'mu-mod' })).toBe(true);
  });

  it('check 1: param not an object with string rid and username → 400, even before the login check', async () => {
    const r = await room();
    for (const method of ['muteUserInRoom', 'unmuteUserInRoom']) {
      for (const params of [[], ['x'], [{ rid: r._id }], [{ rid: r._id, username: ['mu-member'] }], [{ rid: 5, username: 'mu-member' }], [[r._id, 'mu-member']]]) {
        expect(await ownerC.callError(method, ...params)).toMatchObject({ error: 400, reason: 'Match failed' });
      }
      expect((await anon.callError(method, { rid: r._id })).error).toBe(400);
    }
  });

  it('check 2: not logged in → error-invalid-user (mute) / error-not-allowed (unmute, sic)', async () => {
    const r = await room();
    expect(await anon.callError('muteUserInRoom', { rid: r._id, username: 'mu-member' })).toMatchObject({
      error: 'error-invalid-user',
      details: { method: 'muteUserInRoom' },
    });
    expect(await anon.callError('unmuteUserInRoom', { rid: r._id, username: 'mu-member' })).toMatchObject({
      error: 'error-not-allowed',
      details: { method: 'unmuteUserInRoom' },
    });
  });

  it('checks 3/4: an unknown room is error-not-allowed for an owner elsewhere (permission first), error-invalid-room for an admin', async () => {
    expect((await ownerC.callError('muteUserInRoom', { rid: 'no-room', username: 'mu-member' })).error).toBe('error-not-allowed');
    const e = await adminC.callError('muteUserInRoom', { rid: 'no-room', username: 'mu-member' });
    expect(e).toMatchObject({ error: 'error-invalid-room', reason: 'Invalid room', details: { method: 'muteUserInRoom' } });
  });

  it('check 5: a DM → error-invalid-room-type "d is not a valid room type" with {type: "d"}', async () => {
    const now = new Date();
    const dm: Room = { _id: `${owner._id}${member._id}`, t: 'd', usernames: ['mu-member', 'mu-owner'], uids: [member._id, owner._id].sort(), msgs: 0, usersCount: 2, ts: now, _updatedAt: now };
    await store().rooms.insert(dm);
    for (const u of [owner, member]) await store().subscriptions.insert(newRoomSubscription(objectId(), dm, u, {}));
    for (const method of ['muteUserInRoom', 'unmuteUserInRoom']) {
      const e = await adminC.callError(method, { rid: dm._id, username: 'mu-member' });
      expect(e).toMatchObject({ error: 'error-invalid-room-type', reason: 'd is not a valid room type', details: { method, type: 'd' } });
    }
  });

  it('check 6: no subscription with exactly that username → error-user-not-in-room', async () => {
    const r = await room();
    for (const username of ['mu-outsider', 'MU-MEMBER', 'nobody']) {
      const e = await ownerC.callError('muteUserInRoom', { rid: r._id, username });
      expect(e).toMatchObject({ error: 'error-user-not-in-room', reason: 'User is not in this room', details: { method: 'muteUserInRoom' } });
    }
  });

  it('check 7: a subscription whose user no longer exists → error-invalid-user "Invalid user to mute/unmute"', async () => {
    const r = await room();
    const ghost = { _id: 'ghost-id', username: 'mu-ghost', name: 'Ghost' };
    await store().subscriptions.insert(newRoomSubscription(objectId(), r, ghost, {}));
    expect(await ownerC.callError('muteUserInRoom', { rid: r._id, username: 'mu-ghost' })).toMatchObject({
      error: 'error-invalid-user',
      reason: 'Invalid user to mute',
      details: { method: 'muteUserInRoom' },
    });
    expect(await ownerC.callError('unmuteUserInRoom', { rid: r._id, username: 'mu-ghost' })).toMatchObject({
      error: 'error-invalid-user',
      reason: 'Invalid user to unmute',
    });
  });
});

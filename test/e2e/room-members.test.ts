import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newRoomSubscription } from '../../src/domain/subscriptions.js';
import type { Room, User } from '../../src/domain/types.js';
import { objectId } from '../../src/lib/random.js';
import { TestClient } from '../support/ddp-client.js';
import { makeRoom } from '../support/fixtures.js';
import { ADMIN, startTestServer, type TestServer } from '../support/test-server.js';

describe('addUserToRoom / addUsersToRoom', () => {
  let server: TestServer;
  let owner: User, mod: User, member: User, newbie: User, newbie2: User, newbie3: User;
  let ownerC: TestClient, modC: TestClient, memberC: TestClient, newbieC: TestClient, adminC: TestClient, anon: TestClient;
  let seq = 0;

  const login = async (username: string, password = `${username}-pass`) => {
    const c = await TestClient.connect(server.url);
    await c.login(username, password);
    return c;
  };
  const store = () => server.orbit.services.store;
  const room = async (t: 'c' | 'p' = 'c') => {
    const r = await makeRoom(server, { t, owner, members: [mod, member], name: `am-room-${++seq}` });
    const modSub = (await store().subscriptions.findByRoomAndUser(r._id, mod._id))!;
    await store().subscriptions.update(modSub._id, { set: { roles: ['moderator'] } });
    return r;
  };
  const subOf = (rid: string, uid: string) => store().subscriptions.findByRoomAndUser(rid, uid);

  beforeAll(async () => {
    server = await startTestServer();
    owner = await server.createUser('am-owner');
    mod = await server.createUser('am-mod');
    member = await server.createUser('am-member');
    newbie = await server.createUser('am-newbie', { name: 'New Bie' });
    newbie2 = await server.createUser('am-newbie2');
    newbie3 = await server.createUser('am-newbie3');
    [ownerC, modC, memberC, newbieC] = await Promise.all([login('am-owner'), login('am-mod'), login('am-member'), login('am-newbie')]);
    adminC = await login(ADMIN.username, ADMIN.password);
    anon = await TestClient.connect(server.url);
  });
  afterAll(async () => {
    for (const c of [ownerC, modC, memberC, newbieC, adminC, anon]) c?.close();
    await server?.stop();
  });

  it('addUserToRoom: empty result, new subscription, usersCount + 1, `au` by the inviter, events', async () => {
    const r = await room('p');
    await newbieC.sub('stream-notify-user', [`${newbie._id}/subscriptions-changed`, false]);
    await newbieC.sub('stream-notify-user', [`${newbie._id}/rooms-changed`, false]);
    await memberC.sub('stream-room-messages', [r._id, false]);
    await memberC.sub('stream-notify-user', [`${member._id}/rooms-changed`, false]);
    const bystander = await login('am-newbie2');
    await bystander.sub('stream-notify-user', [`${newbie2._id}/rooms-changed`, false]);
    await bystander.sub('stream-notify-user', [`${newbie2._id}/subscriptions-changed`, false]);
    const n = newbieC.mark();
    const m = memberC.mark();
    const b = bystander.mark();

    const raw = await ownerC.callRaw('addUserToRoom', [{ rid: r._id, username: 'am-newbie' }]);
    expect(raw).toEqual({ msg: 'result', id: raw.id });

    const sub = (await subOf(r._id, newbie._id))!;
    expect(sub).toMatchObject({
      rid: r._id, t: 'p', name: r.name, fname: r.fname, open: true, alert: true, unread: 1, userMentions: 1, groupMentions: 0,
      u: { _id: newbie._id, username: 'am-newbie', name: 'New Bie' },
    });
    expect(sub.roles).toBeUndefined();
    const after = (await store().rooms.findById(r._id))!;
    expect(after.usersCount).toBe(r.usersCount + 1);
    const [msg] = await store().messages.listHistory(r._id, {}, 1);
    expect(msg).toMatchObject({ t: 'au', msg: 'am-newbie', groupable: false });
    expect(msg!.u).toEqual({ _id: owner._id, username: 'am-owner' }); // the inviter, without name
    expect(msg!.ts).toEqual(sub.ts);

    const [action, published] = await newbieC.nextEvent('stream-notify-user', `${newbie._id}/subscriptions-changed`, () => true, { from: n });
    expect(action).toBe('inserted');
    expect(published).toMatchObject({ _id: sub._id, rid: r._id, alert: true, unread: 1 });
    const [roomAction, roomDoc] = await newbieC.nextEvent('stream-notify-user', `${newbie._id}/rooms-changed`, () => true, { from: n });
    expect([roomAction, roomDoc._id]).toEqual(['inserted', r._id]);
    const [posted] = await memberC.nextEvent('stream-room-messages', r._id, () => true, { from: m });
    expect(posted).toMatchObject({ t: 'au', msg: 'am-newbie' });
    const [, updatedRoom] = await memberC.nextEvent('stream-notify-user', `${member._id}/rooms-changed`, () => true, { from: m });
    expect(updatedRoom).toMatchObject({ _id: r._id, usersCount: r.usersCount + 1 });
    await bystander.settle();
    expect(bystander.frames.slice(b).filter((f) => f.collection === 'stream-notify-user')).toEqual([]);
    bystander.close();
  });

  it('a leading @ is stripped and the username lookup ignores case', async () => {
    const r = await room();
    await ownerC.call('addUserToRoom', { rid: r._id, username: '@AM-NEWBIE' });
    expect(await subOf(r._id, newbie._id)).toBeDefined();
  });

  it('already a member: nothing changes; the caller gets the ephemeral "already in here" notice', async () => {
    const r = await room();
    await ownerC.sub('stream-notify-user', [`${owner._id}/message`, false]);
    const o = ownerC.mark();
    const before = Date.now();
    await ownerC.call('addUserToRoom', { rid: r._id, username: 'am-member' });
    const [notice] = await ownerC.nextEvent('stream-notify-user', `${owner._id}/message`, () => true, { from: o });
    // streams.md §4.3: like every ephemeral notice, `md` is parsed from `msg`.
    expect(Object.keys(notice)).toEqual(['groupable', 'u', 'private', '_id', 'rid', 'ts', '_updatedAt', 'msg', 'md']);
    expect(notice.md).toEqual([{ type: 'PARAGRAPH', value: [{ type: 'INLINE_CODE', value: { type: 'PLAIN_TEXT', value: '@am-member' } }, { type: 'PLAIN_TEXT', value: ' is already in here.' }] }]);
    expect(notice).toMatchObject({
      groupable: false,
      u: { _id: 'rocket.cat', username: 'rocket.cat' },
      private: true,
      rid: r._id,
      msg: '`@am-member` is already in here.',
    });
    expect(Number(notice._id)).toBeGreaterThanOrEqual(before);
    expect(notice.ts).toBeInstanceOf(Date);
    const after = (await store().rooms.findById(r._id))!;
    expect([after.usersCount, after.msgs]).toEqual([r.usersCount, 0]);
  });

  it('addUsersToRoom adds several users one by one and returns true', async () => {
    const r = await room();
    expect(await ownerC.call('addUsersToRoom', { rid: r._id, users: ['am-newbie', '@am-newbie2'] })).toBe(true);
    expect(await subOf(r._id, newbie._id)).toBeDefined();
    expect(await subOf(r._id, newbie2._id)).toBeDefined();
    expect((await store().rooms.findById(r._id))!.msgs).toBe(2);
  });

  it('an unknown username aborts with error-user-not-found; users before it stay added', async () => {
    const r = await room();
    const e = await ownerC.callError('addUsersToRoom', { rid: r._id, users: ['am-newbie', 'nobody-here', 'am-newbie3'] });
    expect(e).toMatchObject({ error: 'error-user-not-found', reason: 'User not found', details: { method: 'addUsersToRoom' } });
    expect(await subOf(r._id, newbie._id)).toBeDefined();
    expect(await subOf(r._id, newbie3._id)).toBeUndefined();
    expect(await ownerC.callError('addUserToRoom', { rid: r._id, username: 'nobody-here' })).toMatchObject({
      error: 'error-user-not-found',
      details: { method: 'addUsersToRoom' },
    });
  });

  it('permission: owner and moderator may add; a plain member and a non-member user may not', async () => {
    const r = await room();
    for (const c of [memberC, newbieC]) {
      const e = await c.callError('addUserToRoom', { rid: r._id, username: 'am-newbie3' });
      expect(e).toMatchObject({ error: 'error-not-allowed', reason: 'Not allowed', details: { method: 'addUsersToRoom' } });
    }
    expect(await subOf(r._id, newbie3._id)).toBeUndefined();
    await modC.call('addUserToRoom', { rid: r._id, username: 'am-newbie3' });
    await ownerC.call('addUserToRoom', { rid: r._id, username: 'am-newbie2' });
    expect(await subOf(r._id, newbie3._id)).toBeDefined();
    expect(await subOf(r._id, newbie2._id)).toBeDefined();
  });

  it('permission: an admin outside the room may add to a public channel (add-user-to-any-c-room) but not to a private group', async () => {
    const c = await room('c');
    await adminC.call('addUserToRoom', { rid: c._id, username: 'am-newbie' });
    expect(await subOf(c._id, newbie._id)).toBeDefined();
    const p = await room('p');
    expect((await adminC.callError('addUserToRoom', { rid: p._id, username: 'am-newbie' })).error).toBe('error-not-allowed');
    // Once a member, the admin adds through add-user-to-joined-room.
    await ownerC.call('addUserToRoom', { rid: p._id, username: ADMIN.username });
    await adminC.call('addUserToRoom', { rid: p._id, username: 'am-newbie' });
    expect(await subOf(p._id, newbie._id)).toBeDefined();
  });

  it('check 1: not logged in → error-invalid-user with each method\'s own name', async () => {
    const r = await room();
    expect(await anon.callError('addUserToRoom', { rid: r._id, username: 'am-newbie' })).toMatchObject({
      error: 'error-invalid-user',
      details: { method: 'addUserToRoom' },
    });
    expect(await anon.callError('addUsersToRoom', { rid: r._id, users: ['am-newbie'] })).toMatchObject({
      error: 'error-invalid-user',
      details: { method: 'addUsersToRoom' },
    });
  });

  it('checks 2/3: rid not a string or unknown → error-invalid-room {method: addUsersToRoom}', async () => {
    for (const data of [{ rid: 5, username: 'am-newbie' }, { username: 'am-newbie' }, { rid: 'no-such-room', username: 'am-newbie' }]) {
      const e = await ownerC.callError('addUserToRoom', data);
      expect(e).toMatchObject({ error: 'error-invalid-room', reason: 'Invalid room', details: { method: 'addUsersToRoom' } });
    }
    expect((await ownerC.callError('addUsersToRoom', { rid: { $ne: 1 }, users: [] })).error).toBe('error-invalid-room');
  });

  it('decision: a param that is not an object (Rocket.Chat: 500) → error-invalid-room', async () => {
    for (const params of [[], ['x'], [null], [['a']]]) {
      expect((await ownerC.callError('addUserToRoom', ...params)).error).toBe('error-invalid-room');
      expect((await ownerC.callError('addUsersToRoom', ...params)).error).toBe('error-invalid-room');
    }
  });

  it('check 4: a DM → error-cant-invite-for-direct-room', async () => {
    const now = new Date();
    const dm: Room = { _id: `${owner._id}${member._id}`, t: 'd', usernames: ['am-member', 'am-owner'], uids: [owner._id, member._id].sort(), msgs: 0, usersCount: 2, ts: now, _updatedAt: now };
    await store().rooms.insert(dm);
    for (const u of [owner, member]) await store().subscriptions.insert(newRoomSubscription(objectId(), dm, u, {}));
    const e = await adminC.callError('addUserToRoom', { rid: dm._id, username: 'am-newbie' });
    expect(e).toMatchObject({ error: 'error-cant-invite-for-direct-room', reason: "Can't invite user to direct rooms", details: { method: 'addUsersToRoom' } });
  });

  it('check 6: `users` not an array → error-invalid-arguments (after the permission check)', async () => {
    const r = await room();
    const e = await ownerC.callError('addUsersToRoom', { rid: r._id, users: 'am-newbie' });
    expect(e).toMatchObject({ error: 'error-invalid-arguments', reason: 'Invalid arguments', details: { method: 'addUsersToRoom' } });
    expect((await memberC.callError('addUsersToRoom', { rid: r._id, users: 'am-newbie' })).error).toBe('error-not-allowed');
  });

  it('decision: a username that is not a string (Rocket.Chat: 500) → error-invalid-arguments, nobody added', async () => {
    const r = await room();
    expect((await ownerC.callError('addUserToRoom', { rid: r._id, username: { $regex: '.' } })).error).toBe('error-invalid-arguments');
    expect((await ownerC.callError('addUsersToRoom', { rid: r._id, users: ['am-newbie', 7] })).error).toBe('error-invalid-arguments');
    expect(await subOf(r._id, newbie._id)).toBeUndefined();
  });
});

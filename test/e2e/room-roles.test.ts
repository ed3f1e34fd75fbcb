import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Room, User } from '../../src/domain/types.js';
import { TestClient } from '../support/ddp-client.js';
import { makeRoom } from '../support/fixtures.js';
import { ADMIN, startTestServer, type TestServer } from '../support/test-server.js';

type Role = 'owner' | 'moderator' | 'leader';
const CASES: Array<{ role: Role; add: string; remove: string; already: string; notHolding: string }> = [
  { role: 'owner', add: 'addRoomOwner', remove: 'removeRoomOwner', already: 'error-user-already-owner', notHolding: 'error-user-not-owner' },
  { role: 'moderator', add: 'addRoomModerator', remove: 'removeRoomModerator', already: 'error-user-already-moderator', notHolding: 'error-user-not-moderator' },
  { role: 'leader', add: 'addRoomLeader', remove: 'removeRoomLeader', already: 'error-user-already-leader', notHolding: 'error-user-not-leader' },
];

describe('room roles: addRoomOwner/Moderator/Leader, removeRoom*', () => {
  let server: TestServer;
  let owner: User, member: User, other: User, outsider: User;
  let ownerC: TestClient, memberC: TestClient, outsiderC: TestClient, adminC: TestClient, anon: TestClient;
  let seq = 0;

  const login = async (u: { username?: string }, password = `${u.username}-pass`) => {
    const c = await TestClient.connect(server.url);
    await c.login(u.username!, password);
    return c;
  };
  const store = () => server.orbit.services.store;
  const newRoom = (t: 'c' | 'p' = 'p', extra?: Partial<Room>) =>
    makeRoom(server, { t, owner, members: [member, other], name: `roles-${++seq}`, ...(extra ? { extra } : {}) });
  const subOf = async (rid: string, uid: string) => (await store().subscriptions.findByRoomAndUser(rid, uid))!;

  beforeAll(async () => {
    server = await startTestServer();
    owner = await server.createUser('rr-owner');
    member = await server.createUser('rr-member', { name: 'Member Name' });
    other = await server.createUser('rr-other');
    outsider = await server.createUser('rr-outsider');
    [ownerC, memberC, outsiderC] = await Promise.all([login(owner), login(member), login(outsider)]);
    adminC = await login(ADMIN, ADMIN.password);
    anon = await TestClient.connect(server.url);
  });
  afterAll(async () => {
    for (const c of [ownerC, memberC, outsiderC, adminC, anon]) c?.close();
    await server?.stop();
  });

  describe.each(CASES)('$add', ({ role, add, already }) => {
    it('owner grants the role: result true, stored role, system message, events to the target and roles-change', async () => {
      const room = await newRoom();
      await memberC.sub('stream-notify-user', [`${member._id}/subscriptions-changed`, false]);
      await memberC.sub('stream-room-messages', [room._id, false]);
      await outsiderC.sub('stream-notify-logged', ['roles-change', false]);
      await outsiderC.sub('stream-notify-user', [`${outsider._id}/rooms-changed`, false]);
      const m = memberC.mark();
      const o = outsiderC.mark();

      expect(await ownerC.call(add, room._id, member._id)).toBe(true);

      expect((await subOf(room._id, member._id)).roles).toEqual([role]);
      const [msg] = await store().messages.listHistory(room._id, {}, 1);
      expect(msg).toMatchObject({ t: 'subscription-role-added', msg: 'rr-member', role, u: { _id: owner._id, username: 'rr-owner' }, groupable: false });
      expect((await store().rooms.findById(room._id))!.msgs).toBe(1);

      const [action, sub] = await memberC.nextEvent('stream-notify-user', `${member._id}/subscriptions-changed`, () => true, { from: m });
      expect(action).toBe('updated');
      expect(sub).toMatchObject({ rid: room._id, roles: [role], u: { _id: member._id } });
      const [posted] = await memberC.nextEvent('stream-room-messages', room._id, () => true, { from: m });
      expect(posted).toMatchObject({ _id: msg!._id, t: 'subscription-role-added', role, msg: 'rr-member' });
      // roles-change goes to every logged-in user, with the target's name (not the caller's).
      const [change] = await outsiderC.nextEvent('stream-notify-logged', 'roles-change', () => true, { from: o });
      expect(change).toEqual({ type: 'added', _id: role, u: { _id: member._id, username: 'rr-member', name: 'Member Name' }, scope: room._id });
      await outsiderC.settle();
      const leaked = outsiderC.events('stream-notify-user', `${outsider._id}/rooms-changed`).filter((a) => (a[1] as Room)._id === room._id);
      expect(leaked).toEqual([]);
    });

    it('an admin who is not a member may grant it; a moderator, a plain member and a non-member may not', async () => {
      const room = await newRoom();
      await store().subscriptions.update((await subOf(room._id, other._id))._id, { set: { roles: ['moderator'] } });
      const otherC = await login(other);
      try {
        expect((await otherC.callError(add, room._id, member._id)).error).toBe('error-not-allowed');
      } finally {
        otherC.close();
      }
      const e1 = await memberC.callError(add, room._id, other._id);
      expect(e1).toMatchObject({ error: 'error-not-allowed', reason: 'Not allowed', details: { method: add } });
      expect((await outsiderC.callError(add, room._id, member._id)).error).toBe('error-not-allowed');
      expect((await subOf(room._id, member._id)).roles).toBeUndefined();
      expect(await adminC.call(add, room._id, member._id)).toBe(true);
      expect((await subOf(room._id, member._id)).roles).toEqual([role]);
    });

    it('check 1: not logged in → error-invalid-user (before the type check)', async () => {
      const e = await anon.callError(add, { not: 'a string' });
      expect(e).toMatchObject({ error: 'error-invalid-user', reason: 'Invalid user', details: { method: add } });
    });

    it('check 2: rid or userId not a string, or missing → 400 Match failed', async () => {
      const room = await newRoom();
      for (const params of [[{ $gt: '' }, member._id], [room._id, ['x']], [room._id], []]) {
        const e = await ownerC.callError(add, ...params);
        expect(e).toMatchObject({ error: 400, reason: 'Match failed' });
      }
    });

    it('check 3: unknown room → error-invalid-room (owner, moderator) / not detected for leader', async () => {
      if (role === 'leader') {
        expect((await ownerC.callError(add, 'no-such-room', member._id)).error).toBe('error-not-allowed');
        expect((await adminC.callError(add, 'no-such-room', member._id)).error).toBe('error-user-not-in-room');
      } else {
        const e = await ownerC.callError(add, 'no-such-room', member._id);
        expect(e).toMatchObject({ error: 'error-invalid-room', reason: 'Invalid room', details: { method: add } });
      }
    });

    it('check 5: unknown target user → error-invalid-user', async () => {
      const room = await newRoom();
      expect(await ownerC.callError(add, room._id, 'nobody')).toMatchObject({ error: 'error-invalid-user', details: { method: add } });
    });

    it('check 5: a target member whose record has no username → error-invalid-user, nothing written', async () => {
      const ghost = await server.createUser(`rr-ghost-${++seq}`);
      const room = await makeRoom(server, { t: 'p', owner, members: [ghost], name: `roles-${++seq}` });
      await store().users.update(ghost._id, { unset: ['username'] });
      const e = await ownerC.callError(add, room._id, ghost._id);
      expect(e).toMatchObject({ error: 'error-invalid-user', reason: 'Invalid user', details: { method: add } });
      expect((await subOf(room._id, ghost._id)).roles).toBeUndefined();
      expect((await store().rooms.findById(room._id))!.msgs).toBe(0);
    });

    it('check 6: target not in the room → error-user-not-in-room', async () => {
      const room = await newRoom();
      const e = await ownerC.callError(add, room._id, outsider._id);
      expect(e).toMatchObject({ error: 'error-user-not-in-room', reason: 'User is not in this room', details: { method: add } });
    });

    it('check 7: target already holds the role → the "already" error, nothing written', async () => {
      const room = await newRoom();
      await ownerC.call(add, room._id, member._id);
      const e = await ownerC.callError(add, room._id, member._id);
      expect(e).toMatchObject({ error: already, details: { method: add } });
      expect((await store().rooms.findById(room._id))!.msgs).toBe(1);
    });
  });

  describe.each(CASES)('$remove', ({ role, add, remove, notHolding }) => {
    it('owner revokes the role: result true, role pulled, system message, events', async () => {
      const room = await newRoom();
      await ownerC.call(add, room._id, member._id);
      await memberC.sub('stream-notify-user', [`${member._id}/subscriptions-changed`, false]);
      await outsiderC.sub('stream-notify-logged', ['roles-change', false]);
      const m = memberC.mark();
      const o = outsiderC.mark();

      expect(await ownerC.call(remove, room._id, member._id)).toBe(true);

      expect((await subOf(room._id, member._id)).roles).toEqual([]);
      const [msg] = await store().messages.listHistory(room._id, {}, 1);
      expect(msg).toMatchObject({ t: 'subscription-role-removed', msg: 'rr-member', role, u: { _id: owner._id } });
      const [action, sub] = await memberC.nextEvent('stream-notify-user', `${member._id}/subscriptions-changed`, () => true, { from: m });
      expect([action, sub.roles]).toEqual(['updated', []]);
      const [change] = await outsiderC.nextEvent('stream-notify-logged', 'roles-change', () => true, { from: o });
      expect(change).toEqual({ type: 'removed', _id: role, u: { _id: member._id, username: 'rr-member', name: 'Member Name' }, scope: room._id });
    });

    it('permission: a plain member may not revoke; an admin may', async () => {
      const room = await newRoom();
      await ownerC.call(add, room._id, member._id);
      const otherC = await login(other);
      try {
        expect((await otherC.callError(remove, room._id, member._id)).error).toBe('error-not-allowed');
      } finally {
        otherC.close();
      }
      expect((await outsiderC.callError(remove, room._id, member._id)).error).toBe('error-not-allowed');
      expect(await adminC.call(remove, room._id, member._id)).toBe(true);
    });

    it('checks 1, 2, 3, 5: not logged in, wrong types, unknown room, unknown target', async () => {
      const room = await newRoom();
      expect((await anon.callError(remove, room._id, member._id)).error).toBe('error-invalid-user');
      expect(await ownerC.callError(remove, room._id, 5)).toMatchObject({ error: 400, reason: 'Match failed' });
      const missing = await ownerC.callError(remove, 'no-such-room', member._id);
      expect(missing.error).toBe(role === 'leader' ? 'error-not-allowed' : 'error-invalid-room');
      expect((await ownerC.callError(remove, room._id, 'nobody')).error).toBe('error-invalid-user');
    });

    it('check 6: target without subscription → invalid-room (owner, moderator) / user-not-in-room (leader)', async () => {
      const room = await newRoom();
      const e = await ownerC.callError(remove, room._id, outsider._id);
      expect(e).toMatchObject({ error: role === 'leader' ? 'error-user-not-in-room' : 'error-invalid-room', details: { method: remove } });
    });

    it('check 7: target does not hold the role → error-user-not-<role>', async () => {
      const room = await newRoom();
      await store().subscriptions.update((await subOf(room._id, member._id))._id, { set: { roles: [] } });
      expect(await ownerC.callError(remove, room._id, member._id)).toMatchObject({ error: notHolding, details: { method: remove } });
    });

    it('decision: a subscription without any roles field is "not holding" for every role', async () => {
      const room = await newRoom();
      expect((await subOf(room._id, other._id)).roles).toBeUndefined();
      expect((await ownerC.callError(remove, room._id, other._id)).error).toBe(notHolding);
    });
  });

  it('removeRoomOwner refuses to remove the last owner, and allows it once there is another', async () => {
    const room = await newRoom();
    const e = await ownerC.callError('removeRoomOwner', room._id, owner._id);
    expect(e).toMatchObject({
      error: 'error-remove-last-owner',
      reason: 'This is the last owner. Please set a new owner before removing this one.',
      details: { method: 'removeRoomOwner' },
    });
    await ownerC.call('addRoomOwner', room._id, member._id);
    expect(await ownerC.call('removeRoomOwner', room._id, owner._id)).toBe(true);
    expect((await subOf(room._id, owner._id)).roles).toEqual([]);
    // The former owner lost set-owner in this room.
    expect((await ownerC.callError('addRoomOwner', room._id, other._id)).error).toBe('error-not-allowed');
  });

  it('with UI_DisplayRoles off no roles-change is sent (the rest still happens)', async () => {
    const settings = server.orbit.services.settings;
    await settings.set('UI_DisplayRoles', false);
    try {
      const room = await newRoom();
      await outsiderC.sub('stream-notify-logged', ['roles-change', false]);
      const o = outsiderC.mark();
      expect(await ownerC.call('addRoomModerator', room._id, member._id)).toBe(true);
      await outsiderC.settle(200);
      expect(outsiderC.frames.slice(o).filter((f) => f.fields?.eventName === 'roles-change')).toEqual([]);
      expect((await subOf(room._id, member._id)).roles).toEqual(['moderator']);
    } finally {
      await settings.set('UI_DisplayRoles', true);
    }
  });

  it('a role system message hidden by the room (sysMes) is stored but not broadcast', async () => {
    const room = await newRoom('p', { sysMes: ['subscription-role-added'] });
    await memberC.sub('stream-room-messages', [room._id, false]);
    const m = memberC.mark();
    await ownerC.call('addRoomLeader', room._id, member._id);
    await memberC.settle(200);
    expect(memberC.frames.slice(m).filter((f) => f.collection === 'stream-room-messages')).toEqual([]);
    expect((await store().messages.listHistory(room._id, {}, 1))[0]).toMatchObject({ t: 'subscription-role-added' });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../src/domain/types.js';
import { TestClient } from '../support/ddp-client.js';
import { makeRoom } from '../support/fixtures.js';
import { ADMIN, startTestServer, type TestServer } from '../support/test-server.js';

describe('getRoomRoles', () => {
  let server: TestServer;
  let owner: User, mod: User, lead: User, plain: User;
  let modC: TestClient, plainC: TestClient, outsiderC: TestClient, adminC: TestClient, anon: TestClient;

  const login = async (username: string, password = `${username}-pass`) => {
    const c = await TestClient.connect(server.url);
    await c.login(username, password);
    return c;
  };
  const store = () => server.orbit.services.store;

  /** A room where `gr-mod` is moderator, `gr-lead` leader+owner, `gr-plain` a plain member. */
  async function roomWithRoles(t: 'c' | 'p') {
    const room = await makeRoom(server, { t, owner, members: [mod, lead, plain] });
    const set = async (u: User, roles: string[]) => {
      const sub = (await store().subscriptions.findByRoomAndUser(room._id, u._id))!;
      await store().subscriptions.update(sub._id, { set: { roles } });
      return sub._id;
    };
    const ids = { mod: await set(mod, ['moderator']), lead: await set(lead, ['leader', 'owner', 'custom-role']), plain: await set(plain, ['custom-role']) };
    const ownerSub = (await store().subscriptions.findByRoomAndUser(room._id, owner._id))!;
    return { room, ids: { ...ids, owner: ownerSub._id } };
  }

  beforeAll(async () => {
    server = await startTestServer();
    // Usernames chosen so that the sort by username is visible.
    owner = await server.createUser('gr-d-owner', { name: 'Owner Person' });
    mod = await server.createUser('gr-b-mod', { name: 'Mod Person' });
    lead = await server.createUser('gr-a-lead', { name: 'Lead Person' });
    plain = await server.createUser('gr-c-plain');
    await server.createUser('gr-outsider');
    [modC, plainC, outsiderC] = await Promise.all([login('gr-b-mod'), login('gr-c-plain'), login('gr-outsider')]);
    adminC = await login(ADMIN.username, ADMIN.password);
    anon = await TestClient.connect(server.url);
  });
  afterAll(async () => {
    for (const c of [modC, plainC, outsiderC, adminC, anon]) c?.close();
    await server?.stop();
  });

  it('lists the holders of owner/moderator/leader, sorted by username, as {_id, rid, u, roles}', async () => {
    const { room, ids } = await roomWithRoles('p');
    const result = await plainC.call('getRoomRoles', room._id);
    expect(result).toEqual([
      { _id: ids.lead, rid: room._id, u: { _id: lead._id, username: 'gr-a-lead', name: 'Lead Person' }, roles: ['leader', 'owner', 'custom-role'] },
      { _id: ids.mod, rid: room._id, u: { _id: mod._id, username: 'gr-b-mod', name: 'Mod Person' }, roles: ['moderator'] },
      { _id: ids.owner, rid: room._id, u: { _id: owner._id, username: 'gr-d-owner', name: 'Owner Person' }, roles: ['owner'] },
    ]);
  });

  it('with UI_Use_Real_Name, u.name is the user\'s current name', async () => {
    const { room } = await roomWithRoles('p');
    await store().users.update(mod._id, { set: { name: 'Renamed Mod' } });
    const settings = server.orbit.services.settings;
    try {
      expect((await modC.call('getRoomRoles', room._id))[1].u.name).toBe('Mod Person');
      await settings.set('UI_Use_Real_Name', true);
      expect((await modC.call('getRoomRoles', room._id))[1].u).toEqual({ _id: mod._id, username: 'gr-b-mod', name: 'Renamed Mod' });
    } finally {
      await settings.set('UI_Use_Real_Name', false);
      await store().users.update(mod._id, { set: { name: 'Mod Person' } });
    }
  });

  it('check 1: rid not a string or missing → 400', async () => {
    expect(await plainC.callError('getRoomRoles', { $ne: null })).toMatchObject({ error: 400, reason: 'Match failed' });
    expect(await plainC.callError('getRoomRoles')).toMatchObject({ error: 400 });
  });

  it('check 2: not logged in (anonymous read off) → error-invalid-user', async () => {
    const { room } = await roomWithRoles('c');
    const e = await anon.callError('getRoomRoles', room._id);
    expect(e).toMatchObject({ error: 'error-invalid-user', reason: 'Invalid user', details: { method: 'getRoomRoles' } });
  });

  it('anonymous read on: an anonymous caller gets the list of a public room', async () => {
    const { room } = await roomWithRoles('c');
    const settings = server.orbit.services.settings;
    await settings.set('Accounts_AllowAnonymousRead', true);
    try {
      expect((await anon.call('getRoomRoles', room._id)).map((h: { u: { username: string } }) => h.u.username)).toEqual([
        'gr-a-lead',
        'gr-b-mod',
        'gr-d-owner',
      ]);
      expect((await anon.callError('getRoomRoles', 'no-such-room')).error).toBe('error-invalid-room');
    } finally {
      await settings.set('Accounts_AllowAnonymousRead', false);
    }
  });

  it('decision: with anonymous read on, an anonymous caller still gets error-invalid-user for a private room (Rocket.Chat skips the check)', async () => {
    const { room } = await roomWithRoles('p');
    const settings = server.orbit.services.settings;
    await settings.set('Accounts_AllowAnonymousRead', true);
    try {
      const r = await anon.callRaw('getRoomRoles', [room._id]);
      expect(r.result).toBeUndefined();
      expect(r.error).toMatchObject({ error: 'error-invalid-user', details: { method: 'getRoomRoles' } });
    } finally {
      await settings.set('Accounts_AllowAnonymousRead', false);
    }
  });

  it('check 3: unknown room → error-invalid-room', async () => {
    expect(await plainC.callError('getRoomRoles', 'no-such-room')).toMatchObject({ error: 'error-invalid-room', reason: 'Invalid room' });
  });

  it('check 4 (CVE-2022-35247): a caller who cannot access a private room gets error-invalid-user, never the list', async () => {
    const { room } = await roomWithRoles('p');
    const r = await outsiderC.callRaw('getRoomRoles', [room._id]);
    expect(r.result).toBeUndefined();
    expect(r.error).toMatchObject({ error: 'error-invalid-user', reason: 'Invalid user', details: { method: 'getRoomRoles' } });
    // Global admins are not members either: private rooms stay closed to them here (model.md §7.4).
    expect((await adminC.callError('getRoomRoles', room._id)).error).toBe('error-invalid-user');
  });

  it('a public room is readable by a non-member with view-c-room', async () => {
    const { room } = await roomWithRoles('c');
    expect(await outsiderC.call('getRoomRoles', room._id)).toHaveLength(3);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRoom } from '../support/fixtures.js';
import type { TestClient } from '../support/ddp-client.js';
import { ADMIN, startTestServer, type TestServer } from '../support/test-server.js';
import { clientFor, makeDm, uniq } from './messages-support.js';

/** The DDP twins of users.create/update, users.setActiveStatus, users.delete and integrations.create/remove. */
describe('user administration and webhooks over DDP', () => {
  let server: TestServer;
  let admin: TestClient;
  const store = () => server.orbit.services.store;

  beforeAll(async () => {
    server = await startTestServer();
    const adminUser = (await store().users.findByUsername(ADMIN.username))!;
    admin = await clientFor(server, { ...adminUser, username: ADMIN.username });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('insertOrUpdateUser: an admin creates (id back) and edits; a user may do neither', async () => {
    const username = uniq('nu');
    const id = await admin.call('insertOrUpdateUser', { username, name: 'New User', email: `${username}@example.com`, password: 'pw-123', verified: true, roles: ['user', 'bot'] });
    const created = (await store().users.findById(id))!;
    expect(created).toMatchObject({ username, name: 'New User', roles: ['user', 'bot'], emails: [{ address: `${username}@example.com`, verified: true }] });
    expect(await admin.call('insertOrUpdateUser', { _id: id, name: 'Renamed', bio: 'hello' })).toBe(true);
    expect((await store().users.findById(id))!).toMatchObject({ name: 'Renamed', bio: 'hello' });

    const plain = await server.createUser(uniq('pl'));
    const pc = await clientFor(server, plain);
    expect(await pc.callError('insertOrUpdateUser', { username: uniq('x'), name: 'X', password: 'p' })).toMatchObject({
      error: 'error-action-not-allowed',
      details: { method: 'insertOrUpdateUser', action: 'Adding_user' },
    });
    expect((await pc.callError('insertOrUpdateUser', { _id: id, name: 'Hijack' })).details.action).toBe('Editing_user');
    expect(await pc.call('insertOrUpdateUser', { _id: plain._id, name: 'Me Myself' })).toBe(true);
    expect((await store().users.findById(plain._id))!.name).toBe('Me Myself');
  });

  it('insertOrUpdateUser refusals: taken username, missing password, bad username, admin role without the permission, username change', async () => {
    const taken = await server.createUser(uniq('tk'));
    expect((await admin.callError('insertOrUpdateUser', { username: taken.username, name: 'T', password: 'p' })).error).toBe('error-field-unavailable');
    expect((await admin.callError('insertOrUpdateUser', { username: uniq('np'), name: 'T' })).details.field).toBe('Password');
    expect((await admin.callError('insertOrUpdateUser', { username: 'bad name!', name: 'T', password: 'p' })).error).toBe('error-input-is-not-a-valid-field');
    expect((await admin.callError('insertOrUpdateUser', { username: uniq('r'), name: 'T', password: 'p', roles: ['no-such-role'] })).details.action).toBe('Assign_role');
    expect((await admin.callError('insertOrUpdateUser', { _id: taken._id, username: uniq('renamed') })).error).toBe('error-could-not-save-identity');
    expect((await admin.callError('insertOrUpdateUser', { username: 3 })).error).toBe(400);
  });

  it('setUserActiveStatus: deactivating ends the sessions and makes DMs read-only; a user may not; the last admin stays', async () => {
    const target = await server.createUser(uniq('da'));
    const friend = await server.createUser(uniq('fr'));
    const dm = await makeDm(server, friend, target);
    const tc = await clientFor(server, target);
    const plain = await clientFor(server, friend);
    expect((await plain.callError('setUserActiveStatus', target._id, false)).error).toBe('error-action-not-allowed');
    expect(await admin.call('setUserActiveStatus', target._id, false)).toBe(true);
    expect((await store().users.findById(target._id))!).toMatchObject({ active: false, services: { resume: { loginTokens: [] } } });
    expect((await store().rooms.findById(dm._id))!.ro).toBe(true);
    expect((await store().subscriptions.findByRoomAndUser(dm._id, friend._id))!.archived).toBe(true);
    expect(typeof (await tc.closed()).code).toBe("number");
    expect(await admin.call('setUserActiveStatus', target._id, true)).toBe(true);
    expect((await store().rooms.findById(dm._id))!.ro).toBe(false);
    const adminId = (await store().users.findByUsername(ADMIN.username))!._id;
    expect(await admin.callError('setUserActiveStatus', adminId, false)).toMatchObject({ error: 'error-action-not-allowed', details: { action: 'Remove_last_admin' } });
  });

  it('deleteUser: the last owner of a room is refused until confirmed, then the room changes owner; messages, DMs and subscriptions go', async () => {
    const owner = await server.createUser(uniq('ow'));
    const heir = await server.createUser(uniq('he'));
    const room = await makeRoom(server, { owner, members: [heir] });
    const lonely = await makeRoom(server, { owner });
    const dm = await makeDm(server, owner, heir);
    const oc = await clientFor(server, owner);
    const sent = await oc.call('sendMessage', { rid: room._id, msg: 'bye' });
    oc.close();
    const hc = await clientFor(server, heir);
    expect((await hc.callError('deleteUser', owner._id)).error).toBe('error-not-allowed');
    const refusal = await admin.callError('deleteUser', owner._id);
    expect(refusal).toMatchObject({ error: 'user-last-owner', details: { shouldChangeOwner: [room.name], shouldBeRemoved: [lonely.name] } });
    expect(await store().users.findById(owner._id)).toBeDefined();
    expect(await admin.call('deleteUser', owner._id, true)).toBe(true);
    expect(await store().users.findById(owner._id)).toBeUndefined();
    expect((await store().subscriptions.findByRoomAndUser(room._id, heir._id))!.roles).toContain('owner');
    expect(await store().subscriptions.findByRoomAndUser(room._id, owner._id)).toBeUndefined();
    expect(await store().rooms.findById(lonely._id)).toBeUndefined();
    expect(await store().rooms.findById(dm._id)).toBeUndefined();
    expect(await store().messages.findById(sent._id)).toBeUndefined();
    expect((await store().rooms.findById(room._id))!.usersCount).toBe(1);
    expect((await admin.callError('deleteUser', owner._id)).error).toBe('error-invalid-user');
  });

  it('addIncomingIntegration / deleteIncomingIntegration: admins yes, plain users not_authorized', async () => {
    const bot = await server.createUser(uniq('hook'));
    const input = { type: 'webhook-incoming', name: 'CI', enabled: true, username: bot.username, channel: '#general', scriptEnabled: false };
    const plain = await clientFor(server, await server.createUser(uniq('pu')));
    expect(await plain.callError('addIncomingIntegration', input)).toMatchObject({ error: 'not_authorized', details: { method: 'addIncomingIntegration' } });
    const created = await admin.call('addIncomingIntegration', input);
    expect(created).toMatchObject({ type: 'webhook-incoming', name: 'CI', userId: bot._id, channel: ['#general'], overrideDestinationChannelEnabled: false });
    expect(created.token).toMatch(/^\w{48}$/);
    expect((await store().users.findById(bot._id))!.roles).toContain('bot');
    expect((await plain.callError('deleteIncomingIntegration', created._id)).error).toBe('not_authorized');
    expect(await admin.call('deleteIncomingIntegration', created._id)).toBe(true);
    expect((await admin.callError('deleteIncomingIntegration', created._id)).error).toBe('error-invalid-integration');
    expect((await admin.callError('addIncomingIntegration', { ...input, channel: 'general' })).error).toBe('error-invalid-channel-start-with-chars');
    expect((await admin.callError('addIncomingIntegration', { ...input, channel: '#no-such-room' })).error).toBe('error-invalid-room');
  });
});

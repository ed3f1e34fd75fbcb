import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../src/domain/types.js';
import { makeRoom } from '../support/fixtures.js';
import { ADMIN, startTestServer, type TestServer } from '../support/test-server.js';
import { uniq } from './messages-support.js';
import { failed, get, post, restLogin, type Creds } from './rest-support.js';

describe('REST users.*', () => {
  let server: TestServer;
  let admin: Creds;
  let plain: User;
  let plainCreds: Creds;
  const store = () => server.orbit.services.store;

  beforeAll(async () => {
    server = await startTestServer();
    admin = (await post(server, 'login', { user: ADMIN.username, password: ADMIN.password })).body.data;
    plain = await server.createUser(uniq('up'), { name: 'Plain User' });
    plainCreds = await restLogin(server, plain);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('users.create: an admin creates (joins default channels, no secrets answered); a user may not', async () => {
    const username = uniq('uc');
    const r = await post(server, 'users.create', { username, name: 'Created', email: `${username}@example.com`, password: 'pw-1', verified: true }, admin);
    expect(r.status).toBe(200);
    expect(r.body.user).toMatchObject({ username, name: 'Created', active: true, roles: ['user'], emails: [{ address: `${username}@example.com`, verified: true }] });
    expect(r.body.user).not.toHaveProperty('services');
    expect(await store().subscriptions.findByRoomAndUser('GENERAL', r.body.user._id)).toBeDefined();
    const login = await post(server, 'login', { user: username, password: 'pw-1' });
    expect(login.status).toBe(200);
    const refused = await post(server, 'users.create', { username: uniq('x'), name: 'X', email: 'x@example.com', password: 'p' }, plainCreds);
    expect(refused.body).toMatchObject({ ...failed('error-action-not-allowed'), details: { method: 'insertOrUpdateUser', action: 'Adding_user' } });
    const inactive = await post(server, 'users.create', { username: uniq('ui'), name: 'I', email: `${uniq('i')}@example.com`, password: 'p', active: false }, admin);
    expect(inactive.body.user.active).toBe(false);
    expect((await post(server, 'users.create', { username: uniq('u'), name: 'N', email: 'n@example.com', password: 'p', isAdmin: true }, admin)).body).toMatchObject(failed('invalid-params'));
    expect((await post(server, 'users.create', { username: username, name: 'Dup', email: 'dup@example.com', password: 'p' }, admin)).body).toMatchObject(failed('error-field-unavailable'));
  });

  it('users.info: public fields for others, private ones for oneself and admins; unknown → "User not found."', async () => {
    const mine = await get(server, 'users.info', { userId: plain._id }, plainCreds);
    expect(mine.body.user).toMatchObject({ _id: plain._id, username: plain.username, name: 'Plain User', emails: expect.any(Array), roles: ['user'] });
    const other = await restLogin(server, await server.createUser(uniq('uo')));
    const seen = await get(server, 'users.info', { username: plain.username! }, other);
    expect(seen.body.user).toMatchObject({ _id: plain._id, username: plain.username, active: true });
    for (const hidden of ['emails', 'roles', 'services', 'createdAt']) expect(seen.body.user).not.toHaveProperty(hidden);
    expect((await get(server, 'users.info', { userId: plain._id }, admin)).body.user.emails).toBeDefined();
    expect((await get(server, 'users.info', { userId: 'nope' }, other)).body).toEqual({ success: false, error: 'User not found.' });
    expect((await get(server, 'users.info', {}, other)).body).toEqual({ success: false, error: 'Invalid search query.' });
    const rooms = await get(server, 'users.info', { userId: plain._id, fields: '{"userRooms":1}' }, plainCreds);
    expect(rooms.body.user.rooms.map((r: { rid: string }) => r.rid)).toContain('GENERAL');
    expect((await get(server, 'users.info', { userId: plain._id, fields: '{"userRooms":1}' }, other)).body.user).not.toHaveProperty('rooms');
  });

  it('users.list: paged with total, filtered by equality, sorted; fields projected; operators refused', async () => {
    const a = await server.createUser(uniq('la'), { name: 'List A' });
    await store().users.update(a._id, { set: { status: 'away' } });
    const r = await get(server, 'users.list', { count: '2', offset: '0' }, plainCreds);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ count: 2, offset: 0, total: expect.any(Number) });
    expect(r.body.total).toBeGreaterThan(2);
    for (const u of r.body.users) expect(u).not.toHaveProperty('emails');
    const away = await get(server, 'users.list', { query: '{"status":"away"}', fields: '{"username":1}' }, plainCreds);
    expect(away.body.users).toEqual([{ _id: a._id, username: a.username }]);
    const sorted = await get(server, 'users.list', { sort: '{"username":-1}', count: '100' }, admin);
    const names = sorted.body.users.map((u: { username: string }) => u.username);
    expect(names).toEqual([...names].sort().reverse());
    expect(sorted.body.users[0]).toHaveProperty('emails');
    expect((await get(server, 'users.list', { query: '{"status":{"$ne":"offline"}}' }, plainCreds)).body).toMatchObject(failed('error-invalid-query'));
    expect((await get(server, 'users.list', { query: '{"roles":"admin"}' }, plainCreds)).body).toMatchObject(failed('error-invalid-query'));
    expect((await get(server, 'users.list', { query: '{"roles":"admin"}' }, admin)).body.users.map((u: { username: string }) => u.username)).toContain(ADMIN.username);
    // view-d-room taken away from the user role: 403.
    const roles = server.orbit.services.permissions.rolesOf('view-d-room');
    await server.orbit.services.permissions.setRoles('view-d-room', [...roles].filter((x) => x !== 'user'));
    try {
      expect((await get(server, 'users.list', {}, plainCreds)).status).toBe(403);
    } finally {
      await server.orbit.services.permissions.setRoles('view-d-room', [...roles]);
    }
  });

  it('users.register: anonymous only, username free, returns the new user without private fields', async () => {
    const username = uniq('ur');
    const r = await post(server, 'users.register', { username, email: `${username}@example.com`, pass: 'Pass-123', name: 'Reg' });
    expect(r.status).toBe(200);
    expect(r.body.user).toMatchObject({ username, name: 'Reg', active: true });
    expect(r.body.user).not.toHaveProperty('emails');
    expect((await post(server, 'users.register', { username, email: `${uniq('x')}@example.com`, pass: 'p', name: 'Again' })).body).toEqual({ success: false, error: 'Username is already in use' });
    expect((await post(server, 'users.register', { username: uniq('y'), email: 'y@example.com', pass: 'p', name: 'Y' }, plainCreds)).body).toEqual({ success: false, error: 'Logged in users can not register again.' });
    expect((await post(server, 'users.register', { username: uniq('z'), email: 'z@example.com', name: 'Z' })).body).toMatchObject(failed('invalid-params'));
  });

  it('users.update: oneself (name) and admins (others, roles, password); a user may not edit others', async () => {
    const target = await server.createUser(uniq('uu'));
    const me = await post(server, 'users.update', { userId: plain._id, data: { name: 'Renamed Me', bio: 'hi' } }, plainCreds);
    expect(me.body.user).toMatchObject({ _id: plain._id, name: 'Renamed Me', bio: 'hi' });
    const refused = await post(server, 'users.update', { userId: target._id, data: { name: 'Hijack' } }, plainCreds);
    expect(refused.body).toMatchObject({ ...failed('error-action-not-allowed'), details: { action: 'Editing_user' } });
    const roles = await post(server, 'users.update', { userId: plain._id, data: { roles: ['user', 'admin'] } }, plainCreds);
    expect(roles.body).toMatchObject(failed('error-action-not-allowed'));
    const byAdmin = await post(server, 'users.update', { userId: target._id, data: { name: 'Set By Admin', roles: ['user', 'bot'], password: 'new-pass' } }, admin);
    expect(byAdmin.body.user).toMatchObject({ name: 'Set By Admin', roles: ['user', 'bot'] });
    expect((await post(server, 'login', { user: target.username, password: 'new-pass' })).status).toBe(200);
    const off = await post(server, 'users.update', { userId: target._id, data: { active: false } }, admin);
    expect(off.body.user.active).toBe(false);
    expect((await post(server, 'users.update', { userId: target._id, data: { name: 3 } }, admin)).body).toMatchObject(failed('invalid-params'));
  });

  it('users.setActiveStatus: edit-other-user-active-status (403 without), {user:{_id, active}}; deactivated users cannot log in', async () => {
    const target = await server.createUser(uniq('ua'));
    expect((await post(server, 'users.setActiveStatus', { userId: target._id, activeStatus: false }, plainCreds)).status).toBe(403);
    const r = await post(server, 'users.setActiveStatus', { userId: target._id, activeStatus: false }, admin);
    expect(r.body).toEqual({ success: true, user: { _id: target._id, active: false } });
    expect((await post(server, 'login', { user: target.username, password: `${target.username}-pass` })).status).toBe(401);
    expect((await post(server, 'users.setActiveStatus', { userId: target._id, activeStatus: true }, admin)).body.user.active).toBe(true);
    expect((await post(server, 'users.setActiveStatus', { userId: 'nope', activeStatus: true }, admin)).body).toEqual({ success: false, error: 'User not found' });
    expect((await post(server, 'users.setActiveStatus', { userId: target._id, activeStatus: 'no' }, admin)).body).toMatchObject(failed('invalid-params'));
  });

  it('users.delete: delete-user (403 without); by userId or username; the last owner needs confirmRelinquish', async () => {
    const target = await server.createUser(uniq('ud'));
    expect((await post(server, 'users.delete', { userId: target._id }, plainCreds)).status).toBe(403);
    const room = await makeRoom(server, { owner: target, members: [plain] });
    const refused = await post(server, 'users.delete', { username: target.username }, admin);
    expect(refused.body).toMatchObject({ ...failed('user-last-owner'), details: { shouldChangeOwner: [room.name] } });
    expect((await post(server, 'users.delete', { username: target.username, confirmRelinquish: true }, admin)).body).toEqual({ success: true });
    expect(await store().users.findById(target._id)).toBeUndefined();
    expect((await store().subscriptions.findByRoomAndUser(room._id, plain._id))!.roles).toContain('owner');
    expect((await post(server, 'users.delete', { userId: target._id }, admin)).body).toMatchObject(failed('error-invalid-user'));
  });
});

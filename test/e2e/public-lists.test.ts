import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../support/ddp-client.js';
import { ADMIN, startTestServer, type TestServer } from '../support/test-server.js';

/** permissions/get and public-settings/get: what a client decides its screens by. */
describe('permissions/get and public-settings/get', () => {
  let server: TestServer;
  let admin: TestClient;
  let user: TestClient;
  let anon: TestClient;

  beforeAll(async () => {
    server = await startTestServer();
    admin = await TestClient.connect(server.url);
    await admin.login(ADMIN.username, ADMIN.password);
    await server.createUser('lists.user');
    user = await TestClient.connect(server.url);
    await user.login('lists.user', 'lists.user-pass');
    anon = await TestClient.connect(server.url);
  });
  afterAll(async () => {
    for (const c of [admin, user, anon]) c?.close();
    await server?.stop();
  });

  it('permissions/get: every permission with its roles and _updatedAt, for anyone', async () => {
    for (const c of [user, anon]) {
      const all = (await c.call('permissions/get')) as Array<{ _id: string; roles: string[]; _updatedAt: Date }>;
      const editRoom = all.find((p) => p._id === 'edit-room');
      expect(editRoom?.roles).toEqual(expect.arrayContaining(['admin', 'owner']));
      expect(editRoom?._updatedAt).toBeInstanceOf(Date);
      expect(all.length).toBeGreaterThan(50);
    }
  });

  it('permissions/get with a date: {update, remove} holding only what changed since; the change is announced to logged-in clients', async () => {
    const since = new Date();
    await new Promise((r) => setTimeout(r, 5));
    const open = await user.sub('stream-notify-logged', ['permissions-changed', false]);
    expect(open.ready).toBe(true);
    const from = user.frames.length;
    await server.orbit.services.permissions.setRoles('create-c', ['admin', 'user', 'bot']);
    const delta = (await user.call('permissions/get', since)) as { update: Array<{ _id: string; roles: string[] }>; remove: unknown[] };
    expect(delta.update.map((p) => p._id)).toEqual(['create-c']);
    expect(delta.update[0]!.roles).toEqual(['admin', 'user', 'bot']);
    expect(delta.remove).toEqual([]);
    const ev = await user.waitFor((f) => f.collection === 'stream-notify-logged' && f.fields?.eventName === 'permissions-changed', 5000, from);
    expect(ev.fields.args).toEqual(['updated', { _id: 'create-c', roles: ['admin', 'user', 'bot'] }]);
  });

  it('public-settings/get: public settings only, as {_id, value}, for anyone', async () => {
    const list = (await anon.call('public-settings/get')) as Array<{ _id: string; value: unknown }>;
    const ids = list.map((s) => s._id);
    expect(ids).toContain('Accounts_RegistrationForm');
    expect(ids).not.toContain('DDP_Rate_Limit_IP_Enabled');
    expect(list.find((s) => s._id === 'Accounts_RegistrationForm')).toEqual({ _id: 'Accounts_RegistrationForm', value: 'Public' });
  });

  it('public-settings/get with a date: only settings changed since, private ones never', async () => {
    const since = new Date();
    await new Promise((r) => setTimeout(r, 5));
    expect(await admin.call('saveSettings', [{ _id: 'Site_Name', value: 'Lists' }, { _id: 'DDP_Rate_Limit_IP_Enabled', value: false }])).toBe(true);
    const delta = (await anon.call('public-settings/get', since)) as { update: Array<{ _id: string; value: unknown }>; remove: unknown[] };
    expect(delta).toEqual({ update: [{ _id: 'Site_Name', value: 'Lists' }], remove: [] });
  });

  it.each([['permissions/get'], ['public-settings/get']])('%s refuses a param that is not a date: 400', async (method) => {
    for (const bad of ['2020-01-01', 5, { a: 1 }]) expect((await user.callError(method, bad)).error).toBe(400);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../support/ddp-client.js';
import { ADMIN, startTestServer, type TestServer } from '../support/test-server.js';

describe('saveSettings / saveSetting (accounts.md)', () => {
  let server: TestServer;
  let admin: TestClient;
  let user: TestClient;
  let anon: TestClient;

  beforeAll(async () => {
    server = await startTestServer();
    admin = await TestClient.connect(server.url);
    await admin.login(ADMIN.username, ADMIN.password);
    await server.createUser('plain.user');
    user = await TestClient.connect(server.url);
    await user.login('plain.user', 'plain.user-pass');
    anon = await TestClient.connect(server.url);
  });
  afterAll(async () => {
    for (const c of [admin, user, anon]) for (const raw of c?.raw ?? []) expect(() => JSON.parse(raw)).not.toThrow();
    for (const c of [admin, user, anon]) c?.close();
    await server?.stop();
  });

  const setting = (id: string) => server.orbit.services.settings.get(id);

  it('admins may: result true, the value applies at once', async () => {
    expect(await admin.call('saveSettings', [{ _id: 'Message_MaxAllowedSize', value: 1234 }, { _id: 'Site_Name', value: 'Orbit Test' }])).toBe(true);
    expect(setting('Message_MaxAllowedSize')).toBe(1234);
    expect(setting('Site_Name')).toBe('Orbit Test');
    expect(await admin.call('saveSetting', 'Message_MaxAllowedSize', 5000)).toBe(true);
    expect(setting('Message_MaxAllowedSize')).toBe(5000);
  });

  it('a user without edit-privileged-setting, or nobody logged in: error-action-not-allowed with details.settingIds', async () => {
    const cases: Array<[TestClient, string, unknown[], string[]]> = [
      [user, 'saveSettings', [[{ _id: 'Site_Name', value: 'x' }, { _id: 'Message_MaxAllowedSize', value: 1 }]], ['Site_Name', 'Message_MaxAllowedSize']],
      [anon, 'saveSettings', [[{ _id: 'Site_Name', value: 'x' }]], ['Site_Name']],
      [user, 'saveSetting', ['Site_Name', 'x'], ['Site_Name']],
      [anon, 'saveSetting', ['Site_Name', 'x'], ['Site_Name']],
    ];
    for (const [c, method, params, settingIds] of cases) {
      const err = await c.callError(method, ...params);
      expect(err).toMatchObject({ error: 'error-action-not-allowed', reason: 'Editing settings is not allowed', details: { method, settingIds } });
    }
    expect(setting('Site_Name')).not.toBe('x');
  });

  it.each([
    ['a string for a boolean', 'Accounts_AllowAnonymousRead', 'yes'],
    ['a number for a boolean', 'Accounts_AllowAnonymousRead', 1],
    ['a fraction for an int', 'Message_MaxAllowedSize', 1.5],
    ['a numeric string for an int', 'Message_MaxAllowedSize', '10'],
    ['a number for a string', 'Site_Name', 7],
    ['an unknown option of a select', 'Accounts_RegistrationForm', 'Sometimes'],
    ['a string for a multiSelect', 'Hide_System_Messages', 'uj'],
  ])('type-checked: %s → 400, nothing stored', async (_n, id, value) => {
    const before = setting(id);
    expect((await admin.callError('saveSetting', id, value)).error).toBe(400);
    expect((await admin.callError('saveSettings', [{ _id: id, value }])).error).toBe(400);
    expect(setting(id)).toEqual(before);
  });

  it('malformed params → 400', async () => {
    expect((await admin.callRaw('saveSettings', [{ _id: 'Site_Name', value: 'x' }])).error?.error).toBe(400);
    expect((await admin.callRaw('saveSettings', [[{ value: 'x' }]])).error?.error).toBe(400);
    expect((await admin.callRaw('saveSetting', [5, 'x'])).error?.error).toBe(400);
  });

  it('decision: an unknown setting id is refused (error-invalid-setting) and nothing of the batch is stored', async () => {
    const err = await admin.callError('saveSettings', [{ _id: 'Site_Name', value: 'Partial' }, { _id: 'No_Such_Setting', value: 1 }]);
    expect(err.error).toBe('error-invalid-setting');
    expect(setting('Site_Name')).not.toBe('Partial');
  });

  it('a public setting change is announced on stream-notify-all public-settings-changed; a private one is not', async () => {
    const listener = await TestClient.connect(server.url);
    try {
      expect((await listener.sub('stream-notify-all', ['public-settings-changed', false])).ready).toBe(true);
      const from = listener.mark();
      await admin.call('saveSetting', 'DDP_Rate_Limit_IP_Requests_Allowed', 99_999);
      await admin.call('saveSetting', 'Site_Name', 'Announced');
      const args = await listener.nextEvent('stream-notify-all', 'public-settings-changed', () => true, { from });
      expect(args[0]).toBe('updated');
      expect(args[1]).toMatchObject({ _id: 'Site_Name', value: 'Announced' });
      await listener.settle(100);
      expect(listener.events('stream-notify-all', 'public-settings-changed').map((a: any) => a[1]._id)).toEqual(['Site_Name']);
    } finally {
      listener.close();
    }
  });

  it('takes effect without restart: registration switched off fails on the next call', async () => {
    const c = await TestClient.connect(server.url);
    try {
      await admin.call('saveSettings', [{ _id: 'Accounts_RegistrationForm', value: 'Disabled' }]);
      expect((await c.callError('registerUser', { email: 'late@example.com', pass: 'p', name: 'n' })).error).toBe('error-user-registration-disabled');
      await admin.call('saveSettings', [{ _id: 'Accounts_RegistrationForm', value: 'Public' }]);
      expect(typeof (await c.call('registerUser', { email: 'late@example.com', pass: 'p', name: 'n' }))).toBe('string');
    } finally {
      c.close();
    }
  });
});

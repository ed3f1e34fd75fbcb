import { createHash } from 'node:crypto';
import bcrypt from 'bcrypt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../support/ddp-client.js';
import { ADMIN, startTestServer, type TestServer } from '../support/test-server.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

describe('accounts: registerUser, getUserRoles, meteor.loginServiceConfiguration (accounts.md)', () => {
  let server: TestServer;
  let admin: TestClient;
  let clients: TestClient[] = [];
  const connect = async () => {
    const c = await TestClient.connect(server.url);
    clients.push(c);
    return c;
  };
  const form = (n: string, extra: Record<string, unknown> = {}) => ({ email: `${n}@example.com`, pass: `${n}-pw`, name: `  ${n} Name `, ...extra });

  beforeAll(async () => {
    server = await startTestServer();
    admin = await connect();
    await admin.login(ADMIN.username, ADMIN.password);
  });
  afterEach(async () => {
    await admin.call('saveSettings', [
      { _id: 'Accounts_RegistrationForm', value: 'Public' },
      { _id: 'Accounts_Password_Policy_Enabled', value: false },
    ]);
  });
  afterAll(async () => {
    for (const c of clients) for (const raw of c.raw) expect(() => JSON.parse(raw)).not.toThrow();
    for (const c of clients) c.close();
    await server?.stop();
  });

  describe('registerUser', () => {
    it('decision: stores the given username; creates an active user, role user, bcrypt over the digest; result = its id', async () => {
      const c = await connect();
      const id = await c.call('registerUser', form('Reg.One', { username: 'reg.one', email: 'Reg.One@Example.com' }));
      expect(typeof id).toBe('string');
      const u = (await server.orbit.services.store.users.findById(id))!;
      expect(u).toMatchObject({ _id: id, username: 'reg.one', name: 'Reg.One Name', roles: ['user'], active: true, emails: [{ address: 'reg.one@example.com', verified: false }] });
      expect(await bcrypt.compare(sha('Reg.One-pw'), u.services!.password!.bcrypt)).toBe(true);
      const login = await c.call('login', { user: { username: 'reg.one' }, password: 'Reg.One-pw' });
      expect(login.id).toBe(id);
    });

    it('joins GENERAL (name general, type c, default) with a `uj` message', async () => {
      const store = server.orbit.services.store;
      const general = (await store.rooms.findById('GENERAL'))!;
      expect(general).toMatchObject({ _id: 'GENERAL', name: 'general', t: 'c', default: true });
      const c = await connect();
      const id = await c.call('registerUser', form('reg.joins', { username: 'reg.joins' }));
      expect(await store.subscriptions.findByRoomAndUser('GENERAL', id)).toMatchObject({ rid: 'GENERAL', t: 'c', name: 'general', u: { _id: id, username: 'reg.joins' } });
      const history = await store.messages.listHistory('GENERAL', {}, 20);
      expect(history.find((m) => m.t === 'uj' && m.u._id === id)).toMatchObject({ msg: 'reg.joins', rid: 'GENERAL' });
      expect((await store.rooms.findById('GENERAL'))!.usersCount).toBe(general.usersCount + 1);
    });

    it('decision: without a username, one is made from the e-mail, unique with a numeric suffix', async () => {
      const c = await connect();
      const a = await c.call('registerUser', { email: 'same.local@one.example.com', pass: 'x1', name: 'A' });
      const b = await c.call('registerUser', { email: 'same.local@two.example.com', pass: 'x1', name: 'B', username: '' });
      const store = server.orbit.services.store;
      expect((await store.users.findById(a))!.username).toBe('same.local');
      expect((await store.users.findById(b))!.username).toBe('same.local1');
    });

    it('a taken e-mail → 403 "Email already exists."; a taken username → error-field-unavailable', async () => {
      const c = await connect();
      await c.call('registerUser', form('reg.dup', { username: 'reg.dup' }));
      const email = await c.callError('registerUser', form('reg.dup', { username: 'reg.other', email: 'REG.DUP@example.com' }));
      expect(email).toEqual({ isClientSafe: true, error: 403, reason: 'Email already exists.', message: 'Email already exists. [403]', errorType: 'Meteor.Error' });
      const name = await c.callError('registerUser', form('reg.dup2', { username: 'REG.DUP' }));
      expect(name.error).toBe('error-field-unavailable');
      expect(await server.orbit.services.store.users.findByEmail('reg.dup2@example.com')).toBeUndefined();
    });

    it('refuses a bad e-mail (error-invalid-email) and an invalid username', async () => {
      const c = await connect();
      const bad = await c.callError('registerUser', { email: 'not-an-email', pass: 'x', name: 'n' });
      expect(bad).toMatchObject({ error: 'error-invalid-email', details: { function: 'RocketChat.validateEmailDomain', email: 'not-an-email' } });
      expect((await c.callError('registerUser', form('reg.badname', { username: 'bad name!' }))).error).toBe('username-invalid');
    });

    it.each([
      ['no form', []],
      ['a string', ['x']],
      ['no pass', [{ email: 'a@b.io', name: 'n' }]],
      ['a numeric name', [{ email: 'a@b.io', pass: 'p', name: 5 }]],
      ['a numeric username', [{ email: 'a@b.io', pass: 'p', name: 'n', username: 5 }]],
    ])('type-checked: %s → 400', async (_n, params) => {
      const c = await connect();
      expect((await c.callRaw('registerUser', params as unknown[])).error?.error).toBe(400);
    });

    it('Disabled: error-user-registration-disabled (switched at runtime, next call)', async () => {
      const c = await connect();
      expect(await admin.call('saveSetting', 'Accounts_RegistrationForm', 'Disabled')).toBe(true);
      const err = await c.callError('registerUser', form('reg.disabled'));
      expect(err).toMatchObject({ error: 'error-user-registration-disabled', reason: 'User registration is disabled', details: { method: 'registerUser' } });
      await admin.call('saveSetting', 'Accounts_RegistrationForm', 'Public');
      expect(typeof (await c.call('registerUser', form('reg.disabled')))).toBe('string');
    });

    it('Secret URL: only with the right secret', async () => {
      const c = await connect();
      await admin.call('saveSetting', 'Accounts_RegistrationForm', 'Secret URL');
      const secret = server.orbit.services.settings.string('Accounts_RegistrationForm_SecretURL');
      expect(secret.length).toBeGreaterThan(10);
      expect((await c.callError('registerUser', form('reg.secret'))).error).toBe('error-user-registration-secret');
      expect((await c.callError('registerUser', form('reg.secret', { secretURL: 'guess' }))).error).toBe('error-user-registration-secret');
      expect(typeof (await c.call('registerUser', form('reg.secret', { secretURL: secret })))).toBe('string');
    });

    it('checks in Rocket.Chat\'s order: type, Disabled, Secret URL, password policy, e-mail syntax, e-mail taken, username', async () => {
      const c = await connect();
      await c.call('registerUser', form('reg.order', { username: 'reg.order' }));
      const code = async (f: unknown) => (await c.callError('registerUser', f)).error;
      await admin.call('saveSetting', 'Accounts_RegistrationForm', 'Disabled');
      expect(await code({ ...form('x'), name: 5 })).toBe(400);
      expect(await code(form('x', { pass: ' ', email: 'bad' }))).toBe('error-user-registration-disabled');
      await admin.call('saveSetting', 'Accounts_RegistrationForm', 'Secret URL');
      expect(await code(form('x', { pass: ' ', email: 'bad' }))).toBe('error-user-registration-secret');
      await admin.call('saveSetting', 'Accounts_RegistrationForm', 'Public');
      expect(await code(form('x', { pass: ' ', email: 'bad' }))).toBe('error-password-policy-not-met');
      expect(await code(form('x', { email: 'bad', username: 'reg.order' }))).toBe('error-invalid-email');
      expect(await code(form('reg.order', { username: 'bad name!' }))).toBe(403);
      expect(await code(form('reg.order2', { username: 'reg.order' }))).toBe('error-field-unavailable');
    });

    it('password policy: a blank password is always refused; decision: once enabled, the first broken rule\'s code is the error', async () => {
      const c = await connect();
      expect((await c.callError('registerUser', form('reg.blank', { pass: '   ' }))).error).toBe('error-password-policy-not-met');
      await admin.call('saveSetting', 'Accounts_Password_Policy_Enabled', true);
      expect((await c.callError('registerUser', form('reg.policy', { pass: 'Ab1!' }))).error).toBe('error-password-policy-not-met-minLength');
      expect(typeof (await c.call('registerUser', form('reg.policy', { pass: 'Abcd12!xyz' })))).toBe('string');
    });
  });

  describe('getUserRoles', () => {
    it('not logged in → error-invalid-user', async () => {
      const c = await connect();
      expect(await c.callError('getUserRoles')).toMatchObject({ error: 'error-invalid-user', details: { method: 'getUserRoles' } });
    });

    it('lists users holding a public role (with a description), only those roles, sorted by username', async () => {
      const agent = await server.createUser('aa.agent', { roles: ['user', 'livechat-agent', 'bot'] });
      await server.createUser('zz.plain');
      const c = await connect();
      await c.login('zz.plain', 'zz.plain-pass');
      const roles = await c.call('getUserRoles');
      const adminId = (await server.orbit.services.store.users.findByUsername('admin'))!._id;
      expect(roles).toEqual([
        { _id: agent._id, username: 'aa.agent', roles: ['livechat-agent'] },
        { _id: adminId, username: 'admin', roles: ['admin'] },
      ]);
      expect(c.raw.find((t) => t.includes('"livechat-agent"'))).toContain(`{"_id":"${agent._id}","username":"aa.agent","roles":["livechat-agent"]}`);
    });
  });

  it('meteor.loginServiceConfiguration answers ready (no documents), logged in or not', async () => {
    const c = await connect();
    const from = c.mark();
    const sub = await c.sub('meteor.loginServiceConfiguration');
    expect(sub.ready).toBe(true);
    expect(c.frames.slice(from).filter((f) => f.msg === 'added')).toEqual([]);
    await c.login(ADMIN.username, ADMIN.password);
    expect((await c.sub('meteor.loginServiceConfiguration')).ready).toBe(true);
  });
});

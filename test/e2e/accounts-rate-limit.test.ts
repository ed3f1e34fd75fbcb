import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../support/ddp-client.js';
import { ADMIN, startTestServer, type TestServer } from '../support/test-server.js';

const REASON = /^Error, too many requests\. Please slow down\. You must wait \d+ seconds before trying again\.$/;

describe('DDP rate limiting, on (ORBIT_RATE_LIMIT=true; ddp.md §6.4)', () => {
  let server: TestServer;
  let admin: TestClient;
  const clients: TestClient[] = [];
  const connect = async () => {
    const c = await TestClient.connect(server.url);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    server = await startTestServer({ ORBIT_RATE_LIMIT: 'true' });
    await server.createUser('rl.user');
    admin = await connect();
    await admin.login(ADMIN.username, ADMIN.password);
  });
  afterAll(async () => {
    for (const c of clients) for (const raw of c.raw) expect(() => JSON.parse(raw)).not.toThrow();
    for (const c of clients) c.close();
    await server?.stop();
  });

  it('login: 5 attempts per 10 s per connection, then too-many-requests with details.timeToReset (ms)', async () => {
    const c = await connect();
    for (let i = 0; i < 5; i++) expect((await c.callError('login', { user: { username: 'rl.user' }, password: 'wrong' })).error).toBe(403);
    const refused = await c.callError('login', { user: { username: 'rl.user' }, password: 'rl.user-pass' });
    expect(refused).toMatchObject({ isClientSafe: true, error: 'too-many-requests', errorType: 'Meteor.Error' });
    expect(refused.reason).toMatch(REASON);
    expect(refused.message).toBe(`${refused.reason} [too-many-requests]`);
    expect(refused.details.timeToReset).toBeGreaterThan(5000);
    expect(refused.details.timeToReset).toBeLessThanOrEqual(10_000);
    expect(refused.reason).toContain(`wait ${Math.ceil(refused.details.timeToReset / 1000)} seconds`);
    // the limit is per connection: a fresh one logs in
    const other = await connect();
    expect((await other.login('rl.user', 'rl.user-pass')).id).toBeTruthy();
  });

  it('per connection per method: 10 calls / 10 s, the 11th is refused', async () => {
    const c = await connect();
    await c.login('rl.user', 'rl.user-pass');
    for (let i = 0; i < 10; i++) expect(await c.call('getUserRoles')).toBeInstanceOf(Array);
    expect((await c.callError('getUserRoles')).error).toBe('too-many-requests');
    // another method on the same connection is not affected
    expect((await c.callRaw('logout', [])).error).toBeUndefined();
  });

  it('subscriptions count too: stream- names get 4× (40 per connection), then nosub too-many-requests', async () => {
    const c = await connect();
    for (let i = 0; i < 40; i++) expect((await c.sub('stream-notify-all', [`ev-${i}`, false])).ready).toBe(true);
    const refused = await c.sub('stream-notify-all', ['ev-x', false]);
    expect(refused.ready).toBe(false);
    expect(refused.error).toMatchObject({ error: 'too-many-requests' });
  });

  it('a DDP_Rate_Limit_* setting changed at runtime takes effect', async () => {
    await admin.call('saveSetting', 'DDP_Rate_Limit_Connection_By_Method_Requests_Allowed', 3);
    const c = await connect();
    for (let i = 0; i < 3; i++) expect((await c.callRaw('logout', [])).error).toBeUndefined();
    expect((await c.callError('logout')).error).toBe('too-many-requests');

    await admin.call('saveSetting', 'DDP_Rate_Limit_Connection_By_Method_Enabled', false);
    const d = await connect();
    for (let i = 0; i < 15; i++) expect((await d.callRaw('logout', [])).error).toBeUndefined();

    await admin.call('saveSettings', [
      { _id: 'DDP_Rate_Limit_Connection_By_Method_Enabled', value: true },
      { _id: 'DDP_Rate_Limit_Connection_By_Method_Requests_Allowed', value: 10 },
    ]);
  });

  it('registerUser: 1 per minute server-wide by default; raising Rate_Limiter_Limit_RegisterUser lets more through', async () => {
    const a = await connect();
    const b = await connect();
    expect(typeof (await a.call('registerUser', { email: 'rl1@example.com', pass: 'p', name: 'n' }))).toBe('string');
    const refused = await b.callError('registerUser', { email: 'rl2@example.com', pass: 'p', name: 'n' });
    expect(refused.error).toBe('too-many-requests');
    expect(refused.details.timeToReset).toBeGreaterThan(50_000);
    await admin.call('saveSetting', 'Rate_Limiter_Limit_RegisterUser', 10);
    expect(typeof (await b.call('registerUser', { email: 'rl2@example.com', pass: 'p', name: 'n' }))).toBe('string');
  });
});

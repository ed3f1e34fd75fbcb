import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../support/ddp-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { uniq } from './messages-support.js';
import { call, failed, get, post, restLogin } from './rest-support.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

describe('REST POST /api/v1/login', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('{username, password}: 200 {status:"success", data:{userId, authToken, me}, success:true}', async () => {
    const u = await server.createUser(uniq('rl'), { name: 'Rest Login' });
    const r = await post(server, 'login', { username: u.username, password: `${u.username}-pass` });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'success', success: true, data: { userId: u._id, authToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) } });
    expect(Object.keys(r.body.data)).toEqual(['userId', 'authToken', 'me']);
    expect(r.body.data.me).toMatchObject({
      _id: u._id,
      username: u.username,
      name: 'Rest Login',
      active: true,
      roles: ['user'],
      settings: { profile: {}, preferences: {} },
      services: { password: { exists: true } },
    });
    // Never a password hash or a login token.
    expect(JSON.stringify(r.body)).not.toContain('bcrypt');
    expect(JSON.stringify(r.body)).not.toContain('loginTokens');
  });

  it('every credential form Rocket.Chat accepts: user (name or email), email, user selector, digest password', async () => {
    const u = await server.createUser(uniq('rf'), { email: `${uniq('mail')}@example.com` });
    const email = u.emails![0]!.address;
    const pass = `${u.username}-pass`;
    const forms: Record<string, unknown>[] = [
      { user: u.username, password: pass },
      { user: email, password: pass },
      { email, password: pass },
      { user: { username: u.username }, password: pass },
      { user: { id: u._id }, password: pass },
      { username: u.username, password: { digest: sha(pass), algorithm: 'sha-256' } },
      { username: u.username, password: pass, code: '123456' },
    ];
    for (const form of forms) {
      const r = await post(server, 'login', form);
      expect(r.status, JSON.stringify(form)).toBe(200);
      expect(r.body.data.userId).toBe(u._id);
    }
  });

  it('{resume: token} logs in again with a token from a previous login', async () => {
    const u = await server.createUser(uniq('rr'));
    const { authToken } = await restLogin(server, u);
    const r = await post(server, 'login', { resume: authToken });
    expect(r.status).toBe(200);
    expect(r.body.data).toMatchObject({ userId: u._id, authToken });
  });

  it('the token resumes a DDP session and authenticates REST calls', async () => {
    const u = await server.createUser(uniq('rt'));
    const creds = await restLogin(server, u);
    const c = await TestClient.connect(server.url);
    expect(await c.call('login', { resume: creds.authToken })).toMatchObject({ id: u._id, type: 'resume' });
    c.close();
    const info = await get(server, 'rooms.info', { roomId: 'GENERAL' }, creds);
    expect(info.status).toBe(200);
  });

  it('wrong password and unknown user: the same 401 {status:"error", error:"Unauthorized", message:"Unauthorized"}', async () => {
    const u = await server.createUser(uniq('rw'));
    const wrong = await post(server, 'login', { username: u.username, password: 'nope' });
    const unknown = await post(server, 'login', { username: 'nobody-at-all', password: 'nope' });
    for (const r of [wrong, unknown]) {
      expect(r.status).toBe(401);
      expect(r.body).toEqual({ success: false, status: 'error', error: 'Unauthorized', message: 'Unauthorized' });
    }
  });

  it('a deactivated user: 401 error-user-is-not-activated', async () => {
    const u = await server.createUser(uniq('rd'));
    await server.orbit.services.users.setActive(u._id, false);
    const r = await post(server, 'login', { username: u.username, password: `${u.username}-pass` });
    expect(r.status).toBe(401);
    expect(r.body).toMatchObject({ success: false, status: 'error', error: 'error-user-is-not-activated', message: 'User is not activated' });
  });

  it('an unknown resume token: 401 with error 403', async () => {
    const r = await post(server, 'login', { resume: 'not-a-token' });
    expect(r.status).toBe(401);
    expect(r.body).toMatchObject({ success: false, status: 'error', error: 403 });
  });

  it('no password (or an empty body): 401 "Unrecognized options for login request" with error 400', async () => {
    for (const body of [{}, { username: 'someone' }]) {
      const r = await post(server, 'login', body);
      expect(r.status).toBe(401);
      expect(r.body).toEqual({ success: false, status: 'error', error: 400, message: 'Unrecognized options for login request' });
    }
  });

  it('decision: wrong types or unknown keys are 400 invalid-params (never 500)', async () => {
    const u = await server.createUser(uniq('rx'));
    const pass = `${u.username}-pass`;
    const bodies: unknown[] = [
      { username: { $ne: '' }, password: pass },
      { username: u.username, password: 12345 },
      { username: u.username, password: { $gt: '' } },
      { user: ['a'], password: pass },
      { user: { username: u.username, extra: 1 }, password: pass },
      { username: u.username, password: pass, isAdmin: true },
      { resume: { $ne: null } },
      { resume: 'x', username: u.username },
    ];
    for (const body of bodies) {
      const r = await post(server, 'login', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body).toMatchObject(failed('invalid-params'));
    }
  });

  it('a body that is not JSON, or JSON that is not an object: 400', async () => {
    for (const body of ['{"username": ', 'not json', '[1,2]', '"text"', 'null', '42']) {
      const r = await call(server, 'POST', 'login', { body });
      expect(r.status, body).toBe(400);
      expect(r.body).toMatchObject({ success: false, error: expect.any(String) });
    }
  });

  it('a body over 64 KiB: 413, and the server keeps serving', async () => {
    const big = JSON.stringify({ username: 'x', password: 'y'.repeat(70 * 1024) });
    const r = await call(server, 'POST', 'login', { body: big });
    expect(r.status).toBe(413);
    expect(r.body).toEqual({ success: false, error: 'Payload Too Large' });
    const u = await server.createUser(uniq('rb'));
    expect((await restLogin(server, u)).userId).toBe(u._id);
  });

  it('a body just under the limit is read', async () => {
    const r = await post(server, 'login', { username: 'nobody-at-all', password: 'y'.repeat(200), pad: 'z'.repeat(60 * 1024) });
    expect(r.status).toBe(400); // the unknown key, not the size
  });

  it('GET /api/v1/login: 405', async () => {
    const r = await call(server, 'GET', 'login');
    expect(r.status).toBe(405);
    expect(r.body).toMatchObject({ success: false });
  });
});

describe('REST rate limit (ORBIT_RATE_LIMIT=true)', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ ORBIT_RATE_LIMIT: 'true' });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('the 11th login from one address within the window: 429 error-too-many-requests', async () => {
    const statuses: number[] = [];
    let last: any;
    for (let i = 0; i < 11; i++) {
      const r = await post(server, 'login', { username: 'nobody-at-all', password: 'nope' });
      statuses.push(r.status);
      last = r.body;
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses[10]).toBe(429);
    expect(last).toEqual({ success: false, error: expect.stringMatching(/too many requests.*\[error-too-many-requests\]$/) });
  });

  it('a caller with api-bypass-rate-limit (bot) is not counted; one without it is', async () => {
    const botUser = await server.createUser(uniq('rlb'), { roles: ['bot'] });
    const plain = await server.createUser(uniq('rlu'));
    // Logins are already over the limit for this address: take the tokens from the service.
    const botCreds = { userId: botUser._id, authToken: (await server.orbit.services.auth.loginWithPassword({ username: botUser.username! }, { plain: `${botUser.username}-pass` })).token };
    const userCreds = { userId: plain._id, authToken: (await server.orbit.services.auth.loginWithPassword({ username: plain.username! }, { plain: `${plain.username}-pass` })).token };
    const botStatuses: number[] = [];
    for (let i = 0; i < 12; i++) botStatuses.push((await get(server, 'rooms.info', { roomId: 'GENERAL' }, botCreds)).status);
    expect(botStatuses).not.toContain(429);
    const userStatuses: number[] = [];
    for (let i = 0; i < 12; i++) userStatuses.push((await get(server, 'rooms.info', { roomId: 'GENERAL' }, userCreds)).status);
    expect(userStatuses.slice(10)).toEqual([429, 429]);
  });
});

import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../support/ddp-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { uniq } from './messages-support.js';
import { call, get, restLogin, type Creds } from './rest-support.js';

/** Every authenticated endpoint, with a request that would succeed for a logged-in member. */
const ENDPOINTS: Array<{ method: 'GET' | 'POST'; path: string; body?: unknown; query?: Record<string, string> }> = [
  { method: 'POST', path: 'chat.sendMessage', body: { message: { rid: 'GENERAL', msg: 'x' } } },
  { method: 'GET', path: 'chat.getRoomIdByNameOrId', query: { name: 'GENERAL' } },
  { method: 'POST', path: 'channels.join', body: { roomId: 'GENERAL' } },
  { method: 'GET', path: 'rooms.info', query: { roomId: 'GENERAL' } },
  { method: 'POST', path: 'im.create', body: { username: 'admin' } },
  { method: 'POST', path: 'dm.create', body: { username: 'admin' } },
];

const NOT_LOGGED_IN = {
  success: false,
  error: 'You must be logged in to do this.',
  status: 'error',
  message: 'You must be logged in to do this.',
};

describe('REST authentication (X-User-Id + X-Auth-Token)', () => {
  let server: TestServer;
  let creds: Creds;

  beforeAll(async () => {
    server = await startTestServer();
    creds = await restLogin(server, await server.createUser(uniq('ra')));
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('with a valid token every endpoint serves the request', async () => {
    for (const e of ENDPOINTS) {
      const r = await call(server, e.method, e.path, { ...e, creds });
      expect(r.status, e.path).toBe(200);
    }
  });

  it('no headers, a wrong token, another user\'s id, or a missing half: 401 on every endpoint', async () => {
    const other = await restLogin(server, await server.createUser(uniq('ro')));
    const variants: Array<Record<string, string>> = [
      {},
      { 'x-user-id': creds.userId },
      { 'x-auth-token': creds.authToken },
      { 'x-user-id': creds.userId, 'x-auth-token': 'wrong-token' },
      { 'x-user-id': other.userId, 'x-auth-token': creds.authToken },
      { 'x-user-id': '', 'x-auth-token': '' },
    ];
    for (const e of ENDPOINTS) {
      for (const headers of variants) {
        const r = await call(server, e.method, e.path, { ...e, headers });
        expect(r.status, `${e.path} ${JSON.stringify(headers)}`).toBe(401);
        expect(r.body).toEqual(NOT_LOGGED_IN);
      }
    }
  });

  it('the token is checked before the body: a bad body without a token is still 401', async () => {
    const r = await call(server, 'POST', 'chat.sendMessage', { body: '{nope' });
    expect(r.status).toBe(401);
  });

  it('a token forgotten by a DDP logout stops working for REST', async () => {
    const u = await server.createUser(uniq('rlo'));
    const mine = await restLogin(server, u);
    expect((await get(server, 'rooms.info', { roomId: 'GENERAL' }, mine)).status).toBe(200);
    const c = await TestClient.connect(server.url);
    await c.call('login', { resume: mine.authToken });
    await c.call('logout');
    c.close();
    expect((await get(server, 'rooms.info', { roomId: 'GENERAL' }, mine)).status).toBe(401);
  });

  it('a deactivated user\'s token: 401', async () => {
    const u = await server.createUser(uniq('rde'));
    const mine = await restLogin(server, u);
    await server.orbit.services.users.setActive(u._id, false);
    expect((await get(server, 'rooms.info', { roomId: 'GENERAL' }, mine)).status).toBe(401);
  });

  it('a wrong method on a known path: 405; an unknown path: 404', async () => {
    expect((await call(server, 'GET', 'chat.sendMessage', { creds })).status).toBe(405);
    expect((await call(server, 'POST', 'rooms.info', { creds, body: {} })).status).toBe(405);
    const unknown = await call(server, 'GET', 'no.such.endpoint', { creds });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ success: false });
  });

  it('a chunked body over 64 KiB (no Content-Length) is cut off with 413', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: server.port,
          method: 'POST',
          path: '/api/v1/chat.sendMessage',
          headers: { 'content-type': 'application/json', 'x-user-id': creds.userId, 'x-auth-token': creds.authToken },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.write('{"message":{"rid":"GENERAL","msg":"');
      const chunk = 'a'.repeat(8 * 1024);
      for (let i = 0; i < 9; i++) req.write(chunk);
      req.end('"}}');
    });
    expect(status).toBe(413);
    // Nothing was sent, and the server still answers.
    expect((await get(server, 'rooms.info', { roomId: 'GENERAL' }, creds)).status).toBe(200);
  });
});

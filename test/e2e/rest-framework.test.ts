import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeUrl } from '../../src/http/rest/route.js';
import { startTestServer, ADMIN, type TestServer } from '../support/test-server.js';
import { uniq } from './messages-support.js';
import { call, restLogin, type Creds } from './rest-support.js';

/** A raw request: the body is sent exactly as given, with exactly these headers. */
async function raw(server: TestServer, method: string, path: string, headers: Record<string, string>, body?: string) {
  const res = await fetch(`http://127.0.0.1:${server.port}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

describe('REST framework: bodies, media types, OpenAPI, CORS', () => {
  let server: TestServer;
  let creds: Creds;

  beforeAll(async () => {
    server = await startTestServer();
    creds = await restLogin(server, await server.createUser(uniq('rfw')));
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('malformed JSON, a __proto__ key, a JSON array body: 400, never a 500; the server keeps serving', async () => {
    const h = { 'content-type': 'application/json' };
    for (const body of ['{nope', '{"__proto__":{"isAdmin":true},"user":"x","password":"y"}', '{"a":1,"constructor":{"prototype":{}}}']) {
      const r = await raw(server, 'POST', '/api/v1/login', h, body);
      expect(r.status, body).toBe(400);
      expect(r.body).toEqual({ success: false, error: 'Invalid JSON body' });
    }
    const arr = await call(server, 'POST', 'chat.sendMessage', { body: '[1,2]', creds });
    expect(arr.status).toBe(400);
    expect(arr.body).toMatchObject({ success: false, errorType: 'invalid-params' });
    expect((await call(server, 'GET', 'rooms.info', { query: { roomId: 'GENERAL' }, creds })).status).toBe(200);
  });

  it('a body of another media type: 415; JSON with a charset and form-encoded bodies are read', async () => {
    const text = await raw(server, 'POST', '/api/v1/login', { 'content-type': 'text/plain' }, 'user=a');
    expect(text.status).toBe(415);
    expect(text.body).toEqual({ success: false, error: 'Unsupported Media Type' });
    const xml = await raw(server, 'POST', '/api/v1/login', { 'content-type': 'application/xml' }, '<a/>');
    expect(xml.status).toBe(415);
    const form = await raw(server, 'POST', '/api/v1/login', { 'content-type': 'application/x-www-form-urlencoded' }, `user=${ADMIN.username}&password=${ADMIN.password}`);
    expect(form.status).toBe(200);
    expect(form.body).toMatchObject({ status: 'success', data: { authToken: expect.any(String) } });
    const charset = await raw(server, 'POST', '/api/v1/login', { 'content-type': 'application/json; charset=utf-8' }, JSON.stringify({ user: ADMIN.username, password: ADMIN.password }));
    expect(charset.status).toBe(200);
  });

  it('a body over the limit with Content-Length: 413 before it is read, and the connection is not reused', async () => {
    const r = await raw(server, 'POST', '/api/v1/login', { 'content-type': 'application/json' }, JSON.stringify({ user: 'x'.repeat(70_000), password: 'y' }));
    expect(r.status).toBe(413);
    expect(r.body).toEqual({ success: false, error: 'Payload Too Large' });
    expect(r.headers.get('connection')).toBe('close');
  });

  it('query values of the wrong shape (repeated keys, over-long ids): 400 invalid-params', async () => {
    const url = `http://127.0.0.1:${server.port}/api/v1/rooms.info?roomId=a&roomId=b`;
    const rep = await fetch(url, { headers: { 'x-user-id': creds.userId, 'x-auth-token': creds.authToken } });
    expect(rep.status).toBe(400);
    expect(await rep.json()).toMatchObject({ success: false, errorType: 'invalid-params', error: expect.stringMatching(/^roomId: .*\[invalid-params\]$/) });
    const long = await call(server, 'GET', 'rooms.info', { query: { roomId: 'x'.repeat(5000) }, creds });
    expect(long.status).toBe(400);
    expect(long.body.errorType).toBe('invalid-params');
  });

  it('GET /api/v1/openapi.json: an OpenAPI 3.1 document naming every registered route with its method', async () => {
    const r = await raw(server, 'GET', '/api/v1/openapi.json', {});
    expect(r.status).toBe(200);
    expect(r.body.openapi).toBe('3.1.0');
    const missing = server.orbit.restRoutes
      .filter((route) => {
        const path = routeUrl(route).replace(/:(\w+)/g, '{$1}');
        return !r.body.paths[path]?.[route.method.toLowerCase()];
      })
      .map((route) => `${route.method} ${route.path}`);
    expect(missing).toEqual([]);
    expect(server.orbit.restRoutes.length).toBeGreaterThan(5);
    const info = r.body.paths['/api/v1/rooms.info'].get;
    expect(info.parameters.map((p: { name: string }) => p.name)).toContain('roomId');
    expect(info.responses['200'].content['application/json'].schema.properties).toHaveProperty('room');
    expect(info.security).toEqual([{ userId: [], authToken: [] }]);
  });

  it('CORS: off by default; API_Enable_CORS / API_CORS_Origin turn it on live, preflight included', async () => {
    const origin = 'https://chat.example.com';
    const off = await raw(server, 'GET', '/api/info', { origin });
    expect(off.headers.get('access-control-allow-origin')).toBeNull();
    await server.orbit.services.settings.set('API_Enable_CORS', true);
    const any = await raw(server, 'GET', '/api/info', { origin });
    expect(any.headers.get('access-control-allow-origin')).toBe('*');
    await server.orbit.services.settings.set('API_CORS_Origin', 'https://a.example.com, https://chat.example.com');
    const listed = await raw(server, 'GET', '/api/info', { origin });
    expect(listed.headers.get('access-control-allow-origin')).toBe(origin);
    const other = await raw(server, 'GET', '/api/info', { origin: 'https://evil.example.com' });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const pre = await fetch(`http://127.0.0.1:${server.port}/api/v1/chat.sendMessage`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-auth-token,x-user-id,content-type' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-headers')).toMatch(/X-Auth-Token/);
    await server.orbit.services.settings.set('API_Enable_CORS', false);
    expect((await raw(server, 'GET', '/api/info', { origin })).headers.get('access-control-allow-origin')).toBeNull();
  });
});

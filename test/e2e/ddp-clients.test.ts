import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../support/ddp-client.js';
import { ADMIN, startTestServer, type TestServer } from '../support/test-server.js';

const require = createRequire(import.meta.url);
const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const silent = { debug() {}, info() {}, warn() {}, error() {} };

/** Every frame a socket received, kept raw so tests can assert each is valid JSON. */
class RecordingWebSocket extends WebSocket {
  static received: string[] = [];
  constructor(url: string) {
    super(url);
    this.on('message', (d) => RecordingWebSocket.received.push(d.toString()));
  }
}

describe('clients.md: every listed client connects, logs in and subscribes', () => {
  let server: TestServer;
  const clients: TestClient[] = [];
  const connect = async (version?: string, support?: string[]) => {
    const c = await TestClient.connect(server.url, version, support);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    server = await startTestServer({ ORBIT_HEARTBEAT_INTERVAL_MS: '200', ORBIT_HEARTBEAT_TIMEOUT_MS: '2000' });
    await server.createUser('client.bot', { roles: ['user', 'bot'] });
  });
  afterAll(async () => {
    for (const raw of [...clients.flatMap((c) => c.raw), ...RecordingWebSocket.received]) expect(() => JSON.parse(raw)).not.toThrow();
    for (const c of clients) c.close();
    await server?.stop();
  });

  /** Exactly one `ready` per sub id (the alpha SDK matches `subs[0]`). */
  function expectOneReadyEach(c: TestClient): void {
    const readies = c.frames.filter((f) => f.msg === 'ready');
    for (const r of readies) expect(r.subs).toHaveLength(1);
    const ids = readies.map((r) => r.subs[0]);
    expect(new Set(ids).size).toBe(ids.length);
  }

  it('@rocket.chat/sdk 0.2.9 (bots): pre2 only, plain-text login, pings with id, loginServiceConfiguration, resume on reconnect', async () => {
    const c = await connect('pre2', ['pre2']);
    const login = await c.call('login', { user: { username: 'client.bot' }, password: 'client.bot-pass' });
    expect(login).toMatchObject({ id: expect.any(String), token: expect.any(String), type: 'password' });
    expect(login.tokenExpires).toBeInstanceOf(Date);
    const from = c.mark();
    c.send({ msg: 'ping', id: 'sdk-ping-1' });
    expect(await c.waitFor((f) => f.msg === 'pong', 2000, from)).toEqual({ msg: 'pong', id: 'sdk-ping-1' });
    expect((await c.sub('meteor.loginServiceConfiguration')).ready).toBe(true);
    // subscribeToMessages: the stream document is `added` before `ready`
    const before = c.mark();
    const msgs = await c.sub('stream-room-messages', ['__my_messages__', true]);
    expect(msgs.ready).toBe(true);
    const frames = c.frames.slice(before);
    const added = frames.findIndex((f) => f.msg === 'added' && f.collection === 'stream-room-messages');
    expect(frames[added]).toEqual({ msg: 'added', collection: 'stream-room-messages', id: 'id', fields: { eventName: '__my_messages__' } });
    expect(added).toBeLessThan(frames.findIndex((f) => f.msg === 'ready'));
    // the server pings after silence (no id); the client answers and stays
    await c.waitFor((f) => f.msg === 'ping' && f.id === undefined, 2000);
    // reconnect: resume with the token
    const again = await connect('pre2', ['pre2']);
    const resumed = await again.call('login', { resume: login.token });
    expect(resumed).toMatchObject({ id: login.id, token: login.token, type: 'resume' });
    expect(resumed.tokenExpires).toBeInstanceOf(Date);
    expect((await again.sub('meteor.loginServiceConfiguration')).ready).toBe(true);
    expectOneReadyEach(c);
  });

  it('@rocket.chat/sdk 1.0 / @rocket.chat/ddp-client: "1" with full support list, digest login, ping without id, one ready per sub', async () => {
    const c = await connect('1', ['1', 'pre2', 'pre1']);
    const login = await c.call('login', { user: { username: 'client.bot' }, password: { digest: sha('client.bot-pass'), algorithm: 'sha-256' } });
    expect(c.raw.find((t) => t.includes('"tokenExpires"'))).toMatch(/"tokenExpires":\{"\$date":\d+\}/);
    const from = c.mark();
    c.send({ msg: 'ping' });
    await c.waitFor((f) => f.msg === 'pong', 2000, from);
    expect(c.raw.slice(from)).toContain('{"msg":"pong"}');
    const token = await connect();
    expect((await token.call('login', { resume: login.token })).tokenExpires).toBeInstanceOf(Date);
    for (const ev of ['public-settings-changed', 'roles-change', 'permissions-changed']) {
      expect((await c.sub('stream-notify-all', [ev, { useCollection: false, args: [] }])).ready).toBe(true);
    }
    expectOneReadyEach(c);
  });

  it('pre1 sessions: accepted, ping is unknown to them, the server never pings them', async () => {
    const c = await connect('pre1', ['pre1']);
    const from = c.mark();
    c.send({ msg: 'ping', id: 'x' });
    expect(await c.waitFor((f) => f.msg === 'error', 2000, from)).toMatchObject({ reason: 'Bad request' });
    expect((await c.login('client.bot', 'client.bot-pass')).id).toBeTruthy();
    await c.settle(400);
    expect(c.frames.some((f) => f.msg === 'ping')).toBe(false);
  });

  it('ddp 0.12 (node): retries with the version that `failed` names', async () => {
    const first = await TestClient.open(server.url);
    clients.push(first);
    first.send({ msg: 'connect', version: 'pre1', support: ['1', 'pre2', 'pre1'] });
    const failed = await first.waitFor((f) => f.msg === 'failed');
    expect(failed).toEqual({ msg: 'failed', version: '1' });
    await first.closed();
    const retry = await connect(failed.version, ['1', 'pre2', 'pre1']);
    expect(retry.session).toBeTruthy();
  });

  it('simpleddp + simpleddp-plugin-login (real npm client): connect, login, call, subscribe, logout', async () => {
    const simpleDDP = require('simpleddp');
    const { simpleDDPLogin } = require('simpleddp-plugin-login');
    const client = new simpleDDP({ endpoint: server.url, SocketConstructor: RecordingWebSocket, reconnectInterval: 60_000 }, [simpleDDPLogin]);
    try {
      await client.connect();
      const login = await client.login({ user: { username: 'client.bot' }, password: { digest: sha('client.bot-pass'), algorithm: 'sha-256' } });
      expect(login).toMatchObject({ id: client.userId, type: 'password' });
      expect(login.tokenExpires).toBeInstanceOf(Date); // simpleddp decodes EJSON
      const roles = await client.call('getUserRoles');
      expect(roles).toEqual(expect.arrayContaining([expect.objectContaining({ username: 'admin', roles: ['admin'] })]));
      const sub = client.subscribe('meteor.loginServiceConfiguration');
      await sub.ready();
      expect(sub.isReady()).toBe(true);
      const stream = client.subscribe('stream-notify-all', 'public-settings-changed', false);
      await stream.ready();
      await client.logout();
      expect(client.userId).toBeUndefined();
    } finally {
      await client.disconnect();
    }
  });

  it('ddp.js 2 (real npm client): connect, method, sub', async () => {
    const DDP = require('ddp.js').default ?? require('ddp.js');
    const ddp = new DDP({ endpoint: server.url, SocketConstructor: RecordingWebSocket, autoReconnect: false });
    const next = (event: string, pred: (m: any) => boolean = () => true) =>
      new Promise<any>((resolve) => {
        const handler = (m: any) => {
          if (pred(m)) {
            ddp.off(event, handler);
            resolve(m);
          }
        };
        ddp.on(event, handler);
      });
    try {
      await next('connected');
      const loginId = ddp.method('login', [{ user: { username: ADMIN.username }, password: ADMIN.password }]);
      const login = await next('result', (m) => m.id === loginId);
      expect(login.result).toMatchObject({ type: 'password', tokenExpires: { $date: expect.any(Number) } });
      const rolesId = ddp.method('getUserRoles', []);
      expect((await next('result', (m) => m.id === rolesId)).result).toBeInstanceOf(Array);
      const subId = ddp.sub('meteor.loginServiceConfiguration', []);
      expect((await next('ready', (m) => m.subs.includes(subId))).subs).toEqual([subId]);
      const badId = ddp.sub('no.such.thing', []);
      expect((await next('nosub', (m) => m.id === badId)).error.error).toBe(404);
    } finally {
      ddp.disconnect();
    }
  });

  it('@rocket.chat/sdk 1.0 DDP socket (real npm client): connect, digest login, call, subscribe', async () => {
    const { Socket } = require('@rocket.chat/sdk/lib/drivers/ddp.js');
    const socket = new Socket({ host: `http://127.0.0.1:${server.port}`, logger: silent, timeout: 60_000, reopen: 60_000 });
    try {
      await socket.open();
      const login = await socket.login({ username: 'client.bot', password: 'client.bot-pass' });
      expect(login.result ?? login).toMatchObject({ type: 'password' });
      expect(await socket.call('getUserRoles')).toBeInstanceOf(Array);
      const sub = await socket.subscribe('meteor.loginServiceConfiguration', []);
      expect(sub.id).toBeTruthy();
      const stream = await socket.subscribe('stream-notify-all', ['public-settings-changed', { useCollection: false, args: [] }]);
      expect(stream.id).toBeTruthy();
    } finally {
      await socket.close();
    }
  });
});

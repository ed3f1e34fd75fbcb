import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allMethods } from '../../src/realtime/methods/index.js';
import { TestClient, type Frame } from '../support/ddp-client.js';
import { ADMIN, startTestServer, type TestServer } from '../support/test-server.js';

/** Deterministic randomness: a failing run can be replayed with the same seed. */
function mulberry32(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEED = 20_240_601;
const TOTAL_FRAMES = 10_000;
const CONNECTIONS = 4;
const HANDSHAKE_SOCKETS = 40;
const OWN_METHODS = ['login', 'logout', 'registerUser', 'getUserRoles', 'saveSettings', 'saveSetting'];
const STREAMS = ['stream-room-messages', 'stream-notify-room', 'stream-notify-user', 'stream-notify-logged', 'stream-notify-all', 'stream-notify-room-users'];
const PUBLICATIONS = [...STREAMS, 'meteor.loginServiceConfiguration', 'nope'];

function generator(rand: () => number, methods: string[]) {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const int = (n: number) => Math.floor(rand() * n);
  const str = (max = 12) => Array.from({ length: int(max) }, () => String.fromCharCode(32 + int(95))).join('');
  const unicode = (max = 12) => Array.from({ length: int(max) }, () => String.fromCodePoint(int(0xd7ff))).join('');

  function value(depth = 0): unknown {
    const kinds = depth > 3 ? 7 : 10;
    switch (int(kinds)) {
      case 0:
        return null;
      case 1:
        return rand() < 0.5;
      case 2:
        return pick([0, -1, 1.5, 1e308, -0, 2 ** 53, int(1000)]);
      case 3:
        return str();
      case 4:
        return unicode();
      case 5:
        return { $date: pick([0, Date.now(), -1, 8.64e15]) };
      case 6:
        return pick(['GENERAL', 'general', 'admin', '', ' ', '__my_messages__', 'GENERAL/typing', '$where', '../..', 'x'.repeat(300)]);
      case 7:
        return Array.from({ length: int(4) }, () => value(depth + 1));
      case 8:
        return Object.fromEntries(Array.from({ length: int(4) }, () => [pick(['_id', 'rid', 'msg', 'user', 'password', 'resume', 'value', 'email', 'pass', 'name', str(6)]), value(depth + 1)]));
      default:
        return { $binary: 'AAEC' };
    }
  }

  const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
  const wellFormed = (): Frame => {
    switch (int(6)) {
      case 0:
        return { msg: 'method', id: str(6) || 'm', method: pick(methods), params: Array.from({ length: int(4) }, () => value()) };
      case 1:
        return { msg: 'sub', id: str(6) || 's', name: pick(PUBLICATIONS), params: Array.from({ length: int(3) }, () => value()) };
      case 2:
        return { msg: 'unsub', id: str(4) };
      case 3:
        return { msg: 'ping', ...(rand() < 0.5 ? { id: value() } : {}) };
      case 4:
        return { msg: 'connect', version: value(), support: value() };
      default:
        return { msg: pick(['pong', 'result', 'added', 'ready', 'nosub', 'updated', 'error', str(5)]), id: value() };
    }
  };

  /** One hostile frame: text, or a Buffer to send as a binary frame. */
  return (): string | Buffer => {
    switch (int(10)) {
      case 0: // random bytes as a binary frame
        return Buffer.from(Array.from({ length: 1 + int(64) }, () => int(256)));
      case 1: // random text
        return rand() < 0.5 ? str(80) : unicode(80);
      case 2: {
        // truncated JSON
        const text = JSON.stringify(wellFormed());
        return text.slice(0, int(text.length));
      }
      case 3: {
        // wrong types in every field
        const f = wellFormed();
        for (const k of Object.keys(f)) if (rand() < 0.7) f[k] = value();
        return JSON.stringify(f);
      }
      case 4: // objects / arrays where strings belong
        return JSON.stringify({ msg: pick([{}, [], { $date: 1 }, 'method']), id: pick([{}, [], 5, null]), method: pick([{}, ['login'], null]), name: { a: 1 }, params: pick([{}, 'x', 5, null]) });
      case 5: // deep nesting
        return rand() < 0.02 ? `{"msg":"method","id":"deep","method":"login","params":${nested(100_000)}}` : `{"msg":"method","id":"n","method":"${pick(methods)}","params":${nested(1 + int(2000))}}`;
      case 6: // EJSON abuse
        return pick(['{"msg":"method","id":"e","method":"login","params":[{"$date":"x"}]}', '{"$escape":1}', '{"msg":"sub","id":"e","name":"x","params":[{"$binary":"%%%"}]}', '{"msg":"method","id":"e","method":"x","params":[{"$InfNaN":3}]}', '{"$type":"oid","$value":"x"}']);
      case 7: // JSON that is not an object
        return pick(['null', '1', '"str"', '[]', '[1,2]', 'true', '[["x"]]', '["{\\"msg\\":\\"ping\\"}"]']);
      default: // well-formed messages with hostile values (the real methods and publications see them)
        return JSON.stringify(wellFormed());
    }
  };
}

describe('fuzz: 10,000 random and malformed frames', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
    await server.createUser('fuzz.user');
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('the server answers, stays up, and serves a fresh connection afterwards', { timeout: 120_000 }, async () => {
    const rand = mulberry32(SEED);
    const methods = [...Object.keys(allMethods(server.orbit.services)), ...STREAMS, 'nope'];
    const next = generator(rand, methods);

    // Handshake fuzz: a hostile first frame on fresh sockets (a bad connect closes them).
    for (let i = 0; i < HANDSHAKE_SOCKETS; i++) {
      const ws = new WebSocket(server.url);
      await new Promise((r) => ws.once('open', r));
      const closed = new Promise((r) => ws.once('close', r));
      ws.send(next());
      ws.send(JSON.stringify({ msg: 'connect', version: rand() < 0.5 ? '2' : 1, support: [rand()] }));
      await closed;
    }

    // Connected sessions (half logged in) each get a share of the burst.
    const clients: TestClient[] = [];
    for (let i = 0; i < CONNECTIONS; i++) {
      const c = await TestClient.connect(server.url);
      if (i % 2 === 1) await c.login('fuzz.user', 'fuzz.user-pass');
      clients.push(c);
    }
    const sentMethods = new Map<string, string>();
    for (let i = 0; i < TOTAL_FRAMES - HANDSHAKE_SOCKETS; i++) {
      const c = clients[i % CONNECTIONS]!;
      const frame = next();
      if (typeof frame === 'string' && frame.startsWith('{"msg":"method"')) {
        try {
          const m = JSON.parse(frame);
          if (typeof m.id === 'string' && typeof m.method === 'string') sentMethods.set(m.id, m.method);
        } catch {
          // truncated: not a call
        }
      }
      c.sendRaw(frame);
      if (i % 500 === 0) await new Promise((r) => setImmediate(r));
    }
    // A last call on each connection runs after everything queued before it.
    for (const [i, c] of clients.entries()) {
      if (c.ws.readyState === WebSocket.OPEN) c.send({ msg: 'method', id: `end-${i}`, method: 'logout', params: [] });
    }
    for (const [i, c] of clients.entries()) {
      if (c.ws.readyState !== WebSocket.OPEN) continue;
      await c.waitFor((f) => f.msg === 'result' && f.id === `end-${i}`, 60_000);
    }

    // Every frame the server sent parsed (TestClient parses each one) and none was a 500 from our own methods.
    const internal = clients.flatMap((c) => c.frames.filter((f) => f.msg === 'result' && f.error?.error === 500).map((f) => sentMethods.get(f.id) ?? `?${f.id}`));
    expect(internal.filter((m) => OWN_METHODS.includes(m))).toEqual([]);
    if (internal.length > 0) console.warn(`fuzz: 500 Internal server error from ${[...new Set(internal)].join(', ')}`);
    const open = clients.filter((c) => c.ws.readyState === WebSocket.OPEN).length;
    expect(open).toBe(CONNECTIONS); // protocol errors never drop the socket
    for (const c of clients) c.close();

    const fresh = await TestClient.connect(server.url);
    const login = await fresh.login(ADMIN.username, ADMIN.password);
    expect(login.id).toBeTruthy();
    expect(await fresh.call('getUserRoles')).toBeInstanceOf(Array);
    fresh.close();
  });
});

import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloseCode } from '../../src/ddp/transport.js';
import { TestClient } from '../support/ddp-client.js';
import { ADMIN, startTestServer, type TestServer } from '../support/test-server.js';

/** A socket that answers nothing (not even pings): raw frames in, close code out. */
async function mute(url: string) {
  const ws = new WebSocket(url);
  const frames: string[] = [];
  ws.on('message', (d) => frames.push(d.toString()));
  const closed = new Promise<number>((r) => ws.on('close', (code) => r(code)));
  await new Promise((r) => ws.once('open', r));
  return { ws, frames, closed };
}

describe('DDP protocol on the real server (ddp.md)', () => {
  let server: TestServer;
  const clients: TestClient[] = [];
  const connect = async (version?: string, support?: string[]) => {
    const c = await TestClient.connect(server.url, version, support);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    server = await startTestServer({
      ORBIT_HEARTBEAT_INTERVAL_MS: '150',
      ORBIT_HEARTBEAT_TIMEOUT_MS: '400',
      ORBIT_HANDSHAKE_TIMEOUT_MS: '300',
      ORBIT_MAX_FRAME_BYTES: '65536',
    });
  });
  afterAll(async () => {
    for (const c of clients) for (const raw of c.raw) expect(() => JSON.parse(raw)).not.toThrow();
    for (const c of clients) c.close();
    await server?.stop();
  });

  it('{"server_id":"0"} comes first, then connected with a 17-character session id', async () => {
    const c = await connect();
    expect(c.raw[0]).toBe('{"server_id":"0"}');
    expect(JSON.parse(c.raw[1]!)).toEqual({ msg: 'connected', session: c.session });
    expect(c.session).toMatch(/^[23456789A-HJ-NP-Za-km-z]{17}$/);
  });

  it.each([
    ['1', ['1', 'pre2', 'pre1']],
    ['pre2', ['pre2']],
    ['pre1', ['pre1']],
  ])('negotiates version %s', async (version, support) => {
    const c = await connect(version, support);
    expect(c.session).toBeTruthy();
  });

  it('an unsupported version gets failed (with the version to use) and the socket closes', async () => {
    const m = await mute(server.url);
    m.ws.send(JSON.stringify({ msg: 'connect', version: 'pre1', support: ['1', 'pre1'] }));
    expect(await m.closed).toBe(CloseCode.protocolError);
    expect(m.frames).toEqual(['{"server_id":"0"}', '{"msg":"failed","version":"1"}']);
  });

  it('protocol errors in the exact Meteor form, socket kept', async () => {
    const c = await TestClient.open(server.url);
    clients.push(c);
    const expectError = async (text: string, expected: object) => {
      const from = c.mark();
      c.sendRaw(text);
      expect(await c.waitFor((f) => f.msg === 'error', 2000, from)).toEqual(expected);
    };
    await expectError('{"msg":"method","id":"1","method":"x"}', { msg: 'error', reason: 'Must connect first', offendingMessage: { msg: 'method', id: '1', method: 'x' } });
    c.send({ msg: 'connect', version: '1', support: ['1'] });
    await c.waitFor((f) => f.msg === 'connected');
    await expectError('{"msg":"connect","version":"1","support":["1"]}', {
      msg: 'error',
      reason: 'Already connected',
      offendingMessage: { msg: 'connect', version: '1', support: ['1'] },
    });
    await expectError('this is not json', { msg: 'error', reason: 'Bad request' });
    await expectError('{"msg":"method","id":"1","method":"x","params":[{"$date":"bad"}]}', { msg: 'error', reason: 'Parse error' });
    await expectError('{"id":"1"}', { msg: 'error', reason: 'Bad request', offendingMessage: { id: '1' } });
    await expectError('{"msg":"teleport"}', { msg: 'error', reason: 'Bad request', offendingMessage: { msg: 'teleport' } });
    await expectError('{"msg":"method","id":1,"method":"x"}', { msg: 'error', reason: 'Malformed method invocation', offendingMessage: { msg: 'method', id: 1, method: 'x' } });
    await expectError('{"msg":"sub","id":"s","name":7}', { msg: 'error', reason: 'Malformed subscription', offendingMessage: { msg: 'sub', id: 's', name: 7 } });
    expect(c.ws.readyState).toBe(WebSocket.OPEN);
    // …and the session still works
    expect((await c.callRaw('logout', [])).error).toBeUndefined();
  });

  it('unknown method → 404 result then updated; sub/unsub semantics', async () => {
    const c = await connect();
    const from = c.mark();
    const r = await c.callRaw('noSuchMethod', []);
    expect(r.error).toEqual({
      isClientSafe: true,
      error: 404,
      reason: "Method 'noSuchMethod' not found",
      message: "Method 'noSuchMethod' not found [404]",
      errorType: 'Meteor.Error',
    });
    const after = await c.waitFor((f) => f.msg === 'updated', 2000, from);
    expect(after.methods).toEqual([r.id]);
    expect(c.frames.indexOf(r)).toBeLessThan(c.frames.indexOf(after));

    const unknown = await c.sub('noSuchPublication');
    expect(unknown).toMatchObject({ ready: false, error: { error: 404, reason: "Subscription 'noSuchPublication' not found" } });
    expect(await c.unsub('never-subscribed')).toEqual({ msg: 'nosub', id: 'never-subscribed' });
    const ok = await c.sub('meteor.loginServiceConfiguration');
    expect(ok.ready).toBe(true);
    expect(await c.unsub(ok.id)).toEqual({ msg: 'nosub', id: ok.id });
  });

  it('§4.2: the stream messages a call causes on its own connection come before its result, and result before updated', async () => {
    const c = await connect();
    await c.login(ADMIN.username, ADMIN.password);
    expect((await c.sub('stream-room-messages', ['GENERAL', false])).ready).toBe(true);
    const from = c.mark();
    const r = await c.callRaw('sendMessage', [{ rid: 'GENERAL', msg: 'ordering' }]);
    await c.waitFor((f) => f.msg === 'updated' && f.methods[0] === r.id, 2000, from);
    const seen = c.frames.slice(from).map((f) => (f.msg === 'changed' ? `changed:${f.collection}` : `${f.msg}`));
    expect(seen.indexOf('changed:stream-room-messages')).toBeGreaterThanOrEqual(0);
    expect(seen.indexOf('changed:stream-room-messages')).toBeLessThan(seen.indexOf('result'));
    expect(seen.indexOf('result')).toBe(seen.indexOf('updated') - 1);
    // a method that returns nothing (logout) leaves the result key out
    const lo = c.raw.length;
    await c.callRaw('logout', []);
    expect(c.raw.slice(lo).find((t) => t.startsWith('{"msg":"result"'))).toMatch(/^\{"msg":"result","id":"\d+"\}$/);
  });

  it('answers pings with and without id', async () => {
    const c = await connect();
    const from = c.mark();
    c.send({ msg: 'ping', id: 'abc' });
    c.send({ msg: 'ping' });
    await c.waitFor((f) => f.msg === 'pong' && f.id === undefined, 2000, from);
    expect(c.raw.slice(from).filter((t) => t.includes('pong'))).toEqual(['{"msg":"pong","id":"abc"}', '{"msg":"pong"}']);
  });

  it('heartbeat: pings a silent client; one that answers stays, one that does not is closed with 4000', async () => {
    const alive = await connect();
    const m = await mute(server.url);
    m.ws.send(JSON.stringify({ msg: 'connect', version: '1', support: ['1'] }));
    expect(await m.closed).toBe(CloseCode.heartbeatTimeout);
    expect(m.frames).toContain('{"msg":"ping"}');
    expect(alive.raw).toContain('{"msg":"ping"}'); // TestClient answered with pong
    expect(alive.ws.readyState).toBe(WebSocket.OPEN);
    expect((await alive.callRaw('logout', [])).error).toBeUndefined();
  });

  it('decision: handshake deadline (ORBIT_HANDSHAKE_TIMEOUT_MS): 4001, others keep being served', async () => {
    const other = await connect();
    const m = await mute(server.url);
    expect(await m.closed).toBe(CloseCode.handshakeTimeout);
    expect((await other.login(ADMIN.username, ADMIN.password)).id).toBeTruthy();
  });

  it('a frame over ORBIT_MAX_FRAME_BYTES closes that socket (1009), others keep being served', async () => {
    const other = await connect();
    const c = await connect();
    c.sendRaw(JSON.stringify({ msg: 'method', id: '1', method: 'login', params: ['z'.repeat(70_000)] }));
    expect((await c.closed()).code).toBe(CloseCode.messageTooBig);
    expect((await other.login(ADMIN.username, ADMIN.password)).id).toBeTruthy();
  });
});

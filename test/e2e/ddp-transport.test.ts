import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Session } from '../../src/ddp/session.js';
import { CloseCode } from '../../src/ddp/transport.js';
import { startDdpHarness, type DdpHarness } from '../support/ddp-harness.js';
import { TestClient } from '../support/ddp-client.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The protocol layer alone over a real WebSocket: ordering, EJSON, limits that close a socket. */
describe('DDP over WebSocket: ordering, EJSON and the limits that close a socket', () => {
  let h: DdpHarness;
  const clients: TestClient[] = [];
  const connect = async () => {
    const c = await TestClient.connect(h.url);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    h = await startDdpHarness({
      maxFrameBytes: 16 * 1024,
      options: { handshakeTimeoutMs: 200, slowConsumerBytes: 256 * 1024 },
      methods: {
        slow: async () => {
          await sleep(300);
          return 'slow';
        },
        fast: () => 'fast',
        echo: (_ctx, params) => ({ params, types: params.map((p) => (p instanceof Date ? 'Date' : typeof p)), now: new Date(1_000) }),
        flood: (ctx) => {
          const big = 'x'.repeat(100_000);
          for (let i = 0; i < 200 && !ctx.session.closed; i++) ctx.session.send({ msg: 'changed', collection: 'flood', id: String(i), fields: { big } });
          return 'done';
        },
      },
    });
  });
  afterAll(async () => {
    for (const c of clients) for (const raw of c.raw) expect(() => JSON.parse(raw)).not.toThrow();
    for (const c of clients) c.close();
    await h?.stop();
  });

  it('a slow method is not overtaken by a later one; a ping is answered while it runs', async () => {
    const c = await connect();
    const from = c.mark();
    c.send({ msg: 'method', id: 'a', method: 'slow', params: [] });
    c.send({ msg: 'method', id: 'b', method: 'fast', params: [] });
    c.send({ msg: 'ping', id: 'mid' });
    c.send({ msg: 'ping' });
    await c.waitFor((f) => f.msg === 'updated' && f.methods[0] === 'b', 3000, from);
    const seen = c.frames.slice(from).map((f) => (f.msg === 'pong' ? `pong:${f.id ?? ''}` : `${f.msg}:${f.id ?? f.methods?.[0]}`));
    expect(seen).toEqual(['pong:mid', 'pong:', 'result:a', 'updated:a', 'result:b', 'updated:b']);
    expect(c.raw.slice(from, from + 2)).toEqual(['{"msg":"pong","id":"mid"}', '{"msg":"pong"}']);
  });

  it('EJSON {$date} both ways', async () => {
    const c = await connect();
    c.sendRaw('{"msg":"method","id":"e1","method":"echo","params":[{"$date":1700000000000},"plain",{"nested":{"$date":5}}]}');
    const f = await c.waitFor((x) => x.msg === 'result' && x.id === 'e1');
    expect(f.result.types).toEqual(['Date', 'string', 'object']);
    expect(f.result.now).toEqual(new Date(1000));
    const raw = c.raw.find((t) => t.includes('"msg":"result"'))!;
    expect(JSON.parse(raw).result).toEqual({
      params: [{ $date: 1_700_000_000_000 }, 'plain', { nested: { $date: 5 } }],
      types: ['Date', 'string', 'object'],
      now: { $date: 1000 },
    });
  });

  it('decision: a binary frame gets "Bad request"; the socket stays open', async () => {
    const c = await connect();
    const from = c.mark();
    c.sendRaw(Buffer.from([0, 1, 2, 255]));
    expect(await c.waitFor((f) => f.msg === 'error', 2000, from)).toEqual({ msg: 'error', reason: 'Bad request' });
    expect(await c.call('fast')).toBe('fast');
  });

  it('a frame over ORBIT_MAX_FRAME_BYTES closes that socket with 1009; others are served', async () => {
    const bystander = await connect();
    const c = await connect();
    c.send({ msg: 'method', id: 'big', method: 'echo', params: ['y'.repeat(20_000)] });
    expect((await c.closed()).code).toBe(CloseCode.messageTooBig);
    expect(await bystander.call('fast')).toBe('fast');
    const fresh = await connect();
    expect(await fresh.call('fast')).toBe('fast');
  });

  it('decision: a socket that does not connect before the handshake deadline is closed with 4001', async () => {
    const raw = await TestClient.open(h.url);
    clients.push(raw);
    const t0 = Date.now();
    const closed = await raw.closed();
    expect(closed.code).toBe(CloseCode.handshakeTimeout);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(150);
    expect(raw.raw).toEqual(['{"server_id":"0"}']);
    expect(await (await connect()).call('fast')).toBe('fast');
  });

  it('decision (as ddp-streamer): a slow consumer is cut off (1013) once its unsent data passes the limit; others are served', async () => {
    const closedCodes: Array<number | undefined> = [];
    const ws = new WebSocket(h.url);
    await new Promise((r) => ws.once('open', r));
    ws.send(JSON.stringify({ msg: 'connect', version: '1', support: ['1'] }));
    await sleep(50);
    const mine = [...h.ddp.sessions].at(-1) as Session; // the session of the socket just opened
    expect(mine.closed).toBe(false);
    // Stop reading: what the server writes piles up in the socket buffers.
    (ws as unknown as { _socket: { pause(): void } })._socket.pause();
    ws.send(JSON.stringify({ msg: 'method', id: 'f', method: 'flood', params: [] }));
    for (let i = 0; i < 100 && !mine.closed; i++) await sleep(20);
    closedCodes.push(mine?.closeCode);
    expect(closedCodes).toEqual([CloseCode.tryAgainLater]);
    ws.terminate();
    expect(await (await connect()).call('fast')).toBe('fast');
  });
});

import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { matchFailed, MeteorError } from './meteor-error.js';
import { DdpServer, type DdpServerOptions } from './server.js';
import type { MethodHandler, Session } from './session.js';
import { CloseCode, type Transport } from './transport.js';

/** A socket stand-in: records frames (each must be valid JSON) and the close. */
class FakeTransport implements Transport {
  readonly sent: string[] = [];
  closedWith: { code: number; reason: string } | undefined;
  bufferedAmount = 0;
  readonly remoteAddress = '10.1.2.3';
  send(data: string | Buffer): void {
    this.sent.push(data.toString());
  }
  close(code: number, reason: string): void {
    this.closedWith ??= { code, reason };
  }
  /** Every frame sent, parsed (throws if one is not valid JSON). */
  frames(): any[] {
    return this.sent.map((t) => JSON.parse(t));
  }
  last(): any {
    return JSON.parse(this.sent.at(-1)!);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(pred: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(5);
  }
}

let sessions: Session[] = [];
afterEach(() => {
  for (const s of sessions) s.close();
  sessions = [];
});

function setup(methods: Record<string, MethodHandler> = {}, options: Partial<DdpServerOptions> = {}, logger = pino({ level: 'silent' })) {
  const server = new DdpServer(
    { handshakeTimeoutMs: 5000, heartbeatIntervalMs: 60_000, heartbeatTimeoutMs: 60_000, slowConsumerBytes: 1024, ...options },
    logger,
  );
  server.methods(methods);
  const t = new FakeTransport();
  const session = server.accept(t);
  sessions.push(session);
  const connect = (version = '1', support = ['1', 'pre2', 'pre1']) => session.receive(JSON.stringify({ msg: 'connect', version, support }));
  const send = (m: unknown) => session.receive(typeof m === 'string' ? m : JSON.stringify(m));
  return { server, t, session, connect, send };
}

describe('DDP session: handshake (ddp.md §1–2)', () => {
  it('sends {"server_id":"0"} before anything else', () => {
    const { t } = setup();
    expect(t.sent).toEqual(['{"server_id":"0"}']);
  });

  it.each([
    ['1', ['1', 'pre2', 'pre1']],
    ['pre2', ['pre2']],
    ['pre1', ['pre1']],
    ['1', ['1']],
  ])('accepts version %s with support %j', (version, support) => {
    const { t, session, connect } = setup();
    connect(version, support);
    expect(t.last()).toEqual({ msg: 'connected', session: session.id });
    expect(session.id).toMatch(/^[23456789A-HJ-NP-Za-km-z]{17}$/);
    expect(session.version).toBe(version);
    expect(t.closedWith).toBeUndefined();
  });

  it.each([
    ['pre1', ['1', 'pre1'], '1'],
    ['2', ['2'], '1'],
    ['1', ['pre2', '1'], 'pre2'],
    ['1', ['pre2'], '1'],
  ])('refuses version %s with support %j: failed %s, then close', (version, support, wanted) => {
    const { t, connect } = setup();
    connect(version, support as string[]);
    expect(t.last()).toEqual({ msg: 'failed', version: wanted });
    expect(t.closedWith?.code).toBe(CloseCode.protocolError);
  });

  it('refuses a connect without version or with a malformed support list', () => {
    for (const bad of [{ msg: 'connect' }, { msg: 'connect', version: '1', support: '1' }, { msg: 'connect', version: 1, support: [1] }]) {
      const { t, send } = setup();
      send(bad);
      expect(t.last()).toEqual({ msg: 'failed', version: '1' });
      expect(t.closedWith).toBeDefined();
    }
  });

  it('a second connect gets "Already connected" and the socket stays open', () => {
    const { t, connect } = setup();
    connect();
    connect();
    expect(t.last()).toEqual({
      msg: 'error',
      reason: 'Already connected',
      offendingMessage: { msg: 'connect', version: '1', support: ['1', 'pre2', 'pre1'] },
    });
    expect(t.closedWith).toBeUndefined();
  });

  it('anything else before connect gets "Must connect first"', () => {
    const { t, send } = setup();
    send({ msg: 'method', id: '1', method: 'x' });
    expect(t.last()).toEqual({ msg: 'error', reason: 'Must connect first', offendingMessage: { msg: 'method', id: '1', method: 'x' } });
    send({ msg: 'ping' });
    expect(t.last().reason).toBe('Must connect first');
    // a msg field that is not a string is still "a message", not "no msg field"
    send({ msg: 7 });
    expect(t.last()).toEqual({ msg: 'error', reason: 'Must connect first', offendingMessage: { msg: 7 } });
    send({ id: 'x' });
    expect(t.last()).toEqual({ msg: 'error', reason: 'Bad request', offendingMessage: { id: 'x' } });
    send('not json');
    expect(t.sent.at(-1)).toBe('{"msg":"error","reason":"Bad request"}');
    expect(t.closedWith).toBeUndefined();
  });

  it('closes a socket that does not finish the handshake in time (4001)', async () => {
    const { t } = setup({}, { handshakeTimeoutMs: 30 });
    await until(() => t.closedWith !== undefined);
    expect(t.closedWith?.code).toBe(CloseCode.handshakeTimeout);
  });

  it('the handshake deadline does not fire once connected', async () => {
    const { t, connect } = setup({}, { handshakeTimeoutMs: 30 });
    connect();
    await sleep(80);
    expect(t.closedWith).toBeUndefined();
  });
});

describe('DDP session: protocol errors never drop the socket (ddp.md §2.3, §4.1, §5.2)', () => {
  it.each([
    ['invalid JSON', '{"msg":', { msg: 'error', reason: 'Bad request' }],
    ['a JSON string', '"hello"', { msg: 'error', reason: 'Bad request' }],
    ['a JSON array', '[1,2]', { msg: 'error', reason: 'Bad request' }],
    ['null', 'null', { msg: 'error', reason: 'Bad request' }],
    ['an object without msg', '{"id":"1"}', { msg: 'error', reason: 'Bad request', offendingMessage: { id: '1' } }],
    ['an unknown msg', '{"msg":"hello"}', { msg: 'error', reason: 'Bad request', offendingMessage: { msg: 'hello' } }],
    ['msg of the wrong type', '{"msg":7}', { msg: 'error', reason: 'Bad request', offendingMessage: { msg: 7 } }],
    ['an empty msg (Meteor: !msg.msg)', '{"msg":""}', { msg: 'error', reason: 'Bad request', offendingMessage: { msg: '' } }],
    ['a null msg', '{"msg":null,"id":"1"}', { msg: 'error', reason: 'Bad request', offendingMessage: { msg: null, id: '1' } }],
    ['EJSON too deep to decode', `{"msg":"method","id":"1","method":"m","params":${'['.repeat(200_000)}{"$date":1}${']'.repeat(200_000)}}`, { msg: 'error', reason: 'Parse error' }],
    ['bad EJSON', '{"msg":"method","id":"1","method":"m","params":[{"$date":"soon"}]}', { msg: 'error', reason: 'Parse error' }],
    ['bad $binary', '{"msg":"sub","id":"1","name":"n","params":[{"$binary":5}]}', { msg: 'error', reason: 'Parse error' }],
  ])('%s', (_name, text, expected) => {
    const { t, connect, send } = setup();
    connect();
    send(text);
    expect(t.last()).toEqual(expected);
    expect(t.closedWith).toBeUndefined();
  });

  it.each([
    { msg: 'method', id: 1, method: 'm' },
    { msg: 'method', method: 'm' },
    { msg: 'method', id: '1' },
    { msg: 'method', id: '1', method: {} },
    { msg: 'method', id: '1', method: 'm', params: {} },
    { msg: 'method', id: '1', method: 'm', params: null },
    { msg: 'method', id: '1', method: 'm', randomSeed: 5 },
  ])('Malformed method invocation: %j', (m) => {
    const { t, connect, send } = setup({ m: () => 1 });
    connect();
    send(m);
    expect(t.last()).toEqual({ msg: 'error', reason: 'Malformed method invocation', offendingMessage: m });
    expect(t.frames().some((f) => f.msg === 'result')).toBe(false);
  });

  it.each([
    { msg: 'sub', id: 1, name: 'p' },
    { msg: 'sub', id: '1' },
    { msg: 'sub', id: '1', name: ['p'] },
    { msg: 'sub', id: '1', name: 'p', params: 'x' },
  ])('Malformed subscription: %j', (m) => {
    const { t, connect, send } = setup();
    connect();
    send(m);
    expect(t.last()).toEqual({ msg: 'error', reason: 'Malformed subscription', offendingMessage: m });
  });

  it('an offending message too deep to echo is answered without it', () => {
    const { t, connect, send } = setup();
    connect();
    send(`{"msg":"what","x":${'['.repeat(200_000)}${']'.repeat(200_000)}}`);
    expect(t.last()).toEqual({ msg: 'error', reason: 'Bad request' });
    expect(t.closedWith).toBeUndefined();
  });

  it('ignores unknown extra fields in valid messages', async () => {
    const { t, connect, send } = setup({ m: () => 'ok' });
    connect();
    send({ msg: 'method', id: '1', method: 'm', params: [], extra: { a: 1 }, randomSeed: 'abc' });
    await until(() => t.frames().some((f) => f.msg === 'updated'));
    expect(t.frames().find((f) => f.msg === 'result')).toEqual({ msg: 'result', id: '1', result: 'ok' });
  });

  it('accepts the SockJS-style framing ["<ddp json>"]', async () => {
    const { t, connect, send } = setup({ m: () => 2 });
    connect();
    send(JSON.stringify([JSON.stringify({ msg: 'method', id: '1', method: 'm' })]));
    await until(() => t.frames().some((f) => f.msg === 'result'));
    expect(t.frames().find((f) => f.msg === 'result')).toEqual({ msg: 'result', id: '1', result: 2 });
  });
});

describe('DDP session: heartbeats (ddp.md §3)', () => {
  it('answers ping with and without id, out of band', () => {
    const { t, connect, send } = setup();
    connect();
    send({ msg: 'ping', id: 'p1' });
    expect(t.last()).toEqual({ msg: 'pong', id: 'p1' });
    send({ msg: 'ping' });
    expect(t.sent.at(-1)).toBe('{"msg":"pong"}');
    // Meteor copies whatever id came
    send({ msg: 'ping', id: 5 });
    expect(t.sent.at(-1)).toBe('{"msg":"pong","id":5}');
    const n = t.sent.length;
    send({ msg: 'pong', id: 'x' });
    send({ msg: 'pong' });
    expect(t.sent.length).toBe(n);
  });

  it('pre1 sessions know no ping: "Bad request"', () => {
    const { t, connect, send } = setup();
    connect('pre1', ['pre1']);
    send({ msg: 'ping', id: 'p' });
    expect(t.last()).toEqual({ msg: 'error', reason: 'Bad request', offendingMessage: { msg: 'ping', id: 'p' } });
  });

  it('pings after silence and closes (4000) when nothing comes back', async () => {
    const { t, connect } = setup({}, { heartbeatIntervalMs: 40, heartbeatTimeoutMs: 40 });
    connect();
    await until(() => t.sent.includes('{"msg":"ping"}'));
    expect(t.closedWith).toBeUndefined();
    await until(() => t.closedWith !== undefined);
    expect(t.closedWith?.code).toBe(CloseCode.heartbeatTimeout);
  });

  it('stays open while the client answers the pings', async () => {
    const { t, session, connect, send } = setup({}, { heartbeatIntervalMs: 30, heartbeatTimeoutMs: 250 });
    connect();
    let seen = 0;
    const answered = setInterval(() => {
      const pings = t.sent.filter((f) => f === '{"msg":"ping"}').length;
      if (pings > seen) send({ msg: 'pong' });
      seen = pings;
    }, 5);
    await sleep(700);
    clearInterval(answered);
    expect(t.sent.filter((f) => f === '{"msg":"ping"}').length).toBeGreaterThan(1);
    expect(session.closed).toBe(false);
  });

  it('pre1 sessions are never pinged', async () => {
    const { t, connect } = setup({}, { heartbeatIntervalMs: 20, heartbeatTimeoutMs: 20 });
    connect('pre1', ['pre1']);
    await sleep(100);
    expect(t.sent.includes('{"msg":"ping"}')).toBe(false);
  });
});

describe('DDP session: methods (ddp.md §4)', () => {
  it.each([
    ['0', 0],
    ['false', false],
    ['empty string', ''],
    ['null', null],
    ['an object', { a: [1] }],
  ])('a result of %s is sent, then updated', async (_n, value) => {
    const { t, connect, send } = setup({ m: () => value });
    connect();
    send({ msg: 'method', id: '7', method: 'm' });
    await until(() => t.frames().some((f) => f.msg === 'updated'));
    const frames = t.frames().slice(2);
    expect(frames).toEqual([{ msg: 'result', id: '7', result: value }, { msg: 'updated', methods: ['7'] }]);
    expect(t.sent[2]).toContain('"result":');
  });

  it('undefined → no result key', async () => {
    const { t, connect, send } = setup({ m: () => undefined });
    connect();
    send({ msg: 'method', id: '7', method: 'm' });
    await until(() => t.frames().some((f) => f.msg === 'updated'));
    expect(t.sent[2]).toBe('{"msg":"result","id":"7"}');
  });

  it('unknown method → 404 error result, then updated', async () => {
    const { t, connect, send } = setup();
    connect();
    send({ msg: 'method', id: '9', method: 'nope', params: [] });
    await until(() => t.frames().some((f) => f.msg === 'updated'));
    // byte for byte: the field order of the Meteor error (ddp.md §6.1) and result before updated
    expect(t.sent.slice(2)).toEqual([
      '{"msg":"result","id":"9","error":{"isClientSafe":true,"error":404,"reason":"Method \'nope\' not found","message":"Method \'nope\' not found [404]","errorType":"Meteor.Error"}}',
      '{"msg":"updated","methods":["9"]}',
    ]);
    expect(t.frames().slice(2)).toEqual([
      {
        msg: 'result',
        id: '9',
        error: {
          isClientSafe: true,
          error: 404,
          reason: "Method 'nope' not found",
          message: "Method 'nope' not found [404]",
          errorType: 'Meteor.Error',
        },
      },
      { msg: 'updated', methods: ['9'] },
    ]);
  });

  it('method and publication names that are Object.prototype keys are unknown (404), not crashes', async () => {
    const { t, connect, send } = setup({ m: () => 1 });
    connect();
    const names = ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'];
    for (const name of names) send({ msg: 'method', id: `m-${name}`, method: name });
    for (const name of names) send({ msg: 'sub', id: `s-${name}`, name });
    await until(() => t.frames().filter((f) => f.msg === 'nosub').length === names.length);
    await until(() => t.frames().filter((f) => f.msg === 'updated').length === names.length);
    for (const f of t.frames().filter((x) => x.msg === 'result' || x.msg === 'nosub')) expect(f.error.error).toBe(404);
  });

  it('a MeteorError is sent as is; any other error as 500 Internal server error', async () => {
    const { t, connect, send } = setup({
      meteor: () => {
        throw new MeteorError('error-x', 'X happened', { method: 'meteor' });
      },
      plain: () => {
        throw new Error('secret SQL detail');
      },
      bigint: () => ({ n: 1n }),
    });
    connect();
    for (const m of ['meteor', 'plain', 'bigint']) send({ msg: 'method', id: m, method: m });
    await until(() => t.frames().filter((f) => f.msg === 'updated').length === 3);
    const results = Object.fromEntries(t.frames().filter((f) => f.msg === 'result').map((f) => [f.id, f.error]));
    expect(results.meteor).toEqual({
      isClientSafe: true,
      error: 'error-x',
      reason: 'X happened',
      details: { method: 'meteor' },
      message: 'X happened [error-x]',
      errorType: 'Meteor.Error',
    });
    expect(results.plain).toEqual({
      isClientSafe: true,
      error: 500,
      reason: 'Internal server error',
      message: 'Internal server error [500]',
      errorType: 'Meteor.Error',
    });
    expect(t.sent.join('')).not.toContain('secret SQL detail');
    expect(results.bigint.error).toBe(500);
  });

  it('EJSON dates arrive as Date and leave as {$date}', async () => {
    let received: unknown;
    const { t, connect, send } = setup({
      echo: (_ctx, params) => {
        received = params[0];
        return { at: params[0], later: new Date(86_400_000) };
      },
    });
    connect();
    send({ msg: 'method', id: '1', method: 'echo', params: [{ $date: 1_700_000_000_000 }] });
    await until(() => t.frames().some((f) => f.msg === 'result'));
    expect(received).toBeInstanceOf(Date);
    expect((received as Date).getTime()).toBe(1_700_000_000_000);
    expect(t.frames().find((f) => f.msg === 'result').result).toEqual({ at: { $date: 1_700_000_000_000 }, later: { $date: 86_400_000 } });
  });

  it('processes a session in order: a slow method is not overtaken, a ping is answered meanwhile', async () => {
    let release!: () => void;
    const { t, connect, send } = setup({
      slow: () => new Promise<string>((r) => (release = () => r('slow'))),
      fast: () => 'fast',
    });
    connect();
    send({ msg: 'method', id: '1', method: 'slow' });
    send({ msg: 'method', id: '2', method: 'fast' });
    send({ msg: 'ping', id: 'during' });
    await sleep(30);
    expect(t.frames().filter((f) => f.msg === 'result')).toEqual([]);
    expect(t.last()).toEqual({ msg: 'pong', id: 'during' });
    release();
    await until(() => t.frames().filter((f) => f.msg === 'updated').length === 2);
    expect(t.frames().filter((f) => f.msg === 'result' || f.msg === 'updated').map((f) => f.id ?? f.methods[0])).toEqual(['1', '1', '2', '2']);
  });

  it('unblock() lets the next message start before the method ends', async () => {
    let release!: () => void;
    const { t, connect, send } = setup({
      slow: (ctx) => {
        ctx.unblock();
        return new Promise<string>((r) => (release = () => r('slow')));
      },
      fast: () => 'fast',
    });
    connect();
    send({ msg: 'method', id: '1', method: 'slow' });
    send({ msg: 'method', id: '2', method: 'fast' });
    await until(() => t.frames().some((f) => f.msg === 'result'));
    expect(t.frames().find((f) => f.msg === 'result').id).toBe('2');
    release();
    await until(() => t.frames().filter((f) => f.msg === 'result').length === 2);
  });

  it('a rate-limit guard refuses the call with its error', async () => {
    const { server, t, connect, send } = setup({ m: () => 1 });
    server.setHooks({ guard: (kind, name) => (kind === 'method' && name === 'm' ? new MeteorError('too-many-requests') : undefined) });
    connect();
    send({ msg: 'method', id: '1', method: 'm' });
    await until(() => t.frames().some((f) => f.msg === 'result'));
    expect(t.frames().find((f) => f.msg === 'result').error.error).toBe('too-many-requests');
  });
});

describe('DDP session: subscriptions (ddp.md §5)', () => {
  function withPubs() {
    const ctx = setup();
    ctx.server.publish('docs', (sub) => {
      sub.added('things', 'a', { n: 1 });
      sub.ready();
    });
    ctx.server.publish('refuse', () => {
      throw new MeteorError('not-allowed');
    });
    ctx.server.publish('crash', async () => {
      throw new Error('secret stack detail');
    });
    ctx.server.publish('bad-args', () => {
      throw matchFailed();
    });
    ctx.server.publish('needs-user', (sub) => {
      if (!sub.userId) throw new MeteorError('not-allowed');
      sub.ready();
    });
    ctx.connect();
    return ctx;
  }

  it('ready once; unsub removes the documents and answers nosub', async () => {
    const { t, send } = withPubs();
    send({ msg: 'sub', id: 's1', name: 'docs' });
    send({ msg: 'sub', id: 's1', name: 'docs' }); // same id again: ignored
    await until(() => t.frames().some((f) => f.msg === 'ready'));
    await sleep(10);
    expect(t.frames().slice(2)).toEqual([{ msg: 'added', collection: 'things', id: 'a', fields: { n: 1 } }, { msg: 'ready', subs: ['s1'] }]);
    send({ msg: 'unsub', id: 's1' });
    await until(() => t.frames().some((f) => f.msg === 'nosub'));
    expect(t.frames().slice(4)).toEqual([{ msg: 'removed', collection: 'things', id: 'a' }, { msg: 'nosub', id: 's1' }]);
  });

  it('unknown publication → nosub with a 404 error; unsub of an unknown id → nosub', async () => {
    const { t, send } = withPubs();
    send({ msg: 'sub', id: 's9', name: 'nope', params: [] });
    await until(() => t.frames().some((f) => f.msg === 'nosub'));
    expect(t.last()).toEqual({
      msg: 'nosub',
      id: 's9',
      error: {
        isClientSafe: true,
        error: 404,
        reason: "Subscription 'nope' not found",
        message: "Subscription 'nope' not found [404]",
        errorType: 'Meteor.Error',
      },
    });
    send({ msg: 'unsub', id: 'never' });
    await until(() => t.last().id === 'never');
    expect(t.last()).toEqual({ msg: 'nosub', id: 'never' });
  });

  it('a publication that throws ends with nosub carrying the error', async () => {
    const { t, send } = withPubs();
    send({ msg: 'sub', id: 's2', name: 'refuse' });
    await until(() => t.frames().some((f) => f.msg === 'nosub'));
    expect(t.last()).toMatchObject({ msg: 'nosub', id: 's2', error: { error: 'not-allowed', errorType: 'Meteor.Error' } });
  });

  it('a publication that throws a plain Error → nosub 500 "Internal server error"; a check() failure → 400 Match failed (§6.3)', async () => {
    const { t, send } = withPubs();
    send({ msg: 'sub', id: 'c1', name: 'crash' });
    await until(() => t.frames().some((f) => f.msg === 'nosub' && f.id === 'c1'));
    expect(t.sent.at(-1)).toBe(
      '{"msg":"nosub","id":"c1","error":{"isClientSafe":true,"error":500,"reason":"Internal server error","message":"Internal server error [500]","errorType":"Meteor.Error"}}',
    );
    expect(t.sent.join('')).not.toContain('secret stack detail');
    send({ msg: 'sub', id: 'c2', name: 'bad-args' });
    await until(() => t.frames().some((f) => f.msg === 'nosub' && f.id === 'c2'));
    expect(t.last().error).toEqual({ isClientSafe: true, error: 400, reason: 'Match failed', message: 'Match failed [400]', errorType: 'Meteor.Error' });
    // the id is free again: a new sub with it runs
    send({ msg: 'sub', id: 'c1', name: 'docs' });
    await until(() => t.frames().some((f) => f.msg === 'ready'));
    expect(t.last()).toEqual({ msg: 'ready', subs: ['c1'] });
  });

  it('a change of user re-runs the subscriptions: one that needs a user ends with nosub', async () => {
    const { t, session, send } = withPubs();
    await session.setUserId('u1');
    send({ msg: 'sub', id: 's3', name: 'needs-user' });
    await until(() => t.frames().some((f) => f.msg === 'ready'));
    await session.setUserId(null);
    expect(t.last()).toMatchObject({ msg: 'nosub', id: 's3', error: { error: 'not-allowed' } });
    expect(t.frames().filter((f) => f.msg === 'ready')).toHaveLength(1);
  });
});

describe('DDP session: slow consumers and logs', () => {
  it('cuts off a client whose unsent data passes the limit (1013)', () => {
    const { t, connect, send } = setup({}, { slowConsumerBytes: 1024 });
    connect();
    t.bufferedAmount = 4096;
    send({ msg: 'ping', id: 'x' });
    expect(t.closedWith?.code).toBe(CloseCode.tryAgainLater);
    expect(t.sent.at(-1)).not.toContain('pong');
  });

  it('logs one line per connection open and close and per failed method, at debug', async () => {
    const lines: any[] = [];
    const sink = new Writable({
      write(chunk, _enc, cb) {
        for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l));
        cb();
      },
    });
    const { t, session, connect, send } = setup(
      {
        boom: () => {
          throw new MeteorError('error-boom');
        },
      },
      {},
      pino({ level: 'debug' }, sink),
    );
    connect();
    send({ msg: 'method', id: '1', method: 'boom' });
    await until(() => t.frames().some((f) => f.msg === 'updated'));
    session.close(CloseCode.normal, 'bye');
    await sleep(10);
    const msgs = lines.map((l) => l.msg);
    expect(msgs.filter((m) => m === 'connection opened')).toHaveLength(1);
    expect(msgs.filter((m) => m === 'connection closed')).toHaveLength(1);
    expect(lines.find((l) => l.msg === 'method failed')).toMatchObject({ level: 20, method: 'boom', error: 'error-boom', session: session.id });
    expect(lines.find((l) => l.msg === 'connection closed')).toMatchObject({ level: 20, code: CloseCode.normal, address: '10.1.2.3' });
  });
});

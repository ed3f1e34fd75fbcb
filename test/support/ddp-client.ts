import WebSocket from 'ws';
import { parseEjson, stringifyEjson } from '../../src/ddp/ejson.js';

export type Frame = Record<string, any>;

/** A method error as it came over the wire. */
export class DdpCallError extends Error {
  constructor(readonly wire: Frame) {
    super(`${String(wire.error)}: ${wire.reason ?? ''}`);
  }
  get error(): string | number {
    return this.wire.error;
  }
}

/**
 * A small DDP client for tests: raw frames in and out, plus call/subscribe helpers. It keeps
 * every frame it received so tests can assert on what arrived and in which order.
 */
export class TestClient {
  readonly frames: Frame[] = [];
  readonly raw: string[] = [];
  #waiters: Array<{ pred: (f: Frame) => boolean; resolve: (f: Frame) => void }> = [];
  #nextId = 1;
  #closed: Promise<{ code: number; reason: string }>;
  session?: string;
  userId?: string;
  token?: string;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const text = data.toString();
      this.raw.push(text);
      const f = parseEjson(text) as Frame;
      this.frames.push(f);
      if (f.msg === 'ping') this.send(f.id ? { msg: 'pong', id: f.id } : { msg: 'pong' });
      this.#waiters = this.#waiters.filter((w) => {
        if (!w.pred(f)) return true;
        w.resolve(f);
        return false;
      });
    });
    this.#closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  /** Opens a socket without sending `connect`. */
  static async open(url: string): Promise<TestClient> {
    const ws = new WebSocket(url);
    const c = new TestClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return c;
  }

  /** Opens a socket and completes the DDP handshake. */
  static async connect(url: string, version = '1', support: string[] = ['1', 'pre2', 'pre1']): Promise<TestClient> {
    const c = await TestClient.open(url);
    c.send({ msg: 'connect', version, support });
    const f = await c.waitFor((x) => x.msg === 'connected' || x.msg === 'failed');
    if (f.msg !== 'connected') throw new Error(`handshake failed: ${JSON.stringify(f)}`);
    c.session = f.session;
    return c;
  }

  send(frame: Frame): void {
    this.ws.send(stringifyEjson(frame));
  }

  sendRaw(text: string | Buffer): void {
    this.ws.send(text);
  }

  /** Resolves with the first frame (already received from `from` on, or future) matching `pred`. */
  waitFor(pred: (f: Frame) => boolean, timeoutMs = 5000, from = 0): Promise<Frame> {
    for (let i = from; i < this.frames.length; i++) if (pred(this.frames[i]!)) return Promise.resolve(this.frames[i]!);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for a frame; last: ${JSON.stringify(this.frames.slice(-3))}`)), timeoutMs);
      this.#waiters.push({
        pred,
        resolve: (f) => {
          clearTimeout(timer);
          resolve(f);
        },
      });
    });
  }

  /** Calls a method; resolves with the `result` frame (which may carry `error`). */
  async callRaw(method: string, params: unknown[] = []): Promise<Frame> {
    const id = String(this.#nextId++);
    this.send({ msg: 'method', id, method, params });
    return this.waitFor((f) => f.msg === 'result' && f.id === id);
  }

  /** Calls a method; resolves with its result, rejects with DdpCallError on an error. */
  async call(method: string, ...params: unknown[]): Promise<any> {
    const f = await this.callRaw(method, params);
    if (f.error) throw new DdpCallError(f.error);
    return f.result;
  }

  /** Calls a method expecting an error; resolves with the wire error. */
  async callError(method: string, ...params: unknown[]): Promise<Frame> {
    const f = await this.callRaw(method, params);
    if (!f.error) throw new Error(`expected ${method} to fail, got ${JSON.stringify(f)}`);
    return f.error;
  }

  async login(username: string, password: string): Promise<{ id: string; token: string }> {
    const r = await this.call('login', { user: { username }, password });
    this.userId = r.id;
    this.token = r.token;
    return r;
  }

  /** Subscribes; resolves with `ready` or `nosub` for it. */
  async sub(name: string, params: unknown[] = []): Promise<{ id: string; ready: boolean; error?: Frame }> {
    const id = `s${this.#nextId++}`;
    this.send({ msg: 'sub', id, name, params });
    const f = await this.waitFor((x) => (x.msg === 'ready' && x.subs?.includes(id)) || (x.msg === 'nosub' && x.id === id));
    return f.msg === 'ready' ? { id, ready: true } : { id, ready: false, error: f.error };
  }

  async unsub(id: string): Promise<Frame> {
    this.send({ msg: 'unsub', id });
    return this.waitFor((x) => x.msg === 'nosub' && x.id === id);
  }

  /** Stream events received so far for a collection (and event name), as their `args`. */
  events(collection: string, eventName?: string): unknown[][] {
    return this.frames
      .filter((f) => f.msg === 'changed' && f.collection === collection && (!eventName || f.fields?.eventName === eventName))
      .map((f) => f.fields.args as unknown[]);
  }

  /** Waits for a stream event and returns its args. */
  async nextEvent(
    collection: string,
    eventName: string,
    pred: (args: any[]) => boolean = () => true,
    opts: { timeoutMs?: number; from?: number } = {},
  ): Promise<any[]> {
    const f = await this.waitFor(
      (x) => x.msg === 'changed' && x.collection === collection && x.fields?.eventName === eventName && pred(x.fields.args),
      opts.timeoutMs ?? 5000,
      opts.from ?? 0,
    );
    return f.fields.args;
  }

  /** The number of frames received so far: pass it as `from` to look only at later frames. */
  mark(): number {
    return this.frames.length;
  }

  /** Resolves after `ms` of letting frames arrive (to assert that something did NOT arrive). */
  settle(ms = 150): Promise<void> {
    return new Promise((r) => setTimeout(r, ms));
  }

  closed(): Promise<{ code: number; reason: string }> {
    return this.#closed;
  }

  close(): void {
    this.ws.close();
  }
}

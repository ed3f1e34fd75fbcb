import WebSocket from 'ws';

/** What a method call came back with: a result, an empty result (no `result` key), or an error. */
export type CallOutcome = 'ok' | 'empty' | 'error' | 'closed' | 'timeout';

interface Pending {
  resolve: (outcome: CallOutcome, error?: string) => void;
  timer: NodeJS.Timeout;
}

/** Stream frames, classified cheaply by their first bytes (no JSON parsing on the hot path). */
export type DeliveryHandler = (text: string) => void;

const CHANGED = '{"msg":"changed"';
const RESULT = '{"msg":"result","id":"';
const UPDATED = '{"msg":"updated"';

/**
 * A lean DDP client for the load generator: one WebSocket, the handshake, method calls and
 * subscriptions. Stream frames go to `onDelivery` unparsed; results are matched by id from the
 * frame's prefix; everything else (connected, ready, ping…) is parsed.
 */
export class DdpConn {
  #nextId = 1;
  readonly #pending = new Map<string, Pending>();
  readonly #waiters = new Map<string, (frame: Record<string, unknown>) => void>();
  onDelivery: DeliveryHandler = () => {};
  closed = false;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => this.#onFrame(data.toString()));
    ws.on('close', () => {
      this.closed = true;
      for (const p of this.#pending.values()) {
        clearTimeout(p.timer);
        p.resolve('closed');
      }
      this.#pending.clear();
    });
    ws.on('error', () => {});
  }

  /** Opens the socket and completes the DDP handshake. */
  static open(url: string, timeoutMs = 30_000): Promise<DdpConn> {
    return new Promise((ok, fail) => {
      const ws = new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: timeoutMs });
      const conn = new DdpConn(ws);
      const timer = setTimeout(() => {
        ws.terminate();
        fail(new Error('DDP handshake timed out'));
      }, timeoutMs);
      conn.#waiters.set('connected', () => {
        clearTimeout(timer);
        ok(conn);
      });
      ws.once('error', (err) => {
        clearTimeout(timer);
        fail(err);
      });
      ws.once('open', () => ws.send('{"msg":"connect","version":"1","support":["1","pre2","pre1"]}'));
    });
  }

  /** Sends a method call; `done` gets the outcome. */
  call(method: string, params: unknown[], done: (outcome: CallOutcome, error?: string) => void, timeoutMs = 60_000): void {
    if (this.closed) return done('closed');
    const id = String(this.#nextId++);
    const timer = setTimeout(() => {
      this.#pending.delete(id);
      done('timeout');
    }, timeoutMs);
    this.#pending.set(id, { resolve: done, timer });
    this.ws.send(`{"msg":"method","id":"${id}","method":${JSON.stringify(method)},"params":${JSON.stringify(params)}}`);
  }

  callAsync(method: string, params: unknown[]): Promise<{ outcome: CallOutcome; error?: string }> {
    return new Promise((ok) => this.call(method, params, (outcome, error) => ok({ outcome, error })));
  }

  /** Subscribes; resolves once ready, rejects on nosub. */
  sub(name: string, params: unknown[], timeoutMs = 60_000): Promise<void> {
    const id = `s${this.#nextId++}`;
    return new Promise((ok, fail) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(`sub:${id}`);
        fail(new Error(`subscription ${name} ${JSON.stringify(params)} timed out`));
      }, timeoutMs);
      this.#waiters.set(`sub:${id}`, (f) => {
        clearTimeout(timer);
        if (f.msg === 'ready') ok();
        else fail(new Error(`nosub for ${name} ${JSON.stringify(params)}: ${JSON.stringify(f.error)}`));
      });
      this.ws.send(JSON.stringify({ msg: 'sub', id, name, params }));
    });
  }

  close(): void {
    if (!this.closed) this.ws.terminate();
  }

  #onFrame(text: string): void {
    if (text.startsWith(CHANGED)) return this.onDelivery(text);
    if (text.startsWith(RESULT)) {
      const end = text.indexOf('"', RESULT.length);
      const id = text.slice(RESULT.length, end);
      const p = this.#pending.get(id);
      if (!p) return;
      this.#pending.delete(id);
      clearTimeout(p.timer);
      const rest = text.charCodeAt(end + 1) === 125 /* } */ ? '' : text.slice(end + 2, end + 10);
      if (rest.startsWith('"result"')) return p.resolve('ok');
      if (rest.startsWith('"error"')) return p.resolve('error', JSON.stringify((JSON.parse(text) as { error?: unknown }).error));
      return p.resolve('empty');
    }
    if (text.startsWith(UPDATED)) return;
    let f: Record<string, unknown>;
    try {
      f = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return;
    }
    switch (f.msg) {
      case 'ping':
        this.ws.send(f.id ? JSON.stringify({ msg: 'pong', id: f.id }) : '{"msg":"pong"}');
        return;
      case 'connected':
        this.#take('connected', f);
        return;
      case 'ready':
        for (const id of (f.subs as string[]) ?? []) this.#take(`sub:${id}`, f);
        return;
      case 'nosub':
        this.#take(`sub:${String(f.id)}`, f);
        return;
      case 'result': {
        // A result whose keys came in another order: the slow path.
        const p = this.#pending.get(String(f.id));
        if (!p) return;
        this.#pending.delete(String(f.id));
        clearTimeout(p.timer);
        if (f.error) p.resolve('error', JSON.stringify(f.error));
        else p.resolve('result' in f ? 'ok' : 'empty');
        return;
      }
      case 'changed':
        this.onDelivery(text);
    }
  }

  #take(key: string, f: Record<string, unknown>): void {
    const w = this.#waiters.get(key);
    if (!w) return;
    this.#waiters.delete(key);
    w(f);
  }
}

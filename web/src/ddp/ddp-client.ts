import { signal } from '@preact/signals';
import { parseEjson, stringifyEjson } from './ejson';

/**
 * Orbit's DDP client: one WebSocket to `/websocket`, method calls, subscriptions to Rocket.Chat's
 * streams, and staying connected — reconnect with backoff, log back in with the resume token
 * before anything else, re-subscribe, then re-send calls that never got their result.
 */

export type ConnectionStatus = 'connecting' | 'connected' | 'offline';

type Frame = Record<string, any>;

/** A method or subscription refusal as the server sent it (`error` is Rocket.Chat's code). */
export class DdpError extends Error {
  readonly error: string | number;
  readonly reason: string | undefined;
  readonly details: unknown;
  constructor(wire: { error?: string | number; reason?: string; message?: string; details?: unknown }) {
    super(wire.reason ?? wire.message ?? String(wire.error ?? 'error'));
    this.error = wire.error ?? 'error';
    this.reason = wire.reason;
    this.details = wire.details;
  }
}

export type StreamListener = (args: unknown[]) => void;

interface PendingCall {
  frame: Frame;
  sent: boolean;
  resolve(v: unknown): void;
  reject(e: unknown): void;
}

interface ActiveSub {
  frame: Frame;
  ready: boolean;
  onReady: Array<(err?: DdpError) => void>;
}

export interface Subscription {
  readonly ready: Promise<void>;
  stop(): void;
}

/** Backoff between attempts: quick first retries, then every few seconds. */
const BACKOFF_MS = [200, 500, 1000, 2000, 3000, 5000];
const CLIENT_PING_MS = 20_000;
const PONG_TIMEOUT_MS = 10_000;

export class DdpClient {
  readonly status = signal<ConnectionStatus>('connecting');
  /** Called once connected, before queued calls go out: logging back in happens here. */
  onHandshake: (() => Promise<void>) | undefined;
  readonly #reconnected = new Set<() => void>();
  readonly #pending = new Map<string, PendingCall>();
  readonly #subs = new Map<string, ActiveSub>();
  /** collection → eventName → listeners. */
  readonly #streams = new Map<string, Map<string, Set<StreamListener>>>();
  #ws: WebSocket | undefined;
  #nextId = 1;
  #attempt = 0;
  #everConnected = false;
  #handshaking = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #lastSeen = 0;
  #pingTimer: ReturnType<typeof setInterval> | undefined;

  constructor(readonly url: string) {}

  connect(): void {
    clearTimeout(this.#timer);
    if (this.#ws) return;
    this.status.value = this.#everConnected ? 'offline' : 'connecting';
    const ws = new WebSocket(this.url);
    this.#ws = ws;
    ws.onopen = () => this.#sendNow({ msg: 'connect', version: '1', support: ['1', 'pre2', 'pre1'] });
    ws.onmessage = (e) => this.#receive(String(e.data));
    ws.onclose = () => this.#lost(ws);
    ws.onerror = () => ws.close();
  }

  /** Drops the socket now and reconnects at once (network came back, tests). */
  reconnectNow(): void {
    this.#attempt = 0;
    if (this.#ws) this.#ws.close();
    else this.connect();
  }

  /** Listeners run after every reconnect (not the first connect), once logged back in and re-subscribed. */
  onReconnect(fn: () => void): () => void {
    this.#reconnected.add(fn);
    return () => this.#reconnected.delete(fn);
  }

  call<T = unknown>(method: string, ...params: unknown[]): Promise<T> {
    return this.#call(method, params, false) as Promise<T>;
  }

  subscribe(name: string, params: unknown[]): Subscription {
    const id = `s${this.#nextId++}`;
    const sub: ActiveSub = { frame: { msg: 'sub', id, name, params }, ready: false, onReady: [] };
    this.#subs.set(id, sub);
    const ready = new Promise<void>((resolve, reject) => sub.onReady.push((err) => (err ? reject(err) : resolve())));
    ready.catch(() => undefined);
    if (this.status.value === 'connected') this.#sendNow(sub.frame);
    return {
      ready,
      stop: () => {
        if (!this.#subs.delete(id)) return;
        if (this.status.value === 'connected') this.#sendNow({ msg: 'unsub', id });
      },
    };
  }

  /**
   * Subscribes to one event of a Rocket.Chat stream and routes its `changed` frames to `listener`.
   * The subscription and the listener end together.
   */
  stream(name: string, eventName: string, listener: StreamListener): Subscription {
    let byEvent = this.#streams.get(name);
    if (!byEvent) this.#streams.set(name, (byEvent = new Map()));
    let set = byEvent.get(eventName);
    if (!set) byEvent.set(eventName, (set = new Set()));
    set.add(listener);
    const sub = this.subscribe(name, [eventName, false]);
    return {
      ready: sub.ready,
      stop: () => {
        set.delete(listener);
        if (set.size === 0) byEvent.delete(eventName);
        sub.stop();
      },
    };
  }

  #call(method: string, params: unknown[], urgent: boolean): Promise<unknown> {
    const id = String(this.#nextId++);
    const frame = { msg: 'method', id, method, params };
    return new Promise((resolve, reject) => {
      const call: PendingCall = { frame, sent: false, resolve, reject };
      this.#pending.set(id, call);
      if (this.status.value === 'connected' || (urgent && this.#handshaking)) {
        call.sent = true;
        this.#sendNow(frame);
      }
    });
  }

  /** A call made while logging back in: it goes out before the queue. */
  callDuringHandshake<T = unknown>(method: string, ...params: unknown[]): Promise<T> {
    return this.#call(method, params, true) as Promise<T>;
  }

  #sendNow(frame: Frame): void {
    if (this.#ws?.readyState === WebSocket.OPEN) this.#ws.send(stringifyEjson(frame));
  }

  #receive(text: string): void {
    this.#lastSeen = Date.now();
    let f: Frame;
    try {
      f = parseEjson(text) as Frame;
    } catch {
      return;
    }
    switch (f.msg) {
      case 'connected':
        void this.#handshakeDone();
        return;
      case 'failed':
        this.#ws?.close();
        return;
      case 'ping':
        this.#sendNow(f.id ? { msg: 'pong', id: f.id } : { msg: 'pong' });
        return;
      case 'result': {
        const call = this.#pending.get(f.id);
        if (!call) return;
        this.#pending.delete(f.id);
        if (f.error) call.reject(new DdpError(f.error));
        else call.resolve(f.result);
        return;
      }
      case 'ready':
        for (const id of f.subs ?? []) this.#settleSub(id);
        return;
      case 'nosub':
        this.#settleSub(f.id, f.error ? new DdpError(f.error) : new DdpError({ error: 'nosub' }));
        this.#subs.delete(f.id);
        return;
      case 'changed': {
        const listeners = this.#streams.get(f.collection)?.get(f.fields?.eventName);
        if (!listeners) return;
        const args = Array.isArray(f.fields?.args) ? (f.fields.args as unknown[]) : [];
        for (const fn of [...listeners]) {
          try {
            fn(args);
          } catch (err) {
            console.error('stream listener failed', err);
          }
        }
        return;
      }
      default:
    }
  }

  #settleSub(id: string, err?: DdpError): void {
    const sub = this.#subs.get(id);
    if (!sub || sub.ready) return;
    sub.ready = !err;
    for (const fn of sub.onReady.splice(0)) fn(err);
  }

  async #handshakeDone(): Promise<void> {
    this.#attempt = 0;
    this.#handshaking = true;
    try {
      await this.onHandshake?.();
    } catch (err) {
      console.warn('logging back in failed', err);
    }
    this.#handshaking = false;
    const wasReconnect = this.#everConnected;
    this.#everConnected = true;
    this.status.value = 'connected';
    for (const sub of this.#subs.values()) this.#sendNow(sub.frame);
    for (const call of this.#pending.values()) {
      if (call.sent) continue;
      call.sent = true;
      this.#sendNow(call.frame);
    }
    clearInterval(this.#pingTimer);
    this.#pingTimer = setInterval(() => this.#checkAlive(), CLIENT_PING_MS);
    if (wasReconnect) for (const fn of [...this.#reconnected]) fn();
  }

  /** A silent socket may be a dead one: ping it, and drop it if nothing comes back. */
  #checkAlive(): void {
    if (Date.now() - this.#lastSeen < CLIENT_PING_MS) return;
    this.#sendNow({ msg: 'ping' });
    const ws = this.#ws;
    setTimeout(() => {
      if (ws === this.#ws && Date.now() - this.#lastSeen > PONG_TIMEOUT_MS) ws?.close();
    }, PONG_TIMEOUT_MS);
  }

  #lost(ws: WebSocket): void {
    if (ws !== this.#ws) return;
    this.#ws = undefined;
    this.#handshaking = false;
    clearInterval(this.#pingTimer);
    this.status.value = this.#everConnected ? 'offline' : 'connecting';
    // Calls that went out without an answer are sent again after reconnecting (as Meteor does).
    for (const call of this.#pending.values()) call.sent = false;
    for (const sub of this.#subs.values()) sub.ready = false;
    const delay = BACKOFF_MS[Math.min(this.#attempt++, BACKOFF_MS.length - 1)]!;
    this.#timer = setTimeout(() => this.connect(), delay * (0.8 + Math.random() * 0.4));
  }
}

import type { Logger } from 'pino';
import { stringifyEjson, stringifyEjsonExact } from './ejson.js';
import { notFound, toWire, type WireError } from './meteor-error.js';
import {
  isMethodMsg,
  isSubMsg,
  negotiateVersion,
  parseFrame,
  type ConnectMsg,
  type DdpVersion,
  type InboundMsg,
} from './messages.js';
import { Heartbeat } from './heartbeat.js';
import { PublishedDocs } from './published-docs.js';
import { Subscription } from './subscription.js';
import { CloseCode, type Transport } from './transport.js';
import { randomId } from '../lib/random.js';
import type { DdpServer } from './server.js';

/** What a method handler sees of the call and its connection. */
export interface MethodContext {
  readonly session: Session;
  readonly method: string;
  readonly userId: string | null;
  /** Changes the connection's user (login/logout); re-runs its subscriptions. */
  setUserId(userId: string | null): Promise<void>;
  /** Lets the session start its next message before this call finishes. */
  unblock(): void;
}

export type MethodHandler = (ctx: MethodContext, params: unknown[]) => unknown;

type State = 'awaiting-connect' | 'connected' | 'closed';

/**
 * One DDP session per socket: the handshake state machine, an ordered inbound queue for
 * method/sub/unsub, pings answered out of band, heartbeats and the published-document refcounts.
 */
export class Session {
  readonly id = randomId();
  #logger: Logger | undefined;
  /** Per-connection state kept by the layers above (login token, cached user…). */
  // A plain object (not Object.create(null), which starts in V8's slow dictionary mode): the layers
  // above keep a few fixed keys here on every connection.
  readonly locals: Record<string, unknown> = {};
  #state: State = 'awaiting-connect';
  #version: DdpVersion | null = null;
  #userId: string | null = null;
  #queue: InboundMsg[] = [];
  #draining = false;
  #subs = new Map<string, Subscription>();
  /** Published documents (made on first use: stream subscriptions publish none). */
  #docs: PublishedDocs | undefined;
  readonly #heartbeat: Heartbeat;
  #closeListeners: Array<() => void> | undefined;
  readonly openedAt = Date.now();
  #closeCode: number | undefined;
  #closeReason: string | undefined;

  constructor(
    readonly server: DdpServer,
    private readonly transport: Transport,
  ) {
    const { heartbeatIntervalMs, heartbeatTimeoutMs, handshakeTimeoutMs } = server.options;
    this.#heartbeat = new Heartbeat(
      heartbeatIntervalMs,
      heartbeatTimeoutMs,
      () => this.send({ msg: 'ping' }),
      () => this.close(CloseCode.heartbeatTimeout, 'heartbeat timeout'),
    );
    this.#heartbeat.deadline(handshakeTimeoutMs, () => {
      if (this.#state === 'awaiting-connect') this.close(CloseCode.handshakeTimeout, 'handshake timeout');
    });
    this.transport.send('{"server_id":"0"}');
  }

  /** The session's child logger, made on first use (most sessions never log). */
  get logger(): Logger {
    return (this.#logger ??= this.server.logger.child({ session: this.id }));
  }

  get userId(): string | null {
    return this.#userId;
  }
  get version(): DdpVersion | null {
    return this.#version;
  }
  get clientAddress(): string {
    return this.transport.remoteAddress;
  }
  get closed(): boolean {
    return this.#state === 'closed';
  }
  /** How the socket ended (WebSocket close code and reason), once closed and when known. */
  get closeCode(): number | undefined {
    return this.#closeCode;
  }
  get closeReason(): string | undefined {
    return this.#closeReason;
  }

  onClose(cb: () => void): void {
    if (this.closed) cb();
    else (this.#closeListeners ??= []).push(cb);
  }

  // ---- inbound -------------------------------------------------------------------------------

  /** Handles one text frame from the client. Never throws. */
  receive(text: string): void {
    try {
      this.#receive(text);
    } catch (err) {
      // Nothing above should throw; if it does, the session survives and the client learns why.
      this.logger.error({ err }, 'failed to handle a frame');
      this.sendError('Bad request');
    }
  }

  #receive(text: string): void {
    if (this.#state === 'closed') return;
    this.#heartbeat.seen();
    let msg: unknown;
    try {
      msg = parseFrame(text);
    } catch (err) {
      // As Meteor: text that is not JSON is a bad request; JSON whose EJSON cannot be decoded, a parse error.
      this.sendError(err instanceof SyntaxError ? 'Bad request' : 'Parse error');
      return;
    }
    if (msg === null || typeof msg !== 'object' || Array.isArray(msg)) {
      this.sendError('Bad request');
      return;
    }
    const m = msg as InboundMsg;
    // Meteor's `!msg.msg`: a missing or falsy msg; any other non-string msg is an unknown message.
    if (!m.msg) {
      this.sendError('Bad request', m);
      return;
    }
    if (m.msg === 'connect') {
      if (this.#state === 'connected') this.sendError('Already connected', m);
      else this.#connect(m as unknown as ConnectMsg);
      return;
    }
    if (this.#state !== 'connected') {
      this.sendError('Must connect first', m);
      return;
    }
    if (this.#version !== 'pre1') {
      if (m.msg === 'ping') {
        // Meteor echoes whatever id came (undefined is dropped); one that cannot be re-encoded is left out.
        if (!this.send({ msg: 'pong', id: m.id })) this.send({ msg: 'pong' });
        return;
      }
      if (m.msg === 'pong') return;
    }
    switch (m.msg) {
      case 'method':
        if (!isMethodMsg(m)) return this.sendError('Malformed method invocation', m);
        break;
      case 'sub':
        if (!isSubMsg(m)) return this.sendError('Malformed subscription', m);
        break;
      case 'unsub':
        if (typeof m.id !== 'string') return this.sendError('Bad request', m);
        break;
      default:
        return this.sendError('Bad request', m);
    }
    this.#queue.push(m);
    if (!this.#draining) void this.#drain();
  }

  #connect(m: ConnectMsg): void {
    const v = negotiateVersion(m);
    if (!v.ok) {
      this.send({ msg: 'failed', version: v.version });
      this.close(CloseCode.protocolError, 'unsupported DDP version');
      return;
    }
    this.#version = v.version;
    this.#state = 'connected';
    this.#heartbeat.stop();
    this.send({ msg: 'connected', session: this.id });
    if (this.#version !== 'pre1') this.#heartbeat.start();
    this.server.sessionConnected(this);
  }

  async #drain(): Promise<void> {
    this.#draining = true;
    try {
      while (this.#queue.length > 0 && this.#state !== 'closed') {
        const m = this.#queue.shift()!;
        await this.#process(m);
      }
    } finally {
      this.#draining = false;
    }
  }

  #process(m: InboundMsg): Promise<void> {
    switch (m.msg) {
      case 'method':
        return new Promise<void>((resolve) => {
          let released = false;
          const unblock = () => {
            if (!released) {
              released = true;
              resolve();
            }
          };
          this.#runMethod(m as InboundMsg & { id: string; method: string; params?: unknown[] }, unblock).finally(unblock);
        });
      case 'sub':
        return this.#startSub(m as InboundMsg & { id: string; name: string; params?: unknown[] });
      case 'unsub': {
        const sub = this.#subs.get(m.id as string);
        if (sub) sub.stop();
        else this.send({ msg: 'nosub', id: m.id });
        return Promise.resolve();
      }
    }
    return Promise.resolve();
  }

  async #runMethod(m: { id: string; method: string; params?: unknown[] }, unblock: () => void): Promise<void> {
    const handler = this.server.method(m.method);
    let reply: Record<string, unknown>;
    if (!handler) {
      this.logger.debug({ method: m.method, error: 404 }, 'method failed');
      reply = { msg: 'result', id: m.id, error: toWire(notFound('Method', m.method)) };
    } else {
      const ctx: MethodContext = {
        session: this,
        method: m.method,
        userId: this.#userId,
        setUserId: (uid) => this.setUserId(uid),
        unblock,
      };
      try {
        const refused = this.server.guard('method', m.method, this);
        if (refused) throw refused;
        const result = await handler(ctx, m.params ?? []);
        reply = result === undefined ? { msg: 'result', id: m.id } : { msg: 'result', id: m.id, result };
      } catch (err) {
        const wire = this.wireError(err, 'method', m.method);
        this.logger.debug({ method: m.method, error: wire.error }, 'method failed');
        reply = { msg: 'result', id: m.id, error: wire };
      }
    }
    if (this.#state === 'closed') return;
    if (!this.send(reply)) {
      // The result could not be encoded (a cycle, a BigInt…): the client still gets an answer.
      this.send({ msg: 'result', id: m.id, error: this.wireError(new Error('unencodable method result'), 'method', m.method) });
    }
    this.send({ msg: 'updated', methods: [m.id] });
  }

  async #startSub(m: { id: string; name: string; params?: unknown[] }): Promise<void> {
    if (this.#subs.has(m.id)) return;
    const handler = this.server.publication(m.name);
    if (!handler) {
      this.send({ msg: 'nosub', id: m.id, error: toWire(notFound('Subscription', m.name)) });
      return;
    }
    const refused = this.server.guard('sub', m.name, this);
    if (refused) {
      this.send({ msg: 'nosub', id: m.id, error: toWire(refused) });
      return;
    }
    // The registered name, not the one parsed from this frame: one string for every subscription.
    const sub = new Subscription(this, m.id, this.server.publicationName(m.name) ?? m.name, m.params ?? [], handler);
    this.#subs.set(m.id, sub);
    await sub.run();
  }

  /** Switches the connection's user and re-runs every subscription under the new identity. */
  async setUserId(userId: string | null): Promise<void> {
    const previous = this.#userId;
    this.#userId = userId;
    if (previous !== userId) this.server.userChanged(this, previous);
    for (const sub of [...this.#subs.values()]) {
      if (sub.stopped) continue;
      sub.resetForRerun();
      await sub.run();
    }
  }

  forgetSubscription(sub: Subscription): void {
    if (this.#subs.get(sub.id) === sub) this.#subs.delete(sub.id);
  }

  get subscriptions(): ReadonlyMap<string, Subscription> {
    return this.#subs;
  }

  // ---- outbound ------------------------------------------------------------------------------

  /** Encodes and sends one message; false (and nothing sent) when it cannot be encoded or the session is closed. */
  send(msg: Record<string, unknown>, encode: (v: unknown) => string = stringifyEjson): boolean {
    if (this.#state === 'closed') return false;
    let text: string;
    try {
      text = encode(msg);
    } catch (err) {
      this.logger.warn({ err, msg: msg.msg }, 'could not encode an outgoing message');
      return false;
    }
    this.#write(text);
    return true;
  }

  sendEncoded(frame: Buffer): void {
    if (this.#state === 'closed') return;
    this.#write(frame);
  }

  #write(data: string | Buffer): void {
    if (this.transport.bufferedAmount > this.server.options.slowConsumerBytes) {
      this.logger.warn({ buffered: this.transport.bufferedAmount }, 'slow consumer, closing');
      this.close(CloseCode.tryAgainLater, 'slow consumer');
      return;
    }
    this.transport.send(data);
  }

  /** A connection-level `error` (ddp.md §6.2); the offending message is left out if it cannot be echoed. */
  sendError(reason: string, offendingMessage?: unknown): void {
    // The client's own message is echoed exactly (it may hold values only EJSON's slow path keeps).
    if (offendingMessage !== undefined && this.send({ msg: 'error', reason, offendingMessage }, stringifyEjsonExact)) return;
    this.send({ msg: 'error', reason });
  }

  wireError(err: unknown, kind: 'method' | 'sub', name: string): WireError {
    return toWire(this.server.toMeteorError(err, kind, name));
  }

  docAdded(collection: string, id: string, fields?: Record<string, unknown>): void {
    (this.#docs ??= new PublishedDocs((m) => this.send(m))).added(collection, id, fields);
  }

  docRemoved(collection: string, id: string): void {
    this.#docs?.removed(collection, id);
  }

  /** Closes the socket (if open) and releases everything the session holds. */
  close(code: number = CloseCode.normal, reason = ''): void {
    if (this.#state === 'closed') return;
    this.transport.close(code, reason);
    this.socketClosed(code, reason);
  }

  /** Called when the socket is gone (with the close code and reason, when known). */
  socketClosed(code?: number, reason?: string): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.#closeCode = code;
    this.#closeReason = reason;
    this.#heartbeat.stop();
    this.#queue.length = 0;
    for (const sub of [...this.#subs.values()]) sub.stopSilently();
    this.#subs.clear();
    const listeners = this.#closeListeners ?? [];
    this.#closeListeners = undefined;
    for (const cb of listeners) {
      try {
        cb();
      } catch (err) {
        this.logger.error({ err }, 'close listener failed');
      }
    }
    this.server.sessionClosed(this);
  }
}


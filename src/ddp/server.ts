import type { Logger } from 'pino';
import { internalError, MeteorError } from './meteor-error.js';
import { Session, type MethodHandler } from './session.js';
import type { PublicationHandler } from './subscription.js';
import type { Transport } from './transport.js';

export interface DdpServerOptions {
  handshakeTimeoutMs: number;
  heartbeatIntervalMs: number;
  heartbeatTimeoutMs: number;
  slowConsumerBytes: number;
}

export interface DdpHooks {
  /** Turns an error that is not a MeteorError into one (domain errors); undefined = unexpected. */
  mapError?(err: unknown, kind: 'method' | 'sub', name: string): MeteorError | undefined;
  /** Runs before every method call and subscription; a returned error refuses it (rate limits). */
  guard?(kind: 'method' | 'sub', name: string, session: Session): MeteorError | undefined;
  sessionConnected?(session: Session): void;
  sessionClosed?(session: Session): void;
  userChanged?(session: Session, previousUserId: string | null): void;
}

/** The DDP server: method and publication registries, and the set of live sessions. */
export class DdpServer {
  readonly #methods = new Map<string, MethodHandler>();
  readonly #publications = new Map<string, PublicationHandler>();
  readonly #publicationNames = new Map<string, string>();
  readonly #sessions = new Set<Session>();
  #hooks: DdpHooks = {};

  constructor(
    readonly options: DdpServerOptions,
    readonly logger: Logger,
  ) {}

  setHooks(hooks: DdpHooks): void {
    this.#hooks = hooks;
  }

  methods(handlers: Record<string, MethodHandler>): void {
    for (const [name, h] of Object.entries(handlers)) {
      if (this.#methods.has(name)) throw new Error(`method ${name} registered twice`);
      this.#methods.set(name, h);
    }
  }

  publish(name: string, handler: PublicationHandler): void {
    if (this.#publications.has(name)) throw new Error(`publication ${name} registered twice`);
    this.#publications.set(name, handler);
    this.#publicationNames.set(name, name);
  }

  method(name: string): MethodHandler | undefined {
    return this.#methods.get(name);
  }

  /** The registered (interned) name of a publication. */
  publicationName(name: string): string | undefined {
    return this.#publicationNames.get(name);
  }

  publication(name: string): PublicationHandler | undefined {
    return this.#publications.get(name);
  }

  get sessions(): ReadonlySet<Session> {
    return this.#sessions;
  }

  /** Starts a session on a freshly opened socket. */
  accept(transport: Transport): Session {
    const s = new Session(this, transport);
    this.#sessions.add(s);
    // Through the server's logger: a per-session child logger costs memory on every connection.
    if (this.logger.isLevelEnabled('debug')) this.logger.debug({ session: s.id, address: transport.remoteAddress }, 'connection opened');
    return s;
  }

  guard(kind: 'method' | 'sub', name: string, session: Session): MeteorError | undefined {
    return this.#hooks.guard?.(kind, name, session);
  }

  toMeteorError(err: unknown, kind: 'method' | 'sub', name: string): MeteorError {
    if (err instanceof MeteorError) return err;
    const mapped = this.#hooks.mapError?.(err, kind, name);
    if (mapped) return mapped;
    this.logger.error({ err, [kind]: name }, 'unexpected error');
    return internalError();
  }

  sessionConnected(s: Session): void {
    if (this.logger.isLevelEnabled('trace')) this.logger.trace({ session: s.id, version: s.version }, 'ddp session established');
    this.#hooks.sessionConnected?.(s);
  }

  sessionClosed(s: Session): void {
    this.#sessions.delete(s);
    if (!this.logger.isLevelEnabled('debug')) return this.#hooks.sessionClosed?.(s);
    this.logger.debug(
      { session: s.id, address: s.clientAddress, userId: s.userId, code: s.closeCode, reason: s.closeReason, durationMs: Date.now() - s.openedAt },
      'connection closed',
    );
    this.#hooks.sessionClosed?.(s);
  }

  userChanged(s: Session, previous: string | null): void {
    this.#hooks.userChanged?.(s, previous);
  }

  /** Closes every session (server shutdown). */
  closeAll(code: number, reason: string): void {
    for (const s of [...this.#sessions]) s.close(code, reason);
  }
}

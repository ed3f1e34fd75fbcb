import type { Session } from './session.js';

export type PublicationHandler = (sub: Subscription, params: unknown[]) => void | Promise<void>;

/**
 * One client subscription (`sub` message). A publication calls `ready()` once its initial data
 * is sent, `error()` to refuse or end it, and registers cleanup with `onStop()`.
 */
export class Subscription {
  #stopCallbacks: Array<() => void> | undefined;
  /** Documents this subscription published (most publish none). */
  #docs: Set<string> | undefined;
  #readySent = false;
  #stopped = false;

  constructor(
    readonly session: Session,
    readonly id: string,
    readonly name: string,
    readonly params: unknown[],
    private readonly handler: PublicationHandler,
  ) {}

  get userId(): string | null {
    return this.session.userId;
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  /** Runs (or re-runs, after a login change) the publication handler. */
  async run(): Promise<void> {
    try {
      await this.handler(this, this.params);
    } catch (err) {
      this.error(err);
    }
  }

  ready(): void {
    if (this.#stopped || this.#readySent) return;
    this.#readySent = true;
    this.session.send({ msg: 'ready', subs: [this.id] });
  }

  /** Ends the subscription with an error (`nosub` carrying it). */
  error(err: unknown): void {
    if (this.#stopped) return;
    this.#teardown();
    this.session.forgetSubscription(this);
    this.session.send({ msg: 'nosub', id: this.id, error: this.session.wireError(err, 'sub', this.name) });
  }

  /** Stops the subscription from the server side, telling the client with a plain `nosub`. */
  stop(): void {
    if (this.#stopped) return;
    this.#teardown();
    this.session.forgetSubscription(this);
    this.session.send({ msg: 'nosub', id: this.id });
  }

  /** Stops delivery without telling the client (used when access to a stream ends). */
  stopSilently(): void {
    if (this.#stopped) return;
    this.#teardown();
    this.session.forgetSubscription(this);
  }

  onStop(cb: () => void): void {
    if (this.#stopped) cb();
    else (this.#stopCallbacks ??= []).push(cb);
  }

  /** Runs the stop callbacks so the handler can run again (login change); documents stay published. */
  resetForRerun(): void {
    this.#runStopCallbacks();
  }

  added(collection: string, id: string, fields?: Record<string, unknown>): void {
    if (this.#stopped) return;
    const key = `${collection}\u0000${id}`;
    this.#docs ??= new Set();
    if (this.#docs.has(key)) return;
    this.#docs.add(key);
    this.session.docAdded(collection, id, fields);
  }

  changed(collection: string, id: string, fields: Record<string, unknown>): void {
    if (this.#stopped) return;
    this.session.send({ msg: 'changed', collection, id, fields });
  }

  removed(collection: string, id: string): void {
    const key = `${collection}\u0000${id}`;
    if (this.#stopped || !this.#docs?.delete(key)) return;
    this.session.docRemoved(collection, id);
  }

  /** Sends an already-encoded frame (fan-out encodes an event once for every recipient). */
  sendEncoded(frame: Buffer): void {
    if (!this.#stopped) this.session.sendEncoded(frame);
  }

  #runStopCallbacks(): void {
    const cbs = this.#stopCallbacks ?? [];
    this.#stopCallbacks = undefined;
    for (const cb of cbs) {
      try {
        cb();
      } catch (err) {
        this.session.logger.error({ err, sub: this.name }, 'subscription stop callback failed');
      }
    }
  }

  #teardown(): void {
    this.#stopped = true;
    this.#runStopCallbacks();
    for (const key of this.#docs ?? []) {
      const [collection, id] = key.split('\u0000') as [string, string];
      this.session.docRemoved(collection, id);
    }
    this.#docs = undefined;
  }
}


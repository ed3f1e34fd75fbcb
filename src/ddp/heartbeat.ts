/**
 * A connection's liveness timer (Meteor's heartbeat, ddp.md §3): any received message is proof of
 * life; after `intervalMs` of silence `ping()` is called, and if nothing arrives within
 * `timeoutMs` after that, `timedOut()`. Before the handshake it serves as the handshake deadline.
 */
export class Heartbeat {
  #lastSeen = Date.now();
  #pingSent = false;
  #timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly intervalMs: number,
    private readonly timeoutMs: number,
    private readonly ping: () => void,
    private readonly timedOut: () => void,
  ) {}

  /** Calls `expired` once after `ms` unless stopped or started first (the handshake deadline). */
  deadline(ms: number, expired: () => void): void {
    this.#schedule(ms, expired);
  }

  /** Starts the ping/timeout cycle. */
  start(): void {
    this.#lastSeen = Date.now();
    this.#schedule(this.intervalMs, () => this.#tick());
  }

  /** Something arrived from the peer. */
  seen(): void {
    this.#lastSeen = Date.now();
    this.#pingSent = false;
  }

  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #schedule(ms: number, fn: () => void): void {
    this.stop();
    this.#timer = setTimeout(fn, Math.max(0, ms));
    this.#timer.unref();
  }

  #tick(): void {
    const idle = Date.now() - this.#lastSeen;
    if (this.#pingSent) {
      if (idle >= this.timeoutMs) {
        this.stop();
        this.timedOut();
      } else this.#schedule(this.timeoutMs - idle, () => this.#tick());
      return;
    }
    if (idle < this.intervalMs) {
      this.#schedule(this.intervalMs - idle, () => this.#tick());
      return;
    }
    this.#pingSent = true;
    this.#lastSeen = Date.now();
    this.ping();
    this.#schedule(this.timeoutMs, () => this.#tick());
  }
}

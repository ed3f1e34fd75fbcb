/**
 * Fixed-window counters (Meteor's DDPRateLimiter semantics): the first hit of a key opens a window
 * of `intervalMs`; hits past `limit` inside it are refused until it ends.
 */
export class RateLimiter {
  readonly #windows = new Map<string, { count: number; resetAt: number }>();
  #lastSweep = 0;

  /** Counts a hit; returns 0 when allowed, else the milliseconds until the window resets. */
  hit(key: string, limit: number, intervalMs: number, now = Date.now()): number {
    const w = this.count(key, intervalMs, now);
    return w.count > limit ? Math.max(1, w.resetAt - now) : 0;
  }

  /** Counts a hit; returns the hits in the key's current window (this one included) and when it ends. */
  count(key: string, intervalMs: number, now = Date.now()): { readonly count: number; readonly resetAt: number } {
    this.#sweep(now);
    let w = this.#windows.get(key);
    if (!w || w.resetAt <= now) {
      w = { count: 0, resetAt: now + intervalMs };
      this.#windows.set(key, w);
    }
    w.count++;
    return w;
  }

  reset(): void {
    this.#windows.clear();
  }

  #sweep(now: number): void {
    if (now - this.#lastSweep < 10_000) return;
    this.#lastSweep = now;
    for (const [k, w] of this.#windows) if (w.resetAt <= now) this.#windows.delete(k);
  }
}

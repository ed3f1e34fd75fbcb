import type { GroupCommit } from './group-commit.js';

/**
 * An async mutex for one connection: while a transaction holds it, every other store call (from
 * another request on the same event loop) waits, so nothing outside the transaction runs on the
 * connection between its BEGIN and its COMMIT/ROLLBACK. Calls made through the transaction's own
 * store do not wait. Transactions take the gate in the order they asked for it, each handed it by
 * the one before (one wake-up per transaction, however many wait); the other calls run once no
 * transaction holds or awaits it.
 */
export class Gate {
  #held = false;
  /** Transactions waiting for the gate, oldest first. */
  readonly #queue: Array<() => void> = [];
  /** Other calls waiting for the gate to be free. */
  #idle: { promise: Promise<void>; resolve: () => void } | undefined;

  /** True while a transaction holds the gate. */
  get held(): boolean {
    return this.#held;
  }

  /** Resolves once no transaction holds the gate. */
  async idle(): Promise<void> {
    while (this.#held) {
      if (!this.#idle) {
        let resolve!: () => void;
        const promise = new Promise<void>((r) => {
          resolve = r;
        });
        this.#idle = { promise, resolve };
      }
      await this.#idle.promise;
    }
  }

  /** Waits for the gate, takes it, and returns the function that releases it. */
  async acquire(): Promise<() => void> {
    if (this.#held) await new Promise<void>((resolve) => this.#queue.push(resolve));
    else this.#held = true;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#release();
    };
  }

  #release(): void {
    const next = this.#queue.shift();
    // Handed over: the gate stays held for the next transaction.
    if (next) return next();
    this.#held = false;
    const idle = this.#idle;
    this.#idle = undefined;
    idle?.resolve();
  }
}

/** Runs a unit of store work: immediately, or after waiting for the gate. */
export type Runner = <T>(work: () => T) => Promise<T>;

/** The runner of the root store's reads: waits while a transaction holds the gate. */
export function gatedRunner(gate: Gate): Runner {
  return async <T>(work: () => T): Promise<T> => {
    // Re-checked after every wake-up: another transaction may have taken the gate meanwhile.
    while (gate.held) await gate.idle();
    return work();
  };
}

/**
 * The runner of the root store's writes: waits while a transaction holds the gate, writes into
 * the open commit group, and resolves once that group has committed.
 */
export function gatedWriter(gate: Gate, group: GroupCommit): Runner {
  return async <T>(work: () => T): Promise<T> => {
    while (gate.held) await gate.idle();
    group.begin();
    const result = work();
    await group.committed();
    return result;
  };
}

/**
 * The runner of a transaction's store: runs at once; refuses once the transaction has ended, or
 * once SQLite has rolled it back on its own (e.g. on SQLITE_FULL), so that no later write of the
 * function escapes into autocommit.
 */
export class TxRunner {
  readonly #active: () => boolean;
  #open = true;

  constructor(active: () => boolean) {
    this.#active = active;
  }

  readonly run: Runner = async <T>(work: () => T): Promise<T> => {
    if (!this.#open) throw new Error('store transaction already finished');
    if (!this.#active()) throw new Error('store transaction was rolled back');
    return work();
  };

  end(): void {
    this.#open = false;
  }
}

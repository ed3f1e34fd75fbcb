import type { SqliteDb } from './sqlite-db.js';

/**
 * Group commit: the writes made during one turn of the event loop share one SQLite transaction,
 * committed at the end of the turn (setImmediate); each write's promise resolves only after that
 * COMMIT, so nothing is acknowledged before it is durable. One commit per turn instead of one per
 * write: a commit (WAL page writes and locking) costs far more than the statements in it.
 *
 * Reads run at once, inside the open group when there is one (they see its writes, which commit
 * with it — or, if the COMMIT itself fails, fail with it: their writers are told).
 */
export class GroupCommit {
  #group: { done: Promise<void>; resolve: () => void; reject: (err: unknown) => void } | undefined;
  #holds = 0;
  #scheduled = false;

  constructor(private readonly db: SqliteDb) {}

  /** Makes sure a group transaction is open; the next commit point is scheduled. */
  begin(): void {
    if (this.#group && this.db.inTransaction) return;
    if (this.#group) this.#fail(new Error('the group transaction was rolled back'));
    this.db.stmt('BEGIN IMMEDIATE').run();
    let resolve!: () => void;
    let reject!: (err: unknown) => void;
    const done = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    done.catch(() => {}); // observed by the writers that await it
    this.#group = { done, resolve, reject };
    this.#schedule();
  }

  /** Resolves when the current group (the one the caller wrote in) has committed. */
  committed(): Promise<void> {
    return this.#group?.done ?? Promise.resolve();
  }

  /** While held (an explicit transaction is running), the group is not committed. */
  hold(): void {
    this.#holds++;
  }

  release(): void {
    this.#holds--;
    if (this.#holds === 0 && this.#group) this.#schedule();
  }

  /** Commits the open group now (shutdown). */
  flush(): void {
    if (this.#group) this.#commit();
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      if (this.#holds === 0) this.#commit();
    });
  }

  #commit(): void {
    const group = this.#group;
    if (!group) return;
    this.#group = undefined;
    if (!this.db.inTransaction) {
      group.reject(new Error('the group transaction was rolled back'));
      return;
    }
    try {
      this.db.stmt('COMMIT').run();
      group.resolve();
    } catch (err) {
      if (this.db.inTransaction) this.db.stmt('ROLLBACK').run();
      group.reject(err);
    }
  }

  #fail(err: unknown): void {
    this.#group?.reject(err);
    this.#group = undefined;
  }
}

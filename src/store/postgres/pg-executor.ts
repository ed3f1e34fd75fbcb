import pg from 'pg';
import { DuplicateKeyError } from '../errors.js';

/** Something that runs a parameterized query: the pool, or one client. */
export interface Queryable {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
}

/**
 * How a repo runs its SQL. `run` is for a single statement (atomic by itself); `atomic` for a
 * read-modify-write or several statements that must land together.
 */
export interface PgExecutor {
  run<T>(work: (q: Queryable) => Promise<T>): Promise<T>;
  atomic<T>(work: (q: Queryable) => Promise<T>): Promise<T>;
}

/** Unique indexes and constraints (by name) → the collection and key DuplicateKeyError reports. */
const UNIQUE_KEYS: Record<string, [collection: string, key: string]> = {
  users_pkey: ['users', '_id'],
  users_username_lc: ['users', 'username'],
  user_emails_pkey: ['users', 'email'],
  rooms_pkey: ['rooms', '_id'],
  rooms_name: ['rooms', 'name'],
  subscriptions_pkey: ['subscriptions', '_id'],
  subscriptions_rid_uid: ['subscriptions', 'rid,u._id'],
  messages_pkey: ['messages', '_id'],
  integrations_pkey: ['integrations', '_id'],
};

/** Turns a unique violation (SQLSTATE 23505) into DuplicateKeyError; anything else is returned unchanged. */
export function translatePgError(err: unknown): unknown {
  if (!(err instanceof pg.DatabaseError) || err.code !== '23505') return err;
  const name = err.constraint ?? 'unknown';
  const [collection, key] = UNIQUE_KEYS[name] ?? [err.table ?? 'unknown', name];
  return new DuplicateKeyError(collection, key);
}

/** Outside a transaction: single statements on the pool, atomic work on a client of its own. */
export class PoolExecutor implements PgExecutor {
  readonly #pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.#pool = pool;
  }

  async run<T>(work: (q: Queryable) => Promise<T>): Promise<T> {
    try {
      return await work(this.#pool);
    } catch (err) {
      throw translatePgError(err);
    }
  }

  async atomic<T>(work: (q: Queryable) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw translatePgError(err);
    } finally {
      client.release();
    }
  }
}

/**
 * Inside a transaction: one operation at a time on the transaction's client. `atomic` work runs in
 * a savepoint, so that a failure it may expect (a caught DuplicateKeyError, say) does not abort the
 * transaction; `run` work (reads and writes that cannot conflict) needs no savepoint — a failure
 * there is unexpected and ends the transaction — which halves the round trips of a transaction.
 */
export class TxExecutor implements PgExecutor {
  readonly #client: pg.PoolClient;
  #queue: Promise<unknown> = Promise.resolve();
  #open = true;

  constructor(client: pg.PoolClient) {
    this.#client = client;
  }

  run<T>(work: (q: Queryable) => Promise<T>): Promise<T> {
    return this.#enqueue(async () => {
      try {
        return await work(this.#client);
      } catch (err) {
        throw translatePgError(err);
      }
    });
  }

  atomic<T>(work: (q: Queryable) => Promise<T>): Promise<T> {
    return this.#enqueue(() => this.#inSavepoint(work));
  }

  #enqueue<T>(op: () => Promise<T>): Promise<T> {
    if (!this.#open) return Promise.reject(new Error('store transaction already finished'));
    const next = this.#queue.then(op);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async #inSavepoint<T>(work: (q: Queryable) => Promise<T>): Promise<T> {
    await this.#client.query('SAVEPOINT op');
    try {
      const result = await work(this.#client);
      await this.#client.query('RELEASE SAVEPOINT op');
      return result;
    } catch (err) {
      await this.#client.query('ROLLBACK TO SAVEPOINT op; RELEASE SAVEPOINT op').catch(() => undefined);
      throw translatePgError(err);
    }
  }

  /** Refuses new operations and waits for those already queued. */
  async end(): Promise<void> {
    this.#open = false;
    await this.#queue;
  }
}

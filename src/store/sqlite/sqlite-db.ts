import Database from 'better-sqlite3';
import { DuplicateKeyError } from '../errors.js';

export type Statement = Database.Statement<unknown[], unknown>;

/** Unique-index columns as SQLite names them in constraint errors → the collection and key reported. */
const UNIQUE_KEYS: Record<string, [collection: string, key: string]> = {
  'users.id': ['users', '_id'],
  'users.username_lc': ['users', 'username'],
  'user_emails.address_lc': ['users', 'email'],
  'rooms.id': ['rooms', '_id'],
  'rooms.name': ['rooms', 'name'],
  'subscriptions.id': ['subscriptions', '_id'],
  'subscriptions.rid, subscriptions.uid': ['subscriptions', 'rid,u._id'],
  'messages.id': ['messages', '_id'],
  'integrations.id': ['integrations', '_id'],
};

/**
 * One better-sqlite3 connection: PRAGMAs, a cache of prepared statements, helper SQL functions,
 * atomic sections (a transaction, or a savepoint inside an open one) and the mapping of unique
 * violations to DuplicateKeyError.
 */
export class SqliteDb {
  readonly #db: Database.Database;
  readonly #statements = new Map<string, Statement>();
  #savepoints = 0;

  constructor(file: string) {
    this.#db = new Database(file);
    this.#db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode: a commit survives a process crash; an OS crash may lose the last commits.
    this.#db.pragma('synchronous = NORMAL');
    this.#db.pragma('foreign_keys = OFF');
    this.#db.pragma('busy_timeout = 5000');
    this.#db.pragma('temp_store = MEMORY');
    this.#db.pragma('cache_size = -65536');
    // Reads from the mapped file need no read() call and no copy into the page cache.
    this.#db.pragma('mmap_size = 1073741824');
    // Unicode-aware lower case, the same folding the *_lc columns are written with.
    this.#db.function('orbit_lower', { deterministic: true }, (s: unknown) => (typeof s === 'string' ? s.toLowerCase() : null));
  }

  /** The prepared statement for this SQL text, prepared once per connection. */
  stmt(sql: string): Statement {
    let s = this.#statements.get(sql);
    if (!s) {
      s = this.#db.prepare(sql);
      this.#statements.set(sql, s);
    }
    return s;
  }

  /** The current value of a PRAGMA (diagnostics and tests). */
  pragma(name: string): unknown {
    return this.#db.pragma(name, { simple: true });
  }

  exec(sql: string): void {
    this.#db.exec(sql);
  }

  get inTransaction(): boolean {
    return this.#db.inTransaction;
  }

  /**
   * Runs `work` so that all its writes land or none do: in its own BEGIN IMMEDIATE transaction, or
   * in a savepoint when a transaction is already open. Unique violations become DuplicateKeyError.
   */
  atomic<T>(work: () => T): T {
    if (this.#db.inTransaction) {
      const name = `sp${++this.#savepoints}`;
      this.stmt(`SAVEPOINT ${name}`).run();
      try {
        const result = work();
        this.stmt(`RELEASE ${name}`).run();
        return result;
      } catch (err) {
        // Some errors (e.g. SQLITE_FULL) end the whole transaction, and the savepoint with it.
        if (this.#db.inTransaction) {
          this.stmt(`ROLLBACK TO ${name}`).run();
          this.stmt(`RELEASE ${name}`).run();
        }
        throw translateError(err);
      } finally {
        this.#savepoints--;
      }
    }
    this.stmt('BEGIN IMMEDIATE').run();
    try {
      const result = work();
      this.stmt('COMMIT').run();
      return result;
    } catch (err) {
      if (this.#db.inTransaction) this.stmt('ROLLBACK').run();
      throw translateError(err);
    }
  }

  /** Writes a checkpoint of the WAL into the database file and closes the connection. */
  close(): void {
    if (!this.#db.open) return;
    if (this.#db.inTransaction) this.#db.exec('ROLLBACK');
    try {
      this.#db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      this.#statements.clear();
      this.#db.close();
    }
  }
}

/** Turns a unique-constraint failure into DuplicateKeyError; anything else is returned unchanged. */
export function translateError(err: unknown): unknown {
  if (!(err instanceof Database.SqliteError)) return err;
  if (err.code !== 'SQLITE_CONSTRAINT_UNIQUE' && err.code !== 'SQLITE_CONSTRAINT_PRIMARYKEY') return err;
  const columns = /constraint failed: (.*)$/.exec(err.message)?.[1] ?? '';
  const [collection, key] = UNIQUE_KEYS[columns] ?? [columns.split('.')[0] ?? 'unknown', columns];
  return new DuplicateKeyError(collection, key);
}

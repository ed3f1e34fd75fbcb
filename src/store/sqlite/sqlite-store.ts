import type {
  MessagesRepo,
  PermissionsRepo,
  RolesRepo,
  RoomsRepo,
  SettingsRepo,
  Store,
  SubscriptionsRepo,
  UsersRepo,
} from '../store.js';
import { Gate, type Runner, TxRunner, gatedRunner } from './gate.js';
import { SqliteMessagesRepo } from './messages-repo.js';
import { migrate } from './migrations.js';
import type { RepoContext } from './repo-context.js';
import { SqliteRoomsRepo } from './rooms-repo.js';
import { SqlitePermissionsRepo, SqliteRolesRepo, SqliteSettingsRepo } from './settings-repo.js';
import { SqliteDb } from './sqlite-db.js';
import { SqliteSubscriptionsRepo } from './subscriptions-repo.js';
import { SqliteUsersRepo } from './users-repo.js';

/** The repos over one connection, run either through the gate (root store) or inside a transaction. */
class SqliteRepos {
  readonly users: UsersRepo;
  readonly rooms: RoomsRepo;
  readonly subscriptions: SubscriptionsRepo;
  readonly messages: MessagesRepo;
  readonly settings: SettingsRepo;
  readonly permissions: PermissionsRepo;
  readonly roles: RolesRepo;

  constructor(db: SqliteDb, run: Runner) {
    const ctx: RepoContext = { db, run };
    this.users = new SqliteUsersRepo(ctx);
    this.rooms = new SqliteRoomsRepo(ctx);
    this.subscriptions = new SqliteSubscriptionsRepo(ctx);
    this.messages = new SqliteMessagesRepo(ctx);
    this.settings = new SqliteSettingsRepo(ctx);
    this.permissions = new SqlitePermissionsRepo(ctx);
    this.roles = new SqliteRolesRepo(ctx);
  }
}

/** The store handed to a transaction's function: its calls run inside that transaction. */
class SqliteTxStore extends SqliteRepos implements Store {
  readonly #runner: TxRunner;

  constructor(db: SqliteDb, runner: TxRunner) {
    super(db, runner.run);
    this.#runner = runner;
  }

  /** Already inside a transaction: runs `fn` as part of it. */
  async transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    await this.#runner.run(() => undefined);
    return fn(this);
  }

  close(): Promise<void> {
    return Promise.reject(new Error('cannot close the store from inside a transaction'));
  }
}

/**
 * The SQLite backend (better-sqlite3, one connection, WAL). Each call is synchronous underneath;
 * a transaction holds an async gate from BEGIN to COMMIT/ROLLBACK so that no other call on this
 * connection slips into it while its function awaits.
 */
export class SqliteStore extends SqliteRepos implements Store {
  readonly #db: SqliteDb;
  readonly #gate: Gate;

  private constructor(db: SqliteDb, gate: Gate) {
    super(db, gatedRunner(gate));
    this.#db = db;
    this.#gate = gate;
  }

  /** Opens (creating if needed) the database file, or `:memory:`, and applies pending migrations. */
  static open(file: string): SqliteStore {
    const db = new SqliteDb(file);
    try {
      migrate(db);
    } catch (err) {
      db.close();
      throw err;
    }
    return new SqliteStore(db, new Gate());
  }

  async transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    const release = await this.#gate.acquire();
    const runner = new TxRunner(() => this.#db.inTransaction);
    try {
      this.#db.exec('BEGIN IMMEDIATE');
      try {
        const result = await fn(new SqliteTxStore(this.#db, runner));
        this.#db.exec('COMMIT');
        return result;
      } catch (err) {
        if (this.#db.inTransaction) this.#db.exec('ROLLBACK');
        throw err;
      }
    } finally {
      runner.end();
      release();
    }
  }

  /** Waits for a running transaction, checkpoints the WAL and closes the connection. */
  async close(): Promise<void> {
    const release = await this.#gate.acquire();
    try {
      this.#db.close();
    } finally {
      release();
    }
  }
}

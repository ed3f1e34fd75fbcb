import type { Message } from '../../domain/types.js';
import type { IntegrationsRepo, MessagePost, PermissionsRepo, PostedMessage, RolesRepo, SettingsRepo, Store, UsersRepo } from '../store.js';
import { Gate, type Runner, TxRunner, gatedRunner, gatedWriter } from './gate.js';
import { GroupCommit } from './group-commit.js';
import { SqliteMessagesRepo } from './messages-repo.js';
import { migrate } from './migrations.js';
import type { RepoContext } from './repo-context.js';
import { SqliteRoomsRepo } from './rooms-repo.js';
import { permissionsRepo, rolesRepo, settingsRepo } from '../keyed-docs.js';
import { SqliteIntegrationsRepo } from './integrations-repo.js';
import { DocTable } from './doc-table.js';
import { SqliteDb } from './sqlite-db.js';
import { SqliteSubscriptionsRepo } from './subscriptions-repo.js';
import { SqliteUsersRepo } from './users-repo.js';

/** The repos over one connection, run either through the gate (root store) or inside a transaction. */
class SqliteRepos {
  readonly users: UsersRepo;
  readonly rooms: SqliteRoomsRepo;
  readonly subscriptions: SqliteSubscriptionsRepo;
  readonly messages: SqliteMessagesRepo;
  readonly settings: SettingsRepo;
  readonly permissions: PermissionsRepo;
  readonly roles: RolesRepo;
  readonly integrations: IntegrationsRepo;

  constructor(db: SqliteDb, run: Runner, write: Runner = run) {
    const ctx: RepoContext = { db, run, write };
    this.#ctx = ctx;
    this.users = new SqliteUsersRepo(ctx);
    this.rooms = new SqliteRoomsRepo(ctx);
    this.subscriptions = new SqliteSubscriptionsRepo(ctx);
    this.messages = new SqliteMessagesRepo(ctx);
    this.settings = settingsRepo(new DocTable(ctx, 'settings'));
    this.permissions = permissionsRepo(new DocTable(ctx, 'permissions'));
    this.roles = rolesRepo(new DocTable(ctx, 'roles'));
    this.integrations = new SqliteIntegrationsRepo(ctx);
  }

  readonly #ctx: RepoContext;

  /** Store.postMessage: every write in one atomic section, no await between them. */
  postMessage(message: Message, post: MessagePost): Promise<PostedMessage | undefined> {
    return this.#ctx.write(() =>
      this.#ctx.db.atomic(() => {
        const now = new Date();
        const stored: Message = { ...message, _updatedAt: now };
        if (!this.messages.insertNow(stored)) return undefined;
        const set = post.roomLastMessage ? { ...post.roomSet, lastMessage: stored } : post.roomSet;
        const room = this.rooms.updateNow(message.rid, { set, inc: { msgs: 1 } }, now);
        const changed = post.effects ? this.subscriptions.applyMessageNow(message.rid, post.effects, now.getTime(), post.readBySender) : [];
        const sender = post.readBySender ? this.subscriptions.markReadNow(message.rid, message.u._id, now) : undefined;
        return { message: stored, changed, ...(room ? { room } : {}), ...(sender ? { sender } : {}) };
      }),
    );
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
 * The SQLite backend (better-sqlite3, one connection, WAL). Each call is synchronous underneath.
 * Writes are group-committed (group-commit.ts): every write of one event-loop turn lands in one
 * transaction, and each resolves after its COMMIT. An explicit transaction is a savepoint in the
 * group and holds an async gate from start to end, so that no other call slips into it while its
 * function awaits.
 */
export class SqliteStore extends SqliteRepos implements Store {
  readonly #db: SqliteDb;
  readonly #gate: Gate;
  readonly #group: GroupCommit;

  private constructor(db: SqliteDb, gate: Gate, group: GroupCommit) {
    super(db, gatedRunner(gate), gatedWriter(gate, group));
    this.#db = db;
    this.#gate = gate;
    this.#group = group;
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
    return new SqliteStore(db, new Gate(), new GroupCommit(db));
  }

  async transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    const release = await this.#gate.acquire();
    const runner = new TxRunner(() => this.#db.inTransaction);
    let result: T;
    this.#group.hold();
    try {
      this.#group.begin();
      this.#db.stmt('SAVEPOINT orbit_tx').run();
      try {
        result = await fn(new SqliteTxStore(this.#db, runner));
        this.#db.stmt('RELEASE orbit_tx').run();
      } catch (err) {
        if (this.#db.inTransaction) {
          this.#db.stmt('ROLLBACK TO orbit_tx').run();
          this.#db.stmt('RELEASE orbit_tx').run();
        }
        throw err;
      }
    } finally {
      runner.end();
      release();
      this.#group.release();
    }
    await this.#group.committed();
    return result;
  }

  /** Waits for a running transaction, commits the open group, checkpoints the WAL and closes. */
  async close(): Promise<void> {
    const release = await this.#gate.acquire();
    try {
      this.#group.flush();
      this.#db.close();
    } finally {
      release();
    }
  }
}

import pg from 'pg';
import type { Message } from '../../domain/types.js';
import type {
  IntegrationsRepo,
  MessagePost,
  PostedMessage,
  MessagesRepo,
  PermissionsRepo,
  RolesRepo,
  RoomsRepo,
  SettingsRepo,
  Store,
  SubscriptionsRepo,
  UsersRepo,
} from '../store.js';
import { PoolExecutor, type PgExecutor, TxExecutor } from './pg-executor.js';
import { migratePg } from './pg-migrations.js';
import { postMessage } from './post-message.js';
import { PostgresMessagesRepo } from './messages-repo.js';
import { PostgresRoomsRepo } from './rooms-repo.js';
import { permissionsRepo, rolesRepo, settingsRepo } from '../keyed-docs.js';
import { PostgresIntegrationsRepo } from './integrations-repo.js';
import { DocTable } from './doc-table.js';
import { PostgresSubscriptionsRepo } from './subscriptions-repo.js';
import { PostgresUsersRepo } from './users-repo.js';

export interface PostgresStoreOptions {
  /** The schema holding the tables (created if missing); default `public`. */
  schema?: string;
  /** Pool size; default 10. */
  maxConnections?: number;
}

const INT8 = 20;
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** The repos over one executor: the pool (root store) or a transaction's client. */
class PostgresRepos {
  readonly users: UsersRepo;
  readonly rooms: RoomsRepo;
  readonly subscriptions: SubscriptionsRepo;
  readonly messages: MessagesRepo;
  readonly settings: SettingsRepo;
  readonly permissions: PermissionsRepo;
  readonly roles: RolesRepo;
  readonly integrations: IntegrationsRepo;

  readonly #exec: PgExecutor;

  constructor(exec: PgExecutor) {
    this.#exec = exec;
    this.users = new PostgresUsersRepo(exec);
    this.rooms = new PostgresRoomsRepo(exec);
    this.subscriptions = new PostgresSubscriptionsRepo(exec);
    this.messages = new PostgresMessagesRepo(exec);
    this.settings = settingsRepo(new DocTable(exec, 'settings'));
    this.permissions = permissionsRepo(new DocTable(exec, 'permissions'));
    this.roles = rolesRepo(new DocTable(exec, 'roles'));
    this.integrations = new PostgresIntegrationsRepo(exec);
  }

  /** Store.postMessage: one statement (post-message.ts). */
  postMessage(message: Message, post: MessagePost): Promise<PostedMessage | undefined> {
    return this.#exec.run((q) => postMessage(q, message, post));
  }
}

/** The store handed to a transaction's function. */
class PostgresTxStore extends PostgresRepos implements Store {
  async transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    return fn(this);
  }

  close(): Promise<void> {
    return Promise.reject(new Error('cannot close the store from inside a transaction'));
  }
}

/**
 * The PostgreSQL backend (node-postgres pool). Calls outside a transaction run on any pooled
 * connection (a read-modify-write locks its row with FOR UPDATE); `transaction` runs on a
 * dedicated connection, one operation at a time, each in a savepoint.
 */
export class PostgresStore extends PostgresRepos implements Store {
  readonly #pool: pg.Pool;

  private constructor(pool: pg.Pool) {
    super(new PoolExecutor(pool));
    this.#pool = pool;
  }

  /** Connects, creates the schema if needed and applies pending migrations. */
  static async open(url: string, opts: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const schema = opts.schema ?? 'public';
    if (!SCHEMA_NAME.test(schema)) throw new Error(`invalid schema name: ${schema}`);
    const pool = new pg.Pool({
      connectionString: withDefaultUser(url),
      max: opts.maxConnections ?? 10,
      options: `-c search_path=${schema}`,
      // bigint columns hold millisecond times and counts, well inside 2^53.
      types: { getTypeParser: ((oid: number, format?: string) => (oid === INT8 ? Number : pg.types.getTypeParser(oid, format as 'text'))) as typeof pg.types.getTypeParser },
    });
    try {
      const client = await pool.connect();
      try {
        await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
        await migratePg(client);
      } finally {
        client.release();
      }
    } catch (err) {
      await pool.end();
      throw err;
    }
    return new PostgresStore(pool);
  }

  async transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    const exec = new TxExecutor(client);
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await fn(new PostgresTxStore(exec));
      await exec.end();
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await exec.end().catch(() => undefined);
      await client.query('ROLLBACK').catch((e: Error) => {
        broken = e;
      });
      throw err;
    } finally {
      // A connection that could not roll back is destroyed rather than reused.
      client.release(broken);
    }
  }

  close(): Promise<void> {
    return this.#pool.end();
  }
}

/** node-postgres falls back to the OS user when the URL names none; we fall back to `postgres`. */
function withDefaultUser(url: string): string {
  const parsed = new URL(url);
  if (!parsed.username) parsed.username = 'postgres';
  return parsed.toString();
}

import type pg from 'pg';

/**
 * The PostgreSQL schema as numbered migrations, applied at open in one transaction under an
 * advisory lock (several servers may start at once). Same layout as the SQLite backend: a jsonb
 * `doc` with the full document (Dates as `{"$date": ms}`) plus indexed columns; times are bigint
 * milliseconds; the subscription counters and flags live only in their columns.
 */
export interface PgMigration {
  version: number;
  name: string;
  sql: string;
}

export const PG_MIGRATIONS: readonly PgMigration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
      CREATE TABLE users (
        id text PRIMARY KEY,
        username text,
        username_lc text,
        active boolean NOT NULL DEFAULT true,
        status text,
        status_connection text,
        updated_at bigint NOT NULL,
        doc jsonb NOT NULL
      );
      CREATE UNIQUE INDEX users_username_lc ON users (username_lc);
      CREATE TABLE user_emails (address_lc text PRIMARY KEY, user_id text NOT NULL);
      CREATE INDEX user_emails_user ON user_emails (user_id);
      CREATE TABLE user_roles (role text NOT NULL, user_id text NOT NULL, PRIMARY KEY (role, user_id));
      CREATE INDEX user_roles_user ON user_roles (user_id);
      CREATE TABLE login_tokens (hashed_token text PRIMARY KEY, user_id text NOT NULL);
      CREATE INDEX login_tokens_user ON login_tokens (user_id);

      CREATE TABLE rooms (
        id text PRIMARY KEY,
        t text NOT NULL,
        name text,
        is_default boolean NOT NULL DEFAULT false,
        uids_key text,
        updated_at bigint NOT NULL,
        doc jsonb NOT NULL
      );
      CREATE UNIQUE INDEX rooms_name ON rooms (name);
      CREATE INDEX rooms_default ON rooms (t) WHERE is_default;
      CREATE INDEX rooms_uids ON rooms (uids_key) WHERE uids_key IS NOT NULL;

      CREATE TABLE subscriptions (
        id text PRIMARY KEY,
        rid text NOT NULL,
        uid text NOT NULL,
        username text COLLATE "C",
        open boolean,
        alert boolean,
        unread integer,
        user_mentions integer,
        group_mentions integer,
        updated_at bigint NOT NULL,
        doc jsonb NOT NULL
      );
      CREATE UNIQUE INDEX subscriptions_rid_uid ON subscriptions (rid, uid);
      CREATE INDEX subscriptions_uid ON subscriptions (uid, updated_at);
      CREATE INDEX subscriptions_rid_username ON subscriptions (rid, username);
      CREATE INDEX subscriptions_unseen ON subscriptions (rid) WHERE alert IS NOT TRUE OR open IS NOT TRUE;

      CREATE TABLE messages (
        seq bigint GENERATED ALWAYS AS IDENTITY,
        id text PRIMARY KEY,
        rid text NOT NULL,
        ts bigint NOT NULL,
        t text,
        tmid text,
        tshow boolean NOT NULL DEFAULT false,
        hidden boolean NOT NULL DEFAULT false,
        doc jsonb NOT NULL
      );
      CREATE INDEX messages_rid_ts ON messages (rid, ts, seq);

      CREATE TABLE trash (
        collection text NOT NULL,
        id text NOT NULL,
        deleted_at bigint NOT NULL,
        rid text,
        uid text,
        doc jsonb NOT NULL,
        PRIMARY KEY (collection, id)
      );
      CREATE INDEX trash_deleted ON trash (collection, deleted_at);
      CREATE INDEX trash_uid ON trash (collection, uid, deleted_at) WHERE uid IS NOT NULL;

      CREATE TABLE settings (id text PRIMARY KEY, doc jsonb NOT NULL);
      CREATE TABLE permissions (id text PRIMARY KEY, doc jsonb NOT NULL);
      CREATE TABLE roles (id text PRIMARY KEY, doc jsonb NOT NULL);
    `,
  },
  {
    version: 2,
    name: 'members who want every desktop notification',
    sql: `CREATE INDEX subscriptions_desktop_all ON subscriptions (rid) WHERE doc->>'desktopNotifications' = 'all';`,
  },
  {
    version: 3,
    name: 'message changes by time, for delta sync',
    sql: `
      ALTER TABLE messages ADD COLUMN updated_at bigint NOT NULL DEFAULT 0;
      UPDATE messages SET updated_at = coalesce((doc->'_updatedAt'->>'$date')::bigint, ts);
      CREATE INDEX messages_rid_updated ON messages (rid, updated_at, seq);
      CREATE INDEX trash_rid ON trash (collection, rid, deleted_at) WHERE rid IS NOT NULL;
    `,
  },
  {
    version: 4,
    name: 'incoming webhooks',
    sql: `
      CREATE TABLE integrations (
        id text PRIMARY KEY,
        type text NOT NULL,
        created_by text,
        created_at bigint NOT NULL,
        doc jsonb NOT NULL
      );
      CREATE INDEX integrations_type ON integrations (type, created_at);
    `,
  },
  {
    version: 5,
    name: 'room-wide unread counts',
    sql: `
      CREATE TABLE room_counts (
        rid text PRIMARY KEY,
        unread_seq bigint NOT NULL,
        group_seq bigint NOT NULL,
        counted_at bigint NOT NULL
      );
      ALTER TABLE subscriptions ADD COLUMN unread_base bigint NOT NULL DEFAULT 0;
      ALTER TABLE subscriptions ADD COLUMN group_base bigint NOT NULL DEFAULT 0;
    `,
  },
];

/** Applies the pending migrations on `client` (whose search_path is the store's schema). */
export async function migratePg(client: pg.PoolClient, migrations: readonly PgMigration[] = PG_MIGRATIONS): Promise<number[]> {
  await client.query('BEGIN');
  try {
    // One migrator per schema at a time; the lock ends with the transaction.
    await client.query('SELECT pg_advisory_xact_lock(hashtext(current_schema()))');
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at bigint NOT NULL
    )`);
    const { rows } = await client.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations');
    const current = rows[0]?.v ?? 0;
    const applied: number[] = [];
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (m.version <= current) continue;
      await client.query(m.sql);
      await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [m.version, m.name, Date.now()]);
      applied.push(m.version);
    }
    await client.query('COMMIT');
    return applied;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

import type { SqliteDb } from './sqlite-db.js';

/**
 * The schema, as numbered migrations applied in order at open (all pending ones in one
 * transaction). Never edit a released migration: append a new one.
 *
 * Layout: one table per collection with the full document as JSON in `doc` (Dates as
 * `{"$date": ms}`, see ../stored-json.ts) plus real columns for what queries filter and sort on. Columns are
 * derived from the document on every write, except the subscription counters and flags, which
 * live only in their columns (applyMessage updates them without rewriting JSON). A message that
 * counts for every member (`unread` under Unread_Count all_messages, DMs, @all/@here) is one
 * increment of the room's row in `room_counts`; a subscription's `unread` / `groupMentions` are its
 * columns plus the room's count beyond the subscription's `*_base` (subscription-rows.ts).
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        username TEXT,
        username_lc TEXT,
        active INTEGER NOT NULL DEFAULT 1,
        status TEXT,
        status_connection TEXT,
        updated_at INTEGER NOT NULL,
        doc TEXT NOT NULL
      );
      CREATE UNIQUE INDEX users_username_lc ON users (username_lc);
      CREATE TABLE user_emails (address_lc TEXT PRIMARY KEY, user_id TEXT NOT NULL) WITHOUT ROWID;
      CREATE INDEX user_emails_user ON user_emails (user_id);
      CREATE TABLE user_roles (role TEXT NOT NULL, user_id TEXT NOT NULL, PRIMARY KEY (role, user_id)) WITHOUT ROWID;
      CREATE INDEX user_roles_user ON user_roles (user_id);
      CREATE TABLE login_tokens (hashed_token TEXT PRIMARY KEY, user_id TEXT NOT NULL) WITHOUT ROWID;
      CREATE INDEX login_tokens_user ON login_tokens (user_id);

      CREATE TABLE rooms (
        id TEXT PRIMARY KEY,
        t TEXT NOT NULL,
        name TEXT,
        is_default INTEGER NOT NULL DEFAULT 0,
        uids_key TEXT,
        updated_at INTEGER NOT NULL,
        doc TEXT NOT NULL
      );
      CREATE UNIQUE INDEX rooms_name ON rooms (name);
      CREATE INDEX rooms_default ON rooms (t) WHERE is_default = 1;
      CREATE INDEX rooms_uids ON rooms (uids_key) WHERE uids_key IS NOT NULL;

      CREATE TABLE subscriptions (
        id TEXT PRIMARY KEY,
        rid TEXT NOT NULL,
        uid TEXT NOT NULL,
        username TEXT,
        open INTEGER,
        alert INTEGER,
        unread INTEGER,
        user_mentions INTEGER,
        group_mentions INTEGER,
        updated_at INTEGER NOT NULL,
        doc TEXT NOT NULL
      );
      CREATE UNIQUE INDEX subscriptions_rid_uid ON subscriptions (rid, uid);
      CREATE INDEX subscriptions_uid ON subscriptions (uid, updated_at);
      CREATE INDEX subscriptions_rid_username ON subscriptions (rid, username);
      CREATE INDEX subscriptions_unseen ON subscriptions (rid) WHERE alert IS NOT 1 OR open IS NOT 1;

      CREATE TABLE messages (
        id TEXT PRIMARY KEY,
        rid TEXT NOT NULL,
        ts INTEGER NOT NULL,
        t TEXT,
        tmid TEXT,
        tshow INTEGER NOT NULL DEFAULT 0,
        hidden INTEGER NOT NULL DEFAULT 0,
        doc TEXT NOT NULL
      );
      CREATE INDEX messages_rid_ts ON messages (rid, ts);

      CREATE TABLE trash (
        collection TEXT NOT NULL,
        id TEXT NOT NULL,
        deleted_at INTEGER NOT NULL,
        rid TEXT,
        uid TEXT,
        doc TEXT NOT NULL,
        PRIMARY KEY (collection, id)
      );
      CREATE INDEX trash_deleted ON trash (collection, deleted_at);
      CREATE INDEX trash_uid ON trash (collection, uid, deleted_at) WHERE uid IS NOT NULL;

      CREATE TABLE settings (id TEXT PRIMARY KEY, doc TEXT NOT NULL);
      CREATE TABLE permissions (id TEXT PRIMARY KEY, doc TEXT NOT NULL);
      CREATE TABLE roles (id TEXT PRIMARY KEY, doc TEXT NOT NULL);
    `,
  },
  {
    version: 2,
    name: 'members who want every desktop notification',
    sql: `CREATE INDEX subscriptions_desktop_all ON subscriptions (rid) WHERE json_extract(doc, '$.desktopNotifications') = 'all';`,
  },
  {
    version: 3,
    name: 'message changes by time, for delta sync',
    sql: `
      ALTER TABLE messages ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;
      UPDATE messages SET updated_at = coalesce(json_extract(doc, '$._updatedAt."$date"'), ts);
      CREATE INDEX messages_rid_updated ON messages (rid, updated_at);
      CREATE INDEX trash_rid ON trash (collection, rid, deleted_at) WHERE rid IS NOT NULL;
    `,
  },
  {
    version: 4,
    name: 'incoming webhooks',
    sql: `
      CREATE TABLE integrations (
        id TEXT PRIMARY KEY,
        type TEXT NOT NULL,
        created_by TEXT,
        created_at INTEGER NOT NULL,
        doc TEXT NOT NULL
      );
      CREATE INDEX integrations_type ON integrations (type, created_at);
    `,
  },
  {
    version: 5,
    name: 'room-wide unread counts',
    sql: `
      CREATE TABLE room_counts (
        rid TEXT PRIMARY KEY,
        unread_seq INTEGER NOT NULL,
        group_seq INTEGER NOT NULL,
        counted_at INTEGER NOT NULL
      ) WITHOUT ROWID;
      ALTER TABLE subscriptions ADD COLUMN unread_base INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE subscriptions ADD COLUMN group_base INTEGER NOT NULL DEFAULT 0;
    `,
  },
];

/** Applies the pending migrations in one transaction; returns the versions applied. */
export function migrate(db: SqliteDb, migrations: readonly Migration[] = MIGRATIONS): number[] {
  return db.atomic(() => {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      applied_at INTEGER NOT NULL
    )`);
    const row = db.stmt('SELECT max(version) AS v FROM schema_migrations').get() as { v: number | null };
    const current = row.v ?? 0;
    const applied: number[] = [];
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (m.version <= current) continue;
      db.exec(m.sql);
      db.stmt('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, Date.now());
      applied.push(m.version);
    }
    return applied;
  });
}

/** The versions recorded as applied, oldest first. */
export function appliedMigrations(db: SqliteDb): number[] {
  return (db.stmt('SELECT version FROM schema_migrations ORDER BY version').all() as Array<{ version: number }>).map((r) => r.version);
}

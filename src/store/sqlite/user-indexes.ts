import type { User } from '../../domain/types.js';
import type { SqliteDb } from './sqlite-db.js';

/** A side table of the users table: one row per (value, user) derived from the user document. */
interface SideTable {
  values(u: User): string[];
  remove: string;
  insert: string;
}

const TABLES: readonly SideTable[] = [
  {
    // Unique across users: a clash raises DuplicateKeyError('users', 'email').
    values: (u) => unique((u.emails ?? []).flatMap((e) => (typeof e?.address === 'string' ? [e.address.toLowerCase()] : []))),
    remove: 'DELETE FROM user_emails WHERE user_id = ?',
    insert: 'INSERT INTO user_emails (user_id, address_lc) VALUES (?, ?)',
  },
  {
    values: (u) => unique(u.roles ?? []),
    remove: 'DELETE FROM user_roles WHERE user_id = ?',
    insert: 'INSERT INTO user_roles (user_id, role) VALUES (?, ?)',
  },
  {
    // Resume tokens are random; should two users ever hold the same hash, the latest write wins.
    values: (u) => unique((u.services?.resume?.loginTokens ?? []).map((t) => t.hashedToken)),
    remove: 'DELETE FROM login_tokens WHERE user_id = ?',
    insert: 'INSERT OR REPLACE INTO login_tokens (user_id, hashed_token) VALUES (?, ?)',
  },
];

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function same(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** Keeps user_emails, user_roles and login_tokens in step with the user documents. */
export class UserIndexes {
  readonly #db: SqliteDb;

  constructor(db: SqliteDb) {
    this.#db = db;
  }

  /** Rewrites the side rows of user `id` whose source fields changed between `before` and `after`. */
  write(id: string, before: User | undefined, after: User): void {
    for (const table of TABLES) {
      const next = table.values(after);
      if (before !== undefined) {
        if (same(table.values(before), next)) continue;
        this.#db.stmt(table.remove).run(id);
      }
      const insert = this.#db.stmt(table.insert);
      for (const value of next) insert.run(id, value);
    }
  }

  /** Drops every side row of user `id`. */
  remove(id: string): void {
    for (const table of TABLES) this.#db.stmt(table.remove).run(id);
  }
}

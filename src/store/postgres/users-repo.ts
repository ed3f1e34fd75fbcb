import type { LoginToken, User } from '../../domain/types.js';
import { addLoginToken, loginTokensOf, removeLoginToken, setPassword, type UserEdit } from '../user-edits.js';
import { decodeDoc } from '../stored-json.js';
import { applyPatch } from '../patch.js';
import type { Page, Patch, UserFilterField, UserListQuery, UserSortField, UsersRepo } from '../store.js';
import type { PgExecutor, Queryable } from './pg-executor.js';
import { count, jsonb, many, one } from './pg-rows.js';

const BY_ID = 'SELECT doc FROM users WHERE id = $1';
const BY_ID_LOCKED = 'SELECT doc FROM users WHERE id = $1 FOR UPDATE';
const BY_USERNAME = 'SELECT doc FROM users WHERE username_lc = $1 ORDER BY username = $2 DESC LIMIT 1';
const BY_EMAIL = 'SELECT u.doc FROM user_emails e JOIN users u ON u.id = e.user_id WHERE e.address_lc = $1';
const BY_IDS = 'SELECT doc FROM users WHERE id = ANY($1::text[])';
const BY_USERNAMES = 'SELECT doc FROM users WHERE username_lc = ANY($1::text[])';
const BY_TOKEN = 'SELECT u.doc FROM login_tokens t JOIN users u ON u.id = t.user_id WHERE t.hashed_token = $1';
const BY_ROLES = `SELECT doc FROM users WHERE id IN (SELECT user_id FROM user_roles WHERE role = ANY($1::text[]))
  ORDER BY username_lc COLLATE "C", id`;
const COUNT = 'SELECT count(*) AS n FROM users';
const INSERT = `INSERT INTO users (id, username, username_lc, active, status, status_connection, updated_at, doc)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb)`;
const UPDATE = `UPDATE users SET username = $2, username_lc = $3, active = $4, status = $5, status_connection = $6,
  updated_at = $7, doc = $8::jsonb WHERE id = $1`;
const MEMBERS_TOTAL = `SELECT count(*) AS n FROM subscriptions s JOIN users u ON u.id = s.uid
  WHERE s.rid = $1 AND u.username IS NOT NULL`;
const MEMBERS = `SELECT u.doc FROM subscriptions s JOIN users u ON u.id = s.uid
  WHERE s.rid = $1 AND u.active AND ($2 OR u.status IS DISTINCT FROM 'offline')
    AND ($3::text IS NULL
      OR strpos(lower(u.username), $3) > 0
      OR strpos(lower(u.doc->>'name'), $3) > 0
      OR strpos(lower(u.doc->>'bio'), $3) > 0
      OR strpos(lower(u.doc->>'nickname'), $3) > 0)
  ORDER BY u.status_connection COLLATE "C" DESC NULLS LAST, u.username COLLATE "C" ASC, u.id
  LIMIT $4 OFFSET $5`;

const DELETE = 'DELETE FROM users WHERE id = $1 RETURNING doc';

/** What each listable field is in SQL (fixed text: never built from input). */
const FILTER_SQL: Record<Exclude<UserFilterField, 'roles'>, string> = {
  _id: 'id',
  username: 'username',
  name: "doc->>'name'",
  status: 'status',
  active: 'active',
  type: "doc->>'type'",
};
const SORT_SQL: Record<UserSortField, string> = {
  username: 'username COLLATE "C"',
  name: `(doc->>'name') COLLATE "C"`,
  status: 'status COLLATE "C"',
  active: 'active',
  type: `(doc->>'type') COLLATE "C"`,
  createdAt: `((doc->'createdAt'->>'$date')::bigint)`,
};

/** The WHERE and ORDER BY of a users.list query (absent values first when ascending, as in SQLite). */
function listSql(q: UserListQuery): { where: string; order: string; values: unknown[] } {
  const clauses: string[] = [];
  const values: unknown[] = [];
  for (const [field, value] of Object.entries(q.filter ?? {}) as Array<[UserFilterField, string | boolean]>) {
    values.push(value);
    const n = `$${values.length}`;
    if (field === 'roles') clauses.push(`id IN (SELECT user_id FROM user_roles WHERE role = ${n})`);
    else clauses.push(field === 'active' ? `active = ${n}::boolean` : `${FILTER_SQL[field]} = ${n}::text`);
  }
  const sort = q.sort?.length ? q.sort : ([['username', 1]] as const);
  const order = [...sort.map(([f, d]) => `${SORT_SQL[f]} ${d === 1 ? 'ASC NULLS FIRST' : 'DESC NULLS LAST'}`), 'id COLLATE "C" ASC'].join(', ');
  return { where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', order, values };
}

/** Side tables derived from the document: emails (unique), global roles, resume tokens. */
const SIDE_TABLES: ReadonlyArray<{ values: (u: User) => string[]; remove: string; insert: string }> = [
  {
    values: (u) => [...new Set((u.emails ?? []).flatMap((e) => (typeof e?.address === 'string' ? [e.address.toLowerCase()] : [])))],
    remove: 'DELETE FROM user_emails WHERE user_id = $1',
    insert: 'INSERT INTO user_emails (user_id, address_lc) SELECT $1, unnest($2::text[])',
  },
  {
    values: (u) => [...new Set(u.roles ?? [])],
    remove: 'DELETE FROM user_roles WHERE user_id = $1',
    insert: 'INSERT INTO user_roles (user_id, role) SELECT $1, unnest($2::text[])',
  },
  {
    values: (u) => [...new Set((u.services?.resume?.loginTokens ?? []).map((t) => t.hashedToken))],
    remove: 'DELETE FROM login_tokens WHERE user_id = $1',
    insert: `INSERT INTO login_tokens (user_id, hashed_token) SELECT $1, unnest($2::text[])
      ON CONFLICT (hashed_token) DO UPDATE SET user_id = excluded.user_id`,
  },
];

async function writeSideTables(q: Queryable, id: string, before: User | undefined, after: User): Promise<void> {
  for (const table of SIDE_TABLES) {
    const next = table.values(after);
    if (before !== undefined) {
      const prev = table.values(before);
      if (prev.length === next.length && prev.every((v, i) => v === next[i])) continue;
      await q.query(table.remove, [id]);
    }
    if (next.length > 0) await q.query(table.insert, [id, next]);
  }
}

function params(u: User): unknown[] {
  const username = typeof u.username === 'string' ? u.username : null;
  return [u._id, username, username?.toLowerCase() ?? null, u.active === true, u.status ?? null, u.statusConnection ?? null, u._updatedAt.getTime(), jsonb(u)];
}


export class PostgresUsersRepo implements UsersRepo {
  readonly #exec: PgExecutor;

  constructor(exec: PgExecutor) {
    this.#exec = exec;
  }

  findById(id: string): Promise<User | undefined> {
    return this.#exec.run((q) => one<User>(q, BY_ID, [id]));
  }

  findByUsername(username: string): Promise<User | undefined> {
    return this.#exec.run((q) => one<User>(q, BY_USERNAME, [username.toLowerCase(), username]));
  }

  findByEmail(email: string): Promise<User | undefined> {
    return this.#exec.run((q) => one<User>(q, BY_EMAIL, [email.toLowerCase()]));
  }

  findByIds(ids: readonly string[]): Promise<User[]> {
    return this.#exec.run((q) => many<User>(q, BY_IDS, [ids]));
  }

  findByUsernames(usernames: readonly string[]): Promise<User[]> {
    return this.#exec.run((q) => many<User>(q, BY_USERNAMES, [usernames.map((n) => n.toLowerCase())]));
  }

  findByLoginToken(hashedToken: string): Promise<{ user: User; token: LoginToken } | undefined> {
    return this.#exec.run(async (q) => {
      const user = await one<User>(q, BY_TOKEN, [hashedToken]);
      const token = user && loginTokensOf(user).find((t) => t.hashedToken === hashedToken);
      return user && token ? { user, token } : undefined;
    });
  }

  insert(user: User): Promise<User> {
    const stored: User = { ...user, _updatedAt: new Date() };
    const values = params(stored);
    return this.#exec.atomic(async (q) => {
      await q.query(INSERT, values);
      await writeSideTables(q, user._id, undefined, stored);
      return decodeDoc<User>(values[7] as string);
    });
  }

  #mutate(id: string, change: UserEdit): Promise<User | undefined> {
    return this.#exec.atomic(async (q) => {
      const before = await one<User>(q, BY_ID_LOCKED, [id]);
      if (!before) return undefined;
      const after = change(before, new Date());
      await q.query(UPDATE, params(after));
      await writeSideTables(q, id, before, after);
      return after;
    });
  }

  update(id: string, patch: Patch<User>): Promise<User | undefined> {
    return this.#mutate(id, (doc, now) => applyPatch(doc, patch, now));
  }

  async addLoginToken(id: string, token: LoginToken): Promise<void> {
    await this.#mutate(id, addLoginToken(token));
  }

  async removeLoginToken(id: string, hashedToken: string): Promise<void> {
    await this.#mutate(id, removeLoginToken(hashedToken));
  }

  async setPassword(id: string, bcryptHash: string): Promise<void> {
    await this.#mutate(id, setPassword(bcryptHash));
  }

  delete(id: string): Promise<User | undefined> {
    return this.#exec.atomic(async (q) => {
      const user = await one<User>(q, DELETE, [id]);
      if (!user) return undefined;
      for (const table of SIDE_TABLES) await q.query(table.remove, [id]);
      return user;
    });
  }

  list(query: UserListQuery): Promise<{ total: number; records: User[] }> {
    return this.#exec.run(async (q) => {
      const { where, order, values } = listSql(query);
      const total = await count(q, `SELECT count(*) AS n FROM users ${where}`, values);
      const n = values.length;
      const records = await many<User>(q, `SELECT doc FROM users ${where} ORDER BY ${order} LIMIT $${n + 1} OFFSET $${n + 2}`, [
        ...values,
        query.page?.limit ? query.page.limit : null,
        query.page?.skip ?? 0,
      ]);
      return { total, records };
    });
  }

  listByRoles(roles: readonly string[]): Promise<User[]> {
    return this.#exec.run((q) => many<User>(q, BY_ROLES, [roles]));
  }

  count(): Promise<number> {
    return this.#exec.run((q) => count(q, COUNT, []));
  }

  listRoomMembers(
    rid: string,
    opts: { includeOffline: boolean; filter?: string; page?: Page },
  ): Promise<{ total: number; records: User[] }> {
    return this.#exec.run(async (q) => {
      const total = await count(q, MEMBERS_TOTAL, [rid]);
      const limit = opts.page?.limit ?? 0;
      const filter = opts.filter ? opts.filter.toLowerCase() : null;
      const records = await many<User>(q, MEMBERS, [rid, opts.includeOffline, filter, limit > 0 ? limit : null, Math.max(0, opts.page?.skip ?? 0)]);
      return { total, records };
    });
  }
}

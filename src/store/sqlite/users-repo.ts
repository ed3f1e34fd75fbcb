import type { LoginToken, User } from '../../domain/types.js';
import { addLoginToken, loginTokensOf, removeLoginToken, setPassword, type UserEdit } from '../user-edits.js';
import type { Page, Patch, UserFilterField, UserListQuery, UserSortField, UsersRepo } from '../store.js';
import { decodeDoc, encodeDoc } from '../stored-json.js';
import { applyPatch } from '../patch.js';
import { type DocRow, type RepoContext, bool, jsonList } from './repo-context.js';
import { UserIndexes } from './user-indexes.js';

const BY_ID = 'SELECT doc FROM users WHERE id = ?';
// username_lc is unique, so at most one row matches; an exact match would sort first.
const BY_USERNAME = 'SELECT doc FROM users WHERE username_lc = ? ORDER BY username = ? DESC LIMIT 1';
const BY_EMAIL = 'SELECT u.doc FROM user_emails e JOIN users u ON u.id = e.user_id WHERE e.address_lc = ?';
const BY_IDS = 'SELECT doc FROM users WHERE id IN (SELECT value FROM json_each(?))';
const BY_USERNAMES = 'SELECT doc FROM users WHERE username_lc IN (SELECT value FROM json_each(?))';
const BY_TOKEN = 'SELECT u.doc FROM login_tokens t JOIN users u ON u.id = t.user_id WHERE t.hashed_token = ?';
const BY_ROLES = `SELECT doc FROM users WHERE id IN
  (SELECT user_id FROM user_roles WHERE role IN (SELECT value FROM json_each(?))) ORDER BY username_lc, id`;
const COUNT = 'SELECT count(*) AS n FROM users';
const INSERT = `INSERT INTO users (id, username, username_lc, active, status, status_connection, updated_at, doc)
  VALUES (@id, @username, @username_lc, @active, @status, @status_connection, @updated_at, @doc)`;
const UPDATE = `UPDATE users SET username = @username, username_lc = @username_lc, active = @active, status = @status,
  status_connection = @status_connection, updated_at = @updated_at, doc = @doc WHERE id = @id`;

const MEMBERS_TOTAL = `SELECT count(*) AS n FROM subscriptions s JOIN users u ON u.id = s.uid
  WHERE s.rid = ? AND u.username IS NOT NULL`;
const MEMBERS = `SELECT u.doc FROM subscriptions s JOIN users u ON u.id = s.uid
  WHERE s.rid = @rid AND u.active = 1 AND (@all = 1 OR u.status IS NOT 'offline')
    AND (@filter IS NULL
      OR instr(orbit_lower(u.username), @filter) > 0
      OR instr(orbit_lower(json_extract(u.doc, '$.name')), @filter) > 0
      OR instr(orbit_lower(json_extract(u.doc, '$.bio')), @filter) > 0
      OR instr(orbit_lower(json_extract(u.doc, '$.nickname')), @filter) > 0)
  ORDER BY u.status_connection DESC, u.username ASC, u.id ASC
  LIMIT @limit OFFSET @skip`;

const DELETE = 'DELETE FROM users WHERE id = ?';

/** What each listable field is in SQL (fixed text: never built from input). */
const FILTER_SQL: Record<Exclude<UserFilterField, 'roles'>, string> = {
  _id: 'id',
  username: 'username',
  name: "json_extract(doc, '$.name')",
  status: 'status',
  active: 'active',
  type: "json_extract(doc, '$.type')",
};
const SORT_SQL: Record<UserSortField, string> = {
  username: 'username',
  name: "json_extract(doc, '$.name')",
  status: 'status',
  active: 'active',
  type: "json_extract(doc, '$.type')",
  createdAt: `json_extract(doc, '$.createdAt."$date"')`,
};

/** The WHERE and ORDER BY of a users.list query, with its bound values. */
function listSql(q: UserListQuery): { where: string; order: string; values: unknown[] } {
  const clauses: string[] = [];
  const values: unknown[] = [];
  for (const [field, value] of Object.entries(q.filter ?? {}) as Array<[UserFilterField, string | boolean]>) {
    if (field === 'roles') clauses.push('id IN (SELECT user_id FROM user_roles WHERE role = ?)');
    else clauses.push(`${FILTER_SQL[field]} = ?`);
    values.push(typeof value === 'boolean' ? bool(value) : value);
  }
  const sort = q.sort?.length ? q.sort : ([['username', 1]] as const);
  const order = [...sort.map(([f, d]) => `${SORT_SQL[f]} ${d === 1 ? 'ASC' : 'DESC'}`), 'id ASC'].join(', ');
  return { where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', order, values };
}

function columns(u: User): Record<string, unknown> {
  const username = typeof u.username === 'string' ? u.username : null;
  return {
    id: u._id,
    username,
    username_lc: username === null ? null : username.toLowerCase(),
    active: bool(u.active),
    status: u.status ?? null,
    status_connection: u.statusConnection ?? null,
    updated_at: u._updatedAt.getTime(),
    doc: encodeDoc(u),
  };
}


/** Users: a `users` row per document, plus side tables for emails, global roles and login tokens. */
export class SqliteUsersRepo implements UsersRepo {
  readonly #ctx: RepoContext;
  readonly #indexes: UserIndexes;

  constructor(ctx: RepoContext) {
    this.#ctx = ctx;
    this.#indexes = new UserIndexes(ctx.db);
  }

  #one(sql: string, ...params: unknown[]): User | undefined {
    const row = this.#ctx.db.stmt(sql).get(...params) as DocRow | undefined;
    return row ? decodeDoc<User>(row.doc) : undefined;
  }

  #many(sql: string, ...params: unknown[]): User[] {
    return (this.#ctx.db.stmt(sql).all(...params) as DocRow[]).map((r) => decodeDoc<User>(r.doc));
  }

  findById(id: string): Promise<User | undefined> {
    return this.#ctx.run(() => this.#one(BY_ID, id));
  }

  findByUsername(username: string): Promise<User | undefined> {
    return this.#ctx.run(() => this.#one(BY_USERNAME, username.toLowerCase(), username));
  }

  findByEmail(email: string): Promise<User | undefined> {
    return this.#ctx.run(() => this.#one(BY_EMAIL, email.toLowerCase()));
  }

  findByIds(ids: readonly string[]): Promise<User[]> {
    return this.#ctx.run(() => this.#many(BY_IDS, jsonList(ids)));
  }

  findByUsernames(usernames: readonly string[]): Promise<User[]> {
    return this.#ctx.run(() => this.#many(BY_USERNAMES, jsonList(usernames.map((n) => n.toLowerCase()))));
  }

  findByLoginToken(hashedToken: string): Promise<{ user: User; token: LoginToken } | undefined> {
    return this.#ctx.run(() => {
      const user = this.#one(BY_TOKEN, hashedToken);
      const token = user && loginTokensOf(user).find((t) => t.hashedToken === hashedToken);
      return user && token ? { user, token } : undefined;
    });
  }

  insert(user: User): Promise<User> {
    return this.#ctx.write(() => {
      const cols = columns({ ...user, _updatedAt: new Date() });
      this.#ctx.db.atomic(() => {
        this.#ctx.db.stmt(INSERT).run(cols);
        this.#indexes.write(user._id, undefined, user);
      });
      return decodeDoc<User>(cols['doc'] as string);
    });
  }

  /** Read-modify-write of one user, atomically, keeping the side tables in step. */
  #mutate(id: string, change: UserEdit): Promise<User | undefined> {
    return this.#ctx.write(() =>
      this.#ctx.db.atomic(() => {
        const before = this.#one(BY_ID, id);
        if (!before) return undefined;
        const after = change(before, new Date());
        this.#ctx.db.stmt(UPDATE).run(columns(after));
        this.#indexes.write(id, before, after);
        return after;
      }),
    );
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
    return this.#ctx.write(() =>
      this.#ctx.db.atomic(() => {
        const user = this.#one(BY_ID, id);
        if (!user) return undefined;
        this.#ctx.db.stmt(DELETE).run(id);
        this.#indexes.remove(id);
        return user;
      }),
    );
  }

  list(query: UserListQuery): Promise<{ total: number; records: User[] }> {
    return this.#ctx.run(() => {
      const { where, order, values } = listSql(query);
      const total = (this.#ctx.db.stmt(`SELECT count(*) AS n FROM users ${where}`).get(...values) as { n: number }).n;
      const limit = query.page?.limit ? query.page.limit : -1;
      const records = this.#many(`SELECT doc FROM users ${where} ORDER BY ${order} LIMIT ? OFFSET ?`, ...values, limit, query.page?.skip ?? 0);
      return { total, records };
    });
  }

  listByRoles(roles: readonly string[]): Promise<User[]> {
    return this.#ctx.run(() => this.#many(BY_ROLES, jsonList(roles)));
  }

  count(): Promise<number> {
    return this.#ctx.run(() => (this.#ctx.db.stmt(COUNT).get() as { n: number }).n);
  }

  listRoomMembers(
    rid: string,
    opts: { includeOffline: boolean; filter?: string; page?: Page },
  ): Promise<{ total: number; records: User[] }> {
    return this.#ctx.run(() => {
      const total = (this.#ctx.db.stmt(MEMBERS_TOTAL).get(rid) as { n: number }).n;
      const limit = opts.page?.limit ?? 0;
      const records = this.#many(MEMBERS, {
        rid,
        all: bool(opts.includeOffline),
        filter: opts.filter ? opts.filter.toLowerCase() : null,
        limit: limit > 0 ? limit : -1,
        skip: Math.max(0, opts.page?.skip ?? 0),
      });
      return { total, records };
    });
  }
}

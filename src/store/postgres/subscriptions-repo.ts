import type { Removed, Subscription } from '../../domain/types.js';
import { decodeDoc, fromStoredValue } from '../stored-json.js';
import { applyPatch } from '../patch.js';
import type { MessageEffects, Patch, SubscriptionsRepo } from '../store.js';
import type { PgExecutor, Queryable } from './pg-executor.js';
import { EPOCH_MIN, forgetTrash, jsonb, listTrash, putInTrash } from './pg-rows.js';

/** Counters and flags live only in their columns (as in the SQLite backend); `doc` holds the rest. */
interface SubRow {
  open: boolean | null;
  alert: boolean | null;
  unread: number | null;
  user_mentions: number | null;
  group_mentions: number | null;
  updated_at: number;
  doc: Record<string, unknown>;
}

const COLUMNS = 'open, alert, unread, user_mentions, group_mentions, updated_at, doc';
const SELECT = `SELECT ${COLUMNS} FROM subscriptions`;
const BY_ID = `${SELECT} WHERE id = $1`;
const BY_ROOM_USER = `${SELECT} WHERE rid = $1 AND uid = $2`;
const BY_ROOM_USERNAME = `${SELECT} WHERE rid = $1 AND username = $2 ORDER BY id LIMIT 1`;
const BY_USER = `${SELECT} WHERE uid = $1 AND updated_at > $2`;
const BY_ROOM = `${SELECT} WHERE rid = $1`;
const FOR_NOTIFICATION = `${SELECT} WHERE rid = $1 AND (uid = ANY($2::text[]) OR doc->>'desktopNotifications' = 'all')`;
const BY_ROOM_ROLES = `${SELECT} WHERE rid = $1 AND doc->'roles' ?| $2::text[] ORDER BY username, id`;
const COUNT_ROOM_ROLE = `SELECT count(*) AS n FROM subscriptions WHERE rid = $1 AND doc->'roles' ? $2`;
const BY_ROOM_FILTERED = `${SELECT} WHERE rid = $1 AND ($2::text IS NULL OR uid <> $2) AND (NOT $3::boolean OR open) FOR UPDATE`;
const INSERT = `INSERT INTO subscriptions (id, rid, uid, username, open, alert, unread, user_mentions, group_mentions, updated_at, doc)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb)`;
const UPDATE = `UPDATE subscriptions SET rid = $2, uid = $3, username = $4, open = $5, alert = $6, unread = $7,
  user_mentions = $8, group_mentions = $9, updated_at = $10, doc = $11::jsonb WHERE id = $1`;
const DELETE = `DELETE FROM subscriptions WHERE id = ANY($1::text[])`;
/** $1 rid, $2 sender, $3 unread for all, $4 unread ids, $5 mention ids, $6 group mention, $7 now, $8 everyone changes. */
const APPLY = `UPDATE subscriptions SET alert = true, open = true,
    unread = coalesce(unread, 0) + CASE WHEN $3::boolean OR uid = ANY($4::text[]) THEN 1 ELSE 0 END,
    user_mentions = coalesce(user_mentions, 0) + CASE WHEN uid = ANY($5::text[]) THEN 1 ELSE 0 END,
    group_mentions = coalesce(group_mentions, 0) + CASE WHEN $6::boolean THEN 1 ELSE 0 END,
    updated_at = $7
  WHERE rid = $1 AND uid <> $2
    AND ($8::boolean OR alert IS NOT TRUE OR open IS NOT TRUE OR uid = ANY($4::text[]) OR uid = ANY($5::text[]))
  RETURNING ${COLUMNS}`;

function toSub(row: SubRow): Subscription {
  const sub = fromStoredValue<Subscription>(row.doc);
  if (row.open !== null) sub.open = row.open;
  if (row.alert !== null) sub.alert = row.alert;
  if (row.unread !== null) sub.unread = row.unread;
  if (row.user_mentions !== null) sub.userMentions = row.user_mentions;
  if (row.group_mentions !== null) sub.groupMentions = row.group_mentions;
  sub._updatedAt = new Date(Number(row.updated_at));
  return sub;
}

function params(sub: Subscription): unknown[] {
  const { open, alert, unread, userMentions, groupMentions, _updatedAt, ...rest } = sub;
  const flag = (v: unknown): boolean | null => (typeof v === 'boolean' ? v : null);
  const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
  const username = typeof sub.u.username === 'string' ? sub.u.username : null;
  return [sub._id, sub.rid, sub.u._id, username, flag(open), flag(alert), num(unread), num(userMentions), num(groupMentions), _updatedAt.getTime(), jsonb(rest)];
}

async function list(q: Queryable, sql: string, values: unknown[]): Promise<Subscription[]> {
  return (await q.query<SubRow>(sql, values)).rows.map(toSub);
}

export class PostgresSubscriptionsRepo implements SubscriptionsRepo {
  readonly #exec: PgExecutor;

  constructor(exec: PgExecutor) {
    this.#exec = exec;
  }

  async #first(sql: string, values: unknown[]): Promise<Subscription | undefined> {
    return (await this.#exec.run((q) => list(q, sql, values)))[0];
  }

  findById(id: string): Promise<Subscription | undefined> {
    return this.#first(BY_ID, [id]);
  }

  findByRoomAndUser(rid: string, userId: string): Promise<Subscription | undefined> {
    return this.#first(BY_ROOM_USER, [rid, userId]);
  }

  findByRoomAndUsername(rid: string, username: string): Promise<Subscription | undefined> {
    return this.#first(BY_ROOM_USERNAME, [rid, username]);
  }

  listByUser(userId: string, since?: Date): Promise<Subscription[]> {
    return this.#exec.run((q) => list(q, BY_USER, [userId, since ? since.getTime() : EPOCH_MIN]));
  }

  listRemovedForUser(userId: string, since: Date): Promise<Removed[]> {
    return this.#exec.run((q) => listTrash(q, 'subscription', since, userId));
  }

  listByRoom(rid: string): Promise<Subscription[]> {
    return this.#exec.run((q) => list(q, BY_ROOM, [rid]));
  }

  listForNotification(rid: string, userIds: readonly string[]): Promise<Subscription[]> {
    return this.#exec.run((q) => list(q, FOR_NOTIFICATION, [rid, [...userIds]]));
  }

  listUserIdsByRoom(rid: string): Promise<string[]> {
    return this.#exec.run(async (q) => (await q.query<{ uid: string }>('SELECT uid FROM subscriptions WHERE rid = $1', [rid])).rows.map((r) => r.uid));
  }

  listByRoomAndRoles(rid: string, roles: readonly string[]): Promise<Subscription[]> {
    return this.#exec.run((q) => list(q, BY_ROOM_ROLES, [rid, roles]));
  }

  countByRoomAndRole(rid: string, role: string): Promise<number> {
    return this.#exec.run(async (q) => Number((await q.query<{ n: number }>(COUNT_ROOM_ROLE, [rid, role])).rows[0]?.n ?? 0));
  }

  listRoomIdsByUser(userId: string): Promise<string[]> {
    return this.#exec.run(async (q) => (await q.query<{ rid: string }>('SELECT rid FROM subscriptions WHERE uid = $1', [userId])).rows.map((r) => r.rid));
  }

  insert(sub: Subscription): Promise<Subscription> {
    const stored: Subscription = { ...sub, _updatedAt: new Date() };
    const values = params(stored);
    return this.#exec.atomic(async (q) => {
      await q.query(INSERT, values);
      await forgetTrash(q, 'subscription', sub._id);
      return decodeDoc<Subscription>(jsonb(stored));
    });
  }

  update(id: string, patch: Patch<Subscription>): Promise<Subscription | undefined> {
    return this.#exec.atomic(async (q) => {
      const before = (await list(q, `${BY_ID} FOR UPDATE`, [id]))[0];
      if (!before) return undefined;
      const after = applyPatch(before, patch, new Date());
      await q.query(UPDATE, params(after));
      return after;
    });
  }

  updateByRoom(rid: string, patch: Patch<Subscription>, filter: { exceptUserId?: string; onlyOpen?: boolean } = {}): Promise<Subscription[]> {
    return this.#exec.atomic(async (q) => {
      const now = new Date();
      const out: Subscription[] = [];
      for (const before of await list(q, BY_ROOM_FILTERED, [rid, filter.exceptUserId ?? null, filter.onlyOpen === true])) {
        const after = applyPatch(before, patch, now);
        await q.query(UPDATE, params(after));
        out.push(after);
      }
      return out;
    });
  }

  applyMessage(rid: string, effects: MessageEffects): Promise<Subscription[]> {
    const unreadAll = effects.incUnread === 'all';
    const unreadIds = effects.incUnread === 'all' ? [] : [...effects.incUnread];
    const everyone = unreadAll || effects.incGroupMentions;
    const values = [rid, effects.senderId, unreadAll, unreadIds, [...effects.incUserMentions], effects.incGroupMentions, Date.now(), everyone];
    return this.#exec.run((q) => list(q, APPLY, values));
  }

  async #remove(q: Queryable, subs: Subscription[]): Promise<Subscription[]> {
    if (subs.length === 0) return subs;
    const deletedAt = Date.now();
    await q.query(DELETE, [subs.map((s) => s._id)]);
    for (const s of subs) await putInTrash(q, 'subscription', { id: s._id, deletedAt, rid: s.rid, uid: s.u._id, doc: jsonb(s) });
    return subs;
  }

  async delete(id: string): Promise<Subscription | undefined> {
    const removed = await this.#exec.atomic(async (q) => this.#remove(q, await list(q, `${BY_ID} FOR UPDATE`, [id])));
    return removed[0];
  }

  deleteByRoom(rid: string): Promise<Subscription[]> {
    return this.#exec.atomic(async (q) => this.#remove(q, await list(q, `${BY_ROOM} FOR UPDATE`, [rid])));
  }
}

import type { Removed, Subscription } from '../../domain/types.js';
import { type CountedRow, seenCounts, withRoomCounts } from '../room-counts.js';
import { decodeDoc, fromStoredValue } from '../stored-json.js';
import { applyPatch } from '../patch.js';
import type { MessageEffects, Patch, SubscriptionsRepo } from '../store.js';
import { Params, messageEffectsCtes } from './message-effects-sql.js';
import type { PgExecutor, Queryable } from './pg-executor.js';
import { EPOCH_MIN, forgetTrash, jsonb, listTrash, putInTrash } from './pg-rows.js';

/**
 * Counters and flags live only in their columns (as in the SQLite backend); `doc` holds the rest.
 * Rows are read joined with their room's `room_counts` (../room-counts.ts).
 */
export interface SubRow extends CountedRow {
  open: boolean | null;
  alert: boolean | null;
  user_mentions: number | null;
  doc: Record<string, unknown>;
}

const COLUMNS = 's.open, s.alert, s.unread, s.user_mentions, s.group_mentions, s.updated_at, s.doc, s.unread_base, s.group_base, c.unread_seq, c.group_seq, c.counted_at';
const PENDING = '(c.unread_seq > s.unread_base OR c.group_seq > s.group_base)';
const SELECT = `SELECT ${COLUMNS} FROM subscriptions s LEFT JOIN room_counts c ON c.rid = s.rid`;
const BY_ID = `${SELECT} WHERE s.id = $1`;
const BY_ROOM_USER = `${SELECT} WHERE s.rid = $1 AND s.uid = $2`;
const BY_ROOM_USERNAME = `${SELECT} WHERE s.rid = $1 AND s.username = $2 ORDER BY s.id LIMIT 1`;
const BY_USER = `${SELECT} WHERE s.uid = $1 AND (s.updated_at > $2 OR (c.counted_at > $2 AND ${PENDING}))`;
const BY_ROOM = `${SELECT} WHERE s.rid = $1`;
const WITH_ROOM_COUNTS = `${SELECT} WHERE s.rid = $1 AND ${PENDING}`;
const FOR_NOTIFICATION = `${SELECT} WHERE s.rid = $1 AND (s.uid = ANY($2::text[]) OR s.doc->>'desktopNotifications' = 'all')`;
const BY_ROOM_ROLES = `${SELECT} WHERE s.rid = $1 AND s.doc->'roles' ?| $2::text[] ORDER BY s.username, s.id`;
const COUNT_ROOM_ROLE = `SELECT count(*) AS n FROM subscriptions WHERE rid = $1 AND doc->'roles' ? $2`;
const BY_ROOM_FILTERED = `${SELECT} WHERE s.rid = $1 AND ($2::text IS NULL OR s.uid <> $2) AND (NOT $3::boolean OR s.open) FOR UPDATE OF s`;
const INSERT = `INSERT INTO subscriptions (id, rid, uid, username, open, alert, unread, user_mentions, group_mentions, updated_at, doc, unread_base, group_base)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::jsonb,
    coalesce((SELECT unread_seq FROM room_counts WHERE rid = $2), 0), coalesce((SELECT group_seq FROM room_counts WHERE rid = $2), 0))`;
const UPDATE = `UPDATE subscriptions SET rid = $2, uid = $3, username = $4, open = $5, alert = $6, unread = $7,
  user_mentions = $8, group_mentions = $9, updated_at = $10, doc = $11::jsonb, unread_base = $12, group_base = $13 WHERE id = $1`;
const DELETE = `DELETE FROM subscriptions WHERE id = ANY($1::text[])`;

export function toSub(row: SubRow): Subscription {
  const sub = fromStoredValue<Subscription>(row.doc);
  if (row.open !== null) sub.open = row.open;
  if (row.alert !== null) sub.alert = row.alert;
  if (row.user_mentions !== null) sub.userMentions = row.user_mentions;
  return withRoomCounts(sub, row);
}

function params(sub: Subscription): unknown[] {
  const { open, alert, unread, userMentions, groupMentions, _updatedAt, ...rest } = sub;
  const flag = (v: unknown): boolean | null => (typeof v === 'boolean' ? v : null);
  const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
  const username = typeof sub.u.username === 'string' ? sub.u.username : null;
  return [sub._id, sub.rid, sub.u._id, username, flag(open), flag(alert), num(unread), num(userMentions), num(groupMentions), _updatedAt.getTime(), jsonb(rest)];
}

async function rows(q: Queryable, sql: string, values: unknown[]): Promise<SubRow[]> {
  return (await q.query<SubRow>(sql, values)).rows;
}

/** Writes the patched document of a row read with its room's counts (which it now includes). */
async function write(q: Queryable, row: SubRow, patch: Patch<Subscription>, now: Date): Promise<Subscription> {
  const after = applyPatch(toSub(row), patch, now);
  const seen = seenCounts(row);
  await q.query(UPDATE, [...params(after), seen.unreadBase, seen.groupBase]);
  return after;
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

  listWithRoomCounts(rid: string): Promise<Subscription[]> {
    return this.#exec.run((q) => list(q, WITH_ROOM_COUNTS, [rid]));
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
      const row = (await rows(q, `${BY_ID} FOR UPDATE OF s`, [id]))[0];
      return row && write(q, row, patch, new Date());
    });
  }

  updateByRoom(rid: string, patch: Patch<Subscription>, filter: { exceptUserId?: string; onlyOpen?: boolean } = {}): Promise<Subscription[]> {
    return this.#exec.atomic(async (q) => {
      const now = new Date();
      const out: Subscription[] = [];
      for (const row of await rows(q, BY_ROOM_FILTERED, [rid, filter.exceptUserId ?? null, filter.onlyOpen === true])) {
        out.push(await write(q, row, patch, now));
      }
      return out;
    });
  }

  applyMessage(rid: string, effects: MessageEffects): Promise<Subscription[]> {
    const p = new Params();
    const ctes = messageEffectsCtes(p, rid, effects, { now: p.add(Date.now(), 'bigint'), when: 'true', senderReadNext: false });
    return this.#exec.run((q) => list(q, `WITH ${ctes} SELECT * FROM members`, p.values));
  }

  async #remove(q: Queryable, subs: Subscription[]): Promise<Subscription[]> {
    if (subs.length === 0) return subs;
    const deletedAt = Date.now();
    await q.query(DELETE, [subs.map((s) => s._id)]);
    for (const s of subs) await putInTrash(q, 'subscription', { id: s._id, deletedAt, rid: s.rid, uid: s.u._id, doc: jsonb(s) });
    return subs;
  }

  async delete(id: string): Promise<Subscription | undefined> {
    const removed = await this.#exec.atomic(async (q) => this.#remove(q, await list(q, `${BY_ID} FOR UPDATE OF s`, [id])));
    return removed[0];
  }

  deleteByRoom(rid: string): Promise<Subscription[]> {
    return this.#exec.atomic(async (q) => {
      const removed = await this.#remove(q, await list(q, `${BY_ROOM} FOR UPDATE OF s`, [rid]));
      await q.query('DELETE FROM room_counts WHERE rid = $1', [rid]);
      return removed;
    });
  }
}

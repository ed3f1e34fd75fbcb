import type { Removed, Subscription } from '../../domain/types.js';
import type { MessageEffects, Patch, SubscriptionsRepo } from '../store.js';
import { applyPatch } from '../patch.js';
import { type RepoContext, bool, forgetTrash, jsonList, listTrash, putInTrash } from './repo-context.js';
import { SUB_COLUMNS, type SubscriptionRow, encodeSubscription, subscriptionColumns, toSubscription } from './subscription-rows.js';

const SELECT = `SELECT ${SUB_COLUMNS} FROM subscriptions`;
const BY_ID = `${SELECT} WHERE id = ?`;
const BY_ROOM_USER = `${SELECT} WHERE rid = ? AND uid = ?`;
const BY_ROOM_USERNAME = `${SELECT} WHERE rid = ? AND username = ? ORDER BY id LIMIT 1`;
const BY_USER = `${SELECT} WHERE uid = ? AND updated_at > ?`;
const BY_ROOM = `${SELECT} WHERE rid = ?`;
const FOR_NOTIFICATION = `${SELECT} WHERE rid = @rid AND uid IN (SELECT value FROM json_each(@uids))
  UNION ${SELECT} WHERE rid = @rid AND json_extract(doc, '$.desktopNotifications') = 'all'`;
const UIDS_BY_ROOM = 'SELECT uid FROM subscriptions WHERE rid = ?';
const RIDS_BY_USER = 'SELECT rid FROM subscriptions WHERE uid = ?';
const HAS_ROLE_IN = `EXISTS (SELECT 1 FROM json_each(doc, '$.roles') r WHERE r.value IN (SELECT value FROM json_each(?)))`;
const BY_ROOM_ROLES = `${SELECT} WHERE rid = ? AND ${HAS_ROLE_IN} ORDER BY username, id`;
const COUNT_ROOM_ROLE = `SELECT count(*) AS n FROM subscriptions
  WHERE rid = ? AND EXISTS (SELECT 1 FROM json_each(doc, '$.roles') r WHERE r.value = ?)`;
const BY_ROOM_FILTERED = `${SELECT} WHERE rid = @rid AND (@except IS NULL OR uid <> @except) AND (@onlyOpen = 0 OR open = 1)`;
const INSERT = `INSERT INTO subscriptions (id, rid, uid, username, open, alert, unread, user_mentions, group_mentions, updated_at, doc)
  VALUES (@id, @rid, @uid, @username, @open, @alert, @unread, @user_mentions, @group_mentions, @updated_at, @doc)`;
const UPDATE = `UPDATE subscriptions SET rid = @rid, uid = @uid, username = @username, open = @open, alert = @alert,
  unread = @unread, user_mentions = @user_mentions, group_mentions = @group_mentions, updated_at = @updated_at, doc = @doc
  WHERE id = @id`;
const DELETE = 'DELETE FROM subscriptions WHERE id = ?';

// applyMessage: counters change in their columns only; RETURNING hands back the changed rows.
const APPLY_SET = `alert = 1, open = 1,
  unread = coalesce(unread, 0) + (CASE WHEN @unreadAll = 1 OR uid IN (SELECT value FROM json_each(@unreadIds)) THEN 1 ELSE 0 END),
  user_mentions = coalesce(user_mentions, 0) + (CASE WHEN uid IN (SELECT value FROM json_each(@mentionIds)) THEN 1 ELSE 0 END),
  group_mentions = coalesce(group_mentions, 0) + @groupInc,
  updated_at = @now`;
/** Every member but the sender changes (unread for all, or a group mention). */
const APPLY_ALL = `UPDATE subscriptions SET ${APPLY_SET} WHERE rid = @rid AND uid <> @sender RETURNING ${SUB_COLUMNS}`;
/** Only members not yet alerted/open (partial index subscriptions_unseen) or named in the effects. */
export const APPLY_SOME_SQL = `UPDATE subscriptions SET ${APPLY_SET} WHERE id IN (
    SELECT id FROM subscriptions WHERE rid = @rid AND (alert IS NOT 1 OR open IS NOT 1)
    UNION SELECT id FROM subscriptions WHERE rid = @rid AND uid IN (SELECT value FROM json_each(@targets))
  ) AND uid <> @sender RETURNING ${SUB_COLUMNS}`;

/** Earlier than any stored time: "no lower bound". */
const EPOCH_MIN = -8.64e15 - 1;

export class SqliteSubscriptionsRepo implements SubscriptionsRepo {
  readonly #ctx: RepoContext;

  constructor(ctx: RepoContext) {
    this.#ctx = ctx;
  }

  #one(sql: string, ...params: unknown[]): Subscription | undefined {
    const row = this.#ctx.db.stmt(sql).get(...params) as SubscriptionRow | undefined;
    return row ? toSubscription(row) : undefined;
  }

  #many(sql: string, ...params: unknown[]): Subscription[] {
    return (this.#ctx.db.stmt(sql).all(...params) as SubscriptionRow[]).map(toSubscription);
  }

  #column<T>(sql: string, ...params: unknown[]): T[] {
    return this.#ctx.db.stmt(sql).pluck().all(...params) as T[];
  }

  findById(id: string): Promise<Subscription | undefined> {
    return this.#ctx.run(() => this.#one(BY_ID, id));
  }

  findByRoomAndUser(rid: string, userId: string): Promise<Subscription | undefined> {
    return this.#ctx.run(() => this.#one(BY_ROOM_USER, rid, userId));
  }

  findByRoomAndUsername(rid: string, username: string): Promise<Subscription | undefined> {
    return this.#ctx.run(() => this.#one(BY_ROOM_USERNAME, rid, username));
  }

  listByUser(userId: string, since?: Date): Promise<Subscription[]> {
    return this.#ctx.run(() => this.#many(BY_USER, userId, since ? since.getTime() : EPOCH_MIN));
  }

  listRemovedForUser(userId: string, since: Date): Promise<Removed[]> {
    return this.#ctx.run(() => listTrash(this.#ctx.db, 'subscription', since, userId));
  }

  listByRoom(rid: string): Promise<Subscription[]> {
    return this.#ctx.run(() => this.#many(BY_ROOM, rid));
  }

  listForNotification(rid: string, userIds: readonly string[]): Promise<Subscription[]> {
    return this.#ctx.run(() => this.#many(FOR_NOTIFICATION, { rid, uids: JSON.stringify(userIds) }));
  }

  listUserIdsByRoom(rid: string): Promise<string[]> {
    return this.#ctx.run(() => this.#column<string>(UIDS_BY_ROOM, rid));
  }

  listByRoomAndRoles(rid: string, roles: readonly string[]): Promise<Subscription[]> {
    return this.#ctx.run(() => this.#many(BY_ROOM_ROLES, rid, jsonList(roles)));
  }

  countByRoomAndRole(rid: string, role: string): Promise<number> {
    return this.#ctx.run(() => (this.#ctx.db.stmt(COUNT_ROOM_ROLE).get(rid, role) as { n: number }).n);
  }

  listRoomIdsByUser(userId: string): Promise<string[]> {
    return this.#ctx.run(() => this.#column<string>(RIDS_BY_USER, userId));
  }

  insert(sub: Subscription): Promise<Subscription> {
    return this.#ctx.write(() => {
      const stored = { ...sub, _updatedAt: new Date() };
      const cols = subscriptionColumns(stored);
      this.#ctx.db.atomic(() => {
        this.#ctx.db.stmt(INSERT).run(cols);
        forgetTrash(this.#ctx.db, 'subscription', sub._id);
      });
      return toSubscription(cols as unknown as SubscriptionRow);
    });
  }

  #write(before: Subscription, patch: Patch<Subscription>, now: Date): Subscription {
    const after = applyPatch(before, patch, now);
    this.#ctx.db.stmt(UPDATE).run(subscriptionColumns(after));
    return after;
  }

  update(id: string, patch: Patch<Subscription>): Promise<Subscription | undefined> {
    return this.#ctx.write(() =>
      this.#ctx.db.atomic(() => {
        const before = this.#one(BY_ID, id);
        return before && this.#write(before, patch, new Date());
      }),
    );
  }

  updateByRoom(
    rid: string,
    patch: Patch<Subscription>,
    filter: { exceptUserId?: string; onlyOpen?: boolean } = {},
  ): Promise<Subscription[]> {
    return this.#ctx.write(() =>
      this.#ctx.db.atomic(() => {
        const now = new Date();
        const params = { rid, except: filter.exceptUserId ?? null, onlyOpen: bool(filter.onlyOpen) };
        return this.#many(BY_ROOM_FILTERED, params).map((before) => this.#write(before, patch, now));
      }),
    );
  }

  applyMessage(rid: string, effects: MessageEffects): Promise<Subscription[]> {
    return this.#ctx.write(() => {
      const unreadAll = effects.incUnread === 'all';
      const unreadIds: readonly string[] = effects.incUnread === 'all' ? [] : effects.incUnread;
      const params: Record<string, unknown> = {
        rid,
        sender: effects.senderId,
        unreadAll: bool(unreadAll),
        unreadIds: jsonList(unreadIds),
        mentionIds: jsonList(effects.incUserMentions),
        groupInc: bool(effects.incGroupMentions),
        now: Date.now(),
      };
      const everyone = unreadAll || effects.incGroupMentions;
      if (!everyone) params['targets'] = jsonList([...unreadIds, ...effects.incUserMentions]);
      const rows = this.#ctx.db.stmt(everyone ? APPLY_ALL : APPLY_SOME_SQL).all(params) as SubscriptionRow[];
      return rows.map(toSubscription);
    });
  }

  #remove(rows: Subscription[]): Subscription[] {
    const deletedAt = Date.now();
    for (const sub of rows) {
      this.#ctx.db.stmt(DELETE).run(sub._id);
      putInTrash(this.#ctx.db, 'subscription', { id: sub._id, deletedAt, rid: sub.rid, uid: sub.u._id, doc: encodeSubscription(sub) });
    }
    return rows;
  }

  delete(id: string): Promise<Subscription | undefined> {
    return this.#ctx.write(() => this.#ctx.db.atomic(() => this.#remove(this.#many(BY_ID, id))[0]));
  }

  deleteByRoom(rid: string): Promise<Subscription[]> {
    return this.#ctx.write(() => this.#ctx.db.atomic(() => this.#remove(this.#many(BY_ROOM, rid))));
  }
}

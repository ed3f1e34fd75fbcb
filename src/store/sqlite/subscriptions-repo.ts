import type { Removed, Subscription } from '../../domain/types.js';
import type { MessageEffects, Patch, SubscriptionsRepo } from '../store.js';
import { applyPatch } from '../patch.js';
import { type RepoContext, bool, forgetTrash, jsonList, listTrash, putInTrash } from './repo-context.js';
import {
  SUB_COLUMNS,
  SUB_FROM,
  SUB_OWN_COLUMNS,
  SUB_PENDING,
  type SubscriptionRow,
  encodeSubscription,
  seenCountParams,
  subscriptionColumns,
  toSubscription,
} from './subscription-rows.js';

const SELECT = `SELECT ${SUB_COLUMNS} FROM ${SUB_FROM}`;
const BY_ID = `${SELECT} WHERE s.id = ?`;
const BY_ROOM_USER = `${SELECT} WHERE s.rid = ? AND s.uid = ?`;
const BY_ROOM_USERNAME = `${SELECT} WHERE s.rid = ? AND s.username = ? ORDER BY s.id LIMIT 1`;
const BY_USER = `${SELECT} WHERE s.uid = @uid AND (s.updated_at > @since OR (c.counted_at > @since AND ${SUB_PENDING}))`;
const BY_ROOM = `${SELECT} WHERE s.rid = ?`;
const WITH_ROOM_COUNTS = `${SELECT} WHERE s.rid = ? AND ${SUB_PENDING}`;
const FOR_NOTIFICATION = `${SELECT} WHERE s.rid = @rid AND s.uid IN (SELECT value FROM json_each(@uids))
  UNION ${SELECT} WHERE s.rid = @rid AND json_extract(s.doc, '$.desktopNotifications') = 'all'`;
const UIDS_BY_ROOM = 'SELECT uid FROM subscriptions WHERE rid = ?';
const RIDS_BY_USER = 'SELECT rid FROM subscriptions WHERE uid = ?';
const HAS_ROLE_IN = `EXISTS (SELECT 1 FROM json_each(s.doc, '$.roles') r WHERE r.value IN (SELECT value FROM json_each(?)))`;
const BY_ROOM_ROLES = `${SELECT} WHERE s.rid = ? AND ${HAS_ROLE_IN} ORDER BY s.username, s.id`;
const COUNT_ROOM_ROLE = `SELECT count(*) AS n FROM subscriptions
  WHERE rid = ? AND EXISTS (SELECT 1 FROM json_each(doc, '$.roles') r WHERE r.value = ?)`;
const BY_ROOM_FILTERED = `${SELECT} WHERE s.rid = @rid AND (@except IS NULL OR s.uid <> @except) AND (@onlyOpen = 0 OR s.open = 1)`;
const INSERT = `INSERT INTO subscriptions (id, rid, uid, username, open, alert, unread, user_mentions, group_mentions, updated_at, doc, unread_base, group_base)
  VALUES (@id, @rid, @uid, @username, @open, @alert, @unread, @user_mentions, @group_mentions, @updated_at, @doc,
    coalesce((SELECT unread_seq FROM room_counts WHERE rid = @rid), 0), coalesce((SELECT group_seq FROM room_counts WHERE rid = @rid), 0))`;
const UPDATE = `UPDATE subscriptions SET rid = @rid, uid = @uid, username = @username, open = @open, alert = @alert,
  unread = @unread, user_mentions = @user_mentions, group_mentions = @group_mentions, updated_at = @updated_at, doc = @doc,
  unread_base = @unread_base, group_base = @group_base
  WHERE id = @id`;
const DELETE = 'DELETE FROM subscriptions WHERE id = ?';
const DELETE_COUNTS = 'DELETE FROM room_counts WHERE rid = ?';

// applyMessage. A count for every member is one increment of the room's counts (COUNT_ROOM).
const COUNT_ROOM = `INSERT INTO room_counts (rid, unread_seq, group_seq, counted_at) VALUES (@rid, @unreadAll, @groupInc, @now)
  ON CONFLICT (rid) DO UPDATE SET unread_seq = unread_seq + @unreadAll, group_seq = group_seq + @groupInc, counted_at = @now
  RETURNING unread_seq, group_seq`;
const ROOM_COUNTS = 'SELECT unread_seq, group_seq FROM room_counts WHERE rid = ?';
const COUNTED_AT = 'SELECT counted_at FROM room_counts WHERE rid = ?';
/**
 * The sender is not counted: its row takes in the counts before this message (its document does
 * not change) and its bases move past this message's.
 */
const SENDER_SKIPS = `UPDATE subscriptions SET
  unread = CASE WHEN @useq - @unreadAll > unread_base THEN coalesce(unread, 0) + @useq - @unreadAll - unread_base ELSE unread END,
  group_mentions = CASE WHEN @gseq - @groupInc > group_base THEN coalesce(group_mentions, 0) + @gseq - @groupInc - group_base ELSE group_mentions END,
  updated_at = CASE WHEN @useq - @unreadAll > unread_base OR @gseq - @groupInc > group_base THEN max(updated_at, @prevCountedAt) ELSE updated_at END,
  unread_base = max(unread_base, @useq), group_base = max(group_base, @gseq)
  WHERE rid = @rid AND uid = @sender`;
/**
 * Members alerted or opened now (partial index subscriptions_unseen) or named in the effects: their
 * rows take in the room's counts and this message's own.
 */
export const APPLY_SOME_SQL = `UPDATE subscriptions SET alert = 1, open = 1,
  unread = coalesce(unread, 0) + max(@useq - unread_base, 0) + (CASE WHEN uid IN (SELECT value FROM json_each(@unreadIds)) THEN 1 ELSE 0 END),
  user_mentions = coalesce(user_mentions, 0) + (CASE WHEN uid IN (SELECT value FROM json_each(@mentionIds)) THEN 1 ELSE 0 END),
  group_mentions = coalesce(group_mentions, 0) + max(@gseq - group_base, 0),
  unread_base = max(unread_base, @useq), group_base = max(group_base, @gseq),
  updated_at = @now
  WHERE id IN (
    SELECT id FROM subscriptions WHERE rid = @rid AND (alert IS NOT 1 OR open IS NOT 1)
    UNION SELECT id FROM subscriptions WHERE rid = @rid AND uid IN (SELECT value FROM json_each(@targets))
  ) AND uid <> @sender RETURNING ${SUB_OWN_COLUMNS}`;

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

  #rows(sql: string, ...params: unknown[]): SubscriptionRow[] {
    return this.#ctx.db.stmt(sql).all(...params) as SubscriptionRow[];
  }

  #many(sql: string, ...params: unknown[]): Subscription[] {
    return this.#rows(sql, ...params).map(toSubscription);
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
    return this.#ctx.run(() => this.#many(BY_USER, { uid: userId, since: since ? since.getTime() : EPOCH_MIN }));
  }

  listRemovedForUser(userId: string, since: Date): Promise<Removed[]> {
    return this.#ctx.run(() => listTrash(this.#ctx.db, 'subscription', since, userId));
  }

  listByRoom(rid: string): Promise<Subscription[]> {
    return this.#ctx.run(() => this.#many(BY_ROOM, rid));
  }

  listWithRoomCounts(rid: string): Promise<Subscription[]> {
    return this.#ctx.run(() => this.#many(WITH_ROOM_COUNTS, rid));
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

  /** Writes the patched document of a row read with its room's counts (which it now includes). */
  #write(row: SubscriptionRow, patch: Patch<Subscription>, now: Date): Subscription {
    const after = applyPatch(toSubscription(row), patch, now);
    this.#ctx.db.stmt(UPDATE).run({ ...subscriptionColumns(after), ...seenCountParams(row) });
    return after;
  }

  update(id: string, patch: Patch<Subscription>): Promise<Subscription | undefined> {
    return this.#ctx.write(() =>
      this.#ctx.db.atomic(() => {
        const row = this.#rows(BY_ID, id)[0];
        return row && this.#write(row, patch, new Date());
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
        return this.#rows(BY_ROOM_FILTERED, params).map((row) => this.#write(row, patch, now));
      }),
    );
  }

  applyMessage(rid: string, effects: MessageEffects): Promise<Subscription[]> {
    return this.#ctx.write(() => this.#ctx.db.atomic(() => this.applyMessageNow(rid, effects, Date.now())));
  }

  /** The member's subscription marked read (Store.postMessage's `readBySender`), synchronously. */
  markReadNow(rid: string, userId: string, now: Date): Subscription | undefined {
    const row = this.#rows(BY_ROOM_USER, rid, userId)[0];
    return row && this.#write(row, { set: { open: true, alert: false, unread: 0, userMentions: 0, groupMentions: 0, ls: now } }, now);
  }

  /**
   * applyMessage, synchronously on the connection (inside the caller's atomic section). With
   * `senderReadNext` the caller marks the sender read right after, which settles the sender's
   * counts itself.
   */
  applyMessageNow(rid: string, effects: MessageEffects, now: number, senderReadNext = false): Subscription[] {
    const db = this.#ctx.db;
    const unreadAll = effects.incUnread === 'all' ? 1 : 0;
    const groupInc = bool(effects.incGroupMentions);
    const unreadIds: readonly string[] = effects.incUnread === 'all' ? [] : effects.incUnread;
    let counts: { unread_seq: number; group_seq: number } | undefined;
    if (unreadAll || groupInc) {
      const prev = db.stmt(COUNTED_AT).pluck().get(rid) as number | undefined;
      counts = db.stmt(COUNT_ROOM).get({ rid, unreadAll, groupInc, now }) as typeof counts;
      if (!senderReadNext) {
        db.stmt(SENDER_SKIPS).run({ rid, sender: effects.senderId, useq: counts!.unread_seq, gseq: counts!.group_seq, unreadAll, groupInc, prevCountedAt: prev ?? 0 });
      }
    } else {
      counts = db.stmt(ROOM_COUNTS).get(rid) as typeof counts;
    }
    const rows = db.stmt(APPLY_SOME_SQL).all({
      rid,
      sender: effects.senderId,
      useq: counts?.unread_seq ?? 0,
      gseq: counts?.group_seq ?? 0,
      unreadIds: jsonList(unreadIds),
      mentionIds: jsonList(effects.incUserMentions),
      targets: jsonList([...unreadIds, ...effects.incUserMentions]),
      now,
    }) as SubscriptionRow[];
    return rows.map(toSubscription);
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
    return this.#ctx.write(() =>
      this.#ctx.db.atomic(() => {
        const removed = this.#remove(this.#many(BY_ROOM, rid));
        this.#ctx.db.stmt(DELETE_COUNTS).run(rid);
        return removed;
      }),
    );
  }
}

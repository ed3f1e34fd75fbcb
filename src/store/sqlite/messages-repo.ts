import type { Message, Removed } from '../../domain/types.js';
import type { ChangeWindow, HistoryQuery, MessagesRepo, Patch } from '../store.js';
import { decodeDoc, encodeDoc } from '../stored-json.js';
import { applyPatch } from '../patch.js';
import { type DocRow, type RepoContext, bool, jsonList, putInTrash } from './repo-context.js';

/** Bounds wider than any Date (±8.64e15 ms): "no bound". */
const TS_MAX = 8.64e15 + 1;
const TS_MIN = -8.64e15 - 1;

/** The visible messages of a room matching a HistoryQuery; a range on the (rid, ts) index. */
const MATCHING = `FROM messages
  WHERE rid = @rid AND ts < @before AND ts > @after AND hidden = 0
    AND (t IS NULL OR t NOT IN (SELECT value FROM json_each(@excludeTypes)))
    AND (@noThreadReplies = 0 OR tmid IS NULL OR tshow = 1)`;
export const HISTORY_SQL = `SELECT doc ${MATCHING} ORDER BY ts DESC, rowid DESC LIMIT @limit`;
const HISTORY_JSON_SQL = `SELECT ts, doc ${MATCHING} ORDER BY ts DESC, rowid DESC LIMIT @limit`;
const OLDEST = `SELECT doc ${MATCHING} ORDER BY ts ASC, rowid ASC LIMIT 1`;
const COUNT = `SELECT count(*) AS n ${MATCHING}`;
const LAST_VISIBLE = `SELECT doc FROM messages
  WHERE rid = ? AND hidden = 0 AND t IS NULL AND (tmid IS NULL OR tshow = 1)
  ORDER BY ts DESC, rowid DESC LIMIT 1`;
const BY_ID = 'SELECT doc FROM messages WHERE id = ?';
const INSERT = `INSERT INTO messages (id, rid, ts, t, tmid, tshow, hidden, updated_at, doc)
  VALUES (@id, @rid, @ts, @t, @tmid, @tshow, @hidden, @updatedAt, @doc) ON CONFLICT (id) DO NOTHING`;
const UPDATE = `UPDATE messages SET rid = @rid, ts = @ts, t = @t, tmid = @tmid, tshow = @tshow, hidden = @hidden,
  updated_at = @updatedAt, doc = @doc WHERE id = @id`;
const CHANGED = (order: 'ASC' | 'DESC') => `SELECT doc FROM messages
  WHERE rid = @rid AND updated_at > @after AND updated_at < @before AND hidden = 0
  ORDER BY updated_at ${order}, rowid ${order} LIMIT @limit`;
const CHANGED_ASC = CHANGED('ASC');
const CHANGED_DESC = CHANGED('DESC');
const DELETED = (order: 'ASC' | 'DESC') => `SELECT id, deleted_at FROM trash
  WHERE collection = 'message' AND rid = @rid AND deleted_at > @after AND deleted_at < @before
  ORDER BY deleted_at ${order} LIMIT @limit`;
const DELETED_ASC = DELETED('ASC');
const DELETED_DESC = DELETED('DESC');
const DELETE = 'DELETE FROM messages WHERE id = ?';
const TRASH_ROOM = `INSERT INTO trash (collection, id, deleted_at, rid, uid, doc)
  SELECT 'message', id, @now, rid, NULL, doc FROM messages WHERE rid = @rid
  ON CONFLICT (collection, id) DO UPDATE SET deleted_at = excluded.deleted_at, rid = excluded.rid, doc = excluded.doc`;
const DELETE_ROOM = 'DELETE FROM messages WHERE rid = ?';
/** A scan: messages have no index by sender (deleting a user's messages is a rare admin action). */
const BY_SENDER = "json_extract(doc, '$.u._id') = @uid";
const ROOMS_OF_SENDER = `SELECT DISTINCT rid FROM messages WHERE ${BY_SENDER}`;
const TRASH_SENDER = `INSERT INTO trash (collection, id, deleted_at, rid, uid, doc)
  SELECT 'message', id, @now, rid, NULL, doc FROM messages WHERE ${BY_SENDER}
  ON CONFLICT (collection, id) DO UPDATE SET deleted_at = excluded.deleted_at, rid = excluded.rid, doc = excluded.doc`;
const DELETE_SENDER = `DELETE FROM messages WHERE ${BY_SENDER}`;

function columns(m: Message): Record<string, unknown> {
  return {
    id: m._id,
    rid: m.rid,
    ts: m.ts.getTime(),
    t: typeof m.t === 'string' ? m.t : null,
    tmid: typeof m.tmid === 'string' ? m.tmid : null,
    tshow: bool(m.tshow),
    hidden: bool(m._hidden),
    updatedAt: m._updatedAt.getTime(),
    doc: encodeDoc(m),
  };
}

function windowParams(rid: string, w: ChangeWindow): Record<string, unknown> {
  return { rid, after: w.after ? w.after.getTime() : TS_MIN, before: w.before ? w.before.getTime() : TS_MAX, limit: w.limit ? w.limit : -1 };
}

function queryParams(rid: string, q: HistoryQuery): Record<string, unknown> {
  return {
    rid,
    before: q.before ? q.before.getTime() : TS_MAX,
    after: q.after ? q.after.getTime() : TS_MIN,
    excludeTypes: jsonList(q.excludeTypes ?? []),
    noThreadReplies: bool(q.excludeThreadReplies),
  };
}

export class SqliteMessagesRepo implements MessagesRepo {
  readonly #ctx: RepoContext;

  constructor(ctx: RepoContext) {
    this.#ctx = ctx;
  }

  #one(sql: string, ...params: unknown[]): Message | undefined {
    const row = this.#ctx.db.stmt(sql).get(...params) as DocRow | undefined;
    return row ? decodeDoc<Message>(row.doc) : undefined;
  }

  findById(id: string): Promise<Message | undefined> {
    return this.#ctx.run(() => this.#one(BY_ID, id));
  }

  insert(message: Message): Promise<boolean> {
    return this.#ctx.write(() => this.insertNow({ ...message, _updatedAt: new Date() }));
  }

  /** The insert, synchronously on the connection (for the caller's atomic section); false when the `_id` exists. */
  insertNow(message: Message): boolean {
    return this.#ctx.db.stmt(INSERT).run(columns(message)).changes === 1;
  }

  update(id: string, patch: Patch<Message>): Promise<Message | undefined> {
    return this.#ctx.write(() =>
      this.#ctx.db.atomic(() => {
        const before = this.#one(BY_ID, id);
        if (!before) return undefined;
        const after = applyPatch(before, patch, new Date());
        this.#ctx.db.stmt(UPDATE).run(columns(after));
        return after;
      }),
    );
  }

  delete(id: string): Promise<Message | undefined> {
    return this.#ctx.write(() =>
      this.#ctx.db.atomic(() => {
        const row = this.#ctx.db.stmt(BY_ID).get(id) as DocRow | undefined;
        if (!row) return undefined;
        const message = decodeDoc<Message>(row.doc);
        this.#ctx.db.stmt(DELETE).run(id);
        putInTrash(this.#ctx.db, 'message', { id, deletedAt: Date.now(), rid: message.rid, doc: row.doc });
        return message;
      }),
    );
  }

  deleteByRoom(rid: string): Promise<number> {
    return this.#ctx.write(() =>
      this.#ctx.db.atomic(() => {
        this.#ctx.db.stmt(TRASH_ROOM).run({ now: Date.now(), rid });
        return this.#ctx.db.stmt(DELETE_ROOM).run(rid).changes;
      }),
    );
  }

  deleteByUser(userId: string): Promise<string[]> {
    return this.#ctx.write(() =>
      this.#ctx.db.atomic(() => {
        const rids = (this.#ctx.db.stmt(ROOMS_OF_SENDER).all({ uid: userId }) as Array<{ rid: string }>).map((r) => r.rid);
        this.#ctx.db.stmt(TRASH_SENDER).run({ now: Date.now(), uid: userId });
        this.#ctx.db.stmt(DELETE_SENDER).run({ uid: userId });
        return rids;
      }),
    );
  }

  listHistory(rid: string, query: HistoryQuery, limit: number): Promise<Message[]> {
    return this.#ctx.run(() => {
      const params = { ...queryParams(rid, query), limit: limit > 0 ? limit : -1 };
      return (this.#ctx.db.stmt(HISTORY_SQL).all(params) as DocRow[]).map((r) => decodeDoc<Message>(r.doc));
    });
  }

  listHistoryJson(rid: string, query: HistoryQuery, limit: number): Promise<Array<{ ts: Date; json: string }>> {
    return this.#ctx.run(() => {
      const params = { ...queryParams(rid, query), limit: limit > 0 ? limit : -1 };
      const rows = this.#ctx.db.stmt(HISTORY_JSON_SQL).all(params) as Array<{ ts: number; doc: string }>;
      return rows.map((r) => ({ ts: new Date(r.ts), json: r.doc }));
    });
  }

  findOldestAndCount(rid: string, query: HistoryQuery): Promise<{ oldest?: Message; count: number }> {
    return this.#ctx.run(() => {
      const params = queryParams(rid, query);
      const count = (this.#ctx.db.stmt(COUNT).get(params) as { n: number }).n;
      const oldest = count > 0 ? this.#one(OLDEST, params) : undefined;
      return oldest ? { oldest, count } : { count };
    });
  }

  findLastVisible(rid: string): Promise<Message | undefined> {
    return this.#ctx.run(() => this.#one(LAST_VISIBLE, rid));
  }

  listChanged(rid: string, window: ChangeWindow): Promise<Message[]> {
    return this.#ctx.run(() => {
      const rows = this.#ctx.db.stmt(window.order === 'asc' ? CHANGED_ASC : CHANGED_DESC).all(windowParams(rid, window)) as DocRow[];
      return rows.map((r) => decodeDoc<Message>(r.doc));
    });
  }

  listDeleted(rid: string, window: ChangeWindow): Promise<Removed[]> {
    return this.#ctx.run(() => {
      const rows = this.#ctx.db.stmt(window.order === 'asc' ? DELETED_ASC : DELETED_DESC).all(windowParams(rid, window)) as Array<{ id: string; deleted_at: number }>;
      return rows.map((r) => ({ _id: r.id, _deletedAt: new Date(r.deleted_at) }));
    });
  }
}

import type { Message, Removed } from '../../domain/types.js';
import { applyPatch } from '../patch.js';
import type { ChangeWindow, HistoryQuery, MessagesRepo, Patch } from '../store.js';
import type { PgExecutor } from './pg-executor.js';
import { type DocRow, count, docOf, jsonb, many, one, putInTrash } from './pg-rows.js';

const TS_MAX = 8.64e15 + 1;
const TS_MIN = -8.64e15 - 1;

/** $1 rid, $2 before, $3 after, $4 excluded types, $5 exclude thread replies; a range on (rid, ts, seq). */
const MATCHING = `FROM messages
  WHERE rid = $1 AND ts < $2 AND ts > $3 AND NOT hidden
    AND (t IS NULL OR NOT (t = ANY($4::text[])))
    AND (NOT $5::boolean OR tmid IS NULL OR tshow)`;
const HISTORY = `SELECT doc ${MATCHING} ORDER BY ts DESC, seq DESC LIMIT $6`;
const HISTORY_JSON = `SELECT ts, doc::text AS json ${MATCHING} ORDER BY ts DESC, seq DESC LIMIT $6`;
const OLDEST = `SELECT doc ${MATCHING} ORDER BY ts ASC, seq ASC LIMIT 1`;
const COUNT = `SELECT count(*) AS n ${MATCHING}`;
const LAST_VISIBLE = `SELECT doc FROM messages WHERE rid = $1 AND NOT hidden AND t IS NULL AND (tmid IS NULL OR tshow)
  ORDER BY ts DESC, seq DESC LIMIT 1`;
const BY_ID = 'SELECT doc FROM messages WHERE id = $1';
const INSERT = `INSERT INTO messages (id, rid, ts, t, tmid, tshow, hidden, doc, updated_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9) ON CONFLICT (id) DO NOTHING`;
const UPDATE = 'UPDATE messages SET rid = $2, ts = $3, t = $4, tmid = $5, tshow = $6, hidden = $7, doc = $8::jsonb, updated_at = $9 WHERE id = $1';
/** $1 rid, $2 after, $3 before, $4 limit (null = all). */
const CHANGED = (order: 'ASC' | 'DESC') => `SELECT doc FROM messages
  WHERE rid = $1 AND updated_at > $2 AND updated_at < $3 AND NOT hidden
  ORDER BY updated_at ${order}, seq ${order} LIMIT $4`;
const DELETED = (order: 'ASC' | 'DESC') => `SELECT id, deleted_at FROM trash
  WHERE collection = 'message' AND rid = $1 AND deleted_at > $2 AND deleted_at < $3
  ORDER BY deleted_at ${order} LIMIT $4`;
const WINDOW_SQL = {
  changed: { asc: CHANGED('ASC'), desc: CHANGED('DESC') },
  deleted: { asc: DELETED('ASC'), desc: DELETED('DESC') },
};
const DELETE = 'DELETE FROM messages WHERE id = $1 RETURNING doc';
const TRASH_ROOM = `INSERT INTO trash (collection, id, deleted_at, rid, uid, doc)
  SELECT 'message', id, $2, rid, NULL, doc FROM messages WHERE rid = $1
  ON CONFLICT (collection, id) DO UPDATE SET deleted_at = excluded.deleted_at, rid = excluded.rid, doc = excluded.doc`;
const DELETE_ROOM = 'DELETE FROM messages WHERE rid = $1';
/** A scan: messages have no index by sender (deleting a user's messages is a rare admin action). */
const TRASH_SENDER = `INSERT INTO trash (collection, id, deleted_at, rid, uid, doc)
  SELECT 'message', id, $2, rid, NULL, doc FROM messages WHERE doc->'u'->>'_id' = $1
  ON CONFLICT (collection, id) DO UPDATE SET deleted_at = excluded.deleted_at, rid = excluded.rid, doc = excluded.doc`;
const DELETE_SENDER = `DELETE FROM messages WHERE doc->'u'->>'_id' = $1 RETURNING rid`;

/** The INSERT values of a message (id, rid, ts, t, tmid, tshow, hidden, doc, updated_at). */
export function messageParams(m: Message): unknown[] {
  return [
    m._id,
    m.rid,
    m.ts.getTime(),
    typeof m.t === 'string' ? m.t : null,
    typeof m.tmid === 'string' ? m.tmid : null,
    m.tshow === true,
    m._hidden === true,
    jsonb(m),
    m._updatedAt.getTime(),
  ];
}

function windowParams(rid: string, w: ChangeWindow): unknown[] {
  return [rid, w.after ? w.after.getTime() : TS_MIN, w.before ? w.before.getTime() : TS_MAX, w.limit ? w.limit : null];
}

function queryParams(rid: string, q: HistoryQuery): unknown[] {
  return [rid, q.before ? q.before.getTime() : TS_MAX, q.after ? q.after.getTime() : TS_MIN, q.excludeTypes ?? [], q.excludeThreadReplies === true];
}

export class PostgresMessagesRepo implements MessagesRepo {
  readonly #exec: PgExecutor;

  constructor(exec: PgExecutor) {
    this.#exec = exec;
  }

  findById(id: string): Promise<Message | undefined> {
    return this.#exec.run((q) => one<Message>(q, BY_ID, [id]));
  }

  insert(message: Message): Promise<boolean> {
    const values = messageParams({ ...message, _updatedAt: new Date() });
    return this.#exec.run(async (q) => (await q.query(INSERT, values)).rowCount === 1);
  }

  update(id: string, patch: Patch<Message>): Promise<Message | undefined> {
    return this.#exec.atomic(async (q) => {
      const before = await one<Message>(q, `${BY_ID} FOR UPDATE`, [id]);
      if (!before) return undefined;
      const after = applyPatch(before, patch, new Date());
      await q.query(UPDATE, messageParams(after));
      return after;
    });
  }

  delete(id: string): Promise<Message | undefined> {
    return this.#exec.atomic(async (q) => {
      const { rows } = await q.query<DocRow>(DELETE, [id]);
      if (!rows[0]) return undefined;
      const message = docOf<Message>(rows[0]);
      await putInTrash(q, 'message', { id, deletedAt: Date.now(), rid: message.rid, doc: jsonb(message) });
      return message;
    });
  }

  deleteByRoom(rid: string): Promise<number> {
    return this.#exec.atomic(async (q) => {
      await q.query(TRASH_ROOM, [rid, Date.now()]);
      return (await q.query(DELETE_ROOM, [rid])).rowCount ?? 0;
    });
  }

  deleteByUser(userId: string): Promise<string[]> {
    return this.#exec.atomic(async (q) => {
      await q.query(TRASH_SENDER, [userId, Date.now()]);
      const { rows } = await q.query<{ rid: string }>(DELETE_SENDER, [userId]);
      return [...new Set(rows.map((r) => r.rid))];
    });
  }

  listHistory(rid: string, query: HistoryQuery, limit: number): Promise<Message[]> {
    return this.#exec.run((q) => many<Message>(q, HISTORY, [...queryParams(rid, query), limit > 0 ? limit : null]));
  }

  listHistoryJson(rid: string, query: HistoryQuery, limit: number): Promise<Array<{ ts: Date; json: string }>> {
    return this.#exec.run(async (q) => {
      const { rows } = await q.query<{ ts: number; json: string }>(HISTORY_JSON, [...queryParams(rid, query), limit > 0 ? limit : null]);
      return rows.map((r) => ({ ts: new Date(Number(r.ts)), json: r.json }));
    });
  }

  findOldestAndCount(rid: string, query: HistoryQuery): Promise<{ oldest?: Message; count: number }> {
    return this.#exec.run(async (q) => {
      const values = queryParams(rid, query);
      const n = await count(q, COUNT, values);
      const oldest = n > 0 ? await one<Message>(q, OLDEST, values) : undefined;
      return oldest ? { oldest, count: n } : { count: n };
    });
  }

  findLastVisible(rid: string): Promise<Message | undefined> {
    return this.#exec.run((q) => one<Message>(q, LAST_VISIBLE, [rid]));
  }

  listChanged(rid: string, window: ChangeWindow): Promise<Message[]> {
    return this.#exec.run((q) => many<Message>(q, WINDOW_SQL.changed[window.order], windowParams(rid, window)));
  }

  listDeleted(rid: string, window: ChangeWindow): Promise<Removed[]> {
    return this.#exec.run(async (q) => {
      const { rows } = await q.query<{ id: string; deleted_at: number }>(WINDOW_SQL.deleted[window.order], windowParams(rid, window));
      return rows.map((r) => ({ _id: r.id, _deletedAt: new Date(Number(r.deleted_at)) }));
    });
  }
}

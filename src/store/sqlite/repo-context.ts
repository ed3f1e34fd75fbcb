import type { Removed } from '../../domain/types.js';
import type { Runner } from './gate.js';
import type { SqliteDb } from './sqlite-db.js';

/**
 * What every repo needs: the connection, and how to run a call — `run` for reads, `write` for
 * writes (gated and group-committed on the root store; at once inside a transaction).
 */
export interface RepoContext {
  readonly db: SqliteDb;
  readonly run: Runner;
  readonly write: Runner;
}

/** A row holding a JSON document. */
export interface DocRow {
  doc: string;
}

/** Bound-parameter form of an optional Date (milliseconds, or null). */
export function ms(d: Date | undefined): number | null {
  return d === undefined ? null : d.getTime();
}

/** A JSON array parameter, read in SQL with `json_each(?)`. */
export function jsonList(values: readonly string[]): string {
  return JSON.stringify(values);
}

export function bool(v: unknown): 0 | 1 {
  return v === true ? 1 : 0;
}

/** Trash collection names (Rocket.Chat's `__collection__` values). */
export type TrashCollection = 'room' | 'subscription' | 'message';

const TRASH_PUT = `INSERT INTO trash (collection, id, deleted_at, rid, uid, doc) VALUES (?, ?, ?, ?, ?, ?)
  ON CONFLICT (collection, id) DO UPDATE SET deleted_at = excluded.deleted_at, rid = excluded.rid, uid = excluded.uid, doc = excluded.doc`;
const TRASH_FORGET = 'DELETE FROM trash WHERE collection = ? AND id = ?';
const TRASH_SINCE = 'SELECT id, deleted_at FROM trash WHERE collection = ? AND deleted_at > ? ORDER BY deleted_at';
const TRASH_SINCE_FOR_USER = 'SELECT id, deleted_at FROM trash WHERE collection = ? AND uid = ? AND deleted_at > ? ORDER BY deleted_at';

/** Keeps a trash copy of a deleted document (a later delete of the same id replaces it). */
export function putInTrash(
  db: SqliteDb,
  collection: TrashCollection,
  entry: { id: string; deletedAt: number; rid?: string | null; uid?: string | null; doc: string },
): void {
  db.stmt(TRASH_PUT).run(collection, entry.id, entry.deletedAt, entry.rid ?? null, entry.uid ?? null, entry.doc);
}

/** Drops the trash copy of a document that is inserted again, so delta readers do not see it as removed. */
export function forgetTrash(db: SqliteDb, collection: TrashCollection, id: string): void {
  db.stmt(TRASH_FORGET).run(collection, id);
}

export function listTrash(db: SqliteDb, collection: TrashCollection, since: Date, uid?: string): Removed[] {
  const rows = (
    uid === undefined
      ? db.stmt(TRASH_SINCE).all(collection, since.getTime())
      : db.stmt(TRASH_SINCE_FOR_USER).all(collection, uid, since.getTime())
  ) as Array<{ id: string; deleted_at: number }>;
  return rows.map((r) => ({ _id: r.id, _deletedAt: new Date(r.deleted_at) }));
}

import type { Removed } from '../../domain/types.js';
import { encodeDoc, fromStoredValue } from '../stored-json.js';
import type { Queryable } from './pg-executor.js';

/** A row holding a jsonb document (pg has already parsed it; Date markers are still to decode). */
export interface DocRow {
  doc: unknown;
}

/** The document of a row. */
export function docOf<T>(row: DocRow): T {
  return fromStoredValue<T>(row.doc);
}

/** A document as a jsonb parameter (bind as `$n::jsonb`). */
export function jsonb(doc: unknown): string {
  return encodeDoc(doc);
}

export async function one<T>(q: Queryable, sql: string, params: unknown[]): Promise<T | undefined> {
  const { rows } = await q.query<DocRow>(sql, params);
  return rows[0] ? docOf<T>(rows[0]) : undefined;
}

export async function many<T>(q: Queryable, sql: string, params: unknown[]): Promise<T[]> {
  const { rows } = await q.query<DocRow>(sql, params);
  return rows.map((r) => docOf<T>(r));
}

export async function count(q: Queryable, sql: string, params: unknown[]): Promise<number> {
  const { rows } = await q.query<{ n: number }>(sql, params);
  return Number(rows[0]?.n ?? 0);
}

/** Earlier than any stored time: "no lower bound". */
export const EPOCH_MIN = -8.64e15 - 1;

export type TrashCollection = 'room' | 'subscription' | 'message';

const TRASH_PUT = `INSERT INTO trash (collection, id, deleted_at, rid, uid, doc) VALUES ($1, $2, $3, $4, $5, $6::jsonb)
  ON CONFLICT (collection, id) DO UPDATE SET deleted_at = excluded.deleted_at, rid = excluded.rid, uid = excluded.uid, doc = excluded.doc`;

export async function putInTrash(
  q: Queryable,
  collection: TrashCollection,
  entry: { id: string; deletedAt: number; rid?: string | null; uid?: string | null; doc: string },
): Promise<void> {
  await q.query(TRASH_PUT, [collection, entry.id, entry.deletedAt, entry.rid ?? null, entry.uid ?? null, entry.doc]);
}

export async function forgetTrash(q: Queryable, collection: TrashCollection, id: string): Promise<void> {
  await q.query('DELETE FROM trash WHERE collection = $1 AND id = $2', [collection, id]);
}

export async function listTrash(q: Queryable, collection: TrashCollection, since: Date, uid?: string): Promise<Removed[]> {
  const { rows } = await (uid === undefined
    ? q.query<{ id: string; deleted_at: number }>(
        'SELECT id, deleted_at FROM trash WHERE collection = $1 AND deleted_at > $2 ORDER BY deleted_at',
        [collection, since.getTime()],
      )
    : q.query<{ id: string; deleted_at: number }>(
        'SELECT id, deleted_at FROM trash WHERE collection = $1 AND uid = $2 AND deleted_at > $3 ORDER BY deleted_at',
        [collection, uid, since.getTime()],
      ));
  return rows.map((r) => ({ _id: r.id, _deletedAt: new Date(Number(r.deleted_at)) }));
}

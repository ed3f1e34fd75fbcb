import type { KeyedDocs } from '../keyed-docs.js';
import type { PgExecutor } from './pg-executor.js';
import { jsonb, many, one } from './pg-rows.js';

type Table = 'settings' | 'permissions' | 'roles';

/** A small keyed collection stored as (id, doc): settings, permissions and roles. */
export class DocTable<T extends { _id: string }> implements KeyedDocs<T> {
  readonly #exec: PgExecutor;
  readonly #list: string;
  readonly #get: string;
  readonly #insert: string;
  readonly #put: string;

  constructor(exec: PgExecutor, table: Table) {
    this.#exec = exec;
    this.#list = `SELECT doc FROM ${table} ORDER BY id COLLATE "C"`;
    this.#get = `SELECT doc FROM ${table} WHERE id = $1`;
    this.#insert = `INSERT INTO ${table} (id, doc) VALUES ($1, $2::jsonb) ON CONFLICT (id) DO NOTHING`;
    this.#put = `UPDATE ${table} SET doc = $2::jsonb WHERE id = $1`;
  }

  list(): Promise<T[]> {
    return this.#exec.run((q) => many<T>(q, this.#list, []));
  }

  /** Inserts `doc` unless its id exists; returns the stored document either way. */
  insertDefault(doc: T): Promise<T> {
    return this.#exec.atomic(async (q) => {
      await q.query(this.#insert, [doc._id, jsonb(doc)]);
      return (await one<T>(q, this.#get, [doc._id])) as T;
    });
  }

  /** Read-modify-write of one document; undefined if there is none with this id. */
  change(id: string, edit: (doc: T) => T): Promise<T | undefined> {
    return this.#exec.atomic(async (q) => {
      const before = await one<T>(q, `${this.#get} FOR UPDATE`, [id]);
      if (!before) return undefined;
      const after = edit(before);
      await q.query(this.#put, [id, jsonb(after)]);
      return after;
    });
  }
}

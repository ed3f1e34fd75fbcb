import type { KeyedDocs } from '../keyed-docs.js';
import { decodeDoc, encodeDoc } from '../stored-json.js';
import type { DocRow, RepoContext } from './repo-context.js';

type Table = 'settings' | 'permissions' | 'roles';

/** A small keyed collection stored as (id, doc): settings, permissions and roles. */
export class DocTable<T extends { _id: string }> implements KeyedDocs<T> {
  readonly #ctx: RepoContext;
  readonly #list: string;
  readonly #get: string;
  readonly #insert: string;
  readonly #put: string;

  constructor(ctx: RepoContext, table: Table) {
    this.#ctx = ctx;
    this.#list = `SELECT doc FROM ${table} ORDER BY id`;
    this.#get = `SELECT doc FROM ${table} WHERE id = ?`;
    this.#insert = `INSERT INTO ${table} (id, doc) VALUES (?, ?) ON CONFLICT (id) DO NOTHING`;
    this.#put = `UPDATE ${table} SET doc = ? WHERE id = ?`;
  }

  list(): Promise<T[]> {
    return this.#ctx.run(() => (this.#ctx.db.stmt(this.#list).all() as DocRow[]).map((r) => decodeDoc<T>(r.doc)));
  }

  #find(id: string): T | undefined {
    const row = this.#ctx.db.stmt(this.#get).get(id) as DocRow | undefined;
    return row ? decodeDoc<T>(row.doc) : undefined;
  }

  /** Inserts `doc` unless its id exists; returns the stored document either way. */
  insertDefault(doc: T): Promise<T> {
    return this.#ctx.write(() =>
      this.#ctx.db.atomic(() => {
        this.#ctx.db.stmt(this.#insert).run(doc._id, encodeDoc(doc));
        return this.#find(doc._id) as T;
      }),
    );
  }

  /** Read-modify-write of one document; undefined if there is none with this id. */
  change(id: string, edit: (doc: T) => T): Promise<T | undefined> {
    return this.#ctx.write(() =>
      this.#ctx.db.atomic(() => {
        const before = this.#find(id);
        if (!before) return undefined;
        const after = edit(before);
        this.#ctx.db.stmt(this.#put).run(encodeDoc(after), id);
        return after;
      }),
    );
  }
}

import type { Integration } from '../../domain/types.js';
import type { IntegrationsRepo, Page } from '../store.js';
import { decodeDoc, encodeDoc } from '../stored-json.js';
import type { DocRow, RepoContext } from './repo-context.js';

const BY_ID = 'SELECT doc FROM integrations WHERE id = ?';
const INSERT = 'INSERT INTO integrations (id, type, created_by, created_at, doc) VALUES (?, ?, ?, ?, ?)';
const DELETE = 'DELETE FROM integrations WHERE id = ?';
const MATCHING = 'FROM integrations WHERE type = @type AND (@createdBy IS NULL OR created_by = @createdBy)';
const LIST = `SELECT doc ${MATCHING} ORDER BY created_at DESC, id LIMIT @limit OFFSET @offset`;
const COUNT = `SELECT count(*) AS n ${MATCHING}`;

export class SqliteIntegrationsRepo implements IntegrationsRepo {
  readonly #ctx: RepoContext;

  constructor(ctx: RepoContext) {
    this.#ctx = ctx;
  }

  #find(id: string): Integration | undefined {
    const row = this.#ctx.db.stmt(BY_ID).get(id) as DocRow | undefined;
    return row ? decodeDoc<Integration>(row.doc) : undefined;
  }

  findById(id: string): Promise<Integration | undefined> {
    return this.#ctx.run(() => this.#find(id));
  }

  insert(integration: Integration): Promise<Integration> {
    const stored = { ...integration, _updatedAt: new Date() };
    return this.#ctx.write(() =>
      this.#ctx.db.atomic(() => {
        this.#ctx.db
          .stmt(INSERT)
          .run(stored._id, stored.type, stored._createdBy._id, stored._createdAt.getTime(), encodeDoc(stored));
        return stored;
      }),
    );
  }

  delete(id: string): Promise<Integration | undefined> {
    return this.#ctx.write(() =>
      this.#ctx.db.atomic(() => {
        const found = this.#find(id);
        if (found) this.#ctx.db.stmt(DELETE).run(id);
        return found;
      }),
    );
  }

  list(filter: { type: Integration['type']; createdBy?: string }, page: Page): Promise<{ total: number; records: Integration[] }> {
    return this.#ctx.run(() => {
      const params = { type: filter.type, createdBy: filter.createdBy ?? null };
      const total = (this.#ctx.db.stmt(COUNT).get(params) as { n: number }).n;
      const rows = this.#ctx.db.stmt(LIST).all({ ...params, limit: page.limit ? page.limit : -1, offset: page.skip ?? 0 }) as DocRow[];
      return { total, records: rows.map((r) => decodeDoc<Integration>(r.doc)) };
    });
  }
}

import type { Integration } from '../../domain/types.js';
import type { IntegrationsRepo, Page } from '../store.js';
import type { PgExecutor } from './pg-executor.js';
import { type DocRow, count, docOf, jsonb, many, one } from './pg-rows.js';

const BY_ID = 'SELECT doc FROM integrations WHERE id = $1';
const INSERT = 'INSERT INTO integrations (id, type, created_by, created_at, doc) VALUES ($1, $2, $3, $4, $5::jsonb)';
const DELETE = 'DELETE FROM integrations WHERE id = $1 RETURNING doc';
/** $1 type, $2 created by (null = anyone). */
const MATCHING = 'FROM integrations WHERE type = $1 AND ($2::text IS NULL OR created_by = $2)';
const LIST = `SELECT doc ${MATCHING} ORDER BY created_at DESC, id COLLATE "C" LIMIT $3 OFFSET $4`;
const COUNT = `SELECT count(*) AS n ${MATCHING}`;

export class PostgresIntegrationsRepo implements IntegrationsRepo {
  readonly #exec: PgExecutor;

  constructor(exec: PgExecutor) {
    this.#exec = exec;
  }

  findById(id: string): Promise<Integration | undefined> {
    return this.#exec.run((q) => one<Integration>(q, BY_ID, [id]));
  }

  insert(integration: Integration): Promise<Integration> {
    const stored = { ...integration, _updatedAt: new Date() };
    return this.#exec.run(async (q) => {
      await q.query(INSERT, [stored._id, stored.type, stored._createdBy._id, stored._createdAt.getTime(), jsonb(stored)]);
      return stored;
    });
  }

  delete(id: string): Promise<Integration | undefined> {
    return this.#exec.run(async (q) => {
      const { rows } = await q.query<DocRow>(DELETE, [id]);
      return rows[0] ? docOf<Integration>(rows[0]) : undefined;
    });
  }

  list(filter: { type: Integration['type']; createdBy?: string }, page: Page): Promise<{ total: number; records: Integration[] }> {
    return this.#exec.run(async (q) => {
      const where = [filter.type, filter.createdBy ?? null];
      const total = await count(q, COUNT, where);
      const records = await many<Integration>(q, LIST, [...where, page.limit ? page.limit : null, page.skip ?? 0]);
      return { total, records };
    });
  }
}

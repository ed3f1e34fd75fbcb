import type { Removed, Room } from '../../domain/types.js';
import { decodeDoc } from '../stored-json.js';
import { applyPatch } from '../patch.js';
import type { Patch, RoomsRepo } from '../store.js';
import type { PgExecutor } from './pg-executor.js';
import { type DocRow, EPOCH_MIN, docOf, forgetTrash, jsonb, listTrash, many, one, putInTrash } from './pg-rows.js';

const BY_ID = 'SELECT doc FROM rooms WHERE id = $1';
const BY_NAME = 'SELECT doc FROM rooms WHERE name = $1';
const BY_IDS = 'SELECT doc FROM rooms WHERE id = ANY($1::text[])';
const BY_UIDS = 'SELECT doc FROM rooms WHERE uids_key = $1 ORDER BY id LIMIT 1';
const FOR_USER = 'SELECT r.doc FROM subscriptions s JOIN rooms r ON r.id = s.rid WHERE s.uid = $1 AND r.updated_at > $2';
const DEFAULTS = 'SELECT doc FROM rooms WHERE is_default AND ($1::text IS NULL OR t = $1) ORDER BY id';
const INSERT = `INSERT INTO rooms (id, t, name, is_default, uids_key, updated_at, doc) VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)`;
const UPDATE = 'UPDATE rooms SET t = $2, name = $3, is_default = $4, uids_key = $5, updated_at = $6, doc = $7::jsonb WHERE id = $1';
const DELETE = 'DELETE FROM rooms WHERE id = $1 RETURNING doc';

function uidsKey(uids: readonly string[]): string {
  return JSON.stringify([...new Set(uids)].sort());
}

function params(r: Room): unknown[] {
  const uids = r.t === 'd' && Array.isArray(r.uids) ? uidsKey(r.uids) : null;
  return [r._id, r.t, typeof r.name === 'string' ? r.name : null, r.default === true, uids, r._updatedAt.getTime(), jsonb(r)];
}

export class PostgresRoomsRepo implements RoomsRepo {
  readonly #exec: PgExecutor;

  constructor(exec: PgExecutor) {
    this.#exec = exec;
  }

  findById(id: string): Promise<Room | undefined> {
    return this.#exec.run((q) => one<Room>(q, BY_ID, [id]));
  }

  findByName(name: string): Promise<Room | undefined> {
    return this.#exec.run((q) => one<Room>(q, BY_NAME, [name]));
  }

  findByIds(ids: readonly string[]): Promise<Room[]> {
    return this.#exec.run((q) => many<Room>(q, BY_IDS, [ids]));
  }

  findDirectByUids(uids: readonly string[]): Promise<Room | undefined> {
    return this.#exec.run((q) => one<Room>(q, BY_UIDS, [uidsKey(uids)]));
  }

  insert(room: Room): Promise<Room> {
    const values = params({ ...room, _updatedAt: new Date() });
    return this.#exec.atomic(async (q) => {
      await q.query(INSERT, values);
      await forgetTrash(q, 'room', room._id);
      return decodeDoc<Room>(values[6] as string);
    });
  }

  update(id: string, patch: Patch<Room>): Promise<Room | undefined> {
    return this.#exec.atomic(async (q) => {
      const before = await one<Room>(q, `${BY_ID} FOR UPDATE`, [id]);
      if (!before) return undefined;
      const after = applyPatch(before, patch, new Date());
      await q.query(UPDATE, params(after));
      return after;
    });
  }

  delete(id: string): Promise<Room | undefined> {
    return this.#exec.atomic(async (q) => {
      const { rows } = await q.query<DocRow>(DELETE, [id]);
      if (!rows[0]) return undefined;
      const room = docOf<Room>(rows[0]);
      await putInTrash(q, 'room', { id, deletedAt: Date.now(), rid: id, doc: jsonb(room) });
      return room;
    });
  }

  listForUser(userId: string, since?: Date): Promise<Room[]> {
    return this.#exec.run((q) => many<Room>(q, FOR_USER, [userId, since ? since.getTime() : EPOCH_MIN]));
  }

  listDefault(type?: 'c' | 'p'): Promise<Room[]> {
    return this.#exec.run((q) => many<Room>(q, DEFAULTS, [type ?? null]));
  }

  listRemovedSince(since: Date): Promise<Removed[]> {
    return this.#exec.run((q) => listTrash(q, 'room', since));
  }
}

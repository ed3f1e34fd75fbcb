import type { Removed, Room } from '../../domain/types.js';
import type { Patch, RoomsRepo } from '../store.js';
import { decodeDoc, encodeDoc } from '../stored-json.js';
import { applyPatch } from '../patch.js';
import { type DocRow, type RepoContext, bool, forgetTrash, jsonList, listTrash, putInTrash } from './repo-context.js';

const BY_ID = 'SELECT doc FROM rooms WHERE id = ?';
const BY_NAME = 'SELECT doc FROM rooms WHERE name = ?';
const BY_IDS = 'SELECT doc FROM rooms WHERE id IN (SELECT value FROM json_each(?))';
const BY_UIDS = 'SELECT doc FROM rooms WHERE uids_key = ? ORDER BY id LIMIT 1';
const FOR_USER = `SELECT r.doc FROM subscriptions s JOIN rooms r ON r.id = s.rid
  WHERE s.uid = ? AND r.updated_at > ?`;
const DEFAULTS = 'SELECT doc FROM rooms WHERE is_default = 1 AND (@t IS NULL OR t = @t) ORDER BY id';
const INSERT = `INSERT INTO rooms (id, t, name, is_default, uids_key, updated_at, doc)
  VALUES (@id, @t, @name, @is_default, @uids_key, @updated_at, @doc)`;
const UPDATE = `UPDATE rooms SET t = @t, name = @name, is_default = @is_default, uids_key = @uids_key,
  updated_at = @updated_at, doc = @doc WHERE id = @id`;
const DELETE = 'DELETE FROM rooms WHERE id = ?';

/** Earlier than any stored time: "no lower bound". */
const EPOCH_MIN = -8.64e15 - 1;

/** The DM lookup key: the member ids, sorted and deduplicated. */
function uidsKey(uids: readonly string[]): string {
  return JSON.stringify([...new Set(uids)].sort());
}

function columns(r: Room): Record<string, unknown> {
  return {
    id: r._id,
    t: r.t,
    name: typeof r.name === 'string' ? r.name : null,
    is_default: bool(r.default),
    uids_key: r.t === 'd' && Array.isArray(r.uids) ? uidsKey(r.uids) : null,
    updated_at: r._updatedAt.getTime(),
    doc: encodeDoc(r),
  };
}

export class SqliteRoomsRepo implements RoomsRepo {
  readonly #ctx: RepoContext;

  constructor(ctx: RepoContext) {
    this.#ctx = ctx;
  }

  #one(sql: string, ...params: unknown[]): Room | undefined {
    const row = this.#ctx.db.stmt(sql).get(...params) as DocRow | undefined;
    return row ? decodeDoc<Room>(row.doc) : undefined;
  }

  #many(sql: string, ...params: unknown[]): Room[] {
    return (this.#ctx.db.stmt(sql).all(...params) as DocRow[]).map((r) => decodeDoc<Room>(r.doc));
  }

  findById(id: string): Promise<Room | undefined> {
    return this.#ctx.run(() => this.#one(BY_ID, id));
  }

  findByName(name: string): Promise<Room | undefined> {
    return this.#ctx.run(() => this.#one(BY_NAME, name));
  }

  findByIds(ids: readonly string[]): Promise<Room[]> {
    return this.#ctx.run(() => this.#many(BY_IDS, jsonList(ids)));
  }

  findDirectByUids(uids: readonly string[]): Promise<Room | undefined> {
    return this.#ctx.run(() => this.#one(BY_UIDS, uidsKey(uids)));
  }

  insert(room: Room): Promise<Room> {
    return this.#ctx.write(() => {
      const cols = columns({ ...room, _updatedAt: new Date() });
      this.#ctx.db.atomic(() => {
        this.#ctx.db.stmt(INSERT).run(cols);
        forgetTrash(this.#ctx.db, 'room', room._id);
      });
      return decodeDoc<Room>(cols['doc'] as string);
    });
  }

  update(id: string, patch: Patch<Room>): Promise<Room | undefined> {
    return this.#ctx.write(() => this.#ctx.db.atomic(() => this.updateNow(id, patch, new Date())));
  }

  /** The update, synchronously on the connection (inside the caller's atomic section). */
  updateNow(id: string, patch: Patch<Room>, now: Date): Room | undefined {
    const before = this.#one(BY_ID, id);
    if (!before) return undefined;
    const after = applyPatch(before, patch, now);
    this.#ctx.db.stmt(UPDATE).run(columns(after));
    return after;
  }

  delete(id: string): Promise<Room | undefined> {
    return this.#ctx.write(() =>
      this.#ctx.db.atomic(() => {
        const row = this.#ctx.db.stmt(BY_ID).get(id) as DocRow | undefined;
        if (!row) return undefined;
        this.#ctx.db.stmt(DELETE).run(id);
        putInTrash(this.#ctx.db, 'room', { id, deletedAt: Date.now(), rid: id, doc: row.doc });
        return decodeDoc<Room>(row.doc);
      }),
    );
  }

  listForUser(userId: string, since?: Date): Promise<Room[]> {
    return this.#ctx.run(() => this.#many(FOR_USER, userId, since ? since.getTime() : EPOCH_MIN));
  }

  listDefault(type?: 'c' | 'p'): Promise<Room[]> {
    return this.#ctx.run(() => this.#many(DEFAULTS, { t: type ?? null }));
  }

  listRemovedSince(since: Date): Promise<Removed[]> {
    return this.#ctx.run(() => listTrash(this.#ctx.db, 'room', since));
  }
}

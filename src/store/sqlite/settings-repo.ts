import type { Permission, Role, Setting } from '../../domain/types.js';
import type { PermissionsRepo, RolesRepo, SettingsRepo } from '../store.js';
import { decodeDoc, encodeDoc } from './json.js';
import type { DocRow, RepoContext } from './repo-context.js';

type Table = 'settings' | 'permissions' | 'roles';

/** A small keyed collection stored as (id, doc): settings, permissions and roles. */
class DocTable<T extends { _id: string }> {
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

export class SqliteSettingsRepo implements SettingsRepo {
  readonly #table: DocTable<Setting>;

  constructor(ctx: RepoContext) {
    this.#table = new DocTable<Setting>(ctx, 'settings');
  }

  list(): Promise<Setting[]> {
    return this.#table.list();
  }

  insertDefault(setting: Setting): Promise<Setting> {
    return this.#table.insertDefault({ ...setting, _updatedAt: new Date() });
  }

  setValue(id: string, value: unknown): Promise<Setting | undefined> {
    return this.#table.change(id, (s) => ({ ...s, value, _updatedAt: new Date() }));
  }
}

export class SqlitePermissionsRepo implements PermissionsRepo {
  readonly #table: DocTable<Permission>;

  constructor(ctx: RepoContext) {
    this.#table = new DocTable<Permission>(ctx, 'permissions');
  }

  list(): Promise<Permission[]> {
    return this.#table.list();
  }

  insertDefault(permission: Permission): Promise<Permission> {
    return this.#table.insertDefault({ ...permission, _updatedAt: new Date() });
  }

  setRoles(id: string, roles: readonly string[]): Promise<Permission | undefined> {
    return this.#table.change(id, (p) => ({ ...p, roles: [...roles], _updatedAt: new Date() }));
  }
}

/** Roles have no `_updatedAt` (the Role type has none). */
export class SqliteRolesRepo implements RolesRepo {
  readonly #table: DocTable<Role>;

  constructor(ctx: RepoContext) {
    this.#table = new DocTable<Role>(ctx, 'roles');
  }

  list(): Promise<Role[]> {
    return this.#table.list();
  }

  insertDefault(role: Role): Promise<Role> {
    return this.#table.insertDefault(role);
  }
}

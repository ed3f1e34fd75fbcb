import type { Permission, Role, Setting } from '../../domain/types.js';
import type { PermissionsRepo, RolesRepo, SettingsRepo } from '../store.js';
import type { PgExecutor } from './pg-executor.js';
import { jsonb, many, one } from './pg-rows.js';

type Table = 'settings' | 'permissions' | 'roles';

/** A small keyed collection stored as (id, doc): settings, permissions and roles. */
class DocTable<T extends { _id: string }> {
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

export class PostgresSettingsRepo implements SettingsRepo {
  readonly #table: DocTable<Setting>;

  constructor(exec: PgExecutor) {
    this.#table = new DocTable<Setting>(exec, 'settings');
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

export class PostgresPermissionsRepo implements PermissionsRepo {
  readonly #table: DocTable<Permission>;

  constructor(exec: PgExecutor) {
    this.#table = new DocTable<Permission>(exec, 'permissions');
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
export class PostgresRolesRepo implements RolesRepo {
  readonly #table: DocTable<Role>;

  constructor(exec: PgExecutor) {
    this.#table = new DocTable<Role>(exec, 'roles');
  }

  list(): Promise<Role[]> {
    return this.#table.list();
  }

  insertDefault(role: Role): Promise<Role> {
    return this.#table.insertDefault(role);
  }
}

import type { Permission, Role, Setting } from '../domain/types.js';
import type { PermissionsRepo, RolesRepo, SettingsRepo } from './store.js';

/**
 * A small keyed collection stored as (id, document) — settings, permissions, roles. Each backend
 * provides one; the repos below are the same for every backend.
 */
export interface KeyedDocs<T extends { _id: string }> {
  /** Every document, by id. */
  list(): Promise<T[]>;
  /** Inserts `doc` unless its id exists; returns the stored document either way. */
  insertDefault(doc: T): Promise<T>;
  /** Read-modify-write of one document; undefined if there is none with this id. */
  change(id: string, edit: (doc: T) => T): Promise<T | undefined>;
}

export function settingsRepo(docs: KeyedDocs<Setting>): SettingsRepo {
  return {
    list: () => docs.list(),
    insertDefault: (setting) => docs.insertDefault({ ...setting, _updatedAt: new Date() }),
    setValue: (id, value) => docs.change(id, (s) => ({ ...s, value, _updatedAt: new Date() })),
  };
}

export function permissionsRepo(docs: KeyedDocs<Permission>): PermissionsRepo {
  return {
    list: () => docs.list(),
    insertDefault: (permission) => docs.insertDefault({ ...permission, _updatedAt: new Date() }),
    setRoles: (id, roles) => docs.change(id, (p) => ({ ...p, roles: [...roles], _updatedAt: new Date() })),
  };
}

/** Roles have no `_updatedAt` (the Role type has none). */
export function rolesRepo(docs: KeyedDocs<Role>): RolesRepo {
  return {
    list: () => docs.list(),
    insertDefault: (role) => docs.insertDefault(role),
  };
}

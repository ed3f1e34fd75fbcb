import type { Permission, Room, User } from '../domain/types.js';
import type { Store } from '../store/store.js';
import type { ChatEvents } from './events.js';
import type { SettingsService } from './settings-service.js';

type UserLike = Pick<User, '_id' | 'roles'>;

/**
 * Roles and permissions (model.md §7): a cached permission → roles table, `hasPermission`
 * uniting the user's global roles with its roles in the room, and `canAccessRoom`.
 */
export class PermissionsService {
  readonly #roles = new Map<string, ReadonlySet<string>>();

  constructor(
    private readonly store: Store,
    private readonly settings: SettingsService,
    private readonly events: ChatEvents,
  ) {}

  async load(): Promise<void> {
    for (const p of await this.store.permissions.list()) this.#roles.set(p._id, new Set(p.roles));
  }

  /** Roles granted a permission (empty when unknown). */
  rolesOf(permission: string): ReadonlySet<string> {
    return this.#roles.get(permission) ?? EMPTY;
  }

  /** True if any of these roles grants the permission. Synchronous: for hot paths with known roles. */
  rolesGrant(roles: readonly string[] | undefined, permission: string): boolean {
    if (!roles) return false;
    const allowed = this.#roles.get(permission);
    if (!allowed) return false;
    for (const r of roles) if (allowed.has(r)) return true;
    return false;
  }

  /** Global roles ∪ (with `rid`) the user's roles in that room. */
  async hasPermission(user: UserLike | null | undefined, permission: string, rid?: string): Promise<boolean> {
    if (!user) return false;
    if (this.rolesGrant(user.roles, permission)) return true;
    if (!rid) return false;
    const allowed = this.#roles.get(permission);
    if (!allowed || allowed.size === 0) return false;
    const sub = await this.store.subscriptions.findByRoomAndUser(rid, user._id);
    return this.rolesGrant(sub?.roles, permission);
  }

  async hasAll(user: UserLike | null | undefined, permissions: readonly string[], rid?: string): Promise<boolean> {
    for (const p of permissions) if (!(await this.hasPermission(user, p, rid))) return false;
    return true;
  }

  /** canAccessRoom (model.md §7.4) for c, p and d rooms and discussions. */
  async canAccessRoom(room: Room, user: UserLike | null | undefined, depth = 0): Promise<boolean> {
    if (room.t === 'c') {
      if (!user) return this.settings.bool('Accounts_AllowAnonymousRead');
      if (this.rolesGrant(user.roles, 'view-c-room')) return true;
    }
    if (user) {
      const sub = await this.store.subscriptions.findByRoomAndUser(room._id, user._id);
      if (sub && (this.rolesGrant(user.roles, 'view-joined-room') || this.rolesGrant(user.roles, `view-${room.t}-room`))) {
        return true;
      }
    }
    if (room.prid && depth < 8) {
      const parent = await this.store.rooms.findById(room.prid);
      if (parent) return this.canAccessRoom(parent, user, depth + 1);
    }
    return false;
  }

  /**
   * Every permission with the roles holding it (Rocket.Chat's `permissions/get` and
   * `permissions.listAll`); with `updatedAfter`, only those changed since.
   */
  async list(updatedAfter?: Date): Promise<Permission[]> {
    const all = await this.store.permissions.list();
    return updatedAfter ? all.filter((p) => p._updatedAt > updatedAfter) : all;
  }

  /** Changes which roles hold a permission (admins). */
  async setRoles(permission: string, roles: string[]): Promise<void> {
    const stored = await this.store.permissions.setRoles(permission, roles);
    if (!stored) return;
    this.#roles.set(permission, new Set(stored.roles));
    this.events.permissionChanged(permission, stored.roles);
  }

  /** Applies a change announced by another instance. */
  applyRemote(permission: string, roles: string[]): void {
    this.#roles.set(permission, new Set(roles));
  }
}

const EMPTY: ReadonlySet<string> = new Set();

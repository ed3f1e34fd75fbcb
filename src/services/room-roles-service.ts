import { ForbiddenError, Errors, PreconditionError } from '../domain/errors.js';
import { userRef } from '../domain/projections.js';
import type { Room, Subscription, User, UserRef } from '../domain/types.js';
import type { Store } from '../store/store.js';
import type { ChatEvents } from './events.js';
import type { PermissionsService } from './permissions-service.js';
import type { SettingsService } from './settings-service.js';
import type { SystemMessages } from './system-messages.js';

export type RoomRole = 'owner' | 'moderator' | 'leader';

interface RoleRule {
  permission: string;
  /** addRoomLeader / removeRoomLeader do not look the room up before the permission check. */
  checksRoom: boolean;
  already: [code: string, reason: string];
  notHolding: [code: string, reason: string];
  /** removeRoom*: the error when the target has no subscription. */
  removeNotMember: 'invalid-room' | 'user-not-in-room';
}

const RULES: Record<RoomRole, RoleRule> = {
  owner: {
    permission: 'set-owner',
    checksRoom: true,
    already: ['error-user-already-owner', 'User is already an owner'],
    notHolding: ['error-user-not-owner', 'User is not an owner'],
    removeNotMember: 'invalid-room',
  },
  moderator: {
    permission: 'set-moderator',
    checksRoom: true,
    already: ['error-user-already-moderator', 'User is already a moderator'],
    notHolding: ['error-user-not-moderator', 'User is not a moderator'],
    removeNotMember: 'invalid-room',
  },
  leader: {
    permission: 'set-leader',
    checksRoom: false,
    already: ['error-user-already-leader', 'User is already a leader'],
    notHolding: ['error-user-not-leader', 'User is not a leader'],
    removeNotMember: 'user-not-in-room',
  },
};

/** A `getRoomRoles` entry. */
export interface RoomRoleHolder {
  _id: string;
  rid: string;
  u: UserRef;
  roles: string[];
}

/**
 * Room-scoped roles (rooms.md A.14–A.16, A.21, B.10): granting and revoking owner / moderator /
 * leader with their system messages and `roles-change` events, and listing the holders.
 */
export class RoomRolesService {
  constructor(
    private readonly store: Store,
    private readonly events: ChatEvents,
    private readonly permissions: PermissionsService,
    private readonly settings: SettingsService,
    private readonly systemMessages: SystemMessages,
  ) {}

  /** Checks 3–7 shared by add and remove: the room, the permission, the target. */
  async #prepare(callerId: string, rid: string, targetId: string, role: RoomRole) {
    const rule = RULES[role];
    const room = await this.store.rooms.findById(rid);
    if (rule.checksRoom && !room) throw Errors.invalidRoom();
    const caller = await this.store.users.findById(callerId);
    if (!(await this.permissions.hasPermission(caller, rule.permission, rid))) throw Errors.notAllowed();
    const target = await this.store.users.findById(targetId);
    if (!target?.username) throw Errors.invalidUser();
    const sub = await this.store.subscriptions.findByRoomAndUser(rid, targetId);
    return { rule, room, caller, target: target as User & { username: string }, sub };
  }

  async add(callerId: string, rid: string, targetId: string, role: RoomRole): Promise<true> {
    const { rule, room, caller, target, sub } = await this.#prepare(callerId, rid, targetId, role);
    if (!sub) throw Errors.userNotInRoom();
    if (sub.roles?.includes(role)) throw new PreconditionError(...rule.already);
    if (!caller) throw Errors.invalidUser();
    if (!room) throw Errors.invalidRoom();
    await this.#apply('added', room, sub, caller, target, role);
    return true;
  }

  async remove(callerId: string, rid: string, targetId: string, role: RoomRole): Promise<true> {
    const { rule, room, caller, target, sub } = await this.#prepare(callerId, rid, targetId, role);
    if (!sub) throw rule.removeNotMember === 'invalid-room' ? Errors.invalidRoom() : Errors.userNotInRoom();
    // Rocket.Chat skips this for moderator/leader when the subscription has no `roles` field at all;
    // Orbit always refuses (decision: nothing to remove is an error).
    if (!sub.roles?.includes(role)) throw new PreconditionError(...rule.notHolding);
    if (role === 'owner' && (await this.store.subscriptions.countByRoomAndRole(rid, 'owner')) <= 1) {
      throw new ForbiddenError(
        'error-remove-last-owner',
        'This is the last owner. Please set a new owner before removing this one.',
      );
    }
    if (!caller) throw Errors.invalidUser();
    if (!room) throw Errors.invalidRoom();
    await this.#apply('removed', room, sub, caller, target, role);
    return true;
  }

  async #apply(
    type: 'added' | 'removed',
    room: Room,
    sub: Subscription,
    caller: User,
    target: User & { username: string },
    role: RoomRole,
  ): Promise<void> {
    const patch = type === 'added' ? { addToSet: { roles: role } } : { pull: { roles: role } };
    const updated = await this.store.subscriptions.update(sub._id, patch);
    if (updated) this.events.subscriptionChanged('updated', updated);
    await this.systemMessages.create(`subscription-role-${type}`, room, target.username, caller, { role });
    if (this.settings.bool('UI_DisplayRoles')) {
      this.events.loggedEvent('roles-change', [{ type, _id: role, u: userRef(target), scope: room._id }]);
    }
  }

  /** getRoomRoles (A.21). `callerId` null = anonymous reader. */
  async holders(callerId: string | null, rid: string): Promise<RoomRoleHolder[]> {
    if (!callerId && !this.settings.bool('Accounts_AllowAnonymousRead')) throw Errors.invalidUser();
    const room = await this.store.rooms.findById(rid);
    if (!room) throw Errors.invalidRoom();
    // CVE-2022-35247: a caller who cannot see the room learns nothing about it. Rocket.Chat skips
    // this for anonymous readers; Orbit applies it to them too (decision: they see public rooms only).
    const caller = callerId ? await this.store.users.findById(callerId) : null;
    if ((callerId && !caller) || !(await this.permissions.canAccessRoom(room, caller))) throw Errors.invalidUser();
    const roomRoles = (await this.store.roles.list())
      .filter((r) => r.scope === 'Subscriptions' && r.description !== '')
      .map((r) => r._id);
    const subs = await this.store.subscriptions.listByRoomAndRoles(rid, roomRoles);
    const out = subs.map((s) => ({ _id: s._id, rid: s.rid, u: { ...s.u }, roles: s.roles ?? [] }));
    if (this.settings.bool('UI_Use_Real_Name') && out.length > 0) {
      const users = new Map((await this.store.users.findByIds(out.map((h) => h.u._id))).map((u) => [u._id, u]));
      for (const h of out) {
        const name = users.get(h.u._id)?.name;
        if (name !== undefined) h.u.name = name;
      }
    }
    return out;
  }
}

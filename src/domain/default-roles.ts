import type { Role } from './types.js';

/**
 * Default protected roles, created at startup when missing (model.md §7.1).
 *
 * Mirrors the `defaultRoles` list of Rocket.Chat's
 * `apps/meteor/app/authorization/server/functions/upsertPermissions.ts` (current upstream,
 * which includes `federated-external`; older releases created that role from the federation
 * code instead). Every role is inserted with `protected: true, mandatory2fa: false` and
 * `_id === name`. `livechat-monitor` is created by the enterprise omnichannel module only and is
 * therefore not listed here, although core permissions reference it (see
 * `EXTERNAL_PERMISSION_ROLES`).
 */
function role(name: string, scope: Role['scope'], description: string): Role {
  return { _id: name, name, scope, description, protected: true, mandatory2fa: false };
}

export const DEFAULT_ROLES: readonly Role[] = Object.freeze([
  role('admin', 'Users', 'Admin'),
  role('moderator', 'Subscriptions', 'Moderator'),
  role('leader', 'Subscriptions', 'Leader'),
  role('owner', 'Subscriptions', 'Owner'),
  role('user', 'Users', ''),
  role('federated-external', 'Users', ''),
  role('bot', 'Users', ''),
  role('app', 'Users', ''),
  role('guest', 'Users', ''),
  role('anonymous', 'Users', ''),
  role('livechat-agent', 'Users', 'Livechat Agent'),
  role('livechat-manager', 'Users', 'Livechat Manager'),
]);

/** Roles that core default permissions mention but that core does not create (enterprise only). */
export const EXTERNAL_PERMISSION_ROLES: readonly string[] = Object.freeze(['livechat-monitor']);

/** Ids of the room-scoped roles (held in `subscription.roles`). */
export const ROOM_SCOPED_ROLE_IDS: readonly string[] = Object.freeze(
  DEFAULT_ROLES.filter((r) => r.scope === 'Subscriptions').map((r) => r._id),
);

export function isDefaultRole(id: string): boolean {
  return DEFAULT_ROLES.some((r) => r._id === id);
}

import { describe, expect, it } from 'vitest';
import { DEFAULT_PERMISSIONS, defaultPermissionRoles } from './default-permissions.js';
import { DEFAULT_ROLES, EXTERNAL_PERMISSION_ROLES } from './default-roles.js';

const roles = (id: string): string[] => {
  const r = defaultPermissionRoles(id);
  if (!r) throw new Error(`missing permission ${id}`);
  return [...r].sort();
};
const sorted = (...r: string[]): string[] => [...r].sort();

describe('DEFAULT_PERMISSIONS', () => {
  it('has no duplicate ids', () => {
    const ids = DEFAULT_PERMISSIONS.map((p) => p._id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('has no duplicate roles within a permission', () => {
    for (const p of DEFAULT_PERMISSIONS) expect(new Set(p.roles).size, p._id).toBe(p.roles.length);
  });

  it('only references default roles (or livechat-monitor, enterprise only)', () => {
    const known = new Set([...DEFAULT_ROLES.map((r) => r._id), ...EXTERNAL_PERMISSION_ROLES]);
    for (const p of DEFAULT_PERMISSIONS) {
      for (const r of p.roles) expect(known.has(r), `${p._id} → ${r}`).toBe(true);
    }
  });

  it('matches the room-related rows of model.md §7.3', () => {
    expect(roles('archive-room')).toEqual(sorted('admin', 'owner'));
    expect(roles('unarchive-room')).toEqual(['admin']);
    expect(roles('add-user-to-any-p-room')).toEqual([]);
    expect(roles('kick-user-from-any-p-room')).toEqual([]);
    expect(roles('add-user-to-any-c-room')).toEqual(['admin']);
    expect(roles('add-user-to-joined-room')).toEqual(sorted('admin', 'owner', 'moderator'));
    expect(roles('delete-c')).toEqual(sorted('admin', 'owner'));
    expect(roles('delete-p')).toEqual(sorted('admin', 'owner'));
    expect(roles('delete-d')).toEqual(['admin']);
    expect(roles('delete-message')).toEqual(sorted('admin', 'owner', 'moderator'));
    expect(roles('force-delete-message')).toEqual(sorted('admin', 'owner'));
    expect(roles('edit-message')).toEqual(sorted('admin', 'owner', 'moderator'));
    expect(roles('edit-room')).toEqual(sorted('admin', 'owner', 'moderator'));
    expect(roles('edit-room-retention-policy')).toEqual(['admin']);
    expect(roles('join-without-join-code')).toEqual(sorted('admin', 'bot', 'app'));
    expect(roles('mute-user')).toEqual(sorted('admin', 'owner', 'moderator'));
    expect(roles('post-readonly')).toEqual(sorted('admin', 'owner', 'moderator'));
    expect(roles('set-leader')).toEqual(sorted('admin', 'owner'));
    expect(roles('set-moderator')).toEqual(sorted('admin', 'owner'));
    expect(roles('set-owner')).toEqual(sorted('admin', 'owner'));
    expect(roles('send-many-messages')).toEqual(sorted('admin', 'bot', 'app'));
    expect(roles('message-impersonate')).toEqual(sorted('bot', 'app'));
    expect(roles('toggle-room-e2e-encryption')).toEqual(sorted('owner', 'admin'));
    expect(roles('view-joined-room')).toEqual(sorted('guest', 'bot', 'app', 'anonymous'));
    expect(roles('view-room-administration')).toEqual(['admin']);
    expect(roles('view-broadcast-member-list')).toEqual(sorted('admin', 'owner', 'moderator'));
    expect(roles('bypass-time-limit-edit-and-delete')).toEqual(sorted('bot', 'app'));
    expect(roles('create-team-channel')).toEqual(sorted('admin', 'owner', 'moderator'));
    expect(roles('create-team-group')).toEqual(sorted('admin', 'owner', 'moderator'));
    expect(roles('api-bypass-rate-limit')).toEqual(sorted('admin', 'bot', 'app'));
    expect(roles('edit-privileged-setting')).toEqual(['admin']);
  });

  it('grants the global-role permissions of §7.3 (current Rocket.Chat adds federated-external)', () => {
    const withoutFederated = (id: string): string[] => roles(id).filter((r) => r !== 'federated-external');
    expect(withoutFederated('create-c')).toEqual(sorted('admin', 'user', 'bot', 'app'));
    expect(withoutFederated('create-p')).toEqual(sorted('admin', 'user', 'bot', 'app'));
    expect(withoutFederated('create-d')).toEqual(sorted('admin', 'user', 'bot', 'app'));
    expect(withoutFederated('delete-own-message')).toEqual(sorted('admin', 'user'));
    expect(withoutFederated('leave-c')).toEqual(sorted('admin', 'user', 'bot', 'anonymous', 'app'));
    expect(withoutFederated('leave-p')).toEqual(sorted('admin', 'user', 'bot', 'anonymous', 'app'));
    expect(withoutFederated('mention-all')).toEqual(sorted('admin', 'owner', 'moderator', 'user'));
    expect(withoutFederated('mention-here')).toEqual(sorted('admin', 'owner', 'moderator', 'user'));
    expect(withoutFederated('preview-c-room')).toEqual(sorted('admin', 'user', 'anonymous'));
    expect(withoutFederated('view-c-room')).toEqual(sorted('admin', 'user', 'bot', 'app', 'anonymous'));
    expect(withoutFederated('view-p-room')).toEqual(sorted('admin', 'user', 'anonymous', 'guest'));
    expect(withoutFederated('view-d-room')).toEqual(sorted('admin', 'user', 'bot', 'app', 'guest'));
    expect(withoutFederated('start-discussion')).toEqual(sorted('admin', 'user', 'guest', 'app'));
    expect(roles('leave-c')).toContain('anonymous');
    expect(roles('view-d-room')).toContain('guest');
  });

  it('keeps admin-only permissions admin-only', () => {
    for (const id of ['access-permissions', 'assign-roles', 'create-user', 'delete-user', 'view-user-administration', 'restart-server']) {
      expect(roles(id)).toEqual(['admin']);
    }
  });

  it('answers undefined for an unknown permission', () => {
    expect(defaultPermissionRoles('no-such-permission')).toBeUndefined();
  });
});

import { ForbiddenError } from '../../domain/errors.js';
import type { RoomSettingKey } from './setting-keys.js';
import type { SettingCall, SettingStep } from './context.js';

/** Every validator error: `error-action-not-allowed` with the action in the details. */
const refuse = (reason: string, action: string) => new ForbiddenError('error-action-not-allowed', reason, { action });

const needsRoomAdministration: SettingStep = async ({ deps, caller }) => {
  if (!(await deps.permissions.hasPermission(caller, 'view-room-administration'))) {
    throw refuse('Viewing room administration is not allowed', 'Viewing_room_administration');
  }
};

/** A retention setting: the room must have a policy; changing a value needs the permission. */
const retention =
  (field: string): SettingStep =>
  async ({ deps, caller, room, value }) => {
    const policy = room['retention'];
    if (policy === undefined || policy === null || typeof policy !== 'object') {
      throw refuse('Room does not have retention policy', 'Editing_room');
    }
    const current = (policy as Record<string, unknown>)[field];
    if (value !== current && !(await deps.permissions.hasPermission(caller, 'edit-room-retention-policy', room._id))) {
      throw refuse('Editing room retention policy is not allowed', 'Editing_room');
    }
  };

/** allowRoomSettingChange(room, 'encrypted') (model.md §7.5). */
function roomAllowsEncryption({ deps, room }: SettingCall): boolean {
  return (room.t === 'p' || room.t === 'd') && deps.settings.bool('E2E_Enable');
}

/** The per-setting checks of saveRoomSettings (rooms.md A.20 "Validators"), all run before any saver. */
export const VALIDATORS: Partial<Record<RoomSettingKey, SettingStep>> = {
  default: needsRoomAdministration,
  featured: needsRoomAdministration,

  async roomType({ deps, caller, room, value }) {
    if (value === room.t) return;
    if (value === 'c' && !(await deps.permissions.hasPermission(caller, 'create-c'))) {
      throw refuse('Changing a private group to a public channel is not allowed', 'Change_Room_Type');
    }
    if (value === 'p' && !(await deps.permissions.hasPermission(caller, 'create-p'))) {
      throw refuse('Changing a public channel to a private room is not allowed', 'Change_Room_Type');
    }
  },

  async encrypted(call) {
    const { deps, caller, room, value } = call;
    if (value === room.encrypted) return;
    if (!roomAllowsEncryption(call)) {
      throw refuse('Only groups or direct channels can enable encryption', 'Change_Room_Encrypted');
    }
    if (room.t !== 'd' && !(await deps.permissions.hasPermission(caller, 'toggle-room-e2e-encryption', room._id))) {
      throw refuse('You do not have permission to toggle E2E encryption', 'Change_Room_Encrypted');
    }
  },

  retentionEnabled: retention('enabled'),
  retentionMaxAge: retention('maxAge'),
  retentionExcludePinned: retention('excludePinned'),
  retentionFilesOnly: retention('filesOnly'),
  retentionIgnoreThreads: retention('ignoreThreads'),
  retentionOverrideGlobal: retention('overrideGlobal'),

  async roomAvatar({ deps, caller, room }) {
    if (!(await deps.permissions.hasPermission(caller, 'edit-room-avatar', room._id))) {
      throw refuse('Editing a room avatar is not allowed', 'Editing_room');
    }
  },
};

import { InvalidArgumentError, PreconditionError } from '../../domain/errors.js';
import type { Room } from '../../domain/types.js';
import type { Patch } from '../../store/store.js';
import type { SettingCall, SettingStep } from './context.js';
import { renameRoom } from './rename.js';
import { updateRoom, updateSubscriptions } from './room-updates.js';
import type { RoomSettingKey } from './setting-keys.js';
import { HIDEABLE_SYSTEM_MESSAGE_TYPES } from './system-message-types.js';

/** topic / description / announcement: "both empty → nothing; different → save + system message". */
const textSetting =
  (field: 'topic' | 'description', type: string): SettingStep =>
  async ({ deps, caller, room, value }) => {
    const text = (value as string | null | undefined) ?? '';
    if (!text && !room[field]) return;
    if (text === room[field]) return;
    const updated = await updateRoom(deps, room._id, { set: { [field]: text } });
    await deps.systemMessages.create(type, updated, text, caller);
  };

const flagSetting =
  (field: 'ro' | 'reactWhenReadOnly', onType: string, offType: string): SettingStep =>
  async ({ deps, caller, room, value }) => {
    if (value === room[field]) return;
    const updated = await updateRoom(deps, room._id, { set: { [field]: value as boolean } });
    await deps.systemMessages.create(value ? onType : offType, updated, '', caller);
  };

/** Out of scope: validated, then accepted and ignored (decision). */
const ignored: SettingStep = async () => {};

async function saveRoomType({ deps, caller, room, value }: SettingCall): Promise<void> {
  if (value === room.t) return;
  if (value !== 'c' && value !== 'p') {
    throw new InvalidArgumentError('error-invalid-room-type', 'error-invalid-room-type', {
      function: 'RocketChat.saveRoomType',
      type: value,
    });
  }
  if (room.t === 'd') {
    throw new PreconditionError('error-direct-room', "Can't change type of direct rooms", { function: 'RocketChat.saveRoomType' });
  }
  const updated = await updateRoom(deps, room._id, { set: { t: value }, ...(value === 'p' ? { unset: ['default'] } : {}) });
  await updateSubscriptions(deps, room._id, { set: { t: value } });
  await deps.systemMessages.create('room_changed_privacy', updated, value === 'c' ? 'public' : 'private', caller);
}

async function saveAnnouncement({ deps, caller, room, value }: SettingCall): Promise<void> {
  if (!value && !room.announcement) return;
  if (value === room.announcement) return;
  let text: string;
  let patch: Patch<Room>;
  if (value !== null && typeof value === 'object') {
    const { message, ...details } = value as { message: string } & Record<string, unknown>;
    text = message;
    patch = { set: { announcement: text, announcementDetails: details } };
  } else {
    text = (value as string | null | undefined) ?? '';
    patch = { set: { announcement: text }, unset: ['announcementDetails'] };
  }
  const updated = await updateRoom(deps, room._id, patch);
  await deps.systemMessages.create('room_changed_announcement', updated, text, caller);
}

async function saveCustomFields({ deps, room, value }: SettingCall): Promise<void> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidArgumentError('invalid-roomCustomFields-type', 'Invalid roomCustomFields type', {
      function: 'RocketChat.saveRoomCustomFields',
    });
  }
  const customFields = value as Record<string, unknown>;
  await updateRoom(deps, room._id, { set: { customFields } });
  await updateSubscriptions(deps, room._id, { set: { customFields } });
}

async function saveSystemMessages({ deps, room, value }: SettingCall): Promise<void> {
  if (JSON.stringify(value) === JSON.stringify(room.sysMes)) return;
  if (value && (!Array.isArray(value) || !value.every((t) => typeof t === 'string' && HIDEABLE_SYSTEM_MESSAGE_TYPES.has(t)))) {
    throw new InvalidArgumentError('invalid-room', 'Invalid option', { function: 'RocketChat.saveRoomSystemMessages' });
  }
  const list = value as string[] | undefined;
  await updateRoom(deps, room._id, list && list.length > 0 ? { set: { sysMes: list } } : { unset: ['sysMes'] });
}

async function saveJoinCode({ deps, room, value }: SettingCall): Promise<void> {
  // `null`/missing clear the code (Rocket.Chat would store the text "null"; decision).
  const code = value === null || value === undefined ? '' : String(value);
  const patch: Patch<Room> = code.trim()
    ? { set: { joinCodeRequired: true, joinCode: code } }
    : { set: { joinCodeRequired: false }, unset: ['joinCode'] };
  await updateRoom(deps, room._id, patch);
}

async function saveEncrypted({ deps, caller, room, value }: SettingCall): Promise<void> {
  const updated = await updateRoom(deps, room._id, { set: { encrypted: value === true } });
  if (Boolean(room.encrypted) === Boolean(value)) return;
  await deps.systemMessages.create(value ? 'room_e2e_enabled' : 'room_e2e_disabled', updated, caller.username ?? '', caller);
}

async function saveFavorite({ deps, room, value }: SettingCall): Promise<void> {
  const { favorite, defaultValue } = value as { favorite?: unknown; defaultValue?: unknown };
  await updateRoom(deps, room._id, favorite && defaultValue ? { set: { favorite: favorite as boolean } } : { unset: ['favorite'] });
}

/** The savers of saveRoomSettings (rooms.md A.20 "Savers"), run in key order after all validators. */
export const SAVERS: Record<RoomSettingKey, SettingStep> = {
  roomAvatar: ignored,
  featured: async ({ deps, room, value }) => {
    await updateRoom(deps, room._id, value === true || value === 'true' ? { set: { featured: true } } : { unset: ['featured'] });
  },
  roomName: renameRoom,
  roomTopic: textSetting('topic', 'room_changed_topic'),
  roomAnnouncement: saveAnnouncement,
  roomCustomFields: saveCustomFields,
  roomDescription: textSetting('description', 'room_changed_description'),
  roomType: saveRoomType,
  readOnly: flagSetting('ro', 'room-set-read-only', 'room-removed-read-only'),
  reactWhenReadOnly: flagSetting('reactWhenReadOnly', 'room-allowed-reacting', 'room-disallowed-reacting'),
  systemMessages: saveSystemMessages,
  default: async ({ deps, room, value }) => {
    await updateRoom(deps, room._id, { set: { default: value as boolean } });
  },
  joinCode: saveJoinCode,
  streamingOptions: ignored,
  retentionEnabled: ignored,
  retentionMaxAge: ignored,
  retentionExcludePinned: ignored,
  retentionFilesOnly: ignored,
  retentionIgnoreThreads: ignored,
  retentionOverrideGlobal: ignored,
  encrypted: saveEncrypted,
  favorite: saveFavorite,
};

import { InvalidArgumentError } from '../../domain/errors.js';

/** The keys saveRoomSettings accepts (rooms.md A.20), in Rocket.Chat's order. */
export const ROOM_SETTING_KEYS = [
  'roomAvatar',
  'featured',
  'roomName',
  'roomTopic',
  'roomAnnouncement',
  'roomCustomFields',
  'roomDescription',
  'roomType',
  'readOnly',
  'reactWhenReadOnly',
  'systemMessages',
  'default',
  'joinCode',
  'streamingOptions',
  'retentionEnabled',
  'retentionMaxAge',
  'retentionExcludePinned',
  'retentionFilesOnly',
  'retentionIgnoreThreads',
  'retentionOverrideGlobal',
  'encrypted',
  'favorite',
] as const;

export type RoomSettingKey = (typeof ROOM_SETTING_KEYS)[number];
export type RoomSettingsInput = Partial<Record<RoomSettingKey, unknown>>;

const ACCEPTED: ReadonlySet<string> = new Set(ROOM_SETTING_KEYS);

const invalidSettings = () => new InvalidArgumentError('error-invalid-settings', 'Invalid settings provided');
const matchFailed = () => new InvalidArgumentError('400', 'Match failed', null);

/**
 * The two call forms, `[rid, setting, value]` and `[rid, {settings}]`, as one object in key order,
 * with every key accepted (check 3). Rocket.Chat crashes on `null` settings; Orbit calls them
 * invalid (decision).
 */
export function normalizeRoomSettings(settings: unknown, value: unknown): RoomSettingsInput {
  if (settings === null) throw invalidSettings();
  const input: Record<string, unknown> =
    typeof settings === 'object' ? { ...(settings as Record<string, unknown>) } : { [String(settings)]: value };
  if (!Object.keys(input).every((k) => ACCEPTED.has(k))) throw invalidSettings();
  return input as RoomSettingsInput;
}

const isString = (v: unknown) => typeof v === 'string';
const isStringOrNothing = (v: unknown) => v === undefined || v === null || typeof v === 'string';
const isBoolean = (v: unknown) => typeof v === 'boolean';
const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date);

/**
 * Value types Orbit insists on where Rocket.Chat would crash (500) or store garbage: a wrong type
 * fails the call with 400 "Match failed" once every check of the spec has passed, before any saver
 * runs (decision). Settings whose
 * saver has its own error for a bad value (`roomType`, `systemMessages`, `roomCustomFields`) and
 * those taking anything (`joinCode`, `featured`, `encrypted`, out-of-scope ones) are not listed.
 */
const VALUE_TYPES: Partial<Record<RoomSettingKey, (v: unknown) => boolean>> = {
  roomName: isStringOrNothing,
  roomTopic: isStringOrNothing,
  roomDescription: isStringOrNothing,
  roomAnnouncement: (v) => isStringOrNothing(v) || (isPlainObject(v) && isString(v.message)),
  readOnly: isBoolean,
  reactWhenReadOnly: isBoolean,
  default: isBoolean,
  favorite: (v) => isPlainObject(v),
};

export function checkRoomSettingTypes(input: RoomSettingsInput): void {
  for (const [key, v] of Object.entries(input)) {
    const ok = VALUE_TYPES[key as RoomSettingKey];
    if (ok && !ok(v)) throw matchFailed();
  }
}

import { Errors, ForbiddenError } from '../domain/errors.js';
import type { RoomSettingsDeps } from './room-settings/context.js';
import { SAVERS } from './room-settings/savers.js';
import {
  type RoomSettingKey,
  type RoomSettingsInput,
  checkRoomSettingTypes,
  normalizeRoomSettings,
} from './room-settings/setting-keys.js';
import { VALIDATORS } from './room-settings/validators.js';

const RETENTION_DETAIL_KEYS: readonly RoomSettingKey[] = [
  'retentionMaxAge',
  'retentionExcludePinned',
  'retentionFilesOnly',
  'retentionIgnoreThreads',
];

/**
 * saveRoomSettings (rooms.md A.20): the call-level checks, then every per-setting validator, then
 * the savers in key order (a saver error stops the rest; earlier ones stay applied).
 */
export class RoomSettingsService {
  constructor(private readonly deps: RoomSettingsDeps) {}

  /** Checks 2–8 and the saving, after the login check. `settings` and `value` are the raw params. */
  async save(callerId: string, rid: unknown, settings: unknown, value: unknown): Promise<{ result: true; rid: string }> {
    const { store, permissions } = this.deps;
    if (typeof rid !== 'string') throw Errors.invalidRoom();
    let input: RoomSettingsInput = normalizeRoomSettings(settings, value);
    const room = await store.rooms.findById(rid);
    if (!room) throw Errors.invalidRoom();
    const caller = await store.users.findById(callerId);
    if (!(await permissions.hasPermission(caller, 'edit-room', rid))) {
      // A DM member may still toggle encryption; everything else asked for is then dropped.
      // (Rocket.Chat does not look at membership here; the spec says "a DM member", so outsiders are refused.)
      const dmMember = room.t === 'd' && !!(await store.subscriptions.findByRoomAndUser(rid, callerId));
      if (!('encrypted' in input && dmMember)) {
        throw new ForbiddenError('error-action-not-allowed', 'Editing room is not allowed', { action: 'Editing_room' });
      }
      input = { encrypted: input.encrypted };
    }
    if (room.broadcast && (input.readOnly || input.reactWhenReadOnly)) {
      throw new ForbiddenError('error-action-not-allowed', 'Editing readOnly/reactWhenReadOnly are not allowed for broadcast rooms', {
        action: 'Editing_room',
      });
    }
    if (!caller) throw Errors.invalidUser();

    for (const key of Object.keys(input) as RoomSettingKey[]) {
      await VALIDATORS[key]?.({ deps: this.deps, caller, room, value: input[key] });
      if (key === 'retentionOverrideGlobal') for (const k of RETENTION_DETAIL_KEYS) delete input[k];
    }
    // Decision: values Rocket.Chat would crash on or store as garbage fail with 400 — after every
    // check the spec lists (so its errors keep precedence), before anything is written.
    checkRoomSettingTypes(input);
    for (const key of Object.keys(input) as RoomSettingKey[]) {
      await SAVERS[key]({ deps: this.deps, caller, room, value: input[key] });
    }
    return { result: true, rid: room._id };
  }
}

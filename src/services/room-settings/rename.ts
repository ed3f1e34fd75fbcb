import { ConflictError, ForbiddenError } from '../../domain/errors.js';
import { RoomNameErrors, isValidRoomName } from '../../domain/room-names.js';
import { DuplicateKeyError } from '../../store/errors.js';
import type { RoomSettingsDeps, SettingCall } from './context.js';
import { updateRoom, updateSubscriptions } from './room-updates.js';

/**
 * getValidRoomName for a rename (model.md §9, without the special-characters mode): the pattern,
 * then uniqueness among other rooms. Returns the name to store.
 */
async function validRoomName(deps: RoomSettingsDeps, name: string, rid: string): Promise<string> {
  if (!isValidRoomName(name, deps.settings.string('UTF8_Channel_Names_Validation'))) throw RoomNameErrors.invalid(name);
  const existing = await deps.store.rooms.findByName(name);
  if (existing && existing._id !== rid) throw RoomNameErrors.taken(name, existing);
  return name;
}

/** The `roomName` saver (rooms.md A.20): name + fname on the room and every subscription, then `r`. */
export async function renameRoom({ deps, caller, room, value }: SettingCall): Promise<void> {
  if (room.t === 'd') throw new ForbiddenError('error-not-allowed', 'Not allowed', { function: 'RocketChat.saveRoomdisplayName' });
  const displayName = value as string | null | undefined;
  if (displayName === room.name || !displayName?.trim()) return;

  if (room.prid) {
    // Discussions keep their generated name; only the display name changes.
    const updated = await updateRoom(deps, room._id, { set: { fname: displayName } });
    await updateSubscriptions(deps, room._id, { set: { fname: displayName } });
    await deps.systemMessages.create('r', updated, displayName, caller);
    return;
  }

  const name = await validRoomName(deps, displayName, room._id);
  // Rooms and users share one handle namespace on rename.
  if (await deps.store.users.findByUsername(name)) {
    throw new ConflictError('error-duplicate-handle', `A room, team or user with name '${name}' already exists`, {
      function: 'RocketChat.updateRoomName',
      handle: name,
    });
  }
  let updated;
  try {
    updated = await updateRoom(deps, room._id, { set: { name, fname: displayName } });
  } catch (err) {
    if (err instanceof DuplicateKeyError) throw RoomNameErrors.taken(name, (await deps.store.rooms.findByName(name)) ?? {});
    throw err;
  }
  await updateSubscriptions(deps, room._id, { set: { name, fname: displayName, alert: true } });
  await deps.systemMessages.create('r', updated, displayName, caller);
}

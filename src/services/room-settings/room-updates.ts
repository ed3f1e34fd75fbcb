import { Errors } from '../../domain/errors.js';
import type { Room, Subscription } from '../../domain/types.js';
import type { Patch } from '../../store/store.js';
import type { RoomSettingsDeps } from './context.js';

/** Updates the room and announces it (rooms-changed). */
export async function updateRoom(deps: RoomSettingsDeps, rid: string, patch: Patch<Room>): Promise<Room> {
  const updated = await deps.store.rooms.update(rid, patch);
  if (!updated) throw Errors.invalidRoom();
  deps.events.roomChanged('updated', updated);
  return updated;
}

/** Updates every subscription of the room and announces each to its owner (subscriptions-changed). */
export async function updateSubscriptions(deps: RoomSettingsDeps, rid: string, patch: Patch<Subscription>): Promise<void> {
  for (const sub of await deps.store.subscriptions.updateByRoom(rid, patch)) deps.events.subscriptionChanged('updated', sub);
}

import type { Room, User } from '../domain/types.js';
import type { Store } from '../store/store.js';
import type { PermissionsService } from './permissions-service.js';

/** Rocket.Chat throws this text itself (it is not an i18n key). */
export const READ_ONLY_REFUSAL = "You can't send messages because the room is readonly.";

export type SendCheck = { room: Room; refused?: undefined } | { room?: Room; refused: string };

/**
 * canSendMessage (rooms.md B.4 step 9), in Rocket.Chat's order. A refusal is the i18n key (or
 * literal text) Rocket.Chat raises; the callers decide how it reaches the client.
 */
export async function canSendMessage(
  deps: { store: Store; permissions: PermissionsService },
  rid: string,
  user: User,
): Promise<SendCheck> {
  const room = await deps.store.rooms.findById(rid);
  if (!room) return { refused: 'error-invalid-room' };
  if (user.type !== 'app' && !(await deps.permissions.canAccessRoom(room, user))) return { room, refused: 'error-not-allowed' };
  if (room.t === 'd' && (room.uids?.length ?? 2) <= 2) {
    const sub = await deps.store.subscriptions.findByRoomAndUser(rid, user._id);
    if (sub?.blocked || sub?.blocker) return { room, refused: 'room_is_blocked' };
  }
  const username = user.username ?? '';
  if (room.ro === true && !room.unmuted?.includes(username) && !(await deps.permissions.hasPermission(user, 'post-readonly', rid))) {
    return { room, refused: READ_ONLY_REFUSAL };
  }
  if (room.muted?.includes(username)) return { room, refused: 'You_have_been_muted' };
  return { room };
}

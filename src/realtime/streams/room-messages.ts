import type { Hub } from '../../fanout/hub.js';
import type { Services } from '../../services/services.js';
import type { StreamDefinition } from './stream.js';

export const MY_MESSAGES = '__my_messages__';

/** `stream-room-messages` (streams.md §4.1): a room's messages, or `__my_messages__`. */
export function roomMessagesStream(s: Services, hub: Hub): StreamDefinition {
  return {
    name: 'room-messages',
    async canRead(sub, eventName) {
      if (eventName === MY_MESSAGES) return true;
      const room = await s.store.rooms.findById(eventName);
      if (!room) return false;
      const user = sub.userId ? await s.store.users.findById(sub.userId) : null;
      if (await s.permissions.canAccessRoom(room, user)) return true;
      return room.t === 'c' && !!user && (await s.permissions.hasPermission(user, 'preview-c-room'));
    },
    async register(sub, eventName) {
      if (eventName !== MY_MESSAGES) return undefined;
      const userId = sub.userId;
      // Anonymous subscribers are accepted but receive nothing.
      if (!userId) return () => {};
      return hub.registerMyMessages(sub, userId, await s.store.subscriptions.listRoomIdsByUser(userId));
    },
  };
}

import type { Subscription } from '../../ddp/subscription.js';
import type { Services } from '../../services/services.js';
import type { StreamDefinition } from './stream.js';

const PRIVATE_SETTINGS = 'private-settings-changed';
const SETTINGS_PERMISSIONS = ['view-privileged-setting', 'edit-privileged-setting', 'manage-selected-settings'];

async function maySeePrivateSettings(s: Services, sub: Subscription): Promise<boolean> {
  if (!sub.userId) return false;
  const user = await s.store.users.findById(sub.userId);
  for (const p of SETTINGS_PERMISSIONS) if (await s.permissions.hasPermission(user, p)) return true;
  return false;
}

/** `stream-notify-logged` (streams.md §4.4): plain event names, for logged-in users. */
export function notifyLoggedStream(s: Services): StreamDefinition {
  return {
    name: 'notify-logged',
    async canRead(sub, eventName) {
      if (!sub.userId) return false;
      return eventName === PRIVATE_SETTINGS ? maySeePrivateSettings(s, sub) : true;
    },
  };
}

/** `stream-notify-all` (streams.md §4.5): plain event names, for everyone. */
export function notifyAllStream(s: Services): StreamDefinition {
  return {
    name: 'notify-all',
    async canRead(sub, eventName) {
      return eventName === PRIVATE_SETTINGS ? maySeePrivateSettings(s, sub) : true;
    },
  };
}

/** `stream-notify-room-users` (streams.md §4.6): write-only relay to the other members' user streams. */
export function notifyRoomUsersStream(s: Services): StreamDefinition {
  return {
    name: 'notify-room-users',
    async canRead() {
      return false;
    },
    async write(ctx, eventName, args) {
      const i = eventName.indexOf('/');
      if (i < 0 || !ctx.userId) return;
      const rid = eventName.slice(0, i);
      const event = eventName.slice(i + 1);
      const members = await s.store.subscriptions.listUserIdsByRoom(rid);
      if (!members.includes(ctx.userId)) return;
      for (const uid of members) if (uid !== ctx.userId) s.events.userEvent(uid, event, args, ctx.session.id);
    },
  };
}

import type { Services } from '../../services/services.js';
import { isPlainObject } from '../params.js';
import { splitEventName } from './event-name.js';
import type { StreamDefinition } from './stream.js';

/** `stream-notify-room` (streams.md §4.2, §5.1): `<rid>/<event>`; clients write typing and user-activity. */
export function notifyRoomStream(s: Services): StreamDefinition {
  return {
    name: 'notify-room',
    async canRead(sub, eventName, args) {
      const { scope: rid, event } = splitEventName(eventName);
      if (event === 'webrtc') return true;
      const room = await s.store.rooms.findById(rid);
      if (!room) return false;
      if (isPlainObject(args[0]) && 'token' in args[0]) return false; // livechat visitors: out of scope
      if (!sub.userId) return false;
      const user = await s.store.users.findById(sub.userId);
      return !!user && (await s.permissions.canAccessRoom(room, user));
    },
    async write(ctx, eventName, args) {
      const { scope: rid, event } = splitEventName(eventName);
      if (event !== 'typing' && event !== 'user-activity') return;
      const [username, activity, extra] = args;
      if (typeof username !== 'string' || !ctx.userId) return;
      if (isPlainObject(extra) && 'token' in extra) return; // livechat visitors: out of scope
      const user = await s.store.users.findById(ctx.userId);
      if (!user) return;
      const identity = s.settings.bool('UI_Use_Real_Name') ? user.name : user.username;
      if (username !== identity) return;
      // Only members may announce activity in a room.
      if (!(await s.store.subscriptions.findByRoomAndUser(rid, user._id))) return;
      const except = ctx.session.id;
      const extraData = isPlainObject(extra) ? extra : {};
      if (event === 'typing') {
        if (typeof activity !== 'boolean') return;
        s.events.roomEvent(rid, 'typing', [username, activity], except);
        s.events.roomEvent(rid, 'user-activity', [username, activity ? ['user-typing'] : [], extraData], except);
        return;
      }
      if (!Array.isArray(activity) || !activity.every((a) => typeof a === 'string')) return;
      s.events.roomEvent(rid, 'user-activity', [username, activity, extraData], except);
      if (activity.length === 0 || activity.includes('user-typing')) {
        s.events.roomEvent(rid, 'typing', [username, activity.includes('user-typing')], except);
      }
    },
  };
}

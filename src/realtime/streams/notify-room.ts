import type { Services } from '../../services/services.js';
import { isPlainObject } from '../params.js';
import { splitEventName } from './event-name.js';
import type { StreamDefinition } from './stream.js';

/** `stream-notify-room` (streams.md §4.2, §5.1): `<rid>/<event>`; clients write typing and user-activity. */
export function notifyRoomStream(s: Services): StreamDefinition {
  return {
    name: 'notify-room',
    async canRead(sub, eventName, args) {
      const { scope: rid } = splitEventName(eventName);
      // Decision: webrtc events are read under the room's access rule like every other event
      // (Rocket.Chat lets anyone read them, streams.md §4.2 rule 1).
      const room = await s.store.rooms.findById(rid);
      if (!room) return false;
      if (isPlainObject(args[0]) && 'token' in args[0]) return false; // livechat visitors: out of scope
      if (!sub.userId) return false;
      const user = await s.store.users.findById(sub.userId);
      return !!user && (await s.permissions.canAccessRoom(room, user));
    },
    async write(ctx, eventName, args) {
      const { scope: rid, event } = splitEventName(eventName);
      if (event !== 'typing' && event !== 'user-activity' && event !== 'webrtc') return;
      if (!ctx.userId) return;
      if (event === 'webrtc') {
        // §5.1 rule 1 relays webrtc from anyone; decision: from members only, like typing.
        if (await s.store.subscriptions.findByRoomAndUser(rid, ctx.userId)) s.events.roomEvent(rid, 'webrtc', args, ctx.session.id);
        return;
      }
      const [username, activity, extra] = args;
      if (typeof username !== 'string') return;
      if (isPlainObject(extra) && 'token' in extra) return; // livechat visitors: out of scope
      const user = await s.store.users.findById(ctx.userId);
      if (!user) return;
      const identity = s.settings.bool('UI_Use_Real_Name') ? user.name : user.username;
      if (username !== identity) return;
      // Decision (the Messages issue): only members announce activity in a room. Rocket.Chat does
      // not check membership on write (rooms.md A.12), which lets anyone type into any room.
      if (!(await s.store.subscriptions.findByRoomAndUser(rid, user._id))) return;
      // The written event goes out with the params as written.
      const except = ctx.session.id;
      const extraData = isPlainObject(extra) ? extra : {};
      if (event === 'typing') {
        if (typeof activity !== 'boolean') return;
        s.events.roomEvent(rid, 'typing', args, except);
        s.events.roomEvent(rid, 'user-activity', [username, activity ? ['user-typing'] : [], extraData], except);
        return;
      }
      if (!Array.isArray(activity) || !activity.every((a) => typeof a === 'string')) return;
      s.events.roomEvent(rid, 'user-activity', args, except);
      if (activity.length === 0 || activity.includes('user-typing')) {
        s.events.roomEvent(rid, 'typing', [username, activity.includes('user-typing')], except);
      }
    },
  };
}

import type { Hub } from '../../fanout/hub.js';
import type { Services } from '../../services/services.js';
import { splitEventName } from './event-name.js';
import type { StreamDefinition } from './stream.js';

/** Events a user may push into another user's stream (call signalling); everything else is refused. */
const WRITABLE = new Set(['otr', 'webrtc', 'video-conference']);

/** `stream-notify-user` (streams.md §4.3): `<uid>/<event>`, readable only by that user. */
export function notifyUserStream(s: Services, hub: Hub): StreamDefinition {
  return {
    name: 'notify-user',
    async canRead(sub, eventName) {
      const { scope: uid, event } = splitEventName(eventName);
      if (!sub.userId || uid !== sub.userId) return false;
      if (event === 'otr') return s.settings.bool('OTR_Enable');
      return true;
    },
    async register(sub, eventName) {
      const { scope: uid, event } = splitEventName(eventName);
      if (event !== 'rooms-changed') return undefined;
      return hub.registerRoomsChanged(sub, uid, await s.store.subscriptions.listRoomIdsByUser(uid));
    },
    async write(ctx, eventName, args) {
      const { scope: uid, event } = splitEventName(eventName);
      if (!ctx.userId || !WRITABLE.has(event)) return;
      if (event === 'otr' && (!s.settings.bool('OTR_Enable') || !['handshake', 'acknowledge'].includes(String(args[0])))) return;
      s.events.userEvent(uid, event, args, ctx.session.id);
    },
  };
}

import type { Hub } from '../../fanout/hub.js';
import type { Services } from '../../services/services.js';
import { splitEventName } from './event-name.js';
import type { StreamDefinition } from './stream.js';

/** OTR messages that need `OTR_Enable` (other OTR messages only need a login). */
const OTR_NEGOTIATION = new Set(['handshake', 'acknowledge']);

/** `stream-notify-user` (streams.md §4.3): `<uid>/<event>`, readable only by that user. */
export function notifyUserStream(s: Services, hub: Hub): StreamDefinition {
  return {
    name: 'notify-user',
    async canRead(sub, eventName) {
      const { scope: uid, event } = splitEventName(eventName);
      // Decision (the Messages issue): nobody subscribes to another user's events — webrtc
      // included, which Rocket.Chat lets anyone read (streams.md §4.3 rule 2).
      if (!sub.userId || uid !== sub.userId) return false;
      if (event === 'otr') return s.settings.bool('OTR_Enable');
      return true;
    },
    async register(sub, eventName) {
      const { scope: uid, event } = splitEventName(eventName);
      if (event !== 'rooms-changed') return undefined;
      return hub.registerRoomsChanged(sub, uid, await s.store.subscriptions.listRoomIdsByUser(uid));
    },
    /**
     * streams.md §5: `webrtc` from any logged-in user (decision: Rocket.Chat takes it from anyone);
     * `otr` logged in (plus `OTR_Enable` for handshake/acknowledge);
     * `video-conference` only for a validated call action — Orbit has no calls, so never. Decision
     * (the spec's deviation proposal): every other event is refused, so nobody can push
     * `message`, `notification` or `subscriptions-changed` events into another user's stream.
     */
    async write(ctx, eventName, args) {
      const { scope: uid, event } = splitEventName(eventName);
      const allowed =
        (event === 'webrtc' && !!ctx.userId) ||
        (event === 'otr' && !!ctx.userId && (!OTR_NEGOTIATION.has(args[0] as string) || s.settings.bool('OTR_Enable')));
      if (allowed) s.events.userEvent(uid, event, args, ctx.session.id);
    },
  };
}

import type { Bus } from '../bus/bus.js';
import { Topics, type UserChangedPayload } from '../bus/topics.js';
import { CloseCode } from '../ddp/transport.js';
import type { DdpServer } from '../ddp/server.js';
import type { Session } from '../ddp/session.js';
import { Hub } from '../fanout/hub.js';
import type { Services } from '../services/services.js';
import { mapError } from './error-map.js';
import { hubAccess } from './hub-access.js';
import { allMethods } from './methods/index.js';
import { Presence } from './presence.js';
import { registerPublications } from './publications.js';
import { DdpRateLimits } from './rate-limits.js';
import { sessionState } from './session-state.js';
import { notifyAllStream, notifyLoggedStream, notifyRoomUsersStream } from './streams/notify-broadcast.js';
import { notifyRoomStream } from './streams/notify-room.js';
import { notifyUserStream } from './streams/notify-user.js';
import { roomMessagesStream } from './streams/room-messages.js';
import { registerStreams } from './streams/streamer.js';

const FANOUT_STREAMS = ['room-messages', 'notify-room', 'notify-user', 'notify-logged', 'notify-all'];

/** Puts the Rocket.Chat surface on a DDP server: methods, publications, streams, rate limits, presence. */
export function mountRealtime(ddp: DdpServer, bus: Bus, services: Services, opts: { rateLimit: boolean }): () => void {
  const hub = new Hub(bus, hubAccess(services.permissions));
  hub.start(FANOUT_STREAMS);
  const limits = new DdpRateLimits(services.settings, services.permissions, opts.rateLimit);
  const presence = new Presence(services, ddp);

  ddp.methods(allMethods(services));
  registerPublications(ddp);
  registerStreams(ddp, hub, [
    roomMessagesStream(services, hub),
    notifyRoomStream(services),
    notifyUserStream(services, hub),
    notifyLoggedStream(services),
    notifyAllStream(services),
    notifyRoomUsersStream(services),
  ]);

  ddp.setHooks({
    mapError,
    guard: (kind, name, session) => limits.guard(kind, name, session),
    userChanged: (session, previous) => presence.userChanged(session, previous),
    sessionClosed: (session) => presence.sessionClosed(session),
  });

  const unsubscribe = [
    bus.subscribe(Topics.userChanged, (p) => void onUserChanged(p as UserChangedPayload)),
    bus.subscribe(Topics.settingChanged, (p) => void services.settings.refresh((p as { id: string }).id)),
    bus.subscribe(Topics.permissionChanged, (p) => {
      const { id, roles } = p as { id: string; roles: string[] };
      services.permissions.applyRemote(id, roles);
    }),
  ];

  /** Keeps the roles cached on sessions current; ends the sessions of a deactivated user. */
  async function onUserChanged(p: UserChangedPayload): Promise<void> {
    const sessions = [...ddp.sessions].filter((s: Session) => s.userId === p.userId);
    if (sessions.length === 0) return;
    const user = await services.store.users.findById(p.userId);
    for (const s of sessions) {
      if (p.logout || !user || !user.active) {
        s.close(CloseCode.policyViolation, 'logged out');
        continue;
      }
      sessionState(s).roles = user.roles;
      sessionState(s).username = user.username;
    }
  }

  return () => {
    hub.stop();
    for (const u of unsubscribe) u();
  };
}

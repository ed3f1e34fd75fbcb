import type { Subscription } from '../ddp/subscription.js';
import type { RoomType } from '../domain/types.js';
import type { HubAccess } from '../fanout/hub.js';
import type { PermissionsService } from '../services/permissions-service.js';
import { sessionState } from './session-state.js';

/** `__my_messages__`'s emit rule: canAccessRoom from the roles cached on the session. */
export function hubAccess(permissions: PermissionsService): HubAccess {
  return {
    canReceiveRoomMessage(sub: Subscription, roomType: RoomType, participant: boolean): boolean {
      if (!sub.userId) return false;
      const roles = sessionState(sub.session).roles;
      if (roomType === 'c' && permissions.rolesGrant(roles, 'view-c-room')) return true;
      return (
        participant &&
        (permissions.rolesGrant(roles, 'view-joined-room') || permissions.rolesGrant(roles, `view-${roomType}-room`))
      );
    },
  };
}

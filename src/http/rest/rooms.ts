import { publicRoom } from '../../domain/projections.js';
import type { Services } from '../../services/services.js';
import { queryObject } from './params.js';
import { failure, success } from './rest-error.js';
import { findRoom } from './room-lookup.js';
import type { RestRoute } from './router.js';

/** `rooms.info`: a room the caller may access, by `roomId` or `roomName`. */
export function roomsRoutes(s: Services): RestRoute[] {
  return [
    {
      method: 'GET',
      path: 'rooms.info',
      errorsAs: 'getRoomById',
      auth: true,
      async handle(req) {
        const room = await findRoom(s.store, queryObject(req.query));
        // Rocket.Chat's failure('not-allowed', 'Not Allowed'): the code in `error`, the reason in `errorType`.
        if (!(await s.permissions.canAccessRoom(room, req.user))) throw failure('not-allowed', 'Not Allowed');
        return success({ room: publicRoom(room) });
      },
    },
  ];
}

import { z } from 'zod';
import { publicRoom } from '../../../domain/projections.js';
import type { Services } from '../../../services/services.js';
import { failure } from '../rest-error.js';
import { roomKeyQuery, findRoom } from '../room-lookup.js';
import { defineRoute, type Route } from '../route.js';

/**
 * The model route file (see ../README.md): each route is one `defineRoute` declaration —
 * method, path, auth, the DDP method it stands for, zod schemas of its input and output — whose
 * handler calls a service and returns the success fields.
 */
export function roomsRoutes(s: Services): Route[] {
  return [
    defineRoute({
      method: 'GET',
      path: 'rooms.info',
      auth: true,
      ddp: 'getRoomById',
      summary: 'A room the caller may access, by roomId or roomName',
      query: roomKeyQuery,
      response: z.object({ room: z.record(z.string(), z.unknown()) }),
      async handle({ user, query }) {
        const room = await findRoom(s.store, query);
        // Rocket.Chat's failure('not-allowed', 'Not Allowed'): the code in `error`, the reason in `errorType`.
        if (!(await s.permissions.canAccessRoom(room, user))) throw failure('not-allowed', 'Not Allowed');
        return { room: publicRoom(room) };
      },
    }),
  ];
}

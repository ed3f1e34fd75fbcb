import { z } from 'zod';
import { publicRoom } from '../../domain/projections.js';
import type { Services } from '../../services/services.js';
import { parseParams } from './params.js';
import { success } from './rest-error.js';
import { findChannel } from './room-lookup.js';
import type { RestRoute } from './router.js';

const joinBody = z.union([
  z.object({ roomId: z.string(), joinCode: z.string().optional() }).strict(),
  z.object({ roomName: z.string(), joinCode: z.string().optional() }).strict(),
]);

/** `channels.join`: the DDP joinRoom, for a public channel named by id or name; answers the channel. */
export function channelsRoutes(s: Services): RestRoute[] {
  return [
    {
      method: 'POST',
      path: 'channels.join',
      errorsAs: 'joinRoom',
      auth: true,
      async handle(req) {
        const { joinCode, ...key } = parseParams(joinBody, req.body);
        const channel = await findChannel(s.store, key);
        await s.roomMembers.join(req.user._id, channel._id, joinCode);
        return success({ channel: publicRoom((await s.store.rooms.findById(channel._id)) ?? channel) });
      },
    },
  ];
}

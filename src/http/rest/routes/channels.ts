import { z } from 'zod';
import { publicRoom } from '../../../domain/projections.js';
import type { Services } from '../../../services/services.js';
import { findChannel } from '../room-lookup.js';
import { defineRoute, type Route } from '../route.js';

const joinBody = z.union([
  z.object({ roomId: z.string(), joinCode: z.string().optional() }).strict(),
  z.object({ roomName: z.string(), joinCode: z.string().optional() }).strict(),
]);

/** `channels.join`: the DDP joinRoom, for a public channel named by id or name; answers the channel. */
export function channelsRoutes(s: Services): Route[] {
  return [
    defineRoute({
      method: 'POST',
      path: 'channels.join',
      auth: true,
      ddp: 'joinRoom',
      summary: 'Join a public channel',
      body: joinBody,
      response: z.object({ channel: z.record(z.string(), z.unknown()) }),
      async handle({ user, body }) {
        const { joinCode, ...key } = body;
        const channel = await findChannel(s.store, key);
        await s.roomMembers.join(user._id, channel._id, joinCode);
        return { channel: publicRoom((await s.store.rooms.findById(channel._id)) ?? channel) };
      },
    }),
  ];
}

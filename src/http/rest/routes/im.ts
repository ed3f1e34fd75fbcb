import { z } from 'zod';
import type { Services } from '../../../services/services.js';
import { invalidParams } from '../rest-error.js';
import { defineRoute, type Route } from '../route.js';

const createBody = z.union([
  z.object({ username: z.string(), excludeSelf: z.boolean().optional() }).strict(),
  z.object({ usernames: z.string(), excludeSelf: z.boolean().optional() }).strict(),
]);

/** `im.create` / `dm.create` {username} or {usernames: "a,b"}: the DDP createDirectMessage; answers `room` with `_id`. */
export function imRoutes(s: Services): Route[] {
  return ['im.create', 'dm.create'].map((path) =>
    defineRoute({
      method: 'POST',
      path,
      auth: true,
      ddp: 'createDirectMessage',
      summary: 'Open a direct message with one or more users',
      body: createBody,
      response: z.object({ room: z.record(z.string(), z.unknown()) }),
      async handle({ user, body }) {
        // Decision: a DM without the caller is not supported (createDirectMessage always includes them).
        if (body.excludeSelf) throw invalidParams('excludeSelf is not supported');
        const users = 'username' in body ? [body.username] : body.usernames.split(',').map((u) => u.trim());
        const room = await s.directMessages.create(user._id, users);
        return { room: { ...room, _id: room.rid } };
      },
    }),
  );
}

import { z } from 'zod';
import type { User } from '../../domain/types.js';
import type { Services } from '../../services/services.js';
import { parseParams } from './params.js';
import { invalidParams, success, type RestResult } from './rest-error.js';
import type { RestRequest, RestRoute } from './router.js';

const createBody = z.union([
  z.object({ username: z.string(), excludeSelf: z.boolean().optional() }).strict(),
  z.object({ usernames: z.string(), excludeSelf: z.boolean().optional() }).strict(),
]);

/** `im.create` / `dm.create` {username} or {usernames: "a,b"}: the DDP createDirectMessage; answers `room` with `_id`. */
export function imRoutes(s: Services): RestRoute[] {
  const create = async (req: RestRequest<User>): Promise<RestResult> => {
    const body = parseParams(createBody, req.body);
    // Decision: a DM without the caller is not supported (createDirectMessage always includes them).
    if (body.excludeSelf) throw invalidParams('excludeSelf is not supported');
    const users = 'username' in body ? [body.username] : body.usernames.split(',').map((u) => u.trim());
    const room = await s.directMessages.create(req.user._id, users);
    return success({ room: { ...room, _id: room.rid } });
  };
  return ['im.create', 'dm.create'].map((path) => ({
    method: 'POST' as const,
    path,
    errorsAs: 'createDirectMessage',
    auth: true as const,
    handle: create,
  }));
}

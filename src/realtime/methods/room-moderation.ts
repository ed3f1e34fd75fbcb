import { z } from 'zod';
import type { MethodHandler } from '../../ddp/session.js';
import { Errors } from '../../domain/errors.js';
import type { Services } from '../../services/services.js';
import { check } from '../params.js';

/** `[{rid, username}]`; extra keys are allowed. */
const target = z.object({ rid: z.string(), username: z.string() }).loose();

/** muteUserInRoom / unmuteUserInRoom (rooms.md A.17, A.18). */
export function roomModerationMethods(s: Services): Record<string, MethodHandler> {
  return {
    async muteUserInRoom(ctx, params) {
      const { rid, username } = check(target, params[0]);
      if (!ctx.userId) throw Errors.invalidUser();
      return s.roomModeration.setMuted(ctx.userId, rid, username, true);
    },
    async unmuteUserInRoom(ctx, params) {
      const { rid, username } = check(target, params[0]);
      // (sic) Rocket.Chat answers an anonymous unmute with error-not-allowed.
      if (!ctx.userId) throw Errors.notAllowed();
      return s.roomModeration.setMuted(ctx.userId, rid, username, false);
    },
  };
}

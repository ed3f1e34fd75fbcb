import { z } from 'zod';
import type { MethodHandler } from '../../ddp/session.js';
import type { Services } from '../../services/services.js';
import { check } from '../params.js';

/** createDirectMessage (rooms.md A.10): every param is a username. */
export function roomsDirectMethods(s: Services): Record<string, MethodHandler> {
  return {
    createDirectMessage: (ctx, params) => s.directMessages.create(ctx.userId, check(z.array(z.string()), params)),
  };
}

import { z } from 'zod';
import type { MethodHandler } from '../../ddp/session.js';
import { Errors } from '../../domain/errors.js';
import type { Services } from '../../services/services.js';
import { check } from '../params.js';

/** The caller's own sidebar flags (rooms.md A.6–A.8); each answers the number of subscriptions changed. */
export function roomsSidebarMethods(s: Services): Record<string, MethodHandler> {
  return {
    toggleFavorite(ctx, params) {
      const rid = check(z.string(), params[0]);
      const favorite = check(z.boolean().optional(), params[1]);
      return s.rooms.setFavorite(ctx.userId, rid, favorite ?? true);
    },

    hideRoom(ctx, params) {
      if (!ctx.userId) throw Errors.invalidUser();
      return s.rooms.hide(ctx.userId, check(z.string(), params[0]));
    },

    openRoom: (ctx, params) => s.rooms.open(ctx.userId, check(z.string(), params[0])),
  };
}

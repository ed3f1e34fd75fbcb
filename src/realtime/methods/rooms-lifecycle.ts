import { z } from 'zod';
import type { MethodHandler } from '../../ddp/session.js';
import { Errors } from '../../domain/errors.js';
import type { Services } from '../../services/services.js';
import { check } from '../params.js';

const rid = z.string();

/** archiveRoom, unarchiveRoom, leaveRoom, eraseRoom (rooms.md A.4, A.5, A.9, B.8). */
export function roomsLifecycleMethods(s: Services): Record<string, MethodHandler> {
  return {
    async archiveRoom(ctx, params) {
      if (!ctx.userId) throw Errors.invalidUser();
      await s.rooms.archive(ctx.userId, check(rid, params[0]));
    },

    async unarchiveRoom(ctx, params) {
      if (!ctx.userId) throw Errors.invalidUser();
      await s.rooms.unarchive(ctx.userId, check(rid, params[0]));
    },

    async leaveRoom(ctx, params) {
      await s.rooms.leave(ctx.userId, check(rid, params[0]));
    },

    eraseRoom: (ctx, params) => s.rooms.erase(ctx.userId, check(rid, params[0])),
  };
}

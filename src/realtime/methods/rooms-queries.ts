import { z } from 'zod';
import type { MethodHandler } from '../../ddp/session.js';
import type { Services } from '../../services/services.js';
import { asDate, check } from '../params.js';

const rid = z.string();

/**
 * Read-only room methods (rooms.md A.1–A.3, B.1, B.12; accounts.md getRoomIdByNameOrId).
 * A room the caller cannot see is an error (or absent from a list), never its content.
 */
export function roomsQueryMethods(s: Services): Record<string, MethodHandler> {
  return {
    'rooms/get': (ctx, params) => s.rooms.roomsOf(ctx.userId, asDate(params[0])),

    'subscriptions/get': (ctx, params) => s.rooms.subscriptionsOf(ctx.userId, asDate(params[0])),

    getRoomById: (ctx, params) => s.rooms.roomById(ctx.userId, check(rid, params[0])),

    getRoomNameById: (ctx, params) => s.rooms.roomNameById(ctx.userId, check(rid, params[0])),

    getRoomByTypeAndName: (ctx, params) => s.rooms.roomByTypeAndName(ctx.userId, params[0], params[1]),

    getRoomIdByNameOrId: (ctx, params) => s.rooms.roomIdByNameOrId(ctx.userId, check(z.string(), params[0])),
  };
}

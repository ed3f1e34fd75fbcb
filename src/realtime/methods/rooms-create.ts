import { z } from 'zod';
import { matchFailed } from '../../ddp/meteor-error.js';
import type { MethodContext, MethodHandler } from '../../ddp/session.js';
import { Errors } from '../../domain/errors.js';
import type { NewRoomInput } from '../../services/room-creation-service.js';
import type { Services } from '../../services/services.js';
import { check, isPlainObject } from '../params.js';

/**
 * `[name, members?, readOnly?, customFields?, extraData?]`. Decision: `customFields` and
 * `extraData`, when given (not null), must be objects (400 otherwise) — the real server spreads
 * whatever it gets into the room.
 */
function newRoomInput(params: unknown[]): NewRoomInput {
  const name = check(z.string(), params[0]);
  const members = check(z.array(z.string()).optional(), params[1]) ?? [];
  return { name, members: [...members], readOnly: params[2], customFields: objectParam(params[3]), extraData: objectParam(params[4]) };
}

function objectParam(value: unknown): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (!isPlainObject(value)) throw matchFailed();
  return value;
}

function loggedIn(ctx: MethodContext): string {
  if (!ctx.userId) throw Errors.invalidUser();
  return ctx.userId;
}

/** createChannel (rooms.md B.2) and createPrivateGroup (A.11). */
export function roomsCreateMethods(s: Services): Record<string, MethodHandler> {
  return {
    createChannel(ctx, params) {
      const userId = loggedIn(ctx);
      return s.roomCreation.createChannel(userId, newRoomInput(params));
    },

    createPrivateGroup(ctx, params) {
      const userId = loggedIn(ctx);
      return s.roomCreation.createPrivateGroup(userId, newRoomInput(params));
    },
  };
}

import { z } from 'zod';
import type { MethodHandler } from '../../ddp/session.js';
import { Errors } from '../../domain/errors.js';
import type { Services } from '../../services/services.js';
import { check, isPlainObject } from '../params.js';

const options = z.union([
  z.undefined(),
  z.null(),
  z.object({ limit: z.number().optional(), skip: z.number().optional() }).loose(),
]);
const removeData = z.object({ rid: z.string(), username: z.string() }).loose();
const filter = z.union([z.undefined(), z.null(), z.string()]);

/**
 * addUserToRoom / addUsersToRoom (rooms.md A.19, B.11), removeUserFromRoom, joinRoom (B.3),
 * getUsersOfRoom (B.7).
 */
export function roomMembersMethods(s: Services): Record<string, MethodHandler> {
  return {
    async addUserToRoom(ctx, params) {
      if (!ctx.userId) throw Errors.invalidUser();
      // A non-object param is a room-less request (Rocket.Chat: 500; decision: error-invalid-room).
      const data = isPlainObject(params[0]) ? params[0] : {};
      await s.roomMembers.addUsers(ctx.userId, data.rid, [data.username]);
      return undefined;
    },
    async addUsersToRoom(ctx, params) {
      if (!ctx.userId) throw Errors.invalidUser();
      const data = isPlainObject(params[0]) ? params[0] : {};
      return s.roomMembers.addUsers(ctx.userId, data.rid, data.users);
    },
    async removeUserFromRoom(ctx, params) {
      const data = check(removeData, params[0]);
      if (!ctx.userId) throw Errors.invalidUser();
      return s.roomMembers.remove(ctx.userId, data.rid, data.username);
    },
    async joinRoom(ctx, params) {
      const rid = check(z.string(), params[0]);
      if (!ctx.userId) throw Errors.invalidUser();
      return s.roomMembers.join(ctx.userId, rid, params[1]);
    },
    async getUsersOfRoom(ctx, params) {
      if (!params[0]) throw Errors.invalidRoom();
      const rid = check(z.string(), params[0]);
      const page = check(options, params[2]) ?? {};
      const text = check(filter, params[3]) ?? undefined;
      if (!ctx.userId) throw Errors.invalidUser();
      return s.roomMembers.usersOfRoom(ctx.userId, rid, {
        showAll: Boolean(params[1]),
        page: { ...(page.skip !== undefined ? { skip: page.skip } : {}), ...(page.limit !== undefined ? { limit: page.limit } : {}) },
        ...(text ? { filter: text } : {}),
      });
    },
  };
}

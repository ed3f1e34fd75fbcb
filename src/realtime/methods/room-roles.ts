import { z } from 'zod';
import type { MethodHandler } from '../../ddp/session.js';
import { Errors } from '../../domain/errors.js';
import type { RoomRole } from '../../services/room-roles-service.js';
import type { Services } from '../../services/services.js';
import { check } from '../params.js';

const ROLE_METHODS: ReadonlyArray<[add: string, remove: string, role: RoomRole]> = [
  ['addRoomOwner', 'removeRoomOwner', 'owner'],
  ['addRoomModerator', 'removeRoomModerator', 'moderator'],
  ['addRoomLeader', 'removeRoomLeader', 'leader'],
];

/** add/remove RoomOwner/Moderator/Leader (rooms.md A.14–A.16, B.10) and getRoomRoles (A.21). */
export function roomRolesMethods(s: Services): Record<string, MethodHandler> {
  const methods: Record<string, MethodHandler> = {};
  for (const [add, remove, role] of ROLE_METHODS) {
    methods[add] = async (ctx, params) => {
      if (!ctx.userId) throw Errors.invalidUser();
      const rid = check(z.string(), params[0]);
      const userId = check(z.string(), params[1]);
      return s.roomRoles.add(ctx.userId, rid, userId, role);
    };
    methods[remove] = async (ctx, params) => {
      if (!ctx.userId) throw Errors.invalidUser();
      const rid = check(z.string(), params[0]);
      const userId = check(z.string(), params[1]);
      return s.roomRoles.remove(ctx.userId, rid, userId, role);
    };
  }
  methods.getRoomRoles = async (ctx, params) => {
    const rid = check(z.string(), params[0]);
    return s.roomRoles.holders(ctx.userId, rid);
  };
  return methods;
}

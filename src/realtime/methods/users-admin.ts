import { z } from 'zod';
import type { MethodHandler } from '../../ddp/session.js';
import { UnauthenticatedError } from '../../domain/errors.js';
import type { Services } from '../../services/services.js';
import { check } from '../params.js';

/** insertOrUpdateUser's fields, typed (others are ignored). */
export const saveUserData = z.object({
  _id: z.string().optional(),
  username: z.string().optional(),
  name: z.string().optional(),
  email: z.string().optional(),
  password: z.string().max(256).optional(),
  setRandomPassword: z.boolean().optional(),
  requirePasswordChange: z.boolean().optional(),
  verified: z.boolean().optional(),
  bio: z.string().optional(),
  nickname: z.string().optional(),
  statusText: z.string().optional(),
  roles: z.array(z.string()).optional(),
  joinDefaultChannels: z.boolean().optional(),
});

const invalidUser = (method: string) => new UnauthenticatedError('error-invalid-user', 'Invalid user', { method });

/** insertOrUpdateUser / setUserActiveStatus / deleteUser: the admin's DDP twins of users.create/update, .setActiveStatus, .delete. */
export function usersAdminMethods(s: Services): Record<string, MethodHandler> {
  return {
    async insertOrUpdateUser(ctx, params) {
      const data = check(saveUserData, params[0]);
      if (!ctx.userId) throw invalidUser('insertOrUpdateUser');
      const id = await s.userAdmin.save(ctx.userId, data);
      return data._id ? true : id;
    },

    async setUserActiveStatus(ctx, params) {
      const userId = check(z.string(), params[0]);
      const active = check(z.boolean(), params[1]);
      if (!ctx.userId) throw invalidUser('setUserActiveStatus');
      await s.userAdmin.setActiveStatus(ctx.userId, userId, active, params[2] === true);
      return true;
    },

    async deleteUser(ctx, params) {
      const userId = check(z.string(), params[0]);
      if (!ctx.userId) throw invalidUser('deleteUser');
      await s.userAdmin.remove(ctx.userId, userId, params[1] === true);
      return true;
    },
  };
}

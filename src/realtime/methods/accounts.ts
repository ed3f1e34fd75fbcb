import { z } from 'zod';
import { MeteorError } from '../../ddp/meteor-error.js';
import type { MethodContext, MethodHandler, Session } from '../../ddp/session.js';
import { CloseCode } from '../../ddp/transport.js';
import { Errors } from '../../domain/errors.js';
import type { LoginResult, PasswordInput, UserSelector } from '../../services/auth-service.js';
import type { Services } from '../../services/services.js';
import { check, isPlainObject } from '../params.js';
import { sessionState } from '../session-state.js';

const nonEmpty = z.string().min(1);
const userSelector = z.union([
  z.string().min(1),
  z.object({ username: nonEmpty }).strict(),
  z.object({ email: nonEmpty }).strict(),
  z.object({ id: nonEmpty }).strict(),
]);
const password = z.union([
  z.string().max(256),
  z.object({ digest: z.string().regex(/^[0-9a-fA-F]{64}$/), algorithm: z.literal('sha-256') }),
]);
const registrationForm = z.object({
  email: z.string(),
  pass: z.string(),
  name: z.string(),
  username: z.string().optional(),
  secretURL: z.string().optional(),
  reason: z.string().optional(),
});

function toSelector(user: z.infer<typeof userSelector>): UserSelector {
  if (typeof user === 'string') return user.includes('@') ? { email: user } : { username: user };
  return user;
}

function toPassword(p: z.infer<typeof password>): PasswordInput {
  return typeof p === 'string' ? { plain: p } : { digest: p.digest };
}

function sessionsWithToken(self: Session, hashedToken: string): Session[] {
  return [...self.server.sessions].filter((o) => o !== self && sessionState(o).hashedToken === hashedToken);
}

/** login / logout / registerUser / getUserRoles (ddp.md §8–9, accounts.md). */
export function accountsMethods(s: Services): Record<string, MethodHandler> {
  async function finishLogin(ctx: MethodContext, r: LoginResult) {
    const state = sessionState(ctx.session);
    state.hashedToken = r.hashedToken;
    state.roles = r.user.roles;
    state.username = r.user.username;
    await ctx.setUserId(r.user._id);
    return { id: r.user._id, token: r.token, tokenExpires: r.tokenExpires, type: r.type };
  }

  return {
    async login(ctx, params) {
      const [options] = params;
      if (params.length !== 1 || !isPlainObject(options)) throw new MeteorError(400, 'Match failed');
      if ('resume' in options) {
        const token = check(z.string(), options.resume);
        return finishLogin(ctx, await s.auth.loginWithResume(token));
      }
      if ('user' in options && 'password' in options) {
        const user = check(userSelector, options.user);
        const pass = check(password, options.password);
        return finishLogin(ctx, await s.auth.loginWithPassword(toSelector(user), toPassword(pass)));
      }
      throw new MeteorError(400, 'Unrecognized options for login request');
    },

    async logout(ctx) {
      const state = sessionState(ctx.session);
      const hashed = state.hashedToken;
      if (ctx.userId && hashed) {
        await s.auth.logout(ctx.userId, hashed);
        // Like Meteor: other connections logged in with the forgotten token are closed.
        for (const other of sessionsWithToken(ctx.session, hashed)) other.close(CloseCode.policyViolation, 'logged out');
      }
      delete state.hashedToken;
      delete state.roles;
      delete state.username;
      await ctx.setUserId(null);
      return undefined;
    },

    async registerUser(_ctx, params) {
      const form = check(registrationForm, params[0]);
      return s.users.register(form);
    },

    async getUserRoles(ctx) {
      if (!ctx.userId) throw Errors.invalidUser();
      const publicRoles = (await s.store.roles.list())
        .filter((r) => r.scope === 'Users' && r.description !== '')
        .map((r) => r._id);
      return s.users.privilegedUsers(publicRoles);
    },
  };
}

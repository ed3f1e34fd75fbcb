import { z } from 'zod';
import { matchFailed, MeteorError } from '../../ddp/meteor-error.js';
import type { MethodContext, MethodHandler, Session } from '../../ddp/session.js';
import { CloseCode } from '../../ddp/transport.js';
import { Errors } from '../../domain/errors.js';
import type { LoginResult, PasswordInput, UserSelector } from '../../services/auth-service.js';
import type { Services } from '../../services/services.js';
import { check, isPlainObject } from '../params.js';
import { sessionState } from '../session-state.js';

const nonEmpty = z.string().min(1);
/**
 * Meteor's user query: an object with exactly one of username, email, id (ddp.md §8.2) — or, as
 * older Meteor servers and the Orbit issue allow, a plain string: an e-mail if it has an `@`,
 * else a username.
 */
const userSelector = z.union([
  nonEmpty.transform((v): UserSelector => (v.includes('@') ? { email: v } : { username: v })),
  z.object({ username: nonEmpty }).strict(),
  z.object({ email: nonEmpty }).strict(),
  z.object({ id: nonEmpty }).strict(),
]);
/** Meteor's password validator: a string of at most 256 characters, or exactly {digest (64 long), algorithm 'sha-256'}. */
const password = z.union([
  z.string().max(256),
  z.object({ digest: z.string().length(64), algorithm: z.literal('sha-256') }).strict(),
]);
const registrationForm = z.object({
  email: z.string(),
  pass: z.string(),
  name: z.string(),
  username: z.string().optional(),
  secretURL: z.string().optional(),
  reason: z.string().optional(),
});

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
      if (params.length !== 1 || !isPlainObject(options)) throw matchFailed();
      // Meteor's login handlers in order; each one takes the request only when its key is truthy.
      if (options.resume) {
        const token = check(z.string(), options.resume);
        return finishLogin(ctx, await s.auth.loginWithResume(token));
      }
      if (options.password) {
        const user: UserSelector = check(userSelector, options.user);
        const pass = check(password, options.password);
        return finishLogin(ctx, await s.auth.loginWithPassword(user, toPassword(pass)));
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

import { z } from 'zod';
import { DomainError } from '../../../domain/errors.js';
import { mapError } from '../../../realtime/error-map.js';
import type { LoginResult, PasswordInput, UserSelector } from '../../../services/auth-service.js';
import type { Services } from '../../../services/services.js';
import { parseParams } from '../params.js';
import { RestError } from '../rest-error.js';
import { defineRoute, type Route } from '../route.js';
import { userInfo } from '../user-info.js';

const nonEmpty = z.string().min(1);
const userObject = z.union([
  z.object({ username: nonEmpty }).strict(),
  z.object({ email: nonEmpty }).strict(),
  z.object({ id: nonEmpty }).strict(),
]);
const credentials = z
  .object({
    user: z.union([nonEmpty, userObject]).optional(),
    username: nonEmpty.optional(),
    email: nonEmpty.optional(),
    password: z.union([z.string().max(256), z.object({ digest: z.string().regex(/^[0-9a-fA-F]{64}$/), algorithm: z.literal('sha-256') }).strict()]),
    code: z.string().optional(),
  })
  .strict();
const resume = z.object({ resume: nonEmpty }).strict();

/** The 401 Rocket.Chat's login route answers for a failed login (pre-8.0 shape: `status`, `error`, `message`). */
function loginFailed(error: unknown, message: string, details?: unknown): RestError {
  // Unknown user and wrong password: Rocket.Chat hides "User not found" behind "Unauthorized".
  const body: Record<string, unknown> =
    message === 'User not found'
      ? { success: false, status: 'error', error: 'Unauthorized', message: 'Unauthorized' }
      : { success: false, status: 'error', error, message };
  if (details !== undefined && message !== 'User not found') body.details = details;
  return new RestError(401, body);
}

/** Rocket.Chat's loginCompatibility: `user` (a name, an email, or a selector), else `username`, else `email`. */
function selectorOf(c: z.infer<typeof credentials>): UserSelector | undefined {
  if (typeof c.user === 'string') return c.user.includes('@') ? { email: c.user } : { username: c.user };
  if (c.username !== undefined) return { username: c.username };
  if (c.email !== undefined) return { email: c.email };
  return c.user;
}

async function attempt(s: Services, body: Record<string, unknown>): Promise<LoginResult> {
  if ('resume' in body) return s.auth.loginWithResume(parseParams(resume, body).resume);
  // No password: no login handler takes the request (Meteor's "Unrecognized options").
  if (body.password === undefined || body.password === null) throw loginFailed(400, 'Unrecognized options for login request');
  // Decision: wrong types or unknown keys are a 400 (Rocket.Chat answers 500 from a failed check()).
  const c = parseParams(credentials, body);
  const selector = selectorOf(c);
  if (!selector) throw loginFailed(400, 'Unrecognized options for login request');
  const password: PasswordInput = typeof c.password === 'string' ? { plain: c.password } : { digest: c.password.digest };
  return s.auth.loginWithPassword(selector, password);
}

/**
 * `POST /api/v1/login` {user|username|email, password} or {resume}: the same logins as the DDP
 * method, answered `{status:"success", data:{userId, authToken, me}}`; the token is a resume
 * token for DDP and for the X-Auth-Token header.
 */
export function loginRoutes(s: Services): Route[] {
  return [
    defineRoute({
      method: 'POST',
      path: 'login',
      auth: false,
      ddp: 'login',
      summary: 'Log in with a password or a resume token (JSON or form-encoded)',
      // The credentials are told apart in the handler: a missing password is Rocket.Chat's 401, not a 400.
      body: z.record(z.string(), z.unknown()).describe('{user|username|email, password (plain or {digest, algorithm})} or {resume}'),
      response: z.object({
        status: z.literal('success'),
        data: z.object({ userId: z.string(), authToken: z.string(), me: z.record(z.string(), z.unknown()) }),
      }),
      async handle({ body }) {
        let login: LoginResult;
        try {
          login = await attempt(s, body);
        } catch (err) {
          if (!(err instanceof DomainError)) throw err;
          const m = mapError(err, 'method', 'login')!;
          throw loginFailed(m.error, m.reason ?? m.message, m.details);
        }
        return {
          status: 'success' as const,
          data: { userId: login.user._id, authToken: login.token, me: userInfo(login.user) },
        };
      },
    }),
  ];
}

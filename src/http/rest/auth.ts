import type { IncomingHttpHeaders } from 'node:http';
import { DomainError } from '../../domain/errors.js';
import type { AuthService } from '../../services/auth-service.js';
import type { Caller } from './route.js';

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  const s = Array.isArray(v) ? v[0] : v;
  return s ? s : undefined;
}

/** True when the request carries Rocket.Chat's auth headers (both of them, non-empty). */
export const hasAuthHeaders = (headers: IncomingHttpHeaders): boolean =>
  header(headers, 'x-user-id') !== undefined && header(headers, 'x-auth-token') !== undefined;

/**
 * The caller of a REST request, from `X-User-Id` and `X-Auth-Token` (Rocket.Chat's default auth):
 * the token must be a live login token or personal access token (checked hashed, through the
 * same path as a DDP resume login: expiry and deactivation included) of the user that X-User-Id
 * names. Undefined otherwise.
 */
export async function authenticate(headers: IncomingHttpHeaders, auth: AuthService): Promise<Caller | undefined> {
  const userId = header(headers, 'x-user-id');
  const token = header(headers, 'x-auth-token');
  if (!userId || !token) return undefined;
  try {
    const { user, hashedToken } = await auth.loginWithResume(token);
    return user._id === userId ? { user, hashedToken } : undefined;
  } catch (err) {
    if (err instanceof DomainError) return undefined;
    throw err;
  }
}

import type { IncomingMessage } from 'node:http';
import { DomainError } from '../../domain/errors.js';
import type { User } from '../../domain/types.js';
import type { AuthService } from '../../services/auth-service.js';

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  const s = Array.isArray(v) ? v[0] : v;
  return s ? s : undefined;
}

/**
 * The caller of a REST request, from `X-User-Id` and `X-Auth-Token` (Rocket.Chat's default auth):
 * the token must be a live resume token (checked hashed, through the same path as a DDP resume
 * login: expiry and deactivation included) of the user that X-User-Id names. Undefined otherwise.
 */
export async function authenticate(req: IncomingMessage, auth: AuthService): Promise<User | undefined> {
  const userId = header(req, 'x-user-id');
  const token = header(req, 'x-auth-token');
  if (!userId || !token) return undefined;
  try {
    const { user } = await auth.loginWithResume(token);
    return user._id === userId ? user : undefined;
  } catch (err) {
    if (err instanceof DomainError) return undefined;
    throw err;
  }
}

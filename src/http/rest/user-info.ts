import type { User } from '../../domain/types.js';

/** User fields Rocket.Chat's REST API sends about the caller (its `getDefaultUserFields`, as far as Orbit has them). */
const OWN_FIELDS = [
  '_id', 'name', 'username', 'nickname', 'emails', 'status', 'statusText', 'statusConnection', 'bio',
  'roles', 'active', 'avatarETag', '_updatedAt',
] as const;

/**
 * The caller's own user as `POST /api/v1/login` returns it in `data.me` (Rocket.Chat's
 * `getUserInfo`): the default fields plus the first verified `email`, `settings`, `isOAuthUser`,
 * and of the services only whether a password is set — never a hash or a token.
 */
export function userInfo(user: User): Record<string, unknown> {
  const doc = user as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of OWN_FIELDS) if (doc[k] !== undefined) out[k] = doc[k];
  const verified = user.emails?.find((e) => e.verified);
  if (verified) out.email = verified.address;
  out.settings = { profile: {}, preferences: {} };
  out.isOAuthUser = false;
  if (user.services) out.services = { password: { exists: Boolean(user.services.password?.bcrypt) } };
  return out;
}

import type { User } from '../../domain/types.js';
import { RateLimiter } from '../../lib/rate-limiter.js';
import type { PermissionsService } from '../../services/permissions-service.js';
import type { SettingsService } from '../../services/settings-service.js';
import type { RouteRateLimit } from './route.js';

/** What one counted call leaves: Rocket.Chat's `X-RateLimit-*` headers, and whether it is refused. */
export interface RateLimitVerdict {
  readonly headers: Record<string, string>;
  /** Milliseconds until the window ends when the call is over the limit, else 0. */
  readonly waitMs: number;
}

/**
 * Rocket.Chat's REST rate limiter (`ApiClass.enforceRateLimit`): each route counts the calls from
 * one client address in a fixed window and refuses past the limit with 429. The limit and window
 * are the route's own or the `API_Enable_Rate_Limiter_Limit_Calls_Default` /
 * `API_Enable_Rate_Limiter_Limit_Time_Default` settings, read at each call (changes apply at
 * once). Callers with `api-bypass-rate-limit` (admin, bot, app) are not counted;
 * `API_Enable_Rate_Limiter` off switches it off.
 */
export class RestRateLimit {
  readonly #limiter = new RateLimiter();
  readonly #settings: SettingsService;
  readonly #permissions: PermissionsService;

  constructor(settings: SettingsService, permissions: PermissionsService) {
    this.#settings = settings;
    this.#permissions = permissions;
  }

  /** Counts the call; undefined when the route, the caller or the settings exempt it. */
  check(route: string, own: RouteRateLimit | undefined, clientAddress: string, user: User | undefined): RateLimitVerdict | undefined {
    if (own === false || !this.#settings.bool('API_Enable_Rate_Limiter')) return undefined;
    if (user && this.#permissions.rolesGrant(user.roles, 'api-bypass-rate-limit')) return undefined;
    const limit = own?.numRequestsAllowed ?? this.#settings.int('API_Enable_Rate_Limiter_Limit_Calls_Default');
    const interval = own?.intervalTimeInMS ?? this.#settings.int('API_Enable_Rate_Limiter_Limit_Time_Default');
    const now = Date.now();
    const w = this.#limiter.count(`${route}\u0000${clientAddress}`, interval, now);
    return {
      headers: {
        'x-ratelimit-limit': String(limit),
        'x-ratelimit-remaining': String(Math.max(0, limit - w.count)),
        'x-ratelimit-reset': String(w.resetAt),
      },
      waitMs: w.count > limit ? Math.max(1, w.resetAt - now) : 0,
    };
  }
}

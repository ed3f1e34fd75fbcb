import type { User } from '../../domain/types.js';
import { RateLimiter } from '../../lib/rate-limiter.js';
import type { PermissionsService } from '../../services/permissions-service.js';
import type { SettingsService } from '../../services/settings-service.js';
import { RestError } from './rest-error.js';

/** Rocket.Chat's `API_Enable_Rate_Limiter_Limit_Calls_Default`. */
const CALLS_PER_WINDOW = 10;

/**
 * Rocket.Chat's REST rate limiter: each route counts the calls from one client address in a
 * window of `API_Enable_Rate_Limiter_Limit_Time_Default` ms and refuses past 10 with 429. Callers
 * with `api-bypass-rate-limit` (admin, bot, app) are not counted; `API_Enable_Rate_Limiter` off
 * switches it off.
 */
export class RestRateLimit {
  readonly #limiter = new RateLimiter();
  readonly #settings: SettingsService;
  readonly #permissions: PermissionsService;

  constructor(settings: SettingsService, permissions: PermissionsService) {
    this.#settings = settings;
    this.#permissions = permissions;
  }

  check(route: string, clientAddress: string, user: User | undefined): void {
    if (!this.#settings.bool('API_Enable_Rate_Limiter')) return;
    if (user && this.#permissions.rolesGrant(user.roles, 'api-bypass-rate-limit')) return;
    const interval = this.#settings.int('API_Enable_Rate_Limiter_Limit_Time_Default');
    const wait = this.#limiter.hit(`${route}\u0000${clientAddress}`, CALLS_PER_WINDOW, interval);
    if (wait === 0) return;
    const seconds = Math.ceil(wait / 1000);
    const reason = `Error, too many requests. Please slow down. You must wait ${seconds} seconds before trying this endpoint again.`;
    throw new RestError(429, { success: false, error: `${reason} [error-too-many-requests]` });
  }
}

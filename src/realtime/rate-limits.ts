import { tooManyRequests, type MeteorError } from '../ddp/meteor-error.js';
import type { Session } from '../ddp/session.js';
import { RateLimiter } from '../lib/rate-limiter.js';
import type { PermissionsService } from '../services/permissions-service.js';
import type { SettingsService } from '../services/settings-service.js';
import { sessionState } from './session-state.js';

interface OwnRule {
  limit: number | (() => number);
  intervalMs: number | (() => number);
  /** Whose counter: the user's (skipped when anonymous), the connection's, or one for the whole server. */
  by: 'user' | 'connection' | 'server';
  /** Permission that exempts the caller. */
  exemptPermission?: string;
}

/** Methods with their own rule; the generic per-method rules do not apply to them (ddp.md §6.4). */
function ownRules(settings: SettingsService): Record<string, OwnRule> {
  const login: OwnRule = { limit: 5, intervalMs: 10_000, by: 'connection' };
  return {
    login,
    resetPassword: login,
    forgotPassword: login,
    sendMessage: { limit: 5, intervalMs: 1000, by: 'user', exemptPermission: 'send-many-messages' },
    createDirectMessage: { limit: 10, intervalMs: 60_000, by: 'user', exemptPermission: 'send-many-messages' },
    getRoomById: { limit: 10, intervalMs: 60_000, by: 'user' },
    setUsername: { limit: 1, intervalMs: 1000, by: 'user' },
    setEmail: { limit: 1, intervalMs: 1000, by: 'user' },
    setRealName: { limit: 1, intervalMs: 1000, by: 'user' },
    setUserStatus: { limit: 1, intervalMs: 1000, by: 'user' },
    registerUser: {
      limit: () => settings.int('Rate_Limiter_Limit_RegisterUser'),
      intervalMs: () => settings.int('API_Enable_Rate_Limiter_Limit_Time_Default'),
      by: 'server',
    },
  };
}

const LOCALHOST = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** Rocket.Chat's DDP rate limits: five global rules from the settings plus the per-method rules. */
export class DdpRateLimits {
  readonly #limiter = new RateLimiter();
  readonly #own: Record<string, OwnRule>;

  constructor(
    private readonly settings: SettingsService,
    private readonly permissions: PermissionsService,
    private readonly enabled: boolean,
  ) {
    this.#own = ownRules(settings);
  }

  guard(kind: 'method' | 'sub', name: string, session: Session): MeteorError | undefined {
    if (!this.enabled) return undefined;
    const wait = Math.max(this.#globalRules(session), this.#nameRules(kind, name, session));
    return wait > 0 ? tooManyRequests(wait) : undefined;
  }

  #rule(prefix: string, key: string, count = 1, window = 1): number {
    const s = this.settings;
    if (!s.bool(`DDP_Rate_Limit_${prefix}_Enabled`)) return 0;
    return this.#limiter.hit(
      `${prefix}\u0000${key}`,
      s.int(`DDP_Rate_Limit_${prefix}_Requests_Allowed`) * count,
      s.int(`DDP_Rate_Limit_${prefix}_Interval_Time`) * window,
    );
  }

  #globalRules(session: Session): number {
    let wait = 0;
    if (!LOCALHOST.has(session.clientAddress)) wait = Math.max(wait, this.#rule('IP', session.clientAddress));
    if (session.userId) wait = Math.max(wait, this.#rule('User', session.userId));
    return Math.max(wait, this.#rule('Connection', session.id));
  }

  #nameRules(kind: 'method' | 'sub', name: string, session: Session): number {
    const own = kind === 'method' ? this.#own[name] : undefined;
    if (own) return this.#ownRule(name, own, session);
    const scale = name.startsWith('stream-') ? 4 : 1;
    let wait = 0;
    if (session.userId) wait = this.#rule('User_By_Method', `${session.userId}\u0000${name}`, scale, scale);
    return Math.max(wait, this.#rule('Connection_By_Method', `${session.id}\u0000${name}`, scale, scale));
  }

  #ownRule(name: string, rule: OwnRule, session: Session): number {
    if (rule.by === 'user' && !session.userId) return 0;
    if (rule.exemptPermission && this.permissions.rolesGrant(sessionState(session).roles, rule.exemptPermission)) return 0;
    const key = rule.by === 'user' ? session.userId! : rule.by === 'connection' ? session.id : '';
    const limit = typeof rule.limit === 'function' ? rule.limit() : rule.limit;
    const interval = typeof rule.intervalMs === 'function' ? rule.intervalMs() : rule.intervalMs;
    return this.#limiter.hit(`own\u0000${name}\u0000${key}`, limit, interval);
  }
}

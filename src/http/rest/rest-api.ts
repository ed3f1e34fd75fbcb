import type { FastifyCorsOptions, FastifyCorsOptionsDelegateCallback } from '@fastify/cors';
import type { Services } from '../../services/services.js';
import { RestRateLimit } from './rate-limit.js';
import type { Route } from './route.js';
import type { RouterDeps } from './router.js';
import { allRoutes } from './routes/index.js';

/** Everything the HTTP server needs to serve the REST API. */
export interface RestApi {
  readonly routes: readonly Route[];
  readonly deps: RouterDeps;
  /** Per-request CORS options (Rocket.Chat's `API_Enable_CORS` / `API_CORS_Origin`, read live). */
  readonly cors: FastifyCorsOptionsDelegateCallback;
}

/** The headers Rocket.Chat allows cross-origin callers to send. */
const CORS_HEADERS = ['Origin', 'X-Requested-With', 'Content-Type', 'Accept', 'X-User-Id', 'X-Auth-Token', 'x-2fa-code', 'x-2fa-method', 'Authorization'];

/** Rocket.Chat's REST API over the services: every route declaration, the auth and rate-limit dependencies, CORS. */
export function createRestApi(services: Services, opts: { rateLimit: boolean; version: string }): RestApi {
  const limits = opts.rateLimit ? new RestRateLimit(services.settings, services.permissions) : undefined;
  const cors: FastifyCorsOptionsDelegateCallback = (_req, cb) => {
    if (!services.settings.bool('API_Enable_CORS')) return cb(null, { origin: false });
    const allowed = services.settings.string('API_CORS_Origin').trim();
    const origin: FastifyCorsOptions['origin'] =
      allowed === '*' || allowed === '' ? '*' : allowed.split(',').map((o) => o.trim()).filter(Boolean);
    cb(null, { origin, methods: ['GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'PATCH'], allowedHeaders: CORS_HEADERS, exposedHeaders: ['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset'] });
  };
  return {
    routes: allRoutes(services, { version: opts.version }),
    deps: { auth: services.auth, permissions: services.permissions, ...(limits ? { limits } : {}) },
    cors,
  };
}

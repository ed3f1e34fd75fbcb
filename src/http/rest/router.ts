import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { User } from '../../domain/types.js';
import type { AuthService } from '../../services/auth-service.js';
import { authenticate } from './auth.js';
import { readJsonBody } from './body.js';
import type { RestRateLimit } from './rate-limit.js';
import { RestError, toRestError, unauthorized, type RestResult } from './rest-error.js';

export const API_PREFIX = '/api/v1/';

/** One REST request as an endpoint sees it. `user` is the authenticated caller on `auth` routes. */
export interface RestRequest<U extends User | undefined = User | undefined> {
  readonly user: U;
  /** The parsed JSON body of a POST (`{}` when empty); `{}` for a GET. */
  readonly body: Record<string, unknown>;
  readonly query: URLSearchParams;
  readonly clientAddress: string;
}

interface RouteBase {
  method: 'GET' | 'POST';
  /** The path after `/api/v1/`, e.g. `chat.sendMessage`. */
  path: string;
  /** The DDP method the endpoint stands for: domain errors name it in `details.method`. */
  errorsAs: string;
}

/** An endpoint: `auth` routes refuse a request without a valid X-User-Id / X-Auth-Token with 401. */
export type RestRoute =
  | (RouteBase & { auth: true; handle(req: RestRequest<User>): Promise<RestResult> })
  | (RouteBase & { auth: false; handle(req: RestRequest<undefined>): Promise<RestResult> });

const internalError = (): RestResult => ({ status: 500, body: { success: false, error: 'Internal server error' } });

/**
 * Rocket.Chat's REST API (`/api/v1/…`), for the paths it has routes for: authentication, JSON
 * bodies, and every failure in Rocket.Chat's shape. Unknown paths are left to the HTTP server.
 */
export class RestRouter {
  readonly #routes = new Map<string, Map<string, RestRoute>>();
  readonly #auth: AuthService;
  readonly #logger: Logger;
  readonly #limits: RestRateLimit | undefined;

  /** `limits` is absent when rate limiting is switched off (ORBIT_RATE_LIMIT=false). */
  constructor(routes: readonly RestRoute[], auth: AuthService, logger: Logger, limits?: RestRateLimit) {
    this.#auth = auth;
    this.#logger = logger;
    this.#limits = limits;
    for (const r of routes) {
      const byMethod = this.#routes.get(r.path) ?? new Map<string, RestRoute>();
      if (byMethod.has(r.method)) throw new Error(`duplicate REST route ${r.method} ${r.path}`);
      byMethod.set(r.method, r);
      this.#routes.set(r.path, byMethod);
    }
  }

  /** True when the request is for one of the routes' paths; it is then answered asynchronously. */
  handle(req: IncomingMessage, res: ServerResponse, path: string): boolean {
    if (!path.startsWith(API_PREFIX)) return false;
    const byMethod = this.#routes.get(path.slice(API_PREFIX.length));
    if (!byMethod) return false;
    void this.#serve(req, res, byMethod);
    return true;
  }

  async #serve(req: IncomingMessage, res: ServerResponse, byMethod: Map<string, RestRoute>): Promise<void> {
    const route = byMethod.get(req.method ?? '');
    let result: RestResult;
    try {
      if (!route) throw new RestError(405, { success: false, error: 'Method not allowed' });
      result = await this.#run(route, req);
    } catch (err) {
      const known = toRestError(err, route?.errorsAs ?? '');
      if (!known) this.#logger.error({ err, method: req.method, url: req.url }, 'REST endpoint failed');
      result = known ? { status: known.status, body: known.body } : internalError();
    }
    send(res, result);
  }

  async #run(route: RestRoute, req: IncomingMessage): Promise<RestResult> {
    const query = new URL(req.url ?? '/', 'http://orbit').searchParams;
    const clientAddress = req.socket.remoteAddress ?? '';
    const user = route.auth ? await authenticate(req, this.#auth) : undefined;
    if (route.auth && !user) throw unauthorized();
    this.#limits?.check(`${route.method} ${route.path}`, clientAddress, user);
    const body = route.method === 'POST' ? await readJsonBody(req) : {};
    return route.auth
      ? route.handle({ user: user!, body, query, clientAddress })
      : route.handle({ user: undefined, body, query, clientAddress });
  }
}

function send(res: ServerResponse, result: RestResult): void {
  const text = JSON.stringify(result.body);
  const headers: Record<string, string | number> = {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  };
  // The rest of an oversized body is never read: the connection cannot be reused.
  if (result.status === 413) headers.connection = 'close';
  res.writeHead(result.status, headers);
  res.end(text);
}

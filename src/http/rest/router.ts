import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuthService } from '../../services/auth-service.js';
import type { PermissionsService } from '../../services/permissions-service.js';
import { authenticate, hasAuthHeaders } from './auth.js';
import { routeSchema } from './openapi.js';
import type { RestRateLimit } from './rate-limit.js';
import { forbidden, tooManyRequests, unauthorized } from './rest-error.js';
import { RestReply, routeUrl, type Caller, type Route } from './route.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated caller of a REST route, when there is one. */
    caller: Caller | undefined;
  }
  interface FastifyContextConfig {
    /** The declaration a REST route was registered from. */
    route?: Route;
  }
}

export interface RouterDeps {
  auth: AuthService;
  permissions: PermissionsService;
  /** Absent when rate limiting is switched off (ORBIT_RATE_LIMIT=false). */
  limits?: RestRateLimit;
}

/**
 * Registers route declarations on the HTTP server. Per request, in order: the caller from
 * X-User-Id / X-Auth-Token (401 on an `auth: true` route without a valid pair), the rate limit
 * (429), the declared permissions (403) — all before the body is read — then the body, the
 * query / body / path schemas (400 `invalid-params`), the handler, and the answer in Rocket.Chat's
 * envelope. Failures reach the error handler (error-handler.ts).
 */
export function registerRoutes(app: FastifyInstance, routes: readonly Route[], deps: RouterDeps): void {
  if (!app.hasRequestDecorator('caller')) app.decorateRequest('caller', undefined);
  const seen = new Set<string>();
  for (const r of routes) {
    const key = `${r.method} ${routeUrl(r)}`;
    if (seen.has(key)) throw new Error(`duplicate REST route ${key}`);
    seen.add(key);
    app.route({
      method: r.method,
      url: routeUrl(r),
      schema: routeSchema(r),
      config: { route: r },
      onRequest: (req, reply) => admit(r, req, reply, deps),
      preValidation: async (req) => {
        // A POST without a body validates as `{}` (Rocket.Chat's empty bodyParams).
        if (req.body === undefined && r.body) req.body = {};
      },
      handler: (req, reply) => answer(r, req, reply),
    });
  }
}

async function admit(r: Route, req: FastifyRequest, reply: FastifyReply, deps: RouterDeps): Promise<void> {
  const caller = r.auth === true || hasAuthHeaders(req.headers) ? await authenticate(req.headers, deps.auth) : undefined;
  if (r.auth === true && !caller) throw unauthorized();
  req.caller = caller;
  const verdict = deps.limits?.check(`${r.method} ${r.path}`, r.rateLimit, req.ip, caller?.user);
  if (verdict) {
    if (verdict.waitMs > 0) throw tooManyRequests(verdict.waitMs, verdict.headers);
    // Set now, so that every answer (failures included) carries them.
    reply.headers(verdict.headers);
  }
  if (r.permissions && !(await deps.permissions.hasAll(caller?.user, r.permissions))) throw forbidden();
}

async function answer(r: Route, req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  const out = await r.handle({
    user: req.caller?.user,
    hashedToken: req.caller?.hashedToken,
    query: req.query ?? {},
    body: req.body ?? {},
    params: req.params ?? {},
    headers: req.headers,
    clientAddress: req.ip,
  } as Parameters<Route['handle']>[0]);
  if (out instanceof RestReply) {
    reply.code(out.status).headers(out.headers).type('application/json');
    return reply.send(JSON.stringify(out.body));
  }
  return reply.send({ ...(out as Record<string, unknown>), success: true });
}

import type { IncomingHttpHeaders } from 'node:http';
import type { z } from 'zod';
import type { User } from '../../domain/types.js';

/** Who may call a route: `true` a logged-in caller (401 otherwise), `false` anyone, `'optional'` anyone, the caller known when headers are sent. */
export type AuthMode = boolean | 'optional';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** The caller's identity on an authenticated request: the user and the hash of the token used. */
export interface Caller {
  readonly user: User;
  readonly hashedToken: string;
}

type UserFor<A extends AuthMode> = A extends true ? User : User | undefined;
type Out<S> = S extends z.ZodType ? z.output<S> : Record<string, never>;

/** What a route's handler receives: the validated query, body and path params, and the caller. */
export interface RouteContext<A extends AuthMode = AuthMode, Q = unknown, B = unknown, P = unknown> {
  readonly user: UserFor<A>;
  /** Set when the caller authenticated (`user` set): the hash of the login token or access token used. */
  readonly hashedToken: string | undefined;
  readonly query: Q;
  readonly body: B;
  readonly params: P;
  readonly headers: IncomingHttpHeaders;
  readonly clientAddress: string;
}

/** A response other than `{...fields, success: true}` with 200: any status, any JSON body, extra headers. */
export class RestReply {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {}
}

/** Per-route rate limit: calls per window for one client address (Rocket.Chat's `rateLimiterOptions`); false = none. */
export type RouteRateLimit = false | { numRequestsAllowed?: number; intervalTimeInMS?: number };

/**
 * A route as data: everything the framework needs to register it, validate its input, answer in
 * Rocket.Chat's envelope, map its errors, rate-limit it and document it.
 */
export interface RouteSpec<
  A extends AuthMode = AuthMode,
  Q extends z.ZodType | undefined = z.ZodType | undefined,
  B extends z.ZodType | undefined = z.ZodType | undefined,
  P extends z.ZodType | undefined = z.ZodType | undefined,
  R extends z.ZodType | undefined = z.ZodType | undefined,
> {
  method: HttpMethod;
  /** The path after `/api/v1/` (`rooms.info`, `method.call/:method`), or an absolute one starting with `/`. */
  path: string;
  auth: A;
  /**
   * The DDP method the route stands for: domain errors name it in `details.method`, as they do
   * over DDP. Routes with no DDP twin name Rocket.Chat's server function the error comes from.
   */
  ddp: string;
  /** One line for the OpenAPI document. */
  summary: string;
  query?: Q;
  body?: B;
  /** Path parameters (`:method` in `method.call/:method`). */
  params?: P;
  /** The success fields (without `success: true`); documents the route and types the handler's result. */
  response?: R;
  /**
   * Permissions the caller must all hold (checked after auth, before the body is validated):
   * 403 `error-unauthorized` otherwise. Per-room checks stay in the services.
   */
  permissions?: readonly string[];
  /** Rocket.Chat's per-route rate limit override; default: the `API_Enable_Rate_Limiter_*` settings. */
  rateLimit?: RouteRateLimit;
  /** Fields answered with `success: true`, or a RestReply for any other answer. */
  handle(ctx: RouteContext<A, Out<Q>, Out<B>, Out<P>>): Promise<(R extends z.ZodType ? z.input<R> : Record<string, unknown>) | RestReply>;
}

/** A route whose types have been checked, as the registry stores it. */
export type Route = RouteSpec<AuthMode, z.ZodType | undefined, z.ZodType | undefined, z.ZodType | undefined, z.ZodType | undefined> & {
  readonly __route: true;
};

/**
 * Declares a route: the handler's `user`, `query`, `body`, `params` and result are typed from the
 * declaration. Route files export `(services) => Route[]` built with this.
 */
export function defineRoute<
  A extends AuthMode,
  Q extends z.ZodType | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
  P extends z.ZodType | undefined = undefined,
  R extends z.ZodType | undefined = undefined,
>(spec: RouteSpec<A, Q, B, P, R>): Route {
  return { ...(spec as unknown as RouteSpec), __route: true };
}

/** The full URL path of a route. */
export const routeUrl = (r: Pick<Route, 'path'>): string => (r.path.startsWith('/') ? r.path : `/api/v1/${r.path}`);

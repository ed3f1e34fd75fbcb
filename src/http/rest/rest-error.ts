import { MeteorError } from '../../ddp/meteor-error.js';
import { DomainError } from '../../domain/errors.js';
import { mapError } from '../../realtime/error-map.js';

/** What an endpoint answers: an HTTP status and a JSON body. */
export interface RestResult {
  status: number;
  body: unknown;
}

/** Rocket.Chat's `API.v1.success`: the fields plus `success: true`. */
export function success(fields: Record<string, unknown> = {}): RestResult {
  return { status: 200, body: { ...fields, success: true } };
}

/** A response decided by the REST layer itself (bad input, no auth, too large …); thrown, then sent as is. */
export class RestError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    /** Extra response headers (`X-RateLimit-*` on a 429, `Connection: close` on a 413). */
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof body.error === 'string' ? body.error : `HTTP ${status}`);
    this.name = 'RestError';
  }
}

/**
 * Rocket.Chat's `API.v1.failure(message, errorType, stack, error)`: 400 with `error` = the error's
 * message (`"<reason> [<code>]"` for a Meteor error), `errorType` = its code and its `details`.
 */
export function failure(error: string, errorType?: string | number, details?: unknown): RestError {
  const body: Record<string, unknown> = { success: false, error };
  if (errorType !== undefined) body.errorType = errorType;
  if (details !== undefined) body.details = details;
  return new RestError(400, body);
}

/** A Meteor error thrown by the endpoint itself: `error` = `"<reason> [<code>]"`, `errorType` = the code. */
export function meteorFailure(code: string, reason: string, details?: unknown): RestError {
  return failure(`${reason} [${code}]`, code, details);
}

/** A request whose parameters do not fit the endpoint's schema (Rocket.Chat's `invalid-params`). */
export function invalidParams(reason: string): RestError {
  return meteorFailure('invalid-params', reason);
}

/** 401 for a missing or unknown X-User-Id / X-Auth-Token (with the pre-8.0 `status`/`message` fields). */
export function unauthorized(): RestError {
  const message = 'You must be logged in to do this.';
  return new RestError(401, { success: false, error: message, status: 'error', message });
}

/** Rocket.Chat's `API.v1.forbidden()`: 403 for a caller without a permission the route requires. */
export function forbidden(error = 'User does not have the permissions required for this action [error-unauthorized]'): RestError {
  return new RestError(403, { success: false, error });
}

/** Rocket.Chat's `API.v1.notFound()`. */
export function notFound(error = 'Resource not found'): RestError {
  return new RestError(404, { success: false, error });
}

/** 429 from the REST rate limiter (`error-too-many-requests`, the wait in whole seconds). */
export function tooManyRequests(waitMs: number, headers: Record<string, string> = {}): RestError {
  const seconds = Math.ceil(waitMs / 1000);
  const reason = `Error, too many requests. Please slow down. You must wait ${seconds} seconds before trying this endpoint again.`;
  return new RestError(429, { success: false, error: `${reason} [error-too-many-requests]` }, headers);
}

/**
 * A thrown error as Rocket.Chat's REST wrapper answers it: `error-unauthorized` → 403,
 * `too-many-requests` → 429, any other Meteor or domain error → 400 failure. `method` is the DDP
 * method the endpoint stands for, which domain errors name in `details.method`. Anything else is
 * not ours to describe: undefined (the router logs it and answers 500).
 */
export function toRestError(err: unknown, method: string): RestError | undefined {
  if (err instanceof RestError) return err;
  const meteor = err instanceof MeteorError ? err : err instanceof DomainError ? mapError(err, 'method', method) : undefined;
  if (!meteor) return undefined;
  if (meteor.error === 'error-unauthorized' || meteor.error === 'unauthorized') {
    return new RestError(403, { success: false, error: meteor.message });
  }
  if (meteor.error === 'too-many-requests' || meteor.error === 'error-too-many-requests') {
    return new RestError(429, { success: false, error: meteor.message });
  }
  return failure(meteor.message, meteor.error, meteor.details);
}

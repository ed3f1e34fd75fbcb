import { MeteorError, tooManyRequests } from '../ddp/meteor-error.js';
import { DomainError, RateLimitedError } from '../domain/errors.js';

/**
 * Domain error → the Meteor error Rocket.Chat sends. The code and reason are carried by the
 * domain error; here they get Rocket.Chat's wire conventions: numeric codes as numbers and
 * `details.method` unless the error says otherwise (see DomainError).
 */
export function mapError(err: unknown, _kind: 'method' | 'sub', name: string): MeteorError | undefined {
  if (err instanceof RateLimitedError) return tooManyRequests(err.timeToResetMs);
  if (!(err instanceof DomainError)) return undefined;
  const code = /^\d+$/.test(err.code) ? Number(err.code) : err.code;
  return new MeteorError(code, err.reason, wireDetails(err.details, name));
}

function wireDetails(details: Record<string, unknown> | null | undefined, method: string): unknown {
  if (details === null) return undefined;
  if (details === undefined) return { method };
  if ('function' in details || 'method' in details) return details;
  return { method, ...details };
}

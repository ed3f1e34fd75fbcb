/**
 * Domain errors, thrown by services. Each carries a stable code from Orbit's error catalogue
 * (the codes are Rocket.Chat's, since they are the product's vocabulary), a human reason and
 * optional details. How they look on the wire is decided in realtime/error-map.ts.
 *
 * `details`: undefined → the wire error gets `{method}`; an object → merged after `method`,
 * unless it names a `function` (Rocket.Chat's helper-level errors), then sent as given;
 * null → no details at all.
 */
export abstract class DomainError extends Error {
  abstract readonly kind:
    | 'not-found'
    | 'forbidden'
    | 'unauthenticated'
    | 'invalid-argument'
    | 'conflict'
    | 'rate-limited'
    | 'precondition';

  constructor(
    readonly code: string,
    readonly reason?: string,
    readonly details?: Record<string, unknown> | null,
  ) {
    super(reason ?? code);
    this.name = new.target.name;
  }
}

export class NotFoundError extends DomainError {
  readonly kind = 'not-found' as const;
}
export class ForbiddenError extends DomainError {
  readonly kind = 'forbidden' as const;
}
export class UnauthenticatedError extends DomainError {
  readonly kind = 'unauthenticated' as const;
}
export class InvalidArgumentError extends DomainError {
  readonly kind = 'invalid-argument' as const;
}
export class ConflictError extends DomainError {
  readonly kind = 'conflict' as const;
}
export class PreconditionError extends DomainError {
  readonly kind = 'precondition' as const;
}
export class RateLimitedError extends DomainError {
  readonly kind = 'rate-limited' as const;
  constructor(readonly timeToResetMs: number) {
    super('too-many-requests', 'Error, too many requests. Please slow down.');
  }
}

/** The errors most methods share. */
export const Errors = {
  invalidUser: (details?: Record<string, unknown> | null) => new UnauthenticatedError('error-invalid-user', 'Invalid user', details),
  invalidRoom: (details?: Record<string, unknown> | null) => new NotFoundError('error-invalid-room', 'Invalid room', details),
  notAllowed: (details?: Record<string, unknown> | null) => new ForbiddenError('error-not-allowed', 'Not allowed', details),
  notAuthorized: (details?: Record<string, unknown> | null) => new ForbiddenError('error-not-authorized', 'Not authorized', details),
  userNotInRoom: (reason = 'User is not in this room') => new PreconditionError('error-user-not-in-room', reason),
} as const;

/** The Meteor error object, the only error form a DDP client ever sees. */
export class MeteorError extends Error {
  constructor(
    readonly error: string | number,
    readonly reason?: string,
    readonly details?: unknown,
  ) {
    super(reason ? `${reason} [${error}]` : `[${error}]`);
    this.name = 'MeteorError';
  }
}

export interface WireError {
  isClientSafe: true;
  error: string | number;
  reason?: string;
  details?: unknown;
  message: string;
  errorType: 'Meteor.Error';
}

/** Serializes a MeteorError with the field order real servers use. */
export function toWire(e: MeteorError): WireError {
  const out: WireError = { isClientSafe: true, error: e.error } as WireError;
  if (e.reason !== undefined) out.reason = e.reason;
  if (e.details !== undefined) out.details = e.details;
  out.message = e.message;
  out.errorType = 'Meteor.Error';
  return out;
}

/** Meteor's `check()` failure, as it appears on the wire. */
export const matchFailed = (): MeteorError => new MeteorError(400, 'Match failed');
export const internalError = (): MeteorError => new MeteorError(500, 'Internal server error');
export const notFound = (what: 'Method' | 'Subscription', name: string): MeteorError =>
  new MeteorError(404, `${what} '${name}' not found`);

export function tooManyRequests(timeToResetMs: number): MeteorError {
  const seconds = Math.ceil(timeToResetMs / 1000);
  return new MeteorError(
    'too-many-requests',
    `Error, too many requests. Please slow down. You must wait ${seconds} seconds before trying again.`,
    { timeToReset: timeToResetMs },
  );
}

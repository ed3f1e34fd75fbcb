import { describe, expect, it } from 'vitest';
import { MeteorError } from '../../ddp/meteor-error.js';
import { Errors, ForbiddenError, InvalidArgumentError, RateLimitedError } from '../../domain/errors.js';
import { RestError, failure, success, toRestError } from './rest-error.js';

describe('REST error shapes (Rocket.Chat API.v1)', () => {
  it('success adds success:true to the fields', () => {
    expect(success({ room: { _id: 'r' } })).toEqual({ status: 200, body: { room: { _id: 'r' }, success: true } });
  });

  it('a domain error is a 400 failure: "<reason> [<code>]", errorType = code, details.method = the DDP method', () => {
    const e = toRestError(Errors.notAllowed(), 'joinRoom')!;
    expect(e.status).toBe(400);
    expect(e.body).toEqual({ success: false, error: 'Not allowed [error-not-allowed]', errorType: 'error-not-allowed', details: { method: 'joinRoom' } });
  });

  it('details given by the error are kept; null details are left out', () => {
    const withDetails = toRestError(new InvalidArgumentError('error-x', 'X', { field: 'a' }), 'm')!;
    expect(withDetails.body.details).toEqual({ method: 'm', field: 'a' });
    const without = toRestError(new ForbiddenError('error-y', 'Y', null), 'm')!;
    expect(without.body).not.toHaveProperty('details');
  });

  it('error-unauthorized is a 403; too-many-requests a 429', () => {
    expect(toRestError(new MeteorError('error-unauthorized', 'Nope'), 'm')).toMatchObject({ status: 403, body: { success: false, error: 'Nope [error-unauthorized]' } });
    expect(toRestError(new RateLimitedError(1500), 'm')!.status).toBe(429);
  });

  it('a RestError passes as is; anything else is not described (the router answers 500)', () => {
    const f = failure('boom');
    expect(toRestError(f, 'm')).toBe(f);
    expect(f.body).toEqual({ success: false, error: 'boom' });
    expect(toRestError(new Error('SQLITE_BUSY'), 'm')).toBeUndefined();
    expect(toRestError(new RestError(413, { success: false }), 'm')!.status).toBe(413);
  });
});

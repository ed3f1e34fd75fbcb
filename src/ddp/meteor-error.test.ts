import { describe, expect, it } from 'vitest';
import { stringifyEjson } from './ejson.js';
import { internalError, matchFailed, MeteorError, notFound, toWire, tooManyRequests } from './meteor-error.js';

const wire = (e: MeteorError) => stringifyEjson(toWire(e));

describe('the Meteor error object (ddp.md §6)', () => {
  it('field order isClientSafe, error, reason, details, message, errorType (§6.1)', () => {
    expect(wire(new MeteorError('error-user-not-in-room', 'User is not in this room', { method: 'addRoomLeader' }))).toBe(
      '{"isClientSafe":true,"error":"error-user-not-in-room","reason":"User is not in this room","details":{"method":"addRoomLeader"},"message":"User is not in this room [error-user-not-in-room]","errorType":"Meteor.Error"}',
    );
  });

  it('reason and details are left out when not set; message is then "[<error>]"', () => {
    expect(wire(new MeteorError('not-allowed'))).toBe('{"isClientSafe":true,"error":"not-allowed","message":"[not-allowed]","errorType":"Meteor.Error"}');
    expect(wire(new MeteorError(403, 'User not found'))).toBe(
      '{"isClientSafe":true,"error":403,"reason":"User not found","message":"User not found [403]","errorType":"Meteor.Error"}',
    );
  });

  it('numeric codes stay numbers (404, 400, 500)', () => {
    expect(toWire(notFound('Method', 'x')).error).toBe(404);
    expect(wire(matchFailed())).toBe('{"isClientSafe":true,"error":400,"reason":"Match failed","message":"Match failed [400]","errorType":"Meteor.Error"}');
    expect(wire(internalError())).toBe(
      '{"isClientSafe":true,"error":500,"reason":"Internal server error","message":"Internal server error [500]","errorType":"Meteor.Error"}',
    );
  });

  it.each([
    [2790, 3],
    [1000, 1],
    [1001, 2],
    [1, 1],
    [60_000, 60],
  ])('too-many-requests after %i ms says "You must wait %i seconds" (ceil, §6.4)', (ms, seconds) => {
    const reason = `Error, too many requests. Please slow down. You must wait ${seconds} seconds before trying again.`;
    expect(wire(tooManyRequests(ms))).toBe(
      `{"isClientSafe":true,"error":"too-many-requests","reason":"${reason}","details":{"timeToReset":${ms}},"message":"${reason} [too-many-requests]","errorType":"Meteor.Error"}`,
    );
  });
});

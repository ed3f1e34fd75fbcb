import type { z } from 'zod';
import { matchFailed } from '../ddp/meteor-error.js';

/** Meteor `check()`: the value must match the schema, or the call fails with 400 "Match failed". */
export function check<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw matchFailed();
  return r.data;
}

export const isString = (v: unknown): v is string => typeof v === 'string';

export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date) && !(v instanceof Uint8Array);

/** Meteor's `Match.Maybe(Date)`: a date, or null/undefined; anything else is a 400 `Match failed`. */
export function maybeDate(v: unknown): Date | undefined {
  if (v === undefined || v === null) return undefined;
  if (v instanceof Date && !Number.isNaN(v.getTime())) return v;
  throw matchFailed();
}

/** A date param as clients send it (EJSON `{$date}`); anything else is "no date". */
export const asDate = (v: unknown): Date | undefined => (v instanceof Date && !Number.isNaN(v.getTime()) ? v : undefined);

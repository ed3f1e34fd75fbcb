import type { z } from 'zod';
import { invalidParams } from './rest-error.js';

/**
 * The request's parameters must match the endpoint's schema (Rocket.Chat validates them with
 * ajv before the action runs); otherwise 400 `invalid-params`, naming the first problem.
 */
export function parseParams<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'params';
  throw invalidParams(`${where}: ${issue?.message ?? 'invalid'}`);
}

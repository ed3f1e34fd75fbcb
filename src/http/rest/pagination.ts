import { z } from 'zod';
import type { SettingsService } from '../../services/settings-service.js';
import { meteorFailure } from './rest-error.js';

/** A non-negative integer sent as a query string (`offset=20`); an empty value is "not given". */
const queryInt = z.preprocess(
  (v) => (typeof v === 'string' ? (v.trim() === '' ? undefined : Number(v)) : v),
  z.number().int().min(0).max(1_000_000_000).optional(),
);
/** A JSON parameter (`sort={"ts":-1}`), parsed by parseSort / parseFields / parseFilter. */
const jsonParam = z.string().max(4096).optional();

/**
 * The query parameters of every paged list (Rocket.Chat's `getPaginationItems` + `parseJsonQuery`):
 * `offset`, `count`, and the JSON `sort`, `fields`, `query`. Extend it with the route's own:
 * `pageQuery.extend({ roomId: z.string() })`.
 */
export const pageQuery = z.object({ offset: queryInt, count: queryInt, sort: jsonParam, fields: jsonParam, query: jsonParam });
export type PageQuery = z.output<typeof pageQuery>;

export interface Page {
  offset: number;
  count: number;
}

/**
 * `offset` (default 0) and `count`: `API_Default_Count` when absent, at most
 * `API_Upper_Count_Limit`. `count=0` asks for everything in Rocket.Chat (with
 * `API_Allow_Infinite_Count`); Orbit then answers the upper limit (decision: no unbounded reads).
 */
export function pageOf(q: Pick<PageQuery, 'offset' | 'count'>, settings: SettingsService): Page {
  const upper = settings.int('API_Upper_Count_Limit') > 0 ? settings.int('API_Upper_Count_Limit') : 100;
  const fallback = settings.int('API_Default_Count') > 0 ? settings.int('API_Default_Count') : 50;
  let count = q.count ?? fallback;
  if (count === 0) count = settings.bool('API_Allow_Infinite_Count') ? upper : fallback;
  return { offset: q.offset ?? 0, count: Math.min(count, upper) };
}

/** The fields Rocket.Chat adds to a paged answer: the page's size, where it starts, and the total. */
export const paged = (items: readonly unknown[], page: Page, total: number) => ({ count: items.length, offset: page.offset, total });

/**
 * A JSON object parameter whose keys are all in `allowed` (never an operator: `$…` keys, nested
 * paths to unknown fields and prototype keys are refused) and whose values pass `valid`; else
 * Rocket.Chat's 400 `code` naming the parameter.
 */
function parseJsonObject<V>(
  raw: string | undefined,
  allowed: readonly string[],
  valid: (v: unknown) => v is V,
  code: string,
  what: string,
): Record<string, V> | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const fail = () => meteorFailure(code, `Invalid ${what} parameter provided: "${raw}"`, { helperMethod: 'parseJsonQuery' });
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw fail();
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw fail();
  const out: Record<string, V> = {};
  for (const [k, v] of Object.entries(parsed)) {
    if (!allowed.includes(k) || !valid(v)) throw fail();
    out[k] = v;
  }
  return out;
}

const isDirection = (v: unknown): v is 1 | -1 => v === 1 || v === -1;
const isInclusion = (v: unknown): v is 0 | 1 => v === 0 || v === 1;
const isScalar = (v: unknown): v is string | number | boolean => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/** `sort={"ts":-1}`: fields from `allowed`, each 1 or -1 (else 400 `error-invalid-sort`). */
export const parseSort = (raw: string | undefined, allowed: readonly string[]): Record<string, 1 | -1> | undefined =>
  parseJsonObject(raw, allowed, isDirection, 'error-invalid-sort', 'sort');

/** `fields={"name":1}`: a projection over `allowed`, each 0 or 1 (else 400 `error-invalid-fields`). */
export const parseFields = (raw: string | undefined, allowed: readonly string[]): Record<string, 0 | 1> | undefined =>
  parseJsonObject(raw, allowed, isInclusion, 'error-invalid-fields', 'fields');

/**
 * `query={"type":"user"}`: equality on `allowed` fields with plain values only — no operators, no
 * nested objects (else 400 `error-invalid-query`). Rocket.Chat 7 ignores `query` unless an
 * environment flag allows it; Orbit takes this safe subset.
 */
export const parseFilter = (raw: string | undefined, allowed: readonly string[]): Record<string, string | number | boolean> | undefined =>
  parseJsonObject(raw, allowed, isScalar, 'error-invalid-query', 'query');

/**
 * Date-aware JSON for stored documents. A Date is written as `{"$date": ms}` and read back as a
 * Date, at any depth. A plain object that would read back as a marker (`{"$date": ...}` or
 * `{"$escape": ...}` written by a caller) is wrapped in `{"$escape": {...}}`, so every value
 * round-trips verbatim. `undefined` members are dropped, as JSON.stringify does.
 *
 * Shared by the SQLite and PostgreSQL backends (it knows nothing about either).
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const DATE = '$date';
const ESCAPE = '$escape';

/** Assigns an own property, including one named `__proto__` (a plain assignment would set the prototype). */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

function looksLikeMarker(keys: string[]): boolean {
  return keys.length === 1 && (keys[0] === DATE || keys[0] === ESCAPE);
}

function toJson(value: unknown): Json | undefined {
  if (value === null || typeof value !== 'object') {
    if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return undefined;
    if (typeof value === 'bigint') return Number(value);
    return value as Json;
  }
  if (value instanceof Date) return { [DATE]: value.getTime() };
  if (Array.isArray(value)) return value.map((v) => toJson(v) ?? null);
  const src = value as Record<string, unknown>;
  if (typeof (src as { toJSON?: unknown }).toJSON === 'function') return toJson((src as { toJSON: () => unknown }).toJSON());
  const keys = Object.keys(src);
  const out: Record<string, Json> = {};
  for (const k of keys) {
    const v = toJson(src[k]);
    if (v !== undefined) setOwn(out, k, v);
  }
  return looksLikeMarker(keys) ? { [ESCAPE]: out } : out;
}

/** The JSON-safe form of a document (Dates as markers), for drivers that serialize it themselves. */
export function toStoredValue(value: unknown): unknown {
  return toJson(value) ?? null;
}

/** Encodes a document as JSON text. */
export function encodeDoc(value: unknown): string {
  return JSON.stringify(toJson(value) ?? null);
}

function fromJson(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      if (v !== null && typeof v === 'object') value[i] = fromJson(v);
    }
    return value;
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (keys.length === 1) {
    const k = keys[0]!;
    const v = obj[k];
    if (k === DATE && typeof v === 'number') return new Date(v);
    if (k === ESCAPE && v !== null && typeof v === 'object' && !Array.isArray(v)) return decodeMembers(v as Record<string, unknown>);
  }
  return decodeMembers(obj);
}

function decodeMembers(obj: Record<string, unknown>): Record<string, unknown> {
  for (const k of Object.keys(obj)) {
    const v = obj[k];
    if (v !== null && typeof v === 'object') {
      const decoded = fromJson(v);
      if (decoded !== v) setOwn(obj, k, decoded);
    }
  }
  return obj;
}

/** Decodes a value already parsed from JSON (e.g. a PostgreSQL jsonb column), in place. */
export function fromStoredValue<T>(value: unknown): T {
  return fromJson(value) as T;
}

/** Decodes JSON text written by encodeDoc. */
export function decodeDoc<T>(text: string): T {
  const value: unknown = JSON.parse(text);
  // No marker anywhere in the text: nothing to decode.
  return (text.includes('"$') ? fromJson(value) : value) as T;
}

/**
 * EJSON as DDP uses it: JSON plus `{$date}`, `{$binary}`, `{$InfNaN}`, `{$escape}` and
 * `{$type,$value}` (kept as a plain object). Dates are the only type Rocket.Chat clients send.
 */

export class EjsonError extends Error {}

const B64 = 'base64';

/** Parses a JSON text and decodes the EJSON types in it. Throws SyntaxError on bad JSON, EjsonError on bad EJSON. */
export function parseEjson(text: string): unknown {
  const value: unknown = JSON.parse(text);
  // Fast path: no EJSON marker anywhere in the text (a `$` may also arrive escaped as \u0024).
  return text.includes('"$') || text.includes('\\u0024') ? decode(value) : value;
}

/** Sets an own property, also one named `__proto__` (a plain assignment would set the prototype). */
function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

export function decode(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = decode(value[i]);
    return value;
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (keys.length === 1) {
    const k = keys[0]!;
    const v = obj[k];
    switch (k) {
      case '$date':
        if (typeof v !== 'number' || !Number.isFinite(v)) throw new EjsonError('invalid $date');
        return new Date(v);
      case '$binary':
        if (typeof v !== 'string') throw new EjsonError('invalid $binary');
        return new Uint8Array(Buffer.from(v, B64));
      case '$InfNaN':
        if (v === 1) return Infinity;
        if (v === -1) return -Infinity;
        if (v === 0) return NaN;
        throw new EjsonError('invalid $InfNaN');
      case '$escape': {
        if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new EjsonError('invalid $escape');
        const out: Record<string, unknown> = {};
        for (const [ik, iv] of Object.entries(v)) setOwn(out, ik, decode(iv));
        return out;
      }
    }
  }
  for (const k of keys) obj[k] = decode(obj[k]);
  return obj;
}

const EJSON_KEYS = new Set(['$date', '$binary', '$InfNaN', '$escape', '$type']);

/** Objects produced as the inside of an `$escape` wrapper: their keys are literal, not re-escaped. */
const escaped = new WeakSet<object>();

/** Whether a plain object would read back as an EJSON type (and so must be sent escaped). */
function looksLikeEjson(v: object): boolean {
  const keys = Object.keys(v);
  if (keys.length === 1) return EJSON_KEYS.has(keys[0]!);
  return keys.length === 2 && keys.includes('$type') && keys.includes('$value');
}

function replacer(this: Record<string, unknown>, key: string, v: unknown): unknown {
  const original = this[key];
  if (original instanceof Date) return Number.isNaN(original.getTime()) ? null : { $date: original.getTime() };
  if (original instanceof Uint8Array) return { $binary: Buffer.from(original.buffer, original.byteOffset, original.byteLength).toString(B64) };
  if (typeof v === 'number' && !Number.isFinite(v)) return { $InfNaN: Number.isNaN(v) ? 0 : v > 0 ? 1 : -1 };
  if (v !== null && typeof v === 'object' && !Array.isArray(v) && !escaped.has(v) && looksLikeEjson(v)) {
    const inner = { ...v };
    escaped.add(inner);
    return { $escape: inner };
  }
  return v;
}

/**
 * Encodes a value as EJSON text: every Date becomes `{"$date": ms}`, binary `{"$binary"}`,
 * non-finite numbers `{"$InfNaN"}`; a plain object that would read back as one of these is sent
 * as `{"$escape": …}`; `undefined` members are dropped. Throws on what JSON cannot encode
 * (cycles, BigInt, nesting deeper than the stack).
 */
export function stringifyEjson(value: unknown): string {
  return JSON.stringify(value, replacer);
}

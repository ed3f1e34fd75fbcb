/**
 * EJSON as DDP uses it: JSON plus `{$date}`, `{$binary}`, `{$InfNaN}`, `{$escape}` and
 * `{$type,$value}` (kept as a plain object). Dates are the only type Rocket.Chat clients send.
 */

export class EjsonError extends Error {}

import { RawJson } from '../lib/raw-json.js';

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
export function stringifyEjsonExact(value: unknown): string {
  return withRawJson(() => JSON.stringify(value, replacer)) as string;
}

/** Stand-ins for RawJson values during one encoding: a string no client text can hold, then the text itself. */
const RAW_TAG = `\u0000orbit-raw-${Math.random().toString(36).slice(2)}-`;
let raws: string[] = [];
function rawMarker(this: RawJson): string {
  raws.push(this.json);
  return `${RAW_TAG}${raws.length - 1}`;
}
const RAW_PLACEHOLDER = new RegExp(`"${JSON.stringify(RAW_TAG).slice(1, -1).replace(/\\/g, '\\\\')}(\\d+)"`, 'g');

/** Runs an encoding with RawJson values as placeholders; `finish` writes their text in. */
function withRawJson(encode: () => string, check: (text: string) => boolean = () => true): string | undefined {
  const proto = RawJson.prototype as { toJSON?: unknown };
  raws = [];
  proto.toJSON = rawMarker;
  let text: string;
  try {
    text = encode();
  } finally {
    delete proto.toJSON;
  }
  const found = raws;
  raws = [];
  if (text === undefined || !check(text)) return undefined;
  return found.length === 0 ? text : text.replace(RAW_PLACEHOLDER, (_m, i: string) => found[Number(i)]!);
}

let markers = 0;
function dateMarker(this: Date): unknown {
  markers++;
  const t = this.getTime();
  return Number.isNaN(t) ? null : { $date: t };
}
function binaryMarker(this: Uint8Array): unknown {
  markers++;
  return { $binary: Buffer.from(this.buffer, this.byteOffset, this.byteLength).toString(B64) };
}

/** How many times `"$` occurs in the text. */
function dollarKeys(text: string): number {
  let n = 0;
  for (let i = text.indexOf('"$'); i >= 0; i = text.indexOf('"$', i + 2)) n++;
  return n;
}

/**
 * stringifyEjsonExact, fast: JSON.stringify without a replacer (a replacer makes it several times
 * slower), with Date and binary values turned into their markers by a `toJSON` swapped in for the
 * duration of the call. If the text holds any `"$` besides those markers — a key or a string that
 * may need escaping — it is encoded again the exact way. Non-finite numbers come out as `null`
 * here: only client input can hold them, and what is echoed to clients (protocol errors) is
 * encoded with stringifyEjsonExact.
 */
export function stringifyEjson(value: unknown): string {
  const dateToJSON = Date.prototype.toJSON;
  const u8 = Uint8Array.prototype as { toJSON?: unknown };
  const u8ToJSON = u8.toJSON;
  const bufferToJSON = Buffer.prototype.toJSON;
  markers = 0;
  let text: string | undefined;
  try {
    Date.prototype.toJSON = dateMarker as () => string;
    u8.toJSON = binaryMarker;
    Buffer.prototype.toJSON = binaryMarker as typeof bufferToJSON;
    text = withRawJson(
      () => JSON.stringify(value),
      (t) => dollarKeys(t) === markers,
    );
  } finally {
    Date.prototype.toJSON = dateToJSON;
    if (u8ToJSON === undefined) delete u8.toJSON;
    else u8.toJSON = u8ToJSON;
    Buffer.prototype.toJSON = bufferToJSON;
  }
  return text ?? stringifyEjsonExact(value);
}

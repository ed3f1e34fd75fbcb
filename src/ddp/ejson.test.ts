import { describe, expect, it } from 'vitest';
import { EjsonError, parseEjson, stringifyEjson } from './ejson.js';

describe('EJSON (ddp.md §7)', () => {
  it('encodes every Date as {$date: ms}, at any depth', () => {
    const d = new Date(1_700_000_000_123);
    expect(stringifyEjson({ ts: d, list: [d, { inner: d }] })).toBe(
      '{"ts":{"$date":1700000000123},"list":[{"$date":1700000000123},{"inner":{"$date":1700000000123}}]}',
    );
  });

  it('decodes {$date} into Date, at any depth', () => {
    const v = parseEjson('{"a":{"$date":5},"b":[{"$date":6}],"c":{"d":{"$date":7}}}') as any;
    expect(v.a).toEqual(new Date(5));
    expect(v.b[0]).toEqual(new Date(6));
    expect(v.c.d).toEqual(new Date(7));
  });

  it('round-trips binary, Infinity/NaN and escaped objects', () => {
    const value = { bin: new Uint8Array([1, 2, 255]), buf: Buffer.from('hi'), inf: Infinity, ninf: -Infinity, nan: NaN, esc: { $date: 1 } };
    const text = stringifyEjson(value);
    expect(JSON.parse(text)).toEqual({
      bin: { $binary: 'AQL/' },
      buf: { $binary: 'aGk=' },
      inf: { $InfNaN: 1 },
      ninf: { $InfNaN: -1 },
      nan: { $InfNaN: 0 },
      esc: { $escape: { $date: 1 } },
    });
    const back = parseEjson(text) as any;
    expect(back.bin).toEqual(new Uint8Array([1, 2, 255]));
    expect(back.inf).toBe(Infinity);
    expect(back.ninf).toBe(-Infinity);
    expect(back.nan).toBeNaN();
    expect(back.esc).toEqual({ $date: 1 });
  });

  it('an escaped object keeps EJSON inside its values', () => {
    const text = stringifyEjson({ x: { $type: 'a', $value: new Date(3) } });
    expect(JSON.parse(text)).toEqual({ x: { $escape: { $type: 'a', $value: { $date: 3 } } } });
  });

  it('drops undefined members, keeps null', () => {
    expect(stringifyEjson({ a: undefined, b: null })).toBe('{"b":null}');
  });

  it('objects with $-keys that are not EJSON stay plain', () => {
    expect(parseEjson('{"$set":{"a":1},"$date":2}')).toEqual({ $set: { a: 1 }, $date: 2 });
    expect(stringifyEjson({ $set: 1, other: 2 })).toBe('{"$set":1,"other":2}');
  });

  it('{$type, $value} of an unknown type (and the unverified $regexp) stay plain objects', () => {
    expect(parseEjson('{"a":{"$type":"oid","$value":"x"}}')).toEqual({ a: { $type: 'oid', $value: 'x' } });
    expect(parseEjson('{"a":{"$regexp":"^a","$flags":"i"}}')).toEqual({ a: { $regexp: '^a', $flags: 'i' } });
    // …and are sent back escaped, so that a client reads the same plain object
    expect(stringifyEjson({ a: { $type: 'oid', $value: 'x' } })).toBe('{"a":{"$escape":{"$type":"oid","$value":"x"}}}');
  });

  it('a $ written as \\u0024 is still EJSON', () => {
    expect((parseEjson('{"at":{"\\u0024date":5}}') as any).at).toEqual(new Date(5));
  });

  it('__proto__ keys stay own data: no prototype is ever set from input (also inside $escape)', () => {
    for (const text of ['{"$escape":{"__proto__":{"isAdmin":true}}}', '{"__proto__":{"isAdmin":true},"d":{"$date":1}}', '[{"__proto__":{"isAdmin":true}}]']) {
      const v = parseEjson(text) as any;
      const obj = Array.isArray(v) ? v[0] : v;
      expect(Object.getPrototypeOf(obj)).toBe(Object.prototype);
      expect(obj.isAdmin).toBeUndefined();
      expect(Object.keys(obj)).toContain('__proto__');
      expect(({} as any).isAdmin).toBeUndefined();
    }
  });

  it('rejects malformed EJSON with EjsonError and bad JSON with SyntaxError', () => {
    expect(() => parseEjson('{"$date":"x"}')).toThrow(EjsonError);
    expect(() => parseEjson('{"$binary":1}')).toThrow(EjsonError);
    expect(() => parseEjson('{"$InfNaN":7}')).toThrow(EjsonError);
    expect(() => parseEjson('{"$escape":3}')).toThrow(EjsonError);
    expect(() => parseEjson('{"a":')).toThrow(SyntaxError);
  });

  it('throws (does not hang) on what JSON cannot encode', () => {
    const cyclic: any = {};
    cyclic.self = cyclic;
    expect(() => stringifyEjson(cyclic)).toThrow();
    expect(() => stringifyEjson({ n: 1n })).toThrow();
  });
});

describe('stringifyEjson (fast path) matches stringifyEjsonExact', () => {
  it('on dates, binary, nested documents, $-keys needing escape and $ inside strings', async () => {
    const { stringifyEjson, stringifyEjsonExact } = await import('./ejson.js');
    const samples: unknown[] = [
      { a: new Date(5), b: [new Date(6), { c: new Date(7) }], s: 'plain' },
      { bin: new Uint8Array([1, 2, 3]), buf: Buffer.from('hi') },
      { custom: { $date: 1 } },
      { custom: { $type: 't', $value: 1 } },
      { text: 'costs "$5" and {"$date":1}' },
      { bad: new Date(Number.NaN) },
      [new Date(0), null, 1, 'x'],
      'just a string',
      { deep: { deeper: { $escape: { x: 1 } } } },
    ];
    for (const v of samples) expect(stringifyEjson(v), JSON.stringify(String(v))).toBe(stringifyEjsonExact(v));
    expect(Date.prototype.toJSON.call(new Date(0))).toBe('1970-01-01T00:00:00.000Z');
    expect(JSON.stringify(Buffer.from('a'))).toBe('{"type":"Buffer","data":[97]}');
    expect(JSON.stringify(new Uint8Array([1]))).toBe('{"0":1}');
  });
});

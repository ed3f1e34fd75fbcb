import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempServices } from '../../../test/support/temp-services.js';
import { RestError } from './rest-error.js';
import { pageOf, pageQuery, parseFields, parseFilter, parseSort } from './pagination.js';

describe('REST pagination (offset, count, sort, fields, query)', () => {
  let env: Awaited<ReturnType<typeof tempServices>>;
  beforeAll(async () => {
    env = await tempServices();
  });
  afterAll(async () => {
    await env.close();
  });

  it('count: API_Default_Count when absent, capped by API_Upper_Count_Limit (read live), 0 = the cap', async () => {
    const q = (o: Record<string, string>) => pageQuery.parse(o);
    expect(pageOf(q({}), env.settings)).toEqual({ offset: 0, count: 50 });
    expect(pageOf(q({ offset: '20', count: '10' }), env.settings)).toEqual({ offset: 20, count: 10 });
    expect(pageOf(q({ count: '5000' }), env.settings)).toEqual({ offset: 0, count: 100 });
    expect(pageOf(q({ count: '0' }), env.settings)).toEqual({ offset: 0, count: 100 });
    await env.settings.set('API_Upper_Count_Limit', 30);
    expect(pageOf(q({ count: '40' }), env.settings).count).toBe(30);
    await env.settings.set('API_Allow_Infinite_Count', false);
    expect(pageOf(q({ count: '0' }), env.settings).count).toBe(30);
  });

  it('offset and count must be non-negative integers', () => {
    for (const bad of [{ offset: '-1' }, { count: 'ten' }, { count: '1.5' }, { offset: ['1', '2'] }]) {
      expect(pageQuery.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
    }
  });

  it('sort: allowed fields with 1 / -1 only; anything else is 400 error-invalid-sort', () => {
    expect(parseSort('{"ts":-1,"name":1}', ['ts', 'name'])).toEqual({ ts: -1, name: 1 });
    expect(parseSort(undefined, ['ts'])).toBeUndefined();
    for (const bad of ['{"ts":0}', '{"$where":1}', '{"password":1}', '[1]', 'nope', '{"__proto__":1}', '"ts"']) {
      const err = (() => {
        try {
          parseSort(bad, ['ts']);
        } catch (e) {
          return e;
        }
      })();
      expect(err, bad).toBeInstanceOf(RestError);
      expect((err as RestError).body).toMatchObject({ errorType: 'error-invalid-sort' });
    }
  });

  it('fields and query: no operators, no nested objects, only allowed keys', () => {
    expect(parseFields('{"name":1,"username":0}', ['name', 'username'])).toEqual({ name: 1, username: 0 });
    expect(() => parseFields('{"services":1}', ['name'])).toThrow(RestError);
    expect(parseFilter('{"type":"user","active":true}', ['type', 'active'])).toEqual({ type: 'user', active: true });
    for (const bad of ['{"username":{"$ne":null}}', '{"$or":[{"a":1}]}', '{"type":["a"]}', '{"other":1}']) {
      expect(() => parseFilter(bad, ['username', 'type']), bad).toThrow(RestError);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limiter.js';

describe('RateLimiter (fixed windows)', () => {
  it('allows `limit` hits per window, then answers the time to reset', () => {
    const r = new RateLimiter();
    for (let i = 0; i < 3; i++) expect(r.hit('k', 3, 1000, 10_000 + i)).toBe(0);
    expect(r.hit('k', 3, 1000, 10_400)).toBe(600);
    expect(r.hit('k', 3, 1000, 10_999)).toBe(1);
    expect(r.hit('k', 3, 1000, 11_000)).toBe(0);
  });

  it('keeps keys apart', () => {
    const r = new RateLimiter();
    expect(r.hit('a', 1, 1000, 0)).toBe(0);
    expect(r.hit('b', 1, 1000, 0)).toBe(0);
    expect(r.hit('a', 1, 1000, 1)).toBeGreaterThan(0);
  });

  it('a limit lowered mid-window applies to the next hit', () => {
    const r = new RateLimiter();
    expect(r.hit('k', 10, 1000, 0)).toBe(0);
    expect(r.hit('k', 10, 1000, 1)).toBe(0);
    expect(r.hit('k', 2, 1000, 2)).toBe(998);
  });
});

import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DdpServer } from '../ddp/server.js';
import type { Session } from '../ddp/session.js';
import type { Transport } from '../ddp/transport.js';
import { DEFAULT_SETTINGS } from '../domain/default-settings.js';
import { tempServices } from '../../test/support/temp-services.js';
import { DdpRateLimits } from './rate-limits.js';
import { sessionState } from './session-state.js';

type Env = Awaited<ReturnType<typeof tempServices>>;

function transport(remoteAddress: string): Transport {
  return { send() {}, close() {}, bufferedAmount: 0, remoteAddress };
}

describe('DdpRateLimits (ddp.md §6.4)', () => {
  let env: Env;
  let ddp: DdpServer;
  let limits: DdpRateLimits;
  let open: Session[] = [];

  beforeAll(async () => {
    env = await tempServices();
    ddp = new DdpServer({ handshakeTimeoutMs: 60_000, heartbeatIntervalMs: 60_000, heartbeatTimeoutMs: 60_000, slowConsumerBytes: 1 << 20 }, pino({ level: 'silent' }));
  });
  afterAll(async () => {
    await env?.close();
  });
  afterEach(async () => {
    for (const s of open) s.close();
    open = [];
    // Every test starts from the defaults and fresh counters.
    for (const d of DEFAULT_SETTINGS) if (d._id.startsWith('DDP_Rate_Limit_') || d._id.startsWith('Rate_Limiter_')) await env.settings.set(d._id, d.value);
  });

  function fresh(enabled = true): DdpRateLimits {
    return (limits = new DdpRateLimits(env.settings, env.permissions, enabled));
  }

  async function session(opts: { userId?: string; roles?: string[]; address?: string } = {}): Promise<Session> {
    const s = ddp.accept(transport(opts.address ?? '127.0.0.1'));
    open.push(s);
    if (opts.userId) {
      sessionState(s).roles = opts.roles ?? ['user'];
      await s.setUserId(opts.userId);
    }
    return s;
  }

  /** How many of `n` calls pass before the first refusal (and that refusal). */
  function burst(s: Session, name: string, n: number, kind: 'method' | 'sub' = 'method') {
    let passed = 0;
    for (let i = 0; i < n; i++) {
      const refused = limits.guard(kind, name, s);
      if (refused) return { passed, refused };
      passed++;
    }
    return { passed, refused: undefined };
  }

  it('off: nothing is ever refused', async () => {
    fresh(false);
    const s = await session({ userId: 'u-off' });
    expect(burst(s, 'anything', 100).passed).toBe(100);
    expect(burst(s, 'login', 100).passed).toBe(100);
  });

  it('per connection per method: 10 / 10 s, refused with too-many-requests and details.timeToReset in ms', async () => {
    fresh();
    const s = await session();
    const r = burst(s, 'someMethod', 20);
    expect(r.passed).toBe(10);
    expect(r.refused).toMatchObject({
      error: 'too-many-requests',
      reason: 'Error, too many requests. Please slow down. You must wait 10 seconds before trying again.',
    });
    const ttr = (r.refused!.details as { timeToReset: number }).timeToReset;
    expect(ttr).toBeGreaterThan(9000);
    expect(ttr).toBeLessThanOrEqual(10_000);
    // another method and another connection have their own counters
    expect(limits.guard('method', 'otherMethod', s)).toBeUndefined();
    expect(limits.guard('method', 'someMethod', await session())).toBeUndefined();
  });

  it('per user per method: 20 / 10 s across the user’s connections', async () => {
    fresh();
    const a = await session({ userId: 'u-many' });
    const b = await session({ userId: 'u-many' });
    const c = await session({ userId: 'u-many' });
    expect(burst(a, 'm', 10).passed).toBe(10);
    expect(burst(b, 'm', 10).passed).toBe(10);
    expect(burst(c, 'm', 1).refused?.error).toBe('too-many-requests');
  });

  it('stream- publications: four times the count (40 per connection)', async () => {
    fresh();
    const s = await session();
    expect(burst(s, 'stream-notify-all', 100, 'sub').passed).toBe(40);
  });

  it('login: 5 attempts / 10 s per connection', async () => {
    fresh();
    const s = await session();
    expect(burst(s, 'login', 10).passed).toBe(5);
    expect(burst(await session(), 'login', 1).passed).toBe(1);
  });

  it('sendMessage: 5 / s per user; users with send-many-messages (bot, admin) are exempt', async () => {
    fresh();
    expect(burst(await session({ userId: 'u-send' }), 'sendMessage', 20).passed).toBe(5);
    expect(burst(await session({ userId: 'u-bot', roles: ['bot'] }), 'sendMessage', 30).passed).toBe(30);
    expect(burst(await session({ userId: 'u-admin', roles: ['user', 'admin'] }), 'sendMessage', 30).passed).toBe(30);
  });

  it('createDirectMessage: 10 / min per user, same exemption', async () => {
    fresh();
    expect(burst(await session({ userId: 'u-dm' }), 'createDirectMessage', 20).passed).toBe(10);
    expect(burst(await session({ userId: 'u-dmbot', roles: ['bot'] }), 'createDirectMessage', 20).passed).toBe(20);
  });

  it('setUsername and friends: 1 / s per user', async () => {
    fresh();
    const s = await session({ userId: 'u-name' });
    expect(burst(s, 'setUsername', 5).passed).toBe(1);
    expect(burst(s, 'setUserStatus', 5).passed).toBe(1);
  });

  it('registerUser: Rate_Limiter_Limit_RegisterUser per API_Enable_Rate_Limiter_Limit_Time_Default, server-wide', async () => {
    fresh();
    expect(burst(await session(), 'registerUser', 1).passed).toBe(1);
    const refused = limits.guard('method', 'registerUser', await session());
    expect(refused?.error).toBe('too-many-requests');
    expect((refused?.details as { timeToReset: number }).timeToReset).toBeGreaterThan(50_000);
    await env.settings.set('Rate_Limiter_Limit_RegisterUser', 3);
    expect(burst(await session(), 'registerUser', 5).passed).toBe(1); // 3 in the window in all
  });

  it('by IP: counted for remote clients only, never for 127.0.0.1', async () => {
    fresh();
    await env.settings.set('DDP_Rate_Limit_IP_Requests_Allowed', 3);
    let passed = 0;
    for (let i = 0; i < 5; i++) if (!limits.guard('method', `m${i}`, await session({ address: '203.0.113.9' }))) passed++;
    expect(passed).toBe(3);
    for (let i = 0; i < 5; i++) expect(limits.guard('method', `m${i}`, await session({ address: '127.0.0.1' }))).toBeUndefined();
  });

  it('by user and by connection: every method counts', async () => {
    fresh();
    await env.settings.set('DDP_Rate_Limit_User_Requests_Allowed', 4);
    const s = await session({ userId: 'u-global' });
    let passed = 0;
    for (let i = 0; i < 6; i++) if (!limits.guard('method', `x${i}`, s)) passed++;
    expect(passed).toBe(4);
    await env.settings.set('DDP_Rate_Limit_Connection_Requests_Allowed', 2);
    const anon = await session();
    expect([limits.guard('method', 'a', anon), limits.guard('method', 'b', anon), limits.guard('method', 'c', anon)].map((e) => e?.error)).toEqual([
      undefined,
      undefined,
      'too-many-requests',
    ]);
  });

  it('settings changed at runtime apply to the next call', async () => {
    fresh();
    const s = await session();
    expect(burst(s, 'm', 20).passed).toBe(10);
    await env.settings.set('DDP_Rate_Limit_Connection_By_Method_Enabled', false);
    expect(limits.guard('method', 'm', s)).toBeUndefined();
    await env.settings.set('DDP_Rate_Limit_Connection_By_Method_Enabled', true);
    await env.settings.set('DDP_Rate_Limit_Connection_By_Method_Requests_Allowed', 2);
    const t = await session();
    expect(burst(t, 'm', 5).passed).toBe(2);
  });
});

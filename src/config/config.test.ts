import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('gives every knob a default', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.rateLimit).toBe(true);
    expect(c.ddp).toEqual({
      maxFrameBytes: 1024 * 1024,
      handshakeTimeoutMs: 10_000,
      heartbeatIntervalMs: 15_000,
      heartbeatTimeoutMs: 15_000,
      slowConsumerBytes: 4 * 1024 * 1024,
    });
    expect(c.admin).toEqual({ username: undefined, password: undefined, email: undefined });
    expect(c.store.sqliteFile).toMatch(/[/\\]data[/\\]orbit\.db$/);
    expect(Object.isFrozen(c) && Object.isFrozen(c.ddp)).toBe(true);
  });

  it('reads the environment and treats empty values as unset', () => {
    const c = loadConfig({
      PORT: '0',
      ORBIT_RATE_LIMIT: 'off',
      ORBIT_HEARTBEAT_INTERVAL_MS: '200',
      ORBIT_MAX_FRAME_BYTES: '4096',
      ORBIT_ADMIN_PASSWORD: '',
      ORBIT_DATA_DIR: '/tmp/x',
    });
    expect(c.port).toBe(0);
    expect(c.rateLimit).toBe(false);
    expect(c.ddp.heartbeatIntervalMs).toBe(200);
    expect(c.ddp.maxFrameBytes).toBe(4096);
    expect(c.admin.password).toBeUndefined();
    expect(c.store.sqliteFile).toBe('/tmp/x/orbit.db');
  });

  it('reports every bad value at once', () => {
    let err: unknown;
    try {
      loadConfig({ PORT: 'eighty', ORBIT_HEARTBEAT_TIMEOUT_MS: '-5', ORBIT_LOG_LEVEL: 'loud' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const problems = (err as ConfigError).problems;
    expect(problems).toHaveLength(3);
    const message = (err as ConfigError).message;
    for (const name of ['PORT', 'ORBIT_HEARTBEAT_TIMEOUT_MS', 'ORBIT_LOG_LEVEL']) expect(message).toContain(name);
  });

  it('rejects a bad admin e-mail and a non-boolean switch', () => {
    expect(() => loadConfig({ ORBIT_ADMIN_EMAIL: 'nope', ORBIT_RATE_LIMIT: 'maybe' })).toThrow(/ORBIT_ADMIN_EMAIL[\s\S]*ORBIT_RATE_LIMIT|ORBIT_RATE_LIMIT[\s\S]*ORBIT_ADMIN_EMAIL/);
  });
});

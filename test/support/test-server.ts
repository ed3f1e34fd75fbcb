import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { loadConfig } from '../../src/config/config.js';
import { startOrbit, type Orbit } from '../../src/main.js';
import type { User } from '../../src/domain/types.js';

export const ADMIN = { username: 'admin', password: 'admin-pass', email: 'admin@example.com' } as const;

export interface TestServer {
  orbit: Orbit;
  url: string;
  port: number;
  dataDir: string;
  /** Creates an active user (password = `${username}-pass` unless given) straight through the service. */
  createUser(username: string, opts?: { password?: string; roles?: string[]; name?: string; email?: string }): Promise<User>;
  stop(): Promise<void>;
}

/**
 * Boots the real server on a random port with a fresh SQLite file. Rate limits are off unless
 * `env.ORBIT_RATE_LIMIT` says otherwise; bcrypt cost is low to keep tests fast.
 */
export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'orbit-test-'));
  const config = loadConfig({
    PORT: '0',
    ORBIT_HOST: '127.0.0.1',
    ORBIT_DATA_DIR: dataDir,
    ORBIT_LOG_LEVEL: 'silent',
    ORBIT_ADMIN_USERNAME: ADMIN.username,
    ORBIT_ADMIN_PASSWORD: ADMIN.password,
    ORBIT_ADMIN_EMAIL: ADMIN.email,
    ORBIT_BCRYPT_COST: '4',
    ORBIT_RATE_LIMIT: 'false',
    ...env,
  });
  const orbit = await startOrbit(config, pino({ level: env.ORBIT_LOG_LEVEL ?? 'silent' }));
  return {
    orbit,
    port: orbit.port,
    url: `ws://127.0.0.1:${orbit.port}/websocket`,
    dataDir,
    createUser: (username, opts = {}) =>
      orbit.services.users.create({
        username,
        password: opts.password ?? `${username}-pass`,
        name: opts.name ?? username,
        email: opts.email ?? `${username}@example.com`,
        ...(opts.roles ? { roles: opts.roles } : {}),
      }),
    async stop() {
      await orbit.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

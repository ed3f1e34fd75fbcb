import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/**
 * Orbit's configuration: every knob, its default and its validation, in one place.
 * Only this module reads the environment; everything else receives a frozen `Config`.
 */

const bool = z
  .enum(['true', 'false', '1', '0', 'on', 'off', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'on' || v === 'yes');

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const envSchema = z.object({
  PORT: int(0, 65535).default(3000),
  ORBIT_HOST: z.string().min(1).default('0.0.0.0'),
  ORBIT_DATA_DIR: z.string().min(1).default('./data'),
  ORBIT_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ORBIT_ADMIN_USERNAME: z.string().regex(/^[0-9a-zA-Z\-_.]+$/, 'letters, digits, - _ . only').optional(),
  ORBIT_ADMIN_PASSWORD: z.string().min(1).max(256).optional(),
  ORBIT_ADMIN_EMAIL: z.string().email().optional(),
  ORBIT_STORE: z.enum(['sqlite', 'postgres']).default('sqlite'),
  ORBIT_POSTGRES_URL: z.string().min(1).default('postgres://127.0.0.1:5432/test'),
  ORBIT_POSTGRES_SCHEMA: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'lowercase letters, digits and _').default('public'),
  ORBIT_BUS: z.enum(['memory', 'nats']).default('memory'),
  ORBIT_NATS_URL: z.string().min(1).default('nats://127.0.0.1:4222'),
  ORBIT_MAX_FRAME_BYTES: int(1024, 64 * 1024 * 1024).default(1024 * 1024),
  ORBIT_HANDSHAKE_TIMEOUT_MS: int(100, 600_000).default(10_000),
  ORBIT_HEARTBEAT_INTERVAL_MS: int(50, 3_600_000).default(15_000),
  ORBIT_HEARTBEAT_TIMEOUT_MS: int(50, 3_600_000).default(15_000),
  ORBIT_SLOW_CONSUMER_BYTES: int(1024, 1024 * 1024 * 1024).default(4 * 1024 * 1024),
  ORBIT_RATE_LIMIT: bool.default(true),
  ORBIT_BCRYPT_COST: int(4, 15).default(10),
  ORBIT_HISTORY_MAX_LIMIT: int(1, 10_000).default(1000),
  ORBIT_WEB_DIR: z.string().min(1).optional(),
});

/** The built web client: `dist/web` of the project, whether this module runs from `src/` or `dist/src/`. */
function defaultWebDir(): string {
  const up = fileURLToPath(new URL('../../', import.meta.url));
  return basename(up) === 'dist' ? join(up, 'web') : join(up, 'dist', 'web');
}

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly admin: { readonly username?: string; readonly password?: string; readonly email?: string };
  readonly store: {
    readonly kind: 'sqlite' | 'postgres';
    readonly postgresUrl: string;
    readonly postgresSchema: string;
    /** The SQLite database file, inside the data directory (absolute). */
    readonly sqliteFile: string;
  };
  readonly bus: { readonly kind: 'memory' | 'nats'; readonly natsUrl: string };
  readonly ddp: {
    readonly maxFrameBytes: number;
    readonly handshakeTimeoutMs: number;
    readonly heartbeatIntervalMs: number;
    readonly heartbeatTimeoutMs: number;
    readonly slowConsumerBytes: number;
  };
  /** Master switch of the DDP rate limiter (the per-rule numbers are runtime settings). */
  readonly rateLimit: boolean;
  readonly bcryptCost: number;
  /** Upper bound on `loadHistory`'s `limit` (Rocket.Chat has none). */
  readonly historyMaxLimit: number;
  /** The built web client served at `/` (absolute). */
  readonly webDir: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the configuration from an environment; throws ConfigError listing every problem. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  return deepFreeze({
    port: e.PORT,
    host: e.ORBIT_HOST,
    dataDir: e.ORBIT_DATA_DIR,
    logLevel: e.ORBIT_LOG_LEVEL,
    admin: { username: e.ORBIT_ADMIN_USERNAME, password: e.ORBIT_ADMIN_PASSWORD, email: e.ORBIT_ADMIN_EMAIL },
    store: { kind: e.ORBIT_STORE, postgresUrl: e.ORBIT_POSTGRES_URL, postgresSchema: e.ORBIT_POSTGRES_SCHEMA, sqliteFile: join(resolve(e.ORBIT_DATA_DIR), 'orbit.db') },
    bus: { kind: e.ORBIT_BUS, natsUrl: e.ORBIT_NATS_URL },
    ddp: {
      maxFrameBytes: e.ORBIT_MAX_FRAME_BYTES,
      handshakeTimeoutMs: e.ORBIT_HANDSHAKE_TIMEOUT_MS,
      heartbeatIntervalMs: e.ORBIT_HEARTBEAT_INTERVAL_MS,
      heartbeatTimeoutMs: e.ORBIT_HEARTBEAT_TIMEOUT_MS,
      slowConsumerBytes: e.ORBIT_SLOW_CONSUMER_BYTES,
    },
    rateLimit: e.ORBIT_RATE_LIMIT,
    bcryptCost: e.ORBIT_BCRYPT_COST,
    historyMaxLimit: e.ORBIT_HISTORY_MAX_LIMIT,
    webDir: e.ORBIT_WEB_DIR ? resolve(e.ORBIT_WEB_DIR) : defaultWebDir(),
  });
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

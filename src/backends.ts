import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from 'pino';
import type { Bus } from './bus/bus.js';
import { MemoryBus } from './bus/memory/memory-bus.js';
import type { Config } from './config/config.js';
import { SqliteStore } from './store/sqlite/sqlite-store.js';
import type { Store } from './store/store.js';

/** The one place that picks concrete backends from the configuration (server and CLI). */
export async function openStore(config: Config): Promise<Store> {
  if (config.store.kind === 'postgres') {
    const { PostgresStore } = await import('./store/postgres/postgres-store.js');
    return PostgresStore.open(config.store.postgresUrl, { schema: config.store.postgresSchema });
  }
  mkdirSync(dirname(config.store.sqliteFile), { recursive: true });
  return SqliteStore.open(config.store.sqliteFile);
}

export async function openBus(config: Config, logger: Logger): Promise<Bus> {
  if (config.bus.kind === 'nats') {
    const { NatsBus } = await import('./bus/nats/nats-bus.js');
    return NatsBus.connect(config.bus.natsUrl, logger);
  }
  return new MemoryBus(logger);
}

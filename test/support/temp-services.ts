import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryBus } from '../../src/bus/memory/memory-bus.js';
import { BusChatEvents } from '../../src/realtime/bus-chat-events.js';
import { createServices } from '../../src/services/create-services.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';

/** Every service over a real, seeded SQLite store in a temporary directory (unit tests). */
export async function tempServices() {
  const dir = mkdtempSync(join(tmpdir(), 'orbit-unit-'));
  const store = SqliteStore.open(join(dir, 'orbit.db'));
  const bus = new MemoryBus();
  const services = await createServices(store, new BusChatEvents(bus), { bcryptCost: 4, historyMaxLimit: 1000 });
  return {
    ...services,
    dir,
    bus,
    async close() {
      await bus.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

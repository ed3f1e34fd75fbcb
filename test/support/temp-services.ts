import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryBus } from '../../src/bus/memory/memory-bus.js';
import { BusChatEvents } from '../../src/realtime/bus-chat-events.js';
import { seedDefaults } from '../../src/services/bootstrap.js';
import { MembershipService } from '../../src/services/membership-service.js';
import { PermissionsService } from '../../src/services/permissions-service.js';
import { SettingsService } from '../../src/services/settings-service.js';
import { SystemMessages } from '../../src/services/system-messages.js';
import { UsersService } from '../../src/services/users-service.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';

/** The core services over a real, seeded SQLite store in a temporary directory (unit tests). */
export async function tempServices() {
  const dir = mkdtempSync(join(tmpdir(), 'orbit-unit-'));
  const store = SqliteStore.open(join(dir, 'orbit.db'));
  await seedDefaults(store);
  const bus = new MemoryBus();
  const events = new BusChatEvents(bus);
  const settings = new SettingsService(store, events);
  await settings.load();
  const permissions = new PermissionsService(store, settings, events);
  await permissions.load();
  const systemMessages = new SystemMessages(store, settings, events);
  const membership = new MembershipService(store, events, systemMessages);
  const users = new UsersService(store, settings, events, membership, 4);
  return {
    dir,
    store,
    bus,
    events,
    settings,
    permissions,
    membership,
    users,
    async close() {
      await bus.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

import type { Store } from '../store/store.js';
import { AuthService } from './auth-service.js';
import { seedDefaults } from './bootstrap.js';
import { DirectMessagesService } from './direct-messages-service.js';
import type { ChatEvents } from './events.js';
import { IntegrationsService } from './integrations-service.js';
import { MembershipService } from './membership-service.js';
import { MessagePosting } from './message-posting.js';
import { createMessageServices } from './message-services.js';
import { PermissionsService } from './permissions-service.js';
import { RoomCreationService } from './room-creation-service.js';
import { RoomMembersService } from './room-members-service.js';
import { RoomModerationService } from './room-moderation-service.js';
import { RoomRolesService } from './room-roles-service.js';
import { RoomSettingsService } from './room-settings-service.js';
import { RoomsService } from './rooms-service.js';
import type { Services } from './services.js';
import { SettingsService } from './settings-service.js';
import { SystemMessages } from './system-messages.js';
import { UserAdminService } from './user-admin-service.js';
import { UserDirectory } from './user-directory.js';
import { UsersService } from './users-service.js';

export interface ServiceOptions {
  bcryptCost: number;
  historyMaxLimit: number;
}

/**
 * Builds every service over a store and an event sink: seeds the defaults a fresh database needs
 * and loads the cached settings and permissions. Used by the server, the CLI and the tests.
 */
export async function createServices(store: Store, events: ChatEvents, opts: ServiceOptions): Promise<Services> {
  await seedDefaults(store);
  const settings = new SettingsService(store, events);
  await settings.load();
  const permissions = new PermissionsService(store, settings, events);
  await permissions.load();
  const systemMessages = new SystemMessages(store, settings, events);
  const membership = new MembershipService(store, events, systemMessages);
  const messageServices = createMessageServices(
    { store, settings, permissions, events, systemMessages },
    { historyMaxLimit: opts.historyMaxLimit },
  );
  const directMessages = new DirectMessagesService({ store, settings, permissions, events });
  const users = new UsersService(store, settings, events, membership, opts.bcryptCost);
  const rooms = new RoomsService({ store, settings, permissions, events, systemMessages, membership });
  const messagePosting = new MessagePosting({ store, settings, messages: messageServices.messages, membership, directMessages });
  return {
    ...messageServices,
    store,
    events,
    settings,
    permissions,
    systemMessages,
    membership,
    auth: new AuthService(store, settings, opts.bcryptCost),
    users,
    rooms,
    roomCreation: new RoomCreationService({ store, settings, permissions, events }),
    directMessages,
    roomRoles: new RoomRolesService(store, events, permissions, settings, systemMessages),
    roomModeration: new RoomModerationService(store, events, permissions, systemMessages),
    roomMembers: new RoomMembersService(store, permissions, settings, membership, messageServices.ephemeral),
    roomSettings: new RoomSettingsService({ store, events, permissions, settings, systemMessages }),
    messagePosting,
    integrations: new IntegrationsService({ store, permissions, events, posting: messagePosting }),
    userAdmin: new UserAdminService({ store, settings, permissions, events, users, rooms, bcryptCost: opts.bcryptCost }),
    userDirectory: new UserDirectory(store, settings, permissions),
  };
}

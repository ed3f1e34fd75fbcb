import type { Store } from '../store/store.js';
import type { AuthService } from './auth-service.js';
import type { ChatEvents } from './events.js';
import type { DirectMessagesService } from './direct-messages-service.js';
import type { IntegrationsService } from './integrations-service.js';
import type { MembershipService } from './membership-service.js';
import type { MessagePosting } from './message-posting.js';
import type { MessageServices } from './message-services.js';
import type { PermissionsService } from './permissions-service.js';
import type { RoomCreationService } from './room-creation-service.js';
import type { RoomMembersService } from './room-members-service.js';
import type { RoomModerationService } from './room-moderation-service.js';
import type { RoomRolesService } from './room-roles-service.js';
import type { RoomSettingsService } from './room-settings-service.js';
import type { RoomsService } from './rooms-service.js';
import type { SettingsService } from './settings-service.js';
import type { SystemMessages } from './system-messages.js';
import type { UserAdminService } from './user-admin-service.js';
import type { UserDirectory } from './user-directory.js';
import type { UsersService } from './users-service.js';

/** Every service, as the realtime layer receives them. Built in main.ts. */
export interface Services extends MessageServices {
  readonly store: Store;
  readonly events: ChatEvents;
  readonly settings: SettingsService;
  readonly permissions: PermissionsService;
  readonly auth: AuthService;
  readonly users: UsersService;
  readonly membership: MembershipService;
  readonly systemMessages: SystemMessages;
  readonly rooms: RoomsService;
  readonly roomCreation: RoomCreationService;
  readonly directMessages: DirectMessagesService;
  readonly roomRoles: RoomRolesService;
  readonly roomModeration: RoomModerationService;
  readonly roomMembers: RoomMembersService;
  readonly roomSettings: RoomSettingsService;
  readonly messagePosting: MessagePosting;
  readonly integrations: IntegrationsService;
  readonly userAdmin: UserAdminService;
  readonly userDirectory: UserDirectory;
}

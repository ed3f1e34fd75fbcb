import type { Store } from '../store/store.js';
import type { AuthService } from './auth-service.js';
import type { ChatEvents } from './events.js';
import type { MembershipService } from './membership-service.js';
import type { PermissionsService } from './permissions-service.js';
import type { SettingsService } from './settings-service.js';
import type { SystemMessages } from './system-messages.js';
import type { UsersService } from './users-service.js';

/** Every service, as the realtime layer receives them. Built in main.ts. */
export interface Services {
  readonly store: Store;
  readonly events: ChatEvents;
  readonly settings: SettingsService;
  readonly permissions: PermissionsService;
  readonly auth: AuthService;
  readonly users: UsersService;
  readonly membership: MembershipService;
  readonly systemMessages: SystemMessages;
}

import type { Room, User } from '../../domain/types.js';
import type { Store } from '../../store/store.js';
import type { ChatEvents } from '../events.js';
import type { PermissionsService } from '../permissions-service.js';
import type { SettingsService } from '../settings-service.js';
import type { SystemMessages } from '../system-messages.js';

/** What the saveRoomSettings validators and savers work with. */
export interface RoomSettingsDeps {
  readonly store: Store;
  readonly events: ChatEvents;
  readonly permissions: PermissionsService;
  readonly settings: SettingsService;
  readonly systemMessages: SystemMessages;
}

/** One setting being validated or saved. */
export interface SettingCall {
  readonly deps: RoomSettingsDeps;
  readonly caller: User;
  /** The room as it was when the call started (Rocket.Chat compares every value against it). */
  readonly room: Room;
  readonly value: unknown;
}

export type SettingStep = (call: SettingCall) => Promise<void>;

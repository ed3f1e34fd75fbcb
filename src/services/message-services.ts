import type { Store } from '../store/store.js';
import { DesktopNotifications } from './desktop-notifications.js';
import { Ephemeral } from './ephemeral.js';
import type { ChatEvents } from './events.js';
import { HistoryService } from './history-service.js';
import { MessageEdits } from './message-edits.js';
import { MessageNotifications } from './message-notifications.js';
import { MessageParsing } from './message-parsing.js';
import { MessagesService } from './messages-service.js';
import { RoomCountEvents } from './room-count-events.js';
import type { PermissionsService } from './permissions-service.js';
import type { SettingsService } from './settings-service.js';
import type { SystemMessages } from './system-messages.js';

export interface MessageServices {
  readonly messages: MessagesService;
  readonly messageEdits: MessageEdits;
  readonly history: HistoryService;
  readonly ephemeral: Ephemeral;
  /** Ends the timers of deferred announcements (before the store closes). */
  stopAnnouncing(): void;
}

/** Wires the message services together (called from the composition root). */
export function createMessageServices(
  deps: { store: Store; settings: SettingsService; permissions: PermissionsService; events: ChatEvents; systemMessages: SystemMessages },
  opts: { historyMaxLimit: number },
): MessageServices {
  const { store, settings, permissions, events, systemMessages } = deps;
  const parsing = new MessageParsing(store, settings);
  const ephemeral = new Ephemeral(events, parsing);
  const desktop = new DesktopNotifications(store, settings, permissions, events);
  const roomCounts = new RoomCountEvents(store, events);
  const notifications = new MessageNotifications(store, settings, events, desktop, roomCounts);
  return {
    messages: new MessagesService(store, settings, permissions, events, parsing, ephemeral, notifications),
    messageEdits: new MessageEdits(store, settings, permissions, events, parsing, systemMessages),
    history: new HistoryService(store, settings, permissions, systemMessages, notifications, opts.historyMaxLimit),
    ephemeral,
    stopAnnouncing: () => roomCounts.stop(),
  };
}

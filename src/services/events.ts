import type { Message, Room, Subscription } from '../domain/types.js';

/**
 * What services announce. The realtime layer turns each call into Rocket.Chat stream events on the
 * bus; services know only this vocabulary.
 */
export interface ChatEvents {
  /**
   * A subscription was inserted, updated or removed (removed: the whole deleted document).
   * `room` is required for 'inserted' (the member's rooms-changed stream receives it at once).
   */
  subscriptionChanged(action: 'inserted' | 'updated' | 'removed', sub: Subscription, room?: Room): void;
  /** A room was inserted, updated or removed. */
  roomChanged(action: 'inserted' | 'updated' | 'removed', room: Room): void;
  /** A message was inserted or updated (the room's stream and `__my_messages__`). */
  messageSaved(message: Message, room: Room): void;
  /** A message was hard-deleted. */
  messageDeleted(rid: string, messageId: string): void;
  /** A `<rid>/<event>` event on the room notify stream. */
  roomEvent(rid: string, event: string, args: unknown[], exceptSession?: string): void;
  /** A `<uid>/<event>` event on the user notify stream. */
  userEvent(userId: string, event: string, args: unknown[], exceptSession?: string): void;
  /** An event for every logged-in user. */
  loggedEvent(event: string, args: unknown[]): void;
  /** An event for everyone, anonymous included. */
  allEvent(event: string, args: unknown[]): void;
  /** A user's roles or state changed (caches must reload it; `logout` ends its sessions). */
  userChanged(userId: string, opts?: { logout?: boolean }): void;
  settingChanged(id: string, value: unknown, isPublic: boolean): void;
  permissionChanged(id: string, roles: string[]): void;
}

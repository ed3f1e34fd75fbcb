import { ConflictError, InvalidArgumentError } from './errors.js';
import type { Room } from './types.js';

/**
 * Room name rules (model.md §9, Rocket.Chat `getValidRoomName`): the pure part. The uniqueness
 * lookup is the caller's; these functions only judge a name and build the errors.
 */

/** Used when the `UTF8_Channel_Names_Validation` setting is not a valid regular expression. */
const FALLBACK = /^[0-9a-zA-Z-_. ]+$/;

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]!);
}

/** The name pattern for a value of `UTF8_Channel_Names_Validation`: whole name, never only whitespace. */
export function roomNamePattern(setting: string): RegExp {
  try {
    return new RegExp(`^(?!\\s+$)(?:${setting})$`);
  } catch {
    return FALLBACK;
  }
}

export function isValidRoomName(name: string, setting: string): boolean {
  return roomNamePattern(setting).test(name);
}

const details = (name: string) => ({ function: 'RocketChat.getValidRoomName', channel_name: escapeHtml(name) });

export const RoomNameErrors = {
  invalid: (name: string) =>
    new InvalidArgumentError('error-invalid-room-name', `${escapeHtml(name)} is not a valid room name.`, details(name)),
  /** The name is taken by `existing` (archived or not). */
  taken: (name: string, existing: Pick<Room, 'archived'>) =>
    existing.archived
      ? new ConflictError('error-archived-duplicate-name', `There's an archived channel with name ${escapeHtml(name)}`, details(name))
      : new ConflictError('error-duplicate-channel-name', `A channel with name '${escapeHtml(name)}' exists`, details(name)),
} as const;

/** A member name that looks like a federated id (`@user:server`). */
export const isFederatedUsername = (username: string): boolean => username.includes('@') && username.includes(':');

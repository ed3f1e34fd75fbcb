import type { Message } from '../state/types';

const ROLE_NAMES: Record<string, string> = { owner: 'owner', moderator: 'moderator', leader: 'leader' };

/** A system message (model.md §8.1) in words; undefined for an ordinary message. */
export function systemText(m: Message): string | undefined {
  if (!m.t) return undefined;
  const actor = m.u?.username ?? 'someone';
  const target = m.msg;
  const role = ROLE_NAMES[String((m as { role?: string }).role)] ?? String((m as { role?: string }).role ?? 'a role');
  switch (m.t) {
    case 'uj':
    case 'ujt':
    case 'ut':
      return `${actor} joined the room`;
    case 'ul':
    case 'ult':
      return `${actor} left the room`;
    case 'au':
    case 'added-user-to-team':
      return `${target} was added by ${actor}`;
    case 'ru':
    case 'removed-user-from-team':
      return `${target} was removed by ${actor}`;
    case 'r':
      return `${actor} changed the room name to ${target}`;
    case 'room_changed_topic':
      return target ? `${actor} changed the room topic to ${target}` : `${actor} cleared the room topic`;
    case 'room_changed_description':
      return `${actor} changed the room description to ${target}`;
    case 'room_changed_announcement':
      return `${actor} changed the room announcement to ${target}`;
    case 'room_changed_privacy':
      return `${actor} changed the room type to ${target}`;
    case 'room_changed_avatar':
      return `${actor} changed the room avatar`;
    case 'room-archived':
      return `${actor} archived the room`;
    case 'room-unarchived':
      return `${actor} unarchived the room`;
    case 'room-set-read-only':
      return `${actor} set the room to read only`;
    case 'room-removed-read-only':
      return `${actor} made the room writable again (no longer read only)`;
    case 'room-allowed-reacting':
      return `${actor} allowed reacting in the room`;
    case 'room-disallowed-reacting':
      return `${actor} disallowed reacting in the room`;
    case 'subscription-role-added':
      return `${target} was set ${role} by ${actor}`;
    case 'subscription-role-removed':
      return `${target} is no longer ${role}, by ${actor}`;
    case 'user-muted':
      return `${target} was muted by ${actor}`;
    case 'user-unmuted':
      return `${target} was unmuted by ${actor}`;
    case 'rm':
      return 'Message deleted';
    default:
      return `${actor}: ${m.t}${target ? ` ${target}` : ''}`;
  }
}

/** System messages that change who is in the room or what they may do (the members panel reloads). */
export const MEMBERSHIP_TYPES = new Set(['uj', 'ujt', 'ut', 'ul', 'ult', 'au', 'ru', 'subscription-role-added', 'subscription-role-removed', 'user-muted', 'user-unmuted']);

import type { Room, Subscription, User, UserRef } from './types.js';

/** Room fields never sent to clients. */
const ROOM_SECRETS = new Set(['joinCode']);

/** The room as clients may see it (every stored field but secrets such as `joinCode`). */
export function publicRoom(room: Room): Room {
  if (room.joinCode === undefined) return room;
  const out: Room = { ...room };
  for (const k of ROOM_SECRETS) delete out[k];
  return out;
}

/** Published subscription fields (Rocket.Chat `subscriptionFields`), plus `_id`. */
export const SUBSCRIPTION_FIELDS = [
  '_id', 't', 'ts', 'ls', 'lr', 'name', 'fname', 'rid', 'code', 'f', 'u', 'open', 'alert', 'roles', 'unread',
  'prid', 'customFields', 'userMentions', 'groupMentions', 'archived', 'audioNotificationValue',
  'desktopNotifications', 'mobilePushNotifications', 'emailNotifications', 'desktopPrefOrigin',
  'mobilePrefOrigin', 'emailPrefOrigin', 'unreadAlert', '_updatedAt', 'blocked', 'blocker', 'autoTranslate',
  'autoTranslateLanguage', 'disableNotifications', 'hideUnreadStatus', 'hideMentionStatus', 'muteGroupMentions',
  'ignored', 'E2EKey', 'E2ESuggestedKey', 'oldRoomKeys', 'tunread', 'tunreadGroup', 'tunreadUser', 'department',
  'v', 'onHold',
] as const;

export function publicSubscription(sub: Subscription): Subscription {
  const out: Record<string, unknown> = {};
  for (const k of SUBSCRIPTION_FIELDS) if (sub[k] !== undefined) out[k] = sub[k];
  return out as Subscription;
}

/** `{_id, username, name?}` of a user, as embedded in rooms, subscriptions and messages. */
export function userRef(user: Pick<User, '_id' | 'username' | 'name'>): UserRef {
  const ref: UserRef = { _id: user._id, username: user.username ?? '' };
  if (user.name !== undefined) ref.name = user.name;
  return ref;
}

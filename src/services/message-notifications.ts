import type { Message, Room, Subscription } from '../domain/types.js';
import type { MessageEffects, MessagePost, PostedMessage, Store } from '../store/store.js';
import type { DesktopNotifications, MessageAudience } from './desktop-notifications.js';
import type { ChatEvents } from './events.js';
import type { RoomCountEvents } from './room-count-events.js';
import type { SettingsService } from './settings-service.js';

const USER_MENTION_COUNTS = new Set(['all_messages', 'user_mentions_only', 'user_and_group_mentions_only']);
const GROUP_MENTION_COUNTS = new Set(['all_messages', 'group_mentions_only', 'user_and_group_mentions_only']);

/** Who a message mentions, from its `mentions` (user mentions without the sender). */
export function audienceOf(message: Message): MessageAudience {
  const mentions = message.mentions ?? [];
  const mentionIds = new Set<string>();
  for (const m of mentions) {
    if (m._id === 'all' || m._id === 'here' || m._id === message.u._id) continue;
    if (m.type === undefined || m.type === 'user') mentionIds.add(m._id);
  }
  return {
    senderId: message.u._id,
    mentionIds,
    toAll: mentions.some((m) => m._id === 'all'),
    toHere: mentions.some((m) => m._id === 'here'),
  };
}

/**
 * The counters a new message adds to the other members' subscriptions (findings §7,
 * `updateUsersSubscriptions`): user mentions take priority over @all/@here; `unread` follows
 * `Unread_Count` (c/p) or `Unread_Count_DM` (DMs count every mention).
 */
export function messageEffects(room: Pick<Room, 't'>, senderId: string, a: MessageAudience, unreadCount: string): MessageEffects {
  const dm = room.t === 'd';
  const userInc = dm || USER_MENTION_COUNTS.has(unreadCount);
  const groupInc = dm || GROUP_MENTION_COUNTS.has(unreadCount);
  const group = a.toAll || a.toHere;
  const mentioned = [...a.mentionIds];
  let incUnread: MessageEffects['incUnread'] = [];
  if (!group && unreadCount === 'all_messages') incUnread = 'all';
  else if (mentioned.length > 0) incUnread = userInc ? mentioned : [];
  else if (group) incUnread = groupInc ? 'all' : [];
  return { senderId, incUnread, incUserMentions: mentioned, incGroupMentions: mentioned.length === 0 && group };
}

/** What a new message writes besides itself, and what its announcement needs. */
export interface MessagePlan {
  post: MessagePost;
  audience?: MessageAudience;
  /** The message counts for every member (room-wide counts, announced by RoomCountEvents). */
  roomCounted: boolean;
}

/**
 * What follows the insert of a new message (`notifyUsersOnMessage`, rooms.md B.4 step 14): the
 * room's `msgs`/`lm`/`lastMessage`, the members' unread state and the sender marked read are
 * written with the message (`plan`, for Store.postMessage: one atomic write that does not grow
 * with the room, room-wide counts being one write of the room's counts); then each change is
 * announced (room-wide counts coalesced per room by RoomCountEvents) and desktop notifications go
 * out (`announce`, after the commit).
 */
export class MessageNotifications {
  constructor(
    private readonly store: Store,
    private readonly settings: SettingsService,
    private readonly events: ChatEvents,
    private readonly desktop: DesktopNotifications,
    private readonly roomCounts: RoomCountEvents,
  ) {}

  /** What the message writes besides itself (Store.postMessage). */
  plan(message: Message, room: Room): MessagePlan {
    const threadOnly = message.tmid !== undefined && message.tshow !== true;
    const roomSet: Partial<Room> = threadOnly ? {} : { lm: message.ts };
    const roomLastMessage = !threadOnly && this.settings.bool('Store_Last_Message');
    // Thread replies (shown in the room or not) leave the members' subscriptions alone.
    if (message.tmid !== undefined) return { post: { roomSet, roomLastMessage, readBySender: false }, roomCounted: false };
    const audience = audienceOf(message);
    const unreadCount = this.settings.string(room.t === 'd' ? 'Unread_Count_DM' : 'Unread_Count');
    const effects = messageEffects(room, message.u._id, audience, unreadCount);
    return {
      post: { roomSet, roomLastMessage, effects, readBySender: true },
      audience,
      roomCounted: effects.incUnread === 'all' || effects.incGroupMentions,
    };
  }

  /** The events of a committed message's writes, and the desktop notifications. */
  async announce(posted: PostedMessage, plan: MessagePlan, room: Room): Promise<void> {
    const updated = posted.room ?? room;
    this.events.roomChanged('updated', updated);
    for (const sub of posted.changed) this.events.subscriptionChanged('updated', sub);
    if (posted.sender) this.events.subscriptionChanged('updated', posted.sender);
    if (plan.roomCounted) this.roomCounts.counted(updated._id);
    if (plan.audience) await this.desktop.notify(posted.message, updated, plan.audience);
  }

  /**
   * Marks the room read for the user (`setAsReadByRoomIdAndUserId`); with `keepAlert` the alert
   * stays on. Returns false when the user has no subscription.
   */
  async markRead(rid: string, userId: string, opts: { keepAlert?: boolean; readThreads?: boolean } = {}): Promise<boolean> {
    const updated = await readState(this.store, rid, userId, opts);
    if (!updated) return false;
    this.events.subscriptionChanged('updated', updated);
    return true;
  }

  /**
   * Marks the room unread from `since` on (`setAsUnreadByRoomIdAndUserId`): open, alert, and the
   * last-seen time moved back. Returns false when the user has no subscription.
   */
  async markUnread(rid: string, userId: string, since: Date): Promise<boolean> {
    const sub = await this.store.subscriptions.findByRoomAndUser(rid, userId);
    const updated = sub && (await this.store.subscriptions.update(sub._id, { set: { open: true, alert: true, ls: since } }));
    if (!updated) return false;
    this.events.subscriptionChanged('updated', updated);
    return true;
  }
}

/** Writes the "read" state of a user's subscription; undefined when the user has none. */
async function readState(
  store: Store,
  rid: string,
  userId: string,
  opts: { keepAlert?: boolean; readThreads?: boolean } = {},
): Promise<Subscription | undefined> {
  const sub = await store.subscriptions.findByRoomAndUser(rid, userId);
  if (!sub) return undefined;
  return store.subscriptions.update(sub._id, {
    set: { open: true, alert: opts.keepAlert === true, unread: 0, userMentions: 0, groupMentions: 0, ls: new Date() },
    ...(opts.readThreads ? { unset: ['tunread', 'tunreadUser', 'tunreadGroup'] } : {}),
  });
}

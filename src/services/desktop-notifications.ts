import type { Message, Room, Subscription, User } from '../domain/types.js';
import type { Store } from '../store/store.js';
import type { ChatEvents } from './events.js';
import type { PermissionsService } from './permissions-service.js';
import type { SettingsService } from './settings-service.js';

/** Who a new message mentions (user mentions exclude the sender, `all` and `here`). */
export interface MessageAudience {
  senderId: string;
  mentionIds: ReadonlySet<string>;
  toAll: boolean;
  toHere: boolean;
}

/**
 * Desktop notifications for a new message (`<uid>/notification`, streams.md §4.3, findings §5).
 * A member is notified when connected (statusConnection not offline), not busy, active, not
 * ignoring the sender, and its preference allows it: 'all' → every message; 'mentions' → DMs and
 * direct mentions; 'nothing' → never; unset → the server default (Orbit: DMs, direct mentions
 * and @all/@here).
 */
export class DesktopNotifications {
  constructor(
    private readonly store: Store,
    private readonly settings: SettingsService,
    private readonly permissions: PermissionsService,
    private readonly events: ChatEvents,
  ) {}

  async notify(message: Message, room: Room, audience: MessageAudience): Promise<void> {
    if (this.settings.bool('Troubleshoot_Disable_Notifications') || message.tmid) return;
    const senderId = message.u._id;
    const maxMembers = this.settings.int('Notifications_Max_Room_Members');
    const disableAll = maxMembers !== 0 && room.usersCount > maxMembers;
    const subs = await this.#candidates(room, audience, disableAll);
    // Decided on the subscriptions first, so that only the few candidates' user records are read.
    const candidates = subs.filter((s) => s.u._id !== senderId && this.#subscriptionWants(s, room, audience, disableAll));
    if (candidates.length === 0) return;
    const users = await this.store.users.findByIds(candidates.map((s) => s.u._id));
    let payload: unknown;
    for (const user of users) {
      if (!this.#userReachable(user, room)) continue;
      payload ??= this.#payload(message, room);
      this.events.userEvent(user._id, 'notification', [payload]);
    }
  }

  /**
   * The subscriptions worth looking at. Usually only the mentioned members and those who asked for
   * every notification (an indexed query), so that a message in a large room does not read every
   * member; the whole room only when the server default or the message reaches everyone.
   */
  #candidates(room: Room, a: MessageAudience, disableAll: boolean): Promise<Subscription[]> {
    const everyone =
      room.t === 'd' ||
      ((a.toAll || a.toHere) && !disableAll) ||
      this.settings.string('Accounts_Default_User_Preferences_desktopNotifications') === 'all';
    return everyone
      ? this.store.subscriptions.listByRoom(room._id)
      : this.store.subscriptions.listForNotification(room._id, [...a.mentionIds]);
  }

  /** The subscription's own say: preferences, ignore list, muted group mentions. */
  #subscriptionWants(sub: Subscription, room: Room, a: MessageAudience, disableAll: boolean): boolean {
    if (sub.disableNotifications === true) return false;
    if (Array.isArray(sub.ignored) && sub.ignored.includes(a.senderId)) return false;
    const mentioned = a.mentionIds.has(sub.u._id);
    const group = a.toAll || a.toHere;
    if (sub.muteGroupMentions === true && group && !mentioned) return false;
    const pref = sub.desktopNotifications && sub.desktopNotifications !== 'default' ? sub.desktopNotifications : undefined;
    if (disableAll && pref === undefined && !mentioned) return false;
    switch (pref ?? this.settings.string('Accounts_Default_User_Preferences_desktopNotifications')) {
      case 'all':
        return true;
      case 'nothing':
        return false;
      case 'mentions':
        return room.t === 'd' || mentioned || (pref === undefined && group && !disableAll);
      default:
        return room.t === 'd' || mentioned;
    }
  }

  /** The receiver: active, connected, not busy, and (DMs) allowed to see DMs. */
  #userReachable(user: User, room: Room): boolean {
    if (!user.active || user.status === 'busy' || (user.statusConnection ?? 'offline') === 'offline') return false;
    return room.t !== 'd' || this.permissions.rolesGrant(user.roles, 'view-d-room');
  }

  #payload(message: Message, room: Room): unknown {
    const sender = message.u;
    const senderName = this.settings.bool('UI_Use_Real_Name') ? sender.name || sender.username : sender.username;
    const text = this.settings.bool('Push_show_message') ? message.msg : 'You have a new message';
    const showNames = this.settings.bool('Push_show_username_room');
    let title: string;
    let body: string;
    if (room.t === 'd' && (room.uids?.length ?? 2) <= 2) {
      title = showNames ? senderName : '';
      body = text;
    } else if (room.t === 'd') {
      title = showNames ? room.fname || (room.usernames ?? []).join(', ') : '';
      body = showNames ? `${senderName}: ${text}` : text;
    } else {
      const special = this.settings.bool('UI_Allow_room_names_with_special_chars');
      title = `#${(special ? room.fname : undefined) ?? room.name ?? ''}`;
      body = `${senderName}: ${text}`;
    }
    const inner: Record<string, unknown> = {
      _id: message._id,
      rid: message.rid,
      sender,
      type: room.t,
      message: message.t ? { msg: message.msg, t: message.t } : { msg: message.msg },
    };
    if (room.name !== undefined) inner.name = room.name;
    return { title, text: body, payload: inner };
  }
}

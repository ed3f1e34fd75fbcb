import type { Bus } from '../bus/bus.js';
import {
  Topics,
  type MembershipPayload,
  type RoomChangedPayload,
  type RoomMessagePayload,
  type StreamEventPayload,
} from '../bus/topics.js';
import { publicRoom, publicSubscription } from '../domain/projections.js';
import type { Message, Room, Subscription } from '../domain/types.js';
import type { ChatEvents } from '../services/events.js';

/** ChatEvents as Rocket.Chat stream events on the bus (streams.md §6). */
export class BusChatEvents implements ChatEvents {
  constructor(private readonly bus: Bus) {}

  #stream(stream: string, payload: StreamEventPayload): void {
    this.bus.publish(Topics.stream(stream), payload);
  }

  subscriptionChanged(action: 'inserted' | 'updated' | 'removed', sub: Subscription, room?: Room): void {
    const userId = sub.u._id;
    this.#stream('notify-user', { eventName: `${userId}/subscriptions-changed`, args: [action, publicSubscription(sub)] });
    if (action === 'inserted') {
      const p: MembershipPayload = { action: 'added', userId, rid: sub.rid, roomType: sub.t };
      if (room) p.room = publicRoom(room);
      this.bus.publish(Topics.membership, p);
    } else if (action === 'removed') {
      this.bus.publish(Topics.membership, { action: 'removed', userId, rid: sub.rid, roomType: sub.t } satisfies MembershipPayload);
    }
  }

  roomChanged(action: 'inserted' | 'updated' | 'removed', room: Room): void {
    const payload: RoomChangedPayload = { action, room: action === 'removed' ? { _id: room._id } : publicRoom(room) };
    this.bus.publish(Topics.roomChanged, payload);
  }

  messageSaved(message: Message, room: Room): void {
    const payload: RoomMessagePayload = { message, room: { _id: room._id, t: room.t } };
    if (room.name !== undefined) payload.room.name = room.name;
    this.bus.publish(Topics.roomMessage, payload);
  }

  messageDeleted(rid: string, messageId: string): void {
    this.roomEvent(rid, 'deleteMessage', [{ _id: messageId }]);
  }

  roomEvent(rid: string, event: string, args: unknown[], exceptSession?: string): void {
    this.#stream('notify-room', { eventName: `${rid}/${event}`, args, ...(exceptSession ? { exceptSession } : {}) });
  }

  userEvent(userId: string, event: string, args: unknown[], exceptSession?: string): void {
    this.#stream('notify-user', { eventName: `${userId}/${event}`, args, ...(exceptSession ? { exceptSession } : {}) });
  }

  loggedEvent(event: string, args: unknown[]): void {
    this.#stream('notify-logged', { eventName: event, args });
  }

  allEvent(event: string, args: unknown[]): void {
    this.#stream('notify-all', { eventName: event, args });
  }

  userChanged(userId: string, opts: { logout?: boolean } = {}): void {
    this.bus.publish(Topics.userChanged, { userId, ...(opts.logout ? { logout: true } : {}) });
  }

  settingChanged(id: string, value: unknown, isPublic: boolean): void {
    this.bus.publish(Topics.settingChanged, { id, value });
    if (isPublic) this.allEvent('public-settings-changed', ['updated', { _id: id, value }]);
    else this.loggedEvent('private-settings-changed', ['updated', { _id: id, value }]);
  }

  permissionChanged(id: string, roles: string[]): void {
    this.bus.publish(Topics.permissionChanged, { id, roles });
    this.loggedEvent('permissions-changed', ['updated', { _id: id, roles }]);
  }
}

import { newRoomSubscription } from '../domain/subscriptions.js';
import type { Room, Subscription, User, UserRef } from '../domain/types.js';
import { objectId } from '../lib/random.js';
import { DuplicateKeyError } from '../store/errors.js';
import type { Store } from '../store/store.js';
import type { ChatEvents } from './events.js';
import type { SystemMessages } from './system-messages.js';

export interface AddOptions {
  /** Who added the user (`au` system message); absent = the user joined (`uj`). */
  inviter?: UserRef;
  /** No system message. */
  silenced?: boolean;
}

/** Joining and leaving c/p rooms: the subscription, `usersCount`, the system message and the events. */
export class MembershipService {
  constructor(
    private readonly store: Store,
    private readonly events: ChatEvents,
    private readonly systemMessages: SystemMessages,
  ) {}

  /** Adds the user to the room; returns undefined if already a member. */
  async addUser(room: Room, user: User, opts: AddOptions = {}): Promise<Subscription | undefined> {
    if (await this.store.subscriptions.findByRoomAndUser(room._id, user._id)) return undefined;
    const now = new Date();
    let sub: Subscription;
    try {
      sub = await this.store.subscriptions.insert(
        newRoomSubscription(objectId(), room, user, {
          ts: now,
          open: true,
          alert: true,
          unread: 1,
          userMentions: 1,
          groupMentions: 0,
        }),
      );
    } catch (err) {
      if (err instanceof DuplicateKeyError) return undefined; // joined concurrently
      throw err;
    }
    const updated = (await this.store.rooms.update(room._id, { inc: { usersCount: 1 } })) ?? room;
    this.events.subscriptionChanged('inserted', sub, updated);
    if (opts.silenced) {
      this.events.roomChanged('updated', updated);
    } else if (opts.inviter) {
      await this.systemMessages.create('au', updated, user.username ?? '', { _id: opts.inviter._id, username: opts.inviter.username }, { ts: now });
    } else {
      await this.systemMessages.create('uj', updated, user.username ?? '', user, { ts: now });
    }
    return sub;
  }

  /**
   * Removes the user's subscription (the `ul`/`ru` message is written first, while the user is
   * still a member). Returns the removed subscription, or undefined if the user was not a member.
   */
  async removeUser(room: Room, user: User, opts: { remover?: UserRef } = {}): Promise<Subscription | undefined> {
    const existing = await this.store.subscriptions.findByRoomAndUser(room._id, user._id);
    if (!existing) return undefined;
    if (opts.remover) await this.systemMessages.create('ru', room, user.username ?? '', opts.remover);
    else await this.systemMessages.create('ul', room, user.username ?? '', user);
    const removed = await this.store.subscriptions.delete(existing._id);
    if (!removed) return undefined;
    const updated = (await this.store.rooms.update(room._id, { inc: { usersCount: -1 } })) ?? room;
    this.events.subscriptionChanged('removed', removed);
    this.events.roomChanged('updated', updated);
    return removed;
  }
}

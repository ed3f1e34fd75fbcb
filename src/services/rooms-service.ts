import { Errors, ForbiddenError, PreconditionError } from '../domain/errors.js';
import { publicRoom, publicSubscription } from '../domain/projections.js';
import type { Removed, Room, Subscription, User } from '../domain/types.js';
import type { Store } from '../store/store.js';
import type { ChatEvents } from './events.js';
import type { MembershipService } from './membership-service.js';
import type { PermissionsService } from './permissions-service.js';
import type { SettingsService } from './settings-service.js';
import type { SystemMessages } from './system-messages.js';

export type Delta<T> = T[] | { update: T[]; remove: Removed[] };

/**
 * Room use cases that work on existing rooms (rooms.md A.1–A.9, B.1, B.8, B.12,
 * accounts.md getRoomIdByNameOrId): the sidebar queries, archive/unarchive, the per-user sidebar
 * flags (favorite, hide, open), leaving and erasing. Every check runs in the spec's order before
 * anything is written.
 */
export class RoomsService {
  readonly #store: Store;
  readonly #settings: SettingsService;
  readonly #permissions: PermissionsService;
  readonly #events: ChatEvents;
  readonly #systemMessages: SystemMessages;
  readonly #membership: MembershipService;

  constructor(deps: {
    store: Store;
    settings: SettingsService;
    permissions: PermissionsService;
    events: ChatEvents;
    systemMessages: SystemMessages;
    membership: MembershipService;
  }) {
    this.#store = deps.store;
    this.#settings = deps.settings;
    this.#permissions = deps.permissions;
    this.#events = deps.events;
    this.#systemMessages = deps.systemMessages;
    this.#membership = deps.membership;
  }

  // ---- queries -------------------------------------------------------------------------------

  /** `rooms/get`: the caller's rooms, all or changed since `since` (with the room trash). */
  async roomsOf(userId: string | null, since?: Date): Promise<Delta<Room>> {
    if (!userId) {
      if (!this.#settings.bool('Accounts_AllowAnonymousRead')) return [];
      return (await this.#store.rooms.listDefault('c')).map(publicRoom);
    }
    const rooms = (await this.#store.rooms.listForUser(userId, since)).map(publicRoom);
    if (!since) return rooms;
    // Like Rocket.Chat, removals are not filtered by membership: they only carry ids.
    return { update: rooms, remove: await this.#store.rooms.listRemovedSince(since) };
  }

  /** `subscriptions/get`: the caller's subscriptions, all or changed since `since`. */
  async subscriptionsOf(userId: string | null, since?: Date): Promise<Delta<Subscription>> {
    if (!userId) return [];
    const subs = (await this.#store.subscriptions.listByUser(userId, since)).map(publicSubscription);
    if (!since) return subs;
    return { update: subs, remove: await this.#store.subscriptions.listRemovedForUser(userId, since) };
  }

  /** `getRoomById`. The first two errors name `getRoomNameById` (sic, as the real server does). */
  async roomById(userId: string | null, rid: string): Promise<Room> {
    if (!userId) throw Errors.invalidUser({ method: 'getRoomNameById' });
    const room = await this.#store.rooms.findById(rid);
    if (!room) throw Errors.notAllowed({ method: 'getRoomNameById' });
    const user = await this.#store.users.findById(userId);
    if (!(await this.#permissions.canAccessRoom(room, user))) throw Errors.notAllowed();
    return publicRoom(room);
  }

  /** `getRoomNameById`: members get the name of any room; others only of public rooms. */
  async roomNameById(userId: string | null, rid: string): Promise<string | undefined> {
    if (!userId) throw Errors.invalidUser();
    const room = await this.#store.rooms.findById(rid);
    if (!room) throw Errors.notAllowed();
    if (await this.#store.subscriptions.findByRoomAndUser(rid, userId)) return room.name;
    const user = await this.#store.users.findById(userId);
    if (room.t !== 'c' || !(await this.#permissions.hasPermission(user, 'view-c-room'))) throw Errors.notAllowed();
    return room.name;
  }

  /** `getRoomByTypeAndName`: by type and name or id. Values that are not strings match no room. */
  async roomByTypeAndName(userId: string | null, type: unknown, name: unknown): Promise<Room> {
    if (!type || !name) throw Errors.invalidRoom();
    const user = userId ? await this.#store.users.findById(userId) : undefined;
    if (!user && (!this.#settings.bool('Accounts_AllowAnonymousRead') || type !== 'c')) throw Errors.invalidUser();
    const room = typeof type === 'string' && typeof name === 'string' ? await this.#findByTypeAndNameOrId(type, name) : undefined;
    if (!room) throw Errors.invalidRoom();
    if (user && !(await this.#permissions.canAccessRoom(room, user))) {
      throw new ForbiddenError('error-no-permission', 'No permission');
    }
    const out = publicRoom(room);
    // An anonymous reader holds no permission at all, so it never sees lastMessage either.
    if (this.#settings.bool('Store_Last_Message') && !(await this.#permissions.hasPermission(user, 'preview-c-room'))) {
      const { lastMessage: _dropped, ...rest } = out;
      return rest as Room;
    }
    return out;
  }

  /** `getRoomIdByNameOrId`: the id of a room the caller may access. */
  async roomIdByNameOrId(userId: string | null, nameOrId: string): Promise<string> {
    if (!userId) throw Errors.invalidUser();
    const room = (await this.#store.rooms.findById(nameOrId)) ?? (await this.#store.rooms.findByName(nameOrId));
    if (!room) throw Errors.notAllowed();
    const user = await this.#store.users.findById(userId);
    if (!(await this.#permissions.canAccessRoom(room, user))) throw Errors.notAllowed();
    return room._id;
  }

  async #findByTypeAndNameOrId(type: string, nameOrId: string): Promise<Room | undefined> {
    const byId = await this.#store.rooms.findById(nameOrId);
    if (byId?.t === type) return byId;
    const byName = await this.#store.rooms.findByName(nameOrId);
    return byName?.t === type ? byName : undefined;
  }

  // ---- archive -------------------------------------------------------------------------------

  /** `archiveRoom` (after the login and type checks). */
  async archive(userId: string, rid: string): Promise<void> {
    const user = await this.#userWithName(userId);
    const room = await this.#room(rid);
    if (room.t === 'd') throw new PreconditionError('error-direct-message-room', `rooms type: ${room.t} can not be archived`);
    if (!(await this.#permissions.hasPermission(user, 'archive-room', rid))) throw Errors.notAuthorized();
    await this.#setArchived(room, user, true);
  }

  /** `unarchiveRoom` (after the login and type checks). No room-type check. */
  async unarchive(userId: string, rid: string): Promise<void> {
    const user = await this.#userWithName(userId);
    const room = await this.#room(rid);
    if (!(await this.#permissions.hasPermission(user, 'unarchive-room', rid))) throw Errors.notAuthorized();
    await this.#setArchived(room, user, false);
  }

  async #setArchived(room: Room, actor: User, archived: boolean): Promise<void> {
    const updated = (await this.#store.rooms.update(room._id, { set: { archived } })) ?? room;
    const subs = await this.#store.subscriptions.updateByRoom(room._id, { set: { alert: false, open: !archived, archived } });
    for (const sub of subs) this.#events.subscriptionChanged('updated', sub);
    // The system message announces the room (now archived / unarchived) through rooms-changed.
    await this.#systemMessages.create(archived ? 'room-archived' : 'room-unarchived', updated, '', actor);
  }

  // ---- the caller's sidebar --------------------------------------------------------------------

  /** `toggleFavorite`: sets `f`; returns the number of subscriptions modified (1). */
  async setFavorite(userId: string | null, rid: string, favorite: boolean): Promise<number> {
    if (!userId) throw Errors.invalidUser();
    const sub = await this.#store.subscriptions.findByRoomAndUser(rid, userId);
    if (!sub) throw new PreconditionError('error-invalid-subscription', 'You must be part of a room to favorite it');
    return this.#updateOwn(sub, { f: favorite });
  }

  /** `hideRoom`: closes the caller's subscription if it is open; 1 if it was, else 0. */
  async hide(userId: string, rid: string): Promise<number> {
    const sub = await this.#store.subscriptions.findByRoomAndUser(rid, userId);
    if (!sub || sub.open !== true) return 0;
    return this.#updateOwn(sub, { alert: false, open: false });
  }

  /** `openRoom`: opens the caller's subscription; 1 if there is one, else 0. */
  async open(userId: string | null, rid: string): Promise<number> {
    if (!userId) throw Errors.invalidUser();
    const sub = await this.#store.subscriptions.findByRoomAndUser(rid, userId);
    if (!sub) return 0;
    return this.#updateOwn(sub, { open: true });
  }

  async #updateOwn(sub: Subscription, set: Partial<Subscription>): Promise<number> {
    const updated = await this.#store.subscriptions.update(sub._id, { set });
    if (!updated) return 0;
    this.#events.subscriptionChanged('updated', updated);
    return 1;
  }

  // ---- leave / erase -----------------------------------------------------------------------------

  /** `leaveRoom`: DMs cannot be left; the last owner must hand over first. */
  async leave(userId: string | null, rid: string): Promise<void> {
    const user = userId ? await this.#store.users.findById(userId) : undefined;
    if (!user) throw Errors.invalidUser();
    const room = await this.#room(rid);
    if (room.t === 'd') throw Errors.notAllowed();
    if (!(await this.#permissions.hasPermission(user, room.t === 'c' ? 'leave-c' : 'leave-p'))) throw Errors.notAllowed();
    const sub = await this.#store.subscriptions.findByRoomAndUser(rid, user._id);
    if (!sub) throw Errors.userNotInRoom('You are not in this room');
    if (sub.roles?.includes('owner') && (await this.#store.subscriptions.countByRoomAndRole(rid, 'owner')) === 1) {
      throw new PreconditionError(
        'error-you-are-last-owner',
        'You are the last owner. Please set new owner before leaving the room.',
      );
    }
    await this.#membership.removeUser(room, user);
  }

  /** `eraseRoom`: the room, its messages and its subscriptions go; returns true. */
  async erase(userId: string | null, rid: string): Promise<true> {
    if (!userId) throw Errors.invalidUser();
    const room = await this.#room(rid);
    if (room.federated === true) throw new PreconditionError('error-cannot-delete-federated-room', 'Cannot delete federated room');
    const user = await this.#store.users.findById(userId);
    if (!(await this.#permissions.hasPermission(user, `delete-${room.t}`, rid))) throw Errors.notAllowed();
    await this.destroy(room);
    return true;
  }

  /** The room, its messages and its subscriptions go, without any check (callers decide who may). */
  async destroy(room: Room): Promise<void> {
    await this.#store.messages.deleteByRoom(room._id);
    const subs = await this.#store.subscriptions.deleteByRoom(room._id);
    await this.#store.rooms.delete(room._id);
    // Decision: the room's removal goes out first, while the members' rooms-changed streams still
    // follow the room; each member's subscription removal then ends that (and stops their
    // stream-room-messages subscription for the room).
    this.#events.roomChanged('removed', room);
    for (const sub of subs) this.#events.subscriptionChanged('removed', sub);
  }

  // ---- helpers -------------------------------------------------------------------------------------

  async #userWithName(userId: string): Promise<User> {
    const user = await this.#store.users.findById(userId);
    if (!user?.username) throw Errors.invalidUser();
    return user;
  }

  async #room(rid: string): Promise<Room> {
    const room = await this.#store.rooms.findById(rid);
    if (!room) throw Errors.invalidRoom();
    return room;
  }
}

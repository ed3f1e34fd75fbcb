import { Errors, PreconditionError } from '../domain/errors.js';
import type { Room, Subscription, User } from '../domain/types.js';
import { randomId } from '../lib/random.js';
import { DuplicateKeyError } from '../store/errors.js';
import type { Store } from '../store/store.js';
import type { ChatEvents } from './events.js';
import type { PermissionsService } from './permissions-service.js';
import type { SettingsService } from './settings-service.js';

export interface DirectMessageResult {
  t: 'd';
  rid: string;
  usernames: string[];
}

/** What a caller without `create-d` but with `view-d-room` gets for an existing DM. */
export interface ExistingDirectMessage {
  _id: string;
  t: 'd';
  rid: string;
}

const displayName = (u: Pick<User, 'name' | 'username'>): string => u.name || u.username || '';

/**
 * `createDirectMessage` (rooms.md A.10, model.md §1, §4.1, §5.1): finds or creates the DM of the
 * caller and the named users — 1:1 (id = the two user ids sorted and joined), group, or self —
 * and makes sure every member has a subscription, the caller's open.
 */
export class DirectMessagesService {
  readonly #store: Store;
  readonly #settings: SettingsService;
  readonly #permissions: PermissionsService;
  readonly #events: ChatEvents;

  constructor(deps: { store: Store; settings: SettingsService; permissions: PermissionsService; events: ChatEvents }) {
    this.#store = deps.store;
    this.#settings = deps.settings;
    this.#permissions = deps.permissions;
    this.#events = deps.events;
  }

  async create(userId: string | null, usernames: readonly string[]): Promise<DirectMessageResult | ExistingDirectMessage> {
    if (!userId) throw Errors.invalidUser();
    const me = await this.#store.users.findById(userId);
    if (!me?.username) throw Errors.invalidUser();
    if (!this.#settings.bool('Message_AllowDirectMessagesToYourself') && usernames.length === 1 && usernames[0] === me.username) {
      throw Errors.invalidUser();
    }
    const members = [me, ...(await this.#others(me, usernames))];
    const uids = members.map((m) => m._id).sort();

    if (!(await this.#permissions.hasPermission(me, 'create-d'))) {
      const existing = (await this.#permissions.hasPermission(me, 'view-d-room')) ? await this.#find(uids) : undefined;
      if (existing) return { _id: existing._id, t: 'd', rid: existing._id };
      throw Errors.notAllowed();
    }
    const maxUsers = this.#settings.int('DirectMesssage_maxUsers') || 1;
    if (members.length > maxUsers) {
      throw new PreconditionError(
        'error-direct-message-max-user-exceeded',
        `You cannot add more than ${maxUsers} users, including yourself to a direct message`,
        { method: 'createDirectRoom' },
      );
    }

    const sorted = [...members].sort((a, b) => displayName(a).localeCompare(displayName(b)));
    const sortedUsernames = sorted.map((m) => m.username ?? '');
    const { room, inserted } = await this.#findOrInsert(uids, sortedUsernames);
    this.#events.roomChanged(inserted ? 'inserted' : 'updated', room);
    for (const member of members) await this.#subscribe(room, member, sorted, member._id === me._id);
    return { t: 'd', rid: room._id, usernames: sortedUsernames };
  }

  /** The other members: every name but the caller's must be a user (case-insensitive). */
  async #others(me: User, usernames: readonly string[]): Promise<User[]> {
    const names = [...new Set(usernames.filter((n) => n !== me.username))];
    if (names.length === 0) return [];
    const found = await this.#store.users.findByUsernames(names);
    const byLower = new Map(found.map((u) => [(u.username ?? '').toLowerCase(), u]));
    const out = new Map<string, User>();
    for (const name of names) {
      const user = byLower.get(name.toLowerCase());
      if (!user) throw Errors.invalidUser();
      if (user._id !== me._id) out.set(user._id, user);
    }
    return [...out.values()];
  }

  /** 2 members: the room whose id is their ids joined; otherwise the DM with exactly these uids. */
  async #find(uids: string[]): Promise<Room | undefined> {
    if (uids.length === 2) {
      const room = await this.#store.rooms.findById(uids.join(''));
      return room?.t === 'd' ? room : undefined;
    }
    return this.#store.rooms.findDirectByUids(uids);
  }

  async #findOrInsert(uids: string[], usernames: string[]): Promise<{ room: Room; inserted: boolean }> {
    const existing = await this.#find(uids);
    if (existing) return { room: existing, inserted: false };
    const now = new Date();
    const draft: Room = {
      _id: uids.length === 2 ? uids.join('') : randomId(),
      t: 'd',
      usernames,
      usersCount: uids.length,
      msgs: 0,
      ts: now,
      uids,
      _updatedAt: now,
    };
    try {
      return { room: await this.#store.rooms.insert(draft), inserted: true };
    } catch (err) {
      const raced = err instanceof DuplicateKeyError ? await this.#find(uids) : undefined;
      if (raced) return { room: raced, inserted: false };
      throw err;
    }
  }

  /** Upserts a member's subscription; the creator's is (re)opened, the others' are left alone. */
  async #subscribe(room: Room, member: User, sorted: User[], isCreator: boolean): Promise<void> {
    const existing = await this.#store.subscriptions.findByRoomAndUser(room._id, member._id);
    if (existing) {
      if (!isCreator) return;
      // As on the real server (every update bumps _updatedAt), the creator's subscription is
      // rewritten and announced even when it was already open.
      const updated = await this.#store.subscriptions.update(existing._id, { set: { open: true } });
      if (updated) this.#events.subscriptionChanged('updated', updated);
      return;
    }
    const others = sorted.length === 1 ? sorted : sorted.filter((m) => m._id !== member._id);
    const now = new Date();
    const sub: Subscription = {
      _id: randomId(),
      rid: room._id,
      t: 'd',
      name: others.map((m) => m.username ?? '').join(', '),
      fname: others.map(displayName).join(', '),
      u: { _id: member._id, username: member.username ?? '' },
      ts: now,
      open: isCreator || (room.uids?.length ?? 0) > 2,
      alert: false,
      unread: 0,
      userMentions: 0,
      groupMentions: 0,
      _updatedAt: now,
    };
    try {
      this.#events.subscriptionChanged('inserted', await this.#store.subscriptions.insert(sub), room);
    } catch (err) {
      if (!(err instanceof DuplicateKeyError)) throw err;
    }
  }
}

import { Errors, InvalidArgumentError, NotFoundError } from '../domain/errors.js';
import { publicRoom, userRef } from '../domain/projections.js';
import { RoomNameErrors, isFederatedUsername, isValidRoomName } from '../domain/room-names.js';
import { newRoomSubscription } from '../domain/subscriptions.js';
import type { Room, Subscription, User } from '../domain/types.js';
import { objectId } from '../lib/random.js';
import { DuplicateKeyError } from '../store/errors.js';
import type { Store } from '../store/store.js';
import type { ChatEvents } from './events.js';
import type { PermissionsService } from './permissions-service.js';
import type { SettingsService } from './settings-service.js';

/** The params of createChannel / createPrivateGroup after their type checks. */
export interface NewRoomInput {
  name: string;
  members: string[];
  /** Anything; only `true` makes the room read-only (as on the real server). */
  readOnly: unknown;
  customFields: Record<string, unknown>;
  extraData: Record<string, unknown>;
}

/** What the methods return: the room as inserted, plus `rid` and `inserted`. */
export type CreatedRoom = { rid: string; inserted: true } & Room;

/**
 * Decision (rooms.md A.11 step 3): of `extraData` only these keys are kept, and only with the
 * right type; everything else is ignored rather than spread into the room.
 */
const EXTRA_KEYS: Record<string, 'boolean' | 'string'> = {
  broadcast: 'boolean',
  encrypted: 'boolean',
  topic: 'string',
  description: 'string',
  announcement: 'string',
};

/** createChannel (rooms.md B.2) and createPrivateGroup (A.11), i.e. Rocket.Chat's `createRoom`. */
export class RoomCreationService {
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

  /** `createChannel`, after the login and type checks. */
  async createChannel(userId: string, input: NewRoomInput): Promise<CreatedRoom> {
    const owner = await this.#store.users.findById(userId);
    if (!owner?.username) throw Errors.invalidUser();
    await this.#checkCreatePermission(owner, input, 'create-c');
    return this.#createRoom('c', owner, input);
  }

  /** `createPrivateGroup`, after the login and type checks. */
  async createPrivateGroup(userId: string, input: NewRoomInput): Promise<CreatedRoom> {
    const owner = await this.#store.users.findById(userId);
    if (!owner) throw Errors.invalidUser();
    await this.#checkCreatePermission(owner, input, 'create-p');
    return this.#createRoom('p', owner, input);
  }

  async #checkCreatePermission(owner: User, input: NewRoomInput, permission: string): Promise<void> {
    // Teams are out of scope: no team exists, so any teamId names a missing team (rooms.md B.2 row 4).
    if (input.extraData['teamId']) {
      throw new NotFoundError('error-team-not-found', 'The "teamId" param provided does not match any team');
    }
    if (!(await this.#permissions.hasPermission(owner, permission))) throw Errors.notAllowed();
  }

  async #createRoom(t: 'c' | 'p', owner: User, input: NewRoomInput): Promise<CreatedRoom> {
    if (input.members.some(isFederatedUsername)) {
      throw new InvalidArgumentError(
        'error-federated-users-in-non-federated-rooms',
        'Cannot add federated users to non-federated rooms',
        { method: 'createRoom' },
      );
    }
    if (input.name.trim().length === 0) {
      throw new InvalidArgumentError('error-invalid-name', 'Invalid name', { function: 'RocketChat.createRoom' });
    }
    if (!owner.username) throw Errors.invalidUser({ function: 'RocketChat.createRoom' });
    const name = await this.#validName(input.name.trim());
    const members = input.members.includes(owner.username) ? input.members : [...input.members, owner.username];
    const extra = pickExtraData(input.extraData);
    const now = new Date();
    const draft: Room = {
      _id: objectId(),
      fname: input.name,
      customFields: input.customFields,
      ...extra,
      name,
      t,
      msgs: 0,
      usersCount: 0,
      u: userRef(owner),
      ts: now,
      ro: input.readOnly === true || extra.broadcast === true,
      default: false,
      sysMes: true,
      _updatedAt: now,
    };
    let room: Room;
    try {
      room = await this.#store.rooms.insert(draft);
    } catch (err) {
      if (err instanceof DuplicateKeyError) throw RoomNameErrors.taken(name, (await this.#store.rooms.findByName(name)) ?? {});
      throw err;
    }
    const subs = await this.#subscribe(room, owner, members, now);
    const current = (await this.#store.rooms.update(room._id, { inc: { usersCount: subs.length } })) ?? room;
    this.#events.roomChanged('inserted', current);
    for (const sub of subs) this.#events.subscriptionChanged('inserted', sub, current);
    return { rid: room._id, inserted: true, ...publicRoom(room) };
  }

  /** getValidRoomName (model.md §9) without the special-characters mode. */
  async #validName(name: string): Promise<string> {
    if (!isValidRoomName(name, this.#settings.string('UTF8_Channel_Names_Validation'))) throw RoomNameErrors.invalid(name);
    const existing = await this.#store.rooms.findByName(name);
    if (existing) throw RoomNameErrors.taken(name, existing);
    return name;
  }

  /** One subscription per member that resolves to a user (unknown names are skipped). */
  async #subscribe(room: Room, owner: User, usernames: string[], now: Date): Promise<Subscription[]> {
    const seen = new Set<string>();
    const subs: Subscription[] = [];
    for (const user of await this.#store.users.findByUsernames(usernames)) {
      if (seen.has(user._id)) continue;
      seen.add(user._id);
      const isOwner = user._id === owner._id;
      const fields: Partial<Subscription> = { ts: room.ts, open: true, ...(isOwner ? { ls: now, roles: ['owner'] } : {}) };
      try {
        subs.push(await this.#store.subscriptions.insert(newRoomSubscription(objectId(), room, user, fields)));
      } catch (err) {
        if (!(err instanceof DuplicateKeyError)) throw err;
      }
    }
    return subs;
  }
}

function pickExtraData(extraData: Record<string, unknown>): Partial<Room> {
  const out: Record<string, unknown> = {};
  for (const [key, type] of Object.entries(EXTRA_KEYS)) {
    if (typeof extraData[key] === type) out[key] = extraData[key];
  }
  return out as Partial<Room>;
}

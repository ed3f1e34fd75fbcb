import { Errors, ForbiddenError, InvalidArgumentError, NotFoundError, PreconditionError } from '../domain/errors.js';
import { userRef } from '../domain/projections.js';
import type { Room, User } from '../domain/types.js';
import type { Page, Store } from '../store/store.js';
import type { Ephemeral } from './ephemeral.js';
import type { MembershipService } from './membership-service.js';
import type { PermissionsService } from './permissions-service.js';
import type { SettingsService } from './settings-service.js';

/** The wire details every addUsersToRoom error carries, even when called as addUserToRoom. */
const ADD_USERS = { method: 'addUsersToRoom' } as const;

const REMOVE = { method: 'removeUserFromRoom' } as const;
const notInRoom = () => new PreconditionError('error-user-not-in-room', 'User is not in this room', REMOVE);
/** Rocket.Chat's wording (it says "group" for channels too), without details. */
const roomNotFound = () =>
  new NotFoundError('error-room-not-found', 'The required "roomId" or "roomName" param provided does not match any group', null);

/** A `getUsersOfRoom` record. */
export type RoomMemberRecord = Pick<User, '_id'> & Partial<User>;

const MEMBER_FIELDS = ['_id', 'username', 'name', 'nickname', 'status', 'avatarETag', '_updatedAt', 'federated'] as const;

/** Leading `@` (or the first ` @`) stripped, as Rocket.Chat's sanitizeUsername does. */
export const sanitizeUsername = (username: string): string =>
  username.includes('@') && username.includes(':') ? username : username.replace(/(^@)|( @)/, '');

/** Inviting, joining and listing members (rooms.md A.19, B.3, B.7, B.11). */
export class RoomMembersService {
  constructor(
    private readonly store: Store,
    private readonly permissions: PermissionsService,
    private readonly settings: SettingsService,
    private readonly membership: MembershipService,
    private readonly ephemeral: Ephemeral,
  ) {}

  /** addUsersToRoom after the login check (A.19 checks 2–7). Users are added one by one. */
  async addUsers(callerId: string, rid: unknown, usernames: unknown): Promise<true> {
    if (typeof rid !== 'string') throw Errors.invalidRoom(ADD_USERS);
    const room = await this.store.rooms.findById(rid);
    if (!room) throw Errors.invalidRoom(ADD_USERS);
    const callerIsMember = !!(await this.store.subscriptions.findByRoomAndUser(rid, callerId));
    if (room.t === 'd') throw new PreconditionError('error-cant-invite-for-direct-room', "Can't invite user to direct rooms", ADD_USERS);
    const caller = await this.store.users.findById(callerId);
    if (!caller || !(await this.#mayAdd(caller, room, callerIsMember))) throw Errors.notAllowed(ADD_USERS);
    // Rocket.Chat crashes (500) on a non-string entry; Orbit calls it an invalid argument (decision).
    if (!Array.isArray(usernames) || !usernames.every((u) => typeof u === 'string')) {
      throw new InvalidArgumentError('error-invalid-arguments', 'Invalid arguments', ADD_USERS);
    }
    const inviter = userRef(caller);
    for (const raw of usernames as string[]) {
      const user = await this.store.users.findByUsername(sanitizeUsername(raw));
      if (!user) throw new NotFoundError('error-user-not-found', 'User not found', ADD_USERS);
      const added = await this.membership.addUser(room, user, { inviter });
      if (!added && user.username) this.#alreadyHere(callerId, rid, user.username);
    }
    return true;
  }

  async #mayAdd(caller: User, room: Room, callerIsMember: boolean): Promise<boolean> {
    if (callerIsMember && (await this.permissions.hasPermission(caller, 'add-user-to-joined-room', room._id))) return true;
    if (room.t === 'c') return this.permissions.hasPermission(caller, 'add-user-to-any-c-room');
    if (room.t === 'p') return this.permissions.hasPermission(caller, 'add-user-to-any-p-room');
    return false;
  }

  /** The ephemeral "already in here" notice (streams.md §4.3 `message`: from rocket.cat, with `md`). */
  #alreadyHere(callerId: string, rid: string, username: string): void {
    this.ephemeral.send(callerId, rid, `\`@${username}\` is already in here.`);
  }

  /**
   * removeUserFromRoom (Rocket.Chat's removeUserFromRoomMethod) after the login check: `remove-user`
   * in the room; never in a DM; a caller who cannot see the room learns nothing of it unless they
   * may kick from any room of its type; the room's last owner stays. The `ru` message, the
   * subscription's removal and the events come from MembershipService.removeUser.
   */
  async remove(callerId: string, rid: string, username: string): Promise<true> {
    const caller = await this.store.users.findById(callerId);
    if (!(await this.permissions.hasPermission(caller, 'remove-user', rid))) throw Errors.notAllowed(REMOVE);
    const room = await this.store.rooms.findById(rid);
    if (!room || room.t === 'd') throw Errors.notAllowed(REMOVE);
    if (!caller) throw Errors.invalidUser(REMOVE);
    const kickAny = await this.permissions.hasPermission(caller, room.t === 'c' ? 'kick-user-from-any-c-room' : 'kick-user-from-any-p-room');
    if (!kickAny && !(await this.permissions.canAccessRoom(room, caller))) throw roomNotFound();
    const target = await this.store.users.findByUsername(username);
    if (!target) throw notInRoom();
    const sub = await this.store.subscriptions.findByRoomAndUser(rid, target._id);
    // Rocket.Chat lets a caller with kick-user-from-any-*-room "remove" a non-member (a false `ru`
    // message); Orbit refuses it like any other caller's (decision).
    if (!sub) throw notInRoom();
    if (sub.roles?.includes('owner') && (await this.store.subscriptions.countByRoomAndRole(rid, 'owner')) === 1) {
      throw new PreconditionError(
        'error-you-are-last-owner',
        'You are the last owner. Please set new owner before leaving the room.',
        REMOVE,
      );
    }
    await this.membership.removeUser(room, target, { remover: userRef(caller) });
    return true;
  }

  /** joinRoom (B.3) after the login check. True when the caller became a member, undefined if already one. */
  async join(callerId: string, rid: string, joinCode: unknown): Promise<true | undefined> {
    const room = await this.store.rooms.findById(rid);
    if (!room) throw Errors.invalidRoom();
    if (room.t === 'd') throw Errors.notAllowed();
    const caller = await this.store.users.findById(callerId);
    if (!caller || !(await this.permissions.canAccessRoom(room, caller))) throw Errors.notAllowed();
    if (
      room.joinCodeRequired === true &&
      joinCode !== room.joinCode &&
      !(await this.permissions.hasPermission(caller, 'join-without-join-code'))
    ) {
      throw new ForbiddenError('error-code-invalid', 'Invalid Room Password');
    }
    return (await this.membership.addUser(room, caller)) ? true : undefined;
  }

  /** getUsersOfRoom (B.7) after the type and login checks. */
  async usersOfRoom(
    callerId: string,
    rid: string,
    opts: { showAll: boolean; page: Page; filter?: string },
  ): Promise<{ total: number; records: RoomMemberRecord[] }> {
    const room = await this.store.rooms.findById(rid);
    if (!room) throw Errors.notAllowed();
    const caller = await this.store.users.findById(callerId);
    if (!caller || !(await this.permissions.canAccessRoom(room, caller))) {
      throw new ForbiddenError('not-authorized', 'Not Authorized');
    }
    if (room.broadcast && !(await this.permissions.hasPermission(caller, 'view-broadcast-member-list', rid))) {
      throw Errors.notAllowed();
    }
    const query = { includeOffline: opts.showAll, ...(opts.filter ? { filter: opts.filter } : {}) };
    if (!this.settings.bool('UI_Use_Real_Name')) {
      const { total, records } = await this.store.users.listRoomMembers(rid, { ...query, page: opts.page });
      return { total, records: records.map(memberRecord) };
    }
    // Sorted by name as well: done here, over the unpaged list (the store sorts by username only).
    const { total, records } = await this.store.users.listRoomMembers(rid, query);
    records.sort(byConnectionNameUsername);
    const skip = Math.max(0, opts.page.skip ?? 0);
    const limit = opts.page.limit ?? 0;
    return { total, records: records.slice(skip, limit > 0 ? skip + limit : undefined).map(memberRecord) };
  }
}

function memberRecord(u: User): RoomMemberRecord {
  const doc = u as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of MEMBER_FIELDS) if (doc[k] !== undefined) out[k] = doc[k];
  return out as RoomMemberRecord;
}

const cmp = (a: string | undefined, b: string | undefined): number => {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  return a < b ? -1 : 1;
};

function byConnectionNameUsername(a: User, b: User): number {
  return -cmp(a.statusConnection, b.statusConnection) || cmp(a.name, b.name) || cmp(a.username, b.username);
}

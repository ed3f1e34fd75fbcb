import type {
  Integration,
  LoginToken,
  Message,
  Permission,
  Removed,
  Role,
  Room,
  Setting,
  Subscription,
  User,
} from '../domain/types.js';

/**
 * The persistence contract. Every backend (SQLite, PostgreSQL) implements it and passes the shared
 * suite in store.conformance.ts. Documents go in and come out in their wire shape (domain/types.ts);
 * how a backend lays them out is its own business. Rules for every backend:
 * - `_updatedAt` is set to the current time by every insert and every update that matches (Role has
 *   none). Inserts return the stored document and never modify the caller's object.
 * - Deletes keep a trash copy (`_deletedAt`) that the delta calls read; inserting a document with
 *   the same `_id` again drops that copy.
 * - Unique keys raise DuplicateKeyError: users.username (case-insensitive), users email
 *   (case-insensitive), rooms.name, subscriptions (rid, u._id), messages._id.
 * - Each method is atomic on its own; `transaction` groups several.
 * - Dates come back as Date objects at any depth; every other value comes back as stored
 *   (operator-like objects such as `{$where: ...}` and `{$date: ...}` included).
 * - List order is unspecified unless a method says otherwise.
 */
export interface Store {
  readonly users: UsersRepo;
  readonly rooms: RoomsRepo;
  readonly subscriptions: SubscriptionsRepo;
  readonly messages: MessagesRepo;
  readonly settings: SettingsRepo;
  readonly permissions: PermissionsRepo;
  readonly roles: RolesRepo;
  readonly integrations: IntegrationsRepo;
  /**
   * Runs `fn` with a store whose operations all commit together or not at all: if `fn` throws,
   * every write made through `tx` is rolled back and the error rethrown. Inside `fn` use only `tx`:
   * calls on the outer store are not part of the transaction, and on SQLite they wait until it
   * ends (so awaiting one inside `fn` never returns). A DuplicateKeyError caught inside `fn` leaves
   * the transaction usable. `tx.transaction(f)` just runs `f(tx)`. `tx` refuses work once `fn` has
   * settled.
   */
  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T>;
  /**
   * Inserts a new message and writes what it changes, all or nothing, in one statement where the
   * backend can (PostgreSQL: one round trip): the room (`post.roomSet`, `msgs + 1`, `_updatedAt`),
   * the members' bookkeeping (`post.effects`, as subscriptions.applyMessage) and, with
   * `post.readBySender`, the sender's subscription marked read (`open: true, alert: false`,
   * counters 0, `ls` and `_updatedAt` now). Undefined (nothing written) when a message with this
   * `_id` exists.
   */
  postMessage(message: Message, post: MessagePost): Promise<PostedMessage | undefined>;
  close(): Promise<void>;
}

/** What a new message writes besides itself (Store.postMessage). */
export interface MessagePost {
  /** Fields set on the room (`msgs` goes up by one in any case). */
  roomSet: Partial<Room>;
  /** The room's `lastMessage` becomes the message as stored. */
  roomLastMessage: boolean;
  /** The members' bookkeeping; absent for none (thread replies). */
  effects?: MessageEffects;
  readBySender: boolean;
}

/** What Store.postMessage wrote. */
export interface PostedMessage {
  /** The message as stored. */
  message: Message;
  /** The room after the message (undefined: no such room). */
  room?: Room;
  /** The members' subscriptions written one by one (as applyMessage returns them). */
  changed: Subscription[];
  /** The sender's subscription marked read (when asked and it has one). */
  sender?: Subscription;
}

/**
 * A typed partial update of a document's top-level fields. Applied in the order set, unset, inc,
 * addToSet, pull; then `_updatedAt` is set to now. `_id` never changes. A `set` member whose value
 * is `undefined` is ignored. `inc` on an absent field starts from 0.
 */
export interface Patch<T> {
  set?: Partial<T>;
  unset?: ReadonlyArray<keyof T & string>;
  inc?: Partial<Record<keyof T & string, number>>;
  /** Adds a string to an array field unless present (creates the array). */
  addToSet?: Partial<Record<keyof T & string, string>>;
  /** Removes a string (every occurrence) from an array field; an absent field stays absent. */
  pull?: Partial<Record<keyof T & string, string>>;
}

export interface Page {
  skip?: number;
  /** 0 or absent = no limit. */
  limit?: number;
}

export type UserFilterField = '_id' | 'username' | 'name' | 'status' | 'active' | 'type' | 'roles';
export type UserSortField = 'username' | 'name' | 'status' | 'active' | 'type' | 'createdAt';

/** A page of users for admin listings (users.list). */
export interface UserListQuery {
  /** Equality on each field given (`roles`: the user holds that global role). */
  filter?: Partial<Record<UserFilterField, string | boolean>>;
  /** Applied in order (absent values first when ascending), ties broken by `_id`; default username ascending. */
  sort?: ReadonlyArray<readonly [UserSortField, 1 | -1]>;
  page?: Page;
}

export interface UsersRepo {
  findById(id: string): Promise<User | undefined>;
  /** Exact match first, then a case-insensitive match. */
  findByUsername(username: string): Promise<User | undefined>;
  /** Case-insensitive. */
  findByEmail(email: string): Promise<User | undefined>;
  findByIds(ids: readonly string[]): Promise<User[]>;
  /** Case-insensitive; unknown names are skipped. */
  findByUsernames(usernames: readonly string[]): Promise<User[]>;
  /** The user holding a resume token with this hash, and that token. */
  findByLoginToken(hashedToken: string): Promise<{ user: User; token: LoginToken } | undefined>;
  insert(user: User): Promise<User>;
  update(id: string, patch: Patch<User>): Promise<User | undefined>;
  addLoginToken(id: string, token: LoginToken): Promise<void>;
  removeLoginToken(id: string, hashedToken: string): Promise<void>;
  setPassword(id: string, bcryptHash: string): Promise<void>;
  /** Deletes the user (with its emails, roles and tokens) and returns it; no trash copy. */
  delete(id: string): Promise<User | undefined>;
  /** Users matching the query, paged, with the total that match. */
  list(query: UserListQuery): Promise<{ total: number; records: User[] }>;
  /** Users holding at least one of these global roles. */
  listByRoles(roles: readonly string[]): Promise<User[]>;
  count(): Promise<number>;
  /**
   * Members of a room (users with a subscription to it), for getUsersOfRoom.
   * `total` counts members that have a username; `records` are active members, without those whose
   * `status` is 'offline' unless `includeOffline`, filtered (`filter`: case-insensitive substring of
   * username, name, bio or nickname; '' = none) and paged, sorted by statusConnection descending,
   * then username ascending (code-point order).
   */
  listRoomMembers(
    rid: string,
    opts: { includeOffline: boolean; filter?: string; page?: Page },
  ): Promise<{ total: number; records: User[] }>;
}

export interface RoomsRepo {
  findById(id: string): Promise<Room | undefined>;
  /** Exact name match. */
  findByName(name: string): Promise<Room | undefined>;
  findByIds(ids: readonly string[]): Promise<Room[]>;
  /** The DM whose `uids` are exactly these ids (any order). */
  findDirectByUids(uids: readonly string[]): Promise<Room | undefined>;
  insert(room: Room): Promise<Room>;
  update(id: string, patch: Patch<Room>): Promise<Room | undefined>;
  /** Deletes the room (trash copy kept) and returns it. */
  delete(id: string): Promise<Room | undefined>;
  /** Rooms the user has a subscription to; with `since`, only those with `_updatedAt > since`. */
  listForUser(userId: string, since?: Date): Promise<Room[]>;
  /** Rooms with `default: true`, optionally of one type. */
  listDefault(type?: 'c' | 'p'): Promise<Room[]>;
  /** Trash entries with `_deletedAt > since`. */
  listRemovedSince(since: Date): Promise<Removed[]>;
}

export interface MessageEffects {
  senderId: string;
  /** `unread += 1` for these members ('all' = every member but the sender). */
  incUnread: 'all' | readonly string[];
  /** `userMentions += 1` for these members. */
  incUserMentions: readonly string[];
  /** `groupMentions += 1` for every member but the sender. */
  incGroupMentions: boolean;
}

export interface SubscriptionsRepo {
  findById(id: string): Promise<Subscription | undefined>;
  findByRoomAndUser(rid: string, userId: string): Promise<Subscription | undefined>;
  /** Exact match on `u.username`. */
  findByRoomAndUsername(rid: string, username: string): Promise<Subscription | undefined>;
  /** With `since`, only those with `_updatedAt > since`. */
  listByUser(userId: string, since?: Date): Promise<Subscription[]>;
  listRemovedForUser(userId: string, since: Date): Promise<Removed[]>;
  listByRoom(rid: string): Promise<Subscription[]>;
  /** Subscriptions of the room whose user is one of `userIds` or whose `desktopNotifications` is 'all'. */
  listForNotification(rid: string, userIds: readonly string[]): Promise<Subscription[]>;
  listUserIdsByRoom(rid: string): Promise<string[]>;
  /** Subscriptions of the room whose roles contain any of `roles`, sorted by u.username (code-point order). */
  listByRoomAndRoles(rid: string, roles: readonly string[]): Promise<Subscription[]>;
  countByRoomAndRole(rid: string, role: string): Promise<number>;
  /** Room ids the user is subscribed to. */
  listRoomIdsByUser(userId: string): Promise<string[]>;
  insert(sub: Subscription): Promise<Subscription>;
  update(id: string, patch: Patch<Subscription>): Promise<Subscription | undefined>;
  /** Updates every subscription of the room (optionally but one user, optionally only open ones); returns the updated. */
  updateByRoom(
    rid: string,
    patch: Patch<Subscription>,
    filter?: { exceptUserId?: string; onlyOpen?: boolean },
  ): Promise<Subscription[]>;
  /**
   * The bookkeeping of a new message, O(1) in the room's size: for every member but the sender
   * `alert: true, open: true` and the counters of `effects` (the sender is never counted, even if
   * listed). Counts for every member (`incUnread: 'all'`, `incGroupMentions`) are one write of the
   * room's counts, not of each member: every read of a member's subscription includes them, with
   * `_updatedAt` the time of the last such count (listByUser's `since` follows it), until the
   * subscription is written again. Returns the subscriptions written one by one: those alerted or
   * opened now and those counted by name; they alone get a new stored `_updatedAt`.
   * `listWithRoomCounts` lists the members a room-wide count changed.
   */
  applyMessage(rid: string, effects: MessageEffects): Promise<Subscription[]>;
  /** Subscriptions of the room that include room-wide counts made since they were last written. */
  listWithRoomCounts(rid: string): Promise<Subscription[]>;
  delete(id: string): Promise<Subscription | undefined>;
  deleteByRoom(rid: string): Promise<Subscription[]>;
}

export interface HistoryQuery {
  /** Only messages with `ts < before`. */
  before?: Date;
  /** Only messages with `ts > after`. */
  after?: Date;
  /** System-message types to leave out. */
  excludeTypes?: readonly string[];
  /** Leave out thread replies not shown in the room (`tmid` set and `tshow` not true). */
  excludeThreadReplies?: boolean;
}

/** A window on change times for delta reads: exclusive bounds, oldest or newest first, `limit` 0/absent = all. */
export interface ChangeWindow {
  after?: Date;
  before?: Date;
  order: 'asc' | 'desc';
  limit?: number;
}

export interface MessagesRepo {
  findById(id: string): Promise<Message | undefined>;
  /** Returns false (and writes nothing) if a message with this `_id` exists. */
  insert(message: Message): Promise<boolean>;
  update(id: string, patch: Patch<Message>): Promise<Message | undefined>;
  delete(id: string): Promise<Message | undefined>;
  deleteByRoom(rid: string): Promise<number>;
  /** Deletes every message sent by the user (trash copies kept); returns the ids of the rooms they were in. */
  deleteByUser(userId: string): Promise<string[]>;
  /**
   * Visible (`_hidden` not true) messages of the room, newest first, through an index on (rid, ts).
   * `limit` ≤ 0 = no limit.
   */
  listHistory(rid: string, query: HistoryQuery, limit: number): Promise<Message[]>;
  /**
   * listHistory with each message left in its stored JSON text, Dates as `{"$date": ms}` (EJSON),
   * so that it can be sent without being decoded and encoded again; `ts` alongside.
   */
  listHistoryJson(rid: string, query: HistoryQuery, limit: number): Promise<Array<{ ts: Date; json: string }>>;
  /** Oldest visible message matching the query and how many match. */
  findOldestAndCount(rid: string, query: HistoryQuery): Promise<{ oldest?: Message; count: number }>;
  /** The newest visible message without a system type (`t`), skipping thread replies not shown in the room. */
  findLastVisible(rid: string): Promise<Message | undefined>;
  /** Visible messages of the room whose `_updatedAt` is inside the window, ordered by `_updatedAt` (indexed). */
  listChanged(rid: string, window: ChangeWindow): Promise<Message[]>;
  /** Deleted messages of the room (the trash) whose deletion time is inside the window, ordered by it. */
  listDeleted(rid: string, window: ChangeWindow): Promise<Removed[]>;
}

export interface SettingsRepo {
  list(): Promise<Setting[]>;
  /** Inserts the setting unless one with this id exists; returns the stored one. */
  insertDefault(setting: Setting): Promise<Setting>;
  setValue(id: string, value: unknown): Promise<Setting | undefined>;
}

export interface PermissionsRepo {
  list(): Promise<Permission[]>;
  insertDefault(permission: Permission): Promise<Permission>;
  setRoles(id: string, roles: readonly string[]): Promise<Permission | undefined>;
}

export interface RolesRepo {
  list(): Promise<Role[]>;
  insertDefault(role: Role): Promise<Role>;
}

export interface IntegrationsRepo {
  findById(id: string): Promise<Integration | undefined>;
  /** Stamps `_updatedAt`; DuplicateKeyError on a taken `_id`. */
  insert(integration: Integration): Promise<Integration>;
  /** Deletes and returns it (no trash copy). */
  delete(id: string): Promise<Integration | undefined>;
  /** Integrations of a type (those created by `createdBy` when given), newest `_createdAt` first, paged, with the total. */
  list(filter: { type: Integration['type']; createdBy?: string }, page: Page): Promise<{ total: number; records: Integration[] }>;
}

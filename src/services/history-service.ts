import { Errors, ForbiddenError, InvalidArgumentError, NotFoundError } from '../domain/errors.js';
import type { Message, Removed, User } from '../domain/types.js';
import { RawJson } from '../lib/raw-json.js';
import type { HistoryQuery, Store } from '../store/store.js';
import type { MessageNotifications } from './message-notifications.js';
import type { PermissionsService } from './permissions-service.js';
import type { SettingsService } from './settings-service.js';
import type { SystemMessages } from './system-messages.js';

export interface HistoryRequest {
  rid: string;
  /** Only messages strictly older than this. */
  end?: Date;
  /** Absent → 20; capped at the configured maximum (Rocket.Chat has no cap). */
  limit?: number;
  /** The client's "last seen" time, for the unread information. */
  ls?: Date;
  showThreadMessages: boolean;
}

export interface HistoryPage {
  /** Messages, or their stored text where nothing in them depends on the caller. */
  messages: Array<Message | RawJson>;
  firstUnread?: Message;
  unreadNotLoaded: number;
}

export const DEFAULT_HISTORY_LIMIT = 20;

/** messages/get's delta forms: all changes since `lastUpdate`, or a page after `next` / before `previous` of one `type`. */
export interface SyncRequest {
  lastUpdate?: Date;
  next?: string;
  previous?: string;
  count?: number;
  type?: 'UPDATED' | 'DELETED';
}

export interface SyncResult {
  updated: Message[];
  deleted: Removed[];
  cursor?: { next: string | null; previous: string | null };
}

const messagesGetError = (code: string, reason: string) => new InvalidArgumentError(code, reason, null);

/** A cursor is a time in milliseconds (Rocket.Chat's extractTimestampFromCursor); it throws a plain "Invalid Date". */
function cursorTime(cursor: string): Date {
  const ms = Number.parseInt(cursor, 10);
  const d = new Date(ms);
  if (Number.isNaN(ms) || Number.isNaN(d.getTime())) throw new InvalidArgumentError('Invalid Date');
  return d;
}

interface PageDraft extends HistoryPage {
  oldestTs?: Date;
}

/** loadHistory (rooms.md A.13) and readMessages (B.9). */
export class HistoryService {
  constructor(
    private readonly store: Store,
    private readonly settings: SettingsService,
    private readonly permissions: PermissionsService,
    private readonly systemMessages: SystemMessages,
    private readonly notifications: MessageNotifications,
    private readonly maxLimit: number,
  ) {}

  /** The effective page size: absent → 20, non-positive → the cap (Mongo's `limit(0)` means "all"). */
  limitFor(requested: number | undefined): number {
    if (requested === undefined) return Math.min(DEFAULT_HISTORY_LIMIT, this.maxLimit);
    const n = Math.floor(requested);
    return n <= 0 ? this.maxLimit : Math.min(n, this.maxLimit);
  }

  /** A page of history, or false when the caller may not read the room. */
  async load(userId: string | null, req: HistoryRequest): Promise<HistoryPage | false> {
    if (!userId && !this.settings.bool('Accounts_AllowAnonymousRead')) throw Errors.invalidUser();
    const user = userId ? ((await this.store.users.findById(userId)) ?? null) : null;
    const room = await this.store.rooms.findById(req.rid);
    if (!room || !(await this.permissions.canAccessRoom(room, user))) return false;
    if (user && room.t === 'c' && !(await this.permissions.hasPermission(user, 'preview-c-room'))) {
      if (!(await this.store.subscriptions.findByRoomAndUser(room._id, user._id))) return false;
    }
    const filter: HistoryQuery = { excludeTypes: this.systemMessages.hiddenTypes(room), excludeThreadReplies: !req.showThreadMessages };
    const query = req.end ? { ...filter, before: req.end } : filter;
    const page = await this.#page(room._id, query, this.limitFor(req.limit), user);
    const oldest = page.oldestTs;
    if (req.ls && oldest && oldest.getTime() > req.ls.getTime()) {
      const unread = await this.store.messages.findOldestAndCount(room._id, { ...filter, after: req.ls, before: oldest });
      if (unread.oldest) page.firstUnread = (await this.#normalize([unread.oldest], user))[0]!;
      page.unreadNotLoaded = unread.count;
    }
    return { messages: page.messages, ...(page.firstUnread ? { firstUnread: page.firstUnread } : {}), unreadNotLoaded: page.unreadNotLoaded };
  }

  /**
   * One page of messages. When nothing in them depends on the caller (no real names to fill, no
   * stars to reduce), the stored text is sent as is: no decoding and encoding again.
   */
  async #page(rid: string, query: HistoryQuery, limit: number, user: User | null): Promise<PageDraft> {
    if (!this.settings.bool('UI_Use_Real_Name')) {
      const rows = await this.store.messages.listHistoryJson(rid, query, limit);
      if (!rows.some((r) => r.json.includes('"starred"'))) {
        return { messages: rows.map((r) => new RawJson(r.json)), oldestTs: rows[rows.length - 1]?.ts, unreadNotLoaded: 0 };
      }
    }
    const messages = await this.store.messages.listHistory(rid, query, limit);
    return { messages: await this.#normalize(messages, user), oldestTs: messages[messages.length - 1]?.ts, unreadNotLoaded: 0 };
  }

  /** getSingleMessage: a message of a room the caller may access; undefined when there is none. */
  async single(userId: string, msgId: string): Promise<Message | undefined> {
    const message = await this.store.messages.findById(msgId);
    if (!message?.rid) return undefined;
    const [room, user] = await Promise.all([this.store.rooms.findById(message.rid), this.store.users.findById(userId)]);
    if (!room || !(await this.permissions.canAccessRoom(room, user))) throw Errors.notAllowed({ method: 'getSingleMessage' });
    return (await this.#normalize([message], user ?? null))[0];
  }

  /**
   * messages/get as chat.syncMessages calls it (Rocket.Chat 7.1+): what changed in a room the
   * caller may access — since `lastUpdate`, or one cursor page of updates or deletions. Without
   * either, nothing (Rocket.Chat answers its history, which the route discards).
   */
  async sync(userId: string, rid: string, req: SyncRequest): Promise<SyncResult> {
    const [room, user] = await Promise.all([this.store.rooms.findById(rid), this.store.users.findById(userId)]);
    if (!room || !(await this.permissions.canAccessRoom(room, user))) throw Errors.notAllowed({ method: 'messages/get' });
    const { lastUpdate, next, previous, type } = req;
    if ((next || previous) && !type) {
      throw messagesGetError('error-type-param-required', 'The "type" parameter is required when using the "next" or "previous" parameters');
    }
    if (next && previous) throw messagesGetError('error-cursor-conflict', 'You cannot provide both "next" and "previous" parameters');
    if ((next || previous) && lastUpdate) {
      throw messagesGetError('error-cursor-and-lastUpdate-conflict', 'The attributes "next", "previous" and "lastUpdate" cannot be used together');
    }
    if (lastUpdate) {
      const [changed, deleted] = await Promise.all([
        this.store.messages.listChanged(rid, { after: lastUpdate, order: 'asc' }),
        this.store.messages.listDeleted(rid, { after: lastUpdate, order: 'desc' }),
      ]);
      changed.sort((a, b) => b.ts.getTime() - a.ts.getTime());
      return { updated: await this.#normalize(changed, user ?? null), deleted };
    }
    if (!(next || previous) || !type) return { updated: [], deleted: [] };
    const count = this.limitFor(req.count);
    const window = next
      ? { after: cursorTime(next), order: 'asc' as const, limit: count + 1 }
      : { before: cursorTime(previous!), order: 'desc' as const, limit: count + 1 };
    const page: Array<Message | Removed> =
      type === 'UPDATED' ? await this.store.messages.listChanged(rid, window) : await this.store.messages.listDeleted(rid, window);
    const at = (i: number): string => String((type === 'DELETED' ? (page[i] as Removed)._deletedAt : (page[i] as Message)._updatedAt).getTime());
    const full = page.length > count;
    const cursor =
      page.length === 0
        ? { next: null, previous: null }
        : next
          ? { next: full ? at(page.length - 2) : null, previous: at(0) }
          : { next: at(0), previous: full ? at(page.length - 2) : null };
    if (full) page.pop();
    if (type === 'DELETED') return { updated: [], deleted: page as Removed[], cursor };
    return { updated: await this.#normalize(page as Message[], user ?? null), deleted: [], cursor };
  }

  /** Marks the room read for the caller (readMessages). */
  async markRead(userId: string, rid: string, readThreads: boolean, opts: { withoutSubscription?: 'ignore' } = {}): Promise<void> {
    const user = await this.store.users.findById(userId);
    if (!user) throw Errors.invalidUser();
    const room = await this.store.rooms.findById(rid);
    if (!room) throw new NotFoundError('error-room-does-not-exist', 'This room does not exist');
    if (!(await this.permissions.canAccessRoom(room, user))) throw Errors.notAllowed();
    const sub = await this.store.subscriptions.findByRoomAndUser(rid, userId);
    // The DDP method throws a plain error here (the client sees a 500); subscriptions.read does nothing.
    if (!sub && opts.withoutSubscription === 'ignore') return;
    if (!sub) throw new Error('error-invalid-subscription');
    const keepAlert = sub.alert === true && !readThreads && Array.isArray(sub.tunread) && sub.tunread.length > 0;
    await this.notifications.markRead(rid, userId, { keepAlert, readThreads });
  }

  /**
   * unreadMessages: the room (by id: from its newest visible message on) or the thread of a
   * message (from that message on, unless it is the caller's own or already unread) becomes
   * unread for the caller.
   */
  async markUnread(userId: string, target: { roomId?: string; firstUnreadMessage?: { _id?: unknown; ts?: unknown } }): Promise<void> {
    const notAllowed = () => new ForbiddenError('error-action-not-allowed', 'Not allowed', { method: 'unreadMessages', action: 'Unread_messages' });
    if (target.roomId) {
      const [last] = await this.store.messages.listHistory(target.roomId, {}, 1);
      if (!last) throw notAllowed();
      await this.notifications.markUnread(last.rid, userId, last.ts);
      return;
    }
    const first = target.firstUnreadMessage;
    if (typeof first?._id !== 'string') throw notAllowed();
    const original = await this.store.messages.findById(first._id);
    if (!original || original.u._id === userId) throw notAllowed();
    const lastSeen = (await this.store.subscriptions.findByRoomAndUser(original.rid, userId))?.ls;
    if (!lastSeen) {
      throw new NotFoundError('error-subscription-not-found', 'Subscription not found', { method: 'unreadMessages', action: 'Unread_messages' });
    }
    if (first.ts instanceof Date && first.ts.getTime() >= lastSeen.getTime()) return; // already unread
    await this.notifications.markUnread(original.rid, userId, original.ts);
  }

  /** Per-caller post-processing: own star only; real names when UI_Use_Real_Name is on. */
  async #normalize(messages: Message[], user: User | null): Promise<Message[]> {
    const realNames = this.settings.bool('UI_Use_Real_Name');
    let names = new Map<string, string | undefined>();
    let byUsername = new Map<string, string | undefined>();
    if (realNames) {
      const ids = new Set<string>();
      const reactors = new Set<string>();
      for (const m of messages) {
        ids.add(m.u._id);
        for (const x of m.mentions ?? []) ids.add(x._id);
        for (const r of Object.values(m.reactions ?? {})) for (const u of r.usernames ?? []) reactors.add(u);
      }
      names = new Map((await this.store.users.findByIds([...ids])).map((u) => [u._id, u.name]));
      if (reactors.size > 0) {
        byUsername = new Map((await this.store.users.findByUsernames([...reactors])).map((u) => [u.username ?? '', u.name]));
      }
    }
    return messages.map((m) => {
      let out = m;
      if (Array.isArray(m.starred)) out = { ...out, starred: m.starred.filter((s: { _id?: string }) => s._id === user?._id) };
      if (realNames) {
        out = { ...out, u: withName(m.u, names.get(m.u._id)) };
        if (m.mentions) out.mentions = m.mentions.map((x) => (names.has(x._id) ? withName(x, names.get(x._id)) : x));
        if (m.reactions) out.reactions = reactionNames(m.reactions, byUsername);
      }
      return out;
    });
  }
}

/** `reactions[*].names`: each reactor's current name, or the username when it has none (Rocket.Chat's rule). */
function reactionNames(reactions: NonNullable<Message['reactions']>, names: Map<string, string | undefined>): NonNullable<Message['reactions']> {
  const out: NonNullable<Message['reactions']> = {};
  for (const [emoji, r] of Object.entries(reactions)) {
    const usernames = r.usernames ?? [];
    out[emoji] = { ...r, names: usernames.map((u) => names.get(u) || u) };
  }
  return out;
}

function withName<T extends { name?: string }>(ref: T, name: string | undefined): T {
  return name === undefined ? ref : { ...ref, name };
}

import { batch, signal } from '@preact/signals';
import type { DdpClient, Subscription as StreamSub } from '../ddp/ddp-client';
import type { HistoryResult, Message } from './types';

export const PAGE_SIZE = 50;
const TYPING_TIMEOUT_MS = 15_000;
const TYPING_RESEND_MS = 4_000;
const TYPING_IDLE_MS = 5_000;

/** A Meteor-style random id (17 characters), so a re-sent message is not stored twice. */
export function randomId(): string {
  const chars = '23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz';
  const bytes = crypto.getRandomValues(new Uint8Array(17));
  return [...bytes].map((b) => chars[b % chars.length]).join('');
}

const byTs = (a: Message, b: Message) => a.ts.getTime() - b.ts.getTime();

/**
 * One open room: its history (oldest first in memory, paged backwards with `loadHistory`), the
 * messages arriving live (`stream-room-messages`), deletions, typing (`stream-notify-room`),
 * and marking it read.
 */
export class RoomView {
  readonly messages = signal<readonly Message[]>([]);
  readonly hasOlder = signal(true);
  readonly loadingOlder = signal(false);
  readonly loaded = signal(false);
  readonly typing = signal<readonly string[]>([]);
  readonly firstUnreadId = signal<string | undefined>(undefined);
  readonly error = signal<string | undefined>(undefined);
  /** Bumped when a message arrives live (the list keeps to the bottom). */
  readonly arrivals = signal(0);
  readonly #streams: StreamSub[] = [];
  readonly #typingTimers = new Map<string, ReturnType<typeof setTimeout>>();
  #closed = false;
  #readTimer: ReturnType<typeof setTimeout> | undefined;
  #typingSentAt = 0;
  #typingIdle: ReturnType<typeof setTimeout> | undefined;
  #offReconnect: () => void;
  /** Arrivals not yet shown: applied together once per frame. */
  #incoming: Message[] = [];
  #flushScheduled = false;

  constructor(
    private readonly ddp: DdpClient,
    readonly rid: string,
    private readonly me: () => { _id: string; username: string } | null,
    private readonly lastSeen: Date | undefined,
    /** Whether this person is a member (a public room can be previewed without joining). */
    readonly member: boolean,
  ) {
    this.#offReconnect = ddp.onReconnect(() => void this.#catchUp());
  }

  async open(): Promise<void> {
    this.#streams.push(
      this.ddp.stream('stream-room-messages', this.rid, ([m]) => this.#arrived(m as Message)),
      this.ddp.stream('stream-notify-room', `${this.rid}/deleteMessage`, ([d]) => this.#deleted((d as { _id?: string })?._id)),
      this.ddp.stream('stream-notify-room', `${this.rid}/user-activity`, ([username, activities]) =>
        this.#activity(String(username), Array.isArray(activities) ? (activities as string[]) : []),
      ),
    );
    try {
      const h = await this.ddp.call<HistoryResult | false>('loadHistory', this.rid, null, PAGE_SIZE, this.lastSeen ?? null);
      if (this.#closed) return;
      if (!h) {
        this.error.value = 'This room is not available.';
        return;
      }
      const oldestFirst = [...h.messages].reverse();
      batch(() => {
        this.messages.value = mergeSorted(this.messages.value, oldestFirst);
        this.hasOlder.value = h.messages.length === PAGE_SIZE;
        this.firstUnreadId.value = this.#firstUnread(h);
        this.loaded.value = true;
      });
      if (this.member) this.markRead();
    } catch (err) {
      this.error.value = err instanceof Error ? err.message : String(err);
    }
  }

  close(): void {
    this.#closed = true;
    this.#offReconnect();
    for (const s of this.#streams.splice(0)) s.stop();
    for (const t of this.#typingTimers.values()) clearTimeout(t);
    clearTimeout(this.#readTimer);
    if (this.#typingSentAt) this.stopTyping();
  }

  /** Loads the page before the oldest message held; false once the very first message is there. */
  async loadOlder(): Promise<boolean> {
    if (this.loadingOlder.value || !this.hasOlder.value || !this.loaded.value) return false;
    const oldest = this.messages.value[0];
    this.loadingOlder.value = true;
    try {
      const h = await this.ddp.call<HistoryResult | false>('loadHistory', this.rid, oldest?.ts ?? null, PAGE_SIZE, null);
      if (this.#closed || !h) return false;
      batch(() => {
        this.messages.value = mergeSorted(this.messages.value, [...h.messages].reverse());
        this.hasOlder.value = h.messages.length === PAGE_SIZE;
      });
      return true;
    } finally {
      this.loadingOlder.value = false;
    }
  }

  async send(text: string): Promise<void> {
    const msg = text.trim();
    if (!msg) return;
    this.stopTyping();
    const sent = await this.ddp.call<Message | false>('sendMessage', { _id: randomId(), rid: this.rid, msg });
    if (sent && typeof sent === 'object' && sent._id) this.#upsert(sent);
  }

  edit(m: Message, text: string): Promise<unknown> {
    return this.ddp.call('updateMessage', { _id: m._id, rid: this.rid, msg: text });
  }

  remove(m: Message): Promise<unknown> {
    return this.ddp.call('deleteMessage', { _id: m._id });
  }

  /** Marks the room read soon (one call for a burst of arrivals). */
  markRead(): void {
    clearTimeout(this.#readTimer);
    this.#readTimer = setTimeout(() => {
      if (!this.#closed) this.ddp.call('readMessages', this.rid).catch(() => undefined);
    }, 300);
  }

  /** The composer says the person is typing: announced at most every few seconds, stopped when idle. */
  typed(): void {
    const me = this.me();
    if (!me?.username || !this.member) return;
    const now = Date.now();
    if (now - this.#typingSentAt > TYPING_RESEND_MS) {
      this.#typingSentAt = now;
      this.ddp.call('stream-notify-room', `${this.rid}/user-activity`, me.username, ['user-typing'], {}).catch(() => undefined);
    }
    clearTimeout(this.#typingIdle);
    this.#typingIdle = setTimeout(() => this.stopTyping(), TYPING_IDLE_MS);
  }

  stopTyping(): void {
    clearTimeout(this.#typingIdle);
    const me = this.me();
    if (!this.#typingSentAt || !me?.username) return;
    this.#typingSentAt = 0;
    this.ddp.call('stream-notify-room', `${this.rid}/user-activity`, me.username, [], {}).catch(() => undefined);
  }

  #firstUnread(h: HistoryResult): string | undefined {
    if (h.firstUnread) return h.firstUnread._id;
    const ls = this.lastSeen;
    if (!ls) return undefined;
    const myId = this.me()?._id;
    const oldestFirst = [...h.messages].reverse();
    return oldestFirst.find((m) => m.ts > ls && m.u?._id !== myId && !m.t)?._id;
  }

  #arrived(m: Message | undefined): void {
    if (!m?._id || m.rid !== this.rid) return;
    if (m._hidden) return this.#deleted(m._id);
    this.#incoming.push(m);
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    const flush = () => this.#flush();
    if (document.visibilityState === 'visible') requestAnimationFrame(flush);
    else setTimeout(flush, 100);
  }

  #flush(): void {
    this.#flushScheduled = false;
    const batchOf = this.#incoming.splice(0);
    if (batchOf.length === 0 || this.#closed) return;
    batch(() => {
      for (const m of batchOf) {
        this.#upsert(m);
        if (m.u?.username) this.#activity(m.u.username, []);
      }
      this.arrivals.value++;
    });
    if (this.member && document.visibilityState === 'visible') this.markRead();
  }

  #upsert(m: Message): void {
    const list = this.messages.value;
    const last = list[list.length - 1];
    // The common case: a new message, newest of all.
    if (!last || (last.ts < m.ts && last._id !== m._id && !list.some((x) => x._id === m._id))) {
      this.messages.value = [...list, m];
      return;
    }
    const at = list.findIndex((x) => x._id === m._id);
    if (at >= 0) {
      const next = list.slice();
      next[at] = m;
      this.messages.value = next;
      return;
    }
    this.messages.value = [...list, m].sort(byTs);
  }

  #deleted(id: string | undefined): void {
    if (!id) return;
    const list = this.messages.value;
    if (list.some((m) => m._id === id)) this.messages.value = list.filter((m) => m._id !== id);
  }

  #activity(username: string, activities: string[]): void {
    if (username === this.me()?.username) return;
    clearTimeout(this.#typingTimers.get(username));
    const typing = activities.includes('user-typing');
    const others = this.typing.value.filter((u) => u !== username);
    if (typing) {
      this.#typingTimers.set(username, setTimeout(() => this.#activity(username, []), TYPING_TIMEOUT_MS));
      this.typing.value = [...others, username];
    } else {
      this.#typingTimers.delete(username);
      if (others.length !== this.typing.value.length) this.typing.value = others;
    }
  }

  /** After a reconnect: fetch the newest page again; without overlap the gap is unknown, so start over. */
  async #catchUp(): Promise<void> {
    if (this.#closed) return;
    const h = await this.ddp.call<HistoryResult | false>('loadHistory', this.rid, null, PAGE_SIZE, null).catch(() => false as const);
    if (!h || this.#closed) return;
    const fresh = [...h.messages].reverse();
    const known = new Set(this.messages.value.map((m) => m._id));
    const overlaps = fresh.some((m) => known.has(m._id)) || this.messages.value.length === 0;
    batch(() => {
      if (overlaps) {
        const newest = fresh[0]?.ts;
        // Messages held in the fetched span but absent from it were deleted meanwhile.
        const freshIds = new Set(fresh.map((m) => m._id));
        const kept = this.messages.value.filter((m) => !newest || m.ts < newest || freshIds.has(m._id));
        this.messages.value = mergeSorted(kept, fresh);
      } else {
        this.messages.value = fresh;
        this.hasOlder.value = h.messages.length === PAGE_SIZE;
      }
      this.arrivals.value++;
    });
    if (this.member) this.markRead();
  }
}

/** Merges two oldest-first lists by `_id` (the incoming copy wins), oldest first. */
function mergeSorted(held: readonly Message[], incoming: readonly Message[]): Message[] {
  if (held.length === 0) return incoming.slice();
  const map = new Map(held.map((m) => [m._id, m]));
  for (const m of incoming) map.set(m._id, m);
  return [...map.values()].sort(byTs);
}

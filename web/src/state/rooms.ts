import { computed, signal } from '@preact/signals';
import type { DdpClient, Subscription as StreamSub } from '../ddp/ddp-client';
import type { Room, RoomType, Subscription } from './types';

/** The sidebar's name for a room: `fname` or `name`; for a DM the other user's username. */
export function displayName(sub: Pick<Subscription, 't' | 'name' | 'fname'> | undefined, room?: Room): string {
  if (sub) return sub.t === 'd' ? sub.name : sub.fname || sub.name;
  return room?.fname || room?.name || '';
}

/** Rocket.Chat's path of a room: `/channel/<name>`, `/group/<name>`, `/direct/<rid>`. */
export function roomPath(t: RoomType, name: string, rid: string): string {
  if (t === 'd') return `/direct/${encodeURIComponent(rid)}`;
  return `/${t === 'p' ? 'group' : 'channel'}/${encodeURIComponent(name)}`;
}

const byName = (a: Subscription, b: Subscription) => displayName(a).localeCompare(displayName(b));

/**
 * The person's rooms: their subscriptions (`subscriptions/get`) and the rooms behind them
 * (`rooms/get`), kept current by `stream-notify-user` `subscriptions-changed` / `rooms-changed`.
 */
export class RoomsState {
  readonly subs = signal<ReadonlyMap<string, Subscription>>(new Map());
  readonly rooms = signal<ReadonlyMap<string, Room>>(new Map());
  readonly loaded = signal(false);
  #live: StreamSub[] = [];
  readonly #removed = new Set<(rid: string) => void>();

  /** Favorites first, then channels and groups, then direct messages, alphabetically; hidden rooms left out. */
  readonly sidebar = computed(() => {
    const favorites: Subscription[] = [];
    const rooms: Subscription[] = [];
    const direct: Subscription[] = [];
    for (const s of this.subs.value.values()) {
      if (s.open === false) continue;
      if (s.f) favorites.push(s);
      else if (s.t === 'd') direct.push(s);
      else rooms.push(s);
    }
    return { favorites: favorites.sort(byName), rooms: rooms.sort(byName), direct: direct.sort(byName) };
  });

  constructor(private readonly ddp: DdpClient) {}

  /** Runs when one of the person's subscriptions goes away (left, removed, room deleted). */
  onRemoved(fn: (rid: string) => void): void {
    this.#removed.add(fn);
  }

  async load(userId: string): Promise<void> {
    if (this.#live.length === 0) {
      this.#live.push(
        this.ddp.stream('stream-notify-user', `${userId}/subscriptions-changed`, ([action, sub]) => this.#subChanged(String(action), sub as Subscription)),
        this.ddp.stream('stream-notify-user', `${userId}/rooms-changed`, ([action, room]) => this.#roomChanged(String(action), room as Room)),
      );
    }
    const [subs, rooms] = await Promise.all([this.ddp.call<Subscription[]>('subscriptions/get'), this.ddp.call<Room[]>('rooms/get')]);
    const before = this.subs.value;
    this.subs.value = new Map(subs.map((s) => [s.rid, s]));
    this.rooms.value = new Map(rooms.map((r) => [r._id, r]));
    this.loaded.value = true;
    for (const rid of before.keys()) if (!this.subs.value.has(rid)) this.#announceRemoved(rid);
  }

  stop(): void {
    for (const s of this.#live.splice(0)) s.stop();
    this.subs.value = new Map();
    this.rooms.value = new Map();
    this.loaded.value = false;
  }

  find(t: RoomType, key: string): Subscription | undefined {
    for (const s of this.subs.value.values()) {
      if (s.t !== t) continue;
      if (t === 'd' ? s.rid === key || s.name === key : s.name === key) return s;
    }
    return undefined;
  }

  /** A room document learned elsewhere (a room opened by URL, `getRoomById`). */
  putRoom(room: Room): void {
    const next = new Map(this.rooms.value);
    next.set(room._id, room);
    this.rooms.value = next;
  }

  #subChanged(action: string, sub: Subscription | undefined): void {
    if (!sub?.rid) return;
    const next = new Map(this.subs.value);
    if (action === 'removed') {
      next.delete(sub.rid);
      this.subs.value = next;
      this.#announceRemoved(sub.rid);
      return;
    }
    next.set(sub.rid, sub);
    this.subs.value = next;
  }

  #roomChanged(action: string, room: Room | undefined): void {
    if (!room?._id) return;
    const next = new Map(this.rooms.value);
    if (action === 'removed') next.delete(room._id);
    else next.set(room._id, room);
    this.rooms.value = next;
  }

  #announceRemoved(rid: string): void {
    for (const fn of this.#removed) fn(rid);
  }
}

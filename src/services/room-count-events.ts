import type { Store } from '../store/store.js';
import type { ChatEvents } from './events.js';

/** How often at most a room's members hear of its room-wide counts (a leading edge goes out at once). */
export const ROOM_COUNT_EVENT_INTERVAL_MS = 1000;

/**
 * The `subscriptions-changed` events of room-wide counts (a message that counts `unread` or
 * `groupMentions` for every member, see SubscriptionsRepo.applyMessage). Rocket.Chat sends one per
 * member per message; here they are coalesced per room: the first count in a quiet room is
 * announced at once (a timer of 0 ms, after the message's own events), later ones at most once per interval, each member
 * whose subscription they changed getting one event with its current document. A busy room thus
 * costs each member at most one event per interval, whatever the message rate.
 */
export class RoomCountEvents {
  readonly #rooms = new Map<string, { last: number; pending: boolean }>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #stopped = false;

  constructor(
    private readonly store: Store,
    private readonly events: ChatEvents,
    private readonly intervalMs = ROOM_COUNT_EVENT_INTERVAL_MS,
    private readonly onError: (err: unknown) => void = (err) => process.emitWarning(`room count events: ${String(err)}`),
  ) {}

  /** A committed message counted for every member of the room. */
  counted(rid: string): void {
    if (this.#stopped) return;
    let state = this.#rooms.get(rid);
    if (state?.pending) return;
    if (!state) {
      state = { last: 0, pending: false };
      this.#rooms.set(rid, state);
    }
    state.pending = true;
    const wait = state.last + this.intervalMs - performance.now();
    const run = () => this.#announce(rid);
    this.#later(run, Math.max(0, wait));
  }

  /** Drops what is pending; nothing more is announced. */
  stop(): void {
    this.#stopped = true;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    this.#rooms.clear();
  }

  #later(fn: () => void, ms: number): void {
    const t = setTimeout(() => {
      this.#timers.delete(t);
      fn();
    }, ms);
    t.unref();
    this.#timers.add(t);
  }

  async #announce(rid: string): Promise<void> {
    const state = this.#rooms.get(rid);
    if (!state || this.#stopped) return;
    state.pending = false;
    state.last = performance.now();
    try {
      for (const sub of await this.store.subscriptions.listWithRoomCounts(rid)) this.events.subscriptionChanged('updated', sub);
    } catch (err) {
      this.onError(err);
    }
    // A room quiet for a whole interval is forgotten (its next count goes out at once).
    this.#later(() => {
      const s = this.#rooms.get(rid);
      if (s && !s.pending && performance.now() - s.last >= this.intervalMs) this.#rooms.delete(rid);
    }, this.intervalMs);
  }
}

import type { Bus } from '../bus/bus.js';
import {
  Topics,
  type MembershipPayload,
  type RoomChangedPayload,
  type RoomMessagePayload,
  type StreamEventPayload,
} from '../bus/topics.js';
import type { Subscription as DdpSubscription } from '../ddp/subscription.js';
import { stringifyEjson } from '../ddp/ejson.js';
import type { RoomType } from '../domain/types.js';
import { EventIndex } from './event-index.js';
import { encodeEventHead, encodeEventTail, encodeStreamEvent, encodeWithArgsJson } from './encode.js';

/** Per-recipient decisions the hub cannot make alone (they need the recipient's roles). */
export interface HubAccess {
  /** May this subscriber see a message of a room of this type (`__my_messages__`)? */
  canReceiveRoomMessage(sub: DdpSubscription, roomType: RoomType, participant: boolean): boolean;
}

/** A registration that follows the rooms of one user (rooms-changed, `__my_messages__`). */
interface RoomSetReg {
  sub: DdpSubscription;
  userId: string;
  rooms: Set<string>;
  /** The encoded start of this registration's frames (rooms-changed: its own eventName). */
  head?: Buffer;
}

/** The streams whose eventName is a room id or `<rid>/…`, stopped when the user leaves the room. */
const ROOM_SCOPED = new Set(['room-messages', 'notify-room']);

/**
 * Local fan-out: DDP stream subscriptions indexed by event name, by user and by room. Bus events
 * come in; each is encoded once and written to every matching local subscription. Never waits on
 * a socket (the session closes slow consumers).
 */
export class Hub {
  readonly #byEvent = new EventIndex<DdpSubscription>();
  readonly #roomsChanged = new RoomIndex();
  readonly #myMessages = new RoomIndex();
  /** userId → (rid → room-scoped subscriptions), for stopping them when membership ends. */
  readonly #roomScopedByUser = new Map<string, Map<string, Set<DdpSubscription>>>();
  readonly #unsubscribe: Array<() => void> = [];

  constructor(
    private readonly bus: Bus,
    private readonly access: HubAccess,
  ) {}

  start(streams: readonly string[]): void {
    for (const s of streams) {
      this.#unsubscribe.push(this.bus.subscribe(Topics.stream(s), (p) => this.#onStreamEvent(s, p as StreamEventPayload)));
    }
    this.#unsubscribe.push(
      this.bus.subscribe(Topics.roomMessage, (p) => this.#onRoomMessage(p as RoomMessagePayload)),
      this.bus.subscribe(Topics.roomChanged, (p) => this.#onRoomChanged(p as RoomChangedPayload)),
      this.bus.subscribe(Topics.membership, (p) => this.#onMembership(p as MembershipPayload)),
    );
  }

  stop(): void {
    for (const u of this.#unsubscribe.splice(0)) u();
  }

  /** Delivers `stream` events named `eventName` to `sub` until the returned function is called. */
  register(stream: string, eventName: string, sub: DdpSubscription): () => void {
    this.#byEvent.add(stream, eventName, sub);
    const rid = ROOM_SCOPED.has(stream) ? eventName.split('/')[0]! : undefined;
    const userId = sub.userId;
    if (rid && userId) addNested(this.#roomScopedByUser, userId, rid, sub);
    return () => {
      this.#byEvent.delete(stream, eventName, sub);
      if (rid && userId) deleteNested(this.#roomScopedByUser, userId, rid, sub);
    };
  }

  /** `<uid>/rooms-changed`: every change of a room the user belongs to, following joins and leaves. */
  registerRoomsChanged(sub: DdpSubscription, userId: string, roomIds: readonly string[]): () => void {
    return this.#roomsChanged.add({ sub, userId, rooms: new Set(roomIds) });
  }

  /** `__my_messages__`: messages of every room the user may read. */
  registerMyMessages(sub: DdpSubscription, userId: string, roomIds: readonly string[]): () => void {
    return this.#myMessages.add({ sub, userId, rooms: new Set(roomIds) });
  }

  #onStreamEvent(stream: string, p: StreamEventPayload): void {
    if (!this.#byEvent.has(stream, p.eventName)) return;
    const frame = encodeStreamEvent(stream, p.eventName, p.args);
    this.#byEvent.forEach(stream, p.eventName, (sub) => {
      if (sub.session.id !== p.exceptSession) sub.sendEncoded(frame);
    });
  }

  #onRoomMessage({ message, room }: RoomMessagePayload): void {
    const roomSubscribers = this.#byEvent.has('room-messages', room._id);
    // No local subscriber (other instances, or nobody online): nothing to encode.
    if (!roomSubscribers && this.#myMessages.size === 0) return;
    const messageJson = stringifyEjson(message);
    if (roomSubscribers) {
      const frame = encodeWithArgsJson('room-messages', room._id, `[${messageJson}]`);
      this.#byEvent.forEach('room-messages', room._id, (sub) => sub.sendEncoded(frame));
    }
    if (this.#myMessages.size === 0) return;
    const frames = new Map<boolean, Buffer>();
    const frameFor = (participant: boolean) => {
      let f = frames.get(participant);
      if (!f) {
        const extra = stringifyEjson({ roomParticipant: participant, roomType: room.t, roomName: room.name });
        f = encodeWithArgsJson('room-messages', '__my_messages__', `[${messageJson},${extra}]`);
        frames.set(participant, f);
      }
      return f;
    };
    const participants = this.#myMessages.inRoom(room._id);
    const candidates = room.t === 'c' ? this.#myMessages.all() : participants;
    for (const reg of candidates) {
      const participant = reg.rooms.has(room._id);
      if (this.access.canReceiveRoomMessage(reg.sub, room.t, participant)) reg.sub.sendEncoded(frameFor(participant));
    }
  }

  #onRoomChanged({ action, room }: RoomChangedPayload): void {
    const regs = this.#roomsChanged.inRoom(room._id);
    if (regs.size === 0) return;
    // One encoding of the room for every recipient; only the eventName (a prefix) differs.
    const tail = encodeEventTail(stringifyEjson([action, room]));
    for (const reg of regs) {
      reg.head ??= encodeEventHead('notify-user', `${reg.userId}/rooms-changed`);
      reg.sub.sendEncoded(Buffer.concat([reg.head, tail], reg.head.length + tail.length));
    }
  }

  #onMembership(p: MembershipPayload): void {
    if (p.action === 'added') {
      this.#myMessages.join(p.userId, p.rid);
      const joined = this.#roomsChanged.join(p.userId, p.rid);
      if (p.room && joined.length > 0) {
        const frame = encodeStreamEvent('notify-user', `${p.userId}/rooms-changed`, ['inserted', p.room]);
        for (const reg of joined) reg.sub.sendEncoded(frame);
      }
      return;
    }
    this.#myMessages.leave(p.userId, p.rid);
    this.#roomsChanged.leave(p.userId, p.rid);
    const subs = this.#roomScopedByUser.get(p.userId)?.get(p.rid);
    if (!subs) return;
    for (const sub of [...subs]) {
      // Room messages stop at once; typing and other room events only where the room is not public.
      if (sub.name === 'stream-room-messages' || p.roomType !== 'c') sub.stopSilently();
    }
  }

  /** Counts for tests and diagnostics. */
  stats(): { events: number; roomsChanged: number; myMessages: number } {
    return { events: this.#byEvent.count(), roomsChanged: this.#roomsChanged.size, myMessages: this.#myMessages.size };
  }
}

/** Registrations indexed by room and by user. */
class RoomIndex {
  readonly #regs = new Set<RoomSetReg>();
  readonly #byRoom = new Map<string, Set<RoomSetReg>>();
  readonly #byUser = new Map<string, Set<RoomSetReg>>();

  get size(): number {
    return this.#regs.size;
  }

  all(): ReadonlySet<RoomSetReg> {
    return this.#regs;
  }

  inRoom(rid: string): ReadonlySet<RoomSetReg> {
    return this.#byRoom.get(rid) ?? EMPTY;
  }

  add(reg: RoomSetReg): () => void {
    this.#regs.add(reg);
    addTo(this.#byUser, reg.userId, reg);
    for (const rid of reg.rooms) addTo(this.#byRoom, rid, reg);
    return () => {
      this.#regs.delete(reg);
      deleteFrom(this.#byUser, reg.userId, reg);
      for (const rid of reg.rooms) deleteFrom(this.#byRoom, rid, reg);
    };
  }

  /** Adds the room to every registration of the user; returns those that did not have it. */
  join(userId: string, rid: string): RoomSetReg[] {
    const out: RoomSetReg[] = [];
    for (const reg of this.#byUser.get(userId) ?? EMPTY) {
      if (reg.rooms.has(rid)) continue;
      reg.rooms.add(rid);
      addTo(this.#byRoom, rid, reg);
      out.push(reg);
    }
    return out;
  }

  leave(userId: string, rid: string): void {
    for (const reg of this.#byUser.get(userId) ?? EMPTY) {
      if (reg.rooms.delete(rid)) deleteFrom(this.#byRoom, rid, reg);
    }
  }
}

const EMPTY: ReadonlySet<RoomSetReg> = new Set();

function addTo<K, V>(m: Map<K, Set<V>>, k: K, v: V): void {
  let s = m.get(k);
  if (!s) m.set(k, (s = new Set()));
  s.add(v);
}

function deleteFrom<K, V>(m: Map<K, Set<V>>, k: K, v: V): void {
  const s = m.get(k);
  if (!s) return;
  s.delete(v);
  if (s.size === 0) m.delete(k);
}

function addNested<V>(m: Map<string, Map<string, Set<V>>>, a: string, b: string, v: V): void {
  let inner = m.get(a);
  if (!inner) m.set(a, (inner = new Map()));
  addTo(inner, b, v);
}

function deleteNested<V>(m: Map<string, Map<string, Set<V>>>, a: string, b: string, v: V): void {
  const inner = m.get(a);
  if (!inner) return;
  deleteFrom(inner, b, v);
  if (inner.size === 0) m.delete(a);
}

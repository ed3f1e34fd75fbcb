import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { userRef } from '../src/domain/projections.js';
import { newRoomSubscription } from '../src/domain/subscriptions.js';
import type { Message, Room, User } from '../src/domain/types.js';
import { objectId, randomId, randomSecret } from '../src/lib/random.js';
import { seedDefaults } from '../src/services/bootstrap.js';
import { hashLoginToken, hashPassword } from '../src/services/passwords.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import type { Store } from '../src/store/store.js';

/**
 * What a scenario needs in the database: users (each with a resume token to log in with), rooms
 * and their members, and optionally a room full of history. The same fixture serves the baseline
 * (which checks nothing) and Orbit (where it is written straight into the store before start).
 */
export interface BenchUser {
  _id: string;
  username: string;
  token: string;
}

export interface BenchRoom {
  _id: string;
  name: string;
  t: 'c' | 'p';
  /** Indexes into `users`; the first is the owner. */
  members: number[];
}

export interface Fixture {
  users: BenchUser[];
  rooms: BenchRoom[];
  /** `count` messages in room `room`, one per second ending now (ts in ms). */
  history?: { room: number; count: number; tsMin: number; tsMax: number };
  /** Setting values other than the defaults. */
  settings?: Record<string, unknown>;
}

/** Makes names unique per run, so that a shared database (PostgreSQL) can be seeded again. */
const RUN_TAG = randomId(4).toLowerCase();
/** Numbers users across the whole run: no two scenarios seed the same username. */
let userSeq = 0;

export function makeUsers(n: number, prefix = 'bench'): BenchUser[] {
  return Array.from({ length: n }, () => ({ _id: randomId(), username: `${prefix}-${RUN_TAG}-${userSeq++}`, token: randomSecret() }));
}

export function makeRoom(name: string, members: number[], t: 'c' | 'p' = 'c'): BenchRoom {
  return { _id: randomId(), name: `${name}-${RUN_TAG}`, t, members };
}

export function withHistory(fx: Fixture, room: number, count: number): Fixture {
  const tsMax = Date.now() - 1000;
  return { ...fx, history: { room, count, tsMin: tsMax - (count - 1) * 1000, tsMax } };
}

const CHUNK = 5000;

async function inChunks<T>(store: Store, items: readonly T[], write: (tx: Store, item: T, i: number) => Promise<unknown>): Promise<void> {
  for (let start = 0; start < items.length; start += CHUNK) {
    await store.transaction(async (tx) => {
      const end = Math.min(items.length, start + CHUNK);
      for (let i = start; i < end; i++) await write(tx, items[i]!, i);
    });
  }
}

/** Writes the fixture through the Store interface (so any backend works), defaults included. */
export async function seedStore(store: Store, fx: Fixture, progress: (text: string) => void = () => {}): Promise<void> {
  await seedDefaults(store);
  for (const [id, value] of Object.entries(fx.settings ?? {})) await store.settings.setValue(id, value);
  // One bcrypt hash (cost 4) for everybody: nobody logs in by password, the field only has to be real.
  const bcrypt = await hashPassword('bench-pass', 4);
  const now = new Date();
  const docs: User[] = fx.users.map((u) => ({
    _id: u._id,
    username: u.username,
    name: u.username,
    emails: [{ address: `${u.username}@bench.invalid`, verified: true }],
    type: 'user',
    roles: ['user'],
    active: true,
    status: 'offline',
    services: { password: { bcrypt }, resume: { loginTokens: [{ when: now, hashedToken: hashLoginToken(u.token) }] } },
    createdAt: now,
    _updatedAt: now,
  }));
  progress(`seeding ${docs.length} users`);
  await inChunks(store, docs, (tx, u) => tx.users.insert(u));

  const rooms: Room[] = fx.rooms.map((r) => ({
    _id: r._id,
    t: r.t,
    name: r.name,
    fname: r.name,
    msgs: 0,
    usersCount: r.members.length,
    u: userRef(docs[r.members[0] ?? 0]!),
    ts: now,
    ro: false,
    default: false,
    sysMes: true,
    _updatedAt: now,
  }));
  await inChunks(store, rooms, (tx, r) => tx.rooms.insert(r));
  const subs = fx.rooms.flatMap((r, ri) =>
    r.members.map((m, k) =>
      newRoomSubscription(objectId(), rooms[ri]!, docs[m]!, { ts: now, open: true, ...(k === 0 ? { ls: now, roles: ['owner'] } : {}) }),
    ),
  );
  progress(`seeding ${rooms.length} rooms, ${subs.length} subscriptions`);
  await inChunks(store, subs, (tx, s) => tx.subscriptions.insert(s));

  if (fx.history) await seedHistory(store, fx, docs, progress);
}

async function seedHistory(store: Store, fx: Fixture, users: User[], progress: (text: string) => void): Promise<void> {
  const h = fx.history!;
  const room = fx.rooms[h.room]!;
  const authors = room.members.slice(0, 20).map((m) => userRef(users[m]!));
  const total = h.count;
  for (let start = 0; start < total; start += CHUNK * 4) {
    const end = Math.min(total, start + CHUNK * 4);
    await store.transaction(async (tx) => {
      for (let i = start; i < end; i++) {
        const ts = new Date(h.tsMin + i * 1000);
        const msg = `history message ${i}: some ordinary words of an ordinary length for a chat line`;
        const m: Message = {
          _id: `h${i.toString(36).padStart(6, '0')}${room._id.slice(0, 10)}`,
          rid: room._id,
          msg,
          ts,
          u: authors[i % authors.length]!,
          _updatedAt: ts,
          urls: [],
          mentions: [],
          channels: [],
          md: [{ type: 'PARAGRAPH', value: [{ type: 'PLAIN_TEXT', value: msg }] }],
        };
        await tx.messages.insert(m);
      }
    });
    if (start % 100_000 === 0) progress(`seeding history ${start.toLocaleString('en')}/${total.toLocaleString('en')} messages`);
  }
  await store.rooms.update(room._id, { set: { msgs: total, lm: new Date(h.tsMax) } });
}

/** Opens the SQLite database Orbit will use for ORBIT_DATA_DIR=dir (the file config.ts derives). */
export function openSqlite(dir: string): SqliteStore {
  mkdirSync(dir, { recursive: true });
  return SqliteStore.open(join(resolve(dir), 'orbit.db'));
}

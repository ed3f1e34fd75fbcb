import { userRef } from '../../src/domain/projections.js';
import type { Message, Room, Subscription, User } from '../../src/domain/types.js';
import { randomId } from '../../src/lib/random.js';
import { TestClient } from '../support/ddp-client.js';
import type { TestServer } from '../support/test-server.js';

/** Shared helpers of the messages-*, streams-* tests. */

/** Puts a 1:1 DM straight into the store, as createDirectMessage would (creator's side open). */
export async function makeDm(server: TestServer, creator: User, other: User): Promise<Room> {
  const store = server.orbit.services.store;
  const now = new Date();
  const uids = [creator._id, other._id].sort();
  const room: Room = {
    _id: uids.join(''),
    t: 'd',
    usernames: [creator.username!, other.username!].sort(),
    uids,
    msgs: 0,
    usersCount: 2,
    ts: now,
    _updatedAt: now,
  };
  await store.rooms.insert(room);
  for (const [me, them] of [
    [creator, other],
    [other, creator],
  ] as const) {
    const sub: Subscription = {
      _id: randomId(),
      rid: room._id,
      t: 'd',
      name: them.username!,
      fname: them.name ?? them.username!,
      u: userRef(me),
      ts: now,
      open: me._id === creator._id,
      alert: false,
      unread: 0,
      userMentions: 0,
      groupMentions: 0,
      _updatedAt: now,
    };
    await store.subscriptions.insert(sub);
  }
  return room;
}

/** A connected client logged in as `user` (password `${username}-pass`). */
export async function clientFor(server: TestServer, user: User): Promise<TestClient> {
  const c = await TestClient.connect(server.url);
  await c.login(user.username!, `${user.username}-pass`);
  return c;
}

/** Polls until `check` returns a truthy value (or fails after `timeoutMs`). */
export async function eventually<T>(check: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Waits until the user's presence says connected (desktop notifications need it). */
export function connected(server: TestServer, user: User): Promise<User> {
  return eventually(async () => {
    const u = await server.orbit.services.store.users.findById(user._id);
    return u?.statusConnection && u.statusConnection !== 'offline' ? u : undefined;
  });
}

export async function subOf(server: TestServer, rid: string, user: User): Promise<Subscription> {
  const sub = await server.orbit.services.store.subscriptions.findByRoomAndUser(rid, user._id);
  if (!sub) throw new Error(`${user.username} has no subscription to ${rid}`);
  return sub;
}

export async function messageById(server: TestServer, id: string): Promise<Message | undefined> {
  return server.orbit.services.store.messages.findById(id);
}

export async function roomById(server: TestServer, id: string): Promise<Room> {
  const room = await server.orbit.services.store.rooms.findById(id);
  if (!room) throw new Error(`no room ${id}`);
  return room;
}

/** Sets a runtime setting through the service (as an admin would). */
export function setSetting(server: TestServer, id: string, value: unknown): Promise<void> {
  return server.orbit.services.settings.set(id, value);
}

/** Inserts a message straight into the store (for history and time-window tests). */
export async function insertMessage(server: TestServer, room: Room, author: User, fields: Partial<Message> = {}): Promise<Message> {
  const now = new Date();
  const m: Message = { _id: randomId(), rid: room._id, msg: 'stored', ts: now, u: userRef(author), _updatedAt: now, ...fields };
  await server.orbit.services.store.messages.insert(m);
  return (await server.orbit.services.store.messages.findById(m._id))!;
}

/** Ids of users, unique names per test run. */
let seq = 0;
export const uniq = (prefix: string): string => `${prefix}${++seq}${randomId(4).toLowerCase()}`;

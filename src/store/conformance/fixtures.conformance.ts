import { expect } from 'vitest';
import type { Message, Room, Subscription, User } from '../../domain/types.js';
import { DuplicateKeyError } from '../errors.js';
import type { Store } from '../store.js';

/** Hands the current test's store to a group of tests. */
export type StoreRef = () => Store;

let seq = 0;
const run = Math.random().toString(36).slice(2, 8);

/** A fresh id, unique within the process. */
export function nextId(prefix: string): string {
  return `${prefix}${run}${(++seq).toString(36)}`;
}

/** A stale `_updatedAt` that every write must replace. */
export const STALE = new Date(1_000);

export function makeUser(over: Partial<User> = {}): User {
  const id = over._id ?? nextId('u');
  return {
    _id: id,
    username: `user.${id}`,
    name: `User ${id}`,
    emails: [{ address: `${id}@example.com`, verified: false }],
    roles: ['user'],
    active: true,
    type: 'user',
    status: 'online',
    createdAt: new Date(1_600_000_000_000),
    _updatedAt: STALE,
    ...over,
  };
}

export function makeRoom(over: Partial<Room> = {}): Room {
  const id = over._id ?? nextId('r');
  return {
    _id: id,
    t: 'c',
    name: `room-${id}`,
    fname: `Room ${id}`,
    u: { _id: 'creator', username: 'creator' },
    msgs: 0,
    usersCount: 0,
    ts: new Date(1_650_000_000_000),
    default: false,
    ro: false,
    sysMes: true,
    customFields: {},
    _updatedAt: STALE,
    ...over,
  };
}

export function makeSub(room: Room, user: User, over: Partial<Subscription> = {}): Subscription {
  return {
    _id: nextId('s'),
    rid: room._id,
    t: room.t,
    name: room.name ?? user.username ?? '',
    fname: room.fname ?? room.name ?? '',
    u: { _id: user._id, username: user.username ?? '', ...(user.name ? { name: user.name } : {}) },
    ts: new Date(1_660_000_000_000),
    open: true,
    alert: false,
    unread: 0,
    userMentions: 0,
    groupMentions: 0,
    _updatedAt: STALE,
    ...over,
  };
}

export function makeMessage(rid: string, ts: number, over: Partial<Message> = {}): Message {
  return {
    _id: nextId('m'),
    rid,
    msg: `message at ${ts}`,
    ts: new Date(ts),
    u: { _id: 'sender', username: 'sender', name: 'Sender' },
    _updatedAt: STALE,
    urls: [],
    mentions: [],
    channels: [],
    md: [{ type: 'PARAGRAPH', value: [{ type: 'PLAIN_TEXT', value: `message at ${ts}` }] }],
    ...over,
  };
}

/** Waits long enough for the millisecond clock to move on. */
export function tick(ms = 3): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Asserts `_updatedAt` is a Date within [from, now]. */
export function expectStampedSince(doc: { _updatedAt: Date } | undefined, from: number): void {
  expect(doc?._updatedAt).toBeInstanceOf(Date);
  const t = doc!._updatedAt.getTime();
  expect(t).toBeGreaterThanOrEqual(from);
  expect(t).toBeLessThanOrEqual(Date.now());
}

/** Asserts the promise rejects with a DuplicateKeyError of this collection. */
export async function expectDuplicate(promise: Promise<unknown>, collection: string): Promise<void> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DuplicateKeyError);
  expect((err as DuplicateKeyError).collection).toBe(collection);
}

export const ids = (docs: ReadonlyArray<{ _id: string }>): string[] => docs.map((d) => d._id);
export const sortedIds = (docs: ReadonlyArray<{ _id: string }>): string[] => ids(docs).sort();

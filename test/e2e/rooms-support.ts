import { expect } from 'vitest';
import type { User } from '../../src/domain/types.js';
import { TestClient, type Frame } from '../support/ddp-client.js';
import type { TestServer } from '../support/test-server.js';

/** Shared helpers of the rooms-*.test.ts files. */

export const NOTIFY_USER = 'stream-notify-user';
export const ROOM_MESSAGES = 'stream-room-messages';

/** A connection logged in as the user (password `${username}-pass`, the test-server default). */
export async function connectAs(server: TestServer, user: Pick<User, 'username'> | string, password?: string): Promise<TestClient> {
  const username = typeof user === 'string' ? user : user.username!;
  const c = await TestClient.connect(server.url);
  await c.login(username, password ?? `${username}-pass`);
  return c;
}

/** Subscribes the way clients do to `<uid>/subscriptions-changed` and `<uid>/rooms-changed`. */
export async function watchUser(c: TestClient): Promise<void> {
  for (const event of ['subscriptions-changed', 'rooms-changed']) {
    const r = await c.sub(NOTIFY_USER, [`${c.userId}/${event}`, false]);
    expect(r.ready).toBe(true);
  }
}

/** Subscribes to a room's messages; asserts the subscription was accepted. */
export async function watchRoom(c: TestClient, rid: string): Promise<string> {
  const r = await c.sub(ROOM_MESSAGES, [rid, false]);
  expect(r.ready).toBe(true);
  return r.id;
}

export const subEvent = (c: TestClient, pred: (args: any[]) => boolean, from: number) =>
  c.nextEvent(NOTIFY_USER, `${c.userId}/subscriptions-changed`, pred, { from });

export const roomEvent = (c: TestClient, pred: (args: any[]) => boolean, from: number) =>
  c.nextEvent(NOTIFY_USER, `${c.userId}/rooms-changed`, pred, { from });

export const messageEvent = (c: TestClient, rid: string, pred: (args: any[]) => boolean, from: number) =>
  c.nextEvent(ROOM_MESSAGES, rid, pred, { from });

/** Every stream event (`changed` frame) the client received from `from` on. */
export function eventsSince(c: TestClient, from: number): Frame[] {
  return c.frames.slice(from).filter((f) => f.msg === 'changed' && String(f.collection).startsWith('stream-'));
}

/** Lets in-flight frames arrive, then asserts that no stream event mentioning `rid` arrived. */
export async function expectNothingAbout(c: TestClient, rid: string, from: number): Promise<void> {
  await c.settle(200);
  const leaked = eventsSince(c, from).filter((f) => JSON.stringify(f).includes(rid));
  expect(leaked).toEqual([]);
}

/** The wire error of a failing call, checked for code and details. */
export async function expectError(
  c: TestClient,
  method: string,
  params: unknown[],
  code: string | number,
  details?: unknown,
): Promise<Frame> {
  const err = await c.callError(method, ...params);
  expect(err.error).toBe(code);
  if (details !== undefined) expect(err.details).toEqual(details);
  return err;
}

/** 400 "Match failed" (type checks). */
export async function expectMatchFailed(c: TestClient, method: string, params: unknown[]): Promise<void> {
  const err = await c.callError(method, ...params);
  expect(err).toMatchObject({ error: 400, reason: 'Match failed' });
}

let counter = 0;
/** A unique lowercase name for this test file's server. */
export const unique = (prefix: string): string => `${prefix}-${Date.now().toString(36)}${(counter++).toString(36)}`;

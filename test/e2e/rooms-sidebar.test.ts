import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Room, User } from '../../src/domain/types.js';
import { TestClient } from '../support/ddp-client.js';
import { makeRoom } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { connectAs, expectError, expectMatchFailed, expectNothingAbout, subEvent, unique, watchUser } from './rooms-support.js';

/** toggleFavorite, hideRoom, openRoom: the caller's own subscription flags. */
describe('sidebar flags', () => {
  let server: TestServer;
  let ann: User;
  let ben: User;
  let cid: User;
  let a: TestClient;
  let watcher: TestClient; // ann's second connection
  let other: TestClient; // ben, a member of the same rooms
  let anon: TestClient;

  beforeAll(async () => {
    server = await startTestServer();
    ann = await server.createUser('ann');
    ben = await server.createUser('ben');
    cid = await server.createUser('cid');
    a = await connectAs(server, ann);
    watcher = await connectAs(server, ann);
    other = await connectAs(server, ben);
    anon = await TestClient.connect(server.url);
    await Promise.all([watchUser(watcher), watchUser(other)]);
  });
  afterAll(async () => {
    await server?.stop();
  });

  const store = () => server.orbit.services.store;
  const room = (): Promise<Room> => makeRoom(server, { owner: ann, members: [ben], name: unique('side') });
  const ownSub = async (rid: string, user: User = ann) => (await store().subscriptions.findByRoomAndUser(rid, user._id))!;

  /** Reads the caller's subscription back the way a client does. */
  const listed = async (rid: string) => ((await a.call('subscriptions/get')) as any[]).find((s) => s.rid === rid);

  describe('toggleFavorite', () => {
    it('sets f (true by default, false to remove) and answers 1; sub-changed(updated) to the caller only', async () => {
      const r = await room();
      let fw = watcher.mark();
      const fo = other.mark();
      expect(await a.call('toggleFavorite', r._id)).toBe(1);
      expect((await listed(r._id)).f).toBe(true);
      let [action, sub] = await subEvent(watcher, (x) => x[1]?.rid === r._id, fw);
      expect(action).toBe('updated');
      expect(sub).toMatchObject({ rid: r._id, f: true, u: { _id: ann._id } });
      fw = watcher.mark();
      expect(await a.call('toggleFavorite', r._id, false)).toBe(1);
      expect((await listed(r._id)).f).toBe(false);
      [action, sub] = await subEvent(watcher, (x) => x[1]?.rid === r._id, fw);
      expect(sub.f).toBe(false);
      expect(await a.call('toggleFavorite', r._id, true)).toBe(1);
      expect((await ownSub(r._id)).f).toBe(true);
      await expectNothingAbout(other, r._id, fo);
      expect((await ownSub(r._id, ben)).f).toBeUndefined();
    });

    it('not a member → error-invalid-subscription', async () => {
      const r = await room();
      const c = await connectAs(server, cid);
      const err = await expectError(c, 'toggleFavorite', [r._id], 'error-invalid-subscription', { method: 'toggleFavorite' });
      expect(err.reason).toBe('You must be part of a room to favorite it');
      await expectError(c, 'toggleFavorite', ['nope'], 'error-invalid-subscription');
      c.close();
    });

    it('errors: 400 for a non-string rid or a non-boolean favorite (before the login check), then not logged in', async () => {
      const r = await room();
      await expectMatchFailed(a, 'toggleFavorite', []);
      await expectMatchFailed(a, 'toggleFavorite', [{ rid: r._id }]);
      await expectMatchFailed(a, 'toggleFavorite', [r._id, 'yes']);
      await expectMatchFailed(a, 'toggleFavorite', [r._id, null]);
      await expectMatchFailed(a, 'toggleFavorite', [r._id, 1]);
      await expectMatchFailed(anon, 'toggleFavorite', [7]);
      await expectError(anon, 'toggleFavorite', [r._id], 'error-invalid-user', { method: 'toggleFavorite' });
      expect((await ownSub(r._id)).f).toBeUndefined();
    });
  });

  describe('hideRoom', () => {
    it('closes an open subscription: 1, {open: false, alert: false}, sub-changed(updated) to the caller only', async () => {
      const r = await room();
      await store().subscriptions.update((await ownSub(r._id))._id, { set: { alert: true } });
      const fw = watcher.mark();
      const fo = other.mark();
      expect(await a.call('hideRoom', r._id)).toBe(1);
      expect(await listed(r._id)).toMatchObject({ open: false, alert: false });
      const [action, sub] = await subEvent(watcher, (x) => x[1]?.rid === r._id, fw);
      expect(action).toBe('updated');
      expect(sub).toMatchObject({ open: false, alert: false });
      await expectNothingAbout(other, r._id, fo);
      expect((await ownSub(r._id, ben)).open).toBe(true);
    });

    it('0 and no event when already hidden, not a member or the room does not exist', async () => {
      const r = await room();
      await a.call('hideRoom', r._id);
      const fw = watcher.mark();
      expect(await a.call('hideRoom', r._id)).toBe(0);
      expect(await a.call('hideRoom', 'no-such-room')).toBe(0);
      const c = await connectAs(server, cid);
      expect(await c.call('hideRoom', r._id)).toBe(0);
      c.close();
      await expectNothingAbout(watcher, r._id, fw);
    });

    it('errors: not logged in first (even with a bad rid), then 400', async () => {
      await expectError(anon, 'hideRoom', [{}], 'error-invalid-user', { method: 'hideRoom' });
      await expectError(anon, 'hideRoom', ['x'], 'error-invalid-user', { method: 'hideRoom' });
      await expectMatchFailed(a, 'hideRoom', []);
      await expectMatchFailed(a, 'hideRoom', [['x']]);
    });
  });

  describe('openRoom', () => {
    it('opens the caller’s subscription: 1 and sub-changed(updated) to the caller only', async () => {
      const r = await room();
      await a.call('hideRoom', r._id);
      const fw = watcher.mark();
      const fo = other.mark();
      expect(await a.call('openRoom', r._id)).toBe(1);
      expect((await listed(r._id)).open).toBe(true);
      const [action, sub] = await subEvent(watcher, (x) => x[1]?.rid === r._id, fw);
      expect(action).toBe('updated');
      expect(sub.open).toBe(true);
      await expectNothingAbout(other, r._id, fo);
      // No filter on the current value: opening an open room still answers 1.
      expect(await a.call('openRoom', r._id)).toBe(1);
    });

    it('0 and no event for a room the caller is not in', async () => {
      const r = await room();
      const c = await connectAs(server, cid);
      await watchUser(c);
      const fc = c.mark();
      expect(await c.call('openRoom', r._id)).toBe(0);
      expect(await c.call('openRoom', 'no-such-room')).toBe(0);
      await expectNothingAbout(c, r._id, fc);
      c.close();
    });

    it('errors: 400 first (even when not logged in), then not logged in', async () => {
      await expectMatchFailed(anon, 'openRoom', [{}]);
      await expectMatchFailed(a, 'openRoom', []);
      await expectError(anon, 'openRoom', ['x'], 'error-invalid-user', { method: 'openRoom' });
    });
  });
});

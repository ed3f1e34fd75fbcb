import { beforeEach, describe, expect, it } from 'vitest';
import type { Room, User } from '../../domain/types.js';
import {
  type StoreRef,
  expectDuplicate,
  expectStampedSince,
  ids,
  makeRoom,
  makeSub,
  makeUser,
  sortedIds,
  tick,
} from './fixtures.conformance.js';

export function subscriptionsConformance(store: StoreRef): void {
  describe('subscriptions', () => {
    let room: Room;
    let other: Room;
    let ann: User;
    let bob: User;
    let cat: User;

    beforeEach(async () => {
      room = await store().rooms.insert(makeRoom());
      other = await store().rooms.insert(makeRoom());
      ann = await store().users.insert(makeUser({ username: 'ann' }));
      bob = await store().users.insert(makeUser({ username: 'Bob' }));
      cat = await store().users.insert(makeUser({ username: 'cat' }));
    });

    it('insert stamps _updatedAt and round-trips every field, Dates included', async () => {
      const before = Date.now();
      const sub = makeSub(room, ann, {
        ls: new Date(1_700_000_000_000),
        roles: ['owner'],
        f: true,
        unread: 3,
        userMentions: 2,
        groupMentions: 1,
        alert: true,
        open: false,
        customFields: { joined: new Date(7) },
        tunread: ['m1'],
      });
      const inserted = await store().subscriptions.insert(sub);
      expectStampedSince(inserted, before);
      expect(inserted).toEqual({ ...sub, _updatedAt: inserted._updatedAt });
      expect(await store().subscriptions.findById(sub._id)).toEqual(inserted);
      expect(await store().subscriptions.findByRoomAndUser(room._id, ann._id)).toEqual(inserted);
      expect((await store().subscriptions.findById(sub._id))!.ls).toBeInstanceOf(Date);
      expect(await store().subscriptions.findById('nope')).toBeUndefined();
      expect(await store().subscriptions.findByRoomAndUser(other._id, ann._id)).toBeUndefined();
    });

    it('rejects a second subscription of a user to a room, and a duplicate _id', async () => {
      const sub = await store().subscriptions.insert(makeSub(room, ann));
      await expectDuplicate(store().subscriptions.insert(makeSub(room, ann)), 'subscriptions');
      await expectDuplicate(store().subscriptions.insert({ ...makeSub(other, bob), _id: sub._id }), 'subscriptions');
      await store().subscriptions.insert(makeSub(other, ann));
      expect(await store().subscriptions.listByRoom(room._id)).toHaveLength(1);
    });

    it('findByRoomAndUsername matches u.username exactly', async () => {
      const sub = await store().subscriptions.insert(makeSub(room, bob));
      expect((await store().subscriptions.findByRoomAndUsername(room._id, 'Bob'))?._id).toBe(sub._id);
      expect(await store().subscriptions.findByRoomAndUsername(room._id, 'bob')).toBeUndefined();
      expect(await store().subscriptions.findByRoomAndUsername(other._id, 'Bob')).toBeUndefined();
    });

    it('lists by user (with strict `since`), by room, user ids and room ids', async () => {
      const a1 = await store().subscriptions.insert(makeSub(room, ann));
      const a2 = await store().subscriptions.insert(makeSub(other, ann));
      const b1 = await store().subscriptions.insert(makeSub(room, bob));
      expect(sortedIds(await store().subscriptions.listByUser(ann._id))).toEqual([a1._id, a2._id].sort());
      expect(sortedIds(await store().subscriptions.listByRoom(room._id))).toEqual([a1._id, b1._id].sort());
      expect((await store().subscriptions.listUserIdsByRoom(room._id)).sort()).toEqual([ann._id, bob._id].sort());
      expect((await store().subscriptions.listRoomIdsByUser(ann._id)).sort()).toEqual([room._id, other._id].sort());
      expect(await store().subscriptions.listRoomIdsByUser(cat._id)).toEqual([]);
      const latest = new Date(Math.max(a1._updatedAt.getTime(), a2._updatedAt.getTime()));
      expect(await store().subscriptions.listByUser(ann._id, latest)).toEqual([]);
      await tick();
      const touched = await store().subscriptions.update(a2._id, { set: { f: true } });
      expect(await store().subscriptions.listByUser(ann._id, latest)).toEqual([touched]);
      expect(await store().subscriptions.listByUser(ann._id, touched!._updatedAt)).toEqual([]);
    });

    it('listForNotification: the named members and those who want every desktop notification, once each', async () => {
      const a = await store().subscriptions.insert(makeSub(room, ann));
      const b = await store().subscriptions.insert(makeSub(room, bob, { desktopNotifications: 'all' }));
      await store().subscriptions.insert(makeSub(room, cat, { desktopNotifications: 'mentions' }));
      await store().subscriptions.insert(makeSub(other, ann, { desktopNotifications: 'all' }));
      expect(sortedIds(await store().subscriptions.listForNotification(room._id, []))).toEqual([b._id]);
      expect(sortedIds(await store().subscriptions.listForNotification(room._id, [ann._id, bob._id]))).toEqual([a._id, b._id].sort());
      await store().subscriptions.update(b._id, { set: { desktopNotifications: 'nothing' } });
      expect(await store().subscriptions.listForNotification(room._id, [])).toEqual([]);
    });

    it('listByRoomAndRoles sorts by u.username; countByRoomAndRole follows role changes', async () => {
      const c = await store().subscriptions.insert(makeSub(room, cat, { roles: ['moderator'] }));
      const a = await store().subscriptions.insert(makeSub(room, ann, { roles: ['owner', 'moderator'] }));
      const b = await store().subscriptions.insert(makeSub(room, bob, { roles: [] }));
      await store().subscriptions.insert(makeSub(other, bob, { roles: ['owner'] }));
      expect(ids(await store().subscriptions.listByRoomAndRoles(room._id, ['owner', 'moderator']))).toEqual([a._id, c._id]);
      expect(await store().subscriptions.listByRoomAndRoles(room._id, ['leader'])).toEqual([]);
      expect(await store().subscriptions.countByRoomAndRole(room._id, 'owner')).toBe(1);
      expect(await store().subscriptions.countByRoomAndRole(room._id, 'moderator')).toBe(2);
      await store().subscriptions.update(b._id, { addToSet: { roles: 'owner' } });
      await store().subscriptions.update(a._id, { pull: { roles: 'owner' } });
      expect(await store().subscriptions.countByRoomAndRole(room._id, 'owner')).toBe(1);
      // 'Bob' < 'ann' < 'cat' in code-point order.
      expect(ids(await store().subscriptions.listByRoomAndRoles(room._id, ['owner', 'moderator']))).toEqual([b._id, a._id, c._id]);
    });

    it('update changes counters and document fields alike and bumps _updatedAt', async () => {
      const sub = await store().subscriptions.insert(makeSub(room, ann, { alert: true, unread: 4, userMentions: 1 }));
      await tick();
      const now = new Date(1_700_000_000_000);
      const read = await store().subscriptions.update(sub._id, {
        set: { open: true, alert: false, unread: 0, userMentions: 0, groupMentions: 0, ls: now },
      });
      expect(read).toMatchObject({ open: true, alert: false, unread: 0, userMentions: 0, groupMentions: 0, ls: now });
      expect(read!._updatedAt.getTime()).toBeGreaterThan(sub._updatedAt.getTime());
      expect(await store().subscriptions.findById(sub._id)).toEqual(read);
      const bumped = await store().subscriptions.update(sub._id, { inc: { unread: 2 }, unset: ['ls'] });
      expect(bumped!.unread).toBe(2);
      expect(bumped).not.toHaveProperty('ls');
      expect(await store().subscriptions.findById(sub._id)).toEqual(bumped);
      expect(await store().subscriptions.update('missing', { set: { open: false } })).toBeUndefined();
    });

    it('updateByRoom updates every matching subscription, honouring exceptUserId and onlyOpen', async () => {
      const a = await store().subscriptions.insert(makeSub(room, ann, { open: true }));
      const b = await store().subscriptions.insert(makeSub(room, bob, { open: false }));
      const c = await store().subscriptions.insert(makeSub(room, cat, { open: true }));
      const elsewhere = await store().subscriptions.insert(makeSub(other, ann));
      await tick();
      const renamed = await store().subscriptions.updateByRoom(room._id, { set: { name: 'renamed', alert: true } });
      expect(sortedIds(renamed)).toEqual([a._id, b._id, c._id].sort());
      for (const s of renamed) {
        expect(s).toMatchObject({ name: 'renamed', alert: true });
        expect(s._updatedAt.getTime()).toBeGreaterThan(a._updatedAt.getTime());
        expect(await store().subscriptions.findById(s._id)).toEqual(s);
      }
      expect(await store().subscriptions.findById(elsewhere._id)).toEqual(elsewhere);
      const hidden = await store().subscriptions.updateByRoom(room._id, { set: { alert: false } }, { exceptUserId: ann._id, onlyOpen: true });
      expect(ids(hidden)).toEqual([c._id]);
      expect((await store().subscriptions.findById(a._id))!.alert).toBe(true);
      expect((await store().subscriptions.findById(b._id))!.alert).toBe(true);
      expect((await store().subscriptions.findById(c._id))!.alert).toBe(false);
      const except = await store().subscriptions.updateByRoom(room._id, { set: { archived: true } }, { exceptUserId: bob._id });
      expect(sortedIds(except)).toEqual([a._id, c._id].sort());
      expect(await store().subscriptions.updateByRoom('missing', { set: { archived: true } })).toEqual([]);
    });

    it('delete and deleteByRoom keep trash copies that listRemovedForUser reads (strictly after)', async () => {
      const a = await store().subscriptions.insert(makeSub(room, ann));
      const b = await store().subscriptions.insert(makeSub(room, bob));
      const a2 = await store().subscriptions.insert(makeSub(other, ann));
      const before = new Date(Date.now() - 1);
      expect(await store().subscriptions.delete(a._id)).toEqual(a);
      expect(await store().subscriptions.delete(a._id)).toBeUndefined();
      expect(await store().subscriptions.findById(a._id)).toBeUndefined();
      const removed = await store().subscriptions.listRemovedForUser(ann._id, before);
      expect(removed.map((r) => r._id)).toEqual([a._id]);
      expect(removed[0]!._deletedAt).toBeInstanceOf(Date);
      expect(await store().subscriptions.listRemovedForUser(ann._id, removed[0]!._deletedAt)).toEqual([]);
      expect(await store().subscriptions.listRemovedForUser(bob._id, before)).toEqual([]);
      const dropped = await store().subscriptions.deleteByRoom(room._id);
      expect(dropped).toEqual([b]);
      expect(await store().subscriptions.listByRoom(room._id)).toEqual([]);
      expect((await store().subscriptions.listRemovedForUser(bob._id, before)).map((r) => r._id)).toEqual([b._id]);
      expect(await store().subscriptions.findById(a2._id)).toEqual(a2);
      // Subscribing again drops the trash copy.
      await store().subscriptions.insert({ ...makeSub(room, ann), _id: a._id });
      expect(await store().subscriptions.listRemovedForUser(ann._id, before)).toEqual([]);
    });
  });
}

import { describe, expect, it } from 'vitest';
import {
  type StoreRef,
  expectDuplicate,
  expectStampedSince,
  makeMessage,
  makeRoom,
  makeSub,
  makeUser,
  sortedIds,
  tick,
} from './fixtures.conformance.js';

export function roomsConformance(store: StoreRef): void {
  describe('rooms', () => {
    it('insert stamps _updatedAt; Dates come back as Dates, nested ones too', async () => {
      const before = Date.now();
      const last = makeMessage('x', 1_700_000_000_001, { editedAt: new Date(1_700_000_000_002) });
      const room = makeRoom({ lastMessage: last, lm: last.ts, customFields: { since: new Date(5), deep: { list: [new Date(6)] } } });
      const inserted = await store().rooms.insert(room);
      expectStampedSince(inserted, before);
      const found = await store().rooms.findById(room._id);
      expect(found).toEqual(inserted);
      expect(found).toEqual({ ...room, _updatedAt: inserted._updatedAt });
      expect(found!.lastMessage!.ts).toBeInstanceOf(Date);
      expect(found!.lastMessage!.ts.getTime()).toBe(1_700_000_000_001);
      expect(found!.lastMessage!.editedAt).toEqual(new Date(1_700_000_000_002));
      expect(found!.lm).toBeInstanceOf(Date);
      expect((found!.customFields!['deep'] as { list: Date[] }).list[0]).toEqual(new Date(6));
      expect(await store().rooms.findById('nope')).toBeUndefined();
    });

    it('rejects a duplicate _id or name; names are exact and DMs need none', async () => {
      const room = await store().rooms.insert(makeRoom({ name: 'general' }));
      await expectDuplicate(store().rooms.insert(makeRoom({ _id: room._id })), 'rooms');
      await expectDuplicate(store().rooms.insert(makeRoom({ name: 'general' })), 'rooms');
      await store().rooms.insert(makeRoom({ name: 'General' }));
      await store().rooms.insert(makeRoom({ t: 'd', name: undefined, uids: ['a', 'b'] }));
      await store().rooms.insert(makeRoom({ t: 'd', name: undefined, uids: ['a', 'c'] }));
      expect((await store().rooms.findByName('general'))?._id).toBe(room._id);
      expect((await store().rooms.findByName('General'))?._id).not.toBe(room._id);
      expect(await store().rooms.findByName('GENERAL')).toBeUndefined();
      const other = await store().rooms.insert(makeRoom({ name: 'random' }));
      await expectDuplicate(store().rooms.update(other._id, { set: { name: 'general' } }), 'rooms');
      expect(await store().rooms.findById(other._id)).toEqual(other);
    });

    it('findByIds skips unknown ids', async () => {
      const a = await store().rooms.insert(makeRoom());
      const b = await store().rooms.insert(makeRoom());
      await store().rooms.insert(makeRoom());
      expect(sortedIds(await store().rooms.findByIds([b._id, 'missing', a._id]))).toEqual([a._id, b._id].sort());
      expect(await store().rooms.findByIds([])).toEqual([]);
    });

    it('findDirectByUids matches exactly these members in any order', async () => {
      const dm = await store().rooms.insert(makeRoom({ t: 'd', name: undefined, uids: ['u2', 'u1'], usernames: ['one', 'two'] }));
      const self = await store().rooms.insert(makeRoom({ t: 'd', name: undefined, uids: ['u1'] }));
      const group = await store().rooms.insert(makeRoom({ t: 'd', name: undefined, uids: ['u1', 'u2', 'u3'] }));
      await store().rooms.insert(makeRoom({ t: 'c', uids: ['u4', 'u5'] }));
      expect((await store().rooms.findDirectByUids(['u1', 'u2']))?._id).toBe(dm._id);
      expect((await store().rooms.findDirectByUids(['u2', 'u1']))?._id).toBe(dm._id);
      expect((await store().rooms.findDirectByUids(['u1']))?._id).toBe(self._id);
      expect((await store().rooms.findDirectByUids(['u3', 'u1', 'u2']))?._id).toBe(group._id);
      expect(await store().rooms.findDirectByUids(['u1', 'u3'])).toBeUndefined();
      expect(await store().rooms.findDirectByUids(['u4', 'u5'])).toBeUndefined();
      await store().rooms.update(dm._id, { set: { uids: ['u1', 'u9'] } });
      expect(await store().rooms.findDirectByUids(['u1', 'u2'])).toBeUndefined();
      expect((await store().rooms.findDirectByUids(['u9', 'u1']))?._id).toBe(dm._id);
    });

    it('update bumps _updatedAt and returns what findById returns; unknown ids give undefined', async () => {
      const room = await store().rooms.insert(makeRoom());
      await tick();
      const msg = makeMessage(room._id, 1_700_000_000_000);
      const updated = await store().rooms.update(room._id, { set: { lastMessage: msg, lm: msg.ts }, inc: { msgs: 1 } });
      expect(updated!._updatedAt.getTime()).toBeGreaterThan(room._updatedAt.getTime());
      expect(updated!.msgs).toBe(1);
      const found = await store().rooms.findById(room._id);
      expect(found).toEqual(updated);
      expect(found!.lastMessage!.ts).toBeInstanceOf(Date);
      expect(await store().rooms.update('missing', { inc: { msgs: 1 } })).toBeUndefined();
    });

    it('delete keeps a trash copy read by listRemovedSince (strictly after)', async () => {
      const a = await store().rooms.insert(makeRoom());
      const b = await store().rooms.insert(makeRoom());
      const before = new Date(Date.now() - 1);
      const deleted = await store().rooms.delete(a._id);
      expect(deleted).toEqual(a);
      expect(await store().rooms.findById(a._id)).toBeUndefined();
      expect(await store().rooms.delete(a._id)).toBeUndefined();
      const removed = await store().rooms.listRemovedSince(before);
      expect(removed.map((r) => r._id)).toEqual([a._id]);
      expect(removed[0]!._deletedAt).toBeInstanceOf(Date);
      expect(Object.keys(removed[0]!).sort()).toEqual(['_deletedAt', '_id']);
      expect(await store().rooms.listRemovedSince(removed[0]!._deletedAt)).toEqual([]);
      expect(await store().rooms.listRemovedSince(new Date(removed[0]!._deletedAt.getTime() - 1))).toEqual(removed);
      expect(await store().rooms.findById(b._id)).toEqual(b);
      // Inserting the id again drops its trash copy.
      await store().rooms.insert(makeRoom({ _id: a._id }));
      expect(await store().rooms.listRemovedSince(before)).toEqual([]);
    });

    it('listForUser returns the rooms the user is subscribed to, optionally updated strictly after `since`', async () => {
      const user = await store().users.insert(makeUser());
      const a = await store().rooms.insert(makeRoom());
      const b = await store().rooms.insert(makeRoom());
      await store().rooms.insert(makeRoom());
      await store().subscriptions.insert(makeSub(a, user));
      await store().subscriptions.insert(makeSub(b, user));
      expect(sortedIds(await store().rooms.listForUser(user._id))).toEqual([a._id, b._id].sort());
      expect(await store().rooms.listForUser('nobody')).toEqual([]);
      const latest = Math.max(a._updatedAt.getTime(), b._updatedAt.getTime());
      expect(await store().rooms.listForUser(user._id, new Date(latest))).toEqual([]);
      await tick();
      const touched = await store().rooms.update(a._id, { set: { topic: 'news' } });
      expect(await store().rooms.listForUser(user._id, new Date(latest))).toEqual([touched]);
      expect(await store().rooms.listForUser(user._id, touched!._updatedAt)).toEqual([]);
    });

    it('listDefault returns default rooms, optionally of one type', async () => {
      const c = await store().rooms.insert(makeRoom({ default: true }));
      const p = await store().rooms.insert(makeRoom({ t: 'p', default: true }));
      const plain = await store().rooms.insert(makeRoom({ default: false }));
      await store().rooms.insert(makeRoom());
      expect(sortedIds(await store().rooms.listDefault())).toEqual([c._id, p._id].sort());
      expect(sortedIds(await store().rooms.listDefault('c'))).toEqual([c._id]);
      expect(sortedIds(await store().rooms.listDefault('p'))).toEqual([p._id]);
      await store().rooms.update(plain._id, { set: { default: true } });
      await store().rooms.update(c._id, { unset: ['default'] });
      expect(sortedIds(await store().rooms.listDefault('c'))).toEqual([plain._id]);
    });
  });
}

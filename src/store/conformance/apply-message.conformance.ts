import { beforeEach, describe, expect, it } from 'vitest';
import type { Room, Subscription, User } from '../../domain/types.js';
import { type StoreRef, makeRoom, makeSub, makeUser, sortedIds, tick } from './fixtures.conformance.js';

/** subscriptions.applyMessage: the bookkeeping of a new message. */
export function applyMessageConformance(store: StoreRef): void {
  describe('subscriptions.applyMessage', () => {
    let room: Room;
    let sender: User;
    let a: User;
    let b: User;
    let c: User;
    const subs = new Map<string, Subscription>();

    const current = async (user: User): Promise<Subscription> => (await store().subscriptions.findByRoomAndUser(room._id, user._id))!;

    beforeEach(async () => {
      subs.clear();
      room = await store().rooms.insert(makeRoom());
      const other = await store().rooms.insert(makeRoom());
      [sender, a, b, c] = await Promise.all([0, 1, 2, 3].map(() => store().users.insert(makeUser())));
      subs.set(sender!._id, await store().subscriptions.insert(makeSub(room, sender!, { open: true, alert: false })));
      subs.set(a!._id, await store().subscriptions.insert(makeSub(room, a!, { open: false, alert: false })));
      subs.set(b!._id, await store().subscriptions.insert(makeSub(room, b!, { open: true, alert: true, unread: 5 })));
      subs.set(c!._id, await store().subscriptions.insert(makeSub(room, c!, { open: false, alert: true })));
      subs.set('other', await store().subscriptions.insert(makeSub(other, a!)));
      await tick();
    });

    it('alerts and opens every member but the sender, applies the counters, returns the rows written', async () => {
      const changed = await store().subscriptions.applyMessage(room._id, {
        senderId: sender._id,
        incUnread: 'all',
        incUserMentions: [a._id],
        incGroupMentions: false,
      });
      // a and c were closed (written); b was alerted and open: counted room-wide, not written.
      expect(sortedIds(changed)).toEqual(sortedIds([subs.get(a._id)!, subs.get(c._id)!]));
      for (const s of changed) {
        expect(s).toEqual(await store().subscriptions.findById(s._id));
        expect(s).toMatchObject({ open: true, alert: true });
        expect(s._updatedAt.getTime()).toBeGreaterThan(subs.get(a._id)!._updatedAt.getTime());
      }
      expect(await current(a)).toMatchObject({ unread: 1, userMentions: 1, groupMentions: 0 });
      const b1 = await current(b);
      expect(b1).toMatchObject({ unread: 6, userMentions: 0, groupMentions: 0 });
      expect(b1._updatedAt.getTime()).toBeGreaterThan(subs.get(b._id)!._updatedAt.getTime());
      expect(await current(c)).toMatchObject({ unread: 1, userMentions: 0 });
      expect(await current(sender)).toEqual(subs.get(sender._id));
      expect(await store().subscriptions.findById(subs.get('other')!._id)).toEqual(subs.get('other'));
      expect(sortedIds(await store().subscriptions.listWithRoomCounts(room._id))).toEqual(sortedIds([b1]));
      expect(await store().subscriptions.listWithRoomCounts(subs.get('other')!.rid)).toEqual([]);
    });

    it('a second message without counters changes nothing and returns nothing', async () => {
      const effects = { senderId: sender._id, incUnread: [] as string[], incUserMentions: [] as string[], incGroupMentions: false };
      expect((await store().subscriptions.applyMessage(room._id, effects)).length).toBe(2); // a and c were closed
      const settled = await store().subscriptions.listByRoom(room._id);
      await tick();
      expect(await store().subscriptions.applyMessage(room._id, effects)).toEqual([]);
      expect(await store().subscriptions.listByRoom(room._id)).toEqual(settled);
    });

    it('counts unread and mentions only for the listed members; b was already alerted and open', async () => {
      const changed = await store().subscriptions.applyMessage(room._id, {
        senderId: sender._id,
        incUnread: [b._id, c._id],
        incUserMentions: [c._id],
        incGroupMentions: false,
      });
      expect(sortedIds(changed)).toEqual(sortedIds([subs.get(a._id)!, subs.get(b._id)!, subs.get(c._id)!]));
      expect(await current(a)).toMatchObject({ unread: 0, userMentions: 0, open: true, alert: true });
      expect(await current(b)).toMatchObject({ unread: 6, userMentions: 0 });
      expect(await current(c)).toMatchObject({ unread: 1, userMentions: 1, open: true });
      const again = await store().subscriptions.applyMessage(room._id, {
        senderId: sender._id,
        incUnread: [b._id],
        incUserMentions: [],
        incGroupMentions: false,
      });
      expect(again.map((s) => [s._id, s.unread])).toEqual([[subs.get(b._id)!._id, 7]]);
    });

    it('group mentions count for every member but the sender; the sender is never touched', async () => {
      const changed = await store().subscriptions.applyMessage(room._id, {
        senderId: sender._id,
        incUnread: [sender._id],
        incUserMentions: [sender._id],
        incGroupMentions: true,
      });
      expect(sortedIds(changed)).toEqual(sortedIds([subs.get(a._id)!, subs.get(c._id)!]));
      for (const u of [a, b, c]) expect((await current(u)).groupMentions).toBe(1);
      expect(await current(sender)).toEqual(subs.get(sender._id));
    });

    it('an unknown room or a room holding only the sender changes nothing', async () => {
      const effects = { senderId: sender._id, incUnread: 'all' as const, incUserMentions: [], incGroupMentions: true };
      expect(await store().subscriptions.applyMessage('missing', effects)).toEqual([]);
      const solo = await store().rooms.insert(makeRoom());
      await store().subscriptions.insert(makeSub(solo, sender));
      expect(await store().subscriptions.applyMessage(solo._id, effects)).toEqual([]);
    });

    describe('room-wide counts', () => {
      const everyone = (senderId: string) => ({ senderId, incUnread: 'all' as const, incUserMentions: [] as string[], incGroupMentions: false });
      const group = (senderId: string) => ({ senderId, incUnread: 'all' as const, incUserMentions: [] as string[], incGroupMentions: true });

      it('add up on every read until the row is written; a write keeps them and starts from there', async () => {
        await store().subscriptions.applyMessage(room._id, everyone(sender._id)); // a, c written (closed)
        await store().subscriptions.applyMessage(room._id, everyone(a._id));
        await store().subscriptions.applyMessage(room._id, group(c._id));
        expect(await current(b)).toMatchObject({ unread: 8, groupMentions: 1 });
        expect(await current(a)).toMatchObject({ unread: 2, groupMentions: 1 }); // 1 + c's (a skipped its own)
        expect(await current(c)).toMatchObject({ unread: 2, groupMentions: 0 });
        expect(await current(sender)).toMatchObject({ unread: 2, groupMentions: 1 });
        const bSub = await current(b);
        const written = await store().subscriptions.update(bSub._id, { set: { f: true } });
        expect(written).toMatchObject({ unread: 8, groupMentions: 1, f: true });
        expect(await current(b)).toEqual(written);
        await store().subscriptions.update(bSub._id, { set: { unread: 0, groupMentions: 0 } });
        await store().subscriptions.applyMessage(room._id, everyone(sender._id));
        expect(await current(b)).toMatchObject({ unread: 1, groupMentions: 0 });
        expect(await current(sender)).toMatchObject({ unread: 2, groupMentions: 1 });
      });

      it('a member who joins later counts only what follows', async () => {
        await store().subscriptions.applyMessage(room._id, group(sender._id));
        const late = await store().users.insert(makeUser());
        const inserted = await store().subscriptions.insert(makeSub(room, late, { unread: 0, groupMentions: 0 }));
        expect(await store().subscriptions.findById(inserted._id)).toEqual(inserted);
        await store().subscriptions.applyMessage(room._id, group(sender._id));
        expect(await store().subscriptions.findById(inserted._id)).toMatchObject({ unread: 1, groupMentions: 1 });
      });

      it('_updatedAt follows them; listByUser since sees them; listWithRoomCounts lists whom they changed', async () => {
        await store().subscriptions.applyMessage(room._id, everyone(sender._id));
        await tick();
        const since = new Date();
        await tick();
        expect(await store().subscriptions.listByUser(b._id, since)).toEqual([]);
        await store().subscriptions.applyMessage(room._id, everyone(sender._id));
        const bNow = await current(b);
        expect(bNow._updatedAt.getTime()).toBeGreaterThan(since.getTime());
        expect(await store().subscriptions.listByUser(b._id, since)).toEqual([bNow]);
        expect(await store().subscriptions.listByUser(sender._id, since)).toEqual([]);
        expect(sortedIds(await store().subscriptions.listWithRoomCounts(room._id))).toEqual(
          sortedIds([subs.get(a._id)!, subs.get(b._id)!, subs.get(c._id)!]),
        );
        await store().subscriptions.update(bNow._id, { set: { unread: 0 } });
        expect(sortedIds(await store().subscriptions.listWithRoomCounts(room._id))).toEqual(sortedIds([subs.get(a._id)!, subs.get(c._id)!]));
      });

      it('updateByRoom, delete and deleteByRoom see them', async () => {
        await store().subscriptions.applyMessage(room._id, everyone(sender._id));
        const updated = await store().subscriptions.updateByRoom(room._id, { set: { archived: true } });
        expect(updated.find((s) => s.u._id === b._id)).toMatchObject({ unread: 6, archived: true });
        expect(await current(b)).toMatchObject({ unread: 6, archived: true });
        await store().subscriptions.applyMessage(room._id, everyone(sender._id));
        expect((await store().subscriptions.delete(subs.get(b._id)!._id))?.unread).toBe(7);
        const removed = await store().subscriptions.deleteByRoom(room._id);
        expect(removed.find((s) => s.u._id === a._id)?.unread).toBe(2);
        expect(await store().subscriptions.listWithRoomCounts(room._id)).toEqual([]);
      });
    });
  });
}

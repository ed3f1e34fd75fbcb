import { beforeEach, describe, expect, it } from 'vitest';
import type { Room, User } from '../../domain/types.js';
import type { MessageEffects } from '../store.js';
import { type StoreRef, makeMessage, makeRoom, makeSub, makeUser, sortedIds, tick } from './fixtures.conformance.js';

/** Store.postMessage: a new message and everything it writes, all or nothing. */
export function postMessageConformance(store: StoreRef): void {
  describe('postMessage', () => {
    let room: Room;
    let sender: User;
    let a: User;
    let b: User;

    const sub = async (user: User) => (await store().subscriptions.findByRoomAndUser(room._id, user._id))!;
    const plain = (): MessageEffects => ({ senderId: sender._id, incUnread: [], incUserMentions: [], incGroupMentions: false });

    beforeEach(async () => {
      room = await store().rooms.insert(makeRoom({ msgs: 4 }));
      [sender, a, b] = await Promise.all([0, 1, 2].map(() => store().users.insert(makeUser())));
      await store().subscriptions.insert(makeSub(room, sender!, { open: true, alert: true, unread: 3, userMentions: 1 }));
      await store().subscriptions.insert(makeSub(room, a!, { open: false, alert: false }));
      await store().subscriptions.insert(makeSub(room, b!, { open: true, alert: true, unread: 2 }));
      await tick();
    });

    it('inserts the message, updates the room, alerts the members, marks the sender read', async () => {
      const message = makeMessage(room._id, Date.now(), { u: { _id: sender._id, username: sender.username! } });
      const before = Date.now();
      const posted = (await store().postMessage(message, { roomSet: { lm: message.ts }, roomLastMessage: true, effects: plain(), readBySender: true }))!;
      expect(posted.message).toEqual({ ...message, _updatedAt: posted.message._updatedAt });
      expect(posted.message._updatedAt.getTime()).toBeGreaterThanOrEqual(before);
      expect(await store().messages.findById(message._id)).toEqual(posted.message);
      expect(posted.room).toEqual(await store().rooms.findById(room._id));
      expect(posted.room).toMatchObject({ msgs: 5, lm: message.ts, lastMessage: posted.message });
      expect(posted.room!._updatedAt.getTime()).toBeGreaterThanOrEqual(before);
      expect(sortedIds(posted.changed)).toEqual(sortedIds([await sub(a)]));
      expect(posted.changed[0]).toEqual(await sub(a));
      expect(posted.changed[0]).toMatchObject({ open: true, alert: true });
      expect(posted.sender).toEqual(await sub(sender));
      expect(posted.sender).toMatchObject({ open: true, alert: false, unread: 0, userMentions: 0, groupMentions: 0 });
      expect(posted.sender!.ls!.getTime()).toBeGreaterThanOrEqual(before);
      expect(await sub(b)).toMatchObject({ unread: 2 });
    });

    it('room-wide counts reach every member but the sender', async () => {
      const effects: MessageEffects = { senderId: sender._id, incUnread: 'all', incUserMentions: [b._id], incGroupMentions: true };
      for (let i = 0; i < 2; i++) {
        const message = makeMessage(room._id, Date.now(), { u: { _id: sender._id, username: sender.username! } });
        await store().postMessage(message, { roomSet: {}, roomLastMessage: false, effects, readBySender: true });
      }
      expect(await sub(a)).toMatchObject({ unread: 2, groupMentions: 2, userMentions: 0 });
      expect(await sub(b)).toMatchObject({ unread: 4, groupMentions: 2, userMentions: 2 });
      expect(await sub(sender)).toMatchObject({ unread: 0, groupMentions: 0 });
      expect(await store().rooms.findById(room._id)).toMatchObject({ msgs: 6 });
      expect((await store().rooms.findById(room._id))!.lastMessage).toBeUndefined();
    });

    it('without effects or a sender to mark: only the message and the room', async () => {
      const message = makeMessage(room._id, Date.now(), { u: { _id: sender._id, username: sender.username! }, tmid: 'root' });
      const subsBefore = await store().subscriptions.listByRoom(room._id);
      const posted = (await store().postMessage(message, { roomSet: {}, roomLastMessage: false, readBySender: false }))!;
      expect(posted.changed).toEqual([]);
      expect(posted.sender).toBeUndefined();
      expect(posted.room).toMatchObject({ msgs: 5 });
      expect(await store().subscriptions.listByRoom(room._id)).toEqual(subsBefore);
    });

    it('an existing _id writes nothing and gives undefined', async () => {
      const message = makeMessage(room._id, Date.now(), { u: { _id: sender._id, username: sender.username! } });
      const post = { roomSet: { lm: message.ts }, roomLastMessage: true, effects: plain(), readBySender: true };
      await store().postMessage(message, post);
      const roomBefore = await store().rooms.findById(room._id);
      const subsBefore = await store().subscriptions.listByRoom(room._id);
      expect(await store().postMessage({ ...message, msg: 'again' }, post)).toBeUndefined();
      expect((await store().messages.findById(message._id))!.msg).toBe(message.msg);
      expect(await store().rooms.findById(room._id)).toEqual(roomBefore);
      expect(await store().subscriptions.listByRoom(room._id)).toEqual(subsBefore);
    });

    it('inside a transaction it rolls back with it', async () => {
      const message = makeMessage(room._id, Date.now(), { u: { _id: sender._id, username: sender.username! } });
      await expect(
        store().transaction(async (tx) => {
          await tx.postMessage(message, { roomSet: {}, roomLastMessage: false, effects: plain(), readBySender: true });
          throw new Error('abort');
        }),
      ).rejects.toThrow('abort');
      expect(await store().messages.findById(message._id)).toBeUndefined();
      expect(await store().rooms.findById(room._id)).toMatchObject({ msgs: 4 });
      expect(await sub(a)).toMatchObject({ open: false, alert: false });
    });
  });
}

import { describe, expect, it } from 'vitest';
import { DuplicateKeyError } from '../errors.js';
import type { Store } from '../store.js';
import { type StoreRef, makeMessage, makeRoom, makeSub, makeUser, tick } from './fixtures.conformance.js';

export function transactionsConformance(store: StoreRef): void {
  describe('transaction', () => {
    it('commits every write and returns the function result; reads inside see the writes', async () => {
      const user = makeUser();
      const room = makeRoom();
      const result = await store().transaction(async (tx) => {
        await tx.users.insert(user);
        await tx.rooms.insert(room);
        await tick();
        await tx.subscriptions.insert(makeSub(room, user));
        await tx.rooms.update(room._id, { inc: { usersCount: 1 } });
        expect((await tx.users.findById(user._id))?._id).toBe(user._id);
        expect((await tx.rooms.findById(room._id))?.usersCount).toBe(1);
        return 'done';
      });
      expect(result).toBe('done');
      expect((await store().users.findById(user._id))?._id).toBe(user._id);
      expect((await store().rooms.findById(room._id))?.usersCount).toBe(1);
      expect(await store().subscriptions.listByRoom(room._id)).toHaveLength(1);
    });

    it('an error thrown inside rolls back every write inside and is rethrown', async () => {
      const member = await store().users.insert(makeUser());
      const room = await store().rooms.insert(makeRoom());
      const doomed = await store().rooms.insert(makeRoom());
      const sub = await store().subscriptions.insert(makeSub(room, member, { open: false }));
      const kept = makeMessage(room._id, 1);
      await store().messages.insert(kept);
      const since = new Date(Date.now() - 1);
      const boom = new Error('boom');
      const newUser = makeUser();
      const newMessage = makeMessage(room._id, 2);
      const err = await store()
        .transaction(async (tx) => {
          await tx.users.insert(newUser);
          await tx.rooms.update(room._id, { inc: { msgs: 1 }, set: { topic: 'changed' } });
          await tx.messages.insert(newMessage);
          await tick();
          await tx.messages.delete(kept._id);
          await tx.subscriptions.applyMessage(room._id, { senderId: 'x', incUnread: 'all', incUserMentions: [], incGroupMentions: true });
          await tx.rooms.delete(doomed._id);
          await tx.users.addLoginToken(member._id, { when: new Date(), hashedToken: 'rolled-back' });
          throw boom;
        })
        .catch((e: unknown) => e);
      expect(err).toBe(boom);
      expect(await store().users.findById(newUser._id)).toBeUndefined();
      expect(await store().users.findByLoginToken('rolled-back')).toBeUndefined();
      expect(await store().rooms.findById(room._id)).toEqual(room);
      expect(await store().rooms.findById(doomed._id)).toEqual(doomed);
      expect(await store().rooms.listRemovedSince(since)).toEqual([]);
      expect(await store().messages.findById(newMessage._id)).toBeUndefined();
      expect((await store().messages.findById(kept._id))?._id).toBe(kept._id);
      expect(await store().subscriptions.findById(sub._id)).toEqual(sub);
    });

    it('calls from outside during a transaction are neither lost nor rolled back with it', async () => {
      const room = await store().rooms.insert(makeRoom());
      const inside = makeMessage(room._id, 1);
      const outside = makeMessage(room._id, 2);
      let started!: () => void;
      const txStarted = new Promise<void>((resolve) => (started = resolve));
      const tx = store()
        .transaction(async (t) => {
          await t.messages.insert(inside);
          started();
          await tick(20);
          await t.rooms.update(room._id, { inc: { msgs: 1 } });
          throw new Error('rollback');
        })
        .catch(() => 'rolled back');
      await txStarted;
      const outsideCall = store().messages.insert(outside);
      const outsideUpdate = store().rooms.update(room._id, { inc: { usersCount: 1 } });
      expect(await tx).toBe('rolled back');
      expect(await outsideCall).toBe(true);
      await outsideUpdate;
      expect((await store().messages.findById(outside._id))?._id).toBe(outside._id);
      expect(await store().messages.findById(inside._id)).toBeUndefined();
      const after = await store().rooms.findById(room._id);
      expect(after).toMatchObject({ usersCount: 1, msgs: 0 });
    });

    it('concurrent transactions do not lose each other’s updates', async () => {
      const room = await store().rooms.insert(makeRoom());
      const bump = (s: Store): Promise<void> =>
        s.transaction(async (tx) => {
          await tx.rooms.update(room._id, { inc: { msgs: 1 } });
          await tick(5);
          await tx.rooms.update(room._id, { inc: { msgs: 1 } });
        });
      await Promise.all([bump(store()), bump(store()), store().rooms.update(room._id, { inc: { msgs: 10 } })]);
      expect((await store().rooms.findById(room._id))?.msgs).toBe(14);
    });

    it('concurrent updates of one document lose nothing', async () => {
      const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
      const room = await store().rooms.insert(makeRoom());
      const user = await store().users.insert(makeUser());
      const sub = await store().subscriptions.insert(makeSub(room, user, { unread: 0 }));
      const message = makeMessage(room._id, 1);
      await store().messages.insert(message);
      await Promise.all([
        ...range(12).map(() => store().rooms.update(room._id, { inc: { msgs: 1 } })),
        ...range(8).map((i) => store().users.addLoginToken(user._id, { when: new Date(), hashedToken: `t${i}` })),
        ...range(8).map(() => store().subscriptions.update(sub._id, { inc: { unread: 1 } })),
        ...range(8).map((i) => store().messages.update(message._id, { addToSet: { replies: `u${i}` } })),
      ]);
      expect((await store().rooms.findById(room._id))?.msgs).toBe(12);
      expect((await store().users.findById(user._id))?.services?.resume?.loginTokens).toHaveLength(8);
      for (const i of range(8)) expect((await store().users.findByLoginToken(`t${i}`))?.user._id).toBe(user._id);
      expect((await store().subscriptions.findById(sub._id))?.unread).toBe(8);
      expect(((await store().messages.findById(message._id))?.['replies'] as string[]).sort()).toEqual(range(8).map((i) => `u${i}`));
    });

    it('transaction() on the transaction store runs inside the outer transaction', async () => {
      const a = makeUser();
      const b = makeUser();
      await store()
        .transaction(async (tx) => {
          await tx.users.insert(a);
          const inner = await tx.transaction(async (nested) => {
            await nested.users.insert(b);
            return 42;
          });
          expect(inner).toBe(42);
          expect((await tx.users.findById(b._id))?._id).toBe(b._id);
          throw new Error('undo all');
        })
        .catch(() => undefined);
      expect(await store().users.findById(a._id)).toBeUndefined();
      expect(await store().users.findById(b._id)).toBeUndefined();
    });

    it('a DuplicateKeyError caught inside leaves the transaction usable', async () => {
      const existing = await store().users.insert(makeUser({ username: 'taken' }));
      const fresh = makeUser();
      await store().transaction(async (tx) => {
        const err = await tx.users.insert(makeUser({ username: 'TAKEN' })).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(DuplicateKeyError);
        await tx.users.insert(fresh);
      });
      expect((await store().users.findById(fresh._id))?._id).toBe(fresh._id);
      expect(await store().users.findById(existing._id)).toEqual(existing);
      expect(await store().users.count()).toBe(2);
    });

    it('the transaction store refuses work once the transaction has ended', async () => {
      let leaked: Store | undefined;
      await store().transaction(async (tx) => {
        leaked = tx;
      });
      await expect(leaked!.users.findById('x')).rejects.toThrow();
      await expect(leaked!.users.insert(makeUser())).rejects.toThrow();
      expect(await store().users.count()).toBe(0);
    });
  });
}

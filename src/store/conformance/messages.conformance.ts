import { describe, expect, it } from 'vitest';
import type { Message } from '../../domain/types.js';
import { type StoreRef, expectStampedSince, ids, makeMessage, tick } from './fixtures.conformance.js';

const T0 = 1_700_000_000_000;
const at = (n: number): number => T0 + n * 1000;

export function messagesConformance(store: StoreRef): void {
  describe('messages', () => {
    it('insert stamps _updatedAt, keeps Dates and refuses a duplicate _id without writing', async () => {
      const before = Date.now();
      const m = makeMessage('r1', at(1), {
        editedAt: new Date(at(2)),
        attachments: [{ ts: new Date(at(3)), title: 'file' }],
        reactions: { ':+1:': { usernames: ['a'] } },
      });
      expect(await store().messages.insert(m)).toBe(true);
      const found = await store().messages.findById(m._id);
      expectStampedSince(found, before);
      expect(found).toEqual({ ...m, _updatedAt: found!._updatedAt });
      expect(found!.ts).toBeInstanceOf(Date);
      expect((found!.attachments![0] as { ts: Date }).ts).toEqual(new Date(at(3)));
      expect(await store().messages.insert({ ...m, msg: 'overwritten?' })).toBe(false);
      expect((await store().messages.findById(m._id))!.msg).toBe(m.msg);
      expect(await store().messages.findById('nope')).toBeUndefined();
    });

    it('update applies the patch, bumps _updatedAt, and the query columns follow it', async () => {
      const m = makeMessage('r1', at(1), { tmid: 'parent', tshow: true });
      await store().messages.insert(m);
      const stored = (await store().messages.findById(m._id))!;
      await tick();
      const edited = await store().messages.update(m._id, {
        set: { msg: 'edited', editedAt: new Date(at(5)), editedBy: { _id: 'e', username: 'editor' } },
        unset: ['tshow'],
      });
      expect(edited!.msg).toBe('edited');
      expect(edited).not.toHaveProperty('tshow');
      expect(edited!._updatedAt.getTime()).toBeGreaterThan(stored._updatedAt.getTime());
      expect(await store().messages.findById(m._id)).toEqual(edited);
      expect(await store().messages.listHistory('r1', { excludeThreadReplies: true }, 10)).toEqual([]);
      await store().messages.update(m._id, { set: { tshow: true } });
      expect(ids(await store().messages.listHistory('r1', { excludeThreadReplies: true }, 10))).toEqual([m._id]);
      await store().messages.update(m._id, { set: { _hidden: true } });
      expect(await store().messages.listHistory('r1', {}, 10)).toEqual([]);
      expect(await store().messages.update('missing', { set: { msg: 'x' } })).toBeUndefined();
    });

    it('delete removes one message; deleteByRoom removes a room and counts', async () => {
      const a = makeMessage('r1', at(1));
      const b = makeMessage('r1', at(2));
      const c = makeMessage('r2', at(3));
      for (const m of [a, b, c]) await store().messages.insert(m);
      const deleted = await store().messages.delete(a._id);
      expect(deleted?._id).toBe(a._id);
      expect(deleted?.ts).toEqual(a.ts);
      expect(await store().messages.findById(a._id)).toBeUndefined();
      expect(await store().messages.delete(a._id)).toBeUndefined();
      expect(await store().messages.deleteByRoom('r1')).toBe(1);
      expect(await store().messages.deleteByRoom('r1')).toBe(0);
      expect(await store().messages.findById(b._id)).toBeUndefined();
      expect((await store().messages.findById(c._id))?._id).toBe(c._id);
      // The id is free again.
      expect(await store().messages.insert(a)).toBe(true);
    });

    it('deleteByUser removes one sender\'s messages everywhere (into the trash) and names their rooms', async () => {
      const mine = (rid: string, n: number) => makeMessage(rid, at(n), { u: { _id: 'gone', username: 'gone' } });
      const kept = makeMessage('x1', at(9));
      for (const m of [mine('x1', 1), mine('x1', 2), mine('x2', 3), kept]) await store().messages.insert(m);
      expect((await store().messages.deleteByUser('gone')).sort()).toEqual(['x1', 'x2']);
      expect(ids(await store().messages.listHistory('x1', {}, 0))).toEqual([kept._id]);
      expect(await store().messages.listHistory('x2', {}, 0)).toEqual([]);
      expect((await store().messages.listDeleted('x1', { order: 'asc' })).length).toBe(2);
      expect(await store().messages.deleteByUser('gone')).toEqual([]);
    });

    it('listChanged: visible messages of the room by _updatedAt, windowed and ordered, with limit', async () => {
      const [a, b, c] = [makeMessage('w', at(3)), makeMessage('w', at(1)), makeMessage('w', at(2))];
      const stamps: number[] = [];
      for (const m of [a, b, c]) {
        await store().messages.insert(m);
        stamps.push((await store().messages.findById(m._id))!._updatedAt.getTime());
        await tick();
      }
      await store().messages.insert(makeMessage('other', at(1)));
      await store().messages.insert(makeMessage('w', at(4), { _hidden: true }));
      expect(ids(await store().messages.listChanged('w', { order: 'asc' }))).toEqual([a._id, b._id, c._id]);
      expect(ids(await store().messages.listChanged('w', { order: 'desc', limit: 2 }))).toEqual([c._id, b._id]);
      expect(ids(await store().messages.listChanged('w', { order: 'asc', after: new Date(stamps[0]!) }))).toEqual([b._id, c._id]);
      expect(ids(await store().messages.listChanged('w', { order: 'desc', before: new Date(stamps[2]!) }))).toEqual([b._id, a._id]);
      // An edit moves the message to the end.
      await tick();
      const edited = await store().messages.update(a._id, { set: { msg: 'edited' } });
      expect(ids(await store().messages.listChanged('w', { order: 'asc', after: new Date(stamps[2]!) }))).toEqual([a._id]);
      expect((await store().messages.listChanged('w', { order: 'asc', after: new Date(stamps[2]!) }))[0]).toEqual(edited);
    });

    it('listDeleted: the trash of one room by deletion time, windowed and ordered', async () => {
      const [a, b, c] = [makeMessage('d', at(1)), makeMessage('d', at(2)), makeMessage('other', at(3))];
      for (const m of [a, b, c]) await store().messages.insert(m);
      const before = Date.now();
      await store().messages.delete(a._id);
      await tick();
      await store().messages.delete(b._id);
      await store().messages.delete(c._id);
      const removed = await store().messages.listDeleted('d', { order: 'asc' });
      expect(removed.map((r) => r._id)).toEqual([a._id, b._id]);
      expect(removed[0]!._deletedAt).toBeInstanceOf(Date);
      expect(removed[0]!._deletedAt.getTime()).toBeGreaterThanOrEqual(before);
      expect((await store().messages.listDeleted('d', { order: 'desc', limit: 1 })).map((r) => r._id)).toEqual([b._id]);
      expect((await store().messages.listDeleted('d', { order: 'asc', after: removed[0]!._deletedAt })).map((r) => r._id)).toEqual([b._id]);
      expect(await store().messages.listDeleted('d', { order: 'asc', before: removed[0]!._deletedAt })).toEqual([]);
    });

    describe('history', () => {
      const seed = async (): Promise<Message[]> => {
        const room: Message[] = [];
        for (let i = 1; i <= 10; i++) room.push(makeMessage('h', at(i)));
        const extra = [
          makeMessage('h', at(11), { t: 'uj', msg: 'joiner' }),
          makeMessage('h', at(12), { t: 'room_changed_topic' }),
          makeMessage('h', at(13), { tmid: room[0]!._id }),
          makeMessage('h', at(14), { tmid: room[0]!._id, tshow: true }),
          makeMessage('h', at(15), { _hidden: true }),
          makeMessage('elsewhere', at(16)),
        ];
        // Inserted out of order: the order comes from ts, not from insertion.
        for (const m of [...extra, ...room.slice(5), ...room.slice(0, 5)]) await store().messages.insert(m);
        return [...room, ...extra];
      };
      const tsOf = (ms: Message[]): number[] => ms.map((m) => (m.ts.getTime() - T0) / 1000);

      it('lists visible messages of the room newest first, with limit', async () => {
        await seed();
        expect(tsOf(await store().messages.listHistory('h', {}, 5))).toEqual([14, 13, 12, 11, 10]);
        expect(tsOf(await store().messages.listHistory('h', {}, 0))).toEqual([14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
        expect(await store().messages.listHistory('missing', {}, 5)).toEqual([]);
      });

      it('before and after are strict bounds', async () => {
        await seed();
        expect(tsOf(await store().messages.listHistory('h', { before: new Date(at(5)) }, 3))).toEqual([4, 3, 2]);
        expect(tsOf(await store().messages.listHistory('h', { after: new Date(at(11)) }, 50))).toEqual([14, 13, 12]);
        expect(tsOf(await store().messages.listHistory('h', { after: new Date(at(2)), before: new Date(at(6)) }, 50))).toEqual([5, 4, 3]);
      });

      it('excludeTypes drops those system types only; excludeThreadReplies drops replies not shown in the room', async () => {
        await seed();
        expect(tsOf(await store().messages.listHistory('h', { excludeTypes: ['uj', 'ul'] }, 4))).toEqual([14, 13, 12, 10]);
        expect(tsOf(await store().messages.listHistory('h', { excludeThreadReplies: true }, 4))).toEqual([14, 12, 11, 10]);
        expect(tsOf(await store().messages.listHistory('h', { excludeTypes: ['uj', 'room_changed_topic'], excludeThreadReplies: true }, 3))).toEqual([
          14, 10, 9,
        ]);
      });

      it('listHistoryJson gives the same messages as listHistory, as JSON text with $date markers', async () => {
        await seed();
        for (const q of [{}, { before: new Date(at(5)) }, { excludeTypes: ['uj'], excludeThreadReplies: true }]) {
          const decoded = await store().messages.listHistory('h', q, 6);
          const raw = await store().messages.listHistoryJson('h', q, 6);
          expect(raw.map((r) => r.ts)).toEqual(decoded.map((m) => m.ts));
          const parsed = raw.map((r) => JSON.parse(r.json) as { _id: string; ts: unknown; msg: string });
          expect(parsed.map((p) => p._id)).toEqual(decoded.map((m) => m._id));
          expect(parsed.map((p) => p.ts)).toEqual(decoded.map((m) => ({ $date: m.ts.getTime() })));
          expect(parsed.map((p) => p.msg)).toEqual(decoded.map((m) => m.msg));
        }
      });

      it('findOldestAndCount applies the same filters', async () => {
        const all = await seed();
        const res = await store().messages.findOldestAndCount('h', { after: new Date(at(3)), before: new Date(at(12)) });
        expect(res.count).toBe(8);
        expect(res.oldest).toEqual(await store().messages.findById(all[3]!._id));
        const filtered = await store().messages.findOldestAndCount('h', { after: new Date(at(10)), excludeTypes: ['uj'], excludeThreadReplies: true });
        expect(filtered.count).toBe(2);
        expect(tsOf([filtered.oldest!])).toEqual([12]);
        expect(await store().messages.findOldestAndCount('h', { after: new Date(at(20)) })).toEqual({ count: 0 });
      });

      it('findLastVisible returns the newest visible non-system message', async () => {
        await seed();
        expect(tsOf([(await store().messages.findLastVisible('h'))!])).toEqual([14]);
        await store().messages.update((await store().messages.findLastVisible('h'))!._id, { set: { _hidden: true } });
        // 13 is a thread reply not shown in the room, 12 and 11 are system messages.
        expect(tsOf([(await store().messages.findLastVisible('h'))!])).toEqual([10]);
        expect(await store().messages.findLastVisible('missing')).toBeUndefined();
      });
    });
  });
}

import { describe, expect, it } from 'vitest';
import { type StoreRef, makeMessage, makeRoom, makeSub, makeUser } from './fixtures.conformance.js';

/** Strings that would break string-built SQL or a naive document query language. */
const NASTY = [
  "Robert'); DROP TABLE users; --",
  '"; DELETE FROM rooms; --',
  "' OR '1'='1",
  '%_\\%',
  'back\\slash "quoted" \'single\'',
  'ünïcödé 🚀 ✓',
  '$where',
  '{"$date": 0}',
];
/** Values shaped like operators or like the storage's own markers. */
const OPERATOR_LIKE: Record<string, unknown> = {
  where: { $where: 'function () { sleep(1000); return true; }' },
  gt: { $gt: '' },
  date: { $date: 12 },
  escape: { $escape: { $date: 1 } },
  dateInside: { $date: new Date(3) },
  dotted: { 'a.b': 1, '$c': 2 },
  proto: JSON.parse('{"__proto__": {"polluted": true}}') as unknown,
  arrays: [[new Date(4)], { $date: 'not a number' }, null, 0, false, ''],
};

/** Patch semantics, Date round-trips and verbatim storage of hostile values, across collections. */
export function documentsConformance(store: StoreRef): void {
  describe('documents', () => {
    it('Patch applies set, unset, inc, addToSet, pull in that order', async () => {
      const room = await store().rooms.insert(makeRoom({ topic: 'old', msgs: 5, muted: ['a', 'b'] }));
      const updated = await store().rooms.update(room._id, {
        set: { topic: 'new', description: 'gone', usersCount: 10, unmuted: ['x'] },
        unset: ['description', 'ro'],
        inc: { usersCount: 2, msgs: -1, counter: 3 },
        addToSet: { muted: 'c', unmuted: 'x', tags: 't1' },
        pull: { muted: 'a', unmuted: 'x', missing: 'z' },
      });
      const expected = { ...room, topic: 'new', usersCount: 12, msgs: 4, counter: 3, muted: ['b', 'c'], unmuted: [], tags: ['t1'] };
      delete expected.description;
      delete expected.ro;
      expect(updated).toEqual({ ...expected, _updatedAt: updated!._updatedAt });
      expect(await store().rooms.findById(room._id)).toEqual(updated);
      // addToSet of a present value does not duplicate; a set member that is undefined is ignored.
      const again = await store().rooms.update(room._id, { addToSet: { muted: 'b' }, set: { topic: undefined } });
      expect(again!.muted).toEqual(['b', 'c']);
      expect(again!.topic).toBe('new');
      // The _id never changes.
      const same = await store().rooms.update(room._id, { set: { _id: 'hijacked' } });
      expect(same!._id).toBe(room._id);
      expect(await store().rooms.findById('hijacked')).toBeUndefined();
    });

    it('Dates set through a patch come back as Dates', async () => {
      const user = await store().users.insert(makeUser());
      const when = new Date(1_700_000_000_777);
      await store().users.update(user._id, { set: { services: { resume: { loginTokens: [{ when, hashedToken: 'h' }] } } } });
      const found = await store().users.findById(user._id);
      expect(found!.services!.resume!.loginTokens[0]!.when).toBeInstanceOf(Date);
      expect(found!.services!.resume!.loginTokens[0]!.when.getTime()).toBe(when.getTime());
      expect(found!.createdAt).toEqual(user.createdAt);
    });

    it('stores hostile strings verbatim and finds them by exact value', async () => {
      for (const text of NASTY) {
        const user = await store().users.insert(makeUser({ username: text, name: text, bio: text, emails: [{ address: `${text}@x`, verified: false }] }));
        expect(await store().users.findById(user._id)).toEqual(user);
        expect((await store().users.findByUsername(text))?._id).toBe(user._id);
        expect((await store().users.findByEmail(`${text}@x`))?._id).toBe(user._id);
        const room = await store().rooms.insert(makeRoom({ name: text, topic: text }));
        expect((await store().rooms.findByName(text))?._id).toBe(room._id);
        const sub = await store().subscriptions.insert(makeSub(room, user, { roles: [text] }));
        expect((await store().subscriptions.findByRoomAndUsername(room._id, text))?._id).toBe(sub._id);
        expect(await store().subscriptions.countByRoomAndRole(room._id, text)).toBe(1);
        const msg = makeMessage(room._id, 1_700_000_000_000, { msg: text, t: text });
        await store().messages.insert(msg);
        expect((await store().messages.findById(msg._id))!.msg).toBe(text);
        expect(await store().messages.listHistory(room._id, { excludeTypes: [text] }, 10)).toEqual([]);
        await store().users.addLoginToken(user._id, { when: new Date(), hashedToken: text });
        expect((await store().users.findByLoginToken(text))?.user._id).toBe(user._id);
      }
      expect(await store().users.count()).toBe(NASTY.length);
      expect(await store().users.findByUsername("anything' OR '1'='1")).toBeUndefined();
    });

    it('stores operator-like and marker-like values verbatim', async () => {
      const room = await store().rooms.insert(makeRoom({ customFields: OPERATOR_LIKE, [`$where`]: 'x', 'a.b': { $set: 1 } }));
      const found = await store().rooms.findById(room._id);
      expect(found).toEqual(room);
      const cf = found!.customFields!;
      expect(cf['date']).toEqual({ $date: 12 });
      expect(cf['date']).not.toBeInstanceOf(Date);
      expect(cf['escape']).toEqual({ $escape: { $date: 1 } });
      expect((cf['dateInside'] as { $date: Date }).$date).toEqual(new Date(3));
      expect(Object.keys(cf['proto'] as object)).toEqual(['__proto__']);
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
      expect(found!['$where']).toBe('x');
      const msg = makeMessage(room._id, 1, { attachments: [OPERATOR_LIKE] });
      await store().messages.insert(msg);
      expect((await store().messages.findById(msg._id))!.attachments).toEqual([OPERATOR_LIKE]);
      const s = await store().settings.insertDefault({ _id: "x'--", value: OPERATOR_LIKE, type: 'string', public: false, _updatedAt: new Date() });
      expect((await store().settings.list()).find((x) => x._id === "x'--")).toEqual(s);
      expect(s.value).toEqual(OPERATOR_LIKE);
    });
  });
}

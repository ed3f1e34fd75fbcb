import { describe, expect, it } from 'vitest';
import {
  type StoreRef,
  STALE,
  expectDuplicate,
  expectStampedSince,
  makeUser,
  nextId,
  sortedIds,
  tick,
} from './fixtures.conformance.js';

export function usersConformance(store: StoreRef): void {
  describe('users', () => {
    it('insert stamps _updatedAt, returns and stores the document with its Dates', async () => {
      const before = Date.now();
      const user = makeUser({ services: { resume: { loginTokens: [{ when: new Date(1_700_000_000_123), hashedToken: 'h1' }] } } });
      const inserted = await store().users.insert(user);
      expectStampedSince(inserted, before);
      expect(inserted).toEqual({ ...user, _updatedAt: inserted._updatedAt });
      const found = await store().users.findById(user._id);
      expect(found).toEqual(inserted);
      expect(found!.createdAt).toBeInstanceOf(Date);
      expect(found!.services!.resume!.loginTokens[0]!.when).toEqual(new Date(1_700_000_000_123));
      expect(user._updatedAt).toBe(STALE); // the caller's object is not mutated
      expect(await store().users.findById('nope')).toBeUndefined();
    });

    it('rejects a duplicate _id, username or email (case-insensitive) and writes nothing', async () => {
      const a = await store().users.insert(makeUser({ username: 'Alice', emails: [{ address: 'Alice@Example.com', verified: true }] }));
      await expectDuplicate(store().users.insert(makeUser({ _id: a._id })), 'users');
      await expectDuplicate(store().users.insert(makeUser({ username: 'aLICE' })), 'users');
      await expectDuplicate(store().users.insert(makeUser({ username: 'other', emails: [{ address: 'alice@EXAMPLE.COM', verified: false }] })), 'users');
      // The rejected inserts left nothing behind: their username and email are free.
      expect(await store().users.findByUsername('other')).toBeUndefined();
      await store().users.insert(makeUser({ username: 'other' }));
      expect(await store().users.count()).toBe(2);
    });

    it('allows many users without a username', async () => {
      await store().users.insert(makeUser({ username: undefined }));
      await store().users.insert(makeUser({ username: undefined }));
      expect(await store().users.count()).toBe(2);
    });

    it('findByUsername: exact, then case-insensitive; no pattern matching', async () => {
      const u = await store().users.insert(makeUser({ username: 'Mixed.Case_1' }));
      expect((await store().users.findByUsername('Mixed.Case_1'))?._id).toBe(u._id);
      expect((await store().users.findByUsername('mixed.case_1'))?._id).toBe(u._id);
      expect((await store().users.findByUsername('MIXED.CASE_1'))?._id).toBe(u._id);
      expect(await store().users.findByUsername('Mixed.Case%')).toBeUndefined();
      expect(await store().users.findByUsername('MixedxCase_1')).toBeUndefined();
      expect(await store().users.findByUsername('Mixed.Case')).toBeUndefined();
    });

    it('findByEmail is case-insensitive and covers every address', async () => {
      const u = await store().users.insert(
        makeUser({ emails: [{ address: 'First@Example.com', verified: true }, { address: 'second@example.com', verified: false }] }),
      );
      expect((await store().users.findByEmail('first@example.COM'))?._id).toBe(u._id);
      expect((await store().users.findByEmail('SECOND@example.com'))?._id).toBe(u._id);
      expect(await store().users.findByEmail('third@example.com')).toBeUndefined();
      await store().users.update(u._id, { set: { emails: [{ address: 'third@example.com', verified: true }] } });
      expect(await store().users.findByEmail('first@example.com')).toBeUndefined();
      expect((await store().users.findByEmail('Third@example.com'))?._id).toBe(u._id);
      // The released address can be taken by someone else.
      await store().users.insert(makeUser({ emails: [{ address: 'first@example.com', verified: false }] }));
    });

    it('findByIds and findByUsernames skip unknown entries; usernames are case-insensitive', async () => {
      const a = await store().users.insert(makeUser({ username: 'ann' }));
      const b = await store().users.insert(makeUser({ username: 'Bob' }));
      await store().users.insert(makeUser({ username: 'cid' }));
      expect(sortedIds(await store().users.findByIds([a._id, 'missing', b._id]))).toEqual([a._id, b._id].sort());
      expect(await store().users.findByIds([])).toEqual([]);
      expect(sortedIds(await store().users.findByUsernames(['ANN', 'bob', 'nobody']))).toEqual([a._id, b._id].sort());
      expect(await store().users.findByUsernames([])).toEqual([]);
    });

    it('update applies the patch, bumps _updatedAt, keeps unique keys and returns undefined for unknown ids', async () => {
      const a = await store().users.insert(makeUser({ username: 'first' }));
      const b = await store().users.insert(makeUser({ username: 'second' }));
      await tick();
      const updated = await store().users.update(a._id, { set: { username: 'renamed', statusText: 'busy' } });
      expect(updated!.username).toBe('renamed');
      expect(updated!._updatedAt.getTime()).toBeGreaterThan(a._updatedAt.getTime());
      expect(await store().users.findById(a._id)).toEqual(updated);
      expect(await store().users.findByUsername('first')).toBeUndefined();
      expect((await store().users.findByUsername('RENAMED'))?._id).toBe(a._id);
      await expectDuplicate(store().users.update(b._id, { set: { username: 'Renamed' } }), 'users');
      await expectDuplicate(store().users.update(b._id, { set: { emails: a.emails! } }), 'users');
      expect(await store().users.findById(b._id)).toEqual(b);
      expect(await store().users.update('missing', { set: { name: 'x' } })).toBeUndefined();
    });

    it('login tokens: add, look up by hash, remove, replace through update', async () => {
      const u = await store().users.insert(makeUser());
      const when = new Date(1_700_000_000_000);
      await tick();
      await store().users.addLoginToken(u._id, { when, hashedToken: 'hash-a' });
      await store().users.addLoginToken(u._id, { when: new Date(1_700_000_000_500), hashedToken: 'hash-b' });
      const found = await store().users.findByLoginToken('hash-a');
      expect(found?.user._id).toBe(u._id);
      expect(found?.token).toEqual({ when, hashedToken: 'hash-a' });
      expect(found?.token.when).toBeInstanceOf(Date);
      expect(found!.user._updatedAt.getTime()).toBeGreaterThan(u._updatedAt.getTime());
      expect(found!.user.services?.resume?.loginTokens.map((t) => t.hashedToken)).toEqual(['hash-a', 'hash-b']);
      await store().users.removeLoginToken(u._id, 'hash-a');
      expect(await store().users.findByLoginToken('hash-a')).toBeUndefined();
      expect((await store().users.findByLoginToken('hash-b'))?.user._id).toBe(u._id);
      await store().users.update(u._id, { set: { services: { resume: { loginTokens: [{ when, hashedToken: 'hash-c' }] } } } });
      expect(await store().users.findByLoginToken('hash-b')).toBeUndefined();
      expect((await store().users.findByLoginToken('hash-c'))?.token.hashedToken).toBe('hash-c');
      expect(await store().users.findByLoginToken('unknown')).toBeUndefined();
    });

    it('setPassword stores the hash, keeps the tokens and bumps _updatedAt', async () => {
      const u = await store().users.insert(makeUser());
      await store().users.addLoginToken(u._id, { when: new Date(), hashedToken: 'tok' });
      const withToken = await store().users.findById(u._id);
      await tick();
      await store().users.setPassword(u._id, '$2b$10$abcdefghijklmnopqrstuv');
      const after = await store().users.findById(u._id);
      expect(after!.services?.password?.bcrypt).toBe('$2b$10$abcdefghijklmnopqrstuv');
      expect(after!.services?.resume?.loginTokens).toEqual(withToken!.services!.resume!.loginTokens);
      expect(after!._updatedAt.getTime()).toBeGreaterThan(withToken!._updatedAt.getTime());
    });

    it('listByRoles returns each user holding any of the roles once, following updates', async () => {
      const admin = await store().users.insert(makeUser({ roles: ['admin', 'user'] }));
      const bot = await store().users.insert(makeUser({ roles: ['bot'] }));
      await store().users.insert(makeUser({ roles: ['user'] }));
      expect(sortedIds(await store().users.listByRoles(['admin', 'bot']))).toEqual([admin._id, bot._id].sort());
      expect(await store().users.listByRoles(['livechat-agent'])).toEqual([]);
      await store().users.update(bot._id, { pull: { roles: 'bot' } });
      await store().users.update(admin._id, { addToSet: { roles: 'bot' } });
      expect(sortedIds(await store().users.listByRoles(['bot']))).toEqual([admin._id]);
      expect(await store().users.count()).toBe(3);
    });

    it('delete removes the user with its emails, roles and tokens; the username and email are free again', async () => {
      const u = await store().users.insert(makeUser({ roles: ['admin'] }));
      await store().users.addLoginToken(u._id, { when: new Date(), hashedToken: 'gone' });
      const deleted = await store().users.delete(u._id);
      expect(deleted?._id).toBe(u._id);
      expect(await store().users.findById(u._id)).toBeUndefined();
      expect(await store().users.findByLoginToken('gone')).toBeUndefined();
      expect(await store().users.listByRoles(['admin'])).toEqual([]);
      expect(await store().users.delete(u._id)).toBeUndefined();
      const again = await store().users.insert(makeUser({ username: u.username!, emails: u.emails! }));
      expect((await store().users.findByEmail(u.emails![0]!.address))?._id).toBe(again._id);
    });

    it('list filters by equality, sorts (absent values first) and pages, with the total', async () => {
      const a = await store().users.insert(makeUser({ username: 'list.b', name: 'Zed', status: 'online', roles: ['user'], createdAt: new Date(3000) }));
      const b = await store().users.insert(makeUser({ username: 'list.a', name: 'Amy', status: 'offline', roles: ['user', 'bot'], type: 'bot', createdAt: new Date(1000) }));
      const { name: _none, ...nameless } = makeUser({ username: 'list.c', status: 'online', active: false, roles: ['admin'], createdAt: new Date(2000) });
      const c = await store().users.insert(nameless);
      const names = (r: { records: Array<{ username?: string }> }) => r.records.map((u) => u.username);
      expect(names(await store().users.list({}))).toEqual(['list.a', 'list.b', 'list.c']);
      expect(await store().users.list({ page: { skip: 1, limit: 1 } })).toMatchObject({ total: 3, records: [{ _id: a._id }] });
      expect(names(await store().users.list({ sort: [['name', 1]] }))).toEqual(['list.c', 'list.a', 'list.b']);
      expect(names(await store().users.list({ sort: [['name', -1]] }))).toEqual(['list.b', 'list.a', 'list.c']);
      expect(names(await store().users.list({ sort: [['createdAt', -1]] }))).toEqual(['list.b', 'list.c', 'list.a']);
      expect(names(await store().users.list({ sort: [['status', 1], ['username', -1]] }))).toEqual(['list.a', 'list.c', 'list.b']);
      expect(await store().users.list({ filter: { status: 'online', active: true } })).toMatchObject({ total: 1, records: [{ _id: a._id }] });
      expect(names(await store().users.list({ filter: { roles: 'user' } }))).toEqual(['list.a', 'list.b']);
      expect(names(await store().users.list({ filter: { type: 'bot', name: 'Amy' } }))).toEqual(['list.a']);
      expect(names(await store().users.list({ filter: { active: false } }))).toEqual(['list.c']);
      expect(await store().users.list({ filter: { _id: c._id, username: 'list.c' } })).toMatchObject({ total: 1 });
      expect(await store().users.list({ filter: { username: "x' OR 1=1 --" } })).toEqual({ total: 0, records: [] });
      expect(b.type).toBe('bot');
    });

    it('count counts every user', async () => {
      expect(await store().users.count()).toBe(0);
      for (let i = 0; i < 3; i++) await store().users.insert(makeUser({ _id: nextId('c') }));
      expect(await store().users.count()).toBe(3);
    });
  });
}

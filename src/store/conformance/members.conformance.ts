import { beforeEach, describe, expect, it } from 'vitest';
import type { Room, User } from '../../domain/types.js';
import { type StoreRef, makeRoom, makeSub, makeUser } from './fixtures.conformance.js';

/** users.listRoomMembers (getUsersOfRoom). */
export function membersConformance(store: StoreRef): void {
  describe('users.listRoomMembers', () => {
    let room: Room;

    const usernames = (users: User[]): Array<string | undefined> => users.map((u) => u.username);

    beforeEach(async () => {
      room = await store().rooms.insert(makeRoom());
      const other = await store().rooms.insert(makeRoom());
      // Explicit names: the filter tests must not match generated ids.
      const members: User[] = [
        makeUser({ username: 'bob', name: 'Robert', status: 'away', statusConnection: 'away' }),
        makeUser({ username: 'alice', status: 'online', statusConnection: 'online', name: 'Alice Liddell' }),
        makeUser({ username: 'carol', name: 'Caroline', status: 'offline', statusConnection: 'offline' }),
        // No statusConnection: sorts after every member that has one.
        makeUser({ username: 'abe', name: 'Abraham', status: 'online' }),
        makeUser({ username: 'dave', name: 'David', status: 'online', statusConnection: 'online', active: false }),
        makeUser({ username: undefined, name: 'Nobody', status: 'online', statusConnection: 'online', active: false }),
        makeUser({
          username: 'gina',
          status: 'online',
          statusConnection: 'online',
          name: 'Zed Quux',
          bio: 'Loves SQLite',
          nickname: 'G-Unit',
        }),
      ];
      for (const u of members) {
        await store().users.insert(u);
        await store().subscriptions.insert(makeSub(room, u));
      }
      // Online but a member of another room only.
      const outsider = await store().users.insert(makeUser({ username: 'frank', name: 'Frank', statusConnection: 'online' }));
      await store().subscriptions.insert(makeSub(other, outsider));
    });

    it('total counts members with a username; records are active, online members sorted by statusConnection desc, username asc', async () => {
      const res = await store().users.listRoomMembers(room._id, { includeOffline: false });
      expect(res.total).toBe(6);
      expect(usernames(res.records)).toEqual(['alice', 'gina', 'bob', 'abe']);
      expect(res.records[0]).toEqual(await store().users.findById(res.records[0]!._id));
    });

    it('includeOffline adds offline members', async () => {
      const res = await store().users.listRoomMembers(room._id, { includeOffline: true });
      expect(res.total).toBe(6);
      expect(usernames(res.records)).toEqual(['alice', 'gina', 'carol', 'bob', 'abe']);
    });

    it('filter matches username, name, bio or nickname case-insensitively, literally', async () => {
      const names = async (filter: string): Promise<Array<string | undefined>> =>
        usernames((await store().users.listRoomMembers(room._id, { includeOffline: true, filter })).records);
      expect(await names('ALI')).toEqual(['alice']);
      expect(await names('AB')).toEqual(['abe']);
      expect(await names('liddell')).toEqual(['alice']);
      expect(await names('zed')).toEqual(['gina']);
      expect(await names('sqlite')).toEqual(['gina']);
      expect(await names('g-UNIT')).toEqual(['gina']);
      expect(await names('')).toEqual(['alice', 'gina', 'carol', 'bob', 'abe']);
      expect(await names('%')).toEqual([]);
      expect(await names('_')).toEqual([]);
      expect(await names("' OR 1=1 --")).toEqual([]);
      const filtered = await store().users.listRoomMembers(room._id, { includeOffline: true, filter: 'frank' });
      expect(filtered).toEqual({ total: 6, records: [] });
    });

    it('pages with skip and limit (0 = no limit) without changing total', async () => {
      const page = await store().users.listRoomMembers(room._id, { includeOffline: true, page: { skip: 1, limit: 2 } });
      expect(page.total).toBe(6);
      expect(usernames(page.records)).toEqual(['gina', 'carol']);
      const rest = await store().users.listRoomMembers(room._id, { includeOffline: true, page: { skip: 2, limit: 0 } });
      expect(usernames(rest.records)).toEqual(['carol', 'bob', 'abe']);
    });

    it('an unknown room has no members', async () => {
      expect(await store().users.listRoomMembers('nope', { includeOffline: true })).toEqual({ total: 0, records: [] });
    });
  });
}

import { describe, expect, it } from 'vitest';
import type { Role, Setting } from '../../domain/types.js';
import { type StoreRef, STALE, expectStampedSince, tick } from './fixtures.conformance.js';

const setting = (over: Partial<Setting> = {}): Setting => ({
  _id: 'Message_MaxAllowedSize',
  value: 5000,
  type: 'int',
  public: true,
  _updatedAt: STALE,
  ...over,
});

const role = (over: Partial<Role> = {}): Role => ({
  _id: 'moderator',
  name: 'moderator',
  scope: 'Subscriptions',
  description: 'Moderator',
  protected: true,
  mandatory2fa: false,
  ...over,
});

export function settingsConformance(store: StoreRef): void {
  describe('settings, permissions, roles', () => {
    it('settings.insertDefault inserts once and returns the stored setting', async () => {
      const before = Date.now();
      const first = await store().settings.insertDefault(setting({ values: undefined }));
      expectStampedSince(first, before);
      expect(first).toEqual({ ...setting(), _updatedAt: first._updatedAt });
      const second = await store().settings.insertDefault(setting({ value: 1 }));
      expect(second).toEqual(first);
      const select = await store().settings.insertDefault(
        setting({ _id: 'Unread_Count', type: 'select', value: 'all_messages', values: ['all_messages', 'user_mentions_only'] }),
      );
      expect(await store().settings.list()).toEqual(expect.arrayContaining([first, select]));
      expect(await store().settings.list()).toHaveLength(2);
    });

    it('settings.setValue stores any JSON value and bumps _updatedAt', async () => {
      const first = await store().settings.insertDefault(setting());
      await tick();
      const updated = await store().settings.setValue(first._id, { nested: ['a', 1, true, null], when: new Date(9) });
      expect(updated!.value).toEqual({ nested: ['a', 1, true, null], when: new Date(9) });
      expect(updated!._updatedAt.getTime()).toBeGreaterThan(first._updatedAt.getTime());
      expect(await store().settings.list()).toEqual([updated]);
      expect((await store().settings.setValue(first._id, false))!.value).toBe(false);
      expect((await store().settings.list())[0]!.value).toBe(false);
      expect(await store().settings.setValue('missing', 1)).toBeUndefined();
    });

    it('permissions: insertDefault once, setRoles replaces the roles', async () => {
      const before = Date.now();
      const p = await store().permissions.insertDefault({ _id: 'create-c', roles: ['admin', 'user'], _updatedAt: STALE });
      expectStampedSince(p, before);
      expect(await store().permissions.insertDefault({ _id: 'create-c', roles: [], _updatedAt: STALE })).toEqual(p);
      await tick();
      const changed = await store().permissions.setRoles('create-c', ['admin']);
      expect(changed!.roles).toEqual(['admin']);
      expect(changed!._updatedAt.getTime()).toBeGreaterThan(p._updatedAt.getTime());
      expect(await store().permissions.list()).toEqual([changed]);
      expect(await store().permissions.setRoles('missing', ['admin'])).toBeUndefined();
    });

    it('roles: insertDefault once, list', async () => {
      const owner = await store().roles.insertDefault(role({ _id: 'owner', name: 'owner', description: 'Owner' }));
      expect(owner).toEqual(role({ _id: 'owner', name: 'owner', description: 'Owner' }));
      expect(await store().roles.insertDefault(role({ _id: 'owner', name: 'owner', description: 'changed' }))).toEqual(owner);
      const moderator = await store().roles.insertDefault(role());
      expect(await store().roles.list()).toEqual(expect.arrayContaining([owner, moderator]));
      expect(await store().roles.list()).toHaveLength(2);
    });
  });
}

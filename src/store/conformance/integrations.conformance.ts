import { describe, expect, it } from 'vitest';
import type { Integration } from '../../domain/types.js';
import { DuplicateKeyError } from '../errors.js';
import { STALE, type StoreRef, expectStampedSince, nextId } from './fixtures.conformance.js';

function makeIntegration(over: Partial<Integration> = {}): Integration {
  return {
    _id: nextId('i'),
    type: 'webhook-incoming',
    name: 'CI',
    enabled: true,
    username: 'rocket.cat',
    userId: 'bot',
    channel: ['#general'],
    emoji: ':ghost:',
    scriptEnabled: false,
    overrideDestinationChannelEnabled: false,
    token: 'secret-token',
    _createdAt: new Date(1_700_000_000_000),
    _createdBy: { _id: 'admin', username: 'admin' },
    _updatedAt: STALE,
    ...over,
  };
}

export function integrationsConformance(store: StoreRef): void {
  describe('integrations', () => {
    it('insert stamps _updatedAt and keeps the document; a taken _id is a DuplicateKeyError', async () => {
      const before = Date.now();
      const i = makeIntegration({ alias: 'Bot', channel: ['#a', '@b'] });
      const stored = await store().integrations.insert(i);
      expectStampedSince(stored, before);
      expect(await store().integrations.findById(i._id)).toEqual(stored);
      expect(stored).toEqual({ ...i, _updatedAt: stored._updatedAt });
      await expect(store().integrations.insert(i)).rejects.toBeInstanceOf(DuplicateKeyError);
      expect(await store().integrations.findById('missing')).toBeUndefined();
    });

    it('delete returns the document once', async () => {
      const i = await store().integrations.insert(makeIntegration());
      expect(await store().integrations.delete(i._id)).toEqual(i);
      expect(await store().integrations.delete(i._id)).toBeUndefined();
      expect(await store().integrations.findById(i._id)).toBeUndefined();
    });

    it('list: newest first, by creator when asked, paged with the total', async () => {
      const mine = nextId('u');
      const a = await store().integrations.insert(makeIntegration({ _createdAt: new Date(1000), _createdBy: { _id: mine } }));
      const b = await store().integrations.insert(makeIntegration({ _createdAt: new Date(3000) }));
      const c = await store().integrations.insert(makeIntegration({ _createdAt: new Date(2000), _createdBy: { _id: mine } }));
      const all = await store().integrations.list({ type: 'webhook-incoming' }, {});
      expect(all.total).toBe(3);
      expect(all.records.map((r) => r._id)).toEqual([b._id, c._id, a._id]);
      const own = await store().integrations.list({ type: 'webhook-incoming', createdBy: mine }, { skip: 1, limit: 5 });
      expect(own).toEqual({ total: 2, records: [a] });
    });
  });
}

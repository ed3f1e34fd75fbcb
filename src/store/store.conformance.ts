import { afterEach, beforeEach, describe } from 'vitest';
import { applyMessageConformance } from './conformance/apply-message.conformance.js';
import { documentsConformance } from './conformance/documents.conformance.js';
import { integrationsConformance } from './conformance/integrations.conformance.js';
import { membersConformance } from './conformance/members.conformance.js';
import { messagesConformance } from './conformance/messages.conformance.js';
import { postMessageConformance } from './conformance/post-message.conformance.js';
import { roomsConformance } from './conformance/rooms.conformance.js';
import { settingsConformance } from './conformance/settings.conformance.js';
import { subscriptionsConformance } from './conformance/subscriptions.conformance.js';
import { transactionsConformance } from './conformance/transactions.conformance.js';
import { usersConformance } from './conformance/users.conformance.js';
import type { Store } from './store.js';

/**
 * The shared suite every Store backend must pass (run from each backend's own test file).
 * `open` gives a fresh, empty store for each test; `cleanup` disposes of it afterwards (default:
 * `close()`), e.g. closing it and deleting its file or schema.
 */
export function storeConformance(name: string, open: () => Promise<Store>, cleanup?: (s: Store) => Promise<void>): void {
  describe(`Store conformance: ${name}`, () => {
    let current: Store | undefined;
    const store = (): Store => {
      if (!current) throw new Error('no store open');
      return current;
    };

    beforeEach(async () => {
      current = await open();
    });

    afterEach(async () => {
      const s = current;
      current = undefined;
      if (s) await (cleanup ? cleanup(s) : s.close());
    });

    usersConformance(store);
    membersConformance(store);
    roomsConformance(store);
    subscriptionsConformance(store);
    applyMessageConformance(store);
    postMessageConformance(store);
    messagesConformance(store);
    settingsConformance(store);
    documentsConformance(store);
    transactionsConformance(store);
    integrationsConformance(store);
  });
}

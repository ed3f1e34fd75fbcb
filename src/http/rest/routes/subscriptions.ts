import { z } from 'zod';
import { publicSubscription } from '../../../domain/projections.js';
import type { Services } from '../../../services/services.js';
import { meteorFailure } from '../rest-error.js';
import { defineRoute, type Route } from '../route.js';
import { asDoc, doc, id } from './shapes.js';


const getQuery = z.object({ updatedSince: z.string().max(64).optional() }).strict();
const getOneQuery = z.object({ roomId: id }).strict();
const readBody = z.union([
  z.object({ rid: id, readThreads: z.boolean().optional() }).strict(),
  z.object({ roomId: id, readThreads: z.boolean().optional() }).strict(),
]);
const unreadBody = z.union([z.object({ roomId: id }).strict(), z.object({ firstUnreadMessage: z.object({ _id: id }) }).strict()]);

/** subscriptions.get / getOne / read / unread: the caller's own subscriptions, through the DDP methods' services. */
export function subscriptionsRoutes(s: Services): Route[] {
  return [
    defineRoute({
      method: 'GET',
      path: 'subscriptions.get',
      auth: true,
      ddp: 'subscriptions/get',
      summary: "The caller's subscriptions, all or changed since updatedSince ({update, remove})",
      query: getQuery,
      response: z.object({ update: z.array(doc), remove: z.array(doc) }),
      async handle({ user, query }) {
        let since: Date | undefined;
        if (query.updatedSince) {
          since = new Date(query.updatedSince);
          if (Number.isNaN(since.getTime())) {
            throw meteorFailure('error-roomId-param-invalid', 'The "lastUpdate" query parameter must be a valid date.');
          }
        }
        const result = await s.rooms.subscriptionsOf(user._id, since);
        const delta = Array.isArray(result) ? { update: result, remove: [] } : result;
        return { update: delta.update.map(asDoc), remove: delta.remove.map(asDoc) };
      },
    }),
    defineRoute({
      method: 'GET',
      path: 'subscriptions.getOne',
      auth: true,
      ddp: 'subscriptions/get',
      summary: "The caller's subscription to one room (null when none)",
      query: getOneQuery,
      response: z.object({ subscription: doc.nullable() }),
      async handle({ user, query }) {
        const sub = await s.store.subscriptions.findByRoomAndUser(query.roomId, user._id);
        return { subscription: sub ? asDoc(publicSubscription(sub)) : null };
      },
    }),
    defineRoute({
      method: 'POST',
      path: 'subscriptions.read',
      auth: true,
      ddp: 'readMessages',
      summary: 'Mark a room read (readThreads: its threads too)',
      body: readBody,
      async handle({ user, body }) {
        const rid = 'rid' in body ? body.rid : body.roomId;
        await s.history.markRead(user._id, rid, body.readThreads === true, { withoutSubscription: 'ignore' });
        return {};
      },
    }),
    defineRoute({
      method: 'POST',
      path: 'subscriptions.unread',
      auth: true,
      ddp: 'unreadMessages',
      summary: 'Mark a room unread (from its newest message) or from one message on',
      body: unreadBody,
      async handle({ user, body }) {
        await s.history.markUnread(user._id, body);
        return {};
      },
    }),
  ];
}

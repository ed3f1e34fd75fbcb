import { z } from 'zod';
import type { Services } from '../../../services/services.js';
import { failure, meteorFailure } from '../rest-error.js';
import { defineRoute, RestReply, type Route } from '../route.js';
import { asPlainError } from './chat.js';
import { asDoc, doc, id } from './shapes.js';

/** A count sent in a query string. */
const queryCount = z.preprocess((v) => (typeof v === 'string' && v.trim() !== '' ? Number(v) : v === '' ? undefined : v), z.number().int().min(0).max(1_000_000).optional());

const updateBody = z
  .object({ roomId: id, msgId: id, text: z.string(), previewUrls: z.array(z.string()).nullish(), customFields: z.record(z.string(), z.unknown()).nullish() })
  .strict();
const deleteBody = z.object({ roomId: id, msgId: id, asUser: z.boolean().nullish() }).strict();
const getQuery = z.object({ msgId: id }).strict();
const syncQuery = z
  .object({
    roomId: id,
    lastUpdate: z.string().max(64).optional(),
    count: queryCount,
    next: z.string().max(32).optional(),
    previous: z.string().max(32).optional(),
    type: z.enum(['UPDATED', 'DELETED']).optional(),
  })
  .strict();

const notFound = (msgId: string) => failure(`No message found with the id of "${msgId}".`);
const wrongRoom = () => failure('The room id provided does not match where the message is from.');

/** chat.update, chat.delete, chat.getMessage and chat.syncMessages: the DDP updateMessage / deleteMessage / messages/get. */
export function chatEditRoutes(s: Services): Route[] {
  return [
    defineRoute({
      method: 'POST',
      path: 'chat.update',
      auth: true,
      ddp: 'updateMessage',
      summary: "Edit a message's text",
      body: updateBody,
      response: z.object({ message: doc }),
      async handle({ user, body }) {
        const original = await s.store.messages.findById(body.msgId);
        if (!original) throw notFound(body.msgId);
        if (original.rid !== body.roomId) throw wrongRoom();
        const edit: Record<string, unknown> & { _id: string } = { _id: original._id, rid: original.rid, msg: body.text };
        if (body.customFields) edit.customFields = body.customFields;
        await s.messageEdits.update(user._id, edit, body.previewUrls ?? undefined);
        return { message: asDoc(await s.history.single(user._id, original._id)) };
      },
    }),
    defineRoute({
      method: 'POST',
      path: 'chat.delete',
      auth: true,
      ddp: 'deleteMessage',
      summary: 'Delete a message (asUser: as its sender, with force-delete-message)',
      body: deleteBody,
      response: z.object({ _id: z.string(), ts: z.string(), message: doc }),
      async handle({ user, body }) {
        const original = await s.store.messages.findById(body.msgId);
        if (!original) throw notFound(body.msgId);
        if (original.rid !== body.roomId) throw wrongRoom();
        const asSender = body.asUser === true && original.u._id !== user._id;
        if (asSender && !(await s.permissions.hasPermission(user, 'force-delete-message', original.rid))) {
          throw failure('Unauthorized. You must have the permission "force-delete-message" to delete other\'s message as them.');
        }
        const actorId = body.asUser ? original.u._id : user._id;
        if (!(await s.store.users.findById(actorId))) throw failure('User not found');
        await s.messageEdits.delete(actorId, original._id);
        return { _id: original._id, ts: Date.now().toString(), message: { _id: original._id, rid: original.rid, u: original.u } };
      },
    }),
    defineRoute({
      method: 'GET',
      path: 'chat.getMessage',
      auth: true,
      ddp: 'getSingleMessage',
      summary: 'One message of a room the caller may read',
      query: getQuery,
      response: z.object({ message: doc }),
      async handle({ user, query }) {
        const message = await s.history.single(user._id, query.msgId);
        if (!message) return new RestReply(400, { success: false });
        return { message: asDoc(message) };
      },
    }),
    defineRoute({
      method: 'GET',
      path: 'chat.syncMessages',
      auth: true,
      ddp: 'messages/get',
      summary: "What changed in a room: since lastUpdate, or a cursor page (next/previous) of one type (UPDATED/DELETED)",
      query: syncQuery,
      response: z.object({ result: z.object({ updated: z.array(doc), deleted: z.array(doc), cursor: z.object({ next: z.string().nullable(), previous: z.string().nullable() }).optional() }) }),
      async handle({ user, query }) {
        if (!query.lastUpdate && !query.type) {
          throw meteorFailure('error-param-required', 'The "type" or "lastUpdate" parameters must be provided');
        }
        const lastUpdate = query.lastUpdate ? new Date(query.lastUpdate) : undefined;
        if (lastUpdate && Number.isNaN(lastUpdate.getTime())) {
          throw meteorFailure('error-lastUpdate-param-invalid', 'The "lastUpdate" query parameter must be a valid date');
        }
        const { count, next, previous, type } = query;
        const result = await s.history.sync(user._id, query.roomId, {
          ...(lastUpdate ? { lastUpdate } : {}),
          ...(count ? { count } : {}),
          ...(next ? { next } : {}),
          ...(previous ? { previous } : {}),
          ...(type ? { type } : {}),
        }).catch(asPlainError);
        return { result: { updated: result.updated.map(asDoc), deleted: result.deleted.map(asDoc), ...(result.cursor ? { cursor: result.cursor } : {}) } };
      },
    }),
  ];
}

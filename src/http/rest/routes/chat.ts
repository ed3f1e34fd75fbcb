import { z } from 'zod';
import { messageAttachments } from '../../../domain/attachments.js';
import { DomainError } from '../../../domain/errors.js';
import type { OutgoingMessage } from '../../../services/messages-service.js';
import type { Services } from '../../../services/services.js';
import { failure } from '../rest-error.js';
import { defineRoute, RestReply, type Route } from '../route.js';
import { doc } from './shapes.js';

const maybe = <T extends z.ZodType>(t: T) => t.nullish();
const object = z.record(z.string(), z.unknown());

/** chat.sendMessage's message: Rocket.Chat's schema fields plus `t`, `bot` and `groupable`; other keys are dropped. */
const message = z.object({
  _id: maybe(z.string()),
  rid: maybe(z.string()),
  tmid: maybe(z.string()),
  msg: maybe(z.string()),
  alias: maybe(z.string()),
  emoji: maybe(z.string()),
  tshow: maybe(z.boolean()),
  avatar: maybe(z.string()),
  attachments: maybe(messageAttachments),
  customFields: maybe(object),
  t: maybe(z.string()),
  bot: maybe(object),
  groupable: maybe(z.boolean()),
});
const sendBody = z.object({ message, previewUrls: maybe(z.array(z.string())) }).strict();
const nameQuery = z.object({ name: z.string() });

/** chat.postMessage's fields besides the target (Rocket.Chat's ChatPostMessage; no other keys). */
const postFields = {
  text: maybe(z.string()),
  alias: maybe(z.string()),
  emoji: maybe(z.string()),
  avatar: maybe(z.string()),
  attachments: maybe(messageAttachments),
  customFields: maybe(object),
  parseUrls: z.boolean().optional(),
};
const target = z.union([z.string(), z.array(z.string())]);
const postBody = z.union([
  z.object({ roomId: target, tmid: z.string().optional(), ...postFields }).strict(),
  z.object({ channel: target, ...postFields }).strict(),
]);

/** The only `t` a client may send (as the DDP method: every other value counts as a system type). */
const CLIENT_TYPES = new Set(['e2e']);

function withoutNulls<T extends Record<string, unknown>>(o: T): { [K in keyof T]: Exclude<T[K], null> } {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== null && v !== undefined) out[k] = v;
  return out as { [K in keyof T]: Exclude<T[K], null> };
}

/**
 * Refusals the real server raises as plain `Error`s (a code or text and no reason:
 * `error-not-allowed`, `You_have_been_muted`, `Not enough permission` …): REST answers only
 * `{success:false, error:<it>}`, without `errorType`.
 */
export function asPlainError(err: unknown): never {
  if (err instanceof DomainError && err.reason === undefined) throw failure(err.code);
  throw err;
}

/** `chat.sendMessage`, `chat.postMessage` and `chat.getRoomIdByNameOrId` (the latter is the @rocket.chat/sdk's; see below). */
export function chatRoutes(s: Services): Route[] {
  return [
    defineRoute({
      method: 'POST',
      path: 'chat.sendMessage',
      auth: true,
      ddp: 'sendMessage',
      summary: 'Send a message',
      body: sendBody,
      response: z.object({ message: doc }),
      async handle({ user, body }) {
        const outgoing = withoutNulls(body.message) as OutgoingMessage;
        if (outgoing.t !== undefined && !CLIENT_TYPES.has(outgoing.t)) {
          throw failure("Cannot send system messages using 'chat.sendMessage'");
        }
        // Unlike the DDP method, every refusal reaches the caller (Rocket.Chat's REST does not swallow them).
        const sent = await s.messages.send(user._id, outgoing, body.previewUrls ?? undefined).catch(asPlainError);
        // Decision: a message whose _id is taken is refused (the DDP method answers nothing).
        if (!sent) throw failure('A message with this _id already exists');
        return { message: sent as unknown as Record<string, unknown> };
      },
    }),
    defineRoute({
      method: 'POST',
      path: 'chat.postMessage',
      auth: true,
      ddp: 'sendMessage',
      summary: 'Post a message to a room, #channel or @user (integrations; alias, emoji, avatar, attachments)',
      body: postBody,
      response: z.object({ ts: z.number(), channel: z.string(), message: doc }),
      async handle({ user, body }) {
        const payload = withoutNulls(body);
        try {
          s.messagePosting.checkSize(payload);
        } catch (err) {
          asPlainError(err);
        }
        const [first] = await s.messagePosting.post(user._id, payload).catch(asPlainError);
        if (!first) throw failure('unknown-error');
        return { ts: Date.now(), channel: first.channel, message: first.message as unknown as Record<string, unknown> };
      },
    }),
    defineRoute({
      // Not a Rocket.Chat route: @rocket.chat/sdk 1.0 calls it to resolve a room, and uses the
      // whole response body as the room id. Decision: answer the id as a bare JSON string, with
      // the DDP method getRoomIdByNameOrId's rules and errors.
      method: 'GET',
      path: 'chat.getRoomIdByNameOrId',
      auth: true,
      ddp: 'getRoomIdByNameOrId',
      summary: 'The id of a room named by name or id (answered as a bare JSON string)',
      query: nameQuery,
      async handle({ user, query }) {
        return new RestReply(200, await s.rooms.roomIdByNameOrId(user._id, query.name));
      },
    }),
  ];
}

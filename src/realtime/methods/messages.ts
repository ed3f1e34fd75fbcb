import { z } from 'zod';
import { MeteorError, matchFailed } from '../../ddp/meteor-error.js';
import type { MethodHandler } from '../../ddp/session.js';
import { DomainError, Errors, InvalidArgumentError } from '../../domain/errors.js';
import type { OutgoingMessage } from '../../services/messages-service.js';
import type { Services } from '../../services/services.js';
import { check, isPlainObject } from '../params.js';

const maybe = <T extends z.ZodType>(t: T) => t.nullish();
const object = z.record(z.string(), z.unknown());

/** sendMessage's message: the documented keys plus alias/avatar/emoji/attachments; other keys are dropped (rooms.md §D.8). */
const outgoing = z.object({
  _id: maybe(z.string()),
  rid: maybe(z.string()),
  msg: maybe(z.string()),
  tmid: maybe(z.string()),
  tshow: maybe(z.boolean()),
  ts: maybe(z.date()),
  t: maybe(z.string()),
  alias: maybe(z.string()),
  avatar: maybe(z.string()),
  emoji: maybe(z.string()),
  attachments: maybe(z.array(object)),
  customFields: maybe(object),
  groupable: maybe(z.boolean()),
  e2e: maybe(z.string()),
  e2eMentions: maybe(object),
  content: maybe(object),
  bot: maybe(object),
  federation: maybe(object),
  sentByEmail: maybe(z.boolean()),
});
const previewUrls = maybe(z.array(z.string()));

/** The only `t` a client may send (decision: every other value counts as a system type). */
const CLIENT_TYPES = new Set(['e2e']);

function withoutNulls<T extends Record<string, unknown>>(o: T): { [K in keyof T]: Exclude<T[K], null> } {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== null && v !== undefined) out[k] = v;
  return out as { [K in keyof T]: Exclude<T[K], null> };
}

/** sendMessage / updateMessage / deleteMessage (rooms.md B.4–B.6). */
export function messagesMethods(s: Services): Record<string, MethodHandler> {
  return {
    async sendMessage(ctx, params) {
      const message = withoutNulls(check(outgoing, params[0])) as OutgoingMessage;
      const urls = check(previewUrls, params[1]) ?? undefined;
      if (!ctx.userId) throw Errors.invalidUser();
      if (message.t !== undefined && !CLIENT_TYPES.has(message.t)) throw new Error("Cannot send system messages using 'sendMessage'");
      try {
        return await s.messages.send(ctx.userId, message, urls);
      } catch (err) {
        // Rocket.Chat swallows every failure but error-not-allowed, which loses its other details.
        if (!(err instanceof DomainError)) throw err;
        if (err.code === 'error-not-allowed') throw new MeteorError(err.code, err.reason, { method: ctx.method });
        return undefined;
      }
    },

    async updateMessage(ctx, params) {
      const [message, urls] = params;
      if (!isPlainObject(message) || typeof message._id !== 'string') throw matchFailed();
      if (message.msg !== undefined && typeof message.msg !== 'string') throw matchFailed();
      const preview = check(previewUrls, urls) ?? undefined;
      if (!ctx.userId) throw Errors.invalidUser();
      await s.messageEdits.update(ctx.userId, message as Record<string, unknown> & { _id: string }, preview);
      return undefined;
    },

    async deleteMessage(ctx, params) {
      if (!ctx.userId) throw Errors.invalidUser();
      const [message] = params;
      if (!isPlainObject(message) || typeof message._id !== 'string' || message._id === '') {
        throw new InvalidArgumentError('error-invalid-message', 'Invalid message');
      }
      await s.messageEdits.delete(ctx.userId, message._id);
      return undefined;
    },
  };
}

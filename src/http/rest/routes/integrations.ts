import { z } from 'zod';
import { messageAttachments } from '../../../domain/attachments.js';
import { DomainError } from '../../../domain/errors.js';
import type { Integration } from '../../../domain/types.js';
import type { PostPayload } from '../../../services/message-posting.js';
import type { Services } from '../../../services/services.js';
import { pageOf, pageQuery } from '../pagination.js';
import { failure, invalidParams } from '../rest-error.js';
import { defineRoute, RestReply, type Route } from '../route.js';
import { asPlainError } from './chat.js';
import { asDoc, doc } from './shapes.js';

const short = z.string().max(1024);

/** integrations.create for an incoming webhook (Rocket.Chat's IntegrationsCreateProps; no other keys). */
const createBody = z
  .object({
    type: z.literal('webhook-incoming'),
    name: short,
    enabled: z.boolean(),
    username: short,
    channel: short,
    scriptEnabled: z.boolean(),
    script: z.string().max(65_536).optional(),
    scriptEngine: z.enum(['isolated-vm']).optional(),
    alias: short.optional(),
    avatar: short.optional(),
    emoji: short.optional(),
    overrideDestinationChannelEnabled: z.boolean().optional(),
  })
  .strict();
const removeBody = z.object({ type: z.literal('webhook-incoming'), integrationId: z.string().min(1).max(256) }).strict();

/**
 * What a webhook may send (Slack's names beside Rocket.Chat's), each known field typed; senders
 * add keys of their own (`link_names`, `mrkdwn` …), which are ignored.
 */
const hookPayload = z.looseObject({
  channel: z.union([short, z.array(short)]).optional(),
  roomId: z.union([short, z.array(short)]).optional(),
  text: z.string().optional(),
  msg: z.string().optional(),
  username: short.optional(),
  alias: short.optional(),
  icon_emoji: short.optional(),
  emoji: short.optional(),
  icon_url: short.optional(),
  avatar: short.optional(),
  attachments: messageAttachments.optional(),
  parseUrls: z.boolean().optional(),
  groupable: z.boolean().optional(),
  tmid: short.optional(),
  customFields: z.record(z.string(), z.unknown()).optional(),
});
const hookParams = z.object({ integrationId: z.string().max(256), userId: z.string().max(256).optional(), token: z.string().max(512) });

const KNOWN_HOOK_KEYS = Object.keys(hookPayload.shape) as Array<keyof PostPayload>;

/**
 * The payload of a webhook call: JSON, or a form with a single field — `payload=<json>` (Slack's
 * way) or a JSON text sent as the form itself. A payload that is not JSON is a 400 with the parse
 * error, as Rocket.Chat answers.
 */
function payloadOf(body: unknown): { payload: PostPayload; empty: boolean } {
  let value = body ?? {};
  const form = value as Record<string, unknown>;
  const keys = Object.keys(form);
  if (keys.length === 1 && typeof form[keys[0]!] === 'string') {
    const raw = keys[0] === 'payload' ? (form.payload as string) : form[keys[0]!] === '' ? keys[0]! : undefined;
    if (raw !== undefined) {
      try {
        value = JSON.parse(raw);
      } catch (err) {
        throw failure((err as Error).message);
      }
    }
  }
  const checked = hookPayload.safeParse(value);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw invalidParams(`${issue?.path.join('.') || 'payload'}: ${issue?.message ?? 'invalid'}`);
  }
  const payload: Record<string, unknown> = {};
  for (const k of KNOWN_HOOK_KEYS) if (checked.data[k] !== undefined) payload[k] = checked.data[k];
  // Rocket.Chat's emptiness test looks at the whole body, unknown keys included.
  return { payload: payload as PostPayload, empty: Object.keys(checked.data).length === 0 };
}

/** A webhook call: the hook found by id and token, its payload posted as the hook's user. */
async function runHook(s: Services, params: z.output<typeof hookParams>, body: unknown): Promise<RestReply | Record<string, never>> {
  // The path parameters arrive decoded.
  const integration = await s.integrations.authenticate(params.integrationId, params.token);
  // One answer for a wrong id and a wrong token.
  if (!integration) throw failure('Invalid integration id or token provided.');
  const { payload, empty } = payloadOf(body);
  try {
    const outcome = await s.integrations.execute(integration, payload, { empty });
    if ('disabled' in outcome) return new RestReply(503, { success: false, error: 'Service Unavailable' });
    return {};
  } catch (err) {
    // Rocket.Chat answers a webhook's failure with the error's code (or its text).
    if (err instanceof DomainError) throw failure(err.code);
    throw err;
  }
}

/** integrations.create / list / remove for incoming webhooks, and the webhook URLs themselves. */
export function integrationsRoutes(s: Services): Route[] {
  const hookRoutes = ['/hooks/:integrationId/:token', '/hooks/:integrationId/:userId/:token'].flatMap((path) =>
    (['POST', 'GET'] as const).map((method) =>
      defineRoute({
        method,
        path,
        auth: false,
        ddp: 'processWebhookMessage',
        summary: 'Incoming webhook: posts the JSON (or form payload=) as the webhook user',
        params: hookParams,
        ...(method === 'POST' ? { body: z.unknown() } : {}),
        async handle({ params, body }) {
          return runHook(s, params, method === 'POST' ? body : {});
        },
      }),
    ),
  );
  return [
    defineRoute({
      method: 'POST',
      path: 'integrations.create',
      auth: true,
      ddp: 'addIncomingIntegration',
      summary: 'Create an incoming webhook (manage-incoming-integrations, or manage-own- for rooms one is in)',
      body: createBody,
      response: z.object({ integration: doc }),
      async handle({ user, body }) {
        const { type: _type, ...input } = body;
        return { integration: asDoc(await s.integrations.createIncoming(user._id, input)) };
      },
    }),
    defineRoute({
      method: 'GET',
      path: 'integrations.list',
      auth: true,
      ddp: 'integrations.list',
      summary: 'Incoming webhooks: all (manage-incoming-integrations) or one\'s own (manage-own-incoming-integrations)',
      query: pageQuery,
      response: z.object({ integrations: z.array(doc), offset: z.number(), items: z.number(), count: z.number(), total: z.number() }),
      async handle({ user, query }) {
        await s.integrations.assertMayManageAny(user);
        const page = pageOf(query, s.settings);
        const { total, records } = await s.integrations.listIncoming(user, { skip: page.offset, limit: page.count });
        const integrations = records.map((i: Integration) => asDoc(i));
        return { integrations, offset: page.offset, items: integrations.length, count: integrations.length, total };
      },
    }),
    defineRoute({
      method: 'POST',
      path: 'integrations.remove',
      auth: true,
      ddp: 'deleteIncomingIntegration',
      summary: 'Remove an incoming webhook (any with manage-incoming-integrations, one\'s own with manage-own-)',
      body: removeBody,
      response: z.object({ integration: doc }),
      async handle({ user, body }) {
        await s.integrations.assertMayManageAny(user);
        return { integration: asDoc(await s.integrations.removeIncoming(user._id, body.integrationId, { unknownAs: 'plain' }).catch(asPlainError)) };
      },
    }),
    ...hookRoutes,
  ];
}

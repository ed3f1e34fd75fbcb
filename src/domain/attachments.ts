import { z } from 'zod';

/**
 * Message attachments (Rocket.Chat's MessageAttachment, Slack's "secondary attachments"), checked
 * field by field before they reach the store: the fields Rocket.Chat's validateAttachment checks,
 * with its types and its URL rule, plus the display fields clients render (`pretext`,
 * `description`, `footer`, `fallback`, `mrkdwn_in`, …). Keys outside this list are dropped
 * (decision: Rocket.Chat stores them as sent), so no arbitrary object reaches a document.
 */

/** Rocket.Chat's validFullURLParam: absolute http(s) or data: URLs and uploaded-file paths; never `javascript:`. */
export const isSafeFullUrl = (v: string): boolean => (/^(https?:\/\/|data:)/.test(v) || v.startsWith('/file-upload/')) && !/^javascript:/i.test(v);

/** Rocket.Chat's validPartialURLParam (message avatars): relative URLs allowed too. */
export const isSafePartialUrl = (v: string): boolean =>
  (/^(?![a-z0-9+.-]+:|\/\/).+/i.test(v) || isSafeFullUrl(v)) && !/^\s*javascript:/i.test(v);

const url = z.string().refine(isSafeFullUrl, { message: 'Invalid href value provided' });
const str = z.string();
const num = z.number();
const bool = z.boolean();

const field = z
  .object({ short: bool.optional(), title: str, value: z.union([str, num, bool]) })
  // Rocket.Chat: "Invalid attachment field, title and value is required".
  .refine((f) => Boolean(f.title) && Boolean(f.value), { message: 'Invalid attachment field, title and value is required' });

const action = z.object({
  type: str.optional(),
  text: str.optional(),
  url: url.optional(),
  image_url: url.optional(),
  is_webview: bool.optional(),
  webview_height_ratio: str.optional(),
  msg: str.optional(),
  msg_in_chat_window: bool.optional(),
  msg_processing_type: z.enum(['sendMessage', 'respondWithMessage', 'respondWithQuotedMessage']).optional(),
});

/** How deep quoted attachments may nest (a quote of a quote …). */
const MAX_DEPTH = 4;

const base = {
  color: str.optional(),
  text: str.optional(),
  pretext: str.optional(),
  fallback: str.optional(),
  title: str.optional(),
  title_link: url.optional(),
  title_link_download: bool.optional(),
  description: str.optional(),
  footer: str.optional(),
  footer_icon: url.optional(),
  ts: z.union([str, num, z.date()]).optional(),
  collapsed: bool.optional(),
  author_name: str.optional(),
  author_link: url.optional(),
  author_icon: url.optional(),
  message_link: url.optional(),
  thumb_url: url.optional(),
  image_url: url.optional(),
  image_type: str.optional(),
  image_size: num.optional(),
  image_preview: str.optional(),
  image_dimensions: z.object({ width: num, height: num }).optional(),
  audio_url: url.optional(),
  audio_type: str.optional(),
  audio_size: num.optional(),
  video_url: url.optional(),
  video_type: str.optional(),
  video_size: num.optional(),
  button_alignment: z.enum(['horizontal', 'vertical']).optional(),
  mrkdwn_in: z.array(str).optional(),
  fields: z.array(field).optional(),
  actions: z.array(action).optional(),
  type: str.optional(),
  format: str.optional(),
  size: num.optional(),
  id: str.optional(),
};

function attachmentSchema(depth: number): z.ZodType<Record<string, unknown>> {
  const shape = depth < MAX_DEPTH ? { ...base, attachments: z.array(z.lazy(() => attachmentSchema(depth + 1))).optional() } : base;
  return z.object(shape) as unknown as z.ZodType<Record<string, unknown>>;
}

/** One attachment: known fields checked, unknown ones dropped. */
export const messageAttachment = attachmentSchema(0);
/** A message's `attachments`. */
export const messageAttachments = z.array(messageAttachment);

export type MessageAttachment = Record<string, unknown>;

/** The checked attachments, or undefined when they do not pass (the first problem in `problem`). */
export function checkAttachments(value: unknown): { ok: true; attachments: MessageAttachment[] } | { ok: false; problem: string } {
  const r = messageAttachments.safeParse(value);
  if (r.success) return { ok: true, attachments: r.data };
  const issue = r.error.issues[0];
  return { ok: false, problem: `${issue?.message ?? 'Invalid attachment'} in attachments.${issue?.path.join('.') ?? ''}` };
}

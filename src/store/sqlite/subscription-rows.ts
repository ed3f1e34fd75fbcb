import type { Subscription } from '../../domain/types.js';
import { decodeDoc, encodeDoc } from '../stored-json.js';

/**
 * How a subscription maps onto its row. The hot counters and flags (`open`, `alert`, `unread`,
 * `userMentions`, `groupMentions`) and `_updatedAt` live only in their columns, so applyMessage
 * can change them with one UPDATE and no JSON rewrite; `doc` holds every other field.
 */
export interface SubscriptionRow {
  id: string;
  open: number | null;
  alert: number | null;
  unread: number | null;
  user_mentions: number | null;
  group_mentions: number | null;
  updated_at: number;
  doc: string;
}

/** The columns to select for toSubscription. */
export const SUB_COLUMNS = 'id, open, alert, unread, user_mentions, group_mentions, updated_at, doc';

const flag = (v: unknown): number | null => (typeof v === 'boolean' ? (v ? 1 : 0) : null);
const count = (v: unknown): number | null => (typeof v === 'number' ? v : null);

/** The full document of a row (a null column = the field is absent). */
export function toSubscription(row: SubscriptionRow): Subscription {
  const sub = decodeDoc<Subscription>(row.doc);
  if (row.open !== null) sub.open = row.open === 1;
  if (row.alert !== null) sub.alert = row.alert === 1;
  if (row.unread !== null) sub.unread = row.unread;
  if (row.user_mentions !== null) sub.userMentions = row.user_mentions;
  if (row.group_mentions !== null) sub.groupMentions = row.group_mentions;
  sub._updatedAt = new Date(row.updated_at);
  return sub;
}

/** The named parameters of INSERT and UPDATE for a document. */
export function subscriptionColumns(sub: Subscription): Record<string, unknown> {
  const { open, alert, unread, userMentions, groupMentions, _updatedAt, ...rest } = sub;
  return {
    id: sub._id,
    rid: sub.rid,
    uid: sub.u._id,
    username: typeof sub.u.username === 'string' ? sub.u.username : null,
    open: flag(open),
    alert: flag(alert),
    unread: count(unread),
    user_mentions: count(userMentions),
    group_mentions: count(groupMentions),
    updated_at: _updatedAt.getTime(),
    doc: encodeDoc(rest),
  };
}

/** The whole document as JSON text (for trash copies). */
export function encodeSubscription(sub: Subscription): string {
  return encodeDoc(sub);
}

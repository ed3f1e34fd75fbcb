import type { Subscription } from '../../domain/types.js';
import { seenCounts, withRoomCounts } from '../room-counts.js';
import { decodeDoc, encodeDoc } from '../stored-json.js';

/**
 * How a subscription maps onto its row. The hot counters and flags (`open`, `alert`, `unread`,
 * `userMentions`, `groupMentions`) and `_updatedAt` live only in their columns, so applyMessage
 * can change them with one UPDATE and no JSON rewrite; `doc` holds every other field.
 * Rows are read joined with their room's `room_counts` (../room-counts.ts); every write of a row
 * stores the values read and moves its bases to the counts it read.
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
  unread_base?: number;
  group_base?: number;
  /** The room's counts (null when the room has none; absent in RETURNING rows). */
  unread_seq?: number | null;
  group_seq?: number | null;
  counted_at?: number | null;
}

/** What the rows are read from: each subscription with its room's counts. */
export const SUB_FROM = 'subscriptions s LEFT JOIN room_counts c ON c.rid = s.rid';
/** The columns to select (from SUB_FROM) for toSubscription. */
export const SUB_COLUMNS =
  's.id, s.open, s.alert, s.unread, s.user_mentions, s.group_mentions, s.updated_at, s.doc, s.unread_base, s.group_base, c.unread_seq, c.group_seq, c.counted_at';
/** The columns of an UPDATE … RETURNING (no room counts: the statement wrote the bases). */
export const SUB_OWN_COLUMNS = 'id, open, alert, unread, user_mentions, group_mentions, updated_at, doc';
/** SQL: the row has room-wide counts it does not include yet (over SUB_FROM). */
export const SUB_PENDING = '(c.unread_seq > s.unread_base OR c.group_seq > s.group_base)';

const flag = (v: unknown): number | null => (typeof v === 'boolean' ? (v ? 1 : 0) : null);
const count = (v: unknown): number | null => (typeof v === 'number' ? v : null);

/** The bases of a write of a row read with SUB_COLUMNS (the room counts it read), as parameters. */
export function seenCountParams(row: SubscriptionRow): { unread_base: number; group_base: number } {
  const seen = seenCounts(row);
  return { unread_base: seen.unreadBase, group_base: seen.groupBase };
}

/** The full document of a row (a null column = the field is absent), room-wide counts included. */
export function toSubscription(row: SubscriptionRow): Subscription {
  const sub = decodeDoc<Subscription>(row.doc);
  if (row.open !== null) sub.open = row.open === 1;
  if (row.alert !== null) sub.alert = row.alert === 1;
  if (row.user_mentions !== null) sub.userMentions = row.user_mentions;
  return withRoomCounts(sub, row);
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

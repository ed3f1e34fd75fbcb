import type { Subscription } from '../domain/types.js';

/**
 * Room-wide counts, shared by the backends. A message that counts for every member but its sender
 * (`unread` under Unread_Count all_messages and in DMs, `groupMentions` for @all/@here) is one
 * increment of its room's counts (`unread_seq`, `group_seq`; `counted_at` is the time of the last
 * one) rather than a write of every member's row. A subscription row's `unread_base` /
 * `group_base` say how many of those counts its own columns already include.
 */
export interface CountedRow {
  unread: number | string | null;
  group_mentions: number | string | null;
  updated_at: number | string;
  unread_base?: number | string;
  group_base?: number | string;
  /** The room's counts: null when the room has none, absent when the row was just written. */
  unread_seq?: number | string | null;
  group_seq?: number | string | null;
  counted_at?: number | string | null;
}

const more = (seq: number | string | null | undefined, base: number | string | undefined): number =>
  seq == null || base === undefined ? 0 : Math.max(0, Number(seq) - Number(base));

/**
 * Sets `unread`, `groupMentions` and `_updatedAt` of a subscription read from `row`: its columns
 * plus the room's counts beyond its bases; `_updatedAt` is the time of the last such count when
 * one is pending and later than the row's own.
 */
export function withRoomCounts(sub: Subscription, row: CountedRow): Subscription {
  const unread = more(row.unread_seq, row.unread_base);
  const group = more(row.group_seq, row.group_base);
  if (unread > 0) sub.unread = Number(row.unread ?? 0) + unread;
  else if (row.unread !== null) sub.unread = Number(row.unread);
  if (group > 0) sub.groupMentions = Number(row.group_mentions ?? 0) + group;
  else if (row.group_mentions !== null) sub.groupMentions = Number(row.group_mentions);
  const own = Number(row.updated_at);
  const counted = row.counted_at == null ? 0 : Number(row.counted_at);
  sub._updatedAt = new Date(unread + group > 0 && counted > own ? counted : own);
  return sub;
}

/** The bases a write of a row read with its room's counts moves to: the counts it read. */
export function seenCounts(row: CountedRow): { unreadBase: number; groupBase: number } {
  return { unreadBase: Number(row.unread_seq ?? row.unread_base ?? 0), groupBase: Number(row.group_seq ?? row.group_base ?? 0) };
}

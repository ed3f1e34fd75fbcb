import type { MessageEffects } from '../store.js';

/** Collects the values of a statement and hands out their `$n` placeholders. */
export class Params {
  readonly values: unknown[] = [];

  /** The placeholder of a value, with a cast (`$3::text[]`). */
  add(value: unknown, cast: string): string {
    this.values.push(value);
    return `$${this.values.length}::${cast}`;
  }
}

/** The subscription columns a statement returns (with no room counts: it wrote the bases). */
export const SUB_RETURNING = 's.open, s.alert, s.unread, s.user_mentions, s.group_mentions, s.updated_at, s.doc';

/**
 * The common table expressions of a new message's bookkeeping (subscriptions.applyMessage, and
 * Store.postMessage's one statement): `c`, the room's counts after the message (raised when the
 * message counts for every member), `members`, the rows alerted or opened now or named in the
 * effects (returning SUB_RETURNING), and, unless the sender is marked read by the same statement,
 * the sender's row taking in the counts before this message and skipping its own. `when`: an SQL
 * condition every write also needs (e.g. that the message was inserted).
 */
export function messageEffectsCtes(p: Params, rid: string, effects: MessageEffects, opts: { now: string; when: string; senderReadNext: boolean }): string {
  const r = p.add(rid, 'text');
  const sender = p.add(effects.senderId, 'text');
  const unreadAll = effects.incUnread === 'all' ? 1 : 0;
  const groupInc = effects.incGroupMentions ? 1 : 0;
  const unreadIds = effects.incUnread === 'all' ? [] : [...effects.incUnread];
  const mentionIds = [...effects.incUserMentions];
  const ctes: string[] = [];
  if (unreadAll + groupInc > 0) {
    const u = p.add(unreadAll, 'int');
    const g = p.add(groupInc, 'int');
    ctes.push(`prev AS (SELECT counted_at FROM room_counts WHERE rid = ${r})`);
    ctes.push(`c AS (INSERT INTO room_counts AS rc (rid, unread_seq, group_seq, counted_at) SELECT ${r}, ${u}, ${g}, ${opts.now} WHERE ${opts.when}
      ON CONFLICT (rid) DO UPDATE SET unread_seq = rc.unread_seq + ${u}, group_seq = rc.group_seq + ${g}, counted_at = ${opts.now}
      RETURNING unread_seq, group_seq)`);
    if (!opts.senderReadNext) {
      ctes.push(`sender_skips AS (UPDATE subscriptions s SET
        unread = CASE WHEN c.unread_seq - ${u} > s.unread_base THEN coalesce(s.unread, 0) + c.unread_seq - ${u} - s.unread_base ELSE s.unread END,
        group_mentions = CASE WHEN c.group_seq - ${g} > s.group_base THEN coalesce(s.group_mentions, 0) + c.group_seq - ${g} - s.group_base ELSE s.group_mentions END,
        updated_at = CASE WHEN c.unread_seq - ${u} > s.unread_base OR c.group_seq - ${g} > s.group_base
          THEN GREATEST(s.updated_at, coalesce((SELECT counted_at FROM prev), 0)) ELSE s.updated_at END,
        unread_base = GREATEST(s.unread_base, c.unread_seq), group_base = GREATEST(s.group_base, c.group_seq)
        FROM c WHERE s.rid = ${r} AND s.uid = ${sender} RETURNING 1)`);
    }
  } else {
    ctes.push(roomCountsCte(r));
  }
  const unreadIn = p.add(unreadIds, 'text[]');
  const mentionIn = p.add(mentionIds, 'text[]');
  const targets = p.add([...unreadIds, ...mentionIds], 'text[]');
  ctes.push(`members AS (UPDATE subscriptions s SET alert = true, open = true,
      unread = coalesce(s.unread, 0) + GREATEST(c.unread_seq - s.unread_base, 0) + CASE WHEN s.uid = ANY(${unreadIn}) THEN 1 ELSE 0 END,
      user_mentions = coalesce(s.user_mentions, 0) + CASE WHEN s.uid = ANY(${mentionIn}) THEN 1 ELSE 0 END,
      group_mentions = coalesce(s.group_mentions, 0) + GREATEST(c.group_seq - s.group_base, 0),
      unread_base = GREATEST(s.unread_base, c.unread_seq), group_base = GREATEST(s.group_base, c.group_seq),
      updated_at = ${opts.now}
    FROM c WHERE s.rid = ${r} AND s.uid <> ${sender} AND (s.alert IS NOT TRUE OR s.open IS NOT TRUE OR s.uid = ANY(${targets})) AND ${opts.when}
    RETURNING ${SUB_RETURNING})`);
  return ctes.join(',\n  ');
}

/** `c`: the room's counts as they are (one row, zeros when it has none). */
export function roomCountsCte(rid: string): string {
  return `c AS (SELECT coalesce(max(unread_seq), 0) AS unread_seq, coalesce(max(group_seq), 0) AS group_seq FROM room_counts WHERE rid = ${rid})`;
}

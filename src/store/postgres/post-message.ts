import type { Message, Room, Subscription } from '../../domain/types.js';
import type { MessagePost, PostedMessage } from '../store.js';
import { Params, SUB_RETURNING, messageEffectsCtes, roomCountsCte } from './message-effects-sql.js';
import { messageParams } from './messages-repo.js';
import type { Queryable } from './pg-executor.js';
import { docOf, jsonb } from './pg-rows.js';
import { toSub, type SubRow } from './subscriptions-repo.js';

/** The types of messageParams' values, in order. */
const MESSAGE_CASTS = ['text', 'text', 'bigint', 'text', 'text', 'boolean', 'boolean', 'jsonb', 'bigint'];
const INSERTED = 'EXISTS (SELECT 1 FROM ins)';
const EMPTY_SUB = 'NULL::boolean, NULL::boolean, NULL::bigint, NULL::bigint, NULL::bigint, NULL::bigint';
/** The first SELECT names the columns of the union. */
const NAMED_EMPTY_SUB =
  'NULL::boolean AS open, NULL::boolean AS alert, NULL::bigint AS unread, NULL::bigint AS user_mentions, NULL::bigint AS group_mentions, NULL::bigint AS updated_at';

/**
 * Store.postMessage as one statement (one round trip, atomic on its own): the insert, then —
 * only if it inserted — the room's update, the members' bookkeeping and the sender marked read,
 * as data-modifying common table expressions; one result row per written document.
 */
export async function postMessage(q: Queryable, message: Message, post: MessagePost): Promise<PostedMessage | undefined> {
  const now = Date.now();
  const stored: Message = { ...message, _updatedAt: new Date(now) };
  const p = new Params();
  const cols = messageParams(stored).map((v, i) => p.add(v, MESSAGE_CASTS[i]!));
  const at = p.add(now, 'bigint');
  const rid = p.add(message.rid, 'text');
  const stamp = `jsonb_build_object('$date', ${at})`;
  const ctes = [
    `ins AS (INSERT INTO messages (id, rid, ts, t, tmid, tshow, hidden, doc, updated_at) VALUES (${cols.join(', ')}) ON CONFLICT (id) DO NOTHING RETURNING id)`,
    `room AS (UPDATE rooms SET updated_at = ${at}, doc = doc || ${p.add(jsonb(post.roomLastMessage ? { ...post.roomSet, lastMessage: stored } : post.roomSet), 'jsonb')}
      || jsonb_build_object('msgs', coalesce((doc->>'msgs')::bigint, 0) + 1, '_updatedAt', ${stamp})
      WHERE id = ${rid} AND ${INSERTED} RETURNING doc)`,
  ];
  const selects = [`SELECT 0 AS k, ${NAMED_EMPTY_SUB}, doc FROM room`, `SELECT 3, ${EMPTY_SUB}, NULL::jsonb FROM ins`];
  if (post.effects) {
    ctes.push(messageEffectsCtes(p, message.rid, post.effects, { now: at, when: INSERTED, senderReadNext: post.readBySender }));
    selects.push(`SELECT 1, ${SUB_RETURNING} FROM members s`);
  } else if (post.readBySender) {
    ctes.push(roomCountsCte(rid));
  }
  if (post.readBySender) {
    ctes.push(`sender AS (UPDATE subscriptions s SET open = true, alert = false, unread = 0, user_mentions = 0, group_mentions = 0,
        updated_at = ${at}, doc = s.doc || jsonb_build_object('ls', ${stamp}),
        unread_base = GREATEST(s.unread_base, c.unread_seq), group_base = GREATEST(s.group_base, c.group_seq)
      FROM c WHERE s.rid = ${rid} AND s.uid = ${p.add(message.u._id, 'text')} AND ${INSERTED} RETURNING ${SUB_RETURNING})`);
    selects.push(`SELECT 2, ${SUB_RETURNING} FROM sender s`);
  }
  const { rows } = await q.query<SubRow & { k: number }>(`WITH ${ctes.join(',\n  ')}\n${selects.join('\nUNION ALL ')}`, p.values);
  if (!rows.some((r) => r.k === 3)) return undefined;
  const out: PostedMessage = { message: stored, changed: [] };
  for (const row of rows) {
    if (row.k === 0) out.room = docOf<Room>(row);
    else if (row.k === 1) out.changed.push(toSub(row));
    else if (row.k === 2) out.sender = toSub(row) as Subscription;
  }
  return out;
}

import { describe, expect, it } from 'vitest';
import type { Message } from '../domain/types.js';
import { audienceOf, messageEffects } from './message-notifications.js';

const msg = (mentions: Message['mentions']): Message => ({
  _id: 'm',
  rid: 'r',
  msg: '',
  ts: new Date(),
  u: { _id: 'sender', username: 's' },
  _updatedAt: new Date(),
  mentions,
});
const user = (id: string) => ({ _id: id, username: id, type: 'user' as const });

describe('audienceOf / messageEffects (findings §7)', () => {
  it('user mentions exclude the sender, all, here and teams', () => {
    const a = audienceOf(msg([user('a'), user('sender'), { _id: 'all', username: 'all' }, { _id: 't', username: 't', type: 'team' }]));
    expect([...a.mentionIds]).toEqual(['a']);
    expect(a).toMatchObject({ toAll: true, toHere: false, senderId: 'sender' });
  });

  it.each([
    // [room type, setting, mentions, expected incUnread, incUserMentions, incGroupMentions]
    ['c', 'user_and_group_mentions_only', [], [], [], false],
    ['c', 'user_and_group_mentions_only', [user('a')], ['a'], ['a'], false],
    ['c', 'user_and_group_mentions_only', [{ _id: 'here', username: 'here' }], 'all', [], true],
    ['c', 'user_and_group_mentions_only', [user('a'), { _id: 'all', username: 'all' }], ['a'], ['a'], false],
    ['c', 'all_messages', [], 'all', [], false],
    ['c', 'all_messages', [user('a')], 'all', ['a'], false],
    ['c', 'all_messages', [{ _id: 'all', username: 'all' }], 'all', [], true],
    ['p', 'user_mentions_only', [{ _id: 'all', username: 'all' }], [], [], true],
    ['p', 'group_mentions_only', [user('a')], [], ['a'], false],
    ['d', 'all_messages', [], 'all', [], false],
    ['d', 'mentions_only', [], [], [], false],
    ['d', 'mentions_only', [user('a')], ['a'], ['a'], false],
    ['d', 'mentions_only', [{ _id: 'all', username: 'all' }], 'all', [], true],
  ] as const)('%s / %s / %j', (t, setting, mentions, incUnread, incUserMentions, incGroupMentions) => {
    const m = msg([...mentions]);
    expect(messageEffects({ t }, 'sender', audienceOf(m), setting)).toEqual({ senderId: 'sender', incUnread, incUserMentions, incGroupMentions });
  });
});

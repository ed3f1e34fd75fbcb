import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Room, User } from '../../src/domain/types.js';
import { randomId } from '../../src/lib/random.js';
import { makeRoom } from '../support/fixtures.js';
import { TestClient } from '../support/ddp-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { clientFor, makeDm, messageById, roomById, setSetting, uniq } from './messages-support.js';

const READ_ONLY = "You can't send messages because the room is readonly.";

describe('sendMessage (rooms.md B.4)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  /** A room with an owner and a member, both logged in, each listening to its own ephemeral notices. */
  async function scene(extra: Partial<Room> = {}, t: 'c' | 'p' = 'c') {
    const owner = await server.createUser(uniq('own'));
    const member = await server.createUser(uniq('mem'), { name: 'Member Name' });
    const room = await makeRoom(server, { t, owner, members: [member], extra });
    const oc = await clientFor(server, owner);
    const mc = await clientFor(server, member);
    for (const [c, u] of [
      [oc, owner],
      [mc, member],
    ] as const) {
      expect((await c.sub('stream-notify-user', [`${u._id}/message`, false])).ready).toBe(true);
    }
    return { owner, member, room, oc, mc };
  }

  const ephemerals = (c: TestClient, u: User) => c.events('stream-notify-user', `${u._id}/message`).map((a) => a[0] as any);

  it('stores and returns the message with the client _id, u, urls, mentions, channels and md', async () => {
    const { member, room, mc } = await scene();
    const id = randomId();
    const before = Date.now();
    const result = await mc.call('sendMessage', { _id: id, rid: room._id, msg: 'hello world' });
    expect(result).toEqual({
      _id: id,
      rid: room._id,
      msg: 'hello world',
      ts: expect.any(Date),
      u: { _id: member._id, username: member.username, name: 'Member Name' },
      _updatedAt: expect.any(Date),
      urls: [],
      mentions: [],
      channels: [],
      md: [{ type: 'PARAGRAPH', value: [{ type: 'PLAIN_TEXT', value: 'hello world' }] }],
    });
    expect(result.ts.getTime()).toBeGreaterThanOrEqual(before);
    expect(await messageById(server, id)).toEqual(result);
  });

  it('generates an _id when none is given; an empty msg is stored as "" without md', async () => {
    const { room, mc } = await scene();
    const r = await mc.call('sendMessage', { rid: room._id });
    expect(r._id).toMatch(/^[23456789A-HJ-NP-Za-km-z]{17}$/);
    expect(r.msg).toBe('');
    expect(r).not.toHaveProperty('md');
  });

  it('400 on a message that is not an object or has mistyped fields', async () => {
    const { room, mc } = await scene();
    expect((await mc.callError('sendMessage', 'hi')).error).toBe(400);
    expect((await mc.callError('sendMessage', { rid: room._id, msg: 5 })).error).toBe(400);
    expect((await mc.callError('sendMessage', { rid: room._id, msg: 'x', tshow: 'yes' })).error).toBe(400);
    expect((await mc.callError('sendMessage', { rid: room._id, msg: 'x', ts: 'now' })).error).toBe(400);
    expect((await mc.callError('sendMessage', { rid: room._id, msg: 'x' }, 'not-an-array')).error).toBe(400);
  });

  it('decision: unknown keys are dropped, so a client cannot forge u, editedAt or _hidden', async () => {
    const { member, room, mc } = await scene();
    const r = await mc.call('sendMessage', {
      rid: room._id,
      msg: 'forged?',
      u: { _id: 'someone', username: 'someone' },
      editedAt: new Date(),
      _hidden: true,
    });
    expect(r.u._id).toBe(member._id);
    const stored = await messageById(server, r._id);
    expect(stored).not.toHaveProperty('editedAt');
    expect(stored).not.toHaveProperty('_hidden');
  });

  it('error-invalid-user when not logged in (after the shape check)', async () => {
    const { room } = await scene();
    const anon = await TestClient.connect(server.url);
    const err = await anon.callError('sendMessage', { rid: room._id, msg: 'hi' });
    expect(err).toMatchObject({ error: 'error-invalid-user', reason: 'Invalid user', details: { method: 'sendMessage' } });
    expect((await anon.callError('sendMessage', 42)).error).toBe(400);
    anon.close();
  });

  it('a system type is refused with a 500; decision: every t but "e2e" counts as a system type', async () => {
    const { room, mc } = await scene();
    expect(await mc.callError('sendMessage', { rid: room._id, msg: 'x', t: 'uj' })).toMatchObject({ error: 500, reason: 'Internal server error' });
    expect((await mc.callError('sendMessage', { rid: room._id, msg: 'x', t: 'made-up' })).error).toBe(500);
    expect((await roomById(server, room._id)).msgs).toBe(0);
  });

  it('tshow without tmid, ts out of sync and oversize text are swallowed without a notice', async () => {
    const { member, room, mc } = await scene();
    const ids = [randomId(), randomId(), randomId()];
    expect(await mc.callRaw('sendMessage', [{ _id: ids[0], rid: room._id, msg: 'x', tshow: true }])).not.toHaveProperty('error');
    const r1 = await mc.callRaw('sendMessage', [{ _id: ids[1], rid: room._id, msg: 'x', ts: new Date(Date.now() - 61_000) }]);
    expect(r1).not.toHaveProperty('result');
    expect(r1).not.toHaveProperty('error');
    const r2 = await mc.callRaw('sendMessage', [{ _id: ids[2], rid: room._id, msg: 'x'.repeat(5001) }]);
    expect(r2).not.toHaveProperty('result');
    expect(r2).not.toHaveProperty('error');
    for (const id of ids) expect(await messageById(server, id)).toBeUndefined();
    await mc.settle(100);
    expect(ephemerals(mc, member)).toEqual([]);
    // The limit itself is allowed.
    expect((await mc.call('sendMessage', { rid: room._id, msg: 'y y'.repeat(1666) })).msg).toHaveLength(4998);
  });

  it('decision: no md for a text the parser would take too long on (long whitespace-free runs); msg is kept', async () => {
    const { room, mc } = await scene();
    const started = Date.now();
    const long = await mc.call('sendMessage', { rid: room._id, msg: 'y.'.repeat(2500) });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(long.msg).toHaveLength(5000);
    expect(long).not.toHaveProperty('md');
    // A plain run needs no parser at all: its tree is known, whatever its length.
    const plain = await mc.call('sendMessage', { rid: room._id, msg: 'y'.repeat(5000) });
    expect(plain.md).toEqual([{ type: 'PARAGRAPH', value: [{ type: 'PLAIN_TEXT', value: 'y'.repeat(5000) }] }]);
    const words = await mc.call('sendMessage', { rid: room._id, msg: 'word '.repeat(200).trim() });
    expect(words.md).toEqual([{ type: 'PARAGRAPH', value: [{ type: 'PLAIN_TEXT', value: 'word '.repeat(200).trim() }] }]);
  });

  it('Message_MaxAllowedSize is read at call time', async () => {
    const { room, mc } = await scene();
    await setSetting(server, 'Message_MaxAllowedSize', 10);
    try {
      expect(await mc.call('sendMessage', { rid: room._id, msg: '0123456789' })).toMatchObject({ msg: '0123456789' });
      expect(await mc.call('sendMessage', { rid: room._id, msg: '0123456789a' })).toBeUndefined();
    } finally {
      await setSetting(server, 'Message_MaxAllowedSize', 5000);
    }
  });

  it('client ts: kept within 10 s, replaced by the server time between 10 and 60 s', async () => {
    const { room, mc } = await scene();
    const near = new Date(Date.now() - 5_000);
    expect((await mc.call('sendMessage', { rid: room._id, msg: 'near', ts: near })).ts).toEqual(near);
    const far = new Date(Date.now() - 30_000);
    const r = await mc.call('sendMessage', { rid: room._id, msg: 'far', ts: far });
    expect(Math.abs(r.ts.getTime() - Date.now())).toBeLessThan(5_000);
  });

  it('tmid while threads are disabled: error-not-allowed "not-allowed"', async () => {
    const { room, mc } = await scene();
    const parent = await mc.call('sendMessage', { rid: room._id, msg: 'parent' });
    await setSetting(server, 'Threads_enabled', false);
    try {
      const err = await mc.callError('sendMessage', { rid: room._id, msg: 'reply', tmid: parent._id });
      expect(err).toMatchObject({ error: 'error-not-allowed', reason: 'not-allowed', details: { method: 'sendMessage' } });
    } finally {
      await setSetting(server, 'Threads_enabled', true);
    }
  });

  it('a duplicate _id inserts nothing, returns nothing and broadcasts nothing', async () => {
    const { room, mc, oc } = await scene();
    expect((await oc.sub('stream-room-messages', [room._id, false])).ready).toBe(true);
    const id = randomId();
    await mc.call('sendMessage', { _id: id, rid: room._id, msg: 'first' });
    await oc.nextEvent('stream-room-messages', room._id, (a) => a[0]._id === id);
    const mark = oc.mark();
    const dup = await mc.callRaw('sendMessage', [{ _id: id, rid: room._id, msg: 'second' }]);
    expect(dup).not.toHaveProperty('result');
    expect((await messageById(server, id))!.msg).toBe('first');
    expect((await roomById(server, room._id)).msgs).toBe(1);
    await oc.settle(100);
    expect(oc.frames.slice(mark).filter((f) => f.collection === 'stream-room-messages')).toEqual([]);
  });

  it('unknown room: swallowed, with an ephemeral "Invalid room" notice', async () => {
    const { member, mc } = await scene();
    const r = await mc.callRaw('sendMessage', [{ rid: 'no-such-room', msg: 'hi' }]);
    expect(r).not.toHaveProperty('error');
    const [notice] = await mc.nextEvent('stream-notify-user', `${member._id}/message`);
    expect(notice).toMatchObject({ msg: 'Invalid room', rid: 'no-such-room' });
  });

  it('a room the caller cannot access: error-not-allowed without reason, and a notice', async () => {
    const { room } = await scene({}, 'p');
    const outsider = await server.createUser(uniq('out'));
    const c = await clientFor(server, outsider);
    await c.sub('stream-notify-user', [`${outsider._id}/message`, false]);
    const err = await c.callError('sendMessage', { rid: room._id, msg: 'let me in' });
    expect(err).toEqual({
      isClientSafe: true,
      error: 'error-not-allowed',
      details: { method: 'sendMessage' },
      message: '[error-not-allowed]',
      errorType: 'Meteor.Error',
    });
    const [notice] = await c.nextEvent('stream-notify-user', `${outsider._id}/message`);
    expect(notice.msg).toBe('Not allowed');
    expect((await roomById(server, room._id)).msgs).toBe(0);
  });

  it('the ephemeral notice has Rocket.Chat\'s payload shape (findings §2)', async () => {
    const { member, room, mc } = await scene({ muted: [] });
    await server.orbit.services.store.rooms.update(room._id, { set: { muted: [member.username!] } });
    await mc.call('sendMessage', { rid: room._id, msg: 'muted?' });
    const [notice] = await mc.nextEvent('stream-notify-user', `${member._id}/message`);
    expect(Object.keys(notice)).toEqual(['groupable', 'u', 'private', '_id', 'rid', 'ts', '_updatedAt', 'msg', 'md']);
    expect(notice).toEqual({
      groupable: false,
      u: { _id: 'rocket.cat', username: 'rocket.cat' },
      private: true,
      _id: expect.stringMatching(/^\d{13}$/),
      rid: room._id,
      ts: expect.any(Date),
      _updatedAt: expect.any(Date),
      msg: 'You have been muted and cannot speak in this room',
      md: [{ type: 'PARAGRAPH', value: [{ type: 'PLAIN_TEXT', value: 'You have been muted and cannot speak in this room' }] }],
    });
  });

  it('muted users cannot post; others can', async () => {
    const { owner, member, room, mc, oc } = await scene();
    await server.orbit.services.store.rooms.update(room._id, { set: { muted: [member.username!] } });
    expect(await mc.call('sendMessage', { rid: room._id, msg: 'muted' })).toBeUndefined();
    expect((await oc.call('sendMessage', { rid: room._id, msg: 'owner speaks' })).u._id).toBe(owner._id);
    expect((await roomById(server, room._id)).msgs).toBe(1);
  });

  it('read-only room: members are refused with a notice; post-readonly holders and unmuted users post', async () => {
    const { owner, member, room, mc, oc } = await scene({ ro: true });
    expect(await mc.call('sendMessage', { rid: room._id, msg: 'no' })).toBeUndefined();
    const [notice] = await mc.nextEvent('stream-notify-user', `${member._id}/message`);
    expect(notice.msg).toBe(READ_ONLY);
    expect((await oc.call('sendMessage', { rid: room._id, msg: 'owner' })).u._id).toBe(owner._id);
    await server.orbit.services.store.rooms.update(room._id, { set: { unmuted: [member.username!] } });
    expect((await mc.call('sendMessage', { rid: room._id, msg: 'unmuted' })).u._id).toBe(member._id);
  });

  it('blocked DMs: both sides are refused with "This room is blocked"', async () => {
    const a = await server.createUser(uniq('dma'));
    const b = await server.createUser(uniq('dmb'));
    const dm = await makeDm(server, a, b);
    const ca = await clientFor(server, a);
    const cb = await clientFor(server, b);
    await ca.sub('stream-notify-user', [`${a._id}/message`, false]);
    await cb.sub('stream-notify-user', [`${b._id}/message`, false]);
    expect((await ca.call('sendMessage', { rid: dm._id, msg: 'before' })).msg).toBe('before');
    const subA = await server.orbit.services.store.subscriptions.findByRoomAndUser(dm._id, a._id);
    const subB = await server.orbit.services.store.subscriptions.findByRoomAndUser(dm._id, b._id);
    await server.orbit.services.store.subscriptions.update(subA!._id, { set: { blocker: true } });
    await server.orbit.services.store.subscriptions.update(subB!._id, { set: { blocked: true } });
    expect(await ca.call('sendMessage', { rid: dm._id, msg: 'blocker' })).toBeUndefined();
    expect(await cb.call('sendMessage', { rid: dm._id, msg: 'blocked' })).toBeUndefined();
    expect((await ca.nextEvent('stream-notify-user', `${a._id}/message`))[0].msg).toBe('This room is blocked');
    expect((await cb.nextEvent('stream-notify-user', `${b._id}/message`))[0].msg).toBe('This room is blocked');
    expect((await roomById(server, dm._id)).msgs).toBe(1);
  });

  it('alias/avatar need message-impersonate: refused for a user, kept for a bot', async () => {
    const { member, room, mc } = await scene();
    expect(await mc.call('sendMessage', { rid: room._id, msg: 'x', alias: 'Someone Else' })).toBeUndefined();
    expect((await mc.nextEvent('stream-notify-user', `${member._id}/message`))[0].msg).toBe('Not enough permission');
    const bot = await server.createUser(uniq('bot'), { roles: ['bot'] });
    await server.orbit.services.membership.addUser(room, bot, { silenced: true });
    const bc = await clientFor(server, bot);
    const r = await bc.call('sendMessage', { rid: room._id, msg: 'beep', alias: 'Build Bot', avatar: 'https://x.io/a.png', emoji: ':robot:' });
    expect(r).toMatchObject({ alias: 'Build Bot', avatar: 'https://x.io/a.png', emoji: ':robot:' });
  });

  it('attachments with a javascript: URL are refused', async () => {
    const { room, mc } = await scene();
    const r = await mc.callRaw('sendMessage', [{ rid: room._id, msg: 'x', attachments: [{ title: 't', title_link: 'javascript:alert(1)' }] }]);
    expect(r).not.toHaveProperty('result');
    const ok = await mc.call('sendMessage', { rid: room._id, msg: 'x', attachments: [{ title: 't', title_link: 'https://x.io' }] });
    expect(ok.attachments).toEqual([{ title: 't', title_link: 'https://x.io' }]);
  });

  it('mentions: known users (members or not) with type user, unknown names dropped; #channels resolved; urls', async () => {
    const { room, mc, owner } = await scene();
    const elsewhere = await server.createUser(uniq('far'), { name: 'Far Away' });
    const other = await makeRoom(server, { owner, name: uniq('chan') });
    const msg = `hi @${owner.username} and @${elsewhere.username}, @nobody-${randomId(5)} #${other.name} #no-such-room see https://example.com/a?b=1 and http://x.io`;
    const r = await mc.call('sendMessage', { rid: room._id, msg }, ['https://example.com/a?b=1']);
    expect(r.mentions).toEqual([
      { _id: owner._id, username: owner.username, name: owner.name, type: 'user' },
      { _id: elsewhere._id, username: elsewhere.username, name: 'Far Away', type: 'user' },
    ]);
    expect(r.channels).toEqual([{ _id: other._id, name: other.name }]);
    expect(r.urls).toEqual([{ url: 'https://example.com/a?b=1' }, { url: 'http://x.io', ignoreParse: true }]);
    expect(r.md[0].value).toContainEqual({ type: 'MENTION_USER', value: { type: 'PLAIN_TEXT', value: owner.username } });
    expect(r.md[0].value).toContainEqual({ type: 'MENTION_CHANNEL', value: { type: 'PLAIN_TEXT', value: other.name } });
  });

  it('a mention needs the exact username and a token boundary (not inside an email address)', async () => {
    const { owner, room, mc } = await scene();
    const r = await mc.call('sendMessage', { rid: room._id, msg: `mail me@${owner.username}.io or @${owner.username!.toUpperCase()}` });
    expect(r.mentions).toEqual([]);
  });

  it('@all and @here with mention-all / mention-here; refused with a notice once the permission is withdrawn', async () => {
    const { member, room, mc } = await scene();
    const r = await mc.call('sendMessage', { rid: room._id, msg: '@all and @here look' });
    expect(r.mentions).toEqual([
      { _id: 'all', username: 'all' },
      { _id: 'here', username: 'here' },
    ]);
    // In the order they appear in the text, ahead of the users.
    const reversed = await mc.call('sendMessage', { rid: room._id, msg: `@${member.username} @here then @all` });
    expect(reversed.mentions.map((m: { _id: string }) => m._id)).toEqual(['here', 'all', member._id]);
    const perms = server.orbit.services.permissions;
    const allRoles = [...perms.rolesOf('mention-all')];
    const hereRoles = [...perms.rolesOf('mention-here')];
    await perms.setRoles('mention-all', ['admin']);
    await perms.setRoles('mention-here', ['admin']);
    try {
      expect(await mc.call('sendMessage', { rid: room._id, msg: 'hey @all' })).toBeUndefined();
      expect((await mc.nextEvent('stream-notify-user', `${member._id}/message`))[0].msg).toBe('Notify all in this room is not allowed');
      expect(await mc.call('sendMessage', { rid: room._id, msg: 'hey @here' })).toBeUndefined();
      expect(
        (await mc.nextEvent('stream-notify-user', `${member._id}/message`, (a) => a[0].msg.includes('active')))[0].msg,
      ).toBe('Notify active in this room is not allowed');
    } finally {
      await perms.setRoles('mention-all', allRoles);
      await perms.setRoles('mention-here', hereRoles);
    }
  });

  it('Message_MaxAll: @all is refused in rooms with more members than the setting', async () => {
    const { member, room, mc } = await scene();
    await setSetting(server, 'Message_MaxAll', 1);
    try {
      expect(await mc.call('sendMessage', { rid: room._id, msg: '@all hi' })).toBeUndefined();
      expect((await mc.nextEvent('stream-notify-user', `${member._id}/message`))[0].msg).toMatch(/more than 1 members/);
      expect((await mc.call('sendMessage', { rid: room._id, msg: 'plain hi' })).msg).toBe('plain hi');
    } finally {
      await setSetting(server, 'Message_MaxAll', 0);
    }
  });

  it('threads: a reply to a reply joins the root thread, rid comes from the parent, tshow is kept only when true', async () => {
    const { room, mc } = await scene();
    const root = await mc.call('sendMessage', { rid: room._id, msg: 'root' });
    const reply = await mc.call('sendMessage', { rid: room._id, msg: 'reply', tmid: root._id, tshow: false });
    expect(reply.tmid).toBe(root._id);
    expect(reply).not.toHaveProperty('tshow');
    const nested = await mc.call('sendMessage', { msg: 'nested', tmid: reply._id, tshow: true });
    expect(nested).toMatchObject({ rid: room._id, tmid: root._id, tshow: true });
    const after = await roomById(server, room._id);
    expect(after.msgs).toBe(3);
    // The thread-only reply did not become the room's last message; the one shown in the room did.
    expect(after.lastMessage?._id).toBe(nested._id);
  });

  it('Message_Read_Receipt_Enabled adds unread: true', async () => {
    const { room, mc } = await scene();
    await setSetting(server, 'Message_Read_Receipt_Enabled', true);
    try {
      expect((await mc.call('sendMessage', { rid: room._id, msg: 'receipt' })).unread).toBe(true);
    } finally {
      await setSetting(server, 'Message_Read_Receipt_Enabled', false);
    }
    expect(await mc.call('sendMessage', { rid: room._id, msg: 'none' })).not.toHaveProperty('unread');
  });

  it('decision (rooms.md §D.1): archived rooms accept messages', async () => {
    const { room, mc } = await scene({ archived: true });
    expect((await mc.call('sendMessage', { rid: room._id, msg: 'still here' })).msg).toBe('still here');
  });
});

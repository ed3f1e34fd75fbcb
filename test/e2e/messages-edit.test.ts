import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Room } from '../../src/domain/types.js';
import { makeRoom } from '../support/fixtures.js';
import { TestClient } from '../support/ddp-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { clientFor, insertMessage, messageById, roomById, setSetting, uniq } from './messages-support.js';

describe('updateMessage (rooms.md B.5) and deleteMessage (B.6)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  async function scene(extra: Partial<Room> = {}) {
    const owner = await server.createUser(uniq('own'));
    const member = await server.createUser(uniq('mem'));
    const room = await makeRoom(server, { owner, members: [member], extra });
    const oc = await clientFor(server, owner);
    const mc = await clientFor(server, member);
    return { owner, member, room, oc, mc };
  }

  async function withSetting<T>(id: string, value: unknown, fn: () => Promise<T>): Promise<T> {
    const previous = server.orbit.services.settings.get(id);
    await setSetting(server, id, value);
    try {
      return await fn();
    } finally {
      await setSetting(server, id, previous);
    }
  }

  describe('updateMessage', () => {
    it('edits the text: editedAt/editedBy, re-parsed fields, msg event, lastMessage replaced with rooms-changed', async () => {
      const { owner, member, room, oc, mc } = await scene();
      await oc.sub('stream-room-messages', [room._id, false]);
      await oc.sub('stream-notify-user', [`${owner._id}/rooms-changed`, false]);
      const m = await mc.call('sendMessage', { rid: room._id, msg: 'helo' });
      const res = await mc.callRaw('updateMessage', [{ _id: m._id, rid: room._id, msg: `hello @${owner.username} https://x.io` }]);
      expect(res).toEqual({ msg: 'result', id: expect.any(String) });
      const stored = (await messageById(server, m._id))!;
      expect(stored).toMatchObject({
        msg: `hello @${owner.username} https://x.io`,
        editedBy: { _id: member._id, username: member.username },
        mentions: [{ _id: owner._id, username: owner.username, type: 'user' }],
        urls: [{ url: 'https://x.io' }],
        channels: [],
      });
      expect(stored.editedAt).toBeInstanceOf(Date);
      expect(stored.ts).toEqual(m.ts);
      expect((stored.md as any[])[0].value[1]).toEqual({ type: 'MENTION_USER', value: { type: 'PLAIN_TEXT', value: owner.username } });
      const [event] = await oc.nextEvent('stream-room-messages', room._id, (a) => a[0].editedAt !== undefined);
      expect(event).toEqual(stored);
      expect((await roomById(server, room._id)).lastMessage).toEqual(stored);
      await oc.nextEvent('stream-notify-user', `${owner._id}/rooms-changed`, (a) => a[1].lastMessage?.editedAt !== undefined);
      // Unread counters are not touched by an edit.
      const sub = await server.orbit.services.store.subscriptions.findByRoomAndUser(room._id, owner._id);
      expect(sub!.userMentions).toBe(0);
    });

    it('400 for a param without string _id or with a non-string msg; error-invalid-user when logged out', async () => {
      const { mc, room } = await scene();
      expect((await mc.callError('updateMessage', 'x')).error).toBe(400);
      expect((await mc.callError('updateMessage', { msg: 'x' })).error).toBe(400);
      expect((await mc.callError('updateMessage', { _id: 'x', msg: 5 })).error).toBe(400);
      const anon = await TestClient.connect(server.url);
      expect(await anon.callError('updateMessage', { _id: 'x', rid: room._id, msg: 'y' })).toMatchObject({
        error: 'error-invalid-user',
        details: { method: 'updateMessage' },
      });
      anon.close();
    });

    it('an unknown message or an unchanged text is a silent no-op', async () => {
      const { room, mc } = await scene();
      expect(await mc.callRaw('updateMessage', [{ _id: 'missing', rid: room._id, msg: 'x' }])).not.toHaveProperty('error');
      const m = await mc.call('sendMessage', { rid: room._id, msg: 'same' });
      await mc.call('updateMessage', { _id: m._id, rid: room._id, msg: 'same' });
      expect(await messageById(server, m._id)).not.toHaveProperty('editedAt');
    });

    it('error-invalid-update-key for a key that differs from the stored value (rid, u, tmid); an unchanged rid is fine', async () => {
      const { room, mc } = await scene();
      const m = await mc.call('sendMessage', { rid: room._id, msg: 'x' });
      expect(await mc.callError('updateMessage', { _id: m._id, rid: 'other', msg: 'y' })).toMatchObject({
        error: 'error-invalid-update-key',
        reason: 'Cannot update the message rid',
        details: { method: 'updateMessage' },
      });
      expect((await mc.callError('updateMessage', { _id: m._id, rid: room._id, msg: 'y', u: m.u })).reason).toBe('Cannot update the message u');
      expect((await mc.callError('updateMessage', { _id: m._id, rid: room._id, msg: 'y', tmid: m._id })).error).toBe('error-invalid-update-key');
      // `===` semantics: an equal date is another object; null is not an absent field; row 4 runs before
      // the unchanged-text no-op of row 5.
      expect((await mc.callError('updateMessage', { _id: m._id, rid: room._id, msg: 'y', ts: m.ts })).reason).toBe('Cannot update the message ts');
      expect((await mc.callError('updateMessage', { _id: m._id, rid: room._id, msg: 'y', t: null })).reason).toBe('Cannot update the message t');
      expect((await mc.callError('updateMessage', { _id: m._id, rid: 'other', msg: 'x' })).error).toBe('error-invalid-update-key');
      expect((await messageById(server, m._id))!.msg).toBe('x');
    });

    it('others\' messages need edit-message (owner yes, member no); Message_AllowEditing off stops own edits only', async () => {
      const { owner, room, mc, oc } = await scene();
      const ownerMsg = await oc.call('sendMessage', { rid: room._id, msg: 'owner text' });
      expect(await mc.callError('updateMessage', { _id: ownerMsg._id, rid: room._id, msg: 'hijack' })).toEqual({
        isClientSafe: true,
        error: 'error-action-not-allowed',
        reason: 'Message editing not allowed',
        details: { method: 'updateMessage', action: 'Message_editing' },
        message: 'Message editing not allowed [error-action-not-allowed]',
        errorType: 'Meteor.Error',
      });
      const memberMsg = await mc.call('sendMessage', { rid: room._id, msg: 'member text' });
      await oc.call('updateMessage', { _id: memberMsg._id, rid: room._id, msg: 'moderated' });
      expect((await messageById(server, memberMsg._id))!.editedBy).toEqual({ _id: owner._id, username: owner.username });
      await withSetting('Message_AllowEditing', false, async () => {
        expect((await mc.callError('updateMessage', { _id: memberMsg._id, rid: room._id, msg: 'mine' })).error).toBe('error-action-not-allowed');
        await oc.call('updateMessage', { _id: memberMsg._id, rid: room._id, msg: 'still moderated' });
      });
      expect((await messageById(server, memberMsg._id))!.msg).toBe('still moderated');
    });

    it('Message_AllowEditing_BlockEditInMinutes: blocked after the window unless bypass-time-limit-edit-and-delete (bot)', async () => {
      const { member, room, mc } = await scene();
      const bot = await server.createUser(uniq('bot'), { roles: ['bot'] });
      await server.orbit.services.membership.addUser(room, bot, { silenced: true });
      const bc = await clientFor(server, bot);
      const old = new Date(Date.now() - 2 * 60_000);
      const mine = await insertMessage(server, room, member, { ts: old, msg: 'old' });
      const bots = await insertMessage(server, room, bot, { ts: old, msg: 'old bot' });
      const fresh = await mc.call('sendMessage', { rid: room._id, msg: 'fresh' });
      await withSetting('Message_AllowEditing_BlockEditInMinutes', 2, async () => {
        expect(await mc.callError('updateMessage', { _id: mine._id, rid: room._id, msg: 'late' })).toMatchObject({
          error: 'error-message-editing-blocked',
          reason: 'Message editing is blocked',
        });
        await mc.call('updateMessage', { _id: fresh._id, rid: room._id, msg: 'in time' });
        await bc.call('updateMessage', { _id: bots._id, rid: room._id, msg: 'bypass' });
      });
      expect((await messageById(server, fresh._id))!.msg).toBe('in time');
      expect((await messageById(server, bots._id))!.msg).toBe('bypass');
    });

    it('rows 8 and 11 use the rid the client sends: without it, edit-message has no room scope and canSendMessage fails (500)', async () => {
      const { room, oc, mc } = await scene();
      const own = await mc.call('sendMessage', { rid: room._id, msg: 'mine' });
      // Own message, editing allowed: row 8 passes, row 11 finds no room → plain error.
      expect((await mc.callError('updateMessage', { _id: own._id, msg: 'no rid' })).error).toBe(500);
      // The owner's edit-message is a room role: without the rid it is not seen.
      const other = await mc.call('sendMessage', { rid: room._id, msg: 'theirs' });
      expect(await oc.callError('updateMessage', { _id: other._id, msg: 'moderated' })).toMatchObject({
        error: 'error-action-not-allowed',
        details: { method: 'updateMessage', action: 'Message_editing' },
      });
      await oc.call('updateMessage', { _id: other._id, rid: room._id, msg: 'moderated' });
      expect((await messageById(server, other._id))!.msg).toBe('moderated');
      expect((await messageById(server, own._id))!.msg).toBe('mine');
    });

    it('bypass-time-limit-edit-and-delete counts global roles only (a room role granted it does not bypass)', async () => {
      const { owner, room, oc } = await scene();
      const perms = server.orbit.services.permissions;
      const previous = [...perms.rolesOf('bypass-time-limit-edit-and-delete')];
      const old = await insertMessage(server, room, owner, { ts: new Date(Date.now() - 5 * 60_000), msg: 'old' });
      await perms.setRoles('bypass-time-limit-edit-and-delete', [...previous, 'owner']);
      try {
        await withSetting('Message_AllowEditing_BlockEditInMinutes', 2, async () => {
          expect((await oc.callError('updateMessage', { _id: old._id, rid: room._id, msg: 'late' })).error).toBe('error-message-editing-blocked');
        });
        await withSetting('Message_AllowDeleting_BlockDeleteInMinutes', 2, async () => {
          // The owner may delete any message (delete-message) but not past the window.
          await perms.setRoles('force-delete-message', ['admin']);
          try {
            expect((await oc.callError('deleteMessage', { _id: old._id })).error).toBe('error-action-not-allowed');
          } finally {
            await perms.setRoles('force-delete-message', ['admin', 'owner']);
          }
        });
      } finally {
        await perms.setRoles('bypass-time-limit-edit-and-delete', previous);
      }
      expect((await messageById(server, old._id))!.msg).toBe('old');
    });

    it('an edit of a message whose type is hidden in the room is stored but not broadcast', async () => {
      const { owner, room, oc } = await scene({ sysMes: ['room_changed_topic'] });
      await oc.sub('stream-room-messages', [room._id, false]);
      const sys = await insertMessage(server, room, owner, { t: 'room_changed_topic', msg: 'old topic' });
      await oc.call('updateMessage', { _id: sys._id, rid: room._id, msg: 'new topic' });
      expect((await messageById(server, sys._id))!.msg).toBe('new topic');
      const m = await oc.call('sendMessage', { rid: room._id, msg: 'visible' });
      await oc.nextEvent('stream-room-messages', room._id, (a) => a[0]._id === m._id);
      expect(oc.events('stream-room-messages', room._id).map((a: any) => a[0]._id)).toEqual([m._id]);
    });

    it('a caller who may no longer post (muted) gets a 500', async () => {
      const { member, room, mc } = await scene();
      const m = await mc.call('sendMessage', { rid: room._id, msg: 'before mute' });
      await server.orbit.services.store.rooms.update(room._id, { set: { muted: [member.username!] } });
      expect((await mc.callError('updateMessage', { _id: m._id, rid: room._id, msg: 'after' })).error).toBe(500);
    });

    it('Message_KeepHistory stores a hidden copy of the old version; an attachment description takes the new text', async () => {
      const { room, mc } = await scene();
      const m = await mc.call('sendMessage', { rid: room._id, msg: 'v1' });
      await withSetting('Message_KeepHistory', true, () => mc.call('updateMessage', { _id: m._id, rid: room._id, msg: 'v2' }));
      const page = await mc.call('loadHistory', room._id, null, 50);
      expect(page.messages.map((x: any) => x.msg)).toEqual(['v2']);
      const withFile = await mc.call('sendMessage', { rid: room._id, msg: '', attachments: [{ title: 'file', description: 'caption' }] });
      await mc.call('updateMessage', { _id: withFile._id, rid: room._id, msg: 'new caption' });
      const stored = (await messageById(server, withFile._id))!;
      expect(stored.attachments).toEqual([{ title: 'file', description: 'new caption' }]);
      expect(stored.msg).toBe('');
    });

    it('editing a message that is not the last one leaves the room alone', async () => {
      const { room, mc } = await scene();
      const first = await mc.call('sendMessage', { rid: room._id, msg: 'first' });
      const last = await mc.call('sendMessage', { rid: room._id, msg: 'last' });
      const before = await roomById(server, room._id);
      await mc.call('updateMessage', { _id: first._id, rid: room._id, msg: 'first edited' });
      const after = await roomById(server, room._id);
      expect(after.lastMessage?._id).toBe(last._id);
      expect(after._updatedAt).toEqual(before._updatedAt);
    });
  });

  describe('deleteMessage', () => {
    it('own message: removed, <rid>/deleteMessage [{_id}], msgs - 1, lastMessage falls back to the previous one', async () => {
      const { room, mc, oc } = await scene();
      await oc.sub('stream-notify-room', [`${room._id}/deleteMessage`, false]);
      const first = await mc.call('sendMessage', { rid: room._id, msg: 'first' });
      const second = await mc.call('sendMessage', { rid: room._id, msg: 'second' });
      const res = await mc.callRaw('deleteMessage', [{ _id: second._id }]);
      expect(res).toEqual({ msg: 'result', id: expect.any(String) });
      expect(await messageById(server, second._id)).toBeUndefined();
      const [payload] = await oc.nextEvent('stream-notify-room', `${room._id}/deleteMessage`);
      expect(payload).toEqual({ _id: second._id });
      const after = await roomById(server, room._id);
      expect(after.msgs).toBe(1);
      expect(after.lastMessage?._id).toBe(first._id);
      await mc.call('deleteMessage', { _id: first._id });
      expect(await roomById(server, room._id)).not.toHaveProperty('lastMessage');
    });

    it('error-invalid-user, error-invalid-message, and error-action-not-allowed for an unknown message', async () => {
      const { mc } = await scene();
      const anon = await TestClient.connect(server.url);
      expect(await anon.callError('deleteMessage', { _id: 'x' })).toMatchObject({ error: 'error-invalid-user', details: { method: 'deleteMessage' } });
      anon.close();
      expect(await mc.callError('deleteMessage', {})).toMatchObject({ error: 'error-invalid-message', reason: 'Invalid message' });
      expect((await mc.callError('deleteMessage', 'x')).error).toBe('error-invalid-message');
      expect(await mc.callError('deleteMessage', { _id: 'missing' })).toEqual({
        isClientSafe: true,
        error: 'error-action-not-allowed',
        reason: 'Not allowed',
        details: { method: 'deleteMessage', action: 'Delete_message' },
        message: 'Not allowed [error-action-not-allowed]',
        errorType: 'Meteor.Error',
      });
    });

    it('own messages need delete-own-message: a user may, a bot (no such permission) may not', async () => {
      const { room, mc } = await scene();
      const bot = await server.createUser(uniq('bot'), { roles: ['bot'] });
      await server.orbit.services.membership.addUser(room, bot, { silenced: true });
      const bc = await clientFor(server, bot);
      const botMsg = await bc.call('sendMessage', { rid: room._id, msg: 'bot says' });
      expect((await bc.callError('deleteMessage', { _id: botMsg._id })).error).toBe('error-action-not-allowed');
      const userMsg = await mc.call('sendMessage', { rid: room._id, msg: 'user says' });
      await mc.call('deleteMessage', { _id: userMsg._id });
      expect(await messageById(server, botMsg._id)).toBeDefined();
      expect(await messageById(server, userMsg._id)).toBeUndefined();
    });

    it('another\'s message: member refused, owner (delete-message) allowed', async () => {
      const { room, mc, oc } = await scene();
      const ownerMsg = await oc.call('sendMessage', { rid: room._id, msg: 'owner' });
      const memberMsg = await mc.call('sendMessage', { rid: room._id, msg: 'member' });
      expect((await mc.callError('deleteMessage', { _id: ownerMsg._id })).error).toBe('error-action-not-allowed');
      await oc.call('deleteMessage', { _id: memberMsg._id });
      expect(await messageById(server, memberMsg._id)).toBeUndefined();
      expect(await messageById(server, ownerMsg._id)).toBeDefined();
    });

    it('Message_AllowDeleting off: refused even for a moderator (delete-message); force-delete-message (owner) still deletes', async () => {
      const { room, mc, oc } = await scene();
      const moderator = await server.createUser(uniq('mod'));
      await server.orbit.services.membership.addUser(room, moderator, { silenced: true });
      const modSub = await server.orbit.services.store.subscriptions.findByRoomAndUser(room._id, moderator._id);
      await server.orbit.services.store.subscriptions.update(modSub!._id, { set: { roles: ['moderator'] } });
      const modc = await clientFor(server, moderator);
      const m = await mc.call('sendMessage', { rid: room._id, msg: 'keep me' });
      await withSetting('Message_AllowDeleting', false, async () => {
        expect((await mc.callError('deleteMessage', { _id: m._id })).error).toBe('error-action-not-allowed');
        expect((await modc.callError('deleteMessage', { _id: m._id })).error).toBe('error-action-not-allowed');
        expect(await messageById(server, m._id)).toBeDefined();
        await oc.call('deleteMessage', { _id: m._id });
      });
      expect(await messageById(server, m._id)).toBeUndefined();
      // With deleting allowed, the moderator may delete others' messages.
      const n = await mc.call('sendMessage', { rid: room._id, msg: 'moderate me' });
      await modc.call('deleteMessage', { _id: n._id });
      expect(await messageById(server, n._id)).toBeUndefined();
    });

    it('Message_AllowDeleting_BlockDeleteInMinutes: an older message cannot be deleted', async () => {
      const { member, room, mc } = await scene();
      const old = await insertMessage(server, room, member, { ts: new Date(Date.now() - 3 * 60_000) });
      const fresh = await mc.call('sendMessage', { rid: room._id, msg: 'fresh' });
      await withSetting('Message_AllowDeleting_BlockDeleteInMinutes', 2, async () => {
        expect((await mc.callError('deleteMessage', { _id: old._id })).error).toBe('error-action-not-allowed');
        await mc.call('deleteMessage', { _id: fresh._id });
      });
      expect(await messageById(server, old._id)).toBeDefined();
      expect(await messageById(server, fresh._id)).toBeUndefined();
    });

    it('Message_AllowDeleting_BlockDeleteInMinutes compares the rounded age: 2.4 min is within 2, 2.6 min is not', async () => {
      const { member, room, mc } = await scene();
      const within = await insertMessage(server, room, member, { ts: new Date(Date.now() - 2.4 * 60_000) });
      const past = await insertMessage(server, room, member, { ts: new Date(Date.now() - 2.6 * 60_000) });
      await withSetting('Message_AllowDeleting_BlockDeleteInMinutes', 2, async () => {
        expect(await mc.callError('deleteMessage', { _id: past._id })).toMatchObject({
          error: 'error-action-not-allowed',
          details: { method: 'deleteMessage', action: 'Delete_message' },
        });
        await mc.call('deleteMessage', { _id: within._id });
      });
      expect(await messageById(server, past._id)).toBeDefined();
      expect(await messageById(server, within._id)).toBeUndefined();
    });

    it('read-only room: deleting needs post-readonly or an unmuted author, else a 500', async () => {
      const { member, room, mc, oc } = await scene();
      const a = await mc.call('sendMessage', { rid: room._id, msg: 'a' });
      const b = await mc.call('sendMessage', { rid: room._id, msg: 'b' });
      await server.orbit.services.store.rooms.update(room._id, { set: { ro: true } });
      expect((await mc.callError('deleteMessage', { _id: a._id })).error).toBe(500);
      await oc.call('deleteMessage', { _id: a._id });
      await server.orbit.services.store.rooms.update(room._id, { set: { unmuted: [member.username!] } });
      await mc.call('deleteMessage', { _id: b._id });
      expect(await messageById(server, b._id)).toBeUndefined();
    });

    it('Message_ShowDeletedStatus: the message is rewritten to t "rm" and broadcast as a message, not as deleteMessage', async () => {
      const { member, room, mc, oc } = await scene();
      await oc.sub('stream-room-messages', [room._id, false]);
      await oc.sub('stream-notify-room', [`${room._id}/deleteMessage`, false]);
      const m = await mc.call('sendMessage', { rid: room._id, msg: `bye @${member.username} https://x.io` });
      await withSetting('Message_ShowDeletedStatus', true, () => mc.call('deleteMessage', { _id: m._id }));
      const stored = (await messageById(server, m._id))!;
      expect(stored).toMatchObject({ t: 'rm', msg: '', urls: [], mentions: [], attachments: [], reactions: {}, editedBy: { _id: member._id, username: member.username } });
      expect(stored).not.toHaveProperty('md');
      const [event] = await oc.nextEvent('stream-room-messages', room._id, (a) => a[0].t === 'rm');
      expect(event._id).toBe(m._id);
      await oc.settle(100);
      expect(oc.events('stream-notify-room', `${room._id}/deleteMessage`)).toEqual([]);
      expect((await roomById(server, room._id)).msgs).toBe(0);
    });

    it('Message_KeepHistory (deleted status hidden): the message is kept hidden and announced as deleted', async () => {
      const { room, mc, oc } = await scene();
      await oc.sub('stream-notify-room', [`${room._id}/deleteMessage`, false]);
      const m = await mc.call('sendMessage', { rid: room._id, msg: 'hide me' });
      await withSetting('Message_KeepHistory', true, () => mc.call('deleteMessage', { _id: m._id }));
      expect((await messageById(server, m._id))!._hidden).toBe(true);
      await oc.nextEvent('stream-notify-room', `${room._id}/deleteMessage`);
      expect((await mc.call('loadHistory', room._id)).messages).toEqual([]);
    });
  });
});

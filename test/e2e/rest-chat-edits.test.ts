import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../src/domain/types.js';
import { makeRoom } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { uniq } from './messages-support.js';
import { failed, get, post, restLogin, type Creds } from './rest-support.js';

describe('REST chat.update / chat.delete / chat.getMessage / chat.syncMessages', () => {
  let server: TestServer;
  let owner: User;
  let member: User;
  let outsider: User;
  let ownerCreds: Creds;
  let memberCreds: Creds;
  let outsiderCreds: Creds;
  const store = () => server.orbit.services.store;

  beforeAll(async () => {
    server = await startTestServer();
    [owner, member, outsider] = await Promise.all([server.createUser(uniq('eo')), server.createUser(uniq('em')), server.createUser(uniq('ex'))]);
    [ownerCreds, memberCreds, outsiderCreds] = await Promise.all([restLogin(server, owner), restLogin(server, member), restLogin(server, outsider)]);
  });
  afterAll(async () => {
    await server?.stop();
  });

  async function scene() {
    const room = await makeRoom(server, { t: 'p', owner, members: [member] });
    const sent = await post(server, 'chat.sendMessage', { message: { rid: room._id, msg: 'first' } }, memberCreds);
    return { room, msg: sent.body.message };
  }

  it('chat.update: the author edits; another member may not; wrong room and unknown ids are plain failures', async () => {
    const { room, msg } = await scene();
    const r = await post(server, 'chat.update', { roomId: room._id, msgId: msg._id, text: 'edited @' + owner.username }, memberCreds);
    expect(r.status).toBe(200);
    expect(r.body.message).toMatchObject({ _id: msg._id, msg: `edited @${owner.username}`, editedBy: { _id: member._id } });
    expect(r.body.message.mentions[0]._id).toBe(owner._id);
    const refused = await post(server, 'chat.update', { roomId: room._id, msgId: msg._id, text: 'hijack' }, outsiderCreds);
    expect(refused.body).toMatchObject(failed('error-action-not-allowed'));
    const wrongRoom = await post(server, 'chat.update', { roomId: 'elsewhere', msgId: msg._id, text: 'x' }, memberCreds);
    expect(wrongRoom.body).toEqual({ success: false, error: 'The room id provided does not match where the message is from.' });
    const unknown = await post(server, 'chat.update', { roomId: room._id, msgId: 'nope', text: 'x' }, memberCreds);
    expect(unknown.body).toEqual({ success: false, error: 'No message found with the id of "nope".' });
    expect((await post(server, 'chat.update', { roomId: room._id, msgId: msg._id }, memberCreds)).body).toMatchObject(failed('invalid-params'));
    expect((await store().messages.findById(msg._id))!.msg).toBe(`edited @${owner.username}`);
  });

  it('chat.delete: the author deletes ({_id, ts, message}); others are refused; asUser needs force-delete-message', async () => {
    const { room, msg } = await scene();
    const refused = await post(server, 'chat.delete', { roomId: room._id, msgId: msg._id }, outsiderCreds);
    expect(refused.body).toMatchObject(failed('error-action-not-allowed'));
    const asUser = await post(server, 'chat.delete', { roomId: room._id, msgId: msg._id, asUser: true }, outsiderCreds);
    expect(asUser.body.error).toMatch(/force-delete-message/);
    const r = await post(server, 'chat.delete', { roomId: room._id, msgId: msg._id }, memberCreds);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ success: true, _id: msg._id, message: { _id: msg._id, rid: room._id, u: { _id: member._id } } });
    expect(r.body.ts).toMatch(/^\d+$/);
    expect(await store().messages.findById(msg._id)).toBeUndefined();
    // An admin (force-delete-message) deletes as the sender.
    const again = (await post(server, 'chat.sendMessage', { message: { rid: room._id, msg: 'second' } }, memberCreds)).body.message;
    const admin = await restLogin(server, await server.createUser(uniq('ea'), { roles: ['admin'] }));
    expect((await post(server, 'chat.delete', { roomId: room._id, msgId: again._id, asUser: true }, admin)).status).toBe(200);
  });

  it('chat.getMessage: members read it; others get error-not-allowed; unknown → {success:false}', async () => {
    const { msg } = await scene();
    const r = await get(server, 'chat.getMessage', { msgId: msg._id }, ownerCreds);
    expect(r.body).toMatchObject({ success: true, message: { _id: msg._id, msg: 'first' } });
    expect((await get(server, 'chat.getMessage', { msgId: msg._id }, outsiderCreds)).body).toMatchObject(failed('error-not-allowed'));
    const unknown = await get(server, 'chat.getMessage', { msgId: 'nope' }, ownerCreds);
    expect(unknown).toEqual({ status: 400, body: { success: false } });
    expect((await get(server, 'chat.getMessage', {}, ownerCreds)).body).toMatchObject(failed('invalid-params'));
  });

  it('chat.syncMessages with lastUpdate: what changed and what was deleted since', async () => {
    const { room, msg } = await scene();
    const since = new Date(Date.now() - 1);
    await new Promise((r) => setTimeout(r, 5));
    const later = (await post(server, 'chat.sendMessage', { message: { rid: room._id, msg: 'later' } }, memberCreds)).body.message;
    await post(server, 'chat.delete', { roomId: room._id, msgId: msg._id }, memberCreds);
    const r = await get(server, 'chat.syncMessages', { roomId: room._id, lastUpdate: since.toISOString() }, ownerCreds);
    expect(r.status).toBe(200);
    expect(r.body.result.updated.map((m: { _id: string }) => m._id)).toEqual([later._id]);
    expect(r.body.result.deleted).toEqual([{ _id: msg._id, _deletedAt: expect.any(String) }]);
    expect(r.body.result).not.toHaveProperty('cursor');
  });

  it('chat.syncMessages with a cursor (Rocket.Chat 7.1+, as the mobile app pages): next / previous of UPDATED and DELETED', async () => {
    const room = await makeRoom(server, { owner });
    const sent: string[] = [];
    for (let i = 0; i < 3; i++) {
      sent.push((await post(server, 'chat.sendMessage', { message: { rid: room._id, msg: `m${i}` } }, ownerCreds)).body.message._id);
      await new Promise((r) => setTimeout(r, 3));
    }
    const page1 = await get(server, 'chat.syncMessages', { roomId: room._id, next: '0', count: '2', type: 'UPDATED' }, ownerCreds);
    expect(page1.body.result.updated.map((m: { _id: string }) => m._id)).toEqual(sent.slice(0, 2));
    const { next } = page1.body.result.cursor;
    expect(next).toMatch(/^\d+$/);
    const page2 = await get(server, 'chat.syncMessages', { roomId: room._id, next, count: '2', type: 'UPDATED' }, ownerCreds);
    expect(page2.body.result.updated.map((m: { _id: string }) => m._id)).toEqual([sent[2]]);
    expect(page2.body.result.cursor.next).toBeNull();
    await post(server, 'chat.delete', { roomId: room._id, msgId: sent[0] }, ownerCreds);
    const deleted = await get(server, 'chat.syncMessages', { roomId: room._id, next: '0', type: 'DELETED' }, ownerCreds);
    expect(deleted.body.result).toMatchObject({ updated: [], deleted: [{ _id: sent[0] }], cursor: { next: null } });
  });

  it('chat.syncMessages refusals', async () => {
    const { room } = await scene();
    const q = (extra: Record<string, string>) => get(server, 'chat.syncMessages', { roomId: room._id, ...extra }, ownerCreds);
    expect((await q({})).body).toMatchObject(failed('error-param-required'));
    expect((await q({ lastUpdate: 'yesterday' })).body).toMatchObject(failed('error-lastUpdate-param-invalid'));
    expect((await q({ next: '1', previous: '1', type: 'UPDATED' })).body).toMatchObject(failed('error-cursor-conflict'));
    expect((await q({ next: '1', lastUpdate: new Date().toISOString() })).body).toMatchObject(failed('error-type-param-required'));
    expect((await q({ type: 'BOTH' })).body).toMatchObject(failed('invalid-params'));
    expect((await q({ next: 'abc', type: 'UPDATED' })).body).toEqual({ success: false, error: 'Invalid Date' });
    const r = await get(server, 'chat.syncMessages', { roomId: room._id, lastUpdate: new Date().toISOString() }, outsiderCreds);
    expect(r.body).toMatchObject(failed('error-not-allowed'));
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../src/domain/types.js';
import { makeRoom } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { subOf, uniq } from './messages-support.js';
import { failed, get, post, restLogin, type Creds } from './rest-support.js';

describe('REST subscriptions.*', () => {
  let server: TestServer;
  let owner: User;
  let reader: User;
  let ownerCreds: Creds;
  let readerCreds: Creds;

  beforeAll(async () => {
    server = await startTestServer();
    [owner, reader] = await Promise.all([server.createUser(uniq('so')), server.createUser(uniq('sr'))]);
    [ownerCreds, readerCreds] = await Promise.all([restLogin(server, owner), restLogin(server, reader)]);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('subscriptions.get: all as {update, remove:[]}; with updatedSince only the changes and the removals', async () => {
    const room = await makeRoom(server, { owner, members: [reader] });
    const all = await get(server, 'subscriptions.get', {}, readerCreds);
    expect(all.status).toBe(200);
    expect(all.body.remove).toEqual([]);
    expect(all.body.update.map((s: { rid: string }) => s.rid)).toEqual(expect.arrayContaining(['GENERAL', room._id]));
    const since = new Date();
    await new Promise((r) => setTimeout(r, 5));
    await post(server, 'chat.sendMessage', { message: { rid: room._id, msg: `hi @${reader.username}` } }, ownerCreds);
    const other = await makeRoom(server, { owner, members: [reader] });
    await server.orbit.services.rooms.leave(reader._id, other._id);
    const delta = await get(server, 'subscriptions.get', { updatedSince: since.toISOString() }, readerCreds);
    expect(delta.body.update.map((s: { rid: string }) => s.rid)).toEqual([room._id]);
    expect(delta.body.update[0]).toMatchObject({ unread: 1, userMentions: 1, alert: true });
    expect(delta.body.remove).toEqual([{ _id: expect.any(String), _deletedAt: expect.any(String) }]);
    expect((await get(server, 'subscriptions.get', { updatedSince: 'soon' }, readerCreds)).body).toMatchObject(failed('error-roomId-param-invalid'));
    expect((await get(server, 'subscriptions.get', {})).status).toBe(401);
  });

  it('subscriptions.getOne: the caller\'s own; null for a room it is not in', async () => {
    const room = await makeRoom(server, { owner, members: [reader] });
    const r = await get(server, 'subscriptions.getOne', { roomId: room._id }, readerCreds);
    expect(r.body).toMatchObject({ success: true, subscription: { rid: room._id, u: { _id: reader._id } } });
    const stranger = await restLogin(server, await server.createUser(uniq('ss')));
    expect((await get(server, 'subscriptions.getOne', { roomId: room._id }, stranger)).body).toEqual({ subscription: null, success: true });
    expect((await get(server, 'subscriptions.getOne', {}, readerCreds)).body).toMatchObject(failed('invalid-params'));
  });

  it('subscriptions.read ({rid} or {roomId}) and subscriptions.unread ({roomId} or {firstUnreadMessage})', async () => {
    const room = await makeRoom(server, { owner, members: [reader] });
    const first = (await post(server, 'chat.sendMessage', { message: { rid: room._id, msg: `one @${reader.username}` } }, ownerCreds)).body.message;
    expect((await subOf(server, room._id, reader)).unread).toBe(1);
    expect((await post(server, 'subscriptions.read', { rid: room._id }, readerCreds)).body).toEqual({ success: true });
    expect(await subOf(server, room._id, reader)).toMatchObject({ unread: 0, alert: false });
    const unread = await post(server, 'subscriptions.unread', { firstUnreadMessage: { _id: first._id } }, readerCreds);
    expect(unread.body).toEqual({ success: true });
    const sub = await subOf(server, room._id, reader);
    expect(sub.alert).toBe(true);
    expect(sub.ls!.toISOString()).toBe(first.ts);
    expect((await post(server, 'subscriptions.read', { roomId: room._id, readThreads: true }, readerCreds)).status).toBe(200);
    expect((await post(server, 'subscriptions.unread', { roomId: room._id }, readerCreds)).status).toBe(200);
    expect((await subOf(server, room._id, reader)).alert).toBe(true);
    expect((await post(server, 'subscriptions.unread', { firstUnreadMessage: { _id: first._id } }, ownerCreds)).body).toMatchObject(failed('error-action-not-allowed'));
    // Not a member: reading does nothing (as Rocket.Chat), a room it cannot see is refused.
    const stranger = await restLogin(server, await server.createUser(uniq('st')));
    const pub = await makeRoom(server, { owner });
    expect((await post(server, 'subscriptions.read', { rid: pub._id }, stranger)).body).toEqual({ success: true });
    const priv = await makeRoom(server, { t: 'p', owner });
    expect((await post(server, 'subscriptions.read', { rid: priv._id }, stranger)).body).toMatchObject(failed('error-not-allowed'));
    expect((await post(server, 'subscriptions.read', { rid: { $ne: '' } }, readerCreds)).body).toMatchObject(failed('invalid-params'));
  });
});

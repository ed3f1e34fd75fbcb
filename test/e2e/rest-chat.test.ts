import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../src/domain/types.js';
import { makeRoom } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { clientFor, uniq } from './messages-support.js';
import { call, failed, get, post, restLogin, type Creds } from './rest-support.js';

describe('REST chat.sendMessage', () => {
  let server: TestServer;
  let owner: User;
  let ownerCreds: Creds;
  let outsider: User;
  let outsiderCreds: Creds;

  beforeAll(async () => {
    server = await startTestServer();
    owner = await server.createUser(uniq('cso'), { name: 'Chat Owner' });
    outsider = await server.createUser(uniq('csx'));
    ownerCreds = await restLogin(server, owner);
    outsiderCreds = await restLogin(server, outsider);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('a member sends: 200 {message, success}, dates as ISO strings, delivered on stream-room-messages', async () => {
    const member = await server.createUser(uniq('csm'));
    const room = await makeRoom(server, { t: 'p', owner, members: [member] });
    const c = await clientFor(server, member);
    expect((await c.sub('stream-room-messages', [room._id, false])).ready).toBe(true);
    // The SDK's message: msg, rid and roomId (an extra key, ignored).
    const r = await post(server, 'chat.sendMessage', { message: { msg: 'hello @' + member.username, rid: room._id, roomId: room._id } }, ownerCreds);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      success: true,
      message: { rid: room._id, msg: `hello @${member.username}`, u: { _id: owner._id, username: owner.username, name: 'Chat Owner' } },
    });
    expect(r.body.message.ts).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(r.body.message.mentions).toEqual([expect.objectContaining({ _id: member._id, username: member.username })]);
    expect(r.body.message).not.toHaveProperty('roomId');
    const [streamed] = await c.nextEvent('stream-room-messages', room._id, (a) => a[0]._id === r.body.message._id);
    expect(streamed.msg).toBe(`hello @${member.username}`);
    expect(await server.orbit.services.store.messages.findById(r.body.message._id)).toBeDefined();
    c.close();
  });

  it('a client-chosen _id is kept; the same _id again is refused (decision: 400, the DDP method answers nothing)', async () => {
    const room = await makeRoom(server, { owner });
    const _id = `rest${uniq('id')}`;
    const first = await post(server, 'chat.sendMessage', { message: { _id, rid: room._id, msg: 'one' } }, ownerCreds);
    expect(first.body.message._id).toBe(_id);
    const again = await post(server, 'chat.sendMessage', { message: { _id, rid: room._id, msg: 'two' } }, ownerCreds);
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ success: false });
    expect((await server.orbit.services.store.messages.findById(_id))!.msg).toBe('one');
  });

  it('a non-member of a private room: 400 {error:"error-not-allowed"} (a plain error: no errorType), nothing stored', async () => {
    const room = await makeRoom(server, { t: 'p', owner });
    const r = await post(server, 'chat.sendMessage', { message: { rid: room._id, msg: 'intrusion' } }, outsiderCreds);
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ success: false, error: 'error-not-allowed' });
    expect((await server.orbit.services.store.rooms.findById(room._id))!.msgs).toBe(0);
  });

  it('an unknown room: 400 error-invalid-room', async () => {
    const r = await post(server, 'chat.sendMessage', { message: { rid: 'no-such-room', msg: 'x' } }, ownerCreds);
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ success: false, error: 'error-invalid-room' });
  });

  it('the service\'s Meteor errors keep their code: no rid → error-invalid-params; too long → error-message-size-exceeded', async () => {
    const noRid = await post(server, 'chat.sendMessage', { message: { msg: 'x' } }, ownerCreds);
    expect(noRid.status).toBe(400);
    expect(noRid.body).toMatchObject(failed('error-invalid-params'));
    const room = await makeRoom(server, { owner });
    const long = await post(server, 'chat.sendMessage', { message: { rid: room._id, msg: 'x'.repeat(5001) } }, ownerCreds);
    expect(long.status).toBe(400);
    expect(long.body).toMatchObject({ ...failed('error-message-size-exceeded'), error: 'Message size exceeds Message_MaxAllowedSize [error-message-size-exceeded]' });
  });

  it('a system message type: 400 "Cannot send system messages using \'chat.sendMessage\'"', async () => {
    const room = await makeRoom(server, { owner });
    const r = await post(server, 'chat.sendMessage', { message: { rid: room._id, msg: 'x', t: 'uj' } }, ownerCreds);
    expect(r.status).toBe(400);
    expect(r.body).toEqual({ success: false, error: "Cannot send system messages using 'chat.sendMessage'" });
  });

  it('wrong types or shapes: 400 invalid-params, never 500', async () => {
    const room = await makeRoom(server, { owner });
    const bodies: unknown[] = [
      {},
      { message: 'hello' },
      { message: null },
      { message: [room._id] },
      { message: { rid: { $ne: null }, msg: 'x' } },
      { message: { rid: room._id, msg: { text: 'x' } } },
      { message: { rid: room._id, msg: 'x', attachments: 'nope' } },
      { message: { rid: room._id, msg: 'x', tshow: 'yes' } },
      { message: { rid: room._id, msg: 'x' }, previewUrls: 'http://x' },
      { message: { rid: room._id, msg: 'x' }, extra: true },
    ];
    for (const body of bodies) {
      const r = await post(server, 'chat.sendMessage', body, ownerCreds);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body).toMatchObject(failed('invalid-params'));
    }
    const broken = await call(server, 'POST', 'chat.sendMessage', { body: '{"message": {', creds: ownerCreds });
    expect(broken.status).toBe(400);
    expect((await server.orbit.services.store.rooms.findById(room._id))!.msgs).toBe(0);
  });
});

describe('REST chat.getRoomIdByNameOrId (decision: the @rocket.chat/sdk route, answered as a bare JSON string)', () => {
  let server: TestServer;
  let owner: User;
  let ownerCreds: Creds;
  let outsiderCreds: Creds;

  beforeAll(async () => {
    server = await startTestServer();
    owner = await server.createUser(uniq('gro'));
    ownerCreds = await restLogin(server, owner);
    outsiderCreds = await restLogin(server, await server.createUser(uniq('grx')));
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('by name and by id: 200 with the id as a JSON string', async () => {
    const room = await makeRoom(server, { owner });
    for (const name of [room.name!, room._id]) {
      const r = await get(server, 'chat.getRoomIdByNameOrId', { name }, ownerCreds);
      expect(r.status).toBe(200);
      expect(r.body).toBe(room._id);
    }
  });

  it('a public channel resolves for a non-member; a private room does not (400 error-not-allowed)', async () => {
    const pub = await makeRoom(server, { t: 'c', owner });
    const priv = await makeRoom(server, { t: 'p', owner });
    expect((await get(server, 'chat.getRoomIdByNameOrId', { name: pub.name! }, outsiderCreds)).body).toBe(pub._id);
    const r = await get(server, 'chat.getRoomIdByNameOrId', { name: priv.name! }, outsiderCreds);
    expect(r.status).toBe(400);
    expect(r.body).toEqual({
      success: false,
      error: 'Not allowed [error-not-allowed]',
      errorType: 'error-not-allowed',
      details: { method: 'getRoomIdByNameOrId' },
    });
    expect((await get(server, 'chat.getRoomIdByNameOrId', { name: priv.name! }, ownerCreds)).body).toBe(priv._id);
  });

  it('an unknown room: 400 error-not-allowed; no name: 400 invalid-params', async () => {
    const unknown = await get(server, 'chat.getRoomIdByNameOrId', { name: 'no-such-room' }, ownerCreds);
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject(failed('error-not-allowed'));
    const missing = await get(server, 'chat.getRoomIdByNameOrId', {}, ownerCreds);
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject(failed('invalid-params'));
  });
});

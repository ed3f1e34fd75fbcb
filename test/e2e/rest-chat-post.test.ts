import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../src/domain/types.js';
import { makeRoom } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { uniq } from './messages-support.js';
import { failed, post, restLogin, type Creds } from './rest-support.js';

describe('REST chat.postMessage', () => {
  let server: TestServer;
  let owner: User;
  let ownerCreds: Creds;
  let bot: User;
  let botCreds: Creds;
  const store = () => server.orbit.services.store;

  beforeAll(async () => {
    server = await startTestServer();
    owner = await server.createUser(uniq('po'));
    bot = await server.createUser(uniq('pb'), { roles: ['user', 'bot'] });
    [ownerCreds, botCreds] = await Promise.all([restLogin(server, owner), restLogin(server, bot)]);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('to #name: joins a public channel first, answers {ts, channel, message}', async () => {
    const room = await makeRoom(server, { owner });
    const r = await post(server, 'chat.postMessage', { channel: `#${room.name}`, text: ' hello ' }, botCreds);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ success: true, channel: `#${room.name}`, message: { rid: room._id, msg: 'hello', u: { _id: bot._id }, groupable: false, attachments: [] } });
    expect(typeof r.body.ts).toBe('number');
    expect(await store().subscriptions.findByRoomAndUser(room._id, bot._id)).toBeDefined();
    expect((await store().messages.findById(r.body.message._id))!.msg).toBe('hello');
  });

  it('to @username: the DM is opened; to a room id; several targets at once', async () => {
    const other = await server.createUser(uniq('pd'));
    const dm = await post(server, 'chat.postMessage', { channel: `@${other.username}`, text: 'psst' }, ownerCreds);
    expect(dm.status).toBe(200);
    const dmRoom = (await store().rooms.findById(dm.body.message.rid))!;
    expect(dmRoom.t).toBe('d');
    expect(dmRoom.uids?.sort()).toEqual([owner._id, other._id].sort());
    const room = await makeRoom(server, { t: 'p', owner });
    const byId = await post(server, 'chat.postMessage', { roomId: room._id, text: 'by id' }, ownerCreds);
    expect(byId.body).toMatchObject({ channel: room._id, message: { rid: room._id } });
    const many = await post(server, 'chat.postMessage', { roomId: [room._id, room._id], text: 'once' }, ownerCreds);
    expect(many.status).toBe(200);
    expect((await store().rooms.findById(room._id))!.msgs).toBe(2);
  });

  it('alias and avatar need message-impersonate: refused for a user ("Not enough permission"), kept for a bot; emoji for anyone', async () => {
    const room = await makeRoom(server, { owner, members: [bot] });
    const refused = await post(server, 'chat.postMessage', { roomId: room._id, text: 'x', alias: 'Someone' }, ownerCreds);
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({ success: false, error: 'Not enough permission' });
    const emoji = await post(server, 'chat.postMessage', { roomId: room._id, text: 'x', emoji: ':smile:' }, ownerCreds);
    expect(emoji.body.message.emoji).toBe(':smile:');
    const ok = await post(server, 'chat.postMessage', { roomId: room._id, text: 'y', alias: 'CI', avatar: 'https://x.io/a.png' }, botCreds);
    expect(ok.body.message).toMatchObject({ alias: 'CI', avatar: 'https://x.io/a.png' });
    expect((await store().rooms.findById(room._id))!.msgs).toBe(2);
  });

  it('refusals: unknown target → [invalid-channel]; private room of others → error-not-allowed; too long → error-message-size-exceeded', async () => {
    const missing = await post(server, 'chat.postMessage', { channel: '#no-such-room', text: 'x' }, ownerCreds);
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ success: false, error: '[invalid-channel]', errorType: 'invalid-channel' });
    const nobody = await post(server, 'chat.postMessage', { channel: '@nobody-here', text: 'x' }, ownerCreds);
    expect(nobody.body.errorType).toBe('invalid-channel');
    const secret = await makeRoom(server, { t: 'p', owner: bot });
    const notMine = await post(server, 'chat.postMessage', { roomId: secret._id, text: 'x' }, ownerCreds);
    expect(notMine.body).toEqual({ success: false, error: 'error-not-allowed' });
    const long = await post(server, 'chat.postMessage', { roomId: secret._id, attachments: [{ text: 'x'.repeat(5001) }] }, botCreds);
    expect(long.body).toEqual({ success: false, error: 'error-message-size-exceeded' });
    expect((await store().rooms.findById(secret._id))!.msgs).toBe(0);
  });

  it('bad input is a 400 invalid-params before anything is written: no target, unknown keys, objects for strings, bad attachments', async () => {
    const room = await makeRoom(server, { owner });
    for (const body of [
      { text: 'no target' },
      { roomId: room._id, text: 'x', extra: 1 },
      { roomId: { $ne: '' }, text: 'x' },
      { roomId: room._id, text: { $gt: '' } },
      { roomId: room._id, attachments: [{ title_link: 'javascript:alert(1)' }] },
      { roomId: room._id, attachments: [{ fields: [{ title: 't' }] }] },
      { roomId: room._id, attachments: 'nope' },
    ]) {
      const r = await post(server, 'chat.postMessage', body, ownerCreds);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body).toMatchObject(failed('invalid-params'));
    }
    expect((await store().rooms.findById(room._id))!.msgs).toBe(0);
    expect((await post(server, 'chat.postMessage', { roomId: room._id, text: 'x' })).status).toBe(401);
  });

  it("Prometheus Alertmanager's exact request (its bot's token): attachment with fields and a button, avatar and emoji", async () => {
    const room = await makeRoom(server, { owner, name: uniq('alerts') });
    // notify/rocketchat/rocketchat.go: PostMessage{Channel, Emoji, Avatar, Attachments: [Attachment{...}]} encoded by encoding/json.
    const body =
      `{"channel":"#${room.name}","emoji":":warning:","avatar":"https://avatars3.githubusercontent.com/u/3380462",` +
      `"attachments":[{"title":"[FIRING:1] InstanceDown (node 1)","title_link":"http://alertmanager:9093/#/alerts?receiver=rc",` +
      `"text":"Instance node-1 down","color":"#ff0000","fields":[{"title":"severity","value":"critical","short":false}],` +
      `"actions":[{"type":"button","text":"Silence","url":"http://alertmanager:9093/#/silences/new","msg":""}]}]}\n`;
    const r = await post(server, 'chat.postMessage', body, botCreds);
    expect(r.status).toBe(200);
    expect(r.body.success).toBe(true);
    const m = (await store().messages.findById(r.body.message._id))!;
    expect(m).toMatchObject({ rid: room._id, msg: '', avatar: 'https://avatars3.githubusercontent.com/u/3380462' });
    expect(m.emoji).toBeUndefined(); // one picture: the avatar wins, as in Rocket.Chat
    expect(m.attachments).toEqual([
      {
        title: '[FIRING:1] InstanceDown (node 1)',
        title_link: 'http://alertmanager:9093/#/alerts?receiver=rc',
        text: 'Instance node-1 down',
        color: '#ff0000',
        fields: [{ title: 'severity', value: 'critical', short: false }],
        actions: [{ type: 'button', text: 'Silence', url: 'http://alertmanager:9093/#/silences/new', msg: '' }],
      },
    ]);
  });
});

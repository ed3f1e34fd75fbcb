import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newRoomSubscription } from '../../src/domain/subscriptions.js';
import type { Room, User } from '../../src/domain/types.js';
import { objectId } from '../../src/lib/random.js';
import { TestClient } from '../support/ddp-client.js';
import { makeRoom } from '../support/fixtures.js';
import { ADMIN, startTestServer, type TestServer } from '../support/test-server.js';

describe('joinRoom', () => {
  let server: TestServer;
  let owner: User, member: User, joiner: User, bot: User;
  let memberC: TestClient, joinerC: TestClient, botC: TestClient, adminC: TestClient, anon: TestClient;

  const login = async (username: string, password = `${username}-pass`) => {
    const c = await TestClient.connect(server.url);
    await c.login(username, password);
    return c;
  };
  const store = () => server.orbit.services.store;
  const room = (t: 'c' | 'p' = 'c', extra?: Partial<Room>) => makeRoom(server, { t, owner, members: [member], ...(extra ? { extra } : {}) });
  const subOf = (rid: string, uid: string) => store().subscriptions.findByRoomAndUser(rid, uid);

  beforeAll(async () => {
    server = await startTestServer();
    owner = await server.createUser('jr-owner');
    member = await server.createUser('jr-member');
    joiner = await server.createUser('jr-joiner', { name: 'Joiner' });
    bot = await server.createUser('jr-bot', { roles: ['bot'] });
    [memberC, joinerC, botC] = await Promise.all([login('jr-member'), login('jr-joiner'), login('jr-bot')]);
    adminC = await login(ADMIN.username, ADMIN.password);
    anon = await TestClient.connect(server.url);
  });
  afterAll(async () => {
    for (const c of [memberC, joinerC, botC, adminC, anon]) c?.close();
    await server?.stop();
  });

  it('joins a public channel: true, subscription, usersCount + 1, `uj` by the joiner, events (none to non-members)', async () => {
    const r = await room('c');
    await botC.sub('stream-notify-user', [`${bot._id}/rooms-changed`, false]);
    const b = botC.mark();
    await joinerC.sub('stream-notify-user', [`${joiner._id}/subscriptions-changed`, false]);
    await joinerC.sub('stream-notify-user', [`${joiner._id}/rooms-changed`, false]);
    await memberC.sub('stream-room-messages', [r._id, false]);
    const j = joinerC.mark();
    const m = memberC.mark();

    expect(await joinerC.call('joinRoom', r._id)).toBe(true);

    const sub = (await subOf(r._id, joiner._id))!;
    expect(sub).toMatchObject({ rid: r._id, t: 'c', open: true, alert: true, unread: 1, userMentions: 1, groupMentions: 0, u: { _id: joiner._id, username: 'jr-joiner', name: 'Joiner' } });
    expect((await store().rooms.findById(r._id))!.usersCount).toBe(r.usersCount + 1);
    const [msg] = await store().messages.listHistory(r._id, {}, 1);
    expect(msg).toMatchObject({ t: 'uj', msg: 'jr-joiner', u: { _id: joiner._id, username: 'jr-joiner' } });

    const [action, published] = await joinerC.nextEvent('stream-notify-user', `${joiner._id}/subscriptions-changed`, () => true, { from: j });
    expect([action, published._id]).toEqual(['inserted', sub._id]);
    const [roomAction, roomDoc] = await joinerC.nextEvent('stream-notify-user', `${joiner._id}/rooms-changed`, () => true, { from: j });
    expect([roomAction, roomDoc._id]).toEqual(['inserted', r._id]);
    const [posted] = await memberC.nextEvent('stream-room-messages', r._id, () => true, { from: m });
    expect(posted).toMatchObject({ t: 'uj', msg: 'jr-joiner' });
    await botC.settle();
    expect(botC.frames.slice(b).filter((f) => f.collection === 'stream-notify-user')).toEqual([]);
  });

  it('already a member: empty result, nothing written', async () => {
    const r = await room('c');
    const raw = await memberC.callRaw('joinRoom', [r._id]);
    expect(raw).toEqual({ msg: 'result', id: raw.id });
    const after = (await store().rooms.findById(r._id))!;
    expect([after.usersCount, after.msgs]).toEqual([r.usersCount, 0]);
  });

  it('a private group can be "joined" only by someone who can already access it', async () => {
    const p = await room('p');
    expect(await joinerC.callError('joinRoom', p._id)).toMatchObject({ error: 'error-not-allowed', reason: 'Not allowed', details: { method: 'joinRoom' } });
    expect(await subOf(p._id, joiner._id)).toBeUndefined();
    expect((await adminC.callError('joinRoom', p._id)).error).toBe('error-not-allowed');
  });

  it('check 1: rid not a string → 400, before the login check', async () => {
    for (const params of [[], [5], [{ $ne: '' }]]) {
      expect(await joinerC.callError('joinRoom', ...params)).toMatchObject({ error: 400, reason: 'Match failed' });
    }
    expect((await anon.callError('joinRoom', 7)).error).toBe(400);
  });

  it('check 2: not logged in → error-invalid-user', async () => {
    const r = await room('c');
    expect(await anon.callError('joinRoom', r._id)).toMatchObject({ error: 'error-invalid-user', details: { method: 'joinRoom' } });
  });

  it('check 3: unknown room → error-invalid-room', async () => {
    expect(await joinerC.callError('joinRoom', 'no-such-room')).toMatchObject({ error: 'error-invalid-room', reason: 'Invalid room' });
  });

  it('check 4: a DM → error-not-allowed (even for a member)', async () => {
    const now = new Date();
    const dm: Room = { _id: `${member._id}${owner._id}`, t: 'd', usernames: ['jr-member', 'jr-owner'], uids: [member._id, owner._id].sort(), msgs: 0, usersCount: 2, ts: now, _updatedAt: now };
    await store().rooms.insert(dm);
    for (const u of [owner, member]) await store().subscriptions.insert(newRoomSubscription(objectId(), dm, u, {}));
    expect((await memberC.callError('joinRoom', dm._id)).error).toBe('error-not-allowed');
  });

  it('check 6: join code required — missing or wrong code → error-code-invalid; the right code joins', async () => {
    const r = await room('c', { joinCodeRequired: true, joinCode: '1234' });
    for (const code of [undefined, 'nope', 1234]) {
      const e = await joinerC.callError('joinRoom', r._id, code);
      expect(e).toMatchObject({ error: 'error-code-invalid', reason: 'Invalid Room Password', details: { method: 'joinRoom' } });
    }
    expect(await subOf(r._id, joiner._id)).toBeUndefined();
    expect(await joinerC.call('joinRoom', r._id, '1234')).toBe(true);
  });

  it('join-without-join-code: admins and bots skip the code; plain users do not', async () => {
    const r = await room('c', { joinCodeRequired: true, joinCode: 'secret' });
    expect(await adminC.call('joinRoom', r._id)).toBe(true);
    expect(await botC.call('joinRoom', r._id)).toBe(true);
    expect(await subOf(r._id, bot._id)).toBeDefined();
    expect((await joinerC.callError('joinRoom', r._id)).error).toBe('error-code-invalid');
  });

  it('decision (rooms.md §D.1): an archived room does not refuse joins', async () => {
    const r = await room('c', { archived: true });
    expect(await joinerC.call('joinRoom', r._id)).toBe(true);
  });
});

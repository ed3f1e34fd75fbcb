import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userRef } from '../../src/domain/projections.js';
import type { Message } from '../../src/domain/types.js';
import { randomId } from '../../src/lib/random.js';
import { makeRoom } from '../support/fixtures.js';
import { TestClient } from '../support/ddp-client.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { clientFor, insertMessage, makeDm, setSetting, uniq } from './messages-support.js';

describe('loadHistory (rooms.md A.13, findings §11)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('pages through 1,000 messages with end = the oldest ts so far: each message exactly once, in order', async () => {
    const owner = await server.createUser(uniq('own'));
    const room = await makeRoom(server, { owner });
    const store = server.orbit.services.store;
    const base = Date.now() - 60 * 60_000;
    const inserted: string[] = [];
    await store.transaction(async (tx) => {
      for (let i = 0; i < 1000; i++) {
        const m: Message = { _id: randomId(), rid: room._id, msg: `m${i}`, ts: new Date(base + i * 7), u: userRef(owner), _updatedAt: new Date() };
        await tx.messages.insert(m);
        inserted.push(m._id);
      }
    });
    const c = await clientFor(server, owner);
    const seen: string[] = [];
    let end: Date | null = null;
    for (let page = 0; page < 40; page++) {
      const res = await c.call('loadHistory', room._id, end, 64);
      if (res.messages.length === 0) break;
      const ts = res.messages.map((m: Message) => m.ts.getTime());
      expect(ts).toEqual([...ts].sort((a, b) => b - a)); // newest first
      seen.push(...res.messages.map((m: Message) => m._id));
      end = res.messages[res.messages.length - 1].ts;
    }
    expect(seen).toHaveLength(1000);
    expect(new Set(seen).size).toBe(1000);
    expect(seen.reverse()).toEqual(inserted);
  });

  it('result shape: newest first, default limit 20, unreadNotLoaded 0 and no firstUnread without ls', async () => {
    const owner = await server.createUser(uniq('own'));
    const room = await makeRoom(server, { owner });
    const c = await clientFor(server, owner);
    const sent: Message[] = [];
    for (let i = 0; i < 25; i++) sent.push(await c.call('sendMessage', { rid: room._id, msg: `n${i}` }));
    const res = await c.call('loadHistory', room._id);
    expect(Object.keys(res)).toEqual(['messages', 'unreadNotLoaded']);
    expect(res.unreadNotLoaded).toBe(0);
    expect(res.messages).toHaveLength(20);
    expect(res.messages[0]).toEqual(sent[24]);
    expect(res.messages.map((m: Message) => m.msg)).toEqual(sent.slice(5).reverse().map((m) => m.msg));
    const empty = await makeRoom(server, { owner });
    const raw = await c.callRaw('loadHistory', [empty._id, null, 10]);
    expect(raw.result).toEqual({ messages: [], unreadNotLoaded: 0 });
  });

  it('ls: firstUnread is the oldest unread message not loaded, unreadNotLoaded counts them (a date or a date string)', async () => {
    const owner = await server.createUser(uniq('own'));
    const room = await makeRoom(server, { owner });
    const base = Date.now() - 10 * 60_000;
    const ms: Message[] = [];
    for (let i = 0; i < 10; i++) ms.push(await insertMessage(server, room, owner, { ts: new Date(base + i * 1000), msg: `u${i}` }));
    const c = await clientFor(server, owner);
    const ls = new Date(base + 2500); // u3..u9 are unread
    const res = await c.call('loadHistory', room._id, null, 3, ls);
    expect(res.messages.map((m: Message) => m.msg)).toEqual(['u9', 'u8', 'u7']);
    expect(res.firstUnread).toEqual(ms[3]);
    expect(res.unreadNotLoaded).toBe(4);
    const asString = await c.call('loadHistory', room._id, null, 3, ls.toISOString());
    expect(asString.unreadNotLoaded).toBe(4);
    const allLoaded = await c.call('loadHistory', room._id, null, 20, ls);
    expect(allLoaded.unreadNotLoaded).toBe(0);
    expect(allLoaded).not.toHaveProperty('firstUnread');
  });

  it('leaves out hidden messages, the room\'s hidden system types, and (showThreadMessages false) thread-only replies', async () => {
    const owner = await server.createUser(uniq('own'));
    const room = await makeRoom(server, { owner, extra: { sysMes: ['uj'] } });
    const c = await clientFor(server, owner);
    const root = await c.call('sendMessage', { rid: room._id, msg: 'root' });
    await insertMessage(server, room, owner, { t: 'uj', msg: owner.username! });
    await insertMessage(server, room, owner, { t: 'ul', msg: owner.username! });
    await insertMessage(server, room, owner, { _hidden: true, msg: 'hidden' });
    await c.call('sendMessage', { rid: room._id, msg: 'thread only', tmid: root._id });
    await c.call('sendMessage', { rid: room._id, msg: 'shown too', tmid: root._id, tshow: true });
    const all = await c.call('loadHistory', room._id, null, 50);
    expect(all.messages.map((m: Message) => m.msg).sort()).toEqual(['root', 'shown too', 'thread only', owner.username].sort());
    const noThreads = await c.call('loadHistory', room._id, null, 50, null, false);
    expect(noThreads.messages.map((m: Message) => m.msg).sort()).toEqual(['root', 'shown too', owner.username].sort());
  });

  it('false for an unknown room, a private room of others, and a public room for a non-member without preview-c-room (bot)', async () => {
    const owner = await server.createUser(uniq('own'));
    const priv = await makeRoom(server, { t: 'p', owner });
    const pub = await makeRoom(server, { t: 'c', owner });
    await insertMessage(server, pub, owner, { msg: 'public' });
    const user = await server.createUser(uniq('usr'));
    const bot = await server.createUser(uniq('bot'), { roles: ['bot'] });
    const uc = await clientFor(server, user);
    const bc = await clientFor(server, bot);
    expect((await uc.callRaw('loadHistory', ['no-such-room'])).result).toBe(false);
    expect((await uc.callRaw('loadHistory', [priv._id])).result).toBe(false);
    expect((await bc.callRaw('loadHistory', [pub._id])).result).toBe(false);
    // A plain user previews public rooms (preview-c-room).
    expect((await uc.call('loadHistory', pub._id)).messages.map((m: Message) => m.msg)).toEqual(['public']);
    // DMs of others are invisible.
    const a = await server.createUser(uniq('a'));
    const dm = await makeDm(server, owner, a);
    expect((await uc.callRaw('loadHistory', [dm._id])).result).toBe(false);
    expect((await (await clientFor(server, a)).call('loadHistory', dm._id)).messages).toEqual([]);
  });

  it('400 for a non-string rid; error-invalid-user when logged out, unless Accounts_AllowAnonymousRead (public rooms only)', async () => {
    const owner = await server.createUser(uniq('own'));
    const pub = await makeRoom(server, { owner });
    const priv = await makeRoom(server, { t: 'p', owner });
    await insertMessage(server, pub, owner, { msg: 'visible' });
    const anon = await TestClient.connect(server.url);
    expect((await anon.callError('loadHistory', 5)).error).toBe(400);
    expect(await anon.callError('loadHistory', pub._id)).toMatchObject({ error: 'error-invalid-user', details: { method: 'loadHistory' } });
    await setSetting(server, 'Accounts_AllowAnonymousRead', true);
    try {
      expect((await anon.call('loadHistory', pub._id)).messages.map((m: Message) => m.msg)).toEqual(['visible']);
      expect((await anon.callRaw('loadHistory', [priv._id])).result).toBe(false);
    } finally {
      await setSetting(server, 'Accounts_AllowAnonymousRead', false);
    }
    anon.close();
  });

  it('UI_Use_Real_Name fills u.name and mentions[].name from the users\' current names', async () => {
    const owner = await server.createUser(uniq('own'), { name: 'Old Name' });
    const room = await makeRoom(server, { owner });
    const c = await clientFor(server, owner);
    await c.call('sendMessage', { rid: room._id, msg: `self @${owner.username}` });
    await server.orbit.services.store.users.update(owner._id, { set: { name: 'New Name' } });
    expect((await c.call('loadHistory', room._id)).messages[0].u.name).toBe('Old Name');
    await setSetting(server, 'UI_Use_Real_Name', true);
    try {
      const [m] = (await c.call('loadHistory', room._id)).messages;
      expect(m.u.name).toBe('New Name');
      expect(m.mentions[0].name).toBe('New Name');
    } finally {
      await setSetting(server, 'UI_Use_Real_Name', false);
    }
  });

  it('starred is reduced to the caller\'s own entry', async () => {
    const owner = await server.createUser(uniq('own'));
    const other = await server.createUser(uniq('oth'));
    const third = await server.createUser(uniq('thd'));
    const room = await makeRoom(server, { owner, members: [other, third] });
    await insertMessage(server, room, owner, { msg: 'star me', starred: [{ _id: owner._id }, { _id: other._id }] } as Partial<Message>);
    const load = async (u: typeof owner) => (await (await clientFor(server, u)).call('loadHistory', room._id)).messages[0];
    expect((await load(owner)).starred).toEqual([{ _id: owner._id }]);
    expect((await load(other)).starred).toEqual([{ _id: other._id }]);
    expect((await load(third)).starred).toEqual([]);
  });

  it('UI_Use_Real_Name fills reactions[*].names from the reactors\' current names (the username when a reactor has none)', async () => {
    const owner = await server.createUser(uniq('own'), { name: 'Owner Person' });
    const fan = await server.createUser(uniq('fan'), { name: 'Fan Person' });
    const room = await makeRoom(server, { owner, members: [fan] });
    await insertMessage(server, room, owner, { msg: 'react to me', reactions: { ':+1:': { usernames: [fan.username!, owner.username!, 'gone-user'] } } });
    const c = await clientFor(server, owner);
    const [plain] = (await c.call('loadHistory', room._id)).messages;
    expect(plain.reactions).toEqual({ ':+1:': { usernames: [fan.username, owner.username, 'gone-user'] } });
    await setSetting(server, 'UI_Use_Real_Name', true);
    try {
      const [m] = (await c.call('loadHistory', room._id)).messages;
      expect(m.reactions).toEqual({
        ':+1:': { usernames: [fan.username, owner.username, 'gone-user'], names: ['Fan Person', 'Owner Person', 'gone-user'] },
      });
    } finally {
      await setSetting(server, 'UI_Use_Real_Name', false);
    }
  });
});

describe('loadHistory limit cap', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ ORBIT_HISTORY_MAX_LIMIT: '30' });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('decision: limit is capped at the configured historyMaxLimit — Rocket.Chat passes any limit (or 0 = all) to the database, a hole', async () => {
    const owner = await server.createUser(uniq('own'));
    const room = await makeRoom(server, { owner });
    for (let i = 0; i < 40; i++) await insertMessage(server, room, owner, { ts: new Date(Date.now() - 60_000 + i), msg: `c${i}` });
    const c = await clientFor(server, owner);
    expect((await c.call('loadHistory', room._id, null, 1_000_000)).messages).toHaveLength(30);
    expect((await c.call('loadHistory', room._id, null, 0)).messages).toHaveLength(30);
    expect((await c.call('loadHistory', room._id, null, -5)).messages).toHaveLength(30);
    expect((await c.call('loadHistory', room._id, null, 25)).messages).toHaveLength(25);
  });
});

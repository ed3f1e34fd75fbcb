import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { User } from '../../src/domain/types.js';
import { TestClient } from '../support/ddp-client.js';
import { makeRoom } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import {
  connectAs,
  expectError,
  expectMatchFailed,
  expectNothingAbout,
  roomEvent,
  subEvent,
  unique,
  watchUser,
} from './rooms-support.js';

describe('createChannel / createPrivateGroup', () => {
  let server: TestServer;
  let alice: User;
  let bob: User;
  let carol: User;
  let guest: User;
  let bot: User;
  let a: TestClient;

  beforeAll(async () => {
    server = await startTestServer();
    alice = await server.createUser('alice', { name: 'Alice A' });
    bob = await server.createUser('bob', { name: 'Bob B' });
    carol = await server.createUser('carol');
    guest = await server.createUser('gus', { roles: ['guest'] });
    bot = await server.createUser('robo', { roles: ['bot'] });
    a = await connectAs(server, alice);
  });
  afterAll(async () => {
    await server?.stop();
  });

  const store = () => server.orbit.services.store;

  for (const [method, t] of [
    ['createChannel', 'c'],
    ['createPrivateGroup', 'p'],
  ] as const) {
    describe(method, () => {
      it('creates the room: result is {rid, inserted, ...room as inserted}; decision (rooms.md §D3): default false, sysMes true', async () => {
        const name = unique(t === 'c' ? 'chan' : 'grp');
        const r = await a.call(method, name, ['bob', 'nobody-such'], false, {}, {});
        expect(r).toEqual({
          rid: r._id,
          inserted: true,
          _id: expect.any(String),
          fname: name,
          customFields: {},
          name,
          t,
          msgs: 0,
          usersCount: 0,
          u: { _id: alice._id, username: 'alice', name: 'Alice A' },
          ts: expect.any(Date),
          ro: false,
          default: false,
          sysMes: true,
          _updatedAt: expect.any(Date),
        });
        // Stored: unknown members skipped, creator added, usersCount = subscriptions created.
        const room = await a.call('getRoomById', r.rid);
        expect(room).toMatchObject({ _id: r.rid, t, name, fname: name, usersCount: 2, msgs: 0, ro: false });
        const subs = await store().subscriptions.listByRoom(r.rid);
        expect(subs.map((s) => s.u.username).sort()).toEqual(['alice', 'bob']);
        const own = subs.find((s) => s.u._id === alice._id)!;
        expect(own).toMatchObject({
          rid: r.rid, t, name, fname: name, open: true, alert: false, unread: 0, userMentions: 0, groupMentions: 0,
          roles: ['owner'], u: { _id: alice._id, username: 'alice', name: 'Alice A' },
        });
        expect(own.ls).toBeInstanceOf(Date);
        expect(own.ts.getTime()).toBe(r.ts.getTime());
        const other = subs.find((s) => s.u._id === bob._id)!;
        expect(other).toMatchObject({ open: true, alert: false, unread: 0, userMentions: 0, groupMentions: 0 });
        expect(other.roles).toBeUndefined();
        expect(other.ls).toBeUndefined();
        // No system message (no uj/au).
        expect(await store().messages.listHistory(r.rid, {}, 10)).toEqual([]);
      });

      it('members see sub-changed(inserted) and rooms-changed(inserted); a non-member sees nothing', async () => {
        const b = await connectAs(server, bob);
        const c = await connectAs(server, carol);
        const a2 = await connectAs(server, alice);
        await Promise.all([watchUser(b), watchUser(c), watchUser(a2)]);
        const fb = b.mark();
        const fc = c.mark();
        const fa = a2.mark();
        const name = unique('ev');
        const r = await a.call(method, name, ['bob']);
        const [action, sub] = await subEvent(b, (x) => x[1]?.rid === r.rid, fb);
        expect(action).toBe('inserted');
        expect(sub).toMatchObject({ rid: r.rid, t, name, u: { _id: bob._id }, open: true, _updatedAt: expect.any(Date) });
        const [raction, room] = await roomEvent(b, (x) => x[1]?._id === r.rid, fb);
        expect(raction).toBe('inserted');
        expect(room).toMatchObject({ _id: r.rid, t, name, usersCount: 2 });
        const [ownAction, ownSub] = await subEvent(a2, (x) => x[1]?.rid === r.rid, fa);
        expect(ownAction).toBe('inserted');
        expect(ownSub.roles).toEqual(['owner']);
        await expectNothingAbout(c, r.rid, fc);
        // One rooms-changed event per member for the creation.
        expect(b.events('stream-notify-user', `${bob._id}/rooms-changed`).filter((x: any) => x[1]?._id === r.rid)).toHaveLength(1);
        for (const x of [b, c, a2]) x.close();
      });

      it('keeps fname as typed and validates the trimmed name', async () => {
        const name = unique('trim');
        const r = await a.call(method, `  ${name}  `);
        expect(r.name).toBe(name);
        expect(r.fname).toBe(`  ${name}  `);
      });

      it('readOnly true → ro; broadcast forces ro', async () => {
        const ro = await a.call(method, unique('ro'), [], true);
        expect(ro.ro).toBe(true);
        const notTrue = await a.call(method, unique('ro2'), [], 'true');
        expect(notTrue.ro).toBe(false);
        const bc = await a.call(method, unique('bc'), [], false, {}, { broadcast: true });
        expect(bc).toMatchObject({ ro: true, broadcast: true });
      });

      it('decision: extraData keeps only broadcast/encrypted/topic/description/announcement of the right type', async () => {
        const r = await a.call(method, unique('extra'), [], false, { color: 'red' }, {
          topic: 'hello', description: 'desc', announcement: 'ann', encrypted: false,
          default: true, featured: true, joinCode: 'secret', usersCount: 99, broadcast: 'yes',
        });
        expect(r).toMatchObject({ topic: 'hello', description: 'desc', announcement: 'ann', encrypted: false, customFields: { color: 'red' } });
        expect(r.default).toBe(false);
        expect(r.usersCount).toBe(0);
        for (const k of ['featured', 'joinCode', 'broadcast']) expect(r[k]).toBeUndefined();
        const stored = await store().rooms.findById(r.rid);
        expect(stored?.joinCode).toBeUndefined();
        expect(stored?.usersCount).toBe(1);
      });

      it('type checks: 400 for a non-string name or members that are not an array of strings', async () => {
        await expectMatchFailed(a, method, []);
        await expectMatchFailed(a, method, [{ name: 'x' }]);
        await expectMatchFailed(a, method, [['x']]);
        await expectMatchFailed(a, method, [42]);
        await expectMatchFailed(a, method, [unique('m'), 'bob']);
        await expectMatchFailed(a, method, [unique('m'), [1]]);
        await expectMatchFailed(a, method, [unique('m'), null]);
        await expectMatchFailed(a, method, [unique('m'), [{ username: 'bob' }]]);
      });

      it('decision: customFields / extraData that are not objects → 400', async () => {
        await expectMatchFailed(a, method, [unique('m'), [], false, 'str']);
        await expectMatchFailed(a, method, [unique('m'), [], false, {}, ['x']]);
        await expectMatchFailed(a, method, [unique('m'), [], false, {}, 7]);
      });

      it('not logged in → error-invalid-user (before the type checks)', async () => {
        const anon = await TestClient.connect(server.url);
        await expectError(anon, method, [unique('x')], 'error-invalid-user', { method });
        await expectError(anon, method, [{}], 'error-invalid-user', { method });
        anon.close();
      });

      it('decision: any teamId → error-team-not-found (teams are out of scope)', async () => {
        const err = await expectError(a, method, [unique('team'), [], false, {}, { teamId: 'T1' }], 'error-team-not-found', { method });
        expect(err.reason).toBe('The "teamId" param provided does not match any team');
      });

      it(`permission create-${t}: refused to a guest, allowed to a bot`, async () => {
        const g = await connectAs(server, guest);
        const name = unique('perm');
        await expectError(g, method, [name], 'error-not-allowed', { method });
        expect(await store().rooms.findByName(name)).toBeUndefined();
        g.close();
        const r = await connectAs(server, bot);
        const created = await r.call(method, name);
        expect(created.u).toMatchObject({ _id: bot._id, username: 'robo' });
        r.close();
      });

      it('federated member names → error-federated-users-in-non-federated-rooms', async () => {
        await expectError(a, method, [unique('fed'), ['@x:matrix.org']], 'error-federated-users-in-non-federated-rooms', {
          method: 'createRoom',
        });
      });

      it('empty or blank name → error-invalid-name', async () => {
        await expectError(a, method, [''], 'error-invalid-name', { function: 'RocketChat.createRoom' });
        await expectError(a, method, ['   '], 'error-invalid-name', { function: 'RocketChat.createRoom' });
      });

      it('name validation (model.md §9): invalid characters, HTML-escaped in reason and details', async () => {
        const err = await expectError(a, method, ['bad name'], 'error-invalid-room-name', {
          function: 'RocketChat.getValidRoomName',
          channel_name: 'bad name',
        });
        expect(err.reason).toBe('bad name is not a valid room name.');
        await expectError(a, method, ['<b>'], 'error-invalid-room-name', {
          function: 'RocketChat.getValidRoomName',
          channel_name: '&lt;b&gt;',
        });
      });

      it('name taken → error-duplicate-channel-name; by an archived room → error-archived-duplicate-name', async () => {
        const taken = unique('taken');
        await makeRoom(server, { owner: bob, name: taken, t: t === 'c' ? 'p' : 'c' });
        const dup = await expectError(a, method, [taken], 'error-duplicate-channel-name', {
          function: 'RocketChat.getValidRoomName',
          channel_name: taken,
        });
        expect(dup.reason).toBe(`A channel with name '${taken}' exists`);
        const archived = unique('arch');
        await makeRoom(server, { owner: bob, name: archived, extra: { archived: true } });
        const arch = await expectError(a, method, [archived], 'error-archived-duplicate-name', {
          function: 'RocketChat.getValidRoomName',
          channel_name: archived,
        });
        expect(arch.reason).toBe(`There's an archived channel with name ${archived}`);
      });

      it('the name rule follows UTF8_Channel_Names_Validation', async () => {
        await server.orbit.services.settings.set('UTF8_Channel_Names_Validation', '[a-z]+');
        try {
          await expectError(a, method, ['abc1'], 'error-invalid-room-name');
          const name = `x${Date.now().toString(36).replace(/[0-9]/g, 'q')}${t}`;
          expect((await a.call(method, name)).name).toBe(name);
        } finally {
          await server.orbit.services.settings.set('UTF8_Channel_Names_Validation', '[0-9a-zA-Z-_.]+');
        }
      });
    });
  }

  it('createPrivateGroup rows 7/8: a caller without username gets error-invalid-name for a blank name, then error-invalid-user {function: RocketChat.createRoom}', async () => {
    const user = await server.createUser(unique('nameless'));
    const c = await connectAs(server, user);
    await store().users.update(user._id, { unset: ['username'] });
    await expectError(c, 'createPrivateGroup', ['  '], 'error-invalid-name', { function: 'RocketChat.createRoom' });
    const name = unique('nameless-grp');
    const err = await expectError(c, 'createPrivateGroup', [name], 'error-invalid-user', { function: 'RocketChat.createRoom' });
    expect(err.reason).toBe('Invalid user');
    expect(await store().rooms.findByName(name)).toBeUndefined();
    c.close();
  });

  it('a private group is visible to its members only; a channel to every user', async () => {
    const grp = await a.call('createPrivateGroup', unique('priv'), ['bob']);
    const chan = await a.call('createChannel', unique('pub'));
    const b = await connectAs(server, bob);
    const c = await connectAs(server, carol);
    expect((await b.call('getRoomById', grp.rid))._id).toBe(grp.rid);
    await expectError(c, 'getRoomById', [grp.rid], 'error-not-allowed', { method: 'getRoomById' });
    expect((await c.call('getRoomById', chan.rid))._id).toBe(chan.rid);
    b.close();
    c.close();
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Room, User } from '../../src/domain/types.js';
import { TestClient } from '../support/ddp-client.js';
import { makeRoom } from '../support/fixtures.js';
import { ADMIN, startTestServer, type TestServer } from '../support/test-server.js';
import {
  connectAs,
  expectError,
  expectMatchFailed,
  expectNothingAbout,
  messageEvent,
  roomEvent,
  subEvent,
  unique,
  watchRoom,
  watchUser,
} from './rooms-support.js';

describe('archiveRoom / unarchiveRoom', () => {
  let server: TestServer;
  let owner: User;
  let mod: User;
  let member: User;
  let outsider: User;
  let admin: User;
  let ow: TestClient;
  let adm: TestClient;

  beforeAll(async () => {
    server = await startTestServer();
    owner = await server.createUser('owen');
    mod = await server.createUser('moe');
    member = await server.createUser('mia');
    outsider = await server.createUser('otto');
    admin = (await server.orbit.services.store.users.findByUsername(ADMIN.username))!;
    ow = await connectAs(server, owner);
    adm = await connectAs(server, ADMIN.username, ADMIN.password);
  });
  afterAll(async () => {
    await server?.stop();
  });

  const store = () => server.orbit.services.store;

  /** A private room: owen owner, moe moderator, mia plain member. */
  async function room(): Promise<Room> {
    const r = await makeRoom(server, { owner, members: [mod, member], name: unique('arch'), t: 'p' });
    const modSub = (await store().subscriptions.findByRoomAndUser(r._id, mod._id))!;
    await store().subscriptions.update(modSub._id, { addToSet: { roles: 'moderator' } });
    return r;
  }

  describe('archiveRoom', () => {
    it('archives: room archived, every subscription closed and archived, room-archived message; events to members only', async () => {
      const r = await room();
      const m = await connectAs(server, member);
      const o = await connectAs(server, outsider);
      await Promise.all([watchUser(m), watchUser(o)]);
      await watchRoom(m, r._id);
      const fm = m.mark();
      const fo = o.mark();
      const raw = await ow.callRaw('archiveRoom', [r._id]);
      expect(raw.error).toBeUndefined();
      expect('result' in raw).toBe(false);

      const stored = await ow.call('getRoomById', r._id);
      expect(stored).toMatchObject({ archived: true, msgs: 1 });
      for (const s of await store().subscriptions.listByRoom(r._id)) {
        expect(s).toMatchObject({ archived: true, open: false, alert: false });
      }
      const [msg] = await messageEvent(m, r._id, (x) => x[0]?.t === 'room-archived', fm);
      expect(msg).toMatchObject({ rid: r._id, t: 'room-archived', msg: '', u: { _id: owner._id, username: 'owen' }, groupable: false });
      const [action, sub] = await subEvent(m, (x) => x[1]?.rid === r._id, fm);
      expect(action).toBe('updated');
      expect(sub).toMatchObject({ archived: true, open: false, alert: false, u: { _id: member._id } });
      const [raction, rroom] = await roomEvent(m, (x) => x[1]?._id === r._id && x[1]?.archived === true, fm);
      expect(raction).toBe('updated');
      expect(rroom.msgs).toBe(1);
      await expectNothingAbout(o, r._id, fo);
      m.close();
      o.close();
    });

    it('no "already archived" check: archiving again repeats the effects (a second system message)', async () => {
      const r = await room();
      await ow.call('archiveRoom', r._id);
      await ow.call('archiveRoom', r._id);
      const msgs = await store().messages.listHistory(r._id, {}, 10);
      expect(msgs.map((x) => x.t)).toEqual(['room-archived', 'room-archived']);
      expect((await store().rooms.findById(r._id))?.msgs).toBe(2);
    });

    it('permission archive-room@room: owner and admin (non-member) allowed; moderator and member refused', async () => {
      const r = await room();
      for (const u of [mod, member, outsider]) {
        const c = await connectAs(server, u);
        await expectError(c, 'archiveRoom', [r._id], 'error-not-authorized', { method: 'archiveRoom' });
        c.close();
      }
      expect((await store().rooms.findById(r._id))?.archived).toBeUndefined();
      expect(await store().messages.listHistory(r._id, {}, 10)).toEqual([]);
      const r2 = await room();
      await adm.call('archiveRoom', r2._id);
      expect((await store().rooms.findById(r2._id))?.archived).toBe(true);
      expect((await store().messages.listHistory(r2._id, {}, 1))[0]?.u._id).toBe(admin._id);
    });

    it('a DM cannot be archived → error-direct-message-room', async () => {
      const { rid } = await adm.call('createDirectMessage', 'owen');
      const err = await expectError(adm, 'archiveRoom', [rid], 'error-direct-message-room', { method: 'archiveRoom' });
      expect(err.reason).toBe('rooms type: d can not be archived');
    });

    it('errors in order: not logged in (before the type check), 400, unknown room', async () => {
      const anon = await TestClient.connect(server.url);
      await expectError(anon, 'archiveRoom', [{ bad: 1 }], 'error-invalid-user', { method: 'archiveRoom' });
      await expectError(anon, 'archiveRoom', ['x'], 'error-invalid-user', { method: 'archiveRoom' });
      anon.close();
      await expectMatchFailed(ow, 'archiveRoom', []);
      await expectMatchFailed(ow, 'archiveRoom', [['x']]);
      await expectMatchFailed(ow, 'archiveRoom', [{ rid: 'x' }]);
      await expectError(ow, 'archiveRoom', ['nope'], 'error-invalid-room', { method: 'archiveRoom' });
    });
  });

  it('check 3: a logged-in caller whose record has no username → error-invalid-user (before the room lookup)', async () => {
    const user = await server.createUser(unique('nameless'));
    const c = await connectAs(server, user);
    await store().users.update(user._id, { unset: ['username'] });
    const r = await room();
    for (const method of ['archiveRoom', 'unarchiveRoom']) {
      for (const rid of [r._id, 'nope']) {
        const err = await expectError(c, method, [rid], 'error-invalid-user', { method });
        expect(err.reason).toBe('Invalid user');
      }
    }
    expect((await store().rooms.findById(r._id))?.archived).toBeUndefined();
    c.close();
  });

  describe('unarchiveRoom', () => {
    it('admin unarchives: room and subscriptions reopened, room-unarchived message; events to members only', async () => {
      const r = await room();
      await ow.call('archiveRoom', r._id);
      const m = await connectAs(server, member);
      const o = await connectAs(server, outsider);
      await Promise.all([watchUser(m), watchUser(o)]);
      await watchRoom(m, r._id);
      const fm = m.mark();
      const fo = o.mark();
      const raw = await adm.callRaw('unarchiveRoom', [r._id]);
      expect(raw.error).toBeUndefined();
      expect('result' in raw).toBe(false);
      expect(await store().rooms.findById(r._id)).toMatchObject({ archived: false, msgs: 2 });
      for (const s of await store().subscriptions.listByRoom(r._id)) {
        expect(s).toMatchObject({ archived: false, open: true, alert: false });
      }
      const [msg] = await messageEvent(m, r._id, (x) => x[0]?.t === 'room-unarchived', fm);
      expect(msg).toMatchObject({ t: 'room-unarchived', msg: '', u: { _id: admin._id, username: 'admin' } });
      const [action, sub] = await subEvent(m, (x) => x[1]?.rid === r._id, fm);
      expect(action).toBe('updated');
      expect(sub).toMatchObject({ archived: false, open: true });
      const [, rroom] = await roomEvent(m, (x) => x[1]?._id === r._id && x[1]?.archived === false, fm);
      expect(rroom.msgs).toBe(2);
      await expectNothingAbout(o, r._id, fo);
      m.close();
      o.close();
    });

    it('permission unarchive-room@room is admin only: the owner is refused', async () => {
      const r = await room();
      await ow.call('archiveRoom', r._id);
      await expectError(ow, 'unarchiveRoom', [r._id], 'error-not-authorized', { method: 'unarchiveRoom' });
      const c = await connectAs(server, member);
      await expectError(c, 'unarchiveRoom', [r._id], 'error-not-authorized', { method: 'unarchiveRoom' });
      c.close();
      expect((await store().rooms.findById(r._id))?.archived).toBe(true);
    });

    it('no room-type check: an admin may "unarchive" a DM', async () => {
      const { rid } = await adm.call('createDirectMessage', 'mia');
      await adm.call('unarchiveRoom', rid);
      expect((await store().rooms.findById(rid))?.archived).toBe(false);
    });

    it('errors in order: not logged in (before the type check), 400, unknown room', async () => {
      const anon = await TestClient.connect(server.url);
      await expectError(anon, 'unarchiveRoom', [42], 'error-invalid-user', { method: 'unarchiveRoom' });
      anon.close();
      await expectMatchFailed(adm, 'unarchiveRoom', []);
      await expectMatchFailed(adm, 'unarchiveRoom', [{ rid: 'x' }]);
      await expectError(adm, 'unarchiveRoom', ['nope'], 'error-invalid-room', { method: 'unarchiveRoom' });
    });
  });
});

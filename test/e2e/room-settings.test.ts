import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newRoomSubscription } from '../../src/domain/subscriptions.js';
import type { Room, User } from '../../src/domain/types.js';
import { objectId } from '../../src/lib/random.js';
import { TestClient } from '../support/ddp-client.js';
import { makeRoom } from '../support/fixtures.js';
import { ADMIN, startTestServer, type TestServer } from '../support/test-server.js';

const M = 'saveRoomSettings';
const OK = (rid: string) => ({ result: true, rid });

describe('saveRoomSettings', () => {
  let server: TestServer;
  let owner: User, mod: User, member: User, outsider: User, guest: User;
  let ownerC: TestClient, modC: TestClient, memberC: TestClient, outsiderC: TestClient, guestC: TestClient, adminC: TestClient, anon: TestClient;
  let seq = 0;

  const login = async (username: string, password = `${username}-pass`) => {
    const c = await TestClient.connect(server.url);
    await c.login(username, password);
    return c;
  };
  const store = () => server.orbit.services.store;
  const settings = () => server.orbit.services.settings;
  const room = async (t: 'c' | 'p' = 'c', extra?: Partial<Room>, by: User = owner) => {
    const r = await makeRoom(server, { t, owner: by, members: [mod, member], name: `rs-${++seq}`, ...(extra ? { extra } : {}) });
    const modSub = (await store().subscriptions.findByRoomAndUser(r._id, mod._id))!;
    await store().subscriptions.update(modSub._id, { set: { roles: ['moderator'] } });
    return r;
  };
  const dm = async (a: User, b: User) => {
    const now = new Date();
    const d: Room = { _id: objectId(), t: 'd', usernames: [a.username!, b.username!].sort(), uids: [a._id, b._id].sort(), msgs: 0, usersCount: 2, ts: now, _updatedAt: now };
    await store().rooms.insert(d);
    for (const u of [a, b]) await store().subscriptions.insert(newRoomSubscription(objectId(), d, u, {}));
    return d;
  };
  const stored = async (rid: string) => (await store().rooms.findById(rid))!;
  const history = async (rid: string) => (await store().messages.listHistory(rid, {}, 50)).reverse();
  const types = async (rid: string) => (await history(rid)).map((m) => [m.t, m.msg]);
  const withSetting = async (id: string, value: unknown, fn: () => Promise<void>) => {
    const before = settings().get(id);
    await settings().set(id, value);
    try {
      await fn();
    } finally {
      await settings().set(id, before);
    }
  };

  beforeAll(async () => {
    server = await startTestServer();
    owner = await server.createUser('rs-owner');
    mod = await server.createUser('rs-mod');
    member = await server.createUser('rs-member');
    outsider = await server.createUser('rs-outsider');
    guest = await server.createUser('rs-guest', { roles: ['guest'] });
    [ownerC, modC, memberC, outsiderC, guestC] = await Promise.all(['rs-owner', 'rs-mod', 'rs-member', 'rs-outsider', 'rs-guest'].map((u) => login(u)));
    adminC = await login(ADMIN.username, ADMIN.password);
    anon = await TestClient.connect(server.url);
  });
  afterAll(async () => {
    for (const c of [ownerC, modC, memberC, outsiderC, guestC, adminC, anon]) c?.close();
    await server?.stop();
  });

  describe('call forms, checks and permission', () => {
    it('[rid, setting, value]: {result: true, rid}, the change, its system message and events to members only', async () => {
      const r = await room('p');
      await memberC.sub('stream-notify-user', [`${member._id}/rooms-changed`, false]);
      await memberC.sub('stream-room-messages', [r._id, false]);
      await outsiderC.sub('stream-notify-user', [`${outsider._id}/rooms-changed`, false]);
      const m = memberC.mark();
      const o = outsiderC.mark();

      expect(await ownerC.call(M, r._id, 'roomTopic', 'release planning')).toEqual(OK(r._id));

      expect((await stored(r._id)).topic).toBe('release planning');
      const [msg] = await history(r._id);
      expect(msg).toMatchObject({ t: 'room_changed_topic', msg: 'release planning', u: { _id: owner._id, username: 'rs-owner' } });
      const [action, changed] = await memberC.nextEvent('stream-notify-user', `${member._id}/rooms-changed`, () => true, { from: m });
      expect([action, changed._id, changed.topic]).toEqual(['updated', r._id, 'release planning']);
      const [posted] = await memberC.nextEvent('stream-room-messages', r._id, () => true, { from: m });
      expect(posted).toMatchObject({ _id: msg!._id, t: 'room_changed_topic' });
      await outsiderC.settle();
      expect(outsiderC.frames.slice(o).filter((f) => f.collection === 'stream-notify-user')).toEqual([]);
    });

    it('[rid, {settings}]: every setting saved, in key order', async () => {
      const r = await room();
      expect(await ownerC.call(M, r._id, { roomDescription: 'd', roomTopic: 't', roomAnnouncement: 'a' })).toEqual(OK(r._id));
      const after = await stored(r._id);
      expect([after.description, after.topic, after.announcement]).toEqual(['d', 't', 'a']);
      expect(await types(r._id)).toEqual([
        ['room_changed_description', 'd'],
        ['room_changed_topic', 't'],
        ['room_changed_announcement', 'a'],
      ]);
    });

    it('check 1: not logged in → error-invalid-user with {function: "RocketChat.saveRoomName"} (sic)', async () => {
      const r = await room();
      const e = await anon.callError(M, r._id, 'roomTopic', 'x');
      expect(e).toMatchObject({ error: 'error-invalid-user', reason: 'Invalid user' });
      expect(e.details).toEqual({ function: 'RocketChat.saveRoomName' });
    });

    it('check 2: rid not a string → error-invalid-room', async () => {
      for (const rid of [5, { $ne: 1 }, undefined]) {
        expect(await ownerC.callError(M, rid, 'roomTopic', 'x')).toMatchObject({ error: 'error-invalid-room', details: { method: M } });
      }
    });

    it('check 3: an unknown key → error-invalid-settings and nothing saved', async () => {
      const r = await room();
      for (const params of [['sidepanel', {}], ['foo', 1], [{ roomTopic: 'x', name: 'y' }], [['roomTopic']], [undefined]]) {
        const e = await ownerC.callError(M, r._id, ...params);
        expect(e).toMatchObject({ error: 'error-invalid-settings', reason: 'Invalid settings provided', details: { method: M } });
      }
      expect((await stored(r._id)).topic).toBeUndefined();
    });

    it('decision: null settings (Rocket.Chat: 500) → error-invalid-settings', async () => {
      const r = await room();
      expect((await ownerC.callError(M, r._id, null)).error).toBe('error-invalid-settings');
    });

    it('decision: a value of the wrong type → 400 Match failed, after the spec\'s checks and validators, before any saver', async () => {
      const r = await room();
      const bad: Array<[string, unknown]> = [
        ['roomName', { x: 1 }], ['roomTopic', ['t']], ['roomDescription', 5], ['roomAnnouncement', { style: 'x' }],
        ['readOnly', 'true'], ['reactWhenReadOnly', 1], ['default', 'yes'], ['favorite', true],
      ];
      for (const [key, value] of bad) {
        expect(await adminC.callError(M, r._id, key, value)).toMatchObject({ error: 400, reason: 'Match failed' });
      }
      // The spec's own errors come first: unknown room, edit-room, the per-setting validators.
      expect((await ownerC.callError(M, 'no-such-room', 'roomTopic', {})).error).toBe('error-invalid-room');
      expect(await outsiderC.callError(M, r._id, 'roomTopic', {})).toMatchObject({ error: 'error-action-not-allowed', details: { method: M, action: 'Editing_room' } });
      expect((await ownerC.callError(M, r._id, 'default', 'yes')).details).toEqual({ method: M, action: 'Viewing_room_administration' });
      // Nothing is written when a later value has the wrong type.
      expect((await ownerC.callError(M, r._id, { roomTopic: 'kept?', readOnly: 'yes' })).error).toBe(400);
      expect((await stored(r._id)).topic).toBeUndefined();
    });

    it('check 4: unknown room → error-invalid-room', async () => {
      expect(await ownerC.callError(M, 'no-such-room', 'roomTopic', 'x')).toMatchObject({ error: 'error-invalid-room', reason: 'Invalid room' });
    });

    it('check 5: edit-room@room — owner, moderator and a non-member admin may; a plain member and a non-member may not', async () => {
      const r = await room();
      for (const c of [memberC, outsiderC]) {
        const e = await c.callError(M, r._id, 'roomTopic', 'nope');
        expect(e).toMatchObject({ error: 'error-action-not-allowed', reason: 'Editing room is not allowed', details: { method: M, action: 'Editing_room' } });
      }
      expect((await stored(r._id)).topic).toBeUndefined();
      expect(await modC.call(M, r._id, 'roomTopic', 'by mod')).toEqual(OK(r._id));
      expect(await adminC.call(M, r._id, 'roomTopic', 'by admin')).toEqual(OK(r._id));
      expect(await ownerC.call(M, r._id, 'roomTopic', 'by owner')).toEqual(OK(r._id));
      expect((await stored(r._id)).topic).toBe('by owner');
    });

    it('check 6: broadcast room — readOnly / reactWhenReadOnly truthy are refused', async () => {
      const r = await room('c', { broadcast: true, ro: true });
      for (const key of ['readOnly', 'reactWhenReadOnly']) {
        const e = await ownerC.callError(M, r._id, { roomTopic: 'x', [key]: true });
        expect(e).toMatchObject({
          error: 'error-action-not-allowed',
          reason: 'Editing readOnly/reactWhenReadOnly are not allowed for broadcast rooms',
          details: { method: M, action: 'Editing_room' },
        });
      }
      expect((await stored(r._id)).topic).toBeUndefined();
    });

    it('validators all run before any saver: a refused setting later in the object saves nothing', async () => {
      const r = await room();
      const e = await ownerC.callError(M, r._id, { roomTopic: 'first', default: true });
      expect(e).toMatchObject({
        error: 'error-action-not-allowed',
        reason: 'Viewing room administration is not allowed',
        details: { method: M, action: 'Viewing_room_administration' },
      });
      expect((await stored(r._id)).topic).toBeUndefined();
    });

    it('a saver error stops the remaining savers; earlier ones stay applied', async () => {
      const r = await room();
      const e = await ownerC.callError(M, r._id, { roomTopic: 'kept', roomType: 'x', roomDescription: 'lost' });
      expect(e).toMatchObject({ error: 'error-invalid-room-type', reason: 'error-invalid-room-type', details: { function: 'RocketChat.saveRoomType', type: 'x' } });
      const after = await stored(r._id);
      expect([after.topic, after.description, after.t]).toEqual(['kept', undefined, 'c']);
    });

    it('decision (rooms.md §C): an archived room can still be edited', async () => {
      const r = await room('c', { archived: true });
      expect(await ownerC.call(M, r._id, 'roomTopic', 'still editable')).toEqual(OK(r._id));
    });
  });

  describe('text settings', () => {
    it('topic: empty on a room without one, or unchanged → nothing; clearing writes "" with an empty message', async () => {
      const r = await room();
      await ownerC.call(M, r._id, 'roomTopic', '');
      await ownerC.call(M, r._id, 'roomTopic', null);
      expect((await stored(r._id)).msgs).toBe(0);
      await ownerC.call(M, r._id, 'roomTopic', 'x');
      await ownerC.call(M, r._id, 'roomTopic', 'x');
      await ownerC.call(M, r._id, 'roomTopic', '');
      expect((await stored(r._id)).topic).toBe('');
      expect(await types(r._id)).toEqual([['room_changed_topic', 'x'], ['room_changed_topic', '']]);
    });

    it('description works the same way', async () => {
      const r = await room();
      await ownerC.call(M, r._id, 'roomDescription', 'about');
      await ownerC.call(M, r._id, 'roomDescription', 'about');
      expect((await stored(r._id)).description).toBe('about');
      expect(await types(r._id)).toEqual([['room_changed_description', 'about']]);
    });

    it('announcement: a string, or {message, style} stored as announcement + announcementDetails', async () => {
      const r = await room();
      await ownerC.call(M, r._id, 'roomAnnouncement', { message: 'heads up', style: 'warning' });
      let after = await stored(r._id);
      expect([after.announcement, after.announcementDetails]).toEqual(['heads up', { style: 'warning' }]);
      await ownerC.call(M, r._id, 'roomAnnouncement', 'plain');
      after = await stored(r._id);
      expect([after.announcement, after.announcementDetails]).toEqual(['plain', undefined]);
      expect(await types(r._id)).toEqual([['room_changed_announcement', 'heads up'], ['room_changed_announcement', 'plain']]);
    });
  });

  describe('roomName', () => {
    it('renames the room and every subscription (alert on), announces to each member, writes `r`', async () => {
      const r = await room('p');
      await memberC.sub('stream-notify-user', [`${member._id}/subscriptions-changed`, false]);
      const m = memberC.mark();
      expect(await ownerC.call(M, r._id, 'roomName', 'renamed-room')).toEqual(OK(r._id));
      const after = await stored(r._id);
      expect([after.name, after.fname]).toEqual(['renamed-room', 'renamed-room']);
      for (const sub of await store().subscriptions.listByRoom(r._id)) expect(sub).toMatchObject({ name: 'renamed-room', fname: 'renamed-room', alert: true });
      const [action, sub] = await memberC.nextEvent('stream-notify-user', `${member._id}/subscriptions-changed`, () => true, { from: m });
      expect([action, sub.rid, sub.name, sub.alert]).toEqual(['updated', r._id, 'renamed-room', true]);
      expect(await types(r._id)).toEqual([['r', 'renamed-room']]);
    });

    it('a discussion (prid set) keeps its name: only fname changes, on the room and the subscriptions (no alert), then `r`', async () => {
      const parent = await room('p');
      const r = await room('p', { prid: parent._id });
      expect(await ownerC.call(M, r._id, 'roomName', 'Talk about it')).toEqual(OK(r._id));
      const after = await stored(r._id);
      expect([after.name, after.fname]).toEqual([r.name, 'Talk about it']);
      for (const sub of await store().subscriptions.listByRoom(r._id)) {
        expect([sub.name, sub.fname, sub.alert]).toEqual([r.name, 'Talk about it', false]);
      }
      expect(await types(r._id)).toEqual([['r', 'Talk about it']]);
    });

    it('same name, empty or blank → nothing happens', async () => {
      const r = await room();
      for (const v of [r.name, '', '   ', null]) expect(await ownerC.call(M, r._id, 'roomName', v)).toEqual(OK(r._id));
      expect((await stored(r._id)).msgs).toBe(0);
    });

    it('an invalid name → error-invalid-room-name (HTML-escaped) with getValidRoomName details', async () => {
      const r = await room();
      const e = await ownerC.callError(M, r._id, 'roomName', '<b>bad name');
      expect(e).toMatchObject({
        error: 'error-invalid-room-name',
        reason: '&lt;b&gt;bad name is not a valid room name.',
        details: { function: 'RocketChat.getValidRoomName', channel_name: '&lt;b&gt;bad name' },
      });
    });

    it('a name taken by another room → error-duplicate-channel-name; by an archived one → error-archived-duplicate-name', async () => {
      const r = await room();
      const taken = await room();
      const archived = await room('c', { archived: true });
      expect(await ownerC.callError(M, r._id, 'roomName', taken.name)).toMatchObject({
        error: 'error-duplicate-channel-name',
        reason: `A channel with name '${taken.name}' exists`,
        details: { function: 'RocketChat.getValidRoomName', channel_name: taken.name },
      });
      expect(await ownerC.callError(M, r._id, 'roomName', archived.name)).toMatchObject({
        error: 'error-archived-duplicate-name',
        reason: `There's an archived channel with name ${archived.name}`,
      });
      expect((await stored(r._id)).name).toBe(r.name);
    });

    it('a name taken by a username → error-duplicate-handle', async () => {
      const r = await room();
      const e = await ownerC.callError(M, r._id, 'roomName', 'rs-outsider');
      expect(e).toMatchObject({ error: 'error-duplicate-handle', reason: "A room, team or user with name 'rs-outsider' already exists" });
      expect(e.details).toEqual({ function: 'RocketChat.updateRoomName', handle: 'rs-outsider' });
    });

    it('a DM cannot be renamed → error-not-allowed {function: "RocketChat.saveRoomdisplayName"}', async () => {
      const d = await dm(owner, member);
      const e = await adminC.callError(M, d._id, 'roomName', 'dm-name');
      expect(e).toMatchObject({ error: 'error-not-allowed', reason: 'Not allowed' });
      expect(e.details).toEqual({ function: 'RocketChat.saveRoomdisplayName' });
    });
  });

  describe('roomType', () => {
    it('c → p: room and subscriptions retyped, `default` dropped, members told, message "private"; p → c "public"', async () => {
      const r = await room('c');
      await memberC.sub('stream-notify-user', [`${member._id}/subscriptions-changed`, false]);
      const m = memberC.mark();
      expect(await ownerC.call(M, r._id, 'roomType', 'p')).toEqual(OK(r._id));
      const after = await stored(r._id);
      expect([after.t, 'default' in after]).toEqual(['p', false]);
      for (const sub of await store().subscriptions.listByRoom(r._id)) expect(sub.t).toBe('p');
      const [action, sub] = await memberC.nextEvent('stream-notify-user', `${member._id}/subscriptions-changed`, () => true, { from: m });
      expect([action, sub.t]).toEqual(['updated', 'p']);
      await ownerC.call(M, r._id, 'roomType', 'p');
      await ownerC.call(M, r._id, 'roomType', 'c');
      expect(await types(r._id)).toEqual([['room_changed_privacy', 'private'], ['room_changed_privacy', 'public']]);
    });

    it('the new type needs create-c / create-p: a guest owning a room may not change it', async () => {
      const c = await room('c', undefined, guest);
      expect(await guestC.callError(M, c._id, 'roomType', 'p')).toMatchObject({
        error: 'error-action-not-allowed',
        reason: 'Changing a public channel to a private room is not allowed',
        details: { method: M, action: 'Change_Room_Type' },
      });
      const p = await room('p', undefined, guest);
      expect(await guestC.callError(M, p._id, 'roomType', 'c')).toMatchObject({
        reason: 'Changing a private group to a public channel is not allowed',
        details: { method: M, action: 'Change_Room_Type' },
      });
      expect(await guestC.call(M, p._id, 'roomType', 'p')).toEqual(OK(p._id));
    });

    it('a DM cannot be retyped → error-direct-room', async () => {
      const d = await dm(owner, mod);
      const e = await adminC.callError(M, d._id, 'roomType', 'c');
      expect(e).toMatchObject({ error: 'error-direct-room', reason: "Can't change type of direct rooms" });
      expect(e.details).toEqual({ function: 'RocketChat.saveRoomType' });
    });
  });

  describe('readOnly, reactWhenReadOnly, systemMessages', () => {
    it('readOnly true/false with room-set-read-only / room-removed-read-only; unchanged → nothing', async () => {
      const r = await room();
      await ownerC.call(M, r._id, 'readOnly', true);
      await ownerC.call(M, r._id, 'readOnly', true);
      expect((await stored(r._id)).ro).toBe(true);
      await ownerC.call(M, r._id, 'readOnly', false);
      expect((await stored(r._id)).ro).toBe(false);
      expect(await types(r._id)).toEqual([['room-set-read-only', ''], ['room-removed-read-only', '']]);
    });

    it('reactWhenReadOnly with room-allowed-reacting / room-disallowed-reacting', async () => {
      const r = await room('c', { ro: true });
      await ownerC.call(M, r._id, 'reactWhenReadOnly', true);
      expect((await stored(r._id)).reactWhenReadOnly).toBe(true);
      await ownerC.call(M, r._id, 'reactWhenReadOnly', false);
      expect(await types(r._id)).toEqual([['room-allowed-reacting', ''], ['room-disallowed-reacting', '']]);
    });

    it('systemMessages: a list of known types is stored; [] / false remove it; no system message', async () => {
      const r = await room();
      await ownerC.call(M, r._id, 'systemMessages', ['uj', 'mute_unmute']);
      expect((await stored(r._id)).sysMes).toEqual(['uj', 'mute_unmute']);
      await ownerC.call(M, r._id, 'systemMessages', []);
      expect('sysMes' in (await stored(r._id))).toBe(false);
      await ownerC.call(M, r._id, 'systemMessages', ['ul']);
      await ownerC.call(M, r._id, 'systemMessages', false);
      expect('sysMes' in (await stored(r._id))).toBe(false);
      expect((await stored(r._id)).msgs).toBe(0);
    });

    it('systemMessages: an unknown type or a non-array truthy value (docs: "false") → invalid-room "Invalid option"', async () => {
      const r = await room();
      for (const v of [['uj', 'nope'], 'false', [5]]) {
        const e = await ownerC.callError(M, r._id, 'systemMessages', v);
        expect(e).toMatchObject({ error: 'invalid-room', reason: 'Invalid option' });
        expect(e.details).toEqual({ function: 'RocketChat.saveRoomSystemMessages' });
      }
      // The value is first compared (as JSON) with the stored one: `true` on a legacy `sysMes: true` is a no-op.
      expect(await ownerC.call(M, r._id, 'systemMessages', true)).toEqual(OK(r._id));
      await ownerC.call(M, r._id, 'systemMessages', ['uj']);
      expect((await ownerC.callError(M, r._id, 'systemMessages', true)).error).toBe('invalid-room');
    });

    it('hidden types are still stored but no longer broadcast', async () => {
      const r = await room();
      await ownerC.call(M, r._id, 'systemMessages', ['room_changed_topic']);
      await memberC.sub('stream-room-messages', [r._id, false]);
      const m = memberC.mark();
      await ownerC.call(M, r._id, { roomTopic: 'quiet', roomDescription: 'loud' });
      const [posted] = await memberC.nextEvent('stream-room-messages', r._id, () => true, { from: m });
      expect(posted.t).toBe('room_changed_description');
      expect(await types(r._id)).toEqual([['room_changed_topic', 'quiet'], ['room_changed_description', 'loud']]);
    });
  });

  describe('joinCode, default, featured, favorite, roomCustomFields', () => {
    it('joinCode: set (never published), cleared by blank; works on a private group too', async () => {
      const r = await room('p');
      await memberC.sub('stream-notify-user', [`${member._id}/rooms-changed`, false]);
      const m = memberC.mark();
      await ownerC.call(M, r._id, 'joinCode', 'secret');
      let after = await stored(r._id);
      expect([after.joinCodeRequired, after.joinCode]).toEqual([true, 'secret']);
      const [, published] = await memberC.nextEvent('stream-notify-user', `${member._id}/rooms-changed`, () => true, { from: m });
      expect(published.joinCodeRequired).toBe(true);
      expect('joinCode' in published).toBe(false);
      expect(memberC.raw.slice(m).some((t) => t.includes('secret'))).toBe(false);
      await ownerC.call(M, r._id, 'joinCode', '  ');
      after = await stored(r._id);
      expect([after.joinCodeRequired, 'joinCode' in after]).toEqual([false, false]);
      await ownerC.call(M, r._id, 'joinCode', 1234);
      expect((await stored(r._id)).joinCode).toBe('1234');
      expect((await stored(r._id)).msgs).toBe(0);
    });

    it('decision: joinCode null clears the code (Rocket.Chat would store "null")', async () => {
      const r = await room('c', { joinCodeRequired: true, joinCode: 'x' });
      await ownerC.call(M, r._id, 'joinCode', null);
      const after = await stored(r._id);
      expect([after.joinCodeRequired, 'joinCode' in after]).toEqual([false, false]);
    });

    it('default and featured need view-room-administration: the owner is refused, an admin is not', async () => {
      const r = await room();
      for (const key of ['default', 'featured']) {
        expect(await ownerC.callError(M, r._id, key, true)).toMatchObject({
          error: 'error-action-not-allowed',
          details: { method: M, action: 'Viewing_room_administration' },
        });
      }
      await adminC.call(M, r._id, { default: true, featured: 'true' });
      let after = await stored(r._id);
      expect([after.default, after.featured]).toEqual([true, true]);
      await adminC.call(M, r._id, { default: false, featured: false });
      after = await stored(r._id);
      expect([after.default, 'featured' in after]).toEqual([false, false]);
    });

    it('favorite: {favorite, defaultValue} both true → stored; otherwise removed', async () => {
      const r = await room();
      await ownerC.call(M, r._id, 'favorite', { favorite: true, defaultValue: true });
      expect((await stored(r._id)).favorite).toBe(true);
      await ownerC.call(M, r._id, 'favorite', { favorite: true, defaultValue: false });
      expect('favorite' in (await stored(r._id))).toBe(false);
    });

    it('roomCustomFields: copied to the room and every subscription; a non-object → invalid-roomCustomFields-type', async () => {
      const r = await room();
      await memberC.sub('stream-notify-user', [`${member._id}/subscriptions-changed`, false]);
      const m = memberC.mark();
      await ownerC.call(M, r._id, 'roomCustomFields', { team: 'blue' });
      expect((await stored(r._id)).customFields).toEqual({ team: 'blue' });
      for (const sub of await store().subscriptions.listByRoom(r._id)) expect(sub.customFields).toEqual({ team: 'blue' });
      const [, sub] = await memberC.nextEvent('stream-notify-user', `${member._id}/subscriptions-changed`, () => true, { from: m });
      expect(sub.customFields).toEqual({ team: 'blue' });
      for (const v of ['x', ['a'], null]) {
        const e = await ownerC.callError(M, r._id, 'roomCustomFields', v);
        expect(e).toMatchObject({ error: 'invalid-roomCustomFields-type', reason: 'Invalid roomCustomFields type' });
        expect(e.details).toEqual({ function: 'RocketChat.saveRoomCustomFields' });
      }
    });
  });

  describe('encrypted', () => {
    it('a public channel refuses any change, false included (room has no `encrypted` yet)', async () => {
      const r = await room('c');
      for (const v of [true, false]) {
        expect(await ownerC.callError(M, r._id, 'encrypted', v)).toMatchObject({
          error: 'error-action-not-allowed',
          reason: 'Only groups or direct channels can enable encryption',
          details: { method: M, action: 'Change_Room_Encrypted' },
        });
      }
    });

    it('a private group needs E2E_Enable, then toggle-room-e2e-encryption@room (owner yes, moderator no)', async () => {
      const r = await room('p');
      expect((await ownerC.callError(M, r._id, 'encrypted', true)).reason).toBe('Only groups or direct channels can enable encryption');
      await withSetting('E2E_Enable', true, async () => {
        expect(await modC.callError(M, r._id, 'encrypted', true)).toMatchObject({
          reason: 'You do not have permission to toggle E2E encryption',
          details: { method: M, action: 'Change_Room_Encrypted' },
        });
        expect(await ownerC.call(M, r._id, 'encrypted', true)).toEqual(OK(r._id));
        await ownerC.call(M, r._id, 'encrypted', true);
        expect((await stored(r._id)).encrypted).toBe(true);
        await ownerC.call(M, r._id, 'encrypted', false);
        expect((await stored(r._id)).encrypted).toBe(false);
      });
      expect(await types(r._id)).toEqual([['room_e2e_enabled', 'rs-owner'], ['room_e2e_disabled', 'rs-owner']]);
    });

    it('a DM member without edit-room may toggle encryption; the other keys are dropped', async () => {
      const d = await dm(member, outsider);
      expect((await memberC.callError(M, d._id, 'roomTopic', 'x')).details).toEqual({ method: M, action: 'Editing_room' });
      await withSetting('E2E_Enable', true, async () => {
        expect(await memberC.call(M, d._id, { roomTopic: 'dropped', encrypted: true })).toEqual(OK(d._id));
      });
      const after = await stored(d._id);
      expect([after.encrypted, after.topic]).toEqual([true, undefined]);
      expect(await types(d._id)).toEqual([['room_e2e_enabled', 'rs-member']]);
    });

    it('the DM exception is for members only: a user outside the DM is refused (Editing_room)', async () => {
      const d = await dm(owner, mod);
      await withSetting('E2E_Enable', true, async () => {
        const e = await memberC.callError(M, d._id, 'encrypted', true);
        expect(e).toMatchObject({ error: 'error-action-not-allowed', reason: 'Editing room is not allowed', details: { method: M, action: 'Editing_room' } });
      });
      expect((await stored(d._id)).encrypted).toBeUndefined();
      expect(await types(d._id)).toEqual([]);
    });
  });

  describe('out-of-scope settings: validated, then accepted and ignored (decision)', () => {
    it('roomAvatar needs edit-room-avatar@room', async () => {
      const r = await room();
      expect(await modC.call(M, r._id, 'roomAvatar', 'data:image/png;base64,AAAA')).toEqual(OK(r._id));
      const permissions = server.orbit.services.permissions;
      await permissions.setRoles('edit-room-avatar', ['admin']);
      try {
        expect(await ownerC.callError(M, r._id, 'roomAvatar', 'x')).toMatchObject({
          error: 'error-action-not-allowed',
          reason: 'Editing a room avatar is not allowed',
          details: { method: M, action: 'Editing_room' },
        });
        expect(await adminC.call(M, r._id, 'roomAvatar', 'x')).toEqual(OK(r._id));
      } finally {
        await permissions.setRoles('edit-room-avatar', ['admin', 'owner', 'moderator']);
      }
      expect((await stored(r._id)).msgs).toBe(0);
    });

    it('retention*: the room must have a policy; changing a value needs edit-room-retention-policy@room', async () => {
      const plain = await room();
      expect(await ownerC.callError(M, plain._id, 'retentionEnabled', true)).toMatchObject({
        error: 'error-action-not-allowed',
        reason: 'Room does not have retention policy',
        details: { method: M, action: 'Editing_room' },
      });
      const r = await room('c', { retention: { enabled: true, maxAge: 30 } });
      expect(await ownerC.call(M, r._id, { retentionEnabled: true, retentionMaxAge: 30 })).toEqual(OK(r._id));
      expect(await ownerC.callError(M, r._id, 'retentionMaxAge', 60)).toMatchObject({ reason: 'Editing room retention policy is not allowed' });
      expect(await adminC.call(M, r._id, { retentionMaxAge: 60, retentionFilesOnly: true, streamingOptions: { type: 'x' } })).toEqual(OK(r._id));
      expect((await stored(r._id)).retention).toEqual({ enabled: true, maxAge: 30 });
    });
  });
});

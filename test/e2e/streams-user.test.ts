import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRoom } from '../support/fixtures.js';
import { TestClient } from '../support/ddp-client.js';
import { ADMIN, startTestServer, type TestServer } from '../support/test-server.js';
import { clientFor, uniq } from './messages-support.js';

const NOT_ALLOWED = { isClientSafe: true, error: 'not-allowed', message: '[not-allowed]', errorType: 'Meteor.Error' };
const USER_EVENTS = ['message', 'notification', 'subscriptions-changed', 'rooms-changed'];

describe('stream-notify-user, stream-notify-logged, stream-notify-all read rules (streams.md §4.3–§4.5)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('a user subscribes to its own <uid>/<event> streams; another user\'s and anonymous subscriptions are refused', async () => {
    const me = await server.createUser(uniq('me'));
    const other = await server.createUser(uniq('oth'));
    const c = await clientFor(server, me);
    const anon = await TestClient.connect(server.url);
    for (const event of USER_EVENTS) {
      expect((await c.sub('stream-notify-user', [`${me._id}/${event}`, false])).ready).toBe(true);
      expect(await c.sub('stream-notify-user', [`${other._id}/${event}`, false])).toMatchObject({ ready: false, error: NOT_ALLOWED });
      expect((await anon.sub('stream-notify-user', [`${me._id}/${event}`, false])).error).toEqual(NOT_ALLOWED);
    }
    expect((await c.sub('stream-notify-user', ['', false])).error).toEqual({
      isClientSafe: true,
      error: 'invalid-event-name',
      message: '[invalid-event-name]',
      errorType: 'Meteor.Error',
    });
    anon.close();
  });

  it('nobody can push a message or notification into another user\'s stream (writes are ignored)', async () => {
    const victim = await server.createUser(uniq('v'));
    const attacker = await server.createUser(uniq('att'));
    const vc = await clientFor(server, victim);
    const ac = await clientFor(server, attacker);
    await vc.sub('stream-notify-user', [`${victim._id}/message`, false]);
    await vc.sub('stream-notify-user', [`${victim._id}/notification`, false]);
    expect(await ac.callRaw('stream-notify-user', [`${victim._id}/message`, { msg: 'click here' }])).not.toHaveProperty('error');
    await ac.call('stream-notify-user', `${victim._id}/notification`, { title: 'fake' });
    await ac.call('stream-room-messages', '__my_messages__', { msg: 'fake' });
    await vc.settle(150);
    expect(vc.events('stream-notify-user')).toEqual([]);
  });

  it('subscriptions-changed and rooms-changed carry [action, document] for the owner only', async () => {
    const me = await server.createUser(uniq('me'));
    const c = await clientFor(server, me);
    await c.sub('stream-notify-user', [`${me._id}/subscriptions-changed`, false]);
    await c.sub('stream-notify-user', [`${me._id}/rooms-changed`, false]);
    const owner = await server.createUser(uniq('own'));
    const room = await makeRoom(server, { t: 'p', owner });
    await server.orbit.services.membership.addUser(room, (await server.orbit.services.store.users.findById(me._id))!);
    const [action, sub] = await c.nextEvent('stream-notify-user', `${me._id}/subscriptions-changed`, (a) => a[1].rid === room._id);
    expect(action).toBe('inserted');
    expect(sub).toMatchObject({ rid: room._id, u: { _id: me._id }, alert: true, unread: 1 });
    const [roomAction, r] = await c.nextEvent('stream-notify-user', `${me._id}/rooms-changed`, (a) => a[1]._id === room._id);
    expect(roomAction).toBe('inserted');
    expect(r._id).toBe(room._id);
  });

  it('stream-notify-logged: logged-in users only; private-settings-changed needs a settings permission', async () => {
    const user = await server.createUser(uniq('u'));
    const c = await clientFor(server, user);
    const anon = await TestClient.connect(server.url);
    const admin = await TestClient.connect(server.url);
    await admin.login(ADMIN.username, ADMIN.password);
    for (const event of ['user-status', 'roles-change', 'Users:NameChanged']) {
      expect((await c.sub('stream-notify-logged', [event, false])).ready).toBe(true);
      expect((await anon.sub('stream-notify-logged', [event, false])).error).toEqual(NOT_ALLOWED);
    }
    expect((await c.sub('stream-notify-logged', ['private-settings-changed', false])).error).toEqual(NOT_ALLOWED);
    expect((await admin.sub('stream-notify-logged', ['private-settings-changed', false])).ready).toBe(true);
    anon.close();
    admin.close();
  });

  it('stream-notify-all: everyone, anonymous included, except private-settings-changed', async () => {
    const anon = await TestClient.connect(server.url);
    expect((await anon.sub('stream-notify-all', ['public-settings-changed', false])).ready).toBe(true);
    expect((await anon.sub('stream-notify-all', ['private-settings-changed', false])).error).toEqual(NOT_ALLOWED);
    const user = await server.createUser(uniq('u'));
    const c = await clientFor(server, user);
    expect((await c.sub('stream-notify-all', ['private-settings-changed', false])).error).toEqual(NOT_ALLOWED);
    // A public setting change reaches the anonymous subscriber.
    await server.orbit.services.settings.set('Message_MaxAllowedSize', 4000);
    try {
      expect(await anon.nextEvent('stream-notify-all', 'public-settings-changed')).toEqual(['updated', { _id: 'Message_MaxAllowedSize', value: 4000 }]);
    } finally {
      await server.orbit.services.settings.set('Message_MaxAllowedSize', 5000);
    }
    anon.close();
  });
});

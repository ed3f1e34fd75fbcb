import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRoom } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { clientFor, subOf, uniq } from './messages-support.js';

describe('unreadMessages (mark unread)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  async function scene() {
    const owner = await server.createUser(uniq('uo'));
    const reader = await server.createUser(uniq('ur'));
    const room = await makeRoom(server, { owner, members: [reader] });
    const [co, cr] = await Promise.all([clientFor(server, owner), clientFor(server, reader)]);
    const first = await co.call('sendMessage', { rid: room._id, msg: 'one' });
    const second = await co.call('sendMessage', { rid: room._id, msg: 'two' });
    await cr.call('readMessages', room._id);
    return { owner, reader, room, co, cr, first, second };
  }

  it('from a message: ls moves back to it, alert and open on, subscriptions-changed sent', async () => {
    const { reader, room, cr, first } = await scene();
    expect((await cr.sub('stream-notify-user', [`${reader._id}/subscriptions-changed`, false])).ready).toBe(true);
    expect(await cr.call('unreadMessages', { _id: first._id })).toBeUndefined();
    const sub = await subOf(server, room._id, reader);
    expect(sub).toMatchObject({ alert: true, open: true });
    expect(sub.ls!.getTime()).toBe(new Date(first.ts.$date ?? first.ts).getTime());
    const [action, changed] = await cr.nextEvent('stream-notify-user', `${reader._id}/subscriptions-changed`, (a) => a[0] === 'updated');
    expect(action).toBe('updated');
    expect(changed.alert).toBe(true);
  });

  it('by room id: ls moves back to the newest message; the room id wins over the message', async () => {
    const { reader, room, cr, second } = await scene();
    await cr.call('unreadMessages', null, room._id);
    expect((await subOf(server, room._id, reader)).ls!.getTime()).toBe(new Date(second.ts.$date ?? second.ts).getTime());
  });

  it('refused: own message, unknown message, no _id, empty room → error-action-not-allowed; not a member → error-subscription-not-found', async () => {
    const { owner, room, co, cr, first } = await scene();
    expect((await co.callError('unreadMessages', { _id: first._id })).error).toBe('error-action-not-allowed');
    expect((await cr.callError('unreadMessages', { _id: 'nope' })).error).toBe('error-action-not-allowed');
    expect((await cr.callError('unreadMessages', {})).error).toBe('error-action-not-allowed');
    const empty = await makeRoom(server, { owner });
    expect((await cr.callError('unreadMessages', null, empty._id)).error).toBe('error-action-not-allowed');
    const stranger = await server.createUser(uniq('us'));
    const cs = await clientFor(server, stranger);
    const e = await cs.callError('unreadMessages', { _id: first._id });
    expect(e).toMatchObject({ error: 'error-subscription-not-found', details: { method: 'unreadMessages', action: 'Unread_messages' } });
    expect((await subOf(server, room._id, owner)).alert).toBe(false);
  });
});

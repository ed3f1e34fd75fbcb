import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempServices } from '../../test/support/temp-services.js';
import { newRoomSubscription } from '../domain/subscriptions.js';
import type { Message, Room, Subscription } from '../domain/types.js';
import type { ChatEvents } from './events.js';
import { SystemMessages } from './system-messages.js';

type Services = Awaited<ReturnType<typeof tempServices>>;

/** A ChatEvents that records what it was told. */
function recorder() {
  const calls: Array<[string, ...unknown[]]> = [];
  const events = new Proxy({} as ChatEvents, {
    get: (_t, name: string) => (...args: unknown[]) => void calls.push([name, ...args]),
  });
  return { calls, events };
}

describe('SystemMessages (model.md §8)', () => {
  let s: Services;
  beforeEach(async () => {
    s = await tempServices();
  });
  afterEach(async () => {
    await s.close();
  });

  async function scene(extra: Partial<Room> = {}) {
    const now = new Date();
    const last: Message = { _id: 'last', rid: 'r1', msg: 'hi', ts: now, u: { _id: 'u0', username: 'zed' }, _updatedAt: now };
    const room = await s.store.rooms.insert({
      _id: 'r1', t: 'c', name: 'r1', fname: 'r1', msgs: 4, usersCount: 1, ts: now, lm: now, lastMessage: last, _updatedAt: now, ...extra,
    });
    const member = await s.store.users.insert({ _id: 'u1', username: 'ann', name: 'Ann', roles: ['user'], active: true, type: 'user', createdAt: now, _updatedAt: now });
    const sub: Subscription = await s.store.subscriptions.insert(newRoomSubscription('s1', room, member, {}));
    const { calls, events } = recorder();
    return { room, member, sub, calls, sys: new SystemMessages(s.store, s.settings, events) };
  }

  it('stores {t, rid, ts, msg, u: actor, groupable: false, ...extra}; msgs + 1; lastMessage, lm and subscriptions untouched', async () => {
    const { room, member, sub, calls, sys } = await scene();
    const ts = new Date(Date.now() - 1000);
    const { message, room: updated } = await sys.create('uj', room, 'ann', member, { ts });
    expect(message).toEqual({
      _id: expect.any(String), t: 'uj', rid: 'r1', ts, msg: 'ann', u: { _id: 'u1', username: 'ann', name: 'Ann' }, groupable: false, _updatedAt: expect.any(Date),
    });
    expect(message).not.toHaveProperty('unread');
    expect(await s.store.messages.findById(message._id)).toEqual(message);
    expect(updated.msgs).toBe(5);
    expect(updated.lastMessage).toEqual(room.lastMessage);
    expect(updated.lm).toEqual(room.lm);
    expect(await s.store.subscriptions.findById(sub._id)).toMatchObject({ alert: false, unread: 0, userMentions: 0, open: true });
    expect(calls.map((c) => c[0])).toEqual(['messageSaved', 'roomChanged']);
    // The broadcast copy is the stored document (the store stamps _updatedAt).
    expect(calls[0]).toEqual(['messageSaved', await s.store.messages.findById(message._id), updated]);
    expect(calls[1]).toEqual(['roomChanged', 'updated', updated]);
  });

  it('a type hidden in the room (sysMes array, mute_unmute expanded) or globally is stored but not broadcast', async () => {
    const { room, member, calls, sys } = await scene({ sysMes: ['mute_unmute'] });
    const { message } = await sys.create('user-muted', room, 'ann', member);
    expect(await s.store.messages.findById(message._id)).toBeDefined();
    expect(calls.map((c) => c[0])).toEqual(['roomChanged']);
    calls.length = 0;
    await sys.create('uj', room, 'ann', member);
    expect(calls.map((c) => c[0])).toEqual(['messageSaved', 'roomChanged']);
    // A boolean sysMes means "use Hide_System_Messages".
    const plain = (await s.store.rooms.update(room._id, { set: { sysMes: true } }))!;
    await s.settings.set('Hide_System_Messages', ['ul']);
    calls.length = 0;
    await sys.create('ul', plain, 'ann', member);
    expect(calls.map((c) => c[0])).toEqual(['roomChanged']);
  });

  it('Message_Read_Receipt_Enabled adds unread: true', async () => {
    const { room, member, sys } = await scene();
    await s.settings.set('Message_Read_Receipt_Enabled', true);
    const { message } = await sys.create('uj', room, 'ann', member);
    expect(message.unread).toBe(true);
  });
});

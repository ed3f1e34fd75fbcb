import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Topics } from '../bus/topics.js';
import { DdpServer } from '../ddp/server.js';
import type { Session } from '../ddp/session.js';
import type { User } from '../domain/types.js';
import type { Services } from '../services/services.js';
import { tempServices } from '../../test/support/temp-services.js';
import { Presence } from './presence.js';

type Env = Awaited<ReturnType<typeof tempServices>>;

describe('Presence (connection-based online/offline)', () => {
  let env: Env;
  let ddp: DdpServer;
  let presence: Presence;
  const events: unknown[][] = [];

  beforeAll(async () => {
    env = await tempServices();
    ddp = new DdpServer({ handshakeTimeoutMs: 60_000, heartbeatIntervalMs: 60_000, heartbeatTimeoutMs: 60_000, slowConsumerBytes: 1 << 20 }, pino({ level: 'silent' }));
    presence = new Presence({ store: env.store, events: env.events } as unknown as Services, ddp);
    ddp.setHooks({ userChanged: (s, prev) => presence.userChanged(s, prev), sessionClosed: (s) => presence.sessionClosed(s) });
    env.bus.subscribe(Topics.stream('notify-logged'), (p) => {
      const { eventName, args } = p as { eventName: string; args: unknown[] };
      if (eventName === 'user-status') events.push(args[0] as unknown[]);
    });
  });
  afterAll(async () => {
    await env?.close();
  });

  const open = (): Session => ddp.accept({ send() {}, close() {}, bufferedAmount: 0, remoteAddress: '127.0.0.1' });
  const status = async (u: User) => (await env.store.users.findById(u._id))!.status;

  it('online with a logged-in session, offline when the last one ends; announced as user-status', async () => {
    const u = await env.users.create({ username: 'pres.one', password: 'x' }, { joinDefaultRooms: false });
    const a = open();
    const b = open();
    await a.setUserId(u._id);
    await b.setUserId(u._id);
    await presence.settled();
    expect(await status(u)).toBe('online');
    a.close();
    await presence.settled();
    expect(await status(u)).toBe('online');
    b.close();
    await presence.settled();
    expect(await status(u)).toBe('offline');
    expect(events.filter((e) => e[0] === u._id).map((e) => e[2])).toEqual([1, 0]);
  });

  it('a login immediately followed by a logout leaves the user offline (no stale status)', async () => {
    const u = await env.users.create({ username: 'pres.quick', password: 'x' }, { joinDefaultRooms: false });
    for (let i = 0; i < 5; i++) {
      const s = open();
      void s.setUserId(u._id);
      void s.setUserId(null);
      s.close();
    }
    await presence.settled();
    expect(await status(u)).toBe('offline');
    const s = open();
    void s.setUserId(u._id);
    const t = open();
    void t.setUserId(u._id);
    t.close();
    await presence.settled();
    expect(await status(u)).toBe('online');
    s.close();
    await presence.settled();
    expect(await status(u)).toBe('offline');
  });
});

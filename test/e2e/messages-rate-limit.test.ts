import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRoom } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { clientFor, uniq } from './messages-support.js';

describe('sendMessage rate limit: 5 per second per user unless send-many-messages', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ ORBIT_RATE_LIMIT: 'true' });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('the 6th call within a second is refused with too-many-requests, on every connection of the user', async () => {
    const user = await server.createUser(uniq('fast'));
    const room = await makeRoom(server, { owner: user });
    const c1 = await clientFor(server, user);
    const c2 = await clientFor(server, user);
    const results = await Promise.all([0, 1, 2, 3, 4].map((i) => c1.callRaw('sendMessage', [{ rid: room._id, msg: `m${i}` }])));
    for (const r of results) expect(r.error).toBeUndefined();
    const refused = await c2.callRaw('sendMessage', [{ rid: room._id, msg: 'one too many' }]);
    expect(refused.error).toMatchObject({ error: 'too-many-requests', details: { timeToReset: expect.any(Number) } });
    expect(refused.error.details.timeToReset).toBeLessThanOrEqual(1000);
    expect((await server.orbit.services.store.rooms.findById(room._id))!.msgs).toBe(5);
    // Another user is not affected.
    const other = await server.createUser(uniq('calm'));
    await server.orbit.services.membership.addUser(room, other, { silenced: true });
    const oc = await clientFor(server, other);
    expect((await oc.callRaw('sendMessage', [{ rid: room._id, msg: 'calm' }])).error).toBeUndefined();
  });

  it('users holding send-many-messages (bot) are exempt', async () => {
    const bot = await server.createUser(uniq('bot'), { roles: ['bot'] });
    const room = await makeRoom(server, { owner: bot });
    const c = await clientFor(server, bot);
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => c.callRaw('sendMessage', [{ rid: room._id, msg: `b${i}` }])));
    for (const r of results) expect(r.error).toBeUndefined();
    expect((await server.orbit.services.store.rooms.findById(room._id))!.msgs).toBe(8);
  });

  it('the window resets after a second', async () => {
    const user = await server.createUser(uniq('wait'));
    const room = await makeRoom(server, { owner: user });
    const c = await clientFor(server, user);
    for (let i = 0; i < 5; i++) await c.call('sendMessage', { rid: room._id, msg: `w${i}` });
    expect((await c.callRaw('sendMessage', [{ rid: room._id, msg: 'x' }])).error?.error).toBe('too-many-requests');
    await new Promise((r) => setTimeout(r, 1100));
    expect((await c.callRaw('sendMessage', [{ rid: room._id, msg: 'again' }])).error).toBeUndefined();
  });
});

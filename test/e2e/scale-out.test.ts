import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestClient } from '../support/ddp-client.js';
import { ADMIN, startTestServer, type TestServer } from '../support/test-server.js';

const PG_URL = 'postgres://postgres@127.0.0.1:5432/test';

/**
 * Two Orbit instances sharing one PostgreSQL schema and NATS: a client on one instance sees what
 * a client on the other does, as if there were one server.
 */
describe('scale-out: two instances on PostgreSQL + NATS', () => {
  const schema = `orbit_e2e_${Math.random().toString(36).slice(2, 10)}`;
  const env = { ORBIT_STORE: 'postgres', ORBIT_POSTGRES_URL: PG_URL, ORBIT_POSTGRES_SCHEMA: schema, ORBIT_BUS: 'nats' };
  let one: TestServer;
  let two: TestServer;

  beforeAll(async () => {
    one = await startTestServer(env);
    two = await startTestServer(env); // second start: the admin and defaults exist already
  });

  afterAll(async () => {
    await one?.stop();
    await two?.stop();
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  });

  it('a message sent through one instance reaches a subscriber on the other, and both see it in history', async () => {
    const alice = await one.createUser('alice');
    await two.createUser('bob');
    const a = await TestClient.connect(one.url);
    await a.login('alice', 'alice-pass');
    const b = await TestClient.connect(two.url);
    await b.login('bob', 'bob-pass');
    const room = await a.call('createChannel', 'scale', ['bob']);
    expect((await b.sub('stream-room-messages', [room.rid, false])).ready).toBe(true);
    const sent = await a.call('sendMessage', { rid: room.rid, msg: 'across instances' });
    const [got] = await b.nextEvent('stream-room-messages', room.rid, (args) => args[0]._id === sent._id);
    expect(got).toMatchObject({ msg: 'across instances', u: { _id: alice._id, username: 'alice' } });
    const history = await b.call('loadHistory', room.rid, null, 10);
    expect(history.messages.map((m: { _id: string }) => m._id)).toContain(sent._id);
    a.close();
    b.close();
  });

  it('typing from one instance reaches the other; subscription changes reach the user on the other instance', async () => {
    await one.createUser('carol');
    await two.createUser('dave');
    const c = await TestClient.connect(one.url);
    await c.login('carol', 'carol-pass');
    const d = await TestClient.connect(two.url);
    const dave = await d.login('dave', 'dave-pass');
    expect((await d.sub('stream-notify-user', [`${dave.id}/subscriptions-changed`, false])).ready).toBe(true);
    const room = await c.call('createPrivateGroup', 'scale-typing', ['dave']);
    const [action, sub] = await d.nextEvent('stream-notify-user', `${dave.id}/subscriptions-changed`, (a) => a[1].rid === room.rid);
    expect(action).toBe('inserted');
    expect(sub).toMatchObject({ rid: room.rid, t: 'p', name: 'scale-typing' });
    expect((await d.sub('stream-notify-room', [`${room.rid}/typing`, false])).ready).toBe(true);
    await c.call('stream-notify-room', `${room.rid}/typing`, 'carol', true);
    expect(await d.nextEvent('stream-notify-room', `${room.rid}/typing`)).toEqual(['carol', true]);
    c.close();
    d.close();
  });

  it('a setting saved on one instance takes effect on the other at once', async () => {
    const admin = await TestClient.connect(one.url);
    await admin.login(ADMIN.username, ADMIN.password);
    await admin.call('saveSetting', 'Accounts_RegistrationForm', 'Disabled');
    const anon = await TestClient.connect(two.url);
    let err: Record<string, unknown> | undefined;
    for (let i = 0; i < 50 && err?.error !== 'error-user-registration-disabled'; i++) {
      err = await anon.callError('registerUser', { email: `x${i}@example.com`, pass: 'secret-pass', name: 'X' }).catch(() => undefined);
      if (err?.error !== 'error-user-registration-disabled') await new Promise((r) => setTimeout(r, 20));
    }
    expect(err?.error).toBe('error-user-registration-disabled');
    await admin.call('saveSetting', 'Accounts_RegistrationForm', 'Public');
    admin.close();
    anon.close();
  });
});

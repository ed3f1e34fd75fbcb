import simpleDDP from 'simpleddp';
import { simpleDDPLogin } from 'simpleddp-plugin-login';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { makeRoom } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { clientFor, uniq } from './messages-support.js';

interface SimpleDdp {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  login(o: object): Promise<{ id: string; token: string; tokenExpires: unknown; type: string }>;
  call(method: string, ...args: unknown[]): Promise<any>;
  subscribe(name: string, ...args: unknown[]): { ready(): Promise<void>; stop(): Promise<void> };
  on(event: string, cb: (m: any) => void): { stop(): void };
}

const SimpleDDP = simpleDDP as unknown as new (opts: object, plugins?: object[]) => SimpleDdp;

describe('simpleddp (+ simpleddp-plugin-login): sendMessage and a stream subscription', () => {
  let server: TestServer;
  let ddp: SimpleDdp;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await ddp?.disconnect();
    await server?.stop();
  });

  it('logs in, subscribes to stream-room-messages, sends a message and receives it and another user\'s', async () => {
    const user = await server.createUser(uniq('sdp'));
    const other = await server.createUser(uniq('oth'));
    const room = await makeRoom(server, { t: 'p', owner: user, members: [other] });
    ddp = new SimpleDDP({ endpoint: server.url, SocketConstructor: WebSocket, reconnectInterval: 60_000 }, [simpleDDPLogin]);
    await ddp.connect();
    const login = await ddp.login({ user: { username: user.username }, password: `${user.username}-pass` });
    expect(login).toMatchObject({ id: user._id, type: 'password' });
    expect(login.tokenExpires).toBeDefined();

    const events: any[] = [];
    ddp.on('changed', (m) => {
      if (m.collection === 'stream-room-messages') events.push(m.fields);
    });
    const sub = ddp.subscribe('stream-room-messages', room._id, false);
    await sub.ready();

    const mine = await ddp.call('sendMessage', { rid: room._id, msg: 'from simpleddp' });
    expect(mine).toMatchObject({ rid: room._id, msg: 'from simpleddp', u: { _id: user._id } });
    const oc = await clientFor(server, other);
    const theirs = await oc.call('sendMessage', { rid: room._id, msg: 'from a test client' });
    const deadline = Date.now() + 3000;
    while (events.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(events.map((f) => [f.eventName, f.args[0]._id, f.args[0].msg])).toEqual([
      [room._id, mine._id, 'from simpleddp'],
      [room._id, theirs._id, 'from a test client'],
    ]);
    const history = await ddp.call('loadHistory', room._id, null, 10);
    expect(history.messages.map((m: any) => m.msg)).toEqual(['from a test client', 'from simpleddp']);
    await sub.stop();
  });
});

import sdk from '@rocket.chat/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message, User } from '../../src/domain/types.js';
import type { TestClient } from '../support/ddp-client.js';
import { makeRoom } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { clientFor, eventually, uniq } from './messages-support.js';

/**
 * @rocket.chat/sdk 1.0.0-alpha.42 used as a real bot uses it, through its own high-level calls
 * only: `login` (REST `POST /api/v1/login`, then a DDP resume with the token), `joinRoom`
 * (`chat.getRoomIdByNameOrId` + `channels.join`), `respondToMessages` (`__my_messages__` over DDP,
 * `rooms.info` for each message), `sendToRoom` (`chat.getRoomIdByNameOrId` + `chat.sendMessage`)
 * and `sendDirectToUser` (`im.create` + `chat.sendMessage`).
 */

const silent = { debug() {}, info() {}, warning() {}, warn() {}, error() {} };

interface SdkBot {
  userId: string;
  currentLogin: { username: string; userId: string; authToken: string } | null;
  connect(options: object): Promise<unknown>;
  disconnect(): Promise<unknown>;
  login(credentials: { username: string; password: string }): Promise<{ id: string; token: string; type: string }>;
  joinRoom(room: { rid: string }): Promise<string>;
  respondToMessages(cb: (err: Error | null, message?: Message, meta?: unknown) => void, options?: object): Promise<void>;
  sendToRoom(content: string, room: string): Promise<Message>;
  sendDirectToUser(content: string, username: string): Promise<Message>;
  onStreamData(event: string, cb: (frame: any) => void): Promise<unknown>;
}

const BotClass = (sdk as unknown as { Bot: new (config: object) => SdkBot }).Bot;

/** Every REST call the SDK makes, with the status it got. */
interface Call {
  method: string;
  path: string;
  status: number;
}

describe('@rocket.chat/sdk bot, end to end (REST + DDP)', () => {
  let server: TestServer;
  let botUser: User;
  let bot: SdkBot;
  let login: { id: string; token: string; type: string };
  const calls: Call[] = [];
  const received: Message[] = [];
  const rawFrames: any[] = [];
  const realFetch = globalThis.fetch;

  beforeAll(async () => {
    server = await startTestServer();
    botUser = await server.createUser(uniq('bot'), { roles: ['bot'], name: 'Echo Bot' });
    globalThis.fetch = async (input, init) => {
      const res = await realFetch(input, init);
      const url = new URL(String(input));
      calls.push({ method: init?.method ?? 'GET', path: url.pathname, status: res.status });
      return res;
    };
    bot = new BotClass({ host: `http://127.0.0.1:${server.port}`, logger: silent });
    await bot.connect({});
    login = await bot.login({ username: botUser.username!, password: `${botUser.username}-pass` });
    await bot.onStreamData('stream-room-messages', (f) => rawFrames.push(f));
    // The bot answers every user message (DMs included), in the same room, through REST.
    await bot.respondToMessages(
      (err, message) => {
        if (err || !message || message.t) return;
        received.push(message);
        void bot.sendToRoom(`echo: ${message.msg}`, message.rid);
      },
      { dm: true },
    );
  });

  afterAll(async () => {
    globalThis.fetch = realFetch;
    await bot?.disconnect();
    await server?.stop();
  });

  it('logs in through POST /api/v1/login, then resumes the DDP session with the REST token', () => {
    expect(bot.userId).toBe(botUser._id);
    expect(bot.currentLogin).toMatchObject({ username: botUser.username, userId: botUser._id });
    expect(login).toMatchObject({ id: botUser._id, token: bot.currentLogin!.authToken, type: 'resume' });
    expect(calls[0]).toEqual({ method: 'POST', path: '/api/v1/login', status: 200 });
  });

  it('channel: joinRoom by name, then a user message is answered with sendToRoom and reaches the user', async () => {
    const user = await server.createUser(uniq('usr'));
    const room = await makeRoom(server, { t: 'c', owner: user });
    expect(await bot.joinRoom({ rid: room.name! })).toBe(room._id);
    expect(await server.orbit.services.store.subscriptions.findByRoomAndUser(room._id, botUser._id)).toBeDefined();

    const c = await clientFor(server, user);
    expect((await c.sub('stream-room-messages', [room._id, false])).ready).toBe(true);
    const sent = await c.call('sendMessage', { rid: room._id, msg: 'ping' });
    const [reply] = await c.nextEvent('stream-room-messages', room._id, (a) => a[0].u._id === botUser._id && !a[0].t);
    expect(reply).toMatchObject({ rid: room._id, msg: 'echo: ping', u: { _id: botUser._id, username: botUser.username, name: 'Echo Bot' } });
    const got = received.find((m) => m._id === sent._id)!;
    expect(got).toMatchObject({ rid: room._id, msg: 'ping', u: { _id: user._id } });
    const frame = rawFrames.find((f) => f.fields.args[0]._id === sent._id);
    expect(frame.fields.args[1]).toEqual({ roomParticipant: true, roomType: 'c', roomName: room.name });
    c.close();
  });

  it('DM: a user opens a DM and writes; the bot answers in the DM with sendToRoom', async () => {
    const user = await server.createUser(uniq('dmu'));
    const c = await clientFor(server, user);
    const dm = (await c.call('createDirectMessage', botUser.username)).rid as string;
    expect((await c.sub('stream-room-messages', [dm, false])).ready).toBe(true);
    await c.call('sendMessage', { rid: dm, msg: 'hello bot' });
    const [reply] = await c.nextEvent('stream-room-messages', dm, (a) => a[0].u._id === botUser._id);
    expect(reply).toMatchObject({ rid: dm, msg: 'echo: hello bot' });
    const frame = rawFrames.find((f) => f.fields.args[0].msg === 'hello bot');
    expect(frame.fields.args[1]).toEqual({ roomParticipant: true, roomType: 'd' });
    c.close();
  });

  it('DM: sendDirectToUser opens the DM (im.create) and the user receives the message on __my_messages__', async () => {
    const user = await server.createUser(uniq('dmb'));
    const c: TestClient = await clientFor(server, user);
    expect((await c.sub('stream-room-messages', ['__my_messages__', false])).ready).toBe(true);
    const sent = await bot.sendDirectToUser('hi from the bot', user.username!);
    const rid = [botUser._id, user._id].sort().join('');
    expect(sent).toMatchObject({ rid, msg: 'hi from the bot', u: { _id: botUser._id } });
    const [got] = await c.nextEvent('stream-room-messages', '__my_messages__', (a) => a[0]._id === sent._id);
    expect(got).toMatchObject({ rid, msg: 'hi from the bot' });
    c.close();
  });

  it('every REST call the SDK made was served (no 4xx/5xx), and only the endpoints it needs were called', async () => {
    // The replies go out asynchronously: wait until the last echo's REST call is done.
    await eventually(() => calls.filter((c) => c.path === '/api/v1/chat.sendMessage').length >= 3);
    expect(calls.filter((c) => c.status !== 200)).toEqual([]);
    expect(new Set(calls.map((c) => `${c.method} ${c.path}`))).toEqual(
      new Set([
        'POST /api/v1/login',
        'GET /api/v1/chat.getRoomIdByNameOrId',
        'POST /api/v1/channels.join',
        'GET /api/v1/rooms.info',
        'POST /api/v1/chat.sendMessage',
        'POST /api/v1/im.create',
      ]),
    );
  });
});

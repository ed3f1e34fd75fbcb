import sdk from '@rocket.chat/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message, User } from '../../src/domain/types.js';
import { makeRoom } from '../support/fixtures.js';
import { startTestServer, type TestServer } from '../support/test-server.js';
import { clientFor, uniq } from './messages-support.js';

/**
 * @rocket.chat/sdk 1.0.0-alpha.42 used as a real bot would. Its Bot class logs in, resolves rooms
 * and sends through REST (`/api/v1/login`, `chat.getRoomIdByNameOrId`, `chat.sendMessage`,
 * `rooms.info`), which Orbit does not serve; the bot therefore uses the same client's DDP side:
 * the driver's digest login, `reactToMessages` (`__my_messages__`), and `methodCall('sendMessage')`
 * to reply (what `sendToRoom` does over REST).
 */

const silent = { debug() {}, info() {}, warning() {}, warn() {}, error() {} };

interface SdkBot {
  connect(options: object): Promise<unknown>;
  disconnect(): Promise<unknown>;
  socket: Promise<{ login(c: { username: string; password: string }): Promise<{ id: string }>; onStreamData(e: string, cb: (f: any) => void): Promise<unknown> }>;
  reactToMessages(cb: (err: Error | null, message?: Message, meta?: unknown) => void): Promise<void>;
  methodCall(method: string, ...args: unknown[]): Promise<any>;
}

const BotClass = (sdk as unknown as { Bot: new (config: object) => SdkBot }).Bot;

describe('@rocket.chat/sdk bot over DDP', () => {
  let server: TestServer;
  let botUser: User;
  let bot: SdkBot;
  let botId: string;
  const received: Message[] = [];
  const rawFrames: any[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    botUser = await server.createUser(uniq('bot'), { roles: ['bot'], name: 'Echo Bot' });
    bot = new BotClass({ host: `127.0.0.1:${server.port}`, logger: silent });
    await bot.connect({});
    const driver = await bot.socket;
    botId = (await driver.login({ username: botUser.username!, password: `${botUser.username}-pass` })).id;
    await driver.onStreamData('stream-room-messages', (f) => rawFrames.push(f));
    // The bot answers every message that is not its own, in the same room.
    await bot.reactToMessages((err, message) => {
      if (err || !message || message.u._id === botId) return;
      received.push(message);
      void bot.methodCall('sendMessage', { rid: message.rid, msg: `echo: ${message.msg}` });
    });
  });

  afterAll(async () => {
    await bot?.disconnect();
    await server?.stop();
  });

  it('logged in over DDP with a sha-256 digest', () => {
    expect(botId).toBe(botUser._id);
  });

  it('channel: the bot receives a user\'s message on __my_messages__ and its reply reaches the user on stream-room-messages', async () => {
    const user = await server.createUser(uniq('usr'));
    const room = await makeRoom(server, { t: 'p', owner: user });
    // Joined through the service, so the bot's live __my_messages__ registration follows the join.
    await server.orbit.services.membership.addUser(room, botUser, { inviter: { _id: user._id, username: user.username! } });
    const c = await clientFor(server, user);
    expect((await c.sub('stream-room-messages', [room._id, false])).ready).toBe(true);
    const sent = await c.call('sendMessage', { rid: room._id, msg: 'ping' });
    const [reply] = await c.nextEvent('stream-room-messages', room._id, (a) => a[0].u._id === botUser._id);
    expect(reply).toMatchObject({ rid: room._id, msg: 'echo: ping', u: { _id: botUser._id, username: botUser.username, name: 'Echo Bot' } });
    const got = received.find((m) => m._id === sent._id)!;
    expect(got.msg).toBe('ping');
    // The driver's ejsonMessage is not applied by reactToMessages: ts arrives as EJSON.
    expect(got.ts).toEqual({ $date: sent.ts.getTime() });
    const frame = rawFrames.find((f) => f.fields.args[0]._id === sent._id);
    expect(frame.fields.args[1]).toEqual({ roomParticipant: true, roomType: 'p', roomName: room.name });
  });

  it('DM: the same flow in a direct message', async () => {
    const user = await server.createUser(uniq('dmu'));
    const c = await clientFor(server, user);
    const dm = { _id: (await c.call('createDirectMessage', botUser.username)).rid as string };
    expect((await c.sub('stream-room-messages', [dm._id, false])).ready).toBe(true);
    await c.call('sendMessage', { rid: dm._id, msg: 'hello bot' });
    const [reply] = await c.nextEvent('stream-room-messages', dm._id, (a) => a[0].u._id === botUser._id);
    expect(reply).toMatchObject({ rid: dm._id, msg: 'echo: hello bot' });
    const frame = rawFrames.find((f) => f.fields.args[0].msg === 'hello bot');
    expect(frame.fields.args[1]).toEqual({ roomParticipant: true, roomType: 'd' });
  });
});

/**
 * The bare baseline: a DDP-shaped server on `ws` alone, with no storage, no permissions and no
 * logic — the ceiling of one Node.js process on this machine. It answers `connect`, `ping`, `sub`
 * and `unsub`, replies to every method with a result frame and an updated frame, and for
 * `sendMessage` broadcasts a Rocket.Chat-shaped message frame to every subscriber of
 * `stream-room-messages/<rid>`. Results are realistic in size (a room, 50 history messages) and
 * serialised per call, as any server must. Usage: node dist/bench/baseline-server.js <port>
 */
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';

interface Conn {
  ws: WebSocket;
  userId: string;
  subs: Map<string, string>;
}

const port = Number(process.argv[2] ?? process.env.PORT ?? 0);
const topics = new Map<string, Set<Conn>>();
let counter = 0;
const newId = () => `${randomBytes(6).toString('hex')}${(counter++).toString(36)}`;

function message(id: string, rid: string, msg: string, userId: string): Record<string, unknown> {
  const now = { $date: Date.now() };
  return {
    _id: id,
    rid,
    msg,
    ts: now,
    u: { _id: userId, username: `user-${userId}`, name: `User ${userId}` },
    _updatedAt: now,
    urls: [],
    mentions: [],
    channels: [],
    md: [{ type: 'PARAGRAPH', value: [{ type: 'PLAIN_TEXT', value: msg }] }],
  };
}

function room(rid: string): Record<string, unknown> {
  const now = { $date: Date.now() };
  return {
    _id: rid,
    t: 'c',
    name: `room-${rid}`,
    fname: `room-${rid}`,
    u: { _id: 'owner', username: 'owner' },
    msgs: 1234,
    usersCount: 10,
    ts: now,
    ro: false,
    default: false,
    sysMes: true,
    _updatedAt: now,
    lm: now,
    lastMessage: message('last', rid, 'the last message of the room', 'owner'),
  };
}

const HISTORY = Array.from({ length: 50 }, (_, i) => message(`hist${i}`, 'ROOM', `history message ${i} with some ordinary words in it`, 'u1'));
const ROOMS = Array.from({ length: 5 }, (_, i) => room(`rid${i}`));

function send(c: Conn, text: string): void {
  if (c.ws.readyState === c.ws.OPEN) c.ws.send(text);
}

function result(c: Conn, id: string, value: unknown): void {
  send(c, value === undefined ? `{"msg":"result","id":${JSON.stringify(id)}}` : `{"msg":"result","id":${JSON.stringify(id)},"result":${JSON.stringify(value)}}`);
  send(c, `{"msg":"updated","methods":[${JSON.stringify(id)}]}`);
}

function method(c: Conn, id: string, name: string, params: unknown[]): void {
  switch (name) {
    case 'login': {
      const token = String((params[0] as { resume?: unknown } | undefined)?.resume ?? newId());
      c.userId = token.slice(0, 17);
      return result(c, id, { id: c.userId, token, tokenExpires: { $date: Date.now() + 7_776_000_000 }, type: 'resume' });
    }
    case 'sendMessage': {
      const p = (params[0] ?? {}) as { _id?: string; rid?: string; msg?: string };
      const rid = String(p.rid ?? '');
      const doc = message(p._id ?? newId(), rid, String(p.msg ?? ''), c.userId);
      const subscribers = topics.get(`stream-room-messages\u0000${rid}`);
      if (subscribers && subscribers.size > 0) {
        const frame = `{"msg":"changed","collection":"stream-room-messages","id":"id","fields":{"eventName":${JSON.stringify(rid)},"args":[${JSON.stringify(doc)}]}}`;
        for (const s of subscribers) send(s, frame);
      }
      return result(c, id, doc);
    }
    case 'getRoomById':
      return result(c, id, room(String(params[0])));
    case 'rooms/get':
      return result(c, id, ROOMS);
    case 'loadHistory':
      return result(c, id, { messages: HISTORY, unreadNotLoaded: 0 });
    default:
      return result(c, id, undefined);
  }
}

function onFrame(c: Conn, text: string): void {
  let f: { msg?: string; id?: string; name?: string; method?: string; params?: unknown[] };
  try {
    f = JSON.parse(text);
  } catch {
    return send(c, '{"msg":"error","reason":"Bad request"}');
  }
  switch (f.msg) {
    case 'connect':
      return send(c, `{"msg":"connected","session":"${newId()}"}`);
    case 'ping':
      return send(c, f.id ? `{"msg":"pong","id":${JSON.stringify(f.id)}}` : '{"msg":"pong"}');
    case 'method':
      return method(c, String(f.id), String(f.method), f.params ?? []);
    case 'sub': {
      const topic = `${f.name}\u0000${String(f.params?.[0] ?? '')}`;
      let set = topics.get(topic);
      if (!set) topics.set(topic, (set = new Set()));
      set.add(c);
      c.subs.set(String(f.id), topic);
      return send(c, `{"msg":"ready","subs":[${JSON.stringify(f.id)}]}`);
    }
    case 'unsub': {
      const topic = c.subs.get(String(f.id));
      if (topic) topics.get(topic)?.delete(c);
      c.subs.delete(String(f.id));
      return send(c, `{"msg":"nosub","id":${JSON.stringify(f.id)}}`);
    }
  }
}

const http = createServer((req, res) => {
  res.writeHead(req.url === '/health' ? 200 : 404, { 'content-type': 'application/json' });
  res.end('{"status":"ok"}');
});
const wss = new WebSocketServer({ server: http, path: '/websocket', perMessageDeflate: false, clientTracking: false, maxPayload: 1024 * 1024 });
wss.on('connection', (ws) => {
  const c: Conn = { ws, userId: '', subs: new Map() };
  ws.on('message', (data) => onFrame(c, data.toString()));
  ws.on('close', () => {
    for (const topic of c.subs.values()) topics.get(topic)?.delete(c);
  });
  ws.on('error', () => ws.terminate());
});
http.listen(port, '127.0.0.1');
process.once('SIGTERM', () => process.exit(0));
process.once('SIGINT', () => process.exit(0));

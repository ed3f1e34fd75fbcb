// Child process of the crash test: writes messages through SqliteStore and prints each id once
// its write has returned (committed). The parent kills it with SIGKILL mid-stream.
// Usage: node --import tsx crash-writer.mjs <db-file> <room-id> <count>
import { SqliteStore } from '../sqlite-store.ts';

const [file, rid, count] = process.argv.slice(2);
const store = SqliteStore.open(file);
await store.rooms.insert({ _id: rid, t: 'c', name: rid, msgs: 0, usersCount: 0, ts: new Date(), _updatedAt: new Date() });
process.stdout.write('ready\n');

for (let i = 0; i < Number(count); i++) {
  const message = {
    _id: `${rid}-${i}`,
    rid,
    msg: `message ${i}`,
    ts: new Date(Date.now()),
    u: { _id: 'writer', username: 'writer' },
    _updatedAt: new Date(),
  };
  if (i % 2 === 0) {
    await store.transaction(async (tx) => {
      await tx.messages.insert(message);
      await tx.rooms.update(rid, { inc: { msgs: 1 }, set: { lm: message.ts } });
    });
  } else {
    await store.messages.insert(message);
    await store.rooms.update(rid, { inc: { msgs: 1 } });
  }
  // Synchronous on a pipe: once written, the parent may count the message as acknowledged.
  process.stdout.write(`${message._id}\n`);
}
await store.close();

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { makeMessage, makeRoom, makeSub, makeUser, tick } from '../conformance/fixtures.conformance.js';
import { storeConformance } from '../store.conformance.js';
import { HISTORY_SQL } from './messages-repo.js';
import { MIGRATIONS, appliedMigrations, migrate } from './migrations.js';
import { SqliteDb } from './sqlite-db.js';
import { SqliteStore } from './sqlite-store.js';
import { APPLY_SOME_SQL } from './subscriptions-repo.js';

const dir = mkdtempSync(join(tmpdir(), 'orbit-sqlite-'));
let files = 0;
const newFile = (): string => join(dir, `db-${++files}.sqlite`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

storeConformance('sqlite', async () => SqliteStore.open(newFile()));

function queryPlan(db: SqliteDb, sql: string, params: Record<string, unknown>): string {
  return (db.stmt(`EXPLAIN QUERY PLAN ${sql}`).all(params) as Array<{ detail: string }>).map((r) => r.detail).join('\n');
}

describe('SqliteStore', () => {
  it('opens with WAL, synchronous NORMAL, foreign keys off and a busy timeout', () => {
    const db = new SqliteDb(newFile());
    expect(db.pragma('journal_mode')).toBe('wal');
    expect(db.pragma('synchronous')).toBe(1);
    expect(db.pragma('foreign_keys')).toBe(0);
    expect(db.pragma('busy_timeout')).toBeGreaterThan(0);
    db.close();
  });

  it('applies migrations once; reopening applies nothing and keeps the data', async () => {
    const file = newFile();
    const store = SqliteStore.open(file);
    const user = await store.users.insert(makeUser());
    const room = await store.rooms.insert(makeRoom({ lastMessage: makeMessage('x', 5) }));
    const sub = await store.subscriptions.insert(makeSub(room, user, { roles: ['owner'] }));
    const message = makeMessage(room._id, 1_700_000_000_000);
    await store.messages.insert(message);
    await store.users.addLoginToken(user._id, { when: new Date(), hashedToken: 'tok' });
    await store.close();
    // close() checkpointed the WAL into the database file.
    expect(!existsSync(`${file}-wal`) || statSync(`${file}-wal`).size === 0).toBe(true);

    const db = new SqliteDb(file);
    expect(migrate(db)).toEqual([]);
    expect(appliedMigrations(db)).toEqual(MIGRATIONS.map((m) => m.version));
    db.close();

    const reopened = SqliteStore.open(file);
    expect((await reopened.users.findByLoginToken('tok'))?.user._id).toBe(user._id);
    expect(await reopened.rooms.findById(room._id)).toEqual(room);
    expect(await reopened.subscriptions.findById(sub._id)).toEqual(sub);
    expect((await reopened.messages.findById(message._id))?.ts).toEqual(message.ts);
    await reopened.close();
  });

  it('runs all pending migrations in one transaction: a failing one leaves no trace', () => {
    const db = new SqliteDb(newFile());
    migrate(db);
    const next = MIGRATIONS.length + 1;
    const broken = [
      ...MIGRATIONS,
      { version: next, name: 'adds a table', sql: 'CREATE TABLE extra (id TEXT PRIMARY KEY)' },
      { version: next + 1, name: 'fails', sql: 'CREATE TABLE broken (' },
    ];
    expect(() => migrate(db, broken)).toThrow();
    expect(appliedMigrations(db)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(db.stmt("SELECT count(*) AS n FROM sqlite_master WHERE name = 'extra'").get()).toEqual({ n: 0 });
    expect(migrate(db, broken.slice(0, -1))).toEqual([next]);
    db.close();
  });

  it('listHistory and applyMessage run on their indexes', () => {
    const db = new SqliteDb(':memory:');
    migrate(db);
    const history = queryPlan(db, HISTORY_SQL, { rid: 'r', before: 2, after: 0, excludeTypes: '[]', noThreadReplies: 0, limit: 50 });
    expect(history).toContain('USING INDEX messages_rid_ts (rid=? AND ts>? AND ts<?)');
    expect(history).not.toContain('TEMP B-TREE');
    const apply = queryPlan(db, APPLY_SOME_SQL, {
      rid: 'r',
      sender: 's',
      useq: 0,
      gseq: 0,
      unreadIds: '[]',
      mentionIds: '[]',
      now: 1,
      targets: '[]',
    });
    expect(apply).toContain('USING INDEX subscriptions_unseen (rid=?)');
    expect(apply).toContain('USING INDEX subscriptions_rid_uid (rid=? AND uid=?)');
    expect(apply).not.toMatch(/SCAN subscriptions/);
    db.close();
  });

  it('holds every other call until a running transaction ends', async () => {
    const store = SqliteStore.open(newFile());
    const room = await store.rooms.insert(makeRoom());
    const events: string[] = [];
    let outside: Promise<unknown> | undefined;
    await store.transaction(async (tx) => {
      await tx.rooms.update(room._id, { inc: { msgs: 1 } });
      outside = store.rooms.findById(room._id).then((r) => events.push(`outside saw ${r?.msgs}`));
      await tick(10);
      events.push('tx still open');
      expect((await tx.rooms.findById(room._id))?.msgs).toBe(1);
    });
    await outside;
    expect(events).toEqual(['tx still open', 'outside saw 1']);
    await store.close();
  });

  it('close waits for a running transaction', async () => {
    const file = newFile();
    const store = SqliteStore.open(file);
    const user = makeUser();
    const tx = store.transaction(async (t) => {
      await tick(10);
      await t.users.insert(user);
    });
    await store.close();
    await tx;
    const reopened = SqliteStore.open(file);
    expect((await reopened.users.findById(user._id))?._id).toBe(user._id);
    await reopened.close();
  });

  it('every acknowledged write survives a SIGKILL of the writing process', async () => {
    const file = newFile();
    const here = fileURLToPath(new URL('./testing/', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'crash-writer.mjs'), file, 'crash', '1000000'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const acknowledged: string[] = [];
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    for await (const line of createInterface({ input: child.stdout })) {
      if (line === 'ready') continue;
      acknowledged.push(line);
      if (acknowledged.length === 400) child.kill('SIGKILL');
    }
    expect(await exited).toBe('SIGKILL');
    expect(acknowledged.length).toBeGreaterThanOrEqual(400);

    const store = SqliteStore.open(file);
    const missing: string[] = [];
    for (const id of acknowledged) if (!(await store.messages.findById(id))) missing.push(id);
    expect(missing).toEqual([]);
    // The transactional writes kept the room counter and the messages in step.
    const stored = (await store.messages.findOldestAndCount('crash', {})).count;
    const room = await store.rooms.findById('crash');
    expect(stored).toBeGreaterThanOrEqual(acknowledged.length);
    expect(stored - room!.msgs).toBeGreaterThanOrEqual(0);
    expect(stored - room!.msgs).toBeLessThanOrEqual(1);
    await store.close();
    // The file is a sound database.
    const check = new Database(file, { readonly: true });
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    check.close();
  }, 60_000);

  describe('group commit', () => {
    it('the writes of one turn share one commit; each resolves once another connection can read it', async () => {
      const file = newFile();
      const store = SqliteStore.open(file);
      const reader = new Database(file, { readonly: true });
      const visible = (id: string) => reader.prepare('SELECT count(*) AS n FROM users WHERE id = ?').get(id) as { n: number };
      const users = Array.from({ length: 20 }, (_, i) => makeUser({ username: `group${i}` }));
      const writes = users.map((u) => store.users.insert(u));
      // Issued in one turn: nothing is committed yet.
      expect(visible(users[0]!._id).n).toBe(0);
      const order: string[] = [];
      await Promise.all(writes.map((w, i) => w.then(() => order.push(users[i]!._id) && expect(visible(users[i]!._id).n).toBe(1))));
      expect(order).toHaveLength(20);
      reader.close();
      await store.close();
    });

    it('a failing write in a group does not undo the others; a failed transaction undoes only itself', async () => {
      const file = newFile();
      const store = SqliteStore.open(file);
      const a = makeUser({ username: 'same' });
      const b = makeUser({ username: 'SAME' });
      const c = makeUser({ username: 'other' });
      const results = await Promise.allSettled([
        store.users.insert(a),
        store.users.insert(b),
        store.transaction(async (tx) => {
          await tx.users.insert(makeUser({ username: 'rolled-back' }));
          throw new Error('boom');
        }),
        store.users.insert(c),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
      expect((await store.users.findByUsername('same'))?._id).toBe(a._id);
      expect(await store.users.findByUsername('rolled-back')).toBeUndefined();
      expect((await store.users.findByUsername('other'))?._id).toBe(c._id);
      await store.close();
      const reopened = SqliteStore.open(file);
      expect((await reopened.users.findByUsername('other'))?._id).toBe(c._id);
      expect(await reopened.users.findByUsername('rolled-back')).toBeUndefined();
      await reopened.close();
    });
  });
});

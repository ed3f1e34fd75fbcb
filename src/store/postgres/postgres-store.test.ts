import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { makeMessage, makeRoom, makeUser } from '../conformance/fixtures.conformance.js';
import { storeConformance } from '../store.conformance.js';
import type { Store } from '../store.js';
import { PG_MIGRATIONS } from './pg-migrations.js';
import { PostgresStore } from './postgres-store.js';

/** As configured by default (no user: the store falls back to `postgres`). */
const URL = 'postgres://127.0.0.1:5432/test';
const ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/test';
/** A schema unique to this file and run, so that test files and runs can go in parallel. */
const RUN = `orbit_test_${process.pid}_${randomBytes(3).toString('hex')}`;
let schemas = 0;
const schemaOf = new Map<Store, string>();

const admin = new pg.Client(ADMIN_URL);
const available = await admin.connect().then(
  () => true,
  (err: Error) => {
    console.warn(`PostgreSQL at ${ADMIN_URL} is unreachable (${err.message}); its tests are skipped`);
    return false;
  },
);
afterAll(async () => {
  if (!available) return;
  const { rows } = await admin.query<{ nspname: string }>('SELECT nspname FROM pg_namespace WHERE nspname LIKE $1', [`${RUN}%`]);
  for (const r of rows) await admin.query(`DROP SCHEMA "${r.nspname}" CASCADE`);
  await admin.end();
});

/** A store on a schema of its own (migrated from scratch). */
async function openFresh(): Promise<Store> {
  const schema = `${RUN}_${++schemas}`;
  const store = await PostgresStore.open(URL, { schema, maxConnections: 5 });
  schemaOf.set(store, schema);
  return store;
}

async function dropSchema(store: Store): Promise<void> {
  await store.close();
  await admin.query(`DROP SCHEMA IF EXISTS "${schemaOf.get(store)}" CASCADE`);
  schemaOf.delete(store);
}

/** The conformance tests share one schema, emptied after each test (much faster than a schema each). */
async function openShared(): Promise<Store> {
  return PostgresStore.open(URL, { schema: RUN, maxConnections: 5 });
}

async function emptyShared(store: Store): Promise<void> {
  await store.close();
  const { rows } = await admin.query<{ tablename: string }>(
    "SELECT tablename FROM pg_tables WHERE schemaname = $1 AND tablename <> 'schema_migrations'",
    [RUN],
  );
  await admin.query(`TRUNCATE ${rows.map((r) => `"${RUN}"."${r.tablename}"`).join(', ')} RESTART IDENTITY`);
}

describe.skipIf(!available)('PostgreSQL backend', () => {
  storeConformance('postgres', openShared, emptyShared);

  describe('PostgresStore', () => {
    it('reopening a schema applies no migration again and keeps the data', async () => {
      const store = await openFresh();
      const schema = schemaOf.get(store)!;
      const room = await store.rooms.insert(makeRoom({ lastMessage: makeMessage('x', 5) }));
      const user = await store.users.insert(makeUser());
      await store.close();
      const reopened = await PostgresStore.open(URL, { schema });
      schemaOf.set(reopened, schema);
      expect(await reopened.rooms.findById(room._id)).toEqual(room);
      expect(await reopened.users.findById(user._id)).toEqual(user);
      const { rows } = await admin.query(`SELECT version FROM "${schema}".schema_migrations ORDER BY version`);
      expect(rows).toEqual(PG_MIGRATIONS.map((m) => ({ version: m.version })));
      await dropSchema(reopened);
    });

    it('listHistory runs on the (rid, ts) index', async () => {
      const store = await openFresh();
      const schema = schemaOf.get(store)!;
      const client = new pg.Client(ADMIN_URL);
      await client.connect();
      await client.query(`SET search_path = "${schema}"`);
      await client.query('SET enable_seqscan = off');
      const { rows } = await client.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN SELECT doc FROM messages WHERE rid = 'r' AND ts < 10 AND ts > 0 AND NOT hidden ORDER BY ts DESC, seq DESC LIMIT 50`,
      );
      expect(rows.map((r) => r['QUERY PLAN']).join('\n')).toMatch(/Index Scan Backward using messages_rid_ts/);
      await client.end();
      await dropSchema(store);
    });

    it('refuses a schema name that is not a plain identifier', async () => {
      await expect(PostgresStore.open(URL, { schema: 'x"; DROP SCHEMA public; --' })).rejects.toThrow(/invalid schema name/);
    });
  });
});

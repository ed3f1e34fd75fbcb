import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../src/config/config.js';
import type { Store } from '../src/store/store.js';
import { ROOT } from './servers.js';

/** Whether the two-instance part (PostgreSQL store + NATS bus) can run, and how to open its store. */
export type ClusterSupport = { ok: true; postgresUrl: string; openStore: () => Promise<Store> } | { ok: false; why: string };

function reachable(url: string, defaultPort: number): Promise<boolean> {
  const u = new URL(url);
  return new Promise((ok) => {
    const s = connect({ host: u.hostname, port: Number(u.port || defaultPort) });
    const done = (v: boolean) => {
      s.destroy();
      ok(v);
    };
    s.setTimeout(1000, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

type StoreClass = Record<string, unknown> & { open?: (url: string) => Store | Promise<Store>; connect?: (url: string) => Store | Promise<Store> };

export async function detectCluster(): Promise<ClusterSupport> {
  const config = loadConfig();
  const module = join(ROOT, 'dist', 'src', 'store', 'postgres', 'postgres-store.js');
  if (!existsSync(module)) return { ok: false, why: 'the PostgreSQL store does not exist yet (no dist/src/store/postgres/postgres-store.js)' };
  if (!(await reachable(config.store.postgresUrl, 5432))) return { ok: false, why: `PostgreSQL is not reachable at ${config.store.postgresUrl}` };
  if (!(await reachable(config.bus.natsUrl, 4222))) return { ok: false, why: `NATS is not reachable at ${config.bus.natsUrl}` };
  const mod = (await import(pathToFileURL(module).href)) as Record<string, unknown>;
  const cls = mod.PostgresStore as StoreClass | undefined;
  const open = cls?.open ?? cls?.connect;
  if (typeof open !== 'function') return { ok: false, why: 'postgres-store.js exports no PostgresStore.open/connect(url) to seed through' };
  const url = config.store.postgresUrl;
  return { ok: true, postgresUrl: url, openStore: async () => open.call(cls, url) };
}

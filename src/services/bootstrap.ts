import type { Logger } from 'pino';
import { DEFAULT_PERMISSIONS } from '../domain/default-permissions.js';
import { DEFAULT_ROLES } from '../domain/default-roles.js';
import { DEFAULT_SETTINGS } from '../domain/default-settings.js';
import { randomSecret } from '../lib/random.js';
import type { Store } from '../store/store.js';

export interface AdminSpec {
  username?: string;
  password?: string;
  email?: string;
}

/** Writes the defaults a fresh database needs: roles, permissions, settings and the GENERAL room. */
export async function seedDefaults(store: Store): Promise<void> {
  const now = new Date();
  for (const role of DEFAULT_ROLES) await store.roles.insertDefault({ ...role });
  for (const p of DEFAULT_PERMISSIONS) await store.permissions.insertDefault({ _id: p._id, roles: [...p.roles], _updatedAt: now });
  for (const s of DEFAULT_SETTINGS) {
    const value = s._id === 'Accounts_RegistrationForm_SecretURL' && s.value === '' ? randomSecret(17) : s.value;
    await store.settings.insertDefault({ ...s, value, _updatedAt: now } as Parameters<Store['settings']['insertDefault']>[0]);
  }
  if (!(await store.rooms.findById('GENERAL'))) {
    await store.rooms.insert({
      _id: 'GENERAL',
      t: 'c',
      name: 'general',
      fname: 'general',
      msgs: 0,
      usersCount: 0,
      ts: now,
      default: true,
      ro: false,
      sysMes: true,
      _updatedAt: now,
    });
  }
}

/** The first-start admin: from the configuration, or with a generated password printed once. */
export async function ensureAdmin(
  store: Store,
  createAdmin: (spec: Required<Pick<AdminSpec, 'username' | 'password'>> & { email?: string }) => Promise<void>,
  spec: AdminSpec,
  logger: Logger,
): Promise<void> {
  if ((await store.users.listByRoles(['admin'])).length > 0) return;
  const username = spec.username ?? 'admin';
  const generated = spec.password === undefined;
  const password = spec.password ?? randomSecret(20);
  await createAdmin({ username, password, ...(spec.email ? { email: spec.email } : {}) });
  if (generated) {
    logger.warn({ username, password }, 'created the first admin with a generated password; change it after logging in');
  } else {
    logger.info({ username }, 'created the first admin');
  }
}
